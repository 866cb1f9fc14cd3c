#!/bin/sh
# LANGUAGE=fr shows French screens, transliterated to ASCII for CDK (which draws bytes): the
# steps, the fields, the help bar, the dialogs, the validation messages and a field's F1 help.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
mo="$K8TLS_LOCALEDIR/fr/LC_MESSAGES/k8tls-wizard.mo"
check "the test catalog was built by make check ($mo)" [ -f "$mo" ]
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"

TUI_ENV="LANGUAGE=fr LANG=C.UTF-8" tui_start "$t" 100 30 --tui --answers answers.yaml
check "the Welcome step is in French" wait_for "etape 1 sur 10 : Bienvenue"
check "the choice is in French" wait_for "charger un fichier de reponses"
check "the help bar is in French" wait_for "F1/? : aide"
check "the buttons are in French" wait_for "[ Suivant ]  [ Annuler ]"
check "the screen is plain ASCII (accents transliterated)" sh -c "
  ! tmux -L '$TUI_SOCK' capture-pane -p | LC_ALL=C grep -q '[^ -~]'"
keys F10
check "the Cluster step is in French" wait_re "Nom du cluster : +test"
check "its help bar says Esc goes back, in French" wait_for "Echap : retour"
keys C-u
type_text "Bad_Name"
keys F10
check "a validation error shows in French beside the field" wait_for "n'est pas un label DNS-1123"
check "the step did not change" wait_for "etape 2 sur 10 : Cluster"
keys F1
check "the help is the field's, in French" wait_for "Aide : Nom du cluster (Cluster)"
check "its 'Sets:' heading is French" wait_for "Definit : metadata.name du K8ssandraCluster"
check "its 'Without it:' heading is French" wait_for "Sans ce champ : les certificats"
check "no English heading is left" sh -c "
  ! tmux -L '$TUI_SOCK' capture-pane -p | grep -Eq 'Sets:|Without it:'"
check "the help is plain ASCII too (noeuds)" sh -c "
  ! tmux -L '$TUI_SOCK' capture-pane -p | LC_ALL=C grep -q '[^ -~]'"
keys Enter
keys C-c
check "the Cancel question is in French" wait_for "Quitter l'assistant ?"
keys Tab Enter
rc=$(wait_exit "$t")
check "leaves with 1 (rc=$rc)" [ "$rc" = 1 ]
check "says so in French, with its accents again" grep -q "annulé : rien n'a été écrit" "$t/.stderr"
check "the terminal settings are restored" cmp -s "$t/.stty-before" "$t/.stty-after"
finish
