#!/bin/sh
# k8tls-wizard enable --from-context: the live check of the staged rollout (doc/staged-rollout.md
# 4.3) with the real kubectl against the kube tests' fake API server, extended with
# CassandraDatacenters and pods (tests/enable/fakeapi_staged.py, seeded per case): the live
# K8ssandraCluster's phase and cassandraYaml, every CassandraDatacenter Ready, every Cassandra pod
# created after the K8ssandraCluster changed. A matching stage passes (and --apply applies the
# phase); stale pods, a wrong stage, values that differ, a datacenter not Ready or a datacenter
# count that changed are refused with one line, nothing written.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
FAKEAPI_PY="$K8TLS_SRCDIR/tests/enable/fakeapi_staged.py"
cd "$T" || exit 1
. "$K8TLS_SRCDIR/tests/enable/lib-enable.sh"

# seed NAME MANIFEST PHASE-TIME POD-TIMES READY [EXTRA-DC]: the fake cluster's objects: the
# K8ssandraCluster of MANIFEST changed (k8tls-wizard's apply) at PHASE-TIME, CassandraDatacenter
# dc1 Ready (True/False), one pod per time of POD-TIMES (comma-separated).
seed() {
  "$PY" - "$@" <<'PY'
import sys, yaml
name, manifest, changed, pods, ready = sys.argv[1:6]
extra = sys.argv[6] if len(sys.argv) > 6 else ""
docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
k = [d for d in docs if d.get("kind") == "K8ssandraCluster"][0]
md = k["metadata"]
md["managedFields"] = [
    {"manager": "k8tls-wizard", "operation": "Apply", "apiVersion": "k8ssandra.io/v1alpha1",
     "time": changed, "fieldsType": "FieldsV1", "fieldsV1": {}},
    # the operator's status update comes later and must not count as the change
    {"manager": "k8ssandra-operator", "operation": "Update", "apiVersion": "k8ssandra.io/v1alpha1",
     "time": "2030-01-01T00:00:00Z", "subresource": "status", "fieldsType": "FieldsV1",
     "fieldsV1": {}}]
if extra:
    k["spec"]["cassandra"]["datacenters"].append({"metadata": {"name": extra}, "size": 1})
out = [k]
out.append({"apiVersion": "cassandra.datastax.com/v1beta1", "kind": "CassandraDatacenter",
            "metadata": {"name": "dc1", "namespace": "cass"},
            "status": {"conditions": [{"type": "Ready", "status": ready},
                                      {"type": "Healthy", "status": "True"}]}})
for i, t in enumerate(p for p in pods.split(",") if p):
    out.append({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "demo-dc1-default-sts-%d" % i, "namespace": "cass",
                             "creationTimestamp": t,
                             "labels": {"cassandra.datastax.com/cluster": "demo",
                                        "cassandra.datastax.com/datacenter": "dc1"}}})
# a pod of another cluster in the namespace is not counted
out.append({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "other-dc1-default-sts-0", "namespace": "cass",
                         "creationTimestamp": "2020-01-01T00:00:00Z",
                         "labels": {"cassandra.datastax.com/cluster": "other"}}})
yaml.safe_dump_all(out, open(name, "w"))
PY
}
# serve SEEDFILE: (re)starts the fake API with these objects
serve() {
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
  rm -f "$T/ports"
  FAKEAPI_SEED="$1"; export FAKEAPI_SEED FAKEAPI_PY
  fakeapi_start ok
  reset_logs
}
K="--kubeconfig $KCFG"
T0=2026-01-01T08:00:00Z T1=2026-01-01T10:00:00Z
NEW=2026-01-01T10:05:00Z OLD=2026-01-01T09:00:00Z

manifest c41.yaml cassandra 4.1.5 dc1:3
answers a41.yaml c41.yaml

# ---- before the first phase: the running cluster without encryption ---------------------------
seed s0.yaml c41.yaml $T0 $OLD,$OLD,$OLD True
serve s0.yaml
en show0 --from-context ctx0 $K --answers a41.yaml
check "before any phase: the live check passes (exit 0)" [ "$(rc show0)" = 0 ]
[ "$(rc show0)" = 0 ] || { show show0.out; show show0.err; }
check "before any phase: it shows phase none and the phase due accept" \
  sh -c "grep -q 'phase: *none' show0.out && grep -q '^Phase due: accept (1 of 4)' show0.out"
check "before any phase: it prints the command of the phase due" \
  grep -qF -- "--answers a41.yaml --phase accept --output NEWDIR --apply" show0.out
check "showing writes nothing and applies nothing" [ -z "$(patches)" ]

en dry --from-context ctx0 $K --answers a41.yaml --phase accept -o dry --apply --dry-run=server
check "--apply --dry-run=server: exit 0" [ "$(rc dry)" = 0 ]
patches > dry.txt
check "--dry-run=server: every PATCH is a dry run" \
  sh -c "[ -s dry.txt ] && ! awk '{print \$4}' dry.txt | grep -vqx All"
"$REAL_KUBECTL" --kubeconfig "$KCFG" --context ctx0 -n cass get k8ssandracluster demo -o yaml > live0.yaml 2>&1
check "--dry-run=server: the live K8ssandraCluster is unchanged" q live0.yaml 'ph is None and so is None'
reset_logs
en l1 --from-context ctx0 $K --answers a41.yaml --phase accept -o l1 --apply
check "accept with --apply after the live check (exit 0)" [ "$(rc l1)" = 0 ]
[ "$(rc l1)" = 0 ] || show l1.err
patches > p.txt
check "--apply sent the Secrets and the K8ssandraCluster (server-side apply)" \
  sh -c "grep -q '/secrets/server-encryption-stores' p.txt && grep -q '/k8ssandraclusters/demo' p.txt"
"$REAL_KUBECTL" --kubeconfig "$KCFG" --context ctx0 -n cass get k8ssandracluster demo -o yaml > live1.yaml 2>&1
check "the live K8ssandraCluster now carries phase accept" q live1.yaml 'ph == "accept" and so["internode_encryption"] == "dc"'
[ -f l1/$M ] || { fail "no accept directory: the later cases cannot run"; finish; exit 1; }

# ---- accept applied, every pod restarted: send may start -----------------------------------------
seed s1.yaml l1/$M $T1 $NEW,$NEW,$NEW True
serve s1.yaml
en show1 --from-context ctx0 $K --from l1
[ "$(rc show1)" = 0 ] || { show show1.out; show show1.err; }
check "accept everywhere: the live check passes" [ "$(rc show1)" = 0 ]
check "accept everywhere: phase accept live, send due, 3 of 3 pods restarted" \
  sh -c "grep -q 'phase: *accept' show1.out && grep -q '^Phase due: send (2 of 4)' show1.out && grep -q ': 3 of 3' show1.out"
en l2 --from-context ctx0 $K --from l1 --phase send -o l2
check "send after a passing live check (exit 0)" [ "$(rc l2)" = 0 ]
check "send: internode all, optional true" q l2/$M 'so["internode_encryption"] == "all" and so["optional"] is True'
check "send: the same CA as accept" cmp -s l1/ca/rootca.crt l2/ca/rootca.crt

# ---- a pod that did not restart: refused ------------------------------------------------------
seed s2.yaml l1/$M $T1 $NEW,$OLD,$NEW True
serve s2.yaml
en stale --from-context ctx0 $K --from l1 --phase send -o stale
check "a stale pod: refused with one line" refused stale
check "a stale pod: the line names the pod and both times" \
  grep -q "pod demo-dc1-default-sts-1 was created at $OLD, before the K8ssandraCluster changed ($T1).*wait until every pod has restarted" stale.err
check "a stale pod: nothing written" [ ! -e stale ]
en showstale --from-context ctx0 $K --from l1
check "a stale pod: showing says not yet (exit 1)" \
  sh -c "[ \"\$(cat showstale.rc)\" = 1 ] && grep -q '^Live check: not yet: pod demo-dc1-default-sts-1' showstale.out"

# a pod missing
seed s2b.yaml l1/$M $T1 $NEW,$NEW True
serve s2b.yaml
en missing --from-context ctx0 $K --from l1 --phase send -o missing
check "a pod missing: refused with one line (2 of 3)" \
  sh -c "[ \"\$(cat missing.rc)\" = 1 ] && [ \"\$(wc -l < missing.err)\" = 1 ] && grep -q '2 Cassandra pods found, the datacenters have 3 nodes' missing.err"

# ---- the wrong stage: accept never applied ---------------------------------------------------
seed s3.yaml c41.yaml $T1 $NEW,$NEW,$NEW True
serve s3.yaml
en wrong --from-context ctx0 $K --from l1 --phase send -o wrong
check "accept not applied: send refused with one line" refused wrong
check "accept not applied: the line says the live phase (none) and what to do" \
  grep -q "not at phase accept (its annotation says none): apply that phase's directory first" wrong.err

# the annotation says accept but the values are another phase's
"$PY" - l1/$M > s4m.yaml <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
d["spec"]["cassandra"]["config"]["cassandraYaml"]["server_encryption_options"]["optional"] = False
yaml.safe_dump(d, sys.stdout)
PY
seed s4.yaml s4m.yaml $T1 $NEW,$NEW,$NEW True
serve s4.yaml
en differ --from-context ctx0 $K --from l1 --phase send -o differ
check "annotation accept, optional false: refused with one line" refused differ
check "the line names the key that differs" \
  grep -q "server_encryption_options.optional: false, expected true" differ.err

# a datacenter not Ready
seed s5.yaml l1/$M $T1 $NEW,$NEW,$NEW False
serve s5.yaml
en notready --from-context ctx0 $K --from l1 --phase send -o notready
check "dc1 not Ready: refused with one line" refused notready
check "dc1 not Ready: says so" grep -q "CassandraDatacenter dc1 is not Ready" notready.err

# a datacenter added since
seed s6.yaml l1/$M $T1 $NEW,$NEW,$NEW True dc2
serve s6.yaml
en grown --from-context ctx0 $K --from l1 --phase send -o grown
check "a datacenter added live: refused with one line" refused grown
check "a datacenter added live: the counts" grep -q "has 2 datacenters, the plan 1" grown.err

# the answers cannot build a later phase (a new CA)
seed s7.yaml l1/$M $T1 $NEW,$NEW,$NEW True
serve s7.yaml
en answers-late --from-context ctx0 $K --answers a41.yaml --phase send -o answers-late
check "--answers on a cluster at phase accept: refused with one line (use --from)" \
  sh -c "[ \"\$(cat answers-late.rc)\" = 1 ] && [ \"\$(wc -l < answers-late.err)\" = 1 ] && grep -q 'run with --from DIR' answers-late.err"

# an unreachable API: environment failure (exit 3)
en dead --from-context dead $K --from l1
check "an unreachable API server: exit 3" [ "$(rc dead)" = 3 ]
finish
