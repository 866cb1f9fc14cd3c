#!/bin/sh
# K14 offline: `doctor --crd` on the wizard's own manifest (valid) and on broken copies gives the
# same errors, by field path, as /usr/bin/python3's jsonschema on the same documents with the
# same CRD; each error names the file, line and field; unknown fields are warnings only.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout
need_reference
"$PY" -c 'import jsonschema, yaml' 2>/dev/null || { echo "FAIL: $PY lacks jsonschema/yaml"; exit 1; }
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

timeout 60 "$K8TLS_BIN" --defaults --output out >/dev/null 2>&1
m=out/manifests/20-k8ssandracluster.yaml
check "the wizard wrote its manifest" [ -f "$m" ]

# The error paths jsonschema finds, one per line, sorted.
cat > js.py <<'PY'
import sys, yaml, jsonschema
crd = yaml.safe_load(open(sys.argv[1]))
schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
doc = yaml.safe_load(open(sys.argv[2]))
out = set()
for e in jsonschema.Draft4Validator(schema).iter_errors(doc):
    p = ""
    for x in e.absolute_path:
        p += "[%d]" % x if isinstance(x, int) else ("." if p else "") + x
    out.add(p or "(root)")
if out: print("\n".join(sorted(out)))
PY
# The error paths the doctor finds (K14 errors of -o json), one per line, sorted.
cat > dr.py <<'PY'
import sys, json
r = json.load(sys.stdin)
out = {f["key"] for f in r["findings"] if f["rule"] == "K14" and f["severity"] == "error"}
if out: print("\n".join(sorted(out)))
PY

compare() { # NAME FILE EXPECTED-PATH (empty: valid)
  n=$1; f=$2; want=$3
  timeout 60 "$K8TLS_BIN" doctor --crd "$CRD" -o json "$f" > "$n.json" 2> "$n.err"
  rc=$?
  "$PY" dr.py < "$n.json" > "$n.dr" 2>/dev/null
  "$PY" js.py "$CRD" "$f" > "$n.js"
  check "$n: doctor and jsonschema agree" cmp -s "$n.dr" "$n.js"
  cmp -s "$n.dr" "$n.js" || { echo "    doctor:"; sed 's/^/      /' "$n.dr"; echo "    jsonschema:"; sed 's/^/      /' "$n.js"; }
  if [ -z "$want" ]; then
    check "$n: valid, nothing found by jsonschema" [ ! -s "$n.js" ]
  else
    check "$n: the error is at $want" grep -qxF -- "$want" "$n.js"
  fi
}

compare valid "$m" ""
# one broken copy per keyword
b() { # NAME SED-EXPR PATH
  sed "$2" "$m" > "$1.yaml"
  check "$1: the copy differs" sh -c "! cmp -s '$1.yaml' '$m'"
  compare "$1" "$1.yaml" "$3"
}
b type-int 's/serverVersion: "4.1.12"/serverVersion: 4/' spec.cassandra.serverVersion
b enum 's/serverType: cassandra/serverType: scylla/' spec.cassandra.serverType
b pattern 's/serverVersion: "4.1.12"/serverVersion: "4.1"/' spec.cassandra.serverVersion
b minimum 's/size: 3/size: 0/' 'spec.cassandra.datacenters[0].size'
b required '/^      size: 3$/d' 'spec.cassandra.datacenters[0]'
b quantity 's/storage: "5Gi"/storage: "five"/' \
  spec.cassandra.storageConfig.cassandraDataVolumeClaimSpec.resources.requests.storage
b bool-string 's/          enabled: true/          enabled: "true"/' ''
b object-not-list 's/^    datacenters:$/    datacenters: {}/; /^    - metadata:$/,/^      size: 3$/d' \
  spec.cassandra.datacenters
b key-list 's/key: keystore$/key: [keystore]/' spec.cassandra.serverEncryptionStores.keystoreSecretRef.key

# positions and severities in the text report
timeout 60 "$K8TLS_BIN" doctor --crd "$CRD" type-int.yaml > type-int.out 2>&1
rc=$?
check "type error: exit 1 (got $rc)" [ $rc -eq 1 ]
check "type error: file, line, column and path" \
  grep -q '^error: \[K14\] K8ssandraCluster/test spec.cassandra.serverVersion (type-int.yaml:9:20): must be of type string (found integer)' type-int.out
# an unknown field in an otherwise clean bundle (the Secrets beside it)
cp -r out unknown
sed 's/^    deploymentMode: SINGLE$/    deploymentMod: SINGLE/' "$m" > unknown/manifests/20-k8ssandracluster.yaml
timeout 60 "$K8TLS_BIN" doctor --crd "$CRD" unknown > unknown.out 2>&1
rc=$?
check "unknown field: a warning, exit 0 (got $rc)" [ $rc -eq 0 ]
check "unknown field: named with its line" \
  grep -q '^warning: \[K14\] K8ssandraCluster/test spec.reaper.deploymentMod (unknown/manifests/20-k8ssandracluster.yaml:61:5): unknown field' unknown.out
grep -q 'deploymentMod' unknown.out || sed 's/^/    /' unknown.out
timeout 60 "$K8TLS_BIN" doctor --strict --crd "$CRD" unknown > /dev/null 2>&1
rc=$?
check "unknown field with --strict: exit 5 (got $rc)" [ $rc -eq 5 ]

# the shipped CRD is found without --crd (build tree), and a bad --crd is an error
timeout 60 "$K8TLS_BIN" doctor type-int.yaml > shipped.out 2>&1
check "without --crd the shipped CRD is used" grep -q 'spec.cassandra.serverVersion' shipped.out
echo "kind: Nothing" > bad-crd.yaml
timeout 60 "$K8TLS_BIN" doctor --crd bad-crd.yaml "$m" > badcrd.out 2>&1
rc=$?
check "a --crd that is no CRD: exit 1 naming it (got $rc)" sh -c "[ $rc -eq 1 ] && grep -q 'bad-crd.yaml.*openAPIV3Schema' badcrd.out"
# Manifests in the shapes of the operator's own examples and test fixtures (written for this
# project: Reaper, Medusa with its storage and the deprecated certificates field, Stargate,
# several datacenters, the docs' example): the real CRD finds them valid, and so does doctor.
for f in tests/bundle/fixtures/surfaces-medusa.yaml tests/bundle/fixtures/surfaces-reaper.yaml \
  tests/fuzz/corpus/manifest/docs-example.yaml tests/fuzz/corpus/manifest/docs-stargate-reaper.yaml \
  tests/fuzz/corpus/manifest/minimal.yaml tests/fuzz/corpus/manifest/medusa-old-certificates.yaml; do
  compare "fixture-$(basename "$f" .yaml)" "$K8TLS_SRCDIR/$f" ""
done
finish
