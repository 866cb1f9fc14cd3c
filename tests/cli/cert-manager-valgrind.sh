#!/bin/sh
# cert-manager mode under valgrind (memcheck): the emitter on the default plan, on every surface
# with JKS, ClusterIssuers and trust-manager, with an imported CA and a surface's own CA, a merge,
# a refusal, and inspect on the output: no memory error and no definite leak.
. "$K8TLS_SRCDIR/tests/lib.sh"
if ldd "$K8TLS_BIN" 2>/dev/null | grep -qE 'lib(asan|ubsan|tsan)\.so'; then
  echo "SKIP: $K8TLS_BIN is built with sanitizers: ASan and valgrind do not mix"
  exit 77
fi
need valgrind openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

vg() { # NAME EXPECTED-STATUS ARGS...
  name=$1 want=$2
  shift 2
  LC_ALL=C valgrind -q --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --error-exitcode=99 --log-file="vg-$name.log" \
    "$K8TLS_BIN" "$@" >"$name.out" 2>"$name.err" </dev/null
  rc=$?
  if [ "$rc" -eq 99 ] || grep -qE 'definitely lost|Invalid (read|write|free)|uninitialised|ERROR SUMMARY: [1-9]' "vg-$name.log"; then
    sed 's/^/  /' "vg-$name.log" | head -n 60
    fail "$name: valgrind found memory errors or definite leaks"
  elif [ "$rc" -ne "$want" ]; then
    sed 's/^/  /' "$name.err" | head -n 10
    fail "$name: exit status $rc, expected $want"
  else
    pass "$name: exit $rc, no memory error, no definite leak"
  fi
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
  -days 3650 -subj "/O=Acme/CN=Acme CA" 2>/dev/null
cp ca.key mca.key; cp ca.crt mca.crt
printf 'apiVersion: k8tls-wizard/v1\noutput: {mode: cert-manager}\n' > default.yaml
cat > all.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
cluster: {reaper: {enabled: true}}
encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}
stores: {format: jks}
output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}
YAML
cat > imported.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
ca: {source: import, import: {cert: ca.crt, key: ca.key}}
encryption: {managementApi: {enabled: true, ca: {source: import, import: {cert: mca.crt, key: mca.key}}}}
output: {mode: cert-manager, trustManager: true}
YAML
printf 'apiVersion: k8tls-wizard/v1\ncluster: {manifest: %s}\noutput: {mode: cert-manager}\n' \
  "$K8TLS_SRCDIR/tests/bundle/fixtures/real/medusa-both.yaml" > merge.yaml
printf 'apiVersion: k8tls-wizard/v1\noutput: {mode: cert-manager, trustManager: true}\n' > refused.yaml

vg default 0 --answers default.yaml --output o-default
vg all 0 --answers all.yaml --output o-all
vg imported 0 --answers imported.yaml --output o-imported
vg merge 0 --answers merge.yaml --output o-merge
vg refused 1 --answers refused.yaml --output o-refused
vg inspect-all 0 inspect o-all
vg inspect-imported 0 inspect o-imported
finish
