#!/bin/sh
# The answers.yaml written into the output directory replays from there: its relative paths (a
# file: password, an imported CA's certificate and key, output.directory) were relative to the
# answers file given, so they are written absolute. Replayed from the output directory while the
# current directory is elsewhere, it gives the same plan: the same answers.yaml again and the same
# (imported) CA.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl timeout
T=$(mktmp)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$T/in" "$T/elsewhere" || exit 1
cd "$T/in" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
  -days 400 -subj "/CN=Replay Test Root CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
check "test CA made" [ -s ca.crt ] && [ -s ca.key ]
printf 'Replay-Pw-1\n' > ks.pw
cat > answers.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
stores:
  server:
    keystorePassword: file:ks.pw
ca:
  source: import
  import: {cert: ca.crt, key: ca.key}
YAML

# run from $T with a relative answers path: the paths resolve against $T/in
cd "$T" || exit 1
timeout 120 "$K8TLS_BIN" --answers in/answers.yaml --output out1 > out 2> err
check "first run writes out1" [ $? -eq 0 ] && [ -f out1/answers.yaml ]
check "the file: password is written absolute" \
  grep -qx "    keystorePassword: file:$T/in/ks.pw" out1/answers.yaml
check "the imported CA certificate is written absolute" grep -qx "    cert: $T/in/ca.crt" out1/answers.yaml
check "the imported CA key is written absolute" grep -qx "    key: $T/in/ca.key" out1/answers.yaml
check "output.directory is written absolute" grep -qx "  directory: $T/in/k8tls-out" out1/answers.yaml

# replay from the output directory, the current directory elsewhere
cd "$T/elsewhere" || exit 1
timeout 120 "$K8TLS_BIN" --answers ../out1/answers.yaml --output ../out2 > ../out 2> ../err
rc=$?
check "the copy in the output directory replays (exit $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat ../err
check "replayed: the same answers" cmp -s ../out1/answers.yaml ../out2/answers.yaml
check "replayed: the same imported CA" cmp -s "$T/in/ca.crt" ../out2/ca/rootca.crt
check "first run: the imported CA too" cmp -s "$T/in/ca.crt" ../out1/ca/rootca.crt
# and the password came from the file: the replayed keystore opens with it
ks=../out2/stores/server-encryption-stores
check "replayed: the keystore password is the file's" [ "$(cat "$ks/keystore-password")" = Replay-Pw-1 ]
check "replayed: the keystore opens with it" \
  openssl pkcs12 -in "$ks/keystore" -passin pass:Replay-Pw-1 -noout
finish
