#!/bin/sh
# The rotation path's Result says whether the renewal needs a rolling restart, as NEXT-STEPS.md
# does surface by surface: none for Cassandra 4.1 stores alone (they are re-read while running),
# one for Cassandra 3.11. Read at 80x24.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
for v in 4.1.12 3.11.17; do
  printf '%s\n' 'apiVersion: k8tls-wizard/v1' \
    "cluster: {name: prod, namespace: cass, serverVersion: \"$v\", medusa: {enabled: false}}" \
    'ca: {key: {algorithm: ecdsa, curve: P-256}}' > "$t/a-$v.yaml"
  (cd "$t" && "$K8TLS_BIN" --answers "a-$v.yaml" --output "c$v" >/dev/null 2>&1)
  check "$v: a bundle written by the command line" [ -f "$t/c$v/answers.yaml" ]
done

renew() { # VERSION: the rotation path from the Welcome step to Result, phase renew
  tui_start "$t" 80 24 --tui
  wait_for "Start from:" >/dev/null
  keys Right Right Right
  wait_for "renew or rotate certificates" >/dev/null
  keys F10
  wait_for "step 2 of 6: Certificates to renew" >/dev/null
  keys Tab Tab Enter
  wait_for "Choose a file: Output directory" >/dev/null
  type_text "/c$1/answers.yaml"
  keys Enter
  keys F10
  check "$1: what was found is shown" wait_for "step 3 of 6: Renew or rotate" 30
  check "$1: renew is the phase" wait_for "renew (same CA, new certificates)"
  keys F10
  check "$1: Review" wait_for "step 4 of 6: Review" 30
  keys F10
  check "$1: Output" wait_for "step 5 of 6: Output" 30
  keys F10
  check "$1: Result" wait_for "step 6 of 6: Result" 30
}
renew 4.1.12
check "4.1: Result says no rolling restart is needed" wait_for "no rolling restart is needed"
check "4.1: and does not ask to restart every pod" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'restart every pod'"
keys Enter
wait_exit "$t" >/dev/null
check "4.1: NEXT-STEPS.md agrees" grep -q 'No rolling restart of Cassandra is needed' "$t/c4.1.12-renew/NEXT-STEPS.md"
renew 3.11.17
check "3.11: Result asks to restart every pod" wait_for "restart every pod"
keys Enter
wait_exit "$t" >/dev/null
check "3.11: NEXT-STEPS.md prescribes the rolling restart" grep -q '^### Rolling restart' "$t/c3.11.17-renew/NEXT-STEPS.md"
finish
