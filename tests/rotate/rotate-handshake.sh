#!/bin/sh
# Issue 7: renewal and CA rotation keep the cluster talking during every rolling restart. For each
# phase, a Java node holding the previous phase's stores and one holding the new phase's stores
# complete mutual TLS handshakes both ways, for the internode (server) and the client stores, and
# Medusa (Python ssl, the PEM trio) of one phase talks to a node of the other; a node of phase 0
# and a node of phase 3 (old CA only / new CA only) refuse each other, which proves the staging is
# needed. The bundles come from the real CLI: k8tls-wizard --answers, then rotate --phase.
. "$K8TLS_SRCDIR/tests/lib.sh"
need java javac openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
W="$K8TLS_BIN"

cat > "$t/answers.yaml" <<'EOF'
apiVersion: k8tls-wizard/v1
cluster:
  name: demo
  namespace: rot-ns
ca:
  key: {algorithm: ecdsa, curve: P-256}
EOF
check "phase 0: the wizard writes the initial bundle" \
  sh -c "'$W' --answers '$t/answers.yaml' --output '$t/p0' >'$t/p0.log' 2>&1"
check "renew from p0" sh -c "'$W' rotate --from '$t/p0' --phase renew -o '$t/renew' -q >'$t/r.log' 2>&1"
check "phase trust from p0" sh -c "'$W' rotate --from '$t/p0' --phase trust -o '$t/p1' -q >'$t/1.log' 2>&1"
check "phase reissue from p1" sh -c "'$W' rotate --from '$t/p1' --phase reissue -o '$t/p2' -q >'$t/2.log' 2>&1"
check "phase retire from p2" sh -c "'$W' rotate --from '$t/p2' --phase retire -o '$t/p3' -q >'$t/3.log' 2>&1"
for f in p0 renew p1 p2 p3; do
  [ -f "$t/$f/stores/server-encryption-stores/keystore" ] || { cat "$t"/*.log; fail "no stores in $f"; finish; exit 1; }
done

# what each phase changed, seen by openssl (independent of the wizard's readers)
leaf() { # dir secret -> subject+issuer+serial of the keystore's certificate
  openssl pkcs12 -in "$t/$1/stores/$2/keystore" -passin "file:$t/$1/stores/$2/keystore-password" \
    -nokeys -clcerts 2>/dev/null | openssl x509 -noout -issuer -serial
}
ncas() { # dir secret -> number of certificates in the truststore
  openssl pkcs12 -in "$t/$1/stores/$2/truststore" -passin "file:$t/$1/stores/$2/truststore-password" \
    -nokeys 2>/dev/null | grep -c 'BEGIN CERTIFICATE'
}
S=server-encryption-stores C=client-encryption-stores
check "p0 truststore: one CA" [ "$(ncas p0 $S)" = 1 ]
check "p1 (trust) server truststore: two CAs" [ "$(ncas p1 $S)" = 2 ]
check "p1 (trust) client truststore: two CAs" [ "$(ncas p1 $C)" = 2 ]
check "p1 (trust) keystores unchanged byte for byte" \
  cmp -s "$t/p0/stores/$S/keystore" "$t/p1/stores/$S/keystore"
check "p2 (reissue) truststores still two CAs, unchanged" cmp -s "$t/p1/stores/$S/truststore" "$t/p2/stores/$S/truststore"
check "p2 (reissue) keystore issued by the new CA" \
  sh -c "[ \"\$(openssl x509 -in '$t/p1/ca/next-rootca.crt' -noout -subject | sed 's/^subject=//')\" = \"\$(openssl pkcs12 -in '$t/p2/stores/$S/keystore' -passin 'file:$t/p2/stores/$S/keystore-password' -nokeys -clcerts 2>/dev/null | openssl x509 -noout -issuer | sed 's/^issuer=//')\" ]"
check "p3 (retire) server truststore: one CA" [ "$(ncas p3 $S)" = 1 ]
check "p3 (retire) client truststore: one CA" [ "$(ncas p3 $C)" = 1 ]
check "p3 CA is p1's new CA" cmp -s "$t/p1/ca/next-rootca.crt" "$t/p3/ca/rootca.crt"
check "p1..p3 Medusa rootca.crt: 2, 2, 1 CAs" \
  sh -c "[ \$(grep -c 'BEGIN CERT' '$t/p1/medusa/rootca.crt') = 2 ] && [ \$(grep -c 'BEGIN CERT' '$t/p2/medusa/rootca.crt') = 2 ] && [ \$(grep -c 'BEGIN CERT' '$t/p3/medusa/rootca.crt') = 1 ]"
check "openssl verify: p2 server leaf against p2 Medusa rootca.crt (both CAs)" \
  sh -c "openssl pkcs12 -in '$t/p2/stores/$S/keystore' -passin 'file:$t/p2/stores/$S/keystore-password' -nokeys -clcerts 2>/dev/null | openssl verify -CAfile '$t/p2/medusa/rootca.crt' >/dev/null"
l0=$(leaf p0 $S) lr=$(leaf renew $S)
check "renew: the keystore leaf changed (new serial, same issuer)" \
  sh -c "[ -n '$l0' ] && [ '$l0' != '$lr' ] && [ '$(echo "$l0" | grep issuer)' = '$(echo "$lr" | grep issuer)' ]"

mkdir "$t/classes"
check "RotatePeer.java compiles" javac -d "$t/classes" "$K8TLS_SRCDIR/tests/rotate/RotatePeer.java"

cases=""
for s in $S $C; do
  short=${s%%-*}
  cases="$cases ok:renew-$short:$t/p0/stores/$s:$t/renew/stores/$s"
  cases="$cases ok:trust-$short:$t/p0/stores/$s:$t/p1/stores/$s"
  cases="$cases ok:reissue-$short:$t/p1/stores/$s:$t/p2/stores/$s"
  cases="$cases ok:retire-$short:$t/p2/stores/$s:$t/p3/stores/$s"
  cases="$cases fail:p0-vs-p3-$short:$t/p0/stores/$s:$t/p3/stores/$s"
done
# Medusa of one phase against a node (client stores) of the neighbouring phase, both ways
serve="" pycases=""
add_medusa() { # expect name node-dir medusa-dir
  serve="$serve $2=$t/$3/stores/$C"
  pycases="$pycases $1:$2:$t/$4/medusa"
}
add_medusa ok renew-new-medusa p0 renew
add_medusa ok renew-old-medusa renew p0
add_medusa ok trust-new-medusa p0 p1
add_medusa ok trust-old-medusa p1 p0
add_medusa ok reissue-new-medusa p1 p2
add_medusa ok reissue-old-medusa p2 p1
add_medusa ok retire-new-medusa p2 p3
add_medusa ok retire-old-medusa p3 p2
add_medusa fail p0-medusa-vs-p3-node p3 p0

# shellcheck disable=SC2086
java -XX:TieredStopAtLevel=1 -cp "$t/classes" RotatePeer PKCS12 $cases --serve "$t/ports" $serve \
  >"$t/java.out" 2>&1 &
jpid=$!
# shellcheck disable=SC2086
"$PY" "$K8TLS_SRCDIR/tests/rotate/medusa_mixed.py" "$t/ports" $pycases >"$t/py.out" 2>&1
pyrc=$?
wait $jpid
jrc=$?
cat "$t/java.out" "$t/py.out"
check "Java: every mixed pair behaves as expected (exit 0)" [ "$jrc" -eq 0 ]
check "Python (Medusa): every mixed pair behaves as expected (exit 0)" [ "$pyrc" -eq 0 ]
for ph in renew trust reissue retire; do
  for short in server client; do
    for dir in "A serves, B connects" "B serves, A connects"; do
      check "$ph, $short stores: previous and new phase complete mTLS ($dir)" \
        grep -q "^ok: $ph-$short ($dir): TLS" "$t/java.out"
    done
  done
  check "$ph: Medusa of the new phase talks to a node of the previous one" grep -q "^ok: medusa $ph-new-medusa: TLSv1.2" "$t/py.out"
  check "$ph: Medusa of the previous phase talks to a node of the new one" grep -q "^ok: medusa $ph-old-medusa: TLSv1.2" "$t/py.out"
done
for short in server client; do
  check "phase 0 and phase 3 $short stores refuse each other (staging is needed)" \
    sh -c "grep -q '^ok: p0-vs-p3-$short (A serves, B connects): refused' '$t/java.out' && grep -q '^ok: p0-vs-p3-$short (B serves, A connects): refused' '$t/java.out'"
done
check "phase 0 Medusa is refused by a phase 3 node" grep -q "^ok: medusa p0-medusa-vs-p3-node: refused" "$t/py.out"
finish
