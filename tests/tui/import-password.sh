#!/bin/sh
# Importing a CA whose key is encrypted: a wrong password is shown beside the password field, in
# words, and the step does not go on; typing the right password proceeds, and the bundle is
# signed by the imported CA.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
need openssl "$PY"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
cd "$t" || exit 1
printf 'right-password-1\n' >pw
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout ca.key -out ca.crt \
  -days 365 -subj "/CN=Imported Test CA" -passout file:pw \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  >/dev/null 2>&1
check "an encrypted CA key" grep -q "ENCRYPTED PRIVATE KEY" ca.key
check "an ECDSA answers file" ecdsa_answers "$t/base.yaml"
"$PY" - <<'PYEOF'
import yaml
d = yaml.safe_load(open("base.yaml"))
d["ca"] = {"source": "import",
           "import": {"cert": "ca.crt", "key": "ca.key", "keyPassword": "wrong-password-1"}}
yaml.safe_dump(d, open("answers.yaml", "w"))
PYEOF
check "the answers import the CA with a wrong password" grep -q "wrong-password-1" answers.yaml

tui_start "$t" 100 30 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10; wait_for "step 2 of 10" >/dev/null
keys F10; wait_for "step 3 of 10" >/dev/null
keys F10
check "the CA step shows the import fields" wait_re "CA private key \\(PEM\\): +ca.key"
check "the password is masked" wait_re "CA key password: +\\*{16}"
keys F10
check "Next stays on the CA step" wait_for "step 4 of 10: Certificate authority"
check "the error is in words" wait_for "wrong password"
check "the error is on the line under the password field" sh -c "
  tmux -L '$TUI_SOCK' capture-pane -p | awk '/CA key password:/ { getline n; if (n ~ /! .*wrong password/) ok = 1 } END { exit !ok }'"
check "the field is marked with '!' (not by colour alone)" wait_re "^ *> *!CA key password:|^ *!CA key password:|^ >!CA key password:"
keys C-u
type_text "right-password-1"
keys F10
check "the right password proceeds" wait_for "step 5 of 10: Server stores"
for s in "step 6 of 10" "step 7 of 10" "step 8 of 10: Review"; do
  keys F10; wait_for "$s" >/dev/null
done
check "Review shows the bundle" wait_for "manifests/20-k8ssandracluster.yaml"
keys F10; wait_for "Output directory" >/dev/null
keys F10
check "written" wait_for "Written: k8tls-out"
keys Enter
rc=$(wait_exit "$t")
check "exits 0 (rc=$rc)" [ "$rc" = 0 ]
check "the bundle's CA is the imported one" sh -c "
  [ \"\$(openssl x509 -in ca.crt -noout -fingerprint -sha256)\" = \"\$(openssl x509 -in k8tls-out/ca/rootca.crt -noout -fingerprint -sha256)\" ]"
check "the Medusa certificate is signed by it" openssl verify -CAfile ca.crt k8tls-out/medusa/client.crt_signed
check "the saved answers keep no password in clear" sh -c "! grep -rq 'right-password-1' k8tls-out"
finish
