#!/bin/sh
# Apply of a cert-manager output from the TUI at 80x24, real binary and real kubectl against the
# fake API server (tests/kube/fakeapi.py, which emulates cert-manager and trust-manager): the mode
# comes from the answers file, the Output step offers "Wait until Ready" with its hint, the
# objects go in the kustomization's order, the panel says what it waits for and that all are
# Ready, every Certificate is issued and the Bundle synced before the K8ssandraCluster is sent,
# and the Result says so.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
trap 'tui_stop; cleanup' EXIT
FAKEAPI_ARGS="--cm-ready-after 3" fakeapi_start ok
wd="$T/w"
mkdir -p "$wd"
check "an ECDSA answers file" ecdsa_answers "$wd/answers.yaml"
printf '  mode: cert-manager\n  issuerKind: ClusterIssuer\n  trustManager: true\n' \
  >>"$wd/answers.yaml"
TUI_ENV="KUBECONFIG=$KCFG K8TLS_TEST_WAIT_POLL_MS=200"

# presses KEY until the field LABEL has the focus (at most 16 times)
focus_with() {
  _n=0
  while [ "$_n" -lt 16 ]; do
    screen | grep -qF "> $2:" && return 0
    keys "$1"
    sleep 0.2
    _n=$((_n + 1))
  done
  screen
  return 1
}
msgs_have() { screen | sed -n '12,21p' | sed 's/ *[v^]$//' | tr -s ' \n' '  ' | grep -qF -- "$1"; }

reset_logs
tui_start "$wd" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10" >/dev/null
keys F10
check "the Encryption step shows the answers file's mode" wait_re "Output mode: +< cert-manager >"
check "and its issuer kind" wait_re "Issuer kind: +< ClusterIssuer >"
for s in "step 4 of 10" "step 5 of 10" "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10
  wait_for "$s" >/dev/null
done
leave_review
check "the Output step" wait_for "step 9 of 10: Output"
focus_with Tab "Apply to a cluster" >/dev/null
keys Right
check "Apply offers the kubeconfig's contexts" wait_re "\\[1\\] ctx0  \\(current\\)"
check "cert-manager output: Wait until Ready, on by default" wait_re "Wait until Ready: +< yes >"
check "Wait until Ready" focus_with Tab "Wait until Ready"
check "its hint: what it waits for" msgs_have "the K8ssandraCluster is applied only once cert-manager has issued every Certificate (Ready) and trust-manager synced the Bundle, at most 5 minutes."
check "its hint: what no means" msgs_have "no: it goes at once, and its pods wait for their Secrets."
keys F10
check "the panel says what it waits for" wait_for "waiting at most 300 s before the" 40
check "the Certificates become Ready" wait_for "every Certificate is Ready and every Bundle Synced" 60
check "the cluster is applied after them" wait_re "K8ssandraCluster test +ctx0 +applied" 40
check "the panel says when it is done" wait_re "Done: [0-9]+ objects applied" 40
keys Enter
check "Result: the Certificates were issued before the cluster" wait_for "cert-manager issued every Certificate before the" 20
check "Result: no key was written" wait_for "13 files; no key and no store: cert-manager makes"
keys Enter
rc=$(wait_exit "$wd")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]

# the order: the kustomization's, every object in it
check "the objects reached the API server in the kustomization's order" "$PY" - "$wd/k8tls-out" "$LOG" <<'PYORDER'
import json, os, sys, yaml
d, log = sys.argv[1], sys.argv[2]
plural = {"Secret": "secrets", "Issuer": "issuers", "ClusterIssuer": "clusterissuers",
          "Certificate": "certificates", "Bundle": "bundles",
          "K8ssandraCluster": "k8ssandraclusters", "Namespace": "namespaces"}
want = []
for res in yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))["resources"]:
    o = yaml.safe_load(open(os.path.join(d, res)))
    want.append("/%s/%s" % (plural[o["kind"]], o["metadata"]["name"]))
got = []
for line in open(log):
    e = json.loads(line)
    if e["method"] == "PATCH":
        got.append("/" + "/".join(e["path"].split("/")[-2:]))
if got != want or len(want) != 10:
    print("want", want, "got", got)
    sys.exit(1)
PYORDER
check "every Certificate was issued and the Bundle synced before the K8ssandraCluster" "$PY" - "$LOG" <<'PYWAIT'
import json, sys
done, cluster = [], None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["method"] == "EVENT" and e["event"] in ("issued", "synced"):
        done.append(e["seq"])
    if e["method"] == "PATCH" and "/k8ssandraclusters/" in e["path"]:
        cluster = e["seq"]
ok = cluster is not None and len(done) == 5 and max(done) < cluster
if not ok:
    print("issued/synced", done, "cluster PATCH", cluster)
sys.exit(0 if ok else 1)
PYWAIT
finish
