/* Plan validation (pure: no crypto, no file reads) and password resolution.
 * The basic checks of each key (DNS-1123 names, bounds, required values) come from its row in the
 * schema (plan_table.h); the rules that tie keys together are written here, run before or after
 * the section they belong to so that the diagnostics keep their order. */
#include "config.h"
#include "k8tls/plan.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"
#include "k8tls/rollout.h"
#include "k8tls/text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vctx {
    const struct k8tls_plan *p;
    struct k8tls_diags *d;
    size_t errors;
};

/* The position of path as the loader saw it ({0,0}: a default, not in the file). */
static struct k8tls_pos pos_of(const struct k8tls_plan *p, const char *path)
{
    return k8tls_plan_pos(p, path);
}

static void add(struct vctx *v, enum k8tls_severity sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(struct vctx *v, enum k8tls_severity sev, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_pos at = pos_of(v->p, path);
    k8tls_diags_add(v->d, sev, v->p->source_file, at.line, at.col, path, "%s", msg);
    if (sev == K8TLS_SEV_ERROR)
        v->errors++;
}

#define ERR(v, path, ...) add(v, K8TLS_SEV_ERROR, path, __VA_ARGS__)
#define WARN(v, path, ...) add(v, K8TLS_SEV_WARNING, path, __VA_ARGS__)

static bool empty(const char *s)
{
    return !s || !*s;
}

/* ---- names ------------------------------------------------------------------------------ */

static bool is_label(const char *s, size_t from, size_t to)
{
    if (to <= from || to - from > 63)
        return false;
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !(c == '-' && i != from && i != to - 1))
            return false;
    }
    return true;
}

bool k8tls_dns1123_label(const char *s)
{
    return s && is_label(s, 0, strlen(s));
}

bool k8tls_dns1123_subdomain(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s), start = 0;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (!is_label(s, start, i))
                return false;
            start = i + 1;
        }
    }
    return true;
}

static void check_label(struct vctx *v, const char *path, const char *s)
{
    if (empty(s))
        ERR(v, path, "%s", _("a name is required (a DNS-1123 label: lower-case letters, digits and '-')"));
    else if (!k8tls_dns1123_label(s))
        ERR(v, path, _("'%s' is not a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"), s);
}

static void check_subdomain(struct vctx *v, const char *path, const char *s)
{
    if (empty(s))
        ERR(v, path, "%s", _("a name is required (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')"));
    else if (!k8tls_dns1123_subdomain(s))
        ERR(v, path, _("'%s' is not a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit"), s);
}

static void check_secret_key(struct vctx *v, const char *path, const char *s)
{
    if (empty(s) || strlen(s) > 253 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") != strlen(s))
        ERR(v, path, _("'%s' is not a valid Secret key: letters, digits, '-', '_' and '.' (at most 253)"),
            s ? s : "");
}

static bool is_san(const char *s)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
        return true;
    const char *name = strncmp(s, "*.", 2) == 0 ? s + 2 : s;
    size_t n = strlen(name), start = 0;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || name[i] == '.') {
            if (i == start || i - start > 63 || name[start] == '-' || name[i - 1] == '-')
                return false;
            for (size_t j = start; j < i; j++)
                if (!isalnum((unsigned char)name[j]) && name[j] != '-')
                    return false;
            start = i + 1;
        }
    }
    return true;
}

/* ---- versions --------------------------------------------------------------------------- */

/* "N.N.N" -> the three numbers; -1 when it is not that shape */
static int parse_version(const char *s, long out[3])
{
    if (!s)
        return -1;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        char *end;
        out[i] = strtol(s, &end, 10);
        if (end - s > 6)
            return -1;
        s = end;
        if (i < 2) {
            if (*s != '.')
                return -1;
            s++;
        }
    }
    return *s ? -1 : 0;
}

bool k8tls_server_version_fits(enum k8tls_server_type t, const char *version)
{
    long n[3];
    if (parse_version(version, n) < 0)
        return false;
    switch (t) {
    case K8TLS_SERVER_DSE:
        return (n[0] == 6 && (n[1] == 8 || n[1] == 9)) || n[0] == 7;
    case K8TLS_SERVER_HCD:
        return n[0] == 1;
    default:
        return (n[0] == 3 && n[1] == 11) || n[0] == 4 || n[0] == 5;
    }
}

static void check_version(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    const char *path = "cluster.serverVersion";
    long n[3];
    if (parse_version(p->cluster.server_version, n) < 0) {
        ERR(v, path, _("'%s' is not a version of the form N.N.N (for example \"4.0.1\")"),
            p->cluster.server_version ? p->cluster.server_version : "");
        return;
    }
    const char *supported;
    switch (p->cluster.server_type) {
    case K8TLS_SERVER_DSE:
        supported = _("dse supports 6.8.x, 6.9.x and 7.x.x");
        break;
    case K8TLS_SERVER_HCD:
        supported = _("hcd supports 1.x.x");
        break;
    default:
        supported = _("cassandra supports 3.11.x, 4.x.x and 5.x.x");
        break;
    }
    if (!k8tls_server_version_fits(p->cluster.server_type, p->cluster.server_version))
        ERR(v, path, _("%s does not fit serverType %s: %s"), p->cluster.server_version,
            k8tls_server_type_name(p->cluster.server_type), supported);
}

/* A Kubernetes quantity such as 5Gi, 500Mi, 1.5T */
static bool is_quantity(const char *s)
{
    static const char *const suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G",
                                           "T", "P", "E", NULL};
    if (empty(s) || !isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    for (int i = 0; suffixes[i]; i++)
        if (strcmp(s, suffixes[i]) == 0)
            return true;
    return false;
}

/* ---- passwords -------------------------------------------------------------------------- */

static bool is_reference(const char *ref)
{
    return ref && (strncmp(ref, "env:", 4) == 0 || strncmp(ref, "file:", 5) == 0);
}

/* The key path under which a store password was given (at the set level or under import:). */
static void pw_path(const struct k8tls_plan *p, char *out, size_t len, const char *set,
                    const char *key)
{
    char imp[160];
    snprintf(imp, sizeof imp, "%s.import.%s", set, key);
    if (k8tls_plan_pos(p, imp).line > 0)
        snprintf(out, len, "%s", imp);
    else
        snprintf(out, len, "%s.%s", set, key);
}

struct pwref {
    struct k8tls_password *pw;
    char path[160];
    bool k11;   /* goes into cassandra-env.sh: K11 applies */
};

/* The surfaces whose certificates a CA of their own signs (SPEC §10): the management API's also
 * signs Reaper's management stores (R2); Reaper's, its API's server and client (R1). */
struct surface_ca_use {
    bool used;
    struct k8tls_surface_ca *ca;
    const char *path;
};

static void surface_ca_uses(struct k8tls_plan *p, struct surface_ca_use out[3])
{
    out[0] = (struct surface_ca_use){k8tls_plan_wants_mgmt_api(p),
                                     &p->encryption.management_api.ca, "encryption.managementApi.ca"};
    out[1] = (struct surface_ca_use){k8tls_plan_wants_reaper_api(p), &p->encryption.reaper.ca,
                                     "encryption.reaper.ca"};
    out[2] = (struct surface_ca_use){k8tls_plan_wants_medusa_grpc(p),
                                     &p->encryption.medusa_grpc.ca, "encryption.medusaGrpc.ca"};
    for (int i = 0; i < 3; i++)
        out[i].used = out[i].used && out[i].ca->source == K8TLS_SURFACE_CA_IMPORT;
}

#define MAX_PWREFS 8

/* The password references the plan uses. Returns how many were written to out. */
static size_t used_passwords(struct k8tls_plan *p, struct pwref out[MAX_PWREFS])
{
    size_t n = 0;
    struct {
        bool used;
        struct k8tls_store_set *set;
        const char *path;
    } sets[2] = {
        {k8tls_plan_wants_server_stores(p), &p->stores.server, "stores.server"},
        {k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE,
         &p->stores.client, "stores.client"},
    };
    for (int i = 0; i < 2; i++) {
        if (!sets[i].used)
            continue;
        out[n].pw = &sets[i].set->keystore_password;
        out[n].k11 = true;
        pw_path(p, out[n].path, sizeof out[n].path, sets[i].path, "keystorePassword");
        n++;
        out[n].pw = &sets[i].set->truststore_password;
        out[n].k11 = true;
        pw_path(p, out[n].path, sizeof out[n].path, sets[i].path, "truststorePassword");
        n++;
    }
    if (p->ca.source == K8TLS_SOURCE_IMPORT) {
        out[n].pw = &p->ca.import_key_password;
        out[n].k11 = false;
        snprintf(out[n].path, sizeof out[n].path, "ca.import.keyPassword");
        n++;
    }
    struct surface_ca_use su[3];
    surface_ca_uses(p, su);
    for (int i = 0; i < 3; i++) {
        if (!su[i].used)
            continue;
        out[n].pw = &su[i].ca->import_key_password;
        out[n].k11 = false;
        snprintf(out[n].path, sizeof out[n].path, "%s.import.keyPassword", su[i].path);
        n++;
    }
    return n;
}

/* ---- the rules -------------------------------------------------------------------------- */

/* After the cluster section's basic checks: the datacenter list, Stargate. */
static void cluster_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    char path[128];
    if (p->cluster.n_dcs == 0)
        ERR(v, "cluster.datacenters", "%s", _("at least one datacenter is required"));
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const struct k8tls_dc *dc = &p->cluster.dcs[i];
        snprintf(path, sizeof path, "cluster.datacenters[%zu].name", i);
        for (size_t j = 0; j < i; j++)
            if (dc->name && p->cluster.dcs[j].name && *dc->name &&
                strcmp(dc->name, p->cluster.dcs[j].name) == 0) {
                char first[128];
                snprintf(first, sizeof first, "cluster.datacenters[%zu].name", j);
                struct k8tls_pos at = pos_of(p, first);
                if (at.line > 0)
                    ERR(v, path, _("the datacenter name '%s' is used twice (first on line %d)"),
                        dc->name, at.line);
                else
                    ERR(v, path, _("the datacenter name '%s' is used twice"), dc->name);
                break;
            }
        /* the operator names a Service <cluster>-<dc>-all-pods-service: 63 characters at most */
        if (p->cluster.name && dc->name && k8tls_dns1123_label(p->cluster.name) &&
            k8tls_dns1123_label(dc->name) &&
            strlen(p->cluster.name) + strlen(dc->name) + strlen("--all-pods-service") > 63) {
            WARN(v, path, _("the Service name %s-%s-all-pods-service would be longer than 63 characters: use shorter cluster or datacenter names"),
                 p->cluster.name, dc->name);
        }
    }
    if (p->cluster.stargate.enabled)
        WARN(v, "cluster.stargate.enabled", "%s",
             _("Stargate is DEPRECATED in the current K8ssandraCluster CRD; it still works and inherits the encryption settings"));
}

/* The rules of a store set the plan produces that its rows cannot say alone. */
static void store_set_rules(struct vctx *v, const char *path, const struct k8tls_store_set *s)
{
    char sub[160];
    const char *k[4] = {s->keys.keystore, s->keys.truststore, s->keys.keystore_password,
                        s->keys.truststore_password};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < i; j++)
            if (k[i] && k[j] && strcmp(k[i], k[j]) == 0) {
                snprintf(sub, sizeof sub, "%s.keys", path);
                ERR(v, sub, _("the Secret key '%s' is used twice: the four keys must differ"), k[i]);
            }
    if (s->source == K8TLS_SOURCE_IMPORT) {
        snprintf(sub, sizeof sub, "%s.import.keystore", path);
        if (empty(s->keystore_path))
            ERR(v, sub, "%s", _("an imported store needs the keystore's path"));
        snprintf(sub, sizeof sub, "%s.import.truststore", path);
        if (empty(s->truststore_path))
            ERR(v, sub, "%s", _("an imported store needs the truststore's path"));
        snprintf(sub, sizeof sub, "%s.import.keystorePassword", path);
        if (!s->keystore_password.ref)
            ERR(v, sub, "%s", _("an imported keystore needs its password (a literal, env:NAME or file:PATH)"));
        snprintf(sub, sizeof sub, "%s.import.truststorePassword", path);
        if (!s->truststore_password.ref)
            ERR(v, sub, "%s", _("an imported truststore needs its password (a literal, env:NAME or file:PATH)"));
    }
}

/* Before the encryption section's basic checks: what the modes mean. */
static void encryption_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    enum k8tls_internode_mode mode = p->encryption.internode.mode;
    if ((mode == K8TLS_INTERNODE_DC || mode == K8TLS_INTERNODE_RACK) &&
        p->encryption.internode.require_client_auth)
        WARN(v, "encryption.internode.mode",
             _("with internode mode %s and requireClientAuth, Cassandra lets some connections bypass mutual TLS; mode all is advised"),
             k8tls_internode_mode_name(mode));
    if (mode == K8TLS_INTERNODE_NONE && !p->encryption.client.enabled)
        WARN(v, "encryption", "%s",
             _("nothing is encrypted: internode mode is none and client encryption is off"));
}

/* After the encryption section's basic checks: the other TLS surfaces (SPEC §10). */
static void surface_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    const struct k8tls_tls_surface *rp = &p->encryption.reaper;
    /* R3, G2: a surface of a component the cluster does not run */
    if (rp->enabled && !p->cluster.reaper.enabled)
        ERR(v, "encryption.reaper.enabled", "%s",
            _("Reaper's API TLS needs Reaper: set cluster.reaper.enabled: true, or encryption.reaper.enabled: false"));
    if (p->encryption.medusa_grpc.enabled && !p->cluster.medusa.enabled)
        ERR(v, "encryption.medusaGrpc.enabled", "%s",
            _("Medusa's gRPC TLS needs Medusa: set cluster.medusa.enabled: true, or encryption.medusaGrpc.enabled: false"));
    /* R1: mutual only */
    if (k8tls_plan_wants_reaper_api(p) && empty(rp->client_secret_name))
        ERR(v, "encryption.reaper.clientSecretName", "%s",
            _("Reaper's API TLS must be mutual: without a client certificate the operator checks Reaper's certificate against its pod's system CAs only, which never hold the cluster's own CA, so it could not reach Reaper; name the client Secret"));
    /* R2: never the management API over TLS with Reaper speaking plain HTTP to it */
    if (k8tls_plan_wants_reaper_mgmt(p) && empty(rp->management_secret_name))
        ERR(v, "encryption.reaper.managementSecretName", "%s",
            _("with the management API over TLS, Reaper's HTTP management needs its stores, or it speaks plain HTTP to an HTTPS server: name their Secret (managementSecretName)"));
    /* a CA imported for one surface: both files, as for ca.import */
    struct surface_ca_use su[3];
    surface_ca_uses((struct k8tls_plan *)p, su);
    for (int i = 0; i < 3; i++) {
        char path[200];
        if (!su[i].used)
            continue;
        snprintf(path, sizeof path, "%s.import.cert", su[i].path);
        if (empty(su[i].ca->import_cert))
            ERR(v, path, "%s", _("an imported CA needs the certificate's path"));
        snprintf(path, sizeof path, "%s.import.key", su[i].path);
        if (empty(su[i].ca->import_key))
            ERR(v, path, "%s", _("an imported CA needs the private key's path"));
    }
}

/* After the stores section's basic checks: the store sets, Medusa's certificate (K8), Secret
 * names that collide. */

/* The Secrets a plan writes, each with its answers key; the two store Secrets first (the
 * cert-manager rules count on it). */
struct plan_secret { bool used; const char *name, *path; };
enum { PLAN_SECRETS = 11 };
static void plan_secrets(const struct k8tls_plan *p, struct plan_secret out[PLAN_SECRETS])
{
    const struct plan_secret v[PLAN_SECRETS] = {
        {k8tls_plan_wants_server_stores(p), p->stores.server.secret_name, "stores.server.secretName"},
        {k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE,
         p->stores.client.secret_name, "stores.client.secretName"},
        {k8tls_plan_wants_medusa_certs(p), p->encryption.medusa.secret_name,
         "encryption.medusa.secretName"},
        {p->cluster.medusa.enabled, p->cluster.medusa.storage_secret, "cluster.medusa.storageSecret"},
        {k8tls_plan_wants_mgmt_api(p), p->encryption.management_api.server_secret_name,
         "encryption.managementApi.serverSecretName"},
        {k8tls_plan_wants_mgmt_api(p), p->encryption.management_api.client_secret_name,
         "encryption.managementApi.clientSecretName"},
        {k8tls_plan_wants_reaper_api(p), p->encryption.reaper.server_secret_name,
         "encryption.reaper.serverSecretName"},
        {k8tls_plan_wants_reaper_api(p), p->encryption.reaper.client_secret_name,
         "encryption.reaper.clientSecretName"},
        {k8tls_plan_wants_reaper_mgmt(p), p->encryption.reaper.management_secret_name,
         "encryption.reaper.managementSecretName"},
        {k8tls_plan_wants_medusa_grpc(p), p->encryption.medusa_grpc.server_secret_name,
         "encryption.medusaGrpc.serverSecretName"},
        {k8tls_plan_wants_medusa_grpc(p), p->encryption.medusa_grpc.client_secret_name,
         "encryption.medusaGrpc.clientSecretName"},
    };
    memcpy(out, v, sizeof v);
}

static void stores_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    bool client = p->encryption.client.enabled;
    if (k8tls_plan_wants_server_stores(p)) {
        if (p->stores.server.source == K8TLS_SOURCE_REUSE)
            ERR(v, "stores.server.source", "%s", _("reuse is only for stores.client; expected generate or import"));
        store_set_rules(v, "stores.server", &p->stores.server);
    }
    if (client) {
        if (p->stores.client.source == K8TLS_SOURCE_REUSE) {
            if (!k8tls_plan_wants_server_stores(p))
                ERR(v, "stores.client.source", "%s",
                    _("reuse takes the server stores' Secret, but there are no server stores (internode mode is none): use generate or import"));
        } else {
            store_set_rules(v, "stores.client", &p->stores.client);
        }
    }

    /* Medusa (K8) */
    if (p->cluster.medusa.enabled && client && !p->encryption.medusa.enabled)
        ERR(v, "encryption.medusa.enabled", "%s",
            _("the operator refuses Medusa with client encryption on and no client certificate: set encryption.medusa.enabled: true, or turn Medusa or client encryption off"));
    if (p->cluster.medusa.enabled && !client && p->encryption.medusa.enabled)
        ERR(v, "encryption.medusa.enabled", "%s",
            _("Medusa's client certificate needs client encryption: set encryption.client.enabled: true, or encryption.medusa.enabled: false"));
    if (k8tls_plan_wants_medusa_certs(p)) {
        if (p->encryption.medusa.source == K8TLS_SOURCE_REUSE)
            ERR(v, "encryption.medusa.source", "%s", _("expected generate or import"));
        if (p->encryption.medusa.source == K8TLS_SOURCE_IMPORT) {
            if (empty(p->encryption.medusa.import_ca))
                ERR(v, "encryption.medusa.import.ca", "%s", _("an imported Medusa certificate needs the CA certificate's path (rootca.crt)"));
            if (empty(p->encryption.medusa.import_cert))
                ERR(v, "encryption.medusa.import.cert", "%s", _("an imported Medusa certificate needs the client certificate's path (client.crt_signed)"));
            if (empty(p->encryption.medusa.import_key))
                ERR(v, "encryption.medusa.import.key", "%s", _("an imported Medusa certificate needs the client key's path (client.key)"));
        }
    }

    /* Secrets the wizard writes must not collide with each other or with Medusa's bucket key */
    struct plan_secret secrets[PLAN_SECRETS];
    plan_secrets(p, secrets);
    for (size_t i = 0; i < PLAN_SECRETS; i++)
        for (size_t j = 0; j < i; j++)
            if (secrets[i].used && secrets[j].used && !empty(secrets[i].name) &&
                secrets[j].name && strcmp(secrets[i].name, secrets[j].name) == 0)
                ERR(v, secrets[i].path, _("the Secret name '%s' is also %s: each Secret needs its own name"),
                    secrets[i].name, secrets[j].path);
}

/* Before the ca section's basic checks: where the CA comes from. */
static void ca_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    if (p->ca.source == K8TLS_SOURCE_REUSE)
        ERR(v, "ca.source", "%s", _("expected generate or import"));
    if (p->ca.source == K8TLS_SOURCE_IMPORT) {
        if (empty(p->ca.import_cert))
            ERR(v, "ca.import.cert", "%s", _("an imported CA needs the certificate's path"));
        if (empty(p->ca.import_key))
            ERR(v, "ca.import.key", "%s", _("an imported CA needs the private key's path"));
    }
}

/* After the ca section's basic checks (X7): the K8ssandra documentation's example subject is a
 * placeholder; left in, every certificate names an organisation that is not the user's. Its
 * location (FR, IDF, Paris) is a real one: it is flagged only next to an unmistakable placeholder. */
static void ca_subject_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    if (p->ca.source == K8TLS_SOURCE_IMPORT)
        return;
    const struct k8tls_subject *s = &p->ca.subject;
    const struct {
        const char *path, *value, *example;
        bool sure;
    } f[] = {
        {"ca.subject.C", s->C, "FR", false},
        {"ca.subject.ST", s->ST, "IDF", false},
        {"ca.subject.L", s->L, "Paris", false},
        {"ca.subject.O", s->O, "YourCompany", true},
        {"ca.subject.OU", s->OU, "SSLTestCluster", true},
        {"ca.subject.CN", s->CN, "SSLTestClusterRootCA", true},
        {"ca.subject.emailAddress", s->emailAddress, "youraddress@whatever.com", true},
    };
    size_t n = sizeof f / sizeof f[0];
    bool copied = false;
    for (size_t i = 0; i < n; i++)
        if (f[i].sure && f[i].value && strcmp(f[i].value, f[i].example) == 0)
            copied = true;
    if (!copied)
        return;
    char list[512] = "";
    const char *first = NULL;
    for (size_t i = 0; i < n; i++)
        if (f[i].value && strcmp(f[i].value, f[i].example) == 0) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "",
                     strrchr(f[i].path, '.') + 1);
            if (!first)
                first = f[i].path;
        }
    WARN(v, first,
         _("the CA subject still holds the example values of the K8ssandra documentation (%s): "
           "put your own or leave them empty"),
         list);
}

/* After the certificates section's basic checks: validity periods that work badly together. */
static void certificates_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    int ca_days = p->ca.validity_days, cd = p->certificates.validity_days;
    const struct k8tls_key *r = k8tls_plan_row("ca.validityDays");
    bool ca_ok = ca_days >= r->min && ca_days <= r->max;
    r = k8tls_plan_row("certificates.validityDays");
    bool cd_ok = cd >= r->min && cd <= r->max;
    if (p->ca.source != K8TLS_SOURCE_IMPORT && ca_ok && ca_days < 365)
        WARN(v, "ca.validityDays",
             _("the CA is valid for only %d days: every certificate must be rotated before then"),
             ca_days);
    if (cd_ok && p->ca.source != K8TLS_SOURCE_IMPORT && ca_days >= 1 && cd > ca_days)
        WARN(v, "certificates.validityDays",
             _("the certificates (%d days) would outlive the CA (%d days): they stop being trusted when the CA expires"),
             cd, ca_days);
}

static void check_passwords(struct vctx *v)
{
    struct pwref refs[MAX_PWREFS];
    size_t n = used_passwords((struct k8tls_plan *)v->p, refs);
    for (size_t i = 0; i < n; i++) {
        const char *ref = refs[i].pw->ref;
        if (!ref || is_reference(ref) || !refs[i].k11)
            continue;
        const char *why = k8tls_password_problem(ref);
        if (why)
            ERR(v, refs[i].path, _("this password cannot be used: %s"), why);
    }
}

/* ---- the basic checks of the rows ---------------------------------------------------------- */

static void check_str(struct vctx *v, const struct k8tls_key *r, const char *path, const char *s)
{
    if (r->need && empty(s)) {
        ERR(v, path, "%s", _(r->need));
        return;
    }
    if (r->maxlen && s && strlen(s) > r->maxlen)
        ERR(v, path, _("at most %zu characters"), r->maxlen);
    if (r->maxlen && k8tls_text_has_control(s))
        ERR(v, path, "%s", _("control characters (and bytes that are not UTF-8) are not allowed "
                             "in a certificate subject"));
    switch (r->check) {
    case K8TLS_CHECK_LABEL:
        check_label(v, path, s);
        break;
    case K8TLS_CHECK_SUBDOMAIN:
        if (!(r->flags & K8TLS_KF_EMPTY_OK) || !empty(s))
            check_subdomain(v, path, s);
        break;
    case K8TLS_CHECK_SECRET_KEY:
        check_secret_key(v, path, s);
        break;
    case K8TLS_CHECK_QUANTITY:
        if (!is_quantity(s))
            ERR(v, path, _("'%s' is not a storage size such as 5Gi or 500Mi"), s ? s : "");
        break;
    case K8TLS_CHECK_COUNTRY:
        if (!empty(s) && (strlen(s) != 2 || !isalpha((unsigned char)s[0]) ||
                          !isalpha((unsigned char)s[1])))
            ERR(v, path, _("'%s' is not a two-letter country code (for example FR)"), s);
        break;
    case K8TLS_CHECK_HOST:
        if (s && !is_san(s))
            ERR(v, path, _("'%s' is not a DNS name or an IP address"), s);
        break;
    default:
        break;
    }
}

static void check_int(struct vctx *v, const struct k8tls_key *r, const char *path, int n)
{
    switch (r->check) {
    case K8TLS_CHECK_MIN:
        if (n < r->min)
            ERR(v, path, _(r->bad), n);
        break;
    case K8TLS_CHECK_RANGE:
        if (n < r->min || n > r->max)
            ERR(v, path, _(r->bad), r->max, n);
        break;
    case K8TLS_CHECK_RSA_BITS:
        if (n != 2048 && n != 3072 && n != 4096)
            ERR(v, path, _(r->bad), n);
        break;
    default:
        break;
    }
}

/* The basic checks of table t applied to base, in the table's order; a row whose 'when' is false
 * (the key is not used by this plan) is skipped with everything under it. */
static void check_rows(struct vctx *v, const struct k8tls_key *t, const void *base,
                       const char *path)
{
    char sub[256];
    for (const struct k8tls_key *r = t; r->name; r++) {
        const void *f = (const char *)base + r->off;
        if (r->flags & (K8TLS_KF_HIDDEN | K8TLS_KF_ALIAS))
            continue;
        if ((r->when && !r->when(v->p)) || (r->applies && !r->applies(base)))
            continue;
        if (*path)
            snprintf(sub, sizeof sub, "%s.%s", path, r->name);
        else
            snprintf(sub, sizeof sub, "%s", r->name);
        switch (r->type) {
        case K8TLS_KT_STR:
        case K8TLS_KT_STR_ENUM:
            check_str(v, r, sub, *(char *const *)f);
            break;
        case K8TLS_KT_INT:
            check_int(v, r, sub, *(const int *)f);
            break;
        case K8TLS_KT_GROUP:
            check_rows(v, r->sub, f, sub);
            break;
        case K8TLS_KT_LIST:
        case K8TLS_KT_STR_LIST: {
            size_t n = *(const size_t *)((const char *)base + r->count_off);
            const void *arr = *(void *const *)f;
            for (size_t i = 0; arr && i < n; i++) {
                char item[280];
                snprintf(item, sizeof item, "%s[%zu]", sub, i);
                if (r->type == K8TLS_KT_STR_LIST)
                    check_str(v, r, item, ((char *const *)arr)[i]);
                else
                    check_rows(v, r->sub, (const char *)arr + i * r->elem_size, item);
            }
            break;
        }
        default:
            break;
        }
    }
}

/* The staged rollout (doc/staged-rollout.md): a running cluster's manifest to stage; 3.11 has no
 * server_encryption_options.optional (an unknown key stops the node, section 1.2). Which phases
 * a topology gets is rollout.h's (the manifest's datacenters are known after the adoption). */
static void rollout_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    if (p->rollout.mode == K8TLS_ROLLOUT_STAGED && !(p->cluster.manifest && *p->cluster.manifest))
        ERR(v, "rollout.mode",
            "%s", _("staged needs cluster.manifest, the running cluster's manifest: a new cluster "
                    "starts encrypted and needs no phases (use oneShot)"));
    if (p->encryption.internode.optional && p->rollout.mode != K8TLS_ROLLOUT_STAGED &&
        p->cluster.server_type == K8TLS_SERVER_CASSANDRA &&
        k8tls_cass_line_of(p->cluster.server_version) == K8TLS_CASS_311)
        ERR(v, "encryption.internode.optional",
            _("Cassandra %s has no server_encryption_options.optional: an unknown key stops the "
              "node; remove it"),
            p->cluster.server_version);
}

/* Does the plan's server run on Java 11 or later only (Cassandra 5.x; HCD, built on it)? */
static bool java11_plus_only(const struct k8tls_plan *p)
{
    long n[3];
    if (p->cluster.server_type == K8TLS_SERVER_HCD)
        return true;
    return p->cluster.server_type == K8TLS_SERVER_CASSANDRA &&
           parse_version(p->cluster.server_version, n) == 0 && n[0] >= 5;
}

/* cert-manager mode (SPEC §11): what cert-manager would accept but the consumers would not, and
 * what cannot be expressed as cert-manager resources; each refusal names its key. */
static void cert_manager_store_rules(struct vctx *v, const char *base,
                                     const struct k8tls_store_set *s)
{
    char path[128];
    if (s->source == K8TLS_SOURCE_IMPORT) {
        snprintf(path, sizeof path, "%s.source", base);
        ERR(v, path, "%s",
            _("cert-manager issues the certificates inside the cluster: it cannot take imported "
              "stores; use source: generate, or output.mode: files"));
    }
    if (s->source == K8TLS_SOURCE_IMPORT || s->source == K8TLS_SOURCE_REUSE)
        return;
    if (!empty(s->keys.keystore) && strcmp(s->keys.keystore, K8TLS_SECRET_KEY_KEYSTORE) != 0) {
        snprintf(path, sizeof path, "%s.keys.keystore", base);
        ERR(v, path, "%s",
            _("cert-manager writes the keystore under its own key (keystore.p12, or keystore.jks "
              "with JKS), which cannot be chosen: remove this key"));
    }
    if (!empty(s->keys.truststore) &&
        strcmp(s->keys.truststore, K8TLS_SECRET_KEY_TRUSTSTORE) != 0) {
        snprintf(path, sizeof path, "%s.keys.truststore", base);
        ERR(v, path, "%s",
            _("cert-manager writes the truststore under its own key (truststore.p12, or "
              "truststore.jks with JKS), which cannot be chosen: remove this key"));
    }
    if (s->truststore_password.ref) {
        snprintf(path, sizeof path, "%s.truststorePassword", base);
        ERR(v, path, "%s",
            _("cert-manager writes the truststore with the keystore's password: leave "
              "truststorePassword out (keystorePassword sets both)"));
    }
}

/* cert-manager mode writes Secrets and objects of its own (k8tls/certmanager.h): the CA's
 * "<cluster>-ca", "<cluster>-ca-bundle", "<cluster>-reaper-keystore-password", a surface CA's
 * "<cluster>-<surface>-ca", and "<secret>-password" beside each store Secret. A Secret of the
 * plan must not take one of those names, and "<secret>-password" must stay a name. */
static void cert_manager_names(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    const char *c = p->cluster.name ? p->cluster.name : "";
    struct plan_secret plan[PLAN_SECRETS];
    plan_secrets(p, plan);
    static const char *const own[] = {"ca", "ca-bundle", "reaper-keystore-password",
                                      "mgmt-api-ca", "reaper-api-ca", "medusa-grpc-ca"};
    for (size_t i = 0; i < PLAN_SECRETS; i++) {
        if (!plan[i].used || empty(plan[i].name))
            continue;
        char buf[600];
        for (size_t k = 0; k < sizeof own / sizeof own[0]; k++) {
            snprintf(buf, sizeof buf, "%s-%s", c, own[k]);
            if (strcmp(plan[i].name, buf) == 0)
                ERR(v, plan[i].path,
                    _("'%s' is a name cert-manager mode writes for itself: choose another Secret "
                      "name"), plan[i].name);
        }
        /* the password Secrets of the store Secrets (the first two) */
        for (size_t j = 0; j < 2; j++) {
            if (!plan[j].used || empty(plan[j].name))
                continue;
            snprintf(buf, sizeof buf, "%s-password", plan[j].name);
            if (strcmp(plan[i].name, buf) == 0)
                ERR(v, plan[i].path,
                    _("'%s' is the password Secret cert-manager mode writes for %s: choose "
                      "another Secret name"), plan[i].name, plan[j].path);
        }
        snprintf(buf, sizeof buf, "%s-password", plan[i].name);
        if (i < 2 && k8tls_dns1123_subdomain(plan[i].name) && !k8tls_dns1123_subdomain(buf))
            ERR(v, plan[i].path,
                _("'%s' leaves no room for its password Secret '<name>-password' (a DNS-1123 "
                  "subdomain: at most 253 characters, 63 per part): choose a shorter name"),
                plan[i].name);
    }
}

static void output_rules(struct vctx *v)
{
    const struct k8tls_plan *p = v->p;
    if (p->output.mode != K8TLS_OUTPUT_CERT_MANAGER)
        return;
    cert_manager_names(v);
    if (k8tls_plan_wants_server_stores(p))
        cert_manager_store_rules(v, "stores.server", &p->stores.server);
    if (k8tls_plan_wants_client_stores(p))
        cert_manager_store_rules(v, "stores.client", &p->stores.client);
    if (k8tls_plan_wants_medusa_certs(p) && p->encryption.medusa.source == K8TLS_SOURCE_IMPORT)
        ERR(v, "encryption.medusa.source", "%s",
            _("cert-manager issues Medusa's certificate inside the cluster: it cannot take an "
              "imported one; use source: generate, or output.mode: files"));
    /* cert-manager's legacy PKCS#12 profiles: LegacyRC2 (its default, which Java 20+ and
     * OpenSSL 3 cannot read) and LegacyDES (3DES, SHA-1, which legacy maps to) exist for Java 8 */
    if (p->stores.format == K8TLS_FORMAT_PKCS12 && p->stores.p12_profile == K8TLS_P12_LEGACY &&
        (k8tls_plan_wants_server_stores(p) || k8tls_plan_wants_client_stores(p)) &&
        java11_plus_only(p))
        WARN(v, "stores.pkcs12Profile",
             _("legacy makes cert-manager write a legacy PKCS#12 profile (3DES and SHA-1), which "
               "is for Java 8; %s %s runs on Java 11 or 17, which reads modern (Modern2023): use "
               "pkcs12Profile: modern"),
            k8tls_server_type_name(p->cluster.server_type), p->cluster.server_version);
    /* several Kubernetes clusters: each cert-manager would make its own CA */
    size_t remote = p->cluster.n_dcs;
    for (size_t i = 0; i < p->cluster.n_dcs && remote == p->cluster.n_dcs; i++)
        if (!empty(p->cluster.dcs[i].k8s_context))
            remote = i;
    if (remote < p->cluster.n_dcs && p->ca.source != K8TLS_SOURCE_IMPORT) {
        char path[96];
        snprintf(path, sizeof path, "cluster.datacenters[%zu].k8sContext", remote);
        ERR(v, path, "%s",
            _("with datacenters in several Kubernetes contexts, the cert-manager of each would "
              "make a CA of its own from the self-signed Issuer, and the datacenters would not "
              "trust each other: import the CA (ca.source: import) so that every context signs "
              "with the same one"));
    }
    /* trust-manager reads a Bundle's sources from its trust namespace only */
    const char *cmns = !empty(p->output.cm_namespace) ? p->output.cm_namespace : "cert-manager";
    if (p->output.trust_manager && p->ca.source != K8TLS_SOURCE_IMPORT &&
        p->output.issuer_kind == K8TLS_ISSUER_NAMESPACED &&
        strcmp(cmns, p->cluster.namespace_ ? p->cluster.namespace_ : "") != 0)
        ERR(v, "output.trustManager",
            _("trust-manager reads the CA for its Bundle from its trust namespace (%s) only, and "
              "a namespaced Issuer keeps the CA Secret in the cluster's namespace: use "
              "issuerKind: ClusterIssuer (its CA Secret is in %s), or import the CA"),
            cmns, cmns);
    if (p->output.client_files)
        ERR(v, "output.clientFiles", "%s",
            _("the client files hold a key and stores made now, but in cert-manager mode "
              "cert-manager makes them inside the cluster: leave out --client-files and read "
              "the client Secret's tls.crt and tls.key instead"));
}

/* The hand-written rules, by section: run before or after its rows' basic checks. */
static const struct {
    const char *section;
    void (*before)(struct vctx *);
    void (*after)(struct vctx *);
} rules[] = {
    {"rollout", NULL, rollout_rules},
    {"cluster", check_version, cluster_rules},
    {"encryption", encryption_rules, surface_rules},
    {"stores", NULL, stores_rules},
    {"ca", ca_rules, ca_subject_rules},
    {"certificates", NULL, certificates_rules},
    {"output", check_passwords, output_rules},
};

size_t k8tls_plan_validate(const struct k8tls_plan *p, struct k8tls_diags *d)
{
    struct vctx v = {p, d, 0};
    for (const struct k8tls_key *s = k8tls_plan_table; s->name; s++) {
        size_t i = 0, n = sizeof rules / sizeof rules[0];
        while (i < n && strcmp(rules[i].section, s->name) != 0)
            i++;
        if (i < n && rules[i].before)
            rules[i].before(&v);
        if (s->type == K8TLS_KT_GROUP)
            check_rows(&v, s->sub, p, s->name);
        if (i < n && rules[i].after)
            rules[i].after(&v);
    }
    return v.errors;
}

size_t k8tls_plan_resolve(struct k8tls_plan *p, struct k8tls_diags *d)
{
    struct vctx v = {p, d, 0};
    struct pwref refs[MAX_PWREFS];
    size_t n = used_passwords(p, refs);
    char *base = k8tls_plan_base_dir(p);
    for (size_t i = 0; i < n; i++) {
        struct k8tls_password *pw = refs[i].pw;
        k8tls_secure_free_str(pw->value);
        pw->value = NULL;
        if (!pw->ref)
            continue;   /* generated later */
        if (!is_reference(pw->ref)) {
            pw->value = strdup(pw->ref);   /* literal: K11 is checked by k8tls_plan_validate */
            continue;
        }
        struct k8tls_err e;
        k8tls_err_clear(&e);
        char *val = k8tls_password_resolve(pw->ref, base, &e);
        if (!val) {
            ERR(&v, refs[i].path, _("%s does not resolve: %s"), pw->ref, e.msg);
            continue;
        }
        const char *why = refs[i].k11 ? k8tls_password_problem(val) : NULL;
        if (why) {
            ERR(&v, refs[i].path, _("the password from %s cannot be used: %s"), pw->ref, why);
            k8tls_secure_free_str(val);
            continue;
        }
        pw->value = val;
    }
    free(base);
    return v.errors;
}
