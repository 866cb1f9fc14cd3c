#!/bin/sh
# The message area of a form step, at 80x24: between the fields and the buttons, word-wrapped,
# errors first, then the focused field's hint, then the step's notes; it scrolls (PgUp/PgDn, said
# in the footer) when longer than its rows. An error beside a field takes two rows instead of
# being cut with "...". The same in French.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
# the row after the first row matching $1 contains $2
row_after() { screen | grep -A1 -F -- "$1" | tail -n 1 | grep -qF -- "$2"; }
# the row of the buttons holds the buttons only
buttons_alone() { screen | grep -E '\[[ >][A-Za-z]+[ <]\]  \[' | grep -qE '^ *(\[[ >][A-Za-z]+[ <]\]  ){2}\[[ >][A-Za-z]+[ <]\] *$'; }
footer_has() { screen | tail -n 1 | grep -qF -- "$1"; }

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
keys C-u
type_text "Bad_Name"
keys F10
check "the error is shown" wait_for "! 'Bad_Name' is not a DNS-1123 label"
check "beside the field over two rows, not cut after 'at most'" \
  row_after "! 'Bad_Name' is not a DNS-1123 label: at most" "63 lower-case letters, digits and '-'"
check "the message area has it whole (its last word)" \
  sh -c "tmux -L '$TUI_SOCK' capture-pane -p | grep -A1 -F 'starting and ending with a letter or' | tail -n 1 | grep -qE '^  digit *\$'"
check "the buttons' row holds only the buttons" buttons_alone
check "nothing to scroll: the footer does not offer it" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | tail -n 1 | grep -qF PgUp"
# a second error: longer than the area
keys Down Down Down Down Down Down
keys C-u
type_text "dc1:3,dc_2:x"
keys F10
check "two errors" wait_for "! expected NAME:SIZE or NAME:SIZE@CONTEXT"
check "longer than the area: the footer says how to scroll" footer_has "PgUp/PgDn: messages"
check "and the area marks more below" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | grep -qE ' v\$'"
check "the second error is not shown yet" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qF 'Error: Datacenters'"
keys NPage
check "PgDn shows the rest" wait_for "Error: Datacenters: expected NAME:SIZE or NAME:SIZE@CONTEXT"
check "whole, wrapped" wait_for "commas (for example dc1:3, dc2:3@east)"
check "more above is marked" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | grep -qE ' \^\$'"
check "the buttons' row still holds only the buttons" buttons_alone
keys PPage
check "PgUp goes back" wait_for "Error: Cluster name: 'Bad_Name'"
tui_stop

# A long hint: whole, before the step's note, above the buttons (the CA step has 13 fields; an
# RSA CA adds a note)
check "an RSA answers file (the defaults)" sh -c "'$K8TLS_BIN' --print-answers >'$t/rsa.yaml'"
tui_start "$t" 80 24 --tui --answers rsa.yaml
wait_for "Answers file: rsa.yaml" >/dev/null
for s in "step 2" "step 3" "step 4 of 10: Certificate authority"; do
  keys F10
  wait_for "$s" >/dev/null
done
wait_for "Extra SANs:" >/dev/null
# the last field (the thirteenth)
keys Down Down Down Down Down Down Down Down Down Down Down Down
check "Extra SANs has the focus" wait_for "> Extra SANs:"
check "the focused field's hint, wrapped" wait_for "More DNS names or IP addresses for the node certificates"
check "whole (its last words)" wait_for "commas (the cluster's service names are always there)."
check "the buttons' row holds only the buttons" buttons_alone
check "right under it" sh -c "tmux -L '$TUI_SOCK' capture-pane -p | grep -A2 -F '> Extra SANs:' | tail -n 1 | grep -qF 'More DNS names'"
tui_stop

# French: the error over two rows, the area whole, no row starting with a lone ":"
TUI_ENV="LANGUAGE=fr LANG=C.UTF-8" tui_start "$t" 80 24 --tui --answers answers.yaml
check "French Welcome" wait_for "etape 1 sur 10 : Bienvenue"
keys F10
wait_for "etape 2 sur 10" >/dev/null
keys C-u
type_text "Bad_Name"
keys F10
check "the French error beside the field" wait_for "! << Bad_Name >> n'est pas un label"
check "over two rows" row_after "! << Bad_Name >> n'est pas un label" "63 minuscules"
check "the French message area has it whole" wait_for "lettre ou un chiffre"
check "no row starts with a lone ':'" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -qE '^ +: '"
check "the French buttons' row holds only the buttons" buttons_alone
finish
