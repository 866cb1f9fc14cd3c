#!/bin/sh
# Issue 7 against a cluster: `rotate --from-context` reads the live Secrets with the real kubectl
# (a loopback fake API server, tests/kube/fakeapi.py), shows the stage, and refuses phase N+1
# while the cluster's Secrets are not at phase N, even when the directory given is; --apply sends
# only the Secrets (never the K8ssandraCluster), with no secret on any kubectl command line.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
W="$K8TLS_BIN"

fakeapi_start ok ok
NS=rot
cat > "$T/answers.yaml" <<EOF
apiVersion: k8tls-wizard/v1
cluster: {name: demo, namespace: $NS}
ca:
  key: {algorithm: ecdsa, curve: P-256}
EOF
S1="/api/v1/namespaces/$NS/secrets/server-encryption-stores"
S2="/api/v1/namespaces/$NS/secrets/client-encryption-stores"
S3="/api/v1/namespaces/$NS/secrets/client-certificates"

run() { # expected-status name args...
  want=$1 name=$2; shift 2
  "$W" rotate --kubeconfig "$KCFG" "$@" >"$T/out" 2>"$T/err"
  got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $want)"; else
    fail "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err"; fi
}

# phase 0 in both clusters
check "phase 0 applied to ctx0" sh -c "'$W' --answers '$T/answers.yaml' --output '$T/p0' --apply --kubeconfig '$KCFG' --context ctx0 >'$T/a0' 2>&1"
check "phase 0 applied to ctx1" sh -c "'$W' --answers '$T/answers.yaml' --output '$T/p0b' --apply --kubeconfig '$KCFG' --context ctx1 >'$T/a1' 2>&1"

run 0 "the live Secrets of ctx0 are read" --from-context ctx0 --answers "$T/answers.yaml" -q
check "ctx0 is steady" grep -q "one CA trusted" "$T/out"
check "the source is named" grep -q "context ctx0" "$T/out"
check "kubectl got each Secret by name, output read from a pipe" \
  grep -q "^client-certificates$" "$SHIMLOG"
run 1 "reissue against a steady cluster is refused" --from-context ctx0 --answers "$T/answers.yaml" --phase reissue -o "$T/x"
check "the reason names phase trust" grep -q "needs phase trust first" "$T/err"
check "nothing written" [ ! -e "$T/x" ]

# phase 1, applied to ctx0 only
reset_logs
run 0 "phase trust with --apply to ctx0" --from "$T/p0" --from-context ctx0 --phase trust -o "$T/p1" --apply -q
patches 0 > "$T/patches"
check "three Secrets were applied, nothing else" sh -c "[ \$(wc -l < '$T/patches') = 3 ] && grep -q ' $S1 ' '$T/patches' && grep -q ' $S2 ' '$T/patches' && grep -q ' $S3 ' '$T/patches'"
check "the K8ssandraCluster was not touched" sh -c "! grep -q k8ssandraclusters '$T/patches'"
patches 1 > "$T/patches1"
check "ctx1 was not touched" [ ! -s "$T/patches1" ]
cat "$T"/p0/stores/*/*-password "$T/p1/ca/next-rootca.key" | grep -v -- '-----' > "$T/known"
if argv_has_any_of "$T/known"; then fail "no password nor key on any kubectl command line"
else pass "no password nor key on any kubectl command line"; fi
run 0 "after the apply" --from-context ctx0 --answers "$T/answers.yaml" -q
check "ctx0 is now at phase trust and reissue is proposed" grep -q "^Proposed next step: phase reissue" "$T/out"

# phase 2 refused where phase 1 was not applied, even from the phase-1 directory
run 1 "reissue against ctx1 (still at phase 0) is refused" --from "$T/p1" --from-context ctx1 --phase reissue -o "$T/y"
check "the reason says the truststores of ctx1 trust one CA only" grep -q "truststores of context ctx1 trust one CA only" "$T/err"
check "nothing written" [ ! -e "$T/y" ]
# --apply without --from-context checks the context it applies to
run 1 "reissue with --apply to ctx1 is refused too" --from "$T/p1" --phase reissue -o "$T/y" --apply --context ctx1
check "nothing written for ctx1" [ ! -e "$T/y" ]
run 1 "reissue applied to ctx0 and ctx1 is refused: ctx1 lags behind" --from "$T/p1" --phase reissue -o "$T/y" --apply --context ctx0 --context ctx1
check "the lagging context is named" grep -q "context ctx1" "$T/err"
check "nothing written for ctx0+ctx1" [ ! -e "$T/y" ]
run 2 "--from-context and a different --context" --from "$T/p1" --from-context ctx0 --phase reissue -o "$T/y" --apply --context ctx1

reset_logs
run 0 "reissue against ctx0 (at phase trust)" --from "$T/p1" --from-context ctx0 --phase reissue -o "$T/p2" --apply -q
patches 0 > "$T/patches"
check "phase 2 applied three Secrets" [ "$(wc -l < "$T/patches")" = 3 ]
run 0 "after reissue" --from-context ctx0 --answers "$T/answers.yaml" -q
check "ctx0 is now at phase reissue and retire is proposed" grep -q "^Proposed next step: phase retire" "$T/out"

# two datacenters in two contexts (K9): every context must be at the phase
cat > "$T/multi.yaml" <<EOF
apiVersion: k8tls-wizard/v1
cluster:
  name: multi
  namespace: rot2
  datacenters:
    - {name: dc1, size: 3, k8sContext: ""}
    - {name: dc2, size: 3, k8sContext: ctx1}
ca:
  key: {algorithm: ecdsa, curve: P-256}
EOF
check "multi-DC phase 0 applied (Secrets in ctx0 and ctx1)" sh -c "'$W' --answers '$T/multi.yaml' --output '$T/m0' --apply --kubeconfig '$KCFG' --context ctx0 >'$T/m0.log' 2>&1"
reset_logs
run 0 "multi-DC phase trust, applied" --from "$T/m0" --from-context ctx0 --phase trust -o "$T/m1" --apply -q
patches 0 > "$T/pm0"
patches 1 > "$T/pm1"
check "phase trust reached ctx0" [ "$(wc -l < "$T/pm0")" = 3 ]
check "phase trust reached ctx1 (dc2's context)" [ "$(wc -l < "$T/pm1")" = 3 ]
run 0 "multi-DC phase reissue, written only" --from "$T/m1" --from-context ctx0 --phase reissue -o "$T/m2" -q
# a half-applied phase: the reissued Secrets reach ctx0 only
check "phase reissue applied by hand to ctx0 only" \
  sh -c "kubectl --kubeconfig '$KCFG' --context ctx0 apply --server-side --field-manager=k8tls-wizard -f '$T/m2/manifests' >'$T/k.log' 2>&1"
run 1 "retire refused while ctx1 lags behind" --from "$T/m2" --from-context ctx0 --phase retire -o "$T/m3"
check "the lagging context and datacenter are named" grep -q "context ctx1 (datacenter dc2)" "$T/err"
check "nothing written" [ ! -e "$T/m3" ]

# errors
run 1 "a Secret missing from the cluster" --from-context ctx0 -q
check "the missing Secret is named (the defaults' namespace has none)" grep -q "not found" "$T/err"
run 3 "an unreachable context" --from-context dead --answers "$T/answers.yaml" -q
check "the failure is named" grep -q "context dead" "$T/err"
finish
