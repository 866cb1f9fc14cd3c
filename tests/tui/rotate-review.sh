#!/bin/sh
# Rotation has a Review step before Output: after phase trust is built, Review shows what will be
# written, at 80x24: one tab per new Secret (values masked, r reveals one), rotation.yaml (the
# phase), with the viewer's keys; Back returns to the phase, Next goes on to Output.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/ecdsa.yaml"
(cd "$t" && "$K8TLS_BIN" --answers ecdsa.yaml --output first >/dev/null 2>&1)
check "a bundle written by the command line" [ -f "$t/first/answers.yaml" ]
pw=$(cat "$t/first/stores/server-encryption-stores/keystore-password")

tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right
wait_for "renew or rotate certificates" >/dev/null
keys F10
check "the rotation path has six steps" wait_for "step 2 of 6: Certificates to renew"
keys Tab
wait_re "> ?!?Output directory:" >/dev/null
type_text "first"
keys F10
wait_for "step 3 of 6: Renew or rotate" 30 >/dev/null
keys Right
wait_for "CA rotation, phase 1 of 3" >/dev/null
keys F10
check "Build leads to Review" wait_for "step 4 of 6: Review" 30
check "a tab for the new server Secret" wait_for "Secret server-encryption-stores"
check "its manifest is shown" wait_for "kind: Secret"
check "the Secret's values are masked" wait_re "keystore-password: +'\\*+'"
check "no store password in clear" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qF '$pw'"
check "the viewer's keys are in the footer" wait_for "r: reveal"
# the tabs: the Secrets, then the documents; rotation.yaml among them
found=""
for i in 1 2 3 4 5 6 7 8; do
  if screen | grep -q "rotation.yaml"; then found=yes; break; fi
  keys Right
  sleep 0.2
done
check "a tab for rotation.yaml" [ -n "$found" ]
i=0
while ! screen | grep -qE "\\[[0-9]+ rotation.yaml\\]" && [ $i -lt 10 ]; do keys Right; sleep 0.2; i=$((i + 1)); done
check "rotation.yaml is shown" wait_re "phase: +\"?trust"
screen >"$t/rotation-tab"
check "the warnings tab is there" sh -c "for i in 1 2 3 4 5 6 7 8 9; do tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Warnings (' && exit 0; tmux -L '$TUI_SOCK' send-keys Right; sleep 0.2; done; exit 1"
keys Escape
check "Back (Esc) returns to the phase" wait_for "step 3 of 6: Renew or rotate"
keys F10
wait_for "step 4 of 6: Review" 30 >/dev/null
keys F10
check "Next goes to Output" wait_for "step 5 of 6: Output"
check "with the phase's directory" wait_re "Output directory: +first-trust"
check "nothing was written before Output" [ ! -e "$t/first-trust" ]
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$t")
check "the wizard leaves with 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
finish
