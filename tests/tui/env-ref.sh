#!/bin/sh
# env:/file: passwords are read when leaving their step, not at Review: an unset variable is shown
# at the password field, in words that name the field's label and what to do (no key path, no
# rule code, no command-line flag), and Next stays; once the variable's reference is replaced by a
# readable file the step goes on. A rule broken on an earlier step speaks of labels too.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cd "$t" || exit 1
check "an ECDSA answers file" ecdsa_answers "$t/base.yaml"
"$PY" - <<'PYEOF'
import yaml
d = yaml.safe_load(open("base.yaml"))
d["stores"]["server"]["keystorePassword"] = "env:K8TLS_TEST_NOT_SET"
yaml.safe_dump(d, open("answers.yaml", "w"))
d["encryption"]["medusa"]["enabled"] = False
yaml.safe_dump(d, open("medusa-off.yaml", "w"))
PYEOF
printf 'from-a-file-1234\n' >ks.pw

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10; wait_for "step 2 of 10" >/dev/null
keys F10; wait_for "step 3 of 10" >/dev/null
keys F10; wait_for "step 4 of 10" >/dev/null
keys F10
check "the Server stores step" wait_for "step 5 of 10: Server stores"
keys F10
check "the unset variable is named" wait_for "the environment variable K8TLS_TEST_NOT_SET"
check "Next stays on the Server stores step" title_is "step 5 of 10: Server stores"
check "the message names the field's label" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p -J | grep -q 'Keystore password: the environment variable'"
check "the message says what to do" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p -J | grep -q 'set it before starting the wizard'"
check "the error is on the line under the password field" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p | awk '/Keystore password:/ { getline n; if (n ~ /! /) ok = 1 } END { exit !ok }'"
check "no key path on screen" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qE 'stores\\.|keystorePassword'"
check "no rule code on screen" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qE '\\(K[0-9]+\\)|\\bK[0-9]+\\b'"
check "no command-line flag on screen" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qE -- '--[a-z]'"
# the focus is on the field in error

keys C-u
type_text "file:ks.pw"
keys F10
check "a readable file proceeds" wait_for "step 6 of 10: Client stores"
keys Escape
tui_stop

# a rule between two keys, shown on the Encryption step: labels, not key paths
tui_start "$t" 80 24 --tui --answers medusa-off.yaml
wait_for "Answers file: medusa-off.yaml" >/dev/null
keys F10; wait_for "step 2 of 10" >/dev/null
keys F10; wait_for "step 3 of 10" >/dev/null
keys F10
check "the rule stops the Encryption step" wait_for "refuses Medusa"
screen >enc.txt
check "it names the label" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p -J | tr -s ' \\n' '  ' | grep -q '\"Medusa client certificate\" on'"
check "no key path on screen" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qE 'encryption\\.|medusa\\.enabled'"
finish
