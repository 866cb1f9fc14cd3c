#!/bin/sh
# SPEC 11 C6: a CA rotation with trustManager: true, made by the real `k8tls-wizard rotate` and
# acted on by cert-manager and trust-manager (emulate.py). The wizard's cert-manager output
# (ECDSA, ClusterIssuer, trustManager) is issued by emulate.py (p0); renewed by cert-manager
# (same CA, new keys: p9); then `rotate --phase trust|reissue|retire` writes the phases, each
# checked against the CRDs (crd_check.py) and applied over the Secrets of the phase before (they
# persist in the cluster: emulate.py --state): trust (a new CA Certificate and CA Issuer, the
# Bundle sources both CAs), reissue (the leaf Certificates name the new CA Issuer; they are issued
# again as NEXT-STEPS.md says, `cmctl renew` of the names it lists), retire (the Bundle drops the
# old CA). At each step the nodes are laid out from the K8ssandraCluster's refs (cells.py:
# truststores from the Bundle's Secret; the phases do not change the K8ssandraCluster, so the
# one applied with p0 stays) and a node of one phase must complete mTLS with a node of the next,
# both ways (RotatePeer.java, stores loaded as Cassandra loads them), and Medusa (Python ssl, the
# three keys as the K8ssandraCluster maps them) of one phase with a node of the next
# (medusa_mixed.py). The Bundle's Secret holds both CAs during the overlap. Without the Bundle,
# cert-manager's own truststore (one CA, FACTS 2) breaks the mixed state: shown, as is p0
# against p3.
. "$K8TLS_SRCDIR/tests/lib.sh"
need keytool java javac openssl timeout
"$PY" -c 'import cryptography, yaml' 2>/dev/null || { echo "FAIL: $PY lacks cryptography/yaml"; exit 1; }
CM="$K8TLS_SRCDIR/tests/certmanager"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

printf '%s\n' 'apiVersion: k8tls-wizard/v1' 'cluster: {name: prod, namespace: cass}' \
  'ca: {key: {algorithm: ecdsa, curve: P-256}}' \
  'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}' > plan.yaml
timeout 120 "$K8TLS_BIN" --answers plan.yaml --output out0 > out0.log 2>&1
check "the wizard writes the cert-manager output with a Bundle" sh -c 'ls out0/manifests/17-bundle-*.yaml >/dev/null 2>&1'

# every phase directory of the real binary, each object against its CRD
CRDS="$K8TLS_SRCDIR/tests/reference/cert-manager"
K8C="$K8TLS_SRCDIR/tests/reference/k8ssandraclusters.crd.yaml"
crd() { # N: out$N against the CRDs
  "$PY" "$CM/crd_check.py" "$CRDS" "$K8C" "out$1" > "crd$1.log" 2>&1
  rc=$?
  check "p$1: every object valid against its CRD ($(grep -c '^ok:' "crd$1.log") objects)" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "crd$1.log" | sed 's/^/    /'
}
# rotate --phase P: the real binary writes phase directory N from phase directory N-1
phase() { # N FROM PHASE
  timeout 120 "$K8TLS_BIN" rotate --from "$2" --phase "$3" -o "out$1" > "rot$1.log" 2>&1
  rc=$?
  check "p$1: rotate --phase $3 exits 0" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || sed 's/^/    /' "rot$1.log"
  check "p$1: rotation.yaml says $3" grep -qx "phase: $3" "out$1/rotation.yaml"
  crd "$1"
}
k8c=out0
step() { # N OUT [emulate.py options]: emulate, lay the node out as cellN
  n=$1; o=$2; shift 2
  "$PY" "$CM/emulate.py" "$@" "$o" "e$n" > "e$n.log" 2>&1
  rc=$?
  check "p$n: cert-manager and trust-manager (emulated) sync every object" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "e$n.log" | sed 's/^/    /'
  # the K8ssandraCluster in the cluster: the phase's if it writes one, else the one applied before
  ! ls "$o"/manifests/*k8ssandracluster*.yaml > /dev/null 2>&1 || k8c=$o
  "$PY" "$CM/cells.py" "$k8c" "e$n" "cell$n" > "cell$n.log" 2>&1
  rc=$?
  check "p$n: every ref of the K8ssandraCluster resolves" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "cell$n.log" | sed 's/^/    /'
}
crd 0
step 0 out0
renew=""
for f in out0/manifests/15-certificate-*.yaml; do
  renew="$renew --renew $(sed -n 's/^  name: //p' "$f" | head -1)"
done
# a renewal by cert-manager (same CA; rotationPolicy Always: new keys, FACTS 5)
# shellcheck disable=SC2086
step 9 out0 --state e0 $renew
check "renew: a new private key (rotationPolicy Always)" sh -c "! cmp -s e0/secrets/cass/server-encryption-stores/tls.key e9/secrets/cass/server-encryption-stores/tls.key"

phase 1 out0 trust
step 1 out1 --state e0
new_issuer=$(sed -n 's/^newCaIssuer: //p' out1/rotation.yaml)
new_secret=$(sed -n 's/^    secretName: //p' "out1/manifests/13-issuer-$new_issuer.yaml")
check "trust: the new CA Issuer ($new_issuer) signs with a CA Secret of its own ($new_secret)" \
  sh -c "[ -n '$new_issuer' ] && [ -n '$new_secret' ] && [ -s 'e1/secrets/cert-manager/$new_secret/tls.crt' ]"

phase 2 out1 reissue
# issued again as NEXT-STEPS.md says: cmctl renew NAME... (one --renew per name)
names=$(sed -n 's/^cmctl renew -n [^ ]* //p' out2/NEXT-STEPS.md)
"$PY" - out2 "$new_issuer" > leaves2 <<'PYEOF'
import glob, sys, yaml
for f in sorted(glob.glob(sys.argv[1] + "/manifests/15-certificate-*.yaml")):
    o = yaml.safe_load(open(f))
    if o["spec"]["issuerRef"]["name"] == sys.argv[2]:
        print(o["metadata"]["name"])
PYEOF
check "reissue: NEXT-STEPS.md's cmctl renew names every leaf Certificate of the new CA Issuer ($(wc -l < leaves2))" \
  sh -c "[ -s leaves2 ] && [ \"\$(printf '%s\n' $names | sort)\" = \"\$(sort leaves2)\" ]"
renew=""
for n in $names; do renew="$renew --renew $n"; done
# shellcheck disable=SC2086
step 2 out2 --state e1 $renew
bad=""
for n in $(cat leaves2); do
  grep -q "^    cert-manager.io/issuer-name: $new_issuer\$" "e2/secrets/cass/$n.yaml" || bad="$bad $n"
  openssl verify -CAfile "e1/secrets/cert-manager/$new_secret/tls.crt" "e2/secrets/cass/$n/tls.crt" \
    > /dev/null 2>&1 || bad="$bad $n(verify)"
done
check "reissue: every leaf Secret is signed by the new CA and names its Issuer (openssl verify)${bad:+:$bad}" \
  [ -z "$bad" ]

phase 3 out2 retire
step 3 out3 --state e2

# the Bundle's truststore over the phases: 1 CA, 2, 2, 1 (keytool, the password the cluster names)
expect="0:1 1:2 2:2 3:1"
for e in $expect; do
  n=${e%%:*}; want=${e#*:}
  keytool -list -storetype "$(cat cell$n/store_type)" -keystore cell$n/server/truststore \
    -storepass:file cell$n/server/truststore-password > ts$n.out 2>&1
  check "p$n: the Bundle's truststore holds $want CA(s) (keytool)" sh -c "[ \$(grep -c trustedCertEntry ts$n.out) -eq $want ]"
done
check "p1: the old node's keystore is still signed by the old CA (kept, not reissued)" \
  cmp -s cell0/server/keystore cell1/server/keystore
check "p2: the leaves were renewed" sh -c "! cmp -s cell1/server/keystore cell2/server/keystore"

# cert-manager's own truststore of the reissued Certificate (ca.crt only: the new CA)
mkdir -p own2
cp cell2/server/keystore cell2/server/keystore-password own2/
cp e2/secrets/cass/server-encryption-stores/truststore.p12 own2/truststore
cp cell2/server/keystore-password own2/truststore-password

mkdir classes
check "RotatePeer.java compiles" javac -d classes "$K8TLS_SRCDIR/tests/rotate/RotatePeer.java"
cases="" serve="" pycases=""
for w in server client; do
  cases="$cases ok:renew-$w:cell0/$w:cell9/$w"
  cases="$cases ok:trust-$w:cell0/$w:cell1/$w ok:reissue-$w:cell1/$w:cell2/$w ok:retire-$w:cell2/$w:cell3/$w"
done
cases="$cases fail:p0-vs-p3:cell0/server:cell3/server fail:without-bundle:cell1/server:own2"
add_medusa() { # expect name node-cell medusa-cell
  serve="$serve $2=$3/client"
  pycases="$pycases $1:$2:$4/medusa"
}
add_medusa ok renew-new-medusa cell0 cell9
add_medusa ok renew-old-medusa cell9 cell0
add_medusa ok trust-new-medusa cell0 cell1
add_medusa ok trust-old-medusa cell1 cell0
add_medusa ok reissue-new-medusa cell1 cell2
add_medusa ok reissue-old-medusa cell2 cell1
add_medusa ok retire-new-medusa cell2 cell3
add_medusa ok retire-old-medusa cell3 cell2
# shellcheck disable=SC2086
java -XX:TieredStopAtLevel=1 -cp classes RotatePeer "$(cat cell0/store_type)" $cases --serve ports $serve \
  > java.out 2>&1 &
jpid=$!
# shellcheck disable=SC2086
timeout 300 "$PY" "$K8TLS_SRCDIR/tests/rotate/medusa_mixed.py" ports $pycases > py.out 2>&1
wait $jpid
for ph in renew trust reissue retire; do
  for w in server client; do
    for dir in "A serves, B connects" "B serves, A connects"; do
      check "$ph, $w stores: a node of the previous phase and one of the next complete mTLS ($dir)" \
        grep -q "^ok: $ph-$w ($dir): TLS" java.out
    done
  done
  check "$ph: Medusa of the next phase talks to a node of the previous one" grep -q "^ok: medusa $ph-new-medusa: TLSv1.2" py.out
  check "$ph: Medusa of the previous phase talks to a node of the next one" grep -q "^ok: medusa $ph-old-medusa: TLSv1.2" py.out
done
check "p0 against p3 (no common CA) fails, both ways" sh -c "[ \$(grep -c '^ok: p0-vs-p3 (.*refused' java.out) -eq 2 ]"
check "a reissued node with cert-manager's own truststore (one CA) refuses an old node" \
  sh -c "[ \$(grep -c '^ok: without-bundle (.*refused' java.out) -eq 2 ]"
grep -h '^FAIL' java.out py.out | sed 's/^/    /'
finish
