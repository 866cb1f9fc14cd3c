#!/bin/sh
# inspect recognises the Secrets of SPEC §10 (M1, R1, R2, G1) in an output directory and as
# Secret files: the PEM trios of tls/<secret>/ and manifests/ (PKCS#8 tls.key said, a PKCS#1/SEC1
# key warned about), Reaper's JKS stores opened with changeit (its hard-coded password), each
# item labelled with the surface it serves; rotate's report of what it found names them too.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

cat > a.yaml <<'A'
apiVersion: k8tls-wizard/v1
cluster: {name: prod, namespace: cass, reaper: {enabled: true}, medusa: {enabled: true}}
ca: {key: {algorithm: ecdsa, curve: P-256}}
encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}
A
timeout 120 "$K8TLS_BIN" --answers a.yaml --output all > all.log 2>&1
check "bundle with every surface written" [ -f all/tls/reaper-mgmt-api-stores/keystore.jks ]

timeout 60 "$K8TLS_BIN" inspect all > out.txt 2>&1
rc=$?
check "inspect of the output directory: exit 0" [ "$rc" -eq 0 ]
check "no error, no warning" grep -q 'errors: 0, warnings: 0' out.txt
for s in mgmt-api-server-tls mgmt-api-client-tls reaper-api-client-tls medusa-grpc-server-tls medusa-grpc-client-tls; do
  for k in ca.crt tls.crt tls.key; do
    check "tls/$s/$k listed" grep -q "^all/tls/$s/$k: PEM file" out.txt
  done
done
for s in reaper-api-server-stores reaper-mgmt-api-stores; do
  check "tls/$s/keystore.jks opened: one key entry" \
    grep -q "^all/tls/$s/keystore.jks: JKS store (private-key entries: 1, trusted certificates: 0)" out.txt
  check "tls/$s/truststore.jks opened: one trusted certificate" \
    grep -q "^all/tls/$s/truststore.jks: JKS store (private-key entries: 0, trusted certificates: 1)" out.txt
  check "manifests: Secret $s keystore.jks opened too" \
    grep -q "Secret $s: keystore.jks: JKS store (private-key entries: 1" out.txt
done
check "Reaper's stores: changeit said to be Reaper's fixed password" \
  sh -c "[ \$(grep -c 'opened with changeit, the password Reaper hard-codes' out.txt) -eq 8 ]"
check "labels: management API server" grep -q '^all/tls/mgmt-api-server-tls/tls.crt: .*management API mutual TLS: server Secret' out.txt
check "labels: management API client" grep -q 'Secret mgmt-api-client-tls: tls.key: .*management API mutual TLS: client Secret' out.txt
check "labels: Reaper's API server stores" grep -q '^all/tls/reaper-api-server-stores/keystore.jks: .*Reaper.s API: server stores' out.txt
check "labels: Reaper's API client" grep -q '^all/tls/reaper-api-client-tls/ca.crt: .*Reaper.s API: client Secret' out.txt
check "labels: Reaper to the management API" grep -q '^all/tls/reaper-mgmt-api-stores/truststore.jks: .*Reaper to the management API' out.txt
check "labels: Medusa gRPC server" grep -q '^all/tls/medusa-grpc-server-tls/tls.crt: .*Medusa gRPC mutual TLS: server Secret' out.txt
check "labels: Medusa gRPC client" grep -q '^all/tls/medusa-grpc-client-tls/tls.crt: .*Medusa gRPC mutual TLS: client Secret' out.txt
check "PKCS#8 tls.key said (10 trios: tls/ and manifests/)" \
  sh -c "[ \$(grep -c 'ok: unencrypted PKCS#8 (BEGIN PRIVATE KEY)' out.txt) -eq 10 ]"
check "the gRPC server certificate's localhost SANs shown" \
  sh -c "grep -A4 '^all/tls/medusa-grpc-server-tls/tls.crt' out.txt | grep -q 'SANs:     DNS:localhost, IP:127.0.0.1, IP:::1'"
check "the gRPC server certificate said to suit Medusa's localhost probe (tls/ and manifests/)" \
  sh -c "[ \$(grep -c 'ok: names localhost, 127.0.0.1 and ::1' out.txt) -eq 2 ]"
check "the trios' certificates checked against their ca.crt" \
  sh -c "[ \$(grep -A8 '^all/tls/.*/tls.crt' out.txt | grep -c \"ok: signed by 'CN=prod root CA' in ca.crt\") -eq 5 ]"

# one Secret file on its own
timeout 60 "$K8TLS_BIN" inspect all/manifests/10-secret-reaper-api-server-stores.yaml > one.txt 2>&1
check "a Reaper stores Secret file alone: exit 0, opened with changeit" \
  sh -c "[ $? -eq 0 ] && grep -q 'keystore.jks: JKS store (private-key entries: 1' one.txt && grep -q 'opened with changeit' one.txt"

# a management API key that cass-operator refuses (SEC1 "EC PRIVATE KEY")
mkdir bad && cp all/tls/mgmt-api-server-tls/ca.crt all/tls/mgmt-api-server-tls/tls.crt bad/
openssl ec -in all/tls/mgmt-api-server-tls/tls.key -out bad/tls.key 2>/dev/null
timeout 60 "$K8TLS_BIN" inspect bad > bad.txt 2>&1
check "a non-PKCS#8 tls.key beside ca.crt and tls.crt is warned about" \
  grep -q 'warning: not unencrypted PKCS#8 (BEGIN PRIVATE KEY): cass-operator refuses' bad.txt
check "its key still matches its certificate" grep -q 'ok: matches the certificate in tls.crt' bad.txt

# a gRPC server certificate without the localhost names (the client's put in its place)
cp -r all nolocal
cp all/tls/medusa-grpc-client-tls/tls.crt all/tls/medusa-grpc-client-tls/tls.key nolocal/tls/medusa-grpc-server-tls/
timeout 60 "$K8TLS_BIN" inspect nolocal > nolocal.txt 2>&1
check "a gRPC server certificate without localhost is warned about" \
  grep -q "warning: Medusa's gRPC health probe dials localhost with this certificate, and it does not name DNS:localhost" nolocal.txt

# a trust-phase bundle: the trios' ca.crt hold two CAs, Reaper's truststores two entries
timeout 120 "$K8TLS_BIN" rotate --from all --phase trust --output trust -q > trust.log 2>&1
timeout 60 "$K8TLS_BIN" inspect trust > trust.txt 2>&1
check "trust phase: inspect exit 0 with no error" sh -c "[ $? -eq 0 ] && grep -q 'errors: 0' trust.txt"
check "trust phase: ca.crt of the management API server holds 2 certificates" \
  grep -q '^trust/tls/mgmt-api-server-tls/ca.crt: PEM file: 2 certificates' trust.txt
check "trust phase: Reaper's truststore.jks holds 2 trusted certificates" \
  grep -q '^trust/tls/reaper-api-server-stores/truststore.jks: JKS store (private-key entries: 0, trusted certificates: 2)' trust.txt

# rotate's report of what it found names the Secrets and their surface
timeout 120 "$K8TLS_BIN" rotate --from all > found.txt 2>&1
check "rotate's report: Reaper's management stores opened with changeit" \
  grep -q 'Secret reaper-mgmt-api-stores (Reaper management API keystore): keystore.jks: JKS store (private-key entries: 1' found.txt
check "rotate's report: the gRPC server Secret named by its role" \
  grep -q 'Secret medusa-grpc-server-tls (Medusa gRPC server certificate): tls.crt' found.txt
check "rotate's summary lists the surfaces' certificates" \
  sh -c "grep -q 'management API server certificate' found.txt && grep -q 'Reaper API server keystore' found.txt && grep -q 'Medusa gRPC client certificate' found.txt"

finish
