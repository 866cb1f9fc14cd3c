"""Reaper's stores from one rotation phase against the other side's Secrets from another, with a
JSSE peer loading the stores as Reaper does (tests/interop/ReaperPeer.java):
  R2 a Python management API server (the server trio of MGMT_TRIO, CERT_REQUIRED) accepts Reaper's
     management keystore (MGMT_STORES), whose truststore verifies that server;
  R1 a Python Reaper client (the client trio of CLIENT_TRIO, server verified without hostname, as
     the operator does) and the JSSE server on SERVER_STORES with needClientAuth accept each other.
usage: reaper_mixed.py SERVER_STORES MGMT_STORES MGMT_TRIO CLIENT_TRIO CLASSDIR PORT_FILE
Exit 0 when all three handshakes succeeded; the reasons on stdout otherwise."""
import os, socket, ssl, subprocess, sys, threading, time

server_stores, mgmt_stores, mgmt_trio, client_trio, classdir, port_file = sys.argv[1:7]


def trio(d):
    return os.path.join(d, "ca.crt"), os.path.join(d, "tls.crt"), os.path.join(d, "tls.key")


ok = True
mca, mcrt, mkey = trio(mgmt_trio)
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.load_cert_chain(mcrt, mkey)
srv.load_verify_locations(mca)
srv.verify_mode = ssl.CERT_REQUIRED
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(1)
ls.settimeout(60)
seen = []


def serve():
    try:
        conn, _ = ls.accept()
        with srv.wrap_socket(conn, server_side=True) as s:
            seen.append(s.getpeercert() is not None)
            s.sendall(b"mgmt\n")
    except Exception as e:
        seen.append(str(e))


th = threading.Thread(target=serve)
th.start()
java = subprocess.Popen(["java", "-XX:TieredStopAtLevel=1", "-cp", classdir, "ReaperPeer",
                         server_stores, mgmt_stores, str(ls.getsockname()[1]), port_file],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
th.join(90)
ls.close()
if seen != [True]:
    print("R2: the management API server refused Reaper's keystore:", seen)
    ok = False
deadline = time.time() + 60
while not os.path.exists(port_file) and time.time() < deadline and java.poll() is None:
    time.sleep(0.05)
cca, ccrt, ckey = trio(client_trio)
cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
cli.load_cert_chain(ccrt, ckey)
cli.load_verify_locations(cca)
cli.check_hostname = False
got = b""
try:
    port = int(open(port_file).read())
    with cli.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30)) as s:
        got = s.recv(7)
except Exception as e:
    print("R1: the Reaper client:", e)
jout, _ = java.communicate(timeout=90)
print(jout, end="")
if got != b"reaper\n":
    ok = False
if java.returncode != 0:
    ok = False
sys.exit(0 if ok else 1)
