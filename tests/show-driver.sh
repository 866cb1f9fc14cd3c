#!/bin/sh
# Wraps automake's test-driver and echoes the lines of a test's log that people should see:
# Check's summary ("100%: Checks: N, Failures: 0, Errors: 0"), SKIP reasons, and failures.
drv="$1"; shift
log=""
prev=""
for a in "$@"; do
  [ "$prev" = "--log-file" ] && log="$a"
  prev="$a"
done
"$SHELL" "$drv" "$@"
rc=$?
if [ -n "$log" ] && [ -f "$log" ]; then
  grep -E '^[0-9]+%: Checks: |^(SKIP|FAIL|ERROR)[: ]|^# (summary|figures):' "$log" | sed "s|^|  $(basename "$log" .log): |"
fi
exit $rc
