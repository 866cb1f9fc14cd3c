/* The Cluster screen: the K8ssandraCluster to encrypt (names, datacenters, Stargate, Reaper,
 * Medusa backups). Calls the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    C_NAME, C_NS, C_TYPE, C_VERSION, C_SCLASS, C_SSIZE, C_DCS, C_SG, C_SG_SIZE, C_RP, C_RP_MODE,
    C_MD, C_MD_PROVIDER, C_MD_BUCKET, C_MD_SECRET
};
static void cluster_define(struct form *f)
{
    tui_field_key(f, "cluster.name", false);
    tui_field_key(f, "cluster.namespace", false);
    tui_field_key(f, "cluster.serverType", true);
    tui_field_key(f, "cluster.serverVersion", false);
    tui_field_key(f, "cluster.storageClass", false);
    tui_field_key(f, "cluster.storageSize", false);
    int i = tui_field_add(f, F_TEXT, N_("Datacenters"), "cluster.datacenters");
    tui_field_hint(f, i, N_("NAME:SIZE, or NAME:SIZE@CONTEXT for a datacenter in another kube context; "
                  "separate datacenters with commas."));
    tui_field_key(f, "cluster.stargate.enabled", true);
    tui_field_key(f, "cluster.stargate.size", false);
    tui_field_key(f, "cluster.reaper.enabled", true);
    tui_field_key(f, "cluster.reaper.deploymentMode", false);
    tui_field_key(f, "cluster.medusa.enabled", true);
    tui_field_key_text(f, "cluster.medusa.storageProvider");
    tui_field_key(f, "cluster.medusa.bucketName", false);
    tui_field_key(f, "cluster.medusa.storageSecret", false);
}

static char *dcs_text(const struct k8tls_plan *p)
{
    char *s = strdup("");
    for (size_t i = 0; s && i < p->cluster.n_dcs; i++) {
        const struct k8tls_dc *dc = &p->cluster.dcs[i];
        const char *ctx = dc->k8s_context ? dc->k8s_context : "";
        char *n = tui_fmt("%s%s%s:%d%s%s", s, i ? ", " : "", dc->name ? dc->name : "", dc->size,
                          *ctx ? "@" : "", ctx);
        free(s);
        s = n;
    }
    return s;
}

/* The server type the version field was last checked against. */
struct cluster_state {
    int type;
};

/* The bound fields are loaded by the engine; the datacenters are typed as one line. */
static void cluster_load(struct tui *t, struct form *f)
{
    struct cluster_state *st = tui_screen_priv(t, K8TLS_SCR_CLUSTER);
    if (st)
        st->type = (int)t->plan->cluster.server_type;
    char *d = dcs_text(t->plan);
    tui_field_set(f, C_DCS, d);
    free(d);
}

static void cluster_sync(struct tui *t, struct form *f)
{
    (void)t;
    f->f[C_SG_SIZE].hidden = !f->f[C_SG].choice;
    f->f[C_RP_MODE].hidden = !f->f[C_RP].choice;
    f->f[C_MD_PROVIDER].hidden = f->f[C_MD_BUCKET].hidden = f->f[C_MD_SECRET].hidden =
        !f->f[C_MD].choice;
}

/* "dc1:3, dc2:3@ctx" -> datacenters; returns 0 or 1 (error set when strict) */
static int store_dcs(struct k8tls_plan *p, struct form *f, bool strict)
{
    char *s = strdup(tui_field_val(f, C_DCS));
    if (!s)
        return 0;
    size_t n = 0;
    for (char *c = s; *c; c++)
        n += *c == ',';
    n++;
    struct k8tls_dc *v = calloc(n, sizeof *v);
    size_t k = 0;
    int bad = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); v && tok; tok = strtok_r(NULL, ",", &save)) {
        char *item = tui_trimmed(tok);
        if (!item)
            continue;
        if (!*item) {
            free(item);
            continue;
        }
        char *at = strchr(item, '@');
        char *colon = strchr(item, ':');
        if (at)
            *at = '\0';
        char *end = NULL;
        long size = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || colon == item || !end || end == colon + 1 || *end != '\0' || size > INT_MAX ||
            size < INT_MIN) {
            bad = 1;
            free(item);
            break;
        }
        *colon = '\0';
        v[k].name = tui_trimmed(item);
        v[k].size = (int)size;
        v[k].k8s_context = at ? tui_trimmed(at + 1) : strdup("");
        k++;
        free(item);
    }
    free(s);
    if (!v)
        return 0;
    if (bad || k == 0) {
        for (size_t i = 0; i < k; i++) {
            free(v[i].name);
            free(v[i].k8s_context);
        }
        free(v);
        if (strict)
            tui_field_error(f, C_DCS, _("expected NAME:SIZE or NAME:SIZE@CONTEXT, separated by "
                                        "commas (for example dc1:3, dc2:3@east)"));
        return strict ? 1 : 0;
    }
    if (k8tls_plan_set_dcs(p, k) == 0) {
        for (size_t i = 0; i < k; i++) {
            p->cluster.dcs[i].name = v[i].name;
            p->cluster.dcs[i].size = v[i].size;
            p->cluster.dcs[i].k8s_context = v[i].k8s_context;
        }
    } else {
        for (size_t i = 0; i < k; i++) {
            free(v[i].name);
            free(v[i].k8s_context);
        }
    }
    free(v);
    return 0;
}

/* A new server type keeps a version it supports; another one becomes that type's current
 * release (a version typed for the same type is left for validation to judge). */
static void follow_server_type(struct tui *t, struct form *f)
{
    struct k8tls_plan *p = t->plan;
    struct cluster_state *st = tui_screen_priv(t, K8TLS_SCR_CLUSTER);
    if (!st || st->type == (int)p->cluster.server_type)
        return;
    st->type = (int)p->cluster.server_type;
    if (k8tls_server_version_fits(p->cluster.server_type, p->cluster.server_version))
        return;
    const char *v = k8tls_server_default_version(p->cluster.server_type);
    char *c = strdup(v);
    if (!c)
        return;
    free(p->cluster.server_version);
    p->cluster.server_version = c;
    tui_field_set(f, C_VERSION, v);
}

static int cluster_store(struct tui *t, struct form *f, bool strict)
{
    follow_server_type(t, f);
    return store_dcs(t->plan, f, strict);
}

static void cluster_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    tui_screen_warnings(t, K8TLS_SCR_CLUSTER, lines, max, n);
}

const struct tui_screen tui_screen_cluster = {
    .private_size = sizeof(struct cluster_state),
    .intro = N_("The K8ssandraCluster to encrypt. Its names end up in the certificates."),
    .help = N_("The cluster name and namespace name the Kubernetes objects and the "
               "certificates' DNS names (<cluster>-<dc>-service.<namespace>.svc...). "
               "Datacenters are NAME:SIZE, with @CONTEXT for a datacenter in another kube "
               "context: the Secrets are needed in every context. Stargate is deprecated "
               "in the current CRD but still offered."),
    .define = cluster_define, .load = cluster_load, .sync = cluster_sync,
    .store = cluster_store, .notes = cluster_notes,
};
