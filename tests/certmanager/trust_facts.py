"""The trust a set of Secrets carries, from the report of `k8tls-wizard inspect` on them: the SANs
and extended key usages of their leaf certificates and the subjects of their CAs.

usage: trust_facts.py INSPECT_REPORT [SECRET_YAML...]   (the YAML files are not read: the
report is what the facts come from)
Prints, per Secret that holds a certificate, sorted:
  NAME sans=<SANs of its leaf certificate(s), sorted>
  NAME eku=<EKUs of its leaf certificate(s), sorted>
  NAME ca=<subject of each self-signed certificate in it>
A Secret whose leaves disagree (two SAN lists) prints each."""
import re
import sys


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
            add(name, "eku=" + ", ".join(sorted(entry.get("ekus", "(none)").split(", "))))


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
    elif s.startswith("EKUs:"):
        entry["ekus"] = s.split(":", 1)[1].strip()
    elif s.startswith("key:") and s.endswith(", CA"):
        entry["ca"] = True
flush()


for n in sorted(facts):
    for line in sorted(facts[n]):
        print(n, line)
