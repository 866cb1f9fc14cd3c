/* The subjectAltNames of a plan's node certificates (S5): localhost, 127.0.0.1, the cluster's
 * service names per datacenter and the extra SANs of the answers. Reads the plan; calls only
 * strv.c. */
#include "config.h"
#include "k8tls/pki.h"
#include "k8tls/strv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct strv {
    char **v;
    size_t n, cap;
    bool oom;
};

static void strv_add(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void strv_add(struct strv *sv, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    if (sv->oom)
        return;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof buf || len == 0)
        return;
    for (size_t i = 0; i < sv->n; i++)
        if (strcasecmp(sv->v[i], buf) == 0)
            return;
    if (sv->n + 2 > sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 32;
        char **nv = realloc(sv->v, cap * sizeof *nv);
        if (!nv) {
            sv->oom = true;
            return;
        }
        sv->v = nv;
        sv->cap = cap;
    }
    if (!(sv->v[sv->n] = strdup(buf))) {
        sv->oom = true;
        return;
    }
    sv->v[++sv->n] = NULL;
}

static bool nonempty(const char *s)
{
    return s && *s;
}

char **k8tls_pki_node_sans(const struct k8tls_plan *p)
{
    struct strv sv = { 0 };
    const char *c = p->cluster.name, *ns = p->cluster.namespace_;
    static const char *const suffixes[] = { "svc", "svc.cluster.local" };

    strv_add(&sv, "localhost");
    strv_add(&sv, "127.0.0.1");
    if (nonempty(c) && nonempty(ns)) {
        for (size_t i = 0; i < p->cluster.n_dcs; i++) {
            const char *dc = p->cluster.dcs[i].name;
            if (!nonempty(dc))
                continue;
            for (size_t s = 0; s < 2; s++) {
                strv_add(&sv, "%s-%s-service.%s.%s", c, dc, ns, suffixes[s]);
                strv_add(&sv, "%s-seed-service.%s.%s", c, ns, suffixes[s]);
                strv_add(&sv, "%s-%s-all-pods-service.%s.%s", c, dc, ns, suffixes[s]);
                strv_add(&sv, "*.%s-%s-all-pods-service.%s.%s", c, dc, ns, suffixes[s]);
            }
        }
    }
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        if (nonempty(p->certificates.extra_sans[i]))
            strv_add(&sv, "%s", p->certificates.extra_sans[i]);
    if (sv.oom || !sv.v) {
        k8tls_strv_free(sv.v);
        return NULL;
    }
    return sv.v;
}
