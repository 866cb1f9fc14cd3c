/* The one growable buffer (buf.h). Calls nothing of the project. */
#include "config.h"
#include "k8tls/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

bool k8tls_buf_add(struct k8tls_buf *b, const void *data, size_t n)
{
    if (b->oom)
        return false;
    if (n > (size_t)-1 / 2 - b->len) {
        b->oom = true;
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p) {
            b->oom = true;
            return false;
        }
        if (b->p) {
            memcpy(p, b->p, b->len);
            OPENSSL_cleanse(b->p, b->cap);
            free(b->p);
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

bool k8tls_buf_puts(struct k8tls_buf *b, const char *s)
{
    return k8tls_buf_add(b, s, strlen(s));
}

bool k8tls_buf_printf(struct k8tls_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return false;
    }
    if ((size_t)n < sizeof small) {
        bool ok = k8tls_buf_add(b, small, (size_t)n);
        OPENSSL_cleanse(small, sizeof small);
        return ok;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bool ok = k8tls_buf_add(b, big, (size_t)n);
    OPENSSL_cleanse(big, (size_t)n);
    free(big);
    return ok;
}

char *k8tls_buf_take(struct k8tls_buf *b, size_t *len)
{
    char *p = NULL;
    size_t n = 0;
    if (!b->oom && !b->p)
        p = calloc(1, 1);
    else if (!b->oom) {
        p = b->p;
        n = b->len;
        b->p = NULL;
    }
    k8tls_buf_free(b);
    if (len)
        *len = p ? n : 0;
    return p;
}

void k8tls_buf_free(struct k8tls_buf *b)
{
    if (b->p) {
        OPENSSL_cleanse(b->p, b->cap);
        free(b->p);
    }
    memset(b, 0, sizeof *b);
}
