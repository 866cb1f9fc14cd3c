"""Handshakes with the PEM Secrets of SPEC section 10, as their consumers make them (Python ssl,
the library Medusa's gRPC server and client sit on; OpenSSL under both):
  M1 the management API server trio with CERT_REQUIRED accepts the client trio, and its own
     certificate as a client (the probes), and refuses a certificate of a foreign CA;
  G1 Medusa's gRPC server trio with CERT_REQUIRED accepts the client trio, and its own trio as
     a client dialling "localhost" with hostname checking on (the health probe);
  R1/R2 with --java: a Python management API server (M1 server trio) for Reaper's management
     stores, and a Python Reaper client (R1 client trio, hostname checked against the Reaper
     Service name) against the JSSE server on Reaper's server stores (ReaperPeer.java).
usage: surfaces_tls.py OUT FOREIGN_CERT FOREIGN_KEY REAPER_HOST [--java CLASSDIR]
Prints ok:/FAIL: lines; exit 1 if anything failed."""
import os, socket, ssl, subprocess, sys, threading, time

out, foreign_cert, foreign_key, reaper_host = sys.argv[1:5]
java_dir = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--java" else None
fails = 0


def ok(cond, msg):
    global fails
    print(("ok: " if cond else "FAIL: ") + msg)
    if not cond:
        fails += 1


def trio(name):
    d = os.path.join(out, "tls", name)
    return os.path.join(d, "ca.crt"), os.path.join(d, "tls.crt"), os.path.join(d, "tls.key")


def server_ctx(name):
    ca, crt, key = trio(name)
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    c.load_cert_chain(crt, key)
    c.load_verify_locations(ca)
    c.verify_mode = ssl.CERT_REQUIRED
    return c


def client_ctx(ca, crt, key, check_hostname=False):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = check_hostname
    c.verify_mode = ssl.CERT_REQUIRED
    c.load_verify_locations(ca)
    c.load_cert_chain(crt, key)
    return c


def listen():
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    ls.settimeout(60)
    return ls


def serve(ls, ctx, seen, count=1):
    for _ in range(count):
        try:
            c, _ = ls.accept()
        except OSError as e:
            seen.append(("error", str(e)))
            return
        try:
            s = ctx.wrap_socket(c, server_side=True)
            cn = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
            s.sendall(b"hello\n")
            seen.append(("peer", cn))
            s.close()
        except Exception as e:
            seen.append(("error", str(e)))
            c.close()


def handshake(srv, cli, host, check_hostname=False):
    """One connection: (client result or exception text, what the server saw)."""
    ls = listen()
    seen = []
    th = threading.Thread(target=serve, args=(ls, srv, seen))
    th.start()
    res = None
    try:
        s = cli.wrap_socket(socket.create_connection(ls.getsockname(), timeout=30),
                            server_hostname=host)
        got = s.recv(6)
        cn = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
        res = ("ok", s.version(), cn, got)
        s.close()
    except Exception as e:
        res = ("error", str(e))
    th.join()
    ls.close()
    return res, (seen[0] if seen else ("error", "no connection"))


# ---- M1: the management API ----
mca, mcrt, mkey = trio("mgmt-api-server-tls")
cca, ccrt, ckey = trio("mgmt-api-client-tls")
res, seen = handshake(server_ctx("mgmt-api-server-tls"), client_ctx(cca, ccrt, ckey), None)
ok(res[0] == "ok" and seen == ("peer", res[2].replace("server", "client")) and res[2].endswith("-mgmt-api-server"),
   f"M1: the management API server (CERT_REQUIRED) accepts the client trio: {res} {seen}")
res, seen = handshake(server_ctx("mgmt-api-server-tls"), client_ctx(mca, mcrt, mkey), None)
ok(res[0] == "ok" and seen[0] == "peer" and seen[1].endswith("-mgmt-api-server"),
   f"M1: ... and its own certificate as a client (the probes' curl): {res} {seen}")
res, seen = handshake(server_ctx("mgmt-api-server-tls"), client_ctx(cca, foreign_cert, foreign_key), None)
ok(seen[0] == "error" and ("certificate" in seen[1].lower() or "unknown ca" in seen[1].lower()),
   f"M1: ... and refuses a client certificate of a foreign CA: {seen}")

# ---- G1: Medusa's gRPC ----
gca, gcrt, gkey = trio("medusa-grpc-server-tls")
kca, kcrt, kkey = trio("medusa-grpc-client-tls")
res, seen = handshake(server_ctx("medusa-grpc-server-tls"), client_ctx(kca, kcrt, kkey), None)
ok(res[0] == "ok" and seen[0] == "peer" and seen[1].endswith("-medusa-grpc-client"),
   f"G1: Medusa's gRPC server (CERT_REQUIRED) accepts the client trio: {res} {seen}")
for host in ("localhost", "127.0.0.1", "::1"):
    res, seen = handshake(server_ctx("medusa-grpc-server-tls"),
                          client_ctx(gca, gcrt, gkey, check_hostname=True), host, True)
    ok(res[0] == "ok" and seen[0] == "peer" and seen[1].endswith("-medusa-grpc-server"),
       f"G1: the server trio as its own client, hostname {host} checked (the probe): {res} {seen}")
res, seen = handshake(server_ctx("medusa-grpc-server-tls"),
                      client_ctx(gca, gcrt, gkey, check_hostname=True), "medusa.example", True)
ok(res[0] == "error" and "match" in res[1].lower(),
   f"G1: ... and a name the certificate does not carry fails the hostname check: {res}")

# ---- R1/R2: Reaper, against the JSSE peer ----
if java_dir:
    ls = listen()
    seen = []
    th = threading.Thread(target=serve, args=(ls, server_ctx("mgmt-api-server-tls"), seen))
    th.start()
    port_file = os.path.abspath(out) + ".reaper.port"
    java = subprocess.Popen(["java", "-XX:TieredStopAtLevel=1", "-cp", java_dir, "ReaperPeer",
                             os.path.join(out, "tls", "reaper-api-server-stores"),
                             os.path.join(out, "tls", "reaper-mgmt-api-stores"),
                             str(ls.getsockname()[1]), port_file],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    th.join()
    ls.close()
    ok(seen and seen[0][0] == "peer" and seen[0][1].endswith("-reaper-mgmt-api-client"),
       f"R2: the management API server (CERT_REQUIRED) accepts Reaper's management keystore: {seen}")
    deadline = time.time() + 60
    while not os.path.exists(port_file) and time.time() < deadline and java.poll() is None:
        time.sleep(0.05)
    rca, rcrt, rkey = trio("reaper-api-client-tls")
    res = ("error", "no port")
    if os.path.exists(port_file):
        port = int(open(port_file).read())
        try:
            cli = client_ctx(rca, rcrt, rkey, check_hostname=True)
            s = cli.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                server_hostname=reaper_host)
            got = s.recv(7)
            res = ("ok", s.version(), dict(x[0] for x in s.getpeercert()["subject"])["commonName"], got)
            s.close()
        except Exception as e:
            res = ("error", str(e))
    jout, _ = java.communicate(timeout=60)
    print(jout, end="")
    ok(res[0] == "ok" and res[2].endswith("-reaper-api-server") and res[3] == b"reaper\n",
       f"R1: the Reaper client trio verifies Reaper's server stores as {reaper_host}: {res}")
    ok(java.returncode == 0 and "client=CN=" in jout and "-reaper-api-client" in jout,
       "R1: Reaper's server stores (needClientAuth) accept the client trio (JSSE)")

print(f"{fails} failed")
sys.exit(1 if fails else 0)
