"""An emulation of cert-manager and trust-manager for the tests of the cert-manager output: given
an output directory of k8tls-wizard (output.mode: cert-manager), do what the two controllers would
do once its objects are applied, and write the Secrets they would write. Written from
tests/reference/cert-manager/FACTS.md (cited as "FACTS n"), not from the wizard's C code: every
Certificate is read as cert-manager reads it, and what cert-manager would refuse or leave pending
is an error here.

usage: emulate.py OUTDIR EMUDIR [--cluster-resource-namespace NS] [--trust-namespace NS]
                                 [--target-namespace NS]... [--state EMUDIR0 [--renew NAME]...]
                                 [--namespace NS]
  OUTDIR   the wizard's output (kustomization.yaml lists the objects in apply order)
  EMUDIR   written: EMUDIR/secrets/NS/NAME.yaml (the Secret as the API server would hold it) and
           EMUDIR/secrets/NS/NAME/KEY (each data key as a file, mode 0600)
  --cluster-resource-namespace  where a ClusterIssuer's CA Secret lives (FACTS 8; the Helm
           chart's default is the cert-manager namespace)
  --trust-namespace   where trust-manager reads a Bundle's sources (FACTS 9, default cert-manager)
  --target-namespace  namespaces trust-manager writes Bundle targets into (default: every
           namespace of the output's objects), those the Bundle's namespaceSelector matches
  --namespace  the namespace of the objects written without one (`kubectl apply -n NS`)
  --state  the Secrets of an earlier run (EMUDIR0) are in the cluster already: a Certificate
           whose Secret exists there is not issued again, unless named by --renew (what
           `cmctl renew` asks; FACTS 5: rotationPolicy Always gives it a new key); the objects of
           OUTDIR are then applied over that state, and every Bundle is synced again
Prints "ok: ..." per Secret written and "FAIL: ..." per refusal; exit 1 if anything failed.
Secrets the output itself holds (password Secrets, an imported CA) are "applied" as they are."""
import argparse
import base64
import datetime
import hashlib
import ipaddress
import os
import re
import sys

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stores  # noqa: E402

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg)


# ---- reading the output -----------------------------------------------------------------------
CLUSTER_SCOPED = ("ClusterIssuer", "Bundle", "Namespace")


def load_objects(out, namespace=None):
    """The objects of kustomization.yaml's resources, in order, as `kubectl apply -k` gives them
    to the API server: its `namespace:` field replaces every object's namespace (kustomize does
    so even where one is written); with NAMESPACE, a namespaced object written without
    metadata.namespace gets it, as `kubectl apply -n NAMESPACE` does."""
    kust = yaml.safe_load(open(os.path.join(out, "kustomization.yaml")))
    objs = []
    for r in kust.get("resources") or []:
        for o in yaml.safe_load_all(open(os.path.join(out, r))):
            if o:
                if o.get("kind") not in CLUSTER_SCOPED:
                    meta = o.setdefault("metadata", {})
                    if kust.get("namespace"):
                        meta["namespace"] = kust["namespace"]
                    elif namespace:
                        meta.setdefault("namespace", namespace)
                objs.append((r, o))
    return objs


def secret_data(obj):
    d = {k: base64.b64decode(v) for k, v in (obj.get("data") or {}).items()}
    for k, v in (obj.get("stringData") or {}).items():
        d[k] = v.encode()
    return d


PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.S)


def pem_certs(b):
    return [x509.load_pem_x509_certificate(m) for m in PEM_CERT.findall(b or b"")]


def pem(certs):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def self_signed(c):
    return c.issuer == c.subject


# ---- what cert-manager does for one Certificate -----------------------------------------------
GO_DURATION = re.compile(r"^((\d+(\.\d+)?)(h|m|s|ms))+$")


def duration(s, default_hours):
    """Go's time.ParseDuration for the units a certificate lifetime uses."""
    if s is None:
        return datetime.timedelta(hours=default_hours)
    if not GO_DURATION.match(s):
        raise ValueError("duration %r is not a Go duration" % s)
    t = datetime.timedelta()
    for n, _, unit in re.findall(r"(\d+(\.\d+)?)(ms|h|m|s)", s):
        t += {"h": datetime.timedelta(hours=float(n)), "m": datetime.timedelta(minutes=float(n)),
              "s": datetime.timedelta(seconds=float(n)), "ms": datetime.timedelta(milliseconds=float(n))}[unit]
    return t


def new_key(pk):
    """FACTS 5: algorithm RSA (default), ECDSA, Ed25519; size default RSA 2048, ECDSA 256."""
    alg = pk.get("algorithm", "RSA")
    if alg == "RSA":
        size = pk.get("size", 2048)
        if size not in (2048, 3072, 4096, 8192):
            raise ValueError("RSA key size %s" % size)
        return rsa.generate_private_key(65537, size)
    if alg == "ECDSA":
        size = pk.get("size", 256)
        curve = {256: ec.SECP256R1, 384: ec.SECP384R1, 521: ec.SECP521R1}.get(size)
        if curve is None:
            raise ValueError("ECDSA key size %s" % size)
        return ec.generate_private_key(curve())
    if alg == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError("privateKey.algorithm %r" % alg)


def key_pem(key, encoding):
    """FACTS 5: PKCS1 (default): RSA PRIVATE KEY, EC PRIVATE KEY (SEC1), Ed25519 PKCS#8;
    PKCS8: PRIVATE KEY."""
    if encoding in (None, "PKCS1") and not isinstance(key, ed25519.Ed25519PrivateKey):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    elif encoding in (None, "PKCS1", "PKCS8"):
        fmt = serialization.PrivateFormat.PKCS8
    else:
        raise ValueError("privateKey.encoding %r" % encoding)
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())


ATTRS = [("countries", NameOID.COUNTRY_NAME), ("provinces", NameOID.STATE_OR_PROVINCE_NAME),
         ("localities", NameOID.LOCALITY_NAME), ("streetAddresses", NameOID.STREET_ADDRESS),
         ("postalCodes", NameOID.POSTAL_CODE), ("organizations", NameOID.ORGANIZATION_NAME),
         ("organizationalUnits", NameOID.ORGANIZATIONAL_UNIT_NAME)]


def subject(spec):
    rdns = []
    sub = spec.get("subject") or {}
    for field, o in ATTRS:
        for v in sub.get(field) or []:
            rdns.append(x509.NameAttribute(o, v))
    if sub.get("serialNumber"):
        rdns.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, sub["serialNumber"]))
    if spec.get("commonName"):
        rdns.append(x509.NameAttribute(NameOID.COMMON_NAME, spec["commonName"]))
    if spec.get("literalSubject"):
        raise ValueError("literalSubject is not emulated")
    return x509.Name(rdns)


EKU = {"server auth": ExtendedKeyUsageOID.SERVER_AUTH, "client auth": ExtendedKeyUsageOID.CLIENT_AUTH,
       "code signing": ExtendedKeyUsageOID.CODE_SIGNING, "email protection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
       "timestamping": ExtendedKeyUsageOID.TIME_STAMPING, "ocsp signing": ExtendedKeyUsageOID.OCSP_SIGNING,
       "any": ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE}
KU = {"digital signature": "digital_signature", "content commitment": "content_commitment",
      "key encipherment": "key_encipherment", "data encipherment": "data_encipherment",
      "key agreement": "key_agreement", "cert sign": "key_cert_sign", "crl sign": "crl_sign",
      "signing": "digital_signature"}


def extensions(b, spec, pub, issuer_cert):
    """FACTS 7: without usages, digital signature + key encipherment and no EKU; a CA also gets
    cert sign. FACTS 6: the usage strings."""
    usages = spec.get("usages") or ["digital signature", "key encipherment"]
    is_ca = bool(spec.get("isCA"))
    if is_ca and "cert sign" not in usages:
        usages = list(usages) + ["cert sign"]
    ku = {v: False for v in set(KU.values())}
    ekus = []
    for u in usages:
        if u in KU:
            ku[KU[u]] = True
        elif u in EKU:
            ekus.append(EKU[u])
        else:
            raise ValueError("usage %r" % u)
    b = b.add_extension(x509.KeyUsage(encipher_only=False, decipher_only=False, **ku), critical=True)
    if ekus:
        b = b.add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
    b = b.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    sans = [x509.DNSName(d) for d in spec.get("dnsNames") or []]
    sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in spec.get("ipAddresses") or []]
    sans += [x509.UniformResourceIdentifier(u) for u in spec.get("uris") or []]
    sans += [x509.RFC822Name(e) for e in spec.get("emailAddresses") or []]
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    if issuer_cert is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()),
                            critical=False)
    return b


def sign_hash(key):
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {384: hashes.SHA384(), 521: hashes.SHA512()}.get(key.curve.key_size, hashes.SHA256())
    return hashes.SHA256()


def issue(spec, signer_key, signer_cert, key=None):
    """A certificate for SPEC signed by (signer_key, signer_cert), or self-signed if signer_cert
    is None; with KEY (a renewal under rotationPolicy Never), on that key. Returns (key, cert)."""
    key = key or new_key(spec.get("privateKey") or {})
    name = subject(spec)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    # the CRD's text for spec.duration: 90 days (2160h) when unset
    end = now + duration(spec.get("duration"), 2160)
    if signer_cert is not None and end > signer_cert.not_valid_after.replace(tzinfo=datetime.timezone.utc):
        end = signer_cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(name)
         .issuer_name(signer_cert.subject if signer_cert is not None else name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now).not_valid_after(end))
    b = extensions(b, spec, key.public_key(), signer_cert)
    sk = signer_key if signer_key is not None else key
    return key, b.sign(sk, sign_hash(sk))


def chain_and_ca(chain):
    """FACTS 8: ca.crt is one certificate, the self-signed root of the chain (or the highest
    intermediate); tls.crt is the leaf and the intermediates, the self-signed root excluded."""
    if len(chain) > 1 and self_signed(chain[-1]):
        return chain[:-1], chain[-1]
    return chain, chain[-1] if len(chain) > 1 else None


class Emulator:
    def __init__(self, args, objs):
        self.args = args
        self.objs = objs
        self.secrets = {}  # (ns, name) -> {"data": {...}, "type": ..., "meta": {...}, "by": ...}
        self.issuers = {}  # (kind, ns or None, name) -> spec
        self.namespaces = set()

    def password(self, ns, store, kind):
        """FACTS 4: exactly one of passwordSecretRef / password; the Secret is read from the
        Certificate's namespace and its key must be given and hold data."""
        ref, lit = store.get("passwordSecretRef"), store.get("password")
        label = "PKCS12" if kind == "PKCS#12" else "JKS"
        if ref is not None and lit is not None:
            raise ValueError("exactly one of passwordSecretRef and password must be provided for %s keystores; cannot set both" % kind)
        if ref is None and lit is None:
            raise ValueError("must set exactly one of passwordSecretRef and password must for %s keystores" % kind)
        if lit is not None:
            if lit == "":
                raise ValueError("literal password cannot be empty if set on %s keystores" % kind)
            return lit
        s = self.secrets.get((ns, ref.get("name")))
        if s is None:
            raise ValueError("KeystorePasswordSecretNotFound: Secret %s/%s" % (ns, ref.get("name")))
        key = ref.get("key")
        if not key or key not in s["data"]:
            raise ValueError("%s keystore password Secret contains no data for key %r" % (label, key or ""))
        return s["data"][key].decode("utf-8")

    def signer(self, cert_ns, ref):
        """The issuer of a Certificate: ('selfsigned', None, None) or ('ca', key, chain), or None
        while it cannot sign (FACTS 8: the CA Secret is missing: SecretMissing)."""
        kind = ref.get("kind") or "Issuer"
        group = ref.get("group") or "cert-manager.io"
        if group != "cert-manager.io" or kind not in ("Issuer", "ClusterIssuer"):
            raise ValueError("issuerRef %s.%s is not an issuer this emulation knows" % (kind, group))
        ns = cert_ns if kind == "Issuer" else None
        spec = self.issuers.get((kind, ns, ref.get("name")))
        if spec is None:
            return None, "%s %s not found%s" % (kind, ref.get("name"), " in namespace " + cert_ns if ns else "")
        if "selfSigned" in spec:
            return ("selfsigned", None, None), None
        if "ca" in spec:
            sns = cert_ns if kind == "Issuer" else self.args.cluster_resource_namespace
            s = self.secrets.get((sns, spec["ca"].get("secretName")))
            if s is None:
                return None, "SecretMissing: Referenced secret %s/%s not found" % (sns, spec["ca"].get("secretName"))
            d = s["data"]
            if "tls.crt" not in d or "tls.key" not in d:
                return None, "CA Secret %s/%s has no tls.crt or tls.key" % (sns, spec["ca"].get("secretName"))
            chain = pem_certs(d["tls.crt"])
            extra = pem_certs(d.get("ca.crt"))[:1]  # FACTS 8: the first certificate of ca.crt
            if extra and extra[0] not in chain:
                chain += extra
            key = serialization.load_pem_private_key(d["tls.key"], None)
            if chain[0].public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != \
                    key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
                raise ValueError("CA Secret %s/%s: tls.key does not match tls.crt" % (sns, spec["ca"].get("secretName")))
            return ("ca", key, chain), None
        raise ValueError("Issuer %s: only selfSigned and ca issuers are emulated" % ref.get("name"))

    def load_state(self, emu):
        base = os.path.join(emu, "secrets")
        for ns in sorted(os.listdir(base)):
            for f in sorted(os.listdir(os.path.join(base, ns))):
                if not f.endswith(".yaml"):
                    continue
                o = yaml.safe_load(open(os.path.join(base, ns, f)))
                meta = o["metadata"]
                self.secrets[(ns, meta["name"])] = {
                    "data": secret_data(o), "type": o.get("type", "Opaque"), "labels": meta.get("labels") or {},
                    "annotations": meta.get("annotations") or {}, "by": "state"}

    def kept(self, obj):
        """--state: the Certificate's Secret exists and no renewal was asked: kept as it is."""
        ns, spec = obj["metadata"].get("namespace"), obj["spec"]
        s = self.secrets.get((ns, spec["secretName"]))
        return (s is not None and s["by"] == "state" and obj["metadata"]["name"] not in (self.args.renew or [])
                and s["annotations"].get("cert-manager.io/certificate-name") == obj["metadata"]["name"])

    def lifetimes(self, spec):
        """The field descriptions of the vendored Certificate CRD: duration at least 1 hour,
        renewBefore at least 5 minutes and not with renewBeforePercentage; a renewBefore that is
        not shorter than the lifetime would renew at once, again and again."""
        d = duration(spec.get("duration"), 2160)
        if d < datetime.timedelta(hours=1):
            raise ValueError("spec.duration %s: the minimum accepted duration is 1 hour" % spec.get("duration"))
        if spec.get("renewBefore") is not None:
            if spec.get("renewBeforePercentage") is not None:
                raise ValueError("spec.renewBefore cannot be set with spec.renewBeforePercentage")
            rb = duration(spec["renewBefore"], 0)
            if rb < datetime.timedelta(minutes=5):
                raise ValueError("spec.renewBefore %s: the minimum accepted value is 5 minutes" % spec["renewBefore"])
            if rb >= d:
                raise ValueError("spec.renewBefore %s is not shorter than spec.duration %s: renewed at once, forever"
                                 % (spec["renewBefore"], spec.get("duration", "2160h")))

    def certificate(self, src, obj, how):
        spec, meta = obj["spec"], obj["metadata"]
        ns = meta.get("namespace")
        self.lifetimes(spec)
        # FACTS 5: rotationPolicy Always (the default) makes a new key at each issuance; Never
        # keeps the key of the Secret being renewed
        prev, keep = self.secrets.get((ns, spec["secretName"])), None
        if prev and prev["by"] == "state" and (spec.get("privateKey") or {}).get("rotationPolicy") == "Never" \
                and "tls.key" in prev["data"]:
            keep = serialization.load_pem_private_key(prev["data"]["tls.key"], None)
        if how[0] == "selfsigned":
            key, cert = issue(spec, None, None, keep)
            tls_chain, ca = [cert], cert  # FACTS 8: ca.crt = the certificate itself
        else:
            _, ikey, ichain = how
            key, cert = issue(spec, ikey, ichain[0], keep)
            tls_chain, ca = chain_and_ca([cert] + ichain)
        data = {"tls.crt": pem(tls_chain), "tls.key": key_pem(key, (spec.get("privateKey") or {}).get("encoding"))}
        cas = [ca] if ca is not None else []
        if cas:
            data["ca.crt"] = pem(cas)  # FACTS 1: only if the issuer returned a CA
        ks = spec.get("keystores") or {}
        p12 = ks.get("pkcs12") or {}
        if p12.get("create"):
            pw = self.password(ns, p12, "PKCS#12")
            profile = p12.get("profile") or "LegacyRC2"  # FACTS 3: unset means LegacyRC2
            if profile not in ("Modern2023", "LegacyDES"):
                raise ValueError("PKCS#12 profile %s: FACTS 3 says OpenSSL 3 and Java 20+ cannot read it (LegacyRC2) "
                                 "or Java < 26 cannot (Modern2026); not emulated" % profile)
            # FACTS 2: keystore.p12 always; truststore.p12 only if a CA is known; one password
            data["keystore.p12"] = stores.pkcs12_keystore(key, tls_chain, cas, pw, profile)
            if cas:
                data["truststore.p12"] = stores.pkcs12_truststore(cas, pw, profile, [c.subject.rfc4514_string() for c in cas])
        jks = ks.get("jks") or {}
        if jks.get("create"):
            pw = self.password(ns, jks, "JKS")
            alias = jks.get("alias") or "certificate"  # FACTS 2: default alias
            data["keystore.jks"] = stores.jks_keystore(alias, key, tls_chain, cas, pw)
            if cas:
                data["truststore.jks"] = stores.jks_truststore(list(zip(stores.ca_aliases(len(cas)), cas)), pw)
        name = spec["secretName"]
        old = self.secrets.get((ns, name))
        # FACTS 1: a new Secret is kubernetes.io/tls; an existing one keeps its type
        typ = old["type"] if old else "kubernetes.io/tls"
        tmpl = spec.get("secretTemplate") or {}
        labels = dict(tmpl.get("labels") or {})
        labels["controller.cert-manager.io/fao"] = "true"  # FACTS 1
        ann = dict(tmpl.get("annotations") or {})
        ann.update({"cert-manager.io/certificate-name": meta["name"],
                    "cert-manager.io/issuer-name": spec["issuerRef"]["name"],
                    "cert-manager.io/issuer-kind": spec["issuerRef"].get("kind") or "Issuer",
                    "cert-manager.io/issuer-group": spec["issuerRef"].get("group") or "cert-manager.io"})
        self.secrets[(ns, name)] = {"data": data, "type": typ, "labels": labels, "annotations": ann,
                                    "by": "Certificate %s/%s" % (ns, meta["name"])}
        if old and old["by"] != "state":
            fail("%s: Certificate %s/%s: its Secret %s is also written by the output (type %s kept, FACTS 1)"
                 % (src, ns, meta["name"], name, typ))

    def bundle(self, src, obj):
        """FACTS 9: sources from the trust namespace; a Secret named after the Bundle in every
        target namespace: the PEM bundle, and JKS / PKCS#12 truststores if asked."""
        spec, name = obj["spec"], obj["metadata"]["name"]
        certs = []
        for i, s in enumerate(spec.get("sources") or []):
            if "secret" in s or "configMap" in s:
                ref = s.get("secret") or s.get("configMap")
                if "selector" in ref:
                    raise ValueError("Bundle %s sources[%d]: selectors are not emulated" % (name, i))
                if "configMap" in s:
                    raise ValueError("Bundle %s sources[%d]: ConfigMap sources are not emulated" % (name, i))
                sec = self.secrets.get((self.args.trust_namespace, ref.get("name")))
                if sec is None:
                    raise ValueError("Bundle %s sources[%d]: Secret %s/%s not found (trust-manager reads sources "
                                     "from its trust namespace, FACTS 9)" % (name, i, self.args.trust_namespace, ref.get("name")))
                keys = sorted(sec["data"]) if ref.get("includeAllKeys") else [ref.get("key")]
                for k in keys:
                    if k not in sec["data"]:
                        raise ValueError("Bundle %s sources[%d]: Secret %s has no key %r" % (name, i, ref.get("name"), k))
                    certs += pem_certs(sec["data"][k])
            elif "inLine" in s:
                certs += pem_certs(s["inLine"].encode())
            else:
                raise ValueError("Bundle %s sources[%d]: %s is not emulated" % (name, i, list(s)))
        seen, uniq = set(), []
        for c in certs:
            d = c.public_bytes(serialization.Encoding.DER)
            if d not in seen:
                seen.add(d)
                uniq.append(c)
        target = spec.get("target") or {}
        if "secret" not in target:
            raise ValueError("Bundle %s: no Secret target" % name)
        data = {target["secret"]["key"]: pem(uniq)}
        # FACTS 9: alias <first 8 hex of SHA-256(DER)>|<subject>
        names = [hashlib.sha256(c.public_bytes(serialization.Encoding.DER)).hexdigest()[:8] + "|" +
                 c.subject.rfc4514_string() for c in uniq]
        af = target.get("additionalFormats") or {}
        if "jks" in af:
            # JKS aliases are case-insensitive: Java looks them up lower-cased
            data[af["jks"]["key"]] = stores.jks_truststore([(n.lower(), c) for n, c in zip(names, uniq)],
                                                            af["jks"].get("password", "changeit"))
        if "pkcs12" in af:
            pw = af["pkcs12"].get("password", "")
            profile = af["pkcs12"].get("profile") or "LegacyRC2"
            if pw == "":
                profile = None  # FACTS 9: passwordless, no encryption, no MAC
            elif profile not in ("Modern2023", "LegacyDES"):
                raise ValueError("Bundle %s: PKCS#12 profile %s is not emulated" % (name, profile))
            data[af["pkcs12"]["key"]] = stores.pkcs12_truststore(uniq, pw, profile, names)
        sel = target.get("namespaceSelector") or {}
        if sel.get("matchExpressions"):
            raise ValueError("Bundle %s: namespaceSelector.matchExpressions is not emulated" % name)
        # a namespace's only label known here: kubernetes.io/metadata.name, which Kubernetes sets
        want = sel.get("matchLabels") or {}
        for ns in self.args.target_namespace or sorted(self.namespaces):
            if any({"kubernetes.io/metadata.name": ns}.get(k) != v for k, v in want.items()):
                continue
            # FACTS 9: type never set by trust-manager: a new Secret is Opaque
            self.secrets[(ns, name)] = {"data": data, "type": "Opaque", "labels": {"trust.cert-manager.io/bundle": name},
                                        "annotations": {}, "by": "Bundle %s" % name}

    def run(self):
        certs = []
        for src, o in self.objs:
            kind, meta = o.get("kind"), o.get("metadata") or {}
            if meta.get("namespace"):
                self.namespaces.add(meta["namespace"])
            if kind == "Secret":
                self.secrets[(meta.get("namespace"), meta["name"])] = {
                    "data": secret_data(o), "type": o.get("type", "Opaque"), "labels": meta.get("labels") or {},
                    "annotations": {}, "by": src}
            elif kind in ("Issuer", "ClusterIssuer"):
                self.issuers[(kind, meta.get("namespace") if kind == "Issuer" else None, meta["name"])] = o["spec"]
            elif kind == "Certificate":
                certs.append((src, o))
        # issue until nothing more can be issued (a CA Issuer waits for its CA Secret)
        pending = []
        for src, o in certs:
            if self.kept(o):
                print("ok: %s: Certificate %s/%s kept: its Secret %s exists" % (
                    src, o["metadata"].get("namespace"), o["metadata"]["name"], o["spec"]["secretName"]))
                self.secrets[(o["metadata"].get("namespace"), o["spec"]["secretName"])]["by"] = \
                    "Certificate %s/%s" % (o["metadata"].get("namespace"), o["metadata"]["name"])
            else:
                pending.append((src, o))
        while pending:
            progress, still, why = False, [], {}
            for src, o in pending:
                ns, n = o["metadata"].get("namespace"), o["metadata"]["name"]
                try:
                    how, reason = self.signer(ns, o["spec"].get("issuerRef") or {})
                    if how is None:
                        still.append((src, o))
                        why[(ns, n)] = reason
                        continue
                    self.certificate(src, o, how)
                    print("ok: %s: Certificate %s/%s issued into Secret %s (%s)" % (
                        src, ns, n, o["spec"]["secretName"], ", ".join(sorted(self.secrets[(ns, o["spec"]["secretName"])]["data"]))))
                    progress = True
                except Exception as e:  # cert-manager refuses it: report, go on
                    fail("%s: Certificate %s/%s: %s" % (src, ns, n, e))
                    progress = True
            if not progress:
                for src, o in still:
                    ns, n = o["metadata"].get("namespace"), o["metadata"]["name"]
                    fail("%s: Certificate %s/%s stays pending: %s" % (src, ns, n, why[(ns, n)]))
                break
            pending = still
        for src, o in self.objs:
            if o.get("kind") == "Bundle":
                try:
                    self.bundle(src, o)
                    print("ok: %s: Bundle %s written into %s" % (src, o["metadata"]["name"], ", ".join(
                        "%s/%s" % k for k in sorted(self.secrets) if self.secrets[k]["by"] == "Bundle %s" % o["metadata"]["name"])))
                except Exception as e:
                    fail("%s: %s" % (src, e))

    def write(self, emu):
        for (ns, name), s in sorted(self.secrets.items(), key=lambda x: (x[0][0] or "", x[0][1])):
            d = os.path.join(emu, "secrets", ns or "_", name)
            os.makedirs(d, exist_ok=True)
            for k, v in s["data"].items():
                p = os.path.join(d, k)
                fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(v)
            doc = {"apiVersion": "v1", "kind": "Secret",
                   "metadata": {"name": name, "namespace": ns, "labels": s["labels"]},
                   "type": s["type"],
                   "data": {k: base64.b64encode(v).decode() for k, v in sorted(s["data"].items())}}
            if s["annotations"]:
                doc["metadata"]["annotations"] = s["annotations"]
            with open(d + ".yaml", "w") as f:
                yaml.safe_dump(doc, f, sort_keys=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("emu")
    ap.add_argument("--cluster-resource-namespace", default="cert-manager")
    ap.add_argument("--trust-namespace", default="cert-manager")
    ap.add_argument("--target-namespace", action="append")
    ap.add_argument("--namespace")
    ap.add_argument("--state")
    ap.add_argument("--renew", action="append")
    args = ap.parse_args()
    try:
        objs = load_objects(args.out, args.namespace)
    except Exception as e:
        fail("%s: %s" % (args.out, e))
        return 1
    em = Emulator(args, objs)
    if args.state:
        em.load_state(args.state)
    em.run()
    em.write(args.emu)
    n = sum(1 for _, o in objs if o.get("kind") == "Certificate")
    print("# %d Certificates, %d Secrets, %d refused" % (n, len(em.secrets), len(FAILS)))
    return 1 if FAILS or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
