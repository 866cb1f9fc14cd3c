#!/bin/sh
# The rule catalogue doc/rules.md: every rule code that a source file, a test or the benchmark
# cites (K1, S8, X2, P1, ...) is defined there exactly once, and every file it names as the place
# a rule is enforced or tested exists.
. "$K8TLS_SRCDIR/tests/lib.sh"
rules=$K8TLS_SRCDIR/doc/rules.md
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT

check "doc/rules.md exists" [ -f "$rules" ]
[ -f "$rules" ] || { finish; exit 1; }

# Defined codes: the bold code that opens a list item ("- **K8** ...").
sed -n 's/^- \*\*\([A-Z][0-9][0-9]*\)\*\*.*/\1/p' "$rules" | sort >"$tmp/defined"
check "doc/rules.md defines rule codes" [ -s "$tmp/defined" ]
dups=$(uniq -d "$tmp/defined" | tr '\n' ' ')
check "no rule code is defined twice${dups:+ (twice: $dups)}" [ -z "$dups" ]

# Cited codes: the K, S, X and P families in the sources, the tests and the benchmark (the fuzz
# corpora are data, not text). Other letters collide with compiler flags and JVM options.
for d in src include tests bench; do
  [ -d "$K8TLS_SRCDIR/$d" ] || continue
  find "$K8TLS_SRCDIR/$d" -type f \( -name '*.c' -o -name '*.h' -o -name '*.py' -o -name '*.sh' \
    -o -name '*.am' -o -name '*.java' -o -name '*.md' \) ! -path '*/corpus/*' -print
done >"$tmp/files"
check "there are sources to scan" [ -s "$tmp/files" ]
while IFS= read -r f; do
  grep -ohE '\b[KSXP][0-9]{1,2}\b' "$f"
done <"$tmp/files" | sort -u >"$tmp/cited"
check "the sources cite rule codes" [ -s "$tmp/cited" ]
while IFS= read -r c; do
  if grep -qx "$c" "$tmp/defined"; then
    pass "$c is defined"
  else
    fail "$c is cited but not defined in doc/rules.md; cited in:"
    while IFS= read -r f; do
      grep -qwE "$c" "$f" && echo "    ${f#"$K8TLS_SRCDIR"/}"
    done <"$tmp/files"
  fi
done <"$tmp/cited"

# Files named in the catalogue.
grep -oE '`(src|include|tests|bench|doc)/[A-Za-z0-9_./*-]+`' "$rules" | tr -d '`' | sort -u >"$tmp/paths"
check "doc/rules.md names the files that enforce the rules" [ -s "$tmp/paths" ]
while IFS= read -r p; do
  # a glob such as tests/fuzz/fuzz_*.c must match at least one file
  set -- "$K8TLS_SRCDIR"/$p
  check "$p exists" [ -e "$1" ]
done <"$tmp/paths"
finish
