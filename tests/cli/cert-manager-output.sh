#!/bin/sh
# cert-manager output (SPEC §11, C1-C6), with the real binary: the default plan, an imported CA,
# ClusterIssuer, JKS stores, trustManager, every SPEC §10 surface. For each: the layout and the
# objects (tests/cli/cm_check.py, with yaml), kubectl kustomize offline, NEXT-STEPS.md. Then
# --output-mode overriding the answers, and the refusals: one error line each, naming the key.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout kubectl openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
CHECK="$K8TLS_SRCDIR/tests/cli/cm_check.py"

# run NAME ANSWER-LINES...: writes NAME.out from the answers (cert-manager mode)
run() {
  n=$1; shift
  { echo "apiVersion: k8tls-wizard/v1"; for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 60 "$K8TLS_BIN" --answers "$n.yaml" --output "$n.out" > "$n.stdout" 2> "$n.err"
  rc=$?
  check "$n: exit 0 (got $rc)" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || sed 's/^/    /' "$n.err"
}

# verify CASE NAME [ARG]: the objects, kustomize, NEXT-STEPS
verify() {
  c=$1; n=$2; shift 2
  "$PY" "$CHECK" "$c" "$n.out" "$@" > "$n.check" 2>&1
  rc=$?
  check "$n: the objects and refs are right" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || sed 's/^/    /' "$n.check"
  kubectl kustomize "$n.out" > "$n.kust" 2> "$n.kerr"
  rc=$?
  check "$n: kubectl kustomize reads it offline" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || sed 's/^/    /' "$n.kerr"
  # kustomize keeps the apply order of kustomization.yaml: the cluster last
  check "$n: kustomize's last object is the cluster" \
    [ "$(grep '^kind:' "$n.kust" | tail -n 1)" = "kind: K8ssandraCluster" ]
  ns="$n.out/NEXT-STEPS.md"
  check "$n: NEXT-STEPS checks cert-manager is installed" \
    grep -q 'kubectl get crd certificates.cert-manager.io' "$ns"
  check "$n: NEXT-STEPS waits for each Certificate" \
    grep -q 'kubectl -n k8ssandra-operator wait --for=condition=Ready certificate/server-encryption-stores' "$ns"
  check "$n: NEXT-STEPS applies the cluster after the wait" \
    sh -c "grep -n 'wait --for=condition=Ready' '$ns' | tail -n 1 | cut -d: -f1 >w; \
           grep -n 'kubectl apply -f manifests/20-k8ssandracluster.yaml' '$ns' | cut -d: -f1 >a; \
           [ \"\$(cat a)\" -gt \"\$(cat w)\" ]"
  check "$n: NEXT-STEPS says what renewal does to running pods" \
    grep -q 'rotationPolicy: Always' "$ns"
  check "$n: NEXT-STEPS has no '1 Certificates'" sh -c "! grep -q ' 1 Certificates' '$ns'"
}

run default 'output: {mode: cert-manager}'
verify default default
check "default: 4 Certificates counted in NEXT-STEPS" \
  grep -q 'for cert-manager: 4 Certificates that' default.out/NEXT-STEPS.md
check "default: NEXT-STEPS says a new CA breaks without trust-manager" \
  grep -q 'Use `trustManager: true`' default.out/NEXT-STEPS.md
check "default: NEXT-STEPS nodetool reads the password Secret" \
  grep -q "SECRET=client-encryption-stores-password" default.out/NEXT-STEPS.md
check "default: NEXT-STEPS says a new run makes new passwords" \
  grep -q 'running the wizard again makes new ones' default.out/NEXT-STEPS.md
check "default: stderr counts the Certificates, no key made" \
  grep -q '4 Certificates for cert-manager to issue in the cluster; no key was made here' default.err
check "default: stderr says no keys are generated" \
  sh -c "! grep -q 'keys 1/' default.err"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
  -days 3650 -subj "/O=Acme/CN=Acme CA" 2>/dev/null
run imported 'ca: {source: import, import: {cert: ca.crt, key: ca.key}}' \
  'output: {mode: cert-manager}'
verify imported imported "$t/ca.crt"
check "imported: the CA Secret is 0600" [ "$(stat -c %a imported.out/manifests/10-secret-test-ca.yaml)" = 600 ]

run cluster-issuer 'output: {mode: cert-manager, issuerKind: ClusterIssuer}'
verify cluster-issuer cluster-issuer
check "cluster-issuer: NEXT-STEPS names the cluster resource namespace" \
  grep -q -- '--cluster-resource-namespace' cluster-issuer.out/NEXT-STEPS.md

export CM_TEST_KS_PW=abcdefgh12345678
run jks 'stores: {format: jks, server: {keystorePassword: env:CM_TEST_KS_PW}, client: {keystorePassword: env:CM_TEST_KS_PW}}' \
  'output: {mode: cert-manager}'
verify jks jks
check "jks: the given password is in the password Secret" \
  sh -c "grep 'keystore-password:' jks.out/manifests/10-secret-server-encryption-stores-password.yaml | awk '{print \$2}' | base64 -d | grep -qx abcdefgh12345678"
check "jks (passwords given): NEXT-STEPS does not say they were generated" \
  sh -c "! grep -q 'running the wizard again makes new ones' jks.out/NEXT-STEPS.md"

run trust-manager 'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}'
verify trust-manager trust-manager
ns=trust-manager.out/NEXT-STEPS.md
check "trust-manager: NEXT-STEPS names the Secret-target flag" \
  grep -q -- '--secret-targets-enabled' "$ns"
check "trust-manager: NEXT-STEPS names the Helm values" \
  grep -q 'secretTargets.authorizedSecrets={test-ca-bundle}' "$ns"
check "trust-manager: NEXT-STEPS lists the Bundle's target Secret" \
  grep -q '| Bundle `test-ca-bundle` | `k8ssandra-operator` | `test-ca-bundle` | ca.crt, truststore.p12 |' "$ns"
check "trust-manager: NEXT-STEPS waits for the Bundle" \
  grep -q 'kubectl wait --for=condition=Synced bundle/test-ca-bundle' "$ns"

run surfaces 'cluster: {reaper: {enabled: true}}' \
  'encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}' \
  'output: {mode: cert-manager}'
verify surfaces surfaces
check "surfaces: NEXT-STEPS says Reaper's changeit is no secret" \
  grep -q 'Reaper hard-codes it' surfaces.out/NEXT-STEPS.md

# a CA imported for the management API: its Secret and CA Issuer; its Certificates (and Reaper's
# client of the management API, R2) issued by it; the CA subject's O in the leaves
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mca.key \
  -out mca.crt -days 3650 -subj "/CN=Mgmt CA" 2>/dev/null
run surface-ca 'cluster: {reaper: {enabled: true}}' 'ca: {subject: {O: Acme}}' \
  'encryption: {managementApi: {enabled: true, ca: {source: import, import: {cert: mca.crt, key: mca.key}}}}' \
  'output: {mode: cert-manager}'
"$PY" - surface-ca.out > surface-ca.check 2>&1 <<'PYEOF'
import base64, os, sys, yaml
d = sys.argv[1]
load = lambda f: yaml.safe_load(open(os.path.join(d, "manifests", f)))
sec = load("10-secret-test-mgmt-api-ca.yaml")
assert sec["type"] == "kubernetes.io/tls", sec
assert base64.b64decode(sec["data"]["tls.crt"]).decode().strip() == open("mca.crt").read().strip()
iss = load("13-issuer-test-mgmt-api-ca-issuer.yaml")
assert iss["spec"] == {"ca": {"secretName": "test-mgmt-api-ca"}}, iss
for n in ("mgmt-api-server-tls", "mgmt-api-client-tls", "reaper-mgmt-api-stores"):
    ref = load("15-certificate-%s.yaml" % n)["spec"]["issuerRef"]["name"]
    assert ref == "test-mgmt-api-ca-issuer", (n, ref)
srv = load("15-certificate-server-encryption-stores.yaml")["spec"]
assert srv["issuerRef"]["name"] == "test-ca-issuer", srv["issuerRef"]
assert srv["subject"] == {"organizations": ["Acme"]}, srv.get("subject")
PYEOF
rc=$?
check "surface-ca: its Secret, its Issuer, its Certificates" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/    /' surface-ca.check
check "surface-ca: kubectl kustomize reads it" sh -c 'kubectl kustomize surface-ca.out >/dev/null'

# extraSANs: IP literals (v4 and v6) go to ipAddresses, names (even all digits) to dnsNames
run sans 'certificates: {extraSANs: ["10.0.0.7", "fd00::1", "cassandra.example.com", "123"]}' \
  'output: {mode: cert-manager}'
"$PY" - sans.out/manifests/15-certificate-server-encryption-stores.yaml > sans.check 2>&1 <<'PYEOF'
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["spec"]
assert s["ipAddresses"] == ["127.0.0.1", "10.0.0.7", "fd00::1"], s["ipAddresses"]
assert "cassandra.example.com" in s["dnsNames"] and "123" in s["dnsNames"], s["dnsNames"]
PYEOF
rc=$?
check "sans: IP literals in ipAddresses, names in dnsNames" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/    /' sans.check

# output.certManagerNamespace: the ClusterIssuer's CA and trust-manager's sources live there
run cmns 'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true, certManagerNamespace: cm-system}'
check "cmns: the CA Certificate is in cm-system" \
  grep -q '^  namespace: cm-system$' cmns.out/manifests/12-certificate-test-ca.yaml
check "cmns: NEXT-STEPS checks trust-manager in cm-system" \
  grep -q 'kubectl -n cm-system get deploy trust-manager' cmns.out/NEXT-STEPS.md
check "cmns: answers.yaml keeps it" grep -q 'certManagerNamespace: cm-system' cmns.out/answers.yaml
# trustManager with a namespaced Issuer works when the cluster runs in trust-manager's namespace
run tm-same-ns 'cluster: {namespace: cm-system}' \
  'output: {mode: cert-manager, trustManager: true, certManagerNamespace: cm-system}'
check "tm-same-ns: a Bundle reading the CA Secret of the Issuer" \
  grep -q 'name: test-ca$' tm-same-ns.out/manifests/17-bundle-test-ca-bundle.yaml

# merge mode: an existing manifest gets cert-manager's refs (its Medusa Secret migrated to them)
fx="$K8TLS_SRCDIR/tests/bundle/fixtures/real"
run merge "cluster: {manifest: $fx/medusa-both.yaml}" 'output: {mode: cert-manager}' \
  'rollout: {mode: oneShot}'
"$PY" - merge.out/manifests/20-k8ssandracluster.yaml > merge.check 2>&1 <<'PYEOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))["spec"]
m = spec["medusa"]
assert "certificatesSecretRef" not in m, m
assert m["clientEncryptionStores"]["truststorePasswordSecretRef"] == \
    {"name": "client-certificates", "key": "tls.key"}, m
s = spec["cassandra"]["serverEncryptionStores"]
assert s["keystoreSecretRef"] == {"name": "server-encryption-stores", "key": "keystore.p12"}, s
assert s["keystorePasswordSecretRef"]["name"] == "server-encryption-stores-password", s
PYEOF
check "merge: the manifest's refs are cert-manager's" [ $? -eq 0 ]
check "merge: the migration note names cert-manager's keys" \
  grep -q 'truststorePasswordSecretRef=tls.key' merge.err
check "merge: NEXT-STEPS lists the changes" grep -q '^- migrated: `spec.medusa.certificatesSecretRef`' merge.out/NEXT-STEPS.md
echo "apiVersion: k8tls-wizard/v1
cluster: {manifest: $fx/no-namespace.yaml}
output: {mode: cert-manager, issuerKind: ClusterIssuer}
rollout: {mode: oneShot}" > nons.yaml
timeout 60 "$K8TLS_BIN" --answers nons.yaml --output nons.out > nons.stdout 2> nons.err
rc=$?
check "merge without a namespace and ClusterIssuer: exit 1 (got $rc)" [ $rc -eq 1 ]
check "merge without a namespace and ClusterIssuer: one error naming cluster.namespace" \
  sh -c "[ \$(grep -c 'error:' nons.err) -eq 1 ] && grep -q 'error: cluster.namespace: the manifest has no metadata.namespace' nons.err"

# a manifest without a namespace, namespaced Issuers: kustomize and NEXT-STEPS put them in one
run nons2 "cluster: {manifest: $fx/no-namespace.yaml}" 'output: {mode: cert-manager}' \
  'rollout: {mode: oneShot}'
check "nons2: NEXT-STEPS applies with -n" \
  grep -q 'kubectl apply -n k8ssandra-operator -f manifests/20-k8ssandracluster.yaml' nons2.out/NEXT-STEPS.md
kubectl kustomize nons2.out > nons2.kust 2>&1
check "nons2: kustomize puts every Certificate in the namespace" \
  "$PY" -c "
import sys, yaml
docs = [d for d in yaml.safe_load_all(open('nons2.kust')) if d]
certs = [d for d in docs if d['kind'] in ('Certificate', 'Issuer', 'Secret')]
sys.exit(not certs or any(d['metadata'].get('namespace') != 'k8ssandra-operator' for d in certs))"
# ... and applied with -n as NEXT-STEPS says, or with another -n: every object is written without
# a namespace (the CA Certificate too), so the Issuers find the CA Secret wherever they land
check "nons2: no object of the directory names a namespace" \
  "$PY" -c "
import glob, sys, yaml
docs = [d for f in sorted(glob.glob('nons2.out/manifests/*.yaml')) for d in yaml.safe_load_all(open(f)) if d]
bad = [d['kind'] + '/' + d['metadata']['name'] for d in docs if 'namespace' in d['metadata']]
print(bad) if bad else None
sys.exit(not docs or bool(bad))"

# inspect on a cert-manager directory: no key here, Certificates for cert-manager; exit 0
for n in default imported trust-manager surfaces; do
  timeout 60 "$K8TLS_BIN" inspect "$n.out" > "$n.insp" 2>&1
  rc=$?
  check "inspect $n: exit 0 (got $rc)" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || sed 's/^/    /' "$n.insp"
  check "inspect $n: says the directory holds no key" \
    grep -q "^$n.out: cert-manager output directory" "$n.insp"
  check "inspect $n: no error, no warning" grep -q 'errors: 0, warnings: 0' "$n.insp"
done
check "inspect default: counts the Certificates" \
  grep -q 'holds no key and no store: 4 Certificates for cert-manager to issue' default.insp
check "inspect default: each Certificate names its Secret" \
  grep -q 'into the Secret server-encryption-stores; inspect that Secret there' default.insp
check "inspect trust-manager: the Bundle is no PEM file" \
  grep -q 'manifests/17-bundle-test-ca-bundle.yaml: trust-manager Bundle' trust-manager.insp
check "inspect imported: reads the imported CA's Secret" \
  grep -q 'Secret test-ca: tls.key: PEM file: private key (EC P-256)' imported.insp
timeout 60 "$K8TLS_BIN" inspect default.out/manifests/15-certificate-client-certificates.yaml \
  > one.insp 2>&1
check "inspect one Certificate file: exit 0" [ $? -eq 0 ]

# nothing encrypted: only the CA Certificate: one, in the singular
run single 'cluster: {medusa: {enabled: false}}' \
  'encryption: {internode: {mode: none}, client: {enabled: false}, medusa: {enabled: false}}' \
  'output: {mode: cert-manager}'
check "single: NEXT-STEPS says 1 Certificate" \
  grep -q 'for cert-manager: 1 Certificate that cert-manager issues' single.out/NEXT-STEPS.md
check "single: stderr says 1 Certificate" grep -q ': 1 Certificate for cert-manager to issue' single.err
timeout 60 "$K8TLS_BIN" inspect single.out > single.insp 2>&1
check "inspect single: exit 0" [ $? -eq 0 ]
check "inspect single: 1 Certificate, in the singular" \
  grep -q 'holds no key and no store: 1 Certificate for cert-manager to issue' single.insp

# --output-mode overrides output.mode, both ways
echo 'apiVersion: k8tls-wizard/v1' > files.yaml
timeout 60 "$K8TLS_BIN" --answers files.yaml --output-mode cert-manager --output om1 >/dev/null 2>&1
check "--output-mode cert-manager over files answers: Certificates, no stores" \
  sh -c '[ -f om1/manifests/15-certificate-server-encryption-stores.yaml ] && [ ! -d om1/stores ]'
check "--output-mode cert-manager: answers.yaml records the mode" \
  grep -q 'mode: cert-manager' om1/answers.yaml
timeout 60 "$K8TLS_BIN" --answers default.yaml --output-mode files --output om2 >/dev/null 2>&1
check "--output-mode files over cert-manager answers: stores, no Certificate" \
  sh -c '[ -d om2/stores ] && ! ls om2/manifests | grep -q ^15-certificate'
timeout 60 "$K8TLS_BIN" --defaults --output-mode nope --output om3 >/dev/null 2>om3.err
rc=$?
check "--output-mode nope: usage error 2 (got $rc)" [ $rc -eq 2 ]
check "--output-mode nope: says the modes" grep -q "expected files or cert-manager" om3.err

# --help, the man page and the completion know the option and its values
"$K8TLS_BIN" --help > help.txt 2>&1
check "--help documents --output-mode MODE" grep -q -- '--output-mode MODE' help.txt
check "the man page documents --output-mode" \
  grep -q -- 'output\\-mode' "$K8TLS_SRCDIR/doc/k8tls-wizard.1"
got=$(bash --norc --noprofile -c '
  source "$0" || exit 9
  COMP_LINE="k8tls-wizard --output-mode c"; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(k8tls-wizard --output-mode c); COMP_CWORD=2; COMPREPLY=()
  _k8tls_wizard k8tls-wizard c --output-mode
  printf "%s\n" "${COMPREPLY[@]}"' "$K8TLS_SRCDIR/completion/k8tls-wizard.bash")
check "completion: --output-mode c completes to cert-manager (got: $got)" [ "$got" = "cert-manager" ]

# refusals: exit 1, exactly one error line, file:line:col and the key, nothing written
refused() { # NAME KEY-REGEX ANSWER-LINES...
  n=$1; want=$2; shift 2
  { echo "apiVersion: k8tls-wizard/v1"; for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 60 "$K8TLS_BIN" --answers "$n.yaml" --output "$n.out" > "$n.stdout" 2> "$n.err"
  rc=$?
  check "$n: exit 1 (got $rc)" [ $rc -eq 1 ]
  check "$n: exactly one error line" [ "$(grep -c 'error:' "$n.err")" -eq 1 ]
  check "$n: names the key at its place" grep -q -- "^$n.yaml:$want" "$n.err"
  [ $rc -eq 1 ] && grep -q -- "^$n.yaml:$want" "$n.err" || sed 's/^/    /' "$n.err"
  check "$n: writes nothing" [ ! -e "$n.out" ]
}
# legacy on a Java 11+ server: readable there (3DES, SHA-1: Java 17 and OpenSSL 3 read it), so
# a warning naming the key, and LegacyDES, never cert-manager's default LegacyRC2
run legacy-java17 'cluster: {serverVersion: "5.0.4"}' 'output: {mode: cert-manager}' \
  'stores: {pkcs12Profile: legacy}'
check "legacy-java17: one warning naming the key at its place" \
  sh -c "[ \$(grep -c 'warning:' legacy-java17.err) -eq 1 ] && grep -q '^legacy-java17.yaml:4:[0-9]*: warning: stores.pkcs12Profile: legacy makes cert-manager write a legacy PKCS#12 profile' legacy-java17.err"
check "legacy-java17: the Certificates ask for LegacyDES" \
  grep -q '^      profile: LegacyDES$' legacy-java17.out/manifests/15-certificate-server-encryption-stores.yaml
check "legacy-java17: no Certificate asks for LegacyRC2" \
  sh -c "! grep -rq 'LegacyRC2' legacy-java17.out/manifests"
refused one-way-reaper '3:[0-9]*: error: encryption.reaper.clientSecretName: Reaper.s API TLS must be mutual' \
  'cluster: {reaper: {enabled: true}}' 'encryption: {reaper: {enabled: true, clientSecretName: ""}}' \
  'output: {mode: cert-manager}'
refused imported-stores '4:[0-9]*: error: stores.server.source: cert-manager issues the certificates inside the cluster' \
  'output: {mode: cert-manager}' 'stores:' \
  '  server: {source: import, import: {keystore: ks.p12, keystorePassword: abcdefgh1234, truststore: ts.p12, truststorePassword: abcdefgh1234}}'
refused custom-key '4:[0-9]*: error: stores.client.keys.keystore: cert-manager writes the keystore under its own key' \
  'output: {mode: cert-manager}' 'stores:' '  client: {keys: {keystore: my-keystore}}'
refused truststore-pw '4:[0-9]*: error: stores.server.truststorePassword: cert-manager writes the truststore with the keystore.s password' \
  'output: {mode: cert-manager}' 'stores:' '  server: {truststorePassword: abcdefgh1234}'
refused two-contexts '3:[0-9]*: error: cluster.datacenters\[1\].k8sContext: with datacenters in several Kubernetes contexts' \
  'output: {mode: cert-manager}' \
  'cluster: {datacenters: [{name: dc1, size: 3}, {name: dc2, size: 3, k8sContext: east}]}'
refused tm-namespaced '2:[0-9]*: error: output.trustManager: trust-manager reads the CA for its Bundle from its trust namespace (cert-manager) only' \
  'output: {mode: cert-manager, trustManager: true}'
refused medusa-import '4:[0-9]*: error: encryption.medusa.source: cert-manager issues Medusa.s certificate' \
  'output: {mode: cert-manager}' 'encryption:' \
  '  medusa: {source: import, import: {ca: a.crt, cert: b.crt, key: c.key}}'
refused own-name '4:[0-9]*: error: stores.server.secretName: .test-ca. is a name cert-manager mode writes for itself' \
  'output: {mode: cert-manager}' 'stores:' '  server: {secretName: test-ca}'
refused password-name '4:[0-9]*: error: encryption.medusa.secretName: .server-encryption-stores-password. is the password Secret' \
  'output: {mode: cert-manager}' 'encryption:' '  medusa: {secretName: server-encryption-stores-password}'
long=$(printf 'a%.0s' $(seq 1 60))
refused long-name "4:[0-9]*: error: stores.server.secretName: '$long' leaves no room for its password Secret" \
  'output: {mode: cert-manager}' 'stores:' "  server: {secretName: $long}"
finish
