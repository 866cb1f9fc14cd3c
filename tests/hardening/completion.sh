#!/bin/sh
# The bash completion script: loads in a plain bash (no bash-completion package needed), registers
# for k8tls-wizard, completes --th to --theme, every long option that --help lists, the commands,
# installed theme names after --theme and kube contexts after --context (from a kubeconfig, by
# `kubectl config get-contexts -o name`).
. "$K8TLS_SRCDIR/tests/lib.sh"
need bash
script=$K8TLS_SRCDIR/completion/k8tls-wizard.bash
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT

# complete LINE : prints the candidates bash would insert for the line (cursor at its end),
# one per line. COMP_WORDS is filled the way bash does (split at COMP_WORDBREAKS too).
complete_words() {
  bash --norc --noprofile -c '
    source "$0" || exit 9
    COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
    read -r -a COMP_WORDS <<<"$(printf "%s" "$COMP_LINE" | sed "s/\([=:]\)/ \1 /g")"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _k8tls_wizard k8tls-wizard "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' "$script" "$*"
}

out=$(bash --norc --noprofile -c 'source "$0" && complete -p k8tls-wizard' "$script" 2>&1)
check "the script loads and registers a completion for k8tls-wizard" \
  [ "$out" = "complete -F _k8tls_wizard k8tls-wizard" ]
check "--th completes to --theme" [ "$(complete_words k8tls-wizard --th)" = "--theme" ]
check "--no completes to --no-color" [ "$(complete_words k8tls-wizard --no)" = "--no-color" ]
check "'ins' completes to the inspect command" [ "$(complete_words k8tls-wizard ins)" = "inspect" ]
check "--dry-run=se completes to server" [ "$(complete_words k8tls-wizard --dry-run=se)" = "server" ]
check "rotate --phase re completes the phases" \
  [ "$(complete_words k8tls-wizard rotate --phase re | tr '\n' ' ')" = "renew reissue retire " ]
check "doctor -o j completes to json" [ "$(complete_words k8tls-wizard doctor -o j)" = "json" ]
check "'doc' completes to the doctor command" [ "$(complete_words k8tls-wizard doc)" = "doctor" ]
check "inspect --password e completes to env:" [ "$(complete_words k8tls-wizard inspect --password e)" = "env:" ]
got=$(K8TLS_TEST_PW_VAR=x complete_words k8tls-wizard inspect --password env:K8TLS_TEST_PW_V)
check "inspect --password env:VAR completes variable names (got: $got)" [ "$got" = "K8TLS_TEST_PW_VAR" ]

# every long option of --help (and of each command's --help) completes
check "enable --phase c completes clients-required" \
  [ "$(complete_words k8tls-wizard enable --phase c)" = "clients-required" ]
check "'ena' completes to the enable command" [ "$(complete_words k8tls-wizard ena)" = "enable" ]
for cmd in "" inspect rotate enable doctor; do
  "$K8TLS_BIN" $cmd --help >"$tmp/help" 2>&1
  all=$(complete_words k8tls-wizard $cmd --)
  n=0
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*(=[a-z]+)?' "$tmp/help" | sort -u); do
    n=$((n + 1))
    if echo "$all" | grep -qx -- "$opt" || echo "$all" | grep -q -- "^$opt="; then
      pass "completes ${cmd:+$cmd }$opt"
    else
      fail "does not complete ${cmd:+$cmd }$opt (listed by k8tls-wizard ${cmd:+$cmd }--help)"
    fi
  done
  check "k8tls-wizard ${cmd:+$cmd }--help lists long options to complete ($n)" [ "$n" -ge 2 ]
done

mkdir -p "$tmp/themes"
for t in default dark high-contrast; do : >"$tmp/themes/$t.theme"; done
got=$(K8TLS_THEMES_DIR=$tmp/themes complete_words k8tls-wizard --theme d | tr '\n' ' ')
check "--theme d completes the theme names (got: $got)" [ "$got" = "dark default " ]
got=$(K8TLS_THEMES_DIR=$tmp/themes complete_words k8tls-wizard --theme h | tr '\n' ' ')
check "--theme h completes high-contrast (got: $got)" [ "$got" = "high-contrast " ]
if [ -d "$K8TLS_SRCDIR/themes" ] && ls "$K8TLS_SRCDIR/themes"/*.theme >/dev/null 2>&1; then
  got=$(K8TLS_THEMES_DIR=$K8TLS_SRCDIR/themes complete_words k8tls-wizard --theme "" | sort | tr '\n' ' ')
  want=$(ls "$K8TLS_SRCDIR/themes" | sed -n 's/\.theme$//p' | sort | tr '\n' ' ')
  check "--theme completes every theme of the tree (got: $got)" [ "$got" = "$want" ]
fi

need kubectl
cat >"$tmp/kubeconfig" <<'KC'
apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u1
  user: {}
contexts:
- name: east-prod
  context: {cluster: c1, user: u1}
- name: west-prod
  context: {cluster: c1, user: u1}
- name: east-test
  context: {cluster: c1, user: u1}
current-context: east-prod
KC
got=$(complete_words k8tls-wizard --kubeconfig "$tmp/kubeconfig" --apply --context east | sort | tr '\n' ' ')
check "--context completes from --kubeconfig's contexts (got: $got)" [ "$got" = "east-prod east-test " ]
got=$(KUBECONFIG=$tmp/kubeconfig complete_words k8tls-wizard --context w | tr '\n' ' ')
check "--context completes from KUBECONFIG (got: $got)" [ "$got" = "west-prod " ]

# The real thing: an interactive bash in a terminal (tmux), the script sourced, Tab pressed.
need tmux
sock=k8tls-comp-$$
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 20 \
  "env -i HOME=$tmp HISTFILE=/dev/null PATH=$PATH TERM=xterm KUBECONFIG=$tmp/kubeconfig PS1='$ ' bash --norc --noprofile"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
last_prompt() { tmux -L "$sock" capture-pane -p | grep '^\$ ' | tail -n 1; }
type_line() { # type_line TEXT WANT : types TEXT, presses Tab, returns the screen's last prompt
  # line once it shows WANT (the completion runs a program: on a loaded machine it takes a
  # while), or after 10 s
  tmux -L "$sock" send-keys -l "$1"
  tmux -L "$sock" send-keys Tab
  i=0
  while [ "$(last_prompt)" != "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  last_prompt
  tmux -L "$sock" send-keys C-u
  i=0
  while [ "$(last_prompt)" != '$' ] && [ "$(last_prompt)" != '$ ' ] && [ $i -lt 50 ]; do
    sleep 0.1; i=$((i + 1)); done
}
tmux -L "$sock" send-keys -l "source '$script'; echo sourced"
tmux -L "$sock" send-keys Enter
i=0
while ! tmux -L "$sock" capture-pane -p | grep -q '^sourced' && [ $i -lt 100 ]; do
  sleep 0.1; i=$((i + 1)); done
got=$(type_line "k8tls-wizard --th" '$ k8tls-wizard --theme')
check "in an interactive bash, --th<Tab> gives --theme (screen: $got)" [ "$got" = '$ k8tls-wizard --theme' ]
got=$(type_line "k8tls-wizard --dry-run=se" '$ k8tls-wizard --dry-run=server')
check "in an interactive bash, --dry-run=se<Tab> gives --dry-run=server (screen: $got)" \
  [ "$got" = '$ k8tls-wizard --dry-run=server' ]
got=$(type_line "k8tls-wizard --apply --context west" '$ k8tls-wizard --apply --context west-prod')
check "in an interactive bash, --context west<Tab> gives west-prod (screen: $got)" \
  [ "$got" = '$ k8tls-wizard --apply --context west-prod' ]
finish
