#!/bin/sh
# The output directory under failure: an existing directory without --force, a
# target that is a file, an unwritable parent, a write failing midway (test seam
# K8TLS_TEST_FAIL_AFTER_WRITES, see include/k8tls/output.h), --force replacing only a complete
# directory; merge inputs that must be refused. Each time: the exit code, one clear line, the
# previous state untouched and no temporary directory left behind.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl
T=$(mktmp)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"

cat > "$T/ec.yaml" <<'EOF'
apiVersion: k8tls-wizard/v1
ca: {key: {algorithm: ecdsa, curve: P-256}}
EOF
chmod 644 "$T/ec.yaml"
run() { "$K8TLS_BIN" --answers "$T/ec.yaml" "$@" >"$T/out.log" 2>&1; echo $? > "$T/rc"; }
rc() { cat "$T/rc"; }
# A fingerprint of a tree: names, modes and contents.
tree_sum() { (cd "$1" && find . -printf '%p %m\n' | sort && find . -type f -exec sha256sum {} + | sort) | sha256sum; }
no_leftovers() { [ -z "$(find "$1" -maxdepth 1 -name '.*k8tls-*')" ]; }

# A first, complete directory.
run --output "$T/out"
check "a fresh directory is written (exit 0)" test "$(rc)" -eq 0
before=$(tree_sum "$T/out")

# An existing non-empty directory without --force: exit 1, nothing changed.
run --output "$T/out"
check "an existing directory is refused without --force (exit 1)" test "$(rc)" -eq 1
check "  ... saying --force" grep -q -- "--force" "$T/out.log"
check "  ... and leaving it untouched" test "$(tree_sum "$T/out")" = "$before"
check "  ... with no temporary directory left" no_leftovers "$T"

# A write failing midway (the 3rd, then the 12th file): the old directory stays as it was.
for n in 3 12; do
  K8TLS_TEST_FAIL_AFTER_WRITES=$n run --output "$T/out" --force
  check "write $n failing with --force: non-zero exit ($(rc))" test "$(rc)" -ne 0
  check "  ... one line naming the directory" grep -q "$T/out.*Input/output error" "$T/out.log"
  check "  ... the previous directory is untouched" test "$(tree_sum "$T/out")" = "$before"
  check "  ... no temporary directory left" no_leftovers "$T"
  K8TLS_TEST_FAIL_AFTER_WRITES=$n run --output "$T/fresh"
  check "write $n failing on a new target: nothing created" test ! -e "$T/fresh"
  check "  ... no temporary directory left" no_leftovers "$T"
done

# --force replaces the directory once the new one is complete.
old_ca=$(openssl x509 -in "$T/out/ca/rootca.crt" -noout -fingerprint)
run --output "$T/out" --force
check "--force replaces it (exit 0)" test "$(rc)" -eq 0
check "  ... with new material" test "$(openssl x509 -in "$T/out/ca/rootca.crt" -noout -fingerprint)" != "$old_ca"
check "  ... still 0700" test "$(stat -c %a "$T/out")" = 700
check "  ... with nothing of the old tree left beside it" no_leftovers "$T"
# The same through the rename-aside path (file systems without RENAME_EXCHANGE).
K8TLS_TEST_NO_RENAME_EXCHANGE=1 run --output "$T/out" --force
check "--force by renaming aside (exit 0)" test "$(rc)" -eq 0
check "  ... nothing left beside it" no_leftovers "$T"

# A target that is a file: refused, even with --force; the file is kept.
echo "precious" > "$T/afile"
run --output "$T/afile" --force
check "a target that is a file is refused (exit $(rc))" test "$(rc)" -ne 0
check "  ... the file is untouched" test "$(cat "$T/afile")" = precious
check "  ... one line naming it" grep -q "afile" "$T/out.log"
check "  ... no temporary directory left" no_leftovers "$T"

# An unwritable parent: exit 3 (environment), nothing created.
mkdir "$T/ro"
chmod 555 "$T/ro"
if [ "$(id -u)" -eq 0 ]; then
  need setpriv
  # root ignores permissions: run as nobody
  setpriv --reuid=65534 --regid=65534 --clear-groups "$K8TLS_BIN" --answers "$T/ec.yaml" \
    --output "$T/ro/out" >"$T/out.log" 2>&1
  echo $? > "$T/rc"
else
  run --output "$T/ro/out"
fi
check "an unwritable parent: exit 3 ($(rc))" test "$(rc)" -eq 3
check "  ... one line with the reason" grep -q "Permission denied" "$T/out.log"
check "  ... nothing created" test -z "$(ls -A "$T/ro")"

# A missing parent.
run --output "$T/no/such/dir"
check "a missing parent: non-zero exit ($(rc))" test "$(rc)" -ne 0
check "  ... nothing created" test ! -e "$T/no"

# Merge inputs the wizard must refuse, naming the file: exit 1, nothing written.
cat > "$T/secret-only.yaml" <<'EOF'
apiVersion: v1
kind: Secret
metadata: {name: x}
EOF
cat > "$T/two.yaml" <<'EOF'
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata: {name: a}
---
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata: {name: b}
EOF
printf 'apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\nspec: [\n' > "$T/broken.yaml"
for f in secret-only two broken; do
  printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\ncluster: {manifest: %s.yaml}\n' \
    "$f" > "$T/merge-$f.yaml"
  "$K8TLS_BIN" --answers "$T/merge-$f.yaml" --output "$T/merged-$f" >"$T/out.log" 2>&1
  echo $? > "$T/rc"
  check "merge of $f.yaml is refused (exit 1, was $(rc))" test "$(rc)" -eq 1
  check "  ... nothing written" test ! -e "$T/merged-$f"
  check "  ... the message names the file" grep -q "$f.yaml" "$T/out.log"
done
check "no K8ssandraCluster: says so" sh -c "
  '$K8TLS_BIN' --answers '$T/merge-secret-only.yaml' --output '$T/x' 2>&1 | grep -q 'no K8ssandraCluster'"
check "two K8ssandraClusters: says so with their lines" sh -c "
  '$K8TLS_BIN' --answers '$T/merge-two.yaml' --output '$T/x' 2>&1 | grep -q '2 K8ssandraCluster documents (lines 1, 5)'"
check "broken YAML: file:line:col" sh -c "
  '$K8TLS_BIN' --answers '$T/merge-broken.yaml' --output '$T/x' 2>&1 | grep -q 'broken.yaml:4:1'"

finish
