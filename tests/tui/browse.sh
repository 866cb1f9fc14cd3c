#!/bin/sh
# Paths on the Output step: "~/x" is the home directory's x (typed); a file given as the output
# directory is refused at the field before any "Replace?"; Browse on the output directory picks a
# directory (F2 takes the one shown); replacing a directory that holds the only copy of a CA key
# says so in the Replace question.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cd "$t" || exit 1
mkdir home
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
echo "not a directory" >afile
check "an existing bundle with its CA key" "$K8TLS_BIN" --answers answers.yaml --output old
check "it holds the CA key" test -f old/ca/rootca.key

TUI_ENV="HOME=$t/home" tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
for s in "step 2 of 10" "step 3 of 10" "step 4 of 10" "step 5 of 10" "step 6 of 10" \
  "step 7 of 10" "step 8 of 10: Review"; do
  keys F10; wait_for "$s" >/dev/null
done
leave_review >/dev/null
keys C-u; type_text "~/out"; keys Tab
check "~/out is expanded to the home directory" wait_for "$t/home/out"
keys BTab
keys C-u; type_text "afile"
keys F10
check "a file as the output directory is refused at the field" wait_for "this is a file, not a directory"
check "no Replace question" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q 'Replace'"
check "nothing written over the file" grep -q "not a directory" afile
keys Home Right; type_text "X"
wait_re "Output directory: +aXfile" >/dev/null
check "editing the field takes its error away" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p | sed -n 6p | grep -q 'Namespace manifest'"
check "and keeps the cursor where the user typed" sh -c "
  [ \"\$(tmux -L '$TUI_SOCK' display -p '#{cursor_x},#{cursor_y}')\" = 29,4 ]"
keys Tab; keys Enter
check "Browse chooses a directory" wait_for "Choose a directory: Output directory"
check "its footer says how" wait_for "F2: choose this directory"
keys F2
check "F2 takes the directory shown" wait_re "Output directory: +$t +\\["
keys C-u; type_text "old"
keys F10
check "the Replace question warns about the CA key" wait_for "Replace the directory?"
check "it says the only copy of the CA key is lost" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p | tr -s ' \\n' '  ' | grep -q 'loses the only copy'"
check "and suggests a backup" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p | tr -s ' \\n' '  ' | grep -q 'somewhere safe first'"
finish
