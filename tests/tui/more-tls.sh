#!/bin/sh
# The More TLS step (SPEC §10) at 80x24: "More TLS surfaces" on the Encryption step shows it
# with every surface whose component runs switched on; its fields name their Secrets, whole;
# F1 says what each protects and what breaks; written, the bundle holds the Secrets and the
# manifest fields (managementApiAuth.manual, reaper.encryption and httpManagement.keystores,
# medusa.serviceProperties.encryption). Medusa's gRPC TLS with Medusa off is refused on
# leaving the step, naming the on-screen labels; every surface off, Next skips the step.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cd "$t" || exit 1
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
# the screen's text in one line, blanks squeezed (the message area wraps)
joined() { screen | tr -s ' \n' '  '; }
has() { joined | grep -qF -- "$1"; }
box_has() { screen | sed -n 's/^.*x \(.*[^ ]\) *x.*$/\1/p' | tr '\n' ' ' | grep -qF -- "$1"; }

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10; wait_for "step 2 of 10: Cluster" >/dev/null
keys F10
check "the default path still has 10 steps" wait_for "step 3 of 10: Encryption"
check "Encryption offers the other surfaces, off" wait_re "More TLS surfaces: +< no"
# the ninth field with the defaults
for i in 1 2 3 4 5 6 7 8 9; do keys Down; done
wait_for "> More TLS surfaces" >/dev/null
keys Right
check "switched on, the More TLS step joins the path" wait_for "step 3 of 11: Encryption"
for s in "step 4 of 11" "step 5 of 11" "step 6 of 11" "step 7 of 11"; do
  keys F10; wait_for "$s" >/dev/null
done
keys F10
check "the step after Medusa" wait_for "step 8 of 11: More TLS"
check "the management API on, its Secrets named in full" wait_re "Management API server Secret: +mgmt-api-server-tls *$"
check "Reaper's API on (Reaper runs)" wait_re "Reaper API TLS: +< yes"
check "Reaper's management stores, whole" wait_re "Reaper management stores Secret: +reaper-mgmt-api-stores *$"
check "Medusa's gRPC on (Medusa runs)" wait_re "Medusa gRPC TLS: +< yes"
check "its client Secret, whole" wait_re "Medusa gRPC client Secret: +medusa-grpc-client-tls *$"
check "the notes: Secrets before the cluster" has "cass-operator checks them once"
check "the notes: changeit is Reaper's own" has "Reaper's stores use changeit, Reaper's hard-coded password"
wait_for "Keys: ready" 180 >/dev/null # the status line says "..." while the keys are made
check "no row is cut" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -v '^ Keys: ' | grep -q '\.\.\.'"
keys F1
check "F1 on the management API" wait_for "Help: Management API TLS (More TLS)"
check "it names the manifest field" box_has "Sets: spec.cassandra.managementApiAuth.manual"
check "and what breaks: no retry" box_has "cass-operator checks them once and never retries"
check "then the step's paragraph (Medusa's probe and localhost)" box_has "names localhost, 127.0.0.1 and ::1"
check "and Reaper's changeit" box_has "hard-coded password changeit"
wait_for "Keys: ready" 180 >/dev/null
check "the help is not cut" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -v '^ Keys: ' | grep -q '\.\.\.'"
keys Escape
wait_for "F1/?: help" >/dev/null
keys F10
check "Review" wait_for "step 9 of 11: Review"
wait_for "manifests/20-k8ssandracluster.yaml" 60 >/dev/null
keys F10; wait_for "step 10 of 11: Output" >/dev/null
keys F10
check "written" wait_for "Written: k8tls-out" 60
o=k8tls-out
for s in mgmt-api-server-tls mgmt-api-client-tls reaper-api-server-stores reaper-api-client-tls \
         reaper-mgmt-api-stores medusa-grpc-server-tls medusa-grpc-client-tls; do
  check "Secret $s written" [ -s "$o/manifests/10-secret-$s.yaml" ]
done
check "the management API's key is PKCS#8" grep -q "BEGIN PRIVATE KEY" "$o/tls/mgmt-api-server-tls/tls.key"
check "the manifest holds every surface's fields" "$PY" - "$o/manifests/20-k8ssandracluster.yaml" <<'EOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))["spec"]
assert spec["cassandra"]["managementApiAuth"]["manual"] == {
    "serverSecretName": "mgmt-api-server-tls", "clientSecretName": "mgmt-api-client-tls"}
assert spec["reaper"]["encryption"] == {
    "serverCertName": "reaper-api-server-stores", "clientCertName": "reaper-api-client-tls"}
assert spec["reaper"]["httpManagement"]["keystores"] == {"name": "reaper-mgmt-api-stores"}
assert spec["medusa"]["serviceProperties"]["encryption"] == {
    "serverSecretName": "medusa-grpc-server-tls", "clientSecretName": "medusa-grpc-client-tls"}
EOF
keys Enter
rc=$(wait_exit "$t")
check "exits 0 (rc=$rc)" [ "$rc" = 0 ]

# Medusa off: its gRPC TLS stays off when the surfaces are switched on; switched on by hand it
# is refused on Next with the labels on screen; off again, the step is left
sed '/^  medusa:$/,/^    enabled:/s/enabled: true/enabled: false/' answers.yaml >no-medusa.yaml
"$PY" - no-medusa.yaml <<'EOF' || echo "FAIL: no-medusa.yaml"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["cluster"]["medusa"]["enabled"] is False and a["encryption"]["medusa"]["enabled"] is False
EOF
rm -rf "$t/k8tls-out"
tui_start "$t" 80 24 --tui --answers no-medusa.yaml
wait_for "Answers file: no-medusa.yaml" >/dev/null
keys F10; wait_for "step 2 of 9: Cluster" >/dev/null
keys F10; wait_for "step 3 of 9: Encryption" >/dev/null
# no Medusa certificate field without Medusa: the eighth field
for i in 1 2 3 4 5 6 7 8; do keys Down; done
wait_for "> More TLS surfaces" >/dev/null
keys Right
wait_for "step 3 of 10: Encryption" >/dev/null
for s in "step 4 of 10" "step 5 of 10" "step 6 of 10"; do
  keys F10; wait_for "$s" >/dev/null
done
keys F10
check "More TLS without the Medusa step" wait_for "step 7 of 10: More TLS"
check "Medusa's gRPC TLS left off" wait_re "Medusa gRPC TLS: +< no"
# management API (3 rows), Reaper (4 rows), then Medusa's gRPC
for i in 1 2 3 4 5 6 7; do keys Down; done
wait_for "> Medusa gRPC TLS" >/dev/null
keys Right
wait_re "Medusa gRPC TLS: +< yes" >/dev/null
keys F10
check "refused on Next: the step stays" wait_for "Error: Medusa gRPC TLS:"
check "in the step's words: the labels, the step that has Medusa" \
  has "Medusa's gRPC TLS needs Medusa: set \"Medusa backups\" (Cluster step) on, or \"Medusa gRPC TLS\" off"
check "still on More TLS" title_is "step 7 of 10: More TLS"
keys Left
wait_re "Medusa gRPC TLS: +< no" >/dev/null
keys F10
check "off again, Next leaves the step" wait_for "step 8 of 10: Review"
keys Escape
check "Back returns to it" wait_for "step 7 of 10: More TLS"
# every surface off: the step leaves the path (management API, then Reaper's API)
keys Up Up Up Up Up Up Up
wait_for "> Management API TLS" >/dev/null
keys Left
wait_re "Management API TLS: +< no" >/dev/null
keys Down; wait_for "> Reaper API TLS" >/dev/null
keys Left
check "every surface off: the notes say Next skips the step" wait_for "Every surface is off"
check "the title still says where the step stands (not step 0)" wait_for "step 7 of 10: More TLS"
keys F10
check "Review, the step gone from the count" wait_for "step 7 of 9: Review"
finish
