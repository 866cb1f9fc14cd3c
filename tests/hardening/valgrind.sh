#!/bin/sh
# The real binary under valgrind (memcheck) for the non-interactive runs: --help, --version,
# --print-answers, answers with errors, a usage error, an ECDSA bundle written to a directory,
# inspect of that directory (and of a store with a wrong password), rotate's report and a
# renewal: no memory error and no definite leak. (valgrind's --error-exitcode is 99 here, not 1, because the program's own exit
# status 1 is an expected outcome of some runs; the valgrind log is checked as well.)
. "$K8TLS_SRCDIR/tests/lib.sh"
# ASan/UBSan and valgrind do not mix: the sanitizer build is checked by the sanitizers instead.
if ldd "$K8TLS_BIN" 2>/dev/null | grep -qE 'lib(asan|ubsan|tsan)\.so'; then
  echo "SKIP: $K8TLS_BIN is built with sanitizers (--enable-sanitizers): ASan and valgrind do not mix"
  exit 77
fi
need valgrind
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
K8TLS_VG_BAD_PW=not-the-password-123; export K8TLS_VG_BAD_PW

# vg NAME EXPECTED_STATUS ARGS... : runs the binary under memcheck.
vg() {
  name=$1 want=$2
  shift 2
  log=$tmp/vg-$name.log
  LC_ALL=C valgrind -q --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --error-exitcode=99 --track-origins=yes \
    --log-file="$log" "$K8TLS_BIN" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
  rc=$?
  if [ "$rc" -eq 99 ] || grep -qE 'definitely lost|Invalid (read|write|free)|uninitialised|ERROR SUMMARY: [1-9]' "$log"; then
    sed 's/^/  /' "$log" | head -n 60
    fail "$name: valgrind found memory errors or definite leaks"
  elif [ "$rc" -ne "$want" ]; then
    sed 's/^/  /' "$tmp/$name.err" | head -n 10
    fail "$name: exit status $rc, expected $want"
  else
    pass "$name: exit $rc, no memory error, no definite leak"
  fi
}

vg help 0 --help
check "--help printed the usage" grep -q -- '--answers' "$tmp/help.out"
vg version 0 --version
check "--version printed the version" grep -q 'k8tls-wizard' "$tmp/version.out"
vg print-answers 0 --print-answers
check "--print-answers printed an answers file" grep -q 'apiVersion: k8tls-wizard/v1' "$tmp/print-answers.out"

cat >bad.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
cluster:
  name: Not_A_DNS_Name
  datacenters:
    - {name: dc1, size: three}
  colour: blue
stores:
  format: zip
YAML
vg answers-errors 1 --answers bad.yaml --output out-bad
check "errors in the answers file are reported naming the file" grep -q 'bad.yaml:' "$tmp/answers-errors.err"
check "nothing is written when the answers have errors" [ ! -e out-bad ]

vg usage-error 2 --no-such-option

cat >ecdsa.yaml <<'YAML'
apiVersion: k8tls-wizard/v1
cluster:
  name: vg
  namespace: vg-ns
ca:
  key: {algorithm: ecdsa, curve: P-256}
YAML
vg ecdsa-bundle 0 --answers ecdsa.yaml --output out
check "the ECDSA bundle was written" [ -f out/kustomization.yaml ]
if [ -f out/kustomization.yaml ]; then
  vg inspect 0 inspect out
  check "inspect reported on the stores" grep -q 'PKCS#12 store' "$tmp/inspect.out"
  cp out/stores/server-encryption-stores/keystore lone-keystore.p12   # no password file beside it
  vg inspect-wrong-password 1 inspect --password env:K8TLS_VG_BAD_PW lone-keystore.p12
  check "inspect says the password is wrong" grep -qi 'password' "$tmp/inspect-wrong-password.out" "$tmp/inspect-wrong-password.err"
  vg rotate-report 0 rotate --from out
  check "rotate reported on the certificates" grep -q 'Medusa client certificate' "$tmp/rotate-report.out"
  vg rotate-renew 0 rotate --from out --phase renew --output renewed
  check "rotate --phase renew wrote a bundle" [ -d renewed ]
fi
finish
