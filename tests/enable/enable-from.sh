#!/bin/sh
# k8tls-wizard enable --from DIR --phase P -o NEWDIR: every phase of the staged rollout after the
# first, per server version (doc/staged-rollout.md 3.2, 3.3, 3.5), from the previous phase's
# directory. Each phase keeps the CA (the same SHA-256 fingerprint by openssl and by inspect),
# the stores and their passwords (the same bytes), and writes its own cassandraYaml values; a
# phase out of order, clients-required without the clients' confirmation, a finished rollout and
# a directory that is no phase are refused with one line, nothing written.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl cmp
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
. "$K8TLS_SRCDIR/tests/enable/lib-enable.sh"
fp() { openssl x509 -in "$1/ca/rootca.crt" -noout -fingerprint -sha256 | cut -d= -f2; }
# same_material A B: CA, CA key, every store file and password, every Secret manifest: same bytes
same_material() {
  for f in ca/rootca.crt ca/rootca.key $(cd "$1" && find stores manifests -type f -name '*' | grep -v 20-k8ssandracluster); do
    cmp -s "$1/$f" "$2/$f" || { echo "    differs: $f"; return 1; }
  done
}

# ---- Cassandra 4.1, one datacenter: accept, send, enforce, clients-required (3.3, 3.1) --------
manifest c41.yaml cassandra 4.1.5 dc1:3
answers a41.yaml c41.yaml
en p1 --answers a41.yaml -o p1
check "4.1: accept written" [ "$(rc p1)" = 0 ]
ca1=$(fp p1)

en bad-enforce --from p1 --phase enforce -o bad-enforce
check "4.1 after accept: enforce is refused with one line" refused bad-enforce
check "4.1 after accept: the line names the phase due (send)" \
  grep -q "p1 is at phase accept, so the phase due is send.*run --phase send" bad-enforce.err
check "4.1 after accept: nothing written" [ ! -e bad-enforce ]
en bad-accept --from p1 --phase accept -o bad-accept
check "4.1 after accept: accept again is refused with one line" refused bad-accept

en p2 --from p1 --phase send -o p2
check "4.1: send written from accept" [ "$(rc p2)" = 0 ]
[ "$(rc p2)" = 0 ] || show p2.err
check "4.1 send: internode all with optional true" \
  q p2/$M 'so["internode_encryption"] == "all" and so["optional"] is True'
check "4.1 send: clients still optional" q p2/$M 'co["enabled"] is True and co["optional"] is True'
check "4.1 send: annotation send" q p2/$M 'ph == "send"'
check "4.1 send: the manifest validates against the CRD" valid p2/$M
check "4.1 send: the same CA fingerprint (openssl)" [ "$(fp p2)" = "$ca1" ]
check "4.1 send: CA, key, stores, passwords and Secrets are the same bytes" same_material p1 p2
check "4.1 send: the answers name the target and the phase" \
  q p2/answers.yaml 'd["rollout"] == {"mode": "staged", "phase": "send"} and d["encryption"]["internode"]["mode"] == "all"'

en p3 --from p2 --phase enforce -o p3
check "4.1: enforce written from send" [ "$(rc p3)" = 0 ]
check "4.1 enforce: internode all with optional false" \
  q p3/$M 'so["internode_encryption"] == "all" and so["optional"] is False'
check "4.1 enforce: the same CA, stores and passwords as accept" same_material p1 p3
# inspect says the same of the CA (SHA-256 of its DER)
(cd p1 && "$K8TLS_BIN" inspect ca/rootca.crt stores/server-encryption-stores/keystore) > i1.txt 2>&1
(cd p3 && "$K8TLS_BIN" inspect ca/rootca.crt stores/server-encryption-stores/keystore) > i3.txt 2>&1
check "4.1 enforce: inspect reports the same CA and server keystore as accept" cmp -s i1.txt i3.txt
check "4.1 enforce: inspect opens the keystore with the kept password" \
  grep -q "ok: the private key matches the certificate" i3.txt

check "4.1 NEXT-STEPS before clients-required: nodetool clientstats --all over TLS" \
  grep -qF 'nodetool --ssl clientstats --all' p3/NEXT-STEPS.md
check "4.1 NEXT-STEPS of send: before enforce, look for unencrypted connections in the logs" \
  grep -q "encryption = unencrypted" p2/NEXT-STEPS.md
check "4.1 NEXT-STEPS of enforce: optional true -> false" \
  grep -qF '| `server_encryption_options.optional` | `true` | `false` |' p3/NEXT-STEPS.md
en cr-noconfirm --from p3 --phase clients-required -o cr-noconfirm
check "4.1: clients-required without --clients-use-tls is refused with one line" refused cr-noconfirm
check "4.1: the line says to run nodetool clientstats --all first" \
  grep -q "nodetool clientstats --all.*--clients-use-tls" cr-noconfirm.err
en p4 --from p3 --phase clients-required --clients-use-tls -o p4
check "4.1: clients-required written after the confirmation" [ "$(rc p4)" = 0 ]
check "4.1 clients-required: clients required, internode strict" \
  q p4/$M 'co["enabled"] is True and co["optional"] is False and so["optional"] is False'
check "4.1 clients-required: says it is the last phase" grep -q "phase 4 of 4.*" p4.err
check "4.1 NEXT-STEPS of the last phase says so" grep -q "This is the last phase" p4/NEXT-STEPS.md
en done --from p4 --phase clients-required --clients-use-tls -o done
check "4.1: after the last phase, nothing is due (one line)" refused done
check "4.1: the line says the rollout is complete" grep -q "staged rollout is complete" done.err

# a phase's manifest given as the running one: the next phase needs its directory (its CA)
answers later.yaml p2/$M
en later --answers later.yaml -o later
check "enable --answers on a manifest at phase send: refused with one line (use --from DIR)" \
  sh -c "[ \"\$(cat later.rc)\" = 1 ] && [ \"\$(wc -l < later.err)\" = 1 ] && grep -q 'is at phase send.*enable --from DIR' later.err"
timeout 120 "$K8TLS_BIN" --answers later.yaml -o later2 > later2.log 2>&1; echo $? > later2.rc
check "the plain --answers run on it: refused the same way" \
  sh -c "[ \"\$(cat later2.rc)\" = 1 ] && grep -q 'is at phase send.*enable --from DIR' later2.log && [ ! -e later2 ]"
# a finished rollout is encryption that is on: changed in place, one shot, as before
answers fin.yaml p4/$M
timeout 120 "$K8TLS_BIN" --answers fin.yaml -o fin > fin.log 2>&1
check "plain --answers on a finished rollout: written in place (exit 0)" [ -f fin/$M ]
check "finished rollout: optional false kept (no restart for it), the phase annotation dropped" \
  q fin/$M 'so["optional"] is False and co["optional"] is False and ph is None'

# ---- Cassandra 5.0: accept, enforce (3.2); there is no send ---------------------------------
manifest c50.yaml cassandra 5.0.2 dc1:3 dc2:2
answers a50.yaml c50.yaml "encryption: {client: {enabled: false}}"
en f1 --answers a50.yaml -o f1
check "5.0 internode only: accept written" [ "$(rc f1)" = 0 ]
check "5.0 accept without client encryption: no client options" q f1/$M 'co is None'
en f-send --from f1 --phase send -o f-send
check "5.0: send is refused (one line, the phase due is enforce)" refused f-send
grep -q "the phase due is enforce" f-send.err || fail "5.0: the refusal names enforce"
en f2 --from f1 --phase enforce -o f2
check "5.0: enforce written" [ "$(rc f2)" = 0 ]
check "5.0 enforce: all, optional false" \
  q f2/$M 'so["internode_encryption"] == "all" and so["optional"] is False'
check "5.0 enforce: the same material" same_material f1 f2
check "5.0 enforce: last phase of 2" grep -q "phase 2 of 2" f2.err

# ---- Cassandra 3.11, one node per rack: dc, rack, all, never optional (3.5) --------------------
manifest c311.yaml cassandra 3.11.17 dc1:3:3
answers a311.yaml c311.yaml "encryption: {client: {optional: true}}"
en e1 --answers a311.yaml -o e1
en e2 --from e1 --phase send -o e2
en e3 --from e2 --phase enforce -o e3
check "3.11: accept, send, enforce written" [ "$(rc e1)$(rc e2)$(rc e3)" = 000 ]
check "3.11 accept: dc" q e1/$M 'so["internode_encryption"] == "dc" and "optional" not in so'
check "3.11 send: rack" q e2/$M 'so["internode_encryption"] == "rack" and "optional" not in so'
check "3.11 enforce: all" q e3/$M 'so["internode_encryption"] == "all" and "optional" not in so'
check "3.11 target clients optional: no clients-required phase (3 of 3)" grep -q "phase 3 of 3" e3.err
check "3.11: the same material through the three phases" same_material e1 e3

# ---- every other TLS surface (Medusa, management API, Reaper, Medusa gRPC) is kept too -------------
{ cat c41.yaml; echo "  reaper: {}"; echo "  medusa:"
  echo "    storageProperties: {storageProvider: s3, bucketName: b, storageSecretRef: {name: s}}"; } > rm.yaml
answers arm.yaml rm.yaml "encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}"
en m1 --answers arm.yaml -o m1
en m2 --from m1 --phase send -o m2
check "all surfaces: accept and send written" [ "$(rc m1)$(rc m2)" = 00 ]
[ "$(rc m2)" = 0 ] || show m2.err
all_same() {
  n=0
  for f in $(cd m1 && find . -type f ! -name NEXT-STEPS.md ! -name answers.yaml ! -name 20-k8ssandracluster.yaml); do
    n=$((n + 1)); cmp -s "m1/$f" "m2/$f" || { echo "    differs: $f"; return 1; }
  done
  [ "$n" -ge 30 ] || { echo "    only $n files"; return 1; }
}
check "all surfaces: every file but the manifest, answers and NEXT-STEPS is the same bytes" all_same
check "all surfaces: the same file list" sh -c "[ \"\$(cd m1 && find . | sort)\" = \"\$(cd m2 && find . | sort)\" ]"

# ---- directories that are no phase ---------------------------------------------------------
answers one.yaml c41.yaml
timeout 120 "$K8TLS_BIN" --answers one.yaml --one-shot -o oneshot > oneshot.log 2>&1
en r-one --from oneshot --phase send -o r-one
check "a one-shot output directory is refused as a phase" [ "$(rc r-one)" = 1 ]
check "it says to start with enable --answers" grep -q "not a phase of a staged rollout" r-one.err
timeout 120 "$K8TLS_BIN" rotate --from p3 --phase renew -o renewed -q > renewed.log 2>&1
en r-rot --from renewed --phase clients-required --clients-use-tls -o r-rot
check "a rotate phase's directory (Secrets only) is refused as a phase, saying why" \
  sh -c "[ \"\$(cat r-rot.rc)\" = 1 ] && grep -q 'holds no K8ssandraCluster.*rotate when the rollout is complete' r-rot.err"
en r-none --from nosuchdir --phase send -o r-none
check "a missing directory is refused (exit 1)" [ "$(rc r-none)" = 1 ]
finish
