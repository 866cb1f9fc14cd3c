/* Plain text helpers of the TUI: formatting into heap strings, word wrapping, cutting to a width,
 * and making user text safe to show (CDK markup and control characters escaped). No curses and no
 * other TUI file here: everything in src/tui may call it, and tests/unit/test_tui_text.c links it
 * alone. */
#ifndef K8TLS_TUI_TEXT_H
#define K8TLS_TUI_TEXT_H

/* printf into a heap string (never NULL: "" on OOM) */
char *tui_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* *dst = a heap copy of v (NULL stays NULL); the old value is freed */
void tui_set_str(char **dst, const char *v);
/* A copy of user text (paths, names, file contents) that is safe to hand to CDK: '<' cannot start
 * markup, and control characters (bytes below 0x20 but the tab, and 0x7f) show as caret
 * notation ("^[" for ESC, "^?" for DEL) instead of reaching the terminal. Heap; NULL on OOM. */
char *tui_escape(const char *s);
/* Splits text at newlines and wraps each paragraph at width (words kept whole when they fit):
 * at most max heap lines in out; returns how many. */
int tui_wrap(const char *text, int width, char **out, int max);
/* A copy of s padded with spaces or cut to exactly w columns ("..." marks a cut). Heap. */
char *tui_fit(const char *s, int w);
/* Frees n heap strings of v (not v itself). */
void tui_free_lines(char **v, int n);
/* "~" and "~/x" with $HOME (heap copy of path otherwise; NULL for NULL) */
char *tui_expand_home(const char *path);

#endif
