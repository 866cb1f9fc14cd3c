#!/bin/sh
# The real kubectl against loopback fake API servers (K9, X2): two contexts receive
# exactly the expected objects, Secrets before the cluster, field manager k8tls-wizard, content
# type application/apply-patch+yaml; --dry-run=server sends dryRun=All; no secret in any argv;
# forbidden, unreachable, conflicts and a missing kubectl are reported as they should be.
# The bundle is built by hand (tests/kube/kube-helper), so this runs without the bundle builder.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
HELPER="$K8TLS_BUILDDIR/tests/kube/kube-helper"
[ -x "$HELPER" ] || { echo "FAIL: $HELPER not built"; exit 1; }

fakeapi_start ok ok forbidden conflict slow
NS=k8ssandra-operator
S1="/api/v1/namespaces/$NS/secrets/server-encryption-stores"
S2="/api/v1/namespaces/$NS/secrets/client-encryption-stores"
KC="/apis/k8ssandra.io/v1alpha1/namespaces/$NS/k8ssandraclusters/test"
NSP="/api/v1/namespaces/$NS"
APPLY="- - k8tls-wizard application/apply-patch+yaml"

# --- 1. two contexts: control plane ctx0 (dc1) and ctx1 (dc2's k8sContext) --------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context ctx1 --create-namespace \
  --secrets-out "$T/secrets1" > "$T/out" 2> "$T/err"
check "apply to two contexts exits 0" [ $? -eq 0 ]
# the contexts get their Secrets at the same time: the order within each, the cluster last
{ patches 0; patches 1; } > "$T/patches"
cat > "$T/want" <<EOF
0 PATCH $NSP $APPLY
0 PATCH $S1 $APPLY
0 PATCH $S2 $APPLY
0 PATCH $KC $APPLY
1 PATCH $NSP $APPLY
1 PATCH $S1 $APPLY
1 PATCH $S2 $APPLY
EOF
# "force" is sent as false by kubectl: normalise the column before comparing
sed 's/ - false / - - /' "$T/patches" > "$T/patches.n"
check "each context receives exactly its objects: Namespace, Secrets, then the cluster" \
  cmp -s "$T/want" "$T/patches.n"
cmp -s "$T/want" "$T/patches.n" || { echo "got:"; cat "$T/patches"; }
patches | tail -n 1 > "$T/last"
check "the cluster is the last object sent" grep -q "^0 PATCH $KC " "$T/last"
check "the control-plane context got the K8ssandraCluster, the other none" \
  [ "$(patches 1 | grep -c k8ssandraclusters)" = 0 ]
check "each object is reported applied" [ "$(grep -c ' applied$' "$T/out")" = 7 ]
check "the Secret bodies carry the data (on the wire, not on a command line)" \
  "$PY" - "$LOG" "$T/secrets1" <<'PYEOF'
import json, sys
secrets = [l.strip() for l in open(sys.argv[2]) if l.strip()]
bodies = "".join(json.loads(l)["body"] for l in open(sys.argv[1]) if '"PATCH"' in l)
sys.exit(0 if secrets[4] in bodies else 1)
PYEOF
if argv_has_any_of "$T/secrets1"; then fail "a secret value appeared in a kubectl argv"; else pass "no secret value (password or base64) in any recorded kubectl argv"; fi
check "3 kubectl applies, objects on stdin (-f -): one per context, then the cluster" \
  [ "$(grep -c '^stdin-bytes [1-9]' "$SHIMLOG")" = 3 ]
check "the Secrets runs list what they applied (-o name)" [ "$(grep -c '^name$' "$SHIMLOG")" = 2 ]
check "kubectl ran with --server-side --field-manager=k8tls-wizard" \
  [ "$(grep -c '^--field-manager=k8tls-wizard$' "$SHIMLOG")" = 3 ]
check "every kubectl apply has a request timeout" \
  [ "$(grep -c '^--request-timeout=60s$' "$SHIMLOG")" = 3 ]
check "kubectl got --kubeconfig passed through" grep -qx -- "$KCFG" "$SHIMLOG"

# --- 2. a re-run is safe -------------------------------------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context ctx1 > "$T/out" 2> "$T/err"
check "a re-run succeeds (server-side apply is idempotent)" [ $? -eq 0 ]

# --- 3. --dry-run=server ---------------------------------------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context ctx1 --dry-run=server \
  > "$T/out" 2> "$T/err"
check "--dry-run=server exits 0" [ $? -eq 0 ]
patches > "$T/patches2"
if [ "$(grep -c . "$T/patches2")" = 5 ] && ! grep -v ' All ' "$T/patches2" >/dev/null; then
  pass "--dry-run=server: 5 PATCHes, every one with dryRun=All"
else
  fail "--dry-run=server: expected 5 PATCHes with dryRun=All"; cat "$T/patches2"
fi
check "--dry-run=server says so per object" [ "$(grep -c 'applied (server dry run)$' "$T/out")" = 5 ]

# --- 4. --diff: masked, nothing applied -------------------------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context ctx1 --diff --secrets-out "$T/secrets2" \
  > "$T/diff" 2> "$T/err"
check "--diff exits 0" [ $? -eq 0 ]
check "--diff shows the Secret changes" grep -q 'v1.Secret.k8ssandra-operator.server-encryption-stores' "$T/diff"
check "--diff finds the unchanged cluster unchanged" grep -q 'K8ssandraCluster k8ssandra-operator/test: no changes' "$T/err"
cat "$T/secrets1" "$T/secrets2" > "$T/secrets12"
if grep -q -F -f "$T/secrets12" "$T/diff" "$T/err"; then
  fail "--diff output shows a secret value"
else
  pass "--diff output shows no secret value (old or new)"
fi
check "--diff applies nothing (only server dry runs)" \
  [ "$(patches | grep -vc ' All ')" = 0 ]
check "--diff ran kubectl diff --server-side" grep -qx 'diff' "$SHIMLOG"

# --- 5. authorization error: exit 3, says what was applied ------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context ctx2 > "$T/out" 2> "$T/err"
rc=$?
check "an authorization error exits 3" [ $rc -eq 3 ]
check "the reason is one line naming the context" \
  grep -q '^k8tls-wizard: context ctx2: not authorized: secrets "server-encryption-stores" is forbidden' "$T/err"
check "it says exactly which objects were applied" \
  grep -q '^k8tls-wizard: applied: Secret k8ssandra-operator/server-encryption-stores (context ctx0), Secret k8ssandra-operator/client-encryption-stores (context ctx0)$' "$T/err"
check "and which were not" \
  grep -q '^k8tls-wizard: not applied: .*K8ssandraCluster k8ssandra-operator/test (context ctx0)$' "$T/err"
check "the cluster was not sent after the failure" [ "$(patches | grep -c k8ssandraclusters)" = 0 ]

# --- 6. unreachable API: exit 3, nothing applied ---------------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context dead > "$T/out" 2> "$T/err"
rc=$?
check "an unreachable API server exits 3" [ $rc -eq 3 ]
check "the reason names the context and says unreachable" \
  grep -q '^k8tls-wizard: context dead: the API server http://127.0.0.1:[0-9]* is unreachable: ' "$T/err"
check "nothing was applied anywhere" [ "$(patches | grep -c .)" = 0 ]
check "and it says so" grep -q '^k8tls-wizard: nothing was applied$' "$T/err"

# --- 7. conflicts: exit 1 with kubectl's report; --force-conflicts takes over -----------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --context ctx3 > "$T/out" 2> "$T/err"
check "a field-manager conflict exits 1" [ $? -eq 1 ]
check "the conflict is shown as kubectl reports it" grep -q 'Apply failed with 1 conflict: conflict with "helm"' "$T/err"
check "--force-conflicts is not sent unless asked" [ "$(patches | grep -c ' true ')" = 0 ]
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --context ctx3 --force-conflicts > "$T/out" 2> "$T/err"
check "--force-conflicts applies" [ $? -eq 0 ]
check "--force-conflicts sends force=true" [ "$(patches 3 | grep -c ' true ')" = 3 ]

# --- 8. kubectl missing: exit 3 -----------------------------------------------------------------
reset_logs
PATH="$T/empty" "$HELPER" apply --kubeconfig "$KCFG" > "$T/out" 2> "$T/err"
check "a missing kubectl exits 3" [ $? -eq 3 ]
check "and says kubectl is not found" grep -q '^k8tls-wizard: kubectl not found in PATH' "$T/err"

# --- 9. an unknown context: exit 3 before running anything ------------------------------------
reset_logs
"$HELPER" apply --kubeconfig "$KCFG" --dc-context "" --dc-context nowhere > "$T/out" 2> "$T/err"
check "an unknown k8sContext exits 3" [ $? -eq 3 ]
check "naming the context and the datacenter" grep -q 'kube context "nowhere" (the k8sContext of datacenter dc2) is not in the kubeconfig' "$T/err"
check "without running kubectl" [ ! -s "$SHIMLOG" ]

# --- 10. the cluster's kubectl starts with the Secrets' and applies after them ----------------
# The real kubectl without the recording shim (which reads kubectl's whole input before it runs
# it), against ctx4, whose server answers each Secret 1 s after it came: the cluster's kubectl
# has fetched the cluster's schema while the Secrets were being applied, and sends the cluster
# only once the last Secret was answered.
REAL_PATH="$(dirname "$REAL_KUBECTL"):$PATH"
reset_logs
PATH="$REAL_PATH" "$HELPER" apply --kubeconfig "$KCFG" --context ctx4 > "$T/out" 2> "$T/err"
check "apply with the cluster's kubectl started early exits 0" [ $? -eq 0 ]
check "each object is reported applied, the cluster last" \
  sh -c "[ \"\$(grep -c ' applied\$' '$T/out')\" = 3 ] && tail -n 1 '$T/out' | grep -q K8ssandraCluster"
"$PY" - "$LOG" > "$T/timeline" <<'PYEOF'
import json, sys
secrets, schema, cluster = [], [], []
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["server"] != 4:
        continue
    if e["method"] == "PATCH" and "/secrets/" in e["path"]:
        secrets.append(e["time"])
    elif e["method"] == "GET" and e["path"] == "/openapi/v3/apis/k8ssandra.io/v1alpha1":
        schema.append(e["time"])
    elif e["method"] == "PATCH" and "/k8ssandraclusters/" in e["path"]:
        cluster.append(e["time"])
last = max(secrets) if secrets else 0
print("secrets=%d schema=%d cluster=%d" % (len(secrets), len(schema), len(cluster)))
print("schema-before-last-secret", "yes" if schema and min(schema) < last else "no")
print("cluster-after-last-answer", "yes" if cluster and min(cluster) >= last + 1.0 else "no")
PYEOF
check "two Secrets and one cluster sent" grep -qx 'secrets=2 schema=1 cluster=1' "$T/timeline"
check "the cluster's kubectl was under way while the Secrets were applied" \
  grep -qx 'schema-before-last-secret yes' "$T/timeline"
check "the cluster was sent after the last Secret was answered" \
  grep -qx 'cluster-after-last-answer yes' "$T/timeline"
grep -q 'schema-before-last-secret yes' "$T/timeline" || cat "$T/timeline" "$T/err"

# and when a Secret fails, the waiting cluster kubectl never sends the cluster
reset_logs
PATH="$REAL_PATH" "$HELPER" apply --kubeconfig "$KCFG" --context ctx2 > "$T/out" 2> "$T/err"
check "a forbidden Secret with the cluster's kubectl waiting: exit 3" [ $? -eq 3 ]
check "the waiting cluster was not sent" [ "$(patches 2 | grep -c k8ssandraclusters)" = 0 ]
check "and is reported not applied" \
  grep -q '^k8tls-wizard: not applied: .*K8ssandraCluster k8ssandra-operator/test (context ctx2)$' "$T/err"

finish
