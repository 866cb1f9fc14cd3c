#!/bin/sh
# rotate covers the Secrets of SPEC §10 (M1, R1, R2, G1) like the Cassandra stores: renew gives
# each one a new leaf of the same CA (same CN, SANs, EKUs; PKCS#8 keys; Reaper's JKS with
# changeit); trust puts the old and the new CA in every ca.crt and truststore.jks and keeps the
# leaves byte for byte; reissue signs new leaves with the new CA while both stay trusted; retire
# leaves only the new CA. Checked with openssl, keytool and Python ssl handshakes between the
# Secrets of neighbouring phases (a pod of phase N-1 and one of phase N accept each other).
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl keytool java javac timeout
H="$K8TLS_SRCDIR/tests/rotate/trio_handshake.py"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//'; }
# fingerprints of every certificate of a PEM file, sorted, one line
fps() { awk '/BEGIN/{n++} {print > ("c." n)}' "$1"; for c in c.*; do fp "$c"; done | sort | tr '\n' ' '; rm -f c.*; }
# fingerprints of the trusted entries of a JKS with changeit, sorted, one line
jks_fps() { keytool -list -v -keystore "$1" -storepass changeit 2>/dev/null | sed -n 's/^[[:space:]]*SHA256: //p' | sort | tr '\n' ' '; }
# the key entry's certificate of a JKS (changeit) as PEM
jks_leaf() { keytool -exportcert -rfc -keystore "$1" -storepass changeit -alias "$2" 2>/dev/null; }
hs() { timeout 60 "$PY" "$H" "$@" 2>/dev/null; }
TRIOS="mgmt-api-server-tls mgmt-api-client-tls reaper-api-client-tls medusa-grpc-server-tls medusa-grpc-client-tls"
JKS="reaper-api-server-stores:reaper-api-server reaper-mgmt-api-stores:reaper-mgmt-api-client"

cat > a.yaml <<'A'
apiVersion: k8tls-wizard/v1
cluster: {name: prod, namespace: cass, reaper: {enabled: true}, medusa: {enabled: true}}
ca: {key: {algorithm: ecdsa, curve: P-256}}
encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}
A
timeout 120 "$K8TLS_BIN" --answers a.yaml --output all > all.log 2>&1
check "bundle with every surface written" [ -f all/tls/mgmt-api-server-tls/tls.crt ]
OLD=$(fp all/ca/rootca.crt)

phase() { # FROM PHASE TO
  timeout 120 "$K8TLS_BIN" rotate --from "$1" --phase "$2" --output "$3" -q > "$3.log" 2>&1
}

# ---- renew ----
phase all renew renew
check "renew: written" [ -f renew/rotation.yaml ]
check "renew: the kustomization lists every Secret of the surfaces" \
  sh -c "[ \$(grep -c 'manifests/10-secret-' renew/kustomization.yaml) -eq 10 ]"
for s in $TRIOS; do
  T=renew/tls/$s
  check "renew: $s has a new certificate" \
    sh -c "! cmp -s $T/tls.crt all/tls/$s/tls.crt"
  check "renew: $s new key is PKCS#8 and matches" \
    sh -c "head -1 $T/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----' && [ \"\$(openssl pkey -in $T/tls.key -pubout)\" = \"\$(openssl x509 -in $T/tls.crt -noout -pubkey)\" ]"
  check "renew: $s same subject, SANs and EKU as before" \
    sh -c "[ \"\$(openssl x509 -in $T/tls.crt -noout -subject -ext subjectAltName,extendedKeyUsage)\" = \"\$(openssl x509 -in all/tls/$s/tls.crt -noout -subject -ext subjectAltName,extendedKeyUsage)\" ]"
  check "renew: $s ca.crt unchanged, verifies the new certificate" \
    sh -c "cmp -s $T/ca.crt all/tls/$s/ca.crt && openssl verify -CAfile $T/ca.crt $T/tls.crt >/dev/null 2>&1"
  check "renew: $s Secret is still kubernetes.io/tls" grep -q '^type: kubernetes.io/tls$' renew/manifests/10-secret-$s.yaml
done
for sa in $JKS; do
  s=${sa%%:*}; a=${sa#*:}
  jks_leaf renew/tls/$s/keystore.jks $a > leaf.pem
  jks_leaf all/tls/$s/keystore.jks $a > oldleaf.pem
  check "renew: $s keystore.jks opens with changeit, key entry $a, new certificate of the same CA" \
    sh -c "[ -s leaf.pem ] && ! cmp -s leaf.pem oldleaf.pem && openssl verify -CAfile all/ca/rootca.crt leaf.pem >/dev/null 2>&1"
  check "renew: $s truststore.jks unchanged" cmp -s renew/tls/$s/truststore.jks all/tls/$s/truststore.jks
done
jks_leaf renew/tls/reaper-api-server-stores/keystore.jks reaper-api-server > rs.pem
check "renew: the Reaper server certificate keeps its Service names" \
  sh -c "openssl x509 -in rs.pem -noout -ext subjectAltName | grep -q 'DNS:prod-dc1-reaper-service.cass.svc'"
check "renew: M1 the old server accepts the renewed client" hs all/tls/mgmt-api-server-tls renew/tls/mgmt-api-client-tls
check "renew: M1 the renewed server accepts the old client" hs renew/tls/mgmt-api-server-tls all/tls/mgmt-api-client-tls

# ---- trust ----
phase all trust trust
check "trust: written, with the new CA" [ -f trust/ca/next-rootca.crt ]
NEW=$(fp trust/ca/next-rootca.crt)
BOTH=$(printf '%s\n%s\n' "$OLD" "$NEW" | sort | tr '\n' ' ')
for s in $TRIOS; do
  got=$(fps trust/tls/$s/ca.crt)
  check "trust: $s ca.crt = {old CA, new CA}" [ "$got" = "$BOTH" ]
  check "trust: $s tls.crt and tls.key unchanged, byte for byte" \
    sh -c "cmp -s trust/tls/$s/tls.crt all/tls/$s/tls.crt && cmp -s trust/tls/$s/tls.key all/tls/$s/tls.key"
done
for sa in $JKS; do
  s=${sa%%:*}
  check "trust: $s truststore.jks (changeit) trusts the old and the new CA" \
    [ "$(jks_fps trust/tls/$s/truststore.jks)" = "$BOTH" ]
  check "trust: $s keystore.jks unchanged" cmp -s trust/tls/$s/keystore.jks all/tls/$s/keystore.jks
done

# ---- reissue ----
phase trust reissue reissue
check "reissue: written" [ -f reissue/rotation.yaml ]
for s in $TRIOS; do
  T=reissue/tls/$s
  check "reissue: $s new certificate signed by the new CA" \
    sh -c "openssl verify -CAfile trust/ca/next-rootca.crt $T/tls.crt >/dev/null 2>&1 && ! openssl verify -CAfile all/ca/rootca.crt $T/tls.crt >/dev/null 2>&1"
  check "reissue: $s ca.crt still holds both CAs" [ "$(fps $T/ca.crt)" = "$BOTH" ]
  check "reissue: $s key is PKCS#8" sh -c "head -1 $T/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----'"
done
for sa in $JKS; do
  s=${sa%%:*}; a=${sa#*:}
  jks_leaf reissue/tls/$s/keystore.jks $a > leaf.pem
  check "reissue: $s key entry (changeit) signed by the new CA" \
    sh -c "[ -s leaf.pem ] && openssl verify -CAfile trust/ca/next-rootca.crt leaf.pem >/dev/null 2>&1"
  check "reissue: $s truststore.jks still trusts both" [ "$(jks_fps reissue/tls/$s/truststore.jks)" = "$BOTH" ]
done
# a pod of phase trust and one of phase reissue accept each other
check "M1: trust-phase server accepts the reissued client" hs trust/tls/mgmt-api-server-tls reissue/tls/mgmt-api-client-tls
check "M1: reissued server accepts the trust-phase client" hs reissue/tls/mgmt-api-server-tls trust/tls/mgmt-api-client-tls
check "M1: the reissued server accepts its own certificate (probes)" hs reissue/tls/mgmt-api-server-tls reissue/tls/mgmt-api-server-tls
check "G1: trust-phase gRPC server accepts the reissued client" hs trust/tls/medusa-grpc-server-tls reissue/tls/medusa-grpc-client-tls
check "G1: the reissued gRPC server as its own client, hostname localhost checked" \
  hs reissue/tls/medusa-grpc-server-tls reissue/tls/medusa-grpc-server-tls --hostname localhost
jks_leaf reissue/tls/reaper-api-server-stores/keystore.jks reaper-api-server > rs.pem
check "R1: the reissued Reaper server certificate verifies against the trust-phase client ca.crt" \
  sh -c "[ -s rs.pem ] && openssl verify -CAfile trust/tls/reaper-api-client-tls/ca.crt rs.pem >/dev/null 2>&1"

# Reaper's stores as Reaper loads them (JSSE, changeit) across phases: the trust-phase server
# stores and the reissued management stores against the other side's Secrets of the other phase
mkdir classes && javac -d classes "$K8TLS_SRCDIR/tests/interop/ReaperPeer.java" 2>javac.log
mixed() { rm -f "$t/port.file"; timeout 180 "$PY" "$K8TLS_SRCDIR/tests/rotate/reaper_mixed.py" "$@" classes "$t/port.file" > mixed.log 2>&1; }
check "R1/R2 (JSSE): trust-phase Reaper server stores and reissued management stores work with the other phase's Secrets" \
  mixed trust/tls/reaper-api-server-stores reissue/tls/reaper-mgmt-api-stores trust/tls/mgmt-api-server-tls reissue/tls/reaper-api-client-tls
check "R1/R2 (JSSE): reissued Reaper stores with the trust-phase management API server and Reaper client" \
  mixed reissue/tls/reaper-api-server-stores reissue/tls/reaper-mgmt-api-stores trust/tls/mgmt-api-server-tls trust/tls/reaper-api-client-tls

# ---- retire ----
phase reissue retire retire
check "retire: written" [ -f retire/rotation.yaml ]
for s in $TRIOS; do
  check "retire: $s ca.crt holds only the new CA" [ "$(fps retire/tls/$s/ca.crt)" = "$NEW " ]
  check "retire: $s certificate kept from reissue" cmp -s retire/tls/$s/tls.crt reissue/tls/$s/tls.crt
done
for sa in $JKS; do
  s=${sa%%:*}
  check "retire: $s truststore.jks (changeit) trusts only the new CA" \
    [ "$(jks_fps retire/tls/$s/truststore.jks)" = "$NEW " ]
done
check "M1: the retired server accepts the reissued client" hs retire/tls/mgmt-api-server-tls reissue/tls/mgmt-api-client-tls
check "M1: the retired server refuses a client of the old CA" sh -c "! timeout 60 '$PY' '$H' retire/tls/mgmt-api-server-tls all/tls/mgmt-api-client-tls 2>/dev/null"
check "R1/R2 (JSSE): retired Reaper stores work with the reissued Secrets" \
  mixed retire/tls/reaper-api-server-stores retire/tls/reaper-mgmt-api-stores reissue/tls/mgmt-api-server-tls reissue/tls/reaper-api-client-tls
check "R1/R2 (JSSE): retired Reaper stores refuse the original bundle's Secrets" \
  sh -c "! timeout 180 '$PY' '$K8TLS_SRCDIR/tests/rotate/reaper_mixed.py' retire/tls/reaper-api-server-stores retire/tls/reaper-mgmt-api-stores all/tls/mgmt-api-server-tls all/tls/reaper-api-client-tls classes '$t/port.refuse' >/dev/null 2>&1"
check "G1: the retired gRPC server refuses a client of the old CA" sh -c "! timeout 60 '$PY' '$H' retire/tls/medusa-grpc-server-tls all/tls/medusa-grpc-client-tls 2>/dev/null"

# --new-passwords never touches Reaper's changeit
timeout 120 "$K8TLS_BIN" rotate --from all --phase renew --new-passwords --output newpw -q > newpw.log 2>&1
check "renew --new-passwords: NEXT-STEPS.md says Reaper's stores keep changeit" \
  grep -q "Reaper's stores keep the password changeit" newpw/NEXT-STEPS.md
check "renew --new-passwords: Reaper's stores still open with changeit" \
  sh -c "keytool -list -keystore newpw/tls/reaper-api-server-stores/keystore.jks -storepass changeit >/dev/null 2>&1 && keytool -list -keystore newpw/tls/reaper-mgmt-api-stores/truststore.jks -storepass changeit >/dev/null 2>&1"

# ---- NEXT-STEPS.md: per surface, a rolling restart, a Reaper restart, or nothing ----
N=renew/NEXT-STEPS.md
row() { grep "| \`$1\` | \*\*$2\*\*" "$N" >/dev/null; }
check "renew (Cassandra 4.1): the internode stores need nothing (4.0+ re-reads them)" row server-encryption-stores nothing
check "renew (Cassandra 4.1): the client stores need nothing" row client-encryption-stores nothing
check "renew: nodetool reloadssl offered to do it at once" grep -q 'nodetool reloadssl' "$N"
check "renew: the management API server Secret needs a rolling restart" row mgmt-api-server-tls 'rolling restart'
check "renew: Medusa's gRPC server Secret needs a rolling restart" row medusa-grpc-server-tls 'rolling restart'
check "renew: Reaper's API server stores need a Reaper restart" row reaper-api-server-stores 'restart Reaper'
check "renew: the Reaper restart command names its Deployment" \
  grep -q 'kubectl -n cass rollout restart deployment/prod-dc1-reaper' "$N"
check "renew: Reaper's management stores need nothing (Reaper watches them)" row reaper-mgmt-api-stores nothing
check "renew: the Reaper and gRPC client Secrets need nothing" \
  sh -c "grep -q '| \`reaper-api-client-tls\` | \*\*nothing\*\*' $N && grep -q '| \`medusa-grpc-client-tls\` | \*\*nothing\*\*' $N"
check "renew: a rolling restart is still prescribed (some surfaces need one)" grep -q '^### Rolling restart' "$N"
check "renew: the expiry table lists the surfaces' certificates" \
  sh -c "grep -q 'tls/mgmt-api-server-tls/tls.crt' $N && grep -q 'tls/reaper-mgmt-api-stores/keystore.jks' $N"

mk() { # NAME VERSION SURFACES: a bundle and its renewal
  { echo "apiVersion: k8tls-wizard/v1"
    echo "cluster: {name: prod, namespace: cass, serverVersion: \"$2\", medusa: {enabled: false}}"
    echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"
    echo "encryption: $3"; } > "$1.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$1.yaml" --output "$1" > "$1.log" 2>&1 &&
  phase "$1" renew "$1-renew"
}
mk c41 4.1.12 '{managementApi: {enabled: false}}'
N=c41-renew/NEXT-STEPS.md
check "renew, Cassandra 4.1, stores only: no rolling restart needed" \
  sh -c "grep -q 'No rolling restart of Cassandra is needed' $N && ! grep -q '^### Rolling restart' $N && ! grep -q '\*\*rolling restart\*\*' $N"
check "renew, Cassandra 4.1, stores only: the command line says no rolling restart is needed" \
  grep -q 'next: apply the Secrets in every context; no rolling restart is needed' c41-renew.log
mk c50 5.0.4 '{managementApi: {enabled: false}}'
N=c50-renew/NEXT-STEPS.md
check "renew, Cassandra 5.0: the stores need nothing" row server-encryption-stores nothing
mk c40 4.0.13 '{managementApi: {enabled: false}}'
N=c40-renew/NEXT-STEPS.md
check "renew, Cassandra 4.0: the stores need nothing" row server-encryption-stores nothing
mk c311 3.11.17 '{managementApi: {enabled: false}}'
N=c311-renew/NEXT-STEPS.md
check "renew, Cassandra 3.11: the stores need a rolling restart" row server-encryption-stores 'rolling restart'
check "renew, Cassandra 3.11: the rolling restart is prescribed" grep -q '^### Rolling restart' "$N"
check "renew, Cassandra 3.11: the command line says to restart every pod" grep -q 'restart every pod' c311-renew.log
timeout 120 "$K8TLS_BIN" rotate --from c41 --phase renew --new-passwords --output c41-pw -q > c41-pw.log 2>&1
N=c41-pw/NEXT-STEPS.md
check "renew --new-passwords, Cassandra 4.1: the stores need a rolling restart" row server-encryption-stores 'rolling restart'
N=trust/NEXT-STEPS.md
check "trust: the Cassandra stores need the rolling restart of every phase" row server-encryption-stores 'rolling restart'
check "trust: Reaper's API server stores need a Reaper restart" row reaper-api-server-stores 'restart Reaper'
check "trust: the rolling restart is prescribed" grep -q '^### Rolling restart' "$N"

finish
