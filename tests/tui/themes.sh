#!/bin/sh
# Themes are data: --theme high-contrast and every shipped theme run; NO_COLOR=1 and --no-color
# draw without any colour (attributes only); a bad theme file is one clear error naming the file
# and the line, before the terminal is touched; an unknown name says where it looked.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

# colours used on the screen: SGR parameters 30-37/40-47 (and 38/48, 90-107)
colours_used() {
  screen_sgr | "$PY" -c '
import re, sys
n = 0
for m in re.finditer(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    for p in m.group(1).split(";"):
        if p and (30 <= int(p) <= 37 or 40 <= int(p) <= 47 or int(p) in (38, 48) or 90 <= int(p) <= 107):
            n += 1
print(n)'
}

run_theme() { # run_theme NAME-FOR-MESSAGES ARGS...: starts, checks the first step, leaves
  what=$1
  shift
  tui_start "$t" 100 30 "$@"
  check "$what: the Welcome step shows" wait_for "step 1 of 10: Welcome"
  check "$what: the help bar shows" wait_for "F10: next"
}

leave() {
  keys C-c
  wait_for "Leave the wizard?" >/dev/null
  keys Tab Enter
  rc=$(wait_exit "$t")
  check "$1: leaves cleanly (rc=$rc)" [ "$rc" = 1 ]
  check "$1: the terminal settings are restored" cmp -s "$t/.stty-before" "$t/.stty-after"
  tui_stop
}

run_theme "--theme high-contrast" --tui --theme high-contrast --answers answers.yaml
n=$(colours_used)
check "high-contrast draws in colour ($n colour attributes)" [ "$n" -gt 0 ]
keys F10
check "high-contrast: Next works" wait_for "step 2 of 10: Cluster"
leave "high-contrast"

for th in default light dark mono; do
  run_theme "--theme $th" --tui --theme "$th" --answers answers.yaml
  leave "$th"
done

TUI_ENV="NO_COLOR=1" run_theme "NO_COLOR=1" --tui --answers answers.yaml
n=$(colours_used)
check "NO_COLOR=1 draws no colour at all ($n colour attributes)" [ "$n" -eq 0 ]
check "NO_COLOR=1 still marks the focus in text ('>')" wait_re "^  > Start from:"
leave "NO_COLOR=1"

run_theme "--no-color" --tui --no-color --theme dark --answers answers.yaml
n=$(colours_used)
check "--no-color wins over --theme ($n colour attributes)" [ "$n" -eq 0 ]
leave "--no-color"

cp "$K8TLS_SRCDIR/themes/dark.theme" "$t/my.theme"
run_theme "a theme file given as a path" --tui --theme "$t/my.theme" --answers answers.yaml
leave "a theme file"

printf 'title = white blue\n# fine so far\nfocused-field = black orange bold\n' >"$t/bad.theme"
tui_start "$t" 100 30 --tui --theme "$t/bad.theme" --answers answers.yaml
rc=$(wait_exit "$t")
check "a bad theme exits 2 (rc=$rc)" [ "$rc" = 2 ]
check "the error names the file and the line" grep -q "bad.theme:3:.*unknown colour \"orange\"" "$t/.stderr"
check "the error is one line" [ "$(wc -l <"$t/.stderr")" -eq 1 ]
check "the terminal was not touched" cmp -s "$t/.stty-before" "$t/.stty-after"
tui_start "$t" 100 30 --tui --theme no-such-theme --answers answers.yaml
rc=$(wait_exit "$t")
check "an unknown theme exits 2 (rc=$rc)" [ "$rc" = 2 ]
check "an unknown theme says where it looked" grep -q "unknown theme \"no-such-theme\" (looked in $K8TLS_THEMES_DIR" "$t/.stderr"
finish
