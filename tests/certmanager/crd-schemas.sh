#!/bin/sh
# SPEC 11 C7: every object of the wizard's cert-manager output validates against its CRD: the
# Issuers, ClusterIssuers and Certificates against cert-manager's, the Bundle against
# trust-manager's, the K8ssandraCluster against the operator's (tests/reference/, vendored), with
# objects closed and the CRDs' CEL rules evaluated (crd_check.py, Python jsonschema). Plans: the
# defaults, every surface with JKS and a ClusterIssuer, trustManager, an imported CA, a merge on a
# manifest without a namespace (applied with -n, and issued by emulate.py there). Broken
# copies (a misspelt field, a value outside an enum, a wrong type, two sources in one Bundle
# entry, an unknown kind, a file left out of kustomization.yaml) are each found, by file, line
# and field.
. "$K8TLS_SRCDIR/tests/lib.sh"
need_reference
need timeout openssl
"$PY" -c 'import jsonschema, yaml' 2>/dev/null || { echo "FAIL: $PY lacks jsonschema/yaml"; exit 1; }
CRDS="$K8TLS_SRCDIR/tests/reference/cert-manager"
K8C="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

timeout 120 "$K8TLS_BIN" --defaults --output-mode cert-manager -o defaults > defaults.log 2>&1
check "--defaults --output-mode cert-manager writes an output" [ -f defaults/kustomization.yaml ]
[ -f defaults/kustomization.yaml ] || sed 's/^/    /' defaults.log | head -3
run() { # NAME ANSWER-LINES...
  n=$1; shift
  { echo "apiVersion: k8tls-wizard/v1"; for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$n.yaml" --output "$n" > "$n.log" 2>&1
  check "$n: written" [ -f "$n/kustomization.yaml" ]
  [ -f "$n/kustomization.yaml" ] || sed 's/^/    /' "$n.log"
}
ALL='encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}'
run surfaces 'cluster: {name: prod, namespace: cass}' 'stores: {format: jks}' "$ALL" \
  'output: {mode: cert-manager, issuerKind: ClusterIssuer}'
run trust 'ca: {key: {algorithm: ecdsa, curve: P-384}}' "$ALL" 'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true}'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
  -days 3650 -subj "/CN=imported CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
run imported "ca: {source: import, import: {cert: $t/ca.crt, key: $t/ca.key}}" 'output: {mode: cert-manager}'

# merge mode on an encrypted manifest without a namespace: objects written without one, applied
# in the namespace kustomization.yaml sets or, without it, the one NEXT-STEPS.md's `kubectl apply
# -n` names; checked (and issued by emulate.py) as applied there
timeout 120 "$K8TLS_BIN" --defaults --output plain > plain.log 2>&1
sed '/^  namespace: /d' plain/manifests/20-k8ssandracluster.yaml > nons-manifest.yaml
check "nons: a manifest without a namespace" sh -c "grep -q '^kind: K8ssandraCluster' nons-manifest.yaml && ! grep -q '^  namespace:' nons-manifest.yaml"
run nons "cluster: {manifest: $t/nons-manifest.yaml}" 'output: {mode: cert-manager}'
NS=$(sed -n 's/^namespace: *//p' nons/kustomization.yaml)
[ -n "$NS" ] || NS=$(sed -n 's/^kubectl apply -n \([a-z0-9-]*\) .*/\1/p' nons/NEXT-STEPS.md | head -1)
check "nons: kustomization.yaml or NEXT-STEPS.md names the namespace ($NS)" [ -n "$NS" ]
check "nons: the Certificates are written without a namespace" \
  sh -c "! grep -q '^  namespace:' nons/manifests/15-certificate-server-encryption-stores.yaml"
"$PY" "$K8TLS_SRCDIR/tests/certmanager/crd_check.py" --namespace "$NS" "$CRDS" "$K8C" nons > nons.crd 2>&1
check "nons: every object valid against its CRD, applied in $NS ($(grep -c '^ok:' nons.crd) objects)" [ $? -eq 0 ]
"$PY" "$K8TLS_SRCDIR/tests/certmanager/emulate.py" --namespace "$NS" nons nons.emu > nons.emu.log 2>&1
check "nons: cert-manager (emulated) issues every Certificate, applied in $NS" [ $? -eq 0 ]
cp -r nons nons-bare
sed -i '/^namespace:/d' nons-bare/kustomization.yaml
"$PY" "$K8TLS_SRCDIR/tests/certmanager/crd_check.py" "$CRDS" "$K8C" nons-bare > nons-bare.crd 2>&1
check "nons: ... and applied with no namespace at all, the missing namespace is named" \
  grep -q '^FAIL: .*needs metadata.namespace' nons-bare.crd
# cert-manager and trust-manager installed in another namespace (output.certManagerNamespace):
# the ClusterIssuer's CA and the Bundle's source live there
run cmns 'output: {mode: cert-manager, issuerKind: ClusterIssuer, trustManager: true, certManagerNamespace: cm-system}'
"$PY" "$K8TLS_SRCDIR/tests/certmanager/emulate.py" --cluster-resource-namespace cm-system \
  --trust-namespace cm-system cmns cmns.emu > cmns.emu.log 2>&1
check "cmns: issued by a cert-manager and a trust-manager running in cm-system" [ $? -eq 0 ]
"$PY" "$K8TLS_SRCDIR/tests/certmanager/emulate.py" cmns cmns.emu2 > cmns.emu2.log 2>&1
check "cmns: ... but not by ones running in cert-manager (the CA Secret is elsewhere)" \
  grep -q 'SecretMissing: Referenced secret cert-manager/' cmns.emu2.log
for n in defaults surfaces trust imported cmns; do
  "$PY" "$K8TLS_SRCDIR/tests/certmanager/crd_check.py" "$CRDS" "$K8C" "$n" > "$n.crd" 2>&1
  rc=$?
  check "$n: every object valid against its CRD ($(grep -c '^ok:' "$n.crd") objects)" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -v '^ok:' "$n.crd" | sed 's/^/    /'
done
# what the output holds (C1, C2, C6): the kinds crd_check.py saw
check "defaults: a self-signed Issuer, the CA Certificate, the CA Issuer" \
  sh -c "[ \$(grep -c '^ok: .* Issuer/' defaults.crd) -eq 2 ] && grep -q '^ok: .*12-certificate-.* Certificate/' defaults.crd"
check "defaults: Certificates and a K8ssandraCluster" \
  sh -c "[ \$(grep -c '^ok: .*15-certificate-.* Certificate/' defaults.crd) -ge 3 ] && grep -q '^ok: .* K8ssandraCluster/' defaults.crd"
check "surfaces: ClusterIssuers" sh -c "[ \$(grep -c '^ok: .* ClusterIssuer/' surfaces.crd) -eq 2 ]"
check "surfaces: a Certificate per SPEC 10 Secret too (>= 10)" \
  sh -c "[ \$(grep -c '^ok: .*15-certificate-.* Certificate/' surfaces.crd) -ge 10 ]"
check "trust: a trust-manager Bundle" grep -q '^ok: .* Bundle/.*trust.cert-manager.io/v1alpha1' trust.crd
check "imported: the CA Secret and no CA Certificate" \
  sh -c "! grep -q '12-certificate-' imported.crd && grep -q '^ok: .* Issuer/' imported.crd"

# ---- broken copies: each found, by file, line and field ---------------------------------------
broken() { # NAME FILE-GLOB SED-EXPR EXPECTED-REGEX (of a FAIL line)
  n=$1; rm -rf "$n"; cp -r "$5" "$n"
  f=$(ls $n/$2 | head -1)
  sed -i "$3" "$f"
  check "$n: the copy differs" sh -c "! cmp -s '$f' '$5/${f#$n/}'"
  "$PY" "$K8TLS_SRCDIR/tests/certmanager/crd_check.py" "$CRDS" "$K8C" "$n" > "$n.crd" 2>&1
  rc=$?
  if [ $rc -eq 1 ] && grep -q -- "$4" "$n.crd"; then pass "$n: refused at $4"; else fail "$n: refused (exit $rc) at $4"; fi
  grep -q -- "$4" "$n.crd" || grep '^FAIL' "$n.crd" | sed 's/^/    /'
}
broken misspelt 'manifests/15-certificate-*' 's/^  secretName:/  secretNmae:/' \
  '^FAIL: misspelt/manifests/15-certificate-.*yaml:[0-9]*: Certificate/.* spec: Additional properties' trust
broken enum 'manifests/15-certificate-*' 's/algorithm: [A-Za-z0-9]*/algorithm: DSA/' \
  "^FAIL: enum/.*: Certificate/.* spec.privateKey.algorithm: 'DSA' is not one of" trust
broken type 'manifests/12-certificate-*' 's/isCA: true/isCA: "yes"/' \
  "^FAIL: type/.*12-certificate-.*: Certificate/.* spec.isCA: 'yes' is not of type 'boolean'" trust
broken cel 'manifests/17-bundle-*' 's/^\(  *\)- secret:/\1- inLine: "x"\n\1  secret:/' \
  '^FAIL: cel/.*17-bundle-.*: Bundle/.* spec.sources\[0\]: exactly one of the fields in \[configMap secret inLine useDefaultCAs\] must be set' trust
broken kind 'manifests/13-issuer-*' 's/^kind: \(Cluster\)*Issuer$/kind: CAIssuer/' \
  '^FAIL: kind/.*13-issuer-.*: CAIssuer/.* (root): no CRD serves' trust
broken k8c 'manifests/20-k8ssandracluster.yaml' 's/^\(  *\)keystoreSecretRef:/\1keystoreSecretRf:/' \
  '^FAIL: k8c/manifests/20-k8ssandracluster.yaml:[0-9]*: K8ssandraCluster/.*: Additional properties' trust
rm -rf unlisted; cp -r trust unlisted
sed -i '/17-bundle-/d' unlisted/kustomization.yaml
"$PY" "$K8TLS_SRCDIR/tests/certmanager/crd_check.py" "$CRDS" "$K8C" unlisted > unlisted.crd 2>&1
check "unlisted: a manifest kustomization.yaml leaves out is found" grep -q '^FAIL: .*17-bundle-.*not listed' unlisted.crd
finish
