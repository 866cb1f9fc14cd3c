#!/bin/sh
# Welcome's "check an existing cluster" live, at 80x24: the contexts come from the kubeconfig,
# the real kubectl reads the K8ssandraCluster and its Secrets from two loopback fake API servers
# (the control plane, and the context of a second datacenter where one Secret was not applied);
# Space adds the second context; the missing Secret is listed with its context and its fix; no secret value on the screen; the check only reads (no PATCH).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok ok
wd="$T/w"
mkdir -p "$wd"
(cd "$wd" && timeout 60 "$K8TLS_BIN" --defaults --output bundle >/dev/null 2>&1)
m="$wd/bundle/manifests/20-k8ssandracluster.yaml"
check "the wizard wrote its bundle" [ -f "$m" ]
# a second datacenter in ctx1
"$PY" - "$m" <<'PY'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
d["spec"]["cassandra"]["datacenters"].append({"metadata": {"name": "dc2"}, "size": 3, "k8sContext": "ctx1"})
yaml.safe_dump(d, open(p, "w"), sort_keys=False)
PY
pw=$(cat "$wd/bundle/stores/server-encryption-stores/keystore-password")
K="kubectl --kubeconfig $KCFG"
$K --context ctx0 apply --server-side -f "$wd/bundle/manifests/" >"$T/apply.out" 2>&1
check "applied to ctx0" [ $? -eq 0 ]
$K --context ctx1 apply --server-side -f "$wd/bundle/manifests/10-secret-server-encryption-stores.yaml" \
  -f "$wd/bundle/manifests/10-secret-client-certificates.yaml" >"$T/apply1.out" 2>&1
check "applied to ctx1 without client-encryption-stores" [ $? -eq 0 ]
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
check "the kube contexts, the current one selected" wait_re "Kube contexts: +\\[1\\] ctx0  \\(current\\)"
keys Tab
wait_re "> ?!?Kube contexts:" >/dev/null
keys Down Space
check "Space adds ctx1 (a datacenter's context)" wait_re "\\[2\\] ctx1"
keys F10
check "the missing Secret's ref is listed" \
  wait_re "error +K8ssandraCluster/test spec.cassandra.clientEncryptionStores.keys"
check "the list names both contexts" wait_for "finding(s) in ctx0, ctx1"
check "the focused finding names the Secret and the context" \
  wait_for "Secret client-encryption-stores is missing in context ctx1"
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
