#!/bin/sh
# SPEC 11: the same plan in files mode and in cert-manager mode (issued by the emulation of
# cert-manager, emulate.py) gives equivalent trust: for every Secret the files mode writes, the
# cert-manager mode has a Secret of the same name whose leaf has the same SANs and EKUs and whose
# CA has the same subject, each read by `k8tls-wizard inspect` on the Secret YAML files of both
# (its SANs:, EKUs: and subject: lines, gathered by trust_facts.py). Three plans: every
# surface with PKCS#12 and ECDSA; JKS with RSA; two datacenters, extra SANs and a CA subject with
# O, OU, C. A broken copy (a SAN dropped from a Certificate) is found.
. "$K8TLS_SRCDIR/tests/lib.sh"
need timeout
"$PY" -c 'import cryptography, yaml' 2>/dev/null || { echo "FAIL: $PY lacks cryptography/yaml"; exit 1; }
CM="$K8TLS_SRCDIR/tests/certmanager"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
cd "$t" || exit 1

ALL='encryption: {managementApi: {enabled: true}, reaper: {enabled: true}, medusaGrpc: {enabled: true}}'
plan() { # NAME CLUSTER-FIELDS ANSWER-LINES...: NAME.yaml (files), NAME-cm.yaml (cert-manager)
  n=$1; cl=$2; shift 2
  { echo "apiVersion: k8tls-wizard/v1"; echo "cluster: {name: prod, namespace: cass$cl}"
    for l in "$@"; do echo "$l"; done; } > "$n.yaml"
  { cat "$n.yaml"; echo "output: {mode: cert-manager}"; } > "$n-cm.yaml"
  timeout 120 "$K8TLS_BIN" --answers "$n.yaml" --output "$n.files" > "$n.files.log" 2>&1
  check "$n: files mode written" [ -f "$n.files/kustomization.yaml" ]
  timeout 120 "$K8TLS_BIN" --answers "$n-cm.yaml" --output "$n.cm" > "$n.cm.log" 2>&1
  check "$n: cert-manager mode written" [ -f "$n.cm/kustomization.yaml" ]
}
# The Secret YAML files the emulation wrote for the Certificates, each inspected with the password
# its Certificate's passwordSecretRef names (cert-manager writes no password key, FACTS 1).
inspect_cm() { # NAME OUT EMU
  "$PY" - "$2" "$3" > "$1.pw" <<'PY'
import glob, os, sys, yaml
out, emu = sys.argv[1:3]
for f in sorted(glob.glob(out + "/manifests/15-certificate-*.yaml")):
    c = yaml.safe_load(open(f))
    ns, spec = c["metadata"]["namespace"], c["spec"]
    refs = [s.get("passwordSecretRef") for s in (spec.get("keystores") or {}).values() if s.get("create")]
    ref = refs[0] if refs else None
    pw = os.path.join(emu, "secrets", ns, ref["name"], ref["key"]) if ref else ""
    print(os.path.join(emu, "secrets", ns, spec["secretName"] + ".yaml"), pw)
PY
  : > "$1.inspect"
  rc=0
  [ -s "$1.pw" ] || { echo "    no Certificate in $2" >&2; return 1; }
  while read -r f pw; do
    if [ -n "$pw" ]; then
      "$K8TLS_BIN" inspect --password "file:$pw" "$f" >> "$1.inspect" 2>&1 || rc=1
    else
      "$K8TLS_BIN" inspect "$f" >> "$1.inspect" 2>&1 || rc=1
    fi
  done < "$1.pw"
  return $rc
}
env_pw() { # NAME.pw: K8TLS_PW_<secret>=<password> for trust_facts.py
  while read -r f pw; do
    [ -n "$pw" ] && printf 'K8TLS_PW_%s=%s\n' "$(basename "$f" .yaml | tr - _)" "$(cat "$pw")"
  done < "$1.pw"
}
compare() { # NAME
  n=$1
  timeout 60 "$K8TLS_BIN" inspect "$n.files"/manifests/10-secret-*.yaml > "$n.files.inspect" 2>&1
  check "$n: inspect reads every Secret of the files mode without an error" [ $? -eq 0 ]
  "$PY" "$CM/emulate.py" "$n.cm" "$n.emu" > "$n.emu.log" 2>&1
  check "$n: cert-manager (emulated) issues every Certificate" [ $? -eq 0 ]
  inspect_cm "$n" "$n.cm" "$n.emu"
  check "$n: inspect reads every Secret cert-manager wrote without an error" [ $? -eq 0 ]
  "$PY" "$CM/trust_facts.py" "$n.files.inspect" "$n.files"/manifests/10-secret-*.yaml > "$n.files.facts"
  # shellcheck disable=SC2046
  env $(env_pw "$n") "$PY" "$CM/trust_facts.py" "$n.inspect" $(cut -d' ' -f1 "$n.pw") > "$n.cm.facts"
  # every Secret of the files mode that holds a certificate, in cert-manager mode too, same facts
  for s in $(cut -d' ' -f1 "$n.files.facts" | sort -u); do
    grep "^$s " "$n.files.facts" > a; grep "^$s " "$n.cm.facts" > b
    for kind in sans eku ca; do
      grep " $kind=" a > a.$kind; grep " $kind=" b > b.$kind
      if [ -s a.$kind ] && cmp -s a.$kind b.$kind; then
        pass "$n: $s: same $kind ($(cut -d= -f2- a.$kind | head -1 | cut -c1-60))"
      else
        fail "$n: $s: $kind differ"; echo "    files:"; sed 's/^/      /' a.$kind; echo "    cert-manager:"; sed 's/^/      /' b.$kind
      fi
    done
  done
}
plan p12 '' 'ca: {key: {algorithm: ecdsa, curve: P-256}}' "$ALL"
plan jks '' 'ca: {key: {algorithm: rsa, size: 2048}}' 'stores: {format: jks}' "$ALL"
plan md ', datacenters: [{name: east, size: 3}, {name: west, size: 3}]' \
  'ca: {subject: {O: Acme, OU: Data, C: FR}, key: {algorithm: rsa, size: 3072}}' \
  'certificates: {extraSANs: [cassandra.example.org, 10.1.2.3]}'
compare p12
compare jks
compare md
check "md: both datacenters' Services in the server SANs" \
  sh -c "grep '^server-encryption-stores sans=' md.cm.facts | grep -q 'prod-east-all-pods-service' && grep '^server-encryption-stores sans=' md.cm.facts | grep -q 'prod-west-all-pods-service'"
check "p12: at least 10 Secrets compared" sh -c "[ \$(cut -d' ' -f1 p12.files.facts | sort -u | wc -l) -ge 10 ]"

# a broken copy: a SAN dropped from the server Certificate, "client auth" from the client's, and
# the CA's common name changed: each a difference the comparison finds
cp -r p12.cm broken.cm
M=broken.cm/manifests
sed -i '/^  - localhost$/d' $M/15-certificate-server-encryption-stores.yaml
sed -i '/^  - client auth$/d' $M/15-certificate-client-encryption-stores.yaml
sed -i 's/^  commonName: \(.*\) root CA$/  commonName: \1 other CA/' $M/12-certificate-*.yaml
check "broken: the copies differ" sh -c "! diff -r p12.cm/manifests $M > /dev/null && [ \$(diff -r p12.cm/manifests $M | grep -c '^diff') -eq 3 ]"
"$PY" "$CM/emulate.py" broken.cm broken.emu > broken.emu.log 2>&1
check "broken: issued" [ $? -eq 0 ]
inspect_cm broken broken.cm broken.emu
# shellcheck disable=SC2046
env $(env_pw broken) "$PY" "$CM/trust_facts.py" broken.inspect $(cut -d' ' -f1 broken.pw) > broken.cm.facts
differs() { # SECRET KIND
  grep "^$1 $2=" p12.files.facts > x1; grep "^$1 $2=" broken.cm.facts > x2
  check "broken: $1: the $2 differ" sh -c "[ -s x1 ] && [ -s x2 ] && ! cmp -s x1 x2"
}
differs server-encryption-stores sans
differs client-encryption-stores eku
differs mgmt-api-server-tls ca
finish
