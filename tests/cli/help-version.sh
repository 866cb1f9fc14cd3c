#!/bin/sh
# --help and --version follow the GNU conventions: stdout, exit 0; unknown flags exit 2 with usage.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT

"$K8TLS_BIN" --help >"$t/help" 2>"$t/help.err"
check "--help exits 0" [ $? -eq 0 ]
check "--help prints the usage line on stdout" grep -q '^Usage: k8tls-wizard \[OPTION\]' "$t/help"
for flag in --answers --defaults --print-answers --output --force --apply --context --kubeconfig \
            --dry-run=server --diff --force-conflicts --create-namespace --theme --no-color --version; do
  check "--help documents $flag" grep -q -e "$flag" "$t/help"
done
check "--help mentions the subcommands" grep -q 'inspect PATH' "$t/help"
check "--help writes nothing on stderr" [ ! -s "$t/help.err" ]

"$K8TLS_BIN" --version >"$t/version"
check "--version exits 0" [ $? -eq 0 ]
check "--version starts with the program and version" grep -q '^k8tls-wizard [0-9][0-9.]*$' "$t/version"
check "--version names the linked OpenSSL" grep -q 'OpenSSL 3' "$t/version"
check "--version names libyaml" grep -q 'libyaml [0-9]' "$t/version"
check "--version names CDK" grep -q 'CDK [0-9]' "$t/version"

"$K8TLS_BIN" --no-such-flag >"$t/out" 2>"$t/err"
rc=$?
check "an unknown flag exits 2 (got $rc)" [ $rc -eq 2 ]
check "an unknown flag names the flag" grep -q -e "--no-such-flag" "$t/err"
check "an unknown flag points at --help" grep -q -e "--help" "$t/err"
check "an unknown flag shows the usage" grep -q '^Usage: k8tls-wizard \[OPTION\]' "$t/err"
check "an unknown flag prints nothing on stdout" [ ! -s "$t/out" ]

"$K8TLS_BIN" --defaults extra-argument >"$t/out" 2>"$t/err"
check "a stray argument exits 2" [ $? -eq 2 ]
"$K8TLS_BIN" --dry-run=client --apply --defaults >"$t/out" 2>"$t/err"
check "--dry-run other than server exits 2" [ $? -eq 2 ]
"$K8TLS_BIN" --answers a.yaml --defaults >"$t/out" 2>"$t/err"
check "--answers with --defaults exits 2" [ $? -eq 2 ]
"$K8TLS_BIN" --defaults --context kind-a >"$t/out" 2>"$t/err"
check "--context without --apply exits 2" [ $? -eq 2 ]
"$K8TLS_BIN" --print-answers --output "$t/o" >"$t/out" 2>"$t/err"
check "--print-answers with --output exits 2" [ $? -eq 2 ]
check "... and writes nothing" [ ! -e "$t/o" ]
finish
