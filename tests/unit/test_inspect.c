/* The inspect core (include/k8tls/inspect.h) as the TUI and rotation use it: in-memory blobs
 * (a Secret's data) are reported with their checks, and hostile input (random bytes, damaged
 * stores, PEM and YAML) never crashes it and always ends in a report (fixed seeds). */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include "k8tls/inspect.h"
#include "k8tls/store.h"
#include "pki_fixtures.h"

#define PW "inspect-pass-1"

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca, *leaf;
static struct k8tls_secret *ks, *ts;

static void setup(void)
{
    fx_mkdir();
    ca_key = fx_key();
    ca = fx_cert(ca_key, "Inspect CA", NULL, NULL, FX_CA, -1, 365, NULL);
    leaf_key = fx_key();
    leaf = fx_cert(leaf_key, "node", ca, ca_key, FX_NOT_CA, -1, 365, "DNS:localhost,IP:127.0.0.1");
    STACK_OF(X509) *chain = sk_X509_new_null();
    sk_X509_push(chain, ca);
    struct k8tls_err e;
    if (k8tls_store_write_keystore(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "node", leaf_key, leaf, chain,
                                   PW, &ks, &e)
        || k8tls_store_write_truststore(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, chain, PW, &ts, &e))
        fprintf(stderr, "cannot write the test stores: %s\n", e.msg);
    sk_X509_free(chain);
}

static void teardown(void)
{
    k8tls_secret_free(ks);
    k8tls_secret_free(ts);
    X509_free(ca);
    X509_free(leaf);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(leaf_key);
    fx_rmdir();
}

static bool has_note(const struct k8tls_inspect_report *r, enum k8tls_severity sev, const char *text)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct k8tls_inspect_item *it = &r->v[i];
        for (size_t k = 0; k < it->notes.n; k++)
            if (it->notes.v[k].sev == sev && strstr(it->notes.v[k].msg, text))
                return true;
        for (size_t j = 0; j < it->n; j++)
            for (size_t k = 0; k < it->v[j].notes.n; k++)
                if (it->v[j].notes.v[k].sev == sev && strstr(it->v[j].notes.v[k].msg, text))
                    return true;
    }
    for (size_t i = 0; i < r->n; i++) {   /* what there is instead, for the log */
        fprintf(stderr, "%s: %s\n", r->v[i].name, r->v[i].what);
        for (size_t k = 0; k < r->v[i].notes.n; k++)
            fprintf(stderr, "  %s\n", r->v[i].notes.v[k].msg);
        for (size_t j = 0; j < r->v[i].n; j++)
            for (size_t k = 0; k < r->v[i].v[j].notes.n; k++)
                fprintf(stderr, "  [%d] %s\n", r->v[i].v[j].index, r->v[i].v[j].notes.v[k].msg);
    }
    return false;
}

START_TEST(test_secret_data_in_memory_is_reported_with_its_checks)
{
    ck_assert_ptr_nonnull(ks);
    struct k8tls_inspect_blob v[] = {
        { "keystore", ks->data, ks->len },
        { "truststore", ts->data, ts->len },
        { "keystore-password", (const unsigned char *)PW, strlen(PW) },
        { "truststore-password", (const unsigned char *)PW, strlen(PW) },
    };
    struct k8tls_inspect_report r;
    k8tls_inspect_init(&r);
    k8tls_inspect_blobs(&r, "Secret server-encryption-stores", v, 4, NULL);
    ck_assert_uint_eq(r.n, 2);   /* passwords serve, they are not reported */
    ck_assert_str_eq(r.v[0].name, "Secret server-encryption-stores: keystore");
    ck_assert_uint_eq(r.v[0].n, 1);
    const struct k8tls_inspect_entry *en = &r.v[0].v[0];
    ck_assert_int_eq(en->kind, K8TLS_INSPECT_KEY_ENTRY);
    ck_assert_str_eq(en->alias, "node");
    ck_assert_str_eq(en->key, "EC P-256");
    ck_assert_str_eq(en->sans[0], "DNS:localhost");
    ck_assert_str_eq(en->sans[1], "IP:127.0.0.1");
    ck_assert_int_eq(en->chain_len, 1);
    ck_assert(en->days_left >= 363 && en->days_left <= 365);
    ck_assert(has_note(&r, K8TLS_SEV_NOTE, "the chain reaches 'CN=Inspect CA,O=K8tlsTest' in truststore"));
    ck_assert(has_note(&r, K8TLS_SEV_NOTE, "the private key matches the certificate"));
    ck_assert_uint_eq(k8tls_inspect_count(&r, K8TLS_SEV_ERROR), 0);
    ck_assert_int_eq(r.v[1].v[0].kind, K8TLS_INSPECT_TRUSTED_CERT);
    ck_assert(r.v[1].v[0].is_ca);
    k8tls_inspect_free(&r);

    /* a wrong password, and a truststore of another CA */
    EVP_PKEY *ok = fx_key();
    X509 *other = fx_cert(ok, "Other CA", NULL, NULL, FX_CA, -1, 365, NULL);
    STACK_OF(X509) *o = sk_X509_new_null();
    sk_X509_push(o, other);
    struct k8tls_secret *ots = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_store_write_truststore(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, o, PW, &ots, &e), 0);
    v[1].data = ots->data;
    v[1].len = ots->len;
    k8tls_inspect_init(&r);
    k8tls_inspect_blobs(&r, "S", v, 4, NULL);
    ck_assert(has_note(&r, K8TLS_SEV_ERROR, "the chain does not reach a CA of truststore"));
    k8tls_inspect_free(&r);
    v[2].data = (const unsigned char *)"wrong-pass-1";
    v[2].len = 12;
    k8tls_inspect_init(&r);
    k8tls_inspect_blobs(&r, "S", v, 4, NULL);
    ck_assert(has_note(&r, K8TLS_SEV_ERROR, "wrong password"));
    ck_assert_str_eq(r.v[0].name, "S: keystore");
    k8tls_inspect_free(&r);
    k8tls_secret_free(ots);
    sk_X509_free(o);
    X509_free(other);
    EVP_PKEY_free(ok);
}
END_TEST

/* A PKCS#12 keystore made as `openssl pkcs12 -export -in leaf+ca -certfile ca` makes it: the
 * CA's certificate twice, once in the key's chain and once left over. */
static struct k8tls_secret *p12_with_ca_twice(X509 *extra)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, ca);
    sk_X509_push(cas, extra);
    PKCS12 *p12 = PKCS12_create(PW, "node", leaf_key, leaf, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ck_assert_ptr_nonnull(p12);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    ck_assert_int_gt(n, 0);
    struct k8tls_secret *sec = k8tls_secret_new(der, (size_t)n);
    OPENSSL_free(der);
    return sec;
}

START_TEST(test_a_copy_of_a_chain_certificate_is_not_a_trusted_certificate)
{
    struct k8tls_secret *dup = p12_with_ca_twice(ca);
    struct k8tls_inspect_blob v[] = {
        { "keystore", dup->data, dup->len },
        { "keystore-password", (const unsigned char *)PW, strlen(PW) },
    };
    struct k8tls_inspect_report r;
    k8tls_inspect_init(&r);
    k8tls_inspect_blobs(&r, "S", v, 2, NULL);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_str_eq(r.v[0].what, "PKCS#12 store (private-key entries: 1, trusted certificates: 0)");
    ck_assert_uint_eq(r.v[0].n, 2);
    ck_assert_int_eq(r.v[0].v[0].kind, K8TLS_INSPECT_KEY_ENTRY);
    ck_assert_int_eq(r.v[0].v[0].chain_len, 1);
    const struct k8tls_inspect_entry *en = &r.v[0].v[1];
    ck_assert_int_eq(en->kind, K8TLS_INSPECT_CHAIN_CERT);
    ck_assert_str_eq(en->chain_of, "node");
    ck_assert_str_eq(en->subject, "CN=Inspect CA,O=K8tlsTest");
    /* not warned about as a trusted certificate Java cannot see */
    ck_assert_uint_eq(k8tls_inspect_count(&r, K8TLS_SEV_WARNING), 0);
    ck_assert_uint_eq(k8tls_inspect_count(&r, K8TLS_SEV_ERROR), 0);
    k8tls_inspect_free(&r);

    /* the store model says so too (import's count of trusted certificates uses it) */
    struct k8tls_store *st = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_store_read(dup->data, dup->len, "dup", PW, &st, &e), 0);
    ck_assert_uint_eq(st->n, 2);
    ck_assert_int_eq(st->v[1].type, K8TLS_ENTRY_TRUSTED_CERT);
    ck_assert_int_eq(k8tls_store_chain_copy_of(st, 1), 0);
    ck_assert_int_eq(k8tls_store_chain_copy_of(st, 0), -1);
    k8tls_store_free(st);
    k8tls_secret_free(dup);

    /* a certificate that is in no chain stays a (Java-invisible) trusted certificate */
    EVP_PKEY *ok = fx_key();
    X509 *other = fx_cert(ok, "Other CA", NULL, NULL, FX_CA, -1, 365, NULL);
    struct k8tls_secret *two = p12_with_ca_twice(other);
    v[0].data = two->data;
    v[0].len = two->len;
    k8tls_inspect_init(&r);
    k8tls_inspect_blobs(&r, "S", v, 2, NULL);
    ck_assert_str_eq(r.v[0].what, "PKCS#12 store (private-key entries: 1, trusted certificates: 1)");
    ck_assert_uint_eq(r.v[0].n, 2);
    ck_assert_int_eq(r.v[0].v[1].kind, K8TLS_INSPECT_TRUSTED_CERT);
    ck_assert_ptr_null(r.v[0].v[1].chain_of);
    ck_assert(has_note(&r, K8TLS_SEV_WARNING, "Java does not see this certificate"));
    k8tls_inspect_free(&r);
    k8tls_secret_free(two);
    X509_free(other);
    EVP_PKEY_free(ok);
}
END_TEST

START_TEST(test_random_and_damaged_blobs_never_crash_inspect)
{
    /* real material to damage: the stores, a PEM trio, a Secret YAML */
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, leaf);
    PEM_write_bio_PrivateKey(b, leaf_key, NULL, NULL, 0, NULL, NULL);
    char *pem;
    long pem_len = BIO_get_mem_data(b, &pem);
    const char *yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n"
                       "data:\n  client.key: QUJD\n  keystore: AAAA\n  keystore-password: YWJj\n"
                       "stringData: {rootca.crt: abc}\n---\nkind: List\nitems: [{kind: Secret}]\n";
    const struct { const unsigned char *d; size_t n; } src[] = {
        { ks->data, ks->len }, { ts->data, ts->len },
        { (const unsigned char *)pem, (size_t)pem_len }, { (const unsigned char *)yaml, strlen(yaml) },
    };
    static const char *const names[] = { "keystore", "truststore", "client.key", "client.crt_signed",
                                         "rootca.crt", "secret.yaml" };
    uint64_t seed = 99;
    for (int round = 0; round < 400; round++) {
        size_t which = fx_rand(&seed) % 5;
        size_t n;
        unsigned char *d;
        if (which == 4) {   /* pure random */
            n = fx_rand(&seed) % 700;
            d = malloc(n + 1);
            for (size_t i = 0; i < n; i++)
                d[i] = (unsigned char)fx_rand(&seed);
        } else {            /* a real input cut and mutated */
            n = src[which].n;
            d = malloc(n + 1);
            memcpy(d, src[which].d, n);
            n = n - fx_rand(&seed) % (n / 4 + 1);
            int k = (int)(fx_rand(&seed) % 6);
            for (int j = 0; j < k && n; j++)
                d[fx_rand(&seed) % n] = (unsigned char)fx_rand(&seed);
        }
        struct k8tls_inspect_blob v[3] = {
            { names[fx_rand(&seed) % 6], d, n },
            { "keystore-password", (const unsigned char *)PW, strlen(PW) },
            { "truststore", ts->data, ts->len },
        };
        struct k8tls_inspect_report r;
        k8tls_inspect_init(&r);
        k8tls_inspect_blobs(&r, "fuzz", v, 3, NULL);
        ck_assert_uint_ge(r.n, 1);
        /* and as a file, which also goes through the YAML reader */
        fx_write("input", d, n);
        k8tls_inspect_path(&r, fx_path("input"), NULL);
        k8tls_inspect_free(&r);
        ck_assert_int_eq(ERR_peek_error(), 0);
        free(d);
    }
    BIO_free(b);
}
END_TEST

START_TEST(test_missing_paths_and_empty_directories_are_errors)
{
    struct k8tls_inspect_report r;
    k8tls_inspect_init(&r);
    k8tls_inspect_path(&r, fx_path("does-not-exist"), NULL);
    ck_assert_uint_eq(r.n, 1);
    ck_assert(has_note(&r, K8TLS_SEV_ERROR, "No such file"));
    k8tls_inspect_free(&r);
    char empty[700];
    snprintf(empty, sizeof empty, "%s", fx_path("empty-dir"));
    ck_assert_int_eq(mkdir(empty, 0700), 0);
    k8tls_inspect_init(&r);
    k8tls_inspect_path(&r, empty, NULL);
    ck_assert(has_note(&r, K8TLS_SEV_ERROR, "no store, certificate, key or Secret found"));
    k8tls_inspect_free(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_secret_data_in_memory_is_reported_with_its_checks);
    tcase_add_test(tc, test_a_copy_of_a_chain_certificate_is_not_a_trusted_certificate);
    tcase_add_test(tc, test_random_and_damaged_blobs_never_crash_inspect);
    tcase_add_test(tc, test_missing_paths_and_empty_directories_are_errors);
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
