/* The one growable buffer of the project: bytes appended at the end, always NUL-terminated, and
 * every copy it drops wiped (buffers hold keys, passwords and Secret YAML). A failed allocation
 * sets oom; later appends are then ignored, so a caller checks once at the end. */
#ifndef K8TLS_BUF_H
#define K8TLS_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct k8tls_buf {
    char *p;          /* NULL until the first append */
    size_t len, cap;
    bool oom;
};

/* Each returns false when memory ran out (now or before). */
bool k8tls_buf_add(struct k8tls_buf *b, const void *data, size_t n);
bool k8tls_buf_puts(struct k8tls_buf *b, const char *s);
bool k8tls_buf_printf(struct k8tls_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The bytes, handed over to the caller (free, or k8tls_secure_free_str for secrets): "" when
 * nothing was appended, NULL after an allocation failure (the buffer wiped). The buffer is empty
 * afterwards. len (may be NULL) gets the length. */
char *k8tls_buf_take(struct k8tls_buf *b, size_t *len);
/* Wipes and frees; the buffer is empty afterwards. */
void k8tls_buf_free(struct k8tls_buf *b);

#endif
