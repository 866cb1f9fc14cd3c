#!/bin/sh
# A CA imported per surface (SPEC §10: "each surface may import its own CA"): three CAs made by
# openssl (RSA for the management API, ECDSA for Reaper, one with an encrypted key for Medusa's
# gRPC, its password from env:) sign that surface's leaves, which `openssl verify` accepts against
# that CA and not against the cluster CA; each Secret's ca.crt is that CA; Reaper's management
# stores (R2) come from the management API's CA; a surface without one keeps the cluster CA. The
# import is checked like ca.import: no key, not a CA, a key that does not match, an expired CA, an
# encrypted key without its password are refused naming the answers key, and nothing is written.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl keytool timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
verify() { openssl verify -CAfile "$@" >/dev/null 2>&1; }
mkca() { # NAME DAYS KEYARGS...
  n=$1; d=$2; shift 2
  openssl req -x509 "$@" -keyout $n.key -out $n.crt -days $d -subj "/CN=$n surface CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    2>/dev/null
}
mkca mgmt 400 -newkey rsa:2048 -nodes
mkca reaper 400 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes
mkca grpc 400 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -passout pass:grpc-secret
check "three CAs made (the gRPC one with an encrypted key)" \
  sh -c "[ -s mgmt.crt ] && [ -s reaper.crt ] && grep -q 'ENCRYPTED PRIVATE KEY' grpc.key"

run() { # NAME ENCRYPTION-LINES...
  n=$1; shift
  { echo "apiVersion: k8tls-wizard/v1"; echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"
    echo "encryption:"; for l in "$@"; do echo "  $l"; done; } > $n.yaml
  GRPC_CA_PW=grpc-secret timeout 120 "$K8TLS_BIN" --answers $n.yaml --output $n > $n.log 2>&1
}
run own 'managementApi: {enabled: true, ca: {source: import, import: {cert: mgmt.crt, key: mgmt.key}}}' \
  'reaper: {enabled: true, ca: {source: import, import: {cert: reaper.crt, key: reaper.key}}}' \
  'medusaGrpc: {enabled: true, ca: {source: import, import: {cert: grpc.crt, key: grpc.key, keyPassword: "env:GRPC_CA_PW"}}}'
rc=$?
check "every surface with its own imported CA: written (exit $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat own.log
T=own/tls
for s in mgmt-api-server-tls:mgmt mgmt-api-client-tls:mgmt reaper-api-client-tls:reaper \
         medusa-grpc-server-tls:grpc medusa-grpc-client-tls:grpc; do
  sec=${s%%:*}; ca=${s#*:}
  check "$sec: tls.crt verifies against the imported $ca CA" verify $ca.crt $T/$sec/tls.crt
  check "$sec: ... and not against the cluster CA" sh -c "! openssl verify -CAfile own/ca/rootca.crt $T/$sec/tls.crt >/dev/null 2>&1"
  check "$sec: ca.crt is the $ca CA" cmp -s $T/$sec/ca.crt $ca.crt
done
check "M1 the server's ca.crt verifies the client's and its own" \
  verify $T/mgmt-api-server-tls/ca.crt $T/mgmt-api-client-tls/tls.crt $T/mgmt-api-server-tls/tls.crt
check "G1 the gRPC server's ca.crt verifies the client's and its own" \
  verify $T/medusa-grpc-server-tls/ca.crt $T/medusa-grpc-client-tls/tls.crt $T/medusa-grpc-server-tls/tls.crt
jks_cert() { # STORE OUT: the PEM of the first entry (keytool again if a loaded machine made
  # its JVM fail to start; what it said is kept in OUT.err)
  for try in 1 2 3; do
    keytool -list -rfc -keystore "$1" -storepass changeit 2>"$2.err" |
      sed -n '/BEGIN/,/END/p' | sed '/END/q' > "$2"
    [ -s "$2" ] && return 0
    echo "  (keytool -list $1: no certificate on try $try: $(head -c 300 "$2.err"))"
  done
  return 1
}
for s in reaper-api-server-stores:reaper reaper-mgmt-api-stores:mgmt; do
  sec=${s%%:*}; ca=${s#*:}
  jks_cert $T/$sec/keystore.jks $sec.leaf.pem
  check "$sec: keystore.jks' certificate verifies against the $ca CA" verify $ca.crt $sec.leaf.pem
  jks_cert $T/$sec/truststore.jks $sec.trust.pem
  check "$sec: truststore.jks holds the $ca CA" \
    sh -c "[ \"\$(openssl x509 -in $sec.trust.pem -noout -fingerprint -sha256)\" = \"\$(openssl x509 -in $ca.crt -noout -fingerprint -sha256)\" ]"
done
check "the imported CAs' keys are not written to the output" \
  sh -c "! grep -rqF \"\$(sed -n 2p mgmt.key)\" own && ! grep -rqF \"\$(sed -n 2p reaper.key)\" own"
check "the node stores keep the cluster CA" \
  sh -c "openssl pkcs12 -in own/stores/server-encryption-stores/keystore -passin file:own/stores/server-encryption-stores/keystore-password -nokeys -clcerts 2>/dev/null | openssl verify -CAfile own/ca/rootca.crt >/dev/null 2>&1"

run mixed 'managementApi: {enabled: true}' \
  'medusaGrpc: {enabled: true, ca: {source: import, import: {cert: grpc.crt, key: grpc.key, keyPassword: "env:GRPC_CA_PW"}}}'
check "one surface imported, one not: written" [ -f mixed/NEXT-STEPS.md ]
check "the surface without an import keeps the cluster CA" \
  verify mixed/ca/rootca.crt mixed/tls/mgmt-api-server-tls/tls.crt mixed/tls/mgmt-api-client-tls/tls.crt
check "... and Reaper's management stores too (R2 follows the management API)" \
  sh -c "jks_cert() { keytool -list -rfc -keystore \"\$1\" -storepass changeit 2>/dev/null | sed -n '/BEGIN/,/END/p' | sed '/END/q'; }; jks_cert mixed/tls/reaper-mgmt-api-stores/keystore.jks > m.pem; openssl verify -CAfile mixed/ca/rootca.crt m.pem >/dev/null 2>&1"
check "the imported surface uses its CA" verify grpc.crt mixed/tls/medusa-grpc-server-tls/tls.crt

# refused like ca.import, naming the key, nothing written
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
  -out leaf.crt -days 30 -subj "/CN=not a CA" -addext basicConstraints=critical,CA:FALSE 2>/dev/null
# an expired CA: self-signed by `openssl ca`, which takes both dates
mkdir db && : > db/index.txt && echo 01 > db/serial
cat > ca.cnf <<'CNF'
[ca]
default_ca = c
[c]
database = db/index.txt
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
x509_extensions = e
unique_subject = no
[p]
commonName = supplied
[e]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
CNF
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out old.key 2>/dev/null
openssl req -new -key old.key -subj "/CN=old CA" -out old.csr 2>/dev/null
openssl ca -batch -config ca.cnf -selfsign -keyfile old.key -in old.csr -startdate 20200101000000Z \
  -enddate 20210101000000Z -out old.crt > ca.log 2>&1
check "an expired CA made" sh -c "openssl x509 -in old.crt -noout -enddate | grep -q 2021"
refused() { # NAME WHAT PATTERN ENCRYPTION-LINE
  n=$1; what=$2; pat=$3; shift 3
  run $n "$@"
  rc=$?
  check "$what: refused (exit $rc)" [ $rc -ne 0 ]
  check "$what: the message names it" grep -q -- "$pat" $n.log
  grep -q -- "$pat" $n.log || sed 's/^/    /' $n.log
  check "$what: nothing written" [ ! -e $n ]
}
refused nokey "no key" 'error: encryption.managementApi.ca.import.key: an imported CA needs the private key' \
  'managementApi: {enabled: true, ca: {source: import, import: {cert: mgmt.crt}}}'
refused nocert "no certificate" 'encryption.reaper.ca.import.cert: an imported CA needs the certificate' \
  'reaper: {enabled: true, ca: {source: import, import: {key: reaper.key}}}'
refused notca "not a CA" 'leaf.crt.*encryption.medusaGrpc.ca.import.cert' \
  'medusaGrpc: {enabled: true, ca: {source: import, import: {cert: leaf.crt, key: leaf.key}}}'
refused mismatch "a key that does not match" 'reaper.key: error: encryption.managementApi.ca.import.key: this key does not match the CA certificate mgmt.crt' \
  'managementApi: {enabled: true, ca: {source: import, import: {cert: mgmt.crt, key: reaper.key}}}'
refused expired "an expired CA" 'old.crt.*encryption.managementApi.ca.import.cert: .*expired' \
  'managementApi: {enabled: true, ca: {source: import, import: {cert: old.crt, key: old.key}}}'
refused nopw "an encrypted key without its password" 'encryption.medusaGrpc.ca.import.keyPassword' \
  'medusaGrpc: {enabled: true, ca: {source: import, import: {cert: grpc.crt, key: grpc.key}}}'

"$K8TLS_BIN" --print-answers > template.yaml 2>&1
check "the output's answers.yaml keeps the imports (cert path, key password reference)" \
  sh -c "grep -q 'managementApi: {enabled: true, .*ca: {source: import, import: {cert: .*mgmt.crt' own/answers.yaml && grep -q 'keyPassword: .env:GRPC_CA_PW' own/answers.yaml"
check "--print-answers: no ca key where the cluster CA signs (the default)" \
  sh -c "! grep -q 'ca: {source' template.yaml"
check "--print-answers: the comment says how to import one" \
  grep -q '^# ca, in each of them: the CA that signs its certificates' template.yaml
finish
