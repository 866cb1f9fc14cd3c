#!/bin/sh
# Review's counts agree with what its last tab lists: warnings and notes counted apart (the tab
# title, the line under the viewer and the "- Warning" / "- Note" lines of the tab), at 80x24.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/base.yaml"
# a CA of 400 days under certificates of 800: one warning (they outlive the CA), and a note per
# leaf whose validity is cut to the CA's
sed -e '/^ca:/,/^[a-z]/ s/validityDays: .*/validityDays: 400/' \
  -e '/^certificates:/,/^[a-z]/ s/validityDays: .*/validityDays: 800/' "$t/base.yaml" >"$t/answers.yaml"
out=$(cd "$t" && "$K8TLS_BIN" --answers answers.yaml --output cli 2>&1)
cw=$(printf '%s\n' "$out" | grep -c ': warning: ')
cn=$(printf '%s\n' "$out" | grep -c '^note: ')
check "the command line reports warnings and notes ($cw, $cn)" [ "$cw" -ge 1 ] && [ "$cn" -ge 1 ]

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2 of 10" "step 3 of 10" "step 4 of 10" "step 5 of 10" "step 6 of 10" \
  "step 7 of 10" "step 8 of 10: Review"; do
  keys F10; wait_for "$s" >/dev/null
done
check "Review shows the files" wait_for "manifests/20-k8ssandracluster.yaml" 60
keys 1
i=0
while ! screen | grep -q "\[[0-9]* Warnings" && [ $i -lt 12 ]; do keys Right; sleep 0.2; i=$((i + 1)); done
check "the last tab is titled with both counts" \
  wait_re "\[[0-9]+ Warnings \\($cw\\), notes \\($cn\\)\]"
check "the line under the viewer says the same" wait_for "Warnings: $cw, notes: $cn (the last tab"
tw=$(screen | grep -c '^ *x- Warning')
tn=$(screen | grep -c '^ *x- Note')
check "the tab lists $cw warning(s) ($tw)" [ "$tw" = "$cw" ]
check "and $cn note(s) ($tn)" [ "$tn" = "$cn" ]
finish
