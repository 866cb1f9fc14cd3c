#!/bin/sh
# The doctor treats its input as hostile (X5): random bytes, deep nesting, alias bombs, wrong
# shapes, bad base64, a symlink loop, a --crd that is no CRD: never a crash or a hang, a clear
# message naming the file (exit 3 for unreadable input, 1 for findings).
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout head
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

run() { # NAME WANT-RCS(space separated) ARGS...
  n=$1; want=$2; shift 2
  timeout 60 "$K8TLS_BIN" doctor "$@" > "$n.out" 2> "$n.err"
  rc=$?
  ok=false
  for w in $want; do [ "$rc" -eq "$w" ] && ok=true; done
  check "$n: exit in {$want} (got $rc)" $ok
  $ok || sed 's/^/    /' "$n.out" "$n.err" | head -5
}

head -c 65536 /dev/urandom > random.yaml
run random "3" random.yaml
check "random: the message names the file" grep -q 'random.yaml' random.err

awk 'BEGIN { for (i = 0; i < 5000; i++) printf "["; print "" }' > deep.yaml
run deep "3" deep.yaml
check "deep: the message says how deep" grep -q 'deep.yaml' deep.err

{ echo "apiVersion: k8ssandra.io/v1alpha1"; echo "kind: K8ssandraCluster"
  echo "metadata: {name: bomb}"
  echo "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"
  i=1; while [ $i -lt 9 ]; do p=$((i - 1))
    echo "a$i: &a$i [*a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p]"; i=$((i + 1)); done
  echo "spec: {cassandra: {datacenters: *a8}}"; } > bomb.yaml
run bomb "1" bomb.yaml

cat > shapes.yaml <<'Y'
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata: {name: shapes}
spec:
  cassandra:
    serverEncryptionStores: [1, 2]
    clientEncryptionStores: "text"
    config: {cassandraYaml: [a]}
    managementApiAuth: {manual: {serverSecretName: [x], clientSecretName: {}}}
    datacenters: {dc1: 3}
  medusa: {clientEncryptionStores: {keystoreSecretRef: "x", truststoreSecretRef: [], truststorePasswordSecretRef: {name: m, key: k}}}
  reaper: {encryption: 7}
---
apiVersion: v1
kind: Secret
metadata: {name: m}
data: {k: "!!!not base64!!!", other: [1, 2]}
---
kind: [Secret]
---
- just
- a list
Y
run shapes "1" shapes.yaml
check "shapes: the CRD errors are reported" grep -q 'K14.*spec.cassandra.serverEncryptionStores' shapes.out

mkdir loop && ln -s ../loop loop/self && cp shapes.yaml loop/
run loop "1" loop

printf '\0\1\2\3' > bin-crd.yaml
run badcrd "1" --crd bin-crd.yaml shapes.yaml
run nocrd "1" --crd /nonexistent/crd.yaml shapes.yaml
check "nocrd: names the CRD file" grep -q '/nonexistent/crd.yaml' nocrd.out
run missing "3" /nonexistent/dir
run expiring-bad "2" --expiring soon shapes.yaml
finish
