/* Per-field help (F1 on a field): what the field sets in cassandra.yaml or in the
 * K8ssandraCluster manifest (as src/core/manifest.c writes it), and what breaks without it. The
 * texts live in one table in help.c. No curses and no other TUI file: tests/unit/test_tui_text.c
 * links it alone. */
#ifndef K8TLS_TUI_HELP_H
#define K8TLS_TUI_HELP_H

/* The help of a field found by its answers key path (a "*" in the table stands for one part:
 * "stores.*.secretName"), or by its label (a message id) when path is NULL: a "Sets: ..." line
 * and a "Without it: ..." line, translated (the caller shows the label). Heap; NULL when the
 * table has no help for it. */
char *tui_field_help(const char *path, const char *label);

/* The number of rows in the table and the key of row i (the tests walk them). */
int tui_field_help_count(void);
const char *tui_field_help_key(int i);

#endif
