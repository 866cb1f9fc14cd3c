#!/bin/sh
# Without a terminal and without --answers/--defaults/--print-answers: one-line reason, exit 2.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1

"$K8TLS_BIN" </dev/null >"$t/out" 2>"$t/err"
rc=$?
check "no terminal exits 2 (got $rc)" [ $rc -eq 2 ]
check "the reason is one line" [ "$(wc -l <"$t/err")" -eq 1 ]
check "the reason says there is no terminal" grep -q 'no terminal' "$t/err"
check "the reason names --answers and --defaults" grep -q -e '--answers FILE or --defaults' "$t/err"
check "nothing on stdout" [ ! -s "$t/out" ]
check "nothing written in the current directory" [ -z "$(ls -A "$t" | grep -v -e '^out$' -e '^err$')" ]

# same with only stdout redirected (stdin may be anything but stdout is a file)
"$K8TLS_BIN" --theme dark --no-color </dev/null >"$t/out" 2>"$t/err"
check "TUI flags without a terminal still exit 2" [ $? -eq 2 ]

# --kubeconfig belongs to the wizard too (its apply step): not a usage error there
"$K8TLS_BIN" --tui --kubeconfig "$t/kc" </dev/null >"$t/out" 2>"$t/err"
check "--tui --kubeconfig without a terminal: exit 2" [ $? -eq 2 ]
check "--tui --kubeconfig: refused for the missing terminal, not the flag" grep -q 'no terminal' "$t/err"
"$K8TLS_BIN" --defaults --kubeconfig "$t/kc" </dev/null >"$t/out" 2>"$t/err"
check "--defaults --kubeconfig without --apply: a usage error" grep -q -e '--kubeconfig.*need --apply' "$t/err"
finish
