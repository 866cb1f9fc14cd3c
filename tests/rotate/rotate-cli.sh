#!/bin/sh
# Issue 7, the command line: `k8tls-wizard rotate` shows what exists and proposes the next step
# (writing nothing), runs one phase into NEWDIR, and refuses with a clear reason, exit 1 and nothing
# written: a phase out of order, a CA key that does not match, expired material without --force.
# Usage errors exit 2. No password is ever printed.
. "$K8TLS_SRCDIR/tests/lib.sh"
need openssl
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
W="$K8TLS_BIN"
FIX="$K8TLS_BUILDDIR/tests/rotate/rotate-fixture"

cat > "$t/answers.yaml" <<'EOF'
apiVersion: k8tls-wizard/v1
ca:
  key: {algorithm: ecdsa, curve: P-256}
EOF
"$W" --answers "$t/answers.yaml" --output "$t/p0" >/dev/null 2>&1 || { fail "phase 0 bundle"; finish; exit 1; }

run() { # expected-status name args... (stdout > $t/out, stderr > $t/err)
  want=$1 name=$2; shift 2
  "$W" rotate "$@" >"$t/out" 2>"$t/err"
  got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $want)"; else
    fail "$name: exit $got, expected $want"; sed 's/^/    /' "$t/err"; fi
}
absent() { check "$1: nothing written" [ ! -e "$2" ]; }

# ---- help and usage ------------------------------------------------------------------------
run 0 "rotate --help" --help
check "help lists the phases" grep -q -- "--phase PHASE" "$t/out"
run 2 "no --from nor --from-context" --phase trust -o "$t/x"
check "usage error says where to start from" grep -q -- "--from DIR or --from-context" "$t/err"
run 2 "an unknown phase" --from "$t/p0" --phase sideways -o "$t/x"
check "the unknown phase is named" grep -q "sideways" "$t/err"
run 2 "--phase without --output" --from "$t/p0" --phase trust
run 2 "--output without --phase" --from "$t/p0" -o "$t/x"
run 2 "an unknown option" --from "$t/p0" --frobnicate
run 2 "--answers with --from" --from "$t/p0" --answers "$t/answers.yaml"
run 2 "--context without --apply" --from "$t/p0" --phase trust -o "$t/x" --context c
absent "usage errors" "$t/x"

# ---- the proposal --------------------------------------------------------------------------
run 0 "no --phase: report and proposal" --from "$t/p0"
check "the report shows the stores (inspect)" grep -q "private-key entry" "$t/out"
check "the summary shows the stage and the days left" grep -q "one CA trusted" "$t/out"
check "days left are shown" grep -q "days left" "$t/out"
check "a proposal is made" grep -q "^Proposed" "$t/out"
for pw in "$t"/p0/stores/*/*-password; do
  v=$(cat "$pw")
  check "the password in $(basename "$(dirname "$pw")")/$(basename "$pw") is never printed" \
    sh -c "! grep -qF -- '$v' '$t/out' '$t/err'"
done

# ---- refusals: exit 1, nothing written ---------------------------------------------------
run 1 "phase reissue before phase trust is refused" --from "$t/p0" --phase reissue -o "$t/n1"
check "the reason names phase trust" grep -q "needs phase trust first" "$t/err"
absent "reissue before trust" "$t/n1"
run 1 "phase retire on a steady cluster is refused" --from "$t/p0" --phase retire -o "$t/n1"
absent "retire on steady" "$t/n1"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$t/stranger.key" 2>/dev/null
run 1 "a CA key that does not match is refused" --from "$t/p0" --phase renew --ca-key "$t/stranger.key" -o "$t/n2"
check "the reason says it does not match and names the key" grep -q "stranger.key does not match" "$t/err"
absent "mismatched CA key" "$t/n2"
run 1 "an unreadable CA key is refused" --from "$t/p0" --phase renew --ca-key "$t/none.key" -o "$t/n2"
absent "unreadable CA key" "$t/n2"

check "fixture: an output directory with an expired server certificate" "$FIX" --expired "$t/old"
run 1 "expired material without --force is refused" --from "$t/old" --phase renew -o "$t/n3"
check "the reason says what expired and offers --force" sh -c "grep -q 'expired on' '$t/err' && grep -q -- '--force' '$t/err'"
absent "expired material" "$t/n3"
run 0 "expired material with --force is renewed" --from "$t/old" --phase renew --force -o "$t/n3"
check "the renewed certificate is valid" sh -c "openssl pkcs12 -in '$t/n3/stores/server-encryption-stores/keystore' -passin 'file:$t/n3/stores/server-encryption-stores/keystore-password' -nokeys -clcerts 2>/dev/null | openssl x509 -noout -checkend 86400 >/dev/null"

mkdir "$t/empty"
run 1 "not an output directory" --from "$t/empty" --phase trust -o "$t/n4"
check "the reason names answers.yaml" grep -q "answers.yaml" "$t/err"
absent "not an output directory" "$t/n4"

mkdir "$t/busy" && echo keep > "$t/busy/file"
run 1 "an existing output directory is not replaced" --from "$t/p0" --phase trust -o "$t/busy"
check "the existing directory is untouched" sh -c "[ \"\$(ls '$t/busy')\" = file ]"

# ---- a phase, then the next proposal -------------------------------------------------------
run 0 "phase trust" --from "$t/p0" --phase trust -o "$t/p1" -q
check "the next step is announced" grep -q "next phase" "$t/err"
check "NEXT-STEPS.md gives the next command" grep -q -- "--phase reissue" "$t/p1/NEXT-STEPS.md"
check "directories and keys are private" sh -c "[ \$(stat -c %a '$t/p1') = 700 ] && [ \$(stat -c %a '$t/p1/ca/next-rootca.key') = 600 ]"
run 0 "after trust" --from "$t/p1" -q
check "after trust, reissue is proposed" grep -q "^Proposed next step: phase reissue" "$t/out"
run 0 "phase renew keeps the Secret names" --from "$t/p0" --phase renew -o "$t/r" -q
check "renew: the same Secret files" sh -c "[ \"\$(ls '$t/p0/manifests' | grep secret)\" = \"\$(ls '$t/r/manifests')\" ]"
check "renew: the same CA file" cmp -s "$t/p0/ca/rootca.crt" "$t/r/ca/rootca.crt"
finish
