"""Checks a manifest merged with every TLS surface on (SPEC §10) against the file it came from.

usage: merge_surfaces.py CRD ORIGINAL MERGED OUTDIR
Every field of ORIGINAL outside the encryption parts is unchanged and in its order; the surface
fields name the wizard's Secrets (M1, R1, R2, G1); no `insecure` is left beside `manual`, at the
cluster or in a datacenter; the result validates against the CRD with closed objects; the Secrets
the fields name are in OUTDIR/manifests, in the manifest's namespace.
"""
import os
import sys

import yaml
from jsonschema import Draft4Validator

checks = fails = 0


def ok(cond, what):
    global checks, fails
    checks += 1
    if not cond:
        fails += 1
    print(("ok: " if cond else "FAIL: ") + what)


def closed_schema(crd_path):
    with open(crd_path) as f:
        crd = yaml.safe_load(f)
    schema = [v for v in crd["spec"]["versions"] if v.get("storage")][0]["schema"]["openAPIV3Schema"]

    def close(s):
        if isinstance(s, dict):
            if "properties" in s and not s.get("x-kubernetes-preserve-unknown-fields"):
                s.setdefault("additionalProperties", False)
            for v in s.values():
                close(v)
        elif isinstance(s, list):
            for v in s:
                close(v)
    close(schema)
    return Draft4Validator(schema)


# The parts the wizard manages: Cassandra's stores and switches (K1-K8) and the surfaces (§10).
MANAGED = [
    ("spec", "cassandra", "config", "cassandraYaml", "server_encryption_options"),
    ("spec", "cassandra", "config", "cassandraYaml", "client_encryption_options"),
    ("spec", "cassandra", "serverEncryptionStores"),
    ("spec", "cassandra", "clientEncryptionStores"),
    ("spec", "medusa", "certificatesSecretRef"),
    ("spec", "medusa", "clientEncryptionStores"),
    ("spec", "cassandra", "managementApiAuth", "insecure"),
    ("spec", "cassandra", "managementApiAuth", "manual", "clientSecretName"),
    ("spec", "cassandra", "managementApiAuth", "manual", "serverSecretName"),
    ("spec", "reaper", "encryption"),
    ("spec", "reaper", "httpManagement", "keystores"),
    ("spec", "medusa", "serviceProperties", "encryption"),
]
DC_MANAGED = [
    ("config", "cassandraYaml", "server_encryption_options"),
    ("config", "cassandraYaml", "client_encryption_options"),
    ("managementApiAuth",),
]


def managed(path):
    for m in MANAGED:
        if tuple(path[:len(m)]) == m:
            return True
    if len(path) > 4 and tuple(path[:3]) == ("spec", "cassandra", "datacenters"):
        rest = tuple(path[4:])
        for m in DC_MANAGED:
            if rest[:len(m)] == m:
                return True
    return False


def leaves(d, path=()):
    if isinstance(d, dict):
        if not d:
            yield path, d
        for k, v in d.items():
            yield from leaves(v, path + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from leaves(v, path + (i,))
    else:
        yield path, d


MISSING = object()


def get(d, *path):
    for p in path:
        try:
            d = d[p]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return d


def main():
    crd, original, merged, outdir = sys.argv[1:5]
    v = closed_schema(crd)
    with open(original) as f:
        orig = yaml.safe_load(f)
    with open(merged) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    ok(len(docs) == 1 and docs[0].get("kind") == "K8ssandraCluster",
       f"{merged}: one K8ssandraCluster")
    new = docs[0]
    name = os.path.basename(original)

    errs = list(v.iter_errors(orig))
    ok(not errs, f"{name}: the fixture itself validates against the CRD (closed objects)"
       + "".join(f"\n    {'.'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))
    errs = list(v.iter_errors(new))
    ok(not errs, f"{name}: the merged manifest validates against the CRD (closed objects)"
       + "".join(f"\n    {'.'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))

    kept = changed = 0
    for path, val in leaves(orig):
        if managed(path):
            continue
        got = get(new, *path)
        if got != val:
            changed += 1
            ok(False, f"{name}: {'.'.join(map(str, path))} kept: {val!r}, found {got!r}")
        kept += 1
    ok(changed == 0 and kept > 30, f"{name}: every other field kept ({kept} leaves compared)")

    def order(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            ka = [k for k in a if not managed(path + (k,))]
            kb = [k for k in b if k in ka]
            if ka != kb:
                ok(False, f"{name}: key order of {'.'.join(map(str, path)) or '/'}: {ka} vs {kb}")
                return False
            return all(order(a[k], b[k], path + (k,)) for k in ka)
        if isinstance(a, list) and isinstance(b, list):
            return all(order(x, y, path + (i,)) for i, (x, y) in enumerate(zip(a, b)))
        return True
    ok(order(orig, new, ()), f"{name}: every mapping keeps its key order")

    spec = new["spec"]
    auth = get(spec, "cassandra", "managementApiAuth")
    ok(get(auth, "manual", "serverSecretName") == "mgmt-api-server-tls" and
       get(auth, "manual", "clientSecretName") == "mgmt-api-client-tls",
       f"{name}: M1 managementApiAuth.manual names both Secrets")
    ok(get(auth, "insecure") is MISSING,
       f"{name}: M1 managementApiAuth.insecure is gone (both set: cass-operator refuses)")
    for i, dc in enumerate(spec["cassandra"]["datacenters"]):
        dauth = dc.get("managementApiAuth", {})
        dman = dauth.get("manual")
        ok("insecure" not in dauth and (dman is None or (
            dman.get("clientSecretName") == "mgmt-api-client-tls" and
            dman.get("serverSecretName") == "mgmt-api-server-tls")),
           f"{name}: M1 datacenter {i} overrides neither insecure nor the Secret names")
        oauth = get(orig, "spec", "cassandra", "datacenters", i, "managementApiAuth", "manual",
                    "skipSecretValidation")
        if oauth is not MISSING:
            ok(get(dauth, "manual", "skipSecretValidation") == oauth,
               f"{name}: datacenter {i} keeps its skipSecretValidation")
    if "reaper" in orig["spec"]:
        ok(get(spec, "reaper", "encryption") ==
           {"serverCertName": "reaper-api-server-stores", "clientCertName": "reaper-api-client-tls"},
           f"{name}: R1 reaper.encryption names the server stores and the client certificate")
        ok(get(spec, "reaper", "httpManagement", "keystores") == {"name": "reaper-mgmt-api-stores"},
           f"{name}: R2 reaper.httpManagement.keystores names Reaper's management stores")
    else:
        ok("reaper" not in spec, f"{name}: no Reaper added where there was none")
    ok(get(spec, "medusa", "serviceProperties", "encryption") ==
       {"serverSecretName": "medusa-grpc-server-tls", "clientSecretName": "medusa-grpc-client-tls"},
       f"{name}: G1 medusa.serviceProperties.encryption names both Secrets")

    ns = orig["metadata"]["namespace"]
    names = [auth["manual"]["serverSecretName"], auth["manual"]["clientSecretName"],
             spec["medusa"]["serviceProperties"]["encryption"]["serverSecretName"],
             spec["medusa"]["serviceProperties"]["encryption"]["clientSecretName"]]
    if "reaper" in spec:
        names += [spec["reaper"]["encryption"]["serverCertName"],
                  spec["reaper"]["encryption"]["clientCertName"],
                  spec["reaper"]["httpManagement"]["keystores"]["name"]]
    for s in names:
        p = os.path.join(outdir, "manifests", f"10-secret-{s}.yaml")
        sec = yaml.safe_load(open(p)) if os.path.exists(p) else {}
        ok(get(sec, "metadata", "namespace") == ns,
           f"{name}: Secret {s} is written, in the manifest's namespace {ns}")
    print(f"{checks} checks, {fails} failed")
    sys.exit(1 if fails else 0)


main()
