#!/bin/sh
# One footer that matches the focused widget, in one syntax ("key: action"), never cut: Esc asks
# to leave on Welcome and Result (there is no step back), a text field offers F1 (not '?'),
# Output's F10 says Write (what it does), the file chooser shows its own keys, Review lists its
# viewer's keys; in French at 80 columns every footer fits.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
footer() { screen | tail -n 1; }
# every pair is "key: action" (a colon followed by a space) and the row is not cut
one_syntax() { f=$(footer); ! printf '%s' "$f" | grep -q ':[^ ]' && ! printf '%s' "$f" | grep -q '\.\.\.'; }

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
check "Welcome's footer says Esc cancels" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -qF 'Esc: cancel'"
keys Escape
check "Esc on Welcome asks to leave" wait_for "Leave the wizard? Nothing has been written"
keys Enter
check "Stay keeps Welcome" wait_for "step 1 of 10: Welcome"
# the file field, then its Browse button: the chooser's own keys
keys Tab Tab
keys Enter
check "the file chooser opens" wait_for "Choose a file: Answers file"
check "its footer names its keys" wait_for "Enter: choose  Esc: cancel"
check "not the form's (F10)" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -q F10"
keys Escape
wait_for "step 1 of 10: Welcome" >/dev/null
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
check "a text field: F1 for help ('?' is typed)" wait_for "F1: help"
check "a step with Back: Esc goes back" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -qF 'Esc: back'"
check "one syntax on Cluster" one_syntax
for s in "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
check "Review's footer: its viewer's keys" wait_for "PgUp/PgDn Home/End: scroll  /: search"
check "and its own" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -qF 'r: reveal  d: diff'"
check "one syntax on Review" one_syntax
keys F10
wait_for "step 9 of 10: Output" >/dev/null
check "Output's footer: F10 writes, as it does" wait_for "F10: Write"
keys F10
check "F10 wrote" wait_for "Written: k8tls-out"
check "Result's footer says Esc quits" wait_for "Esc: quit"
keys Escape
check "Esc on Result asks to leave" wait_for "Leave the wizard? k8tls-out is written"
keys Right Enter
rc=$(wait_exit "$t")
check "leaving after the write exits 0 (rc=$rc)" [ "$rc" = 0 ]
tui_stop

# French at 80 columns: the footers fit (nothing cut), in one syntax
rm -rf "$t/k8tls-out"
TUI_ENV="LANGUAGE=fr LANG=C.UTF-8" tui_start "$t" 80 24 --tui --answers answers.yaml
check "French Welcome" wait_for "etape 1 sur 10 : Bienvenue"
check "the French footer has the help key" wait_for "F1/? : aide"
check "the Welcome footer is not cut" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -q '\.\.\.'"
for s in "etape 2" "etape 3" "etape 4" "etape 5" "etape 6" "etape 7" "etape 8 sur 10"; do
  keys F10
  wait_for "$s" >/dev/null
done
wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
check "the French Review footer is not cut" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -q '\.\.\.'"
check "and keeps the help key" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -q 'aide'"
finish
