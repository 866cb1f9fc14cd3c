/* Import validation (S8): an imported CA, store pair or Medusa trio is accepted only when
 * the password opens it, the entries are right, the key matches, the chain reaches the
 * truststore and nothing is expired; soon-to-expire certificates and missing SANs are warned.
 * Every problem names the file. */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include "k8tls/plan.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"
#include "pki_fixtures.h"
#include "../../src/core/store_int.h"

#define PW "store-pass-123"

static EVP_PKEY *ca_key, *other_ca_key;
static X509 *ca, *other_ca;

static void setup(void)
{
    fx_mkdir();
    ca_key = fx_key();
    ca = fx_cert(ca_key, "Import Root CA", NULL, NULL, FX_CA, -1, 3650, NULL);
    other_ca_key = fx_key();
    other_ca = fx_cert(other_ca_key, "Another Root CA", NULL, NULL, FX_CA, -1, 3650, NULL);
}

static void teardown(void)
{
    X509_free(ca);
    X509_free(other_ca);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(other_ca_key);
    fx_rmdir();
}

static void set_str(char **field, const char *v)
{
    free(*field);
    *field = v ? strdup(v) : NULL;
}

static void set_pw(struct k8tls_password *pw, const char *v)
{
    free(pw->ref);
    free(pw->value);
    pw->ref = v ? strdup(v) : NULL;
    pw->value = v ? strdup(v) : NULL;
}

static struct k8tls_plan *plan(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    return p;
}

/* The diag whose message holds text (and, when file is given, that names file). */
static const struct k8tls_diag *find(const struct k8tls_diags *d, enum k8tls_severity sev,
                                     const char *text, const char *file)
{
    if (getenv("K8TLS_TEST_VERBOSE"))
        k8tls_diags_print(d, stderr);
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == sev && strstr(d->v[i].msg, text)
            && (!file || (d->v[i].file && strcmp(d->v[i].file, file) == 0)))
            return &d->v[i];
    fprintf(stderr, "no %s with '%s' among:\n", sev == K8TLS_SEV_ERROR ? "error" : "warning", text);
    k8tls_diags_print(d, stderr);
    return NULL;
}

/* ---- ca.source: import ------------------------------------------------------------------ */

static bool force_expired; /* the --force switch, for the next import_ca */

static int import_ca(const char *cert_file, const char *key_file, const char *key_pw,
                     struct k8tls_diags *d, X509 **cert, EVP_PKEY **key)
{
    struct k8tls_plan *p = plan();
    p->allow_expired = force_expired;
    p->ca.source = K8TLS_SOURCE_IMPORT;
    set_str(&p->ca.import_cert, cert_file ? fx_path(cert_file) : NULL);
    set_str(&p->ca.import_key, key_file ? fx_path(key_file) : NULL);
    set_pw(&p->ca.import_key_password, key_pw);
    int rc = k8tls_import_ca(p, cert, key, d);
    k8tls_plan_free(p);
    return rc;
}

START_TEST(test_imported_ca_with_its_encrypted_key_is_accepted)
{
    fx_write_certs("ca.crt", ca, NULL);
    fx_write_key("ca.key", ca_key, "ca-key-pass");
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    X509 *c = NULL;
    EVP_PKEY *k = NULL;
    ck_assert_int_eq(import_ca("ca.crt", "ca.key", "ca-key-pass", &d, &c, &k), 0);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_WARNING), 0);
    ck_assert_int_eq(X509_cmp(c, ca), 0);
    ck_assert_int_eq(EVP_PKEY_eq(k, ca_key), 1);
    X509_free(c);
    EVP_PKEY_free(k);
    /* the wrong key password is said so, naming the key file */
    ck_assert_int_ne(import_ca("ca.crt", "ca.key", "not-it-123", &d, &c, &k), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "wrong password", fx_path("ca.key")));
    ck_assert_ptr_null(c);
    ck_assert_ptr_null(k);
    k8tls_diags_free(&d);
}
END_TEST

/* An intermediate CA given with its issuers: a root whose basicConstraints pathlen leaves no room
 * for it is refused (nothing would trust what it signs); the root itself, or a root that allows
 * the intermediates, is accepted. The issuers are found by signature, in any order. */
START_TEST(test_intermediate_ca_under_a_pathlen_0_root_is_refused)
{
    EVP_PKEY *rk = fx_key(), *ik = fx_key(), *i2k = fx_key();
    X509 *root0 = fx_ca_pathlen(rk, "Root PL0", NULL, NULL, 0);
    X509 *inter0 = fx_cert(ik, "Inter CA", root0, rk, FX_CA, -1, 365, NULL);
    X509 *root1 = fx_ca_pathlen(rk, "Root PL1", NULL, NULL, 1);
    X509 *inter1 = fx_cert(ik, "Inter CA", root1, rk, FX_CA, -1, 365, NULL);
    X509 *inter2 = fx_cert(i2k, "Inter Two", inter1, ik, FX_CA, -1, 365, NULL);
    fx_write_certs("pl0-chain.crt", inter0, root0);
    fx_write_certs("pl0-root-first.crt", root0, inter0);
    fx_write_certs("pl1-chain.crt", inter1, root1);
    FILE *f = fopen(fx_path("pl1-two.crt"), "wb");
    ck_assert_ptr_nonnull(f);
    PEM_write_X509(f, inter2);
    PEM_write_X509(f, root1);
    PEM_write_X509(f, inter1);
    fclose(f);
    fx_write_key("root.key", rk, NULL);
    fx_write_key("inter.key", ik, NULL);
    fx_write_key("inter2.key", i2k, NULL);
    struct k8tls_diags d;
    X509 *c = NULL;
    EVP_PKEY *k = NULL;

    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("pl0-chain.crt", "inter.key", NULL, &d, &c, &k), 0);
    const struct k8tls_diag *dg = find(&d, K8TLS_SEV_ERROR, "pathlen:0", fx_path("pl0-chain.crt"));
    ck_assert_ptr_nonnull(dg);
    ck_assert_ptr_nonnull(strstr(dg->msg, "cannot sign node certificates that anything will trust"));
    ck_assert_ptr_nonnull(strstr(dg->msg, "Inter CA"));
    ck_assert_ptr_nonnull(strstr(dg->msg, "Root PL0"));
    ck_assert_str_eq(dg->path, "ca.import.cert");
    ck_assert_ptr_null(c);
    ck_assert_ptr_null(k);
    k8tls_diags_free(&d);

    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("pl1-two.crt", "inter2.key", NULL, &d, &c, &k), 0);
    dg = find(&d, K8TLS_SEV_ERROR, "pathlen:1", fx_path("pl1-two.crt"));
    ck_assert_ptr_nonnull(dg);
    ck_assert_ptr_nonnull(strstr(dg->msg, "2 CAs below"));
    k8tls_diags_free(&d);

    /* accepted: the pathlen:0 root itself (first in its file), one intermediate under pathlen:1 */
    const char *ok[][2] = { { "pl0-root-first.crt", "root.key" }, { "pl1-chain.crt", "inter.key" } };
    for (size_t i = 0; i < 2; i++) {
        k8tls_diags_init(&d);
        int rc = import_ca(ok[i][0], ok[i][1], NULL, &d, &c, &k);
        if (rc)
            k8tls_diags_print(&d, stderr);
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
        X509_free(c);
        EVP_PKEY_free(k);
        k8tls_diags_free(&d);
    }
    X509_free(root0);
    X509_free(inter0);
    X509_free(root1);
    X509_free(inter1);
    X509_free(inter2);
    EVP_PKEY_free(rk);
    EVP_PKEY_free(ik);
    EVP_PKEY_free(i2k);
}
END_TEST

START_TEST(test_ca_without_ca_true_is_refused)
{
    EVP_PKEY *k = fx_key();
    X509 *leafish = fx_cert(k, "Not A CA", NULL, NULL, FX_NOT_CA, -1, 365, NULL);
    X509 *nobc = fx_cert(k, "No Constraints", NULL, NULL, FX_NO_BC, -1, 365, NULL);
    fx_write_certs("notca.crt", leafish, NULL);
    fx_write_certs("nobc.crt", nobc, NULL);
    fx_write_key("notca.key", k, NULL);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    X509 *c = NULL;
    EVP_PKEY *got = NULL;
    ck_assert_int_ne(import_ca("notca.crt", "notca.key", NULL, &d, &c, &got), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "CA:TRUE", fx_path("notca.crt")));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("nobc.crt", "notca.key", NULL, &d, &c, &got), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "is not a CA", fx_path("nobc.crt")));
    ck_assert_ptr_null(c);
    k8tls_diags_free(&d);
    X509_free(leafish);
    X509_free(nobc);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_expired_ca_is_refused_and_one_expiring_soon_is_warned)
{
    EVP_PKEY *k = fx_key();
    X509 *old = fx_cert(k, "Old CA", NULL, NULL, FX_CA, -400, -2, NULL);
    X509 *soon = fx_cert(k, "Soon CA", NULL, NULL, FX_CA, -400, 10, NULL);
    fx_write_certs("old.crt", old, NULL);
    fx_write_certs("soon.crt", soon, NULL);
    fx_write_key("k.key", k, NULL);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    X509 *c = NULL;
    EVP_PKEY *got = NULL;
    ck_assert_int_ne(import_ca("old.crt", "k.key", NULL, &d, &c, &got), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "expired on", fx_path("old.crt")));
    k8tls_diags_free(&d);
    /* forced (--force): the same CA is accepted, the expiry still said as a warning */
    k8tls_diags_init(&d);
    force_expired = true;
    ck_assert_int_eq(import_ca("old.crt", "k.key", NULL, &d, &c, &got), 0);
    force_expired = false;
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "expired on", fx_path("old.crt")));
    X509_free(c);
    EVP_PKEY_free(got);
    c = NULL;
    got = NULL;
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_eq(import_ca("soon.crt", "k.key", NULL, &d, &c, &got), 0);
    const struct k8tls_diag *w = find(&d, K8TLS_SEV_WARNING, "expires in", fx_path("soon.crt"));
    ck_assert_ptr_nonnull(w);
    ck_assert_msg(strstr(w->msg, "in 9 days") || strstr(w->msg, "in 10 days"), "%s", w->msg);
    X509_free(c);
    EVP_PKEY_free(got);
    k8tls_diags_free(&d);
    X509_free(old);
    X509_free(soon);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_weak_rsa_or_not_yet_valid_ca_is_refused_or_warned_under_force)
{
    EVP_PKEY *rsa = EVP_RSA_gen(1024);
    ck_assert_ptr_nonnull(rsa);
    X509 *weak = fx_cert(rsa, "Weak CA", NULL, NULL, FX_CA, -1, 3650, NULL);
    EVP_PKEY *k = fx_key();
    X509 *future = fx_cert(k, "Future CA", NULL, NULL, FX_CA, 5, 3650, NULL);
    fx_write_certs("weak.crt", weak, NULL);
    fx_write_key("weak.key", rsa, NULL);
    fx_write_certs("future.crt", future, NULL);
    fx_write_key("future.key", k, NULL);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    X509 *c = NULL;
    EVP_PKEY *got = NULL;
    ck_assert_int_ne(import_ca("weak.crt", "weak.key", NULL, &d, &c, &got), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "an RSA key size is 2048, 3072 or 4096, not 1024",
                               fx_path("weak.crt")));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("future.crt", "future.key", NULL, &d, &c, &got), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "is not valid before", fx_path("future.crt")));
    k8tls_diags_free(&d);
    /* --force: a warning only */
    k8tls_diags_init(&d);
    force_expired = true;
    ck_assert_int_eq(import_ca("weak.crt", "weak.key", NULL, &d, &c, &got), 0);
    force_expired = false;
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "not 1024", fx_path("weak.crt")));
    X509_free(c);
    EVP_PKEY_free(got);
    k8tls_diags_free(&d);
    X509_free(weak);
    X509_free(future);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_ca_key_that_does_not_match_or_is_missing_is_refused)
{
    fx_write_certs("ca.crt", ca, NULL);
    fx_write_key("other.key", other_ca_key, NULL);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    X509 *c = NULL;
    EVP_PKEY *k = NULL;
    ck_assert_int_ne(import_ca("ca.crt", "other.key", NULL, &d, &c, &k), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "does not match", fx_path("other.key")));
    k8tls_diags_free(&d);
    /* a PEM with no key */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("ca.crt", "ca.crt", NULL, &d, &c, &k), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "holds no private key", fx_path("ca.crt")));
    k8tls_diags_free(&d);
    /* a missing file */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca("absent.crt", NULL, NULL, &d, &c, &k), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "No such file", fx_path("absent.crt")));
    k8tls_diags_free(&d);
    /* no file given at all */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_ca(NULL, NULL, NULL, &d, &c, &k), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "no CA certificate file", NULL));
    k8tls_diags_free(&d);
}
END_TEST

/* ---- stores: import ---------------------------------------------------------------------- */

/* "DNS:a,DNS:b,IP:127.0.0.1" for the plan's S5 names. */
static char *san_conf(const struct k8tls_plan *p)
{
    char **v = k8tls_pki_node_sans(p);
    size_t len = 1;
    for (size_t i = 0; v[i]; i++)
        len += strlen(v[i]) + 6;
    char *s = calloc(1, len);
    for (size_t i = 0; v[i]; i++) {
        if (i)
            strcat(s, ",");
        strcat(s, strcmp(v[i], "127.0.0.1") == 0 ? "IP:" : "DNS:");
        strcat(s, v[i]);
    }
    k8tls_strv_free(v);
    return s;
}

static void write_secret(const char *name, struct k8tls_secret *s)
{
    fx_write(name, s->data, s->len);
    k8tls_secret_free(s);
}

/* A keystore for a leaf issued by 'issuer', and a truststore of 'trust'. */
static void make_pair(enum k8tls_store_format fmt, const char *ks, const char *ts, X509 *issuer,
                      EVP_PKEY *issuer_key, X509 *trust, long from, long to, const char *sans,
                      EVP_PKEY **leaf_key_out, X509 **leaf_out)
{
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "node", issuer, issuer_key, FX_NOT_CA, from, to, sans);
    STACK_OF(X509) *chain = sk_X509_new_null(), *cas = sk_X509_new_null();
    sk_X509_push(chain, issuer);
    sk_X509_push(cas, trust);
    struct k8tls_secret *kb = NULL, *tb = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_store_write_keystore(fmt, K8TLS_P12_MODERN, "node", k, leaf, chain, PW, &kb, &e) == 0,
                  "%s", e.msg);
    ck_assert_msg(k8tls_store_write_truststore(fmt, K8TLS_P12_MODERN, cas, PW, &tb, &e) == 0, "%s", e.msg);
    write_secret(ks, kb);
    write_secret(ts, tb);
    sk_X509_free(chain);
    sk_X509_free(cas);
    if (leaf_key_out)
        *leaf_key_out = k;
    else
        EVP_PKEY_free(k);
    if (leaf_out)
        *leaf_out = leaf;
    else
        X509_free(leaf);
}

static int import_pair(struct k8tls_plan *p, const char *ks, const char *ts, const char *kpw,
                       const char *tpw, struct k8tls_store_pair *out, struct k8tls_diags *d)
{
    struct k8tls_store_set *set = &p->stores.server;
    set->source = K8TLS_SOURCE_IMPORT;
    set_str(&set->keystore_path, fx_path(ks));
    set_str(&set->truststore_path, fx_path(ts));
    set_pw(&set->keystore_password, kpw);
    set_pw(&set->truststore_password, tpw);
    memset(out, 0, sizeof *out);
    return k8tls_import_store_pair(p, set, "server", out, d);
}

START_TEST(test_good_store_pair_is_imported_as_read)
{
    struct k8tls_plan *p = plan();
    char *sans = san_conf(p);
    X509 *leaf = NULL;
    make_pair(K8TLS_FORMAT_PKCS12, "ks.p12", "ts.p12", ca, ca_key, ca, -1, 365, sans, NULL, &leaf);
    struct k8tls_store_pair sp;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = import_pair(p, "ks.p12", "ts.p12", PW, PW, &sp, &d);
    if (d.n)
        k8tls_diags_print(&d, stderr);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(d.n, 0);
    ck_assert(sp.present);
    ck_assert_int_eq(sp.format, K8TLS_FORMAT_PKCS12);
    size_t n;
    unsigned char *raw = fx_read(fx_path("ks.p12"), &n);
    ck_assert_uint_eq(sp.keystore->len, n);
    ck_assert_int_eq(memcmp(sp.keystore->data, raw, n), 0);
    free(raw);
    ck_assert_str_eq(sp.keystore_password, PW);
    ck_assert_str_eq(sp.truststore_password, PW);
    ck_assert_int_eq(X509_cmp(sp.leaf, leaf), 0);
    ck_assert_int_eq(sk_X509_num(sp.trusted), 1);
    ck_assert_int_eq(X509_cmp(sk_X509_value(sp.trusted, 0), ca), 0);
    k8tls_store_pair_clear(&sp);
    k8tls_diags_free(&d);
    X509_free(leaf);
    free(sans);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_store_pair_problems_are_each_named)
{
    struct k8tls_plan *p = plan();
    char *sans = san_conf(p);
    struct k8tls_store_pair sp;
    struct k8tls_diags d;

    /* missing SANs: a warning, the import goes on */
    make_pair(K8TLS_FORMAT_JKS, "nosan.jks", "nosan-ts.jks", ca, ca_key, ca, -1, 365, "DNS:localhost",
              NULL, NULL);
    k8tls_diags_init(&d);
    ck_assert_int_eq(import_pair(p, "nosan.jks", "nosan-ts.jks", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "lacks", fx_path("nosan.jks")));
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "127.0.0.1", fx_path("nosan.jks")));
    ck_assert_int_eq(sp.format, K8TLS_FORMAT_JKS);
    /* stores.format says pkcs12: the JKS bytes win, with a warning */
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "store_type JKS", NULL));
    k8tls_store_pair_clear(&sp);
    k8tls_diags_free(&d);

    /* wrong password */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "nosan.jks", "nosan-ts.jks", "wrong-pass-1", PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "wrong password", fx_path("nosan.jks")));
    ck_assert(!sp.present);
    k8tls_diags_free(&d);

    /* a chain that does not reach the truststore's CA */
    make_pair(K8TLS_FORMAT_PKCS12, "ks.p12", "other-ts.p12", ca, ca_key, other_ca, -1, 365, sans, NULL, NULL);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "ks.p12", "other-ts.p12", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "does not chain", fx_path("ks.p12")));
    k8tls_diags_free(&d);

    /* an expired leaf, and one expiring soon */
    make_pair(K8TLS_FORMAT_PKCS12, "old.p12", "old-ts.p12", ca, ca_key, ca, -30, -1, sans, NULL, NULL);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "old.p12", "old-ts.p12", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "expired on", fx_path("old.p12")));
    k8tls_diags_free(&d);
    make_pair(K8TLS_FORMAT_PKCS12, "soon.p12", "soon-ts.p12", ca, ca_key, ca, -30, 5, sans, NULL, NULL);
    k8tls_diags_init(&d);
    ck_assert_int_eq(import_pair(p, "soon.p12", "soon-ts.p12", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_WARNING, "expires in", fx_path("soon.p12")));
    k8tls_store_pair_clear(&sp);
    k8tls_diags_free(&d);

    /* a keystore and a truststore of different formats (K5) */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "ks.p12", "nosan-ts.jks", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "one store_type", fx_path("nosan-ts.jks")));
    k8tls_diags_free(&d);

    /* a truststore that is a PEM file; a missing keystore */
    fx_write_certs("ca.pem", ca, NULL);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "absent.p12", "ca.pem", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "not a keystore", fx_path("ca.pem")));
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "No such file", fx_path("absent.p12")));
    k8tls_diags_free(&d);

    /* no password, and a password cassandra-env.sh cannot quote (K11) */
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "ks.p12", "ts.p12", NULL, "pass$word", &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "needs its password", NULL));
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "'$'", NULL));
    k8tls_diags_free(&d);
    free(sans);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_keystore_entries_must_be_exactly_one_matching_key)
{
    struct k8tls_plan *p = plan();
    char *sans = san_conf(p);
    make_pair(K8TLS_FORMAT_JKS, "unused.jks", "ts.jks", ca, ca_key, ca, -1, 365, sans, NULL, NULL);
    EVP_PKEY *k1 = fx_key(), *k2 = fx_key();
    X509 *c1 = fx_cert(k1, "one", ca, ca_key, FX_NOT_CA, -1, 365, sans);
    X509 *c2 = fx_cert(k2, "two", ca, ca_key, FX_NOT_CA, -1, 365, sans);
    struct k8tls_store_entry v[2];
    memset(v, 0, sizeof v);
    v[0] = (struct k8tls_store_entry){ .alias = "one", .type = K8TLS_ENTRY_PRIVATE_KEY, .key = k1, .cert = c1,
                                       .chain = sk_X509_new_null() };
    v[1] = (struct k8tls_store_entry){ .alias = "two", .type = K8TLS_ENTRY_PRIVATE_KEY, .key = k2, .cert = c2,
                                       .chain = sk_X509_new_null() };
    struct k8tls_store two = { K8TLS_FORMAT_JKS, v, 2 };
    struct k8tls_secret *b = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_jks_encode(&two, PW, &b, &e) == 0, "%s", e.msg);
    write_secret("two.jks", b);
    /* a key entry whose key is not its certificate's */
    v[0].key = k2;
    struct k8tls_store mism = { K8TLS_FORMAT_JKS, v, 1 };
    ck_assert_msg(k8tls_jks_encode(&mism, PW, &b, &e) == 0, "%s", e.msg);
    write_secret("mismatch.jks", b);
    /* a truststore as keystore: no key entry */
    struct k8tls_store_pair sp;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "two.jks", "ts.jks", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "exactly one", fx_path("two.jks")));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "mismatch.jks", "ts.jks", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "does not match", fx_path("mismatch.jks")));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "ts.jks", "ts.jks", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "no private-key entry", fx_path("ts.jks")));
    k8tls_diags_free(&d);
    sk_X509_free(v[0].chain);
    sk_X509_free(v[1].chain);
    X509_free(c1);
    X509_free(c2);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    free(sans);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_openssl_truststore_without_java_trust_is_refused)
{
    struct k8tls_plan *p = plan();
    char *sans = san_conf(p);
    make_pair(K8TLS_FORMAT_PKCS12, "ks.p12", "unused.p12", ca, ca_key, ca, -1, 365, sans, NULL, NULL);
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, ca);
    PKCS12 *p12 = PKCS12_create(PW, NULL, NULL, NULL, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    fx_write("openssl-ts.p12", der, (size_t)n);
    OPENSSL_free(der);
    PKCS12_free(p12);
    struct k8tls_store_pair sp;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_ne(import_pair(p, "ks.p12", "openssl-ts.p12", PW, PW, &sp, &d), 0);
    ck_assert_ptr_nonnull(find(&d, K8TLS_SEV_ERROR, "Java's trust attribute", fx_path("openssl-ts.p12")));
    k8tls_diags_free(&d);
    free(sans);
    k8tls_plan_free(p);
}
END_TEST

/* ---- encryption.medusa: import ----------------------------------------------------------- */

static int import_medusa(const char *caf, const char *certf, const char *keyf, STACK_OF(X509) *trusted,
                         struct k8tls_material *m, struct k8tls_diags *d)
{
    struct k8tls_plan *p = plan();
    p->encryption.medusa.source = K8TLS_SOURCE_IMPORT;
    set_str(&p->encryption.medusa.import_ca, fx_path(caf));
    set_str(&p->encryption.medusa.import_cert, fx_path(certf));
    set_str(&p->encryption.medusa.import_key, fx_path(keyf));
    int rc = k8tls_import_medusa(p, trusted, m, d);
    k8tls_plan_free(p);
    return rc;
}

START_TEST(test_medusa_trio_is_checked_and_kept_as_pem)
{
    EVP_PKEY *k = fx_key(), *k2 = fx_key();
    X509 *cert = fx_cert(k, "medusa", ca, ca_key, FX_NOT_CA, -1, 365, NULL);
    X509 *foreign = fx_cert(k, "medusa", other_ca, other_ca_key, FX_NOT_CA, -1, 365, NULL);
    X509 *old = fx_cert(k, "medusa", ca, ca_key, FX_NOT_CA, -30, -1, NULL);
    fx_write_certs("rootca.crt", ca, NULL);
    fx_write_certs("client.crt_signed", cert, NULL);
    fx_write_certs("foreign.crt", foreign, NULL);
    fx_write_certs("old.crt", old, NULL);
    fx_write_key("client.key", k, NULL);
    fx_write_key("other.key", k2, NULL);
    fx_write_key("enc.key", k, "medusa-pass");
    STACK_OF(X509) *trusted = sk_X509_new_null(), *wrong_trust = sk_X509_new_null();
    sk_X509_push(trusted, ca);
    sk_X509_push(wrong_trust, other_ca);

    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(import_medusa("rootca.crt", "client.crt_signed", "client.key", trusted, m, &d), 0);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert(m->medusa_present);
    ck_assert_int_eq(X509_cmp(m->medusa_cert, cert), 0);
    ck_assert_ptr_nonnull(strstr(m->medusa_ca_pem, "BEGIN CERTIFICATE"));
    ck_assert_ptr_nonnull(strstr(m->medusa_cert_pem, "BEGIN CERTIFICATE"));
    ck_assert_ptr_nonnull(strstr((char *)m->medusa_key_pem->data, "-----BEGIN PRIVATE KEY-----"));
    k8tls_diags_free(&d);
    k8tls_material_free(m);

    struct { const char *ca, *cert, *key; STACK_OF(X509) *trust; const char *text, *file; } bad[] = {
        { "rootca.crt", "client.crt_signed", "other.key", NULL, "does not match", "other.key" },
        { "rootca.crt", "foreign.crt", "client.key", NULL, "not signed by the CA", "foreign.crt" },
        { "rootca.crt", "client.crt_signed", "enc.key", NULL, "without a password", "enc.key" },
        { "rootca.crt", "client.crt_signed", "client.key", wrong_trust, "does not trust", "rootca.crt" },
        { "rootca.crt", "old.crt", "client.key", NULL, "expired on", "old.crt" },
        { "rootca.crt", "client.crt_signed", "rootca.crt", NULL, "holds no private key", "rootca.crt" },
        { "client.crt_signed", "client.crt_signed", "client.key", NULL, "is not a CA", "client.crt_signed" },
        { "rootca.crt", "absent.crt", "client.key", NULL, "No such file", "absent.crt" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = calloc(1, sizeof *m);
        k8tls_diags_init(&d);
        ck_assert_int_ne(import_medusa(bad[i].ca, bad[i].cert, bad[i].key, bad[i].trust, m, &d), 0);
        ck_assert_msg(find(&d, K8TLS_SEV_ERROR, bad[i].text, fx_path(bad[i].file)) != NULL, "case %zu", i);
        ck_assert(!m->medusa_present);
        k8tls_diags_free(&d);
        k8tls_material_free(m);
    }
    sk_X509_free(trusted);
    sk_X509_free(wrong_trust);
    X509_free(cert);
    X509_free(foreign);
    X509_free(old);
    EVP_PKEY_free(k);
    EVP_PKEY_free(k2);
}
END_TEST

/* ---- signed by one of these CAs --------------------------------------------------------- */

/* The one "is this certificate signed by one of these CAs" check: the CA whose name is the
 * issuer and whose key verifies the signature, not a CA that only carries the same name. */
START_TEST(test_signed_by_names_the_signing_ca_not_a_same_named_one)
{
    EVP_PKEY *k = fx_key(), *impostor_key = fx_key();
    X509 *leaf = fx_cert(k, "node", ca, ca_key, FX_NOT_CA, -1, 30, NULL);
    X509 *impostor = fx_cert(impostor_key, "Import Root CA", NULL, NULL, FX_CA, -1, 3650, NULL);
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, other_ca);
    sk_X509_push(cas, impostor);
    ck_assert_int_eq(k8tls_x509_signed_by(leaf, cas), -1);
    sk_X509_push(cas, ca);
    ck_assert_int_eq(k8tls_x509_signed_by(leaf, cas), 2);
    ck_assert_int_eq(k8tls_x509_signed_by(leaf, NULL), -1);
    ck_assert(k8tls_x509_issued_by(leaf, ca));
    ck_assert(!k8tls_x509_issued_by(leaf, impostor));
    ck_assert(!k8tls_x509_issued_by(leaf, other_ca));
    ck_assert(!k8tls_x509_issued_by(ca, leaf));
    ck_assert_uint_eq(ERR_peek_error(), 0);
    sk_X509_free(cas);
    X509_free(impostor);
    X509_free(leaf);
    EVP_PKEY_free(impostor_key);
    EVP_PKEY_free(k);
}
END_TEST

/* ---- through k8tls_pki_build ------------------------------------------------------------ */

START_TEST(test_pki_build_uses_the_imported_ca_and_stores)
{
    struct k8tls_plan *p = plan();
    char *sans = san_conf(p);
    fx_write_certs("ca.crt", ca, NULL);
    fx_write_key("ca.key", ca_key, NULL);
    make_pair(K8TLS_FORMAT_PKCS12, "cks.p12", "cts.p12", ca, ca_key, ca, -1, 365, sans, NULL, NULL);
    p->ca.source = K8TLS_SOURCE_IMPORT;
    set_str(&p->ca.import_cert, fx_path("ca.crt"));
    set_str(&p->ca.import_key, fx_path("ca.key"));
    struct k8tls_store_set *c = &p->stores.client;
    c->source = K8TLS_SOURCE_IMPORT;
    set_str(&c->keystore_path, fx_path("cks.p12"));
    set_str(&c->truststore_path, fx_path("cts.p12"));
    set_pw(&c->keystore_password, PW);
    set_pw(&c->truststore_password, PW);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_material *m = NULL;
    int rc = k8tls_pki_build(p, NULL, NULL, &m, &d);
    if (rc)
        k8tls_diags_print(&d, stderr);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(X509_cmp(m->ca_cert, ca), 0);
    ck_assert(m->client.present);
    size_t n;
    unsigned char *raw = fx_read(fx_path("cks.p12"), &n);
    ck_assert_uint_eq(m->client.keystore->len, n);
    ck_assert_int_eq(memcmp(m->client.keystore->data, raw, n), 0);
    free(raw);
    /* the generated server leaf is signed by the imported CA */
    ck_assert_int_eq(X509_verify(m->server.leaf, ca_key), 1);
    k8tls_material_free(m);
    k8tls_diags_free(&d);
    free(sans);
    k8tls_plan_free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_imported_ca_with_its_encrypted_key_is_accepted);
    tcase_add_test(tc, test_ca_without_ca_true_is_refused);
    tcase_add_test(tc, test_intermediate_ca_under_a_pathlen_0_root_is_refused);
    tcase_add_test(tc, test_expired_ca_is_refused_and_one_expiring_soon_is_warned);
    tcase_add_test(tc, test_weak_rsa_or_not_yet_valid_ca_is_refused_or_warned_under_force);
    tcase_add_test(tc, test_ca_key_that_does_not_match_or_is_missing_is_refused);
    tcase_add_test(tc, test_good_store_pair_is_imported_as_read);
    tcase_add_test(tc, test_store_pair_problems_are_each_named);
    tcase_add_test(tc, test_keystore_entries_must_be_exactly_one_matching_key);
    tcase_add_test(tc, test_openssl_truststore_without_java_trust_is_refused);
    tcase_add_test(tc, test_medusa_trio_is_checked_and_kept_as_pem);
    tcase_add_test(tc, test_pki_build_uses_the_imported_ca_and_stores);
    tcase_add_test(tc, test_signed_by_names_the_signing_ca_not_a_same_named_one);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
