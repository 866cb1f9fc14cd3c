#!/bin/sh
# The manual path that k8tls-wizard replaces (the K8ssandra "Enabling encryption" page and the
# cassandra-toolbox script it points to), reproduced for the same material as the wizard's default
# bundle, for benchmarking only (rule P1):
#   - a root CA made with `openssl req -x509` (RSA 3072, encrypted key);
#   - server and client keystores: keytool -genkeypair (RSA 3072) + -certreq, signed with
#     `openssl x509 -req`, then the CA and the signed certificate imported with keytool -importcert;
#   - server and client truststores: keytool -importcert of the CA;
#   - the Medusa client key and certificate: openssl req + openssl x509 -req;
#   - three `kubectl create secret generic ... --dry-run=client -o yaml`.
# Passwords travel through the environment and files (keytool -storepass:env, openssl env:,
# kubectl --from-file), not argv.
#
# Usage: bench/manual-path.sh WORKDIR      (WORKDIR is created; its content is replaced)
# Needs: openssl, keytool (a JDK), kubectl (no cluster: --dry-run=client).
set -eu
work=${1:?usage: manual-path.sh WORKDIR}
for t in openssl keytool kubectl; do
  command -v "$t" >/dev/null 2>&1 || { echo "manual-path.sh: '$t' is required" >&2; exit 3; }
done
rm -rf "$work"
mkdir -p "$work"
cd "$work"
umask 077

# Fixed passwords: nothing here is secret, but they stay off the command lines anyway.
CA_PW=ca-pass-123456; SKS_PW=server-ks-pass-1; STS_PW=server-ts-pass-1
CKS_PW=client-ks-pass-1; CTS_PW=client-ts-pass-1
export CA_PW SKS_PW STS_PW CKS_PW CTS_PW
subj_ca="/C=FR/ST=IDF/L=Paris/O=YourCompany/OU=SSLTestCluster/CN=SSLTestClusterRootCA/emailAddress=youraddress@whatever.com"

# 1. The root CA.
openssl req -x509 -newkey rsa:3072 -keyout rootca.key -passout env:CA_PW -out rootca.crt \
  -days 10000 -subj "$subj_ca" 2>/dev/null

# 2. A keystore and a truststore for one side (server or client).
stores() { # stores NAME KS_VAR TS_VAR
  name=$1; ksvar=$2; tsvar=$3
  keytool -genkeypair -keyalg RSA -keysize 3072 -alias "$name" -validity 3650 \
    -dname "CN=$name, OU=SSLTestCluster, O=YourCompany, L=Paris, ST=IDF, C=FR" \
    -ext "SAN=dns:localhost,ip:127.0.0.1" \
    -keystore "$name.keystore" -storetype PKCS12 -storepass:env "$ksvar" 2>/dev/null
  keytool -certreq -alias "$name" -file "$name.csr" -keystore "$name.keystore" \
    -storepass:env "$ksvar" 2>/dev/null
  openssl x509 -req -CA rootca.crt -CAkey rootca.key -passin env:CA_PW -in "$name.csr" \
    -out "$name.crt" -days 3650 -CAcreateserial 2>/dev/null
  keytool -importcert -noprompt -alias ca -file rootca.crt -keystore "$name.keystore" \
    -storepass:env "$ksvar" 2>/dev/null
  keytool -importcert -noprompt -alias "$name" -file "$name.crt" -keystore "$name.keystore" \
    -storepass:env "$ksvar" >/dev/null 2>&1
  keytool -importcert -noprompt -alias ca -file rootca.crt -keystore "$name.truststore" \
    -storetype PKCS12 -storepass:env "$tsvar" >/dev/null 2>&1
  mkdir -p "$name"
  cp "$name.keystore" "$name/keystore"
  cp "$name.truststore" "$name/truststore"
  eval "printf %s \"\$$ksvar\"" >"$name/keystore-password"
  eval "printf %s \"\$$tsvar\"" >"$name/truststore-password"
  kubectl create secret generic "$name-encryption-stores" --dry-run=client -o yaml \
    --from-file="$name/keystore" --from-file="$name/truststore" \
    --from-file="$name/keystore-password" --from-file="$name/truststore-password" \
    >"$name-encryption-stores.yaml"
}
stores server SKS_PW STS_PW
stores client CKS_PW CTS_PW

# 3. The Medusa client certificate.
openssl req -newkey rsa:3072 -nodes -keyout client.key -out medusa.csr \
  -subj "/C=FR/O=YourCompany/OU=SSLTestCluster/CN=client" 2>/dev/null
openssl x509 -req -CA rootca.crt -CAkey rootca.key -passin env:CA_PW -in medusa.csr \
  -out client.crt_signed -days 3650 -CAcreateserial 2>/dev/null
kubectl create secret generic client-certificates --dry-run=client -o yaml \
  --from-file=rootca.crt --from-file=client.key --from-file=client.crt_signed \
  >client-certificates.yaml

# The result must be real: each store lists its entries.
keytool -list -keystore server/keystore -storepass:env SKS_PW | grep -q PrivateKeyEntry
keytool -list -keystore client/truststore -storepass:env CTS_PW | grep -q trustedCertEntry
