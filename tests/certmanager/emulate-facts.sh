#!/bin/sh
# The emulation of cert-manager (emulate.py) does what tests/reference/cert-manager/FACTS.md
# says cert-manager and trust-manager do, judged by openssl and keytool on a hand-written fixture
# (tests/certmanager/fixtures/facts: ClusterIssuers, a CA in the cluster resource namespace,
# Certificates with defaults, ECDSA, JKS, a Bundle with JKS and PKCS#12 targets), and refuses what
# they refuse. The other tests of tests/certmanager rely on it.
. "$K8TLS_SRCDIR/tests/lib.sh"
need keytool openssl
"$PY" -c 'import cryptography, yaml' 2>/dev/null || { echo "FAIL: $PY lacks cryptography/yaml"; exit 1; }
CM="$K8TLS_SRCDIR/tests/certmanager"
FX="$CM/fixtures/facts"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

"$PY" "$CM/emulate.py" "$FX" emu > emu.log 2>&1
check "the fixture is issued (exit 0)" [ $? -eq 0 ]
S=emu/secrets/cass
CA=emu/secrets/cert-manager/facts-ca
has() { grep -q -- "$2" "$1"; }
x509() { openssl x509 -in "$1" -noout -text > "$2" 2>&1; }

# FACTS 8: the ClusterIssuer's CA Secret in the cluster resource namespace; a self-signed ca.crt
check "FACTS 8: the CA Secret is in the cluster resource namespace (cert-manager)" [ -f $CA/tls.key ]
check "FACTS 8: a self-signed certificate's ca.crt is itself" cmp -s $CA/ca.crt $CA/tls.crt
x509 $CA/tls.crt ca.txt
check "FACTS 7: the CA gets cert sign" has ca.txt "Certificate Sign"
check "the CA's subject from commonName and subject.organizations" has ca.txt "Subject: O = Facts, CN = facts root CA"
# FACTS 1, 8: tls.crt leaf only (root excluded), ca.crt exactly the issuing CA
for s in defaults ecdsa jks; do
  check "FACTS 8: $s tls.crt holds only the leaf" sh -c "[ \$(grep -c 'BEGIN CERTIFICATE' $S/$s/tls.crt) -eq 1 ]"
  check "FACTS 8: $s ca.crt is the issuing CA" cmp -s $S/$s/ca.crt $CA/tls.crt
  check "FACTS 1: $s is a kubernetes.io/tls Secret labelled controller.cert-manager.io/fao" \
    sh -c "grep -q '^type: kubernetes.io/tls' $S/$s.yaml && grep -q \"controller.cert-manager.io/fao: 'true'\" $S/$s.yaml"
  check "FACTS 1: $s has no password key" sh -c "! ls $S/$s | grep -q password"
done
# FACTS 5, 7: defaults: RSA 2048, PKCS#1, digital signature + key encipherment, no EKU
check "FACTS 5: default key is RSA in PKCS#1 (BEGIN RSA PRIVATE KEY)" \
  sh -c "head -1 $S/defaults/tls.key | grep -qx -- '-----BEGIN RSA PRIVATE KEY-----'"
x509 $S/defaults/tls.crt d.txt
check "FACTS 5: default RSA size 2048" has d.txt "Public-Key: (2048 bit)"
check "FACTS 7: default usages digital signature, key encipherment" has d.txt "Digital Signature, Key Encipherment"
check "FACTS 7: no usages, no EKU extension" sh -c "! grep -q 'Extended Key Usage' d.txt"
check "the dnsNames are the SANs" has d.txt "DNS:defaults.cass.svc"
check "openssl verifies the leaf against ca.crt" sh -c "openssl verify -CAfile $S/defaults/ca.crt $S/defaults/tls.crt >/dev/null 2>&1"
# ECDSA: default size 256, SEC1 (EC PRIVATE KEY) under PKCS1, the usages as EKUs, IP SANs
x509 $S/ecdsa/tls.crt e.txt
check "FACTS 5: ECDSA default size 256" has e.txt "ASN1 OID: prime256v1"
check "FACTS 5: ECDSA under PKCS1 is SEC1 (BEGIN EC PRIVATE KEY)" \
  sh -c "head -1 $S/ecdsa/tls.key | grep -qx -- '-----BEGIN EC PRIVATE KEY-----'"
check "usages server auth, client auth as EKUs" has e.txt "TLS Web Server Authentication, TLS Web Client Authentication"
check "ipAddresses as IP SANs" has e.txt "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"
check "duration 720h: 30 days" sh -c "[ \$(( \$(date -d \"\$(openssl x509 -in $S/ecdsa/tls.crt -noout -enddate | cut -d= -f2)\" +%s) - \$(date -d \"\$(openssl x509 -in $S/ecdsa/tls.crt -noout -startdate | cut -d= -f2)\" +%s) )) -eq 2592000 ]"
check "FACTS 5: PKCS8 encoding (BEGIN PRIVATE KEY)" \
  sh -c "head -1 $S/jks/tls.key | grep -qx -- '-----BEGIN PRIVATE KEY-----'"
# FACTS 2, 3: PKCS#12 Modern2023 with the password of passwordSecretRef
printf 'p12-password-1234' > p12pw
openssl pkcs12 -info -noout -in $S/defaults/keystore.p12 -passin file:p12pw > ks.info 2>&1
check "FACTS 3: Modern2023 MAC HMAC-SHA-256, 2048 iterations" has ks.info "MAC: sha256, Iteration 2048"
check "FACTS 3: Modern2023 bags PBES2 AES-256-CBC, 2048 iterations" has ks.info "PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"
openssl pkcs12 -in $S/defaults/keystore.p12 -passin file:p12pw -nodes -info > ks.pem 2>&1
check "FACTS 2: the key bag carries a localKeyID and no friendlyName" \
  sh -c "grep -q localKeyID ks.pem && ! grep -q friendlyName ks.pem"
keytool -list -storetype PKCS12 -keystore $S/defaults/truststore.p12 -storepass:file p12pw > ts.out 2>&1
check "FACTS 2: truststore.p12 is a Java truststore (one trustedCertEntry)" \
  sh -c "[ \$(grep -c trustedCertEntry ts.out) -eq 1 ]"
check "FACTS 2: its friendly name is the CA's subject" grep -q "^cn=facts root ca,o=facts," ts.out
# FACTS 2: JKS: alias certificate, key password = store password, ca entries
printf 'jks-password-5678' > jkspw
keytool -list -keystore $S/jks/keystore.jks -storepass:file jkspw > jks.out 2>&1
check "FACTS 2: keystore.jks: alias 'certificate' is a PrivateKeyEntry" grep -q "^certificate, .*PrivateKeyEntry" jks.out
check "FACTS 2: keystore.jks: the CA as TrustedCertificateEntry 'ca'" grep -q "^ca, .*trustedCertEntry" jks.out
check "FACTS 2: the key entry's password is the store password" \
  sh -c "keytool -importkeystore -srckeystore $S/jks/keystore.jks -srcstorepass:file jkspw -srcalias certificate \
  -srckeypass:file jkspw -destkeystore copy.p12 -deststoretype PKCS12 -deststorepass changeit -noprompt >/dev/null 2>&1"
keytool -list -keystore $S/jks/truststore.jks -storepass:file jkspw > tj.out 2>&1
check "FACTS 2: truststore.jks: 'ca' only" sh -c "grep -q '^ca, .*trustedCertEntry' tj.out && [ \$(grep -c Entry tj.out) -eq 1 ]"
# FACTS 9: the Bundle: PEM, JKS with changeit, passwordless PKCS#12, aliases hash|subject
B=$S/facts-trust
check "FACTS 9: the Bundle's target Secret is Opaque, labelled with the Bundle" \
  sh -c "grep -q '^type: Opaque' $B.yaml && grep -q 'trust.cert-manager.io/bundle: facts-trust' $B.yaml"
check "FACTS 9: bundle.pem is the CA" cmp -s $B/bundle.pem $CA/tls.crt
h=$(openssl x509 -in $CA/tls.crt -outform DER | openssl dgst -sha256 -r | cut -c1-8)
keytool -list -keystore $B/bundle.jks -storepass changeit > bj.out 2>&1
check "FACTS 9: bundle.jks opens with changeit; alias '$h|cn=facts root ca,o=facts'" \
  grep -q "^$h|cn=facts root ca,o=facts, .*trustedCertEntry" bj.out
openssl pkcs12 -info -noout -in $B/bundle.p12 -passin pass: > bp.info 2>&1
check "FACTS 9: bundle.p12 is passwordless: no MAC, no encryption" \
  sh -c "grep -q 'MAC is absent' bp.info && ! grep -q 'Encrypted data' bp.info"
keytool -list -storetype PKCS12 -keystore $B/bundle.p12 -storepass '' > bp.out 2>&1
check "FACTS 9: Java reads bundle.p12 as a truststore" grep -q "^$h|cn=facts root ca,o=facts, .*trustedCertEntry" bp.out
check "FACTS 9: without a namespaceSelector, a target in every namespace" [ -f emu/secrets/cert-manager/facts-trust/bundle.pem ]
rm -rf sel; cp -r "$FX" sel
printf '    namespaceSelector:\n      matchLabels:\n        kubernetes.io/metadata.name: cass\n' >> sel/manifests/17-bundle-trust.yaml
"$PY" "$CM/emulate.py" sel sel.emu > sel.log 2>&1
check "FACTS 9: with namespaceSelector matching cass, a target in cass only" \
  sh -c "[ -f sel.emu/secrets/cass/facts-trust/bundle.pem ] && [ ! -e sel.emu/secrets/cert-manager/facts-trust ]"
# FACTS 5: a renewal under rotationPolicy Always (default) makes a new key, under Never keeps it
rm -rf never; cp -r "$FX" never
sed -i 's/^    size: 384$/&\n    rotationPolicy: Never/' never/manifests/12-certificate-ca.yaml
"$PY" "$CM/emulate.py" --state emu --renew facts-ca --renew ecdsa never never.emu > never.log 2>&1
check "FACTS 5: renewed under rotationPolicy Never: the same key, a new certificate" \
  sh -c "cmp -s $CA/tls.key never.emu/secrets/cert-manager/facts-ca/tls.key && ! cmp -s $CA/tls.crt never.emu/secrets/cert-manager/facts-ca/tls.crt"
check "FACTS 5: renewed under the default (Always): a new key" \
  sh -c "! cmp -s $S/ecdsa/tls.key never.emu/secrets/cass/ecdsa/tls.key"
check "a Certificate not renewed is kept as it was" cmp -s $S/jks/keystore.jks never.emu/secrets/cass/jks/keystore.jks

# ---- what cert-manager refuses or leaves pending ------------------------------------------------
refused() { # NAME FILE SED-EXPR EXPECTED [emulate options]
  n=$1; rm -rf "$n"; cp -r "$FX" "$n"; sed -i "$3" "$n/manifests/$2"
  shift 3; want=$1; shift
  "$PY" "$CM/emulate.py" "$@" "$n" "$n.emu" > "$n.log" 2>&1
  rc=$?
  if [ $rc -eq 1 ] && grep -q -- "$want" "$n.log"; then pass "refused: $n ($want)"; else fail "refused: $n (exit $rc)"; sed 's/^/    /' "$n.log"; fi
}
refused both 15-certificate-defaults.yaml 's/^      profile: Modern2023$/&\n      password: literal/' \
  "exactly one of passwordSecretRef and password must be provided for PKCS#12 keystores; cannot set both"
refused missing-key 15-certificate-jks.yaml 's/key: jks$/key: nothing/' \
  "JKS keystore password Secret contains no data for key 'nothing'"
refused missing-secret 15-certificate-defaults.yaml 's/name: passwords$/name: no-passwords/' \
  "KeystorePasswordSecretNotFound"
refused legacy 15-certificate-defaults.yaml '/profile: Modern2023/d' "PKCS#12 profile LegacyRC2"
refused ca-elsewhere 12-certificate-ca.yaml 's/namespace: cert-manager/namespace: cass/' \
  "stays pending: SecretMissing: Referenced secret cert-manager/facts-ca not found"
refused ca-elsewhere-2 12-certificate-ca.yaml 's/^xx//' "stays pending: SecretMissing" \
  --cluster-resource-namespace kube-system
refused bundle-source 17-bundle-trust.yaml 's/^xx//' "Secret cass/facts-ca not found" --trust-namespace cass
refused short 15-certificate-ecdsa.yaml 's/duration: 720h/duration: 30m/' "the minimum accepted duration is 1 hour"
refused renew-loop 15-certificate-ecdsa.yaml 's/duration: 720h/duration: 720h\n  renewBefore: 720h/' \
  "spec.renewBefore 720h is not shorter than spec.duration 720h"
finish
