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
# The K8ssandraCluster CRD: vendored in tests/reference, so a missing one is a failure.
need_reference() {
  if [ ! -f "$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml" ]; then
    echo "FAIL: no k8ssandraclusters.crd.yaml in $K8TLS_REFERENCE_DIR (configure --with-reference-dir=DIR)"
    exit 1
  fi
}
PY=${SYS_PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=/usr/bin/python3
mktmp() { mktemp -d "${TMPDIR:-/tmp}/k8tls-test.XXXXXX"; }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
