#!/bin/sh
# Rotation's "what was found" list at 80x24 with every TLS surface on: longer than its box, it
# says how to scroll when focused (footer "Up/Down: scroll"), Down shows the last rows, and a row
# wider than the box ends in "..." instead of being cut silently.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/base.yaml"
sed -e '/^  managementApi:/s/enabled: false/enabled: true/' \
  -e '/^  reaper: {enabled: false, serverSecretName/s/enabled: false/enabled: true/' \
  -e '/^  medusaGrpc:/s/enabled: false/enabled: true/' "$t/base.yaml" >"$t/all.yaml"
(cd "$t" && "$K8TLS_BIN" --answers all.yaml --output first >/dev/null 2>&1)
check "a bundle with every surface" [ -d "$t/first/tls/medusa-grpc-server-tls" ] || [ -f "$t/first/manifests/10-secret-medusa-grpc-server-tls.yaml" ]

tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right
wait_for "renew or rotate certificates" >/dev/null
keys F10
wait_for "step 2 of 6: Certificates to renew" >/dev/null
keys Tab
wait_re "> ?!?Output directory:" >/dev/null
type_text "first"
keys F10
check "the phase step lists what was found" wait_for "step 3 of 6: Renew or rotate" 30
wait_for "root CA (signs the certificates)" >/dev/null
check "the last certificates are below the box" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Reaper management API keystore'"
keys BTab
check "focused, the footer says how to scroll" wait_for "Up/Down: scroll"
keys Down Down Down Down Down Down Down Down Down Down Down Down
check "Down shows the last rows" wait_for "Reaper management API keystore"
check "a row wider than the box ends in ..." wait_re "CN=test-reaper-mgmt-a[a-z-]*\\.\\.\\. *x"
finish
