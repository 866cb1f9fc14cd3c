#!/bin/sh
# Imported CAs made by openssl: an Ed25519 CA signs the generated ECDSA node and Medusa
# certificates, which `openssl verify` and Python's ssl (a TLS 1.2 mutual handshake, as Medusa
# runs it) accept; without certificates.key the leaf algorithm cannot follow it and a sentence
# says what to set. An intermediate CA given with a pathlen:0 root is refused, naming the file,
# and nothing is written.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

# ---- an Ed25519 CA ----
openssl req -x509 -newkey ed25519 -nodes -keyout ed.key -out ed.crt -days 400 \
  -subj "/O=EdOrg/CN=Ed25519 Root CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
check "Ed25519 CA made" [ -s ed.crt ] && [ -s ed.key ]
cat > ed.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
ca:
  source: import
  import: {cert: ed.crt, key: ed.key}
certificates:
  key: {algorithm: ecdsa, curve: P-256}
YAML
timeout 120 "$K8TLS_BIN" --answers ed.yaml --output out > stdout 2> stderr
rc=$?
check "an Ed25519 CA signs ECDSA leaves (exit $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat stderr
check "no OpenSSL digest error" sh -c '! grep -q "invalid digest" stderr'
S=out/stores/server-encryption-stores
openssl pkcs12 -in $S/keystore -passin file:$S/keystore-password -nokeys -clcerts \
  -out node.crt 2>/dev/null
openssl pkcs12 -in $S/keystore -passin file:$S/keystore-password -nocerts -nodes \
  -out node.key 2>/dev/null
check "the node certificate is signed with Ed25519" \
  sh -c 'openssl x509 -in node.crt -noout -text | grep -q "Signature Algorithm: ED25519"'
check "openssl verify accepts the node certificate" openssl verify -CAfile ed.crt node.crt
check "openssl verify accepts the Medusa certificate" \
  openssl verify -CAfile out/medusa/rootca.crt out/medusa/client.crt_signed
cat > hs.py <<'PY'
import socket, ssl, sys, threading
ca, cert, key, ccert, ckey = sys.argv[1:6]
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.load_cert_chain(cert, key)
srv.load_verify_locations(ca)
srv.verify_mode = ssl.CERT_REQUIRED
cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
cli.check_hostname = False
cli.maximum_version = ssl.TLSVersion.TLSv1_2
cli.load_verify_locations(ca)
cli.load_cert_chain(ccert, ckey)
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(1)
seen = {}
def serve():
    c, _ = ls.accept()
    try:
        s = srv.wrap_socket(c, server_side=True)
        seen["peer"] = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
        s.sendall(b"ok")
        s.close()
    except Exception as e:
        seen["error"] = str(e)
th = threading.Thread(target=serve)
th.start()
s = cli.wrap_socket(socket.create_connection(ls.getsockname()))
got = s.recv(2)
version = s.version()
s.close()
th.join()
print(version, got.decode(), seen)
sys.exit(0 if got == b"ok" and seen.get("peer") == "client" else 1)
PY
check "Python ssl: Medusa's certificate and the node's verify in a TLS 1.2 handshake" \
  timeout 60 "$PY" hs.py out/medusa/rootca.crt node.crt node.key out/medusa/client.crt_signed \
  out/medusa/client.key

# without certificates.key the leaves would follow the CA's algorithm, which stores cannot hold
grep -v 'certificates:\|key: {algorithm' ed.yaml > ed-nokey.yaml
timeout 120 "$K8TLS_BIN" --answers ed-nokey.yaml --output out2 > stdout 2> stderr
rc=$?
check "an Ed25519 CA without certificates.key exits 1 (got $rc)" [ $rc -eq 1 ]
check "... saying to set certificates.key" grep -q 'neither RSA nor ECDSA.*set certificates.key' stderr
check "... and writes nothing" [ ! -e out2 ]

# ---- an intermediate CA under a pathlen:0 root ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key \
  -out root.crt -days 400 -subj "/CN=PL0 Root" \
  -addext basicConstraints=critical,CA:TRUE,pathlen:0 \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key \
  -out inter.csr -subj "/CN=Inter CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > ext
openssl x509 -req -in inter.csr -CA root.crt -CAkey root.key -CAcreateserial -days 300 \
  -extfile ext -out inter.crt 2>/dev/null
cat inter.crt root.crt > chain.crt
check "intermediate CA made" openssl verify -CAfile root.crt inter.crt
cat > chain.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
ca:
  source: import
  import: {cert: chain.crt, key: inter.key}
YAML
timeout 120 "$K8TLS_BIN" --answers chain.yaml --output out3 > stdout 2> stderr
rc=$?
check "an intermediate under a pathlen:0 root exits 1 (got $rc)" [ $rc -eq 1 ]
check "... with a sentence naming the file and the key" grep -q \
  "^chain.crt: error: ca.import.cert: CA certificate 'CN=Inter CA' cannot sign node certificates that anything will trust: it is an intermediate CA under 'CN=PL0 Root', whose basicConstraints pathlen:0" \
  stderr
check "... and writes nothing" [ ! -e out3 ]
finish
