#!/bin/sh
# Welcome's "check an existing cluster" live, at 80x24: the contexts come from the kubeconfig,
# the real kubectl reads the K8ssandraCluster and its Secrets from a loopback fake API server
# where the wizard's bundle was applied without one Secret; the missing Secret is listed with its
# context and its fix; no secret value on the screen; the check only reads (no PATCH).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok ok
wd="$T/w"
mkdir -p "$wd"
(cd "$wd" && timeout 60 "$K8TLS_BIN" --defaults --output bundle >/dev/null 2>&1)
check "the wizard wrote its bundle" [ -f "$wd/bundle/manifests/20-k8ssandracluster.yaml" ]
pw=$(cat "$wd/bundle/stores/server-encryption-stores/keystore-password")
K="kubectl --kubeconfig $KCFG"
$K --context ctx0 apply --server-side -f "$wd/bundle/manifests/20-k8ssandracluster.yaml" \
  -f "$wd/bundle/manifests/10-secret-server-encryption-stores.yaml" \
  -f "$wd/bundle/manifests/10-secret-client-certificates.yaml" >"$T/apply.out" 2>&1
check "applied to ctx0 without client-encryption-stores" [ $? -eq 0 ]
reset_logs
rm -rf "$wd/bundle"
TUI_ENV="KUBECONFIG=$KCFG"
tui_start "$wd" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right
wait_for "check an existing cluster" >/dev/null
keys F10
wait_for "step 2 of 2: Check a cluster" >/dev/null
keys Right
check "the kube context choice, the current context first" wait_re "Kube context: +< ctx0"
keys F10
check "the missing Secret's ref is listed" \
  wait_re "error +K8ssandraCluster/test spec.cassandra.clientEncryptionStores.keys"
check "the focused finding names the Secret and the context" \
  wait_for "Secret client-encryption-stores is missing in context ctx0"
check "and its fix" wait_for "Fix: apply the Secret in every datacenter's context"
check "no fix offered by the wizard itself here" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'f: fix it: '"
keys f
check "f there says the wizard cannot fix it itself" \
  wait_for "the wizard cannot fix this finding itself: see its Fix"
check "and stays on the check" wait_for "step 2 of 2: Check a cluster"
screen >"$T/findings"
check "no store password on the screen" sh -c "! grep -qF '$pw' '$T/findings'"
check "kubectl was called" [ -s "$LOG" ]
check "the check only reads (no PATCH)" sh -c "! grep -q '\"method\": \"PATCH\"' '$LOG'"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$wd")
check "the wizard leaves with 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
check "nothing was written" [ -z "$(ls "$wd")" ]
finish
