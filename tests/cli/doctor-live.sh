#!/bin/sh
# The doctor live (SPEC §12, K9, X2): the real kubectl against two loopback fake API servers; the
# wizard's bundle applied to both contexts but one Secret missing in the second: found, with the
# context; then clean once it is there; a datacenter context not given is a warning; an
# unreachable context is an environment failure (3); no secret value in any output or argv; the
# doctor only reads (GET, never PATCH).
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
need timeout
fakeapi_start ok ok
cd "$T" || exit 1
K="kubectl --kubeconfig $KCFG"

timeout 60 "$K8TLS_BIN" --defaults --output bundle >/dev/null 2>&1
m=bundle/manifests/20-k8ssandracluster.yaml
check "the wizard wrote its bundle" [ -f "$m" ]
# a second datacenter in ctx1
"$PY" - "$m" <<'PY'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
d["spec"]["cassandra"]["datacenters"].append({"metadata": {"name": "dc2"}, "size": 3, "k8sContext": "ctx1"})
yaml.safe_dump(d, open(p, "w"), sort_keys=False)
PY
# the secret values, to look for them everywhere
cat bundle/stores/*/*-password > secrets.txt
for f in bundle/manifests/10-*.yaml; do
  "$PY" -c 'import sys, yaml
for v in (yaml.safe_load(open(sys.argv[1])).get("data") or {}).values(): print(v[:60])' "$f"
done >> secrets.txt
check "secret values collected" [ "$(wc -l < secrets.txt)" -ge 10 ]

$K --context ctx0 apply --server-side -f bundle/manifests/ > apply0.out 2>&1
check "applied to ctx0" [ $? -eq 0 ]
$K --context ctx1 apply --server-side -f bundle/manifests/10-secret-server-encryption-stores.yaml \
  -f bundle/manifests/10-secret-client-certificates.yaml > apply1.out 2>&1
check "applied to ctx1 without client-encryption-stores" [ $? -eq 0 ]

no_secret() { # NAME
  for f in "$1.out" "$1.err"; do
    if "$PY" -c 'import sys
s = [l.strip() for l in open(sys.argv[1]) if l.strip()]
t = open(sys.argv[2]).read()
sys.exit(0 if any(x in t for x in s) else 1)' secrets.txt "$f"; then fail "$1: a secret value is in $f"; fi
  done
}
run() { # NAME WANT-RC ARGS...
  n=$1; want=$2; shift 2
  reset_logs
  timeout 120 "$K8TLS_BIN" doctor --kubeconfig "$KCFG" "$@" > "$n.out" 2> "$n.err"
  rc=$?
  check "$n: exit $want (got $rc)" [ $rc -eq "$want" ]
  [ $rc -eq "$want" ] || sed 's/^/    /' "$n.out" "$n.err"
  no_secret "$n"
  check "$n: no secret in kubectl's argv" sh -c '! argv_has_any_of secrets.txt' 2>/dev/null
  argv_has_any_of secrets.txt && fail "$n: a secret value is in an argv"
  check "$n: the doctor only reads (no PATCH)" sh -c "! grep -q '\"method\": \"PATCH\"' '$LOG'"
}
run missing 1 --context ctx0 --context ctx1
check "missing: the Secret and the context are named" \
  grep -qF "error: [K9] K8ssandraCluster/test spec.cassandra.clientEncryptionStores.keystoreSecretRef (context ctx0): Secret client-encryption-stores is missing in context ctx1; breaks: pods of the datacenter in that context cannot start" missing.out
check "missing: only that" [ "$(grep -c '^error' missing.out)" -eq 1 ]
check "missing: kubectl ran in both contexts" sh -c "grep -qx ctx0 '$SHIMLOG' && grep -qx ctx1 '$SHIMLOG'"

run missing-json 1 -o json --namespace k8ssandra-operator --context ctx0 --context ctx1
check "missing-json: one error for scripts" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] == 1 and r["clusters"] == 1, r
assert r["findings"][0]["rule"] == "K9" and r["findings"][0]["where"] == "context ctx0", r
' missing-json.out

run one-context 0 --context ctx0
check "one-context: ctx1 not checked, said as a warning" \
  grep -qF "warning: [K9] K8ssandraCluster/test spec.cassandra.datacenters[1].k8sContext (context ctx0): context ctx1 was not checked: it was not given with --context" one-context.out

$K --context ctx1 apply --server-side -f bundle/manifests/10-secret-client-encryption-stores.yaml >/dev/null 2>&1
run clean 0 --context ctx0 --context ctx1
check "clean: nothing found" grep -qF "no problem found (1 cluster(s), 6 Secret(s) checked)" clean.out

run dead 3 --context dead
check "dead: says kubectl failed in that context" grep -q "kubectl get k8ssandraclusters.k8ssandra.io in context dead failed" dead.err
TO=$(command -v timeout)
PATH="$T/empty" "$TO" 60 "$K8TLS_BIN" doctor --kubeconfig "$KCFG" --context ctx0 > nokubectl.out 2> nokubectl.err
rc=$?
check "no kubectl: exit 3 (got $rc)" [ $rc -eq 3 ]
check "no kubectl: said" grep -q "kubectl is not installed" nokubectl.err
finish
