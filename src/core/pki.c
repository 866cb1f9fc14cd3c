/* The PKI of a plan: the root CA (made, or imported through import.c), node and Medusa
 * certificates, and the store pairs, keys made on worker threads (keygen.c). Called by the bundle
 * and the rotation. Calls import.c, keygen.c, pem.c, sans.c, strv.c, certcheck.c, the store
 * writers (pkcs12.c), plan, secure and err; none of them calls back into this file. */
#include "config.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#define BACKDATE_SECONDS 300

static bool nonempty(const char *s)
{
    return s && *s;
}

/* ---- certificates ----------------------------------------------------------------------- */

static int set_random_serial(X509 *x, struct k8tls_err *e)
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        k8tls_err_set_openssl(e, _("no randomness for a certificate serial number"));
        return -1;
    }
    b[0] &= 0x7f;   /* positive */
    b[0] |= 0x40;   /* always 16 octets: 127 significant bits, 126 of them random */
    BIGNUM *bn = BN_bin2bn(b, sizeof b, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    if (!ok) {
        k8tls_err_set_openssl(e, _("cannot set the certificate serial number"));
        return -1;
    }
    return 0;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value, struct k8tls_err *e)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = ex && X509_add_ext(cert, ex, -1);
    X509_EXTENSION_free(ex);
    if (!ok) {
        char what[256];
        snprintf(what, sizeof what, _("cannot add the certificate extension %s"), OBJ_nid2sn(nid));
        k8tls_err_set_openssl(e, what);
        return -1;
    }
    return 0;
}

static int name_add(X509_NAME *n, const char *field, const char *value, struct k8tls_err *e)
{
    if (!nonempty(value))
        return 0;
    if (!X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1,
                                    0)) {
        char what[256];
        snprintf(what, sizeof what, _("invalid subject field %s '%s'"), field, value);
        k8tls_err_set_openssl(e, what);
        return -1;
    }
    return 0;
}

static int set_validity(X509 *x, int days, struct k8tls_err *e)
{
    if (days < 1 || days > 36500) {
        k8tls_err_set(e, NULL, 0, 0, _("validity of %d days is out of range (1 to 36500)"), days);
        return -1;
    }
    if (!X509_gmtime_adj(X509_getm_notBefore(x), -BACKDATE_SECONDS)
        || !X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL)) {
        k8tls_err_set_openssl(e, _("cannot set the certificate validity"));
        return -1;
    }
    return 0;
}

/* SHA-256 with RSA and ECDSA keys; Ed25519 and Ed448 hash inside the signature and take no
 * separate digest (an imported EdDSA CA signs ECDSA or RSA leaves so). */
static int sign(X509 *x, EVP_PKEY *key, struct k8tls_err *e)
{
    const EVP_MD *md = EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448")
                           ? NULL : EVP_sha256();
    if (X509_sign(x, key, md) <= 0) {
        k8tls_err_set_openssl(e, _("cannot sign the certificate"));
        return -1;
    }
    return 0;
}

X509 *k8tls_pki_make_ca(EVP_PKEY *key, const struct k8tls_subject *s, int validity_days,
                        struct k8tls_err *e)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    if (!x || !n) {
        k8tls_err_set_openssl(e, _("out of memory"));
        goto fail;
    }
    if (name_add(n, "C", s->C, e) || name_add(n, "ST", s->ST, e) || name_add(n, "L", s->L, e)
        || name_add(n, "O", s->O, e) || name_add(n, "OU", s->OU, e)
        || name_add(n, "CN", s->CN, e) || name_add(n, "emailAddress", s->emailAddress, e))
        goto fail;
    if (X509_NAME_entry_count(n) == 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("the CA subject is empty"));
        goto fail;
    }
    if (!X509_set_version(x, X509_VERSION_3) || !X509_set_subject_name(x, n)
        || !X509_set_issuer_name(x, n) || !X509_set_pubkey(x, key)) {
        k8tls_err_set_openssl(e, _("cannot build the CA certificate"));
        goto fail;
    }
    if (set_random_serial(x, e) || set_validity(x, validity_days, e)
        || add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE", e)
        || add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign", e)
        || add_ext(x, x, NID_subject_key_identifier, "hash", e)
        || add_ext(x, x, NID_authority_key_identifier, "keyid:always", e) || sign(x, key, e))
        goto fail;
    X509_NAME_free(n);
    return x;
fail:
    X509_NAME_free(n);
    X509_free(x);
    return NULL;
}

static int add_sans(X509 *x, char *const *sans, struct k8tls_err *e)
{
    GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
    int rc = -1;
    if (!gens)
        goto oom;
    for (char *const *s = sans; *s; s++) {
        GENERAL_NAME *g;
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(*s);
        ERR_clear_error();
        if (ip) {
            g = GENERAL_NAME_new();
            if (!g) {
                ASN1_OCTET_STRING_free(ip);
                goto oom;
            }
            GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            if (!dns || !ASN1_STRING_set(dns, *s, -1)) {
                ASN1_IA5STRING_free(dns);
                goto oom;
            }
            g = GENERAL_NAME_new();
            if (!g) {
                ASN1_IA5STRING_free(dns);
                goto oom;
            }
            GENERAL_NAME_set0_value(g, GEN_DNS, dns);
        }
        if (!sk_GENERAL_NAME_push(gens, g)) {
            GENERAL_NAME_free(g);
            goto oom;
        }
    }
    if (sk_GENERAL_NAME_num(gens) == 0) {
        rc = 0;
        goto done;
    }
    if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) != 1)
        goto oom;
    rc = 0;
    goto done;
oom:
    k8tls_err_set_openssl(e, _("cannot add the subject alternative names"));
done:
    GENERAL_NAMES_free(gens);
    return rc;
}

static int copy_name_field(X509_NAME *to, const X509_NAME *from, int nid)
{
    int i = -1;
    while ((i = X509_NAME_get_index_by_NID(from, nid, i)) >= 0) {
        const X509_NAME_ENTRY *ne = X509_NAME_get_entry(from, i);
        if (!X509_NAME_add_entry(to, ne, -1, 0))
            return -1;
    }
    return 0;
}

X509 *k8tls_pki_make_leaf(X509 *ca_cert, EVP_PKEY *ca_key, EVP_PKEY *leaf_key,
                          const struct k8tls_leaf_params *lp, bool *capped, struct k8tls_err *e)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    char eku[64] = "";
    if (capped)
        *capped = false;
    if (!x || !n) {
        k8tls_err_set_openssl(e, _("out of memory"));
        goto fail;
    }
    if (!ca_key) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("the CA private key is needed to sign certificates"));
        goto fail;
    }
    if (copy_name_field(n, X509_get_subject_name(ca_cert), NID_organizationName)
        || copy_name_field(n, X509_get_subject_name(ca_cert), NID_organizationalUnitName)) {
        k8tls_err_set_openssl(e, _("cannot build the certificate subject"));
        goto fail;
    }
    if (name_add(n, "CN", lp->cn, e))
        goto fail;
    if (!X509_set_version(x, X509_VERSION_3) || !X509_set_subject_name(x, n)
        || !X509_set_issuer_name(x, X509_get_subject_name(ca_cert))
        || !X509_set_pubkey(x, leaf_key)) {
        k8tls_err_set_openssl(e, _("cannot build the certificate"));
        goto fail;
    }
    if (set_random_serial(x, e) || set_validity(x, lp->validity_days, e))
        goto fail;
    if (ASN1_TIME_compare(X509_get0_notAfter(x), X509_get0_notAfter(ca_cert)) > 0) {
        if (!X509_set1_notAfter(x, X509_get0_notAfter(ca_cert))) {
            k8tls_err_set_openssl(e, _("cannot set the certificate validity"));
            goto fail;
        }
        if (capped)
            *capped = true;
    }
    if (lp->server_auth)
        strcat(eku, "serverAuth");
    if (lp->client_auth)
        strcat(eku, eku[0] ? ",clientAuth" : "clientAuth");
    if (add_ext(x, ca_cert, NID_basic_constraints, "critical,CA:FALSE", e)
        || add_ext(x, ca_cert, NID_key_usage,
                   EVP_PKEY_is_a(leaf_key, "RSA") ? "critical,digitalSignature,keyEncipherment"
                                                  : "critical,digitalSignature", e)
        || (eku[0] && add_ext(x, ca_cert, NID_ext_key_usage, eku, e))
        || add_ext(x, ca_cert, NID_subject_key_identifier, "hash", e)
        /* an imported CA may lack a subjectKeyIdentifier: name it by issuer and serial then */
        || add_ext(x, ca_cert, NID_authority_key_identifier,
                   X509_get0_subject_key_id(ca_cert) ? "keyid:always" : "issuer:always", e)
        || (lp->sans && add_sans(x, lp->sans, e)) || sign(x, ca_key, e))
        goto fail;
    X509_NAME_free(n);
    return x;
fail:
    X509_NAME_free(n);
    X509_free(x);
    return NULL;
}

/* ---- store pairs ------------------------------------------------------------------------ */

static void free_cert_stack(STACK_OF(X509) *sk)
{
    sk_X509_pop_free(sk, X509_free);
}

void k8tls_store_pair_clear(struct k8tls_store_pair *sp)
{
    if (!sp)
        return;
    k8tls_secret_free(sp->keystore);
    k8tls_secret_free(sp->truststore);
    k8tls_secure_free_str(sp->keystore_password);
    k8tls_secure_free_str(sp->truststore_password);
    X509_free(sp->leaf);
    free_cert_stack(sp->trusted);
    memset(sp, 0, sizeof *sp);
}

struct task {
    void (*fn)(void *);
    void *arg;
};

static void *task_main(void *t)
{
    struct task *task = t;
    task->fn(task->arg);
    return NULL;
}

/* Runs a(arg_a) on this thread and b(arg_b) on another one at the same time (one after the other
 * when no thread can be started). Store encoding is PBKDF2-bound: two at once halve its time. */
static void run_both(void (*a)(void *), void *arg_a, void (*b)(void *), void *arg_b)
{
    struct task tb = { b, arg_b };
    pthread_t tid;
    if (pthread_create(&tid, NULL, task_main, &tb) == 0) {
        a(arg_a);
        pthread_join(tid, NULL);
    } else {
        a(arg_a);
        b(arg_b);
    }
}

struct encode_job {
    bool keystore;
    enum k8tls_store_format fmt;
    enum k8tls_p12_profile profile;
    const char *alias;
    EVP_PKEY *key;
    X509 *leaf;
    STACK_OF(X509) *certs;      /* chain (keystore) or trusted CAs (truststore) */
    const char *password;
    struct k8tls_secret *out;
    struct k8tls_err err;
    int rc;
};

static void encode_job_run(void *arg)
{
    struct encode_job *j = arg;
    k8tls_err_clear(&j->err);
    j->rc = j->keystore
                ? k8tls_store_write_keystore(j->fmt, j->profile, j->alias, j->key, j->leaf,
                                             j->certs, j->password, &j->out, &j->err)
                : k8tls_store_write_truststore(j->fmt, j->profile, j->certs, j->password,
                                               &j->out, &j->err);
}

int k8tls_pki_make_store_pair(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                              const char *alias, EVP_PKEY *key, X509 *leaf, STACK_OF(X509) *chain,
                              STACK_OF(X509) *trusted, const char *keystore_password,
                              const char *truststore_password, struct k8tls_store_pair *out,
                              struct k8tls_err *e)
{
    memset(out, 0, sizeof *out);
    if (!nonempty(keystore_password) || !nonempty(truststore_password)) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("a store needs a password"));
        return -1;
    }
    struct encode_job ks = { .keystore = true, .fmt = fmt, .profile = profile, .alias = alias,
                             .key = key, .leaf = leaf, .certs = chain,
                             .password = keystore_password };
    struct encode_job ts = { .keystore = false, .fmt = fmt, .profile = profile,
                             .certs = trusted, .password = truststore_password };
    run_both(encode_job_run, &ks, encode_job_run, &ts);
    out->format = fmt;
    out->keystore = ks.out;
    out->truststore = ts.out;
    if (ks.rc != 0 || ts.rc != 0) {
        *e = ks.rc != 0 ? ks.err : ts.err;
        goto fail;
    }
    out->keystore_password = strdup(keystore_password);
    out->truststore_password = strdup(truststore_password);
    out->trusted = X509_chain_up_ref(trusted);
    if (!out->keystore_password || !out->truststore_password || !out->trusted
        || !X509_up_ref(leaf)) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        goto fail;
    }
    out->leaf = leaf;
    out->present = true;
    return 0;
fail:
    k8tls_store_pair_clear(out);
    return -1;
}

/* ---- the plan's material ---------------------------------------------------------------- */

void k8tls_material_free(struct k8tls_material *m)
{
    if (!m)
        return;
    X509_free(m->ca_cert);
    EVP_PKEY_free(m->ca_key);
    free(m->ca_cert_pem);
    k8tls_secret_free(m->ca_key_pem);
    k8tls_store_pair_clear(&m->server);
    k8tls_store_pair_clear(&m->client);
    free(m->medusa_ca_pem);
    free(m->medusa_cert_pem);
    k8tls_secret_free(m->medusa_key_pem);
    X509_free(m->medusa_cert);
    struct k8tls_pem_trio *trios[] = {&m->mgmt_server, &m->mgmt_client, &m->reaper_client,
                                      &m->grpc_server, &m->grpc_client, &m->ops_client};
    for (size_t i = 0; i < sizeof trios / sizeof trios[0]; i++) {
        free(trios[i]->ca_pem);
        free(trios[i]->cert_pem);
        k8tls_secret_free(trios[i]->key_pem);
        X509_free(trios[i]->cert);
    }
    k8tls_store_pair_clear(&m->reaper_server);
    k8tls_store_pair_clear(&m->reaper_mgmt);
    OPENSSL_cleanse(m, sizeof *m);
    free(m);
}

/* A store password: the resolved value, else the reference resolved now, else a generated one
 * (K11). Heap string for k8tls_secure_free_str, or NULL with an error in d. */
static char *store_password(const struct k8tls_plan *p, const struct k8tls_password *pw,
                            const char *path, struct k8tls_diags *d)
{
    if (pw->value)
        return strdup(pw->value);
    if (pw->ref) {
        struct k8tls_err e;
        k8tls_err_clear(&e);
        char *base = k8tls_plan_base_dir(p);
        char *v = k8tls_password_resolve(pw->ref, base, &e);
        free(base);
        if (!v) {
            k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, pw->pos.line, pw->pos.col, path,
                            "%s", e.msg);
            return NULL;
        }
        const char *why = k8tls_password_problem(v);
        if (why) {
            k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, pw->pos.line, pw->pos.col, path,
                            "%s", why);
            k8tls_secure_free_str(v);
            return NULL;
        }
        return v;
    }
    char *v = k8tls_password_generate(K8TLS_PASSWORD_LEN);
    if (!v)
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, path, "%s",
                        _("cannot generate a password (no randomness)"));
    return v;
}

enum { JOB_CA, JOB_SERVER, JOB_CLIENT, JOB_MEDUSA, JOB_MGMT_SERVER, JOB_MGMT_CLIENT,
       JOB_REAPER_SERVER, JOB_REAPER_CLIENT, JOB_REAPER_MGMT, JOB_GRPC_SERVER, JOB_GRPC_CLIENT,
       JOB_OPS_CLIENT, JOB_COUNT };

struct build {
    const struct k8tls_plan *p;
    struct k8tls_material *m;
    struct k8tls_diags *d;
    EVP_PKEY *keys[JOB_COUNT];
    char **sans;
};

static const char *cluster_name(const struct k8tls_plan *p)
{
    return nonempty(p->cluster.name) ? p->cluster.name : "k8ssandra";
}

/* A generated store pair in three steps: prepare (passwords, leaf; diagnostics) on the main
 * thread, encode (the two pairs concurrently), then report. */
struct pair_job {
    struct build *b;
    int job;
    const char *alias, *cfg_path;
    struct k8tls_store_pair *out;
    char *kspw, *tspw;
    X509 *leaf;
    STACK_OF(X509) *cas;        /* borrows the CA */
    struct k8tls_err err;
    int rc;
};

static int pair_prepare(struct build *b, struct pair_job *j, int job,
                        const struct k8tls_store_set *set, const char *alias, const char *cfg_path,
                        struct k8tls_store_pair *out)
{
    const struct k8tls_plan *p = b->p;
    char cn[300], path[128];
    bool capped = false;

    memset(j, 0, sizeof *j);
    j->b = b;
    j->job = job;
    j->alias = alias;
    j->cfg_path = cfg_path;
    j->out = out;
    snprintf(path, sizeof path, "%s.keystorePassword", cfg_path);
    j->kspw = store_password(p, &set->keystore_password, path, b->d);
    snprintf(path, sizeof path, "%s.truststorePassword", cfg_path);
    j->tspw = store_password(p, &set->truststore_password, path, b->d);
    if (!j->kspw || !j->tspw)
        return -1;
    snprintf(cn, sizeof cn, "%s-%s", cluster_name(p), alias);
    struct k8tls_leaf_params lp = { .cn = cn, .sans = b->sans, .server_auth = true,
                                    .client_auth = true,
                                    .validity_days = p->certificates.validity_days };
    if (!(j->cas = sk_X509_new_null()) || !sk_X509_push(j->cas, b->m->ca_cert)) {
        k8tls_diags_add(b->d, K8TLS_SEV_ERROR, NULL, 0, 0, cfg_path, "%s", _("out of memory"));
        return -1;
    }
    k8tls_err_clear(&j->err);
    j->leaf = k8tls_pki_make_leaf(b->m->ca_cert, b->m->ca_key, b->keys[job], &lp, &capped,
                                  &j->err);
    if (!j->leaf) {
        k8tls_diags_add_err(b->d, cfg_path, &j->err);
        return -1;
    }
    if (capped)
        k8tls_diags_add(b->d, K8TLS_SEV_NOTE, NULL, 0, 0, "certificates.validityDays",
                        _("the %s certificate ends with the CA, before the %d days asked"),
                        alias, p->certificates.validity_days);
    return 0;
}

static void pair_encode(void *arg)
{
    struct pair_job *j = arg;
    const struct k8tls_plan *p = j->b->p;
    if (!j->leaf)
        return;
    k8tls_err_clear(&j->err);
    j->rc = k8tls_pki_make_store_pair(p->stores.format, p->stores.p12_profile, j->alias,
                                      j->b->keys[j->job], j->leaf, j->cas, j->cas, j->kspw,
                                      j->tspw, j->out, &j->err);
}

static void pair_done(struct pair_job *j)
{
    X509_free(j->leaf);
    sk_X509_free(j->cas);
    k8tls_secure_free_str(j->kspw);
    k8tls_secure_free_str(j->tspw);
    j->leaf = NULL;
    j->cas = NULL;
    j->kspw = j->tspw = NULL;
}

static void nothing(void *arg)
{
    (void)arg;
}

static int generated_medusa(struct build *b)
{
    struct k8tls_material *m = b->m;
    struct k8tls_err e;
    bool capped = false;
    k8tls_err_clear(&e);
    struct k8tls_leaf_params lp = { .cn = "client", .sans = NULL, .server_auth = false,
                                    .client_auth = true,
                                    .validity_days = b->p->certificates.validity_days };
    m->medusa_cert = k8tls_pki_make_leaf(m->ca_cert, m->ca_key, b->keys[JOB_MEDUSA], &lp, &capped,
                                         &e);
    if (!m->medusa_cert || !(m->medusa_ca_pem = k8tls_pki_cert_pem(m->ca_cert, &e))
        || !(m->medusa_cert_pem = k8tls_pki_cert_pem(m->medusa_cert, &e))
        || !(m->medusa_key_pem = k8tls_pki_key_pem(b->keys[JOB_MEDUSA], &e))) {
        k8tls_diags_add_err(b->d, "encryption.medusa", &e);
        return -1;
    }
    m->medusa_present = true;
    return 0;
}

/* ---- the other TLS surfaces (SPEC §10) --------------------------------------------------- */

/* The CA that signs one surface's certificates: the cluster's, or one imported for it. */
struct signer {
    X509 *cert;
    EVP_PKEY *key;
};

/* A leaf of the surface's CA named "<cluster>-<suffix>" for one surface; EKU serverAuth and
 * clientAuth on every one: each is both a TLS server or client and checked by Go's default EKU
 * (M1), or presented as its own client by a probe (M1, G1). */
static X509 *surface_leaf(struct build *b, const struct signer *ca, int job, const char *suffix,
                          char *const *sans, const char *cfg_path)
{
    const struct k8tls_plan *p = b->p;
    struct k8tls_err e;
    char cn[300];
    bool capped = false;
    k8tls_err_clear(&e);
    snprintf(cn, sizeof cn, "%s-%s", cluster_name(p), suffix);
    struct k8tls_leaf_params lp = { .cn = cn, .sans = sans, .server_auth = true,
                                    .client_auth = true,
                                    .validity_days = p->certificates.validity_days };
    X509 *x = k8tls_pki_make_leaf(ca->cert, ca->key, b->keys[job], &lp, &capped, &e);
    if (!x) {
        k8tls_diags_add_err(b->d, cfg_path, &e);
        return NULL;
    }
    if (capped)
        k8tls_diags_add(b->d, K8TLS_SEV_NOTE, NULL, 0, 0, "certificates.validityDays",
                        _("the %s certificate ends with the CA, before the %d days asked"),
                        suffix, p->certificates.validity_days);
    return x;
}

/* ca.crt (the surface's CA), tls.crt, tls.key (PKCS#8, as cass-operator demands: M1). */
static int surface_trio(struct build *b, const struct signer *ca, int job, const char *suffix,
                        char *const *sans, const char *cfg_path, struct k8tls_pem_trio *out)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (!(out->cert = surface_leaf(b, ca, job, suffix, sans, cfg_path)))
        return -1;
    if (!(out->ca_pem = k8tls_pki_cert_pem(ca->cert, &e))
        || !(out->cert_pem = k8tls_pki_cert_pem(out->cert, &e))
        || !(out->key_pem = k8tls_pki_key_pem(b->keys[job], &e))) {
        k8tls_diags_add_err(b->d, cfg_path, &e);
        return -1;
    }
    out->present = true;
    return 0;
}

/* keystore.jks (the key entry: key, leaf, CA) and truststore.jks (the CA), store and key
 * password "changeit": Reaper hard-codes it (R1, R2). */
static int surface_jks(struct build *b, const struct signer *ca, int job, const char *suffix,
                       char *const *sans, const char *cfg_path, struct k8tls_store_pair *out)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    X509 *leaf = surface_leaf(b, ca, job, suffix, sans, cfg_path);
    STACK_OF(X509) *cas = sk_X509_new_null();
    int rc = -1;
    if (!leaf)
        goto done;
    if (!cas || !sk_X509_push(cas, ca->cert)) {
        k8tls_diags_add(b->d, K8TLS_SEV_ERROR, NULL, 0, 0, cfg_path, "%s", _("out of memory"));
        goto done;
    }
    if (k8tls_pki_make_store_pair(K8TLS_FORMAT_JKS, b->p->stores.p12_profile, suffix,
                                  b->keys[job], leaf, cas, cas, K8TLS_REAPER_STORE_PASSWORD,
                                  K8TLS_REAPER_STORE_PASSWORD, out, &e) != 0) {
        k8tls_diags_add_err(b->d, cfg_path, &e);
        goto done;
    }
    rc = 0;
done:
    X509_free(leaf);
    sk_X509_free(cas);
    return rc;
}

/* Reaper's Service names, which its server certificate carries (R1): the operator names each
 * Reaper "<cluster>-<dc>-reaper" and its Service "<that>-service". Heap strings, NULL on OOM. */
static char **reaper_sans(const struct k8tls_plan *p)
{
    size_t n = 0, cap = 3 * p->cluster.n_dcs + 1;
    char **v = calloc(cap, sizeof *v);
    const char *ns = nonempty(p->cluster.namespace_) ? p->cluster.namespace_ : "default";
    if (!v)
        return NULL;
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const char *dc = nonempty(p->cluster.dcs[i].name) ? p->cluster.dcs[i].name : "dc1";
        char buf[600];
        snprintf(buf, sizeof buf, "%s-%s-reaper-service", cluster_name(p), dc);
        size_t base = strlen(buf);
        if (!(v[n++] = strdup(buf)))
            goto oom;
        snprintf(buf + base, sizeof buf - base, ".%s", ns);
        if (!(v[n++] = strdup(buf)))
            goto oom;
        snprintf(buf + base, sizeof buf - base, ".%s.svc", ns);
        if (!(v[n++] = strdup(buf)))
            goto oom;
    }
    return v;
oom:
    k8tls_strv_free(v);
    return NULL;
}

/* The signer of a surface: the cluster CA, or the CA imported for it (encryption.<surface>.ca). */
static int surface_signer(struct build *b, const struct k8tls_surface_ca *sc, const char *prefix,
                          struct signer *out)
{
    if (sc->source != K8TLS_SURFACE_CA_IMPORT) {
        *out = (struct signer){ b->m->ca_cert, b->m->ca_key };
        return 0;
    }
    return k8tls_import_surface_ca(b->p, sc, prefix, &out->cert, &out->key, b->d);
}

static void signer_free(struct build *b, struct signer *s)
{
    if (s->cert != b->m->ca_cert)
        X509_free(s->cert);
    if (s->key != b->m->ca_key)
        EVP_PKEY_free(s->key);
    memset(s, 0, sizeof *s);
}

static int surfaces_signed(struct build *b, const struct signer *mgmt_ca,
                           const struct signer *reaper_ca, const struct signer *grpc_ca)
{
    const struct k8tls_plan *p = b->p;
    struct k8tls_material *m = b->m;
    static char *const localhost[] = { "localhost", "127.0.0.1", "::1", NULL };
    const struct signer cluster_ca = { m->ca_cert, m->ca_key };
    if (k8tls_plan_wants_mgmt_api(p)
        && (surface_trio(b, mgmt_ca, JOB_MGMT_SERVER, "mgmt-api-server", NULL,
                         "encryption.managementApi", &m->mgmt_server)
            || surface_trio(b, mgmt_ca, JOB_MGMT_CLIENT, "mgmt-api-client", NULL,
                            "encryption.managementApi", &m->mgmt_client)))
        return -1;
    if (k8tls_plan_wants_reaper_api(p)) {
        char **sans = reaper_sans(p);
        if (!sans) {
            k8tls_diags_add(b->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
            return -1;
        }
        int rc = surface_jks(b, reaper_ca, JOB_REAPER_SERVER, "reaper-api-server", sans,
                             "encryption.reaper", &m->reaper_server);
        k8tls_strv_free(sans);
        if (rc || surface_trio(b, reaper_ca, JOB_REAPER_CLIENT, "reaper-api-client", NULL,
                               "encryption.reaper", &m->reaper_client))
            return -1;
    }
    /* R2: a client of the management API, so from its CA */
    if (k8tls_plan_wants_reaper_mgmt(p)
        && surface_jks(b, mgmt_ca, JOB_REAPER_MGMT, "reaper-mgmt-api-client", NULL,
                       "encryption.reaper.managementSecretName", &m->reaper_mgmt))
        return -1;
    if (k8tls_plan_wants_medusa_grpc(p)
        && (surface_trio(b, grpc_ca, JOB_GRPC_SERVER, "medusa-grpc-server", localhost,
                         "encryption.medusaGrpc", &m->grpc_server)
            || surface_trio(b, grpc_ca, JOB_GRPC_CLIENT, "medusa-grpc-client", NULL,
                            "encryption.medusaGrpc", &m->grpc_client)))
        return -1;
    /* O1: cqlsh's certificate when the nodes ask for one */
    if (p->output.client_files && k8tls_plan_wants_client_stores(p)
        && surface_trio(b, &cluster_ca, JOB_OPS_CLIENT, "ops-client", NULL, "output.clientFiles",
                        &m->ops_client))
        return -1;
    return 0;
}

static int surfaces(struct build *b)
{
    const struct k8tls_plan *p = b->p;
    struct signer mgmt = {0}, reaper = {0}, grpc = {0};
    int rc = -1;
    /* every imported CA is checked, each error reported, before anything is signed */
    int bad = (k8tls_plan_wants_mgmt_api(p)
               && surface_signer(b, &p->encryption.management_api.ca,
                                 "encryption.managementApi.ca", &mgmt) != 0);
    bad |= (k8tls_plan_wants_reaper_api(p)
            && surface_signer(b, &p->encryption.reaper.ca, "encryption.reaper.ca", &reaper) != 0);
    bad |= (k8tls_plan_wants_medusa_grpc(p)
            && surface_signer(b, &p->encryption.medusa_grpc.ca, "encryption.medusaGrpc.ca",
                              &grpc) != 0);
    if (!bad)
        rc = surfaces_signed(b, &mgmt, &reaper, &grpc);
    signer_free(b, &mgmt);
    signer_free(b, &reaper);
    signer_free(b, &grpc);
    return rc;
}

/* output.mode cert-manager (SPEC §11): cert-manager makes the keys and certificates inside the
 * cluster; the bundle needs only the store passwords (its password Secrets) and an imported CA
 * with its key (the CA Issuer's Secret). No key is generated. */
static int cert_manager_material(struct build *b, struct k8tls_material **out)
{
    const struct k8tls_plan *p = b->p;
    struct k8tls_material *m = b->m;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (p->ca.source == K8TLS_SOURCE_IMPORT) {
        if (k8tls_import_ca(p, &m->ca_cert, &m->ca_key, b->d) != 0 || !m->ca_cert)
            goto fail;
        if (!m->ca_key) {
            k8tls_diags_add(b->d, K8TLS_SEV_ERROR, p->source_file, 0, 0, "ca.import.key", "%s",
                            _("cert-manager's CA Issuer signs with the CA's private key: it is "
                              "needed"));
            goto fail;
        }
        if (!(m->ca_cert_pem = k8tls_pki_cert_pem(m->ca_cert, &e)) ||
            !(m->ca_key_pem = k8tls_pki_key_pem(m->ca_key, &e))) {
            k8tls_diags_add_err(b->d, "ca", &e);
            goto fail;
        }
    }
    struct { bool want; const struct k8tls_store_set *set; const char *path;
             struct k8tls_store_pair *pair; } sets[2] = {
        {k8tls_plan_wants_server_stores(p), &p->stores.server, "stores.server", &m->server},
        {k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE,
         &p->stores.client, "stores.client", &m->client},
    };
    for (int i = 0; i < 2; i++) {
        char path[128];
        if (!sets[i].want)
            continue;
        snprintf(path, sizeof path, "%s.keystorePassword", sets[i].path);
        sets[i].pair->keystore_password =
            store_password(p, &sets[i].set->keystore_password, path, b->d);
        if (!sets[i].pair->keystore_password)
            goto fail;
        sets[i].pair->format = p->stores.format;
        sets[i].pair->present = true;
    }
    *out = m;
    return 0;
fail:
    if (k8tls_diags_count(b->d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(b->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the certificates and stores could not be made"));
    k8tls_material_free(m);
    return -1;
}

int k8tls_pki_build(const struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                    struct k8tls_material **out, struct k8tls_diags *d)
{
    struct build b = { .p = p, .d = d };
    struct k8tls_keygen_job jobs[JOB_COUNT];
    int job_of[JOB_COUNT];
    size_t n_jobs = 0;
    struct k8tls_err e;
    struct k8tls_key_spec leaf_spec;
    const bool want_server = k8tls_plan_wants_server_stores(p);
    const bool want_client = k8tls_plan_wants_client_stores(p)
                             && p->stores.client.source != K8TLS_SOURCE_REUSE;
    const bool want_medusa = k8tls_plan_wants_medusa_certs(p);
    const bool gen_server = want_server && p->stores.server.source == K8TLS_SOURCE_GENERATE;
    const bool gen_client = want_client && p->stores.client.source == K8TLS_SOURCE_GENERATE;
    const bool gen_medusa = want_medusa && p->encryption.medusa.source == K8TLS_SOURCE_GENERATE;
    const bool gen_mgmt = k8tls_plan_wants_mgmt_api(p);
    const bool gen_reaper = k8tls_plan_wants_reaper_api(p);
    const bool gen_reaper_mgmt = k8tls_plan_wants_reaper_mgmt(p);
    const bool gen_grpc = k8tls_plan_wants_medusa_grpc(p);
    const bool gen_ops = p->output.client_files && k8tls_plan_wants_client_stores(p);
    const bool gen_surface = gen_mgmt || gen_reaper || gen_reaper_mgmt || gen_grpc || gen_ops;
    static const char *const labels[JOB_COUNT] = {
        "CA", "server", "client", "medusa", "mgmt-api-server", "mgmt-api-client",
        "reaper-server", "reaper-client", "reaper-mgmt", "medusa-grpc-server",
        "medusa-grpc-client", "ops-client" };

    *out = NULL;
    k8tls_err_clear(&e);
    struct k8tls_material *m = b.m = calloc(1, sizeof *m);
    if (!m) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
        return -1;
    }
    if (p->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
        return cert_manager_material(&b, out);

    /* 1. an imported CA first: generated leaves follow its algorithm */
    if (p->ca.source == K8TLS_SOURCE_IMPORT) {
        if (k8tls_import_ca(p, &m->ca_cert, &m->ca_key, d) != 0 || !m->ca_cert)
            goto fail;
        /* a surface with a CA of its own needs none of the cluster's */
        const bool mgmt_own = p->encryption.management_api.ca.source == K8TLS_SURFACE_CA_IMPORT;
        const bool by_cluster_ca =
            gen_ops || ((gen_mgmt || gen_reaper_mgmt) && !mgmt_own)
            || (gen_reaper && p->encryption.reaper.ca.source != K8TLS_SURFACE_CA_IMPORT)
            || (gen_grpc && p->encryption.medusa_grpc.ca.source != K8TLS_SURFACE_CA_IMPORT);
        if (!m->ca_key && (gen_server || gen_client || gen_medusa || by_cluster_ca)) {
            k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, 0, 0, "ca.import.key", "%s",
                            _("the CA private key is needed to sign the generated certificates"));
            goto fail;
        }
    }
    if (p->certificates.key.set)
        leaf_spec = p->certificates.key;
    else if (m->ca_key) {
        if (k8tls_pki_key_spec_of(m->ca_key, &leaf_spec) != 0) {
            k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, 0, 0, "ca.import.key", "%s",
                            _("the CA key is neither RSA nor ECDSA P-256/P-384: set certificates.key"));
            goto fail;
        }
    } else
        leaf_spec = p->ca.key;

    /* 2. every key at once */
    const bool wanted[JOB_COUNT] = { p->ca.source != K8TLS_SOURCE_IMPORT, gen_server, gen_client,
                                     gen_medusa, gen_mgmt, gen_mgmt, gen_reaper, gen_reaper,
                                     gen_reaper_mgmt, gen_grpc, gen_grpc, gen_ops };
    for (int j = 0; j < JOB_COUNT; j++) {
        job_of[j] = -1;
        if (!wanted[j])
            continue;
        memset(&jobs[n_jobs], 0, sizeof jobs[n_jobs]);
        jobs[n_jobs].label = labels[j];
        jobs[n_jobs].spec = j == JOB_CA ? p->ca.key : leaf_spec;
        job_of[j] = (int)n_jobs++;
    }
    if (n_jobs && k8tls_pki_keygen_parallel(jobs, n_jobs, progress, ud, &e) != 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto fail;
    }
    for (int j = 0; j < JOB_COUNT; j++)
        if (job_of[j] >= 0)
            b.keys[j] = jobs[job_of[j]].key;

    /* 3. the CA */
    if (p->ca.source != K8TLS_SOURCE_IMPORT) {
        m->ca_key = b.keys[JOB_CA];
        b.keys[JOB_CA] = NULL;
        struct k8tls_subject sj = p->ca.subject;
        char *cn = k8tls_plan_ca_common_name(p);   /* CN "": named after the cluster */
        sj.CN = cn;
        m->ca_cert = cn ? k8tls_pki_make_ca(m->ca_key, &sj, p->ca.validity_days, &e) : NULL;
        if (!cn)
            k8tls_err_set(&e, NULL, 0, 0, "%s", _("out of memory"));
        free(cn);
        if (!m->ca_cert) {
            k8tls_diags_add_err(d, "ca", &e);
            goto fail;
        }
        if (p->ca.validity_days < 365)
            k8tls_diags_add(d, K8TLS_SEV_WARNING, p->source_file, 0, 0, "ca.validityDays",
                            _("the CA is valid for %d days only: every certificate must be "
                              "replaced when it expires"), p->ca.validity_days);
    }
    if (!(m->ca_cert_pem = k8tls_pki_cert_pem(m->ca_cert, &e))) {
        k8tls_diags_add_err(d, "ca", &e);
        goto fail;
    }
    if (m->ca_key && !(m->ca_key_pem = k8tls_pki_key_pem(m->ca_key, &e))) {
        k8tls_diags_add_err(d, "ca", &e);
        goto fail;
    }

    /* 4. leaves and stores, or imports */
    if (gen_server || gen_client)
        if (!(b.sans = k8tls_pki_node_sans(p))) {
            k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
            goto fail;
        }
    {
        struct pair_job sj, cj;
        bool ok = true;
        memset(&sj, 0, sizeof sj);
        memset(&cj, 0, sizeof cj);
        if (gen_server)
            ok = pair_prepare(&b, &sj, JOB_SERVER, &p->stores.server, "server", "stores.server",
                              &m->server) == 0;
        if (ok && gen_client)
            ok = pair_prepare(&b, &cj, JOB_CLIENT, &p->stores.client, "client", "stores.client",
                              &m->client) == 0;
        if (ok) {
            /* the server and client pairs at once (each encodes its two stores at once) */
            run_both(gen_server ? pair_encode : nothing, &sj, gen_client ? pair_encode : nothing,
                     &cj);
            if (gen_server && sj.rc != 0) {
                k8tls_diags_add_err(d, "stores.server", &sj.err);
                ok = false;
            }
            if (gen_client && cj.rc != 0) {
                k8tls_diags_add_err(d, "stores.client", &cj.err);
                ok = false;
            }
        }
        pair_done(&sj);
        pair_done(&cj);
        if (!ok)
            goto fail;
    }
    if (want_server && !gen_server)
        if (k8tls_import_store_pair(p, &p->stores.server, "server", &m->server, d) != 0)
            goto fail;
    if (want_client && !gen_client)
        if (k8tls_import_store_pair(p, &p->stores.client, "client", &m->client, d) != 0)
            goto fail;
    if (want_medusa) {
        /* the truststore Cassandra uses for client connections */
        STACK_OF(X509) *trusted = m->client.present ? m->client.trusted
                                  : m->server.present ? m->server.trusted : NULL;
        if (gen_medusa) {
            if (generated_medusa(&b))
                goto fail;
            if (trusted && k8tls_x509_signed_by(m->medusa_cert, trusted) < 0)
                k8tls_diags_add(d, K8TLS_SEV_WARNING, NULL, 0, 0, "encryption.medusa",
                                "%s", _("the client truststore does not trust the CA of the "
                                        "Medusa certificate: Cassandra will refuse Medusa"));
        } else if (k8tls_import_medusa(p, trusted, m, d) != 0)
            goto fail;
    }
    if (gen_surface && surfaces(&b) != 0)
        goto fail;

    for (int j = 0; j < JOB_COUNT; j++)
        EVP_PKEY_free(b.keys[j]);
    k8tls_strv_free(b.sans);
    *out = m;
    return 0;
fail:
    if (k8tls_diags_count(d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the certificates and stores could not be made"));
    for (int j = 0; j < JOB_COUNT; j++)
        EVP_PKEY_free(b.keys[j]);
    k8tls_strv_free(b.sans);
    k8tls_material_free(m);
    return -1;
}
