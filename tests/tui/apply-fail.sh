#!/bin/sh
# Apply failures on the Output step: an unreachable context shows the one-line reason and
# which objects were not applied (nothing reaches the other API server), the step stays on Output
# with the directory written, Cancel then leaves with the terminal restored; without kubectl on
# PATH the reason says so; a malformed kubeconfig
# shows its file:line:col instead of the context list, applies nothing and does not crash.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok
wd="$T/w"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/answers.yaml"

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

# --- 1. ctx0 and an unreachable context --------------------------------------------------------
reset_logs
TUI_ENV="KUBECONFIG=$KCFG"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_output
keys Tab Tab Tab Tab Right
wait_re "\\[1\\] ctx0" >/dev/null
# the contexts are sorted: ctx0, dead
keys Tab Down Space
check "the unreachable context is chosen second" wait_re "\\[2\\] dead"
keys F10
check "the one-line reason is on screen" \
  wait_re "context dead: the API server http://127\\.0\\.0\\.1:[0-9]+ is unreachable" 40
check "every object is listed as not applied" wait_re "K8ssandraCluster test +ctx0 +not applied"
check "and it says nothing was applied" wait_for "Nothing was applied."
keys Enter
check "back on Output, the reason stays" wait_re "Not applied: context dead: the API server"
check "what was applied: nothing" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | tr -s ' \n' '  ' | grep -q 'Applied: nothing. The bundle is written to k8tls-out'"
check "still the Output step" wait_for "step 9 of 10: Output"
check "nothing reached the reachable API server" [ "$(patches | grep -c .)" = 0 ]
check "the directory was written" [ -f "$wd/k8tls-out/manifests/20-k8ssandracluster.yaml" ]
keys C-c
check "Cancel says the directory is written" wait_for "k8tls-out is written; nothing more will be done"
keys Right Enter
rc=$(wait_exit "$wd")
check "the wizard leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored" cmp -s "$wd/.stty-before" "$wd/.stty-after"
check "the last words say what was written" grep -q "cancelled: k8tls-out was written" "$wd/.stderr"

# --- 2. no kubectl on PATH ------------------------------------------------------------------
reset_logs
rm -rf "$wd/k8tls-out"
TUI_ENV="KUBECONFIG=$KCFG PATH=$T/empty"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_output
keys Tab Tab Tab Tab Right
wait_re "\\[1\\] ctx0" >/dev/null
keys F10
check "a missing kubectl is named on screen" wait_for "kubectl not found in PATH" 40
check "and nothing was applied" wait_for "Nothing was applied."
keys Enter
check "back on Output with the reason" wait_for "Not applied: kubectl not found in PATH"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$wd")
check "the wizard leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "nothing reached the API server" [ "$(grep -c . "$LOG")" = 0 ]

# --- 3. a malformed kubeconfig -----------------------------------------------------------------
reset_logs
rm -rf "$wd/k8tls-out"
printf 'apiVersion: v1\nkind: Config\ncontexts:\n- name: [broken\n  context: {cluster: c}\n' > "$wd/bad-kubeconfig"
TUI_ENV="KUBECONFIG=$wd/bad-kubeconfig"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_output
keys Tab Tab Tab Tab Right
check "the kubeconfig's file:line:col is shown" wait_re "bad-kubeconfig:[0-9]+:[0-9]+"
check "instead of a context list" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Kube contexts:'"
keys F10
check "Write refuses to apply with it" wait_re "Error: Apply to a cluster: .*bad-kubeconfig:[0-9]+:[0-9]+"
check "still the Output step" wait_for "step 9 of 10: Output"
check "nothing was written" [ ! -e "$wd/k8tls-out" ]
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$wd")
check "no crash: the wizard leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored" cmp -s "$wd/.stty-before" "$wd/.stty-after"
check "nothing was sent anywhere" [ "$(grep -c . "$LOG")" = 0 ]
finish
