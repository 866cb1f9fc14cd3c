/* The TUI's screen flow: the flow columns of the screen table (screen/table.h), skip rules,
 * diagnostic-to-screen mapping and the key generation fingerprint. Pure (no curses, no other TUI
 * file): in the core library for tests/unit/test_flow.c. */
#include "config.h"
#include "flow.h"
#include "k8tls/i18n.h"
#include "k8tls/rollout.h"
#include "k8tls/secure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the paths a screen is on, as bits */
#define ON_WIZARD (1u << K8TLS_PATH_WIZARD)
#define ON_ROTATE (1u << K8TLS_PATH_ROTATE)
#define ON_BOTH (ON_WIZARD | ON_ROTATE)
#define ON_DOCTOR (1u << K8TLS_PATH_DOCTOR)
#define ON_ENABLE (1u << K8TLS_PATH_ENABLE)

bool k8tls_flow_needs_pki(const struct k8tls_plan *p)
{
    return k8tls_plan_wants_server_stores(p) || k8tls_plan_wants_client_stores(p) ||
           k8tls_plan_wants_medusa_certs(p) || k8tls_plan_wants_mgmt_api(p) ||
           k8tls_plan_wants_reaper_api(p) || k8tls_plan_wants_reaper_mgmt(p) ||
           k8tls_plan_wants_medusa_grpc(p);
}

bool k8tls_flow_more_tls(const struct k8tls_plan *p)
{
    /* the switches as set, also where refused (Reaper's API TLS without Reaper): the step
     * shows the refusal */
    return p->encryption.management_api.enabled || p->encryption.reaper.enabled ||
           p->encryption.medusa_grpc.enabled;
}

/* Does the manifest run without encryption (its cassandraYaml has none)? Read once per file
 * version: the flow asks on every page, the answer changes only with the file (its path, size
 * and modification time). A file that cannot be read counts as without: Welcome has refused it
 * already, and Review shows its error. */
static bool manifest_plain(const struct k8tls_plan *p)
{
    static char *path;
    static struct stat seen;
    static bool plain;
    char *base = k8tls_plan_base_dir(p);
    const char *m = p->cluster.manifest;
    size_t n = (base ? strlen(base) : 0) + strlen(m) + 2;
    char *full = malloc(n);
    if (!full) {
        free(base);
        return true;
    }
    if (m[0] == '/' || !base || strcmp(base, ".") == 0)
        snprintf(full, n, "%s", m);
    else
        snprintf(full, n, "%s/%s", base, m);
    free(base);
    struct stat now;
    if (stat(full, &now) != 0) {
        free(full);
        return true;
    }
    if (path && strcmp(path, full) == 0 && now.st_size == seen.st_size &&
        now.st_mtim.tv_sec == seen.st_mtim.tv_sec && now.st_mtim.tv_nsec == seen.st_mtim.tv_nsec) {
        free(full);
        return plain;
    }
    struct k8tls_rollout_stage st;
    struct k8tls_err e;
    memset(&st, 0, sizeof st);
    k8tls_err_clear(&e);
    plain = k8tls_rollout_stage_read_file(full, &st, &e) < 0 || !st.encrypted;
    free(path);
    path = full;
    seen = now;
    return plain;
}

bool k8tls_flow_rollout(const struct k8tls_plan *p)
{
    return !k8tls_flow_no_manifest(p) && manifest_plain(p);
}

bool k8tls_flow_no_manifest(const struct k8tls_plan *p)
{
    /* adding encryption to an existing manifest: the cluster is what the manifest says */
    return !(p->cluster.manifest && *p->cluster.manifest);
}

static const struct {
    const char *id;
    const char *title;
    unsigned paths;
    bool (*shown)(const struct k8tls_plan *p);  /* NULL: always */
    const char *keys;                           /* answers key prefixes, space-separated */
} screens[K8TLS_SCR_COUNT] = {
#define SCREEN(name, file, id, title, paths, shown, keys)                                       \
    [K8TLS_SCR_##name] = {id, title, paths, shown, keys},
#include "screen/table.h"
#undef SCREEN
};

static bool valid(enum k8tls_screen s)
{
    return (int)s >= 0 && s < K8TLS_SCR_COUNT;
}

const char *k8tls_flow_screen_id(enum k8tls_screen s)
{
    return valid(s) ? screens[s].id : NULL;
}

const char *k8tls_flow_screen_title(enum k8tls_screen s)
{
    return valid(s) ? screens[s].title : NULL;
}

static bool valid_path(enum k8tls_flow_path path)
{
    return path == K8TLS_PATH_WIZARD || path == K8TLS_PATH_ROTATE || path == K8TLS_PATH_DOCTOR ||
           path == K8TLS_PATH_ENABLE;
}

bool k8tls_flow_on_path(enum k8tls_flow_path path, enum k8tls_screen s)
{
    return valid(s) && valid_path(path) && (screens[s].paths & (1u << path)) != 0;
}

/* the wizard path's skip rules: the table's "shown" column */
static bool plan_shows(const struct k8tls_plan *p, enum k8tls_screen s)
{
    return !screens[s].shown || screens[s].shown(p);
}

bool k8tls_flow_visible_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                           enum k8tls_screen s)
{
    if (!k8tls_flow_on_path(path, s))
        return false;
    if (path != K8TLS_PATH_WIZARD)
        return true;
    return p && plan_shows(p, s);
}

bool k8tls_flow_visible(const struct k8tls_plan *p, enum k8tls_screen s)
{
    return k8tls_flow_visible_on(K8TLS_PATH_WIZARD, p, s);
}

enum k8tls_screen k8tls_flow_next_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                                     enum k8tls_screen s)
{
    if (!valid(s))
        return K8TLS_SCR_COUNT;
    for (int i = (int)s + 1; i < K8TLS_SCR_COUNT; i++)
        if (k8tls_flow_visible_on(path, p, (enum k8tls_screen)i))
            return (enum k8tls_screen)i;
    return K8TLS_SCR_COUNT;
}

enum k8tls_screen k8tls_flow_prev_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                                     enum k8tls_screen s)
{
    if (!valid(s))
        return K8TLS_SCR_COUNT;
    for (int i = (int)s - 1; i >= 0; i--)
        if (k8tls_flow_visible_on(path, p, (enum k8tls_screen)i))
            return (enum k8tls_screen)i;
    return K8TLS_SCR_COUNT;
}

static int step_of(enum k8tls_flow_path path, const struct k8tls_plan *p, enum k8tls_screen s,
                   int *total, bool count_s)
{
    int n = 0, step = 0;
    for (int i = 0; i < K8TLS_SCR_COUNT; i++) {
        bool shown = count_s && i == (int)s && k8tls_flow_on_path(path, s);
        if (!shown && !k8tls_flow_visible_on(path, p, (enum k8tls_screen)i))
            continue;
        n++;
        if (i == (int)s)
            step = n;
    }
    if (total)
        *total = n;
    return step;
}

int k8tls_flow_step_on(enum k8tls_flow_path path, const struct k8tls_plan *p, enum k8tls_screen s,
                       int *total)
{
    return step_of(path, p, s, total, false);
}

int k8tls_flow_step_shown(enum k8tls_flow_path path, const struct k8tls_plan *p,
                          enum k8tls_screen s, int *total)
{
    return step_of(path, p, s, total, true);
}

enum k8tls_screen k8tls_flow_next(const struct k8tls_plan *p, enum k8tls_screen s)
{
    return k8tls_flow_next_on(K8TLS_PATH_WIZARD, p, s);
}

enum k8tls_screen k8tls_flow_prev(const struct k8tls_plan *p, enum k8tls_screen s)
{
    return k8tls_flow_prev_on(K8TLS_PATH_WIZARD, p, s);
}

int k8tls_flow_step(const struct k8tls_plan *p, enum k8tls_screen s, int *total)
{
    return k8tls_flow_step_on(K8TLS_PATH_WIZARD, p, s, total);
}

bool k8tls_flow_path_owns(const char *field_path, const char *diag_path)
{
    if (!field_path || !diag_path || !*field_path)
        return false;
    size_t n = strlen(field_path);
    if (strncmp(field_path, diag_path, n) != 0)
        return false;
    return diag_path[n] == '\0' || diag_path[n] == '.' || diag_path[n] == '[';
}

int k8tls_flow_field_for_path(const char *const *field_paths, size_t n, const char *diag_path)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!field_paths[i] || !k8tls_flow_path_owns(field_paths[i], diag_path))
            continue;
        size_t len = strlen(field_paths[i]);
        if (best < 0 || len > best_len) {
            best = (int)i;
            best_len = len;
        }
    }
    return best;
}

/* The screen with the longest key prefix (the table's "keys" column) that owns the path. */
enum k8tls_screen k8tls_flow_screen_of_path(const char *path)
{
    enum k8tls_screen best = K8TLS_SCR_COUNT;
    size_t best_len = 0;
    if (!path || !*path)
        return best;
    for (int s = 0; s < K8TLS_SCR_COUNT; s++) {
        const char *k = screens[s].keys;
        while (k && *k) {
            size_t n = strcspn(k, " ");
            char prefix[128];
            if (n > 0 && n < sizeof prefix) {
                memcpy(prefix, k, n);
                prefix[n] = '\0';
                if (n > best_len && k8tls_flow_path_owns(prefix, path)) {
                    best = (enum k8tls_screen)s;
                    best_len = n;
                }
            }
            k += n;
            k += strspn(k, " ");
        }
    }
    return best;
}

char *k8tls_flow_password_path(const char *file_path)
{
    static const char *const ends[] = {".import.key", ".import.keystore", ".import.truststore"};
    if (!file_path)
        return NULL;
    size_t n = strlen(file_path);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t e = strlen(ends[i]);
        if (n > e && strcmp(file_path + n - e, ends[i]) == 0) {
            char *s = malloc(n + sizeof "Password");
            if (s)
                snprintf(s, n + sizeof "Password", "%sPassword", file_path);
            return s;
        }
    }
    return NULL;
}

/* ---- fingerprint ------------------------------------------------------------------------ */

struct sb {
    char *s;
    size_t n, cap;
    int oom;
};

static void sb_grow(struct sb *b, size_t add)
{
    if (b->oom || b->n + add + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 512;
    while (cap < b->n + add + 1)
        cap *= 2;
    char *s = malloc(cap);
    if (!s) {
        b->oom = 1;
        return;
    }
    if (b->s) {
        memcpy(s, b->s, b->n);
        /* the old buffer may hold password references */
        k8tls_secure_wipe_str(b->s);
        free(b->s);
    }
    b->s = s;
    b->cap = cap;
    b->s[b->n] = '\0';
}

/* Appends "key=<len>:value;" so that no value can fake another field. */
static void sb_kv(struct sb *b, const char *key, const char *val)
{
    char head[160];
    size_t vl = val ? strlen(val) : 0;
    int hl = val ? snprintf(head, sizeof head, "%s=%zu:", key, vl)
                 : snprintf(head, sizeof head, "%s=-", key);
    if (hl < 0)
        hl = 0;
    if ((size_t)hl >= sizeof head)
        hl = (int)sizeof head - 1;
    sb_grow(b, (size_t)hl + vl + 1);
    if (b->oom)
        return;
    memcpy(b->s + b->n, head, (size_t)hl);
    b->n += (size_t)hl;
    if (vl) {
        memcpy(b->s + b->n, val, vl);
        b->n += vl;
    }
    b->s[b->n++] = ';';
    b->s[b->n] = '\0';
}

static void sb_int(struct sb *b, const char *key, long v)
{
    char num[32];
    snprintf(num, sizeof num, "%ld", v);
    sb_kv(b, key, num);
}

static void fp_password(struct sb *b, const char *key, const struct k8tls_password *pw)
{
    sb_kv(b, key, pw->ref);
}

static void fp_keyspec(struct sb *b, const char *key, const struct k8tls_key_spec *k)
{
    char name[64];
    snprintf(name, sizeof name, "%s.set", key);
    sb_int(b, name, k->set);
    snprintf(name, sizeof name, "%s.alg", key);
    sb_int(b, name, k->alg);
    snprintf(name, sizeof name, "%s.bits", key);
    sb_int(b, name, k->bits);
    snprintf(name, sizeof name, "%s.curve", key);
    sb_int(b, name, k->curve);
}

static void fp_store_set(struct sb *b, const char *key, const struct k8tls_store_set *s)
{
    char name[64];
#define FP_S(field, val)                                                                      \
    do {                                                                                      \
        snprintf(name, sizeof name, "%s.%s", key, field);                                    \
        sb_kv(b, name, val);                                                                  \
    } while (0)
    FP_S("secretName", s->secret_name);
    snprintf(name, sizeof name, "%s.source", key);
    sb_int(b, name, s->source);
    FP_S("keys.keystore", s->keys.keystore);
    FP_S("keys.truststore", s->keys.truststore);
    FP_S("keys.keystorePassword", s->keys.keystore_password);
    FP_S("keys.truststorePassword", s->keys.truststore_password);
    FP_S("keystore", s->keystore_path);
    FP_S("truststore", s->truststore_path);
#undef FP_S
    snprintf(name, sizeof name, "%s.keystorePassword", key);
    fp_password(b, name, &s->keystore_password);
    snprintf(name, sizeof name, "%s.truststorePassword", key);
    fp_password(b, name, &s->truststore_password);
}

char *k8tls_flow_pki_fingerprint(const struct k8tls_plan *p)
{
    struct sb b = {0};
    if (!p)
        return NULL;
    sb_kv(&b, "source", p->source_file);
    sb_kv(&b, "cluster.name", p->cluster.name);
    sb_kv(&b, "cluster.namespace", p->cluster.namespace_);
    sb_kv(&b, "cluster.manifest", p->cluster.manifest);
    sb_int(&b, "cluster.serverType", p->cluster.server_type);
    sb_int(&b, "cluster.dcs", (long)p->cluster.n_dcs);
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        sb_kv(&b, "dc.name", p->cluster.dcs[i].name);
        sb_kv(&b, "dc.context", p->cluster.dcs[i].k8s_context);
    }
    sb_int(&b, "cluster.medusa.enabled", p->cluster.medusa.enabled);
    sb_int(&b, "internode.mode", p->encryption.internode.mode);
    sb_int(&b, "client.enabled", p->encryption.client.enabled);
    sb_int(&b, "medusa.enabled", p->encryption.medusa.enabled);
    sb_int(&b, "medusa.source", p->encryption.medusa.source);
    sb_kv(&b, "medusa.secretName", p->encryption.medusa.secret_name);
    sb_kv(&b, "medusa.ca", p->encryption.medusa.import_ca);
    sb_kv(&b, "medusa.cert", p->encryption.medusa.import_cert);
    sb_kv(&b, "medusa.key", p->encryption.medusa.import_key);
    /* the other TLS surfaces (SPEC §10): which ones, and Reaper's, which their rules need */
    sb_int(&b, "reaper.enabled", p->cluster.reaper.enabled);
    sb_int(&b, "managementApi.enabled", p->encryption.management_api.enabled);
    sb_int(&b, "reaperTls.enabled", p->encryption.reaper.enabled);
    sb_kv(&b, "reaperTls.clientSecretName", p->encryption.reaper.client_secret_name);
    sb_kv(&b, "reaperTls.managementSecretName", p->encryption.reaper.management_secret_name);
    sb_int(&b, "medusaGrpc.enabled", p->encryption.medusa_grpc.enabled);
    sb_int(&b, "output.clientFiles", p->output.client_files);
    /* cert-manager mode generates no key: material made for one mode is no use to the other */
    sb_int(&b, "output.mode", p->output.mode);
    sb_int(&b, "stores.format", p->stores.format);
    sb_int(&b, "stores.profile", p->stores.p12_profile);
    fp_store_set(&b, "stores.server", &p->stores.server);
    fp_store_set(&b, "stores.client", &p->stores.client);
    sb_int(&b, "ca.source", p->ca.source);
    const struct k8tls_subject *sj = &p->ca.subject;
    sb_kv(&b, "ca.C", sj->C);
    sb_kv(&b, "ca.ST", sj->ST);
    sb_kv(&b, "ca.L", sj->L);
    sb_kv(&b, "ca.O", sj->O);
    sb_kv(&b, "ca.OU", sj->OU);
    sb_kv(&b, "ca.CN", sj->CN);
    sb_kv(&b, "ca.emailAddress", sj->emailAddress);
    fp_keyspec(&b, "ca.key", &p->ca.key);
    sb_int(&b, "ca.validityDays", p->ca.validity_days);
    sb_kv(&b, "ca.cert", p->ca.import_cert);
    sb_kv(&b, "ca.keyFile", p->ca.import_key);
    fp_password(&b, "ca.keyPassword", &p->ca.import_key_password);
    sb_int(&b, "certificates.validityDays", p->certificates.validity_days);
    fp_keyspec(&b, "certificates.key", &p->certificates.key);
    sb_int(&b, "certificates.extraSANs", (long)p->certificates.n_extra_sans);
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        sb_kv(&b, "san", p->certificates.extra_sans[i]);
    if (b.oom) {
        if (b.s) {
            k8tls_secure_wipe_str(b.s);
            free(b.s);
        }
        return NULL;
    }
    return b.s;
}
