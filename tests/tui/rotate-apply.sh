#!/bin/sh
# Rotation from a kube context, applied from the Output step: the live Secrets of
# ctx0 (a loopback fake API server) are read, phase trust is built, written and applied: only the
# three Secrets reach the API server (never the K8ssandraCluster), field manager k8tls-wizard.
# Then the same phase built from the stale directory of phase 0 is refused at apply time, because
# the live Secrets are already at phase 1: the reason is on screen and nothing is sent.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok
wd="$T/w"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/ecdsa.yaml"
(cd "$wd" && KUBECONFIG="$KCFG" "$K8TLS_BIN" --answers ecdsa.yaml --output first --apply \
  >/dev/null 2>"$T/apply0.err")
check "phase 0 is applied to ctx0 by the command line" [ $? -eq 0 ]
TUI_ENV="KUBECONFIG=$KCFG"
NS=k8ssandra-operator

# --- 1. from the live Secrets of ctx0 (CA keys from the first directory) ----------------------
reset_logs
tui_start "$wd" 100 30 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right F10
wait_for "step 2 of 6: Certificates to renew" >/dev/null
keys Right
check "a kube context can be the source" wait_re "Kube context: +< ctx0 >"
keys Tab C-u
type_text "first"
keys F10
check "the live Secrets were read" wait_for "Found in context ctx0 (namespace $NS): one CA trusted" 30
keys Right F10
wait_for "step 4 of 6: Review" 30 >/dev/null
keys F10
check "phase trust is built" wait_re "Output directory: +first-trust" 30
keys Tab Tab Right
check "apply proposes the source context" wait_re "\\[1\\] ctx0"
keys F10
check "the live Secrets are checked first" wait_for "Checking the live Secrets of every context"
check "then the Secrets are applied" wait_re "Secret client-certificates +ctx0 +applied" 40
check "three objects" wait_for "Done: 3 objects applied" 40
keys Enter
check "Result: applied, then restart" wait_for "Applied to ctx0 (control plane): 3 objects"
check "Result: the next step is a rolling restart" wait_for "Next: restart every pod"
keys Enter
rc=$(wait_exit "$wd")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
patches | awk '{print $3, $6}' > "$T/p1"
cat > "$T/want1" <<EOF
/api/v1/namespaces/$NS/secrets/server-encryption-stores k8tls-wizard
/api/v1/namespaces/$NS/secrets/client-encryption-stores k8tls-wizard
/api/v1/namespaces/$NS/secrets/client-certificates k8tls-wizard
EOF
check "only the three Secrets were sent, never the K8ssandraCluster" cmp -s "$T/want1" "$T/p1"
cmp -s "$T/want1" "$T/p1" || cat "$T/p1"
check "rotation.yaml is written" [ -f "$wd/first-trust/rotation.yaml" ]

# --- 2. the stale phase-0 directory: trust again is refused at apply time --------------------
reset_logs
tui_start "$wd" 100 30 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right F10
wait_for "step 2 of 6: Certificates to renew" >/dev/null
keys Tab C-u
type_text "first"
keys F10
check "the directory alone still looks steady" wait_for "Found in first" 30
keys Right F10
wait_for "step 4 of 6: Review" 30 >/dev/null
keys F10
wait_re "Output directory: +first-trust" 30 >/dev/null
keys C-u
type_text "again-trust"
keys Tab Tab Right
wait_re "\\[1\\] ctx0" >/dev/null
keys F10
check "the live check refuses: the cluster is already rotating" \
  wait_re "phase trust refused: a CA rotation is under way in context ctx0" 40
check "and says nothing was applied" wait_for "Nothing was applied."
keys Enter
check "back on Output with the reason" wait_for "Not applied: "
check "nothing reached the API server" [ "$(patches | grep -c .)" = 0 ]
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$wd")
check "the wizard leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored" cmp -s "$wd/.stty-before" "$wd/.stty-after"
finish
