/* Store readers (S1-S3, X5): keytool-made JKS and PKCS#12 stores are read by our own code,
 * our writers round-trip, bad input ends in one message naming the file, and no byte sequence
 * crashes the readers (truncations, bit flips, random bytes; fixed seeds, bounded loops). */
#include "config.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include "k8tls/store.h"
#include "pki_fixtures.h"

#define PW "changeit-123"
#define KPW "other-pass-456"
/* keytool starts faster with the C1 compiler only and the serial GC */
#define KT "keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"

/* ---- keytool-made stores, created once for the suite ------------------------------------- */

static int keytool_ok;
static X509 *g_ca;
static EVP_PKEY *g_ca_key;

static void keytool_setup(void)
{
    fx_mkdir();
    setenv("K8TLS_T_PW", PW, 1);
    setenv("K8TLS_T_KPW", KPW, 1);
    g_ca_key = fx_key();
    g_ca = fx_cert(g_ca_key, "Test Root CA", NULL, NULL, FX_CA, -1, 365, NULL);
    fx_write_certs("ca.pem", g_ca, NULL);
    if (!fx_have("keytool"))
        return;
    const char *types[] = { "JKS", "PKCS12" };
    const char *files[] = { "ks.jks", "ks.p12" };
    const char *exports[] = { "node-jks.pem", "node-p12.pem" };
    for (int i = 0; i < 2; i++) {
        if (fx_sh(KT " -genkeypair -storetype %s -keystore %s -storepass:env K8TLS_T_PW "
                  "-keypass:env K8TLS_T_PW -alias node -keyalg EC -groupname secp256r1 "
                  "-dname CN=node.example -validity 30", types[i], files[i])
            || fx_sh(KT " -importcert -noprompt -storetype %s -keystore %s "
                     "-storepass:env K8TLS_T_PW -alias myca -file ca.pem", types[i], files[i])
            || fx_sh(KT " -exportcert -rfc -storetype %s -keystore %s "
                     "-storepass:env K8TLS_T_PW -alias node -file %s", types[i], files[i], exports[i]))
            return;
    }
    if (fx_sh(KT " -genkeypair -storetype JKS -keystore kp.jks -storepass:env K8TLS_T_PW "
              "-keypass:env K8TLS_T_KPW -alias node -keyalg EC -groupname secp256r1 "
              "-dname CN=other -validity 30"))
        return;
    keytool_ok = 1;
}

static void keytool_teardown(void)
{
    X509_free(g_ca);
    EVP_PKEY_free(g_ca_key);
    fx_rmdir();
}

static const struct k8tls_store_entry *find_alias(const struct k8tls_store *s, const char *alias)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].alias && strcmp(s->v[i].alias, alias) == 0)
            return &s->v[i];
    return NULL;
}

static X509 *read_pem_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    ck_assert_ptr_nonnull(x);
    return x;
}

static void check_keytool_store(const char *file, const char *export, enum k8tls_store_format fmt)
{
    ck_assert_msg(keytool_ok, "keytool could not make the test stores (is keytool installed?)");
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = k8tls_store_read_file(fx_path(file), PW, &s, &e);
    ck_assert_msg(rc == 0, "%s: %s", e.file, e.msg);
    ck_assert_int_eq(s->format, fmt);
    ck_assert_uint_eq(s->n, 2);
    const struct k8tls_store_entry *node = find_alias(s, "node");
    const struct k8tls_store_entry *ca = find_alias(s, "myca");
    ck_assert_ptr_nonnull(node);
    ck_assert_ptr_nonnull(ca);
    ck_assert_int_eq(node->type, K8TLS_ENTRY_PRIVATE_KEY);
    ck_assert_ptr_nonnull(node->key);
    ck_assert_int_eq(EVP_PKEY_get_base_id(node->key), EVP_PKEY_EC);
    ck_assert_int_eq(EVP_PKEY_eq(node->key, X509_get0_pubkey(node->cert)), 1);
    X509 *exported = read_pem_cert(fx_path(export));
    ck_assert_int_eq(X509_cmp(exported, node->cert), 0);
    X509_free(exported);
    ck_assert_int_eq(ca->type, K8TLS_ENTRY_TRUSTED_CERT);
    ck_assert_int_eq(X509_cmp(ca->cert, g_ca), 0);
    ck_assert(!ca->p12_no_java_trust);
    if (fmt == K8TLS_FORMAT_JKS) {
        ck_assert(node->timestamp_ms > 1600000000000LL);
        ck_assert(ca->timestamp_ms > 1600000000000LL);
    }
    char d[64];
    ck_assert_str_eq(k8tls_pkey_describe(node->key, d, sizeof d), "EC P-256");
    k8tls_store_free(s);
}

START_TEST(test_our_jks_reader_opens_a_keytool_jks)
{
    check_keytool_store("ks.jks", "node-jks.pem", K8TLS_FORMAT_JKS);
}
END_TEST

START_TEST(test_reader_opens_a_keytool_pkcs12_and_sees_the_trusted_cert)
{
    check_keytool_store("ks.p12", "node-p12.pem", K8TLS_FORMAT_PKCS12);
}
END_TEST

START_TEST(test_wrong_password_names_the_file_and_says_wrong_password)
{
    ck_assert(keytool_ok);
    const char *files[] = { "ks.jks", "ks.p12" };
    for (int i = 0; i < 2; i++) {
        struct k8tls_store *s = NULL;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        ck_assert_int_ne(k8tls_store_read_file(fx_path(files[i]), "not-the-password", &s, &e), 0);
        ck_assert_ptr_null(s);
        ck_assert_str_eq(e.file, fx_path(files[i]));
        ck_assert_msg(strstr(e.msg, "wrong password") != NULL, "%s", e.msg);
    }
}
END_TEST

START_TEST(test_jks_key_with_another_password_than_the_store_is_refused)
{
    ck_assert(keytool_ok);
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_ne(k8tls_store_read_file(fx_path("kp.jks"), PW, &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "another password") != NULL, "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "'node'") != NULL, "%s", e.msg);
}
END_TEST

/* ---- hand-made JKS bytes: aliases, versions, hostile headers ----------------------------- */

struct jb {
    unsigned char *p;
    size_t n;
};

static void jb_put(struct jb *b, const void *d, size_t n)
{
    b->p = realloc(b->p, b->n + n + 64);
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void jb_u32(struct jb *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v };
    jb_put(b, x, 4);
}

static void jb_u16(struct jb *b, unsigned v)
{
    unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
    jb_put(b, x, 2);
}

static void jb_trusted(struct jb *b, int version, const unsigned char *alias, size_t alen, X509 *x)
{
    jb_u32(b, 2);
    jb_u16(b, (unsigned)alen);
    jb_put(b, alias, alen);
    jb_u32(b, 0);
    jb_u32(b, 1234567);
    if (version == 2) {
        jb_u16(b, 5);
        jb_put(b, "X.509", 5);
    }
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    jb_u32(b, (uint32_t)n);
    jb_put(b, der, (size_t)n);
    OPENSSL_free(der);
}

/* Appends SHA-1(password as UTF-16BE || "Mighty Aphrodite" || bytes): the JKS trailer. */
static void jb_finish(struct jb *b, const char *ascii_pw)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char dig[20];
    EVP_DigestInit_ex(md, EVP_sha1(), NULL);
    for (const char *c = ascii_pw; *c; c++) {
        unsigned char u[2] = { 0, (unsigned char)*c };
        EVP_DigestUpdate(md, u, 2);
    }
    EVP_DigestUpdate(md, "Mighty Aphrodite", 16);
    EVP_DigestUpdate(md, b->p, b->n);
    EVP_DigestFinal_ex(md, dig, NULL);
    EVP_MD_CTX_free(md);
    jb_put(b, dig, 20);
}

static void jb_header(struct jb *b, uint32_t version, uint32_t count)
{
    jb_u32(b, 0xFEEDFEED);
    jb_u32(b, version);
    jb_u32(b, count);
}

START_TEST(test_jks_aliases_in_java_modified_utf8_are_decoded)
{
    EVP_PKEY *k = fx_key();
    X509 *x = fx_cert(k, "alias test", NULL, NULL, FX_CA, 0, 10, NULL);
    struct jb b = { 0 };
    jb_header(&b, 2, 3);
    jb_trusted(&b, 2, (const unsigned char *)"caf\xc3\xa9", 5, x);             /* U+00E9 */
    jb_trusted(&b, 2, (const unsigned char *)"\xed\xa0\xbd\xed\xb8\x80", 6, x); /* U+1F600 as surrogates */
    jb_trusted(&b, 2, (const unsigned char *)"\xe2\x82\xac", 3, x);            /* U+20AC */
    jb_finish(&b, "secret");
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_msg(k8tls_jks_decode(b.p, b.n, "mutf8.jks", "secret", &s, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(s->n, 3);
    ck_assert_str_eq(s->v[0].alias, "caf\xc3\xa9");
    ck_assert_str_eq(s->v[1].alias, "\xf0\x9f\x98\x80");
    ck_assert_str_eq(s->v[2].alias, "\xe2\x82\xac");
    ck_assert_int_eq(s->v[0].timestamp_ms, 1234567);
    k8tls_store_free(s);
    free(b.p);
    X509_free(x);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_jks_nul_in_alias_is_reported_as_corrupted)
{
    EVP_PKEY *k = fx_key();
    X509 *x = fx_cert(k, "nul", NULL, NULL, FX_CA, 0, 10, NULL);
    struct jb b = { 0 };
    jb_header(&b, 2, 1);
    jb_trusted(&b, 2, (const unsigned char *)"a\xc0\x80z", 4, x);
    jb_finish(&b, "secret");
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_ne(k8tls_jks_decode(b.p, b.n, "nul.jks", "secret", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "corrupted") && strstr(e.msg, "alias"), "%s", e.msg);
    ck_assert_str_eq(e.file, "nul.jks");
    free(b.p);
    X509_free(x);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_jks_version_1_without_certificate_types_is_read)
{
    EVP_PKEY *k = fx_key();
    X509 *x = fx_cert(k, "v1", NULL, NULL, FX_CA, 0, 10, NULL);
    struct jb b = { 0 };
    jb_header(&b, 1, 1);
    jb_trusted(&b, 1, (const unsigned char *)"old", 3, x);
    jb_finish(&b, "secret");
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_store_read(b.p, b.n, "v1.jks", "secret", &s, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(s->n, 1);
    ck_assert_int_eq(X509_cmp(s->v[0].cert, x), 0);
    k8tls_store_free(s);
    free(b.p);
    X509_free(x);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_jks_huge_counts_and_lengths_are_refused_without_allocating)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    /* 4 billion entries announced */
    struct jb b = { 0 };
    jb_header(&b, 2, 0xFFFFFFFFu);
    jb_finish(&b, "secret");
    ck_assert_int_ne(k8tls_store_read(b.p, b.n, "count.jks", "secret", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "corrupted"), "%s", e.msg);
    free(b.p);
    /* a certificate of 4 GiB announced */
    memset(&b, 0, sizeof b);
    jb_header(&b, 2, 1);
    jb_u32(&b, 2);
    jb_u16(&b, 1);
    jb_put(&b, "a", 1);
    jb_u32(&b, 0);
    jb_u32(&b, 0);
    jb_u16(&b, 5);
    jb_put(&b, "X.509", 5);
    jb_u32(&b, 0xFFFFFFF0u);
    jb_finish(&b, "secret");
    ck_assert_int_ne(k8tls_store_read(b.p, b.n, "len.jks", "secret", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "truncated"), "%s", e.msg);
    free(b.p);
    /* an unknown version */
    memset(&b, 0, sizeof b);
    jb_header(&b, 7, 0);
    jb_finish(&b, "secret");
    ck_assert_int_ne(k8tls_store_read(b.p, b.n, "ver.jks", "secret", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "version 7"), "%s", e.msg);
    free(b.p);
}
END_TEST

START_TEST(test_files_that_are_not_keystores_are_named_and_explained)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    const char *text = "hello: world\n";
    ck_assert_int_ne(k8tls_store_read((const unsigned char *)text, strlen(text), "a.yaml", "x", &s, &e), 0);
    ck_assert_str_eq(e.file, "a.yaml");
    ck_assert_msg(strstr(e.msg, "not a keystore"), "%s", e.msg);
    ck_assert_int_ne(k8tls_store_read((const unsigned char *)"", 0, "empty", "x", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "empty"), "%s", e.msg);
    const char *pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    ck_assert_int_ne(k8tls_store_read((const unsigned char *)pem, strlen(pem), "c.pem", "x", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "PEM"), "%s", e.msg);
    unsigned char jceks[] = { 0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0, 2, 0, 0, 0, 0 };
    ck_assert_int_ne(k8tls_store_read(jceks, sizeof jceks, "j.jceks", "x", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "JCEKS"), "%s", e.msg);
    /* a DER certificate is not a keystore either */
    unsigned char *der = NULL;
    int n = i2d_X509(g_ca, &der);
    ck_assert_int_ne(k8tls_store_read(der, (size_t)n, "c.der", "x", &s, &e), 0);
    ck_assert_msg(strstr(e.msg, "certificate, not a keystore"), "%s", e.msg);
    OPENSSL_free(der);
    /* a missing file */
    ck_assert_int_ne(k8tls_store_read_file(fx_path("missing.p12"), "x", &s, &e), 0);
    ck_assert_str_eq(e.file, fx_path("missing.p12"));
    ck_assert_msg(strstr(e.msg, "No such file"), "%s", e.msg);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_openssl_truststore_without_java_trust_attribute_is_flagged)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, g_ca);
    PKCS12 *p12 = PKCS12_create("secret-pw", NULL, NULL, NULL, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ck_assert_ptr_nonnull(p12);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_store_read(der, (size_t)n, "ts.p12", "secret-pw", &s, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(s->n, 1);
    ck_assert_int_eq(s->v[0].type, K8TLS_ENTRY_TRUSTED_CERT);
    ck_assert(s->v[0].p12_no_java_trust);
    k8tls_store_free(s);
    OPENSSL_free(der);
}
END_TEST

START_TEST(test_old_rc2_pkcs12_is_read_through_the_legacy_provider)
{
    /* what Java 8 and OpenSSL 1.x wrote: RC2-40 certificate bags, 3DES key bag, SHA-1 MAC */
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "legacy-node", g_ca, g_ca_key, FX_NOT_CA, 0, 30, NULL);
    fx_write_certs("legacy-leaf.pem", leaf, NULL);
    fx_write_key("legacy-leaf.key", k, NULL);
    ck_assert_int_eq(fx_sh("openssl pkcs12 -export -legacy -in legacy-leaf.pem -inkey legacy-leaf.key "
                           "-certfile ca.pem -name legacy-node -passout env:K8TLS_T_PW -out legacy.p12"), 0);
    ck_assert_int_eq(fx_sh("openssl pkcs12 -info -noout -legacy -in legacy.p12 -passin env:K8TLS_T_PW "
                           "2>&1 | grep -q 'pbeWithSHA1And40BitRC2-CBC'"), 0);
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_store_read_file(fx_path("legacy.p12"), PW, &s, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(s->n, 1);
    ck_assert_str_eq(s->v[0].alias, "legacy-node");
    ck_assert_int_eq(EVP_PKEY_eq(s->v[0].key, k), 1);
    ck_assert_int_eq(X509_cmp(s->v[0].cert, leaf), 0);
    ck_assert_int_eq(sk_X509_num(s->v[0].chain), 1);
    k8tls_store_free(s);
    X509_free(leaf);
    EVP_PKEY_free(k);
}
END_TEST

/* ---- iteration counts: refused before any key derivation --------------------------------- */

/* Reads a crafted store; returns the error message (static) or NULL when it was read. */
static const char *read_crafted(const unsigned char *der, int n)
{
    static struct k8tls_err e;
    struct k8tls_store *s = NULL;
    k8tls_err_clear(&e);
    int rc = k8tls_store_read(der, (size_t)n, "crafted.p12", PW, &s, &e);
    k8tls_store_free(s);
    if (rc == 0)
        return NULL;
    ck_assert_ptr_null(s);
    ck_assert_str_eq(e.file, "crafted.p12");
    ck_assert_int_eq(ERR_peek_error(), 0);
    return e.msg;
}

static void expect_refused(const unsigned char *der, int n, const char *text1, const char *text2)
{
    const char *m = read_crafted(der, n);
    ck_assert_msg(m != NULL, "a store asking for a suspicious iteration count was read");
    ck_assert_msg(strstr(m, text1) && strstr(m, text2), "'%s' lacks '%s' / '%s'", m, text1, text2);
}

START_TEST(test_suspicious_pkcs12_iteration_counts_are_refused_before_deriving)
{
    /* Each count below would take minutes to derive: the store is refused before (a hang, and
     * so a timeout of this test, would say otherwise). */
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "iter-node", g_ca, g_ca_key, FX_NOT_CA, 0, 30, NULL);
    int n;
    unsigned char *der;
    /* the counts as made, and a count at the cap: read */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, 0, 0, 0, &n);
    ck_assert_ptr_null(read_crafted(der, n));
    OPENSSL_free(der);
    /* the MAC's count */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, 2147483647L, 0, 0, &n);
    expect_refused(der, n, "suspicious iteration count 2147483647", "(MAC)");
    OPENSSL_free(der);
    /* PBKDF2 of the encrypted certificates (the MAC is valid) */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, 0, 2147483647L, 0, &n);
    expect_refused(der, n, "suspicious iteration count 2147483647", "the encrypted certificates");
    OPENSSL_free(der);
    /* PBKDF2 of the private key, one above the cap */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, 0, 0, K8TLS_P12_MAX_ITER + 1, &n);
    expect_refused(der, n, "suspicious iteration count 10000001", "the private key 'node'");
    OPENSSL_free(der);
    /* a PKCS#12 PBE (3DES, Java 8's) key bag */
    der = fx_p12_iters(k, leaf, g_ca, PW, NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
                       NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, 0, 2147483647L, &n);
    expect_refused(der, n, "suspicious iteration count 2147483647", "the private key 'node'");
    OPENSSL_free(der);
    /* each under the cap, but too many in all */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, K8TLS_P12_MAX_ITER, K8TLS_P12_MAX_ITER,
                       K8TLS_P12_MAX_ITER, &n);
    expect_refused(der, n, "suspicious iteration counts", "in all");
    OPENSSL_free(der);
    /* zero and negative counts: corrupted */
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, -5, 0, 0, &n);
    expect_refused(der, n, "corrupted", "iteration count -5");
    OPENSSL_free(der);
    der = fx_p12_iters(k, leaf, g_ca, PW, 0, 0, 0, 0, -1, &n);
    expect_refused(der, n, "corrupted", "iteration count -1");
    OPENSSL_free(der);
    X509_free(leaf);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_huge_iteration_count_made_by_the_openssl_cli_is_refused)
{
    /* `openssl pkcs12 -export -iter N -maciter` derives keys with N iterations while making the
     * store: it is made with a cheap count, then the MAC's count is raised to 2^31-1. */
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "cli-node", g_ca, g_ca_key, FX_NOT_CA, 0, 30, NULL);
    fx_write_certs("cli-leaf.pem", leaf, NULL);
    fx_write_key("cli-leaf.key", k, NULL);
    ck_assert_int_eq(fx_sh("openssl pkcs12 -export -in cli-leaf.pem -inkey cli-leaf.key -name cli "
                           "-iter 70000 -maciter -passout env:K8TLS_T_PW -out cli.p12"), 0);
    size_t len;
    unsigned char *d = fx_read(fx_path("cli.p12"), &len);
    const unsigned char *q = d;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)len);
    ck_assert_ptr_nonnull(p12);
    const ASN1_INTEGER *it = NULL;
    PKCS12_get0_mac(NULL, NULL, NULL, &it, p12);
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(ASN1_INTEGER_get(it), 70000);
    ASN1_INTEGER_set((ASN1_INTEGER *)it, 2147483647L);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    expect_refused(der, n, "suspicious iteration count 2147483647", "(MAC)");
    /* the same store as made: read, with its 70000 iterations */
    ck_assert_ptr_null(read_crafted(d, (int)len));
    OPENSSL_free(der);
    free(d);
    X509_free(leaf);
    EVP_PKEY_free(k);
}
END_TEST

/* ---- hostile input: truncations, bit flips, random bytes --------------------------------- */

static void expect_clean_failure(const unsigned char *d, size_t n, const char *name, int must_fail)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = k8tls_store_read(d, n, name, PW, &s, &e);
    if (rc == 0) {
        ck_assert_msg(!must_fail, "%s: a damaged store was accepted (%zu bytes)", name, n);
        ck_assert_ptr_nonnull(s);
        k8tls_store_free(s);
        return;
    }
    ck_assert_ptr_null(s);
    ck_assert_str_eq(e.file, name);
    ck_assert_msg(e.msg[0] != '\0', "%s: empty error", name);
    ck_assert_int_eq(ERR_peek_error(), 0);   /* no OpenSSL error left behind */
}

START_TEST(test_truncated_stores_fail_with_truncated_at_every_offset)
{
    ck_assert(keytool_ok);
    const char *files[] = { "ks.jks", "ks.p12" };
    for (int f = 0; f < 2; f++) {
        size_t len;
        unsigned char *d = fx_read(fx_path(files[f]), &len);
        ck_assert_ptr_nonnull(d);
        for (size_t cut = 0; cut < len; cut++) {
            struct k8tls_store *s = NULL;
            struct k8tls_err e;
            k8tls_err_clear(&e);
            ck_assert_int_ne(k8tls_store_read(d, cut, files[f], PW, &s, &e), 0);
            ck_assert_ptr_null(s);
            if (cut >= 8)
                ck_assert_msg(strstr(e.msg, "truncated") != NULL, "%s cut at %zu: %s", files[f], cut, e.msg);
        }
        free(d);
    }
}
END_TEST

START_TEST(test_bit_flips_in_real_stores_fail_cleanly)
{
    ck_assert(keytool_ok);
    uint64_t seed = 20261101;
    const char *files[] = { "ks.jks", "ks.p12" };
    const int rounds[] = { 600, 150 };   /* PKCS#12 MACs cost a PBKDF2 each */
    for (int f = 0; f < 2; f++) {
        size_t len;
        unsigned char *d = fx_read(fx_path(files[f]), &len);
        for (int i = 0; i < rounds[f]; i++) {
            size_t at = fx_rand(&seed) % len;
            unsigned char bit = (unsigned char)(1u << (fx_rand(&seed) % 8));
            d[at] ^= bit;
            /* the JKS trailer covers every byte: each flip must be refused */
            expect_clean_failure(d, len, files[f], f == 0);
            d[at] ^= bit;
        }
        /* bytes overwritten with random values, a few at a time */
        for (int i = 0; i < rounds[f] / 2; i++) {
            unsigned char *c = malloc(len);
            memcpy(c, d, len);
            int k = 1 + (int)(fx_rand(&seed) % 8);
            for (int j = 0; j < k; j++)
                c[fx_rand(&seed) % len] = (unsigned char)fx_rand(&seed);
            expect_clean_failure(c, len, files[f], 0);
            free(c);
        }
        free(d);
    }
}
END_TEST

START_TEST(test_random_bytes_never_crash_the_readers)
{
    uint64_t seed = 7;
    const unsigned char prefixes[][4] = {
        { 0xFE, 0xED, 0xFE, 0xED }, { 0x30, 0x82, 0x01, 0x00 }, { 0x30, 0x80, 0x02, 0x01 }, { 0, 0, 0, 0 },
    };
    for (int i = 0; i < 2000; i++) {
        size_t n = fx_rand(&seed) % 600;
        unsigned char *d = malloc(n + 16);
        for (size_t j = 0; j < n; j++)
            d[j] = (unsigned char)fx_rand(&seed);
        int p = i % 4;
        if (p < 3 && n >= 4)
            memcpy(d, prefixes[p], 4);
        if (p == 0 && n >= 12) {   /* a plausible JKS header with a small count */
            d[4] = 0; d[5] = 0; d[6] = 0; d[7] = 2;
            d[8] = 0; d[9] = 0; d[10] = 0; d[11] = (unsigned char)(fx_rand(&seed) % 4);
        }
        expect_clean_failure(d, n, "random", 0);
        STACK_OF(X509) *sk = NULL;
        struct k8tls_err e;
        if (k8tls_pem_read_certs(d, n, "random", &sk, &e) == 0)
            sk_X509_pop_free(sk, X509_free);
        EVP_PKEY *k = NULL;
        if (k8tls_pem_read_key(d, n, "random", "pw", &k, NULL, &e) == 0)
            EVP_PKEY_free(k);
        ck_assert_int_eq(ERR_peek_error(), 0);
        free(d);
    }
}
END_TEST

/* ---- PEM ---------------------------------------------------------------------------------- */

START_TEST(test_pem_keys_plain_encrypted_and_missing)
{
    EVP_PKEY *k = fx_key();
    X509 *x = fx_cert(k, "pem", NULL, NULL, FX_CA, 0, 10, NULL);
    fx_write_key("plain.key", k, NULL);
    fx_write_key("enc.key", k, "key-pass-1");
    fx_write_certs("only-cert.pem", x, NULL);
    size_t n;
    unsigned char *d;
    EVP_PKEY *got = NULL;
    bool enc;
    struct k8tls_err e;

    d = fx_read(fx_path("plain.key"), &n);
    ck_assert_int_eq(k8tls_pem_read_key(d, n, "plain.key", NULL, &got, &enc, &e), 0);
    ck_assert(!enc);
    ck_assert_int_eq(EVP_PKEY_eq(got, k), 1);
    EVP_PKEY_free(got);
    free(d);

    d = fx_read(fx_path("enc.key"), &n);
    ck_assert_int_eq(k8tls_pem_read_key(d, n, "enc.key", "key-pass-1", &got, &enc, &e), 0);
    ck_assert(enc);
    ck_assert_int_eq(EVP_PKEY_eq(got, k), 1);
    EVP_PKEY_free(got);
    ck_assert_int_ne(k8tls_pem_read_key(d, n, "enc.key", NULL, &got, &enc, &e), 0);
    ck_assert_msg(strstr(e.msg, "encrypted") && strstr(e.msg, "no password"), "%s", e.msg);
    ck_assert_int_ne(k8tls_pem_read_key(d, n, "enc.key", "wrong-pass", &got, &enc, &e), 0);
    ck_assert_msg(strstr(e.msg, "wrong password"), "%s", e.msg);
    ck_assert_str_eq(e.file, "enc.key");
    free(d);

    d = fx_read(fx_path("only-cert.pem"), &n);
    ck_assert_int_ne(k8tls_pem_read_key(d, n, "only-cert.pem", NULL, &got, &enc, &e), 0);
    ck_assert_msg(strstr(e.msg, "no private key"), "%s", e.msg);
    free(d);
    ck_assert_int_eq(ERR_peek_error(), 0);
    X509_free(x);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_pem_certificates_in_order_and_corrupted_ones_named)
{
    EVP_PKEY *k = fx_key();
    X509 *a = fx_cert(k, "first", NULL, NULL, FX_CA, 0, 10, NULL);
    X509 *b = fx_cert(k, "second", NULL, NULL, FX_CA, 0, 10, NULL);
    fx_write_certs("two.pem", a, b);
    size_t n;
    unsigned char *d = fx_read(fx_path("two.pem"), &n);
    STACK_OF(X509) *sk = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_pem_read_certs(d, n, "two.pem", &sk, &e), 0);
    ck_assert_int_eq(sk_X509_num(sk), 2);
    ck_assert_int_eq(X509_cmp(sk_X509_value(sk, 0), a), 0);
    ck_assert_int_eq(X509_cmp(sk_X509_value(sk, 1), b), 0);
    sk_X509_pop_free(sk, X509_free);
    /* damage the second certificate's base64 */
    char *second = strstr(strstr((char *)d, "-----END CERTIFICATE-----") + 1, "BEGIN CERTIFICATE-----\n");
    ck_assert_ptr_nonnull(second);
    second[40] = '!';
    second[41] = '!';
    ck_assert_int_ne(k8tls_pem_read_certs(d, n, "two.pem", &sk, &e), 0);
    ck_assert_msg(strstr(e.msg, "certificate 2 is corrupted"), "%s", e.msg);
    /* truncated: no END line */
    ck_assert_int_ne(k8tls_pem_read_certs(d, 100, "two.pem", &sk, &e), 0);
    ck_assert_msg(strstr(e.msg, "truncated"), "%s", e.msg);
    free(d);
    ck_assert_int_eq(ERR_peek_error(), 0);
    X509_free(a);
    X509_free(b);
    EVP_PKEY_free(k);
}
END_TEST

/* ---- our writers round-trip through our readers ------------------------------------------- */

static void assert_same_key_entry(const struct k8tls_store_entry *en, const char *alias, EVP_PKEY *k,
                                  X509 *leaf, X509 *ca)
{
    ck_assert_str_eq(en->alias, alias);
    ck_assert_int_eq(en->type, K8TLS_ENTRY_PRIVATE_KEY);
    ck_assert_int_eq(EVP_PKEY_eq(en->key, k), 1);
    ck_assert_int_eq(X509_cmp(en->cert, leaf), 0);
    ck_assert_int_eq(sk_X509_num(en->chain), 1);
    ck_assert_int_eq(X509_cmp(sk_X509_value(en->chain, 0), ca), 0);
}

START_TEST(test_our_jks_encoder_round_trips_identical_entries)
{
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "node", g_ca, g_ca_key, FX_NOT_CA, 0, 30, "DNS:localhost");
    struct k8tls_store_entry v[2];
    memset(v, 0, sizeof v);
    v[0].alias = "node";
    v[0].type = K8TLS_ENTRY_PRIVATE_KEY;
    v[0].key = k;
    v[0].cert = leaf;
    v[0].chain = sk_X509_new_null();
    sk_X509_push(v[0].chain, g_ca);
    v[0].timestamp_ms = 1700000000123LL;
    v[1].alias = "ca";
    v[1].type = K8TLS_ENTRY_TRUSTED_CERT;
    v[1].cert = g_ca;
    v[1].timestamp_ms = 1700000000456LL;
    struct k8tls_store in = { K8TLS_FORMAT_JKS, v, 2 };
    struct k8tls_secret *bytes = NULL;
    struct k8tls_err e;
    ck_assert_msg(k8tls_jks_encode(&in, PW, &bytes, &e) == 0, "%s", e.msg);
    struct k8tls_store *out = NULL;
    ck_assert_msg(k8tls_jks_decode(bytes->data, bytes->len, "ours.jks", PW, &out, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(out->n, 2);
    assert_same_key_entry(&out->v[0], "node", k, leaf, g_ca);
    ck_assert_int_eq(out->v[0].timestamp_ms, 1700000000123LL);
    ck_assert_str_eq(out->v[1].alias, "ca");
    ck_assert_int_eq(out->v[1].type, K8TLS_ENTRY_TRUSTED_CERT);
    ck_assert_int_eq(X509_cmp(out->v[1].cert, g_ca), 0);
    ck_assert_int_eq(out->v[1].timestamp_ms, 1700000000456LL);
    k8tls_store_free(out);
    k8tls_secret_free(bytes);
    sk_X509_free(v[0].chain);
    X509_free(leaf);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_our_store_writers_round_trip_in_every_format)
{
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "node", g_ca, g_ca_key, FX_NOT_CA, 0, 30, "DNS:localhost");
    STACK_OF(X509) *chain = sk_X509_new_null();
    sk_X509_push(chain, g_ca);
    struct { enum k8tls_store_format f; enum k8tls_p12_profile p; } cases[] = {
        { K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN },
        { K8TLS_FORMAT_PKCS12, K8TLS_P12_LEGACY },
        { K8TLS_FORMAT_JKS, K8TLS_P12_MODERN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct k8tls_secret *ks = NULL, *ts = NULL;
        struct k8tls_err e;
        ck_assert_msg(k8tls_store_write_keystore(cases[i].f, cases[i].p, "node", k, leaf, chain, PW,
                                                 &ks, &e) == 0, "%s", e.msg);
        ck_assert_msg(k8tls_store_write_truststore(cases[i].f, cases[i].p, chain, PW, &ts, &e) == 0,
                      "%s", e.msg);
        struct k8tls_store *s = NULL;
        ck_assert_msg(k8tls_store_read(ks->data, ks->len, "keystore", PW, &s, &e) == 0, "%s", e.msg);
        ck_assert_int_eq(s->format, cases[i].f);
        ck_assert_uint_eq(s->n, 1);
        assert_same_key_entry(&s->v[0], "node", k, leaf, g_ca);
        k8tls_store_free(s);
        ck_assert_msg(k8tls_store_read(ts->data, ts->len, "truststore", PW, &s, &e) == 0, "%s", e.msg);
        ck_assert_uint_eq(s->n, 1);
        ck_assert_int_eq(s->v[0].type, K8TLS_ENTRY_TRUSTED_CERT);
        ck_assert_int_eq(X509_cmp(s->v[0].cert, g_ca), 0);
        ck_assert_msg(!s->v[0].p12_no_java_trust, "truststore bag lacks Java's trust attribute");
        k8tls_store_free(s);
        k8tls_secret_free(ks);
        k8tls_secret_free(ts);
    }
    sk_X509_free(chain);
    X509_free(leaf);
    EVP_PKEY_free(k);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("store_read");
    TCase *tc = tcase_create("readers");
    tcase_add_unchecked_fixture(tc, keytool_setup, keytool_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_our_jks_reader_opens_a_keytool_jks);
    tcase_add_test(tc, test_reader_opens_a_keytool_pkcs12_and_sees_the_trusted_cert);
    tcase_add_test(tc, test_wrong_password_names_the_file_and_says_wrong_password);
    tcase_add_test(tc, test_jks_key_with_another_password_than_the_store_is_refused);
    tcase_add_test(tc, test_jks_aliases_in_java_modified_utf8_are_decoded);
    tcase_add_test(tc, test_jks_nul_in_alias_is_reported_as_corrupted);
    tcase_add_test(tc, test_jks_version_1_without_certificate_types_is_read);
    tcase_add_test(tc, test_jks_huge_counts_and_lengths_are_refused_without_allocating);
    tcase_add_test(tc, test_files_that_are_not_keystores_are_named_and_explained);
    tcase_add_test(tc, test_openssl_truststore_without_java_trust_attribute_is_flagged);
    tcase_add_test(tc, test_old_rc2_pkcs12_is_read_through_the_legacy_provider);
    tcase_add_test(tc, test_suspicious_pkcs12_iteration_counts_are_refused_before_deriving);
    tcase_add_test(tc, test_huge_iteration_count_made_by_the_openssl_cli_is_refused);
    tcase_add_test(tc, test_truncated_stores_fail_with_truncated_at_every_offset);
    tcase_add_test(tc, test_bit_flips_in_real_stores_fail_cleanly);
    tcase_add_test(tc, test_random_bytes_never_crash_the_readers);
    tcase_add_test(tc, test_pem_keys_plain_encrypted_and_missing);
    tcase_add_test(tc, test_pem_certificates_in_order_and_corrupted_ones_named);
    tcase_add_test(tc, test_our_jks_encoder_round_trips_identical_entries);
    tcase_add_test(tc, test_our_store_writers_round_trip_in_every_format);
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
