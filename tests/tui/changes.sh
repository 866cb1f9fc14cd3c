#!/bin/sh
# Adding encryption to an existing manifest: Review shows what changes in a "Changes" tab, with
# a diff of the manifest read against the one written, and the Warnings tab counts what the
# notes count (manifest changes are not warnings).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
(cd "$t" && "$K8TLS_BIN" --answers answers.yaml --output first >/dev/null 2>&1)
# the same cluster without any encryption
sed -e '/encryption\|Encryption\|store_type\|require_\|internode\|optional\|enabled: true/d' \
  "$t/first/manifests/20-k8ssandracluster.yaml" >"$t/plain.yaml"
check "a manifest without encryption" sh -c "! grep -q Encryption '$t/plain.yaml'"

tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Tab
type_text "plain.yaml"
for s in "step 2" "step 3 of 10: Rollout" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
check "Review" wait_for "manifests/20-k8ssandracluster.yaml"
keys Left Left
check "a Changes tab" wait_re "\[6 Changes \([0-9]+\)\]"
check "it lists a change" wait_for "- added spec.cassandra.serverEncryptionStores"
check "with the diff's files" wait_for "--- plain.yaml"
check "against the manifest written" wait_for "+++ manifests/20-k8ssandracluster.yaml"
tab=$(screen | sed -n 's/.*Warnings (\([0-9]*\)).*/\1/p' | head -1)
note=$(screen | sed -n 's/.*Warnings: \([0-9]*\) (the last tab.*/\1/p' | head -1)
check "the Warnings tab and the notes count the same ($tab, $note)" [ -n "$tab" ] && [ "$tab" = "$note" ]
finish
