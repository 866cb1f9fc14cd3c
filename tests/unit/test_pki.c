/* Unit tests for the PKI: CA and leaf certificates, SANs, passwords, concurrent key generation,
 * what k8tls_pki_build produces for a plan (S5, K11, P1). */
#include "config.h"
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"

static const struct k8tls_key_spec EC256 = { .set = true, .alg = K8TLS_KEY_ECDSA,
                                             .curve = K8TLS_CURVE_P256 };
static const struct k8tls_key_spec RSA2048 = { .set = true, .alg = K8TLS_KEY_RSA, .bits = 2048 };

static EVP_PKEY *keygen(const struct k8tls_key_spec *s)
{
    struct k8tls_err e;
    EVP_PKEY *k = k8tls_pki_keygen(s, &e);
    ck_assert_msg(k != NULL, "keygen: %s", e.msg);
    return k;
}

static struct k8tls_subject subject(void)
{
    static char C[] = "FR", O[] = "YourCompany", OU[] = "SSLTestCluster", CN[] = "TestRootCA",
                empty[] = "";
    struct k8tls_subject s = { .C = C, .ST = empty, .L = NULL, .O = O, .OU = OU, .CN = CN,
                               .emailAddress = NULL };
    return s;
}

static X509 *make_ca(EVP_PKEY *key, int days)
{
    struct k8tls_err e;
    struct k8tls_subject s = subject();
    X509 *ca = k8tls_pki_make_ca(key, &s, days, &e);
    ck_assert_msg(ca != NULL, "make_ca: %s", e.msg);
    return ca;
}

/* An ECDSA plan (fast) from the defaults. */
static struct k8tls_plan *ec_plan(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key = EC256;
    return p;
}

static bool in_list(char **v, const char *s)
{
    for (; *v; v++)
        if (strcmp(*v, s) == 0)
            return true;
    return false;
}

static size_t count(char **v)
{
    size_t n = 0;
    while (v[n])
        n++;
    return n;
}

START_TEST(test_ca_is_v3_with_critical_ca_true_and_cert_sign)
{
    EVP_PKEY *k = keygen(&EC256);
    X509 *ca = make_ca(k, 3650);
    ck_assert_int_eq(X509_get_version(ca), X509_VERSION_3);
    int i = X509_get_ext_by_NID(ca, NID_basic_constraints, -1);
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(X509_EXTENSION_get_critical(X509_get_ext(ca, i)), 1);
    ck_assert(X509_get_extension_flags(ca) & EXFLAG_CA);
    ck_assert_int_eq(X509_check_ca(ca), 1);
    i = X509_get_ext_by_NID(ca, NID_key_usage, -1);
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(X509_EXTENSION_get_critical(X509_get_ext(ca, i)), 1);
    ck_assert_uint_eq(X509_get_key_usage(ca), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
    /* key ids: the authority key id of a root is its own subject key id */
    const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(ca);
    const ASN1_OCTET_STRING *akid = X509_get0_authority_key_id(ca);
    ck_assert_ptr_nonnull(skid);
    ck_assert_ptr_nonnull(akid);
    ck_assert_int_eq(ASN1_OCTET_STRING_cmp(skid, akid), 0);
    /* self-signed with SHA-256 */
    ck_assert_int_eq(X509_verify(ca, k), 1);
    ck_assert_int_eq(X509_get_signature_nid(ca), NID_ecdsa_with_SHA256);
    /* the subject skips empty fields, in C, O, OU, CN order */
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(ca), buf, sizeof buf);
    ck_assert_str_eq(buf, "/C=FR/O=YourCompany/OU=SSLTestCluster/CN=TestRootCA");
    /* validity: about validity_days from now */
    int days, secs;
    ck_assert(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(ca), X509_get0_notAfter(ca)));
    ck_assert_int_eq(days, 3650);
    X509_free(ca);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_ca_with_rsa_key_signs_sha256_with_rsa)
{
    EVP_PKEY *k = keygen(&RSA2048);
    X509 *ca = make_ca(k, 100);
    ck_assert_int_eq(X509_get_signature_nid(ca), NID_sha256WithRSAEncryption);
    X509_free(ca);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_ca_refuses_bad_country_and_empty_subject)
{
    EVP_PKEY *k = keygen(&EC256);
    struct k8tls_err e;
    struct k8tls_subject s = subject();
    char bad[] = "FRA";
    s.C = bad;
    ck_assert_ptr_null(k8tls_pki_make_ca(k, &s, 10, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "C"));
    struct k8tls_subject none = { 0 };
    ck_assert_ptr_null(k8tls_pki_make_ca(k, &none, 10, &e));
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_serials_are_random_positive_and_128_bit)
{
    EVP_PKEY *k = keygen(&EC256);
    BIGNUM *prev = NULL;
    for (int i = 0; i < 20; i++) {
        X509 *ca = make_ca(k, 10);
        BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(ca), NULL);
        ck_assert(!BN_is_negative(bn));
        ck_assert_int_eq(BN_num_bytes(bn), 16);   /* 128-bit, at most 20 octets (RFC 5280) */
        ck_assert_int_le(BN_num_bits(bn), 127);   /* positive without a leading zero octet */
        if (prev)
            ck_assert_int_ne(BN_cmp(prev, bn), 0);
        BN_free(prev);
        prev = bn;
        X509_free(ca);
    }
    BN_free(prev);
    EVP_PKEY_free(k);
}
END_TEST

static X509 *leaf_of(X509 *ca, EVP_PKEY *cakey, EVP_PKEY *key, char *const *sans, bool srv,
                     bool cli, int days, bool *capped)
{
    struct k8tls_err e;
    struct k8tls_leaf_params lp = { .cn = "test-server", .sans = sans, .server_auth = srv,
                                    .client_auth = cli, .validity_days = days };
    X509 *x = k8tls_pki_make_leaf(ca, cakey, key, &lp, capped, &e);
    ck_assert_msg(x != NULL, "make_leaf: %s", e.msg);
    return x;
}

START_TEST(test_leaf_validity_is_capped_at_the_ca_end)
{
    EVP_PKEY *cak = keygen(&EC256), *k = keygen(&EC256);
    X509 *ca = make_ca(cak, 30);
    bool capped = false;
    X509 *leaf = leaf_of(ca, cak, k, NULL, true, true, 3650, &capped);
    ck_assert(capped);
    ck_assert_int_eq(ASN1_TIME_compare(X509_get0_notAfter(leaf), X509_get0_notAfter(ca)), 0);
    X509_free(leaf);
    leaf = leaf_of(ca, cak, k, NULL, true, true, 10, &capped);
    ck_assert(!capped);
    ck_assert_int_lt(ASN1_TIME_compare(X509_get0_notAfter(leaf), X509_get0_notAfter(ca)), 0);
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(k);
}
END_TEST

/* An imported CA made by another tool may have no subjectKeyIdentifier: its leaves still get an
 * authority key identifier (issuer + serial) and verify against it. */
START_TEST(test_leaf_signed_by_a_ca_without_key_identifier_verifies)
{
    EVP_PKEY *cak = keygen(&EC256), *k = keygen(&EC256);
    X509 *ca = X509_new();
    X509_set_version(ca, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(ca), 7);
    X509_NAME *n = X509_get_subject_name(ca);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"Bare CA", -1, -1, 0);
    X509_set_issuer_name(ca, n);
    X509_gmtime_adj(X509_getm_notBefore(ca), -60);
    X509_gmtime_adj(X509_getm_notAfter(ca), 86400L * 30);
    X509_set_pubkey(ca, cak);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca, ca, NULL, NULL, 0);
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(ca, bc, -1);
    X509_EXTENSION_free(bc);
    ck_assert_int_gt(X509_sign(ca, cak, EVP_sha256()), 0);
    ck_assert_ptr_null(X509_get0_subject_key_id(ca));

    X509 *leaf = leaf_of(ca, cak, k, NULL, true, true, 10, NULL);
    AUTHORITY_KEYID *akid = X509_get_ext_d2i(leaf, NID_authority_key_identifier, NULL, NULL);
    ck_assert_ptr_nonnull(akid);
    ck_assert_ptr_nonnull(akid->issuer);
    AUTHORITY_KEYID_free(akid);
    X509_STORE *st = X509_STORE_new();
    X509_STORE_add_cert(st, ca);
    X509_STORE_CTX *vc = X509_STORE_CTX_new();
    X509_STORE_CTX_init(vc, st, leaf, NULL);
    ck_assert_int_eq(X509_verify_cert(vc), 1);
    X509_STORE_CTX_free(vc);
    X509_STORE_free(st);
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(k);
}
END_TEST

/* An EdDSA CA (imported: the wizard makes RSA and ECDSA CAs) signs ECDSA and RSA leaves: EdDSA
 * takes no separate digest, and the leaves verify in a chain against it. */
START_TEST(test_eddsa_ca_signs_ecdsa_and_rsa_leaves)
{
    static const char *const algs[] = { "ED25519", "ED448" };
    EVP_PKEY *ec = keygen(&EC256), *rsa = keygen(&RSA2048);
    for (size_t a = 0; a < 2; a++) {
        EVP_PKEY *cak = EVP_PKEY_Q_keygen(NULL, NULL, algs[a]);
        ck_assert_ptr_nonnull(cak);
        X509 *ca = make_ca(cak, 365);
        ck_assert_int_eq(X509_verify(ca, cak), 1);
        EVP_PKEY *leaf_keys[] = { ec, rsa };
        for (size_t i = 0; i < 2; i++) {
            X509 *leaf = leaf_of(ca, cak, leaf_keys[i], NULL, true, true, 30, NULL);
            ck_assert_int_eq(X509_get_signature_nid(leaf),
                             a == 0 ? NID_ED25519 : NID_ED448);
            X509_STORE *st = X509_STORE_new();
            X509_STORE_add_cert(st, ca);
            X509_STORE_CTX *vc = X509_STORE_CTX_new();
            X509_STORE_CTX_init(vc, st, leaf, NULL);
            ck_assert_msg(X509_verify_cert(vc) == 1, "%s CA, leaf %zu: %s", algs[a], i,
                          X509_verify_cert_error_string(X509_STORE_CTX_get_error(vc)));
            X509_STORE_CTX_free(vc);
            X509_STORE_free(st);
            X509_free(leaf);
        }
        X509_free(ca);
        EVP_PKEY_free(cak);
    }
    EVP_PKEY_free(ec);
    EVP_PKEY_free(rsa);
}
END_TEST

START_TEST(test_leaf_extensions_chain_and_key_usage_per_algorithm)
{
    EVP_PKEY *cak = keygen(&EC256), *ek = keygen(&EC256), *rk = keygen(&RSA2048);
    X509 *ca = make_ca(cak, 365);
    X509 *el = leaf_of(ca, cak, ek, NULL, true, true, 100, NULL);
    X509 *rl = leaf_of(ca, cak, rk, NULL, true, true, 100, NULL);
    X509 *ml = leaf_of(ca, cak, ek, NULL, false, true, 100, NULL);

    ck_assert_int_eq(X509_verify(el, cak), 1);
    ck_assert_int_eq(X509_check_issued(ca, el), X509_V_OK);
    ck_assert_int_eq(X509_check_ca(el), 0);
    ck_assert_int_eq(X509_get_version(el), X509_VERSION_3);
    ck_assert_uint_eq(X509_get_key_usage(el), KU_DIGITAL_SIGNATURE);
    ck_assert_uint_eq(X509_get_key_usage(rl), KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
    ck_assert_uint_eq(X509_get_extended_key_usage(el), XKU_SSL_SERVER | XKU_SSL_CLIENT);
    ck_assert_uint_eq(X509_get_extended_key_usage(ml), XKU_SSL_CLIENT);
    ck_assert_int_eq(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(el),
                                           X509_get0_subject_key_id(ca)), 0);
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(el), buf, sizeof buf);
    ck_assert_str_eq(buf, "/O=YourCompany/OU=SSLTestCluster/CN=test-server");
    X509_free(el);
    X509_free(rl);
    X509_free(ml);
    X509_free(ca);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(ek);
    EVP_PKEY_free(rk);
}
END_TEST

START_TEST(test_leaf_sans_put_ip_literals_in_ip_sans)
{
    EVP_PKEY *cak = keygen(&EC256), *k = keygen(&EC256);
    X509 *ca = make_ca(cak, 365);
    char a[] = "localhost", b[] = "127.0.0.1", c[] = "::1", d[] = "*.x.ns.svc";
    char *sans[] = { a, b, c, d, NULL };
    X509 *leaf = leaf_of(ca, cak, k, sans, true, true, 100, NULL);
    GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    ck_assert_ptr_nonnull(gens);
    ck_assert_int_eq(sk_GENERAL_NAME_num(gens), 4);
    int type;
    ASN1_STRING *v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, 0), &type);
    ck_assert_int_eq(type, GEN_DNS);
    ck_assert_str_eq((const char *)ASN1_STRING_get0_data(v), "localhost");
    v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, 1), &type);
    ck_assert_int_eq(type, GEN_IPADD);
    ck_assert_int_eq(ASN1_STRING_length(v), 4);
    ck_assert_mem_eq(ASN1_STRING_get0_data(v), "\x7f\0\0\x01", 4);
    v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, 2), &type);
    ck_assert_int_eq(type, GEN_IPADD);
    ck_assert_int_eq(ASN1_STRING_length(v), 16);
    v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, 3), &type);
    ck_assert_int_eq(type, GEN_DNS);
    ck_assert_int_eq(X509_check_host(leaf, "pod-1.x.ns.svc", 0, 0, NULL), 1);
    ck_assert_int_eq(X509_check_ip_asc(leaf, "127.0.0.1", 0), 1);
    GENERAL_NAMES_free(gens);
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_node_sans_cover_every_datacenter_service_and_extra_sans)
{
    struct k8tls_plan *p = ec_plan();
    /* a second datacenter and extra SANs */
    struct k8tls_dc *dcs = realloc(p->cluster.dcs, 2 * sizeof *dcs);
    ck_assert_ptr_nonnull(dcs);
    p->cluster.dcs = dcs;
    memset(&dcs[1], 0, sizeof dcs[1]);
    dcs[1].name = strdup("dc2");
    dcs[1].size = 3;
    dcs[1].k8s_context = strdup("");
    p->cluster.n_dcs = 2;
    p->certificates.extra_sans = calloc(2, sizeof(char *));
    p->certificates.extra_sans[0] = strdup("10.0.0.9");
    p->certificates.extra_sans[1] = strdup("cassandra.example.org");
    p->certificates.n_extra_sans = 2;

    char **v = k8tls_pki_node_sans(p);
    ck_assert_ptr_nonnull(v);
    const char *ns = "k8ssandra-operator";
    char name[256];
    ck_assert_str_eq(v[0], "localhost");
    ck_assert_str_eq(v[1], "127.0.0.1");
    const char *dcn[] = { "dc1", "dc2" };
    const char *sfx[] = { "svc", "svc.cluster.local" };
    for (int d = 0; d < 2; d++)
        for (int s = 0; s < 2; s++) {
            snprintf(name, sizeof name, "test-%s-service.%s.%s", dcn[d], ns, sfx[s]);
            ck_assert_msg(in_list(v, name), "missing %s", name);
            snprintf(name, sizeof name, "test-%s-all-pods-service.%s.%s", dcn[d], ns, sfx[s]);
            ck_assert_msg(in_list(v, name), "missing %s", name);
            snprintf(name, sizeof name, "*.test-%s-all-pods-service.%s.%s", dcn[d], ns, sfx[s]);
            ck_assert_msg(in_list(v, name), "missing %s", name);
            snprintf(name, sizeof name, "test-seed-service.%s.%s", ns, sfx[s]);
            ck_assert_msg(in_list(v, name), "missing %s", name);
        }
    ck_assert(in_list(v, "10.0.0.9"));
    ck_assert(in_list(v, "cassandra.example.org"));
    /* 2 + 2 DCs x 2 suffixes x 3 names + 2 seed names (once) + 2 extra */
    ck_assert_uint_eq(count(v), 2 + 12 + 2 + 2);
    k8tls_strv_free(v);
    k8tls_plan_free(p);
}
END_TEST

/* ---- concurrency (P1) ------------------------------------------------------------------- */

struct rendezvous {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int entered, calls, max_done;
    bool timed_out;
    pthread_t threads[8];
};

/* Each progress callback waits until every key's callback has been entered: possible only if
 * the keys are made on different threads at the same time (a sequential build would stall here
 * and time out). */
static void rendezvous_cb(void *ud, int done, int total, const char *label)
{
    struct rendezvous *r = ud;
    (void)label;
    pthread_mutex_lock(&r->lock);
    r->threads[r->entered++ % 8] = pthread_self();
    if (done > r->max_done)
        r->max_done = done;
    r->calls++;
    pthread_cond_broadcast(&r->cond);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;   /* a guard against hanging, not a timing assertion */
    while (r->entered < total && !r->timed_out)
        if (pthread_cond_timedwait(&r->cond, &r->lock, &until) != 0)
            r->timed_out = true;
    pthread_mutex_unlock(&r->lock);
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

START_TEST(test_four_keys_are_generated_concurrently)
{
    struct k8tls_keygen_job jobs[4] = {
        { .label = "CA", .spec = RSA2048 }, { .label = "server", .spec = RSA2048 },
        { .label = "client", .spec = RSA2048 }, { .label = "medusa", .spec = RSA2048 },
    };
    struct rendezvous r = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_pki_keygen_parallel(jobs, 4, rendezvous_cb, &r, &e), 0);
    ck_assert_msg(!r.timed_out, "the key callbacks never ran at the same time");
    ck_assert_int_eq(r.calls, 4);
    ck_assert_int_eq(r.max_done, 4);
    /* four different worker threads... */
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) {
            ck_assert(!pthread_equal(r.threads[i], r.threads[j]));
            ck_assert_uint_ne(jobs[i].thread, jobs[j].thread);
        }
    /* ...whose generation intervals overlap: every key started before any key finished */
    for (int i = 0; i < 4; i++) {
        ck_assert_ptr_nonnull(jobs[i].key);
        ck_assert(EVP_PKEY_is_a(jobs[i].key, "RSA"));
        ck_assert_int_eq(EVP_PKEY_get_bits(jobs[i].key), 2048);
        for (int j = 0; j < 4; j++)
            ck_assert_msg(ts_before(&jobs[i].started, &jobs[j].finished),
                          "key %d started after key %d finished", i, j);
    }
    for (int i = 0; i < 4; i++)
        EVP_PKEY_free(jobs[i].key);
}
END_TEST

START_TEST(test_keygen_failure_names_the_key_and_frees_the_others)
{
    struct k8tls_key_spec bad = { .set = true, .alg = K8TLS_KEY_RSA, .bits = 1024 };
    struct k8tls_keygen_job jobs[2] = { { .label = "CA", .spec = EC256 },
                                        { .label = "server", .spec = bad } };
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_pki_keygen_parallel(jobs, 2, NULL, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "server"));
    ck_assert_ptr_nonnull(strstr(e.msg, "1024"));
    ck_assert_ptr_null(jobs[0].key);
    ck_assert_ptr_null(jobs[1].key);
}
END_TEST

START_TEST(test_key_spec_of_reads_back_algorithm_and_size)
{
    struct k8tls_key_spec s;
    struct k8tls_key_spec p384 = { .set = true, .alg = K8TLS_KEY_ECDSA, .curve = K8TLS_CURVE_P384 };
    EVP_PKEY *k = keygen(&p384);
    ck_assert_int_eq(k8tls_pki_key_spec_of(k, &s), 0);
    ck_assert_int_eq(s.alg, K8TLS_KEY_ECDSA);
    ck_assert_int_eq(s.curve, K8TLS_CURVE_P384);
    EVP_PKEY_free(k);
    k = keygen(&RSA2048);
    ck_assert_int_eq(k8tls_pki_key_spec_of(k, &s), 0);
    ck_assert_int_eq(s.alg, K8TLS_KEY_RSA);
    ck_assert_int_eq(s.bits, 2048);
    EVP_PKEY_free(k);
}
END_TEST

/* ---- k8tls_pki_build ------------------------------------------------------------------- */

struct progress_log {
    pthread_mutex_t lock;
    int calls, max_done, total;
    char labels[64];
};

static void log_cb(void *ud, int done, int total, const char *label)
{
    struct progress_log *l = ud;
    pthread_mutex_lock(&l->lock);
    l->calls++;
    if (done > l->max_done)
        l->max_done = done;
    l->total = total;
    strncat(l->labels, label, sizeof l->labels - strlen(l->labels) - 2);
    strcat(l->labels, " ");
    pthread_mutex_unlock(&l->lock);
}

static struct k8tls_material *build(struct k8tls_plan *p, struct k8tls_diags *d,
                                    struct progress_log *log)
{
    struct k8tls_material *m = NULL;
    k8tls_diags_init(d);
    int rc = k8tls_pki_build(p, log ? log_cb : NULL, log, &m, d);
    if (rc != 0)
        k8tls_diags_print(d, stderr);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(m);
    return m;
}

static bool k11(const char *pw)
{
    return pw && strlen(pw) >= 12 && strspn(pw, K8TLS_PASSWORD_ALPHABET) == strlen(pw);
}

START_TEST(test_build_makes_every_part_of_the_default_plan)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_diags d;
    struct progress_log log = { .lock = PTHREAD_MUTEX_INITIALIZER };
    struct k8tls_material *m = build(p, &d, &log);

    ck_assert_int_eq(log.calls, 4);
    ck_assert_int_eq(log.max_done, 4);
    ck_assert_int_eq(log.total, 4);
    for (const char *l = "CA\0server\0client\0medusa\0"; *l; l += strlen(l) + 1)
        ck_assert_msg(strstr(log.labels, l), "no progress for %s: %s", l, log.labels);

    ck_assert_ptr_nonnull(m->ca_cert);
    ck_assert_ptr_nonnull(m->ca_key);
    ck_assert_ptr_nonnull(strstr(m->ca_cert_pem, "BEGIN CERTIFICATE"));
    ck_assert_ptr_nonnull(strstr((char *)m->ca_key_pem->data, "BEGIN PRIVATE KEY"));
    ck_assert(m->server.present && m->client.present && m->medusa_present);
    ck_assert_int_eq(m->server.format, K8TLS_FORMAT_PKCS12);
    ck_assert_ptr_nonnull(strstr(m->medusa_ca_pem, "BEGIN CERTIFICATE"));
    ck_assert_ptr_nonnull(strstr(m->medusa_cert_pem, "BEGIN CERTIFICATE"));
    ck_assert_ptr_nonnull(strstr((char *)m->medusa_key_pem->data, "BEGIN PRIVATE KEY"));
    ck_assert_ptr_null(strstr((char *)m->medusa_key_pem->data, "ENCRYPTED"));

    /* K11: four distinct generated passwords from the alphabet */
    const char *pw[4] = { m->server.keystore_password, m->server.truststore_password,
                          m->client.keystore_password, m->client.truststore_password };
    for (int i = 0; i < 4; i++) {
        ck_assert_msg(k11(pw[i]), "password %d: %s", i, pw[i]);
        for (int j = i + 1; j < 4; j++)
            ck_assert_str_ne(pw[i], pw[j]);
    }
    /* leaves: signed by the CA, EC like the CA, node names; Medusa CN client */
    struct k8tls_store_pair *pairs[2] = { &m->server, &m->client };
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(X509_verify(pairs[i]->leaf, m->ca_key), 1);
        ck_assert(EVP_PKEY_is_a(X509_get0_pubkey(pairs[i]->leaf), "EC"));
        ck_assert_int_eq(X509_check_host(pairs[i]->leaf,
                                         "test-dc1-service.k8ssandra-operator.svc.cluster.local",
                                         0, 0, NULL), 1);
        ck_assert_int_eq(sk_X509_num(pairs[i]->trusted), 1);
        ck_assert_int_eq(X509_cmp(sk_X509_value(pairs[i]->trusted, 0), m->ca_cert), 0);
        ck_assert_uint_gt(pairs[i]->keystore->len, 100);
        ck_assert_uint_gt(pairs[i]->truststore->len, 100);
    }
    ck_assert_int_eq(X509_verify(m->medusa_cert, m->ca_key), 1);
    ck_assert_uint_eq(X509_get_extended_key_usage(m->medusa_cert), XKU_SSL_CLIENT);
    /* the server keystore opens with its password and holds the server key */
    const unsigned char *q = m->server.keystore->data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)m->server.keystore->len);
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    ck_assert_ptr_nonnull(p12);
    ck_assert_int_eq(PKCS12_parse(p12, m->server.keystore_password, &key, &cert, &ca), 1);
    ck_assert_int_eq(X509_cmp(cert, m->server.leaf), 0);
    ck_assert_int_eq(X509_check_private_key(cert, key), 1);
    ck_assert_int_eq(sk_X509_num(ca), 1);
    PKCS12_free(p12);
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);

    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_WARNING), 0);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_build_uses_the_passwords_the_plan_gives)
{
    struct k8tls_plan *p = ec_plan();
    p->stores.format = K8TLS_FORMAT_JKS;
    p->stores.server.keystore_password.value = strdup("given-keystore-pw");
    p->stores.client.truststore_password.ref = strdup("env:K8TLS_TEST_TS_PW");
    setenv("K8TLS_TEST_TS_PW", "from-the-env-42", 1);
    struct k8tls_diags d;
    struct k8tls_material *m = build(p, &d, NULL);
    ck_assert_str_eq(m->server.keystore_password, "given-keystore-pw");
    ck_assert_str_eq(m->client.truststore_password, "from-the-env-42");
    ck_assert(k11(m->server.truststore_password));
    ck_assert_int_eq(m->server.format, K8TLS_FORMAT_JKS);
    ck_assert_mem_eq(m->server.keystore->data, "\xfe\xed\xfe\xed", 4);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_build_leaves_out_what_the_plan_does_not_want)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_diags d;
    struct progress_log log = { .lock = PTHREAD_MUTEX_INITIALIZER };

    /* no internode encryption: no server stores */
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    struct k8tls_material *m = build(p, &d, &log);
    ck_assert(!m->server.present && m->client.present && m->medusa_present);
    ck_assert_int_eq(log.total, 3);
    k8tls_diags_free(&d);
    k8tls_material_free(m);

    /* client stores reuse the server Secret: no client pair */
    p->encryption.internode.mode = K8TLS_INTERNODE_ALL;
    p->stores.client.source = K8TLS_SOURCE_REUSE;
    m = build(p, &d, NULL);
    ck_assert(m->server.present && !m->client.present && m->medusa_present);
    ck_assert_int_eq(X509_verify(m->medusa_cert, m->ca_key), 1);
    k8tls_diags_free(&d);
    k8tls_material_free(m);

    /* client encryption off: no client stores, no Medusa certificate */
    p->stores.client.source = K8TLS_SOURCE_GENERATE;
    p->encryption.client.enabled = false;
    m = build(p, &d, NULL);
    ck_assert(m->server.present && !m->client.present && !m->medusa_present);
    ck_assert_ptr_null(m->medusa_key_pem);
    ck_assert_ptr_nonnull(m->ca_cert);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_build_leaf_keys_follow_certificates_key_when_set)
{
    struct k8tls_plan *p = ec_plan();
    p->certificates.key = (struct k8tls_key_spec){ .set = true, .alg = K8TLS_KEY_ECDSA,
                                                   .curve = K8TLS_CURVE_P384 };
    struct k8tls_diags d;
    struct k8tls_material *m = build(p, &d, NULL);
    ck_assert_int_eq(EVP_PKEY_get_bits(X509_get0_pubkey(m->ca_cert)), 256);
    ck_assert_int_eq(EVP_PKEY_get_bits(X509_get0_pubkey(m->server.leaf)), 384);
    ck_assert_int_eq(EVP_PKEY_get_bits(X509_get0_pubkey(m->medusa_cert)), 384);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_build_warns_about_a_short_lived_ca_and_caps_leaves)
{
    struct k8tls_plan *p = ec_plan();
    p->ca.validity_days = 100;
    struct k8tls_diags d;
    struct k8tls_material *m = build(p, &d, NULL);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_WARNING), 1);
    bool found = false;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].sev == K8TLS_SEV_WARNING && d.v[i].path
            && strcmp(d.v[i].path, "ca.validityDays") == 0 && strstr(d.v[i].msg, "100"))
            found = true;
    ck_assert(found);
    ck_assert_int_eq(ASN1_TIME_compare(X509_get0_notAfter(m->server.leaf),
                                       X509_get0_notAfter(m->ca_cert)), 0);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_build_reports_a_missing_password_reference)
{
    struct k8tls_plan *p = ec_plan();
    p->stores.server.keystore_password.ref = strdup("env:K8TLS_TEST_UNSET_PW_XYZ");
    unsetenv("K8TLS_TEST_UNSET_PW_XYZ");
    struct k8tls_diags d;
    struct k8tls_material *m = (void *)1;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_pki_build(p, NULL, NULL, &m, &d), -1);
    ck_assert_ptr_null(m);
    ck_assert_uint_ge(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 1);
    ck_assert_str_eq(d.v[0].path, "stores.server.keystorePassword");
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_rotation_blocks_truststore_with_two_cas_and_resign_with_existing_ca)
{
    EVP_PKEY *oldk = keygen(&EC256), *newk = keygen(&EC256), *leafk = keygen(&EC256);
    X509 *oldca = make_ca(oldk, 365), *newca = make_ca(newk, 365);
    X509 *leaf = leaf_of(newca, newk, leafk, NULL, true, true, 100, NULL);
    STACK_OF(X509) *chain = sk_X509_new_null(), *trusted = sk_X509_new_null();
    sk_X509_push(chain, newca);
    sk_X509_push(trusted, oldca);
    sk_X509_push(trusted, newca);
    struct k8tls_store_pair sp;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_pki_make_store_pair(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "server",
                                               leafk, leaf, chain, trusted, "ks-password-1",
                                               "ts-password-1", &sp, &e), 0);
    ck_assert(sp.present);
    ck_assert_int_eq(sk_X509_num(sp.trusted), 2);
    ck_assert_str_eq(sp.truststore_password, "ts-password-1");
    k8tls_store_pair_clear(&sp);
    ck_assert(!sp.present);
    ck_assert_ptr_null(sp.keystore);
    /* no password, no store (S4) */
    ck_assert_int_eq(k8tls_pki_make_store_pair(K8TLS_FORMAT_JKS, K8TLS_P12_MODERN, "server", leafk,
                                               leaf, chain, trusted, "", "x-password-1", &sp, &e),
                     -1);
    ck_assert(!sp.present);
    sk_X509_free(chain);
    sk_X509_free(trusted);
    X509_free(leaf);
    X509_free(oldca);
    X509_free(newca);
    EVP_PKEY_free(oldk);
    EVP_PKEY_free(newk);
    EVP_PKEY_free(leafk);
}
END_TEST

static char *write_tmp(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

START_TEST(test_an_imported_ca_signs_the_generated_leaves_with_its_algorithm)
{
    struct k8tls_key_spec p384 = { .set = true, .alg = K8TLS_KEY_ECDSA, .curve = K8TLS_CURVE_P384 };
    EVP_PKEY *cak = keygen(&p384);
    X509 *ca = make_ca(cak, 365);
    struct k8tls_err e;
    char dir[] = "/tmp/k8tls-test-pki.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *pem = k8tls_pki_cert_pem(ca, &e);
    struct k8tls_secret *kpem = k8tls_pki_key_pem(cak, &e);
    char *cpath = write_tmp(dir, "ca.crt", pem, strlen(pem));
    char *kpath = write_tmp(dir, "ca.key", kpem->data, kpem->len);

    struct k8tls_plan *p = ec_plan();   /* plan says P-256: the imported P-384 CA wins */
    p->ca.source = K8TLS_SOURCE_IMPORT;
    p->ca.import_cert = strdup(cpath);
    p->ca.import_key = strdup(kpath);
    struct k8tls_diags d;
    struct progress_log log = { .lock = PTHREAD_MUTEX_INITIALIZER };
    struct k8tls_material *m = build(p, &d, &log);
    ck_assert_int_eq(log.total, 3);          /* no CA key to make */
    ck_assert_int_eq(X509_cmp(m->ca_cert, ca), 0);
    ck_assert_int_eq(X509_verify(m->server.leaf, cak), 1);
    ck_assert_int_eq(X509_verify(m->client.leaf, cak), 1);
    ck_assert_int_eq(X509_verify(m->medusa_cert, cak), 1);
    ck_assert_int_eq(EVP_PKEY_get_bits(X509_get0_pubkey(m->server.leaf)), 384);
    ck_assert_int_eq(X509_cmp(sk_X509_value(m->server.trusted, 0), ca), 0);
    k8tls_diags_free(&d);
    k8tls_material_free(m);

    /* without its key the CA cannot sign: a clear error, no material */
    free(p->ca.import_key);
    p->ca.import_key = NULL;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_pki_build(p, NULL, NULL, &m, &d), -1);
    ck_assert_ptr_null(m);
    ck_assert_uint_ge(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 1);
    k8tls_diags_free(&d);

    unlink(cpath);
    unlink(kpath);
    rmdir(dir);
    free(cpath);
    free(kpath);
    free(pem);
    k8tls_secret_free(kpem);
    k8tls_plan_free(p);
    X509_free(ca);
    EVP_PKEY_free(cak);
}
END_TEST

START_TEST(test_material_free_accepts_null)
{
    k8tls_material_free(NULL);
    k8tls_store_pair_clear(NULL);
}
END_TEST

/* k8tls_err_set_openssl, used by the PKI and the store writers after a failed OpenSSL call. */
START_TEST(test_openssl_errors_name_the_reason_and_empty_the_queue)
{
    struct k8tls_err e;
    static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01 };
    const unsigned char *q = junk;
    ERR_clear_error();
    ck_assert_ptr_null(d2i_X509(NULL, &q, sizeof junk));
    ck_assert_uint_ne(ERR_peek_error(), 0);
    k8tls_err_clear(&e);
    k8tls_err_set_openssl(&e, "cannot read it");
    ck_assert_msg(strncmp(e.msg, "cannot read it: error:", 22) == 0, "%s", e.msg);
    ck_assert_uint_eq(ERR_peek_error(), 0);

    k8tls_err_set_openssl(&e, "nothing queued");
    ck_assert_str_eq(e.msg, "nothing queued");

    q = junk;
    ck_assert_ptr_null(d2i_X509(NULL, &q, sizeof junk));
    k8tls_err_set_openssl(NULL, "no error to fill");
    ck_assert_uint_eq(ERR_peek_error(), 0);
}
END_TEST

/* k8tls_pki_certs_pem: truststore CAs for Medusa's rootca.crt (rotation, import). */
START_TEST(test_several_certificates_are_one_pem_text_in_order)
{
    EVP_PKEY *k1 = keygen(&EC256), *k2 = keygen(&EC256);
    X509 *a = make_ca(k1, 30), *b = make_ca(k2, 60);
    STACK_OF(X509) *sk = sk_X509_new_null();
    struct k8tls_err e;
    char *none = k8tls_pki_certs_pem(sk, &e);
    ck_assert_ptr_nonnull(none);
    ck_assert_str_eq(none, "");
    free(none);

    ck_assert(sk_X509_push(sk, a) && sk_X509_push(sk, b));
    char *both = k8tls_pki_certs_pem(sk, &e);
    char *pa = k8tls_pki_cert_pem(a, &e), *pb = k8tls_pki_cert_pem(b, &e);
    ck_assert_ptr_nonnull(both);
    ck_assert_ptr_nonnull(pa);
    ck_assert_ptr_nonnull(pb);
    ck_assert_uint_eq(strlen(both), strlen(pa) + strlen(pb));
    ck_assert(strncmp(both, pa, strlen(pa)) == 0);
    ck_assert_str_eq(both + strlen(pa), pb);

    /* OpenSSL reads them back, in order */
    BIO *bio = BIO_new_mem_buf(both, -1);
    X509 *r1 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    X509 *r2 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(r1);
    ck_assert_ptr_nonnull(r2);
    ck_assert_int_eq(X509_cmp(r1, a), 0);
    ck_assert_int_eq(X509_cmp(r2, b), 0);
    BIO_free(bio);
    X509_free(r1);
    X509_free(r2);
    free(both);
    free(pa);
    free(pb);
    sk_X509_pop_free(sk, X509_free);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pki");
    TCase *tc = tcase_create("certificates");
    tcase_add_test(tc, test_ca_is_v3_with_critical_ca_true_and_cert_sign);
    tcase_add_test(tc, test_openssl_errors_name_the_reason_and_empty_the_queue);
    tcase_add_test(tc, test_several_certificates_are_one_pem_text_in_order);
    tcase_add_test(tc, test_ca_with_rsa_key_signs_sha256_with_rsa);
    tcase_add_test(tc, test_ca_refuses_bad_country_and_empty_subject);
    tcase_add_test(tc, test_serials_are_random_positive_and_128_bit);
    tcase_add_test(tc, test_leaf_validity_is_capped_at_the_ca_end);
    tcase_add_test(tc, test_leaf_extensions_chain_and_key_usage_per_algorithm);
    tcase_add_test(tc, test_leaf_sans_put_ip_literals_in_ip_sans);
    tcase_add_test(tc, test_leaf_signed_by_a_ca_without_key_identifier_verifies);
    tcase_add_test(tc, test_eddsa_ca_signs_ecdsa_and_rsa_leaves);
    tcase_add_test(tc, test_node_sans_cover_every_datacenter_service_and_extra_sans);
    suite_add_tcase(s, tc);
    tc = tcase_create("keys");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_four_keys_are_generated_concurrently);
    tcase_add_test(tc, test_keygen_failure_names_the_key_and_frees_the_others);
    tcase_add_test(tc, test_key_spec_of_reads_back_algorithm_and_size);
    suite_add_tcase(s, tc);
    tc = tcase_create("build");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_build_makes_every_part_of_the_default_plan);
    tcase_add_test(tc, test_build_uses_the_passwords_the_plan_gives);
    tcase_add_test(tc, test_build_leaves_out_what_the_plan_does_not_want);
    tcase_add_test(tc, test_build_leaf_keys_follow_certificates_key_when_set);
    tcase_add_test(tc, test_build_warns_about_a_short_lived_ca_and_caps_leaves);
    tcase_add_test(tc, test_build_reports_a_missing_password_reference);
    tcase_add_test(tc, test_rotation_blocks_truststore_with_two_cas_and_resign_with_existing_ca);
    tcase_add_test(tc, test_an_imported_ca_signs_the_generated_leaves_with_its_algorithm);
    tcase_add_test(tc, test_material_free_accepts_null);
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
