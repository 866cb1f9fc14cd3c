/* Text from outside the program (answers values, file names, PKCS#12 aliases, Secret names and
 * keys, kubeconfig names, what kubectl prints) rendered for a terminal: a control character in it
 * must not reach the terminal raw, where an escape sequence could rewrite the screen, the title
 * or the clipboard. */
#ifndef K8TLS_TEXT_H
#define K8TLS_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Keep line feeds and tabs (multi-line reports); without it they are escaped too. */
#define K8TLS_TEXT_MULTILINE 1u

/* Returns a heap copy of s (NULL: "") where every C0 control character (0x00-0x1f, except '\n'
 * and '\t' with K8TLS_TEXT_MULTILINE), DEL, every C1 control (U+0080-U+009F) and every byte that
 * is not part of valid UTF-8 is written \xNN (each byte). Everything else is kept, so translated
 * and non-ASCII text stays readable. NULL on OOM. */
char *k8tls_text_escape(const char *s, unsigned flags);

/* The same, for len bytes (NUL bytes included, escaped). */
char *k8tls_text_escape_n(const char *s, size_t len, unsigned flags);

/* true when s holds a character k8tls_text_escape would escape (with flags 0). */
int k8tls_text_has_control(const char *s);

/* Writes s escaped to f. The escaped copy is wiped before it is freed (s may hold something
 * sensitive). On OOM writes "?" instead. */
void k8tls_text_fputs(const char *s, unsigned flags, FILE *f);

/* printf into a buffer, then writes it escaped (flags 0) to f, except one final '\n' which is
 * kept: for one-line messages whose arguments come from outside. The format itself must be
 * trusted (a literal or a translation). */
void k8tls_text_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escapes what a printing function writes to a stream (multi-line: line feeds and tabs kept):
 *     struct k8tls_text_capture cap;
 *     FILE *m = k8tls_text_capture_begin(&cap, stdout);
 *     k8tls_cli_inspect_print(&report, m);
 *     k8tls_text_capture_end(&cap);
 * begin returns a memory stream, or out itself when none can be made (then end does nothing). */
struct k8tls_text_capture {
    FILE *out, *mem;
    char *buf;
    size_t len;
};
FILE *k8tls_text_capture_begin(struct k8tls_text_capture *c, FILE *out);
void k8tls_text_capture_end(struct k8tls_text_capture *c);

#endif
