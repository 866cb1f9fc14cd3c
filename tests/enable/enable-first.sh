#!/bin/sh
# k8tls-wizard enable --answers FILE: the first phase of the staged rollout from the running
# manifest, per server version and topology (doc/staged-rollout.md 3.2-3.6), and the refusals,
# each exactly one line on stderr with nothing written. The real binary; the manifests are read
# back with python3-yaml and checked against the K8ssandraCluster CRD with jsonschema.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
. "$K8TLS_SRCDIR/tests/enable/lib-enable.sh"

# ---- Cassandra 4.1, one datacenter: accept = dc + optional, clients optional --------------------
manifest c41.yaml cassandra 4.1.5 dc1:3
answers a41.yaml c41.yaml
en acc41 --answers a41.yaml -o acc41
check "4.1 one dc: accept is written (exit 0)" [ "$(rc acc41)" = 0 ]
[ "$(rc acc41)" = 0 ] || show acc41.err
check "4.1 accept: internode dc with optional true" \
  q acc41/$M 'so["internode_encryption"] == "dc" and so["optional"] is True'
check "4.1 accept: clients enabled and optional" \
  q acc41/$M 'co["enabled"] is True and co["optional"] is True'
check "4.1 accept: the phase annotation says accept" q acc41/$M 'ph == "accept"'
check "4.1 accept: the manifest validates against the CRD" valid acc41/$M
check "4.1 accept: the answers record the staged phase" \
  q acc41/answers.yaml 'd["rollout"] == {"mode": "staged", "phase": "accept"}'
check "4.1 accept: says it is phase 1 of 4 and the next command" \
  grep -q "phase 1 of 4: accept.*" acc41.err
check "4.1 accept: the next command is --phase send from this directory" \
  grep -qF "enable --from acc41 --phase send -o NEWDIR" acc41.err

# out of order: every other phase is refused, one line, nothing written
for ph in send enforce clients-required; do
  en ooo-$ph --answers a41.yaml --phase $ph -o ooo-$ph
  check "4.1: --phase $ph before accept is refused with one line" refused ooo-$ph
  check "4.1: --phase $ph names the phase due (accept)" \
    grep -q "the phase due is accept.*run --phase accept" ooo-$ph.err
  check "4.1: --phase $ph wrote nothing" [ ! -e ooo-$ph ]
done

# ---- Cassandra 5.0: accept = all + optional (the fallback, 3.2), any number of datacenters ------
manifest c50.yaml cassandra 5.0.2 dc1:3 dc2:3
answers a50.yaml c50.yaml
en acc50 --answers a50.yaml --phase accept -o acc50
check "5.0 two dcs: accept is written" [ "$(rc acc50)" = 0 ]
check "5.0 accept: internode all with optional true" \
  q acc50/$M 'so["internode_encryption"] == "all" and so["optional"] is True'
check "5.0 accept: says phase 1 of 3" grep -q "phase 1 of 3" acc50.err
check "5.0 accept: the manifest validates against the CRD" valid acc50/$M

# ---- Cassandra 3.11: dc first, never an optional key (1.2) ----------------------------------
manifest c311.yaml cassandra 3.11.17 dc1:3:3
answers a311.yaml c311.yaml
en acc311 --answers a311.yaml -o acc311
check "3.11 one node per rack: accept is written" [ "$(rc acc311)" = 0 ]
check "3.11 accept: internode dc, no optional key" \
  q acc311/$M 'so["internode_encryption"] == "dc" and "optional" not in so'
check "3.11 accept: clients optional" q acc311/$M 'co["enabled"] is True and co["optional"] is True'
check "3.11 accept: says phase 1 of 4" grep -q "phase 1 of 4" acc311.err

# ---- refusals: one line each, the reason and what to do, nothing written ----------------------
manifest dse.yaml dse 6.9.3 dc1:3
answers adse.yaml dse.yaml
en rdse --answers adse.yaml -o rdse
check "DSE: refused with one line" refused rdse
check "DSE: the line says why and to use --one-shot" \
  grep -q "refused for serverType dse.*--one-shot in a maintenance window" rdse.err
manifest hcd.yaml hcd 1.2.0 dc1:3
answers ahcd.yaml hcd.yaml
en rhcd --answers ahcd.yaml -o rhcd
check "HCD: refused with one line" refused rhcd

manifest c41x2.yaml cassandra 4.1.5 dc1:3 dc2:3
answers a41x2.yaml c41x2.yaml
en r41x2 --answers a41x2.yaml -o r41x2
check "4.1 two dcs: refused with one line" refused r41x2
check "4.1 two dcs: the reason (no fallback) and what to do" \
  grep -q "4.1.5 with 2 datacenters.*no fallback.*internode.mode: none for the client phases only, upgrade to Cassandra 5.0 first, or use --one-shot" r41x2.err
check "4.1 two dcs: nothing written" [ ! -e r41x2 ]

manifest c40x2.yaml cassandra 4.0.14 dc1:3 dc2:1
answers a40x2.yaml c40x2.yaml
en r40x2 --answers a40x2.yaml -o r40x2
check "4.0 two dcs: refused with one line" refused r40x2

# the client phases alone stay offered (3.4)
answers a41x2c.yaml c41x2.yaml "encryption: {internode: {mode: none}}"
en c41x2 --answers a41x2c.yaml -o c41x2
check "4.1 two dcs, internode none: the client accept phase is written" [ "$(rc c41x2)" = 0 ]
check "4.1 two dcs, clients only: no server options, clients optional" \
  q c41x2/$M 'so is None and co["enabled"] is True and co["optional"] is True'
check "4.1 two dcs, clients only: phase 1 of 2" grep -q "phase 1 of 2" c41x2.err

manifest c311x2.yaml cassandra 3.11.17 dc1:1 dc2:1
answers a311x2.yaml c311x2.yaml
en r311x2 --answers a311x2.yaml -o r311x2
check "3.11 two dcs: refused with one line" refused r311x2
check "3.11 two dcs: the reason and what to do" \
  grep -q "2 datacenters: every mode but none encrypts toward the other datacenters.*upgrade to Cassandra 4.0 or later" r311x2.err

manifest c311r.yaml cassandra 3.11.17 dc1:6:3
answers a311r.yaml c311r.yaml
en r311r --answers a311r.yaml -o r311r
check "3.11 racks of two nodes, target all: refused with one line" refused r311r
check "3.11 racks of two nodes: says 6 nodes in 3 racks and offers rack" \
  grep -q "datacenter dc1 has 6 nodes in 3 racks.*internode.mode: rack" r311r.err
manifest c311n.yaml cassandra 3.11.17 dc1:3
answers a311n.yaml c311n.yaml
en r311n --answers a311n.yaml -o r311n
check "3.11 without racks (one default rack of 3): target all refused" refused r311n
answers a311rk.yaml c311r.yaml "encryption: {internode: {mode: rack}}"
en k311r --answers a311rk.yaml -o k311r
check "3.11 racks of two nodes, target rack: accept is written" [ "$(rc k311r)" = 0 ]
check "3.11 target rack: phase 1 of 3 (dc, rack, clients)" grep -q "phase 1 of 3" k311r.err

# ---- the plain --answers run on a running cluster (merge mode) ---------------------------------
w() { n=$1; shift; timeout 120 "$K8TLS_BIN" "$@" > "$n.out" 2> "$n.all"; echo $? > "$n.rc"
      grep -v -e ': keys [0-9]*/[0-9]* (' -e ': reading ' -e ': generating the keys' "$n.all" > "$n.err"; }
w plain --answers a41.yaml -o plain
check "plain --answers, running cluster without encryption: refused with one line" refused plain
check "plain --answers: the line says the staged path is the default, enable or --one-shot" \
  grep -q "runs without encryption.*staged rollout is the default; run k8tls-wizard enable --answers FILE -o DIR (phase accept.*--one-shot" plain.err
check "plain --answers: nothing written" [ ! -e plain ]
w once --answers a41.yaml --one-shot -o once
check "plain --answers --one-shot: written (exit 0)" [ "$(rc once)" = 0 ]
check "--one-shot: the maintenance-window warning" \
  grep -q "warning: one shot: .*plan a maintenance window" once.err
check "--one-shot: the target at once, no optional, no phase annotation" \
  q once/$M 'so["internode_encryption"] == "all" and "optional" not in so and co["optional"] is False and ph is None'
check "--one-shot: the answers say oneShot" q once/answers.yaml 'd["rollout"] == {"mode": "oneShot"}'
w replay --answers once/answers.yaml -o replay
check "its answers replay one shot without --one-shot (warning again)" \
  sh -c "[ \"\$(cat replay.rc)\" = 0 ] && grep -q 'warning: one shot' replay.err && cmp -s once/$M replay/$M"
check "one shot: NEXT-STEPS no longer advises optional: true then a roll" \
  sh -c "! grep -q 'first add' once/NEXT-STEPS.md && grep -q 'maintenance window' once/NEXT-STEPS.md"
en eonce --answers a41.yaml --one-shot -o eonce
check "enable --one-shot: the same one-shot manifest" \
  sh -c "[ \"\$(cat eonce.rc)\" = 0 ] && grep -q 'warning: one shot' eonce.err && cmp -s once/$M eonce/$M"
answers as41.yaml c41.yaml "rollout: {mode: staged}"
w staged --answers as41.yaml -o staged
check "plain --answers with rollout.mode staged: the phase due is written" \
  q staged/$M 'ph == "accept" and so["internode_encryption"] == "dc"'
answers asend.yaml c41.yaml "rollout: {mode: staged, phase: send}"
w sendplain --answers asend.yaml -o sendplain
check "plain --answers with rollout.phase send before accept: refused with one line" refused sendplain
w dseplain --answers adse.yaml -o dseplain
check "plain --answers, DSE: one line, the staged refusal naming --one-shot" \
  sh -c "[ \"\$(cat dseplain.rc)\" = 1 ] && [ \"\$(wc -l < dseplain.err)\" = 1 ] && grep -q 'serverType dse.*--one-shot' dseplain.err"
w dseonce --answers adse.yaml --one-shot -o dseonce
check "DSE --one-shot: written" [ "$(rc dseonce)" = 0 ]

# ---- NEXT-STEPS.md of the first phase ----------------------------------------------------------
N=acc41/NEXT-STEPS.md
check "NEXT-STEPS: phase 1 of 4 and its title" grep -q "Staged rollout, phase 1 of 4: accept" $N
check "NEXT-STEPS: the internode change none -> dc" \
  grep -qF '| `server_encryption_options.internode_encryption` | `none` | `dc` |' $N
check "NEXT-STEPS: the next command" grep -qF "k8tls-wizard enable --from <this directory> --phase send -o NEWDIR" $N
check "NEXT-STEPS: wait for every pod and CassandraDatacenter" \
  grep -qF "kubectl -n cass get pods -l cassandra.datastax.com/cluster=demo" $N
check "NEXT-STEPS without Reaper and Medusa: nothing to pause" \
  sh -c "! grep -q 'Pause Reaper' $N && ! grep -q 'Take no Medusa backup' $N"
{ cat c41.yaml; echo "  reaper: {}"; echo "  medusa:"; echo "    storageProperties: {storageProvider: s3, bucketName: b, storageSecretRef: {name: s}}"; } > rm41.yaml
answers arm41.yaml rm41.yaml
en rm41 --answers arm41.yaml -o rm41
check "with Reaper and Medusa: accept written" [ "$(rc rm41)" = 0 ]
check "C1 with Reaper: pause its repair schedules" grep -q "Pause Reaper's repair schedules" rm41/NEXT-STEPS.md
check "C1 with Medusa: take no backup" grep -q "Take no Medusa backup" rm41/NEXT-STEPS.md
manifest c311d.yaml cassandra 3.11.17 dc1:3
answers a311d.yaml c311d.yaml "encryption: {internode: {mode: dc}}"
en d311 --answers a311d.yaml -o d311
check "3.11 target dc: accept then clients-required (phase 1 of 2)" grep -q "phase 1 of 2" d311.err
check "3.11 NEXT-STEPS before clients-required: the user confirms (no clientstats)" \
  grep -q "Cassandra 3.11 cannot list its client connections" d311/NEXT-STEPS.md
check "3.11 NEXT-STEPS: the next command carries --clients-use-tls" \
  grep -qF -- "--phase clients-required --clients-use-tls -o NEWDIR" d311/NEXT-STEPS.md

# ---- usage errors: exit 2 -----------------------------------------------------------------------
usage() { n=$1; shift; en "$n" "$@"; [ "$(rc "$n")" = 2 ] && grep -q -- "$USAGE_MSG" "$n.err"; }
USAGE_MSG="say where to start from"; check "enable alone: usage (exit 2)" usage u1
USAGE_MSG="--apply needs --from-context"; check "--apply without --from-context: usage" usage u2 --answers a41.yaml -o u2 --apply
USAGE_MSG="--one-shot writes the target in one step"; check "--one-shot with --from: usage" usage u3 --from acc41 --one-shot -o u3
USAGE_MSG="--from needs --phase"; check "--from without --phase nor --from-context: usage" usage u4 --from acc41 -o u4
USAGE_MSG="is not a phase"; check "--phase later: usage" usage u5 --answers a41.yaml --phase later -o u5
USAGE_MSG="--output DIR"; check "--answers without --output: usage" usage u6 --answers a41.yaml
en h --help
check "enable --help: exit 0, names every phase" \
  sh -c "[ \"\$(cat h.rc)\" = 0 ] && grep -q clients-required h.out && grep -q -- --clients-use-tls h.out"

# a new cluster has no phases
answers anew.yaml '""'
en rnew --answers anew.yaml -o rnew
check "no manifest: refused with one line" refused rnew
finish
