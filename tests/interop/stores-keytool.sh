#!/bin/sh
# S1-S5 judged by the real consumers: JDK keytool lists exactly one PrivateKeyEntry (chain of 2)
# in every keystore and one trustedCertEntry in every truststore, PKCS#12 (modern and legacy) and
# JKS, ECDSA and RSA; openssl verifies every leaf against the CA, shows the SANs, EKUs and CA
# extensions, and the PKCS#12 algorithms of each profile.
. "$K8TLS_SRCDIR/tests/lib.sh"
need keytool openssl od
GENMAT="$K8TLS_BUILDDIR/tests/interop/k8tls-genmat"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT

gen() { # cell args...
  cell=$1; shift
  "$GENMAT" --quiet --out "$t/$cell" --extra-san 10.1.2.3 --extra-san cassandra.example.org "$@" \
    2>"$t/$cell.err" || fail "k8tls-genmat $cell $*: $(cat "$t/$cell.err")"
}
gen p12-modern-ec256 --format pkcs12 --profile modern --alg ecdsa256 &
gen p12-legacy-ec384 --format pkcs12 --profile legacy --alg ecdsa384 --docs-subject &
gen p12-legacy-rsa2048 --format pkcs12 --profile legacy --alg rsa2048 &
gen jks-ec256 --format jks --alg ecdsa256 &
gen jks-rsa2048 --format jks --alg rsa2048 &
gen p12-default-rsa3072 &
gen short-ca-ec256 --alg ecdsa256 --ca-days 200 --leaf-days 3650 &
wait
cells="p12-modern-ec256 p12-legacy-ec384 p12-legacy-rsa2048 jks-ec256 jks-rsa2048 p12-default-rsa3072"

# ---- keytool (JDK), two JVMs at a time; passwords via :file and :env, never on argv ----------
# C1 only: halves keytool's start-up CPU (the JVM's start dominates each run)
KT_FAST="-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
list_cell() { # cell
  c=$1
  type=$(cat "$t/$c/store_type")
  for w in server client; do
    keytool $KT_FAST -list -v -storetype "$type" -keystore "$t/$c/$w/keystore" \
      -storepass:file "$t/$c/$w/keystore-password" >"$t/$c.$w.ks.list" 2>&1
    echo "rc=$?" >>"$t/$c.$w.ks.list"
    K8TLS_TS_PW=$(cat "$t/$c/$w/truststore-password") \
      keytool $KT_FAST -list -v -storetype "$type" -keystore "$t/$c/$w/truststore" \
      -storepass:env K8TLS_TS_PW >"$t/$c.$w.ts.list" 2>&1
    echo "rc=$?" >>"$t/$c.$w.ts.list"
  done
}
n=0
for c in $cells; do
  list_cell "$c" &
  n=$((n + 1))
  [ $((n % 2)) -eq 0 ] && wait
done
wait

for c in $cells; do
  type=$(cat "$t/$c/store_type")
  for w in server client; do
    ks="$t/$c.$w.ks.list"; ts="$t/$c.$w.ts.list"
    check "$c $w keystore: keytool opens it as $type" grep -q "^rc=0" "$ks"
    check "$c $w keystore: keystore type $type" grep -qi "^Keystore type: $type" "$ks"
    check "$c $w keystore: exactly one entry" grep -q "^Your keystore contains 1 entry" "$ks"
    check "$c $w keystore: alias '$w'" grep -q "^Alias name: $w\$" "$ks"
    check "$c $w keystore: a PrivateKeyEntry" grep -q "^Entry type: PrivateKeyEntry" "$ks"
    check "$c $w keystore: certificate chain length 2" grep -q "^Certificate chain length: 2" "$ks"
    check "$c $w truststore: keytool opens it" grep -q "^rc=0" "$ts"
    check "$c $w truststore: exactly one entry" grep -q "^Your keystore contains 1 entry" "$ts"
    check "$c $w truststore: a trustedCertEntry (Java trust attribute)" \
      grep -q "^Entry type: trustedCertEntry" "$ts"
  done
done
# a wrong password is refused (the MAC / integrity digest is real)
printf 'wrong-password-123' >"$t/wrong"
for c in p12-modern-ec256 jks-ec256; do
  check "$c: keytool refuses a wrong password" \
    sh -c "! keytool $KT_FAST -list -storetype $(cat "$t/$c/store_type") -keystore '$t/$c/server/keystore' -storepass:file '$t/wrong' >/dev/null 2>&1"
done

# ---- openssl ------------------------------------------------------------------------------
has() { grep -qF -- "$2" "$1"; }
for c in $cells short-ca-ec256; do
  d="$t/$c"
  check "$c: openssl verify of every leaf against rootca.crt" \
    openssl verify -CAfile "$d/ca/rootca.crt" "$d/server/leaf.crt" "$d/client/leaf.crt" \
    "$d/medusa/client.crt_signed"
  check "$c: medusa/rootca.crt is the CA" cmp -s "$d/ca/rootca.crt" "$d/medusa/rootca.crt"
  openssl x509 -in "$d/ca/rootca.crt" -noout -text >"$t/$c.ca.txt"
  check "$c CA: X.509 v3" has "$t/$c.ca.txt" "Version: 3 (0x2)"
  check "$c CA: basicConstraints critical, CA:TRUE" \
    sh -c "grep -A1 'X509v3 Basic Constraints: critical' '$t/$c.ca.txt' | grep -q 'CA:TRUE'"
  check "$c CA: keyUsage critical keyCertSign, cRLSign" \
    sh -c "grep -A1 'X509v3 Key Usage: critical' '$t/$c.ca.txt' | grep -q 'Certificate Sign, CRL Sign'"
  if [ "$c" = p12-legacy-ec384 ]; then
    # the docs' example subject, given in the plan, is still written as given
    check "$c CA: subject from the plan" \
      has "$t/$c.ca.txt" "Subject: C = FR, ST = IDF, L = Paris, O = YourCompany, OU = SSLTestCluster, CN = SSLTestClusterRootCA, emailAddress = youraddress@whatever.com"
    leaf_subject="O = YourCompany, OU = SSLTestCluster, "
  else
    check "$c CA: by default, only a CN named after the cluster" has "$t/$c.ca.txt" "Subject: CN = test root CA"
    leaf_subject=""
  fi
  check "$c CA: SHA-256 signature" grep -q "Signature Algorithm: .*[sS][hH][aA]256" "$t/$c.ca.txt"
  for w in server client; do
    openssl x509 -in "$d/$w/leaf.crt" -noout -text >"$t/$c.$w.txt"
    f="$t/$c.$w.txt"
    check "$c $w leaf: CN test-$w with the CA's O/OU" has "$f" "Subject: ${leaf_subject}CN = test-$w"
    check "$c $w leaf: EKU serverAuth + clientAuth" has "$f" "TLS Web Server Authentication, TLS Web Client Authentication"
    check "$c $w leaf: CA:FALSE" has "$f" "CA:FALSE"
    for san in "DNS:localhost" "IP Address:127.0.0.1" \
      "DNS:test-dc1-service.k8ssandra-operator.svc," \
      "DNS:test-dc1-service.k8ssandra-operator.svc.cluster.local" \
      "DNS:test-seed-service.k8ssandra-operator.svc," \
      "DNS:test-seed-service.k8ssandra-operator.svc.cluster.local" \
      "DNS:test-dc1-all-pods-service.k8ssandra-operator.svc," \
      "DNS:*.test-dc1-all-pods-service.k8ssandra-operator.svc," \
      "DNS:*.test-dc1-all-pods-service.k8ssandra-operator.svc.cluster.local" \
      "IP Address:10.1.2.3" "DNS:cassandra.example.org"; do
      check "$c $w leaf: SAN $san" has "$f" "$san"
    done
    # the keystore's key is the leaf's key
    case $(cat "$d/store_type") in
    PKCS12)
      openssl pkcs12 -in "$d/$w/keystore" -passin "file:$d/$w/keystore-password" -nocerts -nodes \
        2>/dev/null | openssl pkey -pubout >"$t/$c.$w.kpub" 2>/dev/null
      openssl x509 -in "$d/$w/leaf.crt" -noout -pubkey >"$t/$c.$w.cpub"
      check "$c $w keystore: openssl opens it and its key matches the leaf" \
        sh -c "[ -s '$t/$c.$w.kpub' ] && cmp -s '$t/$c.$w.kpub' '$t/$c.$w.cpub'"
      ;;
    JKS)
      check "$c $w keystore: JKS magic FEEDFEED, version 2" \
        sh -c "[ \"\$(od -An -tx1 -N8 '$d/$w/keystore' | tr -d ' \n')\" = feedfeed00000002 ]"
      ;;
    esac
  done
  openssl x509 -in "$d/medusa/client.crt_signed" -noout -text >"$t/$c.medusa.txt"
  check "$c medusa: CN client" has "$t/$c.medusa.txt" "CN = client"
  check "$c medusa: EKU clientAuth only" \
    sh -c "grep -A1 'Extended Key Usage' '$t/$c.medusa.txt' | tail -1 | grep -qx ' *TLS Web Client Authentication'"
  check "$c medusa: key is unencrypted PKCS#8 PEM" \
    sh -c "head -1 '$d/medusa/client.key' | grep -qx -- '-----BEGIN PRIVATE KEY-----' && openssl pkey -in '$d/medusa/client.key' -passin pass: -noout"
  check "$c medusa: key and certificate match" \
    sh -c "[ \"\$(openssl pkey -in '$d/medusa/client.key' -pubout)\" = \"\$(openssl x509 -in '$d/medusa/client.crt_signed' -noout -pubkey)\" ]"
  check "$c: client.key is 0600" sh -c "[ \"\$(stat -c %a '$d/medusa/client.key')\" = 600 ]"
  # K11 passwords: 4 distinct, >= 12 characters, the alphabet, no newline
  check "$c: four distinct generated passwords" \
    sh -c "for f in '$d'/server/*-password '$d'/client/*-password; do cat \"\$f\"; echo; done | sort -u | wc -l | grep -qx 4"
  for f in "$d"/server/*-password "$d"/client/*-password; do
    check "$c: $(basename "$(dirname "$f")")/$(basename "$f") is K11 (>= 12 of [A-Za-z0-9._+=:,/-], no newline)" \
      sh -c "[ \$(wc -c <'$f') -ge 12 ] && [ \$(wc -l <'$f') -eq 0 ] && ! LC_ALL=C grep -q '[^A-Za-z0-9._+=:,/-]' '$f'"
  done
done

# ---- PKCS#12 profiles (S4) -------------------------------------------------------------------
for c in p12-legacy-ec384 p12-legacy-rsa2048; do
  for s in server/keystore server/truststore client/keystore client/truststore; do
    openssl pkcs12 -info -noout -in "$t/$c/$s" -passin "file:$t/$c/$s-password" >"$t/info" 2>&1
    check "$c $s legacy: SHA-1 MAC" grep -q "^MAC: sha1" "$t/info"
    check "$c $s legacy: 3DES certificate bags" grep -q "^PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC" "$t/info"
    check "$c $s legacy: no RC2, no AES" sh -c "! grep -qiE 'rc2|aes|PBES2' '$t/info'"
    case $s in */keystore)
      check "$c $s legacy: 3DES key bag" grep -q "^Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC" "$t/info" ;;
    esac
  done
done
for c in p12-modern-ec256 p12-default-rsa3072; do
  for s in server/keystore server/truststore client/keystore client/truststore; do
    openssl pkcs12 -info -noout -in "$t/$c/$s" -passin "file:$t/$c/$s-password" >"$t/info" 2>&1
    check "$c $s modern: HMAC-SHA-256 MAC" grep -q "^MAC: sha256" "$t/info"
    check "$c $s modern: AES-256-CBC PBES2 certificate bags" \
      grep -q "^PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, .*PRF hmacWithSHA256" "$t/info"
    check "$c $s modern: no 3DES, no RC2" sh -c "! grep -qiE 'rc2|3-?key|TripleDES' '$t/info'"
    case $s in */keystore)
      check "$c $s modern: AES-256 key bag" grep -q "^Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC" "$t/info" ;;
    esac
  done
done

# ---- leaf validity never past the CA's (a 200-day CA, 3650-day leaves) -----------------------
ca_end=$(openssl x509 -in "$t/short-ca-ec256/ca/rootca.crt" -noout -enddate)
for w in server/leaf.crt client/leaf.crt medusa/client.crt_signed; do
  check "short CA: $w ends with the CA" \
    sh -c "[ \"\$(openssl x509 -in '$t/short-ca-ec256/$w' -noout -enddate)\" = '$ca_end' ]"
done
check "short CA: a warning says the CA is short-lived" grep -q "warning: .*200 days" "$t/short-ca-ec256.err"
echo "# figures: 6 store matrix cells, $passes checks"
finish
