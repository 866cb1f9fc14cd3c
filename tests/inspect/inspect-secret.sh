#!/bin/sh
# `inspect` on Secret YAML files (made by kubectl create secret generic --dry-run=client -o yaml):
# stores opened with the passwords of the same Secret, the keystore's chain checked against the
# truststore, the Medusa trio (rootca.crt, client.crt_signed, client.key) checked together; and on
# an output directory written by k8tls-wizard itself (ca/, stores/, medusa/, manifests/), before
# and after damage. Bad YAML, a non-Secret and a wrong password are errors naming the file.
. "$K8TLS_SRCDIR/tests/lib.sh"
need kubectl openssl
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

# ---- an output directory made by k8tls-wizard (ECDSA for speed) ----------------------------
printf 'apiVersion: k8tls-wizard/v1\nca:\n  key: {algorithm: ecdsa, curve: P-256}\n' >answers.yaml
"$K8TLS_BIN" --answers answers.yaml --output out >gen.log 2>&1 || fail "k8tls-wizard writes an output directory: $(tail -3 gen.log)"

run outdir out
check "output directory: exit 0" rc_is outdir 0
check "output directory: the CA and its key" grep -q "^out/ca/rootca.key: PEM file: private key (EC P-256)" outdir.out
check "output directory: rootca.key matches rootca.crt" grep -q "ok: matches the certificate in rootca.crt" outdir.out
for s in server client; do
  check "output directory: $s keystore chain reaches its truststore" \
    grep -q "^out/stores/$s-encryption-stores/keystore: PKCS#12 store (private-key entries: 1, trusted certificates: 0)" outdir.out
  check "output directory: the $s Secret's keystore is read with the Secret's password" \
    grep -q "^out/manifests/10-secret-$s-encryption-stores.yaml: Secret $s-encryption-stores: keystore: PKCS#12 store" outdir.out
done
check "output directory: every keystore chain checked (files and Secrets)" test "$(grep -c "ok: the chain reaches 'CN=test root CA" outdir.out)" -eq 4
check "output directory: the Medusa Secret's key matches its certificate" \
  grep -q "^out/manifests/10-secret-client-certificates.yaml: Secret client-certificates: client.key: PEM file: private key (EC P-256)" outdir.out
check "output directory: the Medusa certificate is signed by rootca.crt" test "$(grep -c "ok: signed by '.*' in rootca.crt" outdir.out)" -eq 2
check "output directory: a truststore of stores/ trusts the Medusa certificate (K7, K8)" \
  grep -q "ok: trusted by out/stores/.*/truststore: Cassandra accepts Medusa's client certificate" outdir.out
check "output directory: the cluster manifest and kustomization are not reported" sh -c '! grep -q "k8ssandracluster\|kustomization" outdir.out'
check "output directory: no error" grep -q "errors: 0" outdir.out

# a Medusa trio from another CA: consistent in itself, but no truststore trusts it
cp -r out out3
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Foreign-CA \
  -addext basicConstraints=critical,CA:TRUE -keyout f.key -out out3/medusa/rootca.crt -days 30 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=medusa \
  -keyout out3/medusa/client.key -out m.csr 2>/dev/null
openssl x509 -req -in m.csr -CA out3/medusa/rootca.crt -CAkey f.key -CAcreateserial -days 30 \
  -out out3/medusa/client.crt_signed 2>/dev/null
run foreignmedusa out3
check "Medusa certificate no truststore trusts: warned" \
  grep -q "warning: no truststore of stores/ trusts this certificate" foreignmedusa.out

# damage it: a wrong password file, a key of another certificate
printf 'not-the-password' >out/stores/server-encryption-stores/keystore-password
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out out/medusa/client.key 2>/dev/null
run damaged out
check "damaged output directory: exit 1" rc_is damaged 1
check "damaged: the keystore's wrong password is named" \
  grep -q "^out/stores/server-encryption-stores/keystore: error: wrong password or corrupted store" damaged.err
check "damaged: the mismatched Medusa key is named" \
  grep -q "^out/medusa/client.key: error: the private key: does not match the certificate in client.crt_signed" damaged.err
check "damaged: exactly two errors" test "$(wc -l <damaged.err)" -eq 2

# a broken Secret manifest in the output directory is reported; a password file given alone is
# described, not printed
cp -r out out2
printf 'apiVersion: v1\nkind: Secret\ndata: [\n' >out2/manifests/10-secret-broken.yaml
run brokenout out2
check "a broken Secret file in manifests/: exit 1" rc_is brokenout 1
check "a broken Secret file in manifests/: named with line and column" \
  grep -q "^out2/manifests/10-secret-broken.yaml: error: YAML error at line" brokenout.err
run pwfile out2/stores/client-encryption-stores/keystore-password
check "a password file alone: exit 0" rc_is pwfile 0
check "a password file alone: not shown" grep -q "password (not shown)" pwfile.out
check "a password file alone: the value is not printed" \
  sh -c "! grep -qF \"\$(cat out2/stores/client-encryption-stores/keystore-password)\" pwfile.out"

# ---- Secrets made by kubectl -----------------------------------------------------------------
st=out/stores/client-encryption-stores
kubectl create secret generic my-stores --dry-run=client -o yaml \
  --from-file=keystore=$st/keystore --from-file=truststore=$st/truststore \
  --from-file=keystore-password=$st/keystore-password \
  --from-file=truststore-password=$st/truststore-password >stores.yaml || fail "kubectl makes a Secret"
run secret stores.yaml
check "kubectl Secret with stores: exit 0" rc_is secret 0
check "kubectl Secret: the keystore is read" grep -q "^stores.yaml: Secret my-stores: keystore: PKCS#12 store" secret.out
check "kubectl Secret: the chain reaches the Secret's truststore" grep -q "ok: the chain reaches '.*' in truststore" secret.out
check "kubectl Secret: passwords are not reported" sh -c '! grep -q "keystore-password" secret.out'

md=out/manifests
kubectl create secret generic medusa-certs --dry-run=client -o yaml \
  --from-file=rootca.crt=out/ca/rootca.crt --from-file=client.crt_signed=out/medusa/client.crt_signed \
  --from-file=client.key=out/ca/rootca.key >medusa.yaml
run medusa medusa.yaml
check "Medusa Secret with the wrong key: exit 1" rc_is medusa 1
check "Medusa Secret with the wrong key: named" one_err_line medusa "medusa.yaml: Secret medusa-certs: client.key" "does not match the certificate in client.crt_signed"

printf 'wrong-password-9' >wrong.pw
kubectl create secret generic bad-pw --dry-run=client -o yaml \
  --from-file=keystore=$st/keystore --from-file=keystore-password=wrong.pw >badpw.yaml
run badpw badpw.yaml
check "Secret with a wrong password: exit 1" rc_is badpw 1
check "Secret with a wrong password: named" one_err_line badpw "badpw.yaml: Secret bad-pw: keystore" "wrong password"

{ cat $st/keystore-password; echo; } >nl.pw
kubectl create secret generic nl-pw --dry-run=client -o yaml \
  --from-file=keystore=$st/keystore --from-file=keystore-password=nl.pw >nlpw.yaml
run nlpw nlpw.yaml
check "Secret password with a trailing newline: exit 1 (K11)" rc_is nlpw 1
check "Secret password with a trailing newline: says so" grep -q "ends with a newline" nlpw.err

kubectl create configmap not-a-secret --dry-run=client -o yaml --from-literal=a=b >cm.yaml
run cm cm.yaml
check "a ConfigMap: exit 1" rc_is cm 1
check "a ConfigMap: named" one_err_line cm cm.yaml "not a keystore, PEM file or Kubernetes Secret (YAML of kind 'ConfigMap')"

printf 'apiVersion: v1\nkind: Secret\ndata:\n  keystore: [unclosed\n' >broken.yaml
run broken broken.yaml
check "broken YAML: exit 1" rc_is broken 1
check "broken YAML: line and column" one_err_line broken broken.yaml "YAML error at line [0-9]*, column [0-9]*"

printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: b64}\ndata:\n  client.key: "not base64!"\n' >b64.yaml
run b64 b64.yaml
check "bad base64: exit 1" rc_is b64 1
check "bad base64: named" one_err_line b64 "b64.yaml: Secret b64: client.key" "not valid base64"

printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: strdata}\ndata: abc\n' >strdata.yaml
run strdata strdata.yaml
check "data that is not a mapping: exit 1" rc_is strdata 1
check "data that is not a mapping: named" one_err_line strdata "strdata.yaml: Secret strdata" "'data' is not a mapping"

printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: onlypw}\nstringData: {keystore-password: xyzxyzxyz}\n' >onlypw.yaml
run onlypw onlypw.yaml
check "only passwords: said in the report" grep -q "holds only passwords" onlypw.out
check "only passwords: the password is not shown" sh -c '! grep -q xyzxyzxyz onlypw.out onlypw.err'

# two documents in one file
kubectl create secret generic one --dry-run=client -o yaml --from-file=rootca.crt=out/ca/rootca.crt >l1.yaml
{ cat stores.yaml; echo "---"; cat l1.yaml; } >multi.yaml
run multi multi.yaml
check "two YAML documents: both Secrets read" test "$(grep -c "^multi.yaml: Secret" multi.out)" -eq 3
check "two YAML documents: exit 0" rc_is multi 0
finish
