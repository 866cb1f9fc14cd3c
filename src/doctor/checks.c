/* The doctor's checks (doctor.h): each known trap becomes a finding with what it breaks and the
 * fix. Values of Secrets are read (stores opened, certificates parsed) but never copied into a
 * finding. */
#include "config.h"
#include "doctor.h"
#include "k8tls/crdcheck.h"
#include "k8tls/i18n.h"
#include "k8tls/yamlutil.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vfmt(const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    return strdup(buf);
}

void dr_add(struct dr_state *s, enum dr_sev sev, const char *code, const char *object,
            const char *key, const char *where, const char *breaks, const char *fix,
            const char *fmt, ...)
{
    struct dr_finding *nv = realloc(s->f, (s->nf + 1) * sizeof *nv);
    if (!nv)
        return;
    s->f = nv;
    struct dr_finding *f = &s->f[s->nf++];
    va_list ap;
    va_start(ap, fmt);
    f->what = vfmt(fmt, ap);
    va_end(ap);
    f->sev = sev;
    f->code = strdup(code);
    f->object = strdup(object);
    f->key = key ? strdup(key) : NULL;
    f->where = where ? strdup(where) : NULL;
    f->breaks = breaks ? strdup(breaks) : NULL;
    f->fix = fix ? strdup(fix) : NULL;
}

/* ---- K14: the manifest against the CRD ------------------------------------------------- */

static void check_crd(struct dr_state *s)
{
    char def[PATH_MAX];
    const char *path = s->crd_path;
    if (s->ncl == 0)
        return;
    if (!path) {
        if (!k8tls_crd_default_path(def, sizeof def)) {
            dr_add(s, DR_WARNING, "K14", "K8ssandraCluster", NULL, NULL, NULL,
                   _("k8tls-wizard doctor --crd FILE"), "%s",
                   _("the K8ssandraCluster CRD is not installed: the manifest was not validated"));
            return;
        }
        path = def;
    }
    struct k8tls_crd *crd = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_crd_load(path, &crd, &e) < 0) {
        char buf[2048];
        dr_add(s, DR_ERROR, "K14", "CustomResourceDefinition", NULL, path, NULL, NULL, "%s",
               k8tls_err_format(&e, buf, sizeof buf));
        return;
    }
    for (size_t i = 0; i < s->ncl; i++) {
        struct dr_cluster *c = &s->cl[i];
        struct k8tls_diags d;
        char obj[512], where[1024];
        k8tls_diags_init(&d);
        k8tls_crd_check(crd, &s->docs[c->doc], c->root, c->file, &d);
        snprintf(obj, sizeof obj, "K8ssandraCluster/%s", c->name);
        for (size_t j = 0; j < d.n; j++) {
            const struct k8tls_diag *g = &d.v[j];
            if (g->line)
                snprintf(where, sizeof where, "%s:%d:%d", c->file, g->line, g->col);
            else
                snprintf(where, sizeof where, "%s", c->file);
            bool err = g->sev == K8TLS_SEV_ERROR;
            dr_add(s, err ? DR_ERROR : DR_WARNING, "K14", obj, g->path, where,
                   err ? _("the API server refuses the manifest")
                       : _("the field has no effect: the operator never sees it"),
                   _("correct the field; the wizard's merge mode (cluster.manifest in an answers "
                     "file) writes the encryption parts for you"),
                   "%s", g->msg);
        }
        k8tls_diags_free(&d);
    }
    k8tls_crd_free(crd);
}

void dr_check_all(struct dr_state *s)
{
    check_crd(s);
}
