#!/bin/sh
# --apply with every TLS surface on (SPEC §10, M2), the real binary and kubectl against two
# loopback fake API servers (dc1 in the control plane ctx0, dc2 in ctx1): each context receives
# the Namespace and every Secret, the seven of the surfaces included, before the K8ssandraCluster
# (ctx0, last); what the API holds is what the output directory has; the management API's Secrets
# carry cassandra.datastax.com/datacenter naming the datacenter of that context (cass-operator
# watches only Secrets so annotated: it then validates the datacenter again when they change),
# in the files the control plane's; the other Secrets carry no such annotation.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"

fakeapi_start ok ok
NS=k8ssandra-operator
cat > "$T/answers.yaml" <<'YAML'
apiVersion: k8tls-wizard/v1
cluster:
  name: test
  namespace: k8ssandra-operator
  datacenters:
  - {name: dc1, size: 3, k8sContext: ""}
  - {name: dc2, size: 3, k8sContext: ctx1}
ca: {key: {algorithm: ecdsa, curve: P-256}}
encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}
YAML
K="kubectl --kubeconfig $KCFG"
SURFACES="mgmt-api-server-tls mgmt-api-client-tls reaper-mgmt-api-stores reaper-api-server-stores
reaper-api-client-tls medusa-grpc-server-tls medusa-grpc-client-tls"

reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" --output "$T/o" --apply --kubeconfig "$KCFG" \
  --create-namespace > "$T/out" 2> "$T/err"
rc=$?
check "--apply with every surface on, two contexts: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/err"
inorder=$(cd "$T/o" && grep -o 'manifests/10-secret-[^ ]*\.yaml' kustomization.yaml |
  sed 's/^manifests\/10-secret-//; s/\.yaml$//')
for s in $SURFACES; do
  check "the bundle has the Secret $s" sh -c "echo '$inorder' | grep -qx '$s'"
done
for ctx in 0 1; do
  {
    echo "$ctx PATCH /api/v1/namespaces/$NS"
    for s in $inorder; do echo "$ctx PATCH /api/v1/namespaces/$NS/secrets/$s"; done
    [ $ctx = 0 ] && echo "0 PATCH /apis/k8ssandra.io/v1alpha1/namespaces/$NS/k8ssandraclusters/test"
  } > "$T/want$ctx"
  patches $ctx | cut -d' ' -f1-3 > "$T/got$ctx"
  check "ctx$ctx got the Namespace, all $(echo "$inorder" | wc -l) Secrets (the surfaces' included), in order$([ $ctx = 0 ] && echo ', then the cluster')" \
    cmp -s "$T/want$ctx" "$T/got$ctx"
  cmp -s "$T/want$ctx" "$T/got$ctx" || { echo "want:"; cat "$T/want$ctx"; echo "got:"; cat "$T/got$ctx"; }
done
patches | cut -d' ' -f3 | tail -n 1 > "$T/last"
check "M2: the K8ssandraCluster is the last object sent, after every context's Secrets" \
  grep -q k8ssandraclusters/test "$T/last"

getann() { # CONTEXT SECRET
  $K --context "$1" -n $NS get secret "$2" \
    -o 'jsonpath={.metadata.annotations.cassandra\.datastax\.com/datacenter}' 2>/dev/null
}
for s in mgmt-api-server-tls mgmt-api-client-tls; do
  check "ctx0: $s names dc1 (cassandra.datastax.com/datacenter)" [ "$(getann ctx0 $s)" = dc1 ]
  check "ctx1: $s names dc2, the datacenter of that context" [ "$(getann ctx1 $s)" = dc2 ]
  check "the file $s names dc1 (the control plane's)" \
    grep -qx '    cassandra.datastax.com/datacenter: dc1' "$T/o/manifests/10-secret-$s.yaml"
done
for s in reaper-api-server-stores medusa-grpc-server-tls server-encryption-stores; do
  a=$(getann ctx1 $s)
  check "$s carries no datacenter annotation" \
    sh -c "[ -z '$a' ] && ! grep -q 'cassandra.datastax.com' '$T/o/manifests/10-secret-$s.yaml'"
done
for pair in mgmt-api-server-tls:tls.key reaper-api-server-stores:keystore.jks medusa-grpc-client-tls:tls.crt; do
  s=${pair%%:*}; k=${pair#*:}
  live=$($K --context ctx1 -n $NS get secret "$s" -o "jsonpath={.data.${k%%.*}\\.${k#*.}}")
  file=$(base64 -w0 < "$T/o/tls/$s/$k")
  check "ctx1 holds $s/$k as written to the output directory" [ -n "$live" ] && [ "$live" = "$file" ]
done
check "ctx1 has no K8ssandraCluster" \
  sh -c "! $K --context ctx1 -n $NS get k8ssandracluster test >/dev/null 2>&1"
finish
