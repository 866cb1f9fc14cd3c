#!/bin/sh
# The bundle over a matrix of plans: each output directory is written by the real
# binary from an answers file, then judged by the real consumers: the K8ssandraCluster CRD
# (jsonschema, loaded once), the K-rule checker (krules.py: K1-K8, K10, K13), openssl/keytool
# on every Secret's stores, `kubectl kustomize` on every directory, and the file modes.
. "$K8TLS_SRCDIR/tests/lib.sh"
need_reference
need openssl keytool kubectl
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
T=$(mktmp)
trap 'rm -rf "$T"' EXIT
umask 022
DIRS=""
EC='ca: {key: {algorithm: ecdsa, curve: P-256}}'

# cell NAME [--flag...] -- ANSWER-LINES...: writes $T/NAME.yaml, runs the wizard into $T/NAME.
cell() {
  name=$1; shift
  flags=""
  while [ "$1" != "--" ]; do flags="$flags $1"; shift; done
  shift
  { echo "apiVersion: k8tls-wizard/v1"; for l in "$@"; do echo "$l"; done; } > "$T/$name.yaml"
  # shellcheck disable=SC2086
  if "$K8TLS_BIN" --answers "$T/$name.yaml" --output "$T/$name" --one-shot $flags >"$T/$name.log" 2>&1; then
    pass "$name: written"
    DIRS="$DIRS $T/$name"
  else
    fail "$name: the wizard failed"
    sed 's/^/    /' "$T/$name.log"
  fi
}

# One default run: RSA-3072 keys, all encryption on (the K8ssandra docs' example).
if "$K8TLS_BIN" --defaults --output "$T/default-rsa" >"$T/default.log" 2>&1; then
  pass "defaults (RSA): written"
  DIRS="$DIRS $T/default-rsa"
else
  fail "defaults (RSA): the wizard failed"; sed 's/^/    /' "$T/default.log"
fi

cell internode-only -- "$EC" \
  "encryption: {client: {enabled: false}, medusa: {enabled: false}}"
cell client-only -- "$EC" \
  "cluster: {medusa: {enabled: false}, stargate: {enabled: false}}" \
  "encryption: {internode: {mode: none}, medusa: {enabled: false}}"
cell client-medusa -- "$EC" \
  "encryption: {internode: {mode: none}}"
cell jks -- "$EC" "stores: {format: jks}"
cell pkcs12-legacy -- "$EC" "stores: {format: pkcs12, pkcs12Profile: legacy}"
cell dse -- "$EC" "cluster: {serverType: dse, serverVersion: \"6.8.25\"}"
cell two-contexts --create-namespace -- "$EC" \
  "cluster:" \
  "  name: multi" \
  "  namespace: cass-prod" \
  "  datacenters:" \
  "    - {name: east, size: 3, k8sContext: kind-east}" \
  "    - {name: west, size: 2, k8sContext: kind-west}" \
  "encryption: {internode: {mode: dc, requireClientAuth: false}}"
cell custom-keys -- "$EC" \
  "stores:" \
  "  server: {secretName: node-stores, keys: {keystore: node.p12, truststore: ca.p12, keystorePassword: node.pw, truststorePassword: ca.pw}}" \
  "  client: {source: reuse}"

# Merge into a hand-written manifest with fields the wizard knows nothing about.
cat > "$T/hand.yaml" <<'EOF'
# hand-written
apiVersion: k8ssandra.io/v1alpha1
kind: K8ssandraCluster
metadata:
  name: prod
  namespace: cass
  annotations: {owner: "data-team"}
spec:
  cassandra:
    serverVersion: 4.1.3
    serverImage: "k8ssandra/cass-management-api:4.1.3"
    resources:
      requests: {cpu: "2", memory: 8Gi}
      limits: {memory: 8Gi}
    tolerations:
      - key: dedicated
        operator: Equal
        value: cassandra
        effect: NoSchedule
    storageConfig:
      cassandraDataVolumeClaimSpec:
        storageClassName: premium
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 100Gi}}
    config:
      cassandraYaml:
        num_tokens: 16
        server_encryption_options:
          internode_encryption: none
          keystore_password: cassandra
      jvmOptions:
        heapSize: 4Gi
    datacenters:
      - metadata: {name: east}
        size: 3
        racks: [{name: r1}, {name: r2}, {name: r3}]
  reaper:
    heapSize: 512Mi
  medusa:
    storageProperties:
      storageProvider: s3
      bucketName: prod-backups
      region: eu-west-1
      storageSecretRef: {name: medusa-bucket-key}
    certificatesSecretRef:
      name: old-medusa-certs
EOF
cell merge -- "$EC" "cluster: {manifest: hand.yaml}"
if [ -f "$T/merge.log" ]; then
  check "merge: says certificatesSecretRef was migrated" grep -q "certificatesSecretRef" "$T/merge.log"
  check "merge: NEXT-STEPS lists the changes" \
    grep -q 'migrated: `spec.medusa.certificatesSecretRef`' "$T/merge/NEXT-STEPS.md"
  check "merge: NEXT-STEPS lists the removed keystore_password" \
    grep -q 'removed: `spec.cassandra.config.cassandraYaml.server_encryption_options.keystore_password`' \
    "$T/merge/NEXT-STEPS.md"
  check "merge: the Secrets go to the manifest's namespace" \
    grep -q "namespace: cass$" "$T/merge/manifests/10-secret-server-encryption-stores.yaml"
fi

# K14 and the K rules, with the stores opened by openssl/keytool (the CRD is loaded once).
# shellcheck disable=SC2086
if "$PY" "$K8TLS_SRCDIR/tests/bundle/krules.py" --crd "$CRD" \
     --original "$T/merge=$T/hand.yaml" --keytool-pkcs12 "$T/default-rsa" $DIRS >"$T/krules.log" 2>&1; then
  pass "every manifest validates against the CRD and obeys K1-K8, K10, K13 ($(tail -1 "$T/krules.log"))"
else
  fail "K rules / CRD"; grep -v '^ok:' "$T/krules.log" | sed 's/^/    /'
fi
grep '^ok:' "$T/krules.log" | sed 's/^/  /'

# The checker is not a rubber stamp: a broken manifest fails it.
if [ -d "$T/jks" ]; then
  cp -a "$T/jks" "$T/broken"
  sed -i 's/serverVersion: "\(.*\)"/serverVersion: \1/; s/^\(\s*\)store_type: JKS/\1store_type: PKCS12\n\1keystore_password: x/' \
    "$T/broken/manifests/20-k8ssandracluster.yaml"
  if "$PY" "$K8TLS_SRCDIR/tests/bundle/krules.py" --crd "$CRD" "$T/broken" >"$T/broken.log" 2>&1; then
    fail "the checker accepts a broken manifest"
  else
    check "the checker flags K4, K5, K10 on a broken manifest" \
      sh -c "grep -q K4 '$T/broken.log' && grep -q K5 '$T/broken.log' && grep -q K10 '$T/broken.log'"
  fi
fi

# kubectl builds every directory, in apply order, offline.
for d in $DIRS; do
  n=$(basename "$d")
  if kubectl kustomize "$d" >"$T/$n.kustomized" 2>"$T/$n.kerr"; then
    secrets=$(grep -c '^kind: Secret$' "$T/$n.kustomized")
    want=$(ls "$d"/manifests/10-secret-*.yaml | wc -l)
    check "$n: kubectl kustomize builds it ($secrets Secrets)" \
      sh -c "[ '$secrets' -eq '$want' ] && grep -q '^kind: K8ssandraCluster$' '$T/$n.kustomized'"
  else
    fail "$n: kubectl kustomize"; sed 's/^/    /' "$T/$n.kerr"
  fi
done
if [ -d "$T/two-contexts" ]; then
  check "two-contexts: the Namespace comes first" \
    sh -c "kubectl kustomize '$T/two-contexts' | grep -m1 '^kind:' | grep -q Namespace"
  check "two-contexts: NEXT-STEPS applies the Secrets in each context" \
    sh -c "grep -q 'kubectl --context kind-east apply -f manifests/00-namespace.yaml' '$T/two-contexts/NEXT-STEPS.md' && grep -q 'kubectl --context kind-west apply' '$T/two-contexts/NEXT-STEPS.md'"
  check "two-contexts: K12 is not raised without requireClientAuth" \
    sh -c "! grep -q 'bypass' '$T/two-contexts.log'"
fi

# Modes: directories 0700; keys, stores, passwords and Secrets 0600 (umask 022 here).
for d in $DIRS; do
  n=$(basename "$d")
  bad=$(find "$d" \( -type d ! -perm 0700 \) -o \( -type f \( -path '*/stores/*' -o -name '*.key' -o -name '10-secret-*' \) ! -perm 0600 \))
  check "$n: directories 0700, secret files 0600" test -z "$bad"
  leak=""
  for pw in "$d"/stores/*/*-password; do
    [ -f "$pw" ] && grep -qF -- "$(cat "$pw")" "$d/answers.yaml" && leak="$pw"
  done
  check "$n: answers.yaml holds none of the store passwords" test -z "$leak"
done

finish
