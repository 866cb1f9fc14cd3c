#!/bin/sh
# gettext end to end: with the French catalog, --help and the errors are in French.
. "$K8TLS_SRCDIR/tests/lib.sh"
t=$(mktmp)
trap 'rm -rf "$t"' EXIT
mo="$K8TLS_LOCALEDIR/fr/LC_MESSAGES/k8tls-wizard.mo"
check "the test catalog was built by make check ($mo)" [ -f "$mo" ]

LANGUAGE=fr LANG=C.UTF-8 "$K8TLS_BIN" --help >"$t/help.fr"
check "French --help exits 0" [ $? -eq 0 ]
check "French --help shows 'Utilisation'" grep -q '^Utilisation : k8tls-wizard' "$t/help.fr"
check "French --help describes the modes in French" grep -q 'fichier de réponses' "$t/help.fr"
check "French --help has the exit status in French" grep -q 'Code de sortie' "$t/help.fr"
LANGUAGE= LANG=C "$K8TLS_BIN" --help >"$t/help.c"
check "the C locale stays English" grep -q '^Usage: k8tls-wizard' "$t/help.c"

cd "$t" || exit 1
printf 'cluster: {name: Bad_Name}\n' >bad.yaml
LANGUAGE=fr LANG=C.UTF-8 "$K8TLS_BIN" --answers bad.yaml --output "$t/out" 2>"$t/err.fr"
check "French run of a bad file exits 1" [ $? -eq 1 ]
check "the validation message is in French" grep -q "^bad.yaml:1:17: erreur: cluster.name: « Bad_Name » n'est pas un label DNS-1123" "$t/err.fr"
LANGUAGE=fr LANG=C.UTF-8 "$K8TLS_BIN" </dev/null >/dev/null 2>"$t/noterm.fr"
check "the no-terminal reason is in French" grep -q 'pas de terminal' "$t/noterm.fr"
finish
