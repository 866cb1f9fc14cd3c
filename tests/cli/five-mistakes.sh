#!/bin/sh
# A file with five different mistakes: five FILE:LINE:COL messages, exit 1, no output directory.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
unset K8TLS_CLI_TEST_UNSET 2>/dev/null
cat >bad.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
cluster:
  name: My_Cluster
  nmespace: k8ssandra-operator
  datacenters:
    - {name: dc1, size: three}
encryption:
  internode: {mode: both}
stores:
  server:
    keystorePassword: env:K8TLS_CLI_TEST_UNSET
output: {directory: out}
YAML
"$K8TLS_BIN" --answers bad.yaml --output "$t/out" >stdout 2>stderr
rc=$?
check "five mistakes exit 1 (got $rc)" [ $rc -eq 1 ]
n=$(grep -c '^bad.yaml:[0-9][0-9]*:[0-9][0-9]*: error: ' stderr)
check "five FILE:LINE:COL error lines (got $n)" [ "$n" -eq 5 ]
check "DNS-1123 name at 3:9" grep -q '^bad.yaml:3:9: error: cluster.name: .*DNS-1123' stderr
check "unknown key at 4:3" grep -q '^bad.yaml:4:3: error: cluster.nmespace: unknown key; expected one of: name, namespace' stderr
check "wrong type at 6:25" grep -q "^bad.yaml:6:25: error: cluster.datacenters\[0\].size: expected a whole number, found 'three'" stderr
check "enum value at 8:21" grep -q "^bad.yaml:8:21: error: encryption.internode.mode: expected one of: none, dc, rack, all; found 'both'" stderr
check "unresolved env: reference at 11:23" grep -q '^bad.yaml:11:23: error: stores.server.keystorePassword: .*K8TLS_CLI_TEST_UNSET' stderr
check "says nothing was written" grep -q 'nothing was written' stderr
check "no output directory created" [ ! -e "$t/out" ]
check "no default output directory created" [ ! -e "$t/k8tls-out" ]
check "nothing on stdout" [ ! -s stdout ]

# a YAML syntax error is one FILE:LINE:COL message too
printf 'cluster:\n  name: a\n   namespace: b\n' >syntax.yaml
"$K8TLS_BIN" --answers syntax.yaml --output "$t/out" 2>stderr
check "a YAML syntax error exits 1" [ $? -eq 1 ]
check "a YAML syntax error names FILE:LINE:COL" grep -q '^syntax.yaml:3:[0-9][0-9]*: error: YAML syntax error' stderr
check "still no output directory" [ ! -e "$t/out" ]

# a missing answers file
"$K8TLS_BIN" --answers nope.yaml 2>stderr
check "a missing answers file exits 1" [ $? -eq 1 ]
check "... naming the file" grep -q '^nope.yaml: ' stderr

# --print-answers of a bad file prints nothing on stdout
"$K8TLS_BIN" --answers bad.yaml --print-answers >stdout 2>stderr
check "--print-answers of a bad file exits 1" [ $? -eq 1 ]
check "... and prints no YAML" [ ! -s stdout ]
finish
