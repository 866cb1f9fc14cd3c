"""A CA rotation with trust-manager (SPEC 11 C6), made on a copy of a cert-manager output, one
phase at a time, in the shape the emitter describes (a second CA Certificate whose Secret becomes
the Bundle's second source): the test's stand-in for the rotation command, which does not write
cert-manager phases yet.

usage: phase.py OUTDIR NEWDIR trust|reissue|retire
  trust    a second CA Certificate (NAME-next, Secret SECRET-next, same issuer and spec), listed
           after the first in kustomization.yaml; every Bundle gets the new CA Secret's tls.crt
           as a second source
  reissue  the CA Issuer signs with the new CA Secret (spec.ca.secretName)
  retire   the Bundles drop the old CA Secret's source
NEWDIR is a copy of OUTDIR with the change; prints what changed."""
import os
import shutil
import sys

import yaml

out, new, phase = sys.argv[1:4]
if os.path.exists(new):
    shutil.rmtree(new)
shutil.copytree(out, new)
man = os.path.join(new, "manifests")


def objects():
    for f in sorted(os.listdir(man)):
        p = os.path.join(man, f)
        o = yaml.safe_load(open(p))
        if o:
            yield p, o


def dump(p, o):
    with open(p, "w") as f:
        yaml.safe_dump(o, f, sort_keys=False)


ca = [(p, o) for p, o in objects() if o["kind"] == "Certificate" and o["spec"].get("isCA")]
if len(ca) < 1:
    sys.exit("no CA Certificate in %s" % out)
ca_path, ca_obj = ca[0]
old_secret = ca_obj["spec"]["secretName"].replace("-next", "")
new_secret = old_secret + "-next"
changed = 0
if phase == "trust":
    o = yaml.safe_load(open(ca_path))
    o["metadata"]["name"] += "-next"
    o["spec"]["secretName"] = new_secret
    p = os.path.join(man, "12-certificate-%s.yaml" % o["metadata"]["name"])
    dump(p, o)
    k = os.path.join(new, "kustomization.yaml")
    kust = yaml.safe_load(open(k))
    rel = os.path.relpath(ca_path, new)
    kust["resources"].insert(kust["resources"].index(rel) + 1, os.path.relpath(p, new))
    dump(k, kust)
    print("trust: CA Certificate %s (Secret %s)" % (o["metadata"]["name"], new_secret))
    changed += 1
    for p, o in objects():
        if o["kind"] == "Bundle":
            o["spec"]["sources"].append({"secret": {"name": new_secret, "key": "tls.crt"}})
            dump(p, o)
            print("trust: Bundle %s sources %s" % (o["metadata"]["name"], o["spec"]["sources"]))
            changed += 1
elif phase == "reissue":
    for p, o in objects():
        if o["kind"] in ("Issuer", "ClusterIssuer") and (o["spec"].get("ca") or {}).get("secretName") == old_secret:
            o["spec"]["ca"]["secretName"] = new_secret
            dump(p, o)
            print("reissue: %s %s signs with %s" % (o["kind"], o["metadata"]["name"], new_secret))
            changed += 1
elif phase == "retire":
    for p, o in objects():
        if o["kind"] == "Bundle":
            o["spec"]["sources"] = [s for s in o["spec"]["sources"] if (s.get("secret") or {}).get("name") != old_secret]
            dump(p, o)
            print("retire: Bundle %s sources %s" % (o["metadata"]["name"], o["spec"]["sources"]))
            changed += 1
else:
    sys.exit("phase: trust, reissue or retire")
sys.exit(0 if changed else 1)
