#!/bin/sh
# O1: --client-files writes clients/ (ca.pem, cqlsh's client.crt/client.key, cqlshrc,
# nodetool-ssl.properties) and NEXT-STEPS.md copies them into a pod with kubectl cp and uses
# them through kubectl exec. Judged by their consumers: cqlshrc read as cqlsh reads it
# (configparser) drives a Python ssl client (CERT_REQUIRED, hostname checked) against a server
# on the node's client keystore that requires a client certificate from its client truststore;
# keytool opens the stores named by nodetool-ssl.properties with its passwords. Without the
# flag, nothing of it is written.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl keytool timeout
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\n' > ec.yaml
printf 'apiVersion: k8tls-wizard/v1\nca: {key: {algorithm: ecdsa, curve: P-256}}\nstores: {format: jks}\n' > jks.yaml
for c in ec jks; do
  timeout 120 "$K8TLS_BIN" --answers $c.yaml --output $c --client-files > $c.log 2>&1
  check "$c: --client-files writes clients/" [ -f $c/clients/cqlshrc ]
done
timeout 120 "$K8TLS_BIN" --answers ec.yaml --output plain > plain.log 2>&1
check "without --client-files: no clients/" [ ! -e plain/clients ]
check "without --client-files: NEXT-STEPS.md has no kubectl cp" sh -c '! grep -q "kubectl .* cp" plain/NEXT-STEPS.md'

cat > judge.py <<'PY'
import configparser, socket, ssl, sys, threading
out, node_crt, node_key, trust = sys.argv[1:5]
cfg = configparser.ConfigParser()
cfg.read(f"{out}/clients/cqlshrc")
local = lambda p: p.replace("/tmp/k8tls-clients", f"{out}/clients")
host = cfg.get("connection", "hostname")
assert cfg.getboolean("connection", "ssl") and cfg.getboolean("ssl", "validate")
cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)      # check_hostname on, CERT_REQUIRED
cli.load_verify_locations(local(cfg.get("ssl", "certfile")))
cli.load_cert_chain(local(cfg.get("ssl", "usercert")), local(cfg.get("ssl", "userkey")))
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.load_cert_chain(node_crt, node_key)
srv.load_verify_locations(trust)
srv.verify_mode = ssl.CERT_REQUIRED
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(1); ls.settimeout(30)
seen = {}
def serve():
    c, _ = ls.accept()
    try:
        s = srv.wrap_socket(c, server_side=True)
        seen["peer"] = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
        s.sendall(b"ok"); s.close()
    except Exception as e:
        seen["error"] = str(e)
th = threading.Thread(target=serve); th.start()
s = cli.wrap_socket(socket.create_connection(ls.getsockname(), timeout=30), server_hostname=host)
got = s.recv(2); v = s.version(); s.close(); th.join()
print(host, v, got, seen)
sys.exit(0 if got == b"ok" and seen.get("peer", "").endswith("-ops-client") else 1)
PY

for c in ec jks; do
  S=$c/stores/client-encryption-stores
  P=$c/clients/nodetool-ssl.properties
  check "$c: nodetool-ssl.properties is 0600, every line a -D option" \
    sh -c "[ \$(stat -c %a $P) = 600 ] && ! grep -qv '^-Djavax.net.ssl\.' $P"
  prop() { sed -n "s/^-Djavax.net.ssl.$1=//p" "$P"; }
  check "$c: nodetool-ssl.properties names the stores the operator mounts" \
    sh -c "[ '$(prop keyStore)' = /mnt/client-keystore/keystore ] && [ '$(prop trustStore)' = /mnt/client-truststore/truststore ]"
  check "$c: keytool opens the keystore with its keyStorePassword and keyStoreType" \
    sh -c "keytool -list -keystore $S/keystore -storetype '$(prop keyStoreType)' -storepass '$(prop keyStorePassword)' | grep -q PrivateKeyEntry"
  check "$c: keytool opens the truststore with its trustStorePassword" \
    sh -c "keytool -list -keystore $S/truststore -storetype '$(prop trustStoreType)' -storepass '$(prop trustStorePassword)' | grep -q trustedCertEntry"
  check "$c: client.key is 0600 and matches client.crt" \
    sh -c "[ \$(stat -c %a $c/clients/client.key) = 600 ] && [ \"\$(openssl pkey -in $c/clients/client.key -pubout)\" = \"\$(openssl x509 -in $c/clients/client.crt -noout -pubkey)\" ]"
  # the node's side: the client keystore's key and certificate, the client truststore's CA
  keytool -importkeystore -srckeystore $S/keystore -srcstoretype "$(prop keyStoreType)" \
    -srcstorepass "$(prop keyStorePassword)" -destkeystore $c-node.p12 -deststoretype pkcs12 \
    -deststorepass changeit -noprompt >/dev/null 2>&1
  openssl pkcs12 -in $c-node.p12 -passin pass:changeit -nokeys -clcerts -out $c-node.crt 2>/dev/null
  openssl pkcs12 -in $c-node.p12 -passin pass:changeit -nocerts -nodes -out $c-node.key 2>/dev/null
  keytool -exportcert -rfc -alias "$(keytool -list -keystore $S/truststore -storetype "$(prop trustStoreType)" -storepass "$(prop trustStorePassword)" | sed -n 's/^\([^,]*\), .*trustedCertEntry.*/\1/p' | head -1)" \
    -keystore $S/truststore -storetype "$(prop trustStoreType)" -storepass "$(prop trustStorePassword)" > $c-trust.pem 2>/dev/null
  check "$c: ca.pem verifies the node's client-facing certificate" \
    sh -c "openssl verify -CAfile $c/clients/ca.pem $c-node.crt >/dev/null"
  if timeout 60 "$PY" judge.py "$c" $c-node.crt $c-node.key $c-trust.pem > $c-judge.log 2>&1; then
    pass "$c: cqlshrc as cqlsh reads it: mutual TLS with the node's client stores, hostname $(cut -d' ' -f1 $c-judge.log) checked ($(cut -d' ' -f2 $c-judge.log))"
  else
    fail "$c: cqlshrc handshake"; sed 's/^/    /' $c-judge.log
  fi
done
check "NEXT-STEPS.md copies clients/ with kubectl cp" \
  grep -q '^kubectl -n "$NS" cp clients "$POD":/tmp/k8tls-clients -c cassandra$' ec/NEXT-STEPS.md
check "NEXT-STEPS.md runs cqlsh with the copied cqlshrc" \
  grep -q 'exec "$POD" -c cassandra -- cqlsh --cqlshrc /tmp/k8tls-clients/cqlshrc$' ec/NEXT-STEPS.md
check "NEXT-STEPS.md installs nodetool-ssl.properties and runs nodetool --ssl" \
  sh -c "grep -q 'cp /tmp/k8tls-clients/nodetool-ssl.properties' ec/NEXT-STEPS.md && grep -q 'nodetool --ssl status' ec/NEXT-STEPS.md"
finish
