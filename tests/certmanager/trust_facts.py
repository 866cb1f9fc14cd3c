"""The trust a set of Secrets carries, from the report of `k8tls-wizard inspect` on them, plus the
extended key usages of their leaf certificates (inspect does not print EKUs: read here with the
`cryptography` module from the same Secret YAML files).

usage: trust_facts.py INSPECT_REPORT SECRET_YAML...
Prints, per Secret that holds a certificate, sorted:
  NAME sans=<SANs of its leaf certificate(s), sorted>
  NAME ca=<subject of each self-signed certificate in it>
  NAME eku=<EKUs of its leaf certificate(s)>
A Secret whose leaves disagree (two SAN lists) prints each; PKCS#12 stores are opened with the
password of KEY-password / keystore-password in the same Secret, or the password given in the
environment variable K8TLS_PW_<NAME> (dashes as underscores), JKS stores are read unopened
(their certificates are not encrypted)."""
import base64
import os
import re
import struct
import sys

import yaml
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

report, files = sys.argv[1], sys.argv[2:]
facts = {}  # name -> set of lines


def add(name, line):
    facts.setdefault(name, set()).add(line)


# ---- from inspect's report ----
HEAD = re.compile(r"^\S.*: Secret (\S+): (\S+): ")
name = None
entry = {}


def flush():
    if name and entry.get("subject"):
        if entry.get("issuer") == "(self-signed)":
            add(name, "ca=" + entry["subject"])
        elif not entry.get("ca"):
            # the order of the SANs does not change what they name: compared as a set
            add(name, "sans=" + ", ".join(sorted(entry.get("sans", "(none)").split(", "))))


for line in open(report):
    line = line.rstrip("\n")
    m = HEAD.match(line)
    if m:
        flush()
        name, entry = m.group(1), {}
        continue
    s = line.strip()
    if re.match(r"^\[\d+\] ", s):
        flush()
        entry = {}
    elif s.startswith("subject:"):
        entry["subject"] = s.split(":", 1)[1].strip()
    elif s.startswith("issuer:"):
        entry["issuer"] = s.split(":", 1)[1].strip()
    elif s.startswith("SANs:"):
        entry["sans"] = s.split(":", 1)[1].strip()
    elif s.startswith("key:") and s.endswith(", CA"):
        entry["ca"] = True
flush()


# ---- EKUs of the leaves, from the Secret YAML files ----
def jks_certs(b):
    certs = []
    magic, _, n = struct.unpack(">III", b[:12])
    if magic != 0xFEEDFEED:
        return certs
    p = 12

    def utf():
        nonlocal p
        (ln,) = struct.unpack(">H", b[p:p + 2])
        p += 2 + ln

    def cert():
        nonlocal p
        utf()
        (ln,) = struct.unpack(">I", b[p:p + 4])
        certs.append(x509.load_der_x509_certificate(b[p + 4:p + 4 + ln]))
        p += 4 + ln

    for _ in range(n):
        (tag,) = struct.unpack(">I", b[p:p + 4])
        p += 4
        utf()
        p += 8
        if tag == 1:
            (ln,) = struct.unpack(">I", b[p:p + 4])
            p += 4 + ln
            (k,) = struct.unpack(">I", b[p:p + 4])
            p += 4
            for _ in range(k):
                cert()
        else:
            cert()
    return certs


def certs_of(key, v, data, sname):
    if b"-----BEGIN CERTIFICATE-----" in v:
        return [x509.load_pem_x509_certificate(m) for m in
                re.findall(rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", v, re.S)]
    if v[:4] == b"\xfe\xed\xfe\xed":
        return jks_certs(v)
    if v[:1] == b"\x30" and len(v) > 100:
        pw = data.get(key + "-password") or data.get("keystore-password")
        env = os.environ.get("K8TLS_PW_" + sname.replace("-", "_"))
        for p in (pw, env.encode() if env is not None else None):
            if p is None:
                continue
            try:
                k, c, more = pkcs12.load_key_and_certificates(v, p)
                return ([c] if c else []) + list(more)
            except Exception:
                pass
    return []


for f in files:
    for o in yaml.safe_load_all(open(f)):
        if not o or o.get("kind") != "Secret":
            continue
        sname = o["metadata"]["name"]
        data = {k: base64.b64decode(v) for k, v in (o.get("data") or {}).items()}
        for k, v in data.items():
            for c in certs_of(k, v, data, sname):
                try:
                    if c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
                        continue
                except x509.ExtensionNotFound:
                    pass
                try:
                    ekus = sorted(e._name for e in c.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
                except x509.ExtensionNotFound:
                    ekus = ["(none)"]
                add(sname, "eku=" + ", ".join(ekus))

for n in sorted(facts):
    for line in sorted(facts[n]):
        print(n, line)
