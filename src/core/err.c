/* Errors and diagnostics. */
#include "config.h"
#include "k8tls/err.h"
#include "k8tls/i18n.h"
#include "k8tls/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

void k8tls_err_clear(struct k8tls_err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

void k8tls_err_set(struct k8tls_err *e, const char *file, int line, int col, const char *fmt, ...)
{
    if (!e)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->col = col;
    e->status = K8TLS_INVALID;
}

void k8tls_err_set_status(struct k8tls_err *e, enum k8tls_status st, const char *fmt, ...)
{
    if (!e)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->file[0] = '\0';
    e->line = e->col = 0;
    e->status = st;
}

enum k8tls_status k8tls_err_status(const struct k8tls_err *e)
{
    return e && e->status != K8TLS_OK ? e->status : K8TLS_INVALID;
}

void k8tls_err_set_openssl(struct k8tls_err *e, const char *what)
{
    char why[256] = "";
    unsigned long code = ERR_get_error();
    if (code)
        ERR_error_string_n(code, why, sizeof why);
    ERR_clear_error();
    if (why[0])
        k8tls_err_set(e, NULL, 0, 0, "%s: %s", what, why);
    else
        k8tls_err_set(e, NULL, 0, 0, "%s", what);
}

static void format_pos(char *buf, size_t len, const char *file, int line, int col)
{
    buf[0] = '\0';
    if (!file || !*file)
        return;
    if (line > 0 && col > 0)
        snprintf(buf, len, "%s:%d:%d: ", file, line, col);
    else if (line > 0)
        snprintf(buf, len, "%s:%d: ", file, line);
    else
        snprintf(buf, len, "%s: ", file);
}

const char *k8tls_err_format(const struct k8tls_err *e, char *buf, size_t len)
{
    char pos[600];
    format_pos(pos, sizeof pos, e->file, e->line, e->col);
    snprintf(buf, len, "%s%s", pos, e->msg);
    return buf;
}

void k8tls_diags_init(struct k8tls_diags *d)
{
    memset(d, 0, sizeof *d);
}

void k8tls_diags_free(struct k8tls_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void k8tls_diags_add(struct k8tls_diags *d, enum k8tls_severity sev, const char *file, int line,
                     int col, const char *path, const char *fmt, ...)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct k8tls_diag *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return;
        d->v = v;
        d->cap = cap;
    }
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_diag *g = &d->v[d->n];
    g->sev = sev;
    g->file = dup_or_null(file);
    g->line = line;
    g->col = col;
    g->path = dup_or_null(path);
    g->msg = strdup(msg);
    if (!g->msg) {
        free(g->file);
        free(g->path);
        return;
    }
    d->n++;
}

void k8tls_diags_add_err(struct k8tls_diags *d, const char *path, const struct k8tls_err *e)
{
    k8tls_diags_add(d, K8TLS_SEV_ERROR, e->file[0] ? e->file : NULL, e->line, e->col, path, "%s",
                    e->msg);
}

size_t k8tls_diags_count(const struct k8tls_diags *d, enum k8tls_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == sev)
            n++;
    return n;
}

const char *k8tls_diag_format(const struct k8tls_diag *g, char *buf, size_t len)
{
    char pos[600];
    const char *sev = g->sev == K8TLS_SEV_ERROR ? _("error")
                      : g->sev == K8TLS_SEV_WARNING ? _("warning") : _("note");
    format_pos(pos, sizeof pos, g->file, g->line, g->col);
    if (g->path && *g->path)
        snprintf(buf, len, "%s%s: %s: %s", pos, sev, g->path, g->msg);
    else
        snprintf(buf, len, "%s%s: %s", pos, sev, g->msg);
    return buf;
}

void k8tls_diags_print(const struct k8tls_diags *d, void *stream)
{
    char buf[4096];
    for (size_t i = 0; i < d->n; i++)
        k8tls_text_fprintf((FILE *)stream, "%s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}
