#!/bin/sh
# `rotate` on a cert-manager output (SPEC §11 C6), the real binary on the wizard's own output:
# each phase's trust-manager Bundle sources, the new CA's objects, the leaf Certificates' issuer;
# refusals (no trust-manager, renew, phases out of order, an imported CA without a key of its
# own), nothing written when refused; an imported CA rotated on the key of --ca-key; the trust
# phase applied with --apply to the kube tests' fake API server, in the kustomization's order.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl
T=$(mktmp)
trap 'rm -rf "$T"' EXIT

# Facts about a phase directory, one per line, for the checks below.
facts() {
  "$PY" - "$1" <<'PYEOF'
import base64, os, sys, yaml
d = sys.argv[1]
res = yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))["resources"]
objs = [yaml.safe_load(open(os.path.join(d, r))) for r in res]
def names(kind):
    return sorted(o["metadata"]["name"] for o in objs if o["kind"] == kind)
for o in objs:
    if o["kind"] == "Bundle":
        src = []
        for s in o["spec"]["sources"]:
            if "secret" in s:
                src.append("secret:" + s["secret"]["name"])
            else:
                import subprocess
                subj = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253"],
                                      input=s["inLine"].encode(), capture_output=True).stdout
                src.append("inLine:" + subj.decode().strip().replace("subject=", ""))
        print("bundle-sources", " ".join(src))
issuers = set(o["spec"]["issuerRef"]["name"] for o in objs
              if o["kind"] == "Certificate" and not o["spec"].get("isCA"))
print("leaf-issuers", " ".join(sorted(issuers)))
print("ca-certificates", " ".join(sorted(o["metadata"]["name"] for o in objs
                                          if o["kind"] == "Certificate" and o["spec"].get("isCA"))))
print("ca-issuers", " ".join(sorted(o["metadata"]["name"] for o in objs
                                     if o["kind"] in ("Issuer", "ClusterIssuer") and "ca" in o["spec"])))
print("kinds", " ".join(sorted(set(o["kind"] for o in objs))))
print("phase", yaml.safe_load(open(os.path.join(d, "rotation.yaml")))["phase"])
PYEOF
}
fact() { grep "^$2 " "$1/facts" | cut -d' ' -f2-; }

cat > "$T/gen.yaml" <<'EOF'
cluster: {name: test, namespace: k8ssandra-operator}
output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}
EOF
"$K8TLS_BIN" --answers "$T/gen.yaml" -o "$T/out" > /dev/null 2> "$T/err" ||
  { echo "FAIL: the wizard did not write the cert-manager output"; cat "$T/err"; exit 1; }
STAMP=$(date -u +%Y%m%d)

# --- the proposal --------------------------------------------------------------------------
"$K8TLS_BIN" rotate --from "$T/out" > "$T/o" 2> "$T/e"
check "rotate without --phase on a cert-manager output exits 0" [ $? -eq 0 ]
check "it reads the output as cert-manager's: the CA Issuer and the Bundle" \
  grep -q "signed by the CA Issuer test-ca-issuer" "$T/o"
check "nothing is due: cert-manager renews the Certificates itself" \
  grep -q "cert-manager renews the Certificates itself; a new CA starts with --phase trust" "$T/o"

# --- phase trust -----------------------------------------------------------------------------
"$K8TLS_BIN" rotate --from "$T/out" --phase trust -o "$T/p1" > "$T/o" 2> "$T/e"
check "phase trust exits 0" [ $? -eq 0 ]
facts "$T/p1" > "$T/p1/facts"
check "trust: the Bundle's sources are the old and the new CA Secret" \
  [ "$(fact "$T/p1" bundle-sources)" = "secret:test-ca secret:test-ca-$STAMP" ]
check "trust: a new CA Certificate next to the old one" \
  [ "$(fact "$T/p1" ca-certificates)" = "test-ca test-ca-$STAMP" ]
check "trust: a new CA ClusterIssuer next to the old one" \
  [ "$(fact "$T/p1" ca-issuers)" = "test-ca-issuer test-ca-issuer-$STAMP" ]
check "trust: the leaf Certificates still name the old CA Issuer" \
  [ "$(fact "$T/p1" leaf-issuers)" = "test-ca-issuer" ]
check "trust: no K8ssandraCluster in the phase (its refs do not change)" \
  sh -c "! grep -q K8ssandraCluster '$T/p1/facts'"
check "trust: rotation.yaml says trust" [ "$(fact "$T/p1" phase)" = trust ]
"$PY" - "$T/p1/manifests/12-certificate-test-ca-$STAMP.yaml" "$T/p1/manifests/13-issuer-test-ca-issuer-$STAMP.yaml" > "$T/newca" <<'PYEOF'
import sys, yaml
c, i = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
print(c["kind"], c["spec"]["isCA"], c["spec"]["secretName"], c["spec"]["commonName"],
      c["metadata"]["namespace"], i["kind"], i["spec"]["ca"]["secretName"])
PYEOF
check "trust: the new CA Certificate (isCA, its own Secret, a dated CN) and its Issuer on that Secret" \
  [ "$(cat "$T/newca")" = "Certificate True test-ca-$STAMP test root CA-$STAMP cert-manager ClusterIssuer test-ca-$STAMP" ]
check "trust: NEXT-STEPS.md says to wait for the new CA and check the Bundle" \
  grep -q "kubectl get certificate -n cert-manager test-ca-$STAMP" "$T/p1/NEXT-STEPS.md"
check "trust: the rolling restart task is written" [ -s "$T/p1/restart/k8ssandratask.yaml" ]
kubectl kustomize "$T/p1" > "$T/kust.yaml" 2> "$T/e"
"$PY" - "$T/p1" "$T/kust.yaml" <<'PYEOF' > "$T/kust.cmp"
import os, sys, yaml
d = sys.argv[1]
want = [yaml.safe_load(open(os.path.join(d, r)))["metadata"]["name"]
        for r in yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))["resources"]]
got = [o["metadata"]["name"] for o in yaml.safe_load_all(open(sys.argv[2])) if o]
print("same" if want == got and len(want) > 5 else "want %s got %s" % (want, got))
PYEOF
check "trust: kubectl kustomize keeps the phase's order (the Issuers before their Certificates)" \
  [ "$(cat "$T/kust.cmp")" = same ]

# --- out of order ------------------------------------------------------------------------------
out_of_order() { # FROM PHASE DESC
  "$K8TLS_BIN" rotate --from "$1" --phase "$2" -o "$T/bad" > /dev/null 2> "$T/e"
  rc=$?
  check "$3: refused (exit 1)" [ $rc -eq 1 ]
  check "$3: nothing written" [ ! -e "$T/bad" ]
  check "$3: says why" grep -q "phase $2 cannot run now" "$T/e"
}
out_of_order "$T/out" reissue "reissue before trust"
out_of_order "$T/out" retire "retire before trust"
out_of_order "$T/p1" retire "retire after trust"
out_of_order "$T/p1" trust "trust twice"

# --- phase reissue ---------------------------------------------------------------------------
"$K8TLS_BIN" rotate --from "$T/p1" --phase reissue -o "$T/p2" > "$T/o" 2> "$T/e"
check "phase reissue exits 0" [ $? -eq 0 ]
facts "$T/p2" > "$T/p2/facts"
check "reissue: the leaf Certificates name the new CA Issuer" \
  [ "$(fact "$T/p2" leaf-issuers)" = "test-ca-issuer-$STAMP" ]
check "reissue: the Bundle still trusts both CAs" \
  [ "$(fact "$T/p2" bundle-sources)" = "secret:test-ca secret:test-ca-$STAMP" ]
check "reissue: NEXT-STEPS.md says how to have them issued again (cmctl renew, the names)" \
  grep -q "cmctl renew -n k8ssandra-operator server-encryption-stores client-encryption-stores client-certificates" "$T/p2/NEXT-STEPS.md"
check "reissue: ... or by deleting each Secret" grep -q "deleting each Certificate's Secret" "$T/p2/NEXT-STEPS.md"
out_of_order "$T/p2" reissue "reissue twice"

# --- phase retire ----------------------------------------------------------------------------
"$K8TLS_BIN" rotate --from "$T/p2" --phase retire -o "$T/p3" > "$T/o" 2> "$T/e"
check "phase retire exits 0" [ $? -eq 0 ]
facts "$T/p3" > "$T/p3/facts"
check "retire: the Bundle trusts the new CA alone" \
  [ "$(fact "$T/p3" bundle-sources)" = "secret:test-ca-$STAMP" ]
check "retire: the old CA's Certificate and Issuer leave the output" \
  [ "$(fact "$T/p3" ca-certificates) / $(fact "$T/p3" ca-issuers)" = "test-ca-$STAMP / test-ca-issuer-$STAMP" ]
check "retire: NEXT-STEPS.md says how to delete them" \
  grep -q "kubectl delete certificate.cert-manager.io test-ca -n cert-manager" "$T/p3/NEXT-STEPS.md"
"$K8TLS_BIN" rotate --from "$T/p3" > "$T/o" 2> "$T/e"
check "after retire: one CA trusted, nothing due" grep -q "nothing is due" "$T/o"

# --- objects changed by hand: refused at the file, line and field ------------------------------
cp -r "$T/out" "$T/edited"
sed -i 's/^      name: test-ca$/      name: someone-else/' "$T/edited/manifests/17-bundle-test-ca-bundle.yaml"
line=$(grep -n '^  sources:' "$T/edited/manifests/17-bundle-test-ca-bundle.yaml" | cut -d: -f1)
"$K8TLS_BIN" rotate --from "$T/edited" > /dev/null 2> "$T/e"
rc=$?
check "a Bundle that does not hold the CA: refused (exit 1)" [ $rc -eq 1 ]
check "... named at its file:line:col and field" \
  grep -q "edited/manifests/17-bundle-test-ca-bundle.yaml:$((line + 1)):3: error: spec.sources: no source of the Bundle holds the CA of the CA Issuer test-ca-issuer" "$T/e"
cp -r "$T/p1" "$T/edited2"
rm "$T/edited2/rotation.yaml"
"$K8TLS_BIN" rotate --from "$T/edited2" --phase reissue -o "$T/bad" > /dev/null 2> "$T/e"
rc=$?
check "two CAs trusted without rotation.yaml: refused (exit 1), nothing written" [ $rc -eq 1 -a ! -e "$T/bad" ]
check "... saying the objects were changed by hand" grep -q "the objects were changed by hand" "$T/e"

# --- refusals ----------------------------------------------------------------------------------
cat > "$T/notm.yaml" <<'EOF'
cluster: {name: test, namespace: k8ssandra-operator}
output: {mode: cert-manager}
EOF
"$K8TLS_BIN" --answers "$T/notm.yaml" -o "$T/notm" > /dev/null 2>&1 || { echo "FAIL: no output"; exit 1; }
"$K8TLS_BIN" rotate --from "$T/notm" --phase trust -o "$T/bad" > /dev/null 2> "$T/e"
check "without trust-manager: trust refused (exit 1), nothing written" [ $? -eq 1 -a ! -e "$T/bad" ]
check "... the reason: one CA per cert-manager truststore (C6)" \
  grep -q "the truststores cert-manager writes hold one CA, the issuer's (SPEC §11 C6)" "$T/e"
check "... and what to do: output.trustManager: true" grep -q "Set output.trustManager: true" "$T/e"
"$K8TLS_BIN" rotate --from "$T/notm" > "$T/o" 2>&1
check "without trust-manager: the proposal says a CA rotation needs trust-manager" \
  grep -q "a CA rotation needs trust-manager" "$T/o"
"$K8TLS_BIN" rotate --from "$T/out" --phase renew -o "$T/bad" > /dev/null 2> "$T/e"
check "renew refused: cert-manager renews by itself (exit 1, nothing written)" \
  [ $? -eq 1 -a ! -e "$T/bad" ]
check "... it names cmctl renew for a renewal now" grep -q "cmctl renew" "$T/e"

"$K8TLS_BIN" rotate --from "$T/out" --from-context somewhere > /dev/null 2> "$T/e"
rc=$?
check "--from-context on a cert-manager output: refused (exit 1)" [ $rc -eq 1 ]
check "... the directory's objects say where it stands" grep -q "rotated from its directory" "$T/e"
"$K8TLS_BIN" rotate --from "$T/out" --phase trust --new-passwords -o "$T/bad" > /dev/null 2> "$T/e"
check "--new-passwords on a cert-manager output: refused (exit 1), nothing written" \
  [ $? -eq 1 -a ! -e "$T/bad" ]

"$K8TLS_BIN" rotate --from-context somewhere --answers "$T/gen.yaml" > /dev/null 2> "$T/e"
rc=$?
check "--from-context with cert-manager answers: refused (exit 1) before any kubectl" [ $rc -eq 1 ]
check "... pointing at rotate --from DIR" grep -q "plans a cert-manager output.*rotate --from DIR" "$T/e"

# --- an imported CA ------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/O=Acme/CN=Acme Root" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$T/ica.key" -out "$T/ica.crt" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/next.key" 2>/dev/null
cat > "$T/imp.yaml" <<EOF
cluster: {name: test, namespace: k8ssandra-operator}
ca: {source: import, import: {cert: "$T/ica.crt", key: "$T/ica.key"}}
output: {mode: cert-manager, trustManager: true}
EOF
"$K8TLS_BIN" --answers "$T/imp.yaml" -o "$T/imp" > /dev/null 2>&1 || { echo "FAIL: no imported output"; exit 1; }
"$K8TLS_BIN" rotate --from "$T/imp" --phase trust -o "$T/bad" > /dev/null 2> "$T/e"
check "imported CA without --ca-key: refused (exit 1), nothing written" [ $? -eq 1 -a ! -e "$T/bad" ]
check "... saying to pass --ca-key" grep -q "pass --ca-key PATH" "$T/e"
"$K8TLS_BIN" rotate --from "$T/imp" --phase trust -o "$T/bad" --ca-key "$T/ica.key" > /dev/null 2> "$T/e"
check "imported CA with the current CA's key: refused (exit 1)" [ $? -eq 1 -a ! -e "$T/bad" ]
"$K8TLS_BIN" rotate --from "$T/imp" --phase trust -o "$T/i1" --ca-key "$T/next.key" > /dev/null 2> "$T/e"
check "imported CA with a new key: trust exits 0" [ $? -eq 0 ]
facts "$T/i1" > "$T/i1/facts"
check "imported trust: the Bundle's inLine sources hold the old and the new CA" \
  [ "$(fact "$T/i1" bundle-sources)" = "inLine:CN=Acme Root,O=Acme inLine:CN=Acme Root-$STAMP,O=Acme" ]
"$PY" - "$T/i1/manifests/10-secret-test-ca-$STAMP.yaml" "$T" <<'PYEOF' > /dev/null
import base64, sys, yaml
s = yaml.safe_load(open(sys.argv[1]))
open(sys.argv[2] + "/n.crt", "wb").write(base64.b64decode(s["data"]["tls.crt"]))
open(sys.argv[2] + "/n.key", "wb").write(base64.b64decode(s["data"]["tls.key"]))
PYEOF
check "imported trust: the new CA Secret holds a CA certificate on the key of --ca-key" \
  [ "$(openssl x509 -in "$T/n.crt" -noout -pubkey)" = "$(openssl pkey -in "$T/next.key" -pubout)" ]
check "... with that key as tls.key" \
  [ "$(openssl pkey -in "$T/n.key" -pubout)" = "$(openssl pkey -in "$T/next.key" -pubout)" ]
check "... a CA (basicConstraints CA:TRUE)" sh -c "openssl x509 -in '$T/n.crt' -noout -text | grep -q 'CA:TRUE'"
"$K8TLS_BIN" rotate --from "$T/i1" --phase reissue -o "$T/i2" > /dev/null 2>&1 &&
  "$K8TLS_BIN" rotate --from "$T/i2" --phase retire -o "$T/i3" > /dev/null 2> "$T/e"
check "imported: reissue then retire exit 0" [ $? -eq 0 ]
facts "$T/i3" > "$T/i3/facts" 2>/dev/null
check "imported retire: the Bundle holds the new CA alone" \
  [ "$(fact "$T/i3" bundle-sources)" = "inLine:CN=Acme Root-$STAMP,O=Acme" ]
check "imported retire: the old CA Secret leaves the output" [ ! -e "$T/i3/manifests/10-secret-test-ca.yaml" ]

# --- a surface signed by a CA of its own: the cluster CA's phases leave it alone ---------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Mgmt CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$T/mca.key" -out "$T/mca.crt" 2>/dev/null
cat > "$T/surf.yaml" <<EOF
cluster: {name: test, namespace: k8ssandra-operator}
encryption:
  managementApi: {enabled: true, ca: {source: import, import: {cert: "$T/mca.crt", key: "$T/mca.key"}}}
output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}
EOF
"$K8TLS_BIN" --answers "$T/surf.yaml" -o "$T/surf" > /dev/null 2>&1 || { echo "FAIL: no surface output"; exit 1; }
"$K8TLS_BIN" rotate --from "$T/surf" > "$T/o" 2>&1
check "own-CA surface: the proposal counts its Certificates apart" \
  grep -q "3 more Certificates are signed by a CA of their own surface" "$T/o"
"$K8TLS_BIN" rotate --from "$T/surf" --phase trust -o "$T/s1" > /dev/null 2>&1 &&
  "$K8TLS_BIN" rotate --from "$T/s1" --phase reissue -o "$T/s2" > /dev/null 2>&1 &&
  "$K8TLS_BIN" rotate --from "$T/s2" --phase retire -o "$T/s3" > /dev/null 2> "$T/e"
check "own-CA surface: trust, reissue, retire exit 0" [ $? -eq 0 ]
issuers_of() {
  "$PY" - "$1" <<'PYEOF'
import glob, sys, yaml
for f in sorted(glob.glob(sys.argv[1] + "/manifests/15-certificate-*.yaml")):
    o = yaml.safe_load(open(f))
    print(o["metadata"]["name"], o["spec"]["issuerRef"]["name"])
PYEOF
}
issuers_of "$T/s2" > "$T/iss2"
check "own-CA surface: reissue moves the cluster's 3 leaves to the new CA Issuer" \
  [ "$(grep -c " test-ca-issuer-$STAMP\$" "$T/iss2")" = 3 ]
check "own-CA surface: ... and leaves the management API's on its own CA Issuer" \
  [ "$(grep -c "^mgmt-api-.* test-mgmt-api-ca-issuer\$" "$T/iss2")" = 2 ]
check "own-CA surface: retire keeps its CA Issuer and Secret" \
  [ -e "$T/s3/manifests/13-issuer-test-mgmt-api-ca-issuer.yaml" -a -e "$T/s3/manifests/10-secret-test-mgmt-api-ca.yaml" ]
check "own-CA surface: cmctl renew names the cluster's leaves only" \
  sh -c "grep -q 'cmctl renew -n k8ssandra-operator server-encryption-stores client-encryption-stores client-certificates\$' '$T/s2/NEXT-STEPS.md'"

# --- --apply of the trust phase to the fake API server -----------------------------------------
D=$T
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'cleanup; rm -rf "$D"' EXIT
fakeapi_start ok
"$K8TLS_BIN" rotate --from "$D/out" --phase trust -o "$D/a1" --apply --kubeconfig "$KCFG" \
  --context ctx0 > "$D/o" 2> "$D/e"
check "trust with --apply exits 0" [ $? -eq 0 ]
"$PY" - "$D/a1" <<'PYEOF' > "$D/want"
import os, sys, yaml
d = sys.argv[1]
for r in yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))["resources"]:
    print(yaml.safe_load(open(os.path.join(d, r)))["metadata"]["name"])
PYEOF
patches > "$D/patches"
awk '{n=split($3,p,"/"); print p[n]}' "$D/patches" > "$D/got"
check "trust --apply: every object sent, in the kustomization's order ($(wc -l < "$D/want"))" \
  sh -c "[ -s '$D/want' ] && cmp -s '$D/want' '$D/got'"
check "trust --apply: the Bundle is sent cluster-scoped" \
  grep -q " /apis/trust.cert-manager.io/v1alpha1/bundles/test-ca-bundle " "$D/patches"
check "trust --apply: the new CA ClusterIssuer is sent cluster-scoped" \
  grep -q " /apis/cert-manager.io/v1/clusterissuers/test-ca-issuer-$STAMP " "$D/patches"
check "trust --apply: no K8ssandraCluster sent" sh -c "! grep -q k8ssandraclusters '$D/patches'"
# --wait-ready: the fake issues the new CA and syncs the Bundle (FACTS.md; see fakeapi.py)
reset_logs
K8TLS_TEST_WAIT_POLL_MS=200 "$K8TLS_BIN" rotate --from "$D/out" --phase trust -o "$D/a2" --apply \
  --wait-ready=30s --kubeconfig "$KCFG" --context ctx0 > "$D/o" 2> "$D/e"
check "trust --apply --wait-ready exits 0" [ $? -eq 0 ]
check "... after the new CA was issued and the Bundle synced with both sources" \
  sh -c "grep -q '\"event\": \"issued\".*\"certificate\": \"test-ca-$STAMP\"' '$LOG' && grep -q '\"event\": \"synced\"' '$LOG'"
check "... it says so" grep -q "every Certificate is Ready and every Bundle Synced" "$D/e"
"$K8TLS_BIN" rotate --from "$D/out" --phase trust -o "$D/a3" --wait-ready > /dev/null 2>&1
check "rotate --wait-ready without --apply: usage error (exit 2)" [ $? -eq 2 ]
finish
