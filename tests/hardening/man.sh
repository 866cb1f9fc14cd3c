#!/bin/sh
# The man page k8tls-wizard(1): renders with groff without a single warning (all warnings on),
# and documents every long option and command that `k8tls-wizard --help` lists.
. "$K8TLS_SRCDIR/tests/lib.sh"
need groff
page=$K8TLS_SRCDIR/doc/k8tls-wizard.1
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT

groff -man -ww -z "$page" >"$tmp/warn" 2>&1
rc=$?
check "groff -man -ww renders the page (exit 0)" [ "$rc" -eq 0 ]
if [ -s "$tmp/warn" ]; then
  sed 's/^/  /' "$tmp/warn"
  fail "groff -man -ww printed warnings"
else
  pass "groff -man -ww printed no warning"
fi
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$page" >"$tmp/man.txt" 2>"$tmp/man.err"
  check "man -l renders the page" [ -s "$tmp/man.txt" ]
  check "man -l prints no warning" [ ! -s "$tmp/man.err" ]
fi

# Plain text, one long line per paragraph, no hyphenation: options are whole words.
groff -man -Tascii -rHY=0 -rLL=300n -P-cbou "$page" 2>/dev/null >"$tmp/page.txt"
check "the page has the standard sections" grep -q '^EXIT STATUS' "$tmp/page.txt"

"$K8TLS_BIN" --help >"$tmp/help.txt" 2>&1
check "--help exits 0" [ $? -eq 0 ]
grep -oE -- '--[a-z][a-z0-9-]*' "$tmp/help.txt" | sort -u >"$tmp/opts"
nopts=$(wc -l <"$tmp/opts")
check "--help lists the long options ($nopts found, at least 12 expected)" [ "$nopts" -ge 12 ]
while read -r opt; do
  if grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$tmp/page.txt"; then
    pass "the man page documents $opt"
  else
    fail "the man page does not mention $opt (listed by --help)"
  fi
done <"$tmp/opts"
for cmd in inspect rotate enable; do
  if grep -qw "$cmd" "$tmp/help.txt"; then
    check "the man page documents the '$cmd' command" grep -qE "^ +$cmd( |$)" "$tmp/page.txt"
    # and each of the command's own options, in its section (up to the next command or section)
    "$K8TLS_BIN" "$cmd" --help >"$tmp/$cmd.help" 2>&1
    awk -v c="$cmd" '$0 ~ "^   " c " " { on = 1; print; next }
      on && (/^[A-Z]/ || /^   [a-z]+ /) { on = 0 }
      on { print }' "$tmp/page.txt" >"$tmp/$cmd.section"
    check "the man page has a section for $cmd" [ -s "$tmp/$cmd.section" ]
    n=0
    for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$tmp/$cmd.help" | sort -u); do
      n=$((n + 1))
      if grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$tmp/$cmd.section"; then
        pass "the man page documents $cmd $opt"
      else
        fail "the man page's $cmd section does not mention $opt (listed by $cmd --help)"
      fi
    done
    check "$cmd --help lists options ($n)" [ "$n" -ge 1 ]
  fi
done
for word in "ANSWERS FILE" "OUTPUT DIRECTORY" "EXAMPLES"; do
  check "the man page has a section $word" grep -q "^$word" "$tmp/page.txt"
done
finish
