#!/bin/sh
# SPEC §10 (M1, M2, R1, R2, G1): with every surface on, the wizard writes the Secrets of the
# management API, Reaper and Medusa's gRPC from the cluster CA, before the cluster (M2), and the
# manifest fields the CRD knows; their consumers accept them: openssl (PKCS#8 keys, both
# cross-checks of cass-operator, EKUs, SANs), keytool (Reaper's JKS with changeit), Python ssl
# and a JSSE peer (surfaces_tls.py, ReaperPeer.java), the CRD with unknown fields refused.
# With the surfaces off, nothing of them appears.
. "$K8TLS_SRCDIR/tests/lib.sh"
need_reference
need openssl keytool java javac timeout
verify() { openssl verify "$@" >/dev/null 2>&1; }
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

run() { # NAME ANSWER-LINES...: writes NAME.yaml, runs the wizard into NAME
  n=$1; shift
  { echo "apiVersion: k8tls-wizard/v1"; for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$n.yaml" --output "$n" > "$n.log" 2>&1
}
ALL='encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}'
run all 'cluster: {name: prod, namespace: cass}' 'ca: {key: {algorithm: ecdsa, curve: P-256}}' "$ALL"
check "every surface on (ECDSA): written" [ -f all/NEXT-STEPS.md ]
run rsa 'ca: {key: {algorithm: rsa, size: 2048}}' "$ALL"
check "every surface on (RSA 2048): written" [ -f rsa/NEXT-STEPS.md ]
run off 'ca: {key: {algorithm: ecdsa, curve: P-256}}' \
  'encryption: {managementApi: {enabled: false}, reaper: {enabled: false}, medusaGrpc: {enabled: false}}'
check "surfaces off: no tls/ directory" [ ! -e off/tls ]
check "surfaces off: no Secret of theirs" sh -c '! ls off/manifests | grep -q "mgmt-api\|reaper\|grpc"'
check "surfaces off: no field of theirs" \
  sh -c '! grep -q "managementApiAuth\|httpManagement\|serviceProperties\|encryption:$" off/manifests/20-k8ssandracluster.yaml'

M=all/manifests
for s in mgmt-api-server-tls mgmt-api-client-tls reaper-api-client-tls medusa-grpc-server-tls medusa-grpc-client-tls; do
  check "$s: type kubernetes.io/tls" grep -q '^type: kubernetes.io/tls$' "$M/10-secret-$s.yaml"
  check "$s: keys ca.crt, tls.crt, tls.key" \
    sh -c "[ \"\$(sed -n '/^data:/,\$p' $M/10-secret-$s.yaml | sed -n 's/^  \([a-z.]*\):.*/\1/p' | tr '\n' ' ')\" = 'ca.crt tls.crt tls.key ' ]"
done
for s in reaper-api-server-stores reaper-mgmt-api-stores; do
  check "$s: keys keystore.jks, truststore.jks" \
    sh -c "[ \"\$(sed -n '/^data:/,\$p' $M/10-secret-$s.yaml | sed -n 's/^  \([a-z.]*\):.*/\1/p' | tr '\n' ' ')\" = 'keystore.jks truststore.jks ' ]"
done
check "M2: every Secret comes before the cluster in kustomization.yaml" \
  sh -c "tail -1 all/kustomization.yaml | grep -q 20-k8ssandracluster && [ \$(grep -c 10-secret- all/kustomization.yaml) -eq 10 ]"
check "M2: NEXT-STEPS.md says the management API Secrets come first" \
  grep -q 'validates .* once' all/NEXT-STEPS.md

for d in all rsa; do
  T=$d/tls
  # M1: PKCS#8 keys and cass-operator's two cross-checks
  for s in mgmt-api-server-tls mgmt-api-client-tls; do
    check "$d: $s tls.key is PKCS#8 (BEGIN PRIVATE KEY) and parses" \
      sh -c "head -1 $T/$s/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----' && openssl pkey -in $T/$s/tls.key -noout"
    check "$d: $s key matches its certificate" \
      sh -c "[ \"\$(openssl pkey -in $T/$s/tls.key -pubout)\" = \"\$(openssl x509 -in $T/$s/tls.crt -noout -pubkey)\" ]"
    check "$d: $s EKU serverAuth and clientAuth (Go's default check)" \
      sh -c "openssl x509 -in $T/$s/tls.crt -noout -ext extendedKeyUsage | grep -q 'TLS Web Server Authentication, TLS Web Client Authentication'"
  done
  check "$d: M1 the server's ca.crt verifies the client's tls.crt and its own" \
    verify -CAfile $T/mgmt-api-server-tls/ca.crt $T/mgmt-api-client-tls/tls.crt $T/mgmt-api-server-tls/tls.crt
  check "$d: M1 the client's ca.crt verifies the server's tls.crt" \
    verify -CAfile $T/mgmt-api-client-tls/ca.crt $T/mgmt-api-server-tls/tls.crt
  check "$d: G1 the gRPC server's ca.crt verifies the client's and its own" \
    verify -CAfile $T/medusa-grpc-server-tls/ca.crt $T/medusa-grpc-client-tls/tls.crt $T/medusa-grpc-server-tls/tls.crt
  check "$d: G1 the gRPC server certificate names localhost, 127.0.0.1, ::1" \
    sh -c "openssl x509 -in $T/medusa-grpc-server-tls/tls.crt -noout -ext subjectAltName | grep -q 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1'"
  # R1, R2: keytool with Reaper's fixed password
  for s in reaper-api-server-stores reaper-mgmt-api-stores; do
    keytool -list -keystore $T/$s/keystore.jks -storepass changeit > ks.out 2>&1
    check "$d: $s keystore.jks opens with changeit: one PrivateKeyEntry" \
      sh -c "grep -q 'Keystore type: JKS' ks.out && grep -q 'contains 1 entry' ks.out && [ \$(grep -c PrivateKeyEntry ks.out) -eq 1 ]"
    keytool -list -keystore $T/$s/truststore.jks -storepass changeit > ts.out 2>&1
    check "$d: $s truststore.jks opens with changeit: one trustedCertEntry" \
      sh -c "grep -q 'contains 1 entry' ts.out && [ \$(grep -c trustedCertEntry ts.out) -eq 1 ]"
    check "$d: $s truststore.jks holds the cluster CA" \
      sh -c "[ \"\$(keytool -list -rfc -keystore $T/$s/truststore.jks -storepass changeit | sed -n '/BEGIN/,/END/p' | openssl x509 -noout -fingerprint -sha256)\" = \"\$(openssl x509 -in $d/ca/rootca.crt -noout -fingerprint -sha256)\" ]"
  done
  check "$d: R1 the key entry opens with changeit too (keytool -srckeypass)" \
    sh -c "keytool -importkeystore -srcalias reaper-api-server -srckeystore $T/reaper-api-server-stores/keystore.jks -srcstorepass changeit -srckeypass changeit -destkeystore $d-copy.p12 -deststoretype pkcs12 -deststorepass changeit -noprompt >/dev/null 2>&1"
done
if [ -f all/NEXT-STEPS.md ]; then
  check "R1: the Reaper server certificate names its Service" \
    sh -c "keytool -list -v -keystore all/tls/reaper-api-server-stores/keystore.jks -storepass changeit | grep -q 'DNSName: prod-dc1-reaper-service.cass.svc'"
fi

# the manifest against the CRD, every object with properties closed (a misspelt field fails)
cat > crd.py <<'PY'
import sys, yaml
from jsonschema import Draft4Validator
crd = yaml.safe_load(open(sys.argv[1]))
schema = [v for v in crd["spec"]["versions"] if v.get("storage")][0]["schema"]["openAPIV3Schema"]
def close(s):
    if isinstance(s, dict):
        if "properties" in s and not s.get("x-kubernetes-preserve-unknown-fields"):
            s.setdefault("additionalProperties", False)
        for v in s.values():
            close(v)
    elif isinstance(s, list):
        for v in s:
            close(v)
close(schema)
doc = yaml.safe_load(open(sys.argv[2]))
errs = list(Draft4Validator(schema).iter_errors(doc))
for e in errs[:5]:
    print(".".join(map(str, e.path)), e.message)
spec = doc["spec"]
need = [spec["cassandra"]["managementApiAuth"]["manual"],
        spec["reaper"]["encryption"], spec["reaper"]["httpManagement"]["keystores"],
        spec["medusa"]["serviceProperties"]["encryption"]]
sys.exit(1 if errs or not all(need) else 0)
PY
for d in all rsa; do
  check "$d: the K8ssandraCluster with every surface validates against the CRD (closed objects)" \
    "$PY" crd.py "$CRD" $d/manifests/20-k8ssandracluster.yaml
done
sed 's/serverCertName/serverCertNmae/' all/manifests/20-k8ssandracluster.yaml > typo.yaml
check "... and the closed check is no rubber stamp (a misspelt field fails)" \
  sh -c "! '$PY' crd.py '$CRD' typo.yaml >/dev/null"
check "manifest: managementApiAuth.manual names both Secrets" \
  sh -c "grep -A3 'managementApiAuth:' $M/20-k8ssandracluster.yaml | grep -q 'clientSecretName: mgmt-api-client-tls' && grep -A3 'managementApiAuth:' $M/20-k8ssandracluster.yaml | grep -q 'serverSecretName: mgmt-api-server-tls'"
if "$PY" "$K8TLS_SRCDIR/tests/bundle/krules.py" --crd "$CRD" all rsa > krules.log 2>&1; then
  pass "krules: K1-K8, K10, K13, K14 still hold with every surface ($(tail -1 krules.log))"
else
  fail "krules"; grep -v '^ok:' krules.log | sed 's/^/    /'
fi

# handshakes
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout foreign.key \
  -out foreign.crt -days 30 -subj "/CN=foreign" 2>/dev/null
mkdir classes
check "ReaperPeer.java compiles" javac -d classes "$K8TLS_SRCDIR/tests/interop/ReaperPeer.java"
for d in all rsa; do
  host=prod-dc1-reaper-service.cass
  [ $d = rsa ] && host=test-dc1-reaper-service.k8ssandra-operator.svc
  if timeout 120 "$PY" "$K8TLS_SRCDIR/tests/interop/surfaces_tls.py" $d foreign.crt foreign.key \
       $host --java "$t/classes" > hs-$d.log 2>&1; then
    pass "$d: every handshake of M1, G1, R1, R2 ($(grep -c '^ok:' hs-$d.log) checks)"
  else
    fail "$d: handshakes"; sed 's/^/    /' hs-$d.log
  fi
  grep '^ok:\|^FAIL:' hs-$d.log | sed 's/^/  /'
done
finish
