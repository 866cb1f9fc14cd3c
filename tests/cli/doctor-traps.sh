#!/bin/sh
# The doctor from files (SPEC §12): one fixture per trap, made the way users make them (the docs'
# cert.conf through openssl and keytool, openssl pkcs12 -legacy, kubectl create secret
# --dry-run=client -o yaml), each found with its severity, object, key, what it breaks and the fix;
# the exit code says error (1), expiring (4) or clean (0); no password appears in any output.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout openssl keytool kubectl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
PW=Store.Pass-4827
CAPW='MyPassWord123!'

# The CA from the docs' cert.conf (no extensions, no SANs).
cat > cert.conf <<'C'
[ req ]
distinguished_name     = req_distinguished_name
prompt                 = no
output_password        = MyPassWord123!
default_bits           = 3072

[ req_distinguished_name ]
C                      = FR
ST                     = IDF
L                      = Paris
O                      = YourCompany
OU                     = SSLTestCluster
CN                     = SSLTestClusterRootCA
emailAddress           = youraddress@whatever.com
C
openssl req -config cert.conf -new -x509 -keyout ca.key -out ca.crt -days 3650 2>/dev/null
check "fixture: the docs' CA" [ -s ca.crt ]

printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' > good.ext
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > serveronly.ext
leaf() { # NAME DAYS [EXTFILE]
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -passin "pass:$CAPW" -CAcreateserial \
    -days "$2" -out "$1.crt" ${3:+-extfile "$3"} 2>/dev/null
}
p12() { # NAME PASSWORD [-legacy]
  openssl pkcs12 -export -in "$1.crt" -inkey "$1.key" -certfile ca.crt -name node -out "$1.p12" \
    -passout "pass:$2" ${3:-} 2>/dev/null
}
keytool -importcert -noprompt -alias ca -file ca.crt -keystore trust.jks -storepass "$PW" \
  -storetype JKS >/dev/null 2>&1
check "fixture: truststore with keytool" [ -s trust.jks ]

leaf good 3650 good.ext && p12 good "$PW"
leaf nosan 3650 && p12 nosan "$PW"
keytool -importkeystore -srckeystore nosan.p12 -srcstoretype PKCS12 -srcstorepass "$PW" \
  -destkeystore nosan.jks -deststoretype JKS -deststorepass "$PW" -destkeypass "$PW" >/dev/null 2>&1
check "fixture: docs-style JKS keystore without SANs" [ -s nosan.jks ]
leaf serveronly 3650 serveronly.ext && p12 serveronly "$PW"
leaf soon 10 good.ext && p12 soon "$PW"
p12 good "$PW" -legacy && mv good.p12 rc2.p12 && p12 good "$PW"
check "fixture: RC2 PKCS#12 (openssl pkcs12 -legacy)" sh -c 'openssl pkcs12 -in rc2.p12 -info -noout -passin pass:x 2>&1 | grep -q RC2 || openssl pkcs12 -legacy -in rc2.p12 -info -noout -passin "pass:$0" 2>&1 | grep -q RC2' "$PW"
# an expired leaf: openssl ca with explicit dates
mkdir cadb && : > cadb/index.txt && echo 01 > cadb/serial
printf '[ca]\ndefault_ca=c\n[c]\ndatabase=cadb/index.txt\nnew_certs_dir=cadb\nserial=cadb/serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n' > ca.cnf
openssl req -new -newkey rsa:2048 -nodes -subj /CN=old -keyout old.key -out old.csr 2>/dev/null
openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -passin "pass:$CAPW" -in old.csr \
  -out old.crt -startdate 20200101000000Z -enddate 20210101000000Z -extfile good.ext -notext >/dev/null 2>&1
p12 old "$PW"
check "fixture: expired leaf" [ -s old.p12 ]
# Medusa's PEM files and management API files with a PKCS#1 key
leaf medusa 3650 good.ext
openssl genrsa -traditional -out mgmt-pkcs1.key 2048 2>/dev/null
check "fixture: PKCS#1 key" grep -q 'BEGIN RSA PRIVATE KEY' mgmt-pkcs1.key

secret() { # NAME KEYSTORE-FILE TRUSTSTORE-FILE PASSWORD [KEYSTORE-KEY]
  kubectl create secret generic "$1" --dry-run=client -o yaml \
    --from-file="${5:-keystore}=$2" --from-literal="keystore-password=$4" \
    --from-file="truststore=$3" --from-literal="truststore-password=$4"
  echo ---
}
manifest() { # CLIENT-ENABLED-VALUE [EXTRA-CASSANDRA-LINES] [KEYSTORE-KEY]
  cat <<M
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata:
  name: demo
  namespace: db
spec:
  cassandra:
    serverVersion: "4.1.5"
    config:
      cassandraYaml:
        server_encryption_options:
          internode_encryption: all
        client_encryption_options:
          enabled: $1
    serverEncryptionStores:
      keystoreSecretRef:
        name: server-encryption-stores
      truststoreSecretRef:
        name: server-encryption-stores
    clientEncryptionStores:
      keystoreSecretRef:
        name: client-encryption-stores${3:+
        key: $3}
      truststoreSecretRef:
        name: client-encryption-stores
${2:-}
    datacenters:
      - metadata:
          name: dc1
        size: 3
M
}
# scenario DIR: the manifest and the Secrets of both blocks (client keystore from $2)
scenario() { # NAME CLIENT-KEYSTORE [CLIENT-ENABLED] [PASSWORD] [EXTRA] [KEY]
  mkdir "$1"
  manifest "${3:-true}" "${5:-}" "${6:-}" > "$1/cluster.yaml"
  { secret server-encryption-stores good.p12 trust.jks "$PW"
    secret client-encryption-stores "$2" trust.jks "${4:-$PW}" "${6:-}"; } > "$1/secrets.yaml"
}
run() { # NAME WANT-RC ARGS...
  n=$1; want=$2; shift 2
  timeout 60 "$K8TLS_BIN" doctor "$@" > "$n.out" 2> "$n.err"
  rc=$?
  check "$n: exit $want (got $rc)" [ $rc -eq "$want" ]
  for s in "$PW" "$CAPW" 'pa$$word-123' "$(base64 -w0 < good.key | cut -c1-40)"; do
    if grep -qF -- "$s" "$n.out" "$n.err"; then fail "$n: a secret value is printed"; fi
  done
}
has() { # NAME FIXED-STRING...
  n=$1; shift
  for s in "$@"; do
    check "$n: says: $s" grep -qF -- "$s" "$n.out"
    grep -qF -- "$s" "$n.out" || sed 's/^/    /' "$n.out"
  done
}

scenario clean good.p12
run clean 0 clean
has clean "no problem found (1 cluster(s), 2 Secret(s) checked)"

scenario nosan nosan.jks
run nosan 1 nosan
has nosan "error: [S5] Secret/client-encryption-stores keystore (nosan/secrets.yaml:" \
  ": the node certificate has no SAN for 127.0.0.1 and localhost; breaks: nodetool over JMX/TLS fails: \"No subject alternative names matching IP address 127.0.0.1 found\"; fix: k8tls-wizard rotate"

scenario switch good.p12 '"true"'
run switch 1 switch
has switch "error: [K3] K8ssandraCluster/demo spec.cassandra.config.cassandraYaml.client_encryption_options.enabled (switch/cluster.yaml:14): enabled is the string \"true\", not the YAML boolean true" \
  "error: [K3] K8ssandraCluster/demo spec.cassandra.clientEncryptionStores (switch/cluster.yaml:21): stores are configured but client_encryption_options.enabled is not true; breaks: Cassandra gets the stores without the switch: pods crash-loop at start-up; fix: k8tls-wizard --answers ANSWERS -o NEWDIR with cluster.manifest: switch/cluster.yaml"

scenario customkey good.p12 true "$PW" "" node.p12
run customkey 1 customkey
has customkey "error: [K2] K8ssandraCluster/demo spec.cassandra.clientEncryptionStores.keystorePasswordSecretRef (customkey/cluster.yaml:22): the store ref has the custom key node.p12 and no password ref: its password is read from that same key; breaks: the operator reads the password from the store's bytes"

scenario rc2 rc2.p12
run rc2 0 rc2
has rc2 "warning: [S4] Secret/client-encryption-stores keystore (rc2/secrets.yaml:" \
  "the PKCS#12 store is encrypted with RC2 (the legacy profile of OpenSSL 1, openssl pkcs12 -legacy); breaks: OpenSSL 3 cannot read it without its legacy provider"
run rc2-strict 5 --strict rc2

scenario serveronly serveronly.p12
run serveronly 1 serveronly
has serveronly "error: [S5] Secret/client-encryption-stores keystore (serveronly/secrets.yaml:" \
  "the node certificate's extended key usage is serverAuth only (clientAuth is missing); breaks: each node is also a client"

scenario dollar good.p12 true 'pa$$word-123'
run dollar 1 dollar
has dollar "error: [K11] Secret/client-encryption-stores keystore-password (dollar/secrets.yaml:" \
  "the password has a character that breaks cassandra-env.sh: '\$' is expanded by the shell in cassandra-env.sh"

scenario expiring soon.p12
run expiring 4 expiring
has expiring "expiring: [S8] Secret/client-encryption-stores keystore (expiring/secrets.yaml:" \
  "the node certificate (CN=soon) expires in"
run expiring-5 0 --expiring 5 expiring
run expiring-json 4 -o json expiring
check "expiring: JSON for scripts" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["expiring"] == 1 and r["errors"] == 0, r
f = r["findings"][0]
assert f["severity"] == "expiring" and f["rule"] == "S8" and f["key"] == "keystore", f
assert f["object"] == "Secret/client-encryption-stores" and f["fix"].startswith("k8tls-wizard rotate"), f
' expiring-json.out

scenario expired old.p12
run expired 1 expired
has expired "error: [S8] Secret/client-encryption-stores keystore (expired/secrets.yaml:" \
  "the node certificate (CN=old) expired"

# Medusa: the CA certificate must be under keystoreSecretRef; here it is the client key
scenario medusa good.p12
cat >> medusa/cluster.yaml <<'M'
  medusa:
    clientEncryptionStores:
      keystoreSecretRef:
        name: medusa-certs
        key: client.key
      truststoreSecretRef:
        name: medusa-certs
        key: client.crt_signed
      truststorePasswordSecretRef:
        name: medusa-certs
        key: rootca.crt
M
kubectl create secret generic medusa-certs --dry-run=client -o yaml --from-file=rootca.crt=ca.crt \
  --from-file=client.crt_signed=medusa.crt --from-file=client.key=medusa.key >> medusa/secrets.yaml
run medusa 1 medusa
has medusa "error: [K8] Secret/medusa-certs client.key (medusa/secrets.yaml:" \
  ": Medusa's odd mapping wants the CA certificate (rootca.crt) under keystoreSecretRef, and this is something else" \
  "error: [K8] Secret/medusa-certs rootca.crt (medusa/secrets.yaml:" \
  ": Medusa's odd mapping wants the client's private key (client.key, unencrypted) under truststorePasswordSecretRef"

# management API mTLS: an Opaque Secret with a PKCS#1 key
scenario mgmt good.p12 true "$PW" '    managementApiAuth:
      manual:
        serverSecretName: mgmt-server
        clientSecretName: mgmt-client'
for s in mgmt-server mgmt-client; do
  kubectl create secret generic $s --dry-run=client -o yaml --from-file=tls.crt=good.crt \
    --from-file=tls.key=mgmt-pkcs1.key --from-file=ca.crt=ca.crt
  echo ---
done >> mgmt/secrets.yaml
run mgmt 1 mgmt
has mgmt "error: [M1] Secret/mgmt-server (mgmt/secrets.yaml:" \
  ": the Secret's type is Opaque, not kubernetes.io/tls; breaks: cass-operator's validation fails once and is never retried" \
  "error: [M1] Secret/mgmt-client tls.key (mgmt/secrets.yaml:" \
  "the key is PKCS#1/SEC1 (BEGIN RSA/EC PRIVATE KEY), not PKCS#8 (BEGIN PRIVATE KEY)"

# Reaper's API TLS without a client certificate, its stores not under changeit
scenario reaper good.p12
cat >> reaper/cluster.yaml <<'M'
  reaper:
    encryption:
      serverCertName: reaper-server
M
kubectl create secret generic reaper-server --dry-run=client -o yaml --from-file=keystore.jks=nosan.jks \
  --from-file=truststore.jks=trust.jks >> reaper/secrets.yaml
run reaper 1 reaper
has reaper "error: [R1] K8ssandraCluster/demo spec.reaper.encryption.clientCertName (reaper/cluster.yaml:32): Reaper's API TLS has no client certificate; breaks: one-way TLS with a private CA cannot work" \
  "error: [R1] Secret/reaper-server keystore.jks (reaper/secrets.yaml:" \
  ": the store does not open with the password changeit"

# Medusa gRPC: a server certificate without the loopback SANs the health probe needs
scenario grpc good.p12
cat >> grpc/cluster.yaml <<'M'
  medusa:
    certificatesSecretRef:
      name: medusa-certs
    serviceProperties:
      encryption:
        serverSecretName: grpc-server
        clientSecretName: grpc-client
M
kubectl create secret generic medusa-certs --dry-run=client -o yaml --from-file=rootca.crt=ca.crt >> grpc/secrets.yaml
echo --- >> grpc/secrets.yaml
for s in grpc-server:nosan grpc-client:good; do
  kubectl create secret tls "${s%%:*}" --dry-run=client -o yaml --cert="${s#*:}.crt" --key="${s#*:}.key" |
    sed '/^data:$/a\  ca.crt: '"$(base64 -w0 < ca.crt)"
  echo ---
done >> grpc/secrets.yaml
run grpc 1 grpc
has grpc "error: [G1] Secret/grpc-server tls.crt (grpc/secrets.yaml:" \
  ": the server certificate has no SAN for localhost and 127.0.0.1; breaks: the health probe dials localhost" \
  "warning: [K8] K8ssandraCluster/demo spec.medusa.certificatesSecretRef (grpc/cluster.yaml:32): the deprecated certificatesSecretRef is set"
check "grpc: the client Secret is fine" sh -c "! grep -q 'Secret/grpc-client' grpc.out"

# a truststore of another CA: the nodes' chains are not trusted
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=OtherCA -keyout other.key -out other.crt \
  -days 3650 2>/dev/null
keytool -importcert -noprompt -alias ca -file other.crt -keystore other-trust.jks -storepass "$PW" \
  -storetype JKS >/dev/null 2>&1
mkdir untrusted && manifest true > untrusted/cluster.yaml
{ secret server-encryption-stores good.p12 other-trust.jks "$PW"
  secret client-encryption-stores good.p12 trust.jks "$PW"; } > untrusted/secrets.yaml
run untrusted 1 untrusted
has untrusted "error: [S8] Secret/server-encryption-stores truststore (untrusted/secrets.yaml:" \
  ": the truststore does not trust the keystore's certificate"
check "untrusted: only the server block" [ "$(grep -c '^error' untrusted.out)" -eq 1 ]

# mutual TLS with internode_encryption: dc (K12)
scenario k12 good.p12
sed -i 's/^          internode_encryption: all$/          internode_encryption: dc\n          require_client_auth: true/' k12/cluster.yaml
run k12 0 k12
has k12 "warning: [K12] K8ssandraCluster/demo spec.cassandra.config.cassandraYaml.server_encryption_options.internode_encryption (k12/cluster.yaml:12): require_client_auth is on with internode_encryption: dc"
# ... but not in a staged rollout's accept phase, whose dc is a step to the target (the wizard's
# annotation, doc/staged-rollout.md section 3.3); a later phase's annotation keeps the warning
for ph in accept clientsRequired; do
  mkdir k12-$ph
  cp k12/secrets.yaml k12-$ph/
  sed "s|^  name: demo\$|  name: demo\n  annotations:\n    k8tls-wizard/rollout-phase: $ph|" \
    k12/cluster.yaml > k12-$ph/cluster.yaml
  run k12-$ph 0 k12-$ph
done
check "k12-accept: no K12 warning in the accept phase" [ "$(grep -c 'K12' k12-accept.out)" -eq 0 ]
check "k12-accept: the annotation is there (the test's own input)" \
  grep -q 'k8tls-wizard/rollout-phase: accept' k12-accept/cluster.yaml
has k12-clientsRequired "warning: [K12] K8ssandraCluster/demo"

# store_type says PKCS12, the bytes are JKS
scenario storetype nosan.jks true "$PW" '    # the docs say PKCS12'
sed -i 's/^          enabled: true$/          enabled: true\n          store_type: PKCS12/' storetype/cluster.yaml
run storetype 1 storetype
has storetype "warning: [K5] Secret/client-encryption-stores keystore (storetype/secrets.yaml:" \
  ": store_type is PKCS12 but the store is JKS"

# a Secret that is not there
mkdir missing && manifest true > missing/cluster.yaml
run missing 1 missing
has missing "error: [K9] K8ssandraCluster/demo spec.cassandra.serverEncryptionStores.keystoreSecretRef (missing/cluster.yaml:17): Secret server-encryption-stores is not among the files read"

# a clean wizard bundle gives no finding; a kubectl List dump of it neither
timeout 60 "$K8TLS_BIN" --defaults --output bundle >/dev/null 2>&1
run bundle 0 bundle
has bundle "no problem found (1 cluster(s), 3 Secret(s) checked)"
check "bundle: nothing but the summary" [ "$(wc -l < bundle.out)" -eq 1 ]
{ echo "apiVersion: v1"; echo "kind: List"; echo "items:"
  for f in bundle/manifests/*.yaml; do sed '1s/^/- /; 2,$s/^/  /' "$f"; done; } > list.yaml
run list 0 list.yaml
has list "no problem found (1 cluster(s), 3 Secret(s) checked)"

# every surface on (management API, Reaper, Medusa gRPC): still no finding
printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\nencryption:\n  managementApi: {enabled: true}\n  reaper: {enabled: true}\n  medusaGrpc: {enabled: true}\n' > surfaces.yaml
timeout 60 "$K8TLS_BIN" --answers surfaces.yaml --output surfaces >/dev/null 2>&1
run surfaces 0 surfaces
has surfaces "no problem found (1 cluster(s), 10 Secret(s) checked)"

# usage
run usage 2
run badformat 2 -o xml clean
finish
