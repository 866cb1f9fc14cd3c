# Helpers for the TUI tests: the real binary in a private tmux server (one per test), keys sent
# with send-keys, the screen read with capture-pane. Source after tests/lib.sh.
need tmux
# A new private server for each run of the wizard (a server just killed may still hold its
# socket name).
TUI_RUN=0
TUI_SOCK="k8tls-test-$$-0"
tm() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }
tui_stop() { tm kill-server >/dev/null 2>&1; }

# tui_start DIR W H ARGS...: runs the wizard with ARGS in DIR, in a W x H terminal. A wrapper
# records the terminal settings before and after (DIR/.stty-before, .stty-after) and the exit
# status (DIR/.rc), then keeps the pane open so that the last screen can still be read.
# Extra environment for the wizard: TUI_ENV (e.g. "LANGUAGE=fr LANG=C.UTF-8").
tui_start() {
  dir=$1 w=$2 h=$3
  shift 3
  {
    echo "cd '$dir' || exit 1"
    echo "ulimit -c 0"
    echo "stty -g >.stty-before"
    printf 'env %s "%s"' "${TUI_ENV:-}" "$K8TLS_BIN"
    for a in "$@"; do printf " '%s'" "$a"; done
    echo " 2>.stderr"
    echo 'echo $? >.rc.tmp'
    echo "stty -g >.stty-after"
    echo "mv .rc.tmp .rc"
    echo "exec sleep 600"
  } >"$dir/.run.sh"
  rm -f "$dir/.rc"
  tui_stop
  TUI_RUN=$((TUI_RUN + 1))
  TUI_SOCK="k8tls-test-$$-$TUI_RUN"
  tm new-session -d -x "$w" -y "$h" "sh '$dir/.run.sh'"
}

screen() { tm capture-pane -p; }
screen_sgr() { tm capture-pane -p -e; }
keys() { tm send-keys "$@"; }
type_text() { tm send-keys -l "$1"; }

# wait_for TEXT [SECONDS]: polls the screen (bounded, default 20 s); shows it when TEXT never
# came.
wait_for() {
  _limit=${2:-20}
  _i=0
  while [ "$_i" -lt $((_limit * 10)) ]; do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
    _i=$((_i + 1))
  done
  echo "--- the screen after waiting ${_limit}s for '$1':"
  screen
  return 1
}

# leave_review: F10 on Review once its files show, until the Output step is there. Under ASan
# an F10 sent while Review is still settling can go unanswered; it is sent again only while the
# screen still shows Review (never twice onto Output, where F10 writes).
leave_review() {
  wait_for "manifests/20-k8ssandracluster.yaml" 120 >/dev/null
  _n=0
  while [ "$_n" -lt 4 ]; do
    keys F10
    _j=0
    while [ "$_j" -lt 100 ]; do
      screen | grep -qF "Output directory" && return 0
      sleep 0.1
      _j=$((_j + 1))
    done
    screen | grep -qF ": Review" || break
    _n=$((_n + 1))
  done
  wait_for "Output directory"
}

# wait_re REGEX [SECONDS]: the same with an extended regular expression.
wait_re() {
  _limit=${2:-20}
  _i=0
  while [ "$_i" -lt $((_limit * 10)) ]; do
    if screen | grep -qE -- "$1"; then return 0; fi
    sleep 0.1
    _i=$((_i + 1))
  done
  echo "--- the screen after waiting ${_limit}s for /$1/:"
  screen
  return 1
}

# wait_exit DIR [SECONDS]: waits for the wizard to end; prints its exit status.
wait_exit() {
  _limit=${2:-20}
  _i=0
  while [ ! -f "$1/.rc" ] && [ "$_i" -lt $((_limit * 10)) ]; do
    sleep 0.1
    _i=$((_i + 1))
  done
  if [ -f "$1/.rc" ]; then cat "$1/.rc"; else echo "none"; screen; fi
}

# step TITLE: the title bar shows this step
title_is() { screen | head -1 | grep -qF -- "$1"; }

# An answers file for fast runs: the defaults with an ECDSA P-256 CA.
ecdsa_answers() {
  "$K8TLS_BIN" --print-answers >"$1" &&
    sed -i 's/key: {algorithm: rsa, size: 3072}/key: {algorithm: ecdsa, curve: P-256}/' "$1" &&
    grep -q 'algorithm: ecdsa' "$1"
}
