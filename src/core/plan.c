/* The plan: defaults (SPEC §3), copy, free, positions, enum names, what the plan produces. */
#include "config.h"
#include "k8tls/plan.h"
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

/* ---- defaults -------------------------------------------------------------------------- */

static int set_str(char **dst, const char *v, int *oom)
{
    free(*dst);
    *dst = v ? strdup(v) : NULL;
    if (v && !*dst)
        *oom = 1;
    return *dst ? 0 : -1;
}

static void default_keys(struct k8tls_secret_keys *k, int *oom)
{
    set_str(&k->keystore, K8TLS_SECRET_KEY_KEYSTORE, oom);
    set_str(&k->truststore, K8TLS_SECRET_KEY_TRUSTSTORE, oom);
    set_str(&k->keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD, oom);
    set_str(&k->truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD, oom);
}

int k8tls_plan_set_dcs(struct k8tls_plan *p, size_t n)
{
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        free(p->cluster.dcs[i].name);
        free(p->cluster.dcs[i].k8s_context);
    }
    free(p->cluster.dcs);
    p->cluster.dcs = NULL;
    p->cluster.n_dcs = 0;
    if (!n)
        return 0;
    p->cluster.dcs = calloc(n, sizeof *p->cluster.dcs);
    if (!p->cluster.dcs)
        return -1;
    p->cluster.n_dcs = n;
    return 0;
}

struct k8tls_plan *k8tls_plan_new_defaults(void)
{
    struct k8tls_plan *p = calloc(1, sizeof *p);
    int oom = 0;
    if (!p)
        return NULL;

    set_str(&p->cluster.name, "test", &oom);
    set_str(&p->cluster.namespace_, "k8ssandra-operator", &oom);
    set_str(&p->cluster.manifest, "", &oom);
    p->cluster.server_type = K8TLS_SERVER_CASSANDRA;
    set_str(&p->cluster.server_version, "4.0.1", &oom);
    set_str(&p->cluster.storage_class, "standard", &oom);
    set_str(&p->cluster.storage_size, "5Gi", &oom);
    if (k8tls_plan_set_dcs(p, 1) < 0) {
        oom = 1;
    } else {
        set_str(&p->cluster.dcs[0].name, "dc1", &oom);
        p->cluster.dcs[0].size = 3;
        set_str(&p->cluster.dcs[0].k8s_context, "", &oom);
    }
    p->cluster.stargate.enabled = true;
    p->cluster.stargate.size = 1;
    p->cluster.reaper.enabled = true;
    set_str(&p->cluster.reaper.deployment_mode, "SINGLE", &oom);
    p->cluster.medusa.enabled = true;
    set_str(&p->cluster.medusa.storage_provider, "s3", &oom);
    set_str(&p->cluster.medusa.bucket_name, "k8ssandra-medusa", &oom);
    set_str(&p->cluster.medusa.storage_secret, "medusa-bucket-key", &oom);

    p->encryption.internode.mode = K8TLS_INTERNODE_ALL;
    p->encryption.internode.require_client_auth = true;
    p->encryption.internode.require_endpoint_verification = false;
    p->encryption.client.enabled = true;
    p->encryption.client.optional = false;
    p->encryption.client.require_client_auth = true;
    p->encryption.medusa.enabled = true;
    p->encryption.medusa.source = K8TLS_SOURCE_GENERATE;
    set_str(&p->encryption.medusa.secret_name, "client-certificates", &oom);

    p->stores.format = K8TLS_FORMAT_PKCS12;
    p->stores.p12_profile = K8TLS_P12_MODERN;
    set_str(&p->stores.server.secret_name, "server-encryption-stores", &oom);
    p->stores.server.source = K8TLS_SOURCE_GENERATE;
    default_keys(&p->stores.server.keys, &oom);
    set_str(&p->stores.client.secret_name, "client-encryption-stores", &oom);
    p->stores.client.source = K8TLS_SOURCE_GENERATE;
    default_keys(&p->stores.client.keys, &oom);

    p->ca.source = K8TLS_SOURCE_GENERATE;
    set_str(&p->ca.subject.C, "FR", &oom);
    set_str(&p->ca.subject.ST, "IDF", &oom);
    set_str(&p->ca.subject.L, "Paris", &oom);
    set_str(&p->ca.subject.O, "YourCompany", &oom);
    set_str(&p->ca.subject.OU, "SSLTestCluster", &oom);
    set_str(&p->ca.subject.CN, "SSLTestClusterRootCA", &oom);
    set_str(&p->ca.subject.emailAddress, "youraddress@whatever.com", &oom);
    p->ca.key.set = true;
    p->ca.key.alg = K8TLS_KEY_RSA;
    p->ca.key.bits = 3072;
    p->ca.key.curve = K8TLS_CURVE_P256;
    p->ca.validity_days = 10000;

    p->certificates.validity_days = 3650;
    p->certificates.key.set = false;
    p->certificates.key.alg = K8TLS_KEY_RSA;
    p->certificates.key.bits = 3072;
    p->certificates.key.curve = K8TLS_CURVE_P256;

    set_str(&p->output.directory, "k8tls-out", &oom);
    p->output.create_namespace = false;

    if (oom) {
        k8tls_plan_free(p);
        return NULL;
    }
    return p;
}

/* ---- free ------------------------------------------------------------------------------- */

static void password_clear(struct k8tls_password *pw)
{
    /* a literal reference is itself a secret */
    k8tls_secure_free_str(pw->ref);
    k8tls_secure_free_str(pw->value);
    pw->ref = pw->value = NULL;
}

static void keys_clear(struct k8tls_secret_keys *k)
{
    free(k->keystore);
    free(k->truststore);
    free(k->keystore_password);
    free(k->truststore_password);
    memset(k, 0, sizeof *k);
}

static void store_set_clear(struct k8tls_store_set *s)
{
    free(s->secret_name);
    keys_clear(&s->keys);
    free(s->keystore_path);
    free(s->truststore_path);
    password_clear(&s->keystore_password);
    password_clear(&s->truststore_password);
    s->secret_name = s->keystore_path = s->truststore_path = NULL;
}

static void subject_clear(struct k8tls_subject *s)
{
    free(s->C);
    free(s->ST);
    free(s->L);
    free(s->O);
    free(s->OU);
    free(s->CN);
    free(s->emailAddress);
    memset(s, 0, sizeof *s);
}

void k8tls_plan_free(struct k8tls_plan *p)
{
    if (!p)
        return;
    free(p->source_file);
    free(p->cluster.name);
    free(p->cluster.namespace_);
    free(p->cluster.manifest);
    free(p->cluster.server_version);
    free(p->cluster.storage_class);
    free(p->cluster.storage_size);
    k8tls_plan_set_dcs(p, 0);
    free(p->cluster.reaper.deployment_mode);
    free(p->cluster.medusa.storage_provider);
    free(p->cluster.medusa.bucket_name);
    free(p->cluster.medusa.storage_secret);
    free(p->encryption.medusa.secret_name);
    free(p->encryption.medusa.import_ca);
    free(p->encryption.medusa.import_cert);
    free(p->encryption.medusa.import_key);
    store_set_clear(&p->stores.server);
    store_set_clear(&p->stores.client);
    subject_clear(&p->ca.subject);
    free(p->ca.import_cert);
    free(p->ca.import_key);
    password_clear(&p->ca.import_key_password);
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        free(p->certificates.extra_sans[i]);
    free(p->certificates.extra_sans);
    free(p->output.directory);
    posmap_free(p->positions);
    free(p);
}

/* ---- dup -------------------------------------------------------------------------------- */

static char *dup_s(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

static void dup_password(struct k8tls_password *dst, const struct k8tls_password *src, int *oom)
{
    dst->ref = dup_s(src->ref, oom);
    dst->value = dup_s(src->value, oom);
    dst->pos = src->pos;
}

static void dup_keys(struct k8tls_secret_keys *dst, const struct k8tls_secret_keys *src, int *oom)
{
    dst->keystore = dup_s(src->keystore, oom);
    dst->truststore = dup_s(src->truststore, oom);
    dst->keystore_password = dup_s(src->keystore_password, oom);
    dst->truststore_password = dup_s(src->truststore_password, oom);
}

static void dup_store_set(struct k8tls_store_set *dst, const struct k8tls_store_set *src, int *oom)
{
    dst->secret_name = dup_s(src->secret_name, oom);
    dup_keys(&dst->keys, &src->keys, oom);
    dst->keystore_path = dup_s(src->keystore_path, oom);
    dst->truststore_path = dup_s(src->truststore_path, oom);
    dup_password(&dst->keystore_password, &src->keystore_password, oom);
    dup_password(&dst->truststore_password, &src->truststore_password, oom);
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
    p->source_file = dup_s(s->source_file, &oom);
    p->cluster.name = dup_s(s->cluster.name, &oom);
    p->cluster.namespace_ = dup_s(s->cluster.namespace_, &oom);
    p->cluster.manifest = dup_s(s->cluster.manifest, &oom);
    p->cluster.server_version = dup_s(s->cluster.server_version, &oom);
    p->cluster.storage_class = dup_s(s->cluster.storage_class, &oom);
    p->cluster.storage_size = dup_s(s->cluster.storage_size, &oom);
    p->cluster.dcs = NULL;
    p->cluster.n_dcs = 0;
    if (s->cluster.n_dcs) {
        p->cluster.dcs = calloc(s->cluster.n_dcs, sizeof *p->cluster.dcs);
        if (!p->cluster.dcs) {
            oom = 1;
        } else {
            p->cluster.n_dcs = s->cluster.n_dcs;
            for (size_t i = 0; i < s->cluster.n_dcs; i++) {
                p->cluster.dcs[i] = s->cluster.dcs[i];
                p->cluster.dcs[i].name = dup_s(s->cluster.dcs[i].name, &oom);
                p->cluster.dcs[i].k8s_context = dup_s(s->cluster.dcs[i].k8s_context, &oom);
            }
        }
    }
    p->cluster.reaper.deployment_mode = dup_s(s->cluster.reaper.deployment_mode, &oom);
    p->cluster.medusa.storage_provider = dup_s(s->cluster.medusa.storage_provider, &oom);
    p->cluster.medusa.bucket_name = dup_s(s->cluster.medusa.bucket_name, &oom);
    p->cluster.medusa.storage_secret = dup_s(s->cluster.medusa.storage_secret, &oom);
    p->encryption.medusa.secret_name = dup_s(s->encryption.medusa.secret_name, &oom);
    p->encryption.medusa.import_ca = dup_s(s->encryption.medusa.import_ca, &oom);
    p->encryption.medusa.import_cert = dup_s(s->encryption.medusa.import_cert, &oom);
    p->encryption.medusa.import_key = dup_s(s->encryption.medusa.import_key, &oom);
    dup_store_set(&p->stores.server, &s->stores.server, &oom);
    dup_store_set(&p->stores.client, &s->stores.client, &oom);
    p->ca.subject.C = dup_s(s->ca.subject.C, &oom);
    p->ca.subject.ST = dup_s(s->ca.subject.ST, &oom);
    p->ca.subject.L = dup_s(s->ca.subject.L, &oom);
    p->ca.subject.O = dup_s(s->ca.subject.O, &oom);
    p->ca.subject.OU = dup_s(s->ca.subject.OU, &oom);
    p->ca.subject.CN = dup_s(s->ca.subject.CN, &oom);
    p->ca.subject.emailAddress = dup_s(s->ca.subject.emailAddress, &oom);
    p->ca.import_cert = dup_s(s->ca.import_cert, &oom);
    p->ca.import_key = dup_s(s->ca.import_key, &oom);
    dup_password(&p->ca.import_key_password, &s->ca.import_key_password, &oom);
    p->certificates.extra_sans = NULL;
    p->certificates.n_extra_sans = 0;
    if (s->certificates.n_extra_sans) {
        p->certificates.extra_sans = calloc(s->certificates.n_extra_sans, sizeof(char *));
        if (!p->certificates.extra_sans) {
            oom = 1;
        } else {
            p->certificates.n_extra_sans = s->certificates.n_extra_sans;
            for (size_t i = 0; i < s->certificates.n_extra_sans; i++)
                p->certificates.extra_sans[i] = dup_s(s->certificates.extra_sans[i], &oom);
        }
    }
    p->output.directory = dup_s(s->output.directory, &oom);
    p->positions = posmap_dup(s->positions, &oom);
    if (oom) {
        k8tls_plan_free(p);
        return NULL;
    }
    return p;
}

/* ---- enum names ------------------------------------------------------------------------- */

static const char *const server_type_names[] = {"cassandra", "dse", "hcd", NULL};
static const char *const internode_names[] = {"none", "dc", "rack", "all", NULL};
static const char *const source_names[] = {"generate", "import", "reuse", NULL};
static const char *const format_names[] = {"pkcs12", "jks", NULL};
static const char *const profile_names[] = {"modern", "legacy", NULL};
static const char *const alg_names[] = {"rsa", "ecdsa", NULL};
static const char *const curve_names[] = {"P-256", "P-384", NULL};

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}
#define NAME_OF(tab, v) name_of(tab, sizeof tab / sizeof tab[0] - 1, (int)(v))

const char *k8tls_server_type_name(enum k8tls_server_type t) { return NAME_OF(server_type_names, t); }
const char *k8tls_internode_mode_name(enum k8tls_internode_mode m) { return NAME_OF(internode_names, m); }
const char *k8tls_source_name(enum k8tls_source s) { return NAME_OF(source_names, s); }
const char *k8tls_store_format_name(enum k8tls_store_format f) { return NAME_OF(format_names, f); }
const char *k8tls_p12_profile_name(enum k8tls_p12_profile p) { return NAME_OF(profile_names, p); }
const char *k8tls_key_alg_name(enum k8tls_key_alg a) { return NAME_OF(alg_names, a); }
const char *k8tls_curve_name(enum k8tls_curve c) { return NAME_OF(curve_names, c); }

static int parse_of(const char *const *names, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

int k8tls_server_type_parse(const char *s) { return parse_of(server_type_names, s); }
int k8tls_internode_mode_parse(const char *s) { return parse_of(internode_names, s); }
int k8tls_source_parse(const char *s) { return parse_of(source_names, s); }
int k8tls_store_format_parse(const char *s) { return parse_of(format_names, s); }
int k8tls_p12_profile_parse(const char *s) { return parse_of(profile_names, s); }
int k8tls_key_alg_parse(const char *s) { return parse_of(alg_names, s); }
int k8tls_curve_parse(const char *s) { return parse_of(curve_names, s); }

/* ---- what the plan produces ------------------------------------------------------------- */

bool k8tls_plan_wants_server_stores(const struct k8tls_plan *p)
{
    return p->encryption.internode.mode != K8TLS_INTERNODE_NONE;
}

bool k8tls_plan_wants_client_stores(const struct k8tls_plan *p)
{
    return p->encryption.client.enabled;
}

bool k8tls_plan_dc_context_is_first(const struct k8tls_plan *p, size_t i)
{
    const char *c = i < p->cluster.n_dcs ? p->cluster.dcs[i].k8s_context : NULL;
    if (!c || !*c)
        return false;
    for (size_t j = 0; j < i; j++)
        if (p->cluster.dcs[j].k8s_context && strcmp(p->cluster.dcs[j].k8s_context, c) == 0)
            return false;
    return true;
}

bool k8tls_plan_wants_medusa_certs(const struct k8tls_plan *p)
{
    return p->cluster.medusa.enabled && p->encryption.client.enabled &&
           p->encryption.medusa.enabled;
}

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

static void cmp_str(struct cmp *c, const char *path, const char *a, const char *b)
{
    if (strcmp(a ? a : "", b ? b : "") != 0)
        differs(c, path);
}

static void cmp_int(struct cmp *c, const char *path, long a, long b)
{
    if (a != b)
        differs(c, path);
}

static void cmp_pw(struct cmp *c, const char *path, const struct k8tls_password *a,
                   const struct k8tls_password *b)
{
    if ((a->ref == NULL) != (b->ref == NULL) || (a->ref && strcmp(a->ref, b->ref) != 0))
        differs(c, path);
}

static void cmp_key(struct cmp *c, const char *path, const struct k8tls_key_spec *a,
                    const struct k8tls_key_spec *b)
{
    char sub[96];
    snprintf(sub, sizeof sub, "%s.set", path);
    cmp_int(c, sub, a->set, b->set);
    if (!a->set || !b->set)
        return;
    snprintf(sub, sizeof sub, "%s.algorithm", path);
    cmp_int(c, sub, a->alg, b->alg);
    snprintf(sub, sizeof sub, "%s.size", path);
    if (a->alg == K8TLS_KEY_RSA)
        cmp_int(c, sub, a->bits, b->bits);
    snprintf(sub, sizeof sub, "%s.curve", path);
    if (a->alg == K8TLS_KEY_ECDSA)
        cmp_int(c, sub, a->curve, b->curve);
}

static void cmp_set(struct cmp *c, const char *path, const struct k8tls_store_set *a,
                    const struct k8tls_store_set *b)
{
    char sub[96];
#define SUB(k) (snprintf(sub, sizeof sub, "%s.%s", path, k), sub)
    cmp_str(c, SUB("secretName"), a->secret_name, b->secret_name);
    cmp_int(c, SUB("source"), a->source, b->source);
    cmp_str(c, SUB("keys.keystore"), a->keys.keystore, b->keys.keystore);
    cmp_str(c, SUB("keys.truststore"), a->keys.truststore, b->keys.truststore);
    cmp_str(c, SUB("keys.keystorePassword"), a->keys.keystore_password, b->keys.keystore_password);
    cmp_str(c, SUB("keys.truststorePassword"), a->keys.truststore_password,
            b->keys.truststore_password);
    cmp_str(c, SUB("import.keystore"), a->keystore_path, b->keystore_path);
    cmp_str(c, SUB("import.truststore"), a->truststore_path, b->truststore_path);
    cmp_pw(c, SUB("keystorePassword"), &a->keystore_password, &b->keystore_password);
    cmp_pw(c, SUB("truststorePassword"), &a->truststore_password, &b->truststore_password);
#undef SUB
}

bool k8tls_plan_same(const struct k8tls_plan *a, const struct k8tls_plan *b, char *what, size_t len)
{
    struct cmp c = {what, len, true};
    char sub[96];
    if (what && len)
        what[0] = '\0';
    cmp_str(&c, "cluster.name", a->cluster.name, b->cluster.name);
    cmp_str(&c, "cluster.namespace", a->cluster.namespace_, b->cluster.namespace_);
    cmp_str(&c, "cluster.manifest", a->cluster.manifest, b->cluster.manifest);
    cmp_int(&c, "cluster.serverType", a->cluster.server_type, b->cluster.server_type);
    cmp_str(&c, "cluster.serverVersion", a->cluster.server_version, b->cluster.server_version);
    cmp_str(&c, "cluster.storageClass", a->cluster.storage_class, b->cluster.storage_class);
    cmp_str(&c, "cluster.storageSize", a->cluster.storage_size, b->cluster.storage_size);
    cmp_int(&c, "cluster.datacenters", (long)a->cluster.n_dcs, (long)b->cluster.n_dcs);
    for (size_t i = 0; c.same && i < a->cluster.n_dcs; i++) {
        snprintf(sub, sizeof sub, "cluster.datacenters[%zu].name", i);
        cmp_str(&c, sub, a->cluster.dcs[i].name, b->cluster.dcs[i].name);
        snprintf(sub, sizeof sub, "cluster.datacenters[%zu].size", i);
        cmp_int(&c, sub, a->cluster.dcs[i].size, b->cluster.dcs[i].size);
        snprintf(sub, sizeof sub, "cluster.datacenters[%zu].k8sContext", i);
        cmp_str(&c, sub, a->cluster.dcs[i].k8s_context, b->cluster.dcs[i].k8s_context);
    }
    cmp_int(&c, "cluster.stargate.enabled", a->cluster.stargate.enabled, b->cluster.stargate.enabled);
    cmp_int(&c, "cluster.stargate.size", a->cluster.stargate.size, b->cluster.stargate.size);
    cmp_int(&c, "cluster.reaper.enabled", a->cluster.reaper.enabled, b->cluster.reaper.enabled);
    cmp_str(&c, "cluster.reaper.deploymentMode", a->cluster.reaper.deployment_mode,
            b->cluster.reaper.deployment_mode);
    cmp_int(&c, "cluster.medusa.enabled", a->cluster.medusa.enabled, b->cluster.medusa.enabled);
    cmp_str(&c, "cluster.medusa.storageProvider", a->cluster.medusa.storage_provider,
            b->cluster.medusa.storage_provider);
    cmp_str(&c, "cluster.medusa.bucketName", a->cluster.medusa.bucket_name,
            b->cluster.medusa.bucket_name);
    cmp_str(&c, "cluster.medusa.storageSecret", a->cluster.medusa.storage_secret,
            b->cluster.medusa.storage_secret);
    cmp_int(&c, "encryption.internode.mode", a->encryption.internode.mode,
            b->encryption.internode.mode);
    cmp_int(&c, "encryption.internode.requireClientAuth",
            a->encryption.internode.require_client_auth, b->encryption.internode.require_client_auth);
    cmp_int(&c, "encryption.internode.requireEndpointVerification",
            a->encryption.internode.require_endpoint_verification,
            b->encryption.internode.require_endpoint_verification);
    cmp_int(&c, "encryption.client.enabled", a->encryption.client.enabled, b->encryption.client.enabled);
    cmp_int(&c, "encryption.client.optional", a->encryption.client.optional,
            b->encryption.client.optional);
    cmp_int(&c, "encryption.client.requireClientAuth", a->encryption.client.require_client_auth,
            b->encryption.client.require_client_auth);
    cmp_int(&c, "encryption.medusa.enabled", a->encryption.medusa.enabled, b->encryption.medusa.enabled);
    cmp_int(&c, "encryption.medusa.source", a->encryption.medusa.source, b->encryption.medusa.source);
    cmp_str(&c, "encryption.medusa.secretName", a->encryption.medusa.secret_name,
            b->encryption.medusa.secret_name);
    cmp_str(&c, "encryption.medusa.import.ca", a->encryption.medusa.import_ca,
            b->encryption.medusa.import_ca);
    cmp_str(&c, "encryption.medusa.import.cert", a->encryption.medusa.import_cert,
            b->encryption.medusa.import_cert);
    cmp_str(&c, "encryption.medusa.import.key", a->encryption.medusa.import_key,
            b->encryption.medusa.import_key);
    cmp_int(&c, "stores.format", a->stores.format, b->stores.format);
    cmp_int(&c, "stores.pkcs12Profile", a->stores.p12_profile, b->stores.p12_profile);
    cmp_set(&c, "stores.server", &a->stores.server, &b->stores.server);
    cmp_set(&c, "stores.client", &a->stores.client, &b->stores.client);
    cmp_int(&c, "ca.source", a->ca.source, b->ca.source);
    cmp_str(&c, "ca.subject.C", a->ca.subject.C, b->ca.subject.C);
    cmp_str(&c, "ca.subject.ST", a->ca.subject.ST, b->ca.subject.ST);
    cmp_str(&c, "ca.subject.L", a->ca.subject.L, b->ca.subject.L);
    cmp_str(&c, "ca.subject.O", a->ca.subject.O, b->ca.subject.O);
    cmp_str(&c, "ca.subject.OU", a->ca.subject.OU, b->ca.subject.OU);
    cmp_str(&c, "ca.subject.CN", a->ca.subject.CN, b->ca.subject.CN);
    cmp_str(&c, "ca.subject.emailAddress", a->ca.subject.emailAddress, b->ca.subject.emailAddress);
    cmp_key(&c, "ca.key", &a->ca.key, &b->ca.key);
    cmp_int(&c, "ca.validityDays", a->ca.validity_days, b->ca.validity_days);
    cmp_str(&c, "ca.import.cert", a->ca.import_cert, b->ca.import_cert);
    cmp_str(&c, "ca.import.key", a->ca.import_key, b->ca.import_key);
    cmp_pw(&c, "ca.import.keyPassword", &a->ca.import_key_password, &b->ca.import_key_password);
    cmp_int(&c, "certificates.validityDays", a->certificates.validity_days,
            b->certificates.validity_days);
    cmp_int(&c, "certificates.extraSANs", (long)a->certificates.n_extra_sans,
            (long)b->certificates.n_extra_sans);
    for (size_t i = 0; c.same && i < a->certificates.n_extra_sans; i++) {
        snprintf(sub, sizeof sub, "certificates.extraSANs[%zu]", i);
        cmp_str(&c, sub, a->certificates.extra_sans[i], b->certificates.extra_sans[i]);
    }
    cmp_key(&c, "certificates.key", &a->certificates.key, &b->certificates.key);
    cmp_str(&c, "output.directory", a->output.directory, b->output.directory);
    cmp_int(&c, "output.createNamespace", a->output.create_namespace, b->output.create_namespace);
    return c.same;
}
