#!/bin/sh
# F1 on a field: help for that field (its label, the cassandra.yaml option or manifest path it
# sets, what breaks without it), then the step's paragraph, in a box with one blank column and
# one blank row inside its border. At 80x24.
. "$K8TLS_SRCDIR/tests/lib.sh"
. "$K8TLS_SRCDIR/tests/tui/lib-tui.sh"
t=$(mktmp)
trap 'tui_stop; rm -rf "$t"' EXIT
check "an ECDSA answers file" ecdsa_answers "$t/answers.yaml"
# the screen as one line per row, the box's text joined (rows wrap inside the box)
box_text() { screen | sed -n 's/^.*x \(.*[^ ]\) *x.*$/\1/p' | tr '\n' ' '; }
box_has() { box_text | grep -qF -- "$1"; }
# every row inside the box: its left border, then a blank column (never text against it), and a
# blank column before its right border
padded() {
  screen | awk '
    /lqqqq+k/ && !top { top = 1; l = index($0, "lq"); r = index($0, "qk") + 1; next }
    top && /mqqqq+j/ { done = 1; exit }
    top { n++; if (substr($0, l, 1) != "x" || substr($0, l + 1, 1) != " " ||
                   substr($0, r - 1, 1) != " " || substr($0, r, 1) != "x") bad++ }
    END { exit !(done && n > 3 && !bad) }'
}
# the row under the top border is blank inside the box
top_row_blank() { screen | grep -A1 -E 'lqqqq+k' | tail -n 1 | grep -qE 'x +x'; }

tui_start "$t" 80 24 --tui --answers answers.yaml
wait_for "Answers file: answers.yaml" >/dev/null
keys F10
wait_for "step 2 of 10: Cluster" >/dev/null
keys F1
check "F1 on the cluster name: its help" wait_for "Help: Cluster name (Cluster)"
check "names the manifest key it sets" box_has "Sets: metadata.name of the K8ssandraCluster"
check "says what breaks without it" box_has "Without it: the certificates do not name the services"
check "then the step's paragraph" box_has "The cluster name and namespace name the Kubernetes objects"
check "the box is padded: a blank column inside the border" padded
check "and a blank row under the top border" top_row_blank
keys Enter
wait_for "Tab/S-Tab: move" >/dev/null
keys F10
wait_for "step 3 of 10: Encryption" >/dev/null
keys F1
check "F1 on the internode mode" wait_for "Help: Internode encryption (Encryption)"
check "names the cassandra.yaml option" box_has "Sets: internode_encryption of server_encryption_options in cassandra.yaml"
check "and the manifest's stores" box_has "spec.cassandra.serverEncryptionStores"
check "what breaks without it" box_has "Without it: with none, the nodes talk in clear"
check "padded" padded
keys Enter
wait_for "Left/Right: change" >/dev/null
keys F10
wait_for "step 4 of 10" >/dev/null
keys F10
wait_for "step 5 of 10: Server stores" >/dev/null
# the keystore password (the third field)
keys Down Down
check "the keystore password has the focus" wait_for "> Keystore password:"
keys F1
check "F1 on a keystore password" wait_for "Help: Keystore password (Server stores)"
check "names the Secret key and the manifest ref" box_has "Sets: keystore-password in the Secret, named by spec.cassandra.serverEncryptionStores.keystorePasswordSecretRef"
check "what breaks without it" box_has "Without it: empty, a strong one is generated. A wrong one: Cassandra cannot open the keystore"
check "the step's paragraph below" box_has "Generated stores get strong random passwords"
check "padded" padded
keys Escape
check "Esc closes it" wait_for "F1: help"
# a button has no field: the step's help with the keys
keys Tab Tab Tab
wait_for "[>Next<]" >/dev/null
keys F1
check "F1 on a button: the step's help" wait_for "Help: Server stores"
check "with the keys" box_has "Keys: Tab and Shift-Tab move between fields"
finish
