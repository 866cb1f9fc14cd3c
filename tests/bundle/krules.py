#!/usr/bin/python3
"""Checks k8tls-wizard output directories against the K8ssandraCluster CRD (K14) and the
K8ssandra contract (rules K1-K8, K10, K13 of doc/rules.md), with the real consumers: the JSON schema of the
CRD, openssl (PKCS#12 stores, PEM files, chains) and keytool (JKS stores, and Java's view of one
PKCS#12 truststore per run).

usage: krules.py --crd CRD [--original MANIFEST --dir DIR] [--keytool-pkcs12] DIR...

The CRD is loaded once for all the directories. Prints one "ok:"/"FAIL:" line per check and exits 1
when anything failed.
"""
import argparse
import base64
import os
import re
import subprocess
import sys
import tempfile

import yaml

try:
    from jsonschema import Draft4Validator
except ImportError:  # pragma: no cover
    print("FAIL: python3-jsonschema is not installed (use /usr/bin/python3)")
    sys.exit(1)

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
OPERATOR_FILLED = ("keystore", "truststore", "keystore_password", "truststore_password")
DEFAULT_PW_KEY = {"keystore": "keystore-password", "truststore": "truststore-password"}

failures = 0
passes = 0


def ok(cond, what):
    global failures, passes
    if cond:
        passes += 1
    else:
        failures += 1
        print("FAIL: " + what)
    return cond


def run(cmd, env=None, stdin=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(cmd, env=e, input=stdin, capture_output=True)


class OutDir:
    """One output directory: the cluster manifest, the Secrets (decoded), the files."""

    def __init__(self, path):
        self.path = path
        with open(os.path.join(path, "kustomization.yaml")) as f:
            self.kust = yaml.safe_load(f)
        self.cluster_file = os.path.join(path, "manifests/20-k8ssandracluster.yaml")
        with open(self.cluster_file) as f:
            self.cluster_text = f.read()
        docs = [d for d in yaml.safe_load_all(self.cluster_text) if d is not None]
        ok(len(docs) == 1, f"{path}: the cluster manifest holds one document")
        self.cluster = docs[0]
        self.secrets = {}
        self.namespace_doc = None
        for res in self.kust.get("resources", []):
            with open(os.path.join(path, res)) as f:
                doc = yaml.safe_load(f)
            if doc.get("kind") == "Secret":
                self.secrets[doc["metadata"]["name"]] = doc
            elif doc.get("kind") == "Namespace":
                self.namespace_doc = doc

    def data(self, secret, key):
        s = self.secrets.get(secret)
        if not s or key not in s.get("data", {}):
            return None
        return base64.b64decode(s["data"][key], validate=True)


def get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


# ---- K14 -----------------------------------------------------------------------------------

def check_crd(validator, o):
    errors = sorted(validator.iter_errors(o.cluster), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"  {o.path}: {'.'.join(str(p) for p in e.path)}: {e.message}")
    ok(not errors, f"{o.path}: K14 the K8ssandraCluster validates against the CRD")


# ---- the Secrets ---------------------------------------------------------------------------

def check_secrets(o):
    ns = get(o.cluster, "metadata", "namespace")
    ok(bool(ns), f"{o.path}: the cluster names its namespace")
    for name, s in o.secrets.items():
        where = f"{o.path}: Secret {name}"
        if s.get("type") == "kubernetes.io/tls":
            # M1: the management API's Secrets (and the other PEM trios of SPEC §10)
            ok(s.get("apiVersion") == "v1" and {"ca.crt", "tls.crt", "tls.key"} == set(s.get("data", {})),
               f"{where}: v1, type kubernetes.io/tls with ca.crt, tls.crt, tls.key")
        else:
            ok(s.get("apiVersion") == "v1" and s.get("type") == "Opaque", f"{where}: v1, type Opaque")
        ok(get(s, "metadata", "namespace") == ns, f"{where}: in the cluster's namespace {ns}")
        ok(get(s, "metadata", "labels", "app.kubernetes.io/managed-by") == "k8tls-wizard",
           f"{where}: managed-by label")
        ok(DNS1123_SUBDOMAIN.match(name) is not None and len(name) <= 253,
           f"{where}: a DNS-1123 name")
        for k, v in s.get("data", {}).items():
            raw = base64.b64decode(v, validate=True)
            ok(len(raw) > 0, f"{where}: {k} is not empty")
            if "password" in k or k.endswith(".pw"):
                ok(not raw.endswith(b"\n"), f"{where}: {k} has no trailing newline (K11)")
        mode = os.stat(os.path.join(o.path, f"manifests/10-secret-{name}.yaml")).st_mode & 0o777
        ok(mode == 0o600, f"{where}: file mode 0600 (is {oct(mode)})")
    order = o.kust.get("resources", [])
    kinds = []
    for r in order:
        kinds.append("ns" if "00-namespace" in r else "secret" if "10-secret-" in r else
                     "cluster" if "20-k8ssandracluster" in r else r)
    ok(kinds == sorted(kinds, key=lambda k: ["ns", "secret", "cluster"].index(k)) and
       kinds[-1] == "cluster", f"{o.path}: kustomization lists namespace, Secrets, cluster ({kinds})")


# ---- K1-K8, K10, K13 -----------------------------------------------------------------------

def store_kind(raw):
    if raw[:4] == b"\xfe\xed\xfe\xed":
        return "JKS"
    if raw[:1] == b"\x30":
        return "PKCS12"
    return "?"


def check_store_refs(o, block, stores, opts):
    """K1, K2, K13 for one of serverEncryptionStores / clientEncryptionStores."""
    where = f"{o.path}: spec.cassandra.{block}"
    for ref in ("keystoreSecretRef", "truststoreSecretRef"):
        r = stores.get(ref)
        if not ok(isinstance(r, dict) and r.get("name") and r.get("key"),
                  f"{where}.{ref} has name and key (K1)"):
            continue
        store = "keystore" if ref.startswith("keystore") else "truststore"
        raw = o.data(r["name"], r["key"])
        ok(raw is not None, f"{where}.{ref}: Secret {r['name']} holds key {r['key']}")
        # K2: with a key set, the operator reads the password from that same key unless a
        # password ref is given.
        pref = stores.get(store + "PasswordSecretRef")
        if r.get("key"):
            ok(isinstance(pref, dict), f"{where}: {store}PasswordSecretRef is set since "
                                       f"{ref}.key is (K2)")
        pname = (pref or {}).get("name") or r["name"]
        pkey = (pref or {}).get("key") or DEFAULT_PW_KEY[store]
        pw = o.data(pname, pkey)
        ok(pw is not None and len(pw) >= 6, f"{where}: the {store} password is in Secret "
                                            f"{pname} key {pkey}")
        if raw is not None and opts is not None:
            t = store_kind(raw)
            if o.dse:
                ok(opts.get(f"{store}_type") == t, f"{where}: {store}_type {t} (K5, DSE)")
            else:
                ok(opts.get("store_type") == t, f"{where}: store_type {t} matches the bytes (K5)")
        if raw is not None and pw is not None:
            o.stores[(block, store)] = (raw, pw.decode())


def check_contract(o):
    c = o.cluster
    spec = c.get("spec", {})
    cas = spec.get("cassandra", {})
    cy = get(cas, "config", "cassandraYaml") or {}
    seo = cy.get("server_encryption_options")
    ceo = cy.get("client_encryption_options")
    o.dse = cas.get("serverType") == "dse"
    o.stores = {}
    p = o.path

    # K10
    ok(isinstance(cas.get("serverVersion"), str), f"{p}: serverVersion is a string (K10)")
    ok(re.search(r'^\s*serverVersion: "[^"]+"\s*$', o.cluster_text, re.M) is not None,
       f"{p}: serverVersion is quoted in the text (K10)")
    for name in (get(c, "metadata", "name"), get(c, "metadata", "namespace")):
        ok(isinstance(name, str) and DNS1123_LABEL.match(name) is not None,
           f"{p}: {name!r} is a DNS-1123 label (K10)")
    for i, dc in enumerate(cas.get("datacenters", [])):
        ok(DNS1123_LABEL.match(get(dc, "metadata", "name") or "") is not None,
           f"{p}: datacenters[{i}] name is DNS-1123 (K10)")
        ok(isinstance(dc.get("size"), int) and dc["size"] >= 1,
           f"{p}: datacenters[{i}].size >= 1 (K10)")
        # K1: stores and switches are cluster-wide
        for key in ("serverEncryptionStores", "clientEncryptionStores"):
            ok(key not in dc, f"{p}: datacenters[{i}] has no {key} (K1)")
        dcy = get(dc, "config", "cassandraYaml") or {}
        for blk in ("server_encryption_options", "client_encryption_options"):
            for k in OPERATOR_FILLED + ("internode_encryption", "enabled"):
                ok(k not in (dcy.get(blk) or {}), f"{p}: datacenters[{i}] does not override "
                                                  f"{blk}.{k} (K1)")

    # K3, K4
    for name, blk in (("server_encryption_options", seo), ("client_encryption_options", ceo)):
        for k in OPERATOR_FILLED:
            ok(k not in (blk or {}), f"{p}: {name}.{k} is left to the operator (K4)")
    ok("enabled" not in (seo or {}), f"{p}: no server_encryption_options.enabled (K3)")
    server_on = (seo or {}).get("internode_encryption") in ("dc", "rack", "all")
    client_on = (ceo or {}).get("enabled") is True
    if ceo is not None and "enabled" in ceo:
        ok(isinstance(ceo["enabled"], bool), f"{p}: client_encryption_options.enabled is a "
                                             f"YAML boolean (K3)")
    ok(server_on == ("serverEncryptionStores" in cas),
       f"{p}: server stores set exactly when internode_encryption is dc/rack/all (K3)")
    ok(client_on == ("clientEncryptionStores" in cas),
       f"{p}: client stores set exactly when client encryption is on (K3, K6)")

    # K1, K2, K5, K13
    if "serverEncryptionStores" in cas:
        check_store_refs(o, "serverEncryptionStores", cas["serverEncryptionStores"], seo)
        ok(("serverEncryptionStores", "truststore") in o.stores,
           f"{p}: internode has a truststore (K13)")
    if "clientEncryptionStores" in cas:
        check_store_refs(o, "clientEncryptionStores", cas["clientEncryptionStores"], ceo)
    if seo is not None and server_on:
        ok(("keystore_type" in seo) if o.dse else ("store_type" in seo),
           f"{p}: server block names its store type (K5)")

    # K8
    med = spec.get("medusa")
    if isinstance(med, dict):
        ok("certificatesSecretRef" not in med, f"{p}: no deprecated certificatesSecretRef (K8)")
        if client_on:
            ces = med.get("clientEncryptionStores")
            if ok(isinstance(ces, dict), f"{p}: Medusa has clientEncryptionStores with client "
                                         f"encryption on (K8)"):
                want = {"keystoreSecretRef": ("rootca.crt", b"-----BEGIN CERTIFICATE-----"),
                        "truststoreSecretRef": ("client.crt_signed",
                                                b"-----BEGIN CERTIFICATE-----"),
                        "truststorePasswordSecretRef": ("client.key",
                                                        b"-----BEGIN PRIVATE KEY-----")}
                for ref, (key, head) in want.items():
                    r = ces.get(ref) or {}
                    ok(r.get("key") == key, f"{p}: medusa {ref}.key is {key} (K8)")
                    raw = o.data(r.get("name"), r.get("key") or "")
                    if r.get("name") in o.secrets:
                        ok(raw is not None and raw.startswith(head),
                           f"{p}: medusa {ref} holds {head.decode()} (K8)")
                        o.medusa[key] = raw
        else:
            ok("clientEncryptionStores" not in med, f"{p}: no Medusa certificates without "
                                                    f"client encryption")


# ---- the stores, with openssl and keytool (K2 passwords, K7 chains) ------------------------

def pkcs12_certs(path, pw, which):
    r = run(["openssl", "pkcs12", "-in", path, "-passin", "env:K8TLS_PW", "-nokeys", which],
            env={"K8TLS_PW": pw})
    return r.returncode, r.stdout


def keytool_list(path, pw, storetype):
    return run(["keytool", "-list", "-keystore", path, "-storetype", storetype,
                "-storepass:env", "K8TLS_PW"], env={"K8TLS_PW": pw})


def keytool_pem(path, pw, storetype, alias):
    r = run(["keytool", "-exportcert", "-rfc", "-keystore", path, "-storetype", storetype,
             "-storepass:env", "K8TLS_PW", "-alias", alias], env={"K8TLS_PW": pw})
    return r.stdout if r.returncode == 0 else b""


def verify(cafile, certfile):
    r = run(["openssl", "verify", "-CAfile", cafile, certfile])
    return r.returncode == 0


def check_stores(o, tmp, keytool_p12):
    p = o.path
    ca = os.path.join(p, "ca/rootca.crt")
    for block in ("serverEncryptionStores", "clientEncryptionStores"):
        if (block, "keystore") not in o.stores or (block, "truststore") not in o.stores:
            continue
        ks, kpw = o.stores[(block, "keystore")]
        ts, tpw = o.stores[(block, "truststore")]
        kf, tf = os.path.join(tmp, block + ".ks"), os.path.join(tmp, block + ".ts")
        open(kf, "wb").write(ks)
        open(tf, "wb").write(ts)
        leaf_pem, trust_pem = os.path.join(tmp, block + ".leaf.pem"), os.path.join(tmp, block + ".trust.pem")
        if store_kind(ks) == "JKS":
            r = keytool_list(kf, kpw, "JKS")
            ok(r.returncode == 0 and b"PrivateKeyEntry" in r.stdout,
               f"{p}: {block} JKS keystore opens with its password (keytool)")
            alias = re.search(rb"^([a-z0-9._-]+), .*PrivateKeyEntry", r.stdout, re.M)
            leaf = keytool_pem(kf, kpw, "JKS", alias.group(1).decode()) if alias else b""
            r = keytool_list(tf, tpw, "JKS")
            ok(r.returncode == 0 and b"trustedCertEntry" in r.stdout,
               f"{p}: {block} JKS truststore opens with its password (keytool)")
            trust = b"".join(keytool_pem(tf, tpw, "JKS", a.decode())
                             for a in re.findall(rb"^([a-z0-9._-]+), .*trustedCertEntry",
                                                 r.stdout, re.M))
        else:
            rc, leaf = pkcs12_certs(kf, kpw, "-clcerts")
            ok(rc == 0 and b"BEGIN CERTIFICATE" in leaf,
               f"{p}: {block} PKCS#12 keystore opens with its password (openssl)")
            rc, trust = pkcs12_certs(tf, tpw, "-cacerts")
            if b"BEGIN CERTIFICATE" not in trust:
                rc, trust = pkcs12_certs(tf, tpw, "-nokeys")
            ok(rc == 0 and b"BEGIN CERTIFICATE" in trust,
               f"{p}: {block} PKCS#12 truststore opens with its password (openssl)")
            rc2, _ = pkcs12_certs(kf, kpw + "x", "-clcerts")
            ok(rc2 != 0, f"{p}: {block} keystore refuses a wrong password")
            if keytool_p12:
                r = keytool_list(tf, tpw, "PKCS12")
                ok(r.returncode == 0 and b"trustedCertEntry" in r.stdout,
                   f"{p}: {block} PKCS#12 truststore lists a trustedCertEntry in Java (keytool)")
        open(leaf_pem, "wb").write(leaf)
        open(trust_pem, "wb").write(trust)
        ok(verify(ca, leaf_pem), f"{p}: {block} keystore certificate chains to ca/rootca.crt "
                                 f"(openssl verify)")
        ok(verify(trust_pem, leaf_pem), f"{p}: {block} keystore certificate chains to a CA of "
                                        f"its truststore (K7)")
        # the raw stores on disk are the Secret's bytes
        name = o.cluster["spec"]["cassandra"][block]["keystoreSecretRef"]["name"]
        with open(os.path.join(p, "stores", name, "keystore"), "rb") as f:
            ok(f.read() == ks, f"{p}: stores/{name}/keystore equals the Secret's bytes")
    if o.medusa:
        files = {}
        for k, v in o.medusa.items():
            files[k] = os.path.join(tmp, "medusa-" + k)
            open(files[k], "wb").write(v)
        if "rootca.crt" in files and "client.crt_signed" in files:
            ok(verify(files["rootca.crt"], files["client.crt_signed"]),
               f"{p}: the Medusa certificate chains to rootca.crt (K8)")
        if "client.key" in files and "client.crt_signed" in files:
            a = run(["openssl", "pkey", "-in", files["client.key"], "-pubout"]).stdout
            b = run(["openssl", "x509", "-in", files["client.crt_signed"], "-noout",
                     "-pubkey"]).stdout
            ok(a and a == b, f"{p}: the Medusa key matches its certificate, unencrypted (K8)")


# ---- merge: everything else kept -----------------------------------------------------------

ENCRYPTION_PATHS = (
    ("metadata", "namespace"),
    ("spec", "cassandra", "serverEncryptionStores"),
    ("spec", "cassandra", "clientEncryptionStores"),
    ("spec", "cassandra", "config", "cassandraYaml", "server_encryption_options"),
    ("spec", "cassandra", "config", "cassandraYaml", "client_encryption_options"),
    ("spec", "medusa", "certificatesSecretRef"),
    ("spec", "medusa", "clientEncryptionStores"),
)


def encryption_path(path):
    for e in ENCRYPTION_PATHS:
        if tuple(path[:len(e)]) == e:
            return True
    # per-DC encryption overrides
    return (len(path) >= 6 and path[:3] == ("spec", "cassandra", "datacenters") and
            path[4:6] == ("config", "cassandraYaml") and len(path) >= 7 and
            path[6] in ("server_encryption_options", "client_encryption_options"))


def leaves(d, path=()):
    if isinstance(d, dict):
        for k, v in d.items():
            yield from leaves(v, path + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from leaves(v, path + (i,))
    else:
        yield path, d


def lookup(d, path):
    for p in path:
        try:
            d = d[p]
        except (KeyError, IndexError, TypeError):
            return KeyError
    return d


def check_merge(o, original):
    with open(original) as f:
        docs = [d for d in yaml.safe_load_all(f) if d and d.get("kind") == "K8ssandraCluster"]
    orig = docs[0]
    kept = 0
    for path, v in leaves(orig):
        if encryption_path(path):
            continue
        got = lookup(o.cluster, path)
        ok(got == v, f"{o.path}: merge keeps {'.'.join(map(str, path))} = {v!r} (got {got!r})")
        kept += 1
    ok(kept > 0, f"{o.path}: merge compared {kept} kept fields")

    def order(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            ka = [k for k in a if not encryption_path(path + (k,))]
            kb = [k for k in b if k in ka]
            ok(ka == kb, f"{o.path}: merge keeps the key order of {'.'.join(map(str, path)) or '/'}")
            for k in ka:
                order(a[k], b[k], path + (k,))
        elif isinstance(a, list) and isinstance(b, list):
            for i, (x, y) in enumerate(zip(a, b)):
                order(x, y, path + (i,))
    order(orig, o.cluster, ())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crd", required=True)
    ap.add_argument("--original", action="append", default=[],
                    help="DIR=MANIFEST: DIR was merged from MANIFEST")
    ap.add_argument("--keytool-pkcs12", action="append", default=[],
                    help="DIR whose PKCS#12 truststores are also listed by keytool")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    with open(a.crd) as f:
        crd = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    validator = Draft4Validator(schema)
    originals = dict(x.split("=", 1) for x in a.original)
    for d in a.dirs:
        before = failures
        o = OutDir(d)
        o.medusa = {}
        check_crd(validator, o)
        check_secrets(o)
        check_contract(o)
        with tempfile.TemporaryDirectory() as tmp:
            check_stores(o, tmp, d in a.keytool_pkcs12)
        if d in originals:
            check_merge(o, originals[d])
        print(("ok: " if failures == before else "FAIL: ") + f"{d}: K14 + K1-K8, K10, K13")
    print(f"{passes} checks passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
