#!/bin/sh
# SPEC §10 refusals (R1, R2, R3, G2, and Secret names shared with another Secret): each plan
# exits 1 with its sentence on the key's line and writes nothing; every surface off or on as
# allowed is written.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

refused() { # NAME EXPECTED-STDERR-REGEX ANSWER-LINES...
  n=$1; want=$2; shift 2
  { echo "apiVersion: k8tls-wizard/v1"; echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"
    for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 60 "$K8TLS_BIN" --answers "$n.yaml" --output "$n.out" > "$n.stdout" 2> "$n.err"
  rc=$?
  check "$n: exit 1 (got $rc)" [ $rc -eq 1 ]
  check "$n: says why" grep -q -- "$want" "$n.err"
  [ $rc -eq 1 ] && grep -q -- "$want" "$n.err" || sed 's/^/    /' "$n.err"
  check "$n: writes nothing" [ ! -e "$n.out" ]
}

refused r1-one-way \
  "^r1-one-way.yaml:3:[0-9]*: error: encryption.reaper.clientSecretName: Reaper's API TLS must be mutual: without a client certificate the operator checks Reaper's certificate against its pod's system CAs only" \
  'encryption: {reaper: {enabled: true, clientSecretName: ""}}'
refused r3-no-reaper \
  "^r3-no-reaper.yaml:4:[0-9]*: error: encryption.reaper.enabled: Reaper's API TLS needs Reaper: set cluster.reaper.enabled: true, or encryption.reaper.enabled: false" \
  'cluster: {reaper: {enabled: false}}' 'encryption: {reaper: {enabled: true}}'
refused g2-no-medusa \
  "^g2-no-medusa.yaml:4:[0-9]*: error: encryption.medusaGrpc.enabled: Medusa's gRPC TLS needs Medusa: set cluster.medusa.enabled: true" \
  'cluster: {medusa: {enabled: false}}' 'encryption: {medusa: {enabled: false}, medusaGrpc: {enabled: true}}'
refused r2-half-done \
  "error: encryption.reaper.managementSecretName: with the management API over TLS, Reaper's HTTP management needs its stores, or it speaks plain HTTP to an HTTPS server" \
  'encryption: {managementApi: {enabled: true}, reaper: {managementSecretName: ""}}'
refused shared-name \
  "error: encryption.medusaGrpc.clientSecretName: the Secret name 'mgmt-api-client-tls' is also encryption.managementApi.clientSecretName" \
  'encryption: {managementApi: {enabled: true}, medusaGrpc: {enabled: true, clientSecretName: mgmt-api-client-tls}}'

# allowed: the names that only a refused combination uses may be empty while it is off, and
# the management API without Reaper needs no Reaper stores
printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\ncluster: {reaper: {enabled: false}}\nencryption: {managementApi: {enabled: true}, reaper: {clientSecretName: "", managementSecretName: ""}}\n' > ok.yaml
timeout 60 "$K8TLS_BIN" --answers ok.yaml --output ok.out > ok.stdout 2> ok.err
rc=$?
check "management API without Reaper: written (exit $rc)" [ $rc -eq 0 ]
check "... with no Reaper stores and no httpManagement" \
  sh -c '[ ! -e ok.out/manifests/10-secret-reaper-mgmt-api-stores.yaml ] && ! grep -q httpManagement ok.out/manifests/20-k8ssandracluster.yaml'
finish
