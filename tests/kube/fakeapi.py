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

cert-manager and trust-manager: the groups cert-manager.io/v1 (certificates, issuers,
clusterissuers) and trust.cert-manager.io/v1alpha1 (bundles, cluster-scoped) are served like the
others, and this server emulates what cert-manager does to a Certificate, as
/work/shared/reference/cert-manager/FACTS.md states it (the section numbers are FACTS.md's):
  * a Certificate is looked at each time a GET returns it (a poll): at the --cm-ready-after'th
    poll (default 2) it is issued, if its issuer can issue: an Issuer (same namespace) or a
    ClusterIssuer named by spec.issuerRef that is selfSigned, or ca with its spec.ca.secretName
    Secret present (an Issuer's namespace; a ClusterIssuer's: --cm-cluster-resource-namespace,
    default cert-manager, §8);
  * issued: status.conditions gets Ready=True (the log gets an entry with method "EVENT",
    event "issued"), and the Secret spec.secretName appears in the
    Certificate's namespace (§1): type kubernetes.io/tls (an existing Secret keeps its type),
    label controller.cert-manager.io/fao: "true", keys tls.crt, tls.key, ca.crt, plus
    keystore.p12 and truststore.p12 with keystores.pkcs12.create, keystore.jks and
    truststore.jks with keystores.jks.create. The values are placeholders (this server checks
    order and status; tests/certmanager makes the real material);
  * a CA issuer whose Secret is missing: FACTS.md §8 says the CertificateRequest stays pending
    with reason SecretMissing and message "Referenced secret NS/NAME not found". FACTS.md does
    not state the Certificate's own Ready reason: the emulation puts Ready=False with that
    reason and message on the Certificate (the wizard reports whatever reason and message the
    status holds, it does not interpret them);
  * --cm-hold NAME (repeatable): that Certificate is never processed: no status at all (as when
    cert-manager is not running), so it is never issued and its Secret never appears;
  * an issuer that is not there: no status (FACTS.md states no reason for it).
And what trust-manager does to a Bundle (FACTS.md §9), each time a GET returns it:
  * Secret targets not enabled at trust-manager's install (--tm-secret-targets-disabled): a
    Bundle with target.secret gets Synced=False, reason SecretTargetsDisabled, message "Bundle
    has Secret targets but the feature is disabled";
  * otherwise, once every source is there (a secret source in the trust namespace,
    --tm-trust-namespace, default cert-manager; inLine ones always) and at the
    --cm-ready-after'th poll: Synced=True (an "EVENT" "synced" log entry), and the target
    Secret named after the Bundle appears in the namespace its namespaceSelector's matchLabels
    kubernetes.io/metadata.name names (else in every namespace of the stored objects): the key
    target.secret.key and those of additionalFormats, label trust.cert-manager.io/bundle, no type
    set (the API server's default, Opaque); values are placeholders;
  * a source that is not there: no status (FACTS.md states no reason for it).
A re-apply keeps a stored object's status, as the API server does (status is not in the patch).
"""
import argparse
import base64
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
    ("cert-manager.io", "v1"): [("certificates", "Certificate", True),
                                ("issuers", "Issuer", True),
                                ("clusterissuers", "ClusterIssuer", False)],
    ("trust.cert-manager.io", "v1alpha1"): [("bundles", "Bundle", False)],
}
CM_READY_AFTER = 2
CM_HOLD = set()
CM_CLUSTER_RESOURCE_NS = "cert-manager"
TM_TRUST_NS = "cert-manager"
TM_SECRET_TARGETS = True
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
        self.polls = {}            # path of a Certificate -> times a GET returned it
        self.lock = threading.Lock()

    # --- cert-manager's emulation (see the module's description) --------------------------
    def cert_manager_poll(self, ns, name=None):
        """A GET is about to return the Certificates of ns (all of them, or the one named):
        count the poll and issue those whose time has come."""
        with self.lock:
            prefix = "/apis/cert-manager.io/v1/namespaces/%s/certificates/" % ns
            for path in sorted(self.objects):
                if not path.startswith(prefix) or (name and path != prefix + name):
                    continue
                cert = self.objects[path]
                if cert["metadata"]["name"] in CM_HOLD:
                    continue
                self.polls[path] = self.polls.get(path, 0) + 1
                self.reconcile(cert, ns, self.polls[path])

    def trust_manager_poll(self, name=None):
        """A GET is about to return the Bundles (all, or the one named)."""
        with self.lock:
            prefix = "/apis/trust.cert-manager.io/v1alpha1/bundles/"
            for path in sorted(self.objects):
                if not path.startswith(prefix) or (name and path != prefix + name):
                    continue
                self.polls[path] = self.polls.get(path, 0) + 1
                self.reconcile_bundle(self.objects[path], self.polls[path])

    def reconcile_bundle(self, bundle, polls):
        spec = bundle.get("spec") or {}
        target = spec.get("target") or {}
        name = bundle["metadata"]["name"]
        if "secret" in target and not TM_SECRET_TARGETS:
            # FACTS.md §9: Synced=False, SecretTargetsDisabled
            self.set_condition(bundle, "Synced", "False", "SecretTargetsDisabled",
                               "Bundle has Secret targets but the feature is disabled")
            return
        for src in spec.get("sources") or []:
            if "secret" in src and self.secret(TM_TRUST_NS, src["secret"].get("name")) is None:
                return                   # FACTS.md states no reason: no status
            if not ("secret" in src or "inLine" in src):
                return                   # configMap, useDefaultCAs: not emulated
        if polls < CM_READY_AFTER:
            return
        if not self.set_condition(bundle, "Synced", "True", None, None):
            return
        if "secret" in target:
            sel = ((target.get("namespaceSelector") or {}).get("matchLabels") or {}).get(
                "kubernetes.io/metadata.name")
            namespaces = [sel] if sel else sorted(set(
                (o.get("metadata") or {}).get("namespace") for o in self.objects.values()
                if (o.get("metadata") or {}).get("namespace")))
            keys = [target["secret"].get("key")]
            for fmt in ("jks", "pkcs12"):
                k = ((target.get("additionalFormats") or {}).get(fmt) or {}).get("key")
                if k:
                    keys.append(k)
            placeholder = base64.b64encode(b"fakeapi placeholder, not a truststore").decode()
            for ns in namespaces:
                self.objects["/api/v1/namespaces/%s/secrets/%s" % (ns, name)] = {
                    "apiVersion": "v1", "kind": "Secret",
                    "metadata": {"name": name, "namespace": ns,
                                 "labels": {"trust.cert-manager.io/bundle": name},
                                 "uid": "tm-%s-%s" % (ns, name), "resourceVersion": "1"},
                    "type": "Opaque",
                    "data": {k: placeholder for k in keys if k},
                }
        log_event({"server": self.index, "event": "synced", "bundle": name})

    def secret(self, ns, name):
        return self.objects.get("/api/v1/namespaces/%s/secrets/%s" % (ns, name))

    def reconcile(self, cert, ns, polls):
        spec = cert.get("spec") or {}
        ref = spec.get("issuerRef") or {}
        kind = ref.get("kind") or "Issuer"
        if kind == "ClusterIssuer":
            issuer = self.objects.get("/apis/cert-manager.io/v1/clusterissuers/%s"
                                      % ref.get("name"))
            issuer_ns = CM_CLUSTER_RESOURCE_NS
        else:
            issuer = self.objects.get("/apis/cert-manager.io/v1/namespaces/%s/issuers/%s"
                                      % (ns, ref.get("name")))
            issuer_ns = ns
        if issuer is None:
            return                       # FACTS.md states no reason: no status
        ispec = issuer.get("spec") or {}
        if "ca" in ispec:
            ca_secret = (ispec.get("ca") or {}).get("secretName")
            if self.secret(issuer_ns, ca_secret) is None:
                # FACTS.md §8: pending, SecretMissing, "Referenced secret %s/%s not found"
                self.set_ready(cert, "False", "SecretMissing",
                               "Referenced secret %s/%s not found" % (issuer_ns, ca_secret))
                return
        elif "selfSigned" not in ispec:
            return
        if polls < CM_READY_AFTER:
            return
        # FACTS.md states no reason or message for an issued Certificate: none is set
        if self.set_ready(cert, "True", None, None):
            self.write_secret(cert, ns)
            log_event({"server": self.index, "event": "issued", "namespace": ns,
                       "certificate": cert["metadata"]["name"],
                       "secret": spec.get("secretName")})

    @staticmethod
    def set_ready(cert, value, reason, message):
        """Sets the Ready condition; True when it changed."""
        return Listener.set_condition(cert, "Ready", value, reason, message)

    @staticmethod
    def set_condition(obj, ctype, value, reason, message):
        """Sets a condition; True when it changed."""
        st = obj.setdefault("status", {})
        conds = [c for c in st.get("conditions", []) if c.get("type") != ctype]
        old = [c for c in st.get("conditions", []) if c.get("type") == ctype]
        if old and old[0].get("status") == value and old[0].get("reason") == reason:
            return False
        cond = {"type": ctype, "status": value,
                "lastTransitionTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "observedGeneration": 1}
        if reason is not None:
            cond.update(reason=reason, message=message)
        conds.append(cond)
        st["conditions"] = conds
        return True

    def write_secret(self, cert, ns):
        """The Secret cert-manager writes for an issued Certificate (FACTS.md §1)."""
        spec = cert.get("spec") or {}
        name = spec.get("secretName")
        keys = ["tls.crt", "tls.key", "ca.crt"]
        stores = spec.get("keystores") or {}
        if (stores.get("pkcs12") or {}).get("create"):
            keys += ["keystore.p12", "truststore.p12"]
        if (stores.get("jks") or {}).get("create"):
            keys += ["keystore.jks", "truststore.jks"]
        path = "/api/v1/namespaces/%s/secrets/%s" % (ns, name)
        old = self.objects.get(path)
        placeholder = base64.b64encode(b"fakeapi placeholder, not a certificate").decode()
        self.objects[path] = {
            "apiVersion": "v1", "kind": "Secret",
            # an existing Secret keeps its type (FACTS.md §1)
            "type": (old or {}).get("type", "kubernetes.io/tls"),
            "metadata": {"name": name, "namespace": ns,
                         "labels": {"controller.cert-manager.io/fao": "true"},
                         "annotations": {"cert-manager.io/certificate-name":
                                         cert["metadata"]["name"]},
                         "uid": "cm-%s-%s" % (ns, name), "resourceVersion": "1"},
            "data": {k: placeholder for k in keys},
        }


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
                {"name": g,
                 "versions": [{"groupVersion": g + "/" + v, "version": v}],
                 "preferredVersion": {"groupVersion": g + "/" + v, "version": v}}
                for (g, v) in RESOURCES if g != ""]}
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
            if coll[4] == "Certificate":
                self.server.listener.cert_manager_poll(coll[3])
            if coll[4] == "Bundle":
                self.server.listener.trust_manager_poll()
            return 200, self.list_objects(path, *coll)
        target = self.parse_object_path(path)
        if target is None:
            return status(404, "NotFound", "the server could not find the requested resource")
        listener = self.server.listener
        if target[5] == "Certificate":
            listener.cert_manager_poll(target[4], target[3])
        if target[5] == "Bundle":
            listener.trust_manager_poll(target[3])
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
            if old is not None and "status" in old and "status" not in obj:
                obj["status"] = old["status"]   # status is not part of an apply
            if not dry:
                listener.objects[path] = obj
        return (200 if old else 201), obj


LOG = None
LOG_LOCK = threading.Lock()
SEQ = 0


def log_event(entry):
    """Records what the emulation did (method "EVENT"), in the request log's order."""
    global SEQ
    with LOG_LOCK:
        SEQ += 1
        entry.update(seq=SEQ, time=time.time(), method="EVENT")
        LOG.write(json.dumps(entry) + "\n")
        LOG.flush()


def main():
    global LOG
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--listener", action="append", choices=["ok", "forbidden", "conflict", "slow"])
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--cm-ready-after", type=int, default=2,
                    help="the poll at which a Certificate that can be issued is issued")
    ap.add_argument("--cm-hold", action="append", default=[],
                    help="a Certificate never processed (no status, no Secret)")
    ap.add_argument("--cm-cluster-resource-namespace", default="cert-manager")
    ap.add_argument("--tm-trust-namespace", default="cert-manager")
    ap.add_argument("--tm-secret-targets-disabled", action="store_true")
    args = ap.parse_args()
    global CM_READY_AFTER, CM_CLUSTER_RESOURCE_NS, TM_TRUST_NS, TM_SECRET_TARGETS
    TM_TRUST_NS = args.tm_trust_namespace
    TM_SECRET_TARGETS = not args.tm_secret_targets_disabled
    CM_READY_AFTER = args.cm_ready_after
    CM_CLUSTER_RESOURCE_NS = args.cm_cluster_resource_namespace
    CM_HOLD.update(args.cm_hold)
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
