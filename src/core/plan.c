/* The plan: defaults, copy, free and compare as walks of the schema (plan_table.h),
 * positions, what the plan produces. */
#include "config.h"
#include "k8tls/plan.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Key path -> position, as recorded by the answers loader. A small array: plans have < 200 keys. */
struct k8tls_posmap {
    struct posent {
        char *path;
        struct k8tls_pos pos;
    } *v;
    size_t n, cap;
};

static void posmap_free(struct k8tls_posmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].path);
    free(m->v);
    free(m);
}

static struct k8tls_posmap *posmap_dup(const struct k8tls_posmap *m, int *oom)
{
    if (!m)
        return NULL;
    struct k8tls_posmap *c = calloc(1, sizeof *c);
    if (!c)
        goto fail;
    if (m->n) {
        c->v = calloc(m->n, sizeof *c->v);
        if (!c->v)
            goto fail;
        c->cap = m->n;
        for (size_t i = 0; i < m->n; i++) {
            c->v[i].path = strdup(m->v[i].path);
            if (!c->v[i].path)
                goto fail;
            c->v[i].pos = m->v[i].pos;
            c->n++;
        }
    }
    return c;
fail:
    posmap_free(c);
    *oom = 1;
    return NULL;
}

struct k8tls_pos k8tls_plan_pos(const struct k8tls_plan *p, const char *path)
{
    struct k8tls_pos none = {0, 0};
    if (!p || !p->positions || !path)
        return none;
    for (size_t i = 0; i < p->positions->n; i++)
        if (strcmp(p->positions->v[i].path, path) == 0)
            return p->positions->v[i].pos;
    return none;
}

void k8tls_plan_set_pos(struct k8tls_plan *p, const char *path, struct k8tls_pos pos)
{
    if (!p || !path)
        return;
    if (!p->positions) {
        p->positions = calloc(1, sizeof *p->positions);
        if (!p->positions)
            return;
    }
    struct k8tls_posmap *m = p->positions;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].path, path) == 0) {
            m->v[i].pos = pos;
            return;
        }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        struct posent *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return;
        m->v = v;
        m->cap = cap;
    }
    char *s = strdup(path);
    if (!s)
        return;
    m->v[m->n].path = s;
    m->v[m->n].pos = pos;
    m->n++;
}

/* ---- defaults, free, dup: walks of the schema (plan_table.c) ---------------------------- */

static const struct k8tls_key *dcs_row(void)
{
    static const struct k8tls_key *row;
    if (!row)
        row = k8tls_plan_row("cluster.datacenters");
    return row;
}

int k8tls_plan_set_dcs(struct k8tls_plan *p, size_t n)
{
    return k8tls_list_resize(dcs_row(), p, n);
}

struct k8tls_plan *k8tls_plan_new_defaults(void)
{
    struct k8tls_plan *p = calloc(1, sizeof *p);
    int oom = 0;
    if (!p)
        return NULL;
    k8tls_table_defaults(k8tls_plan_table, NULL, p, &oom);
    if (oom) {
        k8tls_plan_free(p);
        return NULL;
    }
    return p;
}

void k8tls_plan_free(struct k8tls_plan *p)
{
    if (!p)
        return;
    free(p->source_file);
    k8tls_table_free(k8tls_plan_table, p);
    posmap_free(p->positions);
    free(p);
}

struct k8tls_plan *k8tls_plan_dup(const struct k8tls_plan *s)
{
    if (!s)
        return NULL;
    struct k8tls_plan *p = malloc(sizeof *p);
    int oom = 0;
    if (!p)
        return NULL;
    /* copy the scalars, then replace every pointer with a deep copy */
    *p = *s;
    p->source_file = s->source_file ? strdup(s->source_file) : NULL;
    if (s->source_file && !p->source_file)
        oom = 1;
    k8tls_table_dup(k8tls_plan_table, p, s, &oom);
    p->positions = posmap_dup(s->positions, &oom);
    if (oom) {
        k8tls_plan_free(p);
        return NULL;
    }
    return p;
}

/* ---- what the plan produces ------------------------------------------------------------- */

char *k8tls_plan_base_dir(const struct k8tls_plan *p)
{
    if (!p || !p->source_file || !*p->source_file || strcmp(p->source_file, "-") == 0)
        return strdup(".");
    const char *slash = strrchr(p->source_file, '/');
    if (!slash)
        return strdup(".");
    if (slash == p->source_file)
        return strdup("/");
    return strndup(p->source_file, (size_t)(slash - p->source_file));
}

/* ---- comparison ------------------------------------------------------------------------- */

struct cmp {
    char *what;
    size_t len;
    bool same;
};

static void differs(struct cmp *c, const char *path)
{
    if (c->same && c->what && c->len)
        snprintf(c->what, c->len, "%s", path);
    c->same = false;
}

static bool str_same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

#define CAT(base, off) ((const void *)((const char *)(base) + (off)))

/* Field by field in the schema's order; a field that does not apply to either side (a key size
 * of an ecdsa key) is not compared; a key written at two places (ALIAS) is compared once. */
static void cmp_table(struct cmp *c, const struct k8tls_key *t, const char *path, const void *a,
                      const void *b)
{
    char sub[256];
    for (const struct k8tls_key *r = t; r->name; r++) {
        if (r->flags & K8TLS_KF_ALIAS || r->type == K8TLS_KT_CONST)
            continue;
        if (r->applies && !(r->applies(a) && r->applies(b)))
            continue;
        if (*path)
            snprintf(sub, sizeof sub, "%s.%s", path, r->name);
        else
            snprintf(sub, sizeof sub, "%s", r->name);
        const void *fa = CAT(a, r->off), *fb = CAT(b, r->off);
        switch (r->type) {
        case K8TLS_KT_STR:
        case K8TLS_KT_STR_ENUM:
            if (!str_same(*(char *const *)fa, *(char *const *)fb))
                differs(c, sub);
            break;
        case K8TLS_KT_BOOL:
            if (*(const bool *)fa != *(const bool *)fb)
                differs(c, sub);
            break;
        case K8TLS_KT_INT:
        case K8TLS_KT_ENUM:
            if (*(const int *)fa != *(const int *)fb)
                differs(c, sub);
            break;
        case K8TLS_KT_PASSWORD: {
            const struct k8tls_password *pa = fa, *pb = fb;
            if ((pa->ref == NULL) != (pb->ref == NULL) || (pa->ref && strcmp(pa->ref, pb->ref) != 0))
                differs(c, sub);
            break;
        }
        case K8TLS_KT_GROUP:
            cmp_table(c, r->sub, sub, fa, fb);
            break;
        case K8TLS_KT_LIST:
        case K8TLS_KT_STR_LIST: {
            size_t na = *(const size_t *)CAT(a, r->count_off);
            size_t nb = *(const size_t *)CAT(b, r->count_off);
            if (na != nb) {
                differs(c, sub);
                break;
            }
            const void *va = *(void *const *)fa, *vb = *(void *const *)fb;
            for (size_t i = 0; c->same && i < na; i++) {
                char item[256];
                if (snprintf(item, sizeof item, "%s[%zu]", sub, i) >= (int)sizeof item)
                    break;   /* key paths are short: not reached */
                if (r->type == K8TLS_KT_STR_LIST) {
                    if (!str_same(((char *const *)va)[i], ((char *const *)vb)[i]))
                        differs(c, item);
                } else {
                    cmp_table(c, r->sub, item, (const char *)va + i * r->elem_size,
                              (const char *)vb + i * r->elem_size);
                }
            }
            break;
        }
        case K8TLS_KT_CONST:
            break;
        }
    }
}

bool k8tls_plan_same(const struct k8tls_plan *a, const struct k8tls_plan *b, char *what, size_t len)
{
    struct cmp c = {what, len, true};
    if (what && len)
        what[0] = '\0';
    cmp_table(&c, k8tls_plan_table, "", a, b);
    return c.same;
}

char *k8tls_plan_ca_common_name(const struct k8tls_plan *p)
{
    const char *cn = p->ca.subject.CN;
    if (cn && *cn)
        return strdup(cn);
    const char *name = p->cluster.name && *p->cluster.name ? p->cluster.name : "k8ssandra";
    /* a common name holds at most 64 characters: a long cluster name goes alone */
    static const char suffix[] = " root CA";
    size_t n = strlen(name);
    char *out = malloc(n + sizeof suffix);
    if (out)
        snprintf(out, n + sizeof suffix, "%s%s", name, n + strlen(suffix) <= 64 ? suffix : "");
    return out;
}

bool k8tls_plan_wants_mgmt_api(const struct k8tls_plan *p)
{
    return p->encryption.management_api.enabled;
}

bool k8tls_plan_wants_reaper_api(const struct k8tls_plan *p)
{
    return p->cluster.reaper.enabled && p->encryption.reaper.enabled;
}

bool k8tls_plan_wants_reaper_mgmt(const struct k8tls_plan *p)
{
    return p->cluster.reaper.enabled && p->encryption.management_api.enabled;
}

bool k8tls_plan_wants_medusa_grpc(const struct k8tls_plan *p)
{
    return p->cluster.medusa.enabled && p->encryption.medusa_grpc.enabled;
}
