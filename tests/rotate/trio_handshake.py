"""One mutual-TLS handshake between two PEM trios (ca.crt, tls.crt, tls.key directories), as the
consumers of the Secrets of SPEC section 10 make it with Python ssl: the server loads SERVER's
trio with CERT_REQUIRED (its ca.crt verifies the client), the client loads CLIENT's trio and
verifies the server against CLIENT's ca.crt; with --hostname NAME the client also checks that
name (Medusa's gRPC probe dials localhost).
usage: trio_handshake.py SERVER_DIR CLIENT_DIR [--hostname NAME]
Exit 0 when both sides accepted the other, 1 otherwise (the reason on stderr)."""
import os, socket, ssl, sys, threading

server_dir, client_dir = sys.argv[1:3]
hostname = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--hostname" else None


def files(d):
    return (os.path.join(d, "ca.crt"), os.path.join(d, "tls.crt"), os.path.join(d, "tls.key"))


sca, scert, skey = files(server_dir)
cca, ccert, ckey = files(client_dir)
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.load_cert_chain(scert, skey)
srv.load_verify_locations(sca)
srv.verify_mode = ssl.CERT_REQUIRED
cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
cli.load_cert_chain(ccert, ckey)
cli.load_verify_locations(cca)
cli.check_hostname = hostname is not None
cli.verify_mode = ssl.CERT_REQUIRED

lsock = socket.socket()
lsock.bind(("127.0.0.1", 0))
lsock.listen(1)
lsock.settimeout(20)
result = {}


def serve():
    try:
        conn, _ = lsock.accept()
        with srv.wrap_socket(conn, server_side=True) as s:
            result["server"] = s.getpeercert() is not None
            s.sendall(b"x")
    except Exception as e:  # the client's certificate refused
        result["server_error"] = str(e)


t = threading.Thread(target=serve)
t.start()
ok = False
try:
    with socket.create_connection(lsock.getsockname(), timeout=20) as raw:
        with cli.wrap_socket(raw, server_hostname=hostname) as c:
            ok = c.recv(1) == b"x"
except Exception as e:
    print("client: %s" % e, file=sys.stderr)
t.join(30)
if "server_error" in result:
    print("server: %s" % result["server_error"], file=sys.stderr)
sys.exit(0 if ok and result.get("server") else 1)
