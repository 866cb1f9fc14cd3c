#!/bin/sh
# Review's `d`: kubectl diff --server-side of the bundle against the current context of
# the kubeconfig (a loopback fake API server), in a scrolling viewer; no Secret value ever shows
# (every page of the viewer is searched for the store passwords of the bundle, written afterwards
# from the same keys), and nothing is applied. Without any kube context it says so on screen.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok
wd="$T/w"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/answers.yaml"

to_review() {
  wait_for "Answers file: answers.yaml" >/dev/null
  for s in "step 2" "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
    keys F10
    wait_for "$s" >/dev/null
  done
  wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
}

# --- 1. the diff against ctx0 ----------------------------------------------------------------
reset_logs
TUI_ENV="KUBECONFIG=$KCFG"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_review
check "the help bar lists d" wait_for "d: diff"
keys d
check "the diff runs against the current context" wait_for "kubectl diff --server-side against ctx0" 40
check "it says how many objects differ" wait_for "4 of 4 objects differ (Secret values are masked)." 40
check "the viewer shows kubectl's diff of a Secret" wait_for "v1.Secret.k8ssandra-operator.server-encryption-stores"
: > "$T/pages"
i=0
while [ $i -lt 14 ]; do
  screen >> "$T/pages"
  keys PageDown
  sleep 0.2
  i=$((i + 1))
done
screen >> "$T/pages"
check "the viewer scrolls down to the K8ssandraCluster" grep -q "k8ssandra.io.v1alpha1.K8ssandraCluster" "$T/pages"
check "Secret data keys are there, masked" grep -q "keystore-password: '\\*\\*\\*'" "$T/pages"
keys Escape
check "Esc closes the viewer: Review again" wait_for "manifests/20-k8ssandracluster.yaml"
check "the diff applied nothing (server dry runs only)" [ "$(patches | grep -vc ' All ')" = 0 ]
keys F10
wait_for "step 9 of 10: Output" >/dev/null
keys F10
check "the same bundle is written" wait_for "Written: k8tls-out"
keys Enter
rc=$(wait_exit "$wd")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
o="$wd/k8tls-out"
: > "$T/secrets"
for s in server-encryption-stores client-encryption-stores; do
  for k in keystore-password truststore-password; do
    cat "$o/stores/$s/$k" >> "$T/secrets"; echo >> "$T/secrets"
    base64 -w0 < "$o/stores/$s/$k" >> "$T/secrets"; echo >> "$T/secrets"
  done
done
grep -A1 '^  client.key:' "$o/manifests/10-secret-client-certificates.yaml" | tail -1 | cut -c1-40 | tr -d ' ' >> "$T/secrets"
check "the passwords to look for are known" [ "$(grep -c . "$T/secrets")" -ge 8 ]
check "and they are what the Secrets carry (the search can find them)" \
  grep -qF -f "$T/secrets" "$o/manifests/10-secret-server-encryption-stores.yaml"
if grep -qF -f "$T/secrets" "$T/pages"; then
  fail "a Secret value (a store password or its base64) was on screen"
  grep -F -f "$T/secrets" "$T/pages" | head -3
else
  pass "no store password, nor its base64, was ever on screen"
fi

# --- 2. no kube context at all -----------------------------------------------------------------
rm -rf "$wd/k8tls-out"
TUI_ENV="KUBECONFIG=$wd/no-such-kubeconfig"
tui_start "$wd" 100 30 --tui --answers answers.yaml
to_review
keys d
check "without a context it says so on screen" wait_for "No kube context to compare with"
keys Enter
check "then Review again" wait_for "manifests/20-k8ssandracluster.yaml"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$wd")
check "the wizard leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "the terminal settings are restored" cmp -s "$wd/.stty-before" "$wd/.stty-after"
finish
