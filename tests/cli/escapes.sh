#!/bin/sh
# Terminal escapes from the inputs never reach the terminal raw. Each input below carries ESC [31m
# (or an OSC title sequence) and a BEL: an answers value quoted in a diagnostic, a PKCS#12 alias
# and a Secret's name and key in the inspect report, what kubectl prints on stderr, a context
# name given on the command line and one from the kubeconfig. The output holds the escaped form
# (\x1b, \x07) and no ESC or BEL byte. A control character in the CA subject is refused.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl
T=$(mktmp)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ESC=$(printf '\033')
BEL=$(printf '\007')
# no ESC and no BEL byte in the files given
clean() {
  for f in "$@"; do
    if grep -q "[$ESC$BEL]" "$f"; then
      echo "raw control bytes in $f:"; od -c "$f" | grep -E '033|\\a' | head -3
      return 1
    fi
  done
}

# ---- 1. an answers value in a diagnostic; the CA subject --------------------------------------
cat > esc.yaml <<'EOF'
apiVersion: k8tls-wizard/v1
cluster:
  name: "bad\e[31mname\a"
ca:
  subject: {CN: "Root\e]0;pwned\a CA", O: "Acme\e[2J"}
  key: {algorithm: ecdsa, curve: P-256}
EOF
"$K8TLS_BIN" --answers esc.yaml --output out1 > a.out 2> a.err
rc=$?
check "answers with control characters: exit 1" [ $rc -eq 1 ]
check "the answers value is quoted escaped" grep -qF "cluster.name: 'bad\\x1b[31mname\\x07'" a.err
check "no raw ESC or BEL on stdout or stderr (answers)" clean a.out a.err
check "a control character in the CA subject CN is refused at its position" \
  grep -q '^esc.yaml:5:17: error: ca.subject.CN: control characters .* are not allowed in a certificate subject' a.err
check "a control character in the CA subject O is refused" \
  grep -q '^esc.yaml:5:[0-9]*: error: ca.subject.O: control characters' a.err
check "nothing was written" [ ! -e out1 ]

# the CA subject alone (a valid cluster name): still refused, nothing written
cat > subj.yaml <<'EOF'
apiVersion: k8tls-wizard/v1
ca:
  subject: {CN: "Root CA", OU: "ops\x1b[8m"}
  key: {algorithm: ecdsa, curve: P-256}
EOF
"$K8TLS_BIN" --answers subj.yaml --output out2 > s.out 2> s.err
rc=$?
check "a CA subject OU with ESC: exit 1" [ $rc -eq 1 ]
check "it names ca.subject.OU" grep -q '^subj.yaml:3:[0-9]*: error: ca.subject.OU: control characters' s.err
check "no raw ESC on stderr (subject)" clean s.out s.err
check "nothing was written (subject)" [ ! -e out2 ]

# ---- 2. inspect: a PKCS#12 alias, a Secret's name and key ---------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=leaf \
  -keyout leaf.key -out leaf.crt 2>/dev/null
openssl pkcs12 -export -name "al${ESC}[31mias${BEL}" -in leaf.crt -inkey leaf.key \
  -passout pass:changeit -out alias.p12 2>/dev/null
check "a PKCS#12 file whose alias holds ESC and BEL was made" [ -s alias.p12 ]
K8TLS_TEST_P12_PW=changeit "$K8TLS_BIN" inspect --password env:K8TLS_TEST_P12_PW alias.p12 \
  > p.out 2> p.err
check "inspect shows the alias escaped" grep -qF "private-key entry 'al\\x1b[31mias\\x07'" p.out
check "no raw ESC or BEL in the inspect report (alias)" clean p.out p.err

cat > secret.yaml <<'EOF'
apiVersion: v1
kind: Secret
metadata: {name: "s\e[31mx", namespace: ns}
data:
  "key\e]0;pwned\a": aGVsbG8=
EOF
"$K8TLS_BIN" inspect secret.yaml > k.out 2> k.err
check "inspect shows the Secret's name and key escaped" \
  grep -qF 'Secret s\x1b[31mx: key\x1b]0;pwned\x07:' k.out
check "no raw ESC or BEL in the inspect report (Secret)" clean k.out k.err

# ---- 3. kubectl's stderr, context names ----------------------------------------------------------
mkdir -p shim home
cat > shim/kubectl <<'EOF'
#!/bin/sh
cat > /dev/null
printf 'error: \033]0;pwned\007\033[31mthe server says no\033[0m\n' >&2
exit 1
EOF
chmod 700 shim/kubectl
cat > kubeconfig <<'EOF'
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user: {token: t}
contexts:
- name: ok
  context: {cluster: c, user: u}
- name: "evil\e[31m"
  context: {cluster: ghost, user: u}
EOF
printf 'apiVersion: k8tls-wizard/v1\nca:\n  key: {algorithm: ecdsa, curve: P-256}\n' > good.yaml
HOME="$T/home" PATH="$T/shim:$PATH" "$K8TLS_BIN" --answers good.yaml --apply \
  --kubeconfig kubeconfig --context ok > c.out 2> c.err
rc=$?
check "kubectl failing with escapes on stderr: exit 3" [ $rc -eq 3 ]
check "kubectl's words are shown escaped" \
  grep -qF ': \x1b]0;pwned\x07\x1b[31mthe server says no\x1b[0m' c.err
check "no raw ESC or BEL from kubectl's stderr" clean c.out c.err

HOME="$T/home" PATH="$T/shim:$PATH" "$K8TLS_BIN" --answers good.yaml --apply \
  --kubeconfig kubeconfig --context "nope${ESC}[2J${BEL}" > n.out 2> n.err
check "an unknown context with escapes is named escaped" \
  grep -qF 'kube context "nope\x1b[2J\x07" is not in the kubeconfig' n.err
check "no raw ESC or BEL (context given)" clean n.out n.err

HOME="$T/home" PATH="$T/shim:$PATH" "$K8TLS_BIN" --answers good.yaml --apply \
  --kubeconfig kubeconfig --context "evil${ESC}[31m" > e.out 2> e.err
check "a kubeconfig context with escapes is named escaped" \
  grep -qF 'kube context "evil\x1b[31m": its cluster "ghost" is not defined' e.err
check "no raw ESC or BEL (context from the kubeconfig)" clean e.out e.err

finish
