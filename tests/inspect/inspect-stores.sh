#!/bin/sh
# `inspect` on keytool-made stores (JKS and PKCS#12, EC keys): entries, keys and chains are
# reported, passwords come from --password env:/file: or a "<store>-password" file beside the
# store; bad input (wrong password, not a store, truncated, corrupted, missing, a chain that does
# not reach the truststore) ends in exit 1 with a stderr line naming the file and the problem.
. "$K8TLS_SRCDIR/tests/lib.sh"
need keytool openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
KT="keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
export K8TLS_PW="inspect-pass-1"
export K8TLS_BAD="not-the-password"

# run NAME ARGS...: stdout to NAME.out, stderr to NAME.err, exit status to NAME.rc
run() {
  n=$1; shift
  "$K8TLS_BIN" inspect "$@" >"$n.out" 2>"$n.err"
  echo $? >"$n.rc"
}
rc_is() { [ "$(cat "$1.rc")" = "$2" ]; }
one_err_line() { # NAME FILE TEXT: stderr is one line naming FILE and saying TEXT
  [ "$(wc -l <"$1.err")" -eq 1 ] && grep -q "^$2: error: .*$3" "$1.err"
}

# a CA made with openssl (EC), and another one
cat >ca.cnf <<'CNF'
[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = Inspect Test CA
[v3]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
CNF
openssl req -x509 -config ca.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout ca.key -out ca.crt -days 365 2>/dev/null || fail "openssl makes the CA"
sed 's/Inspect Test CA/Other CA/' ca.cnf >other.cnf
openssl req -x509 -config other.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout other.key -out other.crt -days 365 2>/dev/null || fail "openssl makes the other CA"

# keytool: a JKS with an EC key pair and a trusted cert; a PKCS#12 keystore signed by the CA
# (certreq -> openssl -> reply) and its truststore, in the output layout with password files
$KT -genkeypair -storetype JKS -keystore ks.jks -storepass:env K8TLS_PW -keypass:env K8TLS_PW \
  -alias node -keyalg EC -groupname secp256r1 -dname CN=jks-node -validity 100 >kt.log 2>&1 \
  || fail "keytool makes a JKS"
$KT -importcert -noprompt -storetype JKS -keystore ks.jks -storepass:env K8TLS_PW -alias myca \
  -file ca.crt >>kt.log 2>&1 || fail "keytool imports a trusted cert"
mkdir -p good
$KT -genkeypair -storetype PKCS12 -keystore good/keystore -storepass:env K8TLS_PW \
  -alias node -keyalg EC -groupname secp256r1 -dname CN=p12-node -validity 100 >>kt.log 2>&1
$KT -certreq -storetype PKCS12 -keystore good/keystore -storepass:env K8TLS_PW -alias node \
  -file node.csr >>kt.log 2>&1
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >san.ext
openssl x509 -req -in node.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 100 \
  -extfile san.ext -out node.crt 2>/dev/null || fail "openssl signs the node certificate"
$KT -importcert -noprompt -storetype PKCS12 -keystore good/keystore -storepass:env K8TLS_PW \
  -alias myca -file ca.crt >>kt.log 2>&1
$KT -importcert -noprompt -storetype PKCS12 -keystore good/keystore -storepass:env K8TLS_PW \
  -alias node -file node.crt >>kt.log 2>&1 || fail "keytool imports the CA reply"
$KT -importcert -noprompt -storetype PKCS12 -keystore good/truststore -storepass:env K8TLS_PW \
  -alias rootca -file ca.crt >>kt.log 2>&1 || fail "keytool makes a PKCS#12 truststore"
printf '%s' "$K8TLS_PW" >good/keystore-password
printf '%s' "$K8TLS_PW" >good/truststore-password

# ---- good stores ------------------------------------------------------------------------
run jks --password env:K8TLS_PW ks.jks
check "keytool JKS: exit 0" rc_is jks 0
check "keytool JKS: reported as a JKS store" grep -q "^ks.jks: JKS store (private-key entries: 1, trusted certificates: 1)" jks.out
check "keytool JKS: the key entry and its EC key" grep -q "private-key entry 'node'" jks.out
check "keytool JKS: EC P-256" grep -q "key: *EC P-256" jks.out
check "keytool JKS: the trusted cert" grep -q "trusted certificate 'myca'" jks.out
check "keytool JKS: the key matches" grep -q "ok: the private key matches the certificate" jks.out
check "keytool JKS: nothing on stderr" test ! -s jks.err

printf '%s\n' "$K8TLS_PW" >pw.txt
run jksfile --password file:pw.txt ks.jks
check "--password file:PATH (final newline dropped) opens it" rc_is jksfile 0

run dir good
check "keystore + truststore dir: exit 0" rc_is dir 0
check "dir: the chain reaches the truststore's CA" grep -q "ok: the chain reaches 'CN=Inspect Test CA' in truststore" dir.out
check "dir: the keystore's SANs" grep -q "SANs: *DNS:localhost, IP:127.0.0.1" dir.out
check "dir: password files are not reported" sh -c '! grep -q "keystore-password" dir.out'
check "dir: the password is never printed" sh -c "! grep -q '$K8TLS_PW' dir.out dir.err"

run one good/keystore
check "a keystore alone finds its password file and truststore" rc_is one 0
check "a keystore alone: chain checked" grep -q "chain reaches" one.out

# ---- bad input: exit 1, one stderr line naming the file and the problem ---------------------
run wrongpw --password env:K8TLS_BAD ks.jks
check "wrong password: exit 1" rc_is wrongpw 1
check "wrong password: one line naming the file" one_err_line wrongpw ks.jks "wrong password"
run wrongp12 --password env:K8TLS_BAD good/keystore
check "wrong PKCS#12 password beside a password file: the file wins, exit 0" rc_is wrongp12 0
cp good/keystore lone.p12
run wrongp12b --password env:K8TLS_BAD lone.p12
check "wrong PKCS#12 password: exit 1" rc_is wrongp12b 1
check "wrong PKCS#12 password: one line" one_err_line wrongp12b lone.p12 "wrong password"

run nopw lone.p12
check "no password at all: exit 1" rc_is nopw 1
check "no password: says how to give one" one_err_line nopw lone.p12 "no password for this store"

printf 'not a keystore at all\001\002\003' >junk.p12
run junk --password env:K8TLS_PW junk.p12
check "not a store: exit 1" rc_is junk 1
check "not a store: one line" one_err_line junk junk.p12 "not a keystore"

for cut in 3 11 40 200 500; do
  head -c "$cut" ks.jks >trunc.jks
  run trunc --password env:K8TLS_PW trunc.jks
  check "JKS truncated at $cut bytes: exit 1" rc_is trunc 1
  check "JKS truncated at $cut bytes: one line" one_err_line trunc trunc.jks "truncated\|not a keystore"
  head -c "$cut" lone.p12 >trunc.p12
  run truncp --password env:K8TLS_PW trunc.p12
  check "PKCS#12 truncated at $cut bytes: exit 1" rc_is truncp 1
  check "PKCS#12 truncated at $cut bytes: one line" one_err_line truncp trunc.p12 "truncated"
done

size=$(wc -c <ks.jks)
for at in 30 300 $((size - 5)); do
  cp ks.jks flip.jks
  # the byte's complement: writing a fixed value left the file as it was when the byte already
  # held it (1 run in 256 where the SHA-1 trailer has 0xff there)
  b=$(od -An -tu1 -j "$at" -N1 ks.jks | tr -d ' ')
  printf "\\$(printf %o $((255 - b)))" | dd of=flip.jks bs=1 seek="$at" conv=notrunc 2>/dev/null
  check "JKS with a byte changed at $at: the file differs" sh -c '! cmp -s ks.jks flip.jks'
  run flip --password env:K8TLS_PW flip.jks
  check "JKS with a byte changed at $at: exit 1" rc_is flip 1
  check "JKS with a byte changed at $at: corrupted" one_err_line flip flip.jks "corrupted"
done

run missing --password env:K8TLS_PW nowhere.p12
check "missing file: exit 1" rc_is missing 1
check "missing file: one line" one_err_line missing nowhere.p12 "No such file"

# a keystore whose truststore trusts another CA
mkdir -p wrongca
cp good/keystore good/keystore-password good/truststore-password wrongca/
$KT -importcert -noprompt -storetype PKCS12 -keystore wrongca/truststore -storepass:env K8TLS_PW \
  -alias other -file other.crt >>kt.log 2>&1
run wrongca wrongca
check "chain not reaching the truststore: exit 1" rc_is wrongca 1
check "chain not reaching the truststore: named" one_err_line wrongca wrongca/keystore "the chain does not reach a CA of truststore"

# usage
"$K8TLS_BIN" inspect >/dev/null 2>&1
check "no PATH: exit 2" test $? -eq 2
"$K8TLS_BIN" inspect --password "$K8TLS_PW" ks.jks >/dev/null 2>usage.err
check "a literal password on the command line: exit 2" test $? -eq 2
check "a literal password: refused with the reason" grep -q "env:NAME or file:PATH" usage.err
"$K8TLS_BIN" inspect --help >help.out 2>&1
check "--help: exit 0 and the usage" grep -q "inspect \[--password env:NAME|file:PATH\] PATH" help.out
finish
