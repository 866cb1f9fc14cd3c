#!/bin/sh
# One shot chosen on the Rollout step for a running cluster, after a look at the staged bundle on
# Review: Review then shows the maintenance-window warning above the files, and the bundle
# written holds the final settings (internode all, clients required) without a phase. 80x24,
# the real binary in tmux.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cp "$K8TLS_SRCDIR/tests/tui/staged-fixtures/one-dc-41.yaml" "$t/running.yaml"
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
sed -i 's|^  manifest: ""|  manifest: running.yaml|' "$t/answers.yaml"
check "naming the running manifest" grep -q '^  manifest: running.yaml' "$t/answers.yaml"

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_re "step 2 of [0-9]+: Encryption" >/dev/null
keys F10
check "the Rollout step" wait_re "step 3 of [0-9]+: Rollout"
check "staged first" wait_re "> Roll out: < Staged, no downtime +>"
# staged to Review first: the bundle is the accept phase; then back, and one shot instead
for s in "Certificate authority" "Server stores" "Client stores" "Review"; do
  keys F10
  wait_re "step [0-9]+ of [0-9]+: $s" >/dev/null
done
check "Review of the staged bundle says phase 1" wait_for "this bundle is phase 1 of 4, accept."
check "its manifest carries the phase" wait_for "k8tls-wizard/rollout-phase: accept"
for s in "Client stores" "Server stores" "Certificate authority" "Rollout"; do
  keys Escape
  check "Esc back to $s" wait_re "step [0-9]+ of [0-9]+: $s"
done
keys Right
check "one shot chosen" wait_re "> Roll out: < One shot \(maintenance window\) +>"
for s in "Certificate authority" "Server stores" "Client stores" "Review"; do
  keys F10
  check "F10: $s" wait_re "step [0-9]+ of [0-9]+: $s"
done
check "Review shows the one-shot warning" wait_for "Warning, one shot: while the pods restart,"
check "it says to stop the datacenters" wait_for "(stopped: true), or go Back to Rollout"
check "and where the staged path is" wait_for "go Back to Rollout for the"
check "the files are still shown" wait_for "manifests/20-k8ssandracluster.yaml"
screen >"$t/review.txt"
check "no staged phase line on Review" sh -c "! grep -q 'Staged rollout' '$t/review.txt'"
check "the manifest was built again: no phase" sh -c "! grep -q 'rollout-phase' '$t/review.txt'"
leave_review
keys F10
check "Result says what was written" wait_for "Written: k8tls-out"
screen >"$t/result.txt"
check "Result names no next phase" sh -c "! grep -q 'enable --from' '$t/result.txt'"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

m="$t/k8tls-out/manifests/20-k8ssandracluster.yaml"
cat >"$t/final.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
y = d["spec"]["cassandra"]["config"]["cassandraYaml"]
s, c = y["server_encryption_options"], y["client_encryption_options"]
want = [(s.get("internode_encryption"), "all"), (s.get("optional", False), False),
        (c.get("enabled"), True), (c.get("optional", False), False),
        (d["metadata"].get("annotations", {}).get("k8tls-wizard/rollout-phase"), None)]
bad = [(got, exp) for got, exp in want if got != exp]
print(bad or "ok")
sys.exit(1 if bad else 0)
PY
check "cassandraYaml: internode all, clients required, no phase" "$PY" "$t/final.py" "$m"
check "the answers saved say one shot" grep -q 'mode: oneShot' "$t/k8tls-out/answers.yaml"
(cd "$t" && "$K8TLS_BIN" --answers k8tls-out/answers.yaml --output replay >"$t/replay.out" 2>&1)
check "they replay one shot, the final settings" \
  "$PY" "$t/final.py" "$t/replay/manifests/20-k8ssandracluster.yaml"
check "with the maintenance-window warning" grep -q "maintenance window" "$t/replay.out"
finish
