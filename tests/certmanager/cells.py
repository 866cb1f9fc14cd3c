"""Lay out the Secrets the emulation of cert-manager wrote (emulate.py) the way their consumers
see them, following the refs of the wizard's K8ssandraCluster, so that the existing interop judges
(tests/interop/TlsPeer.java, medusa_client.py, surfaces_tls.py, ReaperPeer.java) run on them.

usage: cells.py [--namespace NS] OUTDIR EMUDIR CELL [SURF]
  --namespace NS                  the namespace of a K8ssandraCluster written without one
  CELL/store_type                 cassandraYaml's server_encryption_options.store_type (the
                                  client block's must be the same)
  CELL/server/, CELL/client/      keystore, truststore, keystore-password, truststore-password of
                                  spec.cassandra.serverEncryptionStores / clientEncryptionStores,
                                  resolved as the operator resolves them: the store file is the
                                  Secret key `key` (default keystore / truststore); the password is
                                  the key of *PasswordSecretRef (default keystore-password /
                                  truststore-password), or without that ref the store Secret's key
                                  `key` or keystore-password; a missing key is an empty password
  CELL/medusa/                    spec.medusa.clientEncryptionStores, mapped as Medusa's ini is:
                                  keystoreSecretRef -> rootca.crt (the CA), truststoreSecretRef ->
                                  client.crt_signed, truststorePasswordSecretRef -> client.key
  SURF/tls/NAME/                  the Secrets of SPEC section 10 under the names surfaces_tls.py
                                  uses, from managementApiAuth.manual, reaper.encryption,
                                  reaper.httpManagement.keystores, medusa.serviceProperties.encryption
A ref to a Secret or key that does not exist is an error (exit 1, "FAIL:" lines); each resolved
ref is printed ("ok: ...")."""
import os
import sys

import yaml

argv = sys.argv[1:]
default_ns = None
if argv[:1] == ["--namespace"]:
    default_ns, argv = argv[1], argv[2:]
out, emu, cell = argv[0:3]
surf = argv[3] if len(argv) > 3 else None
fails = 0


def bad(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


k8c = None
for f in sorted(os.listdir(os.path.join(out, "manifests"))):
    for o in yaml.safe_load_all(open(os.path.join(out, "manifests", f))):
        if o and o.get("kind") == "K8ssandraCluster":
            k8c = o
if k8c is None:
    print("FAIL: no K8ssandraCluster in %s/manifests" % out)
    sys.exit(1)
kust = yaml.safe_load(open(os.path.join(out, "kustomization.yaml"))) or {}
# kubectl apply -k: kustomization.yaml's namespace: replaces the object's
ns = kust.get("namespace") or k8c["metadata"].get("namespace") or default_ns or "_"
spec = k8c["spec"]


def secret_key(name, key, what, must=True):
    p = os.path.join(emu, "secrets", ns, name, key)
    if not os.path.isfile(p):
        if must:
            bad("%s: Secret %s/%s has no key %r after cert-manager wrote it (keys: %s)" % (
                what, ns, name, key, ", ".join(sorted(os.listdir(os.path.dirname(p))))
                if os.path.isdir(os.path.dirname(p)) else "no such Secret"))
        return None
    return open(p, "rb").read()


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def stores(block, which):
    st = spec["cassandra"].get(block)
    if not st:
        bad("spec.cassandra.%s is missing" % block)
        return
    d = os.path.join(cell, which)
    for store in ("keystore", "truststore"):
        ref = st.get(store + "SecretRef") or {}
        key = ref.get("key") or store
        data = secret_key(ref.get("name"), key, "%s.%sSecretRef" % (block, store))
        if data is not None:
            put(os.path.join(d, store), data)
            print("ok: %s %s: Secret %s key %s" % (block, store, ref.get("name"), key))
        pref = st.get(store + "PasswordSecretRef")
        if pref:
            pname, pkey = pref.get("name"), pref.get("key") or store + "-password"
        else:
            pname, pkey = ref.get("name"), ref.get("key") or store + "-password"
        pw = secret_key(pname, pkey, "%s.%sPasswordSecretRef" % (block, store), must=False)
        if pw is None:
            # the operator reads a missing key as an empty password; say so, it is never meant
            bad("%s %s password: Secret %s has no key %s (the operator would use an empty password)" % (
                block, store, pname, pkey))
            pw = b""
        put(os.path.join(d, store + "-password"), pw)
        print("ok: %s %s password: Secret %s key %s" % (block, store, pname, pkey))


yamlc = ((spec["cassandra"].get("config") or {}).get("cassandraYaml") or {})
types = {b: (yamlc.get(b) or {}).get("store_type", "JKS") for b in ("server_encryption_options", "client_encryption_options")}
if types["server_encryption_options"] != types["client_encryption_options"]:
    bad("store_type differs between the server (%s) and client (%s) blocks" % tuple(types.values()))
put(os.path.join(cell, "store_type"), types["server_encryption_options"].encode())
stores("serverEncryptionStores", "server")
stores("clientEncryptionStores", "client")

med = (spec.get("medusa") or {}).get("clientEncryptionStores")
if med:
    for field, fname in (("keystoreSecretRef", "rootca.crt"), ("truststoreSecretRef", "client.crt_signed"),
                         ("truststorePasswordSecretRef", "client.key")):
        ref = med.get(field) or {}
        if not ref.get("key"):
            bad("medusa.clientEncryptionStores.%s has no key (Medusa would read a directory)" % field)
            continue
        data = secret_key(ref.get("name"), ref["key"], "medusa.clientEncryptionStores." + field)
        if data is not None:
            put(os.path.join(cell, "medusa", fname), data)
            print("ok: medusa %s -> %s: Secret %s key %s" % (field, fname, ref.get("name"), ref["key"]))

if surf:
    pem = ("ca.crt", "tls.crt", "tls.key")
    jks = ("keystore.jks", "truststore.jks")
    m = (spec["cassandra"].get("managementApiAuth") or {}).get("manual") or {}
    r = spec.get("reaper") or {}
    g = ((spec.get("medusa") or {}).get("serviceProperties") or {}).get("encryption") or {}
    want = [("mgmt-api-server-tls", m.get("serverSecretName"), pem),
            ("mgmt-api-client-tls", m.get("clientSecretName"), pem),
            ("reaper-api-server-stores", (r.get("encryption") or {}).get("serverCertName"), jks),
            ("reaper-api-client-tls", (r.get("encryption") or {}).get("clientCertName"), pem),
            ("reaper-mgmt-api-stores", ((r.get("httpManagement") or {}).get("keystores") or {}).get("name"), jks),
            ("medusa-grpc-server-tls", g.get("serverSecretName"), pem),
            ("medusa-grpc-client-tls", g.get("clientSecretName"), pem)]
    for canon, name, keys in want:
        if not name:
            bad("the K8ssandraCluster names no Secret for %s" % canon)
            continue
        for k in keys:
            data = secret_key(name, k, canon)
            if data is not None:
                put(os.path.join(surf, "tls", canon, k), data)
        print("ok: %s: Secret %s" % (canon, name))
sys.exit(1 if fails else 0)
