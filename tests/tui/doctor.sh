#!/bin/sh
# Welcome's "check an existing cluster" at 80x24: the doctor runs on a directory in a job; a
# clean bundle written by the command line shows no finding; a bundle whose certificates expire
# in 10 days lists one row per finding, the focused one in full under the list (what is wrong,
# what it breaks, the fix), no secret value; nothing is written; f on a renewal leads to the
# rotation source with the directory filled in; on a missing ref, to Welcome's "existing
# manifest" with the bundle's manifest filled in.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
"$K8TLS_BIN" --print-answers >"$t/clean.yaml" 2>/dev/null
# the trap: node certificates that expire in 10 days (the doctor warns from 30)
sed 's/^  validityDays: 3650$/  validityDays: 10/' "$t/clean.yaml" >"$t/soon.yaml"
check "a 10-day validity in the answers" grep -q "^  validityDays: 10$" "$t/soon.yaml"
(cd "$t" && "$K8TLS_BIN" --answers clean.yaml --output clean >/dev/null 2>&1 &&
  "$K8TLS_BIN" --answers soon.yaml --output soon >/dev/null 2>&1)
check "two bundles written by the command line" [ -f "$t/clean/answers.yaml" -a -f "$t/soon/answers.yaml" ]
pw=$(cat "$t/soon/stores/server-encryption-stores/keystore-password")
# what is in the directory (the test's own dot files aside)
files() { (cd "$t" && find . -mindepth 1 -name '.*' -prune -o -print | sort); }
before=$(files)

tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right
check "Welcome offers to check an existing cluster" wait_for "check an existing cluster"
keys F10
check "the check is its own path of two steps" wait_for "step 2 of 2: Check a cluster"
check "the Next button says Check" wait_for "[ Check ]"
keys Tab
wait_re "> ?!?Directory or file:" >/dev/null
type_text "nosuch"
keys F10
check "a path that is not there is said at the field" wait_for "nosuch: cannot open"
keys C-u
# Browse would give the bundle's answers.yaml: the bundle is checked
type_text "clean/answers.yaml"
keys F10
check "a clean bundle shows no finding" wait_for "No finding: nothing known is wrong in clean."
keys Tab Tab
wait_re "> ?!?Directory or file:" >/dev/null
keys C-u
type_text "soon"
keys F10
check "the findings of the bundle are listed" wait_for "3 finding(s) in soon"
check "one row per finding: severity, object, key, problem" \
  wait_for "expiring Secret/server-encryption-stores keystore: the node certificate"
check "the second finding" wait_for "expiring Secret/client-encryption-stores keystore:"
check "the focused finding in full: what is wrong" wait_re "^  \\[S8\\] Secret/server-encryption-stores keystore"
check "what it breaks" wait_for "Breaks: TLS handshakes fail once it expires"
check "the fix" wait_for "Fix: k8tls-wizard rotate --from soon --phase renew -o NEWDIR"
check "the wizard offers to fix it" wait_for "f: fix it: renew with the wizard, this source filled in."
screen >"$t/.findings"
check "no store password on the screen" sh -c "! grep -qF '$pw' '$t/.findings'"
keys Down
check "Down: the next finding's text under the list" \
  wait_re "^  \\[S8\\] Secret/client-encryption-stores keystore"
check "the check wrote nothing" [ "$before" = "$(files)" ]
keys f
check "f leads to the rotation source" wait_for "step 2 of 6: Certificates to renew"
check "with the directory filled in" wait_re "Output directory: +soon "
check "from a directory" wait_re "Start from: +< an output directory written earlier"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$t")
check "the wizard leaves with 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
check "nothing was written" [ "$before" = "$(files)" ]

# a missing ref: the server keystore's key renamed in the Secret; f starts the wizard from the
# bundle's manifest (merge mode)
cp -r "$t/clean" "$t/refs"
sed -i 's/^  keystore:/  keystore-old:/' "$t/refs/manifests/10-secret-server-encryption-stores.yaml"
before=$(files)
tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right
wait_for "check an existing cluster" >/dev/null
keys F10
wait_for "step 2 of 2: Check a cluster" >/dev/null
keys Tab
wait_re "> ?!?Directory or file:" >/dev/null
type_text "refs"
keys F10
check "the missing key is listed as an error" \
  wait_for "error    Secret/server-encryption-stores keystore: the key the cluster"
check "its fix is merge mode from the manifest" \
  wait_for "Fix: k8tls-wizard --answers ANSWERS -o NEWDIR with cluster.manifest:"
check "the wizard offers to add the refs" wait_for "f: fix it: add the missing refs"
keys f
check "f leads to Welcome on the wizard path" wait_for "Start from:    < add encryption to an existing manifest"
check "with the bundle's manifest filled in" \
  wait_for "Manifest file: refs/manifests/20-k8ssandracluster.yaml"
keys F10
check "Next reads the manifest: the Encryption step" wait_re "step 2 of [0-9]+: Encryption"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$t")
check "the wizard leaves with 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
check "nothing was written after the fix was only started" [ "$before" = "$(files)" ]
finish
