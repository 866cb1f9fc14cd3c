#!/bin/sh
# Adding encryption to a manifest that runs without it (Cassandra 4.1, one datacenter): the
# Rollout step offers "Staged, no downtime" first and chosen, lists the four phases, and the
# bundle written is the first phase, accept (doc/staged-rollout.md section 3.3): internode dc
# with optional true, clients enabled and optional; Result names the next phase's command.
# 80x24, the real binary in tmux.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cp "$K8TLS_SRCDIR/tests/tui/staged-fixtures/one-dc-41.yaml" "$t/running.yaml"
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
sed -i 's|^  manifest: ""|  manifest: running.yaml|' "$t/answers.yaml"
check "naming the running manifest" grep -q '^  manifest: running.yaml' "$t/answers.yaml"

tui_start "$t" 80 24 --tui --answers answers.yaml
check "Welcome shows the answers file" wait_for "Answers file: answers.yaml"
keys F10
check "the Encryption step comes next" wait_re "step 2 of [0-9]+: Encryption"
keys F10
check "then the Rollout step" wait_re "step 3 of [0-9]+: Rollout"
check "it lists the phases for the cluster's version" \
  wait_for "One rolling restart per phase: Cassandra 4.1.5, 1 datacenter"
check "phase 1: accept, internode dc and optional" \
  wait_re "1 accept +internode dc, optional +clients optional"
check "phase 2: send" wait_re "2 send +internode all, optional +clients optional"
check "phase 3: enforce" wait_re "3 enforce +internode all, required +clients optional"
check "phase 4: clients-required" wait_re "4 clients-required +internode all, required +clients required"
check "the staged choice is chosen" wait_re "> Roll out: < Staged, no downtime +>"
check "the notes say this bundle is phase 1" wait_for "This bundle is phase 1 of 4, accept"
screen >"$t/rollout.txt"
check "no one-shot warning while staged" sh -c "! grep -q 'cut off' '$t/rollout.txt'"
# the staged choice is the first one: one step left stays on it, one step right is one shot
keys Right
check "Right: the one-shot choice comes second" wait_re "> Roll out: < One shot \(maintenance window\) +>"
check "with its warning" wait_for "clients without"
keys Left
check "Left: back to staged" wait_re "> Roll out: < Staged, no downtime +>"
for s in "Certificate authority" "Server stores" "Client stores"; do
  keys F10
  check "F10: $s" wait_re "step [0-9]+ of [0-9]+: $s"
done
keys F10
check "Review" wait_re "step [0-9]+ of [0-9]+: Review"
check "Review says it is phase 1 of the staged rollout" \
  wait_for "Staged rollout: this bundle is phase 1 of 4, accept."
screen >"$t/review.txt"
check "Review shows no one-shot warning" sh -c "! grep -q 'Warning, one shot' '$t/review.txt'"
leave_review
keys F10
check "Result says what was written" wait_for "Written: k8tls-out"
check "Result names the next phase's command" \
  wait_re "enable --from k8tls-out --phase send -o k8tls-out-send"
cmd=$(screen | grep -o 'k8tls-wizard enable --from [^ ]* --phase send -o [^ ]*' | head -1)
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

m="$t/k8tls-out/manifests/20-k8ssandracluster.yaml"
check "the manifest is written" [ -f "$m" ]
# the values of the accept phase, read as YAML
cat >"$t/accept.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
y = d["spec"]["cassandra"]["config"]["cassandraYaml"]
s, c = y["server_encryption_options"], y["client_encryption_options"]
want = [(s.get("internode_encryption"), "dc"), (s.get("optional"), True),
        (c.get("enabled"), True), (c.get("optional"), True),
        (d["metadata"].get("annotations", {}).get("k8tls-wizard/rollout-phase"), "accept")]
bad = [(got, exp) for got, exp in want if got != exp]
print(bad or "ok")
sys.exit(1 if bad else 0)
PY
check "cassandraYaml: internode dc + optional, clients enabled + optional, phase accept" \
  "$PY" "$t/accept.py" "$m"
check "the datacenters are the manifest's" grep -q "name: dc1" "$m"
check "the answers saved say staged, phase accept" \
  sh -c "grep -q 'mode: staged' '$t/k8tls-out/answers.yaml' && grep -q 'phase: accept' '$t/k8tls-out/answers.yaml'"
# the answers saved replay the same phase without the wizard
(cd "$t" && "$K8TLS_BIN" --answers k8tls-out/answers.yaml --output replay >"$t/replay.out" 2>&1)
check "the saved answers replay (exit $?)" "$PY" "$t/accept.py" "$t/replay/manifests/20-k8ssandracluster.yaml"
# the command Result gives runs as shown: the next phase from this one, CA and stores kept
check "Result's command was read from the screen ($cmd)" [ -n "$cmd" ]
set -- $cmd
shift
(cd "$t" && "$K8TLS_BIN" "$@" >"$t/enable.out" 2>&1)
check "it runs (exit $?)" [ -f "$t/k8tls-out-send/manifests/20-k8ssandracluster.yaml" ]
cat >"$t/send.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
s = d["spec"]["cassandra"]["config"]["cassandraYaml"]["server_encryption_options"]
ann = d["metadata"]["annotations"]["k8tls-wizard/rollout-phase"]
ok = (s["internode_encryption"], s["optional"], ann) == ("all", True, "send")
print(s, ann)
sys.exit(0 if ok else 1)
PY
check "the send phase: internode all, optional, annotated send" \
  "$PY" "$t/send.py" "$t/k8tls-out-send/manifests/20-k8ssandracluster.yaml"
check "with the same CA" cmp -s "$t/k8tls-out/ca/rootca.crt" "$t/k8tls-out-send/ca/rootca.crt"
finish
