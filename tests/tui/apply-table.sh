#!/bin/sh
# The apply panel at 80x24 is a table: one row per object with its context and status, aligned
# columns, no leftover fragments of earlier lines; a failure's reason is readable in full (wrapped
# under its row, never cut), with a line saying what was and was not applied.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
fakeapi_start ok forbidden
wd="$T/w"
t_scr="$T/panel"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/answers.yaml"
TUI_ENV="KUBECONFIG=$KCFG"
tui_start "$wd" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2" "step 3" "step 4" "step 5" "step 6" "step 7" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
wait_for "manifests/20-k8ssandracluster.yaml" >/dev/null
keys F10
wait_for "step 9 of 10: Output" >/dev/null
keys Tab Tab Tab Tab Right
wait_re "\\[1\\] ctx0" >/dev/null
keys Tab Down Space
wait_re "\\[2\\] ctx1" >/dev/null
keys F10
check "the panel is a table with a header" wait_re "Object +Context +Status" 40
check "the failure's summary comes at the end" wait_for "Applied: 3 of 7 objects" 40
screen >"$t_scr"
# the rows: object, context, status, the columns lined up
for row in "Secret server-encryption-stores +ctx0 +applied" "Secret client-certificates +ctx0 +applied" \
  "Secret server-encryption-stores +ctx1 +FAILED" "Secret client-certificates +ctx1 +FAILED" \
  "K8ssandraCluster test +ctx0 +not applied"; do
  check "a row: $row" grep -qE "$row" "$t_scr"
done
cols=$(grep -E "x(Secret|K8ssandraCluster) .* ctx[01] " "$t_scr" | awk '{ print index($0, " ctx") }' | sort -u | wc -l)
check "every context in the same column ($cols)" [ "$cols" = 1 ]
scols=$(grep -E "x(Secret|K8ssandraCluster) .* ctx[01] " "$t_scr" | sed 's/ ctx[01]  *[a-zA-Z].*//' | awk '{ print length($0) }' | sort -u | wc -l)
check "the header's Context over it" sh -c "[ \$(grep -E 'Object +Context' '$t_scr' | awk '{ print index(\$0, \" Context\") }') = \$(grep -E 'xSecret .* ctx0 ' '$t_scr' | head -1 | awk '{ print index(\$0, \" ctx\") }') ]"
# the reason in full: wrapped inside the box, never cut
reason=$(sed -n 's/^ *x\(.*\)x *$/\1/p' "$t_scr" | sed 's/  *$//' | tr '\n' ' ' | tr -s ' ')
check "the reason is readable in full" sh -c "printf '%s' '$reason' | grep -q 'Failed: context ctx1: not authorized: .*cannot patch resource .*in the namespace \"k8ssandra-operator\"'"
check "nothing is cut with ..." sh -c "! grep -q '\\.\\.\\.' '$t_scr'"
# no fragments: the page does not show around the panel, and no wrapped line without its head
check "nothing of the page around the panel" sh -c "! sed -n '3,21p' '$t_scr' | grep -qv '^   [lxm]'"
check "no tail of a line without its head" sh -c "! sed -n 's/^ *x//p' '$t_scr' | sed -n 3p | grep -q '^  [a-z]'"
keys Enter
check "back on Output, the reason stays" wait_re "Not applied: context ctx1"
finish
