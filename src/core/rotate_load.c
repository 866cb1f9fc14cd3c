/* Reading what exists into the rotation's model: the plan (answers.yaml, or the defaults), the
 * Secrets (through rotate_read.c) with their stores, passwords and Medusa files, which CA signed
 * what and so the stage of the rotation, the CA keys (the directory's and --ca-key), the other
 * datacenters' contexts (K9); and the summary of what was found. Owns the state: it makes it and
 * frees it. Calls rotate_read.c and rotate_names.c among the rotation files (see rotate_int.h). */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "k8tls/answers.h"
#include "k8tls/i18n.h"
#include "k8tls/store.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- certificates compared ------------------------------------------------------------------- */

static long days_left(X509 *x)
{
    int days = 0, secs = 0;
    if (!x || !ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)))
        return 0;
    if (days == 0 && secs < 0)
        return -1;
    return days;
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

/* The CA of set that signed cert, or NULL. */
static X509 *signer_in(X509 *cert, STACK_OF(X509) *set)
{
    int i = k8tls_x509_signed_by(cert, set);
    return i >= 0 ? sk_X509_value(set, i) : NULL;
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

/* ---- the state ------------------------------------------------------------------------------- */

static void pair_clear(struct k8tls_rpair *p)
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

static void trio_clear(struct k8tls_rtrio *t)
{
    k8tls_secret_free(t->ca_pem);
    k8tls_secret_free(t->cert_pem);
    k8tls_secret_free(t->key_pem);
    sk_X509_pop_free(t->cas, X509_free);
    X509_free(t->cert);
    memset(t, 0, sizeof *t);
}

static void medusa_clear(struct k8tls_rmedusa *m)
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
        for (int i = 0; i < RT_COUNT; i++)
            trio_clear(&pv->trio[i]);
        for (int i = 0; i < RJ_COUNT; i++)
            pair_clear(&pv->jks[i]);
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

/* ---- reading the Secrets into the model ------------------------------------------------------ */

/* A password value: text without NUL bytes. */
static char *password_of(const struct k8tls_secret *v)
{
    if (!v || memchr(v->data, '\0', v->len))
        return NULL;
    return k8tls_rsecret_text(v);
}

static const struct k8tls_secret *need_key(const struct k8tls_rsecret *sec, const char *key,
                                           struct k8tls_diags *d)
{
    const struct k8tls_secret *v = k8tls_rsecret_get(sec, key);
    if (!v)
        k8tls_rotate_err(d, NULL, _("%s: the Secret %s has no key %s"), sec->origin, sec->name,
                         key);
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

/* The stores of pr (keys pr->k_ks, pr->k_ts of sec, passwords pr->kspw, pr->tspw) into pr. */
static int read_stores(struct k8tls_rpair *pr, const struct k8tls_rsecret *sec,
                       struct k8tls_diags *d)
{
    struct k8tls_err e;
    struct k8tls_store *ks = NULL, *ts = NULL;
    char name[1200];
    int rc = -1;
    const struct k8tls_secret *vks = need_key(sec, pr->k_ks, d);
    const struct k8tls_secret *vts = need_key(sec, pr->k_ts, d);
    if (!vks || !vts)
        return -1;
    pr->ks = k8tls_secret_new(vks->data, vks->len);
    pr->ts = k8tls_secret_new(vts->data, vts->len);
    if (!pr->ks || !pr->ts) {
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
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
        k8tls_rotate_err(d, NULL, _("%s: %s: holds %zu private-key entries, expected exactly one"),
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
            k8tls_rotate_err(d, NULL,
                             _("%s: %s: the certificate '%s' has no Java trust attribute: Java "
                               "does not see it"),
                             sec->origin, pr->k_ts, en->alias ? en->alias : "?");
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
        k8tls_rotate_err(d, NULL, _("%s: %s: holds no trusted certificate"), sec->origin, pr->k_ts);
        goto done;
    }
    pr->fmt = ks->format;
    if (ts->format != ks->format) {
        k8tls_rotate_err(d, NULL,
                         _("%s: the keystore and the truststore are of different formats (one "
                           "store_type covers both)"),
                         sec->origin);
        goto done;
    }
    pr->profile = pr->fmt == K8TLS_FORMAT_PKCS12 ? p12_profile_of(pr->ks) : K8TLS_P12_MODERN;
    pr->present = true;
    rc = 0;
    goto done;
oom:
    k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
done:
    k8tls_store_free(ks);
    k8tls_store_free(ts);
    return rc;
}

static int read_pair(struct k8tls_rpair *pr, const struct k8tls_rsecret *sec, struct k8tls_diags *d)
{
    const struct k8tls_store_set *set = pr->set;
    pr->sec = sec;
    pr->k_ks = k8tls_store_key(set->keys.keystore, K8TLS_SECRET_KEY_KEYSTORE);
    pr->k_ts = k8tls_store_key(set->keys.truststore, K8TLS_SECRET_KEY_TRUSTSTORE);
    pr->k_kspw = k8tls_store_key(set->keys.keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD);
    pr->k_tspw = k8tls_store_key(set->keys.truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD);
    const struct k8tls_secret *vkp = need_key(sec, pr->k_kspw, d);
    const struct k8tls_secret *vtp = need_key(sec, pr->k_tspw, d);
    if (!vkp || !vtp)
        return -1;
    pr->kspw = password_of(vkp);
    pr->tspw = password_of(vtp);
    if (!pr->kspw || !pr->tspw) {
        k8tls_rotate_err(d, NULL, _("%s: the store passwords must be text"), sec->origin);
        return -1;
    }
    return read_stores(pr, sec, d);
}

/* Reaper's stores (R1, R2): keystore.jks and truststore.jks, both opened with changeit. */
static int read_jks(struct k8tls_rpair *pr, const char *alias, const struct k8tls_rsecret *sec,
                    struct k8tls_diags *d)
{
    pr->sec = sec;
    pr->label = alias;
    pr->fixed_password = true;
    pr->k_ks = "keystore.jks";
    pr->k_ts = "truststore.jks";
    pr->k_kspw = pr->k_tspw = NULL;
    pr->kspw = strdup(K8TLS_REAPER_STORE_PASSWORD);
    pr->tspw = strdup(K8TLS_REAPER_STORE_PASSWORD);
    if (!pr->kspw || !pr->tspw) {
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    return read_stores(pr, sec, d);
}

/* A PEM trio (M1, R1 client, G1): ca.crt, tls.crt, tls.key that matches it. */
static int read_trio(struct k8tls_rtrio *t, const struct k8tls_rsecret *sec,
                     struct k8tls_diags *d)
{
    struct k8tls_err e;
    char name[1200];
    t->sec = sec;
    const struct k8tls_secret *vca = need_key(sec, "ca.crt", d);
    const struct k8tls_secret *vcert = need_key(sec, "tls.crt", d);
    const struct k8tls_secret *vkey = need_key(sec, "tls.key", d);
    if (!vca || !vcert || !vkey)
        return -1;
    t->ca_pem = k8tls_secret_new(vca->data, vca->len);
    t->cert_pem = k8tls_secret_new(vcert->data, vcert->len);
    t->key_pem = k8tls_secret_new(vkey->data, vkey->len);
    if (!t->ca_pem || !t->cert_pem || !t->key_pem) {
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    STACK_OF(X509) *certs = NULL;
    k8tls_err_clear(&e);
    snprintf(name, sizeof name, "%s: ca.crt", sec->origin);
    if (k8tls_pem_read_certs(vca->data, vca->len, name, &t->cas, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    snprintf(name, sizeof name, "%s: tls.crt", sec->origin);
    if (k8tls_pem_read_certs(vcert->data, vcert->len, name, &certs, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    t->cert = sk_X509_shift(certs);
    sk_X509_pop_free(certs, X509_free);
    EVP_PKEY *key = NULL;
    snprintf(name, sizeof name, "%s: tls.key", sec->origin);
    if (k8tls_pem_read_key(vkey->data, vkey->len, name, NULL, &key, NULL, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    bool match = key_of(key, t->cert);
    EVP_PKEY_free(key);
    if (!match) {
        k8tls_rotate_err(d, NULL, _("%s: tls.key does not match tls.crt"), sec->origin);
        return -1;
    }
    t->present = true;
    return 0;
}

static int read_medusa(struct k8tls_rmedusa *m, const struct k8tls_rsecret *sec,
                       struct k8tls_diags *d)
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
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
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
        k8tls_rotate_err(d, NULL, _("%s: client.key does not match client.crt_signed"),
                         sec->origin);
        return -1;
    }
    m->present = true;
    return 0;
}

#define MAX_SECRETS (3 + RT_COUNT + RJ_COUNT)

/* The Secrets the plan produces: server, client (unless reused), Medusa, then those of SPEC §10. */
static size_t secret_names(const struct k8tls_plan *p, const char *names[MAX_SECRETS])
{
    size_t n = 0;
    if (k8tls_plan_wants_server_stores(p))
        names[n++] = p->stores.server.secret_name;
    if (k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE)
        names[n++] = p->stores.client.secret_name;
    if (k8tls_plan_wants_medusa_certs(p))
        names[n++] = p->encryption.medusa.secret_name;
    for (int i = 0; i < RT_COUNT; i++)
        if (k8tls_rotate_trio_secret(p, i))
            names[n++] = k8tls_rotate_trio_secret(p, i);
    for (int i = 0; i < RJ_COUNT; i++)
        if (k8tls_rotate_jks_secret(p, i))
            names[n++] = k8tls_rotate_jks_secret(p, i);
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
            k8tls_rotate_err(d, NULL,
                             _("%s: not an output directory of k8tls-wizard (answers.yaml: %s)"),
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
            k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
        return -1;
    }
    /* cert-manager's Secrets are cert-manager's: its output rotates by its objects (rotate_cm.c,
     * which the command line runs for --from DIR) */
    if (s->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER) {
        if (o->from_dir)
            k8tls_rotate_err(d, "output.mode",
                             _("%s is a cert-manager output: cert-manager makes and renews its "
                               "keys and stores, and its CA rotation changes the Issuers, "
                               "Certificates and trust-manager Bundle: run `k8tls-wizard rotate "
                               "--from DIR` on it"), o->from_dir);
        else
            k8tls_rotate_err(d, "output.mode",
                             _("%s plans a cert-manager output: cert-manager makes and renews its "
                               "keys and stores, and its CA rotation changes the Issuers, "
                               "Certificates and trust-manager Bundle: run `k8tls-wizard rotate "
                               "--from DIR` on its output directory"),
                             o->answers ? o->answers : "-");
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
    const char *names[MAX_SECRETS];
    size_t n = secret_names(s->plan, names);
    struct k8tls_err e;
    int rc = 0;
    if (n == 0) {
        k8tls_rotate_err(d, NULL, "%s",
                         _("the plan produces no stores and no Medusa certificate: there "
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
        k8tls_rotate_err(d, "cluster.namespace", "%s",
                         _("the namespace of the Secrets is not known"));
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
    static const char *const jks_alias[RJ_COUNT] = { "reaper-api-server",
                                                     "reaper-mgmt-api-client" };
    for (int i = 0; i < RT_COUNT; i++)
        if (k8tls_rotate_trio_secret(p, i))
            rc |= read_trio(&pv->trio[i], find_secret(pv, k8tls_rotate_trio_secret(p, i)), d);
    for (int i = 0; i < RJ_COUNT; i++)
        if (k8tls_rotate_jks_secret(p, i))
            rc |= read_jks(&pv->jks[i], jks_alias[i],
                           find_secret(pv, k8tls_rotate_jks_secret(p, i)), d);
    if (rc)
        return -1;

    /* every truststore (and Medusa's rootca.crt) trusts the same CAs */
    struct {
        bool present;
        STACK_OF(X509) *set;
        const char *where;
    } others[3 + RT_COUNT + RJ_COUNT] = {
        { pv->server.present, pv->server.trusted, pv->server.present ? pv->server.sec->origin : "" },
        { pv->client.present, pv->client.trusted, pv->client.present ? pv->client.sec->origin : "" },
        { pv->medusa.present, pv->medusa.cas, pv->medusa.present ? pv->medusa.sec->origin : "" },
    };
    int n_others = 3;
    /* a surface signed by a CA of its own (its plan imports one) is no part of the cluster CA's
     * phases: neither what it trusts nor who signed it says where the cluster stands */
    for (int i = 0; i < RT_COUNT; i++, n_others++) {
        others[n_others].present = pv->trio[i].present
                                   && !k8tls_rotate_surface_own_ca(p, k8tls_rotate_trio_surface(i));
        others[n_others].set = pv->trio[i].cas;
        others[n_others].where = pv->trio[i].present ? pv->trio[i].sec->origin : "";
    }
    for (int i = 0; i < RJ_COUNT; i++, n_others++) {
        others[n_others].present = pv->jks[i].present
                                   && !k8tls_rotate_surface_own_ca(p, k8tls_rotate_jks_surface(i));
        others[n_others].set = pv->jks[i].trusted;
        others[n_others].where = pv->jks[i].present ? pv->jks[i].sec->origin : "";
    }
    /* the first present set is the reference */
    STACK_OF(X509) *T = NULL;
    const char *T_where = "";
    for (int i = 0; i < n_others && !T; i++)
        if (others[i].present) {
            T = others[i].set;
            T_where = others[i].where;
        }
    if (!T) {
        k8tls_rotate_err(d, NULL, "%s", _("no certificate to renew was found"));
        return -1;
    }
    for (int i = 0; i < n_others; i++) {
        if (!others[i].present || others[i].set == T)
            continue;
        if (!same_set(T, others[i].set)) {
            char *a = set_subjects(T), *b = set_subjects(others[i].set);
            k8tls_rotate_err(d, NULL,
                             _("%s trusts %s but %s trusts %s: the Secrets are from different "
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
        k8tls_rotate_err(d, NULL,
                         _("%s: the truststore holds %d CAs: a rotation by this tool keeps one or "
                           "two; clean it up by hand first"),
                         T_where, nT);
        return -1;
    }
    if (!(pv->trusted = X509_chain_up_ref(T)))
        return -1;

    /* who signed each leaf */
    struct {
        X509 *cert;
        const char *role;
        const char *where;
        bool own_ca;
    } leaves[3 + RT_COUNT + RJ_COUNT] = {
        { pv->server.leaf, _("server keystore"), pv->server.present ? pv->server.sec->origin : "",
          false },
        { pv->client.leaf, _("client keystore"), pv->client.present ? pv->client.sec->origin : "",
          false },
        { pv->medusa.cert, _("Medusa client certificate"),
          pv->medusa.present ? pv->medusa.sec->origin : "", false },
    };
    int n_leaves = 3;
    for (int i = 0; i < RT_COUNT; i++, n_leaves++) {
        leaves[n_leaves].cert = pv->trio[i].cert;
        leaves[n_leaves].role = k8tls_rotate_trio_role(i);
        leaves[n_leaves].where = pv->trio[i].present ? pv->trio[i].sec->origin : "";
        leaves[n_leaves].own_ca = k8tls_rotate_surface_own_ca(p, k8tls_rotate_trio_surface(i));
    }
    for (int i = 0; i < RJ_COUNT; i++, n_leaves++) {
        leaves[n_leaves].cert = pv->jks[i].leaf;
        leaves[n_leaves].role = k8tls_rotate_jks_role(i);
        leaves[n_leaves].where = pv->jks[i].present ? pv->jks[i].sec->origin : "";
        leaves[n_leaves].own_ca = k8tls_rotate_surface_own_ca(p, k8tls_rotate_jks_surface(i));
    }
    X509 *signer = NULL;
    const char *signer_where = NULL;
    for (int i = 0; i < n_leaves; i++) {
        if (!leaves[i].cert || leaves[i].own_ca)
            continue;
        X509 *sg = signer_in(leaves[i].cert, pv->trusted);
        if (!sg) {
            char *t = set_subjects(pv->trusted);
            k8tls_rotate_err(d, NULL,
                             _("%s: the %s is not signed by a CA the truststores trust (%s)"),
                             leaves[i].where, leaves[i].role, t ? t : "?");
            free(t);
            return -1;
        }
        if (signer && sg != signer) {
            char *a = k8tls_rotate_label(signer), *b = k8tls_rotate_label(sg);
            k8tls_rotate_err(d, NULL,
                             _("%s is signed by %s but %s by %s: the Secrets are from different "
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
        k8tls_rotate_err(d, NULL, "%s", _("no certificate to renew was found"));
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
            k8tls_rotate_err(d, NULL, "--ca-key-password: %s", e.msg);
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
    for (int i = 0; i < n_leaves; i++) {
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
        for (int t = 0; t < RT_COUNT; t++)
            if (pv->trio[t].sec == sec)
                snprintf(where, sizeof where, _("Secret %s (%s)"), sec->name,
                         k8tls_rotate_trio_role(t));
        for (int t = 0; t < RJ_COUNT; t++)
            if (pv->jks[t].sec == sec)
                snprintf(where, sizeof where, _("Secret %s (%s)"), sec->name,
                         k8tls_rotate_jks_role(t));
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
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
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
            k8tls_rotate_err(d, NULL, "%s", _("the existing certificates could not be read"));
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
            k8tls_rotate_err(d, NULL,
                             _("the Secrets of context %s (datacenter %s) are not at the stage of "
                               "context %s: %s there, %s here; apply the last phase's bundle in "
                               "every context first"),
                             ctx, dc, o->from_context, k8tls_rotate_stage_describe(t->stage),
                             k8tls_rotate_stage_describe(s->stage));
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
        k8tls_rotate_err(d, NULL, "%s",
                         _("nothing to start from: give an output directory (--from DIR) "
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

/* ---- display --------------------------------------------------------------------------------- */

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
    const struct k8tls_rotate_priv *pv = s->priv;
    for (int r = 0; r < RS_COUNT; r++) {
        const struct k8tls_surface_ca *sc = k8tls_rotate_surface_own_ca(s->plan, r);
        bool present = false;
        for (int i = 0; i < RT_COUNT; i++)
            present |= pv->trio[i].present && k8tls_rotate_trio_surface(i) == r;
        for (int i = 0; i < RJ_COUNT; i++)
            present |= pv->jks[i].present && k8tls_rotate_jks_surface(i) == r;
        if (sc && present)
            fprintf(f, _("%s (%s) is signed by its own CA (%s), not by the cluster CA: renew "
                         "signs its certificates with that CA; it is not part of the cluster CA "
                         "rotation (trust, reissue, retire keep its Secrets as they are).\n"),
                    k8tls_rotate_surface_name(r), k8tls_rotate_surface_key(r),
                    sc->import_cert ? sc->import_cert : "?");
    }
}
