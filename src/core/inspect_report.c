/* The inspect report model (include/k8tls/inspect.h): items, entries and their notes, built by
 * the other inspect files and read by the faces. Calls only err.c (diagnostics) and pki.h's
 * k8tls_strv_free; no other inspect file. */
#include "config.h"
#include "inspect_int.h"
#include "k8tls/pki.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void k8tls_inspect_init(struct k8tls_inspect_report *r)
{
    memset(r, 0, sizeof *r);
}

static void entry_free(struct k8tls_inspect_entry *en)
{
    free(en->alias);
    free(en->subject);
    free(en->issuer);
    k8tls_strv_free(en->sans);
    k8tls_strv_free(en->ekus);
    free(en->key);
    free(en->not_before);
    free(en->not_after);
    free(en->chain_of);
    k8tls_diags_free(&en->notes);
}

void k8tls_inspect_free(struct k8tls_inspect_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        struct k8tls_inspect_item *it = &r->v[i];
        for (size_t j = 0; j < it->n; j++)
            entry_free(&it->v[j]);
        free(it->v);
        free(it->name);
        free(it->what);
        k8tls_diags_free(&it->notes);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

long insp_item_new(struct k8tls_inspect_report *r, const char *name, const char *what)
{
    struct k8tls_inspect_item *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v)
        return -1;
    r->v = v;
    struct k8tls_inspect_item *it = &r->v[r->n];
    memset(it, 0, sizeof *it);
    it->name = strdup(name);
    it->what = strdup(what ? what : "");
    k8tls_diags_init(&it->notes);
    return (long)r->n++;
}

struct k8tls_inspect_entry *insp_entry_new(struct k8tls_inspect_item *it,
                                           enum k8tls_inspect_kind kind, const char *alias)
{
    struct k8tls_inspect_entry *v = realloc(it->v, (it->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    it->v = v;
    struct k8tls_inspect_entry *en = &it->v[it->n];
    memset(en, 0, sizeof *en);
    en->kind = kind;
    en->alias = alias ? strdup(alias) : NULL;
    en->index = (int)++it->n;
    k8tls_diags_init(&en->notes);
    return en;
}

void insp_set_what(struct k8tls_inspect_item *it, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(it->what);
    it->what = strdup(buf);
}

size_t k8tls_inspect_count(const struct k8tls_inspect_report *r, enum k8tls_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        n += k8tls_diags_count(&r->v[i].notes, sev);
        for (size_t j = 0; j < r->v[i].n; j++)
            n += k8tls_diags_count(&r->v[i].v[j].notes, sev);
    }
    return n;
}
