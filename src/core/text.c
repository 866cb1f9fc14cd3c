/* Untrusted text for a terminal: control characters escaped as \xNN (see text.h). */
#include "config.h"
#include "k8tls/text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

/* The length of the valid UTF-8 sequence of a non-ASCII character at s (at most n bytes), or 0
 * when the bytes are not valid UTF-8 (stray continuation byte, overlong form, surrogate, beyond
 * U+10FFFF, truncated). *cp receives the code point. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned long v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2; v = c & 0x1f; min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3; v = c & 0x0f; min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* The next character at s (at most n bytes): returns its length in bytes and sets *escape when
 * it is written \xNN byte by byte. A byte that is not valid UTF-8 is a character of its own. */
static size_t next_char(const unsigned char *s, size_t n, unsigned flags, bool *escape)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *escape = (c < 0x20 || c == 0x7f) &&
                  !((flags & K8TLS_TEXT_MULTILINE) && (c == '\n' || c == '\t'));
        return 1;
    }
    unsigned long cp = 0;
    size_t len = utf8_len(s, n, &cp);
    if (len == 0) {
        *escape = true;
        return 1;
    }
    *escape = cp <= 0x9f;   /* C1 controls, U+0080-U+009F */
    return len;
}

char *k8tls_text_escape_n(const char *str, size_t n, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    if (!str)
        n = 0;
    size_t out_len = 0;
    bool esc;
    for (size_t i = 0; i < n;) {
        size_t k = next_char(s + i, n - i, flags, &esc);
        out_len += esc ? 4 * k : k;
        i += k;
    }
    char *out = malloc(out_len + 1);
    if (!out)
        return NULL;
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = next_char(s + i, n - i, flags, &esc);
        if (!esc) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        for (size_t j = 0; j < k; j++, i++) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[s[i] >> 4];
            out[o++] = hex[s[i] & 0x0f];
        }
    }
    out[o] = '\0';
    return out;
}

char *k8tls_text_escape(const char *s, unsigned flags)
{
    return k8tls_text_escape_n(s, s ? strlen(s) : 0, flags);
}

int k8tls_text_has_control(const char *str)
{
    if (!str)
        return 0;
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str);
    bool esc;
    for (size_t i = 0; i < n;) {
        i += next_char(s + i, n - i, 0, &esc);
        if (esc)
            return 1;
    }
    return 0;
}

static void free_wiped(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void k8tls_text_fputs(const char *s, unsigned flags, FILE *f)
{
    char *e = k8tls_text_escape(s, flags);
    fputs(e ? e : "?", f);
    free_wiped(e);
}

void k8tls_text_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0 || !s) {
        fputs("?\n", f);
        return;
    }
    size_t len = (size_t)n;
    bool nl = len > 0 && s[len - 1] == '\n';
    char *e = k8tls_text_escape_n(s, nl ? len - 1 : len, 0);
    /* one locked write: lines printed from several threads (key progress) do not interleave */
    flockfile(f);
    fputs(e ? e : "?", f);
    if (nl)
        fputc('\n', f);
    funlockfile(f);
    free_wiped(e);
    OPENSSL_cleanse(s, len);
    free(s);
}

FILE *k8tls_text_capture_begin(struct k8tls_text_capture *c, FILE *out)
{
    c->out = out;
    c->buf = NULL;
    c->len = 0;
    c->mem = open_memstream(&c->buf, &c->len);
    return c->mem ? c->mem : out;
}

void k8tls_text_capture_end(struct k8tls_text_capture *c)
{
    if (!c->mem)
        return;
    fclose(c->mem);
    c->mem = NULL;
    if (!c->buf)
        return;
    char *e = k8tls_text_escape_n(c->buf, c->len, K8TLS_TEXT_MULTILINE);
    fputs(e ? e : "?\n", c->out);
    free_wiped(e);
    OPENSSL_cleanse(c->buf, c->len);
    free(c->buf);
    c->buf = NULL;
}
