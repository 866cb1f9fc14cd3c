#!/usr/bin/python3
"""A tiny fake Kubernetes API server for the kubectl tests (run with /usr/bin/python3).

It binds only 127.0.0.1 on ports chosen by the kernel, one listener per --listener MODE, writes
the ports (one per line, in order) to --port-file, records every request as one JSON line in
--log, and stops by itself after --timeout seconds (default 120) even if nobody kills it.

It serves just enough for a real kubectl:
  * discovery: /version, /api, /apis, /api/v1 (namespaces, secrets),
    /apis/k8ssandra.io/v1alpha1 (k8ssandraclusters);
  * OpenAPI v3: /openapi/v3 and one document per group-version whose PATCH operations list the
    `fieldValidation` parameter and carry `x-kubernetes-group-version-kind`, so that kubectl's
    strict validation is done by the server (fieldValidation=Strict) instead of failing with
    "failed to download openapi";
  * server-side apply: PATCH with content type application/apply-patch+yaml stores the object
    (not with dryRun=All) and answers with it; GET answers the stored object or 404, and a
    collection (.../secrets, .../namespaces/NS/secrets) with the stored objects as a List.

With --tls-cert and --tls-key every listener speaks HTTPS (kubectl runs a user's exec credential
plugin only for an HTTPS server).

Listener modes: ok (normal), forbidden (PATCH answers 403, as RBAC would), conflict (a PATCH of
a K8ssandraCluster without force=true answers a field-manager conflict, 409), slow (as ok, but a
PATCH of a Secret is answered 1 s after it arrived).
"""
import argparse
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

# (group, version) -> list of resources: (plural, kind, namespaced)
RESOURCES = {
    ("", "v1"): [("namespaces", "Namespace", False), ("secrets", "Secret", True)],
    ("k8ssandra.io", "v1alpha1"): [("k8ssandraclusters", "K8ssandraCluster", True)],
}
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def gv_path(group, version):
    return "api/" + version if group == "" else "apis/%s/%s" % (group, version)


def api_version(group, version):
    return version if group == "" else group + "/" + version


def resource_list(group, version):
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": api_version(group, version),
        "resources": [
            {"name": plural, "singularName": kind.lower(), "namespaced": ns, "kind": kind,
             "verbs": VERBS}
            for plural, kind, ns in RESOURCES[(group, version)]
        ],
    }


def openapi_doc(group, version):
    """An OpenAPI v3 document for one group-version: PATCH operations with fieldValidation."""
    paths = {}
    schemas = {}
    for plural, kind, namespaced in RESOURCES[(group, version)]:
        base = "/" + gv_path(group, version)
        if namespaced:
            base += "/namespaces/{namespace}"
        item = "%s/%s/{name}" % (base, plural)
        gvk = {"group": group, "version": version, "kind": kind}
        params = [
            {"name": "dryRun", "in": "query", "schema": {"type": "string"}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string"}},
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}},
            {"name": "force", "in": "query", "schema": {"type": "boolean"}},
        ]
        schema_name = "fake.%s.%s.%s" % (group or "core", version, kind)
        schemas[schema_name] = {
            "type": "object",
            "x-kubernetes-group-version-kind": [gvk],
        }
        paths[item] = {
            "get": {"operationId": "read" + kind, "x-kubernetes-action": "get",
                    "x-kubernetes-group-version-kind": gvk,
                    "responses": {"200": {"description": "OK"}}},
            "patch": {"operationId": "patch" + kind, "x-kubernetes-action": "patch",
                      "x-kubernetes-group-version-kind": gvk,
                      "parameters": params,
                      "responses": {"200": {"description": "OK"}}},
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
            ] + ([{"name": "namespace", "in": "path", "required": True,
                   "schema": {"type": "string"}}] if namespaced else []),
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "fake", "version": "v1.32.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def content(obj):
    """The object without the fields the server sets, to compare two versions."""
    meta = {k: v for k, v in obj.get("metadata", {}).items()
            if k not in ("uid", "resourceVersion", "managedFields")}
    return json.dumps(dict(obj, metadata=meta), sort_keys=True)


class Listener:
    def __init__(self, index, mode):
        self.index = index
        self.mode = mode
        self.objects = {}          # (path of the object) -> dict
        self.lock = threading.Lock()


def status(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return code, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeapi"

    def log_message(self, fmt, *args):   # keep stderr quiet
        pass

    def record(self, body):
        url = urllib.parse.urlsplit(self.path)
        global SEQ
        entry = {
            "server": self.server.listener.index,
            "time": time.time(),
            "method": self.command,
            "path": url.path,
            "query": urllib.parse.parse_qs(url.query, keep_blank_values=True),
            "content_type": self.headers.get("Content-Type", ""),
            "accept": self.headers.get("Accept", ""),
            "user_agent": self.headers.get("User-Agent", ""),
            "body": body.decode("utf-8", "replace"),
        }
        with LOG_LOCK:
            SEQ += 1
            entry["seq"] = SEQ
            LOG.write(json.dumps(entry) + "\n")
            LOG.flush()
        return url

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > 8 * 1024 * 1024:
            return None
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        body = self.read_body() or b""
        url = self.record(body)
        self.reply(*self.route_get(url.path))

    def do_PATCH(self):
        body = self.read_body()
        if body is None:
            self.reply(*status(413, "RequestEntityTooLarge", "request too large"))
            return
        url = self.record(body)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        answer = self.route_patch(url.path, query, body)
        if self.server.listener.mode == "slow" and "/secrets/" in url.path:
            time.sleep(1.0)
        self.reply(*answer)

    def do_POST(self):
        body = self.read_body() or b""
        self.record(body)
        self.reply(*status(405, "MethodNotAllowed", "the fake server only supports apply"))

    do_PUT = do_POST
    do_DELETE = do_POST

    # --- routing -----------------------------------------------------------------------------
    def route_get(self, path):
        if path == "/version":
            return 200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0",
                         "platform": "linux/amd64"}
        if path == "/api":
            return 200, {"kind": "APIVersions", "versions": ["v1"],
                         "serverAddressByClientCIDRs": [
                             {"clientCIDR": "0.0.0.0/0",
                              "serverAddress": "127.0.0.1:%d" % self.server.server_port}]}
        if path == "/apis":
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": "k8ssandra.io",
                 "versions": [{"groupVersion": "k8ssandra.io/v1alpha1", "version": "v1alpha1"}],
                 "preferredVersion": {"groupVersion": "k8ssandra.io/v1alpha1",
                                      "version": "v1alpha1"}}]}
        for (group, version) in RESOURCES:
            if path == "/" + gv_path(group, version):
                return 200, resource_list(group, version)
        if path == "/openapi/v3":
            return 200, {"paths": {
                gv_path(g, v): {"serverRelativeURL": "/openapi/v3/%s?hash=fake%s%s"
                                % (gv_path(g, v), g.replace(".", ""), v)}
                for (g, v) in RESOURCES}}
        for (group, version) in RESOURCES:
            if path == "/openapi/v3/" + gv_path(group, version):
                return 200, openapi_doc(group, version)
        coll = self.parse_collection_path(path)
        if coll is not None:
            return 200, self.list_objects(path, *coll)
        target = self.parse_object_path(path)
        if target is None:
            return status(404, "NotFound", "the server could not find the requested resource")
        listener = self.server.listener
        with listener.lock:
            obj = listener.objects.get(path)
        if obj is None:
            return status(404, "NotFound", '%s "%s" not found' % (target[1], target[3]),
                          {"name": target[3], "kind": target[1]})
        return 200, obj

    def parse_collection_path(self, path):
        """A list: .../PLURAL (all namespaces) or .../namespaces/NS/PLURAL -> (group, version,
        plural, namespace or None, kind) or None."""
        parts = path.strip("/").split("/")
        for (group, version), resources in RESOURCES.items():
            prefix = gv_path(group, version).split("/")
            if parts[:len(prefix)] != prefix:
                continue
            rest = parts[len(prefix):]
            ns = None
            if len(rest) == 3 and rest[0] == "namespaces":
                ns, rest = rest[1], rest[2:]
            if len(rest) != 1:
                continue
            for plural, kind, namespaced in resources:
                if plural == rest[0] and (namespaced or ns is None):
                    return group, version, plural, ns, kind
        return None

    def list_objects(self, path, group, version, plural, ns, kind):
        """The stored objects of a collection (GET of a list, e.g. kubectl get secrets -A)."""
        listener = self.server.listener
        prefix = "/" + gv_path(group, version) + "/"
        with listener.lock:
            items = [o for p, o in sorted(listener.objects.items())
                     if p.startswith(prefix) and p.split("/")[-2] == plural and
                     (ns is None or "/namespaces/%s/" % ns in p)]
        return {"kind": kind + "List", "apiVersion": api_version(group, version),
                "metadata": {"resourceVersion": "1"}, "items": items}

    def parse_object_path(self, path):
        """-> (group, version, plural, name, namespace, kind) or None."""
        parts = path.strip("/").split("/")
        for (group, version), resources in RESOURCES.items():
            prefix = gv_path(group, version).split("/")
            if parts[:len(prefix)] != prefix:
                continue
            rest = parts[len(prefix):]
            ns = None
            if len(rest) == 4 and rest[0] == "namespaces":
                ns, rest = rest[1], rest[2:]
            if len(rest) != 2:
                continue
            for plural, kind, namespaced in resources:
                if plural == rest[0] and namespaced == (ns is not None):
                    return group, plural, version, rest[1], ns, kind
        return None

    def route_patch(self, path, query, body):
        listener = self.server.listener
        target = self.parse_object_path(path)
        if target is None:
            return status(404, "NotFound", "the server could not find the requested resource")
        group, plural, version, name, ns, kind = target
        if self.headers.get("Content-Type", "") != "application/apply-patch+yaml":
            return status(415, "UnsupportedMediaType", "only server-side apply is supported")
        if listener.mode == "forbidden":
            where = ' in the namespace "%s"' % ns if ns else ""
            return status(403, "Forbidden",
                          '%s "%s" is forbidden: User "system:anonymous" cannot patch resource '
                          '"%s" in API group "%s"%s' % (plural, name, plural, group, where),
                          {"name": name, "group": group, "kind": plural})
        try:
            obj = yaml.safe_load(body.decode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - report any parse problem as a 400
            return status(400, "BadRequest", "cannot parse the apply patch: %s" % exc)
        if not isinstance(obj, dict) or obj.get("kind") != kind:
            return status(400, "BadRequest", "the body is not a %s" % kind)
        meta = obj.setdefault("metadata", {})
        if meta.get("name") != name:
            return status(400, "BadRequest", "the name in the body does not match the URL")
        force = query.get("force", ["false"])[0] == "true"
        if listener.mode == "conflict" and kind == "K8ssandraCluster" and not force:
            field = ".spec.cassandra.serverVersion"
            msg = ('Apply failed with 1 conflict: conflict with "helm" using '
                   'k8ssandra.io/v1alpha1: %s' % field)
            return status(409, "Conflict", msg, {"causes": [
                {"reason": "FieldManagerConflict",
                 "message": 'conflict with "helm" using k8ssandra.io/v1alpha1',
                 "field": field}]})
        if ns:
            meta["namespace"] = ns
        dry = "All" in query.get("dryRun", [])
        with listener.lock:
            old = listener.objects.get(path)
            old_meta = (old or {}).get("metadata", {})
            meta["uid"] = old_meta.get("uid") or \
                "00000000-0000-0000-0000-%012d" % (len(listener.objects) + 1)
            meta["managedFields"] = [{
                "manager": query.get("fieldManager", [""])[0], "operation": "Apply",
                "apiVersion": obj.get("apiVersion", ""), "fieldsType": "FieldsV1",
                "fieldsV1": {}}]
            # the resourceVersion changes only when the content does (a re-apply is a no-op)
            rv = int(old_meta.get("resourceVersion", "0"))
            if old is None or content(old) != content(obj):
                rv += 1
            meta["resourceVersion"] = str(rv)
            if not dry:
                listener.objects[path] = obj
        return (200 if old else 201), obj


LOG = None
LOG_LOCK = threading.Lock()
SEQ = 0


def main():
    global LOG
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--listener", action="append", choices=["ok", "forbidden", "conflict", "slow"])
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    modes = args.listener or ["ok"]

    LOG = open(args.log, "a", encoding="utf-8")
    servers = []
    for i, mode in enumerate(modes):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        srv.daemon_threads = True
        if tls:
            srv.socket = tls.wrap_socket(srv.socket, server_side=True)
        srv.listener = Listener(i, mode)
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for srv in servers:
            f.write("%d\n" % srv.server_port)
    os.replace(tmp, args.port_file)
    # bounded lifetime: stop by ourselves even if the test's trap never runs
    time.sleep(args.timeout)
    sys.stderr.write("fakeapi: stopping after %.0f s\n" % args.timeout)
    os._exit(0)


if __name__ == "__main__":
    main()
