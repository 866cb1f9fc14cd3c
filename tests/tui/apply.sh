#!/bin/sh
# The Output step applies the bundle: the contexts come from the kubeconfig (the current
# one chosen first; Space adds ctx1), the real kubectl sends the Secrets to both loopback fake API
# servers, then the K8ssandraCluster to the control plane, with field manager k8tls-wizard; the
# screen shows each object's result as it goes and the Result step says what was applied where.
# A second run with "Server dry run" sends only dryRun=All requests.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok ok
wd="$T/w"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/answers.yaml"
TUI_ENV="KUBECONFIG=$KCFG"
NS=k8ssandra-operator
APPLY="k8tls-wizard application/apply-patch+yaml"

to_output() {
  wait_for "Answers file: answers.yaml" >/dev/null
  for s in "step 2" "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
    keys F10
    wait_for "$s" >/dev/null
  done
  wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
  keys F10
  wait_for "step 9 of 10: Output" >/dev/null
}

# --- 1. two contexts ------------------------------------------------------------------------
reset_logs
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_output
# Output directory, [Browse], Namespace manifest, Save the answers file, Apply to a cluster
keys Tab Tab Tab Tab Right
check "Apply offers the kubeconfig's contexts, the current one chosen" wait_re "\\[1\\] ctx0  \\(current\\)"
check "every context is listed" wait_re "\\[ \\] ctx1"
check "the namespace is shown (from the plan)" wait_for "Apply: namespace $NS"
keys Tab Down Space
check "Space adds ctx1 as the second context" wait_re "\\[2\\] ctx1"
keys F10
check "each object's result is shown as it goes" wait_re "Secret server-encryption-stores +ctx0 +applied" 40
check "the panel says when it is done" wait_for "Done: 7 objects applied" 40
check "the second context's Secrets are listed" wait_re "Secret client-certificates +ctx1 +applied"
check "the cluster's result is listed" wait_re "K8ssandraCluster test +ctx0 +applied"
keys Enter
check "Result says what was applied where" wait_for "Applied to ctx0 (control plane), ctx1: 7 objects"
check "Result says what was written" wait_for "Written: k8tls-out"
keys Enter
rc=$(wait_exit "$wd")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
check "the terminal settings are restored" cmp -s "$wd/.stty-before" "$wd/.stty-after"
# the contexts get their Secrets at the same time: each context's in order, then the last PATCH
{ patches 0 | grep -v k8ssandraclusters; patches 1; patches | tail -n 1; } |
  sed 's/ - false / - - /' > "$T/p1"
cat > "$T/want1" <<EOF
0 PATCH /api/v1/namespaces/$NS/secrets/server-encryption-stores - - $APPLY
0 PATCH /api/v1/namespaces/$NS/secrets/client-encryption-stores - - $APPLY
0 PATCH /api/v1/namespaces/$NS/secrets/client-certificates - - $APPLY
1 PATCH /api/v1/namespaces/$NS/secrets/server-encryption-stores - - $APPLY
1 PATCH /api/v1/namespaces/$NS/secrets/client-encryption-stores - - $APPLY
1 PATCH /api/v1/namespaces/$NS/secrets/client-certificates - - $APPLY
0 PATCH /apis/k8ssandra.io/v1alpha1/namespaces/$NS/k8ssandraclusters/test - - $APPLY
EOF
check "the API servers got the Secrets in both contexts, then the cluster in the first, field manager k8tls-wizard" \
  cmp -s "$T/want1" "$T/p1"
cmp -s "$T/want1" "$T/p1" || { echo "got:"; cat "$T/p1"; }
check "the stored Secret is the written one (its keystore password)" "$PY" - "$LOG" \
  "$wd/k8tls-out/stores/server-encryption-stores/keystore-password" <<'PYEOF'
import base64, json, sys, yaml
pw = open(sys.argv[2]).read().strip()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] == "PATCH" and e["path"].endswith("/secrets/server-encryption-stores"):
        d = yaml.safe_load(e["body"])["data"]["keystore-password"]
        sys.exit(0 if base64.b64decode(d).decode() == pw else 1)
sys.exit(1)
PYEOF
check "kubectl never saw a password on its command line" \
  sh -c "! grep -qF \"\$(cat '$wd/k8tls-out/stores/server-encryption-stores/keystore-password')\" '$SHIMLOG'"

# --- 2. server dry run: dryRun=All, nothing stored -------------------------------------------
reset_logs
rm -rf "$wd/k8tls-out"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_output
keys Tab Tab Tab Tab Right
wait_re "\\[1\\] ctx0" >/dev/null
# the list, then Server dry run
keys Tab Tab Right
check "Server dry run can be chosen" wait_re "Server dry run: +< yes >"
keys F10
check "the dry run reports each object" wait_re "Secret server-encryption-stores +ctx0 +applied \\(server dry run\\)" 40
check "the dry run says nothing was stored" wait_for "nothing was stored" 40
keys Enter
check "Result says it was a server dry run" wait_for "Server dry run in ctx0 (control plane): 4 objects accepted"
keys Enter
rc=$(wait_exit "$wd")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
patches > "$T/p2"
if [ "$(grep -c . "$T/p2")" = 4 ] && ! grep -v ' All ' "$T/p2" >/dev/null; then
  pass "the dry run sent 4 PATCHes, each with dryRun=All"
else
  fail "the dry run: expected 4 PATCHes with dryRun=All"; cat "$T/p2"
fi
finish
