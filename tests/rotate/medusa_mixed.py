"""Medusa during a rolling restart: Python's ssl with one phase's Medusa PEM trio
(rootca.crt, client.crt_signed, client.key; TLS 1.2, CERT_REQUIRED, no hostname check) against a
Java server (RotatePeer --serve) on the client stores of another phase.

usage: /usr/bin/python3 medusa_mixed.py PORT_FILE CASE...
  CASE  ok:NAME:MEDUSA_DIR    the handshake and one exchange must succeed
        fail:NAME:MEDUSA_DIR  the handshake must fail
  PORT_FILE lines: "NAME PORT", written by RotatePeer --serve (one server per NAME, in order).
Prints ok:/FAIL: lines; exit 1 when a case did not behave as expected.
"""
import os
import socket
import ssl
import sys
import time


def attempt(port, medusa):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(os.path.join(medusa, "client.crt_signed"), os.path.join(medusa, "client.key"))
    ctx.load_verify_locations(os.path.join(medusa, "rootca.crt"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with ctx.wrap_socket(raw) as s:
            s.sendall(b"medusa\n")
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(100)
                if not chunk:
                    break
                reply += chunk
            if reply != b"pong medusa\n":
                raise RuntimeError("no reply (%r): the server refused the client" % reply)
            cn = dict(x[0] for x in s.getpeercert()["subject"]).get("commonName")
            return "%s server=%s" % (s.version(), cn)


def main():
    port_file, cases = sys.argv[1], sys.argv[2:]
    deadline = time.monotonic() + 60
    while not os.path.exists(port_file):
        if time.monotonic() > deadline:
            print("FAIL: the Java server did not start (no %s)" % port_file)
            return 1
        time.sleep(0.05)
    ports = {}
    with open(port_file) as f:
        for line in f:
            if line.strip():
                name, port = line.split()
                ports[name] = int(port)
    failures = 0
    for case in cases:
        expect, name, medusa = case.split(":", 2)
        try:
            r = attempt(ports[name], medusa)
            if expect == "ok":
                print("ok: medusa %s: %s" % (name, r))
            else:
                failures += 1
                print("FAIL: medusa %s: the handshake succeeded: %s" % (name, r))
        except Exception as e:  # judge every case
            if expect == "ok":
                failures += 1
                print("FAIL: medusa %s: %s" % (name, e))
            else:
                print("ok: medusa %s: refused (%s)" % (name, type(e).__name__))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
