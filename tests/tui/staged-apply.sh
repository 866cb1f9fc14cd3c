#!/bin/sh
# The Next phase path applies a phase only after the live check (doc/staged-rollout.md 4.3):
# with the real kubectl against the kube tests' fake API server, extended with
# CassandraDatacenters and pods (tests/enable/fakeapi_staged.py), seeded as
# tests/enable/enable-live.sh seeds it. The first phase (accept, written by enable) runs on every
# pod: Output's apply checks the live cluster, then applies the send phase. A pod that did not
# restart: the panel says which and nothing is applied. The wizard's first phase (the Rollout
# step's staged choice) is applied only to a cluster that runs without encryption or phase. 80x24,
# the real binary in tmux.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
FAKEAPI_PY="$K8TLS_SRCDIR/tests/enable/fakeapi_staged.py"
trap 'tui_stop; cleanup' EXIT
cd "$T" || exit 1
. "$K8TLS_SRCDIR/tests/enable/lib-enable.sh"

# seed NAME MANIFEST CHANGED POD-TIMES: the fake cluster's objects: the K8ssandraCluster of
# MANIFEST applied by k8tls-wizard at CHANGED, CassandraDatacenter dc1 Ready, one pod per time.
seed() {
  "$PY" - "$@" <<'PY'
import sys, yaml
name, manifest, changed, pods = sys.argv[1:5]
k = [d for d in yaml.safe_load_all(open(manifest)) if d and d.get("kind") == "K8ssandraCluster"][0]
k["metadata"]["managedFields"] = [
    {"manager": "k8tls-wizard", "operation": "Apply", "apiVersion": "k8ssandra.io/v1alpha1",
     "time": changed, "fieldsType": "FieldsV1", "fieldsV1": {}}]
out = [k, {"apiVersion": "cassandra.datastax.com/v1beta1", "kind": "CassandraDatacenter",
           "metadata": {"name": "dc1", "namespace": "cass"},
           "status": {"conditions": [{"type": "Ready", "status": "True"}]}}]
for i, t in enumerate(p for p in pods.split(",") if p):
    out.append({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "demo-dc1-default-sts-%d" % i, "namespace": "cass",
                             "creationTimestamp": t,
                             "labels": {"cassandra.datastax.com/cluster": "demo",
                                        "cassandra.datastax.com/datacenter": "dc1"}}})
yaml.safe_dump_all(out, open(name, "w"))
PY
}
serve() {
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
  rm -f "$T/ports"
  FAKEAPI_SEED="$1"; export FAKEAPI_SEED FAKEAPI_PY
  fakeapi_start ok
  reset_logs
}
T1=2026-01-01T10:00:00Z NEW=2026-01-01T10:05:00Z OLD=2026-01-01T09:00:00Z

manifest c41.yaml cassandra 4.1.5 dc1:3
answers a41.yaml c41.yaml
en l1 --answers a41.yaml -o l1
check "the first phase written by enable" q l1/$M 'ph == "accept"'

# the Next phase path up to Output's apply, into context ctx0
to_apply() {
  tui_start "$T" 80 24 --tui
  wait_for "Start from:" >/dev/null
  keys Right Right Right Right Right
  wait_for "< continue a staged rollout" >/dev/null
  keys F10
  wait_for "step 2 of 5: Next phase" >/dev/null
  type_text "l1"
  keys F10
  wait_re "2 send .* due" >/dev/null
  keys F10
  wait_for "step 3 of 5: Review" >/dev/null
  leave_review
  wait_re "Output directory: +l1-send" >/dev/null
  # Output directory, [Browse], Apply to a cluster
  keys Tab Tab Right
}

# ---- accept runs on every pod: the live check passes, the phase is applied -------------------
seed s1.yaml l1/$M $T1 $NEW,$NEW,$NEW
serve s1.yaml
TUI_ENV="KUBECONFIG=$KCFG"
to_apply
check "Apply offers the contexts, the current one chosen" wait_re "\\[1\\] ctx0  \\(current\\)"
check "it says the live check comes first" wait_for "Apply: namespace cass, after a live check"
keys F10
check "the panel checks the live cluster first" wait_for "the live cluster is where this phase starts" 40
check "then applies" wait_re "K8ssandraCluster demo +ctx0 +applied" 60
check "and says when it is done" wait_re "Done: [0-9]+ objects applied" 40
keys Enter
check "Result says what was applied" wait_re "Applied to ctx0.*: [0-9]+ objects"
check "and the next phase's command" wait_for "k8tls-wizard enable --from l1-send --phase enforce -o l1-enforce"
keys Enter
rc=$(wait_exit "$T")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
patches > p1.txt
check "the Secrets and the K8ssandraCluster were sent (server-side apply)" \
  sh -c "grep -q '/secrets/server-encryption-stores' p1.txt && grep -q '/k8ssandraclusters/demo' p1.txt"
"$REAL_KUBECTL" --kubeconfig "$KCFG" --context ctx0 -n cass get k8ssandracluster demo -o yaml > live1.yaml 2>&1
check "the live K8ssandraCluster is at phase send" \
  q live1.yaml 'ph == "send" and so["internode_encryption"] == "all" and so["optional"] is True'

# ---- a pod that did not restart: refused, nothing applied ------------------------------------
rm -rf l1-send
seed s2.yaml l1/$M $T1 $NEW,$OLD,$NEW
serve s2.yaml
to_apply
keys F10
check "the panel names the pod that did not restart" \
  wait_for "pod demo-dc1-default-sts-1 was created at $OLD" 40
check "and says nothing was applied" wait_for "Nothing was applied." 40
check "nothing was sent" [ -z "$(patches)" ]
screen | sed "s/^/    | /"

# ---- the wizard's first phase (accept): applied only to a cluster without encryption ----------
T0=2026-01-01T08:00:00Z
to_first_apply() {
  tui_start "$T" 80 24 --tui --answers a41.yaml
  wait_for "Answers file: a41.yaml" >/dev/null
  for s in Encryption Rollout "Certificate authority" "Server stores" "Client stores" Review; do
    keys F10
    wait_re "step [0-9]+ of [0-9]+: $s" >/dev/null
  done
  leave_review
  # Output directory, [Browse], Namespace manifest, Save the answers file, Apply to a cluster
  keys Tab Tab Tab Tab Right
  wait_re "\\[1\\] ctx0  \\(current\\)" >/dev/null
}
seed s0.yaml c41.yaml $T0 $OLD,$OLD,$OLD
serve s0.yaml
to_first_apply
keys F10
check "first phase: the live check runs" wait_for "the live cluster is where this phase starts" 40
check "first phase: then it is applied" wait_re "K8ssandraCluster demo +ctx0 +applied" 60
keys Enter
check "first phase: Result says what was applied" wait_re "Applied to ctx0.*: [0-9]+ objects"
keys Enter
wait_exit "$T" >/dev/null
"$REAL_KUBECTL" --kubeconfig "$KCFG" --context ctx0 -n cass get k8ssandracluster demo -o yaml > live0.yaml 2>&1
check "the live K8ssandraCluster is at phase accept" \
  q live0.yaml 'ph == "accept" and so["internode_encryption"] == "dc" and so["optional"] is True'

# the cluster already carries a phase: the first phase is not applied again
rm -rf k8tls-out
seed s3.yaml l1/$M $T1 $NEW,$NEW,$NEW
serve s3.yaml
to_first_apply
keys F10
check "first phase on a cluster at a phase: refused, with the reason" \
  wait_for "the live cluster is not where the first phase starts" 40
check "nothing applied" wait_for "Nothing was applied." 40
check "nothing was sent" [ -z "$(patches)" ]
finish
