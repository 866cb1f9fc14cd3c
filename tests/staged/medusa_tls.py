#!/usr/bin/python3
"""Medusa's CQL connection to its own node during the staged rollout (doc/staged-rollout.md 3.1:
Medusa restarts with its pod and speaks TLS to it once client encryption is on), with Python's
ssl as Medusa uses it: TLS 1.2, CERT_REQUIRED, no hostname check, the PEM trio of the Medusa
Secret of the phase's bundle (files written by staged_matrix.py in medusa.txt). The node is
CassandraPeer.java's emulation (it does not run Cassandra), which must accept the connection and
answer a CQL OPTIONS frame.

usage: medusa_tls.py PORT_FILE SCENARIO_DIR...
PORT_FILE: "SCENARIO NODE PORT" lines (CassandraPeer --native-ports). Prints ok:/FAIL: lines,
exit 1 when a connection failed; touches PORT_FILE.done at the end (the peer then stops).
"""
import os
import socket
import ssl
import sys
import time

CQL_OPTIONS = bytes([0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00])


def fields(line):
    return dict(f.split("=", 1) for f in line.rstrip("\n").split("\t"))


def connect(port, mf):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(mf["cert"], mf["key"])
    ctx.load_verify_locations(mf["rootca"])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with ctx.wrap_socket(raw) as s:
            s.sendall(CQL_OPTIONS)
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(256)
                if not chunk:
                    break
                reply += chunk
            return s.version(), reply.decode("utf-8", "replace").strip()


def main():
    port_file = sys.argv[1]
    done = port_file + ".done"
    try:
        deadline = time.monotonic() + 300
        while not os.path.exists(port_file):
            if time.monotonic() > deadline:
                print("FAIL: the peer wrote no %s" % port_file)
                return 1
            time.sleep(0.05)
        ports = {}
        with open(port_file) as f:
            for l in f:
                scen, node, port = l.split()
                ports[(scen, node)] = int(port)
        failures = 0
        for d in sys.argv[2:]:
            scen = os.path.basename(d.rstrip("/"))
            mfile = os.path.join(d, "medusa.txt")
            if not os.path.exists(mfile):
                continue
            with open(mfile) as f:
                for l in f:
                    mf = fields(l)
                    label = "%s: medusa (python ssl) -> %s" % (scen, mf["node"])
                    if "error" in mf:
                        print("FAIL: %s: %s" % (label, mf["error"]))
                        failures += 1
                        continue
                    port = ports.get((scen, mf["node"]))
                    if port is None:
                        print("FAIL: %s: the node does not listen" % label)
                        failures += 1
                        continue
                    try:
                        ver, reply = connect(port, mf)
                    except (OSError, ssl.SSLError) as e:
                        print("FAIL: %s: %s" % (label, e))
                        failures += 1
                        continue
                    if reply == "SUPPORTED %s tls" % mf["node"]:
                        print("ok: %s: %s" % (label, ver))
                    else:
                        print("FAIL: %s: answer %r" % (label, reply))
                        failures += 1
        return 1 if failures else 0
    finally:
        open(done, "w").close()


if __name__ == "__main__":
    sys.exit(main())
