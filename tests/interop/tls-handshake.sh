#!/bin/sh
# S6/S7: the generated stores complete mutual TLS handshakes in Java (loaded as Cassandra loads
# them: KeyStore.getInstance(store_type), default KeyManagerFactory/TrustManagerFactory), for the
# server and the client stores, PKCS#12 (modern, legacy) and JKS, ECDSA and RSA; and Python's ssl
# with the Medusa PEM trio (TLS 1.2, CERT_REQUIRED) against the Java server on the client stores.
. "$K8TLS_SRCDIR/tests/lib.sh"
need java javac
GENMAT="$K8TLS_BUILDDIR/tests/interop/k8tls-genmat"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT

# the matrix: ECDSA for most cells, RSA where it is the point (the default RSA-3072 plan)
gen() { # cell args...
  cell=$1; shift
  "$GENMAT" --quiet --out "$t/$cell" "$@" || { fail "k8tls-genmat $cell $*"; return 1; }
}
gen p12-modern-ec256 --format pkcs12 --profile modern --alg ecdsa256 &
gen p12-legacy-ec384 --format pkcs12 --profile legacy --alg ecdsa384 &
gen jks-ec256 --format jks --alg ecdsa256 &
gen jks-rsa2048 --format jks --alg rsa2048 &
gen p12-default-rsa3072 &
wait
cells="p12-modern-ec256 p12-legacy-ec384 jks-ec256 jks-rsa2048 p12-default-rsa3072"
for c in $cells; do
  [ -f "$t/$c/medusa/client.key" ] || fail "material for $c"
done

mkdir "$t/classes"
check "TlsPeer.java compiles" javac -d "$t/classes" "$K8TLS_SRCDIR/tests/interop/TlsPeer.java"

args=""
for c in $cells; do args="$args $t/$c"; done
# shellcheck disable=SC2086
java -XX:TieredStopAtLevel=1 -cp "$t/classes" TlsPeer --python-port-file "$t/ports" $args \
  >"$t/java.out" 2>&1 &
jpid=$!
"$PY" "$K8TLS_SRCDIR/tests/interop/medusa_client.py" "$t/ports" >"$t/py.out" 2>&1
pyrc=$?
wait $jpid
jrc=$?
cat "$t/java.out" "$t/py.out"

check "Java handshakes all succeed (exit 0)" [ "$jrc" -eq 0 ]
check "Python (Medusa) handshakes all succeed (exit 0)" [ "$pyrc" -eq 0 ]
for c in $cells; do
  check "$c: Java server stores mTLS TLSv1.3" grep -q "^ok: $c server stores mTLS TLSv1.3 server=CN=test-server\(,.*\)\? client=CN=test-server\(,\|$\)"  "$t/java.out"
  check "$c: Java server stores mTLS TLSv1.2" grep -q "^ok: $c server stores mTLS TLSv1.2 " "$t/java.out"
  check "$c: Java client stores mTLS" grep -q "^ok: $c client stores mTLS TLSv1.3 server=CN=test-client\(,.*\)\? client=CN=test-client\(,\|$\)" "$t/java.out"
  check "$c: the Java server saw Python's Medusa certificate (CN=client) over TLS 1.2" \
    grep -q "^ok: $c python client TLSv1.2 client=CN=client\(,\|$\)" "$t/java.out"
  check "$c: Python verified the server (CN=test-client) over TLSv1.2" \
    grep -q "^ok: $c python TLSv1.2 .* server=test-client$" "$t/py.out"
done
check "a client signed by another CA is refused" grep -q "^ok: a client of another CA is refused" "$t/java.out"
finish
