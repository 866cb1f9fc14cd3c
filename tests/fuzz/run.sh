#!/bin/sh
# `make fuzz`: runs each libFuzzer harness built in BUILD/bin for SECONDS seconds over its seed
# corpus and regression inputs, then prints one line per harness (executions, new corpus
# entries, crashes) and fails if any harness crashed.
# Usage: run.sh SRCDIR BUILD SECONDS HARNESS...
set -u
srcdir=$1 build=$2 seconds=$3
shift 3
if [ $# -eq 0 ]; then
  echo "make fuzz: no harness is built yet (FUZZ_HARNESSES is empty)" >&2
  exit 1
fi
mkdir -p "$build/logs" "$build/crashes"
summary=""
crashed=0
for h in "$@"; do
  bin=$build/bin/fuzz_$h
  work=$build/work/$h
  mkdir -p "$work"
  log=$build/logs/$h.log
  dict=""
  [ -f "$srcdir/tests/fuzz/dict/$h.dict" ] && dict="-dict=$srcdir/tests/fuzz/dict/$h.dict"
  seeds=""
  for d in "$srcdir/tests/fuzz/corpus/$h" "$srcdir/tests/fuzz/regress/$h"; do
    [ -d "$d" ] && seeds="$seeds $d"
  done
  before=$(ls "$build/crashes" | grep -c "^$h-" || true)
  echo "fuzz $h: ${seconds}s ..."
  # -timeout: an input taking longer is a hang, reported like a crash; -rss_limit_mb: bounded.
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$build/crashes/$h-" $dict "$work" $seeds >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs=$(sed -n 's/.*#\([0-9][0-9]*\).*DONE.*/\1/p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs="?"
  corpus=$(ls "$work" | wc -l)
  after=$(ls "$build/crashes" | grep -c "^$h-" || true)
  crashes=$((after - before))
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1  # a failure without an artifact (e.g. out of memory in libFuzzer itself)
  fi
  [ "$crashes" -gt 0 ] && crashed=1
  line=$(printf '%-12s %10s execs in %ss, corpus %s, crashes %s' "$h" "$execs" "$seconds" "$corpus" "$crashes")
  summary="$summary$line
"
  if [ "$crashes" -gt 0 ]; then
    echo "fuzz $h: FAILED (exit $rc), log $log; artifacts:" >&2
    ls "$build/crashes" | grep "^$h-" | sed "s|^|  $build/crashes/|" >&2
    grep -m 5 -E 'ERROR: |runtime error|SUMMARY' "$log" >&2
  fi
done
echo
echo "# fuzz summary ($(date -u +%Y-%m-%dT%H:%MZ), $(clang --version | head -n 1))"
printf '%s' "$summary"
if [ "$crashed" -ne 0 ]; then
  echo "Crashes found: make each one a regression input, e.g." >&2
  echo "  cp $build/crashes/<harness>-crash-... \$srcdir/tests/fuzz/regress/<harness>/" >&2
  exit 1
fi
