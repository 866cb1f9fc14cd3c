# Helpers of the staged rollout's tests (tests/enable/*.sh): running manifests of a given shape,
# answers naming them, the CRD check, Python queries over YAML. Source after tests/lib.sh.
need timeout
need_reference
"$PY" -c 'import jsonschema, yaml' 2>/dev/null || { echo "FAIL: $PY lacks jsonschema/yaml"; exit 1; }
CRD="$K8TLS_REFERENCE_DIR/k8ssandraclusters.crd.yaml"
M=manifests/20-k8ssandracluster.yaml

# manifest FILE TYPE VERSION DC... : a running K8ssandraCluster without encryption; each DC is
# NAME:SIZE or NAME:SIZE:RACKS (RACKS racks r1..rN listed).
manifest() {
  f=$1 ty=$2 ver=$3; shift 3
  { echo "apiVersion: k8ssandra.io/v1alpha1"; echo "kind: K8ssandraCluster"
    echo "metadata: {name: demo, namespace: cass}"
    echo "spec:"; echo "  cassandra:"; echo "    serverType: $ty"; echo "    serverVersion: \"$ver\""
    echo "    datacenters:"
    for dc in "$@"; do
      n=${dc%%:*}; rest=${dc#*:}; size=${rest%%:*}; racks=
      [ "$rest" != "$size" ] && racks=${rest#*:}
      echo "      - metadata: {name: $n}"; echo "        size: $size"
      if [ -n "$racks" ]; then
        echo "        racks:"; i=1
        while [ "$i" -le "$racks" ]; do echo "          - name: r$i"; i=$((i + 1)); done
      fi
    done; } > "$f"
}
# answers FILE MANIFEST [LINE...]: answers naming MANIFEST (ECDSA keys: fast).
answers() {
  f=$1 m=$2; shift 2
  { echo "apiVersion: k8tls-wizard/v1"; echo "cluster: {manifest: $m}"
    for l in "$@"; do echo "$l"; done
    echo "ca: {key: {algorithm: ecdsa, curve: P-256}}"; } > "$f"
}
# en NAME ARGS...: k8tls-wizard enable ARGS; NAME.err its stderr, NAME.out stdout, NAME.rc.
en() {
  n=$1; shift
  timeout 120 "$K8TLS_BIN" enable "$@" > "$n.out" 2> "$n.err"
  echo $? > "$n.rc"
}
rc() { cat "$1.rc"; }
lines() { wc -l < "$1" | tr -d ' '; }
# refused NAME: exit 1 and exactly one line on stderr
refused() { [ "$(rc "$1")" = 1 ] && [ "$(lines "$1.err")" = 1 ]; }
show() { sed 's/^/    | /' "$1"; }

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
# q FILE EXPR: a python expression over the YAML document d of FILE is true; y = cassandraYaml,
# so = its server_encryption_options, co = client_encryption_options, ph = the phase annotation.
q() {
  "$PY" - "$1" "$2" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8-sig"))
y = (((d.get("spec") or {}).get("cassandra") or {}).get("config") or {}).get("cassandraYaml") or {}
so = y.get("server_encryption_options")
co = y.get("client_encryption_options")
ph = ((d.get("metadata") or {}).get("annotations") or {}).get("k8tls-wizard/rollout-phase")
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
