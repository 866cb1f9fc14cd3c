#!/bin/sh
# Hostile input files: YAML nested 200000 levels deep is refused at the depth limit, where the
# limit is crossed, without parsing the rest (answers file, cluster.manifest, kubeconfig, a Secret
# file to inspect); a FIFO given as answers file, manifest, kubeconfig, password file or inspect
# path is refused with one line instead of blocking forever (the answers file "-" still reads a
# pipe); a directory as a file: password is called a directory; 100000 datacenters give one
# error; a number too large for any field says it is out of range and gives the range.
# Everything that could block runs under `timeout 20`: a regression fails instead of hanging.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout mkfifo awk
HELPER="$K8TLS_BUILDDIR/tests/kube/kube-helper"
[ -x "$HELPER" ] || { echo "FAIL: $HELPER not built"; exit 1; }
T=$(mktmp)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
cd "$T" || exit 1
W() { timeout 20 "$K8TLS_BIN" "$@"; }
LEVELS=200000

# HEADER then LEVELS lines "  [": never closed, so a parser that read on to the end would report
# a syntax error at the last line; one that stops at the limit names the line where it stopped.
deep() { # deep FILE HEADER-LINES...
  f=$1; shift
  { for l in "$@"; do printf '%s\n' "$l"; done
    awk -v n="$LEVELS" 'BEGIN { for (i = 0; i < n; i++) print "  [" }'; } > "$f"
}

# ---- depth: answers file --------------------------------------------------------------------
deep deep-answers.yaml 'apiVersion: k8tls-wizard/v1' 'cluster:'
W --answers deep-answers.yaml --print-answers > out 2> err
rc=$?
check "deep answers: refused with exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
# the root mapping is level 1, line 3 is level 2: level 65 is on line 66
check "deep answers: the error names the limit and the line where it was crossed" \
  grep -q "^deep-answers.yaml:66:3: error: mappings and lists nested deeper than 64 levels" err
check "deep answers: parsing stopped there (no syntax error from the unclosed lists)" \
  sh -c '! grep -qi "syntax" err'
check "deep answers: one error line" [ "$(grep -c 'error:' err)" -eq 1 ]

# ---- depth: cluster.manifest (a K8ssandraCluster may nest up to 200 levels) --------------
deep deep-manifest.yaml 'apiVersion: k8ssandra.io/v1alpha1' 'kind: K8ssandraCluster' 'spec:'
printf 'apiVersion: k8tls-wizard/v1\ncluster:\n  manifest: deep-manifest.yaml\n' > merge.yaml
W --answers merge.yaml --output o-merge > out 2> err
rc=$?
check "deep manifest: refused with exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "deep manifest: the error names the limit and line 203" \
  grep -q "deep-manifest.yaml:203:3: error: cluster.manifest: .*nested deeper than 200 levels" err
check "deep manifest: parsing stopped there" sh -c '! grep -qi "not valid YAML" err'
check "deep manifest: nothing written" [ ! -e o-merge ]

# ---- depth: kubeconfig -------------------------------------------------------------------
deep deep-kubeconfig 'apiVersion: v1' 'clusters:'
timeout 20 "$HELPER" contexts --kubeconfig deep-kubeconfig > out 2> err
rc=$?
check "deep kubeconfig: refused with exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "deep kubeconfig: the error names the limit and the line" \
  grep -q "deep-kubeconfig:66:3: mappings and lists nested deeper than 64 levels" err
check "deep kubeconfig: parsing stopped there" sh -c '! grep -qi "malformed" err'

# ---- depth: a Secret file to inspect -----------------------------------------------------
deep deep-secret.yaml 'apiVersion: v1' 'kind: Secret' 'data:'
W inspect deep-secret.yaml > out 2> err
rc=$?
check "deep Secret: inspect ends with an error (not a timeout: $rc)" [ $rc -ne 124 ] && [ $rc -ne 0 ]
check "deep Secret: the report names the limit and the line" \
  grep -q "line 67, column 3: .*nested deeper than 64 levels" out

# ---- FIFOs: refused with one line, never waited on ----------------------------------------
mkfifo fifo
W --answers fifo --print-answers > out 2> err
rc=$?
check "FIFO answers: exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "FIFO answers: one line says it is a FIFO" \
  [ "$(grep -c 'error:' err)" -eq 1 ] && grep -q "^fifo: error: not a regular file (a FIFO)$" err

printf 'apiVersion: k8tls-wizard/v1\ncluster:\n  manifest: fifo\n' > fifo-manifest.yaml
W --answers fifo-manifest.yaml --output o-fifo > out 2> err
rc=$?
check "FIFO manifest: exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "FIFO manifest: the error says it is a FIFO" \
  grep -q "fifo: error: cluster.manifest: not a regular file (a FIFO)" err

timeout 20 "$HELPER" contexts --kubeconfig fifo > out 2> err
rc=$?
check "FIFO kubeconfig: exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "FIFO kubeconfig: the error says it is a FIFO" \
  grep -q "fifo: not a regular file (a FIFO)" err
KUBECONFIG="$T/fifo" timeout 20 "$HELPER" contexts > out 2> err
rc=$?
check "FIFO in KUBECONFIG: exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]

printf 'apiVersion: k8tls-wizard/v1\nstores:\n  server:\n    keystorePassword: file:fifo\n' \
  > fifo-pw.yaml
W --answers fifo-pw.yaml --output o-pw > out 2> err
rc=$?
check "FIFO password file: exit 1 (not a timeout: $rc)" [ $rc -eq 1 ]
check "FIFO password file: the error says it is a FIFO" \
  grep -q "^fifo-pw.yaml:4:23: error: stores.server.keystorePassword: file:fifo does not resolve: not a regular file (a FIFO)$" err

W inspect fifo > out 2> err
rc=$?
check "FIFO inspect path: an error (not a timeout: $rc)" [ $rc -ne 124 ] && [ $rc -ne 0 ]
check "FIFO inspect path: the report says it is a FIFO" grep -q "not a regular file (a FIFO)" out

# "-" is stdin, and stdin may be a pipe
printf 'apiVersion: k8tls-wizard/v1\ncluster:\n  name: piped\n' | W --answers - --print-answers > out 2> err
check "answers from a pipe (--answers -) still work" grep -qx '  name: piped' out

# ---- a directory as a file: password --------------------------------------------------------
mkdir pwdir
printf 'apiVersion: k8tls-wizard/v1\nstores:\n  server:\n    keystorePassword: file:pwdir\n' \
  > dir-pw.yaml
W --answers dir-pw.yaml --output o-dir > out 2> err
check "directory password file: exit 1" [ $? -eq 1 ]
check "directory password file: called a directory" \
  grep -q "file:pwdir does not resolve: not a regular file (a directory)" err
check "directory password file: not a short password" sh -c '! grep -q "at least 6" err'

# ---- 100000 datacenters: one error, the right one -----------------------------------------
{ printf 'apiVersion: k8tls-wizard/v1\ncluster:\n  datacenters:\n'
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "  - {name: dc%d, size: 1}\n", i }'; } > dcs.yaml
W --answers dcs.yaml --output o-dcs > out 2> err
check "100000 datacenters: exit 1" [ $? -eq 1 ]
check "100000 datacenters: at most 1000" \
  grep -q "^dcs.yaml:4:3: error: cluster.datacenters: expected at most 1000 datacenters, found 100000$" err
check "100000 datacenters: only that error" [ "$(grep -c 'error:' err)" -eq 1 ]

# ---- numbers out of range ---------------------------------------------------------------
printf 'apiVersion: k8tls-wizard/v1\nca:\n  validityDays: 99999999999999999999\ncluster:\n  datacenters: [{name: dc1, size: 4294967296}]\n' > big.yaml
W --answers big.yaml --print-answers > out 2> err
check "huge numbers: exit 1" [ $? -eq 1 ]
check "validityDays: out of range, with the range" \
  grep -q "^big.yaml:3:17: error: ca.validityDays: '99999999999999999999' is out of range: expected a whole number from 1 to 36500$" err
check "datacenter size: out of range, with the range" \
  grep -q "cluster.datacenters\[0\].size: '4294967296' is out of range: expected a whole number from 1 to 2147483647$" err
check "huge numbers: not called 'not a whole number'" sh -c '! grep -q "expected a whole number, found" err'

finish
