#!/bin/sh
# The staged rollout's phase matrix (issue 15, doc/staged-rollout.md section 4.5).
#
# This test EMULATES Cassandra's TLS negotiation as read in doc/staged-rollout.md section 1
# (tests/staged/CassandraPeer.java); it does not run Cassandra, the operator or a rolling restart.
# The emulated nodes are configured from the wizard's real phase bundles (`k8tls-wizard enable`):
# tests/staged/staged_matrix.py reads each bundle's manifests/20-k8ssandracluster.yaml
# (cassandraYaml encryption options, serverVersion, datacenters and racks) and its Secret
# manifests (the stores the operator mounts), so the test judges the bundle, not a hand-written
# configuration.
#
# For each version and topology, from each phase N to N+1 (O runs N's bundle, R N+1's): every
# ordered pair of distinct pods in the roles (O,O), (O,R), (R,O), (R,R) must connect internode
# (A's outbound to B's inbound); a plain client connects to O and R until clients-required and
# is refused by R after it; a TLS client connects to every pod from the first phase (C1) on and is
# refused by a pod still "before". Negative controls: the one-shot bundle from "before" fails
# the (O,R) and (R,O) pairs (issue 15's outage), and skipping a phase fails where section 3 says.
. "$K8TLS_SRCDIR/tests/lib.sh"
need java javac timeout
"$PY" -c 'import yaml' 2>/dev/null || { echo "FAIL: $PY lacks yaml"; exit 1; }
S="$K8TLS_SRCDIR/tests/staged"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
mkdir classes
javac -d classes "$S/CassandraPeer.java" > javac.log 2>&1 || { fail "CassandraPeer.java compiles"; cat javac.log; finish; exit 1; }

# manifest NAME VERSION DATACENTERS...: the running cluster, without encryption; a datacenter is
# NAME:SIZE[:RACK,RACK...].
manifest() {
  n=$1 v=$2; shift 2
  { printf '%s\n' "apiVersion: k8ssandra.io/v1alpha1" "kind: K8ssandraCluster" "metadata:" \
      "  name: demo" "  namespace: k8ssandra-operator" "spec:" "  cassandra:" \
      "    serverVersion: \"$v\"" "    config:" "      jvmOptions:" "        heapSize: 512M" \
      "    datacenters:"
    for d in "$@"; do
      IFS=: read -r dn size racks <<EOF
$d
EOF
      printf '%s\n' "      - metadata:" "          name: $dn" "        size: $size"
      if [ -n "$racks" ]; then
        echo "        racks:"
        echo "$racks" | tr ',' '\n' | while read -r r; do echo "          - name: $r"; done
      fi
    done; } > "$n.yaml"
  printf '%s\n' "apiVersion: k8tls-wizard/v1" "cluster:" "  manifest: $n.yaml" \
    "ca: {key: {algorithm: ecdsa, curve: P-256}}" > "$n.answers.yaml"
}
# target NAME LINE: add LINE (the target encryption) to NAME's answers
target() { echo "$2" >> "$1.answers.yaml"; }

# phases NAME PHASE...: the first phase from the answers file, each next one from the previous
# bundle; NAME-PHASE/ is the bundle. Returns 1 at the first phase the wizard does not write.
phases() {
  n=$1; shift
  prev=""
  for p in "$@"; do
    # clients-required takes the user's confirmation that every client uses TLS
    confirm=""
    [ "$p" = clients-required ] && confirm=--clients-use-tls
    if [ -z "$prev" ]; then
      timeout 120 "$K8TLS_BIN" enable --answers "$n.answers.yaml" --phase "$p" -o "$n-$p" > "$n-$p.log" 2>&1
    else
      timeout 120 "$K8TLS_BIN" enable --from "$prev" --phase "$p" $confirm -o "$n-$p" > "$n-$p.log" 2>&1
    fi
    rc=$?
    if [ "$rc" -ne 0 ] || [ ! -f "$n-$p/manifests/20-k8ssandracluster.yaml" ]; then
      fail "$n: k8tls-wizard enable --phase $p writes a bundle (exit $rc)"; sed 's/^/    | /' "$n-$p.log"
      return 1
    fi
    pass "$n: k8tls-wizard enable --phase $p writes a bundle"
    # the phase marker on the K8ssandraCluster (the answers' name: clientsRequired)
    a=$p; [ "$p" = clients-required ] && a=clientsRequired
    check "$n-$p: the K8ssandraCluster is annotated k8tls-wizard/rollout-phase: $a" "$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8-sig"))
sys.exit(0 if (d["metadata"].get("annotations") or {}).get("k8tls-wizard/rollout-phase") == sys.argv[2] else 1)' \
      "$n-$p/manifests/20-k8ssandracluster.yaml" "$a"
    prev="$n-$p"
  done
}

# scenario DIR [--clients-off] PHASE=BUNDLE...: the nodes and the plan for the peer.
scenario() {
  d=$1; shift
  o=""; [ "$1" = --clients-off ] && { o=$1; shift; }
  "$PY" "$S/staged_matrix.py" ${o:+"$o"} "sc/$d" "$@" > "sc-$d.log" 2>&1 || { fail "$d: staged_matrix.py"; cat "sc-$d.log"; }
}

# ---- the versions and topologies ------------------------------------------------------------
manifest v50 5.0.2 dc1:3
manifest v50dc2 5.0.2 dc1:2 dc2:2
manifest v41 4.1.7 dc1:3
# with Medusa: its Python client speaks TLS to its own node from the first phase on
sed 's/^spec:$/spec:\
  medusa:\
    storageProperties: {storageProvider: s3_compatible, bucketName: backups}/' v41.yaml > v41.tmp && mv v41.tmp v41.yaml
manifest v40 4.0.14 dc1:3
manifest v311 3.11.17 dc1:3:r1,r2,r3
manifest v311rk 3.11.17 dc1:4:r1,r2
target v311rk "encryption: {internode: {mode: rack}}"
manifest v50dcm 5.0.2 dc1:2 dc2:2
target v50dcm "encryption: {internode: {mode: dc}}"
manifest v41int 4.1.7 dc1:3
target v41int "encryption: {client: {enabled: false}}"
manifest v41cli 4.1.7 dc1:3
target v41cli "encryption: {internode: {mode: none}}"

chains=""
if phases v50 accept enforce clients-required; then
  scenario v50 before=v50.yaml accept=v50-accept enforce=v50-enforce clients-required=v50-clients-required
  chains="$chains v50"
fi
if phases v50dc2 accept enforce clients-required; then
  scenario v50dc2 before=v50dc2.yaml accept=v50dc2-accept enforce=v50dc2-enforce clients-required=v50dc2-clients-required
  chains="$chains v50dc2"
fi
# 5.0, target dc: TLS between the datacenters only (doc 3.2, last point)
if phases v50dcm accept enforce clients-required; then
  scenario v50dcm before=v50dcm.yaml accept=v50dcm-accept enforce=v50dcm-enforce clients-required=v50dcm-clients-required
  chains="$chains v50dcm"
fi
for v in v41 v40; do
  if phases $v accept send enforce clients-required; then
    scenario $v before=$v.yaml accept=$v-accept send=$v-send enforce=$v-enforce clients-required=$v-clients-required
    chains="$chains $v"
  fi
done
if phases v311 accept send enforce clients-required; then
  scenario v311 before=v311.yaml accept=v311-accept send=v311-send enforce=v311-enforce clients-required=v311-clients-required
  chains="$chains v311"
fi
# internode only (no client phases), client only (no internode phases)
if phases v41int accept send enforce; then
  scenario v41int --clients-off before=v41int.yaml accept=v41int-accept send=v41int-send enforce=v41int-enforce
  chains="$chains v41int"
fi
if phases v41cli accept clients-required; then
  scenario v41cli before=v41cli.yaml accept=v41cli-accept clients-required=v41cli-clients-required
  chains="$chains v41cli"
fi
# racks of several nodes: the staged path stops at `rack` (doc 3.5)
if phases v311rk accept send clients-required; then
  scenario v311rk before=v311rk.yaml accept=v311rk-accept send=v311rk-send clients-required=v311rk-clients-required
  chains="$chains v311rk"
fi

# ---- negative controls -----------------------------------------------------------------------
# the one-shot bundle (internode all, clients required: enable --one-shot), from "before"
for v in v50 v41 v311; do
  if timeout 120 "$K8TLS_BIN" enable --answers "$v.answers.yaml" --one-shot -o "$v-oneshot" > "$v-oneshot.log" 2>&1; then
    scenario "$v-oneshot" before=$v.yaml oneShot=$v-oneshot
  else
    fail "$v: the one-shot bundle is written"; sed 's/^/    | /' "$v-oneshot.log"
  fi
done
# the peer's own rules, one per fact of doc/staged-rollout.md section 1, with hand-written
# options and the one-shot bundle's stores: each refuses where that section says it does
if [ ! -d v41-oneshot ]; then
  fail "the peer's self-test needs the v41 one-shot bundle's stores"
elif ! "$PY" "$S/staged_matrix.py" --selftest sc/selftest v41-oneshot > sc-selftest.log 2>&1; then
  fail "staged_matrix.py --selftest"; cat sc-selftest.log
fi
# skipping a phase: 4.1 none -> all, optional: true; 5.0 none -> all strict; 3.11 none -> rack
[ -d v41-send ] && scenario v41-skip before=v41.yaml send=v41-send
[ -d v50-enforce ] && scenario v50-skip before=v50.yaml enforce=v50-enforce
[ -d v311-send ] && scenario v311-skip before=v311.yaml send=v311-send
# and from the first phase: 4.1 dc -> all strict; 3.11 dc -> all
[ -d v41-enforce ] && scenario v41-skip2 accept=v41-accept enforce=v41-enforce
[ -d v311-enforce ] && scenario v311-skip2 accept=v311-accept enforce=v311-enforce

# ---- one JVM for every scenario --------------------------------------------------------------
ls -d sc/* > /dev/null 2>&1 || { fail "no scenario to run"; finish; exit 1; }
t0=$(date +%s)
timeout 300 java -XX:TieredStopAtLevel=1 -cp classes CassandraPeer --native-ports ports sc/* > peer.out 2>&1 &
jpid=$!
timeout 360 "$PY" "$S/medusa_tls.py" ports sc/* > medusa.out 2>&1
wait $jpid
echo "CassandraPeer exit $? in $(( $(date +%s) - t0 )) s ($(grep -c '^ok: ' peer.out) ok, $(grep -c '^FAIL: ' peer.out) FAIL lines)"
sed 's/^/    /' medusa.out
grep '^node: ' peer.out | sed 's/^/    /'

# lines NAME PATTERN: the peer's result lines of scenario NAME matching PATTERN (grep -E)
lines() { grep -E "^(ok|FAIL): $1: $2" peer.out; }
count() { lines "$1" "$2" | wc -l | tr -d ' '; }
plan_count() { grep -c "	label=$2" "sc/$1/plan.txt"; }

# every transition of every chain: all internode pairs connect, the clients as the phase says
for c in $chains; do
  # shellcheck disable=SC2013 # transitions are single words
  for tr in $(sed -n 's/.*label=\([^ ]*\) .*/\1/p' "sc/$c/plan.txt" | awk '!seen[$0]++'); do
    want=$(grep -c "label=$tr internode" "sc/$c/plan.txt")
    got=$(lines "$c" "$tr internode " | grep -c '^ok: ')
    check "$c $tr: all $want internode connections complete (O,O) (O,R) (R,O) (R,R) (got $got)" \
      [ "$got" -eq "$want" -a "$want" -gt 0 ]
    want=$(grep -c "label=$tr [a-zA-Z]* client" "sc/$c/plan.txt")
    got=$(lines "$c" "$tr [a-zA-Z]* client " | grep -c '^ok: ')
    check "$c $tr: the $want client connections are accepted or refused as the phase says (got $got)" \
      [ "$got" -eq "$want" -a "$want" -gt 0 ]
    lines "$c" "$tr " | grep '^FAIL' | sed 's/^/    /'
  done
  [ "$c" = v41int ] && continue   # no client phase: the matrix above checks plain ok, TLS refused
  check "$c: a plain client is refused by R in clients-required" \
    sh -c "grep -E '^ok: $c: [a-z]+->clients-required plain client -> R:[^:]*: refused: ' peer.out | grep -q ."
  check "$c: a TLS client is refused by a pod still before (O in before->accept)" \
    sh -c "grep -E '^ok: $c: before->accept TLS client -> O:[^:]*: refused: ' peer.out | grep -q ."
done

# Medusa (v41): Python's ssl with the Medusa Secret's PEM trio reaches its own node in every
# phase from accept on (3 pods x 4 phases)
case " $chains " in *" v41 "*)
  check "v41: Medusa's Python TLS client connects to its node in every phase from accept (12)" \
    [ "$(grep -c '^ok: v41: medusa (python ssl) -> [a-z-]*/dc1-default-sts-[0-2]: TLSv1.2$' medusa.out)" -eq 12 \
      -a "$(grep -c '^FAIL' medusa.out)" -eq 0 ] ;;
esac
# 5.0: R reaches O (no keystore, RejectSslHandler) through the outbound fallback cycle
for c in v50 v50dc2; do
  case " $chains " in *" $c "*) ;; *) continue ;; esac
  n=$(count "$c" "before->accept internode R:[^ ]* -> O:[^ ]*: ok: plain after SERVER_CONFIG,MTLS,SSL,NO_SSL \(5.0 SSL fallback\)")
  want=$(grep -c 'label=before->accept internode R:[^ ]* -> O:' "sc/$c/plan.txt")
  check "$c: before->accept R->O connects plain after the fallback cycle, all $want pairs (got $n)" [ "$n" -eq "$want" ]
done
case " $chains " in *" v50dcm "*)
  check "v50dcm: before->accept R->O across datacenters connects after the fallback cycle (8 pairs)" \
    [ "$(count v50dcm "before->accept internode R:dc(1[^ ]* -> O:dc2|2[^ ]* -> O:dc1)[^ ]*: ok: plain after SERVER_CONFIG,MTLS,SSL,NO_SSL")" -eq 8 ]
  check "v50dcm: enforce->clients-required stays plain within a datacenter (R,R: 4 pairs)" \
    [ "$(count v50dcm "enforce->clients-required internode R:dc(1[^ ]* -> R:dc1|2[^ ]* -> R:dc2)[^ ]*: ok: plain$")" -eq 4 ] ;;
esac
# 4.x: I1 (dc in one datacenter) changes nothing on the wire; I2 R->O is TLS into O's OptionalSslHandler
for c in v41 v40; do
  case " $chains " in *" $c "*) ;; *) continue ;; esac
  check "$c: before->accept: every internode connection is plain" \
    [ "$(count "$c" "before->accept internode [^ ]* -> [^ ]*: ok: plain$")" -eq "$(plan_count "$c" "before->accept internode")" ]
  check "$c: accept->send R->O is TLS" \
    [ "$(count "$c" "accept->send internode R:[^ ]* -> O:[^ ]*: ok: TLSv1")" -eq 6 ]
done
# 3.11, one node per rack: rack -> all, R sends TLS to O's ssl_storage_port
case " $chains " in *" v311 "*)
  check "v311: send->enforce O->R is TLS to ssl_storage_port (other rack)" \
    [ "$(count v311 "send->enforce internode O:[^ ]* -> R:[^ ]*: ok: TLSv1.* to ssl_storage_port")" -eq 6 ] ;;
esac
# 3.11 racks of several nodes: rack-mates stay plain at `rack`
case " $chains " in *" v311rk "*)
  check "v311rk: accept->send rack-mates O->R stay plain to storage_port" \
    [ "$(count v311rk "accept->send internode O:dc1-(r[12])-sts-[01] -> R:dc1-\\2-sts-[01]: ok: plain to storage_port")" -eq 4 ] ;;
esac

if [ -d sc/selftest ]; then
  want=$(grep -c . sc/selftest/plan.txt)
  check "selftest: the peer accepts and refuses as section 1 says, $want rules" \
    [ "$(lines selftest "" | grep -c '^ok: ')" -eq "$want" ]
  lines selftest "" | grep '^FAIL' | sed 's/^/    /'
  check "selftest: a 3.11 node with server_encryption_options.optional does not start" \
    grep -q '^node: selftest: 311-all-opt (3.11, dc1/r1): does not start: Invalid yaml: server_encryption_options.optional' peer.out
fi

# one-shot from before: exactly the (O,R) and (R,O) pairs fail (issue 15), (O,O) and (R,R) work
for v in v50 v41 v311; do
  c=$v-oneshot
  [ -d "sc/$c" ] || continue
  cross=$(plan_count "$c" "before->oneShot internode \(O:[^ ]* -> R\|R:[^ ]* -> O\):")
  check "$c: every (O,R) and (R,O) pair fails ($cross pairs)" \
    [ "$(count "$c" "before->oneShot internode (O:[^ ]* -> R|R:[^ ]* -> O):[^ ]*: expected ok, got fail")" -eq "$cross" ]
  check "$c: every (O,O) and (R,R) pair connects" \
    [ "$(count "$c" "before->oneShot internode (O:[^ ]* -> O|R:[^ ]* -> R):[^ ]*: ok: ")" -eq "$cross" ]
  check "$c: a plain client is refused by R" \
    [ "$(count "$c" "before->oneShot plain client -> R:[^ ]*: refused")" -eq 3 ]
done
# skipping a phase
skip() { # NAME PATTERN-OF-FAILING-PAIRS N WHY
  [ -d "sc/$1" ] || return 0
  check "$1: exactly $3 pairs fail: $4" \
    [ "$(count "$1" "[^ ]* internode [^ ]* -> [^ ]*: expected ok, got fail")" -eq "$3" \
      -a "$(count "$1" "[^ ]* internode $2: expected ok, got fail")" -eq "$3" ]
}
skip v41-skip "R:[^ ]* -> O:[^ ]*" 6 "4.1 none -> all, optional: true: R sends TLS to O (none), no fallback"
skip v50-skip "(R:[^ ]* -> O|O:[^ ]* -> R):[^ ]*" 12 "5.0 none -> all strict: both directions"
skip v311-skip "R:[^ ]* -> O:[^ ]*" 6 "3.11 none -> rack: R sends TLS to O, which has no ssl_storage_port"
skip v41-skip2 "O:[^ ]* -> R:[^ ]*" 6 "4.1 dc -> all strict: O sends plain (dc, one datacenter), R refuses it"
skip v311-skip2 "O:[^ ]* -> R:[^ ]*" 6 "3.11 dc -> all: O sends plain, R has no plain listener"

grep -E '^FAIL: ' peer.out | grep -Ev '^FAIL: v[0-9]+[a-z0-9]*-(oneshot|skip): ' | sed 's/^/    unexpected: /'
finish
