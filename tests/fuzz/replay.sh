#!/bin/sh
# Replays every fuzz seed (tests/fuzz/corpus/<harness>/) and every crash ever found by the fuzzers
# (tests/fuzz/regress/<harness>/) through the same entry points as `make fuzz`, without libFuzzer:
# each harness is also linked with a plain main() as tests/fuzz/replay_<harness>. A crash, a
# sanitizer report (ASan/UBSan build) or a failed harness assertion fails this test.
. "$K8TLS_SRCDIR/tests/lib.sh"
fz=$K8TLS_SRCDIR/tests/fuzz
n=0
for dir in "$fz"/corpus/*/; do
  h=$(basename "$dir")
  bin=$K8TLS_BUILDDIR/tests/fuzz/replay_$h
  if [ ! -x "$bin" ]; then
    fail "$h: replay program $bin is not built"
    continue
  fi
  inputs="$fz/corpus/$h"
  [ -d "$fz/regress/$h" ] && inputs="$inputs $fz/regress/$h"
  count=$(find $inputs -type f ! -name '.*' | wc -l)
  # shellcheck disable=SC2086
  out=$("$bin" $inputs 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ] && echo "$out" | grep -q "^replayed $count inputs"; then
    pass "$h: $count inputs replayed without a crash"
  else
    echo "$out" | tail -n 30
    fail "$h: replay failed (exit $rc)"
  fi
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no fuzz corpus found under $fz/corpus"
finish
