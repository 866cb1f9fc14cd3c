#!/bin/sh
# The rotation source's "CA key password" takes env:NAME and file:PATH like the other password
# fields, and checks them when the step is left: an unset variable is said at the field (its
# on-screen label in the message area), before any certificate is read; a set one goes on.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/ecdsa.yaml"
(cd "$t" && "$K8TLS_BIN" --answers ecdsa.yaml --output first >/dev/null 2>&1)
check "a bundle written by the command line" [ -f "$t/first/answers.yaml" ]

TUI_ENV="K8TLS_TEST_CAPW=unused"
tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right
wait_for "renew or rotate certificates" >/dev/null
keys F10
wait_for "step 2 of 6: Certificates to renew" >/dev/null
keys Tab
wait_re "> ?!?Output directory:" >/dev/null
type_text "first"
# Output directory, [Browse], CA private key, [Browse], CA key password
keys Tab Tab Tab Tab
wait_re "> ?!?CA key password:" >/dev/null
type_text "env:K8TLS_TEST_NOT_SET"
keys F10
check "the unset variable is said at the field" wait_for "! the environment variable K8TLS_TEST_NOT_SET"
check "and in the message area with the field's label" \
  wait_for "Error: CA key password: the environment variable K8TLS_TEST_NOT_SET is not"
check "the step did not change" wait_for "step 2 of 6: Certificates to renew"
check "nothing was read: no panel" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Reading the certificates'"
keys C-u
type_text "env:K8TLS_TEST_CAPW"
keys F10
check "a set variable goes on" wait_for "step 3 of 6: Renew or rotate" 30
finish
