#!/bin/sh
# The default path with only F10 and Enter: Welcome -> ... -> Review -> Output -> Result writes a
# bundle that the real consumers accept (manifest + Secrets, keytool opens the stores with the
# Secrets' passwords), the terminal comes back as it was, and the process says what it wrote.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need keytool openssl
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

tui_start "$t" 100 30 --tui --answers answers.yaml
check "Welcome shows the answers file" wait_for "Answers file: answers.yaml"
check "the help bar lists the keys" wait_for "F1/?: help  F10: next  Ctrl-C: cancel"
for step in "step 2 of 10: Cluster" "step 3 of 10: Encryption" "step 4 of 10: Certificate authority" \
            "step 5 of 10: Server stores" "step 6 of 10: Client stores" "step 7 of 10: Medusa certificate" \
            "step 8 of 10: Review"; do
  keys F10
  check "F10 leads to '$step'" wait_for "$step"
done
check "Review shows the manifest first" wait_for "manifests/20-k8ssandracluster.yaml"
check "the keys were generated in the background" wait_for "Keys: ready"
keys Right
check "Right shows the server stores' Secret" wait_for "manifests/10-secret-server-encryption-stores.yaml"
check "Secret values are masked" wait_for "keystore-password: '********'"
keys Enter
keys F10
check "Output offers the directory" wait_re "Output directory: +k8tls-out"
keys F10
check "Result says what was written" wait_for "Written: k8tls-out"
check "Result shows the next steps" wait_for "kubectl apply -k k8tls-out"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 after Quit (rc=$rc)" [ "$rc" = 0 ]
check "the terminal settings are restored" cmp -s "$t/.stty-before" "$t/.stty-after"
check "the terminal then says where the bundle is" wait_for "wrote k8tls-out (" 5

o="$t/k8tls-out"
check "the manifest is written" [ -f "$o/manifests/20-k8ssandracluster.yaml" ]
for s in server-encryption-stores client-encryption-stores client-certificates; do
  check "the Secret $s is written" [ -f "$o/manifests/10-secret-$s.yaml" ]
done
check "kustomization.yaml lists the manifests" grep -q "20-k8ssandracluster.yaml" "$o/kustomization.yaml"
for s in server-encryption-stores client-encryption-stores; do
  d="$o/stores/$s"
  check "keytool opens the $s keystore with its Secret password" \
    sh -c "keytool -list -keystore '$d/keystore' -storepass:file '$d/keystore-password' | grep -q PrivateKeyEntry"
  check "keytool opens the $s truststore with its Secret password" \
    sh -c "keytool -list -keystore '$d/truststore' -storepass:file '$d/truststore-password' | grep -q trustedCertEntry"
  ks=$(grep '^  keystore-password:' "$o/manifests/10-secret-$s.yaml" | awk '{print $2}' | base64 -d)
  check "the $s Secret carries the keystore's password" [ "$ks" = "$(cat "$d/keystore-password")" ]
done
check "the CA is ECDSA as answered" sh -c "openssl x509 -in '$o/ca/rootca.crt' -noout -text | grep -q 'id-ecPublicKey'"
check "the Medusa certificate chains to the CA" openssl verify -CAfile "$o/medusa/rootca.crt" "$o/medusa/client.crt_signed"
check "the private keys are 0600" [ "$(stat -c %a "$o/ca/rootca.key")" = 600 ]
finish
