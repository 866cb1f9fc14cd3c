#!/bin/sh
# --apply of a cert-manager output with the real binary and the real kubectl against the fake API
# server (tests/kube/fakeapi.py), which serves cert-manager.io and trust.cert-manager.io and
# emulates cert-manager as /work/shared/reference/cert-manager/FACTS.md states it: a Certificate
# whose issuer can issue becomes Ready=True at its Nth poll and its Secret appears (FACTS.md §1);
# one whose CA issuer's Secret is missing stays Ready=False with the reason and message FACTS.md
# §8 gives (SecretMissing, "Referenced secret NS/NAME not found"); --cm-hold keeps one unprocessed;
# and trust-manager as FACTS.md §9 states it: the Bundle is Synced once its sources exist and its
# target Secret appears, or Synced=False SecretTargetsDisabled when Secret targets are off.
#   1. the objects reach the API server in the kustomization's order (Secrets, Issuers and
#      ClusterIssuers, Certificates, Bundle, K8ssandraCluster), the ClusterIssuers and the Bundle
#      cluster-scoped (no namespace in the URL or the body);
#   2. --wait-ready: the K8ssandraCluster is sent only after every Certificate was issued and
#      the Bundle synced (the fake's "issued" and "synced" records come before its PATCH), and
#      the Secrets cert-manager and trust-manager would write exist then;
#   3. not ready by the timeout: exit 3, each Certificate and Bundle named with its status'
#      reason and message, the K8ssandraCluster not sent;
#   4. without --wait-ready the cluster follows at once; usage errors;
#   5. two contexts (an imported CA): each gets the objects and is waited on, the cluster goes to
#      the control plane only.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
need openssl

K8TLS_TEST_WAIT_POLL_MS=200; export K8TLS_TEST_WAIT_POLL_MS
cat > "$T/answers.yaml" <<'EOF'
cluster:
  name: test
  namespace: k8ssandra-operator
output:
  mode: cert-manager
  issuerKind: ClusterIssuer
  trustManager: true
EOF

# The URL each resource of the kustomization must be sent to, in its order.
want_paths() {
  "$PY" - "$1" <<'PYEOF'
import os, sys, yaml
d = sys.argv[1]
plural = {"Secret": "secrets", "Issuer": "issuers", "ClusterIssuer": "clusterissuers",
          "Certificate": "certificates", "Bundle": "bundles",
          "K8ssandraCluster": "k8ssandraclusters", "Namespace": "namespaces"}
for res in yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))["resources"]:
    o = yaml.safe_load(open(os.path.join(d, res)))
    gv = o["apiVersion"]
    base = "/api/v1" if gv == "v1" else "/apis/" + gv
    ns = o["metadata"].get("namespace")
    if ns:
        base += "/namespaces/" + ns
    print("%s/%s/%s" % (base, plural[o["kind"]], o["metadata"]["name"]))
PYEOF
}

# --- 1 and 2: order, cluster scope, wait until issued ---------------------------------------
FAKEAPI_ARGS="--cm-ready-after 3" fakeapi_start ok
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" -o "$T/out1" --apply --wait-ready=60s \
  --kubeconfig "$KCFG" --context ctx0 > "$T/stdout" 2> "$T/stderr"
rc=$?
check "apply --wait-ready of a cert-manager output exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/stderr"
want_paths "$T/out1" > "$T/want"
patches 0 | awk '{print $3}' > "$T/got"
check "the objects are sent in the kustomization's order ($(wc -l < "$T/want") objects)" \
  sh -c "[ -s '$T/want' ] && cmp -s '$T/want' '$T/got'"
cmp -s "$T/want" "$T/got" || diff "$T/want" "$T/got"
check "the kustomization holds Issuers, Certificates, a Bundle and the cluster" \
  [ "$(grep -c -e /clusterissuers/ -e /certificates/ -e /bundles/ -e /k8ssandraclusters/ "$T/want")" -ge 6 ]
check "the ClusterIssuers are sent cluster-scoped (no namespace in the URL)" \
  [ "$(grep -c '^/apis/cert-manager.io/v1/clusterissuers/[^/]*$' "$T/got")" = 2 ]
check "the Bundle is sent cluster-scoped" \
  grep -q '^/apis/trust.cert-manager.io/v1alpha1/bundles/[^/]*$' "$T/got"
check "no namespace in the bodies of the cluster-scoped objects" "$PY" - "$LOG" <<'PYEOF'
import json, sys, yaml
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] == "PATCH" and ("/clusterissuers/" in e["path"] or "/bundles/" in e["path"]):
        if "namespace" in (yaml.safe_load(e["body"]).get("metadata") or {}):
            sys.exit(1)
PYEOF
check "every Certificate was issued and the Bundle synced before the K8ssandraCluster was sent" \
  "$PY" - "$LOG" "$T/out1" <<'PYEOF'
import glob, json, sys, yaml
want = set()
for f in glob.glob(sys.argv[2] + "/manifests/*.yaml"):
    o = yaml.safe_load(open(f))
    if o["kind"] == "Certificate":
        want.add((o["metadata"]["namespace"], o["metadata"]["name"]))
    if o["kind"] == "Bundle":
        want.add(("", o["metadata"]["name"]))
done, cluster = {}, None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] == "EVENT" and e["event"] == "issued":
        done[(e["namespace"], e["certificate"])] = e["seq"]
    if e["method"] == "EVENT" and e["event"] == "synced":
        done[("", e["bundle"])] = e["seq"]
    if e["method"] == "PATCH" and "/k8ssandraclusters/" in e["path"]:
        cluster = e["seq"]
ok = cluster is not None and set(done) == want and len(want) == 5 and max(done.values()) < cluster
if not ok:
    print("want", sorted(want), "done", done, "cluster PATCH", cluster)
sys.exit(0 if ok else 1)
PYEOF
check "the fake's cert-manager needed several polls (ready after the 3rd)" \
  [ "$(grep -c '"GET", "path": "/apis/cert-manager.io/v1/namespaces/[^"]*/certificates"' "$LOG")" -ge 3 ]
kubectl --kubeconfig "$KCFG" --context ctx0 -n k8ssandra-operator get secret \
  server-encryption-stores -o json > "$T/secret.json" 2>&1
check "the server Certificate's Secret exists with keystore.p12 and truststore.p12 (FACTS.md §1)" \
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; sys.exit(0 if {"keystore.p12","truststore.p12","tls.crt","ca.crt"} <= set(d) else 1)' "$T/secret.json"
kubectl --kubeconfig "$KCFG" --context ctx0 -n k8ssandra-operator get secret test-ca-bundle \
  -o json > "$T/tsecret.json" 2>&1
check "the Bundle's target Secret exists in the cluster's namespace with truststore.p12 (FACTS.md §9)" \
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; sys.exit(0 if {"truststore.p12","ca.crt"} <= set(d) else 1)' "$T/tsecret.json"
check "it says what it waits for" \
  grep -q "waiting at most 60 s before the K8ssandraCluster: Certificates Ready (cert-manager): 4; Bundles Synced (trust-manager): 1" "$T/stderr"
check "... and that all are ready" grep -q "every Certificate is Ready and every Bundle Synced" "$T/stderr"
check "the K8ssandraCluster is reported applied" grep -q "K8ssandraCluster k8ssandra-operator/test applied" "$T/stdout"

# --- 3. not Ready by the timeout ------------------------------------------------------------
kill "$FAKE_PID" 2>/dev/null; rm -f "$T/ports"
FAKEAPI_ARGS="--cm-ready-after 1 --cm-hold test-ca" fakeapi_start ok
reset_logs
start=$(date +%s)
"$K8TLS_BIN" --answers "$T/answers.yaml" -o "$T/out2" --apply --wait-ready=3s \
  --kubeconfig "$KCFG" --context ctx0 > "$T/stdout" 2> "$T/stderr"
rc=$?
took=$(( $(date +%s) - start ))
check "Certificates not Ready by the timeout: exit 3" [ $rc -eq 3 ]
check "it waited about the timeout (3 s, took ${took} s)" [ "$took" -ge 3 -a "$took" -lt 30 ]
check "the K8ssandraCluster was not sent" [ "$(patches | grep -c k8ssandraclusters)" = 0 ]
check "it says how many are not ready and that the cluster was not applied" \
  grep -q "not ready after 3 s (5 of 5 Certificates and Bundles): the K8ssandraCluster was not applied" "$T/stderr"
check "the CA Certificate cert-manager never processed: no Ready condition" \
  grep -q "Certificate cert-manager/test-ca: no Ready condition yet" "$T/stderr"
check "the Bundle whose source never appeared: no Synced condition" \
  grep -q "Bundle test-ca-bundle: no Synced condition yet" "$T/stderr"
for c in server-encryption-stores client-encryption-stores client-certificates; do
  check "$c: named with its status' reason and message (FACTS.md §8)" \
    grep -q "Certificate k8ssandra-operator/$c: Ready is False, reason \"SecretMissing\": Referenced secret cert-manager/test-ca not found" "$T/stderr"
done
check "the K8ssandraCluster is listed as not applied" \
  grep -q "not applied: K8ssandraCluster k8ssandra-operator/test" "$T/stderr"
check "the result is not reported as applied" \
  sh -c "! grep -q 'K8ssandraCluster.*applied\$' '$T/stdout'"

# --- 3b. trust-manager installed without Secret targets ----------------------------------------
kill "$FAKE_PID" 2>/dev/null; rm -f "$T/ports"
FAKEAPI_ARGS="--cm-ready-after 1 --tm-secret-targets-disabled" fakeapi_start ok
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" -o "$T/out2b" --apply --wait-ready=3s \
  --kubeconfig "$KCFG" --context ctx0 > "$T/stdout" 2> "$T/stderr"
check "Secret targets disabled: exit 3" [ $? -eq 3 ]
check "... the Bundle named with its reason and message (FACTS.md §9)" \
  grep -q "Bundle test-ca-bundle: Synced is False, reason \"SecretTargetsDisabled\": Bundle has Secret targets but the feature is disabled" "$T/stderr"
check "... the 4 issued Certificates are not listed, 1 of 5 is counted" \
  sh -c "grep -q '(1 of 5 Certificates and Bundles)' '$T/stderr' && ! grep -q 'Certificate .*: Ready is' '$T/stderr'"
check "... and the K8ssandraCluster was not sent" [ "$(patches | grep -c k8ssandraclusters)" = 0 ]

# --- 4. without --wait-ready; usage ----------------------------------------------------------
reset_logs
"$K8TLS_BIN" --answers "$T/answers.yaml" -o "$T/out3" --apply --kubeconfig "$KCFG" \
  --context ctx0 > "$T/stdout" 2> "$T/stderr"
check "without --wait-ready the cluster is applied at once (exit 0)" [ $? -eq 0 ]
check "... and no Certificate is polled" \
  [ "$(grep -c '"GET", "path": "/apis/cert-manager.io/v1/namespaces/[^"]*/certificates"' "$LOG")" = 0 ]
check "... with a note that says what --wait-ready is for" \
  grep -q "note: the K8ssandraCluster goes right after the Certificates.*--wait-ready applies it once every Certificate is Ready" "$T/stderr"
"$K8TLS_BIN" --answers "$T/answers.yaml" --apply --wait-ready=soon > /dev/null 2> "$T/stderr"
rc=$?
check "--wait-ready=soon: usage error (exit 2)" [ $rc -eq 2 ]
check "... naming the value" grep -q "wait-ready=soon" "$T/stderr"
"$K8TLS_BIN" --answers "$T/answers.yaml" -o "$T/out4" --wait-ready > /dev/null 2>&1
check "--wait-ready without --apply: usage error (exit 2)" [ $? -eq 2 ]
"$K8TLS_BIN" --answers "$T/answers.yaml" --apply --dry-run=server --wait-ready \
  --kubeconfig "$KCFG" > /dev/null 2>&1
check "--wait-ready with --dry-run=server: usage error (exit 2)" [ $? -eq 2 ]
# --- 5. two contexts (K9): each gets the cert-manager objects and is waited on ------------------
kill "$FAKE_PID" 2>/dev/null; rm -f "$T/ports"
FAKEAPI_ARGS="--cm-ready-after 2" fakeapi_start ok ok
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=Org CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$T/ca.key" -out "$T/ca.crt" 2>/dev/null
cat > "$T/mc.yaml" <<EOF
cluster:
  name: test
  namespace: k8ssandra-operator
  datacenters: [{name: dc1, size: 3}, {name: dc2, size: 3, k8sContext: ctx1}]
ca: {source: import, import: {cert: "$T/ca.crt", key: "$T/ca.key"}}
output: {mode: cert-manager, trustManager: true}
EOF
reset_logs
"$K8TLS_BIN" --answers "$T/mc.yaml" -o "$T/out5" --apply --wait-ready=60s --kubeconfig "$KCFG" \
  --context ctx0 > "$T/stdout" 2> "$T/stderr"
rc=$?
check "two contexts: apply --wait-ready exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$T/stderr"
want_paths "$T/out5" | grep -v k8ssandraclusters > "$T/want5"
patches 1 | awk '{print $3}' > "$T/got5"
check "two contexts: the second gets every object but the cluster, in order ($(wc -l < "$T/want5"))" \
  sh -c "[ -s '$T/want5' ] && cmp -s '$T/want5' '$T/got5'"
check "two contexts: the imported CA's Issuer is in both" \
  [ "$(patches | grep -c '/issuers/test-ca-issuer ')" = 2 ]
check "two contexts: each context's Certificates issued and Bundle synced before the cluster" \
  "$PY" - "$LOG" <<'PYEOF'
import json, sys
done, cluster = {0: set(), 1: set()}, None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] == "EVENT" and cluster is None:
        done[e["server"]].add(e["event"] + ":" + e.get("certificate", e.get("bundle", "")))
    if e["method"] == "PATCH" and "/k8ssandraclusters/" in e["path"]:
        cluster = e["server"]
ok = cluster == 0 and all(len(v) == 4 for v in done.values())
if not ok:
    print(done, cluster)
sys.exit(0 if ok else 1)
PYEOF
check "two contexts: it waited for 3 Certificates and 1 Bundle in each" \
  grep -q "Certificates Ready (cert-manager): 6; Bundles Synced (trust-manager): 2" "$T/stderr"

"$K8TLS_BIN" --help > "$T/help"
check "--help lists --wait-ready" grep -q -- "--wait-ready\[=TIMEOUT\]" "$T/help"
finish
