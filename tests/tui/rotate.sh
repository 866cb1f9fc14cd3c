#!/bin/sh
# Renew or rotate from the Welcome step: the output directory of an earlier run is picked
# with the file chooser, the next step shows what was found (days left) and the proposal, a phase
# out of order is refused with the reason, phase trust is built and written: its truststores hold
# the old and the new CA (keytool, openssl), the keystores are unchanged, rotation.yaml says
# trust, and the Result step shows the restart instructions of NEXT-STEPS.md.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need keytool openssl
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/ecdsa.yaml"
(cd "$t" && "$K8TLS_BIN" --answers ecdsa.yaml --output first >/dev/null 2>&1)
check "a bundle written by the command line" [ -f "$t/first/manifests/10-secret-server-encryption-stores.yaml" ]
(cd "$t/first" && find . -type f | sort | xargs sha256sum) > "$t/first.sums"

tui_start "$t" 100 30 --tui
wait_for "Start from:" >/dev/null
keys Right Right Right
check "Welcome offers renew or rotate" wait_for "renew or rotate certificates"
check "the rotation path has six steps" wait_for "step 1 of 6: Welcome"
keys F10
check "then the source step" wait_for "step 2 of 6: Certificates to renew"
# Start from, Output directory, [Browse]
keys Tab Tab Enter
check "Browse opens the file chooser" wait_for "Choose a file: Output directory"
# the chooser starts with the working directory in its entry
type_text "/first/answers.yaml"
keys Enter
check "the chooser's file names its directory" wait_re "Output directory: +$t/first"
keys F10
check "what was found is shown" wait_for "step 3 of 6: Renew or rotate" 30
check "the stage in words" wait_for "one CA trusted"
check "the certificates with their days left" wait_re "server keystore +[0-9]+ days left +CN=test-server"
check "the proposal" wait_for "Proposed: nothing is due"
keys Right Right
check "reissue before trust is refused, with the reason" wait_for "Refused: phase reissue refused: it needs phase trust first"
keys F10
check "Build refuses it too" wait_for "Error: Phase: phase reissue refused"
check "and stays on the step" wait_for "step 3 of 6: Renew or rotate"
keys Left
check "phase trust is explained" wait_for "CA rotation, phase 1 of 3"
keys F10
check "Build leads to Review" wait_for "step 4 of 6: Review" 30
keys F10
check "then Output, with a directory for the phase" wait_re "Output directory: +$t/first-trust" 30
check "the phase's files are counted" wait_for "files will be written (the Secrets, the stores, the CA, rotation.yaml"
keys F10
check "Result says what was written" wait_for "Written: $t/first-trust"
check "Result gives the restart instructions" wait_for "restart/k8ssandratask.yaml"
check "Result shows NEXT-STEPS.md" wait_for "Next steps ($t/first-trust/NEXT-STEPS.md)"
keys Enter
rc=$(wait_exit "$t")
check "the wizard exits 0 (rc=$rc)" [ "$rc" = 0 ]
check "the terminal settings are restored" cmp -s "$t/.stty-before" "$t/.stty-after"

n="$t/first-trust"
check "rotation.yaml exists" [ -f "$n/rotation.yaml" ]
check "rotation.yaml records phase trust" grep -q "trust" "$n/rotation.yaml"
check "the new CA's key is kept for the next phase" [ -f "$n/ca/next-rootca.key" ]
for s in server-encryption-stores client-encryption-stores; do
  d="$n/stores/$s"
  c=$(keytool -list -keystore "$d/truststore" -storepass:file "$d/truststore-password" 2>/dev/null | grep -c trustedCertEntry)
  check "keytool: the $s truststore trusts two CAs (found $c)" [ "$c" = 2 ]
  leaf_fp() {
    openssl pkcs12 -in "$1/keystore" -nokeys -clcerts -passin "file:$1/keystore-password" 2>/dev/null |
      openssl x509 -noout -fingerprint -sha256 2>/dev/null
  }
  new_fp=$(leaf_fp "$d")
  check "the $s keystore keeps its certificate (phase trust changes only the truststores)" \
    [ -n "$new_fp" ] && [ "$new_fp" = "$(leaf_fp "$t/first/stores/$s")" ]
  check "the $s truststore password is unchanged" cmp -s "$d/truststore-password" "$t/first/stores/$s/truststore-password"
done
pw=$(cat "$n/stores/server-encryption-stores/truststore-password")
openssl pkcs12 -in "$n/stores/server-encryption-stores/truststore" -nokeys -passin "pass:$pw" 2>/dev/null \
  | openssl crl2pkcs7 -nocrl -certfile /dev/stdin 2>/dev/null | openssl pkcs7 -print_certs -noout 2>/dev/null \
  | grep '^subject' > "$t/subjects"
check "openssl: two CA certificates in the truststore" [ "$(grep -c . "$t/subjects")" = 2 ]
check "openssl: the old CA is one of them" \
  grep -qF "$(openssl x509 -in "$t/first/ca/rootca.crt" -noout -subject | sed 's/^subject=//')" "$t/subjects"
check "the server certificate still verifies against the truststore's CAs" \
  sh -c "openssl pkcs12 -in '$n/stores/server-encryption-stores/keystore' -nokeys -clcerts -passin 'pass:$(cat "$n/stores/server-encryption-stores/keystore-password")' 2>/dev/null > '$t/leaf.pem' && openssl verify -CAfile '$t/first/ca/rootca.crt' '$t/leaf.pem' >/dev/null"
check "the first directory is untouched" sh -c "cd '$t/first' && sha256sum --quiet -c '$t/first.sums'"
finish
