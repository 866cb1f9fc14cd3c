#!/bin/sh
# Merge mode (cluster.manifest) warns when the input manifest is already invalid against the
# shipped K8ssandraCluster CRD (K14), naming the file, line and field, and still writes the
# bundle; a valid input gives no such warning.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

cat > valid.yaml <<'Y'
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata:
  name: demo
  namespace: db
spec:
  cassandra:
    serverVersion: "4.1.5"
    datacenters:
      - metadata:
          name: dc1
        size: 3
Y
sed 's/^    serverVersion: "4.1.5"$/&\n    serverType: scylla/; s/^        size: 3$/&\n        stopped: "no"/' valid.yaml > invalid.yaml
for m in valid invalid; do
  { echo "apiVersion: k8tls-wizard/v1"
    echo "cluster: {manifest: $m.yaml}"
    echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"; } > $m-answers.yaml
  timeout 120 "$K8TLS_BIN" --answers $m-answers.yaml --output $m.out --one-shot > $m.stdout 2> $m.err
  rc=$?
  check "$m: exit 0 (got $rc)" [ $rc -eq 0 ]
  check "$m: the bundle is written" [ -f $m.out/manifests/20-k8ssandracluster.yaml ]
done
check "valid input: no CRD warning" sh -c "! grep -q 'already invalid' valid.err"
check "invalid input: the serverType warning with file, line and path" \
  grep -q '^invalid.yaml:9:17: warning: spec.cassandra.serverType: the input manifest is already invalid: must be one of: cassandra, dse, hcd' invalid.err
check "invalid input: the stopped warning" \
  grep -q '^invalid.yaml:14:18: warning: spec.cassandra.datacenters\[0\].stopped: the input manifest is already invalid: must be of type boolean (found string)' invalid.err
check "invalid input: said once" [ "$(grep -c 'serverType: the input manifest' invalid.err)" -eq 1 ]
grep -q 'already invalid' invalid.err || sed 's/^/    /' invalid.err
finish
