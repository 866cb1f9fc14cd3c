/* A text laid out for the TUI's viewer (doc.c): prose word-wrapped at the viewer's width, code
 * kept whole (one row per line, however long: the viewer scrolls sideways), and the search over
 * it. Pure: no curses and no other TUI file, so that tests/unit/test_tui_text.c drives it. */
#ifndef K8TLS_TUI_DOC_H
#define K8TLS_TUI_DOC_H

#include <stdbool.h>

struct tui_doc {
    char **row;                     /* the plain text of each display row (heap) */
    int *src;                       /* the source line (0-based) each row shows */
    bool *code;                     /* the row is code: shown whole, never wrapped */
    int n;                          /* rows */
    int n_src;                      /* source lines */
};

/* Lays text out for a viewer width columns wide (at least 10). With markdown, the prose (every
 * line outside a ``` fence that is not a table row or indented by 4 or more) is word-wrapped,
 * words kept whole when they fit, a list item's continuation rows indented under its text;
 * without it (YAML), every line is code. Code rows hold their whole line. Returns 0, or -1 on
 * OOM (d then holds what was laid out). d starts zeroed; tui_doc_free frees it. */
int tui_doc_layout(struct tui_doc *d, const char *text, int width, bool markdown);
/* Frees the rows, wiping them (a Secret's revealed value may be among them); d is zeroed. */
void tui_doc_free(struct tui_doc *d);
/* The next row after from (before it when dir < 0), round the end, whose text holds needle
 * (ASCII letters case-insensitive); from itself last. -1 when none or needle is empty. */
int tui_doc_find(const struct tui_doc *d, const char *needle, int from, int dir);
/* The first row showing source line src (the last row when src is past the end); 0 when empty. */
int tui_doc_row_of(const struct tui_doc *d, int src);
/* A unified diff of text a (named name_a) against b (name_b): "--- " and "+++ " lines, then
 * hunks ("@@ -l,n +l,n @@") of changed lines ('-' removed, '+' added) with three kept lines
 * around them. "" when the texts have the same lines; NULL on OOM or when either text has more
 * than 4000 lines. Heap. */
char *tui_doc_diff(const char *a, const char *b, const char *name_a, const char *name_b);

#endif
