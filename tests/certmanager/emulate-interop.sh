#!/bin/sh
# SPEC 11 C2-C5, C7: the wizard's cert-manager output, issued by an emulation of cert-manager
# (emulate.py, written from tests/reference/cert-manager/FACTS.md), gives Secrets that the real
# consumers accept when they are loaded as the K8ssandraCluster the wizard wrote tells them to
# (cells.py follows its refs: store keys, store_type, password Secrets, Medusa's odd mapping):
#   keytool opens every store with the password of the password Secret, and refuses a wrong one;
#   JSSE (TlsPeer.java) completes internode and client mTLS handshakes on the stores loaded as
#   Cassandra loads them; Python ssl with Medusa's three keys (medusa_client.py) talks to the
#   client stores; the SPEC 10 surfaces (surfaces_tls.py, ReaperPeer.java): management API with
#   PKCS#8 keys, Reaper's JKS with changeit, Medusa's gRPC on localhost; and `doctor` on the
#   K8ssandraCluster with those Secrets finds no trap.
# Six plans: PKCS#12 + ECDSA + Issuer; JKS + RSA 2048 + ClusterIssuer; PKCS#12 + ClusterIssuer +
# trustManager; an imported CA (P-384) + trustManager; JKS + ClusterIssuer + trustManager (the
# Bundle's JKS truststore on every node); a CA of their own imported for each SPEC 10 surface.
# Broken copies show the judges can fail: a server Certificate without "client auth", Medusa's
# CA key pointing at a leaf, a password ref to a missing key.
. "$K8TLS_SRCDIR/tests/lib.sh"
need_reference
need keytool java javac openssl timeout
"$PY" -c 'import cryptography, yaml' 2>/dev/null || { echo "FAIL: $PY lacks cryptography/yaml (python3-cryptography)"; exit 1; }
CM="$K8TLS_SRCDIR/tests/certmanager"
IO="$K8TLS_SRCDIR/tests/interop"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
KT="-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"

run() { # NAME ANSWER-LINES...: the wizard's cert-manager output in NAME
  n=$1; shift
  { echo "apiVersion: k8tls-wizard/v1"; echo "cluster: {name: prod, namespace: cass}"
    for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$n.yaml" --output "$n" > "$n.log" 2>&1
  rc=$?
  check "$n: the wizard writes a cert-manager output (exit $rc)" sh -c "[ $rc -eq 0 ] && [ -f $n/kustomization.yaml ]"
  [ $rc -eq 0 ] || sed 's/^/    /' "$n.log"
}
emulate() { # NAME [emulate.py options]: emulate cert-manager, then lay the cells out
  n=$1; shift
  "$PY" "$CM/emulate.py" "$@" "$n" "$n.emu" > "$n.emu.log" 2>&1
  rc=$?
  check "$n: cert-manager (emulated) issues every Certificate ($(grep -c '^ok:' "$n.emu.log") objects)" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "$n.emu.log" | sed 's/^/    /'
  "$PY" "$CM/cells.py" "$n" "$n.emu" "cells/$n" "$n.surf" > "$n.cells.log" 2>&1
  rc=$?
  check "$n: every ref of the K8ssandraCluster names a key cert-manager wrote" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "$n.cells.log" | sed 's/^/    /'
}
ALL='encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}'
run p12 'ca: {key: {algorithm: ecdsa, curve: P-256}}' "$ALL" 'output: {mode: cert-manager}'
run jks 'ca: {key: {algorithm: rsa, size: 2048}}' 'stores: {format: jks}' "$ALL" \
  'output: {mode: cert-manager, issuerKind: ClusterIssuer}'
run tm 'ca: {key: {algorithm: ecdsa, curve: P-256}}' "$ALL" 'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ca.key -out ca.crt \
  -days 3650 -subj "/CN=imported CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
run imp "ca: {source: import, import: {cert: $t/ca.crt, key: $t/ca.key}}" "$ALL" \
  'output: {mode: cert-manager, trustManager: true}'
run jkstm 'ca: {key: {algorithm: ecdsa, curve: P-256}}' 'stores: {format: jks}' "$ALL" \
  'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}'
for n in mgmt reaper grpc; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.crt \
    -days 3650 -subj "/CN=$n CA" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
done
own() { echo "{enabled: true, ca: {source: import, import: {cert: $t/$1.crt, key: $t/$1.key}}}"; }
run own 'ca: {key: {algorithm: ecdsa, curve: P-256}}' 'output: {mode: cert-manager}' \
  "encryption: {managementApi: $(own mgmt), reaper: $(own reaper), medusaGrpc: $(own grpc)}"
for n in p12 jks tm imp jkstm own; do emulate "$n"; done

# ---- what cert-manager wrote, as FACTS.md says it writes it -----------------------------------
for n in p12 jks tm imp jkstm own; do
  S=$n.emu/secrets/cass
  # the Secrets cert-manager wrote (not those of the output, like an imported CA's)
  for s in $(grep -l 'cert-manager.io/certificate-name:' "$S"/*.yaml | xargs -n1 basename | sed 's/\.yaml$//'); do
    check "$n: $s: ca.crt holds exactly one certificate (FACTS 8)" \
      sh -c "[ \$(grep -c 'BEGIN CERTIFICATE' $S/$s/ca.crt) -eq 1 ]"
    check "$n: $s: ca.crt verifies tls.crt" \
      sh -c "openssl verify -CAfile $S/$s/ca.crt $S/$s/tls.crt >/dev/null 2>&1"
  done
done

# ---- the doctor on the K8ssandraCluster and the Secrets cert-manager wrote -----------------------
for n in p12 jks tm imp jkstm own; do
  timeout 120 "$K8TLS_BIN" doctor "$n/manifests/20-k8ssandracluster.yaml" "$n.emu/secrets/cass/"*.yaml > "$n.doctor" 2>&1
  rc=$?
  check "$n: doctor finds no problem in the cluster and the Secrets cert-manager wrote (exit $rc)" \
    sh -c "[ $rc -eq 0 ] && grep -qi '^no problem found' $n.doctor"
  grep -qi "^no problem found" "$n.doctor" || sed "s/^/    /" "$n.doctor"
done

# ---- keytool: every store of the cells, with the passwords the K8ssandraCluster names ----------
for n in p12 jks tm imp jkstm own; do
  c=cells/$n
  type=$(cat "$c/store_type" 2>/dev/null)
  for w in server client; do
    keytool $KT -list -storetype "$type" -keystore "$c/$w/keystore" -storepass:file "$c/$w/keystore-password" \
      > "$n.$w.ks" 2>&1
    check "$n $w keystore: keytool opens it as $type with its password Secret: one PrivateKeyEntry" \
      sh -c "[ \$(grep -c 'PrivateKeyEntry' $n.$w.ks) -eq 1 ]"
    keytool $KT -list -storetype "$type" -keystore "$c/$w/truststore" -storepass:file "$c/$w/truststore-password" \
      > "$n.$w.ts" 2>&1
    check "$n $w truststore: keytool opens it: trustedCertEntry" grep -q trustedCertEntry "$n.$w.ts"
  done
  printf 'wrong-password-123' > wrong
  check "$n: keytool refuses the server keystore with a wrong password" \
    sh -c "! keytool $KT -list -storetype $type -keystore $c/server/keystore -storepass:file wrong >/dev/null 2>&1"
done
check "p12: the stores are PKCS12" grep -qx PKCS12 cells/p12/store_type
check "jks: the stores are JKS" grep -qx JKS cells/jks/store_type
for n in p12 tm imp; do
  openssl pkcs12 -info -noout -in cells/$n/server/keystore -passin file:cells/$n/server/keystore-password > $n.info 2>&1
  check "$n: keystore.p12 is Modern2023 (HMAC-SHA-256 MAC, PBES2 AES-256), OpenSSL 3 reads it" \
    sh -c "grep -q '^MAC: sha256' $n.info && grep -q 'PBES2, PBKDF2, AES-256-CBC' $n.info"
done

# ---- JSSE mTLS as Cassandra loads the stores, and Medusa's Python ssl on the client stores ------
mkdir classes
check "TlsPeer.java, ReaperPeer.java compile" javac -d classes "$IO/TlsPeer.java" "$IO/ReaperPeer.java"
java -XX:TieredStopAtLevel=1 -cp classes TlsPeer --python-port-file ports cells/p12 cells/jks cells/tm cells/imp cells/jkstm cells/own \
  > java.out 2>&1 &
jpid=$!
timeout 300 "$PY" "$IO/medusa_client.py" ports > py.out 2>&1
pyrc=$?
wait $jpid
jrc=$?
check "Java handshakes all succeed" [ $jrc -eq 0 ]
check "Python (Medusa) handshakes all succeed" [ $pyrc -eq 0 ]
for n in p12 jks tm imp jkstm own; do
  check "$n: internode mTLS on the server stores, TLSv1.3" grep -q "^ok: $n server stores mTLS TLSv1.3 " java.out
  check "$n: internode mTLS on the server stores, TLSv1.2" grep -q "^ok: $n server stores mTLS TLSv1.2 " java.out
  check "$n: client-to-node mTLS on the client stores" grep -q "^ok: $n client stores mTLS " java.out
  check "$n: the Java server (client stores) saw Medusa's certificate over TLS 1.2" \
    grep -q "^ok: $n python client TLSv1.2 client=CN=" java.out
  check "$n: Medusa (Python ssl, ca.crt as its CA) verified the node over TLS 1.2" grep -q "^ok: $n python TLSv1.2 " py.out
done
check "a client of another plan's CA is refused" grep -q "^ok: a client of another CA is refused" java.out
grep -q '^FAIL' java.out py.out && grep -h '^FAIL' java.out py.out | sed 's/^/    /'

# ---- SPEC 10 surfaces: management API (PKCS#8), Reaper (JKS, changeit), Medusa gRPC ----------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout foreign.key \
  -out foreign.crt -days 30 -subj "/CN=foreign" 2>/dev/null
for n in p12 jks tm imp jkstm own; do
  for s in mgmt-api-server-tls mgmt-api-client-tls; do
    check "$n: $s tls.key is PKCS#8 (cass-operator refuses PKCS#1)" \
      sh -c "head -1 $n.surf/tls/$s/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----'"
  done
  if timeout 180 "$PY" "$IO/surfaces_tls.py" $n.surf foreign.crt foreign.key prod-dc1-reaper-service.cass.svc \
       --java "$t/classes" > hs-$n.log 2>&1; then
    pass "$n: every surface handshake of M1, G1, R1, R2 ($(grep -c '^ok:' hs-$n.log) checks)"
  else
    fail "$n: surface handshakes"; grep -v '^ok:' hs-$n.log | sed 's/^/    /'
  fi
done

# ---- the judges are no rubber stamps: broken inputs fail ----------------------------------------
# (1) a server Certificate without "client auth": JSSE refuses it as a client in internode mTLS
cp -r p12 broken1
ref() { # DIR PATH-IN-SPEC: a field of the K8ssandraCluster's spec
  "$PY" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1]))["spec"]
for k in sys.argv[2].split("."): d = d[k]
print(d)' "$1/manifests/20-k8ssandracluster.yaml" "$2"
}
f=$(grep -l "^  secretName: $(ref p12 cassandra.serverEncryptionStores.keystoreSecretRef.name)\$" broken1/manifests/15-*.yaml)
check "broken: the server Certificate found ($f)" [ -f "$f" ]
sed -i '/^ *- client auth$/d; s/, *client auth//' "$f"
"$PY" "$CM/emulate.py" broken1 broken1.emu > broken1.emu.log 2>&1
"$PY" "$CM/cells.py" broken1 broken1.emu cells/broken1 > /dev/null 2>&1
java -XX:TieredStopAtLevel=1 -cp classes TlsPeer cells/broken1 > broken1.out 2>&1
check "broken: a server certificate without clientAuth fails internode mTLS (JSSE)" \
  grep -q "^FAIL: broken1 server stores" broken1.out
# (2) Medusa's CA key pointing at its own leaf: Python ssl cannot verify the node
cp -r p12 broken2
sed -i '/medusa:/,$ { /keystoreSecretRef:/,/key:/ s/key: ca.crt/key: tls.crt/ }' broken2/manifests/20-k8ssandracluster.yaml
check "broken: the copy differs" sh -c "! cmp -s p12/manifests/20-k8ssandracluster.yaml broken2/manifests/20-k8ssandracluster.yaml"
"$PY" "$CM/cells.py" broken2 p12.emu cells/broken2 > /dev/null 2>&1
java -XX:TieredStopAtLevel=1 -cp classes TlsPeer --python-port-file ports2 cells/broken2 > broken2.out 2>&1 &
jpid=$!
timeout 300 "$PY" "$IO/medusa_client.py" ports2 > broken2.py 2>&1
wait $jpid
check "broken: Medusa with a leaf as its CA fails to verify the node (Python ssl)" \
  grep -q "^FAIL: broken2 python handshake" broken2.py
timeout 120 "$K8TLS_BIN" doctor broken2/manifests/20-k8ssandracluster.yaml p12.emu/secrets/cass/*.yaml > broken2.doctor 2>&1
rc=$?
check "broken: ... and the doctor names it (K8, exit $rc)" sh -c "[ $rc -eq 1 ] && grep -q '^error: \[K8\] Secret/' broken2.doctor"
# (3) a keystore password ref to a key the password Secret does not hold: cert-manager refuses
cp -r p12 broken3
sed -i 's/^\( *key: \)keystore-password$/\1no-such-key/' broken3/manifests/15-*.yaml
"$PY" "$CM/emulate.py" broken3 broken3.emu > broken3.emu.log 2>&1
check "broken: a passwordSecretRef to a missing key leaves the Certificate unissued (FACTS 4)" \
  grep -q "keystore password Secret contains no data for key 'no-such-key'" broken3.emu.log
finish
