/* The wizard's form screens (SPEC §8): Welcome, Cluster, Encryption, CA, Server stores, Client
 * stores, Medusa certificate, Output. Each is data (its fields, with the answers key path that
 * diagnostics name) plus load (plan -> values), store (values -> plan) and checks. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/answers.h"
#include "k8tls/i18n.h"
#include "k8tls/output.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <pthread.h>

static const char *const yes_no[] = {N_("no"), N_("yes")};

/* ---- field helpers ---------------------------------------------------------------------- */

static int fld(struct form *f, enum fkind k, const char *label, const char *path)
{
    int i = f->n++;
    struct field *fd = &f->f[i];
    memset(fd, 0, sizeof *fd);
    fd->kind = k;
    fd->label = label;
    fd->path = path;
    fd->item = fd->label_item = -1;
    return i;
}

static int choice(struct form *f, const char *label, const char *path, const char *const *choices,
                  int n, bool relayout)
{
    int i = fld(f, F_CHOICE, label, path);
    f->f[i].choices = choices;
    f->f[i].n_choices = n;
    f->f[i].relayout = relayout;
    return i;
}

static int yesno(struct form *f, const char *label, const char *path, bool relayout)
{
    return choice(f, label, path, yes_no, 2, relayout);
}

static void hint(struct form *f, int i, const char *h)
{
    f->f[i].hint = h;
}

static void set_val(struct form *f, int i, const char *v)
{
    struct field *fd = &f->f[i];
    if (fd->value && fd->kind == F_PASSWORD)
        k8tls_secure_wipe_str(fd->value);
    tui_set_str(&fd->value, v ? v : "");
}

static void set_int(struct form *f, int i, long v)
{
    char b[32];
    snprintf(b, sizeof b, "%ld", v);
    set_val(f, i, b);
}

static const char *val(struct form *f, int i)
{
    return f->f[i].value ? f->f[i].value : "";
}

/* a trimmed copy */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

static void put_str(char **dst, struct form *f, int i)
{
    char *v = trimmed(val(f, i));
    if (!v)
        return;
    free(*dst);
    *dst = v;
}

/* an optional path: "" = NULL */
static void put_opt(char **dst, struct form *f, int i)
{
    char *v = trimmed(val(f, i));
    free(*dst);
    *dst = (v && *v) ? v : NULL;
    if (v && !*v)
        free(v);
}

static int put_int(int *dst, struct form *f, int i, bool strict)
{
    char *v = trimmed(val(f, i));
    char *end = NULL;
    errno = 0;
    long n = v ? strtol(v, &end, 10) : 0;
    bool ok = v && *v && end && *end == '\0' && errno == 0 && n >= INT_MIN && n <= INT_MAX;
    free(v);
    if (ok) {
        *dst = (int)n;
        return 0;
    }
    if (strict) {
        tui_field_error(f, i, _("expected a whole number"));
        return 1;
    }
    return 0;
}

static void put_password(struct k8tls_password *pw, struct form *f, int i)
{
    const char *v = val(f, i);
    if (pw->ref && strcmp(pw->ref, v) == 0)
        return;
    k8tls_secure_free_str(pw->ref);
    k8tls_secure_free_str(pw->value);
    pw->value = NULL;
    pw->ref = *v ? strdup(v) : NULL;
}

static bool readable_file(const char *path, char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = tui_fmt(_("%s: %s"), path, strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = tui_fmt(_("%s: not a regular file"), path);
        return false;
    }
    if (access(path, R_OK) != 0) {
        *why = tui_fmt(_("%s: %s"), path, strerror(errno));
        return false;
    }
    return true;
}

/* common notes: the validation warnings (and notes) of this screen */
static void warnings_for(struct tui *t, enum k8tls_screen s, char **lines, int max, int *n)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_validate(t->plan, &d);
    for (size_t k = 0; k < d.n && *n < max; k++) {
        const struct k8tls_diag *g = &d.v[k];
        if (g->sev == K8TLS_SEV_ERROR || k8tls_flow_screen_of_path(g->path) != s)
            continue;
        if (g->sev == K8TLS_SEV_WARNING) {
            char *m = tui_fmt(_("Warning: %s"), g->msg);
            lines[(*n)++] = tui_fmt("!W%s", m); /* "!W": the notes show it as a warning */
            free(m);
        } else {
            lines[(*n)++] = tui_fmt("%s", g->msg);
        }
    }
    k8tls_diags_free(&d);
}

void tui_replace_plan(struct tui *t, struct k8tls_plan *p)
{
    if (t->opts && t->opts->output && *t->opts->output) {
        free(p->output.directory);
        p->output.directory = strdup(t->opts->output);
    }
    k8tls_plan_free(t->plan);
    t->plan = p;
    t->plan_gen++;
    tui_keygen_reset(t->kg);
    tui_review_reset(t);
}

/* ---- Welcome ---------------------------------------------------------------------------- */

enum { W_MODE, W_FILE };
static const char *const welcome_modes[] = {
    N_("a new K8ssandraCluster manifest"),
    N_("add encryption to an existing manifest"),
    N_("load an answers file"),
    N_("renew or rotate certificates"),
};

static void welcome_define(struct form *f)
{
    choice(f, N_("Start from"), NULL, welcome_modes, 4, true);
    int i = fld(f, F_PATH, N_("File"), "cluster.manifest");
    hint(f, i, N_("Type a path, or choose Browse to pick the file."));
}

/* the path follows the choice at once (the step count in the title too) */
static int welcome_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    enum k8tls_flow_path kind = f->f[W_MODE].choice == 3 ? K8TLS_PATH_ROTATE : K8TLS_PATH_WIZARD;
    if (kind != t->path) {
        t->path = kind;
        tui_review_reset(t); /* the other path's bundle */
    }
    return 0;
}

static void welcome_load(struct tui *t, struct form *f)
{
    f->f[W_MODE].choice = t->path == K8TLS_PATH_ROTATE ? 3 : t->welcome_mode;
    set_val(f, W_FILE, t->welcome_path ? t->welcome_path : "");
}

static void welcome_sync(struct tui *t, struct form *f)
{
    (void)t;
    f->f[W_FILE].hidden = f->f[W_MODE].choice == 0 || f->f[W_MODE].choice == 3;
    f->f[W_FILE].label = f->f[W_MODE].choice == 1 ? N_("Manifest file") : N_("Answers file");
    f->f[W_FILE].path = f->f[W_MODE].choice == 1 ? "cluster.manifest" : NULL;
}

static int welcome_check(struct tui *t, struct form *f)
{
    int mode = f->f[W_MODE].choice;
    welcome_store(t, f, true);
    if (mode == 3)
        return 0;
    char *path = trimmed(val(f, W_FILE));
    int errs = 0;
    if (!path)
        return 1;
    bool same = mode == t->welcome_mode && t->welcome_path && strcmp(path, t->welcome_path) == 0;
    if (mode == 0) {
        if (t->welcome_mode == 2) {
            struct k8tls_plan *p = k8tls_plan_new_defaults();
            if (p)
                tui_replace_plan(t, p);
        } else if (t->welcome_mode == 1) {
            free(t->plan->cluster.manifest);
            t->plan->cluster.manifest = strdup("");
            t->plan_gen++;
        }
        t->welcome_mode = 0;
        free(path);
        return 0;
    }
    if (same) {
        free(path);
        return 0;
    }
    char *why = NULL;
    if (!*path) {
        tui_field_error(f, W_FILE, _("give the path of the file"));
        free(path);
        return 1;
    }
    if (!readable_file(path, &why)) {
        tui_field_error(f, W_FILE, why);
        free(why);
        free(path);
        return 1;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (mode == 2) {
        struct k8tls_plan *p = k8tls_answers_load(path, &d);
        if (!p || k8tls_diags_count(&d, K8TLS_SEV_ERROR) > 0) {
            char buf[1200];
            for (size_t k = 0; k < d.n; k++)
                if (d.v[k].sev == K8TLS_SEV_ERROR) {
                    tui_field_error(f, W_FILE, k8tls_diag_format(&d.v[k], buf, sizeof buf));
                    errs++;
                    break;
                }
            if (!errs) {
                tui_field_error(f, W_FILE, _("cannot load the answers file"));
                errs = 1;
            }
            k8tls_plan_free(p);
        } else {
            tui_replace_plan(t, p);
            if (t->plan->cluster.manifest && *t->plan->cluster.manifest) {
                struct k8tls_diags d2;
                k8tls_diags_init(&d2);
                if (k8tls_bundle_adopt_manifest(t->plan, &d2) < 0)
                    errs += tui_attach_diags(t, K8TLS_SCR_WELCOME, &d2, true);
                k8tls_diags_free(&d2);
            }
        }
    } else {
        if (t->welcome_mode == 2) {
            struct k8tls_plan *p = k8tls_plan_new_defaults();
            if (p)
                tui_replace_plan(t, p);
        }
        free(t->plan->cluster.manifest);
        t->plan->cluster.manifest = strdup(path);
        if (k8tls_bundle_adopt_manifest(t->plan, &d) < 0) {
            char buf[1200];
            for (size_t k = 0; k < d.n; k++)
                if (d.v[k].sev == K8TLS_SEV_ERROR) {
                    tui_field_error(f, W_FILE, k8tls_diag_format(&d.v[k], buf, sizeof buf));
                    errs++;
                    break;
                }
            if (!errs) {
                tui_field_error(f, W_FILE, _("cannot read the manifest"));
                errs = 1;
            }
            free(t->plan->cluster.manifest);
            t->plan->cluster.manifest = strdup("");
        } else {
            t->plan_gen++;
            tui_keygen_reset(t->kg);
        }
    }
    k8tls_diags_free(&d);
    if (!errs) {
        t->welcome_mode = mode;
        tui_set_str(&t->welcome_path, path);
        /* the Welcome form itself stays as typed */
        t->forms[K8TLS_SCR_WELCOME].gen = t->plan_gen;
    }
    free(path);
    return errs;
}

void tui_welcome_preset(struct tui *t, const char *answers)
{
    struct form *f = &t->forms[K8TLS_SCR_WELCOME];
    f->f[W_MODE].choice = 2;
    set_val(f, W_FILE, answers);
    welcome_sync(t, f);
}

static void welcome_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)t;
    if (*n < max && f->f[W_MODE].choice == 1)
        lines[(*n)++] = strdup(_("The manifest keeps everything it has; the wizard sets or replaces "
                                 "only its encryption parts, and shows what changed on Review."));
    if (*n < max && f->f[W_MODE].choice == 3)
        lines[(*n)++] = strdup(_("Renews the certificates of a bundle written earlier (or of the "
                                 "Secrets in a kube context), or rotates its CA without downtime "
                                 "in three phases: the next steps show what is there and what is "
                                 "due."));
}

/* ---- Cluster ---------------------------------------------------------------------------- */

enum {
    C_NAME, C_NS, C_TYPE, C_VERSION, C_SCLASS, C_SSIZE, C_DCS, C_SG, C_SG_SIZE, C_RP, C_RP_MODE,
    C_MD, C_MD_PROVIDER, C_MD_BUCKET, C_MD_SECRET
};
static const char *const server_types[] = {"cassandra", "dse", "hcd"};
static const char *const reaper_modes[] = {"SINGLE", "PER_DC", "CONTROL_PLANE"};

static void cluster_define(struct form *f)
{
    fld(f, F_TEXT, N_("Cluster name"), "cluster.name");
    fld(f, F_TEXT, N_("Namespace"), "cluster.namespace");
    choice(f, N_("Server type"), "cluster.serverType", server_types, 3, false);
    fld(f, F_TEXT, N_("Server version"), "cluster.serverVersion");
    fld(f, F_TEXT, N_("Storage class"), "cluster.storageClass");
    fld(f, F_TEXT, N_("Storage size"), "cluster.storageSize");
    int i = fld(f, F_TEXT, N_("Datacenters"), "cluster.datacenters");
    hint(f, i, N_("NAME:SIZE, or NAME:SIZE@CONTEXT for a datacenter in another kube context; "
                  "separate datacenters with commas."));
    yesno(f, N_("Stargate"), "cluster.stargate.enabled", true);
    fld(f, F_TEXT, N_("Stargate replicas"), "cluster.stargate.size");
    yesno(f, N_("Reaper"), "cluster.reaper.enabled", true);
    choice(f, N_("Reaper deployment"), "cluster.reaper.deploymentMode", reaper_modes, 3, false);
    yesno(f, N_("Medusa backups"), "cluster.medusa.enabled", true);
    fld(f, F_TEXT, N_("Backup storage provider"), "cluster.medusa.storageProvider");
    fld(f, F_TEXT, N_("Bucket name"), "cluster.medusa.bucketName");
    fld(f, F_TEXT, N_("Bucket credentials Secret"), "cluster.medusa.storageSecret");
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
    set_val(f, C_NAME, p->cluster.name);
    set_val(f, C_NS, p->cluster.namespace_);
    f->f[C_TYPE].choice = (int)p->cluster.server_type;
    set_val(f, C_VERSION, p->cluster.server_version);
    set_val(f, C_SCLASS, p->cluster.storage_class);
    set_val(f, C_SSIZE, p->cluster.storage_size);
    char *d = dcs_text(p);
    set_val(f, C_DCS, d);
    free(d);
    f->f[C_SG].choice = p->cluster.stargate.enabled;
    set_int(f, C_SG_SIZE, p->cluster.stargate.size);
    f->f[C_RP].choice = p->cluster.reaper.enabled;
    f->f[C_RP_MODE].choice = 0;
    for (int i = 0; i < 3; i++)
        if (p->cluster.reaper.deployment_mode && strcmp(p->cluster.reaper.deployment_mode,
                                                        reaper_modes[i]) == 0)
            f->f[C_RP_MODE].choice = i;
    f->f[C_MD].choice = p->cluster.medusa.enabled;
    set_val(f, C_MD_PROVIDER, p->cluster.medusa.storage_provider);
    set_val(f, C_MD_BUCKET, p->cluster.medusa.bucket_name);
    set_val(f, C_MD_SECRET, p->cluster.medusa.storage_secret);
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
    char *s = strdup(val(f, C_DCS));
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
        char *item = trimmed(tok);
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
        v[k].name = trimmed(item);
        v[k].size = (int)size;
        v[k].k8s_context = at ? trimmed(at + 1) : strdup("");
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
    put_str(&p->cluster.name, f, C_NAME);
    put_str(&p->cluster.namespace_, f, C_NS);
    p->cluster.server_type = (enum k8tls_server_type)f->f[C_TYPE].choice;
    put_str(&p->cluster.server_version, f, C_VERSION);
    put_str(&p->cluster.storage_class, f, C_SCLASS);
    put_str(&p->cluster.storage_size, f, C_SSIZE);
    errs += store_dcs(p, f, strict);
    p->cluster.stargate.enabled = f->f[C_SG].choice;
    if (p->cluster.stargate.enabled)
        errs += put_int(&p->cluster.stargate.size, f, C_SG_SIZE, strict);
    p->cluster.reaper.enabled = f->f[C_RP].choice;
    tui_set_str(&p->cluster.reaper.deployment_mode, reaper_modes[f->f[C_RP_MODE].choice]);
    p->cluster.medusa.enabled = f->f[C_MD].choice;
    if (p->cluster.medusa.enabled) {
        put_str(&p->cluster.medusa.storage_provider, f, C_MD_PROVIDER);
        put_str(&p->cluster.medusa.bucket_name, f, C_MD_BUCKET);
        put_str(&p->cluster.medusa.storage_secret, f, C_MD_SECRET);
    }
    return errs;
}

static void cluster_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    warnings_for(t, K8TLS_SCR_CLUSTER, lines, max, n);
}

/* ---- Encryption ------------------------------------------------------------------------- */

enum { E_MODE, E_IN_AUTH, E_IN_EPV, E_CLIENT, E_CL_OPT, E_CL_AUTH, E_MEDUSA, E_FORMAT, E_PROFILE };
static const char *const internode_modes[] = {N_("none"), "dc", "rack", "all"};
static const char *const formats[] = {"PKCS12", "JKS"};
static const char *const profiles[] = {N_("modern (AES-256, SHA-256)"),
                                       N_("legacy (3DES, SHA-1: old Java 8)")};

static void encryption_define(struct form *f)
{
    int i = choice(f, N_("Internode encryption"), "encryption.internode.mode", internode_modes, 4,
                   true);
    hint(f, i, N_("Between Cassandra nodes: none, within a datacenter (dc), within a rack (rack) "
                  "or everywhere (all)."));
    yesno(f, N_("Nodes prove who they are"), "encryption.internode.requireClientAuth", false);
    yesno(f, N_("Check node host names"), "encryption.internode.requireEndpointVerification",
          false);
    yesno(f, N_("Client encryption (CQL)"), "encryption.client.enabled", true);
    yesno(f, N_("Plain clients still allowed"), "encryption.client.optional", false);
    yesno(f, N_("Clients need a certificate"), "encryption.client.requireClientAuth", false);
    yesno(f, N_("Medusa client certificate"), "encryption.medusa.enabled", false);
    choice(f, N_("Store format"), "stores.format", formats, 2, true);
    choice(f, N_("PKCS12 encryption"), "stores.pkcs12Profile", profiles, 2, false);
}

static void encryption_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    f->f[E_MODE].choice = (int)p->encryption.internode.mode;
    f->f[E_IN_AUTH].choice = p->encryption.internode.require_client_auth;
    f->f[E_IN_EPV].choice = p->encryption.internode.require_endpoint_verification;
    f->f[E_CLIENT].choice = p->encryption.client.enabled;
    f->f[E_CL_OPT].choice = p->encryption.client.optional;
    f->f[E_CL_AUTH].choice = p->encryption.client.require_client_auth;
    f->f[E_MEDUSA].choice = p->encryption.medusa.enabled || !p->encryption.client.enabled;
    f->f[E_FORMAT].choice = (int)p->stores.format;
    f->f[E_PROFILE].choice = (int)p->stores.p12_profile;
}

static void encryption_sync(struct tui *t, struct form *f)
{
    bool in = f->f[E_MODE].choice != K8TLS_INTERNODE_NONE;
    bool cl = f->f[E_CLIENT].choice;
    f->f[E_IN_AUTH].hidden = f->f[E_IN_EPV].hidden = !in;
    f->f[E_CL_OPT].hidden = f->f[E_CL_AUTH].hidden = !cl;
    f->f[E_MEDUSA].hidden = !(cl && t->plan->cluster.medusa.enabled);
    f->f[E_FORMAT].hidden = !(in || cl);
    f->f[E_PROFILE].hidden = !(in || cl) || f->f[E_FORMAT].choice != K8TLS_FORMAT_PKCS12;
}

static int encryption_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    struct k8tls_plan *p = t->plan;
    p->encryption.internode.mode = (enum k8tls_internode_mode)f->f[E_MODE].choice;
    p->encryption.internode.require_client_auth = f->f[E_IN_AUTH].choice;
    p->encryption.internode.require_endpoint_verification = f->f[E_IN_EPV].choice;
    p->encryption.client.enabled = f->f[E_CLIENT].choice;
    p->encryption.client.optional = f->f[E_CL_OPT].choice;
    p->encryption.client.require_client_auth = f->f[E_CL_AUTH].choice;
    /* the Medusa certificate needs client encryption (K8): off with it; the choice shown comes
     * back when client encryption does */
    p->encryption.medusa.enabled = f->f[E_MEDUSA].choice && p->encryption.client.enabled;
    p->stores.format = (enum k8tls_store_format)f->f[E_FORMAT].choice;
    p->stores.p12_profile = (enum k8tls_p12_profile)f->f[E_PROFILE].choice;
    /* client stores cannot reuse server stores that are not made */
    if (p->stores.client.source == K8TLS_SOURCE_REUSE && !k8tls_plan_wants_server_stores(p))
        p->stores.client.source = K8TLS_SOURCE_GENERATE;
    return 0;
}

static void encryption_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    const struct k8tls_plan *p = t->plan;
    (void)f;
    /* K12 (mTLS bypass with dc/rack) comes from the validation, live */
    warnings_for(t, K8TLS_SCR_ENCRYPTION, lines, max, n);
    if (*n < max && p->cluster.manifest && *p->cluster.manifest)
        lines[(*n)++] = tui_fmt(_("Adding encryption to %s in namespace %s, as %s says "
                                  "(datacenters: %zu)."),
                                p->cluster.name ? p->cluster.name : "?",
                                p->cluster.namespace_ ? p->cluster.namespace_ : "?",
                                p->cluster.manifest, p->cluster.n_dcs);
    if (*n < max && p->encryption.client.enabled)
        lines[(*n)++] = strdup(_("Note: client encryption also turns on JMX over TLS with client "
                                 "certificates: nodetool then needs --ssl and the client stores "
                                 "(NEXT-STEPS.md says how)."));
}

/* ---- CA --------------------------------------------------------------------------------- */

enum {
    A_SOURCE, A_C, A_ST, A_L, A_O, A_OU, A_CN, A_EMAIL, A_ALG, A_SIZE, A_CURVE, A_VALIDITY,
    A_CERT, A_KEY, A_KEYPW, A_LEAF_VALIDITY, A_SANS
};
static const char *const gen_imp[] = {N_("generate a new one"), N_("import an existing one")};
static const char *const algs[] = {"RSA", "ECDSA"};
static const char *const rsa_sizes[] = {"2048", "3072", "4096"};
static const char *const curves[] = {"P-256", "P-384"};

static void ca_define(struct form *f)
{
    choice(f, N_("Root CA"), "ca.source", gen_imp, 2, true);
    fld(f, F_TEXT, N_("Country (C)"), "ca.subject.C");
    fld(f, F_TEXT, N_("State (ST)"), "ca.subject.ST");
    fld(f, F_TEXT, N_("Locality (L)"), "ca.subject.L");
    fld(f, F_TEXT, N_("Organization (O)"), "ca.subject.O");
    fld(f, F_TEXT, N_("Organizational unit (OU)"), "ca.subject.OU");
    fld(f, F_TEXT, N_("Common name (CN)"), "ca.subject.CN");
    fld(f, F_TEXT, N_("E-mail address"), "ca.subject.emailAddress");
    choice(f, N_("Key algorithm"), "ca.key.algorithm", algs, 2, true);
    choice(f, N_("RSA key size"), "ca.key.size", rsa_sizes, 3, false);
    choice(f, N_("ECDSA curve"), "ca.key.curve", curves, 2, false);
    fld(f, F_TEXT, N_("CA validity (days)"), "ca.validityDays");
    fld(f, F_PATH, N_("CA certificate (PEM)"), "ca.import.cert");
    fld(f, F_PATH, N_("CA private key (PEM)"), "ca.import.key");
    int i = fld(f, F_PASSWORD, N_("CA key password"), "ca.import.keyPassword");
    hint(f, i, N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                  "environment or a file."));
    fld(f, F_TEXT, N_("Node cert. validity (days)"), "certificates.validityDays");
    i = fld(f, F_TEXT, N_("Extra SANs"), "certificates.extraSANs");
    hint(f, i, N_("More DNS names or IP addresses for the node certificates, separated by commas "
                  "(the cluster's service names are always there)."));
}

static void ca_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    const struct k8tls_subject *s = &p->ca.subject;
    f->f[A_SOURCE].choice = p->ca.source == K8TLS_SOURCE_IMPORT;
    set_val(f, A_C, s->C);
    set_val(f, A_ST, s->ST);
    set_val(f, A_L, s->L);
    set_val(f, A_O, s->O);
    set_val(f, A_OU, s->OU);
    set_val(f, A_CN, s->CN);
    set_val(f, A_EMAIL, s->emailAddress);
    f->f[A_ALG].choice = p->ca.key.alg == K8TLS_KEY_ECDSA;
    f->f[A_SIZE].choice = p->ca.key.bits == 2048 ? 0 : p->ca.key.bits == 4096 ? 2 : 1;
    f->f[A_CURVE].choice = p->ca.key.curve == K8TLS_CURVE_P384;
    set_int(f, A_VALIDITY, p->ca.validity_days);
    set_val(f, A_CERT, p->ca.import_cert);
    set_val(f, A_KEY, p->ca.import_key);
    set_val(f, A_KEYPW, p->ca.import_key_password.ref);
    set_int(f, A_LEAF_VALIDITY, p->certificates.validity_days);
    char *sans = strdup("");
    for (size_t i = 0; sans && i < p->certificates.n_extra_sans; i++) {
        char *n = tui_fmt("%s%s%s", sans, i ? ", " : "", p->certificates.extra_sans[i]);
        free(sans);
        sans = n;
    }
    set_val(f, A_SANS, sans);
    free(sans);
}

static void ca_sync(struct tui *t, struct form *f)
{
    (void)t;
    bool imp = f->f[A_SOURCE].choice == 1;
    for (int i = A_C; i <= A_VALIDITY; i++)
        f->f[i].hidden = imp;
    if (!imp) {
        f->f[A_SIZE].hidden = f->f[A_ALG].choice != 0;
        f->f[A_CURVE].hidden = f->f[A_ALG].choice != 1;
    }
    f->f[A_CERT].hidden = f->f[A_KEY].hidden = f->f[A_KEYPW].hidden = !imp;
}

static void store_sans(struct k8tls_plan *p, struct form *f)
{
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        free(p->certificates.extra_sans[i]);
    free(p->certificates.extra_sans);
    p->certificates.extra_sans = NULL;
    p->certificates.n_extra_sans = 0;
    char *s = strdup(val(f, A_SANS));
    if (!s)
        return;
    size_t cap = 1;
    for (char *c = s; *c; c++)
        cap += *c == ',' || *c == ' ';
    char **v = calloc(cap, sizeof *v);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ", \t", &save); v && tok; tok = strtok_r(NULL, ", \t", &save))
        if (*tok && n < cap)
            v[n++] = strdup(tok);
    free(s);
    p->certificates.extra_sans = v;
    p->certificates.n_extra_sans = v ? n : 0;
}

static int ca_store(struct tui *t, struct form *f, bool strict)
{
    struct k8tls_plan *p = t->plan;
    struct k8tls_subject *s = &p->ca.subject;
    int errs = 0;
    p->ca.source = f->f[A_SOURCE].choice ? K8TLS_SOURCE_IMPORT : K8TLS_SOURCE_GENERATE;
    if (p->ca.source == K8TLS_SOURCE_GENERATE) {
        put_str(&s->C, f, A_C);
        put_str(&s->ST, f, A_ST);
        put_str(&s->L, f, A_L);
        put_str(&s->O, f, A_O);
        put_str(&s->OU, f, A_OU);
        put_str(&s->CN, f, A_CN);
        put_str(&s->emailAddress, f, A_EMAIL);
        p->ca.key.set = true;
        p->ca.key.alg = f->f[A_ALG].choice ? K8TLS_KEY_ECDSA : K8TLS_KEY_RSA;
        p->ca.key.bits = atoi(rsa_sizes[f->f[A_SIZE].choice]);
        p->ca.key.curve = f->f[A_CURVE].choice ? K8TLS_CURVE_P384 : K8TLS_CURVE_P256;
        errs += put_int(&p->ca.validity_days, f, A_VALIDITY, strict);
    } else {
        put_opt(&p->ca.import_cert, f, A_CERT);
        put_opt(&p->ca.import_key, f, A_KEY);
        put_password(&p->ca.import_key_password, f, A_KEYPW);
    }
    errs += put_int(&p->certificates.validity_days, f, A_LEAF_VALIDITY, strict);
    store_sans(p, f);
    return errs;
}

/* Imports are checked on Next (S8: before anything is written), on a copy of the plan whose
 * password references are resolved. */
static struct k8tls_plan *resolved_copy(struct tui *t, enum k8tls_screen s, int *errs)
{
    struct k8tls_plan *c = k8tls_plan_dup(t->plan);
    if (!c) {
        tui_field_error(&t->forms[s], -1, _("out of memory"));
        (*errs)++;
        return NULL;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_resolve(c, &d);
    int e = tui_attach_diags(t, s, &d, false);
    k8tls_diags_free(&d);
    if (e) {
        *errs += e;
        k8tls_plan_free(c);
        return NULL;
    }
    return c;
}

static int ca_check(struct tui *t, struct form *f)
{
    (void)f;
    if (t->plan->ca.source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = resolved_copy(t, K8TLS_SCR_CA, &errs);
    if (!c)
        return errs;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (k8tls_import_ca(c, &cert, &key, &d) < 0 && k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, "ca.import", "%s",
                        _("the CA cannot be imported"));
    errs += tui_attach_diags(t, K8TLS_SCR_CA, &d, true);
    k8tls_diags_free(&d);
    X509_free(cert);
    EVP_PKEY_free(key);
    k8tls_plan_free(c);
    return errs;
}

static void ca_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    warnings_for(t, K8TLS_SCR_CA, lines, max, n);
    if (*n < max && f->f[A_SOURCE].choice == 0 && f->f[A_ALG].choice == 0)
        lines[(*n)++] = strdup(_("RSA keys take a second or two each: they are made in the "
                                 "background while you go on."));
}

/* ---- Server and client stores ----------------------------------------------------------- */

enum { S_SOURCE, S_SECRET, S_KS_PW, S_TS_PW, S_KS, S_KS_IPW, S_TS, S_TS_IPW };
static const char *const store_sources[] = {N_("generate new stores"), N_("import existing stores"),
                                            N_("reuse the server stores")};

static void stores_define(struct form *f, const char *which)
{
    static char paths[2][8][64];
    int w = strcmp(which, "server") == 0 ? 0 : 1;
    const char *suffix[8] = {"source", "secretName", "keystorePassword", "truststorePassword",
                             "import.keystore", "import.keystorePassword", "import.truststore",
                             "import.truststorePassword"};
    for (int i = 0; i < 8; i++)
        snprintf(paths[w][i], sizeof paths[w][i], "stores.%s.%s", which, suffix[i]);
    choice(f, N_("Stores"), paths[w][0], store_sources, w == 0 ? 2 : 3, true);
    fld(f, F_TEXT, N_("Secret name"), paths[w][1]);
    int i = fld(f, F_PASSWORD, N_("Keystore password"), paths[w][2]);
    hint(f, i, N_("Empty: a strong password is generated. env:NAME or file:PATH read it from the "
                  "environment or a file."));
    i = fld(f, F_PASSWORD, N_("Truststore password"), paths[w][3]);
    hint(f, i, N_("Empty: a strong password is generated. env:NAME or file:PATH read it from the "
                  "environment or a file."));
    fld(f, F_PATH, N_("Keystore file"), paths[w][4]);
    i = fld(f, F_PASSWORD, N_("Keystore password"), paths[w][5]);
    hint(f, i, N_("The password that opens the keystore; env:NAME or file:PATH read it from the "
                  "environment or a file."));
    fld(f, F_PATH, N_("Truststore file"), paths[w][6]);
    i = fld(f, F_PASSWORD, N_("Truststore password"), paths[w][7]);
    hint(f, i, N_("The password that opens the truststore; env:NAME or file:PATH read it from "
                  "the environment or a file."));
}

static void server_define(struct form *f)
{
    stores_define(f, "server");
}

static void client_define(struct form *f)
{
    stores_define(f, "client");
}

static struct k8tls_store_set *set_of(struct tui *t, enum k8tls_screen s)
{
    return s == K8TLS_SCR_SERVER_STORES ? &t->plan->stores.server : &t->plan->stores.client;
}

static void stores_load(struct tui *t, struct form *f, enum k8tls_screen s)
{
    const struct k8tls_store_set *ss = set_of(t, s);
    f->f[S_SOURCE].choice = (int)ss->source;
    set_val(f, S_SECRET, ss->secret_name);
    bool imp = ss->source == K8TLS_SOURCE_IMPORT;
    set_val(f, S_KS_PW, imp ? NULL : ss->keystore_password.ref);
    set_val(f, S_TS_PW, imp ? NULL : ss->truststore_password.ref);
    set_val(f, S_KS, ss->keystore_path);
    set_val(f, S_KS_IPW, imp ? ss->keystore_password.ref : NULL);
    set_val(f, S_TS, ss->truststore_path);
    set_val(f, S_TS_IPW, imp ? ss->truststore_password.ref : NULL);
}

static void server_load(struct tui *t, struct form *f)
{
    stores_load(t, f, K8TLS_SCR_SERVER_STORES);
}

static void client_load(struct tui *t, struct form *f)
{
    stores_load(t, f, K8TLS_SCR_CLIENT_STORES);
}

static void stores_sync(struct tui *t, struct form *f, enum k8tls_screen s)
{
    if (s == K8TLS_SCR_CLIENT_STORES)
        f->f[S_SOURCE].n_choices = k8tls_plan_wants_server_stores(t->plan) ? 3 : 2;
    if (f->f[S_SOURCE].choice >= f->f[S_SOURCE].n_choices)
        f->f[S_SOURCE].choice = 0;
    int src = f->f[S_SOURCE].choice;
    f->f[S_SECRET].hidden = src == K8TLS_SOURCE_REUSE;
    f->f[S_KS_PW].hidden = f->f[S_TS_PW].hidden = src != K8TLS_SOURCE_GENERATE;
    f->f[S_KS].hidden = f->f[S_KS_IPW].hidden = f->f[S_TS].hidden = f->f[S_TS_IPW].hidden =
        src != K8TLS_SOURCE_IMPORT;
}

static void server_sync(struct tui *t, struct form *f)
{
    stores_sync(t, f, K8TLS_SCR_SERVER_STORES);
}

static void client_sync(struct tui *t, struct form *f)
{
    stores_sync(t, f, K8TLS_SCR_CLIENT_STORES);
}

static int stores_store(struct tui *t, struct form *f, enum k8tls_screen s)
{
    struct k8tls_store_set *ss = set_of(t, s);
    ss->source = (enum k8tls_source)f->f[S_SOURCE].choice;
    if (ss->source != K8TLS_SOURCE_REUSE)
        put_str(&ss->secret_name, f, S_SECRET);
    if (ss->source == K8TLS_SOURCE_GENERATE) {
        put_password(&ss->keystore_password, f, S_KS_PW);
        put_password(&ss->truststore_password, f, S_TS_PW);
    } else if (ss->source == K8TLS_SOURCE_IMPORT) {
        put_opt(&ss->keystore_path, f, S_KS);
        put_opt(&ss->truststore_path, f, S_TS);
        put_password(&ss->keystore_password, f, S_KS_IPW);
        put_password(&ss->truststore_password, f, S_TS_IPW);
    }
    return 0;
}

static int server_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    return stores_store(t, f, K8TLS_SCR_SERVER_STORES);
}

static int client_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    return stores_store(t, f, K8TLS_SCR_CLIENT_STORES);
}

static int stores_check(struct tui *t, enum k8tls_screen s)
{
    struct k8tls_store_set *ss = set_of(t, s);
    if (ss->source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = resolved_copy(t, s, &errs);
    if (!c)
        return errs;
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    const struct k8tls_store_set *cs = s == K8TLS_SCR_SERVER_STORES ? &c->stores.server
                                                                    : &c->stores.client;
    const char *label = s == K8TLS_SCR_SERVER_STORES ? "server" : "client";
    if (m && k8tls_import_store_pair(c, cs, label, &m->server, &d) < 0 &&
        k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the stores cannot be imported"));
    errs += tui_attach_diags(t, s, &d, true);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(c);
    return errs;
}

static int server_check(struct tui *t, struct form *f)
{
    (void)f;
    return stores_check(t, K8TLS_SCR_SERVER_STORES);
}

static int client_check(struct tui *t, struct form *f)
{
    (void)f;
    return stores_check(t, K8TLS_SCR_CLIENT_STORES);
}

static void server_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    warnings_for(t, K8TLS_SCR_SERVER_STORES, lines, max, n);
    if (*n < max)
        lines[(*n)++] = strdup(_("Internode encryption: every node gets a keystore (its key and "
                                 "certificate, signed by the CA) and a truststore (the CA)."));
}

static void client_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    warnings_for(t, K8TLS_SCR_CLIENT_STORES, lines, max, n);
    if (*n < max && f->f[S_SOURCE].choice == K8TLS_SOURCE_REUSE)
        lines[(*n)++] = strdup(_("The cluster's clientEncryptionStores will name the server "
                                 "stores' Secret: one pair of stores for both."));
    else if (*n < max)
        lines[(*n)++] = strdup(_("Client encryption (CQL and JMX): these stores serve clients; "
                                 "Reaper and nodetool use them too."));
}

/* ---- Medusa ----------------------------------------------------------------------------- */

enum { M_SOURCE, M_SECRET, M_CA, M_CERT, M_KEY };
static const char *const medusa_sources[] = {N_("generate, signed by the CA"),
                                             N_("import existing PEM files")};

static void medusa_define(struct form *f)
{
    choice(f, N_("Certificate"), "encryption.medusa.source", medusa_sources, 2, true);
    fld(f, F_TEXT, N_("Secret name"), "encryption.medusa.secretName");
    fld(f, F_PATH, N_("CA certificate"), "encryption.medusa.import.ca");
    fld(f, F_PATH, N_("Client certificate"), "encryption.medusa.import.cert");
    int i = fld(f, F_PATH, N_("Client key"), "encryption.medusa.import.key");
    hint(f, i, N_("The client's private key, PEM, not encrypted (Medusa reads it without a "
                  "password)."));
}

static void medusa_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    f->f[M_SOURCE].choice = p->encryption.medusa.source == K8TLS_SOURCE_IMPORT;
    set_val(f, M_SECRET, p->encryption.medusa.secret_name);
    set_val(f, M_CA, p->encryption.medusa.import_ca);
    set_val(f, M_CERT, p->encryption.medusa.import_cert);
    set_val(f, M_KEY, p->encryption.medusa.import_key);
}

static void medusa_sync(struct tui *t, struct form *f)
{
    (void)t;
    bool imp = f->f[M_SOURCE].choice == 1;
    f->f[M_CA].hidden = f->f[M_CERT].hidden = f->f[M_KEY].hidden = !imp;
}

static int medusa_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    struct k8tls_plan *p = t->plan;
    p->encryption.medusa.source = f->f[M_SOURCE].choice ? K8TLS_SOURCE_IMPORT
                                                        : K8TLS_SOURCE_GENERATE;
    put_str(&p->encryption.medusa.secret_name, f, M_SECRET);
    if (p->encryption.medusa.source == K8TLS_SOURCE_IMPORT) {
        put_opt(&p->encryption.medusa.import_ca, f, M_CA);
        put_opt(&p->encryption.medusa.import_cert, f, M_CERT);
        put_opt(&p->encryption.medusa.import_key, f, M_KEY);
    }
    return 0;
}

static int medusa_check(struct tui *t, struct form *f)
{
    (void)f;
    if (t->plan->encryption.medusa.source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = resolved_copy(t, K8TLS_SCR_MEDUSA, &errs);
    if (!c)
        return errs;
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (m && k8tls_import_medusa(c, NULL, m, &d) < 0 &&
        k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the Medusa certificate cannot be imported"));
    errs += tui_attach_diags(t, K8TLS_SCR_MEDUSA, &d, true);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(c);
    return errs;
}

static void medusa_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    warnings_for(t, K8TLS_SCR_MEDUSA, lines, max, n);
    if (*n < max)
        lines[(*n)++] = strdup(_("Medusa connects to Cassandra as a client: it needs the CA "
                                 "certificate, a client certificate and its key, in one Secret."));
}

/* ---- Output ----------------------------------------------------------------------------- */

enum { O_DIR, O_NS, O_SAVE, O_ANSWERS, O_APPLY, O_CTX, O_DRY };

static void output_define(struct form *f)
{
    int i = fld(f, F_PATH, N_("Output directory"), "output.directory");
    hint(f, i, N_("Created with everything kubectl apply -k needs; an existing directory is "
                  "replaced only after you confirm."));
    yesno(f, N_("Namespace manifest"), "output.createNamespace", false);
    yesno(f, N_("Save the answers file"), NULL, true);
    i = fld(f, F_PATH, N_("Answers file"), NULL);
    hint(f, i, N_("Passwords are saved only as env:/file: references, never in clear."));
    /* apply (issue 6): after writing, to the contexts chosen from the kubeconfig */
    i = yesno(f, N_("Apply to a cluster"), NULL, true);
    hint(f, i, N_("After writing, send the bundle to Kubernetes with kubectl (server-side apply, "
                  "field manager k8tls-wizard)."));
    i = fld(f, F_MULTI, N_("Kube contexts"), NULL);
    hint(f, i, N_("Space selects or unselects the context under the cursor. The first one "
                  "selected is the control plane (the K8ssandraCluster goes there); every one "
                  "gets the Secrets."));
    i = yesno(f, N_("Server dry run"), NULL, false);
    hint(f, i, N_("The API servers check every object (dryRun=All) and store nothing."));
}

/* the kubeconfig's contexts in the list, the current one (or the rotation's source) chosen */
static void output_contexts_fill(struct tui *t, struct form *f)
{
    tui_kube_load(t);
    struct field *fd = &f->f[O_CTX];
    if (!t->kc || fd->items)
        return;
    fd->current_item = -1;
    fd->n_items = 0;
    fd->items = calloc(t->kc->n_contexts + 1, sizeof *fd->items);
    if (!fd->items)
        return;
    for (size_t i = 0; i < t->kc->n_contexts; i++) {
        fd->items[fd->n_items] = strdup(t->kc->contexts[i].name);
        if (!fd->items[fd->n_items])
            break;
        if (strcmp(t->kc->contexts[i].name, t->kc->current_context) == 0)
            fd->current_item = fd->n_items;
        fd->n_items++;
    }
    const char *want = tui_renew_source_context(t);
    int pick = fd->current_item;
    for (int i = 0; want && i < fd->n_items; i++)
        if (strcmp(fd->items[i], want) == 0)
            pick = i;
    if (pick >= 0 && (fd->sel = malloc(sizeof *fd->sel))) {
        fd->sel[0] = pick;
        fd->n_sel = 1;
        fd->choice = pick;
    }
}

static void output_load(struct tui *t, struct form *f)
{
    set_val(f, O_DIR, t->plan->output.directory);
    f->f[O_NS].choice = t->plan->output.create_namespace;
    if (!f->f[O_ANSWERS].value || !*f->f[O_ANSWERS].value)
        set_val(f, O_ANSWERS, "k8tls-answers.yaml");
}

static void output_sync(struct tui *t, struct form *f)
{
    bool rot = t->path == K8TLS_PATH_ROTATE;
    /* a phase's bundle holds its own answers.yaml and no Namespace */
    f->f[O_NS].hidden = f->f[O_SAVE].hidden = rot;
    f->f[O_ANSWERS].hidden = rot || !f->f[O_SAVE].choice;
    bool apply = f->f[O_APPLY].choice;
    if (apply)
        output_contexts_fill(t, f);
    f->f[O_CTX].hidden = !apply || !t->kc || f->f[O_CTX].n_items == 0;
    f->f[O_DRY].hidden = !apply;
    /* a kubeconfig that cannot be read: its file:line:col instead of the list */
    if (apply && !t->kc && !f->f[O_APPLY].error)
        tui_field_error(f, O_APPLY, t->kc_error ? t->kc_error : _("the kubeconfig cannot be read"));
    else if (apply && t->kc && t->kc->n_contexts == 0 && !f->f[O_APPLY].error) {
        char *files = k8tls_kubeconfig_describe(t->kc, t->opts ? t->opts->kubeconfig : NULL);
        char *m = tui_fmt(_("no kube context in %s"), files ? files : "~/.kube/config");
        tui_field_error(f, O_APPLY, m);
        free(m);
        free(files);
    } else if (!apply && f->f[O_APPLY].error) {
        free(f->f[O_APPLY].error);
        f->f[O_APPLY].error = NULL;
    }
}

static int output_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    if (t->path == K8TLS_PATH_ROTATE)
        return 0; /* the phase's directory is only in the form */
    put_str(&t->plan->output.directory, f, O_DIR);
    t->plan->output.create_namespace = f->f[O_NS].choice;
    /* the namespace manifest changes the bundle: rebuild it now so that the count is right */
    if (t->bundle_plan && t->bundle_plan->output.create_namespace != t->plan->output.create_namespace)
        tui_review_build_bundle(t);
    return 0;
}

static bool dir_nonempty(const char *path, bool *exists)
{
    DIR *d = opendir(path);
    *exists = d != NULL || errno != ENOENT;
    if (!d)
        return *exists;
    struct dirent *e;
    bool any = false;
    while ((e = readdir(d)) && !any)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* writes the answers file atomically (0600): temporary file beside it, then rename */
static int save_answers(const struct k8tls_plan *p, const char *path, struct k8tls_err *e)
{
    char *tmp = tui_fmt("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, 0600);
    FILE *out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        unlink(tmp);
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = k8tls_answers_emit(p, K8TLS_EMIT_OMIT_LITERAL_PW, out, e);
    if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
        if (rc == 0)
            k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (fclose(out) != 0 && rc == 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

void tui_output_set_dir(struct tui *t, const char *dir)
{
    tui_form_ensure(t, K8TLS_SCR_OUTPUT);
    set_val(&t->forms[K8TLS_SCR_OUTPUT], O_DIR, dir);
}

/* Writes the bundle (and the answers file) unless this very bundle is in dir already (a second
 * Write after a failed apply). Returns the errors. */
static int output_write(struct tui *t, struct form *f, const char *dir, const char *ans)
{
    int errs = 0;
    bool force = false;
    bool already = t->written_dir && strcmp(t->written_dir, dir) == 0 &&
                   t->written_gen == t->bundle_gen;
    bool exists = false;
    if (!already && dir_nonempty(dir, &exists)) {
        char *q = tui_fmt(_("%s already exists and is not empty. Replace its content with the new "
                            "bundle? The old content is removed only once the new one is "
                            "complete."),
                          dir);
        force = tui_confirm(t, _("Replace the directory?"), q, _("Replace"), _("Keep it"));
        free(q);
        if (!force) {
            tui_set_status(t, "%s", _("Nothing written: choose another directory."));
            return 1;
        }
    }
    bool save = ans && !(already && t->answers_saved && strcmp(t->answers_saved, ans) == 0);
    if (save && access(ans, F_OK) == 0) {
        char *q = tui_fmt(_("%s already exists. Replace it?"), ans);
        bool ok = tui_confirm(t, _("Replace the answers file?"), q, _("Replace"), _("Keep it"));
        free(q);
        if (!ok) {
            tui_set_status(t, "%s", _("Nothing written: choose another answers file."));
            return 1;
        }
    }
    /* a signal now would leave a half-written state: let it wait until the writes are done */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = already ? 0 : k8tls_output_write(t->bundle, dir, force, &e);
    char buf[1600];
    if (rc < 0) {
        tui_field_error(f, O_DIR, k8tls_err_format(&e, buf, sizeof buf));
        errs++;
    } else {
        tui_set_str(&t->written_dir, dir);
        t->written_files = t->bundle->n;
        t->written_gen = t->bundle_gen;
        if (save) {
            k8tls_err_clear(&e);
            if (save_answers(t->plan, ans, &e) < 0) {
                tui_field_error(f, O_ANSWERS, k8tls_err_format(&e, buf, sizeof buf));
                tui_set_status(t, _("The bundle was written to %s; the answers file was not."),
                               dir);
                errs++;
            } else {
                tui_set_str(&t->answers_saved, ans);
            }
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return errs;
}

static int output_check(struct tui *t, struct form *f)
{
    bool rot = t->path == K8TLS_PATH_ROTATE;
    char *dir = trimmed(val(f, O_DIR));
    char *ans = !rot && f->f[O_SAVE].choice ? trimmed(val(f, O_ANSWERS)) : NULL;
    bool apply = f->f[O_APPLY].choice;
    const char *ctx[64];
    size_t n_ctx = 0;
    int errs = 0;
    if (!dir || !*dir) {
        tui_field_error(f, O_DIR, _("give the directory to write to"));
        errs++;
        goto out;
    }
    if (!rot && f->f[O_SAVE].choice && (!ans || !*ans)) {
        tui_field_error(f, O_ANSWERS, _("give the file to save the answers to"));
        errs++;
        goto out;
    }
    if (apply) {
        output_contexts_fill(t, f);
        if (!t->kc) {
            tui_field_error(f, O_APPLY, t->kc_error ? t->kc_error
                                                    : _("the kubeconfig cannot be read"));
            errs++;
            goto out;
        }
        n_ctx = tui_output_contexts(t, ctx, sizeof ctx / sizeof ctx[0]);
        if (n_ctx == 0) {
            tui_field_error(f, f->f[O_CTX].hidden ? O_APPLY : O_CTX,
                            _("choose at least one context (Space selects the one under the "
                              "cursor)"));
            errs++;
            goto out;
        }
    }
    if (rot ? !t->bundle : tui_review_build_bundle(t) < 0 || !t->bundle) {
        tui_field_error(f, -1, rot ? _("the phase's bundle is not built: go Back and build it")
                                   : _("the bundle cannot be built: the Review step lists the "
                                       "problems"));
        errs++;
        goto out;
    }
    errs += output_write(t, f, dir, ans);
    if (errs || !apply)
        goto out;
    int rc = tui_apply_run(t, ctx, n_ctx, f->f[O_DRY].choice,
                           t->plan->output.create_namespace);
    if (rc != 0) {
        /* stay here: the reason, and what was applied (the directory is written) */
        const struct tui_applied *a = t->applied;
        const char *why = a && a->reason ? a->reason : "?";
        size_t wl = strlen(why);
        bool stop = wl && strchr(".?!", why[wl - 1]);
        tui_set_status(t, _("Not applied: %s%s Applied: %s. The bundle is written to %s: choose "
                            "other contexts and Write again, or turn Apply off to go on."),
                       why, stop ? "" : ".", a && a->done ? a->done : _("nothing"), dir);
        errs++;
    }
out:
    free(dir);
    free(ans);
    return errs;
}

static void output_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    bool rot = t->path == K8TLS_PATH_ROTATE;
    if (!rot)
        warnings_for(t, K8TLS_SCR_OUTPUT, lines, max, n);
    if (*n < max && t->bundle)
        lines[(*n)++] = rot ? tui_fmt(_("%zu files will be written (the Secrets, the stores, the "
                                        "CA, rotation.yaml, the restart task, NEXT-STEPS.md)."),
                                      t->bundle->n)
                            : tui_fmt(_("%zu files will be written (manifests, Secrets, the CA, "
                                        "the stores, NEXT-STEPS.md)."),
                                      t->bundle->n);
    if (*n < max && f->f[O_APPLY].choice && t->kc) {
        const struct k8tls_plan *p = rot ? tui_renew_plan(t) : t->plan;
        const char *ns = p && p->cluster.namespace_ ? p->cluster.namespace_ : "?";
        lines[(*n)++] = rot ? tui_fmt(_("Apply: the Secrets only, in namespace %s (the "
                                        "K8ssandraCluster is not touched), after a check that the "
                                        "live Secrets are where this phase starts."),
                                      ns)
                            : tui_fmt(_("Apply: namespace %s (from the Cluster step); the "
                                        "datacenters' contexts get the Secrets too."),
                                      ns);
    }
}

/* ---- the table -------------------------------------------------------------------------- */

static const struct screen_ops screen_table[K8TLS_SCR_COUNT] = {
    [K8TLS_SCR_WELCOME] = {
        .intro = N_("Sets up encryption for a K8ssandra cluster: keystores, truststores, a CA, "
                    "the Medusa certificate, the Secrets and the K8ssandraCluster manifest. "
                    "Nothing is written before the Output step."),
        .help = N_("Choose where to start. A new manifest starts from the K8ssandra "
                   "documentation's example cluster. An existing manifest keeps all its "
                   "settings: only its encryption parts are set. An answers file (see "
                   "k8tls-wizard --print-answers) fills every step; you can still change "
                   "anything. Renew or rotate starts from a bundle written earlier (or the "
                   "Secrets of a kube context): it renews the certificates, or replaces the CA "
                   "in three phases (trust, reissue, retire) with a rolling restart after each."),
        .define = welcome_define, .load = welcome_load, .sync = welcome_sync,
        .store = welcome_store, .check = welcome_check, .notes = welcome_notes,
    },
    [K8TLS_SCR_CLUSTER] = {
        .intro = N_("The K8ssandraCluster to encrypt. Its names end up in the certificates."),
        .help = N_("The cluster name and namespace name the Kubernetes objects and the "
                   "certificates' DNS names (<cluster>-<dc>-service.<namespace>.svc...). "
                   "Datacenters are NAME:SIZE, with @CONTEXT for a datacenter in another kube "
                   "context: the Secrets are needed in every context. Stargate is deprecated "
                   "in the current CRD but still offered."),
        .define = cluster_define, .load = cluster_load, .sync = cluster_sync,
        .store = cluster_store, .notes = cluster_notes,
    },
    [K8TLS_SCR_ENCRYPTION] = {
        .intro = N_("What to encrypt, and the format of the stores."),
        .help = N_("Internode encryption protects traffic between Cassandra nodes; \"all\" is "
                   "advised. Client encryption protects CQL (and turns on JMX over TLS). The "
                   "Medusa certificate lets backups connect when client encryption is on. "
                   "PKCS12 is the modern format; JKS is for old tooling. The legacy PKCS12 "
                   "encryption is only for old Java 8 builds."),
        .define = encryption_define, .load = encryption_load, .sync = encryption_sync,
        .store = encryption_store, .notes = encryption_notes,
    },
    [K8TLS_SCR_CA] = {
        .intro = N_("The root certificate authority that signs every node certificate."),
        .help = N_("Generate a new root CA (its key stays in the output directory: keep it "
                   "safe) or import yours (certificate and key as PEM files; the key may be "
                   "encrypted). ECDSA P-256 keys are fast; RSA 3072 is the widest-supported "
                   "choice. Keys are generated in the background as soon as you leave this "
                   "step."),
        .define = ca_define, .load = ca_load, .sync = ca_sync, .store = ca_store,
        .check = ca_check, .notes = ca_notes,
    },
    [K8TLS_SCR_SERVER_STORES] = {
        .intro = N_("The stores for internode encryption, in one Secret."),
        .help = N_("Generated stores get strong random passwords unless you give them. "
                   "Imported stores are opened and checked now: the password, the key entry, "
                   "the chain, expiry and names. A password may be env:NAME or file:PATH so "
                   "that it is never saved in clear."),
        .define = server_define, .load = server_load, .sync = server_sync,
        .store = server_store, .check = server_check, .notes = server_notes,
    },
    [K8TLS_SCR_CLIENT_STORES] = {
        .intro = N_("The stores for client encryption (CQL, JMX), in one Secret."),
        .help = N_("Client encryption needs its own stores, or can reuse the server stores. "
                   "Imported stores are opened and checked now. A password may be env:NAME or "
                   "file:PATH."),
        .define = client_define, .load = client_load, .sync = client_sync,
        .store = client_store, .check = client_check, .notes = client_notes,
    },
    [K8TLS_SCR_MEDUSA] = {
        .intro = N_("The certificate Medusa uses to connect to Cassandra for backups."),
        .help = N_("Medusa needs the CA certificate, a client certificate signed by it and the "
                   "client's key (not encrypted), in one Secret. The wizard maps them to the "
                   "odd fields the operator expects."),
        .define = medusa_define, .load = medusa_load, .sync = medusa_sync,
        .store = medusa_store, .check = medusa_check, .notes = medusa_notes,
    },
    [K8TLS_SCR_OUTPUT] = {
        .intro = N_("Where to write the bundle."),
        .help = N_("The directory is written atomically: a temporary directory is filled, then "
                   "renamed into place. Keys, stores and Secrets are readable by you only. An "
                   "existing directory is replaced only after you confirm. The answers file "
                   "replays this session: k8tls-wizard --answers FILE --output DIR. Apply to a "
                   "cluster then sends the bundle with kubectl (server-side apply, field manager "
                   "k8tls-wizard) to the contexts chosen from the kubeconfig (Space selects; the "
                   "first is the control plane and gets the K8ssandraCluster; every one gets the "
                   "Secrets), showing each object's result; a server dry run stores nothing."),
        .next_label = N_("Write"),
        .define = output_define, .load = output_load, .sync = output_sync,
        .store = output_store, .check = output_check, .notes = output_notes,
    },
};

const struct screen_ops *tui_screen_ops(enum k8tls_screen s)
{
    if (s == K8TLS_SCR_ROTATE_SOURCE)
        return &tui_rotate_source_ops;
    if (s == K8TLS_SCR_ROTATE_PHASE)
        return &tui_rotate_phase_ops;
    if (s == K8TLS_SCR_REVIEW)
        return &tui_review_ops;
    if (s == K8TLS_SCR_RESULT)
        return &tui_result_ops;
    return &screen_table[s];
}

void tui_form_ensure(struct tui *t, enum k8tls_screen s)
{
    const struct screen_ops *ops = tui_screen_ops(s);
    struct form *f = &t->forms[s];
    if (!f->defined) {
        f->n = 0;
        f->focus_field = -1;
        if (ops->define)
            ops->define(f);
        f->defined = true;
        f->gen = (unsigned)-1;
    }
    if (f->gen != t->plan_gen) {
        if (ops->load)
            ops->load(t, f);
        f->gen = t->plan_gen;
        tui_form_clear_errors(f);
    }
    if (ops->sync)
        ops->sync(t, f);
}
