#!/usr/bin/python3
"""The operator's part of the staged-rollout phase matrix (tests/staged/phase-matrix.sh).

Reads a sequence of phase bundles and writes, for tests/staged/CassandraPeer.java (which EMULATES
Cassandra's negotiation from doc/staged-rollout.md section 1; nothing here runs Cassandra):

  nodes.txt  one line per (phase, pod): what the operator gives that pod (doc/staged-rollout.md
             section 2): serverVersion, datacenter and rack, the merged cassandraYaml encryption
             options, and the stores it mounts, taken from the bundle's Secret manifests: server
             stores only when internode_encryption is set and is not "none", client stores only
             when client_encryption_options.enabled is the boolean true.
  medusa.txt with Medusa in the manifest: per pod of a phase with client encryption on, the
             PEM trio of the Medusa Secret, for medusa_tls.py (Python ssl, TLS to that pod).
  plan.txt   the matrix of doc/staged-rollout.md section 4.5: for each phase N -> N+1 (O runs
             N's bundle, R N+1's), every ordered pair of distinct pods in the roles (O,O), (O,R),
             (R,O), (R,R) must connect, internode (A's outbound to B's inbound); a plain client
             connects to O and R unless that pod's phase is clients-required (or the one-shot
             bundle), where it must be refused; a TLS client connects to every pod whose phase is
             not "before" and is refused by a "before" pod.

The expectations come from the phase NAMES given on the command line, never from the bundle's
values (the bundle is what is judged).

usage: staged_matrix.py [--clients-off] OUTDIR PHASE=BUNDLE PHASE=BUNDLE...
       staged_matrix.py --selftest OUTDIR BUNDLE
  --clients-off: the target has no client encryption: a plain client connects to every pod and
  a TLS client is refused by every pod.
  BUNDLE: an output directory of the wizard, or a K8ssandraCluster manifest (the running cluster)
  PHASE:  before, accept, send, enforce, clients-required (or clientsRequired), oneShot
  --selftest: hand-written nodes (with BUNDLE's stores) and expectations, one per rule of
  doc/staged-rollout.md section 1, so that each rule of the peer is seen to refuse where that
  section says it does (the peer can fail); not a judgment of any bundle.
Lines of nodes.txt / plan.txt: tab-separated key=value fields.
"""
import base64
import copy
import glob
import os
import sys

import yaml

PLAIN_REFUSED = {"clients-required", "clientsRequired", "oneShot"}
PHASES = {"before", "accept", "send", "enforce"} | PLAIN_REFUSED


def die(msg):
    print("staged_matrix.py: " + msg, file=sys.stderr)
    sys.exit(2)


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return yaml.safe_load(f)


def merge(a, b):
    """cassandraYaml of the cluster, overridden key by key by the datacenter's."""
    r = copy.deepcopy(a) if isinstance(a, dict) else {}
    for k, v in (b or {}).items():
        r[k] = merge(r.get(k), v) if isinstance(v, dict) and isinstance(r.get(k), dict) else copy.deepcopy(v)
    return r


def bundle(path):
    """(manifest, {secret name: {key: bytes}}) of a bundle directory or a manifest file."""
    if os.path.isdir(path):
        m = load(os.path.join(path, "manifests", "20-k8ssandracluster.yaml"))
        secrets = {}
        for f in sorted(glob.glob(os.path.join(path, "manifests", "10-secret-*.yaml"))):
            d = load(f)
            if d.get("kind") != "Secret":
                continue
            data = {k: base64.b64decode(v) for k, v in (d.get("data") or {}).items()}
            data.update({k: v.encode() for k, v in (d.get("stringData") or {}).items()})
            secrets[d["metadata"]["name"]] = data
        return m, secrets
    return load(path), {}


def pods(m):
    """(dc, rack, pod) per pod: racks from datacenters[].racks (one default rack without), the
    pods spread over them in turn (cass-operator's spread; not confirmed, doc section 3.5)."""
    r = []
    for d in m["spec"]["cassandra"]["datacenters"]:
        dc = d["metadata"]["name"]
        racks = [x["name"] for x in d.get("racks") or []] or ["default"]
        count = {}
        for i in range(int(d.get("size", 1))):
            rack = racks[i % len(racks)]
            n = count.get(rack, 0)
            count[rack] = n + 1
            r.append((dc, rack, "%s-%s-sts-%d" % (dc, rack, n), d))
    return r


def version(m, d):
    v = str(d.get("serverVersion") or m["spec"]["cassandra"].get("serverVersion") or "")
    t = d.get("serverType") or m["spec"]["cassandra"].get("serverType") or "cassandra"
    if t != "cassandra":
        return None, "serverType %s is not emulated" % t
    parts = v.split(".")
    if len(parts) < 2:
        return None, "serverVersion %r is not a version" % v
    return parts[0] + "." + parts[1], None


def stores(fields, prefix, ref, secrets, workdir, tag):
    """The operator mounts the four Secret keys of ref; write them to files the peer loads."""
    names = {"keystore": "keystoreSecretRef", "truststore": "truststoreSecretRef",
             "keystore_password": "keystorePasswordSecretRef",
             "truststore_password": "truststorePasswordSecretRef"}
    for field, key in names.items():
        r = (ref or {}).get(key)
        if not r:
            return "%s is not set" % key
        data = secrets.get(r.get("name"), {})
        if r.get("key") not in data:
            return "Secret %s has no key %s in the bundle" % (r.get("name"), r.get("key"))
        f = os.path.join(workdir, "%s-%s-%s" % (tag, prefix, field))
        with open(f, "wb") as out:
            out.write(data[r["key"]])
        fields[prefix + "." + field] = f
    fields[prefix + ".stores"] = "mounted"
    return None


def tri(v):
    return "unset" if v is None else ("true" if v is True else "false" if v is False else str(v))


def node_fields(phase, path, m, secrets, dc, rack, pod, d, workdir):
    f = {"id": "%s/%s" % (phase, pod), "dc": dc, "rack": rack}
    ver, err = version(m, d)
    f["version"] = ver or "?"
    cy = merge((m["spec"]["cassandra"].get("config") or {}).get("cassandraYaml"),
               (d.get("config") or {}).get("cassandraYaml"))
    s = cy.get("server_encryption_options") or {}
    c = cy.get("client_encryption_options") or {}
    f["srv.mode"] = str(s.get("internode_encryption", "none"))
    f["srv.optional"] = tri(s.get("optional"))
    f["srv.require_client_auth"] = tri(s.get("require_client_auth"))
    f["srv.require_endpoint_verification"] = tri(s.get("require_endpoint_verification"))
    f["srv.store_type"] = str(s.get("store_type", "JKS"))
    f["cli.enabled"] = tri(c.get("enabled", False))
    f["cli.optional"] = tri(c.get("optional"))
    f["cli.require_client_auth"] = tri(c.get("require_client_auth"))
    f["cli.store_type"] = str(c.get("store_type", "JKS"))
    tag = "%s-%s" % (phase, pod)
    # doc/staged-rollout.md section 2: what the operator mounts
    if s.get("internode_encryption") not in (None, "none"):
        e = stores(f, "srv", m["spec"]["cassandra"].get("serverEncryptionStores"), secrets, workdir, tag)
        if e:
            err = err or "server stores: " + e
    if c.get("enabled") is True:
        e = stores(f, "cli", m["spec"]["cassandra"].get("clientEncryptionStores"), secrets, workdir, tag)
        if e:
            err = err or "client stores: " + e
    if err:
        f["error"] = "%s: %s" % (path, err)
    return f


def medusa_files(m, secrets, workdir, tag):
    """Medusa's PEM trio as its container gets it: the Secret that spec.medusa names (the
    operator mounts it whole; keys rootca.crt, client.crt_signed, client.key). None without
    Medusa or without the Secret in the bundle."""
    med = m["spec"].get("medusa")
    if not isinstance(med, dict):
        return None
    name = ((med.get("clientEncryptionStores") or {}).get("keystoreSecretRef") or {}).get("name") \
        or (med.get("certificatesSecretRef") or {}).get("name")
    data = secrets.get(name)
    if not data:
        return None
    r = {}
    for field, key in (("rootca", "rootca.crt"), ("cert", "client.crt_signed"), ("key", "client.key")):
        if key not in data:
            return {"error": "Secret %s has no key %s" % (name, key)}
        fn = os.path.join(workdir, "%s-medusa-%s" % (tag, key))
        with open(fn, "wb") as out:
            out.write(data[key])
        r[field] = fn
    return r


def line(d):
    for k, v in d.items():
        if "\t" in v or "\n" in v:
            die("a tab or newline in %s=%r" % (k, v))
    return "\t".join("%s=%s" % kv for kv in d.items()) + "\n"


# --selftest: (id, version, dc, rack, internode mode, optional, client enabled, client optional)
SELF_NODES = [
    ("41-none", "4.1", "dc1", "r1", "none", None, False, None),
    ("41-none-dc2", "4.1", "dc2", "r1", "none", None, False, None),
    ("41-dc", "4.1", "dc1", "r1", "dc", None, True, None),
    ("41-dc-opt", "4.1", "dc1", "r1", "dc", True, False, None),
    ("41-all", "4.1", "dc1", "r1", "all", None, False, None),
    ("41-all-opt", "4.1", "dc1", "r1", "all", True, False, None),
    ("50-none", "5.0", "dc1", "r1", "none", None, False, None),
    ("50-all", "5.0", "dc1", "r1", "all", None, False, None),
    ("50-all-opt", "5.0", "dc1", "r1", "all", True, False, None),
    ("311-none", "3.11", "dc1", "r1", "none", None, True, True),
    ("311-dc", "3.11", "dc1", "r1", "dc", None, False, None),
    ("311-rack-r2", "3.11", "dc1", "r2", "rack", None, False, None),
    ("311-all", "3.11", "dc1", "r3", "all", None, False, None),
    ("311-all-opt", "3.11", "dc1", "r1", "all", False, False, None),
]
# (kind, from, to, expect, the rule of doc/staged-rollout.md section 1)
SELF_PLAN = [
    ("internode", "41-none-dc2", "41-dc", "refused", "1.3 plain from another dc refused after the first message (dc implies optional, not explicit)"),
    ("internode", "41-none-dc2", "41-dc-opt", "ok", "1.3 the same with optional: true explicit is accepted"),
    ("internode", "41-dc", "41-none", "ok", "1.3 dc sends plain within its dc"),
    ("internode", "41-dc", "41-none-dc2", "refused", "1.3 dc sends TLS to another dc; RejectSslHandler closes; no fallback"),
    ("internode", "41-all", "41-none", "refused", "1.3 all sends TLS; RejectSslHandler closes; no fallback in 4.1"),
    ("internode", "41-all-opt", "41-none", "refused", "1.3 all, optional: true sends TLS; no fallback in 4.1"),
    ("internode", "41-none", "41-all", "refused", "1.3 all without optional is TLS only"),
    ("internode", "41-none", "41-all-opt", "ok", "1.3 all, optional: true accepts plain (OptionalSslHandler)"),
    ("internode", "41-all", "41-dc", "ok", "1.3 dc (optional implied) accepts TLS"),
    ("internode", "50-all-opt", "50-none", "ok", "1.4 5.0 all, optional: true falls back to plain"),
    ("internode", "50-all", "50-none", "refused", "1.4 5.0 without optional: no fallback"),
    ("internode", "311-none", "311-all", "refused", "1.2 3.11 all has no plain listener"),
    ("internode", "311-dc", "311-none", "ok", "1.2 3.11 dc sends plain within its dc"),
    ("internode", "311-rack-r2", "311-dc", "ok", "1.2 3.11 rack sends TLS to another rack's ssl_storage_port"),
    ("internode", "311-rack-r2", "311-none", "refused", "1.2 3.11 none has no ssl_storage_port listener"),
    ("internode", "311-all", "311-rack-r2", "ok", "1.2 3.11 all sends TLS; rack listens on ssl_storage_port"),
    ("client-plain", None, "41-dc", "refused", "1.3 client enabled, optional not set: TLS only"),
    ("client-tls", None, "41-dc", "ok", "1.3 client enabled: TLS accepted"),
    ("client-plain", None, "311-none", "ok", "1.2 3.11 client enabled, optional: plain accepted"),
    ("client-tls", None, "311-none", "ok", "1.2 3.11 client enabled, optional: TLS accepted"),
    ("client-tls", None, "41-none", "refused", "1.3 client not enabled: a TLS hello is refused"),
]


def selftest(out, path):
    m, secrets = bundle(path)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "nodes.txt"), "w") as f:
        for nid, ver, dc, rack, mode, opt, cen, copt in SELF_NODES:
            n = {"id": nid, "version": ver, "dc": dc, "rack": rack, "srv.mode": mode,
                 "srv.optional": tri(opt), "srv.require_client_auth": "true", "srv.store_type": "PKCS12",
                 "cli.enabled": tri(cen), "cli.optional": tri(copt), "cli.require_client_auth": "true",
                 "cli.store_type": "PKCS12"}
            if mode != "none":
                e = stores(n, "srv", m["spec"]["cassandra"].get("serverEncryptionStores"), secrets, out, nid)
                if e:
                    die(e)
            if cen:
                e = stores(n, "cli", m["spec"]["cassandra"].get("clientEncryptionStores"), secrets, out, nid)
                if e:
                    die(e)
            f.write(line(n))
    with open(os.path.join(out, "plan.txt"), "w") as f:
        for kind, a, b, expect, rule in SELF_PLAN:
            d = {"kind": kind, "to": b, "expect": expect, "label": "%s %s -> %s: %s" % (kind, a or "client", b, rule)}
            if a:
                d["from"] = a
            if kind == "client-tls":
                d["stores"] = "41-dc"
            f.write(line(d))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--selftest":
        selftest(sys.argv[2], sys.argv[3])
        return
    args = sys.argv[1:]
    clients_off = bool(args) and args[0] == "--clients-off"
    if clients_off:
        args = args[1:]
    if len(args) < 3:
        die("usage: staged_matrix.py [--clients-off] OUTDIR PHASE=BUNDLE PHASE=BUNDLE...")
    out = args[0]
    seq = []
    for a in args[1:]:
        phase, _, path = a.partition("=")
        if phase not in PHASES or not path:
            die("not PHASE=BUNDLE with a known phase: " + a)
        seq.append((phase, path))
    os.makedirs(out, exist_ok=True)
    topo = None
    nodes = []
    medusa = []
    for phase, path in seq:
        m, secrets = bundle(path)
        t = pods(m)
        shape = [(dc, rack, pod) for dc, rack, pod, _ in t]
        if topo is None:
            topo = shape
        elif shape != topo:
            die("%s: the datacenters and racks differ from the first bundle's" % path)
        for dc, rack, pod, d in t:
            nodes.append(node_fields(phase, path, m, secrets, dc, rack, pod, d, out))
            # Medusa runs in each pod and, with client encryption on, speaks TLS to its own node
            if phase != "before" and (m["spec"]["cassandra"].get("config") or {}) \
                    .get("cassandraYaml", {}).get("client_encryption_options", {}).get("enabled") is True:
                mf = medusa_files(m, secrets, out, "%s-%s" % (phase, pod))
                if mf is not None:
                    mf["node"] = "%s/%s" % (phase, pod)
                    medusa.append(mf)
    if len(topo) < 2:
        die("fewer than two pods: no internode pair")
    with open(os.path.join(out, "nodes.txt"), "w") as f:
        for n in nodes:
            f.write(line(n))
    if medusa:
        with open(os.path.join(out, "medusa.txt"), "w") as f:
            for mf in medusa:
                f.write(line(mf))
    client_stores = None
    with open(os.path.join(out, "plan.txt"), "w") as f:
        for i in range(len(seq) - 1):
            po, pr = seq[i][0], seq[i + 1][0]
            tr = "%s->%s" % (po, pr)
            for _, _, a in topo:
                for _, _, b in topo:
                    if a == b:
                        continue
                    for ra, rb in (("O", "O"), ("O", "R"), ("R", "O"), ("R", "R")):
                        pa = po if ra == "O" else pr
                        pb = po if rb == "O" else pr
                        f.write(line({"kind": "internode", "from": "%s/%s" % (pa, a), "to": "%s/%s" % (pb, b),
                                      "expect": "ok",
                                      "label": "%s internode %s:%s -> %s:%s" % (tr, ra, a, rb, b)}))
            # the TLS client uses the client stores of the newest bundle that has them
            for n in nodes:
                if n["id"].startswith(pr + "/") and n.get("cli.stores") == "mounted":
                    client_stores = n["id"]
                    break
            for role, ph in (("O", po), ("R", pr)):
                for _, _, b in topo:
                    to = "%s/%s" % (ph, b)
                    f.write(line({"kind": "client-plain", "to": to,
                                  "expect": "refused" if ph in PLAIN_REFUSED and not clients_off else "ok",
                                  "label": "%s plain client -> %s:%s" % (tr, role, b)}))
                    if clients_off:
                        # no client stores in any phase: a TLS client with the server stores
                        # (same CA) is refused by a plain-only native port
                        f.write(line({"kind": "client-tls", "to": to, "stores": "srv:%s/%s" % (pr, b),
                                      "expect": "refused",
                                      "label": "%s TLS client -> %s:%s" % (tr, role, b)}))
                    elif client_stores:
                        f.write(line({"kind": "client-tls", "to": to, "stores": client_stores,
                                      "expect": "refused" if ph == "before" else "ok",
                                      "label": "%s TLS client -> %s:%s" % (tr, role, b)}))
                    elif ph != "before":
                        f.write(line({"kind": "client-tls", "to": to, "stores": "%s/%s" % (ph, b),
                                      "expect": "ok",
                                      "label": "%s TLS client -> %s:%s" % (tr, role, b)}))
    print("staged_matrix.py: %s: %d nodes, %d pods, phases %s" % (out, len(nodes), len(topo),
                                                                 " ".join(p for p, _ in seq)))


if __name__ == "__main__":
    main()
