/* The doctor's checks (doctor.h): each known trap becomes a finding with what it breaks and the
 * fix. Values of Secrets are read (stores opened, certificates parsed) but never copied into a
 * finding. */
#include "config.h"
#include "doctor.h"
#include "k8tls/crdcheck.h"
#include "k8tls/i18n.h"
#include "k8tls/rollout.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"
#include "k8tls/strv.h"
#include "k8tls/yamlutil.h"
#include "../core/store_int.h"

#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <openssl/err.h>

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


/* ---- the cluster's Secrets -------------------------------------------------------------- */

struct ctx {
    struct dr_state *s;
    struct dr_cluster *c;
    yaml_document_t *d;
    char obj[512];          /* "K8ssandraCluster/NAME" */
    const char *places[64]; /* contexts the Secrets must be in; {NULL} in files mode */
    size_t nplaces;
    char renew[1024];       /* the wizard command that reissues the certificates */
    char merge[1024];       /* the wizard command that rewrites the encryption parts */
};

static yaml_node_t *yget(struct ctx *x, yaml_node_t *m, const char *k)
{
    return m ? k8tls_yaml_map_get(x->d, m, k) : NULL;
}

static const char *ystr(struct ctx *x, yaml_node_t *m, const char *k)
{
    return k8tls_yaml_scalar(yget(x, m, k));
}

static void where_of(struct ctx *x, yaml_node_t *n, char *out, size_t len)
{
    struct k8tls_pos p = k8tls_yaml_pos(n);
    if (x->c->context)
        snprintf(out, len, _("context %s"), x->c->context);
    else if (p.line)
        snprintf(out, len, "%s:%d", x->c->file, p.line);
    else
        snprintf(out, len, "%s", x->c->file);
}

static void secret_where(const struct dr_secret *sec, char *out, size_t len)
{
    if (sec->context)
        snprintf(out, len, _("context %s"), sec->context);
    else if (sec->line)
        snprintf(out, len, "%s:%d", sec->file, sec->line);
    else
        snprintf(out, len, "%s", sec->file);
}

/* A finding about a Secret (object "Secret/NAME", key KEY). */
static void sec_add(struct ctx *x, enum dr_sev sev, const char *code, const struct dr_secret *sec,
                    const char *key, const char *breaks, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void sec_add(struct ctx *x, enum dr_sev sev, const char *code, const struct dr_secret *sec,
                    const char *key, const char *breaks, const char *fix, const char *fmt, ...)
{
    char obj[512], where[1024], what[2048];
    snprintf(obj, sizeof obj, "Secret/%s", sec->name);
    secret_where(sec, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    dr_add(x->s, sev, code, obj, key, where, breaks, fix, "%s", what);
}

/* Each place's copy of Secret name; a missing one is a finding (K9). Returns the first copy. */
static struct dr_secret *secret_everywhere(struct ctx *x, const char *name, const char *path,
                                           yaml_node_t *at, struct dr_secret **copies)
{
    struct dr_secret *first = NULL;
    char where[1024];
    for (size_t i = 0; i < x->nplaces; i++) {
        struct dr_secret *sec = dr_secret_find(x->s, name, x->c->ns, x->places[i]);
        copies[i] = sec;
        if (sec) {
            if (!first)
                first = sec;
            continue;
        }
        where_of(x, at, where, sizeof where);
        if (x->places[i])
            dr_add(x->s, DR_ERROR, "K9", x->obj, path, where,
                   _("pods of the datacenter in that context cannot start (the operator copies no "
                     "Secret)"),
                   _("apply the Secret in every datacenter's context: k8tls-wizard --answers FILE "
                     "--apply --context NAME... (one --context per datacenter)"),
                   _("Secret %s is missing in context %s"), name, x->places[i]);
        else
            dr_add(x->s, DR_ERROR, "K9", x->obj, path, where,
                   _("pods cannot start until the Secret exists"),
                   _("give the Secret's YAML too, or check the cluster live with --context"),
                   _("Secret %s is not among the files read"), name);
    }
    return first;
}

/* ---- certificates ----------------------------------------------------------------------- */

static void check_expiry(struct ctx *x, const struct dr_secret *sec, const char *key, X509 *cert,
                         const char *what)
{
    int ok = 0;
    long days = k8tls_days_until(X509_get0_notAfter(cert), &ok);
    if (!ok)
        return;
    char *subj = k8tls_x509_name(X509_get_subject_name(cert));
    if (days < 0)
        sec_add(x, DR_ERROR, "S8", sec, key,
                _("TLS handshakes with this certificate fail"), x->renew,
                _("the %s (%s) expired %ld day(s) ago"), what, subj ? subj : "?", -days);
    else if (days <= x->s->expiring_days)
        sec_add(x, DR_EXPIRING, "S8", sec, key,
                _("TLS handshakes fail once it expires"), x->renew,
                _("the %s (%s) expires in %ld day(s)"), what, subj ? subj : "?", days);
    free(subj);
}

static bool has_san(char **sans, const char *want)
{
    for (size_t i = 0; sans && sans[i]; i++)
        if (strcmp(sans[i], want) == 0)
            return true;
    return false;
}

/* A node certificate (S5): SANs for nodetool, EKU for both ends, dates. */
static void check_node_cert(struct ctx *x, const struct dr_secret *sec, const char *key, X509 *leaf,
                            bool client_block)
{
    char **sans = k8tls_x509_sans(leaf);
    bool ip = has_san(sans, "IP:127.0.0.1"), lh = has_san(sans, "DNS:localhost");
    k8tls_strv_free(sans);
    if (!ip || !lh)
        sec_add(x, client_block ? DR_ERROR : DR_WARNING, "S5", sec, key,
                client_block ? _("nodetool over JMX/TLS fails: \"No subject alternative names "
                                 "matching IP address 127.0.0.1 found\"")
                             : _("tools that connect to 127.0.0.1 or localhost fail the host "
                                 "name check"),
                x->renew, _("the node certificate has no SAN for %s"),
                !ip && !lh ? "127.0.0.1 and localhost" : !ip ? "127.0.0.1" : "localhost");
    bool sa = k8tls_x509_eku_allows(leaf, NID_server_auth);
    bool ca = k8tls_x509_eku_allows(leaf, NID_client_auth);
    if (!ca)
        sec_add(x, DR_ERROR, "S5", sec, key,
                _("each node is also a client (internode, client-certificate auth): handshakes "
                  "where it must show its certificate fail"),
                x->renew, "%s",
                _("the node certificate's extended key usage is serverAuth only (clientAuth is "
                  "missing)"));
    else if (!sa)
        sec_add(x, DR_ERROR, "S5", sec, key, _("the node cannot serve TLS with it"), x->renew,
                "%s", _("the node certificate's extended key usage lacks serverAuth"));
    check_expiry(x, sec, key, leaf, _("node certificate"));
}

/* Is this PKCS#12 encrypted with RC2 (openssl pkcs12 -legacy, or OpenSSL 1.x's default)? */
static bool p12_uses_rc2(const unsigned char *data, size_t len)
{
    const unsigned char *p = data;
    PKCS12 *p12 = len < (size_t)LONG_MAX ? d2i_PKCS12(NULL, &p, (long)len) : NULL;
    bool rc2 = false;
    if (!p12)
        return false;
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    for (int i = 0; safes && i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        if (OBJ_obj2nid(p7->type) != NID_pkcs7_encrypted || !p7->d.encrypted ||
            !p7->d.encrypted->enc_data || !p7->d.encrypted->enc_data->algorithm)
            continue;
        int nid = OBJ_obj2nid(p7->d.encrypted->enc_data->algorithm->algorithm);
        if (nid == NID_pbe_WithSHA1And40BitRC2_CBC || nid == NID_pbe_WithSHA1And128BitRC2_CBC)
            rc2 = true;
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    ERR_clear_error();
    return rc2;
}

static const char *default_key(const char *ref)
{
    if (strcmp(ref, "keystoreSecretRef") == 0)
        return "keystore";
    if (strcmp(ref, "truststoreSecretRef") == 0)
        return "truststore";
    if (strcmp(ref, "keystorePasswordSecretRef") == 0)
        return "keystore-password";
    return "truststore-password";
}

/* One store of a block: opened with the password the operator would use (K2). Returns the
 * store or NULL (finding made). */
static struct k8tls_store *open_store(struct ctx *x, const struct dr_secret *sec, const char *key,
                                      const struct dr_secret *pwsec, const char *pwkey,
                                      const char *store_type)
{
    const struct dr_kv *kv = dr_secret_key(sec, key);
    const struct dr_kv *pk = pwsec ? dr_secret_key(pwsec, pwkey) : NULL;
    if (!kv || !kv->val) {
        sec_add(x, DR_ERROR, "K1", sec, key, _("the operator cannot mount the store: pods do "
                                                  "not start"),
                x->merge, "%s", _("the key the cluster references is missing"));
        return NULL;
    }
    if (!pk || !pk->val) {
        char full[600];
        snprintf(full, sizeof full, "%s/%s", pwsec ? pwsec->name : "?", pwkey);
        sec_add(x, DR_ERROR, "K2", sec, key, _("Cassandra cannot open the store: pods crash "
                                                  "at start-up"),
                x->merge, _("the store's password (%s) is missing"), full);
        return NULL;
    }
    char *pw = malloc(pk->len + 1);
    if (!pw)
        return NULL;
    memcpy(pw, pk->val, pk->len);
    pw[pk->len] = '\0';
    const char *problem = strlen(pw) >= 6 ? k8tls_password_problem(pw) : NULL;
    if (problem)
        sec_add(x, DR_ERROR, "K11", pwsec, pwkey,
                _("Cassandra's start-up script mangles the password: pods crash at start-up"),
                _("new passwords: k8tls-wizard rotate --from DIR --phase renew --new-passwords "
                  "-o NEWDIR"),
                _("the password has a character that breaks cassandra-env.sh: %s"), problem);
    struct k8tls_store *st = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = k8tls_store_read(kv->val, kv->len, key, pw, &st, &e);
    k8tls_secure_free_str(pw);
    if (p12_uses_rc2(kv->val, kv->len))
        sec_add(x, DR_WARNING, "S4", sec, key,
                _("OpenSSL 3 cannot read it without its legacy provider (openssl, Python's ssl "
                  "tooling), and RC2-40 is weak encryption"),
                x->renew, "%s",
                _("the PKCS#12 store is encrypted with RC2 (the legacy profile of OpenSSL 1, "
                  "openssl pkcs12 -legacy)"));
    if (rc < 0) {
        sec_add(x, DR_ERROR, "S8", sec, key, _("Cassandra cannot open the store: pods crash "
                                                  "at start-up"),
                x->merge, _("the store does not open with its password: %s"), e.msg);
        return NULL;
    }
    if (store_type && *store_type) {
        bool p12 = strcasecmp(store_type, "PKCS12") == 0, jks = strcasecmp(store_type, "JKS") == 0;
        if ((p12 && st->format != K8TLS_FORMAT_PKCS12) || (jks && st->format != K8TLS_FORMAT_JKS))
            sec_add(x, DR_WARNING, "K5", sec, key,
                    _("Java versions without the dual-format keystore refuse the store"), x->merge,
                    _("store_type is %s but the store is %s"), store_type,
                    st->format == K8TLS_FORMAT_PKCS12 ? "PKCS12" : "JKS");
    }
    return st;
}

/* The operator's resolution of a store ref (K2): the Secret, the key, and where the password is
 * read from. */
struct ref {
    const char *name, *key;      /* the store */
    const char *pwname, *pwkey;  /* its password */
    bool custom_key_no_pwref;
    yaml_node_t *node;
};

static bool resolve_ref(struct ctx *x, yaml_node_t *block, const char *ref, const char *pwref,
                        struct ref *r)
{
    yaml_node_t *n = yget(x, block, ref), *pn = yget(x, block, pwref);
    memset(r, 0, sizeof *r);
    r->node = n;
    r->name = ystr(x, n, "name");
    if (!r->name || !*r->name)
        return false;
    const char *k = ystr(x, n, "key");
    r->key = k && *k ? k : default_key(ref);
    if (pn && ystr(x, pn, "name") && *ystr(x, pn, "name")) {
        r->pwname = ystr(x, pn, "name");
        const char *pk = ystr(x, pn, "key");
        r->pwkey = pk && *pk ? pk : default_key(pwref);
    } else if (k && *k && strcmp(k, default_key(ref)) != 0) {
        /* the operator reads the password from the store's own key */
        r->pwname = r->name;
        r->pwkey = r->key;
        r->custom_key_no_pwref = true;
    } else {
        r->pwname = r->name;
        r->pwkey = default_key(pwref);
    }
    return true;
}

/* A phase of the staged rollout before the last internode one (doc/staged-rollout.md section 3):
 * the wizard's annotation says accept or send, whose dc/rack modes are steps on the way to the
 * target, not the target. */
static bool staged_transition(struct ctx *x)
{
    const char *ph = ystr(x, yget(x, yget(x, x->c->root, "metadata"), "annotations"),
                          K8TLS_ROLLOUT_ANNOTATION);
    return ph && (strcmp(ph, "accept") == 0 || strcmp(ph, "send") == 0);
}

static bool switch_on(struct ctx *x, yaml_node_t *opts, bool server, yaml_node_t **bad)
{
    *bad = NULL;
    if (server) {
        const char *m = ystr(x, opts, "internode_encryption");
        return m && (strcmp(m, "all") == 0 || strcmp(m, "dc") == 0 || strcmp(m, "rack") == 0);
    }
    yaml_node_t *en = yget(x, opts, "enabled");
    bool b = false;
    if (en && k8tls_yaml_get_bool(en, &b) < 0 && k8tls_yaml_scalar(en) &&
        strcasecmp(k8tls_yaml_scalar(en), "true") == 0) {
        *bad = en;
        return false;
    }
    return en && b;
}

static void check_block(struct ctx *x, yaml_node_t *cas, yaml_node_t *cyaml, bool server)
{
    const char *bname = server ? "serverEncryptionStores" : "clientEncryptionStores";
    const char *oname = server ? "server_encryption_options" : "client_encryption_options";
    yaml_node_t *block = yget(x, cas, bname);
    yaml_node_t *opts = yget(x, cyaml, oname);
    yaml_node_t *bad;
    bool on = switch_on(x, opts, server, &bad);
    char path[256], where[1024];
    if (bad) {
        snprintf(path, sizeof path, "spec.cassandra.config.cassandraYaml.%s.enabled", oname);
        where_of(x, bad, where, sizeof where);
        dr_add(x->s, DR_ERROR, "K3", x->obj, path, where,
               _("the operator sees the switch off: client encryption is not set up"), x->merge,
               "%s", _("enabled is the string \"true\", not the YAML boolean true"));
    }
    if (block && !on) {
        snprintf(path, sizeof path, "spec.cassandra.%s", bname);
        where_of(x, block, where, sizeof where);
        dr_add(x->s, DR_ERROR, "K3", x->obj, path, where,
               _("Cassandra gets the stores without the switch: pods crash-loop at start-up"),
               x->merge,
               server ? _("stores are configured but server_encryption_options.internode_encryption "
                          "is not dc, rack or all")
                      : _("stores are configured but client_encryption_options.enabled is not "
                          "true"));
    } else if (!block && on) {
        snprintf(path, sizeof path, "spec.cassandra.config.cassandraYaml.%s", oname);
        where_of(x, opts, where, sizeof where);
        dr_add(x->s, DR_ERROR, "K3", x->obj, path, where,
               _("the operator does not act without stores: encryption stays off or Cassandra "
                 "finds no keystore"),
               x->merge, _("the switch is on but spec.cassandra.%s is not set"), bname);
    }
    if (server && on) {
        const char *mode = ystr(x, opts, "internode_encryption");
        bool rca = false;
        if (k8tls_yaml_get_bool(yget(x, opts, "require_client_auth"), &rca) == 0 && rca &&
            mode && strcmp(mode, "all") != 0 && !staged_transition(x)) {
            yaml_node_t *n = yget(x, opts, "internode_encryption");
            where_of(x, n, where, sizeof where);
            dr_add(x->s, DR_WARNING, "K12", x->obj,
                   "spec.cassandra.config.cassandraYaml.server_encryption_options."
                   "internode_encryption",
                   where,
                   _("Cassandra lets peers bypass mutual TLS where the mode does not encrypt: "
                     "client authentication is not enforced everywhere"),
                   x->merge, _("require_client_auth is on with internode_encryption: %s"), mode);
        }
    }
    static const char *const leaked[] = {"keystore", "truststore", "keystore_password",
                                         "truststore_password", NULL};
    for (size_t i = 0; leaked[i]; i++) {
        yaml_node_t *n = yget(x, opts, leaked[i]);
        if (!n)
            continue;
        snprintf(path, sizeof path, "spec.cassandra.config.cassandraYaml.%s.%s", oname, leaked[i]);
        where_of(x, n, where, sizeof where);
        dr_add(x->s, DR_WARNING, "K4", x->obj, path, where,
               _("it overrides what the operator fills in from the Secrets (and a password here "
                 "is in clear in the manifest)"),
               x->merge, "%s", _("the operator fills this field itself"));
    }
    if (!block)
        return;
    struct ref ks, ts;
    bool hk = resolve_ref(x, block, "keystoreSecretRef", "keystorePasswordSecretRef", &ks);
    bool ht = resolve_ref(x, block, "truststoreSecretRef", "truststorePasswordSecretRef", &ts);
    struct ref *refs[2] = {hk ? &ks : NULL, ht ? &ts : NULL};
    for (int i = 0; i < 2; i++) {
        if (!refs[i] || !refs[i]->custom_key_no_pwref)
            continue;
        snprintf(path, sizeof path, "spec.cassandra.%s.%s", bname,
                 i == 0 ? "keystorePasswordSecretRef" : "truststorePasswordSecretRef");
        where_of(x, refs[i]->node, where, sizeof where);
        dr_add(x->s, DR_ERROR, "K2", x->obj, path, where,
               _("the operator reads the password from the store's bytes: Cassandra cannot open "
                 "the store"),
               x->merge,
               _("the store ref has the custom key %s and no password ref: its password is read "
                 "from that same key"),
               refs[i]->key);
    }
    const char *store_type = ystr(x, opts, "store_type");
    struct dr_secret *kc[64] = {0}, *tc[64] = {0}, *kpc[64] = {0}, *tpc[64] = {0};
    if (hk) {
        snprintf(path, sizeof path, "spec.cassandra.%s.keystoreSecretRef", bname);
        secret_everywhere(x, ks.name, path, ks.node, kc);
        if (strcmp(ks.pwname, ks.name) != 0)
            secret_everywhere(x, ks.pwname, path, ks.node, kpc);
        else
            memcpy(kpc, kc, sizeof kc);
    }
    if (ht) {
        snprintf(path, sizeof path, "spec.cassandra.%s.truststoreSecretRef", bname);
        if (!hk || strcmp(ts.name, ks.name) != 0)
            secret_everywhere(x, ts.name, path, ts.node, tc);
        else
            memcpy(tc, kc, sizeof kc);
        if (strcmp(ts.pwname, ts.name) == 0)
            memcpy(tpc, tc, sizeof tc);
        else if (hk && strcmp(ts.pwname, ks.pwname) == 0)
            memcpy(tpc, kpc, sizeof kpc);
        else
            secret_everywhere(x, ts.pwname, path, ts.node, tpc);
    }
    for (size_t p = 0; p < x->nplaces; p++) {
        struct k8tls_store *kst = NULL, *tst = NULL;
        if (hk && kc[p] && kpc[p] && !ks.custom_key_no_pwref)
            kst = open_store(x, kc[p], ks.key, kpc[p], ks.pwkey, store_type);
        if (ht && tc[p] && tpc[p] && !ts.custom_key_no_pwref)
            tst = open_store(x, tc[p], ts.key, tpc[p], ts.pwkey, store_type);
        if (p > 0) {
            /* findings about the contents once, from the first place */
            k8tls_store_free(kst);
            k8tls_store_free(tst);
            continue;
        }
        X509 *leaf = NULL;
        STACK_OF(X509) *chain = NULL;
        for (size_t i = 0; kst && i < kst->n; i++)
            if (kst->v[i].type == K8TLS_ENTRY_PRIVATE_KEY && !leaf) {
                leaf = kst->v[i].cert;
                chain = kst->v[i].chain;
            }
        if (leaf) {
            check_node_cert(x, kc[p], ks.key, leaf, !server);
            for (int i = 0; chain && i < sk_X509_num(chain); i++)
                check_expiry(x, kc[p], ks.key, sk_X509_value(chain, i), _("CA certificate"));
        } else if (kst) {
            sec_add(x, DR_ERROR, "S2", kc[p], ks.key, _("the node has no certificate to present"),
                    x->renew, "%s", _("the keystore holds no private-key entry"));
        }
        if (tst) {
            STACK_OF(X509) *trusted = sk_X509_new_null();
            size_t java = 0;
            for (size_t i = 0; i < tst->n; i++) {
                if (tst->v[i].type != K8TLS_ENTRY_TRUSTED_CERT || !tst->v[i].cert)
                    continue;
                check_expiry(x, tc[p], ts.key, tst->v[i].cert, _("trusted CA certificate"));
                if (!tst->v[i].p12_no_java_trust)
                    java++;
                if (trusted)
                    sk_X509_push(trusted, tst->v[i].cert);
            }
            if (java == 0)
                sec_add(x, DR_ERROR, "S1", tc[p], ts.key,
                        _("Java sees no trusted certificate: every TLS handshake fails"), x->renew,
                        "%s", _("the truststore has no entry Java trusts (no trust attribute)"));
            char *anchor = NULL;
            const char *why = NULL;
            if (leaf && trusted &&
                k8tls_x509_verify_chain(leaf, chain, trusted, &anchor, &why) < 0)
                sec_add(x, DR_ERROR, "S8", tc[p], ts.key,
                        _("nodes refuse each other's certificates"), x->renew,
                        _("the truststore does not trust the keystore's certificate (%s)"),
                        why ? why : "?");
            free(anchor);
            sk_X509_free(trusted);
        }
        k8tls_store_free(kst);
        k8tls_store_free(tst);
    }
}

/* ---- Medusa (K8) ------------------------------------------------------------------------ */

static bool pem_has(const struct dr_kv *kv, const char *marker)
{
    if (!kv || !kv->val)
        return false;
    for (size_t i = 0; i + strlen(marker) <= kv->len; i++)
        if (memcmp(kv->val + i, marker, strlen(marker)) == 0)
            return true;
    return false;
}

static X509 *first_cert(const struct dr_kv *kv)
{
    STACK_OF(X509) *certs = NULL;
    struct k8tls_err e;
    if (!kv || !kv->val || k8tls_pem_read_certs(kv->val, kv->len, kv->key, &certs, &e) < 0)
        return NULL;
    X509 *x = sk_X509_num(certs) > 0 ? sk_X509_shift(certs) : NULL;
    sk_X509_pop_free(certs, X509_free);
    ERR_clear_error();
    return x;
}

static void check_medusa(struct ctx *x, yaml_node_t *spec, bool client_on)
{
    yaml_node_t *med = yget(x, spec, "medusa");
    if (!med)
        return;
    yaml_node_t *old = yget(x, med, "certificatesSecretRef");
    yaml_node_t *ces = yget(x, med, "clientEncryptionStores");
    char where[1024];
    const char *fix = x->merge;
    if (old) {
        where_of(x, old, where, sizeof where);
        dr_add(x->s, DR_WARNING, "K8", x->obj, "spec.medusa.certificatesSecretRef", where,
               ces ? _("it wins over clientEncryptionStores, which is then ignored")
                   : _("it is deprecated and will go away"),
               fix, "%s", _("the deprecated certificatesSecretRef is set"));
    }
    if (!ces) {
        if (client_on && !old) {
            where_of(x, med, where, sizeof where);
            dr_add(x->s, DR_ERROR, "K8", x->obj, "spec.medusa.clientEncryptionStores", where,
                   _("the operator refuses Medusa with client encryption on and no certificates"),
                   fix, "%s", _("client encryption is on but Medusa has no client certificates"));
        }
        return;
    }
    static const struct {
        const char *ref, *holds, *marker;
    } map[] = {
        {"keystoreSecretRef", "the CA certificate (rootca.crt)", "-----BEGIN CERTIFICATE-----"},
        {"truststoreSecretRef", "the client certificate (client.crt_signed)",
         "-----BEGIN CERTIFICATE-----"},
        {"truststorePasswordSecretRef", "the client's private key (client.key, unencrypted)",
         "PRIVATE KEY-----"},
    };
    X509 *got[3] = {NULL, NULL, NULL};
    const struct dr_secret *gsec[3] = {NULL, NULL, NULL};
    const char *gkey[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
        char path[256];
        yaml_node_t *r = yget(x, ces, map[i].ref);
        snprintf(path, sizeof path, "spec.medusa.clientEncryptionStores.%s", map[i].ref);
        where_of(x, r ? r : ces, where, sizeof where);
        const char *name = ystr(x, r, "name"), *key = ystr(x, r, "key");
        if (!r || !name || !*name || !key || !*key) {
            dr_add(x->s, DR_ERROR, "K8", x->obj, path, where,
                   _("Medusa cannot connect to Cassandra over TLS (no default key exists)"), fix,
                   _("%s must name a Secret and a key holding %s"), map[i].ref, map[i].holds);
            continue;
        }
        struct dr_secret *copies[64];
        secret_everywhere(x, name, path, r, copies);
        if (!copies[0])
            continue;
        const struct dr_kv *kv = dr_secret_key(copies[0], key);
        if (!kv || !kv->val) {
            sec_add(x, DR_ERROR, "K8", copies[0], key, _("Medusa's container cannot start"), fix,
                    "%s", _("the key Medusa's mapping names is missing"));
            continue;
        }
        bool ok = pem_has(kv, map[i].marker) &&
                  (i == 2 || !pem_has(kv, "PRIVATE KEY-----"));
        if (i == 2 && pem_has(kv, "ENCRYPTED PRIVATE KEY"))
            ok = false;
        if (!ok) {
            sec_add(x, DR_ERROR, "K8", copies[0], key,
                    _("Medusa cannot connect to Cassandra over TLS"), fix,
                    _("Medusa's odd mapping wants %s under %s, and this is something else"),
                    map[i].holds, map[i].ref);
            continue;
        }
        if (i < 2) {
            got[i] = first_cert(kv);
            gsec[i] = copies[0];
            gkey[i] = key;
        }
    }
    if (got[0] && !k8tls_x509_is_ca(got[0]))
        sec_add(x, DR_ERROR, "K8", gsec[0], gkey[0], _("Medusa cannot verify Cassandra's "
                                                          "certificate"),
                fix, "%s", _("keystoreSecretRef must hold the CA certificate, not a leaf"));
    if (got[1]) {
        if (!k8tls_x509_eku_allows(got[1], NID_client_auth))
            sec_add(x, DR_ERROR, "S5", gsec[1], gkey[1],
                    _("Cassandra refuses Medusa's client certificate"), x->renew, "%s",
                    _("the Medusa client certificate's extended key usage lacks clientAuth"));
        check_expiry(x, gsec[1], gkey[1], got[1], _("Medusa client certificate"));
    }
    X509_free(got[0]);
    X509_free(got[1]);
}

/* ---- management API mTLS (M1, M2) ------------------------------------------------------- */

static void check_mgmt(struct ctx *x, yaml_node_t *cas)
{
    yaml_node_t *man = yget(x, yget(x, cas, "managementApiAuth"), "manual");
    if (!man)
        return;
    static const char *const fields[] = {"serverSecretName", "clientSecretName"};
    const char *fix = _("cass-operator validates these Secrets once: fix them, then delete and "
                        "re-create the datacenter's pods; k8tls-wizard writes them right with "
                        "encryption.managementApi.enabled: true");
    for (int i = 0; i < 2; i++) {
        const char *name = ystr(x, man, fields[i]);
        char path[256], where[1024];
        snprintf(path, sizeof path, "spec.cassandra.managementApiAuth.manual.%s", fields[i]);
        where_of(x, man, where, sizeof where);
        if (!name || !*name) {
            dr_add(x->s, DR_ERROR, "M1", x->obj, path, where,
                   _("cass-operator refuses the datacenter"), fix, "%s",
                   _("the management API Secret is not named"));
            continue;
        }
        struct dr_secret *copies[64];
        secret_everywhere(x, name, path, yget(x, man, fields[i]), copies);
        for (size_t p = 0; p < x->nplaces && p < 1; p++) {
            struct dr_secret *sec = copies[p];
            if (!sec)
                continue;
            if (strcmp(sec->type, "kubernetes.io/tls") != 0)
                sec_add(x, DR_ERROR, "M1", sec, NULL,
                        _("cass-operator's validation fails once and is never retried: the "
                          "datacenter does not start"),
                        fix, _("the Secret's type is %s, not kubernetes.io/tls"), sec->type);
            static const char *const keys[] = {"tls.crt", "tls.key", "ca.crt"};
            for (int k = 0; k < 3; k++)
                if (!dr_secret_key(sec, keys[k]))
                    sec_add(x, DR_ERROR, "M1", sec, keys[k],
                            _("cass-operator's validation fails once and is never retried"), fix,
                            "%s", _("the key is missing"));
            const struct dr_kv *key = dr_secret_key(sec, "tls.key");
            if (key && (pem_has(key, "BEGIN RSA PRIVATE KEY") || pem_has(key, "BEGIN EC PRIVATE KEY")))
                sec_add(x, DR_ERROR, "M1", sec, "tls.key",
                        _("cass-operator accepts only PKCS#8 keys: the management API does not "
                          "start"),
                        fix, "%s",
                        _("the key is PKCS#1/SEC1 (BEGIN RSA/EC PRIVATE KEY), not PKCS#8 "
                          "(BEGIN PRIVATE KEY)"));
            X509 *crt = first_cert(dr_secret_key(sec, "tls.crt"));
            if (crt) {
                check_expiry(x, sec, "tls.crt", crt, _("management API certificate"));
                X509_free(crt);
            }
        }
    }
}

/* ---- Reaper (R1, R2) and Medusa gRPC (G1) ---------------------------------------------- */

/* A Secret with tls.crt, tls.key and ca.crt (Reaper's client, Medusa gRPC). */
static void check_tls_secret(struct ctx *x, const char *code, const char *name, const char *path,
                             yaml_node_t *at, const char *breaks, const char *fix,
                             bool loopback_sans)
{
    struct dr_secret *copies[64];
    secret_everywhere(x, name, path, at, copies);
    struct dr_secret *sec = copies[0];
    if (!sec)
        return;
    static const char *const keys[] = {"tls.crt", "tls.key", "ca.crt"};
    for (int k = 0; k < 3; k++)
        if (!dr_secret_key(sec, keys[k]))
            sec_add(x, DR_ERROR, code, sec, keys[k], breaks, fix, "%s", _("the key is missing"));
    X509 *crt = first_cert(dr_secret_key(sec, "tls.crt"));
    if (!crt)
        return;
    if (loopback_sans) {
        char **sans = k8tls_x509_sans(crt);
        bool ok = has_san(sans, "DNS:localhost") && has_san(sans, "IP:127.0.0.1");
        k8tls_strv_free(sans);
        if (!ok)
            sec_add(x, DR_ERROR, code, sec, "tls.crt",
                    _("the health probe dials localhost and fails the host name check: the pod "
                      "is never ready"),
                    fix, "%s", _("the server certificate has no SAN for localhost and 127.0.0.1"));
    }
    check_expiry(x, sec, "tls.crt", crt, _("certificate"));
    X509_free(crt);
}

static void check_reaper(struct ctx *x, yaml_node_t *spec, yaml_node_t *cas)
{
    yaml_node_t *rp = yget(x, spec, "reaper");
    if (!rp)
        return;
    char where[1024];
    const char *fix = _("k8tls-wizard --answers ANSWERS -o NEWDIR with encryption.reaper.enabled: "
                        "true (both Secrets, mutual TLS, password changeit)");
    yaml_node_t *enc = yget(x, rp, "encryption");
    if (enc) {
        const char *srv = ystr(x, enc, "serverCertName"), *cli = ystr(x, enc, "clientCertName");
        where_of(x, enc, where, sizeof where);
        if (!cli || !*cli)
            dr_add(x->s, DR_ERROR, "R1", x->obj, "spec.reaper.encryption.clientCertName", where,
                   _("one-way TLS with a private CA cannot work: the operator checks Reaper's "
                     "certificate against its pod's system CAs only"),
                   fix, "%s", _("Reaper's API TLS has no client certificate"));
        else
            check_tls_secret(x, "R1", cli, "spec.reaper.encryption.clientCertName",
                             yget(x, enc, "clientCertName"),
                             _("the operator cannot talk to Reaper's API"), fix, false);
        if (srv && *srv) {
            struct dr_secret *copies[64];
            secret_everywhere(x, srv, "spec.reaper.encryption.serverCertName",
                              yget(x, enc, "serverCertName"), copies);
            static const char *const stores[] = {"keystore.jks", "truststore.jks"};
            for (int i = 0; copies[0] && i < 2; i++) {
                const struct dr_kv *kv = dr_secret_key(copies[0], stores[i]);
                struct k8tls_store *st = NULL;
                struct k8tls_err e;
                k8tls_err_clear(&e);
                if (!kv || !kv->val)
                    sec_add(x, DR_ERROR, "R1", copies[0], stores[i],
                            _("Reaper cannot serve its API over TLS"), fix, "%s",
                            _("the key is missing"));
                else if (k8tls_store_read(kv->val, kv->len, stores[i], "changeit", &st, &e) < 0)
                    sec_add(x, DR_ERROR, "R1", copies[0], stores[i],
                            _("Reaper opens its stores with the hard-coded password changeit: it "
                              "does not start"),
                            fix, _("the store does not open with the password changeit: %s"),
                            e.msg);
                k8tls_store_free(st);
            }
        } else {
            dr_add(x->s, DR_ERROR, "R1", x->obj, "spec.reaper.encryption.serverCertName", where,
                   _("Reaper cannot serve its API over TLS"), fix, "%s",
                   _("Reaper's API TLS has no server Secret"));
        }
    }
    /* R2: with management API mTLS, Reaper's HTTP management needs its keystores */
    yaml_node_t *man = yget(x, yget(x, cas, "managementApiAuth"), "manual");
    yaml_node_t *hm = yget(x, rp, "httpManagement");
    bool hm_on = true;
    if (yget(x, hm, "enabled"))
        k8tls_yaml_get_bool(yget(x, hm, "enabled"), &hm_on);
    const char *ks = ystr(x, yget(x, hm, "keystores"), "name");
    if (man && hm_on && (!ks || !*ks)) {
        where_of(x, hm ? hm : rp, where, sizeof where);
        dr_add(x->s, DR_ERROR, "R2", x->obj, "spec.reaper.httpManagement.keystores", where,
               _("Reaper speaks plain HTTP to the management API's HTTPS port: repairs fail"),
               _("k8tls-wizard --answers ANSWERS -o NEWDIR with encryption.reaper.enabled: true "
                 "and encryption.managementApi.enabled: true"),
               "%s", _("management API mTLS is on but Reaper's HTTP management has no keystores"));
    }
}

static void check_medusa_grpc(struct ctx *x, yaml_node_t *spec)
{
    yaml_node_t *enc = yget(x, yget(x, yget(x, spec, "medusa"), "serviceProperties"), "encryption");
    if (!enc)
        return;
    const char *fix = _("k8tls-wizard --answers ANSWERS -o NEWDIR with encryption.medusaGrpc."
                        "enabled: true (server certificate with localhost, 127.0.0.1 and ::1)");
    const char *srv = ystr(x, enc, "serverSecretName"), *cli = ystr(x, enc, "clientSecretName");
    if (srv && *srv)
        check_tls_secret(x, "G1", srv, "spec.medusa.serviceProperties.encryption.serverSecretName",
                         yget(x, enc, "serverSecretName"),
                         _("Medusa's gRPC server does not start"), fix, true);
    if (cli && *cli)
        check_tls_secret(x, "G1", cli, "spec.medusa.serviceProperties.encryption.clientSecretName",
                         yget(x, enc, "clientSecretName"),
                         _("the operator cannot call Medusa's gRPC API: backups fail"), fix, false);
}

/* ---- per cluster ------------------------------------------------------------------------ */

static void check_cluster(struct dr_state *s, struct dr_cluster *c)
{
    struct ctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.c = c;
    x.d = &s->docs[c->doc];
    snprintf(x.obj, sizeof x.obj, "K8ssandraCluster/%s", c->name);
    yaml_node_t *spec = yget(&x, c->root, "spec");
    yaml_node_t *cas = yget(&x, spec, "cassandra");
    yaml_node_t *cyaml = yget(&x, yget(&x, cas, "config"), "cassandraYaml");
    /* where the Secrets must be: every datacenter's context (K9), the cluster's own when unset */
    if (s->ncontexts == 0) {
        x.places[x.nplaces++] = NULL;
    } else {
        /* the control plane's context for datacenters without k8sContext, else each one's */
        yaml_node_t *dcs = yget(&x, cas, "datacenters");
        bool local = k8tls_yaml_seq_len(dcs) == 0;
        const char *named[64];
        size_t nnamed = 0;
        for (size_t i = 0; i < k8tls_yaml_seq_len(dcs) && nnamed < 64; i++) {
            yaml_node_t *dc = k8tls_yaml_seq_item(x.d, dcs, i);
            const char *k = ystr(&x, dc, "k8sContext");
            if (!k || !*k || (c->context && strcmp(k, c->context) == 0)) {
                local = true;
                continue;
            }
            bool given = false, seen = false;
            for (size_t j = 0; j < s->ncontexts; j++)
                given |= strcmp(k, s->contexts[j]) == 0;
            for (size_t j = 0; j < nnamed; j++)
                seen |= strcmp(k, named[j]) == 0;
            if (seen)
                continue;
            named[nnamed++] = k;
            if (!given) {
                char where[1024], path[128];
                where_of(&x, dc, where, sizeof where);
                snprintf(path, sizeof path, "spec.cassandra.datacenters[%zu].k8sContext", i);
                dr_add(s, DR_WARNING, "K9", x.obj, path, where,
                       _("a Secret missing there would go unnoticed"),
                       _("run the doctor again with --context for every datacenter's context"),
                       _("context %s was not checked: it was not given with --context"), k);
            }
        }
        if (local)
            x.places[x.nplaces++] = c->context;
        for (size_t j = 0; j < nnamed && x.nplaces < 64; j++) {
            bool given = false;
            for (size_t k = 0; k < s->ncontexts; k++)
                given |= strcmp(named[j], s->contexts[k]) == 0;
            if (given)
                x.places[x.nplaces++] = named[j];
        }
    }
    struct stat st;
    bool wizard_dir = false;
    if (s->source) {
        char a[PATH_MAX];
        snprintf(a, sizeof a, "%s/answers.yaml", s->source);
        wizard_dir = stat(a, &st) == 0;
    }
    if (c->context)
        snprintf(x.renew, sizeof x.renew,
                 "k8tls-wizard rotate --from-context %s --answers ANSWERS --phase renew -o NEWDIR",
                 c->context);
    else if (wizard_dir)
        snprintf(x.renew, sizeof x.renew, "k8tls-wizard rotate --from %s --phase renew -o NEWDIR",
                 s->source);
    else
        snprintf(x.renew, sizeof x.renew, "%s",
                 _("k8tls-wizard rotate --answers ANSWERS --phase renew -o NEWDIR (new "
                   "certificates with the SANs and key usages of S5)"));
    snprintf(x.merge, sizeof x.merge,
             _("k8tls-wizard --answers ANSWERS -o NEWDIR with cluster.manifest: %s (merge mode "
               "rewrites the encryption parts)"),
             c->context ? "MANIFEST" : c->file);
    check_block(&x, cas, cyaml, true);
    check_block(&x, cas, cyaml, false);
    yaml_node_t *bad;
    check_medusa(&x, spec, switch_on(&x, yget(&x, cyaml, "client_encryption_options"), false, &bad));
    check_mgmt(&x, cas);
    check_reaper(&x, spec, cas);
    check_medusa_grpc(&x, spec);
}

void dr_check_all(struct dr_state *s)
{
    check_crd(s);
    for (size_t i = 0; i < s->ncl; i++)
        check_cluster(s, &s->cl[i]);
    if (s->ncl == 0)
        dr_add(s, DR_ERROR, "K1", "K8ssandraCluster", NULL, s->source, NULL,
               _("give the manifest too, or check the cluster live with --context"), "%s",
               _("no K8ssandraCluster was found"));
}
