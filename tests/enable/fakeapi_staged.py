#!/usr/bin/python3
"""The kube tests' fake API server (tests/kube/fakeapi.py) with what the staged rollout's live
check reads: CassandraDatacenters (cassandra.datastax.com/v1beta1) and pods (v1), served from a
seed file, and managedFields entries that carry a time as a real API server writes them.

Run like fakeapi.py (same options). FAKEAPI_SEED names a YAML file of objects (any number of
documents, each with apiVersion, kind, metadata.name and metadata.namespace) that every listener
starts with; GET of a collection honours labelSelector (key=value, comma-separated).
"""
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kube"))
import fakeapi  # noqa: E402
import yaml  # noqa: E402

fakeapi.RESOURCES.setdefault(("", "v1"), [])
if not any(r[0] == "pods" for r in fakeapi.RESOURCES[("", "v1")]):
    fakeapi.RESOURCES[("", "v1")].append(("pods", "Pod", True))
fakeapi.RESOURCES.setdefault(("cassandra.datastax.com", "v1beta1"),
                             [("cassandradatacenters", "CassandraDatacenter", True)])

PLURALS = {kind: (group, version, plural)
           for (group, version), res in fakeapi.RESOURCES.items() for plural, kind, _ in res}


def object_path(obj):
    group, version, plural = PLURALS[obj["kind"]]
    md = obj["metadata"]
    return "/%s/namespaces/%s/%s/%s" % (fakeapi.gv_path(group, version), md["namespace"], plural,
                                        md["name"])


SEED = []
if os.environ.get("FAKEAPI_SEED"):
    with open(os.environ["FAKEAPI_SEED"], encoding="utf-8") as f:
        SEED = [d for d in yaml.safe_load_all(f) if d]

_listener_init = fakeapi.Listener.__init__


def listener_init(self, index, mode):
    _listener_init(self, index, mode)
    for obj in SEED:
        self.objects[object_path(obj)] = obj


fakeapi.Listener.__init__ = listener_init

_route_get = fakeapi.Handler.route_get


def route_get(self, path):
    code, body = _route_get(self, path)
    if path == "/apis" and code == 200:
        known = {g["name"] for g in body.get("groups", [])}
        for (group, version) in fakeapi.RESOURCES:
            if group and group not in known:
                gv = {"groupVersion": "%s/%s" % (group, version), "version": version}
                body["groups"].append({"name": group, "versions": [gv], "preferredVersion": gv})
                known.add(group)
    sel = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("labelSelector")
    if sel and code == 200 and isinstance(body.get("items"), list):
        want = dict(kv.split("=", 1) for kv in sel[0].split(",") if "=" in kv)
        body = dict(body, items=[o for o in body["items"]
                                 if all((o.get("metadata", {}).get("labels") or {}).get(k) == v
                                        for k, v in want.items())])
    return code, body


fakeapi.Handler.route_get = route_get

_route_patch = fakeapi.Handler.route_patch


def route_patch(self, path, query, body):
    code, obj = _route_patch(self, path, query, body)
    # a real API server stamps each managedFields entry with the time of the change
    for mf in (obj.get("metadata", {}) or {}).get("managedFields", []) or []:
        mf.setdefault("time", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    return code, obj


fakeapi.Handler.route_patch = route_patch

if __name__ == "__main__":
    fakeapi.main()
