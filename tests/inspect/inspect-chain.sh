#!/bin/sh
# A CA that is part of a private-key entry's chain is described as such, never as a trusted
# certificate: keystores made by `openssl pkcs12 -export ... -certfile ca.crt` (also with the CA
# given twice, which leaves a copy beside the chain) and JKS made from them by
# `keytool -importkeystore`, in `inspect` (English and French) and in the import warnings.
# Real trusted certificates (a trustedCertEntry, a bag that is in no chain) keep their name.
. "$K8TLS_SRCDIR/tests/lib.sh"
need keytool openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
KT="keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
export K8TLS_PW="chain-pass-1"

run() { # NAME ARGS...: stdout to NAME.out, stderr to NAME.err, exit status to NAME.rc
  n=$1; shift
  "$K8TLS_BIN" inspect "$@" >"$n.out" 2>"$n.err"
  echo $? >"$n.rc"
}
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }

cat >ca.cnf <<'CNF'
[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = Chain Test CA
[v3]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
CNF
openssl req -x509 -config ca.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout ca.key -out ca.crt -days 365 2>/dev/null || fail "openssl makes the CA"
sed 's/Chain Test CA/Other CA/' ca.cnf >other.cnf
openssl req -x509 -config other.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout other.key -out other.crt -days 365 2>/dev/null || fail "openssl makes the other CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
  -subj /CN=node1 2>/dev/null || fail "openssl makes the leaf key"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >san.ext
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 100 \
  -extfile san.ext -out leaf.crt 2>/dev/null || fail "openssl signs the leaf"
cat leaf.crt ca.crt >fullchain.crt

mkdir plain twice jks other
p12() { # OUT IN CERTFILE
  openssl pkcs12 -export -in "$2" -inkey leaf.key -certfile "$3" -name node1 -out "$1" \
    -passout env:K8TLS_PW || fail "openssl pkcs12 -export makes $1"
  printf '%s\n' "$K8TLS_PW" >"$1-password"
}
p12 plain/keystore leaf.crt ca.crt
p12 twice/keystore fullchain.crt ca.crt
p12 other/keystore leaf.crt other.crt
for s in plain twice; do
  $KT -importkeystore -noprompt -srckeystore $s/keystore -srcstoretype PKCS12 \
    -srcstorepass:env K8TLS_PW -destkeystore jks/$s.jks -deststoretype JKS \
    -deststorepass:env K8TLS_PW -destkeypass:env K8TLS_PW >>kt.log 2>&1 \
    || fail "keytool -importkeystore makes jks/$s.jks"
  printf '%s\n' "$K8TLS_PW" >jks/$s.jks-password
done
$KT -importcert -noprompt -storetype JKS -keystore jks/plain.jks -storepass:env K8TLS_PW \
  -alias myca -file ca.crt >>kt.log 2>&1 || fail "keytool adds a trustedCertEntry"
$KT -importcert -noprompt -storetype PKCS12 -keystore truststore -storepass:env K8TLS_PW \
  -alias ca -file ca.crt >>kt.log 2>&1 || fail "keytool makes a PKCS#12 truststore"

# openssl's keystore: the CA is the key's chain, nothing else
run plain plain/keystore
check "openssl keystore: exit 0" [ "$(cat plain.rc)" = 0 ]
check "openssl keystore: one key entry, no trusted certificate" \
  has plain.out "plain/keystore: PKCS#12 store (private-key entries: 1, trusted certificates: 0)"
check "openssl keystore: the CA is the entry's chain" has plain.out "      chain:    1 more certificate"
check "openssl keystore: nothing called trusted" hasnt plain.out "trusted certificate '"

# the CA given twice: the copy left beside the chain is a chain certificate
run twice twice/keystore
check "CA twice: exit 0" [ "$(cat twice.rc)" = 0 ]
check "CA twice: no trusted certificate counted" \
  has twice.out "twice/keystore: PKCS#12 store (private-key entries: 1, trusted certificates: 0)"
check "CA twice: the copy is a chain certificate of 'node1'" \
  has twice.out "  [2] chain certificate '2' (a copy of a certificate in the chain of 'node1')"
check "CA twice: nothing called trusted" hasnt twice.out "trusted certificate '"
check "CA twice: no warning that Java cannot see it" hasnt twice.out "Java does not see"
check "CA twice: no warning at all" has twice.out "inspected: 1, errors: 0, warnings: 0"
LANGUAGE=fr LANG=C.UTF-8 "$K8TLS_BIN" inspect twice/keystore >twice-fr.out 2>&1
check "CA twice, in French: certificat de chaîne" has twice-fr.out \
  "  [2] certificat de chaîne « 2 » (copie d'un certificat de la chaîne de « node1 »)"

# keytool's JKS of both: one key entry with its chain; a trustedCertEntry stays trusted
run jks jks/twice.jks jks/plain.jks
check "JKS: exit 0" [ "$(cat jks.rc)" = 0 ]
check "JKS from the CA-twice keystore: no trusted certificate" \
  has jks.out "jks/twice.jks: JKS store (private-key entries: 1, trusted certificates: 0)"
check "JKS: the CA is the entry's chain" has jks.out "      chain:    1 more certificate"
check "JKS with a trustedCertEntry: it is the one trusted certificate" \
  has jks.out "jks/plain.jks: JKS store (private-key entries: 1, trusted certificates: 1)"
check "JKS: the trustedCertEntry is called trusted" has jks.out "  [2] trusted certificate 'myca'"
check "JKS: only it" [ "$(grep -c "trusted certificate '" jks.out)" = 1 ]

# a certificate in no chain is still a trusted certificate (one Java does not see)
run other other/keystore
check "unrelated CA: counted as a trusted certificate" \
  has other.out "other/keystore: PKCS#12 store (private-key entries: 1, trusted certificates: 1)"
check "unrelated CA: called trusted" has other.out "  [2] trusted certificate '2'"
check "unrelated CA: Java does not see it" has other.out "Java does not see this certificate"

# import: the copy of the chain CA is not reported as a trusted certificate of the keystore
cat >answers.yaml <<EOF
apiVersion: k8tls-wizard/v1
cluster: {name: prod, namespace: cassandra}
encryption:
  client: {enabled: false}
stores:
  server:
    source: import
    import: {keystore: twice/keystore, keystorePassword: env:K8TLS_PW, truststore: truststore, truststorePassword: env:K8TLS_PW}
EOF
"$K8TLS_BIN" --answers answers.yaml --output out >import.log 2>&1
check "import of the CA-twice keystore: written" [ -f out/stores/server-encryption-stores/keystore ]
check "import of the CA-twice keystore: no 'also holds trusted certificates'" \
  hasnt import.log "trusted certificates"
sed 's#twice/keystore#other/keystore#' answers.yaml >answers-other.yaml
"$K8TLS_BIN" --answers answers-other.yaml --output out2 >import-other.log 2>&1
check "import of a keystore with an unrelated CA: still warned about" \
  has import-other.log "the keystore also holds 1 trusted certificates"

finish
