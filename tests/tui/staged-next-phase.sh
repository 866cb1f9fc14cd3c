#!/bin/sh
# The Next phase step: from the directory of the staged rollout's first phase (written by
# k8tls-wizard enable), Welcome's "continue a staged rollout" reads it, lists the phases with the
# directory's and the one due, refuses a phase out of order with the reason, builds the phase due
# with the same CA and stores, and Result gives the command for the phase after it. 80x24, the
# real binary in tmux.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cp "$K8TLS_SRCDIR/tests/tui/staged-fixtures/one-dc-41.yaml" "$t/running.yaml"
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
sed -i 's|^  manifest: ""|  manifest: running.yaml|' "$t/answers.yaml"
(cd "$t" && "$K8TLS_BIN" enable --answers answers.yaml -o phase1 >/dev/null 2>&1)
check "phase 1 written by enable" grep -q "rollout-phase: accept" "$t/phase1/manifests/20-k8ssandracluster.yaml"

tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right Right
check "Welcome offers to continue a staged rollout" wait_for "< continue a staged rollout"
keys F10
check "the Next phase step" wait_for "step 2 of 5: Next phase"
type_text "phase1"
keys F10
check "Next reads the directory" wait_for "phase1: cluster demo, Cassandra 4.1.5, 1 datacenter"
check "phase 1 is this directory" wait_re "1 accept +internode dc, optional +clients optional +this directory"
check "phase 2 is due" wait_re "2 send +internode all, optional +clients optional +due"
check "the phase chosen is the one due" wait_re "Phase: +< send +>"
check "the status says so" wait_for "Read: the phase due is send. Next builds it."
check "the notes say what it does" wait_for "Phase 2 of 4, send: nodes send TLS"
# out of order: enforce before send
keys Tab Tab
keys Right
check "enforce chosen" wait_re "Phase: +< enforce +>"
keys F10
check "enforce is refused" wait_for "enforce is not due: the previous phase is"
check "with the phase due" wait_for "phase due is send (phases are never"
check "still on the step" title_is "Next phase"
keys Left
check "send chosen again" wait_re "Phase: +< send +>"
keys F10
check "Review" wait_for "step 3 of 5: Review"
check "Review says which phase" wait_for "Staged rollout: this bundle is phase 2 of 4, send."
check "the manifest is the send phase" wait_for "k8tls-wizard/rollout-phase: send"
leave_review
check "Output suggests a directory per phase" wait_re "Output directory: +phase1-send"
check "Output offers the apply (after the live check: tests/tui/staged-apply.sh)" \
  wait_for "Apply to a cluster"
screen >"$t/output.txt"
check "no Namespace manifest or answers file on this path (the phase holds its own)" \
  sh -c "! grep -q 'Namespace manifest' '$t/output.txt' && ! grep -q 'Save the answers' '$t/output.txt'"
keys F10
check "Result says what was written" wait_for "Written: phase1-send"
check "Result names the next phase's command" \
  wait_for "k8tls-wizard enable --from phase1-send --phase enforce -o phase1-enforce"
check "and which phase this was" wait_for "Staged rollout, phase 2 of 4 (send)."
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

m="$t/phase1-send/manifests/20-k8ssandracluster.yaml"
cat >"$t/send.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
y = d["spec"]["cassandra"]["config"]["cassandraYaml"]
s, c = y["server_encryption_options"], y["client_encryption_options"]
got = (s["internode_encryption"], s["optional"], c["enabled"], c["optional"],
       d["metadata"]["annotations"]["k8tls-wizard/rollout-phase"])
print(got)
sys.exit(0 if got == ("all", True, True, True, "send") else 1)
PY
check "cassandraYaml: internode all + optional, clients optional, phase send" "$PY" "$t/send.py" "$m"
check "the same CA" cmp -s "$t/phase1/ca/rootca.crt" "$t/phase1-send/ca/rootca.crt"
for s in server-encryption-stores client-encryption-stores; do
  check "the same $s keystore, byte for byte" \
    cmp -s "$t/phase1/stores/$s/keystore" "$t/phase1-send/stores/$s/keystore"
done
(cd "$t" && "$K8TLS_BIN" enable --from phase1-send --phase enforce -o phase1-enforce >/dev/null 2>&1)
check "Result's command runs: the enforce phase" \
  grep -q "rollout-phase: enforce" "$t/phase1-enforce/manifests/20-k8ssandracluster.yaml"

# the last phase, clients-required, takes the user's word that every client uses TLS
tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right Right
wait_for "< continue a staged rollout" >/dev/null
keys F10
wait_for "step 2 of 5: Next phase" >/dev/null
type_text "phase1-enforce"
keys F10
check "enforce read: clients-required is due" wait_re "4 clients-required .*clients required +due"
check "it asks whether every client uses TLS" wait_re "Every client uses TLS: +< no +>"
keys F10
check "no: refused" wait_for "clients-required refuses every plain client"
check "still on the step" title_is "Next phase"
keys Right
check "yes" wait_re "Every client uses TLS: +< yes +>"
keys F10
check "then Review" wait_for "Staged rollout: this bundle is phase 4 of 4, clients-required."
leave_review
check "Output suggests the phase's directory" wait_re "Output directory: +phase1-clients-required"
keys F10
check "Result: the last phase" wait_for "Staged rollout: clients-required is the last phase"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
cat >"$t/last.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
y = d["spec"]["cassandra"]["config"]["cassandraYaml"]
s, c = y["server_encryption_options"], y["client_encryption_options"]
got = (s["internode_encryption"], s.get("optional", False), c["enabled"], c["optional"],
       d["metadata"]["annotations"]["k8tls-wizard/rollout-phase"])
print(got)
sys.exit(0 if got == ("all", False, True, False, "clientsRequired") else 1)
PY
check "the last phase: internode all required, clients required" \
  "$PY" "$t/last.py" "$t/phase1-clients-required/manifests/20-k8ssandracluster.yaml"

# after the last phase nothing is due; a directory that is no phase is refused with the reason
tui_start "$t" 80 24 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right Right Right
wait_for "< continue a staged rollout" >/dev/null
keys F10
wait_for "step 2 of 5: Next phase" >/dev/null
type_text "phase1-clients-required"
keys F10
check "the last phase read: nothing to build" \
  wait_for "Nothing to build: the rollout is complete: clients-required is its"
keys F10
check "Next stays, saying why" wait_for "! the rollout is complete"
check "still on the step" title_is "Next phase"
check "the phase shown is the directory's" wait_re "Phase: +< clients-required >"
keys BTab BTab C-u
type_text "running.yaml"
keys F10
check "a directory that holds no phase: the reason beside the field" wait_re "^ +! error: \\. holds no K8ssandraCluster"
check "still on the step, nothing listed" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | head -1 | grep -q 'Next phase' && ! tmux -L '$TUI_SOCK' capture-pane -p | grep -q '1 accept'"
finish
