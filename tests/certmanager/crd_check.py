"""Every object of a k8tls-wizard output directory against the schema the API server would apply.

usage: crd_check.py [--namespace NS] CRD_DIR K8SSANDRA_CRD OUTDIR...

CRD_DIR holds the vendored CustomResourceDefinitions of cert-manager and trust-manager
(tests/reference/cert-manager/*.yaml); K8SSANDRA_CRD is tests/reference/k8ssandraclusters.crd.yaml.
For each OUTDIR, every resource of kustomization.yaml (and every file of manifests/, so that none
escapes the check) is read; each object is looked up by apiVersion and kind among the CRDs and
validated (jsonschema Draft 4, as tests/cli/crd-jsonschema.sh does) against the openAPIV3Schema of
the served version, with two additions the API server makes:
  - objects with `properties` are closed (kubectl's strict field validation refuses an unknown
    field; a misspelt field must not pass);
  - the CEL rules of the CRDs (x-kubernetes-validations) are evaluated: all of them are of the
    shape "[has(self.a),has(self.b)].filter(x,x==true).size() OP N" or
    "(has(self.a) ? 1 : 0) + ... OP N"; a rule of another shape is an error of this check, so
    that a new CRD cannot slip by unevaluated.
Namespaced kinds need metadata.namespace (or kustomization.yaml's namespace:, or --namespace:
applied with `kubectl apply -n NS`); Secrets and Namespaces are checked for the fields the
API server checks (names, base64 data, type). An apiVersion/kind no CRD serves is an error.
Prints one line per object ("ok: FILE Kind/name") or per error
("FAIL: FILE:LINE: Kind/name PATH: message"); exit 1 if any error."""
import base64
import glob
import os
import re
import sys

import jsonschema
import yaml

NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")


def load_crds(paths):
    """(group/version, kind) -> (schema, scope, crd file)."""
    out = {}
    for p in paths:
        for crd in yaml.safe_load_all(open(p)):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            for v in spec["versions"]:
                if not v.get("served"):
                    continue
                schema = v["schema"]["openAPIV3Schema"]
                close(schema)
                out[(spec["group"] + "/" + v["name"], spec["names"]["kind"])] = (schema, spec["scope"], p)
    return out


def close(s):
    if isinstance(s, dict):
        if "properties" in s and not s.get("x-kubernetes-preserve-unknown-fields"):
            s.setdefault("additionalProperties", False)
        for v in s.values():
            close(v)
    elif isinstance(s, list):
        for v in s:
            close(v)


HAS_RE = re.compile(r"has\(self\.([A-Za-z0-9_]+)\)")
LIST_RULE = re.compile(r"^\[(has\(self\.\w+\)\s*,?\s*)+\]\.filter\(x,\s*x\s*==\s*true\)\.size\(\)\s*(==|>=|<=|>|<)\s*(\d+)$")
SUM_RULE = re.compile(r"^(\(has\(self\.\w+\)\s*\?\s*1\s*:\s*0\)\s*\+?\s*)+(==|>=|<=|>|<)\s*(\d+)$")
OPS = {"==": lambda a, b: a == b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
       ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def cel(validator, rules, instance, schema):
    if not isinstance(instance, dict):
        return
    for r in rules:
        rule = " ".join(r["rule"].split())
        m = LIST_RULE.match(rule) or SUM_RULE.match(rule)
        if not m:
            yield jsonschema.ValidationError("CEL rule this check cannot evaluate: " + rule)
            continue
        n = sum(1 for f in HAS_RE.findall(rule) if f in instance)
        if not OPS[m.group(2)](n, int(m.group(3))):
            yield jsonschema.ValidationError(r.get("message", rule))


Validator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"x-kubernetes-validations": cel})


def line_of(node, path):
    """Line (1-based) of PATH inside a composed YAML node, or of the deepest node found."""
    for p in path:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == p:
                    nxt = v
                    break
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and p < len(node.value):
            node = node.value[p]
        else:
            break
    return node.start_mark.line + 1


def dotted(path):
    s = ""
    for x in path:
        s += "[%d]" % x if isinstance(x, int) else ("." if s else "") + str(x)
    return s or "(root)"


def builtin_errors(obj):
    """What the API server checks on the built-in kinds the wizard writes."""
    kind = obj.get("kind")
    errs = []
    for k in obj:
        if k not in ("apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable", "spec"):
            errs.append(([k], "unknown field"))
    if kind == "Secret":
        for field in ("data", "stringData"):
            d = obj.get(field) or {}
            if not isinstance(d, dict):
                errs.append(([field], "must be a map"))
                continue
            for k, v in d.items():
                if not KEY_RE.match(str(k)):
                    errs.append(([field, k], "a Secret key must consist of alphanumerics, '-', '_' or '.'"))
                if not isinstance(v, str):
                    errs.append(([field, k], "must be a string"))
                elif field == "data":
                    try:
                        base64.b64decode(v.encode(), validate=True)
                    except Exception:
                        errs.append(([field, k], "illegal base64 data"))
        if "type" in obj and not isinstance(obj["type"], str):
            errs.append((["type"], "must be a string"))
    return errs


def check_file(path, crds, fails, default_ns=None, kust_ns=None):
    text = open(path).read()
    nodes = list(yaml.compose_all(text))
    docs = list(yaml.safe_load_all(text))
    count = 0
    for node, obj in zip(nodes, docs):
        if obj is None:
            continue
        count += 1
        av, kind = obj.get("apiVersion"), obj.get("kind")
        meta = obj.get("metadata") or {}
        name = meta.get("name")
        who = "%s/%s" % (kind, name)
        errs = []
        if not isinstance(name, str) or len(name) > 253 or not NAME_RE.match(name):
            errs.append((["metadata", "name"], "not a DNS-1123 subdomain: %r" % (name,)))
        ns = meta.get("namespace")
        given = ns is not None
        ns = kust_ns or (ns if given else default_ns)
        if given and (not isinstance(ns, str) or len(ns) > 63 or not LABEL_RE.match(ns)):
            errs.append((["metadata", "namespace"], "not a DNS-1123 label: %r" % (ns,)))
        if av == "v1" and kind in ("Secret", "Namespace"):
            errs += builtin_errors(obj)
            if kind == "Secret" and ns is None:
                errs.append((["metadata"], "a Secret needs metadata.namespace"))
        elif (av, kind) in crds:
            schema, scope, _ = crds[(av, kind)]
            for e in Validator(schema).iter_errors(obj):
                errs.append((list(e.absolute_path), e.message))
            if scope == "Namespaced" and ns is None:
                errs.append((["metadata"], "a namespaced %s needs metadata.namespace" % kind))
        else:
            errs.append(([], "no CRD serves apiVersion %s kind %s" % (av, kind)))
        for p, msg in errs:
            fails.append("%s:%d: %s %s: %s" % (path, line_of(node, p), who, dotted(p), msg))
        if not errs:
            print("ok: %s %s (%s)" % (path, who, av))
    return count


def main():
    args = sys.argv[1:]
    default_ns = None
    if args[:1] == ["--namespace"]:
        default_ns, args = args[1], args[2:]
    crd_dir, k8c, outs = args[0], args[1], args[2:]
    crds = load_crds(sorted(glob.glob(os.path.join(crd_dir, "*.yaml"))) + [k8c])
    fails = []
    for out in outs:
        kust = os.path.join(out, "kustomization.yaml")
        files = []
        if os.path.exists(kust):
            k = yaml.safe_load(open(kust)) or {}
            for r in k.get("resources") or []:
                p = os.path.join(out, r)
                if not os.path.isfile(p):
                    fails.append("%s: resource %s does not exist" % (kust, r))
                files.append(os.path.normpath(p))
        else:
            fails.append("%s: missing" % kust)
        for p in sorted(glob.glob(os.path.join(out, "manifests", "*.yaml"))):
            if os.path.normpath(p) not in files:
                fails.append("%s: not listed in %s" % (p, kust))
                files.append(os.path.normpath(p))
        n = 0
        # kustomization.yaml's namespace: replaces every object's (kubectl apply -k)
        kns = (k.get("namespace") if os.path.exists(kust) else None) or None
        for p in files:
            if os.path.isfile(p):
                n += check_file(p, crds, fails, default_ns, kns)
        if n == 0:
            fails.append("%s: no object found" % out)
        print("# %s: %d objects" % (out, n))
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
