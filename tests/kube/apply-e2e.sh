#!/bin/sh
# k8tls-wizard --apply end to end (K9, X2): the real binary, the real kubectl,
# two loopback fake API servers. Each context receives exactly the expected objects, Secrets
# before the cluster; what kubectl reads back is what was written to the output directory; no
# secret value in any argv; --dry-run=server persists nothing; --diff shows no secret value;
# unreachable API and missing kubectl exit 3.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"

fakeapi_start ok ok
NS=k8ssandra-operator
cat > "$T/answers.yaml" <<'EOF'
apiVersion: k8tls-wizard/v1
cluster:
  name: test
  namespace: k8ssandra-operator
  datacenters:
  - {name: dc1, size: 3, k8sContext: ""}
  - {name: dc2, size: 3, k8sContext: ctx1}
ca:
  key: {algorithm: ecdsa, curve: P-256}
EOF
K="kubectl --kubeconfig $KCFG"

# --- 1. --dry-run=server with the built-in defaults: everything checked, nothing persisted -----
reset_logs
"$K8TLS_BIN" --defaults --apply --kubeconfig "$KCFG" --dry-run=server > "$T/out" 2> "$T/err"
rc=$?
check "--defaults --apply --dry-run=server exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/err"
patches > "$T/p"
check "--dry-run=server: every PATCH has dryRun=All" \
  sh -c "[ -s '$T/p' ] && ! grep -v ' All ' '$T/p' >/dev/null"
$K --context ctx0 -n $NS get secret server-encryption-stores > "$T/get" 2>&1
check "--dry-run=server persisted nothing (kubectl get: NotFound)" \
  grep -q '^Error from server (NotFound)' "$T/get"

# --- 2. apply to two contexts (dc2's k8sContext is ctx1) ----------------------------------------
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" --output "$T/o1" --apply --kubeconfig "$KCFG" \
  --create-namespace > "$T/out" 2> "$T/err"
rc=$?
check "--answers --apply to two contexts exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/err"
secrets=$(cd "$T/o1/manifests" && ls 10-secret-*.yaml | sed 's/^10-secret-//; s/\.yaml$//')
check "the bundle has Secrets" [ -n "$secrets" ]
# the contexts are applied at the same time: the order within each context, the cluster last
for ctx in 0 1; do
  {
    echo "$ctx PATCH /api/v1/namespaces/$NS"
    for s in $(cd "$T/o1" && grep -o 'manifests/10-secret-[^ ]*\.yaml' kustomization.yaml | sed 's/^manifests\/10-secret-//; s/\.yaml$//'); do
      echo "$ctx PATCH /api/v1/namespaces/$NS/secrets/$s"
    done
    [ $ctx = 0 ] && echo "0 PATCH /apis/k8ssandra.io/v1alpha1/namespaces/$NS/k8ssandraclusters/test"
  } > "$T/want$ctx"
  patches $ctx | cut -d' ' -f1-3 > "$T/got$ctx"
done
patches | cut -d' ' -f1-3 | tail -n 1 > "$T/last"
if cmp -s "$T/want0" "$T/got0" && cmp -s "$T/want1" "$T/got1" &&
   grep -q k8ssandraclusters "$T/last"; then
  pass "each context got exactly: Namespace, every Secret (kustomization order), then the cluster in ctx0 last"
else
  fail "the objects per context"; echo "want:"; cat "$T/want0" "$T/want1"; echo "got:"; patches
fi
patches > "$T/p"
check "every PATCH is a server-side apply by k8tls-wizard" \
  [ "$(grep -c ' k8tls-wizard application/apply-patch+yaml$' "$T/p")" = "$(grep -c . "$T/p")" ]
check "no PATCH was a dry run" [ "$(grep -c ' All ' "$T/p")" = 0 ]
ks_pw=$(cat "$T/o1/stores/server-encryption-stores/keystore-password")
live=$($K --context ctx1 -n $NS get secret server-encryption-stores -o 'jsonpath={.data.keystore-password}' | base64 -d)
check "ctx1 holds the server keystore password written to the output directory" [ "$live" = "$ks_pw" ]
check "ctx1 has no K8ssandraCluster, ctx0 has it" \
  sh -c "! $K --context ctx1 -n $NS get k8ssandracluster test >/dev/null 2>&1 && $K --context ctx0 -n $NS get k8ssandracluster test >/dev/null 2>&1"

# every secret value: the password files and every data value of every Secret manifest
"$PY" - "$T/o1" > "$T/secret-values" <<'PYEOF'
import base64, glob, os, sys, yaml
d = sys.argv[1]
for f in glob.glob(os.path.join(d, "stores", "*", "*-password")):
    print(open(f).read().strip())
for f in glob.glob(os.path.join(d, "manifests", "10-secret-*.yaml")):
    doc = yaml.safe_load(open(f))
    for v in (doc.get("data") or {}).values():
        print(v)
        raw = base64.b64decode(v)
        if all(32 <= c < 127 for c in raw) and len(raw) >= 6:
            print(raw.decode())
    for v in (doc.get("stringData") or {}).values():
        print(v)
PYEOF
check "found the secret values to look for" [ "$(grep -c . "$T/secret-values")" -ge 8 ]
if argv_has_any_of "$T/secret-values"; then
  fail "a secret value appeared in a kubectl argv"
else
  pass "no secret value (password, key, store, base64) in any kubectl argv"
fi
check "one kubectl apply per context for its Secrets, one for the cluster, objects on stdin" \
  [ "$(grep -c '^stdin-bytes [1-9]' "$SHIMLOG")" = 3 ]

# --- 3. a re-run is safe; --diff shows no secret value ------------------------------------------
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" --output "$T/o2" --apply --diff --kubeconfig "$KCFG" \
  > "$T/diff" 2> "$T/err"
rc=$?
check "--apply --diff exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/err"
"$PY" - "$T/o2" >> "$T/secret-values" <<'PYEOF'
import glob, os, sys, yaml
for f in glob.glob(os.path.join(sys.argv[1], "manifests", "10-secret-*.yaml")):
    for v in (yaml.safe_load(open(f)).get("data") or {}).values():
        print(v)
PYEOF
check "--diff shows the changed Secrets" grep -q 'v1.Secret.k8ssandra-operator.server-encryption-stores' "$T/diff"
if grep -q -F -f "$T/secret-values" "$T/diff" "$T/err"; then
  fail "--diff printed a secret value"
else
  pass "--diff printed no secret value, old or new"
fi
patches > "$T/p"
check "--diff changed nothing (server dry runs only)" [ "$(grep -vc ' All ' "$T/p")" = 0 ]
"$K8TLS_BIN" --answers "$T/answers.yaml" --output "$T/o3" --apply --kubeconfig "$KCFG" \
  > "$T/out" 2> "$T/err"
check "a re-run applies again (idempotent)" [ $? -eq 0 ]

# --- 4. failures: unreachable API, missing kubectl ----------------------------------------------
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" --apply --kubeconfig "$KCFG" --context dead \
  > "$T/out" 2> "$T/err"
check "an unreachable API server exits 3" [ $? -eq 3 ]
check "with a one-line reason" grep -q '^k8tls-wizard: context dead: the API server http://127.0.0.1:[0-9]* is unreachable' "$T/err"
check "nothing was sent" [ "$(patches | grep -c .)" = 0 ]
PATH="$T/empty" "$K8TLS_BIN" --answers "$T/answers.yaml" --apply --kubeconfig "$KCFG" \
  > "$T/out" 2> "$T/err"
check "a missing kubectl exits 3" [ $? -eq 3 ]
check "saying kubectl is not found" grep -q '^k8tls-wizard: kubectl not found in PATH' "$T/err"

finish
