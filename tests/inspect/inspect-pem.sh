#!/bin/sh
# `inspect` on PEM files: certificates (subject, SANs, key, expiry), private keys described as
# "private key (EC P-256)" and never printed, a key checked against the certificate beside it
# (client.key -> client.crt_signed), a certificate checked against the CA beside it (rootca.crt);
# expired certificates, mismatched keys, foreign signatures and files holding nothing are errors.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1

run() {
  n=$1; shift
  "$K8TLS_BIN" inspect "$@" >"$n.out" 2>"$n.err"
  echo $? >"$n.rc"
}
rc_is() { [ "$(cat "$1.rc")" = "$2" ]; }
one_err_line() { [ "$(wc -l <"$1.err")" -eq 1 ] && grep -q "^$2: error: .*$3" "$1.err"; }
eckey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

cat >ca.cnf <<'CNF'
[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = PEM Test CA
[v3]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
CNF
mkdir medusa other bad
openssl req -x509 -config ca.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout ca.key -out medusa/rootca.crt -days 365 2>/dev/null || fail "openssl makes the CA"
sed 's/PEM Test CA/Foreign CA/' ca.cnf >f.cnf
openssl req -x509 -config f.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout f.key -out f.crt -days 365 2>/dev/null
eckey medusa/client.key
openssl req -new -key medusa/client.key -subj /CN=medusa-client -out c.csr
printf 'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:medusa.example\n' >c.ext
openssl x509 -req -in c.csr -CA medusa/rootca.crt -CAkey ca.key -CAcreateserial -days 20 \
  -extfile c.ext -out medusa/client.crt_signed 2>/dev/null || fail "openssl signs the client cert"

# ---- the Medusa trio: all fine (20 days left: a warning, exit 0) ----------------------------
run trio medusa
check "Medusa trio: exit 0" rc_is trio 0
check "the key is described, not shown" grep -q "^medusa/client.key: PEM file: private key (EC P-256)" trio.out
check "no PEM block or key material in the report" sh -c '! grep -q -- "-----BEGIN" trio.out trio.err'
keyline=$(sed -n 2p medusa/client.key)
check "the key's base64 is not printed" sh -c "! grep -qF '$keyline' trio.out"
check "the key matches client.crt_signed" grep -q "ok: matches the certificate in client.crt_signed" trio.out
check "the certificate is signed by rootca.crt" grep -q "ok: signed by 'CN=PEM Test CA' in rootca.crt" trio.out
check "the SANs" grep -q "SANs: *DNS:medusa.example" trio.out
check "the CA is marked" grep -q "key: *EC P-256, CA" trio.out
check "20 days left is a warning" grep -q "warning: expires in 19 days\|warning: expires in 20 days" trio.out
check "exit 0 means no stderr" test ! -s trio.err

run one medusa/client.key
check "a key alone finds its certificate beside it" grep -q "matches the certificate in client.crt_signed" one.out

# ---- a key that does not match ---------------------------------------------------------------
cp medusa/rootca.crt medusa/client.crt_signed other/
eckey other/client.key
run mism other/client.key
check "mismatched key: exit 1" rc_is mism 1
check "mismatched key: one line naming the key" one_err_line mism other/client.key "does not match the certificate in client.crt_signed"

# ---- a certificate signed by another CA -------------------------------------------------------
mkdir foreign
cp medusa/client.key medusa/client.crt_signed foreign/
cp f.crt foreign/rootca.crt
run foreign foreign/client.crt_signed
check "foreign signature: exit 1" rc_is foreign 1
check "foreign signature: named" one_err_line foreign foreign/client.crt_signed "not signed by the CA in rootca.crt"

# ---- an expired certificate (openssl ca with explicit dates) ----------------------------------
touch index.txt
echo 01 >serial
cat >exp.cnf <<'CNF'
[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
x509_extensions = ext
[p]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
CNF
eckey old.key
openssl req -new -key old.key -subj /CN=expired-node -out old.csr
openssl ca -batch -config exp.cnf -cert medusa/rootca.crt -keyfile ca.key -in old.csr \
  -startdate 20200101000000Z -enddate 20200201000000Z -out expired.crt >/dev/null 2>&1 \
  || fail "openssl ca makes an expired certificate"
run expired expired.crt
check "expired certificate: exit 1" rc_is expired 1
check "expired certificate: one line" one_err_line expired expired.crt "certificate 1: expired on 2020-02-01"
check "expired certificate: the report says EXPIRED" grep -q "EXPIRED" expired.out

# ---- files with nothing usable ----------------------------------------------------------------
printf -- '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' >bad/req.pem
run nothing bad/req.pem
check "PEM with no certificate and no key: exit 1" rc_is nothing 1
check "PEM with no certificate and no key: named" one_err_line nothing bad/req.pem "holds no certificate and no private key"
head -c 300 medusa/client.crt_signed >bad/cut.pem
run cut bad/cut.pem
check "truncated PEM: exit 1" rc_is cut 1
check "truncated PEM: named" one_err_line cut bad/cut.pem "truncated PEM"
: >bad/empty.crt
run empty bad/empty.crt
check "empty file: exit 1" rc_is empty 1
check "empty file: named" one_err_line empty bad/empty.crt "empty file"

# ---- encrypted keys: described, opened with --password ----------------------------------------
export K8TLS_KEY_PW="key-pass-123"
openssl pkey -in medusa/client.key -aes256 -passout env:K8TLS_KEY_PW -out enc.key
run enc enc.key
check "encrypted key without password: exit 0 (nothing wrong known)" rc_is enc 0
check "encrypted key without password: says so" grep -q "warning: the private key is encrypted: give --password" enc.out
run encpw --password env:K8TLS_KEY_PW enc.key
check "encrypted key with --password: described" grep -q "private key (EC P-256)" encpw.out
export K8TLS_BAD="wrong-pass-123"
run encbad --password env:K8TLS_BAD enc.key
check "encrypted key with a wrong password: exit 1" rc_is encbad 1
check "encrypted key with a wrong password: named" one_err_line encbad enc.key "wrong password"

# ---- DER certificates ------------------------------------------------------------------------
openssl x509 -in medusa/client.crt_signed -outform DER -out client.der
run der client.der
check "DER certificate: read" grep -q "^client.der: DER certificate" der.out
check "DER certificate: exit 0" rc_is der 0
# extended key usages: cert-manager's words for the known ones, the OID for another; no line
# for a certificate without the extension (the CA here)
eckey eku.key
openssl req -new -x509 -key eku.key -subj /CN=eku -days 30 -out eku.crt \
  -addext "extendedKeyUsage=serverAuth,clientAuth,1.3.6.1.4.1.99999.1" 2>/dev/null
run eku eku.crt
check "EKUs: named, the unknown one as its OID" \
  grep -q "^      EKUs:     server auth, client auth, 1.3.6.1.4.1.99999.1$" eku.out
run ekuca ca.crt
check "EKUs: no line for a certificate without the extension" sh -c "! grep -q 'EKUs:' ekuca.out"
finish
