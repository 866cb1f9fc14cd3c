#!/bin/sh
# The viewer of Review and Result at 80x24: NEXT-STEPS.md's prose is word-wrapped (no word cut),
# its code is never wrapped (a long kubectl line scrolls sideways with >), the position shows
# ("line 1/N"), Home/End/PgDn move it, `/` finds a text, and the footer lists those keys.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/one.yaml"
# two datacenters in two contexts: NEXT-STEPS.md gets one long kubectl line per context
sed 's/  - {name: dc1, size: 3, k8sContext: ""}/  - {name: dc1, size: 3, k8sContext: "east-cluster"}\n  - {name: dc2, size: 3, k8sContext: "west-cluster"}/' \
  "$t/one.yaml" >"$t/answers.yaml"
check "two datacenters" grep -q west-cluster "$t/answers.yaml"

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2" "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
check "the position of the manifest" wait_re "> line 1/[0-9]+"
check "the footer lists the viewer's keys" wait_for "Up/Down PgUp/PgDn Home/End: scroll  /: search"
# the last tab is the warnings, the one before NEXT-STEPS.md
keys Left Left
check "NEXT-STEPS.md" wait_for "[5 NEXT-STEPS.md]"
wait_re "NEXT-STEPS.md +x" >/dev/null
wait_re "> line 1/[0-9]+" >/dev/null
total=$(screen | sed -n 's/.*> line 1\/\([0-9]*\).*/\1/p')
check "its position: line 1 of its lines ($total)" [ -n "$total" ]
keys NPage
check "PgDn moves on" wait_re "> line [0-9]+/$total"
# page on until the paragraph is on screen (what comes before it depends on the plan)
for i in 1 2 3 4 5; do
  screen | grep -q "that runs a datacenter needs the Secrets too" && break
  keys NPage; sleep 0.3
done
check "prose is wrapped between words" wait_for "that runs a datacenter needs the Secrets too (and the namespace):"
check "a code line is not wrapped: no continuation row" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'x-f manifests\|xion-stores.yaml'"
check "the code line starts whole" wait_for "kubectl --context east-cluster apply -f manifests/10-secret-server"
for i in 1 2 3 4 5 6 7 8 9 10; do keys '>' '>' '>' '>' '>' '>' '>' '>' '>' '>'; done
check "> scrolls sideways" wait_re "column [0-9]+"
check "the rest of the long line shows" wait_for "encryption-stores.yaml -f manifests/10-secret-client-cer"
keys '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' \
  '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' \
  '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' \
  '<' '<' '<' '<' '<' '<' '<' '<' '<' '<'
keys End
check "End: the last line" wait_for "> line $total/$total"
keys Home
check "Home: the first line" wait_for "> line 1/$total"
keys /
type_text "rolling restart"
keys Enter
check "/ finds a text" wait_for "\"rolling restart\" (n: next, N: previous)"
check "and shows its line" wait_for "## 2. Rolling restart"
keys /
type_text "no-such-words"
keys Enter
check "a text not there is said" wait_for "\"no-such-words\": not found"
keys F10
wait_for "step 9 of 10: Output" >/dev/null
keys F10
check "Result" wait_for "Written: k8tls-out"
check "Result's viewer shows its position" wait_re "  line 1/[0-9]+"
check "the Quit button has the focus first" wait_for "[>Quit<]"
keys BTab
check "the viewer shows it has the focus" wait_re "> line 1/[0-9]+"
check "its footer lists its keys" wait_for "/: search"
keys End
check "End on Result" wait_re "> line ([0-9]+)/\\1"
keys Tab Enter
rc=$(wait_exit "$t")
check "Quit exits 0 (rc=$rc)" [ "$rc" = 0 ]
finish
