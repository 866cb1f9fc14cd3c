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
static const char *const server_types[] = {"cassandra", "dse", "hcd"};
static const char *const reaper_modes[] = {"SINGLE", "PER_DC", "CONTROL_PLANE"};

static void cluster_define(struct form *f)
{
    tui_field_add(f, F_TEXT, N_("Cluster name"), "cluster.name");
    tui_field_add(f, F_TEXT, N_("Namespace"), "cluster.namespace");
    tui_field_choice(f, N_("Server type"), "cluster.serverType", server_types, 3, false);
    tui_field_add(f, F_TEXT, N_("Server version"), "cluster.serverVersion");
    tui_field_add(f, F_TEXT, N_("Storage class"), "cluster.storageClass");
    tui_field_add(f, F_TEXT, N_("Storage size"), "cluster.storageSize");
    int i = tui_field_add(f, F_TEXT, N_("Datacenters"), "cluster.datacenters");
    tui_field_hint(f, i, N_("NAME:SIZE, or NAME:SIZE@CONTEXT for a datacenter in another kube context; "
                  "separate datacenters with commas."));
    tui_field_yesno(f, N_("Stargate"), "cluster.stargate.enabled", true);
    tui_field_add(f, F_TEXT, N_("Stargate replicas"), "cluster.stargate.size");
    tui_field_yesno(f, N_("Reaper"), "cluster.reaper.enabled", true);
    tui_field_choice(f, N_("Reaper deployment"), "cluster.reaper.deploymentMode", reaper_modes, 3, false);
    tui_field_yesno(f, N_("Medusa backups"), "cluster.medusa.enabled", true);
    tui_field_add(f, F_TEXT, N_("Backup storage provider"), "cluster.medusa.storageProvider");
    tui_field_add(f, F_TEXT, N_("Bucket name"), "cluster.medusa.bucketName");
    tui_field_add(f, F_TEXT, N_("Bucket credentials Secret"), "cluster.medusa.storageSecret");
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

static void cluster_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    tui_field_set(f, C_NAME, p->cluster.name);
    tui_field_set(f, C_NS, p->cluster.namespace_);
    f->f[C_TYPE].choice = (int)p->cluster.server_type;
    tui_field_set(f, C_VERSION, p->cluster.server_version);
    tui_field_set(f, C_SCLASS, p->cluster.storage_class);
    tui_field_set(f, C_SSIZE, p->cluster.storage_size);
    char *d = dcs_text(p);
    tui_field_set(f, C_DCS, d);
    free(d);
    f->f[C_SG].choice = p->cluster.stargate.enabled;
    tui_field_set_int(f, C_SG_SIZE, p->cluster.stargate.size);
    f->f[C_RP].choice = p->cluster.reaper.enabled;
    f->f[C_RP_MODE].choice = 0;
    for (int i = 0; i < 3; i++)
        if (p->cluster.reaper.deployment_mode && strcmp(p->cluster.reaper.deployment_mode,
                                                        reaper_modes[i]) == 0)
            f->f[C_RP_MODE].choice = i;
    f->f[C_MD].choice = p->cluster.medusa.enabled;
    tui_field_set(f, C_MD_PROVIDER, p->cluster.medusa.storage_provider);
    tui_field_set(f, C_MD_BUCKET, p->cluster.medusa.bucket_name);
    tui_field_set(f, C_MD_SECRET, p->cluster.medusa.storage_secret);
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

static int cluster_store(struct tui *t, struct form *f, bool strict)
{
    struct k8tls_plan *p = t->plan;
    int errs = 0;
    tui_put_str(&p->cluster.name, f, C_NAME);
    tui_put_str(&p->cluster.namespace_, f, C_NS);
    p->cluster.server_type = (enum k8tls_server_type)f->f[C_TYPE].choice;
    tui_put_str(&p->cluster.server_version, f, C_VERSION);
    tui_put_str(&p->cluster.storage_class, f, C_SCLASS);
    tui_put_str(&p->cluster.storage_size, f, C_SSIZE);
    errs += store_dcs(p, f, strict);
    p->cluster.stargate.enabled = f->f[C_SG].choice;
    if (p->cluster.stargate.enabled)
        errs += tui_put_int(&p->cluster.stargate.size, f, C_SG_SIZE, strict);
    p->cluster.reaper.enabled = f->f[C_RP].choice;
    tui_set_str(&p->cluster.reaper.deployment_mode, reaper_modes[f->f[C_RP_MODE].choice]);
    p->cluster.medusa.enabled = f->f[C_MD].choice;
    if (p->cluster.medusa.enabled) {
        tui_put_str(&p->cluster.medusa.storage_provider, f, C_MD_PROVIDER);
        tui_put_str(&p->cluster.medusa.bucket_name, f, C_MD_BUCKET);
        tui_put_str(&p->cluster.medusa.storage_secret, f, C_MD_SECRET);
    }
    return errs;
}

static void cluster_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    tui_screen_warnings(t, K8TLS_SCR_CLUSTER, lines, max, n);
}

const struct tui_screen tui_screen_cluster = {
    .intro = N_("The K8ssandraCluster to encrypt. Its names end up in the certificates."),
    .help = N_("The cluster name and namespace name the Kubernetes objects and the "
               "certificates' DNS names (<cluster>-<dc>-service.<namespace>.svc...). "
               "Datacenters are NAME:SIZE, with @CONTEXT for a datacenter in another kube "
               "context: the Secrets are needed in every context. Stargate is deprecated "
               "in the current CRD but still offered."),
    .define = cluster_define, .load = cluster_load, .sync = cluster_sync,
    .store = cluster_store, .notes = cluster_notes,
};
