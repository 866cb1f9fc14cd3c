#!/bin/sh
# Editing a text field at 80x24: the terminal cursor sits in the focused field, where the next
# character goes; readline's keys edit (Ctrl-A/E/F/K/U/W, Home/End); other control characters
# and an unknown key's escape sequence change nothing (and are not Esc, which goes back); a value
# wider than its box shows '<' or '>' at the edge where text is hidden.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

cursor() { tm display -p '#{cursor_x},#{cursor_y}'; }
# the row of the Cluster name, and the column where its value starts
name_row() { screen | grep -F 'Cluster name:'; }
name_is() { name_row | grep -qE "Cluster name: +$1 *\$"; }

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
check "the Cluster step" wait_for "step 2 of 10: Cluster"
check "its first field is focused" wait_re "> Cluster name: +test"
row=$(screen | grep -nF 'Cluster name:' | cut -d: -f1)
row=$((row - 1))
col=$(name_row | awk '{ print index($0, "test") - 1 }')
check "the cursor is at the end of the value ($(cursor), want $((col + 4)),$row)" \
  [ "$(cursor)" = "$((col + 4)),$row" ]

keys C-u
type_text "xyz"
keys C-a
type_text "A"
check "Ctrl-A goes to the start" wait_re "Cluster name: +Axyz"
check "the cursor follows it ($(cursor), want $((col + 1)),$row)" [ "$(cursor)" = "$((col + 1)),$row" ]
keys C-e
type_text " foo bar"
keys C-w
check "Ctrl-E goes to the end, Ctrl-W removes the word before the cursor" wait_re "Cluster name: +Axyz foo *\$"
keys Home C-f C-k
check "Home, Ctrl-F, Ctrl-K keeps the first character" wait_re "Cluster name: +A *\$"
keys End
type_text "bc"
keys C-b C-u
check "End, then Ctrl-U removes what is before the cursor" wait_re "Cluster name: +c *\$"
keys C-t C-l C-g C-o C-r
sleep 0.3
check "other control characters change nothing" name_is "c"
keys C-e
# an unknown key sequence (CSI 99 ~) and Alt-x: ignored, not Esc
tm send-keys -H 1b 5b 39 39 7e
tm send-keys -H 1b 78
sleep 0.3
check "an unknown key sequence does not go back" title_is "step 2 of 10: Cluster"
check "... and types nothing" name_is "c"

# a long value: the box shows its end while editing, '<' before it; Home: its start, '>' after
keys C-u
type_text "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
check "hidden text on the left is marked" wait_re "Cluster name: +<[a-z0-9]+xyz *\$"
keys Home
check "hidden text on the right is marked" wait_re "Cluster name: +abcdefg[a-z0-9]+>\$"
keys Tab
check "the mark stays when the field loses the focus" wait_re "Cluster name: +abcdefg[a-z0-9]+>\$"
check "Tab moves to the Namespace" wait_re "> Namespace:"
keys C-e
check "a short value has no mark" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -E 'Namespace: .*[<>]'"
keys Escape
check "Esc alone still goes back" wait_for "step 1 of 10: Welcome"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Right Enter
rc=$(wait_exit "$t")
check "the wizard exits 1 after Cancel (rc=$rc)" [ "$rc" = 1 ]
finish
