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

# complete WORD... : prints the candidates for the last word, one per line.
complete_words() {
  bash --norc --noprofile -c '
    source "$0" || exit 9
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _k8tls_wizard k8tls-wizard "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' "$script" "$@"
}

out=$(bash --norc --noprofile -c 'source "$0" && complete -p k8tls-wizard' "$script" 2>&1)
check "the script loads and registers a completion for k8tls-wizard" \
  [ "$out" = "complete -F _k8tls_wizard k8tls-wizard" ]
check "--th completes to --theme" [ "$(complete_words k8tls-wizard --th)" = "--theme" ]
check "--no completes to --no-color" [ "$(complete_words k8tls-wizard --no)" = "--no-color" ]
check "'ins' completes to the inspect command" [ "$(complete_words k8tls-wizard ins)" = "inspect" ]
check "--dry-run= completes to server" [ "$(complete_words k8tls-wizard --dry-run =)" = "server" ]

"$K8TLS_BIN" --help >"$tmp/help" 2>&1
all=$(complete_words k8tls-wizard --)
n=0
for opt in $(grep -oE -- '--[a-z][a-z0-9-]*(=[a-z]+)?' "$tmp/help" | sort -u); do
  n=$((n + 1))
  # "--dry-run" alone (from "--dry-run=server") is completed as --dry-run=server
  if echo "$all" | grep -qx -- "$opt" || echo "$all" | grep -q -- "^$opt="; then
    pass "completes $opt"
  else
    fail "does not complete $opt (listed by --help)"
  fi
done
check "--help lists long options to complete ($n)" [ "$n" -ge 12 ]

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
finish
