#!/bin/sh
# The output directory against hostile or unlucky input: --force replaces only a directory the
# wizard wrote (never a .git, an unknown file, a mount point), an answers file's
# output.directory stays inside the answers file's directory, a signal during the write leaves
# nothing half-done (test seam K8TLS_TEST_PAUSE_AFTER_WRITES, see include/k8tls/output.h), a
# killed run's temporary tree is removed by the next one, an old tree that cannot be removed is
# reported with a non-zero exit, and the target is checked before any key is made.
. "$K8TLS_SRCDIR/tests/lib.sh"
T=$(mktmp)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"

cat > "$T/ec.yaml" <<'YAML'
apiVersion: k8tls-wizard/v1
ca: {key: {algorithm: ecdsa, curve: P-256}}
YAML
chmod 644 "$T/ec.yaml"
run() { "$K8TLS_BIN" --answers "$T/ec.yaml" "$@" >"$T/out.log" 2>&1; echo $? > "$T/rc"; }
rc() { cat "$T/rc"; }
tree_sum() { (cd "$1" && find . -printf '%p %m\n' | sort && find . -type f -exec sha256sum {} + | sort) | sha256sum; }
no_leftovers() { [ -z "$(find "$1" -maxdepth 1 -name '.*k8tls-*')" ]; }
no_keys_made() { ! grep -q "generating the keys" "$T/out.log"; }
log_has() { grep -q -- "$1" "$T/out.log"; }

run --output "$T/out"
check "a fresh directory is written (exit 0)" test "$(rc)" -eq 0
check "  ... with the marker" grep -q "k8tls-wizard output directory" "$T/out/.k8tls-wizard-output"
check "  ... that kubectl kustomize ignores" sh -c "kubectl kustomize '$T/out' >/dev/null 2>&1 || ! command -v kubectl >/dev/null"

# --force over a directory holding something the wizard did not write: refused before any key
# is made, naming it, nothing changed.
spoil_check() { # NAME: --force over $T/out is refused because of NAME
  before=$(tree_sum "$T/out")
  run --output "$T/out" --force
  check "--force with $1 inside: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... naming $1" log_has "$1 is not something k8tls-wizard writes"
  check "  ... saying nothing was changed" log_has "nothing was changed"
  check "  ... before any key is made" no_keys_made
  check "  ... the directory is untouched" test "$(tree_sum "$T/out")" = "$before"
  check "  ... no temporary directory left" no_leftovers "$T"
}
mkdir "$T/out/.git" && echo "ref: refs/heads/main" > "$T/out/.git/HEAD"
spoil_check .git
rm -rf "$T/out/.git"
echo "my notes" > "$T/out/notes.txt"
spoil_check notes.txt
rm -f "$T/out/notes.txt"
mkdir "$T/out/ca/mine"
spoil_check ca/mine
rmdir "$T/out/ca/mine"

# A directory that is not a bundle at all.
mkdir -p "$T/project/src" && echo keep > "$T/project/src/main.c"
run --output "$T/project" --force
check "--force over a project directory: refused (exit $(rc))" test "$(rc)" -eq 1
check "  ... the project is untouched" test "$(cat "$T/project/src/main.c")" = keep

# The wizard's own directory is still replaced.
run --output "$T/out" --force
check "--force over the wizard's directory replaces it (exit $(rc))" test "$(rc)" -eq 0
check "  ... nothing left beside it" no_leftovers "$T"

# output.directory of an answers file may not leave the answers file's directory.
mkdir -p "$T/a/sub" "$T/victim"
echo keep > "$T/victim/keep"
cp "$T/ec.yaml" "$T/a/up.yaml"
printf 'output: {directory: ../victim}\n' >> "$T/a/up.yaml"
printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\noutput:\n  directory: %s/victim\n' "$T" > "$T/a/abs.yaml"
ln -s "$T/victim" "$T/a/link"
printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\noutput: {directory: link/out}\n' > "$T/a/link.yaml"
for f in up abs link; do
  "$K8TLS_BIN" --answers "$T/a/$f.yaml" --force >"$T/out.log" 2>&1; echo $? > "$T/rc"
  check "output.directory of $f.yaml leaving its directory: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... FILE:LINE:COL: error: output.directory:" grep -q "$f.yaml:[0-9]*:[0-9]*: error: output.directory: .*--output DIR" "$T/out.log"
  check "  ... before any key is made" no_keys_made
  check "  ... nothing written there" test "$(ls -A "$T/victim")" = keep
done
check "a relative output.directory inside is still fine" sh -c "
  printf 'output: {directory: sub/out}\n' | cat '$T/ec.yaml' - > '$T/a/in.yaml' &&
  '$K8TLS_BIN' --answers '$T/a/in.yaml' >/dev/null 2>&1 && test -f '$T/a/sub/out/NEXT-STEPS.md'"
# --output on the command line may go anywhere, ../ included.
check "--output ../x on the command line is allowed" sh -c "
  cd '$T/a/sub' && '$K8TLS_BIN' --answers ../up.yaml --output ../cli-out >/dev/null 2>&1 &&
  test -f '$T/a/cli-out/NEXT-STEPS.md'"

# A missing parent: an environment failure, found before any key is made.
run --output "$T/no/such/out"
check "a missing parent: exit 3 (was $(rc))" test "$(rc)" -eq 3
check "  ... before any key is made" no_keys_made
check "  ... nothing created" test ! -e "$T/no"

# A file or /dev/null as --output: says it is not a directory, before any key is made.
echo precious > "$T/afile"
for target in "$T/afile" /dev/null; do
  run --output "$target"
  check "--output $target: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... saying it is not a directory" log_has "$target: exists and is not a directory"
  check "  ... not 'not empty'" sh -c "! grep -q 'not empty' '$T/out.log'"
  check "  ... before any key is made" no_keys_made
done
check "  ... the file is untouched" test "$(cat "$T/afile")" = precious
# --output "": a usage error at argument checking.
run --output ""
check "--output '': usage error (exit 2, was $(rc))" test "$(rc)" -eq 2
check "  ... saying the name is empty" log_has "--output needs a directory name"
check "  ... before any key is made" no_keys_made
"$K8TLS_BIN" rotate --from "$T/out" --phase renew --output "" >"$T/out.log" 2>&1; echo $? > "$T/rc"
check "rotate --output '': usage error (exit 2, was $(rc))" test "$(rc)" -eq 2

# A signal during the write: the temporary tree is removed, the previous state is untouched,
# the process ends by that signal.
wait_paused() { # wait until the writer has paused (at most 60 s)
  i=0
  while [ $i -lt 600 ] && ! grep -q "K8TLS_TEST: paused" "$T/out.log" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
  done
  grep -q "K8TLS_TEST: paused" "$T/out.log"
}
before=$(tree_sum "$T/out")
for sig in TERM:15 INT:2 HUP:1; do
  num=${sig#*:}; sig=${sig%:*}
  for target in out fresh; do
    force=""; [ $target = out ] && force=--force
    rm -f "$T/out.log" # else the previous run's pause line could be taken for this one's
    K8TLS_TEST_PAUSE_AFTER_WRITES=5 env --default-signal=INT "$K8TLS_BIN" --answers "$T/ec.yaml" \
      --output "$T/$target" $force >"$T/out.log" 2>&1 &
    pid=$!
    check "SIG$sig, $target: the writer reached the pause" wait_paused
    check "  ... the temporary tree exists then" sh -c "ls -a '$T' | grep -q '^\\.$target\\.k8tls-new-'"
    kill -s $sig $pid
    wait $pid; got=$?
    want=$((128 + num))
    check "  ... it ends by the signal (status $got, want $want)" test $got -eq $want
    check "  ... saying it was interrupted and nothing changed" log_has "interrupted (.*): nothing was changed"
    check "  ... no temporary directory left" no_leftovers "$T"
    if [ $target = out ]; then
      check "  ... the previous directory is untouched" test "$(tree_sum "$T/out")" = "$before"
    else
      check "  ... nothing created" test ! -e "$T/fresh"
    fi
  done
done

# SIGKILL cannot be caught: the temporary tree (with the CA key) stays, and the next run
# removes it, saying so.
rm -f "$T/out.log"
K8TLS_TEST_PAUSE_AFTER_WRITES=5 "$K8TLS_BIN" --answers "$T/ec.yaml" --output "$T/out" --force \
  >"$T/out.log" 2>&1 &
pid=$!
check "SIGKILL: the writer reached the pause" wait_paused
kill -s KILL $pid
wait $pid
stale=$(find "$T" -maxdepth 1 -name '.out.k8tls-new-*')
check "  ... a temporary tree is left" test -n "$stale"
check "  ... the previous directory is untouched" test "$(tree_sum "$T/out")" = "$before"
run --output "$T/out" --force
check "the next run succeeds (exit $(rc))" test "$(rc)" -eq 0
check "  ... saying it removed the stale tree" log_has "removed $stale, a temporary directory left by an interrupted earlier run"
check "  ... which is gone" no_leftovers "$T"

# An old tree that cannot be removed: the new content is in place, a warning names where the
# old one is left, exit 3.
leftover_check() { # LABEL
  check "$1: exit 3 (was $(rc))" test "$(rc)" -eq 3
  check "  ... the new directory is in place" log_has "wrote $T/out "
  left=$(find "$T" -maxdepth 1 -name '.out.k8tls-old-*' | head -n 1)
  check "  ... a warning names the leftover" sh -c "test -n '$left' && grep -q 'warning: .*left in $left' '$T/out.log'"
  chmod -R u+rwx "$left" 2>/dev/null
  rm -rf "$left"
}
K8TLS_TEST_KEEP_OLD=1 run --output "$T/out" --force
leftover_check "old tree kept (seam)"
K8TLS_TEST_KEEP_OLD=1 K8TLS_TEST_NO_RENAME_EXCHANGE=1 run --output "$T/out" --force
leftover_check "old tree kept (seam, renamed aside)"
# For real: a directory of the old tree the user cannot write into.
as_user() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null 2>&1; then
    as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  else
    as_user() { echo "SKIP: setpriv missing"; return 1; }
  fi
fi
mkdir "$T/u" && chmod 777 "$T/u"
if as_user "$K8TLS_BIN" --answers "$T/ec.yaml" --output "$T/u/out" >"$T/out.log" 2>&1; then
  chmod 500 "$T/u/out/stores/server-encryption-stores"
  as_user "$K8TLS_BIN" --answers "$T/ec.yaml" --output "$T/u/out" --force >"$T/out.log" 2>&1
  echo $? > "$T/rc"
  check "an old tree with a read-only directory: exit 3 (was $(rc))" test "$(rc)" -eq 3
  check "  ... a warning names the leftover" log_has "warning: .*left in $T/u/.out.k8tls-old-"
  check "  ... the new directory is in place" test -f "$T/u/out/.k8tls-wizard-output"
else
  fail "cannot write as an unprivileged user: $(cat "$T/out.log")"
fi

# Mount points: never crossed, never replaced (a private mount namespace: the mounts vanish
# with it whatever happens).
if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  NS="unshare -m --propagation private"
elif unshare -rm --propagation private true 2>/dev/null; then
  NS="unshare -rm --propagation private"
else
  NS=""
fi
if [ -n "$NS" ] && $NS mount -t tmpfs none "$T/u" 2>/dev/null; then
  before=$(tree_sum "$T/out")
  $NS sh -c '
    mount -t tmpfs tmpfs "$1/out/medusa" && echo keep > "$1/out/medusa/keep" &&
    "$2" --answers "$1/ec.yaml" --output "$1/out" --force' sh "$T" "$K8TLS_BIN" >"$T/out.log" 2>&1
  echo $? > "$T/rc"
  check "a file system mounted inside: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... naming the mount point" log_has "medusa is a mount point (another file system)"
  check "  ... the directory is untouched" test "$(tree_sum "$T/out")" = "$before"
  mkdir "$T/bindsrc"
  $NS sh -c '
    mount --bind "$1/bindsrc" "$1/out/ca" &&
    "$2" --answers "$1/ec.yaml" --output "$1/out" --force' sh "$T" "$K8TLS_BIN" >"$T/out.log" 2>&1
  echo $? > "$T/rc"
  check "a bind mount of the same file system inside: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... naming the mount point" log_has "ca is a mount point"
  mkdir "$T/mnt"
  $NS sh -c '
    mount -t tmpfs tmpfs "$1/mnt" && echo keep > "$1/mnt/keep" &&
    "$2" --answers "$1/ec.yaml" --output "$1/mnt" --force' sh "$T" "$K8TLS_BIN" >"$T/out.log" 2>&1
  echo $? > "$T/rc"
  check "a mount point as the target: refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... saying so" log_has "mnt: is a mount point"
  check "  ... the directory is untouched" test "$(tree_sum "$T/out")" = "$before"
else
  echo "SKIP: the mount-point cases (neither root nor an unprivileged user namespace can mount here)"
fi

finish
