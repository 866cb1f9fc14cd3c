#!/bin/sh
# Cancel asks, then leaves nothing behind: with the Cancel button and with Ctrl-C, after the keys
# were generated, no file is written and the terminal settings are exactly as before. Ctrl-C
# then "Stay" goes on where it was.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

# 1. the Cancel button, on the server stores step (keys already made in the background)
tui_start "$t" 100 30 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2" "step 3" "step 4" "step 5 of 10: Server stores"; do
  keys F10; wait_for "$s" >/dev/null
done
check "the keys are made in the background" wait_for "Keys: ready"
# fields: Stores, Secret name, two passwords; then Back, Next, Cancel
keys BTab
check "Shift-Tab from the first field reaches the Cancel button" wait_for "[>Cancel<]"
keys Enter
check "Cancel asks first" wait_for "Leave the wizard?"
keys Right Enter
rc=$(wait_exit "$t")
check "leaving exits 1 (rc=$rc)" [ "$rc" = 1 ]
check "it says nothing was written" grep -q "nothing was written" "$t/.stderr"
check "the terminal settings are restored (Cancel)" cmp -s "$t/.stty-before" "$t/.stty-after"
files_after=$(ls -A "$t" | grep -v '^\.' | sort | tr '\n' ' ')
check "no file is left behind (Cancel): '$files_after'" [ "$files_after" = "answers.yaml " ]
tui_stop

# 2. Ctrl-C: "Stay" goes on, then Ctrl-C and "Leave"
rm -f "$t"/.stty-* "$t/.stderr"
tui_start "$t" 100 30 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10; wait_for "step 2 of 10: Cluster" >/dev/null
keys F10; wait_for "step 3 of 10" >/dev/null
keys F10; wait_for "step 4 of 10" >/dev/null
keys C-c
check "Ctrl-C asks first" wait_for "Leave the wizard?"
keys Enter
check "Stay goes back to the same step" wait_for "step 4 of 10: Certificate authority"
check "the question is gone" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Leave the wizard'"
keys F10; wait_for "step 5 of 10" >/dev/null
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Tab Enter
rc=$(wait_exit "$t")
check "Ctrl-C then Leave exits 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored (Ctrl-C)" cmp -s "$t/.stty-before" "$t/.stty-after"
files_after=$(ls -A "$t" | grep -v '^\.' | sort | tr '\n' ' ')
check "no file is left behind (Ctrl-C): '$files_after'" [ "$files_after" = "answers.yaml " ]
check "no temporary directory either" sh -c "! ls -A '$t' | grep -q tmp"
tui_stop

# 3. SIGTERM while running: the terminal is restored by the signal handler
rm -f "$t"/.stty-* "$t/.stderr"
tui_start "$t" 100 30 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
pane=$(tm list-panes -F "#{pane_pid}" | head -1)
pid=$(pgrep -P "$pane" -f k8tls-wizard || true)
check "the wizard's process is found" [ -n "$pid" ]
[ -n "$pid" ] && kill -TERM "$pid"
rc=$(wait_exit "$t")
check "SIGTERM ends it with 128+15 (rc=$rc)" [ "$rc" = 143 ]
check "the terminal settings are restored (SIGTERM)" cmp -s "$t/.stty-before" "$t/.stty-after"

# 3b. SIGINT from outside (not the Ctrl-C key) and SIGABRT (what a failed assertion raises)
for sig in INT:130 ABRT:134; do
  name=${sig%%:*}
  want=${sig##*:}
  rm -f "$t"/.stty-* "$t/.stderr"
  tui_start "$t" 100 30 --tui --answers answers.yaml
  wait_for "Answers file: answers.yaml" >/dev/null
  keys F10
  wait_for "step 2 of 10" >/dev/null
  pane=$(tm list-panes -F "#{pane_pid}" | head -1)
  pid=$(pgrep -P "$pane" -f k8tls-wizard || true)
  [ -n "$pid" ] && kill -"$name" "$pid"
  rc=$(wait_exit "$t")
  check "SIG$name ends it with $want (rc=$rc)" [ "$rc" = "$want" ]
  check "the terminal settings are restored (SIG$name)" cmp -s "$t/.stty-before" "$t/.stty-after"
done

# 4. a terminal curses does not know: one clear line, exit 3, the terminal untouched
rm -f "$t"/.stty-* "$t/.stderr"
# (libtinfo leaks its "prescreen" when newterm fails: not ours, so a sanitizer build ignores it)
TUI_ENV="TERM=no-such-terminal ASAN_OPTIONS=detect_leaks=0" tui_start "$t" 100 30 --tui --answers answers.yaml
rc=$(wait_exit "$t")
check "an unknown TERM exits 3 (rc=$rc)" [ "$rc" = 3 ]
check "and says which terminal" grep -q "cannot use this terminal.*TERM=no-such-terminal" "$t/.stderr"
check "in one line" [ "$(wc -l <"$t/.stderr")" -eq 1 ]
check "the terminal settings are unchanged (bad TERM)" cmp -s "$t/.stty-before" "$t/.stty-after"
finish
