#!/usr/bin/python3
"""Checks a cert-manager output directory written by k8tls-wizard (SPEC §11, C1-C6).

Usage: cm_check.py CASE DIR [ARG]
CASE: default | imported | cluster-issuer | jks | trust-manager | surfaces
Prints one line per failed assertion and exits 1 when any failed, 0 otherwise."""
import base64
import os
import sys

import yaml

CASE, DIR = sys.argv[1], sys.argv[2]
ARG = sys.argv[3] if len(sys.argv) > 3 else None
NS = "k8ssandra-operator"
errors = []


def expect(cond, what):
    if not cond:
        errors.append(what)
    return cond


def load(path):
    with open(os.path.join(DIR, path)) as f:
        return yaml.safe_load(f)


kust = load("kustomization.yaml")
resources = kust["resources"]
objs = {r: load(r) for r in resources}
by_kind = {}
for r, o in objs.items():
    by_kind.setdefault(o["kind"], []).append((r, o))
certs = {o["metadata"]["name"]: o for _, o in by_kind.get("Certificate", [])}
secrets = {o["metadata"]["name"]: o for _, o in by_kind.get("Secret", [])}
cluster = by_kind["K8ssandraCluster"][0][1]
cas = cluster["spec"]["cassandra"]


def secret_value(name, key):
    return base64.b64decode(secrets[name]["data"][key]).decode()


# ---- every case: the layout --------------------------------------------------------------
files = sorted(os.path.relpath(os.path.join(d, f), DIR)
               for d, _, fs in os.walk(DIR) for f in fs)
manifests = sorted(f for f in files if f.startswith("manifests/"))
expect(sorted(resources) == manifests,
       "kustomization lists every manifest once: %s vs %s" % (resources, manifests))
for f in files:
    expect(f.split("/")[0] not in ("ca", "stores", "medusa", "tls", "clients"),
           "no keys or stores in the directory: %s" % f)
    with open(os.path.join(DIR, f), "rb") as fh:
        expect(b"PRIVATE KEY" not in fh.read() or CASE == "imported",
               "no private key in %s" % f)
for need in ("answers.yaml", "NEXT-STEPS.md", "kustomization.yaml"):
    expect(need in files, "%s is written" % need)
# apply order: 10 Secrets, 11 self-signed Issuer, 12 CA Certificate, 13 CA Issuer,
# 15 Certificates, 17 Bundle, 20 the cluster
prefixes = [os.path.basename(r)[:2] for r in resources]
expect(prefixes == sorted(prefixes), "kustomization in apply order: %s" % prefixes)
expect(resources[-1] == "manifests/20-k8ssandracluster.yaml", "the cluster comes last")
kind_of_prefix = {"10": "Secret", "11": ("Issuer", "ClusterIssuer"), "12": "Certificate",
                  "13": ("Issuer", "ClusterIssuer"), "15": "Certificate", "17": "Bundle",
                  "20": "K8ssandraCluster"}
for r in resources:
    k = kind_of_prefix[os.path.basename(r)[:2]]
    expect(objs[r]["kind"] in (k if isinstance(k, tuple) else (k,)),
           "%s holds a %s, not %s" % (r, k, objs[r]["kind"]))

store_fmt = "jks" if CASE == "jks" else "p12"
issuer_kind = "ClusterIssuer" if CASE in ("cluster-issuer", "trust-manager") else "Issuer"


def check_leaf(name, sans, server_auth=True, store=None, alias=None, pw=None, alg="RSA"):
    c = certs.get(name)
    if not expect(c is not None, "a Certificate for the Secret %s" % name):
        return
    s = c["spec"]
    expect(c["metadata"].get("namespace") == NS, "%s in the cluster's namespace" % name)
    expect(s["secretName"] == name, "%s: secretName" % name)
    pk = s["privateKey"]
    expect(pk["algorithm"] == alg, "%s: key algorithm %s" % (name, pk))
    expect(pk["encoding"] == "PKCS8", "%s: PKCS#8 key" % name)
    expect(pk["rotationPolicy"] == "Always", "%s: rotationPolicy Always" % name)
    want = (["server auth"] if server_auth else []) + ["client auth", "digital signature"]
    if alg == "RSA":
        want.append("key encipherment")
    expect(s["usages"] == want, "%s: usages %s, not %s" % (name, s["usages"], want))
    got = s.get("dnsNames", []) + s.get("ipAddresses", [])
    expect(sorted(got) == sorted(set(sans)), "%s: SANs %s, not %s" % (name, got, sans))
    expect(s["duration"] == "87600h", "%s: duration from certificates.validityDays" % name)
    expect(s["renewBefore"] == "720h", "%s: renewBefore 30 days" % name)
    ref = s["issuerRef"]
    expect(ref == {"name": "test-ca-issuer", "kind": issuer_kind, "group": "cert-manager.io"},
           "%s: issued by the CA %s: %s" % (name, issuer_kind, ref))
    ks = s.get("keystores")
    if store is None:
        expect(ks is None, "%s: no keystores" % name)
        return
    if store == "p12":
        want_ks = {"pkcs12": {"create": True, "profile": "Modern2023",
                              "passwordSecretRef": pw}}
    else:
        want_ks = {"jks": {"create": True, "alias": alias, "passwordSecretRef": pw}}
    expect(ks == want_ks, "%s: keystores %s, not %s" % (name, ks, want_ks))


node_sans = ["localhost", "127.0.0.1"]
for suffix in ("svc", "svc.cluster.local"):
    node_sans += ["test-dc1-service.%s.%s" % (NS, suffix), "test-seed-service.%s.%s" % (NS, suffix),
                  "test-dc1-all-pods-service.%s.%s" % (NS, suffix),
                  "*.test-dc1-all-pods-service.%s.%s" % (NS, suffix)]
alg = "ECDSA" if CASE == "imported" else "RSA"
for role in ("server", "client"):
    sec = "%s-encryption-stores" % role
    pwsec = sec + "-password"
    check_leaf(sec, node_sans, store=store_fmt, alias=role,
               pw={"name": pwsec, "key": "keystore-password"}, alg=alg)
    # C3: cert-manager's keys, password refs on the password Secret
    blk = cas["%sEncryptionStores" % role]
    trust = "test-ca-bundle" if CASE == "trust-manager" else sec
    want = {"keystoreSecretRef": {"name": sec, "key": "keystore." + store_fmt},
            "truststoreSecretRef": {"name": trust, "key": "truststore." + store_fmt},
            "keystorePasswordSecretRef": {"name": pwsec, "key": "keystore-password"},
            "truststorePasswordSecretRef": {"name": pwsec, "key": "truststore-password"}}
    expect(blk == want, "%sEncryptionStores %s, not %s" % (role, blk, want))
    expect(pwsec in secrets, "the password Secret %s" % pwsec)
    if pwsec in secrets:
        kp = secret_value(pwsec, "keystore-password")
        tp = secret_value(pwsec, "truststore-password")
        expect(len(kp) >= 12, "%s: a generated password" % pwsec)
        expect(tp == ("changeit" if CASE == "trust-manager" else kp),
               "%s: truststore-password is %s" % (pwsec, "the Bundle's" if CASE == "trust-manager"
                                                  else "the keystore's"))
    opts = cas["config"]["cassandraYaml"]["%s_encryption_options" % role]
    expect(opts["store_type"] == ("JKS" if store_fmt == "jks" else "PKCS12"),
           "%s store_type matches" % role)
    for k in ("keystore", "truststore", "keystore_password", "truststore_password"):
        expect(k not in opts, "K4: no %s in %s_encryption_options" % (k, role))
# C4: Medusa's certificate and its fixed mapping
check_leaf("client-certificates", [], server_auth=False, alg=alg)
med = cluster["spec"]["medusa"]["clientEncryptionStores"]
# with trustManager Medusa's CA is the Bundle's Secret: it trusts the old and the new CA (C6)
expect(med == {"keystoreSecretRef": {"name": "test-ca-bundle" if CASE == "trust-manager"
                                     else "client-certificates", "key": "ca.crt"},
               "truststoreSecretRef": {"name": "client-certificates", "key": "tls.crt"},
               "truststorePasswordSecretRef": {"name": "client-certificates", "key": "tls.key"}},
       "Medusa clientEncryptionStores maps ca.crt, tls.crt, tls.key: %s" % med)

# ---- C1: the Issuer chain ------------------------------------------------------------------
issuers = {o["metadata"]["name"]: o for _, o in by_kind.get(issuer_kind, [])}
other = "Issuer" if issuer_kind == "ClusterIssuer" else "ClusterIssuer"
expect(other not in by_kind, "no %s" % other)
ca_ns = "cert-manager" if issuer_kind == "ClusterIssuer" else NS
ca_issuer = issuers.get("test-ca-issuer")
if expect(ca_issuer is not None, "the CA %s" % issuer_kind):
    expect(ca_issuer["spec"] == {"ca": {"secretName": "test-ca"}}, "the CA Issuer reads test-ca")
    if issuer_kind == "ClusterIssuer":
        expect("namespace" not in ca_issuer["metadata"], "a ClusterIssuer has no namespace")
if CASE == "imported":
    expect("test-selfsigned" not in issuers, "no self-signed Issuer with an imported CA")
    expect("test-ca" not in certs, "no CA Certificate with an imported CA")
    sec = secrets.get("test-ca")
    if expect(sec is not None, "the imported CA's Secret"):
        expect(sec["type"] == "kubernetes.io/tls", "the CA Secret is kubernetes.io/tls")
        with open(ARG) as f:
            expect(secret_value("test-ca", "tls.crt").strip() == f.read().strip(),
                   "the CA Secret holds the imported certificate")
        expect("PRIVATE KEY" in secret_value("test-ca", "tls.key"), "and its key")
else:
    ss = issuers.get("test-selfsigned")
    if expect(ss is not None, "the self-signed %s" % issuer_kind):
        expect(ss["spec"] == {"selfSigned": {}}, "selfSigned: {}")
    ca = certs.get("test-ca")
    if expect(ca is not None, "the CA Certificate"):
        s = ca["spec"]
        expect(ca["metadata"]["namespace"] == ca_ns, "the CA Certificate in %s" % ca_ns)
        expect(s["isCA"] is True, "isCA: true")
        expect(s["commonName"] == "test root CA", "the CA's CN")
        expect(s["secretName"] == "test-ca", "the CA Secret test-ca")
        expect(s["duration"] == "240000h", "the CA's validity (10000 days)")
        expect(s["privateKey"]["algorithm"] == "RSA" and s["privateKey"]["size"] == 3072,
               "the CA's key RSA 3072")
        expect(s["privateKey"]["rotationPolicy"] == "Never", "the CA keeps its key")
        expect(s["issuerRef"] == {"name": "test-selfsigned", "kind": issuer_kind,
                                  "group": "cert-manager.io"}, "signed by the self-signed one")

# ---- C6: trust-manager ---------------------------------------------------------------------
if CASE == "trust-manager":
    b = by_kind.get("Bundle", [])
    if expect(len(b) == 1, "one Bundle"):
        bs = b[0][1]
        expect(bs["apiVersion"] == "trust.cert-manager.io/v1alpha1", "Bundle apiVersion")
        expect(bs["metadata"]["name"] == "test-ca-bundle", "Bundle name")
        expect(bs["spec"]["sources"] == [{"secret": {"name": "test-ca", "key": "tls.crt"}}],
               "the CA Secret is the source: %s" % bs["spec"]["sources"])
        t = bs["spec"]["target"]
        expect(t["secret"] == {"key": "ca.crt"}, "target Secret key ca.crt")
        expect(t["additionalFormats"] == {"pkcs12": {"key": "truststore.p12",
                                                     "password": "changeit",
                                                     "profile": "Modern2023"}},
               "a Modern2023 PKCS#12 truststore: %s" % t["additionalFormats"])
        expect(t["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": NS}},
               "only the cluster's namespace")
else:
    expect("Bundle" not in by_kind, "no Bundle without trustManager")

# ---- C5: the surfaces of SPEC §10 ------------------------------------------------------------
if CASE == "surfaces":
    for n in ("mgmt-api-server-tls", "mgmt-api-client-tls"):
        check_leaf(n, [])
        if n in certs:
            expect(certs[n]["spec"]["secretTemplate"].get("annotations") ==
                   {"cassandra.datastax.com/datacenter": "dc1"}, "M2 annotation on %s" % n)
    reaper_sans = ["test-dc1-reaper-service", "test-dc1-reaper-service." + NS,
                   "test-dc1-reaper-service.%s.svc" % NS]
    rpw = {"name": "test-reaper-keystore-password", "key": "keystore-password"}
    check_leaf("reaper-api-server-stores", reaper_sans, store="jks", alias="reaper-api-server",
               pw=rpw)
    check_leaf("reaper-mgmt-api-stores", [], store="jks", alias="reaper-mgmt-api-client", pw=rpw)
    check_leaf("reaper-api-client-tls", [])
    check_leaf("medusa-grpc-server-tls", ["localhost", "127.0.0.1", "::1"])
    check_leaf("medusa-grpc-client-tls", [])
    if expect("test-reaper-keystore-password" in secrets, "Reaper's password Secret"):
        expect(secret_value("test-reaper-keystore-password", "keystore-password") == "changeit",
               "Reaper's password is changeit")
    spec = cluster["spec"]
    expect(cas["managementApiAuth"] == {"manual": {"clientSecretName": "mgmt-api-client-tls",
                                                   "serverSecretName": "mgmt-api-server-tls"}},
           "managementApiAuth.manual")
    expect(spec["reaper"]["encryption"] == {"clientCertName": "reaper-api-client-tls",
                                            "serverCertName": "reaper-api-server-stores"},
           "reaper.encryption")
    expect(spec["reaper"]["httpManagement"] == {"keystores": {"name": "reaper-mgmt-api-stores"}},
           "reaper.httpManagement.keystores")
    expect(spec["medusa"]["serviceProperties"]["encryption"] ==
           {"clientSecretName": "medusa-grpc-client-tls",
            "serverSecretName": "medusa-grpc-server-tls"}, "medusa gRPC encryption")
    expect(len(certs) == 11, "11 Certificates, not %d" % len(certs))
else:
    expect(len(certs) == (3 if CASE == "imported" else 4),
           "%d Certificates" % len(certs))

for e in errors:
    print("  assertion failed: " + e)
sys.exit(1 if errors else 0)
