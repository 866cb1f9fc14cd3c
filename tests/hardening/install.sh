#!/bin/sh
# The installed layout: the binary (runs), the man page k8tls-wizard(1) (renders), the bash
# completion (loads, completes), every theme of the tree, the K8ssandraCluster CRD (the doctor
# reads it), a catalog per language in po/LINGUAS.
#
# Under `make check` (no argument): runs `make install DESTDIR=<tmp>` in the build directory
# (a nested make with the parent's MAKEFLAGS removed, so it neither joins the parent's job server
# nor inherits its targets; everything is already built by then, so it only copies), checks the
# tree, then `make uninstall DESTDIR=<tmp>` and checks that no file is left behind.
# With --installed BINDIR MANDIR COMPLETIONDIR PKGDATADIR LOCALEDIR (from `make installcheck`,
# which `make distcheck` runs after its own `make install`): checks that real installation.
if [ "${1-}" = "--installed" ]; then
  # from `make installcheck`: not under the test harness
  K8TLS_SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
  K8TLS_BIN=$2/k8tls-wizard
  export K8TLS_SRCDIR K8TLS_BIN
fi
. "$K8TLS_SRCDIR/tests/lib.sh"
srcdir=$K8TLS_SRCDIR
need bash groff
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT

if [ "${1-}" = "--installed" ]; then
  bindir=$2 mandir=$3 compdir=$4 pkgdatadir=$5 localedir=$6
  root=""
else
  need make
  [ -f "$K8TLS_BUILDDIR/Makefile" ] || { echo "FAIL: no Makefile in $K8TLS_BUILDDIR"; exit 1; }
  root=$tmp/root
  if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
       make -C "$K8TLS_BUILDDIR" install DESTDIR="$root" >"$tmp/install.log" 2>&1; then
    pass "make install DESTDIR=... succeeds"
  else
    tail -n 20 "$tmp/install.log"
    fail "make install DESTDIR=... failed"
    finish
    exit 1
  fi
  # where things went, whatever the configured prefix
  find1() { find "$root" -path "$1" | head -n 1; }
  b=$(find1 '*/bin/k8tls-wizard'); bindir=${b%/*}
  m=$(find1 '*/man1/k8tls-wizard.1'); mandir=${m%/man1/*}
  c=$(find1 '*/bash-completion/completions/k8tls-wizard'); compdir=${c%/*}
  pkgdatadir=$(find "$root" -type d -path '*/share/k8tls-wizard' | head -n 1)
  l=$(find "$root" -type d -name locale | head -n 1); localedir=$l
fi

check "the binary is installed and executable" [ -x "$bindir/k8tls-wizard" ]
ver=$("$bindir/k8tls-wizard" --version 2>&1)
check "the installed binary runs (--version exits 0)" [ $? -eq 0 ]
check "--version names the program" sh -c 'echo "$1" | grep -q "k8tls-wizard"' _ "$ver"

check "the man page is installed in man1" [ -f "$mandir/man1/k8tls-wizard.1" ]
if [ -f "$mandir/man1/k8tls-wizard.1" ]; then
  warn=$(groff -man -ww -z "$mandir/man1/k8tls-wizard.1" 2>&1)
  check "the installed man page renders without warnings" [ -z "$warn" ]
  # man finds it through MANPATH
  if command -v man >/dev/null 2>&1; then
    out=$(MANPATH=$mandir MANWIDTH=80 man k8tls-wizard 2>/dev/null | head -n 5)
    check "man k8tls-wizard finds the installed page through MANPATH" \
      sh -c 'echo "$1" | grep -q "K8TLS-WIZARD(1)"' _ "$out"
  fi
fi

comp=$compdir/k8tls-wizard
check "the completion is installed as .../bash-completion/completions/k8tls-wizard" [ -f "$comp" ]
case $compdir in
  */share/bash-completion/completions) pass "completion directory is under the prefix's share/" ;;
  *) fail "completion directory $compdir is not .../share/bash-completion/completions" ;;
esac
if [ -f "$comp" ]; then
  got=$(bash --norc --noprofile -c 'source "$0" || exit 9
    COMP_LINE="k8tls-wizard --th"; COMP_POINT=${#COMP_LINE}
    COMP_WORDS=(k8tls-wizard --th); COMP_CWORD=1; COMPREPLY=(); _k8tls_wizard
    printf "%s\n" "${COMPREPLY[@]}"' "$comp" 2>&1)
  check "the installed completion loads and completes --th to --theme" [ "$got" = "--theme" ]
fi

# every theme of the source tree is installed
for t in "$srcdir"/themes/*.theme; do
  [ -e "$t" ] || continue
  name=${t##*/}
  found=""
  [ -n "$pkgdatadir" ] && found=$(find "$pkgdatadir" -name "$name" 2>/dev/null | head -n 1)
  check "theme $name of the source tree is installed under ${pkgdatadir:-share/k8tls-wizard}" [ -n "$found" ]
done

# the K8ssandraCluster CRD of the doctor and merge mode, and the installed doctor reads it
crd=$pkgdatadir/crd/k8ssandraclusters.crd.yaml
check "the CRD is installed under ${pkgdatadir:-share/k8tls-wizard}/crd" [ -s "$crd" ]
if [ -s "$crd" ]; then
  printf 'apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\nmetadata: {name: x}\nspec: {cassandra: {serverVersion: 4}}\n' > "$tmp/bad.yaml"
  K8TLS_CRD_DIR=$pkgdatadir/crd "$bindir/k8tls-wizard" doctor "$tmp/bad.yaml" > "$tmp/doctor.out" 2>&1
  check "the installed doctor validates with the installed CRD" \
    grep -q 'spec.cassandra.serverVersion.*must be of type string' "$tmp/doctor.out"
fi

# one catalog per language
if [ -f "$srcdir/po/LINGUAS" ]; then
  for lang in $(sed 's/#.*//' "$srcdir/po/LINGUAS"); do
    check "the $lang catalog is installed" [ -f "$localedir/$lang/LC_MESSAGES/k8tls-wizard.mo" ]
  done
fi

if [ -n "$root" ]; then
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
    make -C "$K8TLS_BUILDDIR" uninstall DESTDIR="$root" >"$tmp/uninstall.log" 2>&1
  check "make uninstall DESTDIR=... succeeds" [ $? -eq 0 ]
  left=$(find "$root" -type f | sed "s|^$root||")
  check "make uninstall leaves no file behind${left:+ (left: $left)}" [ -z "$left" ]
fi
finish
