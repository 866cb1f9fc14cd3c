# Shared setup for the kube tests: a fake API server (fakeapi.py) with several listeners on
# 127.0.0.1, a kubeconfig with one context per listener plus a dead one, a private HOME (kubectl's
# discovery cache), and a `kubectl` shim first on PATH that records every argv and the size of its
# stdin, then runs the real kubectl. Source it after tests/lib.sh.
#   fakeapi_start MODE...     starts the server (modes: ok forbidden conflict slow), one context per
#                             listener named ctx0, ctx1...; sets T, KCFG, LOG, SHIMLOG, SCHEME;
#                             with FAKEAPI_TLS=1 it speaks HTTPS (certificate $T/tls.crt, in the
#                             kubeconfig as the clusters' certificate-authority); FAKEAPI_ARGS
#                             adds options (cert-manager's emulation: --cm-ready-after N,
#                             --cm-hold NAME; see fakeapi.py)
#   patches [SERVER]          prints "server method path dryRun force fieldManager content-type"
#                             of every PATCH, in arrival order
need kubectl
REAL_KUBECTL=$(command -v kubectl)
T=$(mktmp)
FAKE_PID=""
cleanup() {
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir -p "$T/home" "$T/shim" "$T/empty"
HOME="$T/home"; export HOME
unset KUBECONFIG
LOG="$T/requests.jsonl"
SHIMLOG="$T/shim.log"
KCFG="$T/kubeconfig"
: > "$SHIMLOG"
cat > "$T/shim/kubectl" <<EOF
#!/bin/sh
# records argv (one per line) and the stdin size, then runs the real kubectl with that stdin
f=\$(mktemp "$T/stdin.XXXXXX")
cat > "\$f"
{ echo "argv-begin"; echo "\$0"; for a in "\$@"; do printf '%s\n' "\$a"; done
  echo "stdin-bytes \$(wc -c < "\$f")"; echo "argv-end"; } >> "$SHIMLOG"
exec 0<"\$f"
rm -f "\$f"
exec "$REAL_KUBECTL" "\$@"
EOF
chmod 700 "$T/shim/kubectl"
PATH="$T/shim:$PATH"; export PATH

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

fakeapi_start() {
  args=""
  for m in "$@"; do args="$args --listener $m"; done
  SCHEME=http
  ca=""
  if [ "${FAKEAPI_TLS:-}" = 1 ]; then
    need openssl
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$T/tls.key" -out "$T/tls.crt" 2>"$T/openssl.err" ||
      { echo "FAIL: cannot make the fake API's certificate"; cat "$T/openssl.err"; exit 1; }
    args="$args --tls-cert $T/tls.crt --tls-key $T/tls.key"
    SCHEME=https
    ca=", certificate-authority: \"$T/tls.crt\""
  fi
  # shellcheck disable=SC2086
  "$PY" "$K8TLS_SRCDIR/tests/kube/fakeapi.py" --port-file "$T/ports" --log "$LOG" --timeout 120 \
    $args ${FAKEAPI_ARGS:-} 2>"$T/fakeapi.err" &
  FAKE_PID=$!
  i=0
  while [ ! -s "$T/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  [ -s "$T/ports" ] || { echo "FAIL: the fake API server did not start"; cat "$T/fakeapi.err"; exit 1; }
  dead=$(free_port)
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    n=0
    while read -r port; do
      echo "- name: cluster$n"
      echo "  cluster: {server: \"$SCHEME://127.0.0.1:$port\"$ca}"
      n=$((n + 1))
    done < "$T/ports"
    echo "- name: dead"
    echo "  cluster: {server: \"$SCHEME://127.0.0.1:$dead\"$ca}"
    echo "users:"
    echo "- name: someone"
    # over HTTPS a user without credentials makes kubectl ask for a user name
    if [ "$SCHEME" = https ]; then echo "  user: {token: fake-token}"; else echo "  user: {}"; fi
    echo "contexts:"
    i=0
    while [ $i -lt $n ]; do
      echo "- name: ctx$i"
      echo "  context: {cluster: cluster$i, user: someone}"
      i=$((i + 1))
    done
    echo "- name: dead"
    echo "  context: {cluster: dead, user: someone}"
    echo "current-context: ctx0"
  } > "$KCFG"
}

# every PATCH: "server method path dryRun force fieldManager content-type"
patches() {
  "$PY" - "$LOG" "${1:-}" <<'PYEOF'
import json, sys
want = sys.argv[2]
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] != "PATCH" or (want != "" and str(e["server"]) != want):
        continue
    q = e["query"]
    print(e["server"], e["method"], e["path"], ",".join(q.get("dryRun", ["-"])),
          ",".join(q.get("force", ["-"])), ",".join(q.get("fieldManager", ["-"])),
          e["content_type"])
PYEOF
}

# Does any recorded kubectl argv contain one of the lines of file $1?
argv_has_any_of() {
  "$PY" - "$SHIMLOG" "$1" <<'PYEOF'
import sys
secrets = [l.strip() for l in open(sys.argv[2]) if l.strip()]
argv = open(sys.argv[1]).read()
found = [s for s in secrets if s in argv]
sys.exit(0 if found else 1)
PYEOF
}

reset_logs() {
  : > "$LOG"
  : > "$SHIMLOG"
}
