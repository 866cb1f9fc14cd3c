#!/bin/sh
# --print-answers prints the defaults as a commented answers file; loading it (--answers FILE or
# --answers -) and printing again is byte-identical; nothing is written.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
mkdir "$t/work" && cd "$t/work" || exit 1

"$K8TLS_BIN" --print-answers >"$t/one.yaml" 2>"$t/err"
check "--print-answers exits 0" [ $? -eq 0 ]
check "the template starts with a comment" [ "$(head -c 2 "$t/one.yaml")" = "# " ]
check "the template holds the apiVersion" grep -qx 'apiVersion: k8tls-wizard/v1' "$t/one.yaml"
check "the template holds the docs' cluster name" grep -qx '  name: test' "$t/one.yaml"
check "the template quotes serverVersion (K10), a current release" grep -qx '  serverVersion: "4.1.12"' "$t/one.yaml"

"$K8TLS_BIN" --answers "$t/one.yaml" --print-answers >"$t/two.yaml" 2>"$t/err"
check "--answers FILE --print-answers exits 0" [ $? -eq 0 ]
check "loaded and printed again: byte-identical" cmp -s "$t/one.yaml" "$t/two.yaml"

"$K8TLS_BIN" --print-answers | "$K8TLS_BIN" --answers - --print-answers >"$t/three.yaml"
check "through stdin (--answers -): byte-identical" cmp -s "$t/one.yaml" "$t/three.yaml"

"$K8TLS_BIN" --defaults --print-answers >"$t/four.yaml"
check "--defaults --print-answers: the same template" cmp -s "$t/one.yaml" "$t/four.yaml"

# a short answers file: printed with the defaults filled in, its values kept
cat >"$t/short.yaml" <<'YAML'
apiVersion: k8tls-wizard/v1
cluster:
  name: prod
  datacenters: [{name: east, size: 5}, {name: west, size: 3, k8sContext: kind-west}]
encryption:
  internode: {mode: rack}
stores: {format: jks}
ca: {key: {algorithm: ecdsa, curve: P-384}}
YAML
"$K8TLS_BIN" --answers "$t/short.yaml" --print-answers >"$t/short-full.yaml" 2>"$t/err"
check "a short file prints with exit 0" [ $? -eq 0 ]
check "its values are kept" grep -qx '  name: prod' "$t/short-full.yaml"
check "its datacenters are kept" grep -q 'name: west, size: 3, k8sContext: kind-west' "$t/short-full.yaml"
check "its CA key is kept" grep -q 'key: {algorithm: ecdsa, curve: P-384}' "$t/short-full.yaml"
check "the defaults are filled in" grep -qx '  namespace: k8ssandra-operator' "$t/short-full.yaml"
"$K8TLS_BIN" --answers "$t/short-full.yaml" --print-answers >"$t/short-again.yaml"
check "the filled-in file prints identically" cmp -s "$t/short-full.yaml" "$t/short-again.yaml"

# the YAML is real YAML: Python's reader sees the same values
if [ -x "$PY" ] && "$PY" -c 'import yaml' 2>/dev/null; then
  "$PY" - "$t/short-full.yaml" <<'PYEOF' >"$t/py.out" 2>&1
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["apiVersion"] == "k8tls-wizard/v1"
assert d["cluster"]["serverVersion"] == "4.1.12" and isinstance(d["cluster"]["serverVersion"], str)
assert [dc["name"] for dc in d["cluster"]["datacenters"]] == ["east", "west"]
assert d["cluster"]["datacenters"][0]["size"] == 5
assert d["encryption"]["internode"]["mode"] == "rack"
assert d["encryption"]["client"]["enabled"] is True
assert d["stores"]["format"] == "jks"
assert d["certificates"]["extraSANs"] == []
print("ok")
PYEOF
  check "Python's yaml reads the printed file with the right types" grep -qx ok "$t/py.out"
else
  fail "python3 with the yaml module is required (/usr/bin/python3, python3-yaml)"
fi
check "--print-answers wrote nothing in the current directory" [ -z "$(ls -A "$t/work")" ]
finish
