#!/bin/sh
# The kubeconfig reader agrees with the real kubectl: the same contexts, current
# context, cluster, user and namespace for --kubeconfig, a KUBECONFIG of two files in both
# orders (with an empty entry and a missing file), and ~/.kube/config; a malformed file is an
# error naming file:line:column, where kubectl refuses it too.
. "$K8TLS_SRCDIR/tests/lib.sh"
need kubectl
HELPER="$K8TLS_BUILDDIR/tests/kube/kube-helper"
[ -x "$HELPER" ] || { echo "FAIL: $HELPER not built"; exit 1; }
T=$(mktmp)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$T/home/.kube"
HOME="$T/home"; export HOME
unset KUBECONFIG

cat > "$T/a.yaml" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- name: shared-cluster
  cluster: {server: "https://a.example:6443"}
users:
- name: alice
  user: {token: not-a-real-token}
contexts:
- name: shared
  context: {cluster: shared-cluster, user: alice, namespace: from-a}
- name: only-a
  context:
    cluster: shared-cluster
    namespace: "yes"
current-context: ""
EOF
cat > "$T/b.yaml" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- name: b-cluster
  cluster: {server: "http://127.0.0.1:8080"}
contexts:
- name: shared
  context: {cluster: b-cluster, namespace: from-b}
- name: only-b
  context: {cluster: b-cluster, user: bob}
- name: kind-dc2
  context: {cluster: shared-cluster, user: alice}
current-context: only-b
EOF

# what kubectl sees: current-context, then name, cluster, user, namespace per context (sorted)
kubectl_view() {
  kubectl "$@" config view --merge -o \
    'jsonpath={"current-context\t"}{.current-context}{"\n"}{range .contexts[*]}{.name}{"\t"}{.context.cluster}{"\t"}{.context.user}{"\t"}{.context.namespace}{"\n"}{end}' \
    | { IFS= read -r first; printf '%s\n' "$first"; sort; }
}
ours() {
  "$HELPER" contexts "$@" | { IFS= read -r first; printf '%s\n' "$first"; sort; }
}
compare() { # compare DESCRIPTION [--kubeconfig PATH]
  desc="$1"; shift
  kubectl_view "$@" > "$T/kubectl.out" 2>&1
  ours "$@" > "$T/ours.out" 2>&1
  if cmp -s "$T/kubectl.out" "$T/ours.out"; then
    pass "$desc"
  else
    fail "$desc"; echo "kubectl:"; cat "$T/kubectl.out"; echo "ours:"; cat "$T/ours.out"
  fi
}

compare "--kubeconfig a.yaml: same contexts and current-context as kubectl" --kubeconfig "$T/a.yaml"
KUBECONFIG="$T/a.yaml::$T/missing.yaml:$T/b.yaml"; export KUBECONFIG
compare "KUBECONFIG=a::missing:b merges like kubectl (first wins, first current-context)"
check "get-contexts -o name lists the same names" \
  sh -c "kubectl config get-contexts -o name | sort > '$T/k.names' && '$HELPER' contexts | tail -n +2 | cut -f1 | sort > '$T/o.names' && cmp -s '$T/k.names' '$T/o.names' && [ \$(wc -l < '$T/o.names') -eq 4 ]"
check "kubectl's current context is ours" \
  [ "$(kubectl config current-context)" = "$("$HELPER" contexts | head -1 | cut -f2)" ]
KUBECONFIG="$T/b.yaml:$T/a.yaml"
compare "KUBECONFIG=b:a: the other order, b's 'shared' wins"
KUBECONFIG="$T/a.yaml"
compare "KUBECONFIG=a: an empty current-context stays empty"
unset KUBECONFIG
cp "$T/b.yaml" "$T/home/.kube/config"
compare "no KUBECONFIG: ~/.kube/config"

# malformed: both refuse; ours names file:line:column
printf 'contexts:\n- name: x\n  context: {cluster: [a}\n' > "$T/bad.yaml"
if kubectl --kubeconfig "$T/bad.yaml" config get-contexts >/dev/null 2>&1; then
  fail "kubectl accepted the malformed kubeconfig (test premise)"
else
  pass "kubectl refuses the malformed kubeconfig"
fi
"$HELPER" contexts --kubeconfig "$T/bad.yaml" > /dev/null 2> "$T/err"
check "ours refuses it with exit 1" [ $? -eq 1 ]
check "naming file:line:column" grep -q "^kube-helper: $T/bad.yaml:3:24: malformed YAML" "$T/err"
printf 'contexts:\n- name: x\n  context: {namespace: 5}\n' > "$T/bad2.yaml"
kubectl --kubeconfig "$T/bad2.yaml" config get-contexts >/dev/null 2>&1
check "kubectl refuses a number where a string is wanted" [ $? -ne 0 ]
"$HELPER" contexts --kubeconfig "$T/bad2.yaml" > /dev/null 2> "$T/err"
check "ours too, naming the key and its position" \
  grep -q "^kube-helper: $T/bad2.yaml:3:24: contexts\[0\].context.namespace: expected a string, found a number" "$T/err"

finish
