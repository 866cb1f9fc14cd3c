#!/bin/sh
# The Output step: an existing directory is replaced only after confirmation ("Keep it" writes
# nothing), the answers file is saved 0600 without passwords in clear and replays through the
# command line, and the Namespace choice adds the namespace manifest.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
mkdir -p "$t/k8tls-out"
# an earlier bundle (a file the wizard writes: --force/Replace replaces only such a directory)
echo "the old bundle" >"$t/k8tls-out/NEXT-STEPS.md"
echo "an older answers file" >"$t/saved.yaml"

to_output() {
  wait_for "Answers file: answers.yaml" >/dev/null
  for s in "step 2" "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
    keys F10
    wait_for "$s" >/dev/null
  done
  wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
  keys F10
  wait_for "step 9 of 10: Output" >/dev/null
}

tui_start "$t" 100 30 --tui --answers answers.yaml
to_output
# Output directory, [Browse], Namespace manifest, Save the answers file
keys Tab Tab
keys Right
check "the namespace manifest can be asked for" wait_re "Namespace manifest: +< yes >"
check "the file count follows (one more file)" wait_for "21 files will be written"
keys Tab Right
check "saving the answers shows its file field" wait_re "Answers file: +k8tls-answers.yaml"
keys Down C-u
type_text "saved.yaml"
keys F10
check "an existing directory asks first" wait_for "k8tls-out already exists and is not empty"
keys Enter
check "'Keep it' writes nothing and says so" wait_for "Nothing written: choose another directory."
check "the old bundle is untouched" [ "$(cat "$t/k8tls-out/NEXT-STEPS.md")" = "the old bundle" ]
check "the step stays on Output" wait_for "step 9 of 10: Output"
keys F10
wait_for "k8tls-out already exists" >/dev/null
keys Tab Enter
check "an existing answers file asks too" wait_for "saved.yaml already exists. Replace it?"
keys Tab Enter
check "Replace writes" wait_for "Written: k8tls-out (21 files"
check "the answers file is named" wait_for "Answers saved to saved.yaml"
keys Enter
rc=$(wait_exit "$t")
check "exits 0 (rc=$rc)" [ "$rc" = 0 ]
o="$t/k8tls-out"
check "the directory was replaced (the old file is gone)" sh -c "! grep -q 'the old bundle' '$o/NEXT-STEPS.md'"
check "the new bundle is there" [ -f "$o/manifests/20-k8ssandracluster.yaml" ]
check "with the namespace manifest" [ -f "$o/manifests/00-namespace.yaml" ]
check "the answers file was replaced" sh -c "! grep -q 'an older answers file' '$t/saved.yaml'"
check "the answers file is 0600" [ "$(stat -c %a "$t/saved.yaml")" = 600 ]
check "it holds no Secret password" sh -c "! grep -rqF \"\$(cat '$o/stores/server-encryption-stores/keystore-password')\" '$t/saved.yaml'"
check "it says createNamespace" grep -q "createNamespace: true" "$t/saved.yaml"
(cd "$t" && "$K8TLS_BIN" --answers saved.yaml --output replay >/dev/null 2>"$t/replay.err")
check "it replays through the command line" [ -f "$t/replay/manifests/20-k8ssandracluster.yaml" ]
check "the replay is the same cluster" cmp -s "$o/manifests/20-k8ssandracluster.yaml" "$t/replay/manifests/20-k8ssandracluster.yaml"
finish
