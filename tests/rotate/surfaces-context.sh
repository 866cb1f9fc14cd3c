#!/bin/sh
# The Secrets of SPEC §10 in a cluster (the kube tests' loopback fake API, the real kubectl):
# rotate --from-context reads them with the stores, a phase's --apply sends all ten Secrets
# (never the K8ssandraCluster), the next stage is then detected from them, and a surface Secret
# left at an earlier phase stops the next phase with its name.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
W="$K8TLS_BIN"

fakeapi_start ok ok
NS=surf
cat > "$T/answers.yaml" <<EOF
apiVersion: k8tls-wizard/v1
cluster: {name: demo, namespace: $NS, reaper: {enabled: true}, medusa: {enabled: true}}
ca:
  key: {algorithm: ecdsa, curve: P-256}
encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}
EOF
SURF="mgmt-api-server-tls mgmt-api-client-tls reaper-api-server-stores reaper-api-client-tls reaper-mgmt-api-stores medusa-grpc-server-tls medusa-grpc-client-tls"

run() { # expected-status name args...
  want=$1 name=$2; shift 2
  "$W" rotate --kubeconfig "$KCFG" "$@" >"$T/out" 2>"$T/err"
  got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $want)"; else
    fail "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err"; fi
}
kapply() { kubectl --kubeconfig "$KCFG" --context ctx0 apply --server-side --force-conflicts \
  --field-manager=k8tls-wizard -f "$1" >"$T/k.log" 2>&1; }

check "phase 0 (every surface) applied to ctx0" \
  sh -c "'$W' --answers '$T/answers.yaml' --output '$T/p0' --apply --kubeconfig '$KCFG' --context ctx0 >'$T/a0' 2>&1"
run 0 "the live Secrets are read" --from-context ctx0 --answers "$T/answers.yaml"
check "steady" grep -q "one CA trusted" "$T/out"
for s in $SURF; do
  check "kubectl got $s" grep -q "^$s$" "$SHIMLOG"
done
check "the surfaces' certificates are in the summary" \
  sh -c "grep -q 'management API server certificate' '$T/out' && grep -q 'Reaper management API keystore' '$T/out'"

reset_logs
run 0 "phase trust with --apply" --from "$T/p0" --from-context ctx0 --phase trust -o "$T/p1" --apply -q
patches 0 > "$T/patches"
check "ten Secrets applied, nothing else" [ "$(wc -l < "$T/patches")" = 10 ]
for s in $SURF; do
  check "$s applied" grep -q " /api/v1/namespaces/$NS/secrets/$s " "$T/patches"
done
check "the K8ssandraCluster was not touched" sh -c "! grep -q k8ssandraclusters '$T/patches'"
cat "$T"/p1/tls/*/tls.key | grep -v -- '-----' > "$T/known"
if argv_has_any_of "$T/known"; then fail "no key on any kubectl command line"
else pass "no key on any kubectl command line"; fi
run 0 "after the apply" --from-context ctx0 --answers "$T/answers.yaml" -q
check "the stage is read from every Secret: reissue is proposed" grep -q "^Proposed next step: phase reissue" "$T/out"

# one surface Secret put back to phase 0: the next phase names it
check "the phase-0 gRPC server Secret applied again by hand" kapply "$T/p0/manifests/10-secret-medusa-grpc-server-tls.yaml"
run 1 "reissue refused: a surface Secret is at another phase" --from "$T/p1" --from-context ctx0 --phase reissue -o "$T/x"
check "the reason names the gRPC server Secret" grep -q "medusa-grpc-server-tls" "$T/err"
check "nothing written" [ ! -e "$T/x" ]
check "the trust-phase gRPC server Secret applied again" kapply "$T/p1/manifests/10-secret-medusa-grpc-server-tls.yaml"
reset_logs
run 0 "reissue with --apply" --from "$T/p1" --from-context ctx0 --phase reissue -o "$T/p2" --apply -q
patches 0 > "$T/patches2"
check "phase 2 applied ten Secrets" [ "$(wc -l < "$T/patches2")" = 10 ]
run 0 "after reissue" --from-context ctx0 --answers "$T/answers.yaml" -q
check "retire is proposed" grep -q "^Proposed next step: phase retire" "$T/out"
finish
