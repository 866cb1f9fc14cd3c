#!/bin/sh
# k8tls-wizard --apply with a broken or hostile kubeconfig, the real binary and the real kubectl
# against a loopback HTTPS fake API server:
#   - a context whose cluster or user is not defined (or that names no cluster) is refused before
#     any kubectl runs (kubectl itself would fall back to http://localhost:8080);
#   - the env: password variables are not in the environment of kubectl nor of its exec
#     credential plugin (other variables are);
#   - an exec credential plugin that never returns is stopped at the deadline (the test seam
#     K8TLS_TEST_KUBECTL_TIMEOUT sets 3 s): the run ends with exit 3, names the context, says it
#     timed out and what was and was not applied, and leaves no plugin process behind; the
#     same for rotate reading the live Secrets.
# Each run is wrapped in `timeout 60`: a regression fails instead of hanging.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/kube/lib-fakeapi.sh"
need timeout

FAKEAPI_TLS=1 fakeapi_start ok
port=$(sed -n 1p "$T/ports")

cat > "$T/answers.yaml" <<'EOF'
apiVersion: k8tls-wizard/v1
cluster:
  name: test
  namespace: k8ssandra-operator
  datacenters:
  - {name: dc1, size: 3, k8sContext: ""}
ca:
  key: {algorithm: ecdsa, curve: P-256}
stores:
  server:
    keystorePassword: env:K8TLS_TEST_KS_PW
EOF
KS_PW='Kw9-secret.value+1'
export K8TLS_TEST_VISIBLE=still-here

# An exec credential plugin: records its environment, then answers with a token while kubectl has
# run at most $(cat hang-after) times (the shim below leaves one kubectl-env.PID per run), and
# never returns after that.
cat > "$T/plugin.sh" <<EOF
#!/bin/sh
n=\$(cat "$T/plugin.count" 2>/dev/null || echo 0)
n=\$((n + 1))
echo \$n > "$T/plugin.count"
env > "$T/plugin-env.\$n"
if [ \$(ls "$T" | grep -c '^kubectl-env\.') -gt "\$(cat "$T/hang-after")" ]; then
  echo \$\$ >> "$T/plugin.pids"
  exec sleep 100000
fi
echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"fake-token"}}'
EOF
chmod 700 "$T/plugin.sh"

KC="$T/hostile-kubeconfig"
cat > "$KC" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: live
  cluster: {server: "https://127.0.0.1:$port", certificate-authority: "$T/tls.crt"}
users:
- name: someone
  user: {token: fake-token}
- name: plug
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: "$T/plugin.sh"
      interactiveMode: Never
contexts:
- name: live
  context: {cluster: live, user: someone}
- name: ghost-cluster
  context: {cluster: ghost, user: someone}
- name: ghost-user
  context: {cluster: live, user: ghost}
- name: no-cluster
  context: {user: someone}
- name: plug
  context: {cluster: live, user: plug}
current-context: live
EOF

# A second shim in front of the recording one: dumps kubectl's environment once kubectl has its
# whole input (the cluster's kubectl starts with the Secrets' runs and gets the end of its input
# when they are in: it counts as a run from then on, as the plugin above expects).
mkdir -p "$T/envshim"
cat > "$T/envshim/kubectl" <<EOF
#!/bin/sh
f=\$(mktemp "$T/envshim-stdin.XXXXXX")
cat > "\$f"
env > "$T/kubectl-env.\$\$"
exec 0<"\$f"
rm -f "\$f"
exec "$T/shim/kubectl" "\$@"
EOF
chmod 700 "$T/envshim/kubectl"
PATH="$T/envshim:$PATH"; export PATH

# Is process $1 still running (a zombie waiting for a reaper is not)?
running() {
  [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

run() { # run CONTEXT [env assignments...]: the binary with --apply, bounded
  ctx=$1; shift
  reset_logs
  started=$(date +%s)
  env K8TLS_TEST_KS_PW="$KS_PW" "$@" timeout 60 "$K8TLS_BIN" --answers "$T/answers.yaml" \
    --apply --kubeconfig "$KC" --context "$ctx" > "$T/out" 2> "$T/err"
  rc=$?
  elapsed=$(( $(date +%s) - started ))
}

# --- 1. a missing cluster or user: refused before kubectl runs --------------------------------
run ghost-cluster
check "context with an undefined cluster: exit 3" [ "$rc" -eq 3 ]
check "it names the context and the missing cluster" \
  grep -q 'kube context "ghost-cluster": its cluster "ghost" is not defined in the kubeconfig' "$T/err"
check "it says kubectl would fall back to localhost:8080 and nothing was applied" \
  grep -q 'http://localhost:8080; nothing was applied' "$T/err"
check "no kubectl ran" [ ! -s "$SHIMLOG" ]

run ghost-user
check "context with an undefined user: exit 3" [ "$rc" -eq 3 ]
check "it names the context and the missing user" \
  grep -q 'kube context "ghost-user": its user "ghost" is not defined in the kubeconfig' "$T/err"
check "no kubectl ran (undefined user)" [ ! -s "$SHIMLOG" ]

run no-cluster
check "context naming no cluster: exit 3" [ "$rc" -eq 3 ]
check "it says the context names no cluster" grep -q 'kube context "no-cluster" names no cluster' "$T/err"
check "no kubectl ran (no cluster)" [ ! -s "$SHIMLOG" ]
[ "$rc" -eq 3 ] || cat "$T/err"

# --- 2. env: password variables are not inherited by kubectl ----------------------------------
rm -f "$T"/kubectl-env.*
run live
check "apply to the HTTPS fake API exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$T/err"
n_env=$(ls "$T"/kubectl-env.* 2>/dev/null | wc -l)
check "every kubectl run was seen by the environment shim ($n_env)" [ "$n_env" -ge 2 ]
check "kubectl inherits the other variables" \
  sh -c "for f in '$T'/kubectl-env.*; do grep -qx 'K8TLS_TEST_VISIBLE=still-here' \"\$f\" || exit 1; done"
if grep -l 'K8TLS_TEST_KS_PW' "$T"/kubectl-env.* >/dev/null 2>&1 ||
   grep -lF -- "$KS_PW" "$T"/kubectl-env.* >/dev/null 2>&1; then
  fail "the env: password variable reached kubectl's environment"
else
  pass "the env: password variable is not in kubectl's environment ($n_env runs)"
fi

# --- 3. an exec plugin that never returns: stopped at the deadline ----------------------------
echo 0 > "$T/hang-after"
rm -f "$T/plugin.count" "$T/plugin.pids" "$T"/plugin-env.* "$T"/kubectl-env.*
run plug K8TLS_TEST_KUBECTL_TIMEOUT=3
check "a hung exec plugin at the first kubectl run: exit 3 (not killed by timeout 60)" [ "$rc" -eq 3 ]
check "it returns soon after the 3 s deadline (took ${elapsed}s)" [ "$elapsed" -lt 30 ]
check "it names the context and says that kubectl did not finish in time" \
  grep -q 'context plug: Secret [^ ]*: kubectl did not finish within 3 seconds and was stopped' "$T/err"
check "it says that nothing was applied" grep -q '^k8tls-wizard: nothing was applied$' "$T/err"
[ "$rc" -eq 3 ] || cat "$T/err"
check "the plugin ran" [ -s "$T/plugin.pids" ]
sleep 1
alive=""
while read -r pid; do running "$pid" && alive="$alive $pid"; done < "$T/plugin.pids"
check "the hung plugin was killed with kubectl (alive:${alive:- none})" [ -z "$alive" ]
for pid in $alive; do kill -9 "$pid" 2>/dev/null; done
check "the plugin inherits the other variables" grep -qx 'K8TLS_TEST_VISIBLE=still-here' "$T/plugin-env.1"
if grep -q 'K8TLS_TEST_KS_PW' "$T"/plugin-env.* || grep -qF -- "$KS_PW" "$T"/plugin-env.*; then
  fail "the env: password variable reached the exec plugin's environment"
else
  pass "the env: password variable is not in the exec plugin's environment"
fi

# the plugin answers for one kubectl run (the Secrets), then hangs (the cluster): a partial
# apply
echo 1 > "$T/hang-after"
rm -f "$T/plugin.count" "$T/plugin.pids" "$T"/kubectl-env.*
run plug K8TLS_TEST_KUBECTL_TIMEOUT=3
check "a plugin hanging in the middle of the apply: exit 3" [ "$rc" -eq 3 ]
check "it returns soon after the deadline (took ${elapsed}s)" [ "$elapsed" -lt 30 ]
check "it says which context and object timed out" \
  grep -q '^k8tls-wizard: context plug: K8ssandraCluster k8ssandra-operator/test: kubectl did not finish within 3 seconds' "$T/err"
check "it says what was applied (the Secrets)" \
  grep -q '^k8tls-wizard: applied: Secret .* (context plug)$' "$T/err"
check "it says what was not applied (the cluster)" \
  grep -q '^k8tls-wizard: not applied: K8ssandraCluster k8ssandra-operator/test (context plug)$' "$T/err"
[ "$rc" -eq 3 ] || cat "$T/err"
alive=""
while read -r pid; do running "$pid" && alive="$alive $pid"; done < "$T/plugin.pids"
check "no plugin left running (alive:${alive:- none})" [ -z "$alive" ]
for pid in $alive; do kill -9 "$pid" 2>/dev/null; done

# rotate reads the live Secrets with kubectl: the same deadline
echo 0 > "$T/hang-after"
rm -f "$T/plugin.count" "$T/plugin.pids" "$T"/kubectl-env.*
started=$(date +%s)
env K8TLS_TEST_KUBECTL_TIMEOUT=3 timeout 60 "$K8TLS_BIN" rotate --from-context plug \
  --answers "$T/answers.yaml" --kubeconfig "$KC" > "$T/out" 2> "$T/err"
rc=$?
elapsed=$(( $(date +%s) - started ))
check "rotate --from-context with a hung exec plugin: exit 3 (took ${elapsed}s)" \
  test "$rc" -eq 3 -a "$elapsed" -lt 30
check "rotate says which context and Secret timed out" \
  grep -q 'context plug: Secret k8ssandra-operator/[^ ]*: kubectl did not finish within 3 seconds' "$T/err"
[ "$rc" -eq 3 ] || cat "$T/err"
alive=""
while read -r pid; do running "$pid" && alive="$alive $pid"; done < "$T/plugin.pids"
check "no plugin left running after rotate (alive:${alive:- none})" [ -z "$alive" ]
for pid in $alive; do kill -9 "$pid" 2>/dev/null; done

finish
