#!/bin/sh
# Back keeps the values and the skip rules are data: from Review, Esc back to Encryption, turn
# client encryption off, and Next goes CA -> Server stores -> Review (no client stores, no Medusa
# certificate); the written manifest has no client stores and no client Secrets.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

tui_start "$t" 100 30 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10; wait_for "step 2 of 10: Cluster" >/dev/null
# an edit that Back must keep: the cluster name
keys C-u; type_text "demo"
keys F10; wait_for "step 3 of 10: Encryption" >/dev/null
for s in "step 4 of 10" "step 5 of 10" "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null || break
done
check "Review is reached" wait_for "step 8 of 10: Review"
for s in "step 7 of 10: Medusa" "step 6 of 10: Client stores" "step 5 of 10: Server stores" \
         "step 4 of 10: Certificate authority" "step 3 of 10: Encryption"; do
  keys Escape
  check "Esc goes back to '$s'" wait_for "$s"
done
check "Encryption still shows client encryption on" wait_re "Client encryption \\(CQL\\): +< yes >"
# Internode, Nodes prove, Check names, Client encryption: three Tabs then Right toggles it
keys Tab Tab Tab
keys Right
check "client encryption is now off" wait_re "Client encryption \\(CQL\\): +< no  >"
check "its sub-choices are gone" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Clients need a certificate'"
keys Escape
check "Back to Cluster keeps the edited name" wait_re "Cluster name: +demo"
keys F10
wait_for "Encryption" >/dev/null
check "the Encryption choice is kept too" wait_re "Client encryption \\(CQL\\): +< no  >"
keys F10
check "Next: the CA step" wait_for "step 4 of 8: Certificate authority"
keys F10
check "Next: the server stores" wait_for "step 5 of 8: Server stores"
keys F10
check "Next skips the client stores and Medusa: Review" wait_for "step 6 of 8: Review"
check "the keys are regenerated for the new choices" wait_for "manifests/20-k8ssandracluster.yaml"
keys F10
wait_for "Output directory" >/dev/null
keys F10
check "Result" wait_for "Written: k8tls-out"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

o="$t/k8tls-out"
m="$o/manifests/20-k8ssandracluster.yaml"
check "the manifest is written" [ -f "$m" ]
check "the cluster is named as edited" grep -q "name: demo" "$m"
check "no clientEncryptionStores in the manifest" sh -c "! grep -q clientEncryptionStores '$m'"
check "serverEncryptionStores are there" grep -q serverEncryptionStores "$m"
check "no client Secret" [ ! -e "$o/manifests/10-secret-client-encryption-stores.yaml" ]
check "no Medusa certificate Secret" [ ! -e "$o/manifests/10-secret-client-certificates.yaml" ]
check "the manifest says client encryption is off (or leaves it out)" "$PY" -c "
import sys, yaml
d = yaml.safe_load(open('$m'))
c = d['spec']['cassandra'].get('config', {}).get('cassandraYaml', {}).get('client_encryption_options')
sys.exit(0 if c is None or c.get('enabled') is False else 1)"
finish
