#!/bin/sh
# cert-manager output through the TUI at 80x24, real binary: chosen on the Encryption step (with a
# ClusterIssuer and trust-manager), the CA step says cert-manager makes the CA, Review's
# Certificates tab lists each Certificate with its issuer and the Secret (name and keys) it will
# make, and the trust-manager Bundle's Secret; the directory written has the cert-manager layout
# (Issuers, Certificates, the Bundle, password Secrets, no key) that kubectl kustomize reads.
# Then a session that switches back to files after seeing Review writes the files layout.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

# presses Down until the field LABEL has the focus (at most 16 times)
focus() {
  _n=0
  while [ "$_n" -lt 16 ]; do
    screen | grep -qF "> $1:" && return 0
    keys Down
    sleep 0.2
    _n=$((_n + 1))
  done
  screen
  return 1
}
# the rows inside the viewer's box (its title row first), borders cut off
box_rows() {
  screen | awk '/^ lqqq+k/ { on = 1; next } /^ mqqq+j/ { on = 0 } on' | sed 's/^ x//; s/x$//'
}
# the whole text of the current tab: Home, then page by page to the end, the pages' overlap
# dropped, every row joined with single spaces (the viewer wraps at 76 columns)
tab_text() {
  keys Home
  sleep 0.3
  : >"$t/.pages"
  _n=0
  while [ "$_n" -lt 10 ]; do
    box_rows | tail -n +2 >"$t/.page.$_n"
    echo "$t/.page.$_n" >>"$t/.pages"
    screen | grep -qE '> line ([0-9]+)/\1 *$' && break
    keys NPage
    sleep 0.3
    _n=$((_n + 1))
  done
  $PY - "$t/.pages" <<'PYEOF'
import sys
rows = []
for name in open(sys.argv[1]).read().split():
    page = [r.rstrip() for r in open(name).read().split("\n")]
    while page and not page[-1]:
        page.pop()
    k = min(len(rows), len(page))
    while k > 0 and rows[-k:] != page[:k]:
        k -= 1
    rows += page[k:]
print(" ".join(" ".join(rows).split()))
PYEOF
}
has() { grep -qF -- "$2" "$1"; }
absent() { ! screen | grep -qF -- "$1"; }

# ---- cert-manager, ClusterIssuer, trust-manager -----------------------------------------------
tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
keys F10
wait_for "step 3 of 10: Encryption" >/dev/null
focus "Output mode" >/dev/null
keys Right
check "cert-manager chosen on the Encryption step" wait_re "Output mode: +< cert-manager >"
keys Down Right
check "a ClusterIssuer" wait_re "Issuer kind: +< ClusterIssuer >"
keys Down Right
check "trust-manager on" wait_re "trust-manager truststores: +< yes +>"
keys F10
check "the CA step" wait_for "step 4 of 10: Certificate authority"
check "it says cert-manager makes the CA in the cluster" wait_for "cert-manager output: cert-manager makes this CA and every key"
keys F10
check "the Server stores step" wait_for "step 5 of 10: Server stores"
check "it says cert-manager makes the stores, one password for both" wait_for "keystore password opens both (it writes the"
check "no truststore password to type (cert-manager uses the keystore's)" absent "Truststore password"
for s in "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
check "Review shows the manifest first" wait_for "manifests/20-k8ssandracluster.yaml" 60
check "the tab bar offers the Certificates (4 objects)" wait_for "2 Certificates (4)"
keys Right
check "Right opens the Certificates tab" wait_for "[2 Certificates (4)]"
tab_text >"$t/certs.txt"
check "it counts the cluster's Certificates and their namespace" has "$t/certs.txt" \
  "3 Certificates for the cluster: cert-manager makes their Secrets in namespace k8ssandra-operator"
check "the server stores' Certificate, its issuer, its Secret and keys" has "$t/certs.txt" \
  "Certificate server-encryption-stores (signed by the ClusterIssuer test-ca-issuer) makes the Secret server-encryption-stores: tls.crt, tls.key, ca.crt, keystore.p12, truststore.p12"
check "the client stores' Certificate" has "$t/certs.txt" \
  "Certificate client-encryption-stores (signed by the ClusterIssuer test-ca-issuer) makes the Secret client-encryption-stores: tls.crt, tls.key, ca.crt, keystore.p12, truststore.p12"
check "Medusa's Certificate: PEM keys" has "$t/certs.txt" \
  "Certificate client-certificates (signed by the ClusterIssuer test-ca-issuer) makes the Secret client-certificates: tls.crt, tls.key, ca.crt The CA"
check "the CA, in cert-manager's namespace (ClusterIssuer)" has "$t/certs.txt" \
  "The CA, made by cert-manager in namespace cert-manager"
check "the issuers" has "$t/certs.txt" "ClusterIssuer test-ca-issuer: signs with the CA in the Secret test-ca"
check "the trust-manager Bundle's Secret and keys" has "$t/certs.txt" \
  "Bundle test-ca-bundle (trust-manager) makes the Secret test-ca-bundle in namespace k8ssandra-operator: ca.crt, truststore.p12"
check "what trust-manager needs" has "$t/certs.txt" "needs trust-manager with Secret targets enabled"
check "the password Secrets the wizard writes" has "$t/certs.txt" \
  "Secret server-encryption-stores-password: keystore-password, truststore-password"
# nothing cut: the viewer wraps prose inside the box, so no row ends with a cut word ("...")
check "no row of the tab is cut" sh -c "! grep -q '[.][.][.] *\$' '$t'/.page.*"
keys 7
check "the Certificates have tabs of their own (the CA's)" wait_for "manifests/12-certificate-test-ca.yaml"
check "its YAML: a CA certificate" wait_for "isCA: true"
keys 1   # back to the manifest's tab, which leave_review waits for
leave_review
check "Output names the mode and where it was chosen" wait_for "Output mode: cert-manager (the Encryption step)"
check "and counts the files (dngettext)" wait_re "[0-9]+ files will be written \(the Issuers, the"
keys F10
check "Result says what was written" wait_for "Written: k8tls-out"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

o="$t/k8tls-out"
ls "$o/manifests" >"$t/manifests.txt"
cat >"$t/want.txt" <<'EOW'
10-secret-client-encryption-stores-password.yaml
10-secret-server-encryption-stores-password.yaml
11-issuer-test-selfsigned.yaml
12-certificate-test-ca.yaml
13-issuer-test-ca-issuer.yaml
15-certificate-client-certificates.yaml
15-certificate-client-encryption-stores.yaml
15-certificate-server-encryption-stores.yaml
17-bundle-test-ca-bundle.yaml
20-k8ssandracluster.yaml
EOW
check "the manifests are the cert-manager layout" cmp -s "$t/want.txt" "$t/manifests.txt"
for d in ca stores medusa tls; do
  check "no $d/ directory (cert-manager makes the keys)" [ ! -e "$o/$d" ]
done
check "no private key anywhere in the directory" sh -c "! grep -rq 'PRIVATE KEY' '$o'"
check "each file holds the kind its name says, the Issuers are ClusterIssuers" $PY - "$o" <<'PYKINDS'
import os, sys, yaml
o = sys.argv[1]
want = {"10": "Secret", "11": "ClusterIssuer", "12": "Certificate", "13": "ClusterIssuer",
        "15": "Certificate", "17": "Bundle", "20": "K8ssandraCluster"}
for f in sorted(os.listdir(o + "/manifests")):
    doc = yaml.safe_load(open(o + "/manifests/" + f))
    assert doc["kind"] == want[f[:2]], (f, doc["kind"])
    if doc["kind"] == "Certificate":
        assert doc["spec"]["issuerRef"]["kind"] == "ClusterIssuer", f
PYKINDS
check "kustomization.yaml lists them in apply order" $PY - "$o" <<'PYKUST'
import sys, yaml
o = sys.argv[1]
res = yaml.safe_load(open(o + "/kustomization.yaml"))["resources"]
names = [r.split("/")[-1] for r in res]
# the numeric prefixes say the apply order: Secrets, Issuers, CA, CA Issuer, Certificates,
# Bundle, the cluster
prefixes = [int(n[:2]) for n in names]
assert prefixes == sorted(prefixes) and len(names) == 10, names
PYKUST
check "answers.yaml in the directory keeps the mode" grep -q "mode: cert-manager" "$o/answers.yaml"
check "answers.yaml in the directory keeps the issuer kind" grep -q "issuerKind: ClusterIssuer" "$o/answers.yaml"
check "answers.yaml in the directory keeps trust-manager" grep -q "trustManager: true" "$o/answers.yaml"
if command -v kubectl >/dev/null 2>&1; then
  check "kubectl kustomize reads the directory" sh -c "kubectl kustomize '$o' | grep -q 'kind: Certificate'"
fi

# ---- cert-manager seen on Review, then back to files ------------------------------------------
rm -rf "$o"
tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10" >/dev/null
keys F10
wait_for "step 3 of 10: Encryption" >/dev/null
focus "Output mode" >/dev/null
keys Right
wait_re "Output mode: +< cert-manager >" >/dev/null
for s in "step 4 of 10" "step 5 of 10" "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
check "Review in cert-manager mode: the Certificates tab" wait_for "2 Certificates (4)" 60
for s in 7 6 5 4 3; do
  keys Escape
  wait_for "step $s of 10" >/dev/null
done
check "Esc leads back to the Encryption step" wait_for "step 3 of 10: Encryption"
focus "Output mode" >/dev/null
keys Left
check "files again" wait_re "Output mode: +< files +>"
for s in "step 4 of 10" "step 5 of 10" "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
check "Review shows the files bundle" wait_for "manifests/20-k8ssandracluster.yaml" 60
check "the keys are made for it" wait_for "Keys: ready" 60
check "no Certificates tab in files mode" absent "Certificates ("
keys Right
check "its second tab is the server stores' Secret" wait_for "manifests/10-secret-server-encryption-stores.yaml"
keys 1
leave_review
check "Output: no cert-manager note" absent "Output mode: cert-manager"
check "Output: names the files mode, where it is chosen, and when cert-manager suits" \
  wait_for "Output mode: files (the Encryption step)"
check "Output: ... the other mode's use" wait_for "suits a cluster that runs"
keys F10
check "written" wait_for "Written: k8tls-out"
keys Enter
wait_exit "$t" >/dev/null
check "files mode: the CA key is written" [ -f "$o/ca/rootca.key" ]
check "files mode: the stores are written" [ -f "$o/stores/server-encryption-stores/keystore" ]
check "files mode: no Certificate" sh -c "! ls '$o/manifests' | grep -q '^1[2-7]-'"
if command -v keytool >/dev/null 2>&1; then
  d="$o/stores/server-encryption-stores"
  check "keytool opens the keystore written after the switch" \
    sh -c "keytool -list -keystore '$d/keystore' -storepass:file '$d/keystore-password' | grep -q PrivateKeyEntry"
fi
finish
