#!/bin/sh
# A password typed on a step is never saved in clear: Output warns that the answers file will
# not hold it and offers env: references; chosen, the answers file names env:NAME, Result says
# which variable to set, and a replay through the command line with that variable set gives the
# same password.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cd "$t" || exit 1
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
pw=typed-password-1234

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2 of 10" "step 3 of 10" "step 4 of 10" "step 5 of 10: Server stores"; do
  keys F10; wait_for "$s" >/dev/null
done
keys Tab; keys Tab
type_text "$pw"
check "the password is typed (masked)" wait_re "Keystore password: +\\*{18}"
for s in "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10; wait_for "$s" >/dev/null
done
leave_review >/dev/null
# Output directory, Browse, Namespace manifest, Save the answers file (off when started from
# answers)
keys Tab; keys Tab; keys Tab; keys Right
check "the answers file is saved" wait_re "Answers file: +k8tls-answers.yaml"
check "Output warns that the typed password is left out" wait_for "will not hold the passwords"
check "it names the field and its step" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p -J | tr -s ' \\n' '  ' | grep -q 'Keystore password on Server stores'"
check "the choice is offered" wait_re "Typed passwords: +< left out"
# Answers file, Browse, Typed passwords
keys Tab; keys Tab; keys Tab
keys Right
check "env: references chosen" wait_re "Typed passwords: +< env: references"
check "the notes name the variable" wait_for "SERVER_KEYSTORE_PASSWORD"
keys F10
check "written" wait_for "Written: k8tls-out"
check "Result names the variable to set" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p -J | tr -s ' \\n' '  ' | grep -q 'set SERVER_KEYSTORE_PASSWORD to them'"
check "Result does not claim a plain replay" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q '(replay:'"
keys Enter
rc=$(wait_exit "$t")
check "exits 0 (rc=$rc)" [ "$rc" = 0 ]
check "the answers file names the variable" grep -q "keystorePassword: env:SERVER_KEYSTORE_PASSWORD" k8tls-answers.yaml
check "and holds no password in clear" sh -c "! grep -rq '$pw' k8tls-answers.yaml"
check "the replay with the variable set works" env SERVER_KEYSTORE_PASSWORD="$pw" \
  "$K8TLS_BIN" --answers k8tls-answers.yaml --output replay
b64=$(printf %s "$pw" | base64)
check "the replayed Secret holds the typed password" sh -c "grep -rq -- '$b64' replay"
check "as the first one did" sh -c "grep -rq -- '$b64' k8tls-out"
check "the replay without it is refused" sh -c "! '$K8TLS_BIN' --answers k8tls-answers.yaml --output replay2 2>/dev/null"
finish
