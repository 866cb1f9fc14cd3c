#!/bin/sh
# New defaults on the screens: a current Cassandra, Stargate off, a CA named after the cluster
# (following a new name) with no placeholder subject; a new server type brings a version it
# supports.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
check "Cluster: a current Cassandra" wait_re "Server version: +4\.1\.12"
check "Cluster: Stargate off" wait_re "Stargate: +< no"
keys C-u
type_text "prod"
keys Tab Tab Right
check "dse brings a dse version" wait_re "Server version: +6\.9\.24"
keys Right
check "hcd brings an hcd version" wait_re "Server version: +1\.2\.0"
keys Right
check "back to cassandra: a Cassandra version" wait_re "Server version: +4\.1\.12"
keys F10
wait_for "step 3 of 10" >/dev/null
keys F10
check "the CA screen" wait_for "step 4 of 10: Certificate authority"
check "the CA's CN follows the cluster name" wait_re "Common name \(CN\): +prod root CA"
check "no placeholder organisation" sh -c "! tmux -L '$TUI_SOCK' -f /dev/null capture-pane -p | grep -q YourCompany"
check "the country is empty" sh -c "tmux -L '$TUI_SOCK' -f /dev/null capture-pane -p | grep -Eq 'Country \(C\): *$'"
keys Escape
wait_for "step 3 of 10" >/dev/null
keys Escape
wait_for "step 2 of 10" >/dev/null
keys BTab BTab
check "back on the cluster name" wait_re "> Cluster name: +prod"
keys C-u
type_text "stage"
keys Tab F10
wait_for "step 3 of 10" >/dev/null
keys F10
check "a renamed cluster renames the CA" wait_re "Common name \(CN\): +stage root CA"
keys C-c
tui_stop
finish
