#!/bin/sh
# The output mode (files | cert-manager) is chosen on the Encryption step, before the CA and the
# Review, at 80x24: its hint says when to choose each, F1 says what it sets; cert-manager shows
# the issuer kind and trust-manager with their hints; files hides them (nothing else changes).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
# the message area's text joined (it wraps at 76 columns): the rows under the fields, above the
# buttons
msgs() { screen | sed -n '15,21p' | grep -v ': *<' | sed 's/ *[v^]$//' | tr -s ' \n' '  '; }
msgs_have() { msgs | grep -qF -- "$1"; }
absent() { ! screen | grep -qF -- "$1"; }
# the F1 box's text joined
box_has() { screen | sed -n 's/^.*x \(.*[^ ]\) *x.*$/\1/p' | tr '\n' ' ' | grep -qF -- "$1"; }
# LABEL is on a row no lower than ROW
row_at_most() { _r=$(screen | grep -nF -- "$1" | head -1 | cut -d: -f1); [ -n "$_r" ] && [ "$_r" -le "$2" ]; }
# presses Down until the field LABEL has the focus (at most 16 times)
focus() {
  _n=0
  while [ "$_n" -lt 16 ]; do
    screen | grep -qF "> $1:" && return 0
    keys Down
    sleep 0.2
    _n=$((_n + 1))
  done
  screen
  return 1
}

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
keys F10
check "the Encryption step" wait_for "step 3 of 10: Encryption"
check "it offers the output mode, files by default" wait_re "Output mode: +< files +>"
check "files mode: no issuer kind shown" absent "Issuer kind"
check "files mode: no trust-manager shown" absent "trust-manager truststores"
check "the output mode takes the focus" focus "Output mode"
check "its hint: when files is the choice" msgs_have "files: no cert-manager in the cluster, or you need the stores now or offline."
check "its hint: when cert-manager is" msgs_have "cert-manager: you run it already and want the certificates made and renewed inside the cluster (no keys are written here)."
keys F1
check "F1: the output mode's help" wait_for "Help: Output mode (Encryption)"
check "F1 says what files holds" box_has "files: the CA, the keys and the stores, made now."
check "F1 says when to choose each" box_has "choose cert-manager when you run it and want the renewals in the cluster."
keys Enter
wait_for "PgUp/PgDn: messages" >/dev/null
keys Right
check "cert-manager chosen" wait_re "Output mode: +< cert-manager >"
check "the issuer kind appears, Issuer by default" wait_re "Issuer kind: +< Issuer +>"
check "trust-manager appears, off" wait_re "trust-manager truststores: +< no +>"
check "every field fits at 80x24, above the messages" row_at_most "trust-manager truststores:" 17
check "the issuer kind" focus "Issuer kind"
check "its hint: Issuer, the usual choice" msgs_have "Issuer: the CA signs in the cluster's namespace only (the usual choice)."
check "its hint: ClusterIssuer" msgs_have "ClusterIssuer: other namespaces may sign with it too"
check "trust-manager" focus "trust-manager truststores"
check "its hint: when to choose it" msgs_have "so that a CA rotation trusts the old and the new CA without a break."
check "its hint: what it needs" msgs_have "Needs trust-manager installed with Secret targets enabled."
keys Right
check "trust-manager on" wait_re "trust-manager truststores: +< yes +>"
check "trust-manager shows where cert-manager runs" wait_re "cert-manager's namespace: +cert-manager"
check "that field" focus "cert-manager's namespace"
check "its hint: what goes there" msgs_have "the ClusterIssuer's CA Secret goes there, and trust-manager reads the Bundle's CA from there."
check "every field still fits at 80x24, above the messages" row_at_most "cert-manager's namespace:" 17
keys Up
# back to files: the cert-manager fields go
keys Up Up
check "the output mode again" wait_for "> Output mode:"
keys Left
check "files again" wait_re "Output mode: +< files +>"
sleep 0.3
check "files mode hides the issuer kind again" absent "Issuer kind"
keys C-c

# the same hint in French (the catalog built by make check), ASCII for CDK
TUI_ENV="LANGUAGE=fr LANG=C.UTF-8" tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "etape 1 sur 10" >/dev/null
keys F10
wait_for "etape 2 sur 10" >/dev/null
keys F10
check "French: the Encryption step" wait_for "etape 3 sur 10 : Chiffrement"
keys Down Down Down Down Down Down Down Down Down Down
check "French: the output mode's hint" wait_for "files : pas de cert-manager dans le cluster, ou il vous faut"
keys Right
keys Down Down
check "French: trust-manager's hint" wait_for "oui : un Bundle trust-manager ecrit les truststores"
keys C-c
finish
