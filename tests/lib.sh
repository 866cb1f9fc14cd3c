# Shared helpers for the shell tests. Source it: . "$K8TLS_SRCDIR/tests/lib.sh"
set -u
: "${K8TLS_BIN:?run through make check}"
fails=0
passes=0
pass() { passes=$((passes + 1)); echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
check() { # check "description" command...
  desc="$1"; shift
  if "$@"; then pass "$desc"; else fail "$desc"; fi
}
# A tool the test needs: missing means the test fails (README: nothing is skipped silently).
need() {
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { echo "FAIL: required tool '$t' is not installed"; exit 1; }
  done
}
# The K8ssandra reference data: absent only outside this workplace; then the test is skipped, saying so.
need_reference() {
  if [ ! -f "$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml" ]; then
    echo "SKIP: reference data not found at $K8TLS_REFERENCE_DIR (configure --with-reference-dir=DIR)"
    exit 77
  fi
}
PY=${SYS_PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=/usr/bin/python3
mktmp() { mktemp -d "${TMPDIR:-/tmp}/k8tls-test.XXXXXX"; }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
