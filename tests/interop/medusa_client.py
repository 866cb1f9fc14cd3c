"""Medusa's side of client-to-node TLS (S6): Python's ssl module with the Medusa PEM trio
(rootca.crt, client.crt_signed, unencrypted client.key), TLS 1.2, CERT_REQUIRED, no hostname
check, against the Java server of TlsPeer.java that uses the client stores with client auth
required.

usage: /usr/bin/python3 medusa_client.py PORT_FILE
PORT_FILE lines: "CELL_DIR PORT" (written by TlsPeer --python-port-file). Prints ok:/FAIL: lines,
exit 1 when a handshake failed.
"""
import os
import socket
import ssl
import sys
import time


def main():
    port_file = sys.argv[1]
    deadline = time.monotonic() + 300
    while not os.path.exists(port_file):
        if time.monotonic() > deadline:
            print("FAIL: the Java server did not start (no %s)" % port_file)
            return 1
        time.sleep(0.05)
    failures = 0
    with open(port_file) as f:
        lines = [l.split() for l in f if l.strip()]
    for cell, port in lines:
        name = os.path.basename(cell)
        medusa = os.path.join(cell, "medusa")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_REQUIRED
        try:
            ctx.load_cert_chain(os.path.join(medusa, "client.crt_signed"),
                                os.path.join(medusa, "client.key"))
            ctx.load_verify_locations(os.path.join(medusa, "rootca.crt"))
            with socket.create_connection(("127.0.0.1", int(port)), timeout=120) as raw:
                with ctx.wrap_socket(raw) as s:
                    s.sendall(b"medusa\n")
                    reply = b""
                    while not reply.endswith(b"\n"):
                        chunk = s.recv(100)
                        if not chunk:
                            break
                        reply += chunk
                    if reply != b"pong medusa\n":
                        raise RuntimeError("unexpected reply %r" % reply)
                    print("ok: %s python %s %s server=%s" % (
                        name, s.version(), s.cipher()[0],
                        dict(x[0] for x in s.getpeercert()["subject"]).get("commonName")))
        except Exception as e:  # report every cell
            failures += 1
            print("FAIL: %s python handshake: %s" % (name, e))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
