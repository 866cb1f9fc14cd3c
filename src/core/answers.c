/* The answers file (SPEC §3): loaded over the defaults with libyaml's document API, reporting
 * every problem with FILE:LINE:COL, the key path and what is expected; written back through
 * libyaml, one top-level section per emitter run so that comments can sit between sections. */
#include "config.h"
#include "k8tls/answers.h"
#include "k8tls/yamlutil.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define API_VERSION "k8tls-wizard/v1"
#define PATH_MAX_LEN 256

/* ---- loading --------------------------------------------------------------------------- */

struct ld {
    const char *file;
    yaml_document_t *doc;
    struct k8tls_plan *p;
    struct k8tls_diags *d;
};

static void diag_at(struct ld *l, const yaml_node_t *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void diag_at(struct ld *l, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_pos at = k8tls_yaml_pos(n);
    k8tls_diags_add(l->d, K8TLS_SEV_ERROR, l->file, at.line, at.col, path, "%s", msg);
}

static void join(char *out, const char *path, const char *key)
{
    if (path && *path)
        snprintf(out, PATH_MAX_LEN, "%s.%s", path, key);
    else
        snprintf(out, PATH_MAX_LEN, "%s", key);
}

static void list_names(char *out, size_t len, const char *const *names)
{
    out[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", i ? ", " : "", names[i]);
    }
}

/* Text of a scalar for a message: bounded, so that hostile input cannot flood the terminal. */
static const char *shown(const yaml_node_t *n, char *buf, size_t len)
{
    const char *s = k8tls_yaml_scalar(n);
    if (!s)
        return k8tls_yaml_kind_name(n);
    size_t i = 0, o = 0;
    while (s[i] && o + 4 < len && i < 60) {
        unsigned char c = (unsigned char)s[i++];
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (s[i] && o + 4 <= len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static void record(struct ld *l, const char *path, const yaml_node_t *n)
{
    k8tls_plan_set_pos(l->p, path, k8tls_yaml_pos(n));
}

/* A mapping whose keys must come from allowed. Null (an empty value) is taken as "nothing
 * given". Reports non-mappings, unknown and duplicate keys. Returns true when n is a mapping. */
static bool check_map(struct ld *l, const yaml_node_t *n, const char *path,
                      const char *const *allowed)
{
    char sub[PATH_MAX_LEN], names[512], sh[80];
    if (!n || k8tls_yaml_is_null(n))
        return false;
    if (n->type != YAML_MAPPING_NODE) {
        diag_at(l, n, path, _("expected a mapping, found %s"), k8tls_yaml_kind_name(n));
        return false;
    }
    record(l, path, n);
    size_t len = k8tls_yaml_map_len(n);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *k = k8tls_yaml_map_key(l->doc, n, i);
        const char *ks = k8tls_yaml_scalar(k);
        if (!ks || strlen(ks) != k8tls_yaml_scalar_len(k)) {
            diag_at(l, k, path, _("a key must be a text value, found %s"),
                    k8tls_yaml_kind_name(k));
            continue;
        }
        bool known = false;
        for (size_t j = 0; allowed[j]; j++)
            if (strcmp(allowed[j], ks) == 0)
                known = true;
        join(sub, path, shown(k, sh, sizeof sh));
        if (!known) {
            list_names(names, sizeof names, allowed);
            diag_at(l, k, sub, _("unknown key; expected one of: %s"), names);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const char *prev = k8tls_yaml_scalar(k8tls_yaml_map_key(l->doc, n, j));
            if (prev && strcmp(prev, ks) == 0) {
                diag_at(l, k, sub, _("the key is given twice (first on line %d)"),
                        k8tls_yaml_pos(k8tls_yaml_map_key(l->doc, n, j)).line);
                break;
            }
        }
    }
    return true;
}

/* The value for key (NULL when absent); records its position under path.key into sub. */
static yaml_node_t *field(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                          char *sub)
{
    join(sub, path, key);
    yaml_node_t *v = k8tls_yaml_map_get(l->doc, map, key);
    if (v)
        record(l, sub, v);
    return v;
}

static bool scalar_ok(struct ld *l, const yaml_node_t *v, const char *path, const char *expected)
{
    if (v->type != YAML_SCALAR_NODE) {
        diag_at(l, v, path, _("expected %s, found %s"), expected, k8tls_yaml_kind_name(v));
        return false;
    }
    if (strlen(k8tls_yaml_scalar(v)) != k8tls_yaml_scalar_len(v)) {
        diag_at(l, v, path, _("expected %s, found a value with a NUL character"), expected);
        return false;
    }
    return true;
}

static void get_str(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                    char **dst)
{
    char sub[PATH_MAX_LEN];
    yaml_node_t *v = field(l, map, path, key, sub);
    if (!v)
        return;
    const char *s = "";
    if (!k8tls_yaml_is_null(v)) {
        if (!scalar_ok(l, v, sub, _("a text value")))
            return;
        s = k8tls_yaml_scalar(v);
    }
    char *c = strdup(s);
    if (!c)
        return;
    free(*dst);
    *dst = c;
}

static void get_bool(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                     bool *dst)
{
    char sub[PATH_MAX_LEN], sh[80];
    yaml_node_t *v = field(l, map, path, key, sub);
    if (!v)
        return;
    if (k8tls_yaml_get_bool(v, dst) < 0)
        diag_at(l, v, sub, _("expected true or false, found '%s'"), shown(v, sh, sizeof sh));
}

/* A plain scalar written as a whole number ([+-]digits), whatever its size. */
static bool whole_number_text(const yaml_node_t *v)
{
    if (!k8tls_yaml_is_plain(v))
        return false;
    const char *s = k8tls_yaml_scalar(v);
    const char *d = s + (*s == '-' || *s == '+');
    size_t n = strlen(d);
    return n && strspn(d, "0123456789") == n && strlen(s) == k8tls_yaml_scalar_len(v);
}

/* A whole number; min..max is the range the plan rules accept (shown when the number does not
 * even fit in an int: the plan rules check the rest with their own messages). */
static void get_int(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                    int min, int max, int *dst)
{
    char sub[PATH_MAX_LEN], sh[80];
    long n;
    yaml_node_t *v = field(l, map, path, key, sub);
    if (!v)
        return;
    if (k8tls_yaml_get_long(v, &n) == 0 && n >= INT_MIN && n <= INT_MAX)
        *dst = (int)n;
    else if (whole_number_text(v))
        diag_at(l, v, sub, _("'%s' is out of range: expected a whole number from %d to %d"),
                shown(v, sh, sizeof sh), min, max);
    else
        diag_at(l, v, sub, _("expected a whole number, found '%s'"), shown(v, sh, sizeof sh));
}

/* An enumerated value: names is NULL-terminated, parse maps a name to the enum value. */
static bool get_enum(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                     const char *const *names, int (*parse)(const char *), int *dst)
{
    char sub[PATH_MAX_LEN], list[256], sh[80];
    yaml_node_t *v = field(l, map, path, key, sub);
    if (!v)
        return false;
    const char *s = k8tls_yaml_scalar(v);
    bool listed = false;
    for (size_t i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            listed = true;
    int val = listed ? (parse ? parse(s) : 0) : -1;
    if (!listed || val < 0) {
        list_names(list, sizeof list, names);
        diag_at(l, v, sub, _("expected one of: %s; found '%s'"), list, shown(v, sh, sizeof sh));
        return false;
    }
    *dst = val;
    return true;
}

/* A string restricted to names (kept as a string in the plan). */
static void get_str_enum(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                         const char *const *names, char **dst)
{
    int dummy;
    yaml_node_t *v = k8tls_yaml_map_get(l->doc, map, key);
    if (get_enum(l, map, path, key, names, NULL, &dummy)) {
        char *c = strdup(k8tls_yaml_scalar(v));
        if (c) {
            free(*dst);
            *dst = c;
        }
    }
}

/* A password reference; *given tells whether the key was present (for "given twice"). */
static void get_password(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                         struct k8tls_password *pw, const char **given)
{
    char sub[PATH_MAX_LEN];
    yaml_node_t *v = field(l, map, path, key, sub);
    if (!v)
        return;
    if (given) {
        if (*given) {
            diag_at(l, v, sub, _("this password is also given as %s: give it once"), *given);
            return;
        }
        *given = "";
    }
    if (k8tls_yaml_is_null(v)) {
        k8tls_secure_free_str(pw->ref);
        pw->ref = NULL;
        pw->pos = k8tls_yaml_pos(v);
        return;
    }
    if (!scalar_ok(l, v, sub, _("a password, env:NAME or file:PATH")))
        return;
    char *c = strdup(k8tls_yaml_scalar(v));
    if (!c)
        return;
    k8tls_secure_free_str(pw->ref);
    pw->ref = c;
    pw->pos = k8tls_yaml_pos(v);
}

static const char *const server_types[] = {"cassandra", "dse", "hcd", NULL};
static const char *const internode_modes[] = {"none", "dc", "rack", "all", NULL};
static const char *const sources_gi[] = {"generate", "import", NULL};
static const char *const sources_gir[] = {"generate", "import", "reuse", NULL};
static const char *const formats[] = {"pkcs12", "jks", NULL};
static const char *const profiles[] = {"modern", "legacy", NULL};
static const char *const algs[] = {"rsa", "ecdsa", NULL};
static const char *const curves[] = {"P-256", "P-384", NULL};
static const char *const deploy_modes[] = {"SINGLE", "PER_DC", "CONTROL_PLANE", NULL};
static const char *const providers[] = {"google_storage", "azure_blobs", "s3", "s3_compatible",
                                        "s3_rgw", "ibm_storage", NULL};

static int parse_server_type(const char *s) { return k8tls_server_type_parse(s); }
static int parse_internode(const char *s) { return k8tls_internode_mode_parse(s); }
static int parse_source(const char *s) { return k8tls_source_parse(s); }
static int parse_format(const char *s) { return k8tls_store_format_parse(s); }
static int parse_profile(const char *s) { return k8tls_p12_profile_parse(s); }
static int parse_alg(const char *s) { return k8tls_key_alg_parse(s); }
static int parse_curve(const char *s) { return k8tls_curve_parse(s); }

static void load_dc(struct ld *l, const yaml_node_t *item, const char *path, struct k8tls_dc *dc)
{
    static const char *const keys[] = {"name", "size", "k8sContext", NULL};
    dc->pos = k8tls_yaml_pos(item);
    if (!check_map(l, item, path, keys)) {
        if (!item || k8tls_yaml_is_null(item))
            diag_at(l, item, path, "%s", _("expected a mapping with name, size and k8sContext"));
        return;
    }
    get_str(l, item, path, "name", &dc->name);
    get_int(l, item, path, "size", 1, INT_MAX, &dc->size);
    get_str(l, item, path, "k8sContext", &dc->k8s_context);
    if (!k8tls_yaml_map_get(l->doc, item, "name"))
        diag_at(l, item, path, "%s", _("a datacenter needs a name"));
}

static void load_cluster(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"name", "namespace", "manifest", "serverType",
        "serverVersion", "storageClass", "storageSize", "datacenters", "stargate", "reaper",
        "medusa", NULL};
    static const char *const sg_keys[] = {"enabled", "size", NULL};
    static const char *const rp_keys[] = {"enabled", "deploymentMode", NULL};
    static const char *const md_keys[] = {"enabled", "storageProvider", "bucketName",
                                          "storageSecret", NULL};
    struct k8tls_plan *p = l->p;
    char sub[PATH_MAX_LEN];
    int v;
    if (!check_map(l, n, "cluster", keys))
        return;
    get_str(l, n, "cluster", "name", &p->cluster.name);
    get_str(l, n, "cluster", "namespace", &p->cluster.namespace_);
    get_str(l, n, "cluster", "manifest", &p->cluster.manifest);
    if (get_enum(l, n, "cluster", "serverType", server_types, parse_server_type, &v))
        p->cluster.server_type = (enum k8tls_server_type)v;
    get_str(l, n, "cluster", "serverVersion", &p->cluster.server_version);
    get_str(l, n, "cluster", "storageClass", &p->cluster.storage_class);
    get_str(l, n, "cluster", "storageSize", &p->cluster.storage_size);

    yaml_node_t *dcs = field(l, n, "cluster", "datacenters", sub);
    if (dcs) {
        if (dcs->type != YAML_SEQUENCE_NODE) {
            if (k8tls_yaml_is_null(dcs))
                k8tls_plan_set_dcs(p, 0);
            else
                diag_at(l, dcs, sub, _("expected a list of datacenters, found %s"),
                        k8tls_yaml_kind_name(dcs));
        } else {
            size_t cnt = k8tls_yaml_seq_len(dcs);
            /* too many: one error, and the default datacenters kept (not an empty list, which
             * would add "at least one datacenter is required") */
            if (cnt > K8TLS_MAX_DCS)
                diag_at(l, dcs, sub, _("expected at most %d datacenters, found %zu"),
                        K8TLS_MAX_DCS, cnt);
            else if (k8tls_plan_set_dcs(p, cnt) == 0) {
                for (size_t i = 0; i < cnt; i++) {
                    char ip[PATH_MAX_LEN];
                    struct k8tls_dc *dc = &p->cluster.dcs[i];
                    dc->size = 3;
                    dc->name = strdup("");
                    dc->k8s_context = strdup("");
                    snprintf(ip, sizeof ip, "cluster.datacenters[%zu]", i);
                    yaml_node_t *item = k8tls_yaml_seq_item(l->doc, dcs, i);
                    record(l, ip, item);
                    load_dc(l, item, ip, dc);
                }
            }
        }
    }

    yaml_node_t *sg = field(l, n, "cluster", "stargate", sub);
    if (check_map(l, sg, sub, sg_keys)) {
        get_bool(l, sg, sub, "enabled", &p->cluster.stargate.enabled);
        get_int(l, sg, sub, "size", 1, INT_MAX, &p->cluster.stargate.size);
    }
    yaml_node_t *rp = field(l, n, "cluster", "reaper", sub);
    if (check_map(l, rp, sub, rp_keys)) {
        get_bool(l, rp, sub, "enabled", &p->cluster.reaper.enabled);
        get_str_enum(l, rp, sub, "deploymentMode", deploy_modes, &p->cluster.reaper.deployment_mode);
    }
    yaml_node_t *md = field(l, n, "cluster", "medusa", sub);
    if (check_map(l, md, sub, md_keys)) {
        get_bool(l, md, sub, "enabled", &p->cluster.medusa.enabled);
        get_str_enum(l, md, sub, "storageProvider", providers, &p->cluster.medusa.storage_provider);
        get_str(l, md, sub, "bucketName", &p->cluster.medusa.bucket_name);
        get_str(l, md, sub, "storageSecret", &p->cluster.medusa.storage_secret);
    }
}

static bool load_encryption(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"internode", "client", "medusa", NULL};
    static const char *const in_keys[] = {"mode", "requireClientAuth",
                                          "requireEndpointVerification", NULL};
    static const char *const cl_keys[] = {"enabled", "optional", "requireClientAuth", NULL};
    static const char *const md_keys[] = {"enabled", "source", "secretName", "import", NULL};
    static const char *const imp_keys[] = {"ca", "cert", "key", NULL};
    struct k8tls_plan *p = l->p;
    char sub[PATH_MAX_LEN], isub[PATH_MAX_LEN];
    bool medusa_enabled_given = false;
    int v;
    if (!check_map(l, n, "encryption", keys))
        return false;
    yaml_node_t *in = field(l, n, "encryption", "internode", sub);
    if (check_map(l, in, sub, in_keys)) {
        if (get_enum(l, in, sub, "mode", internode_modes, parse_internode, &v))
            p->encryption.internode.mode = (enum k8tls_internode_mode)v;
        get_bool(l, in, sub, "requireClientAuth", &p->encryption.internode.require_client_auth);
        get_bool(l, in, sub, "requireEndpointVerification",
                 &p->encryption.internode.require_endpoint_verification);
    }
    yaml_node_t *cl = field(l, n, "encryption", "client", sub);
    if (check_map(l, cl, sub, cl_keys)) {
        get_bool(l, cl, sub, "enabled", &p->encryption.client.enabled);
        get_bool(l, cl, sub, "optional", &p->encryption.client.optional);
        get_bool(l, cl, sub, "requireClientAuth", &p->encryption.client.require_client_auth);
    }
    yaml_node_t *md = field(l, n, "encryption", "medusa", sub);
    if (check_map(l, md, sub, md_keys)) {
        medusa_enabled_given = k8tls_yaml_map_get(l->doc, md, "enabled") != NULL;
        get_bool(l, md, sub, "enabled", &p->encryption.medusa.enabled);
        if (get_enum(l, md, sub, "source", sources_gi, parse_source, &v))
            p->encryption.medusa.source = (enum k8tls_source)v;
        get_str(l, md, sub, "secretName", &p->encryption.medusa.secret_name);
        yaml_node_t *imp = field(l, md, sub, "import", isub);
        if (check_map(l, imp, isub, imp_keys)) {
            get_str(l, imp, isub, "ca", &p->encryption.medusa.import_ca);
            get_str(l, imp, isub, "cert", &p->encryption.medusa.import_cert);
            get_str(l, imp, isub, "key", &p->encryption.medusa.import_key);
        }
    }
    return medusa_enabled_given;
}

static void load_store_set(struct ld *l, const yaml_node_t *n, const char *path,
                           struct k8tls_store_set *s, const char *const *sources)
{
    static const char *const keys[] = {"secretName", "source", "keys", "keystorePassword",
                                       "truststorePassword", "import", NULL};
    static const char *const key_keys[] = {"keystore", "truststore", "keystorePassword",
                                           "truststorePassword", NULL};
    static const char *const imp_keys[] = {"keystore", "keystorePassword", "truststore",
                                           "truststorePassword", NULL};
    char sub[PATH_MAX_LEN];
    const char *ks_given = NULL, *ts_given = NULL;
    char ks_where[PATH_MAX_LEN], ts_where[PATH_MAX_LEN];
    int v;
    if (!check_map(l, n, path, keys))
        return;
    get_str(l, n, path, "secretName", &s->secret_name);
    if (get_enum(l, n, path, "source", sources, parse_source, &v))
        s->source = (enum k8tls_source)v;
    yaml_node_t *k = field(l, n, path, "keys", sub);
    if (check_map(l, k, sub, key_keys)) {
        get_str(l, k, sub, "keystore", &s->keys.keystore);
        get_str(l, k, sub, "truststore", &s->keys.truststore);
        get_str(l, k, sub, "keystorePassword", &s->keys.keystore_password);
        get_str(l, k, sub, "truststorePassword", &s->keys.truststore_password);
    }
    get_password(l, n, path, "keystorePassword", &s->keystore_password, &ks_given);
    if (ks_given) {
        join(ks_where, path, "keystorePassword");
        ks_given = ks_where;
    }
    get_password(l, n, path, "truststorePassword", &s->truststore_password, &ts_given);
    if (ts_given) {
        join(ts_where, path, "truststorePassword");
        ts_given = ts_where;
    }
    yaml_node_t *imp = field(l, n, path, "import", sub);
    if (check_map(l, imp, sub, imp_keys)) {
        get_str(l, imp, sub, "keystore", &s->keystore_path);
        get_password(l, imp, sub, "keystorePassword", &s->keystore_password, &ks_given);
        get_str(l, imp, sub, "truststore", &s->truststore_path);
        get_password(l, imp, sub, "truststorePassword", &s->truststore_password, &ts_given);
    }
}

static void load_stores(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"format", "pkcs12Profile", "server", "client", NULL};
    struct k8tls_plan *p = l->p;
    char sub[PATH_MAX_LEN];
    int v;
    if (!check_map(l, n, "stores", keys))
        return;
    if (get_enum(l, n, "stores", "format", formats, parse_format, &v))
        p->stores.format = (enum k8tls_store_format)v;
    if (get_enum(l, n, "stores", "pkcs12Profile", profiles, parse_profile, &v))
        p->stores.p12_profile = (enum k8tls_p12_profile)v;
    load_store_set(l, field(l, n, "stores", "server", sub), sub, &p->stores.server, sources_gi);
    load_store_set(l, field(l, n, "stores", "client", sub), sub, &p->stores.client, sources_gir);
}

static void load_key_spec(struct ld *l, const yaml_node_t *n, const char *path,
                          struct k8tls_key_spec *k)
{
    static const char *const keys[] = {"algorithm", "size", "curve", NULL};
    char sub[PATH_MAX_LEN];
    int v;
    if (!check_map(l, n, path, keys))
        return;
    k->set = true;
    if (get_enum(l, n, path, "algorithm", algs, parse_alg, &v))
        k->alg = (enum k8tls_key_alg)v;
    get_int(l, n, path, "size", 2048, 4096, &k->bits);
    if (get_enum(l, n, path, "curve", curves, parse_curve, &v))
        k->curve = (enum k8tls_curve)v;
    yaml_node_t *size = k8tls_yaml_map_get(l->doc, n, "size");
    yaml_node_t *curve = k8tls_yaml_map_get(l->doc, n, "curve");
    if (k->alg == K8TLS_KEY_ECDSA && size) {
        join(sub, path, "size");
        diag_at(l, size, sub, "%s", _("size is for rsa keys; an ecdsa key takes a curve (P-256 or P-384)"));
    }
    if (k->alg == K8TLS_KEY_RSA && curve) {
        join(sub, path, "curve");
        diag_at(l, curve, sub, "%s", _("curve is for ecdsa keys; an rsa key takes a size (2048, 3072 or 4096)"));
    }
}

static void load_ca(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"source", "subject", "key", "validityDays", "import", NULL};
    static const char *const subj_keys[] = {"C", "ST", "L", "O", "OU", "CN", "emailAddress", NULL};
    static const char *const imp_keys[] = {"cert", "key", "keyPassword", NULL};
    struct k8tls_plan *p = l->p;
    char sub[PATH_MAX_LEN];
    int v;
    if (!check_map(l, n, "ca", keys))
        return;
    if (get_enum(l, n, "ca", "source", sources_gi, parse_source, &v))
        p->ca.source = (enum k8tls_source)v;
    yaml_node_t *s = field(l, n, "ca", "subject", sub);
    if (check_map(l, s, sub, subj_keys)) {
        struct k8tls_subject *j = &p->ca.subject;
        get_str(l, s, sub, "C", &j->C);
        get_str(l, s, sub, "ST", &j->ST);
        get_str(l, s, sub, "L", &j->L);
        get_str(l, s, sub, "O", &j->O);
        get_str(l, s, sub, "OU", &j->OU);
        get_str(l, s, sub, "CN", &j->CN);
        get_str(l, s, sub, "emailAddress", &j->emailAddress);
    }
    load_key_spec(l, field(l, n, "ca", "key", sub), sub, &p->ca.key);
    p->ca.key.set = true;
    get_int(l, n, "ca", "validityDays", 1, K8TLS_MAX_VALIDITY_DAYS, &p->ca.validity_days);
    yaml_node_t *imp = field(l, n, "ca", "import", sub);
    if (check_map(l, imp, sub, imp_keys)) {
        get_str(l, imp, sub, "cert", &p->ca.import_cert);
        get_str(l, imp, sub, "key", &p->ca.import_key);
        get_password(l, imp, sub, "keyPassword", &p->ca.import_key_password, NULL);
    }
}

static void load_certificates(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"validityDays", "extraSANs", "key", NULL};
    struct k8tls_plan *p = l->p;
    char sub[PATH_MAX_LEN], sh[80];
    if (!check_map(l, n, "certificates", keys))
        return;
    get_int(l, n, "certificates", "validityDays", 1, K8TLS_MAX_VALIDITY_DAYS,
            &p->certificates.validity_days);
    yaml_node_t *sans = field(l, n, "certificates", "extraSANs", sub);
    if (sans && !k8tls_yaml_is_null(sans)) {
        if (sans->type != YAML_SEQUENCE_NODE) {
            diag_at(l, sans, sub, _("expected a list of DNS names or IP addresses, found %s"),
                    k8tls_yaml_kind_name(sans));
        } else {
            size_t cnt = k8tls_yaml_seq_len(sans);
            if (cnt > 1000) {
                diag_at(l, sans, sub, "%s", _("expected at most 1000 names"));
                cnt = 0;
            }
            for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
                free(p->certificates.extra_sans[i]);
            free(p->certificates.extra_sans);
            p->certificates.n_extra_sans = 0;
            p->certificates.extra_sans = cnt ? calloc(cnt, sizeof(char *)) : NULL;
            for (size_t i = 0; p->certificates.extra_sans && i < cnt; i++) {
                char ip[PATH_MAX_LEN];
                yaml_node_t *it = k8tls_yaml_seq_item(l->doc, sans, i);
                snprintf(ip, sizeof ip, "certificates.extraSANs[%zu]", i);
                record(l, ip, it);
                if (k8tls_yaml_is_null(it) || it->type != YAML_SCALAR_NODE ||
                    strlen(k8tls_yaml_scalar(it)) != k8tls_yaml_scalar_len(it)) {
                    diag_at(l, it, ip, _("expected a DNS name or an IP address, found %s"),
                            k8tls_yaml_is_null(it) ? k8tls_yaml_kind_name(it)
                                                   : shown(it, sh, sizeof sh));
                    continue;
                }
                char *c = strdup(k8tls_yaml_scalar(it));
                if (c)
                    p->certificates.extra_sans[p->certificates.n_extra_sans++] = c;
            }
        }
    } else if (sans) {
        for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
            free(p->certificates.extra_sans[i]);
        free(p->certificates.extra_sans);
        p->certificates.extra_sans = NULL;
        p->certificates.n_extra_sans = 0;
    }
    yaml_node_t *key = field(l, n, "certificates", "key", sub);
    if (key && k8tls_yaml_is_null(key)) {
        p->certificates.key.set = false;
    } else if (key) {
        /* leaf keys start from the CA's algorithm and size */
        struct k8tls_key_spec k = p->ca.key;
        load_key_spec(l, key, sub, &k);
        if (k.set)
            p->certificates.key = k;
    }
}

static void load_output(struct ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"directory", "createNamespace", NULL};
    if (!check_map(l, n, "output", keys))
        return;
    get_str(l, n, "output", "directory", &l->p->output.directory);
    get_bool(l, n, "output", "createNamespace", &l->p->output.create_namespace);
}

static void load_root(struct ld *l, const yaml_node_t *root)
{
    static const char *const keys[] = {"apiVersion", "cluster", "encryption", "stores", "ca",
                                       "certificates", "output", NULL};
    char sub[PATH_MAX_LEN], sh[80];
    if (!root || k8tls_yaml_is_null(root))
        return;   /* an empty file: the defaults */
    if (root->type != YAML_MAPPING_NODE) {
        diag_at(l, root, NULL, _("expected an answers file (a mapping with apiVersion: %s), found %s"),
                API_VERSION, k8tls_yaml_kind_name(root));
        return;
    }
    check_map(l, root, "", keys);
    yaml_node_t *api = field(l, root, "", "apiVersion", sub);
    if (api && (!k8tls_yaml_scalar(api) || strcmp(k8tls_yaml_scalar(api), API_VERSION) != 0))
        diag_at(l, api, sub, _("expected %s, found '%s'"), API_VERSION, shown(api, sh, sizeof sh));
    load_cluster(l, field(l, root, "", "cluster", sub));
    bool medusa_given = load_encryption(l, field(l, root, "", "encryption", sub));
    /* encryption.medusa.enabled defaults to true when client encryption is on; without client
     * encryption there is nothing to encrypt Medusa's connection with */
    if (!medusa_given)
        l->p->encryption.medusa.enabled = l->p->encryption.client.enabled;
    load_stores(l, field(l, root, "", "stores", sub));
    load_ca(l, field(l, root, "", "ca", sub));
    load_certificates(l, field(l, root, "", "certificates", sub));
    load_output(l, field(l, root, "", "output", sub));
}

struct k8tls_plan *k8tls_answers_load_buf(const char *name, const char *buf, size_t len,
                                          struct k8tls_diags *d)
{
    struct k8tls_err e;
    yaml_document_t doc;
    k8tls_err_clear(&e);
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    if (!p) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, name, 0, 0, NULL, "%s", _("out of memory"));
        return NULL;
    }
    free(p->source_file);
    p->source_file = strdup(name);
    if (k8tls_yaml_load(name, buf, len, &doc, &e) < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, e.file[0] ? e.file : name, e.line, e.col, NULL,
                        "%s", e.msg);
        return p;
    }
    struct ld l = {name, &doc, p, d};
    load_root(&l, yaml_document_get_root_node(&doc));
    yaml_document_delete(&doc);
    return p;
}

struct k8tls_plan *k8tls_answers_load(const char *path, struct k8tls_diags *d)
{
    struct k8tls_err e;
    char *buf;
    size_t len;
    k8tls_err_clear(&e);
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, &e) < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, e.file, 0, 0, NULL, "%s", e.msg);
        return NULL;
    }
    const char *name = strcmp(path, "-") == 0 ? _("<stdin>") : path;
    struct k8tls_plan *p = k8tls_answers_load_buf(name, buf, len, d);
    /* the buffer may hold literal passwords */
    k8tls_secure_wipe_str(buf);
    free(buf);
    return p;
}

/* ---- writing --------------------------------------------------------------------------- */

struct em {
    yaml_document_t doc;
    int flags;
    int fail;
    const char *base;   /* K8TLS_EMIT_ABSOLUTE_PATHS: the plan's base directory, absolute */
};

/* The plan's base directory made absolute (against the current directory), or NULL (OOM, or no
 * current directory). Heap string. */
static char *absolute_base(const struct k8tls_plan *p)
{
    char *base = k8tls_plan_base_dir(p);
    if (!base || base[0] == '/')
        return base;
    char *cwd = getcwd(NULL, 0);
    char *out = NULL;
    if (cwd) {
        const char *rel = base;
        while (rel[0] == '.' && (rel[1] == '/' || !rel[1]))     /* "./a", "." */
            rel += rel[1] ? 2 : 1;
        size_t n = strlen(cwd) + strlen(rel) + 2;
        out = malloc(n);
        if (out)
            snprintf(out, n, "%s%s%s", cwd, *rel && strcmp(cwd, "/") ? "/" : "", rel);
    }
    free(cwd);
    free(base);
    return out;
}

/* A path of the plan as written: relative ones against m->base when it is set. Heap string or
 * NULL (OOM: m->fail set). */
static char *path_as_written(struct em *m, const char *path)
{
    if (!m->base || !path || !*path || path[0] == '/')
        return strdup(path ? path : "");
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    size_t n = strlen(m->base) + strlen(path) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", m->base, strcmp(m->base, "/") ? "/" : "", path);
    else
        m->fail = 1;
    return out;
}

static void put_str(struct em *m, int map, const char *key, const char *v)
{
    if (k8tls_yaml_map_str(&m->doc, map, key, v) < 0)
        m->fail = 1;
}
static void put_int(struct em *m, int map, const char *key, long v)
{
    if (k8tls_yaml_map_int(&m->doc, map, key, v) < 0)
        m->fail = 1;
}
static void put_bool(struct em *m, int map, const char *key, bool v)
{
    if (k8tls_yaml_map_bool(&m->doc, map, key, v) < 0)
        m->fail = 1;
}
static int put_map(struct em *m, int map, const char *key, bool flow)
{
    int c = k8tls_yaml_add_map(&m->doc, flow);
    if (k8tls_yaml_map_add(&m->doc, map, key, c) < 0) {
        m->fail = 1;
        return 0;
    }
    return c;
}

/* A file path of the plan (cluster.manifest, import paths, output.directory). */
static void put_path(struct em *m, int map, const char *key, const char *v)
{
    if (!v || !m->base) {
        put_str(m, map, key, v);
        return;
    }
    char *w = path_as_written(m, v);
    if (w)
        put_str(m, map, key, w);
    free(w);
}

static bool is_reference(const char *ref)
{
    return ref && (strncmp(ref, "env:", 4) == 0 || strncmp(ref, "file:", 5) == 0);
}

static void put_password(struct em *m, int map, const char *key, const struct k8tls_password *pw)
{
    if (!pw->ref)
        return;
    if ((m->flags & K8TLS_EMIT_OMIT_LITERAL_PW) && !is_reference(pw->ref))
        return;
    if (m->base && strncmp(pw->ref, "file:", 5) == 0 && pw->ref[5]) {
        char *w = path_as_written(m, pw->ref + 5);
        size_t n = w ? strlen(w) + 6 : 0;
        char *ref = w ? malloc(n) : NULL;
        if (ref) {
            snprintf(ref, n, "file:%s", w);
            put_str(m, map, key, ref);
        } else {
            m->fail = 1;
        }
        free(ref);
        free(w);
        return;
    }
    put_str(m, map, key, pw->ref);
}

static bool nonempty(const char *s)
{
    return s && *s;
}

static void emit_cluster(struct em *m, int root, const struct k8tls_plan *p)
{
    int c = put_map(m, root, "cluster", false);
    put_str(m, c, "name", p->cluster.name);
    put_str(m, c, "namespace", p->cluster.namespace_);
    put_path(m, c, "manifest", p->cluster.manifest);
    put_str(m, c, "serverType", k8tls_server_type_name(p->cluster.server_type));
    /* K10: serverVersion always a quoted string */
    int sv = yaml_document_add_scalar(&m->doc, NULL,
                                      (yaml_char_t *)(p->cluster.server_version ? p->cluster.server_version : ""),
                                      -1, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    if (k8tls_yaml_map_add(&m->doc, c, "serverVersion", sv) < 0)
        m->fail = 1;
    put_str(m, c, "storageClass", p->cluster.storage_class);
    put_str(m, c, "storageSize", p->cluster.storage_size);
    int dcs = k8tls_yaml_add_seq(&m->doc, false);
    if (k8tls_yaml_map_add(&m->doc, c, "datacenters", dcs) < 0)
        m->fail = 1;
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        int dc = k8tls_yaml_add_map(&m->doc, true);
        put_str(m, dc, "name", p->cluster.dcs[i].name);
        put_int(m, dc, "size", p->cluster.dcs[i].size);
        put_str(m, dc, "k8sContext", p->cluster.dcs[i].k8s_context);
        if (k8tls_yaml_seq_add(&m->doc, dcs, dc) < 0)
            m->fail = 1;
    }
    int sg = put_map(m, c, "stargate", true);
    put_bool(m, sg, "enabled", p->cluster.stargate.enabled);
    put_int(m, sg, "size", p->cluster.stargate.size);
    int rp = put_map(m, c, "reaper", true);
    put_bool(m, rp, "enabled", p->cluster.reaper.enabled);
    put_str(m, rp, "deploymentMode", p->cluster.reaper.deployment_mode);
    int md = put_map(m, c, "medusa", false);
    put_bool(m, md, "enabled", p->cluster.medusa.enabled);
    put_str(m, md, "storageProvider", p->cluster.medusa.storage_provider);
    put_str(m, md, "bucketName", p->cluster.medusa.bucket_name);
    put_str(m, md, "storageSecret", p->cluster.medusa.storage_secret);
}

static void emit_encryption(struct em *m, int root, const struct k8tls_plan *p)
{
    int e = put_map(m, root, "encryption", false);
    int in = put_map(m, e, "internode", true);
    put_str(m, in, "mode", k8tls_internode_mode_name(p->encryption.internode.mode));
    put_bool(m, in, "requireClientAuth", p->encryption.internode.require_client_auth);
    put_bool(m, in, "requireEndpointVerification",
             p->encryption.internode.require_endpoint_verification);
    int cl = put_map(m, e, "client", true);
    put_bool(m, cl, "enabled", p->encryption.client.enabled);
    put_bool(m, cl, "optional", p->encryption.client.optional);
    put_bool(m, cl, "requireClientAuth", p->encryption.client.require_client_auth);
    int md = put_map(m, e, "medusa", false);
    put_bool(m, md, "enabled", p->encryption.medusa.enabled);
    put_str(m, md, "source", k8tls_source_name(p->encryption.medusa.source));
    put_str(m, md, "secretName", p->encryption.medusa.secret_name);
    if (p->encryption.medusa.source == K8TLS_SOURCE_IMPORT ||
        nonempty(p->encryption.medusa.import_ca) || nonempty(p->encryption.medusa.import_cert) ||
        nonempty(p->encryption.medusa.import_key)) {
        int imp = put_map(m, md, "import", true);
        put_path(m, imp, "ca", p->encryption.medusa.import_ca);
        put_path(m, imp, "cert", p->encryption.medusa.import_cert);
        put_path(m, imp, "key", p->encryption.medusa.import_key);
    }
}

static void emit_store_set(struct em *m, int stores, const char *key,
                           const struct k8tls_store_set *s)
{
    int x = put_map(m, stores, key, false);
    put_str(m, x, "secretName", s->secret_name);
    put_str(m, x, "source", k8tls_source_name(s->source));
    int k = put_map(m, x, "keys", true);
    put_str(m, k, "keystore", s->keys.keystore);
    put_str(m, k, "truststore", s->keys.truststore);
    put_str(m, k, "keystorePassword", s->keys.keystore_password);
    put_str(m, k, "truststorePassword", s->keys.truststore_password);
    bool import = s->source == K8TLS_SOURCE_IMPORT;
    if (!import) {
        put_password(m, x, "keystorePassword", &s->keystore_password);
        put_password(m, x, "truststorePassword", &s->truststore_password);
    }
    if (import || nonempty(s->keystore_path) || nonempty(s->truststore_path)) {
        int imp = put_map(m, x, "import", false);
        put_path(m, imp, "keystore", s->keystore_path);
        if (import)
            put_password(m, imp, "keystorePassword", &s->keystore_password);
        put_path(m, imp, "truststore", s->truststore_path);
        if (import)
            put_password(m, imp, "truststorePassword", &s->truststore_password);
    }
}

static void emit_stores(struct em *m, int root, const struct k8tls_plan *p)
{
    int s = put_map(m, root, "stores", false);
    put_str(m, s, "format", k8tls_store_format_name(p->stores.format));
    put_str(m, s, "pkcs12Profile", k8tls_p12_profile_name(p->stores.p12_profile));
    emit_store_set(m, s, "server", &p->stores.server);
    emit_store_set(m, s, "client", &p->stores.client);
}

static void emit_key_spec(struct em *m, int parent, const struct k8tls_key_spec *k)
{
    int km = put_map(m, parent, "key", true);
    put_str(m, km, "algorithm", k8tls_key_alg_name(k->alg));
    if (k->alg == K8TLS_KEY_RSA)
        put_int(m, km, "size", k->bits);
    else
        put_str(m, km, "curve", k8tls_curve_name(k->curve));
}

static void emit_ca(struct em *m, int root, const struct k8tls_plan *p)
{
    int c = put_map(m, root, "ca", false);
    put_str(m, c, "source", k8tls_source_name(p->ca.source));
    int s = put_map(m, c, "subject", true);
    put_str(m, s, "C", p->ca.subject.C);
    put_str(m, s, "ST", p->ca.subject.ST);
    put_str(m, s, "L", p->ca.subject.L);
    put_str(m, s, "O", p->ca.subject.O);
    put_str(m, s, "OU", p->ca.subject.OU);
    put_str(m, s, "CN", p->ca.subject.CN);
    put_str(m, s, "emailAddress", p->ca.subject.emailAddress);
    emit_key_spec(m, c, &p->ca.key);
    put_int(m, c, "validityDays", p->ca.validity_days);
    if (p->ca.source == K8TLS_SOURCE_IMPORT || nonempty(p->ca.import_cert) ||
        nonempty(p->ca.import_key) || p->ca.import_key_password.ref) {
        int imp = put_map(m, c, "import", false);
        put_path(m, imp, "cert", p->ca.import_cert);
        put_path(m, imp, "key", p->ca.import_key);
        put_password(m, imp, "keyPassword", &p->ca.import_key_password);
    }
}

static void emit_certificates(struct em *m, int root, const struct k8tls_plan *p)
{
    int c = put_map(m, root, "certificates", false);
    put_int(m, c, "validityDays", p->certificates.validity_days);
    int sans = k8tls_yaml_add_seq(&m->doc, true);
    if (k8tls_yaml_map_add(&m->doc, c, "extraSANs", sans) < 0)
        m->fail = 1;
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        if (k8tls_yaml_seq_add(&m->doc, sans, k8tls_yaml_add_str(&m->doc, p->certificates.extra_sans[i])) < 0)
            m->fail = 1;
    if (p->certificates.key.set)
        emit_key_spec(m, c, &p->certificates.key);
}

static void emit_output(struct em *m, int root, const struct k8tls_plan *p)
{
    int o = put_map(m, root, "output", false);
    put_path(m, o, "directory", p->output.directory);
    put_bool(m, o, "createNamespace", p->output.create_namespace);
}

static void emit_api(struct em *m, int root, const struct k8tls_plan *p)
{
    (void)p;
    put_str(m, root, "apiVersion", API_VERSION);
}

struct section {
    void (*emit)(struct em *, int, const struct k8tls_plan *);
    const char *comment;   /* N_() text, lines separated by \n; each gets "# " */
};

static const struct section sections[] = {
    {emit_api, N_("k8tls-wizard answers file. Use it with: k8tls-wizard --answers FILE [--output DIR] [--apply]\n"
                  "Missing keys take the built-in defaults. A password may be a literal, env:NAME (an\n"
                  "environment variable) or file:PATH (relative to this file's directory); a password\n"
                  "that is not given is generated.")},
    {emit_cluster, N_("The K8ssandraCluster. name, namespace and datacenter names are DNS-1123 labels.\n"
                      "manifest: an existing K8ssandraCluster file to add encryption to (\"\" = a new one).\n"
                      "serverType: cassandra | dse | hcd. serverVersion: \"N.N.N\" (cassandra 3.11.x, 4.x, 5.x;\n"
                      "dse 6.8.x, 6.9.x; hcd 1.x). datacenters[].k8sContext: \"\" = the control-plane context.\n"
                      "Stargate is DEPRECATED in the current K8ssandraCluster CRD. reaper.deploymentMode:\n"
                      "SINGLE | PER_DC | CONTROL_PLANE. medusa.storageProvider: google_storage | azure_blobs |\n"
                      "s3 | s3_compatible | s3_rgw | ibm_storage; Medusa's encryption is under encryption.medusa.")},
    {emit_encryption, N_("What is encrypted. internode.mode: none | dc | rack | all (with requireClientAuth,\n"
                         "all is advised: dc and rack allow mTLS bypass). client: CQL and JMX over TLS.\n"
                         "medusa: the Medusa client certificate (needs client encryption); source: generate |\n"
                         "import, with import: {ca: rootca.crt, cert: client.crt_signed, key: client.key}.")},
    {emit_stores, N_("Keystores and truststores. format: pkcs12 | jks. pkcs12Profile: modern (AES-256-CBC,\n"
                     "PBKDF2, HMAC-SHA-256) | legacy (3DES, SHA-1: old Java 8). source: generate | import\n"
                     "(client also: reuse = the server stores' Secret). keys: the Secret's data keys.\n"
                     "import: {keystore: PATH, keystorePassword: env:KS_PW, truststore: PATH,\n"
                     "truststorePassword: file:ts.pw}.")},
    {emit_ca, N_("The root CA. source: generate | import (import: {cert: PATH, key: PATH, keyPassword: ...}).\n"
                 "key: {algorithm: rsa, size: 2048 | 3072 | 4096} or {algorithm: ecdsa, curve: P-256 | P-384}.")},
    {emit_certificates, N_("Node certificates: validity, extra subject alternative names (DNS names or IP\n"
                           "addresses) and, optionally, key: {...} (default: the CA's algorithm and size).")},
    {emit_output, N_("Where --answers writes when --output is not given; createNamespace adds a Namespace.")},
};

static int append(char **out, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n + len + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *n + len + 1)
            c *= 2;
        char *np = realloc(*out, c);
        if (!np)
            return -1;
        *out = np;
        *cap = c;
    }
    memcpy(*out + *n, s, len);
    *n += len;
    (*out)[*n] = '\0';
    return 0;
}

static int append_comment(char **out, size_t *n, size_t *cap, const char *text)
{
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (append(out, n, cap, "# ", 2) < 0 || append(out, n, cap, s, len) < 0 ||
            append(out, n, cap, "\n", 1) < 0)
            return -1;
        s += len + (nl ? 1 : 0);
    }
    return 0;
}

int k8tls_answers_emit_buf(const struct k8tls_plan *p, int flags, char **buf, size_t *len,
                           struct k8tls_err *e)
{
    char *out = NULL, *base = NULL;
    size_t n = 0, cap = 0;
    *buf = NULL;
    if (len)
        *len = 0;
    if ((flags & K8TLS_EMIT_ABSOLUTE_PATHS) && !(base = absolute_base(p))) {
        k8tls_err_set(e, NULL, 0, 0, _("cannot write the answers: %s"),
                      errno == ENOMEM ? _("out of memory") : strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        struct em m = {.flags = flags, .base = base};
        char *part;
        size_t plen;
        if (k8tls_yaml_doc_init(&m.doc) < 0)
            goto oom;
        int root = k8tls_yaml_add_map(&m.doc, false);
        if (root <= 0)
            m.fail = 1;
        else
            sections[i].emit(&m, root, p);
        if (m.fail) {
            /* libyaml refuses text that is not UTF-8 as it refuses to allocate */
            yaml_document_delete(&m.doc);
            k8tls_err_set(e, NULL, 0, 0, "%s",
                          _("cannot write the answers: a value is not UTF-8 text (or memory ran out)"));
            goto fail;
        }
        if (k8tls_yaml_dump(&m.doc, &part, &plen, e) < 0)
            goto fail;
        int r = 0;
        if (flags & K8TLS_EMIT_COMMENTS) {
            if (i)
                r = append(&out, &n, &cap, "\n", 1);
            if (!r)
                r = append_comment(&out, &n, &cap, _(sections[i].comment));
        }
        if (!r)
            r = append(&out, &n, &cap, part, plen);
        k8tls_secure_wipe_str(part);
        free(part);
        if (r < 0)
            goto oom;
    }
    free(base);
    *buf = out;
    if (len)
        *len = n;
    return 0;
oom:
    k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
fail:
    free(base);
    if (out) {
        k8tls_secure_wipe_str(out);
        free(out);
    }
    return -1;
}

int k8tls_answers_emit(const struct k8tls_plan *p, int flags, FILE *out, struct k8tls_err *e)
{
    char *buf;
    size_t len;
    if (k8tls_answers_emit_buf(p, flags, &buf, &len, e) < 0)
        return -1;
    size_t w = fwrite(buf, 1, len, out);
    k8tls_secure_wipe_str(buf);
    free(buf);
    if (w != len || fflush(out) != 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot write the answers"));
        return -1;
    }
    return 0;
}
