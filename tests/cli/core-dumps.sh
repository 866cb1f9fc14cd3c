#!/bin/sh
# No core dump of k8tls-wizard: a core would hold typed passwords and private keys. The real
# binary is caught while it runs (waiting for its answers on a pipe) and its /proc entries are
# read: "Max core file size" is 0 (soft and hard), and the process is not dumpable, which the
# kernel shows by giving its /proc/PID files to root. The owner test needs a user other than
# root: run as root, the binary is started as nobody (setpriv).
. "$K8TLS_SRCDIR/tests/lib.sh"
T=$(mktmp)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "${feeder:-}" ] && kill "$feeder" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

AS_USER=""
uid=$(id -u)
if [ "$uid" = 0 ]; then
  need setpriv
  AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
  uid=65534
fi

# Core dumps allowed where the test starts it: the binary itself must turn them off.
ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)" 2>/dev/null
before=$(awk '/^Max core file size/ {print $5}' /proc/self/limits)
echo "core limit of the test shell: $before"

mkfifo "$T/answers"
chmod 755 "$T"
chmod 666 "$T/answers"
# the binary reads its answers from stdin: a FIFO that gets a writer only at the end
# shellcheck disable=SC2086
$AS_USER "$K8TLS_BIN" --answers - < "$T/answers" > "$T/stdout" 2> "$T/stderr" &
pid=$!
exec 3> "$T/answers"       # opening the writer end lets the binary's shell redirection proceed
i=0
while [ $i -lt 100 ]; do
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = k8tls-wizard ] && grep -q '^k8tls-wizard: reading' "$T/stderr" 2>/dev/null && break
  sleep 0.1
  i=$((i + 1))
done
check "k8tls-wizard is running and waiting for its answers" \
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = k8tls-wizard ]
sed -n '1p; /^Max core file size/p' "/proc/$pid/limits"
check "its core file size limit is 0 (soft and hard)" \
  awk '/^Max core file size/ { exit !($5 == "0" && $6 == "0") }' "/proc/$pid/limits"
owner=$(stat -c %u "/proc/$pid/status")
echo "running as uid $uid; /proc/$pid/status belongs to uid $owner"
check "it is not dumpable (its /proc files belong to root, not to uid $uid)" \
  test "$owner" = 0 -a "$uid" != 0
check "it still runs as uid $uid" \
  awk -v u="$uid" '/^Uid:/ { exit !($2 == u) }' "/proc/$pid/status"

# let it finish: answers of an unknown version are refused
echo 'apiVersion: not-a-version' >&3
exec 3>&-
wait "$pid"
rc=$?
pid=""
check "the run then ends normally (exit $rc: the answers are refused)" [ "$rc" -eq 1 ]
finish
