#!/bin/sh
# A topology without a staged path (Cassandra 4.1 in two datacenters, doc/staged-rollout.md
# section 3.4): the Rollout step shows the reason where the staged choice would be, offers only
# one shot, and Review shows the one-shot warning. With internode encryption off, only the
# client phases remain, and they are offered. 80x24, the real binary in tmux.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cp "$K8TLS_SRCDIR/tests/tui/staged-fixtures/two-dcs-41.yaml" "$t/running.yaml"
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
sed -i 's|^  manifest: ""|  manifest: running.yaml|' "$t/answers.yaml"
check "naming the running manifest" grep -q '^  manifest: running.yaml' "$t/answers.yaml"

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
check "the Encryption step" wait_re "step 2 of [0-9]+: Encryption"
keys F10
check "the Rollout step" wait_re "step 3 of [0-9]+: Rollout"
check "the staged choice's place says it is not offered" \
  wait_for "Staged, no downtime: not offered"
check "with the reason" wait_re "refused for Cassandra 4.1.5 with 2"
check "why" wait_for "4.0/4.1 have no fallback"
check "and what to do, in the wizard's words" wait_for "upgrade to Cassandra 5.0 first, or"
check "the one-shot choice named as on the screen" wait_for "use \"One shot\" in a maintenance window"
check "the choice is one shot" wait_re "> Roll out: < One shot \(maintenance window\) >"
keys Right
sleep 0.3
check "Right offers nothing else" wait_re "> Roll out: < One shot \(maintenance window\) >"
check "no staged choice anywhere" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q '< Staged'"
check "the one-shot warning in the notes" wait_for "TLS are cut off: stop every datacenter first"

# internode off: the reason goes, the client phases stay
keys Escape
check "Back to Encryption" wait_re "step 2 of [0-9]+: Encryption"
keys Left Left Left
check "internode encryption off" wait_re "> Internode encryption: +< none >"
keys F10
check "the Rollout step again" wait_re "step 3 of [0-9]+: Rollout"
check "the client phases are offered" wait_re "1 accept +internode plain +clients optional"
check "phase 2: clients-required" wait_re "2 clients-required +internode plain +clients required"
check "the staged choice is back, first" wait_re "> Roll out: < Staged, no downtime +>"
finish
