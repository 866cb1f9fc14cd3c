#!/bin/sh
# Merge mode on manifests shaped like real ones (issue 15; tests/bundle/fixtures/real/): no
# metadata.namespace, encryption options in a datacenter's config, a file that is not YAML, an
# unquoted serverVersion, Medusa with both certificatesSecretRef and clientEncryptionStores, a
# UTF-8 BOM with CRLF line ends, and JSON. Each case runs the real binary and checks the exact
# lines it prints, the files it writes (bytes, YAML parsed by python3-yaml, the K8ssandraCluster
# CRD with jsonschema, kubectl kustomize offline).
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout
need_reference
"$PY" -c 'import jsonschema, yaml' 2>/dev/null || { echo "FAIL: $PY lacks jsonschema/yaml"; exit 1; }
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
FIX="$K8TLS_SRCDIR/tests/bundle/fixtures/real"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1
cp "$FIX"/* .

# run NAME MANIFEST [ANSWERS-LINE...]: the wizard on an answers file naming MANIFEST; NAME.log
# holds what it printed (without the key progress), NAME.rc its exit status, NAME/ the bundle.
run() {
  n=$1; m=$2; shift 2
  { echo "apiVersion: k8tls-wizard/v1"; echo "cluster:"; echo "  manifest: $m"
    for l in "$@"; do echo "$l"; done
    echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"; } > "$n.answers.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$n.answers.yaml" --output "$n" --one-shot > "$n.out" 2>&1
  echo $? > "$n.rc"
  grep -v ': keys [0-9]*/[0-9]* (' "$n.out" > "$n.log"
}
rc() { cat "$1.rc"; }
show() { sed 's/^/    | /' "$1"; }
# The lines of the change list (after its title), exactly.
changes() { sed -n '/^Changes to the existing K8ssandraCluster:$/,/^[^ ]/p' "$1.log" | grep '^  '; }

# valid FILE: the K8ssandraCluster FILE validates against the CRD (utf-8-sig: a BOM is allowed).
cat > crd.py <<'PY'
import sys, yaml, jsonschema
crd = yaml.safe_load(open(sys.argv[1]))
schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
doc = yaml.safe_load(open(sys.argv[2], encoding="utf-8-sig"))
errs = ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message)
        for e in jsonschema.Draft4Validator(schema).iter_errors(doc)]
print("\n".join(errs)) if errs else None
sys.exit(1 if errs else 0)
PY
valid() { "$PY" crd.py "$CRD" "$1" > "$1.crd" 2>&1; }
# q FILE EXPR: a python expression over the YAML document d of FILE is true.
q() {
  "$PY" - "$1" "$2" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8-sig"))
sys.exit(0 if eval(sys.argv[2], {"d": d}) else 1)
PY
}
M=manifests/20-k8ssandracluster.yaml

# ---- 1. no metadata.namespace -----------------------------------------------------------------
run nons no-namespace.yaml
check "no namespace: exit 0 (got $(rc nons))" [ "$(rc nons)" -eq 0 ]
check "no namespace: the manifest is kept without one" q nons/$M '"namespace" not in d["metadata"]'
check "no namespace: metadata is as it was" q nons/$M 'd["metadata"] == {"name": "demo"}'
changes nons > nons.changes
check "no namespace: the change list has the encryption only (4 lines)" [ "$(wc -l < nons.changes)" -eq 4 ]
check "no namespace: metadata.namespace is not in the change list" sh -c "! grep -q metadata.namespace nons.changes"
for s in nons/manifests/10-secret-*.yaml; do
  check "no namespace: $(basename "$s") has none" q "$s" '"namespace" not in d["metadata"]'
done
check "no namespace: kustomization.yaml names the namespace" \
  q nons/kustomization.yaml 'd.get("namespace") == "k8ssandra-operator"'
if kubectl kustomize nons > nons.kz 2> nons.kerr; then
  check "no namespace: kubectl kustomize puts all 3 objects in k8ssandra-operator" \
    "$PY" -c 'import sys, yaml; ds = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]; sys.exit(0 if len(ds) == 3 and all(d["metadata"]["namespace"] == "k8ssandra-operator" for d in ds) else 1)' nons.kz
else
  fail "no namespace: kubectl kustomize"; show nons.kerr
fi
check "no namespace: the CLI says which namespace to apply both to" \
  grep -qF 'no-namespace.yaml:6:3: note: metadata.namespace: not set: the manifest is kept without it and the Secrets are written without one too; apply both to namespace k8ssandra-operator' nons.log
check "no namespace: NEXT-STEPS.md gives kubectl apply -n" \
  grep -qF '`kubectl apply -n k8ssandra-operator -f manifests/`' nons/NEXT-STEPS.md
check "no namespace: NEXT-STEPS.md says kustomization.yaml sets it" \
  grep -qF "kustomization.yaml's \`namespace: k8ssandra-operator\` puts them all in" nons/NEXT-STEPS.md
check "no namespace: the certificates name k8ssandra-operator's services" \
  sh -c "openssl pkcs12 -in nons/stores/server-encryption-stores/keystore -passin file:nons/stores/server-encryption-stores/keystore-password -nokeys -clcerts 2>/dev/null | openssl x509 -noout -ext subjectAltName | grep -q 'demo-dc1-service.k8ssandra-operator.svc'"
check "no namespace: the manifest validates against the CRD" valid nons/$M
check "no namespace: no 'the answers said' for the name from the defaults" \
  sh -c "! grep -q 'the answers said' nons.log"
grep -q 'note: metadata.namespace' nons.log || show nons.log
# the answers it saves replay to the same manifest (they name no namespace either)
timeout 120 "$K8TLS_BIN" --answers nons/answers.yaml --output nons-replay > nons-replay.log 2>&1
check "no namespace: the saved answers name none" q nons/answers.yaml '"namespace" not in d["cluster"]'
check "no namespace: their replay writes the same manifest" cmp -s nons/$M nons-replay/$M
# the answers name a namespace: it wins, written into the manifest and the Secrets
run nsgiven no-namespace.yaml "  namespace: cass2"
check "namespace in the answers: exit 0 (got $(rc nsgiven))" [ "$(rc nsgiven)" -eq 0 ]
check "namespace in the answers: written into the manifest" \
  q nsgiven/$M 'd["metadata"]["namespace"] == "cass2"'
check "namespace in the answers: and into the Secrets" \
  q nsgiven/manifests/10-secret-server-encryption-stores.yaml 'd["metadata"]["namespace"] == "cass2"'
check "namespace in the answers: listed as added" grep -qx '  added: metadata.namespace' nsgiven.log
check "namespace in the answers: kustomization.yaml sets none" \
  q nsgiven/kustomization.yaml '"namespace" not in d'

# ---- 2. encryption options in the datacenters --------------------------------------------------
run dcenc dc-encryption.yaml
check "dc options: exit 0 (got $(rc dcenc))" [ "$(rc dcenc)" -eq 0 ]
changes dcenc | grep datacenters > dcenc.changes
printf '%s\n' \
  '  removed: spec.cassandra.datacenters[0].config.cassandraYaml.server_encryption_options' \
  '  removed: spec.cassandra.datacenters[0].config.cassandraYaml.client_encryption_options' \
  '  removed: spec.cassandra.datacenters[1].config.cassandraYaml.server_encryption_options' \
  > dcenc.want
check "dc options: the change list names each datacenter block removed" cmp -s dcenc.changes dcenc.want
cmp -s dcenc.changes dcenc.want || show dcenc.changes
check "dc options: each removal says why (3 notes)" \
  [ "$(grep -c "^dc-encryption.yaml: note: spec.cassandra.datacenters\[[01]\].config.cassandraYaml.[a-z]*_encryption_options: removed: a datacenter's own encryption options override the cluster's" dcenc.log)" -eq 3 ]
check "dc options: dc1 has no config left (no cassandraYaml: {})" \
  q dcenc/$M '"config" not in d["spec"]["cassandra"]["datacenters"][0]'
check "dc options: dc2 keeps its num_tokens" \
  q dcenc/$M 'd["spec"]["cassandra"]["datacenters"][1]["config"] == {"cassandraYaml": {"num_tokens": 16}}'
check "dc options: no empty mapping written" sh -c "! grep -q '{}' dcenc/$M"
check "dc options: NEXT-STEPS.md lists the removed block" \
  grep -qF -- '- removed: `spec.cassandra.datacenters[0].config.cassandraYaml.server_encryption_options`' dcenc/NEXT-STEPS.md
check "dc options: the manifest validates against the CRD" valid dcenc/$M

# ---- 3. a manifest that is not YAML, with answers whose rules depend on it ----------------------
run bad bad-yaml.yaml "  stargate: {enabled: true}" "encryption:" "  medusa: {enabled: false}"
check "bad YAML: exit 1 (got $(rc bad))" [ "$(rc bad)" -eq 1 ]
check "bad YAML: exactly one error line" [ "$(grep -c ': error: ' bad.log)" -eq 1 ]
check "bad YAML: no warning from the defaults (Stargate, Medusa)" sh -c "! grep -q -e warning -e Stargate -e Medusa bad.log"
check "bad YAML: the error is at the manifest's line and column" \
  grep -q "^bad-yaml.yaml:11:8: error: cluster.manifest: not valid YAML: did not find expected '-' indicator" bad.log
check "bad YAML: nothing written" [ ! -e bad ]
[ "$(grep -c ': error: ' bad.log)" -eq 1 ] || show bad.log

# ---- 4. serverVersion: 4.0, a number ------------------------------------------------------------
run unq unquoted-version.yaml
check "unquoted serverVersion: exit 1 (got $(rc unq))" [ "$(rc unq)" -eq 1 ]
check "unquoted serverVersion: exactly one error line" [ "$(grep -c ': error: ' unq.log)" -eq 1 ]
check "unquoted serverVersion: the error is at the manifest's file:line:col" \
  grep -qx "unquoted-version.yaml:10:20: error: spec.cassandra.serverVersion: '4.0' is not a version of the form N.N.N (for example \"4.0.1\")" unq.log
check "unquoted serverVersion: nothing against the answers file" sh -c "! grep -q '^unq.answers.yaml' unq.log"
check "unquoted serverVersion: no 'the answers said' (the name is a default)" sh -c "! grep -q 'the answers said' unq.log"
grep -q "^unquoted-version.yaml:10:20: error" unq.log || show unq.log
# the name given in the answers: that note still says so
run named unquoted-version.yaml "  name: other"
check "a name the answers give: the note says what the answers said" \
  grep -q "note: cluster.name: the manifest's name demo is used (the answers said other)" named.log

# ---- 5. Medusa with certificatesSecretRef and clientEncryptionStores ---------------------------
run both medusa-both.yaml
check "both Medusa refs: exit 0 (got $(rc both))" [ "$(rc both)" -eq 0 ]
check "both Medusa refs: listed as migrated" grep -qx '  migrated: spec.medusa.certificatesSecretRef' both.log
check "both Medusa refs: the old stores listed as replaced" \
  grep -qx '  replaced: spec.medusa.clientEncryptionStores' both.log
check "both Medusa refs: the note names the old stores' Secret" \
  grep -q 'note: spec.medusa.clientEncryptionStores: replaced: set beside certificatesSecretRef (Secret medusa-stores-old)' both.log
check "both Medusa refs: NEXT-STEPS.md lists both" sh -c \
  "grep -qF -- '- migrated: \`spec.medusa.certificatesSecretRef\`' both/NEXT-STEPS.md && grep -qF -- '- replaced: \`spec.medusa.clientEncryptionStores\`' both/NEXT-STEPS.md"
check "both Medusa refs: only the new stores are left" \
  q both/$M '"certificatesSecretRef" not in d["spec"]["medusa"] and d["spec"]["medusa"]["clientEncryptionStores"]["keystoreSecretRef"]["name"] == "client-certificates"'
check "both Medusa refs: the manifest validates against the CRD" valid both/$M

# ---- 6. a BOM and CRLF line ends; JSON ---------------------------------------------------------
run bom bom-crlf.yaml
check "BOM+CRLF: exit 0 (got $(rc bom))" [ "$(rc bom)" -eq 0 ]
check "BOM+CRLF: the BOM is kept" sh -c "[ \"\$(head -c 3 bom/$M | od -An -tx1 | tr -d ' ')\" = efbbbf ]"
check "BOM+CRLF: every line ends in CRLF" "$PY" -c '
import sys
b = open(sys.argv[1], "rb").read()
sys.exit(0 if b.count(b"\n") > 20 and b.count(b"\n") == b.count(b"\r\n") and b.endswith(b"\r\n") else 1)' bom/$M
check "BOM+CRLF: one BOM only" "$PY" -c '
import sys
sys.exit(0 if open(sys.argv[1], "rb").read().count(b"\xef\xbb\xbf") == 1 else 1)' bom/$M
check "BOM+CRLF: the encryption is there" \
  q bom/$M 'd["spec"]["cassandra"]["serverEncryptionStores"]["keystoreSecretRef"]["name"] == "server-encryption-stores"'
check "BOM+CRLF: the manifest validates against the CRD" valid bom/$M
check "BOM+CRLF: kubectl kustomize reads it" sh -c "kubectl kustomize bom | grep -q '^kind: K8ssandraCluster'"

run json json-input.json
check "JSON: exit 0 (got $(rc json))" [ "$(rc json)" -eq 0 ]
check "JSON: written as block YAML (no flow collection)" "$PY" -c '
import sys, yaml
def walk(n):
    if isinstance(n, yaml.MappingNode):
        return not n.flow_style and all(walk(k) and walk(v) for k, v in n.value)
    if isinstance(n, yaml.SequenceNode):
        return not n.flow_style and all(walk(v) for v in n.value)
    return True
sys.exit(0 if walk(yaml.compose(open(sys.argv[1]))) else 1)' json/$M
check "JSON: more than one line" [ "$(wc -l < json/$M)" -gt 20 ]
check "JSON: every value of the input is kept" "$PY" -c '
import sys, json, yaml
a = json.load(open(sys.argv[1])); b = yaml.safe_load(open(sys.argv[2]))
c = b["spec"]["cassandra"]
sys.exit(0 if a["metadata"] == b["metadata"] and a["spec"]["cassandra"]["datacenters"] == c["datacenters"] and c["serverVersion"] == "4.1.5" and b["apiVersion"] == a["apiVersion"] else 1)' json-input.json json/$M
check "JSON: the manifest validates against the CRD" valid json/$M
finish
