#!/bin/sh
# Run from the build tree, as the README's first command does (`make && ./k8tls-wizard`): with
# neither K8TLS_THEMES_DIR nor K8TLS_LOCALEDIR set and from another directory, the binary finds
# the themes and the French catalog next to itself (the build tree), not only where `make install`
# would put them.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
unset K8TLS_THEMES_DIR K8TLS_LOCALEDIR
cd "$t" || exit 1

LANGUAGE=fr LANG=C.UTF-8 "$K8TLS_BIN" --help >"$t/help.fr" 2>&1
check "LANGUAGE=fr --help exits 0" [ $? -eq 0 ]
check "LANGUAGE=fr --help is in French without K8TLS_LOCALEDIR" \
  grep -q '^Utilisation : k8tls-wizard' "$t/help.fr"

tui_start "$t" 100 30 --tui --theme dark
check "--theme dark starts the wizard without K8TLS_THEMES_DIR" \
  wait_for "step 1 of 10: Welcome"
keys C-c
wait_for "Leave the wizard?" >/dev/null
keys Tab Enter
rc=$(wait_exit "$t")
check "--theme dark: leaves cleanly (rc=$rc)" [ "$rc" = 1 ]
check "--theme dark: no word about the theme ($(cat "$t/.stderr"))" \
  sh -c '! grep -qi theme "$1"' - "$t/.stderr"
tui_stop

tui_start "$t" 100 30 --tui --theme no-such-theme
rc=$(wait_exit "$t")
check "an unknown theme still fails (rc=$rc)" [ "$rc" = 2 ]
check "and says it looked next to the binary" \
  grep -q "unknown theme \"no-such-theme\" (looked in .*themes" "$t/.stderr"
finish
