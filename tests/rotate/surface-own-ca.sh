#!/bin/sh
# A surface signed by a CA of its own (encryption.managementApi.ca: {source: import}) is a group
# of its own for rotate: the stage check ignores it, renew re-signs its certificates with that CA
# (its key from the answers' import.key and keyPassword, or a refusal naming the key), and the
# cluster CA's phases keep its Secrets byte for byte and say so in NEXT-STEPS.md.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=mgmt-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout mca.key -out mca.crt > ca.log 2>&1
cat > a.yaml <<A
apiVersion: k8tls-wizard/v1
cluster: {name: prod, namespace: cass}
ca: {key: {algorithm: ecdsa, curve: P-256}}
encryption:
  managementApi: {enabled: true, ca: {source: import, import: {cert: $t/mca.crt, key: $t/mca.key}}}
A
timeout 120 "$K8TLS_BIN" --answers a.yaml --output out > out.log 2>&1
check "bundle with the management API signed by its own CA" \
  sh -c "openssl verify -CAfile mca.crt out/tls/mgmt-api-server-tls/tls.crt >/dev/null 2>&1"
MS="mgmt-api-server-tls mgmt-api-client-tls"
rot() { timeout 120 "$K8TLS_BIN" rotate --from "$1" --phase "$2" --output "$3" -q > "$3.log" 2>&1; }

# ---- renew: the cluster stores by the cluster CA, the management API by its own CA ----
rot out renew r1
check "renew: succeeds (no 'different phases' refusal)" [ -f r1/rotation.yaml ]
check "renew: no 'different phases' message" sh -c "! grep -q 'different phases' r1.log"
for s in $MS; do
  check "renew: $s new certificate verifies against its own CA" \
    sh -c "openssl verify -CAfile mca.crt r1/tls/$s/tls.crt >/dev/null 2>&1"
  check "renew: $s certificate differs from the old one" \
    sh -c "! cmp -s r1/tls/$s/tls.crt out/tls/$s/tls.crt"
  check "renew: $s same subject, SANs and EKU as before" \
    sh -c "[ \"\$(openssl x509 -in r1/tls/$s/tls.crt -noout -subject -ext subjectAltName,extendedKeyUsage)\" = \"\$(openssl x509 -in out/tls/$s/tls.crt -noout -subject -ext subjectAltName,extendedKeyUsage)\" ]"
  check "renew: $s key is PKCS#8 and matches" \
    sh -c "head -1 r1/tls/$s/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----' && [ \"\$(openssl pkey -in r1/tls/$s/tls.key -pubout)\" = \"\$(openssl x509 -in r1/tls/$s/tls.crt -noout -pubkey)\" ]"
  check "renew: $s ca.crt unchanged (its own CA)" cmp -s r1/tls/$s/ca.crt out/tls/$s/ca.crt
done
check "renew: the cluster's server stores Secret renewed as usual" \
  sh -c "[ -f r1/manifests/10-secret-server-encryption-stores.yaml ] && ! cmp -s r1/manifests/10-secret-server-encryption-stores.yaml out/manifests/10-secret-server-encryption-stores.yaml"
check "renew: the cluster CA unchanged" cmp -s r1/ca/rootca.crt out/ca/rootca.crt
check "renew: NEXT-STEPS.md says the management API is signed by its own CA" \
  grep -q 'encryption.managementApi.*own CA' r1/NEXT-STEPS.md
check "renew: the summary says so too" grep -q 'signed by its own CA' r1.log

# ---- trust (the cluster CA's rotation): the management API Secrets are kept ----
rot out trust t1
check "trust: succeeds" [ -f t1/ca/next-rootca.crt ]
for s in $MS; do
  for f in ca.crt tls.crt tls.key; do
    check "trust: $s $f byte-identical to the source's" cmp -s t1/tls/$s/$f out/tls/$s/$f
  done
  check "trust: $s Secret manifest byte-identical" \
    cmp -s t1/manifests/10-secret-$s.yaml out/manifests/10-secret-$s.yaml
done
check "trust: NEXT-STEPS.md says the own CA is not part of the cluster CA rotation" \
  sh -c "grep 'encryption.managementApi' t1/NEXT-STEPS.md | grep -q 'not part of the cluster CA rotation'"
check "trust: the management API server Secret needs nothing in this phase (kept as it was)" \
  grep -q '| `mgmt-api-server-tls` | \*\*nothing\*\*: signed by its own CA' t1/NEXT-STEPS.md
rot t1 reissue re1
rot re1 retire rt1
check "reissue and retire succeed; the management API Secrets still as in the source" \
  sh -c "[ -f rt1/rotation.yaml ] && cmp -s rt1/tls/mgmt-api-server-tls/ca.crt out/tls/mgmt-api-server-tls/ca.crt && cmp -s rt1/tls/mgmt-api-server-tls/tls.crt out/tls/mgmt-api-server-tls/tls.crt"

# ---- an encrypted own CA key: keyPassword resolved like the other passwords ----
openssl pkey -in mca.key -aes256 -passout pass:Own-CA-pass-1234 -out mca-enc.key
cp -r out enc
sed -i "s#key: $t/mca.key#key: $t/mca-enc.key, keyPassword: env:MCA_PW#" enc/answers.yaml
MCA_PW=Own-CA-pass-1234 rot enc renew r2
check "renew with keyPassword env:MCA_PW: signed by the own CA" \
  sh -c "openssl verify -CAfile mca.crt r2/tls/mgmt-api-server-tls/tls.crt >/dev/null 2>&1"

# ---- the own CA's key cannot be read: renew refuses, naming the surface and the path ----
cp -r out bad
sed -i "s#key: $t/mca.key#key: $t/gone/mca.key#" bad/answers.yaml
check "unreadable own CA key: renew fails" sh -c "! timeout 120 '$K8TLS_BIN' rotate --from bad --phase renew --output rb -q > rb.log 2>&1"
check "unreadable own CA key: the message names the surface and the key path" \
  grep -q "encryption.managementApi.*$t/gone/mca.key" rb.log
check "unreadable own CA key: nothing written" [ ! -e rb ]

finish
