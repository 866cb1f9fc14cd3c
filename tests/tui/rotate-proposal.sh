#!/bin/sh
# At 120x40 the rotation step shows the whole summary: what was found and the proposal to its
# last words (the list's box no longer hides its last two lines).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/ecdsa.yaml"
(cd "$t" && "$K8TLS_BIN" --answers ecdsa.yaml --output first >/dev/null 2>&1)
check "a bundle written by the command line" [ -f "$t/first/answers.yaml" ]

tui_start "$t" 120 40 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right
wait_for "renew or rotate certificates" >/dev/null
keys F10
check "the source step" wait_for "step 2 of 6: Certificates to renew"
# Start from, then the Output directory
keys Tab
wait_re "> ?!?Output directory:" >/dev/null
type_text "$t/first"
keys F10
check "the rotation step" wait_for "step 3 of 6: Renew or rotate" 30
check "the certificates found" wait_re "Medusa client certificate +[0-9]+ days left"
check "the proposal is shown" wait_for "Proposed: nothing is due"
check "... to its last words" wait_for "starts a CA rotation."
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$t")
check "the wizard exits 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
finish
