#!/bin/sh
# 80x24 is the minimum: a 60x20 terminal shows a clear "enlarge" message, resizing to 100x30
# shows the screen, and a resize in the middle of a step redraws it with the values kept.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

tui_start "$t" 60 20 --tui --answers answers.yaml
check "60x20 says the terminal is too small" wait_for "The terminal is 60x20; k8tls-wizard needs at least 80x24."
check "and what to do" wait_for "Enlarge the terminal"
tm resize-window -x 100 -y 30
check "100x30 shows the Welcome step" wait_for "step 1 of 10: Welcome"
check "with the help bar at the bottom" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | sed -n 30p | grep -q 'F10: next'"
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
keys C-u; type_text "resized"
tm resize-window -x 80 -y 24
check "80x24 redraws the step" wait_re "Cluster name: +resized"
check "the buttons fit in 80 columns" wait_for "[ Back ]  [ Next ]  [ Cancel ]"
check "the help bar is on the last line of 24" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | sed -n 24p | grep -q 'F10: next'"
tm resize-window -x 70 -y 30
check "70 columns is too narrow again" wait_for "The terminal is 70x30"
tm resize-window -x 100 -y 30
check "back to 100x30 keeps the typed value" wait_re "Cluster name: +resized"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Tab Enter
rc=$(wait_exit "$t")
check "leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored" cmp -s "$t/.stty-before" "$t/.stty-after"
finish
