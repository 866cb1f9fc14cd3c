#!/bin/sh
# Merge mode with every TLS surface on (SPEC §10): the wizard merges into K8ssandraCluster files
# shaped like the operator's own fixtures for these surfaces (tests/bundle/fixtures/surfaces-*.yaml:
# Reaper with HTTP management, Medusa with a gRPC port, the management API insecure at the cluster
# and in a datacenter, fields it does not manage everywhere). merge_surfaces.py checks that every
# other field is unchanged and in its order, the surface fields are right, no `insecure` is left
# beside `manual`, and the result validates against the CRD with closed objects.
. "$K8TLS_SRCDIR/tests/lib.sh"
need_reference
need timeout
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
ALL='encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}'
for f in surfaces-medusa surfaces-reaper; do
  cp "$K8TLS_SRCDIR/tests/bundle/fixtures/$f.yaml" "$t/$f.yaml"
  surf=$ALL
  # no Reaper in that file: its surfaces would be refused (R1)
  [ $f = surfaces-medusa ] && surf='encryption: {managementApi: {enabled: true}, medusaGrpc: {enabled: true}}'
  printf '%s\n' "apiVersion: k8tls-wizard/v1" "cluster: {manifest: $f.yaml}" \
    "ca: {key: {algorithm: ecdsa, curve: P-256}}" "$surf" > "$t/$f.answers.yaml"
  check "$f: the wizard merges with every surface on" \
    sh -c "timeout 120 '$K8TLS_BIN' --answers '$t/$f.answers.yaml' --output '$t/$f' --one-shot > '$t/$f.log' 2>&1"
  sed -n '/Changes to/,$p' "$t/$f.log" | sed 's/^/    /'
  if "$PY" "$K8TLS_SRCDIR/tests/bundle/merge_surfaces.py" "$CRD" "$t/$f.yaml" \
       "$t/$f/manifests/20-k8ssandracluster.yaml" "$t/$f" > "$t/$f.py.log" 2>&1; then
    pass "$f: $(tail -1 "$t/$f.py.log")"
  else
    fail "$f: merge_surfaces.py"
  fi
  sed 's/^/  /' "$t/$f.py.log"
done
if [ -f "$t/surfaces-reaper/NEXT-STEPS.md" ]; then
  check "surfaces-reaper: NEXT-STEPS.md lists the removed managementApiAuth.insecure" \
    grep -q 'removed: `spec.cassandra.managementApiAuth.insecure`' "$t/surfaces-reaper/NEXT-STEPS.md"
  check "surfaces-reaper: NEXT-STEPS.md lists the datacenter's Secret names replaced" \
    grep -q 'spec.cassandra.datacenters\[1\].managementApiAuth.manual.clientSecretName' \
    "$t/surfaces-reaper/NEXT-STEPS.md"
fi
finish
