/* Certificate renewal and CA rotation without downtime (issue 7): read the existing Secrets into a
 * model, detect the stage, decide or check a phase, build the phase's material with pki.h's
 * building blocks and turn it into a bundle of Secrets with the bundle builder. See rotate.h. */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "k8tls/answers.h"
#include "k8tls/i18n.h"
#include "k8tls/store.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

/* Proposal thresholds (days). A CA rotation needs three rolling restarts: start it early. */
#define PROPOSE_CA_DAYS 180
#define PROPOSE_LEAF_DAYS 60

#define RESTART_TASK_PATH "restart/k8ssandratask.yaml"
#define NEXT_CA_CERT "ca/next-rootca.crt"
#define NEXT_CA_KEY "ca/next-rootca.key"
#define PREVIOUS_CA_CERT "ca/previous-rootca.crt"

/* ---- the private model -------------------------------------------------------------------- */

struct rpair {
    bool present;
    const char *label;                  /* "server" / "client" */
    const struct k8tls_store_set *set;  /* in the state's plan */
    const struct k8tls_rsecret *sec;    /* in priv->secrets */
    const char *k_ks, *k_ts, *k_kspw, *k_tspw;
    struct k8tls_secret *ks, *ts;       /* the store bytes as read */
    char *kspw, *tspw;
    enum k8tls_store_format fmt;
    enum k8tls_p12_profile profile;
    char *alias;
    EVP_PKEY *key;
    X509 *leaf;
    STACK_OF(X509) *chain;
    STACK_OF(X509) *trusted;
};

struct rmedusa {
    bool present;
    const struct k8tls_rsecret *sec;
    struct k8tls_secret *ca_pem, *cert_pem, *key_pem;
    STACK_OF(X509) *cas;
    X509 *cert;
};

struct k8tls_rotate_priv {
    struct k8tls_rsecret secrets[3];
    size_t n_secrets;
    struct rpair server, client;
    struct rmedusa medusa;
    STACK_OF(X509) *trusted;            /* the truststores' CAs (the same in every store) */
    EVP_PKEY *signing_key, *other_key;  /* keys of signing_ca / other_ca when known */
    char *signing_key_origin, *other_key_origin;
    char *dir_key_unmatched;            /* a key file of the directory that matches no CA */
    char *opt_key_path;                 /* --ca-key */
    bool opt_key_signing, opt_key_other;/* which CA --ca-key matches */
    struct k8tls_secret *answers;       /* DIR/answers.yaml as it is */
    char *from_dir, *from_context;
};

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void add_err(struct k8tls_diags *d, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_err(struct k8tls_diags *d, const char *path, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, path, "%s", msg);
}

/* Names of certificates for messages, the report and rotate_doc.c (see rotate_int.h). */
char *k8tls_rotate_subject(X509 *x)
{
    char *s = x ? k8tls_x509_name(X509_get_subject_name(x)) : NULL;
    return s ? s : strdup("?");
}

char *k8tls_rotate_label(X509 *x)
{
    char buf[256];
    if (x && X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf,
                                       sizeof buf) > 0) {
        size_t n = strlen(buf) + 4;
        char *s = malloc(n);
        if (s)
            snprintf(s, n, "CN=%s", buf);
        return s ? s : strdup("?");
    }
    ERR_clear_error();
    return k8tls_rotate_subject(x);
}

void k8tls_rotate_date(X509 *x, char *buf, size_t len)
{
    if (!x || !k8tls_x509_date(X509_get0_notAfter(x), buf, len))
        snprintf(buf, len, "?");
}

static long days_left(X509 *x)
{
    int days = 0, secs = 0;
    if (!x || !ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)))
        return 0;
    if (days == 0 && secs < 0)
        return -1;
    return days;
}

static bool expired(X509 *x)
{
    return x && X509_cmp_current_time(X509_get0_notAfter(x)) <= 0;
}

static bool same_cert(X509 *a, X509 *b)
{
    return a && b && X509_cmp(a, b) == 0;
}

static bool key_of(EVP_PKEY *k, X509 *ca)
{
    EVP_PKEY *pub = ca ? X509_get0_pubkey(ca) : NULL;
    bool ok = k && pub && EVP_PKEY_eq(k, pub) == 1;
    ERR_clear_error();
    return ok;
}

static bool signed_by(X509 *cert, X509 *ca)
{
    EVP_PKEY *pk = X509_get0_pubkey(ca);
    bool ok = X509_check_issued(ca, cert) == X509_V_OK && pk && X509_verify(cert, pk) == 1;
    ERR_clear_error();
    return ok;
}

/* The CA of set that signed cert, or NULL. */
static X509 *signer_in(X509 *cert, STACK_OF(X509) *set)
{
    for (int i = 0; set && i < sk_X509_num(set); i++)
        if (signed_by(cert, sk_X509_value(set, i)))
            return sk_X509_value(set, i);
    return NULL;
}

static bool in_set(X509 *x, STACK_OF(X509) *set)
{
    for (int i = 0; set && i < sk_X509_num(set); i++)
        if (same_cert(x, sk_X509_value(set, i)))
            return true;
    return false;
}

static bool same_set(STACK_OF(X509) *a, STACK_OF(X509) *b)
{
    if (!a || !b || sk_X509_num(a) != sk_X509_num(b))
        return false;
    for (int i = 0; i < sk_X509_num(a); i++)
        if (!in_set(sk_X509_value(a, i), b))
            return false;
    return true;
}

static char *set_subjects(STACK_OF(X509) *set)
{
    size_t cap = 16;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (int i = 0; set && i < sk_X509_num(set); i++) {
        char *s = k8tls_rotate_label(sk_X509_value(set, i));
        size_t need = strlen(out) + strlen(s) + 8;
        if (need > cap) {
            char *n = realloc(out, need * 2);
            if (!n) {
                free(s);
                break;
            }
            out = n;
            cap = need * 2;
        }
        if (i)
            strcat(out, "; ");
        strcat(out, s);
        free(s);
    }
    return out;
}

static void pair_clear(struct rpair *p)
{
    k8tls_secret_free(p->ks);
    k8tls_secret_free(p->ts);
    k8tls_secure_free_str(p->kspw);
    k8tls_secure_free_str(p->tspw);
    free(p->alias);
    EVP_PKEY_free(p->key);
    X509_free(p->leaf);
    sk_X509_pop_free(p->chain, X509_free);
    sk_X509_pop_free(p->trusted, X509_free);
    memset(p, 0, sizeof *p);
}

static void medusa_clear(struct rmedusa *m)
{
    k8tls_secret_free(m->ca_pem);
    k8tls_secret_free(m->cert_pem);
    k8tls_secret_free(m->key_pem);
    sk_X509_pop_free(m->cas, X509_free);
    X509_free(m->cert);
    memset(m, 0, sizeof *m);
}

void k8tls_rotate_state_free(struct k8tls_rotate_state *s)
{
    if (!s)
        return;
    struct k8tls_rotate_priv *pv = s->priv;
    if (pv) {
        pair_clear(&pv->server);
        pair_clear(&pv->client);
        medusa_clear(&pv->medusa);
        for (size_t i = 0; i < pv->n_secrets; i++)
            k8tls_rsecret_clear(&pv->secrets[i]);
        sk_X509_pop_free(pv->trusted, X509_free);
        EVP_PKEY_free(pv->signing_key);
        EVP_PKEY_free(pv->other_key);
        free(pv->signing_key_origin);
        free(pv->other_key_origin);
        free(pv->dir_key_unmatched);
        free(pv->opt_key_path);
        k8tls_secret_free(pv->answers);
        free(pv->from_dir);
        free(pv->from_context);
        free(pv);
    }
    for (size_t i = 0; i < s->n_certs; i++) {
        free(s->certs[i].role);
        free(s->certs[i].where);
        free(s->certs[i].subject);
        free(s->certs[i].not_after);
    }
    free(s->certs);
    k8tls_plan_free(s->plan);
    free(s->source);
    free(s->namespace_);
    X509_free(s->signing_ca);
    X509_free(s->other_ca);
    k8tls_inspect_free(&s->report);
    free(s);
}

const struct k8tls_plan *k8tls_rotate_state_plan(const struct k8tls_rotate_state *s)
{
    return s ? s->plan : NULL;
}

/* ---- names -------------------------------------------------------------------------------- */

const char *k8tls_rotate_phase_name(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW: return "renew";
    case K8TLS_ROTATE_TRUST: return "trust";
    case K8TLS_ROTATE_REISSUE: return "reissue";
    case K8TLS_ROTATE_RETIRE: return "retire";
    default: return "";
    }
}

int k8tls_rotate_phase_parse(const char *s)
{
    static const enum k8tls_rotate_phase all[] = { K8TLS_ROTATE_RENEW, K8TLS_ROTATE_TRUST,
                                                   K8TLS_ROTATE_REISSUE, K8TLS_ROTATE_RETIRE };
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, k8tls_rotate_phase_name(all[i])) == 0)
            return (int)all[i];
    return -1;
}

const char *k8tls_rotate_phase_title(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW: return _("renewal: new certificates from the same CA");
    case K8TLS_ROTATE_TRUST: return _("CA rotation, phase 1 of 3: trust the old and the new CA");
    case K8TLS_ROTATE_REISSUE: return _("CA rotation, phase 2 of 3: certificates of the new CA");
    case K8TLS_ROTATE_RETIRE: return _("CA rotation, phase 3 of 3: retire the old CA");
    default: return _("nothing to do");
    }
}

const char *k8tls_rotate_stage_describe(enum k8tls_rotate_stage st)
{
    switch (st) {
    case K8TLS_STAGE_STEADY:
        return _("one CA trusted, the certificates signed by it (no rotation under way)");
    case K8TLS_STAGE_TRUSTING:
        return _("two CAs trusted, the certificates still signed by the old one (after phase "
                 "trust)");
    case K8TLS_STAGE_REISSUED:
        return _("two CAs trusted, the certificates signed by the new one (after phase reissue)");
    }
    return "?";
}

/* ---- reading the Secrets into the model --------------------------------------------------- */

/* The bytes of a Secret value as a NUL-terminated heap string. */
static char *text_of(const struct k8tls_secret *s)
{
    char *t = malloc(s->len + 1);
    if (t) {
        memcpy(t, s->data, s->len);
        t[s->len] = '\0';
    }
    return t;
}

/* A password value: text without NUL bytes. */
static char *password_of(const struct k8tls_secret *v)
{
    if (!v || memchr(v->data, '\0', v->len))
        return NULL;
    return text_of(v);
}

static const struct k8tls_secret *need_key(const struct k8tls_rsecret *sec, const char *key,
                                           struct k8tls_diags *d)
{
    const struct k8tls_secret *v = k8tls_rsecret_get(sec, key);
    if (!v)
        add_err(d, NULL, _("%s: the Secret %s has no key %s"), sec->origin, sec->name, key);
    return v;
}

/* PKCS#12 with a SHA-1 MAC: the legacy profile (S4); anything else is modern. */
static enum k8tls_p12_profile p12_profile_of(const struct k8tls_secret *bytes)
{
    const unsigned char *p = bytes->data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)bytes->len);
    enum k8tls_p12_profile prof = K8TLS_P12_MODERN;
    if (p12) {
        const X509_ALGOR *alg = NULL;
        PKCS12_get0_mac(NULL, &alg, NULL, NULL, p12);
        if (alg) {
            const ASN1_OBJECT *obj = NULL;
            X509_ALGOR_get0(&obj, NULL, NULL, alg);
            if (obj && OBJ_obj2nid(obj) == NID_sha1)
                prof = K8TLS_P12_LEGACY;
        }
        PKCS12_free(p12);
    }
    ERR_clear_error();
    return prof;
}

static int read_pair(struct rpair *pr, const struct k8tls_rsecret *sec, struct k8tls_diags *d)
{
    const struct k8tls_store_set *set = pr->set;
    struct k8tls_err e;
    struct k8tls_store *ks = NULL, *ts = NULL;
    char name[1200];
    int rc = -1;
    pr->sec = sec;
    pr->k_ks = k8tls_store_key(set->keys.keystore, K8TLS_SECRET_KEY_KEYSTORE);
    pr->k_ts = k8tls_store_key(set->keys.truststore, K8TLS_SECRET_KEY_TRUSTSTORE);
    pr->k_kspw = k8tls_store_key(set->keys.keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD);
    pr->k_tspw = k8tls_store_key(set->keys.truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD);
    const struct k8tls_secret *vks = need_key(sec, pr->k_ks, d);
    const struct k8tls_secret *vts = need_key(sec, pr->k_ts, d);
    const struct k8tls_secret *vkp = need_key(sec, pr->k_kspw, d);
    const struct k8tls_secret *vtp = need_key(sec, pr->k_tspw, d);
    if (!vks || !vts || !vkp || !vtp)
        return -1;
    pr->kspw = password_of(vkp);
    pr->tspw = password_of(vtp);
    if (!pr->kspw || !pr->tspw) {
        add_err(d, NULL, _("%s: the store passwords must be text"), sec->origin);
        return -1;
    }
    pr->ks = k8tls_secret_new(vks->data, vks->len);
    pr->ts = k8tls_secret_new(vts->data, vts->len);
    if (!pr->ks || !pr->ts) {
        add_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    k8tls_err_clear(&e);
    snprintf(name, sizeof name, "%s: %s", sec->origin, pr->k_ks);
    if (k8tls_store_read(vks->data, vks->len, name, pr->kspw, &ks, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }
    snprintf(name, sizeof name, "%s: %s", sec->origin, pr->k_ts);
    if (k8tls_store_read(vts->data, vts->len, name, pr->tspw, &ts, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }
    size_t nkeys = 0;
    for (size_t i = 0; i < ks->n; i++) {
        struct k8tls_store_entry *en = &ks->v[i];
        if (en->type != K8TLS_ENTRY_PRIVATE_KEY)
            continue;
        if (nkeys++ == 0) {
            pr->alias = dup0(en->alias);
            pr->key = en->key;
            pr->leaf = en->cert;
            if (pr->key)
                EVP_PKEY_up_ref(pr->key);
            if (pr->leaf)
                X509_up_ref(pr->leaf);
            pr->chain = en->chain ? X509_chain_up_ref(en->chain) : sk_X509_new_null();
        }
    }
    if (nkeys != 1 || !pr->key || !pr->leaf || !pr->chain) {
        add_err(d, NULL, _("%s: %s: holds %zu private-key entries, expected exactly one"),
                sec->origin, pr->k_ks, nkeys);
        goto done;
    }
    if (!(pr->trusted = sk_X509_new_null()))
        goto oom;
    for (size_t i = 0; i < ts->n; i++) {
        struct k8tls_store_entry *en = &ts->v[i];
        if (en->type != K8TLS_ENTRY_TRUSTED_CERT || !en->cert)
            continue;
        if (en->p12_no_java_trust) {
            add_err(d, NULL, _("%s: %s: the certificate '%s' has no Java trust attribute: Java "
                               "does not see it"), sec->origin, pr->k_ts,
                    en->alias ? en->alias : "?");
            goto done;
        }
        if (in_set(en->cert, pr->trusted))
            continue;
        if (!X509_up_ref(en->cert) || !sk_X509_push(pr->trusted, en->cert)) {
            X509_free(en->cert);
            goto oom;
        }
    }
    if (sk_X509_num(pr->trusted) == 0) {
        add_err(d, NULL, _("%s: %s: holds no trusted certificate"), sec->origin, pr->k_ts);
        goto done;
    }
    pr->fmt = ks->format;
    if (ts->format != ks->format) {
        add_err(d, NULL, _("%s: the keystore and the truststore are of different formats (one "
                           "store_type covers both)"), sec->origin);
        goto done;
    }
    pr->profile = pr->fmt == K8TLS_FORMAT_PKCS12 ? p12_profile_of(pr->ks) : K8TLS_P12_MODERN;
    pr->present = true;
    rc = 0;
    goto done;
oom:
    add_err(d, NULL, "%s", _("out of memory"));
done:
    k8tls_store_free(ks);
    k8tls_store_free(ts);
    return rc;
}

static int read_medusa(struct rmedusa *m, const struct k8tls_rsecret *sec, struct k8tls_diags *d)
{
    struct k8tls_err e;
    char name[1200];
    m->sec = sec;
    const struct k8tls_secret *vca = need_key(sec, "rootca.crt", d);
    const struct k8tls_secret *vcert = need_key(sec, "client.crt_signed", d);
    const struct k8tls_secret *vkey = need_key(sec, "client.key", d);
    if (!vca || !vcert || !vkey)
        return -1;
    m->ca_pem = k8tls_secret_new(vca->data, vca->len);
    m->cert_pem = k8tls_secret_new(vcert->data, vcert->len);
    m->key_pem = k8tls_secret_new(vkey->data, vkey->len);
    if (!m->ca_pem || !m->cert_pem || !m->key_pem) {
        add_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    STACK_OF(X509) *certs = NULL;
    k8tls_err_clear(&e);
    snprintf(name, sizeof name, "%s: rootca.crt", sec->origin);
    if (k8tls_pem_read_certs(vca->data, vca->len, name, &m->cas, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    snprintf(name, sizeof name, "%s: client.crt_signed", sec->origin);
    if (k8tls_pem_read_certs(vcert->data, vcert->len, name, &certs, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    m->cert = sk_X509_shift(certs);
    sk_X509_pop_free(certs, X509_free);
    EVP_PKEY *key = NULL;
    snprintf(name, sizeof name, "%s: client.key", sec->origin);
    if (k8tls_pem_read_key(vkey->data, vkey->len, name, NULL, &key, NULL, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    bool match = key_of(key, m->cert);
    EVP_PKEY_free(key);
    if (!match) {
        add_err(d, NULL, _("%s: client.key does not match client.crt_signed"), sec->origin);
        return -1;
    }
    m->present = true;
    return 0;
}

/* The Secrets the plan produces: server, client (unless reused), Medusa. */
static size_t secret_names(const struct k8tls_plan *p, const char *names[3])
{
    size_t n = 0;
    if (k8tls_plan_wants_server_stores(p))
        names[n++] = p->stores.server.secret_name;
    if (k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE)
        names[n++] = p->stores.client.secret_name;
    if (k8tls_plan_wants_medusa_certs(p))
        names[n++] = p->encryption.medusa.secret_name;
    return n;
}

static const struct k8tls_rsecret *find_secret(const struct k8tls_rotate_priv *pv, const char *name)
{
    for (size_t i = 0; i < pv->n_secrets; i++)
        if (strcmp(pv->secrets[i].name, name) == 0)
            return &pv->secrets[i];
    return NULL;
}

/* Loads a PEM key file; NULL (with e) when it cannot be read or opened. */
static EVP_PKEY *load_key(const char *path, const char *password, struct k8tls_err *e)
{
    struct k8tls_secret *b = NULL;
    EVP_PKEY *k = NULL;
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &b, e) < 0)
        return NULL;
    if (k8tls_pem_read_key(b->data, b->len, path, password, &k, NULL, e) < 0)
        k = NULL;
    k8tls_secret_free(b);
    return k;
}

/* Attaches a key to the CA it belongs to (signing or other). Returns true when it matched. */
static bool attach_key(struct k8tls_rotate_state *s, EVP_PKEY *k, const char *origin)
{
    struct k8tls_rotate_priv *pv = s->priv;
    if (key_of(k, s->signing_ca)) {
        if (!pv->signing_key) {
            EVP_PKEY_up_ref(k);
            pv->signing_key = k;
            pv->signing_key_origin = dup0(origin);
        }
        return true;
    }
    if (s->other_ca && key_of(k, s->other_ca)) {
        if (!pv->other_key) {
            EVP_PKEY_up_ref(k);
            pv->other_key = k;
            pv->other_key_origin = dup0(origin);
        }
        return true;
    }
    return false;
}

static void add_cert_info(struct k8tls_rotate_state *s, const char *role, const char *where, X509 *x)
{
    struct k8tls_rotate_cert *v = realloc(s->certs, (s->n_certs + 1) * sizeof *v);
    if (!v || !x)
        return;
    s->certs = v;
    char date[64];
    k8tls_rotate_date(x, date, sizeof date);
    struct k8tls_rotate_cert *c = &s->certs[s->n_certs++];
    c->role = dup0(role);
    c->where = dup0(where);
    c->subject = k8tls_rotate_subject(x);
    c->not_after = dup0(date);
    c->days_left = days_left(x);
}

/* Reads the K8ssandraCluster name and namespace of DIR/manifests/20-k8ssandracluster.yaml (merge
 * mode may have taken them from an existing manifest), or of DIR/rotation.yaml (a phase's
 * directory has no cluster manifest). Silent when absent. */
static void cluster_identity(const char *dir, char **name, char **ns)
{
    char *path = k8tls_path_join(dir, "manifests/20-k8ssandracluster.yaml");
    char *buf = NULL;
    size_t len = 0;
    struct k8tls_err e;
    struct stat st;
    *name = *ns = NULL;
    if (!path || stat(path, &st) != 0
        || k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, &e) < 0) {
        struct k8tls_rotation_file rf;
        if (k8tls_rotation_file_read(dir, &rf, &e) == 1) {
            *name = rf.cluster[0] ? strdup(rf.cluster) : NULL;
            *ns = rf.namespace_[0] ? strdup(rf.namespace_) : NULL;
        }
        free(path);
        return;
    }
    yaml_document_t doc;
    if (k8tls_yaml_load(path, buf, len, &doc, &e) == 0) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        yaml_node_t *md = k8tls_yaml_map_get(&doc, root, "metadata");
        const char *n = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, md, "name"));
        const char *s = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, md, "namespace"));
        *name = n && *n ? strdup(n) : NULL;
        *ns = s && *s ? strdup(s) : NULL;
        yaml_document_delete(&doc);
    }
    free(buf);
    free(path);
}

static int load_plan(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state *s,
                     struct k8tls_diags *d)
{
    struct k8tls_rotate_priv *pv = s->priv;
    struct k8tls_diags ld;
    k8tls_diags_init(&ld);
    if (o->from_dir) {
        char *path = k8tls_path_join(o->from_dir, "answers.yaml");
        struct k8tls_err e;
        struct stat st;
        if (!path)
            return -1;
        if (stat(path, &st) != 0) {
            add_err(d, NULL, _("%s: not an output directory of k8tls-wizard (answers.yaml: %s)"),
                    o->from_dir, strerror(errno));
            free(path);
            return -1;
        }
        k8tls_err_clear(&e);
        if (k8tls_store_read_bytes(path, K8TLS_YAML_MAX_INPUT, &pv->answers, &e) < 0) {
            k8tls_diags_add_err(d, NULL, &e);
            free(path);
            return -1;
        }
        s->plan = k8tls_answers_load(path, &ld);
        free(path);
    } else if (o->answers) {
        s->plan = k8tls_answers_load(o->answers, &ld);
    } else {
        s->plan = k8tls_plan_new_defaults();
    }
    size_t nerr = k8tls_diags_count(&ld, K8TLS_SEV_ERROR);
    for (size_t i = 0; i < ld.n; i++)
        if (ld.v[i].sev == K8TLS_SEV_ERROR)
            k8tls_diags_add(d, K8TLS_SEV_ERROR, ld.v[i].file, ld.v[i].line, ld.v[i].col,
                            ld.v[i].path, "%s", ld.v[i].msg);
    k8tls_diags_free(&ld);
    if (!s->plan || nerr) {
        if (!s->plan && !nerr)
            add_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    if (o->from_dir) {
        char *name, *ns;
        cluster_identity(o->from_dir, &name, &ns);
        if (name) {
            free(s->plan->cluster.name);
            s->plan->cluster.name = name;
        }
        if (ns) {
            free(s->plan->cluster.namespace_);
            s->plan->cluster.namespace_ = ns;
        }
    }
    return 0;
}

static int read_secrets(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state *s,
                        struct k8tls_diags *d)
{
    struct k8tls_rotate_priv *pv = s->priv;
    const char *names[3];
    size_t n = secret_names(s->plan, names);
    struct k8tls_err e;
    int rc = 0;
    if (n == 0) {
        add_err(d, NULL, "%s", _("the plan produces no stores and no Medusa certificate: there "
                                 "is nothing to renew or rotate"));
        return -1;
    }
    s->namespace_ = dup0(s->plan->cluster.namespace_);
    if (o->from_dir) {
        for (size_t i = 0; i < n; i++) {
            struct k8tls_rsecret tmp;
            k8tls_err_clear(&e);
            if (k8tls_rsecret_from_dir(o->from_dir, names[i], &tmp, &e) < 0) {
                if (!o->from_context) {
                    k8tls_diags_add_err(d, NULL, &e);
                    rc = -1;
                }
                continue;
            }
            if (tmp.namespace_[0] && i == 0) {
                free(s->namespace_);
                s->namespace_ = dup0(tmp.namespace_);
            }
            if (o->from_context)
                k8tls_rsecret_clear(&tmp);
            else
                pv->secrets[pv->n_secrets++] = tmp;
        }
        if (rc < 0)
            return -1;
    }
    if (!s->namespace_ || !*s->namespace_) {
        add_err(d, "cluster.namespace", "%s", _("the namespace of the Secrets is not known"));
        return -1;
    }
    if (o->from_context) {
        for (size_t i = 0; i < n; i++) {
            k8tls_err_clear(&e);
            int r = k8tls_rsecret_from_context(o->kubeconfig, o->from_context, s->namespace_,
                                               names[i], &pv->secrets[pv->n_secrets], &e);
            if (r < 0) {
                k8tls_diags_add_err(d, NULL, &e);
                return r;   /* -1 validation, -3 environment */
            }
            pv->n_secrets++;
        }
    }
    return 0;
}

/* Fills the model from the Secrets and detects the stage. */
static int analyse(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state *s,
                   struct k8tls_diags *d)
{
    struct k8tls_rotate_priv *pv = s->priv;
    const struct k8tls_plan *p = s->plan;
    int rc = 0;
    pv->server.label = "server";
    pv->server.set = &p->stores.server;
    pv->client.label = "client";
    pv->client.set = &p->stores.client;
    if (k8tls_plan_wants_server_stores(p))
        rc |= read_pair(&pv->server, find_secret(pv, p->stores.server.secret_name), d);
    if (k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE)
        rc |= read_pair(&pv->client, find_secret(pv, p->stores.client.secret_name), d);
    if (k8tls_plan_wants_medusa_certs(p))
        rc |= read_medusa(&pv->medusa, find_secret(pv, p->encryption.medusa.secret_name), d);
    if (rc)
        return -1;

    /* every truststore (and Medusa's rootca.crt) trusts the same CAs */
    struct rpair *first = pv->server.present ? &pv->server : pv->client.present ? &pv->client
                                                                                   : NULL;
    STACK_OF(X509) *T = first ? first->trusted : pv->medusa.cas;
    const char *T_where = first ? first->sec->origin : pv->medusa.sec->origin;
    struct {
        bool present;
        STACK_OF(X509) *set;
        const char *where;
    } others[2] = {
        { pv->client.present, pv->client.trusted, pv->client.present ? pv->client.sec->origin : "" },
        { pv->medusa.present, pv->medusa.cas, pv->medusa.present ? pv->medusa.sec->origin : "" },
    };
    for (int i = 0; i < 2; i++) {
        if (!others[i].present || others[i].set == T)
            continue;
        if (!same_set(T, others[i].set)) {
            char *a = set_subjects(T), *b = set_subjects(others[i].set);
            add_err(d, NULL, _("%s trusts %s but %s trusts %s: the Secrets are from different "
                               "phases; apply the last phase's bundle completely (every Secret, "
                               "every context) first"),
                    T_where, a ? a : "?", others[i].where, b ? b : "?");
            free(a);
            free(b);
            return -1;
        }
    }
    int nT = sk_X509_num(T);
    if (nT < 1 || nT > 2) {
        add_err(d, NULL, _("%s: the truststore holds %d CAs: a rotation by this tool keeps one or "
                           "two; clean it up by hand first"), T_where, nT);
        return -1;
    }
    if (!(pv->trusted = X509_chain_up_ref(T)))
        return -1;

    /* who signed each leaf */
    struct {
        X509 *cert;
        const char *role;
        const char *where;
    } leaves[3] = {
        { pv->server.leaf, _("server keystore"), pv->server.present ? pv->server.sec->origin : "" },
        { pv->client.leaf, _("client keystore"), pv->client.present ? pv->client.sec->origin : "" },
        { pv->medusa.cert, _("Medusa client certificate"),
          pv->medusa.present ? pv->medusa.sec->origin : "" },
    };
    X509 *signer = NULL;
    const char *signer_where = NULL;
    for (int i = 0; i < 3; i++) {
        if (!leaves[i].cert)
            continue;
        X509 *sg = signer_in(leaves[i].cert, pv->trusted);
        if (!sg) {
            char *t = set_subjects(pv->trusted);
            add_err(d, NULL, _("%s: the %s is not signed by a CA the truststores trust (%s)"),
                    leaves[i].where, leaves[i].role, t ? t : "?");
            free(t);
            return -1;
        }
        if (signer && sg != signer) {
            char *a = k8tls_rotate_label(signer), *b = k8tls_rotate_label(sg);
            add_err(d, NULL, _("%s is signed by %s but %s by %s: the Secrets are from different "
                               "phases; apply the last phase's bundle completely first"),
                    signer_where, a, leaves[i].where, b);
            free(a);
            free(b);
            return -1;
        }
        signer = sg;
        signer_where = leaves[i].where;
    }
    if (!signer) {
        add_err(d, NULL, "%s", _("no certificate to renew was found"));
        return -1;
    }
    X509_up_ref(signer);
    s->signing_ca = signer;

    /* the stage */
    if (nT == 1) {
        s->stage = K8TLS_STAGE_STEADY;
    } else {
        X509 *a = sk_X509_value(pv->trusted, 0), *b = sk_X509_value(pv->trusted, 1);
        X509 *newer = NULL;
        struct k8tls_rotation_file rf;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        if (o->from_dir && k8tls_rotation_file_read(o->from_dir, &rf, &e) < 0) {
            k8tls_diags_add_err(d, NULL, &e);
            return -1;
        }
        if (o->from_dir && rf.new_ca_sha256[0]) {
            char fa[65], fb[65];
            k8tls_rotate_fingerprint(a, fa);
            k8tls_rotate_fingerprint(b, fb);
            newer = strcmp(fa, rf.new_ca_sha256) == 0 ? a : strcmp(fb, rf.new_ca_sha256) == 0 ? b
                                                                                           : NULL;
        }
        if (!newer) {
            /* the later one; on a tie, the second entry (phase trust writes old, new) */
            int c = ASN1_TIME_compare(X509_get0_notBefore(a), X509_get0_notBefore(b));
            newer = c > 0 ? a : b;
        }
        X509 *older = newer == a ? b : a;
        s->stage = signer == older ? K8TLS_STAGE_TRUSTING : K8TLS_STAGE_REISSUED;
        s->other_ca = signer == older ? newer : older;
        X509_up_ref(s->other_ca);
    }

    /* CA keys: the directory's, and --ca-key */
    if (o->from_dir) {
        const char *rels[2] = { "ca/rootca.key", NEXT_CA_KEY };
        struct k8tls_rotation_file rf;
        struct k8tls_err e;
        if (k8tls_rotation_file_read(o->from_dir, &rf, &e) == 1 && rf.new_ca_key[0])
            rels[1] = rf.new_ca_key;
        for (int i = 0; i < 2; i++) {
            char *path = k8tls_path_join(o->from_dir, rels[i]);
            struct stat st;
            if (!path)
                continue;
            if (stat(path, &st) == 0) {
                k8tls_err_clear(&e);
                EVP_PKEY *k = load_key(path, NULL, &e);
                if (!k)
                    k8tls_diags_add(d, K8TLS_SEV_WARNING, NULL, 0, 0, NULL, "%s", e.msg);
                else if (!attach_key(s, k, path) && !pv->dir_key_unmatched)
                    pv->dir_key_unmatched = dup0(path);
                EVP_PKEY_free(k);
            }
            free(path);
        }
    }
    if (o->ca_key) {
        struct k8tls_err e;
        char *pw = NULL;
        k8tls_err_clear(&e);
        if (o->ca_key_password && !(pw = k8tls_password_resolve(o->ca_key_password, NULL, &e))) {
            add_err(d, NULL, "--ca-key-password: %s", e.msg);
            return -1;
        }
        EVP_PKEY *k = load_key(o->ca_key, pw, &e);
        k8tls_secure_free_str(pw);
        if (!k) {
            k8tls_diags_add_err(d, NULL, &e);
            return -1;
        }
        pv->opt_key_path = dup0(o->ca_key);
        pv->opt_key_signing = key_of(k, s->signing_ca);
        pv->opt_key_other = s->other_ca && key_of(k, s->other_ca);
        /* --ca-key wins over the directory's keys */
        if (pv->opt_key_signing) {
            EVP_PKEY_free(pv->signing_key);
            free(pv->signing_key_origin);
            pv->signing_key = NULL;
            pv->signing_key_origin = NULL;
        }
        if (pv->opt_key_other) {
            EVP_PKEY_free(pv->other_key);
            free(pv->other_key_origin);
            pv->other_key = NULL;
            pv->other_key_origin = NULL;
        }
        attach_key(s, k, o->ca_key);
        EVP_PKEY_free(k);
    }

    /* what was found, for display */
    const char *signing_role = s->stage == K8TLS_STAGE_REISSUED ? _("new root CA (signs the certificates)")
                                                                : _("root CA (signs the certificates)");
    add_cert_info(s, signing_role, T_where, s->signing_ca);
    if (s->other_ca)
        add_cert_info(s, s->stage == K8TLS_STAGE_TRUSTING ? _("new root CA (trusted only)")
                                                          : _("previous root CA (trusted only)"),
                      T_where, s->other_ca);
    s->ca_days = days_left(s->signing_ca);
    s->min_leaf_days = 0;
    bool any = false;
    for (int i = 0; i < 3; i++) {
        if (!leaves[i].cert)
            continue;
        char where[1200];
        snprintf(where, sizeof where, "%s", leaves[i].where);
        add_cert_info(s, leaves[i].role, where, leaves[i].cert);
        long dl = days_left(leaves[i].cert);
        if (!any || dl < s->min_leaf_days)
            s->min_leaf_days = dl;
        any = true;
    }
    return 0;
}

static void build_report(struct k8tls_rotate_state *s)
{
    struct k8tls_rotate_priv *pv = s->priv;
    for (size_t i = 0; i < pv->n_secrets; i++) {
        const struct k8tls_rsecret *sec = &pv->secrets[i];
        struct k8tls_inspect_blob *b = calloc(sec->n ? sec->n : 1, sizeof *b);
        char where[600];
        if (!b)
            return;
        for (size_t j = 0; j < sec->n; j++) {
            b[j].name = sec->v[j].key;
            b[j].data = sec->v[j].val->data;
            b[j].len = sec->v[j].val->len;
        }
        snprintf(where, sizeof where, _("Secret %s"), sec->name);
        k8tls_inspect_blobs(&s->report, where, b, sec->n, NULL);
        free(b);
    }
}

static int load_one(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state **out,
                    struct k8tls_diags *d)
{
    *out = NULL;
    struct k8tls_rotate_state *s = calloc(1, sizeof *s);
    if (!s || !(s->priv = calloc(1, sizeof *s->priv))) {
        free(s);
        add_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    k8tls_inspect_init(&s->report);
    struct k8tls_rotate_priv *pv = s->priv;
    pv->from_dir = dup0(o->from_dir);
    pv->from_context = dup0(o->from_context);
    char src[1200];
    if (o->from_context)
        snprintf(src, sizeof src, _("context %s"), o->from_context);
    else
        snprintf(src, sizeof src, "%s", o->from_dir);
    s->source = dup0(src);

    int rc = load_plan(o, s, d);
    if (rc == 0)
        rc = read_secrets(o, s, d);
    if (rc == 0)
        rc = analyse(o, s, d) < 0 ? -1 : 0;
    if (rc < 0) {
        if (k8tls_diags_count(d, K8TLS_SEV_ERROR) == 0)
            add_err(d, NULL, "%s", _("the existing certificates could not be read"));
        k8tls_rotate_state_free(s);
        return rc < -1 ? rc : -1;
    }
    *out = s;
    return 0;
}

/* The operator copies no Secret between clusters (K9): every datacenter's context holds its own
 * copy, and a phase may run only when all of them are at the same stage with the same CAs. */
static int check_other_contexts(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state *s,
                                struct k8tls_diags *d)
{
    const struct k8tls_plan *p = s->plan;
    size_t n = p->cluster.n_dcs + o->n_also_contexts;
    for (size_t i = 0; i < n; i++) {
        const char *ctx = i < p->cluster.n_dcs ? p->cluster.dcs[i].k8s_context
                                               : o->also_contexts[i - p->cluster.n_dcs];
        const char *dc = i < p->cluster.n_dcs && p->cluster.dcs[i].name ? p->cluster.dcs[i].name
                                                                         : "-";
        bool seen = !ctx || !*ctx || strcmp(ctx, o->from_context) == 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *cj = j < p->cluster.n_dcs ? p->cluster.dcs[j].k8s_context
                                                  : o->also_contexts[j - p->cluster.n_dcs];
            if (cj && strcmp(cj, ctx) == 0)
                seen = true;
        }
        if (seen)
            continue;
        struct k8tls_rotate_opts o2 = *o;
        struct k8tls_rotate_state *t = NULL;
        o2.from_context = ctx;
        o2.also_contexts = NULL;
        o2.n_also_contexts = 0;
        o2.ca_key = NULL;
        o2.ca_key_password = NULL;
        int rc = load_one(&o2, &t, d);
        if (rc < 0)
            return rc;
        bool same = t->stage == s->stage && X509_cmp(t->signing_ca, s->signing_ca) == 0
                    && (!t->other_ca) == (!s->other_ca)
                    && (!t->other_ca || X509_cmp(t->other_ca, s->other_ca) == 0);
        if (!same)
            add_err(d, NULL, _("the Secrets of context %s (datacenter %s) are not at the stage of "
                               "context %s: %s there, %s here; apply the last phase's bundle in "
                               "every context first"),
                    ctx, dc, o->from_context,
                    k8tls_rotate_stage_describe(t->stage), k8tls_rotate_stage_describe(s->stage));
        k8tls_rotate_state_free(t);
        if (!same)
            return -1;
    }
    return 0;
}

int k8tls_rotate_load(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state **out,
                      struct k8tls_diags *d)
{
    *out = NULL;
    if (!o || (!o->from_dir && !o->from_context)) {
        add_err(d, NULL, "%s", _("nothing to start from: give an output directory (--from DIR) "
                                 "or a kube context (--from-context NAME)"));
        return -1;
    }
    struct k8tls_rotate_state *s = NULL;
    int rc = load_one(o, &s, d);
    if (rc == 0 && o->from_context)
        rc = check_other_contexts(o, s, d);
    if (rc < 0) {
        k8tls_rotate_state_free(s);
        return rc;
    }
    build_report(s);
    *out = s;
    return 0;
}

/* ---- deciding ------------------------------------------------------------------------------ */

static void refuse_stage(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                         struct k8tls_diags *d)
{
    char *sg = k8tls_rotate_label(s->signing_ca);
    const char *src = s->source;
    switch (ph) {
    case K8TLS_ROTATE_RENEW:
    case K8TLS_ROTATE_TRUST:
        add_err(d, NULL, _("phase %s refused: a CA rotation is under way in %s (%s); finish it "
                           "first: the next phase is %s"),
                k8tls_rotate_phase_name(ph), src, k8tls_rotate_stage_describe(s->stage),
                s->stage == K8TLS_STAGE_TRUSTING ? "reissue" : "retire");
        break;
    case K8TLS_ROTATE_REISSUE:
        if (s->stage == K8TLS_STAGE_STEADY)
            add_err(d, NULL, _("phase reissue refused: it needs phase trust first, and the "
                               "truststores of %s trust one CA only (%s). Run --phase trust, "
                               "apply it everywhere and restart every pod, then reissue"),
                    src, sg);
        else
            add_err(d, NULL, _("phase reissue refused: it is done already in %s (the "
                               "certificates are signed by the new CA %s); the next phase is "
                               "retire"), src, sg);
        break;
    case K8TLS_ROTATE_RETIRE:
        if (s->stage == K8TLS_STAGE_STEADY)
            add_err(d, NULL, _("phase retire refused: there is nothing to retire in %s, the "
                               "truststores trust one CA only (%s); a CA rotation starts with "
                               "phase trust"), src, sg);
        else
            add_err(d, NULL, _("phase retire refused: it needs phase reissue first; in %s the "
                               "certificates are still signed by the old CA %s, and removing it "
                               "from the truststores now would cut every node off"), src, sg);
        break;
    default:
        break;
    }
    free(sg);
}

static bool stage_allows(enum k8tls_rotate_stage st, enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW:
    case K8TLS_ROTATE_TRUST: return st == K8TLS_STAGE_STEADY;
    case K8TLS_ROTATE_REISSUE: return st == K8TLS_STAGE_TRUSTING;
    case K8TLS_ROTATE_RETIRE: return st == K8TLS_STAGE_REISSUED;
    default: return false;
    }
}

/* The CA that signs a phase's new certificates (NULL: none are signed). */
static X509 *phase_signer(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                          EVP_PKEY **key)
{
    if (ph == K8TLS_ROTATE_RENEW) {
        *key = s->priv->signing_key;
        return s->signing_ca;
    }
    if (ph == K8TLS_ROTATE_REISSUE) {
        *key = s->priv->other_key;
        return s->other_ca;
    }
    *key = NULL;
    return NULL;
}

static int check_phase(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                       const struct k8tls_rotate_opts *o, struct k8tls_diags *d)
{
    const struct k8tls_rotate_priv *pv = s->priv;
    size_t before = k8tls_diags_count(d, K8TLS_SEV_ERROR);
    if (!stage_allows(s->stage, ph)) {
        refuse_stage(s, ph, d);
        return -1;
    }
    /* the key that signs the new certificates */
    EVP_PKEY *key = NULL;
    X509 *signer = phase_signer(s, ph, &key);
    if (signer) {
        char *sg = k8tls_rotate_label(signer);
        char fp[65];
        k8tls_rotate_fingerprint(signer, fp);
        bool opt_ok = ph == K8TLS_ROTATE_RENEW ? pv->opt_key_signing : pv->opt_key_other;
        if (pv->opt_key_path && !opt_ok) {
            if (ph == K8TLS_ROTATE_REISSUE && pv->opt_key_signing)
                add_err(d, "--ca-key", _("the CA key %s does not match: it is the key of the old "
                                         "CA, and phase reissue signs with the new CA %s "
                                         "(SHA-256 %s)"), pv->opt_key_path, sg, fp);
            else
                add_err(d, "--ca-key", _("the CA key %s does not match the CA %s (SHA-256 %s) "
                                         "that signs the certificates of phase %s"),
                        pv->opt_key_path, sg, fp, k8tls_rotate_phase_name(ph));
        } else if (!key) {
            if (pv->dir_key_unmatched)
                add_err(d, "--ca-key", _("the private key of the CA %s is needed to sign the new "
                                         "certificates, and %s does not match it: give the "
                                         "right one with --ca-key PATH"),
                        sg, pv->dir_key_unmatched);
            else
                add_err(d, "--ca-key", _("the private key of the CA %s is needed to sign the new "
                                         "certificates: give it with --ca-key PATH (or start "
                                         "from the output directory that holds it)"),
                        sg);
        }
        free(sg);
    }
    /* expired material */
    if (ph == K8TLS_ROTATE_RENEW && expired(s->signing_ca)) {
        char date[64];
        k8tls_rotate_date(s->signing_ca, date, sizeof date);
        add_err(d, NULL, _("phase renew refused: the CA expired on %s, and certificates signed "
                           "by it cannot outlive it; rotate the CA (--phase trust) instead"),
                date);
    } else if (!o || !o->force) {
        for (size_t i = 0; i < s->n_certs; i++) {
            const struct k8tls_rotate_cert *c = &s->certs[i];
            X509 *x = NULL;
            /* the certificate itself: CAs are the first entries */
            if (i == 0)
                x = s->signing_ca;
            else if (i == 1 && s->other_ca)
                x = s->other_ca;
            if (ph == K8TLS_ROTATE_RETIRE && x && x == s->other_ca)
                continue;   /* the old CA goes away in this phase */
            if (c->days_left >= 0 && (!x || !expired(x)))
                continue;
            add_err(d, NULL, _("%s (%s, %s) expired on %s: connections that use it fail already, "
                               "so a rotation without downtime is no longer possible. Use "
                               "--force to go on anyway (expect failures until every pod has "
                               "restarted)"),
                    c->role, c->subject, c->where, c->not_after);
        }
    }
    return k8tls_diags_count(d, K8TLS_SEV_ERROR) > before ? -1 : 0;
}

int k8tls_rotate_plan(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase asked,
                      const struct k8tls_rotate_opts *o, struct k8tls_rotate_decision *out,
                      struct k8tls_diags *d)
{
    memset(out, 0, sizeof *out);
    if (asked != K8TLS_ROTATE_NONE) {
        out->phase = asked;
        out->allowed = check_phase(s, asked, o, d) == 0;
        snprintf(out->reason, sizeof out->reason, _("phase %s was asked for"),
                 k8tls_rotate_phase_name(asked));
        return out->allowed ? 0 : -1;
    }
    char *sg = k8tls_rotate_label(s->signing_ca);
    switch (s->stage) {
    case K8TLS_STAGE_TRUSTING:
        out->phase = K8TLS_ROTATE_REISSUE;
        snprintf(out->reason, sizeof out->reason,
                 _("every truststore trusts the old and the new CA, and the certificates are "
                   "still signed by the old CA %s: once every pod has restarted, the next phase "
                   "is reissue"), sg);
        break;
    case K8TLS_STAGE_REISSUED:
        out->phase = K8TLS_ROTATE_RETIRE;
        snprintf(out->reason, sizeof out->reason,
                 _("the certificates are signed by the new CA %s and the old CA is still "
                   "trusted: once every pod has restarted, the next phase is retire"), sg);
        break;
    case K8TLS_STAGE_STEADY:
        if (s->ca_days < PROPOSE_CA_DAYS) {
            out->phase = K8TLS_ROTATE_TRUST;
            snprintf(out->reason, sizeof out->reason,
                     _("the CA %s expires in %ld days: rotate it (three phases, each followed by "
                       "a rolling restart), starting with phase trust"), sg, s->ca_days);
        } else if (s->min_leaf_days < PROPOSE_LEAF_DAYS) {
            out->phase = K8TLS_ROTATE_RENEW;
            snprintf(out->reason, sizeof out->reason,
                     _("a certificate expires in %ld days and the CA %s in %ld: renew the "
                       "certificates from the same CA (one phase, one rolling restart)"),
                     s->min_leaf_days, sg, s->ca_days);
        } else {
            out->phase = K8TLS_ROTATE_NONE;
            snprintf(out->reason, sizeof out->reason,
                     _("nothing is due: the first certificate expires in %ld days, the CA %s in "
                       "%ld. --phase renew renews the certificates now; --phase trust starts a "
                       "CA rotation"), s->min_leaf_days, sg, s->ca_days);
        }
        break;
    }
    free(sg);
    if (out->phase == K8TLS_ROTATE_NONE) {
        out->allowed = true;
        return 0;
    }
    /* would it run? (the TUI greys it out otherwise); the reasons are for the caller */
    struct k8tls_diags scratch;
    k8tls_diags_init(&scratch);
    out->allowed = check_phase(s, out->phase, o, &scratch) == 0;
    for (size_t i = 0; i < scratch.n; i++)
        k8tls_diags_add(d, K8TLS_SEV_NOTE, NULL, 0, 0, scratch.v[i].path, "%s", scratch.v[i].msg);
    k8tls_diags_free(&scratch);
    return 0;
}

/* ---- building a phase --------------------------------------------------------------------- */

static char *cn_of(X509 *x)
{
    char buf[256];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof buf);
    ERR_clear_error();
    return n > 0 ? strdup(buf) : NULL;
}

/* The leaf's SANs without their "DNS:"/"IP:" prefixes (make_leaf takes bare names). */
static char **sans_of(X509 *x)
{
    char **v = k8tls_x509_sans(x);
    if (!v)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; v[i]; i++) {
        const char *s = v[i];
        const char *colon = strchr(s, ':');
        if ((strncmp(s, "DNS:", 4) == 0 || strncmp(s, "IP:", 3) == 0) && colon) {
            memmove(v[i], colon + 1, strlen(colon + 1) + 1);
            v[w++] = v[i];
        } else {
            free(v[i]);
        }
    }
    v[w] = NULL;
    return v;
}

struct runctx {
    struct k8tls_rotate_state *s;
    const struct k8tls_rotate_opts *o;
    enum k8tls_rotate_phase ph;
    struct k8tls_diags *d;
    struct k8tls_diags notes;
    X509 *signer;                /* signs new leaves (renew, reissue) */
    EVP_PKEY *signer_key;
    X509 *new_ca;                /* trust: made here */
    EVP_PKEY *new_ca_key;
    STACK_OF(X509) *trusted;     /* the truststores of the phase */
    bool trust_changes;
    bool leaves_change;
    struct k8tls_key_spec leaf_spec;
};

static int new_leaf(struct runctx *c, X509 *old, EVP_PKEY *key, bool medusa, X509 **out)
{
    struct k8tls_err e;
    bool capped = false;
    char *cn = cn_of(old);
    char **sans = medusa ? NULL : sans_of(old);
    struct k8tls_leaf_params lp = {
        .cn = cn ? cn : (medusa ? "client" : "node"),
        .sans = sans,
        .server_auth = !medusa && k8tls_x509_eku_allows(old, NID_server_auth),
        .client_auth = k8tls_x509_eku_allows(old, NID_client_auth),
        .validity_days = c->s->plan->certificates.validity_days,
    };
    k8tls_err_clear(&e);
    *out = k8tls_pki_make_leaf(c->signer, c->signer_key, key, &lp, &capped, &e);
    if (!*out)
        k8tls_diags_add_err(c->d, NULL, &e);
    else if (capped)
        k8tls_diags_add(&c->notes, K8TLS_SEV_WARNING, NULL, 0, 0, "certificates.validityDays",
                        _("the certificate %s ends with its CA, before the %d days asked: the CA "
                          "itself needs a rotation first"), lp.cn, lp.validity_days);
    free(cn);
    k8tls_strv_free(sans);
    return *out ? 0 : -1;
}

/* One store pair of the phase: new leaf (key given) or the old one; the phase's truststore. */
static int phase_pair(struct runctx *c, const struct rpair *old, EVP_PKEY *new_key,
                      struct k8tls_store_pair *out)
{
    struct k8tls_err e;
    X509 *leaf = NULL;
    STACK_OF(X509) *chain = NULL;
    char *kspw = NULL, *tspw = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    k8tls_err_clear(&e);
    if (c->o && c->o->new_passwords) {
        kspw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
        tspw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
    } else {
        kspw = dup0(old->kspw);
        tspw = dup0(old->tspw);
    }
    if (!kspw || !tspw)
        goto oom;
    out->format = old->fmt;
    if (new_key) {
        if (new_leaf(c, old->leaf, new_key, false, &leaf) < 0)
            goto done;
        if (!(chain = sk_X509_new_null()) || !sk_X509_push(chain, c->signer))
            goto oom;
        if (k8tls_store_write_keystore(old->fmt, old->profile, old->alias ? old->alias : old->label,
                                       new_key, leaf, chain, kspw, &out->keystore, &e) < 0)
            goto err;
    } else {
        leaf = old->leaf;
        X509_up_ref(leaf);
        if (c->o && c->o->new_passwords) {
            if (k8tls_store_write_keystore(old->fmt, old->profile,
                                           old->alias ? old->alias : old->label, old->key,
                                           old->leaf, old->chain, kspw, &out->keystore, &e) < 0)
                goto err;
        } else if (!(out->keystore = k8tls_secret_new(old->ks->data, old->ks->len))) {
            goto oom;
        }
    }
    if (c->trust_changes || (c->o && c->o->new_passwords)) {
        if (k8tls_store_write_truststore(old->fmt, old->profile, c->trusted, tspw,
                                         &out->truststore, &e) < 0)
            goto err;
    } else if (!(out->truststore = k8tls_secret_new(old->ts->data, old->ts->len))) {
        goto oom;
    }
    out->keystore_password = kspw;
    out->truststore_password = tspw;
    kspw = tspw = NULL;
    out->leaf = leaf;
    leaf = NULL;
    if (!(out->trusted = X509_chain_up_ref(c->trusted)))
        goto oom;
    out->present = true;
    rc = 0;
    goto done;
oom:
    add_err(c->d, NULL, "%s", _("out of memory"));
    goto done;
err:
    k8tls_diags_add_err(c->d, NULL, &e);
done:
    if (chain)
        sk_X509_free(chain);   /* the signer is borrowed */
    X509_free(leaf);
    k8tls_secure_free_str(kspw);
    k8tls_secure_free_str(tspw);
    if (rc < 0)
        k8tls_store_pair_clear(out);
    return rc;
}

/* Pushes a new reference to x. */
static int push_ref(STACK_OF(X509) *sk, X509 *x)
{
    if (!X509_up_ref(x))
        return -1;
    if (!sk_X509_push(sk, x)) {
        X509_free(x);
        return -1;
    }
    return 0;
}

/* A new root CA for phase trust: the old CA's subject with a dated CN (two CAs with one subject
 * in a truststore confuse path building), the plan's key type and validity. */
static int make_new_ca(struct runctx *c, EVP_PKEY *key)
{
    struct k8tls_rotate_state *s = c->s;
    X509_NAME *n = X509_get_subject_name(s->signing_ca);
    struct k8tls_subject sub = { 0 };
    char *f[7] = { 0 };
    static const int nids[7] = { NID_countryName, NID_stateOrProvinceName, NID_localityName,
                                 NID_organizationName, NID_organizationalUnitName,
                                 NID_commonName, NID_pkcs9_emailAddress };
    for (int i = 0; i < 7; i++) {
        char buf[256];
        if (X509_NAME_get_text_by_NID(n, nids[i], buf, sizeof buf) > 0)
            f[i] = strdup(buf);
    }
    ERR_clear_error();
    char stamp[32], cn[300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d", &tm);
    const char *base = f[5] && *f[5] ? f[5] : "K8tlsRootCA";
    size_t bl = strlen(base);
    /* a CN that already ends with -YYYYMMDD (an earlier rotation) gets the new date instead */
    if (bl > 9 && base[bl - 9] == '-' && strspn(base + bl - 8, "0123456789") == 8)
        bl -= 9;
    snprintf(cn, sizeof cn, "%.*s-%s", (int)(bl > 200 ? 200 : bl), base, stamp);
    if (f[5] && strcmp(cn, f[5]) == 0) {
        strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        snprintf(cn, sizeof cn, "%.*s-%s", (int)(bl > 200 ? 200 : bl), base, stamp);
    }
    sub.C = f[0];
    sub.ST = f[1];
    sub.L = f[2];
    sub.O = f[3];
    sub.OU = f[4];
    sub.CN = cn;
    sub.emailAddress = f[6];
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int days = s->plan->ca.validity_days > 0 ? s->plan->ca.validity_days : 10000;
    c->new_ca = k8tls_pki_make_ca(key, &sub, days, &e);
    for (int i = 0; i < 7; i++)
        free(f[i]);
    if (!c->new_ca) {
        k8tls_diags_add_err(c->d, NULL, &e);
        return -1;
    }
    return 0;
}

/* ---- bundle post-processing --------------------------------------------------------------- */

static char *restart_task_name(const struct runctx *c, X509 *fresh)
{
    char fp[65], name[400];
    k8tls_rotate_fingerprint(fresh, fp);
    fp[8] = '\0';
    snprintf(name, sizeof name, "%s-%s-%s", c->s->plan->cluster.name,
             k8tls_rotate_phase_name(c->ph), fp);
    return strdup(name);
}

static int finish_bundle(struct runctx *c, struct k8tls_material *m, struct k8tls_bundle *b,
                         const struct k8tls_plan *bp)
{
    struct k8tls_rotate_state *s = c->s;
    struct k8tls_rotate_priv *pv = s->priv;
    struct k8tls_err e;
    char *text = NULL;
    size_t len = 0;
    k8tls_err_clear(&e);

    /* only Secrets change: no K8ssandraCluster, no Namespace; our own kustomization and doc */
    k8tls_bundle_remove_kind(b, K8TLS_ART_CLUSTER);
    k8tls_bundle_remove_kind(b, K8TLS_ART_NAMESPACE);
    k8tls_bundle_remove_kind(b, K8TLS_ART_KUSTOMIZATION);
    k8tls_bundle_remove_kind(b, K8TLS_ART_DOC);
    k8tls_diags_free(&b->notes);
    k8tls_diags_init(&b->notes);
    for (size_t i = 0; i < c->notes.n; i++)
        k8tls_diags_add(&b->notes, c->notes.v[i].sev, c->notes.v[i].file, c->notes.v[i].line,
                        c->notes.v[i].col, c->notes.v[i].path, "%s", c->notes.v[i].msg);
    if (pv->answers) {
        /* the answers exactly as they were (a merged manifest, references, comments) */
        k8tls_bundle_remove_kind(b, K8TLS_ART_ANSWERS);
        if (k8tls_bundle_add_copy(b, "answers.yaml", pv->answers->data, pv->answers->len, 0644,
                                  K8TLS_ART_ANSWERS, false) < 0)
            goto oom;
    }

    const char *resources[4];
    const char *names[4];
    size_t nres = 0;
    for (size_t i = 0; i < b->n && nres < 3; i++)
        if (b->v[i].kind == K8TLS_ART_SECRET) {
            names[nres] = b->v[i].k8s_name;
            resources[nres++] = b->v[i].path;
        }
    names[nres] = NULL;
    if (k8tls_bundle_kustomization(resources, nres, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "kustomization.yaml", text, len, 0644, K8TLS_ART_KUSTOMIZATION,
                            false) < 0)
        goto fail;

    /* the CAs beside ca/rootca.* */
    if (c->new_ca) {
        char *pem = k8tls_pki_cert_pem(c->new_ca, &e);
        struct k8tls_secret *kp = pem ? k8tls_pki_key_pem(c->new_ca_key, &e) : NULL;
        if (!pem || !kp) {
            free(pem);
            k8tls_secret_free(kp);
            goto fail;
        }
        int r = k8tls_bundle_add(b, NEXT_CA_CERT, pem, strlen(pem), 0644, K8TLS_ART_CA_CERT,
                                 false);
        r |= k8tls_bundle_add_copy(b, NEXT_CA_KEY, kp->data, kp->len, 0600, K8TLS_ART_CA_KEY,
                                   true);
        k8tls_secret_free(kp);
        if (r)
            goto oom;
    }
    X509 *previous = c->ph == K8TLS_ROTATE_REISSUE ? s->signing_ca : NULL;
    if (previous) {
        char *pem = k8tls_pki_cert_pem(previous, &e);
        if (!pem)
            goto fail;
        if (k8tls_bundle_add(b, PREVIOUS_CA_CERT, pem, strlen(pem), 0644, K8TLS_ART_CA_CERT,
                             false) < 0)
            goto oom;
    }

    X509 *fresh = c->new_ca ? c->new_ca
                  : m->server.present ? m->server.leaf
                  : m->client.present ? m->client.leaf : m->medusa_cert;
    char *task_name = restart_task_name(c, fresh ? fresh : m->ca_cert);
    struct k8tls_rotate_doc doc = {
        .phase = c->ph,
        .plan = bp,
        .namespace_ = s->namespace_,
        .source = s->source,
        .from_dir = pv->from_dir,
        .from_context = pv->from_context,
        .signing_ca = m->ca_cert,
        .signing_ca_key = m->ca_key_pem ? "ca/rootca.key" : NULL,
        .next_ca = c->new_ca,
        .next_ca_key = c->new_ca ? NEXT_CA_KEY : NULL,
        .previous_ca = previous,
        .trusted = c->trusted,
        .passwords_kept = !(c->o && c->o->new_passwords),
        .secret_names = names,
        .server_leaf = m->server.present ? m->server.leaf : NULL,
        .client_leaf = m->client.present ? m->client.leaf : NULL,
        .medusa_cert = m->medusa_present ? m->medusa_cert : NULL,
        .server_secret = bp->stores.server.secret_name,
        .client_secret = bp->stores.client.secret_name,
        .restart_task_path = RESTART_TASK_PATH,
        .restart_task_name = task_name ? task_name : "rolling-restart",
    };
    int rc = -1;
    if (k8tls_rotate_doc_rotation_yaml(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "rotation.yaml", text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    if (k8tls_rotate_doc_restart_task(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, RESTART_TASK_PATH, text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    if (k8tls_rotate_doc_next_steps(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "NEXT-STEPS.md", text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    rc = 0;
doc_done:
    free(task_name);
    if (rc == 0)
        return 0;
fail:
    if (e.msg[0]) {
        k8tls_diags_add_err(c->d, NULL, &e);
        return -1;
    }
oom:
    add_err(c->d, NULL, "%s", _("out of memory"));
    return -1;
}

int k8tls_rotate_run(struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                     const struct k8tls_rotate_opts *o, k8tls_progress_cb progress, void *ud,
                     struct k8tls_bundle **out, struct k8tls_diags *d)
{
    *out = NULL;
    if (!s || ph == K8TLS_ROTATE_NONE) {
        add_err(d, NULL, "%s", _("no phase to run"));
        return -1;
    }
    if (check_phase(s, ph, o, d) < 0)
        return -1;
    struct k8tls_rotate_priv *pv = s->priv;
    struct runctx c = { .s = s, .o = o, .ph = ph, .d = d };
    k8tls_diags_init(&c.notes);
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_plan *bp = k8tls_plan_dup(s->plan);
    struct k8tls_keygen_job jobs[4];
    int j_ca = -1, j_server = -1, j_client = -1, j_medusa = -1;
    size_t nj = 0;
    struct k8tls_err e;
    int rc = -1;
    k8tls_err_clear(&e);
    memset(jobs, 0, sizeof jobs);
    if (!m || !bp) {
        add_err(d, NULL, "%s", _("out of memory"));
        goto done;
    }

    /* the plan the bundle is built with: the Secrets' namespace and formats, no merge, no
     * Namespace object */
    free(bp->cluster.namespace_);
    bp->cluster.namespace_ = dup0(s->namespace_);
    free(bp->cluster.manifest);
    bp->cluster.manifest = NULL;
    bp->output.create_namespace = false;
    const struct rpair *fp = pv->server.present ? &pv->server : &pv->client;
    if (fp->present) {
        bp->stores.format = fp->fmt;
        bp->stores.p12_profile = fp->profile;
    }

    /* the phase's CAs */
    EVP_PKEY *key = NULL;
    c.signer = phase_signer(s, ph, &key);
    c.signer_key = key;
    c.leaves_change = ph == K8TLS_ROTATE_RENEW || ph == K8TLS_ROTATE_REISSUE;
    c.trust_changes = ph == K8TLS_ROTATE_TRUST || ph == K8TLS_ROTATE_RETIRE;
    if (c.leaves_change) {
        if (s->plan->certificates.key.set)
            c.leaf_spec = s->plan->certificates.key;
        else if (k8tls_pki_key_spec_of(X509_get0_pubkey(c.signer), &c.leaf_spec) != 0) {
            add_err(d, "certificates.key", "%s",
                    _("the CA key is neither RSA nor ECDSA P-256/P-384: set certificates.key"));
            goto done;
        }
    }

    /* every key at once */
    struct k8tls_key_spec ca_spec;
    if (ph == K8TLS_ROTATE_TRUST) {
        if (s->plan->source_file && s->plan->ca.source == K8TLS_SOURCE_GENERATE)
            ca_spec = s->plan->ca.key;
        else if (k8tls_pki_key_spec_of(X509_get0_pubkey(s->signing_ca), &ca_spec) != 0)
            ca_spec = s->plan->ca.key;
        jobs[nj].label = "CA";
        jobs[nj].spec = ca_spec;
        j_ca = (int)nj++;
    }
    if (c.leaves_change) {
        if (pv->server.present) {
            jobs[nj].label = "server";
            jobs[nj].spec = c.leaf_spec;
            j_server = (int)nj++;
        }
        if (pv->client.present) {
            jobs[nj].label = "client";
            jobs[nj].spec = c.leaf_spec;
            j_client = (int)nj++;
        }
        if (pv->medusa.present) {
            jobs[nj].label = "medusa";
            jobs[nj].spec = c.leaf_spec;
            j_medusa = (int)nj++;
        }
    }
    if (nj && k8tls_pki_keygen_parallel(jobs, nj, progress, ud, &e) != 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }

    /* the truststores of the phase */
    if (!(c.trusted = sk_X509_new_null()))
        goto oom;
    if (ph == K8TLS_ROTATE_TRUST) {
        c.new_ca_key = jobs[j_ca].key;
        jobs[j_ca].key = NULL;
        if (make_new_ca(&c, c.new_ca_key) < 0)
            goto done;
        if (push_ref(c.trusted, s->signing_ca) < 0 || push_ref(c.trusted, c.new_ca) < 0)
            goto oom;
    } else if (ph == K8TLS_ROTATE_RETIRE) {
        if (push_ref(c.trusted, s->signing_ca) < 0)
            goto oom;
    } else {
        for (int i = 0; i < sk_X509_num(pv->trusted); i++)
            if (push_ref(c.trusted, sk_X509_value(pv->trusted, i)) < 0)
                goto oom;
    }

    /* the CA of the bundle's ca/rootca.*: the one that signs the leaves after this phase */
    X509 *ca = ph == K8TLS_ROTATE_REISSUE ? s->other_ca : s->signing_ca;
    EVP_PKEY *ca_key = ph == K8TLS_ROTATE_REISSUE ? pv->other_key : pv->signing_key;
    X509_up_ref(ca);
    m->ca_cert = ca;
    if (ca_key) {
        EVP_PKEY_up_ref(ca_key);
        m->ca_key = ca_key;
    }
    if (!(m->ca_cert_pem = k8tls_pki_cert_pem(ca, &e))
        || (ca_key && !(m->ca_key_pem = k8tls_pki_key_pem(ca_key, &e)))) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }

    /* the stores */
    if (pv->server.present
        && phase_pair(&c, &pv->server, j_server >= 0 ? jobs[j_server].key : NULL, &m->server) < 0)
        goto done;
    if (pv->client.present
        && phase_pair(&c, &pv->client, j_client >= 0 ? jobs[j_client].key : NULL, &m->client) < 0)
        goto done;

    /* Medusa */
    if (pv->medusa.present) {
        if (j_medusa >= 0) {
            if (new_leaf(&c, pv->medusa.cert, jobs[j_medusa].key, true, &m->medusa_cert) < 0)
                goto done;
            if (!(m->medusa_cert_pem = k8tls_pki_cert_pem(m->medusa_cert, &e))
                || !(m->medusa_key_pem = k8tls_pki_key_pem(jobs[j_medusa].key, &e))) {
                k8tls_diags_add_err(d, NULL, &e);
                goto done;
            }
        } else {
            m->medusa_cert = pv->medusa.cert;
            X509_up_ref(m->medusa_cert);
            m->medusa_cert_pem = text_of(pv->medusa.cert_pem);
            m->medusa_key_pem = k8tls_secret_new(pv->medusa.key_pem->data, pv->medusa.key_pem->len);
            if (!m->medusa_cert_pem || !m->medusa_key_pem)
                goto oom;
        }
        m->medusa_ca_pem = c.trust_changes ? k8tls_pki_certs_pem(c.trusted, &e)
                                           : text_of(pv->medusa.ca_pem);
        if (!m->medusa_ca_pem)
            goto oom;
        m->medusa_present = true;
    }

    if (ph == K8TLS_ROTATE_RENEW && s->ca_days < PROPOSE_CA_DAYS)
        k8tls_diags_add(&c.notes, K8TLS_SEV_WARNING, NULL, 0, 0, NULL,
                        _("the CA itself expires in %ld days: plan a CA rotation (--phase trust)"),
                        s->ca_days);

    /* the bundle: Secrets (same names, keys and namespace), stores, CA, Medusa files */
    struct k8tls_bundle *b = NULL;
    if (k8tls_bundle_build(bp, m, &b, d) < 0)
        goto done;
    if (finish_bundle(&c, m, b, bp) < 0) {
        k8tls_bundle_free(b);
        goto done;
    }
    *out = b;
    rc = 0;
    goto done;
oom:
    add_err(d, NULL, "%s", _("out of memory"));
done:
    for (size_t i = 0; i < nj; i++)
        EVP_PKEY_free(jobs[i].key);
    EVP_PKEY_free(c.new_ca_key);
    X509_free(c.new_ca);
    sk_X509_pop_free(c.trusted, X509_free);
    k8tls_diags_free(&c.notes);
    k8tls_material_free(m);
    if (rc == 0) {
        /* the state now describes the plan the bundle was built with (apply uses it) */
        k8tls_plan_free(s->plan);
        s->plan = bp;
    } else {
        k8tls_plan_free(bp);
    }
    return rc;
}

/* ---- display ------------------------------------------------------------------------------- */

void k8tls_rotate_print_summary(const struct k8tls_rotate_state *s, void *stream)
{
    FILE *f = stream;
    if (!s || !f)
        return;
    fprintf(f, _("Found in %s (namespace %s): %s\n"), s->source, s->namespace_,
            k8tls_rotate_stage_describe(s->stage));
    for (size_t i = 0; i < s->n_certs; i++) {
        const struct k8tls_rotate_cert *c = &s->certs[i];
        if (c->days_left >= 0)
            fprintf(f, _("  %-40s %s\n  %-40s expires %s (%ld days left)\n"), c->role,
                    c->subject, "", c->not_after, c->days_left);
        else
            fprintf(f, _("  %-40s %s\n  %-40s EXPIRED %s\n"), c->role, c->subject, "",
                    c->not_after);
    }
}
