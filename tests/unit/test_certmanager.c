/* Unit tests for cert-manager mode's C API (include/k8tls/certmanager.h): the names, keys and
 * profiles; what each object of a real bundle (k8tls_bundle_from_plan) makes; that such a bundle
 * holds no key, no store and no password file; that files mode has no cert-manager object. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/bundle.h"
#include "k8tls/certmanager.h"
#include "k8tls/plan.h"

static void print_diags(const struct k8tls_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}

static struct k8tls_plan *cm_plan(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->output.mode = K8TLS_OUTPUT_CERT_MANAGER;
    return p;
}

static struct k8tls_bundle *bundle_ok(struct k8tls_plan *p)
{
    struct k8tls_diags d;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int rc = k8tls_bundle_from_plan(p, NULL, NULL, &b, &d);
    if (rc != 0)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    k8tls_diags_free(&d);
    return b;
}

START_TEST(names)
{
    struct k8tls_plan *p = cm_plan();
    free(p->cluster.name);
    p->cluster.name = strdup("prod");
    const struct { enum k8tls_cm_name n; const char *want; } v[] = {
        {K8TLS_CM_SELFSIGNED_ISSUER, "prod-selfsigned"},
        {K8TLS_CM_CA_CERTIFICATE, "prod-ca"},
        {K8TLS_CM_CA_ISSUER, "prod-ca-issuer"},
        {K8TLS_CM_TRUST_BUNDLE, "prod-ca-bundle"},
        {K8TLS_CM_REAPER_PASSWORD, "prod-reaper-keystore-password"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *s = k8tls_cm_name(p, v[i].n);
        ck_assert_str_eq(s, v[i].want);
        free(s);
    }
    ck_assert_ptr_null(k8tls_cm_name(p, (enum k8tls_cm_name)99));
    char *pw = k8tls_cm_password_secret("server-encryption-stores");
    ck_assert_str_eq(pw, "server-encryption-stores-password");
    free(pw);
    ck_assert_str_eq(k8tls_cm_issuer_kind(p), "Issuer");
    ck_assert_str_eq(k8tls_cm_ca_namespace(p), p->cluster.namespace_);
    p->output.issuer_kind = K8TLS_ISSUER_CLUSTER;
    ck_assert_str_eq(k8tls_cm_issuer_kind(p), "ClusterIssuer");
    ck_assert_str_eq(k8tls_cm_ca_namespace(p), "cert-manager");
    ck_assert(k8tls_plan_cert_manager(p));
    p->output.mode = K8TLS_OUTPUT_FILES;
    ck_assert(!k8tls_plan_cert_manager(p));
    ck_assert(!k8tls_plan_cert_manager(NULL));
    k8tls_plan_free(p);
}
END_TEST

START_TEST(keys_and_profiles)
{
    struct k8tls_plan *p = cm_plan();
    ck_assert_str_eq(k8tls_cm_keystore_key(p), "keystore.p12");
    ck_assert_str_eq(k8tls_cm_truststore_key(p), "truststore.p12");
    ck_assert_str_eq(k8tls_cm_p12_profile(p), "Modern2023");
    p->stores.p12_profile = K8TLS_P12_LEGACY;
    /* legacy is 3DES with SHA-1 (S4): cert-manager's LegacyDES, never its default LegacyRC2 */
    ck_assert_str_eq(k8tls_cm_p12_profile(p), "LegacyDES");
    p->stores.format = K8TLS_FORMAT_JKS;
    ck_assert_str_eq(k8tls_cm_keystore_key(p), "keystore.jks");
    ck_assert_str_eq(k8tls_cm_truststore_key(p), "truststore.jks");
    k8tls_plan_free(p);
}
END_TEST

static size_t count_kind(const struct k8tls_bundle *b, enum k8tls_artifact_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->v[i].kind == k;
    return n;
}

static const struct k8tls_artifact *find_named(const struct k8tls_bundle *b, const char *kind,
                                               const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].k8s_kind && strcmp(b->v[i].k8s_kind, kind) == 0 && b->v[i].k8s_name &&
            strcmp(b->v[i].k8s_name, name) == 0)
            return &b->v[i];
    return NULL;
}

START_TEST(bundle_holds_no_key)
{
    struct k8tls_plan *p = cm_plan();
    struct k8tls_bundle *b = bundle_ok(p);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_CA_KEY), 0);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_CA_CERT), 0);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_STORE), 0);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_PEM), 0);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_PASSWORD), 0);
    /* Issuer, CA Certificate, CA Issuer, 3 leaf Certificates */
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_CM_OBJECT), 6);
    /* the two password Secrets, 0600 and secret */
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_SECRET), 2);
    const struct k8tls_artifact *a = find_named(b, "Secret", "server-encryption-stores-password");
    ck_assert_ptr_nonnull(a);
    ck_assert(a->secret);
    ck_assert_uint_eq(a->mode, 0600);
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].kind == K8TLS_ART_CM_OBJECT) {
            ck_assert_ptr_nonnull(b->v[i].k8s_kind);
            ck_assert(!b->v[i].secret);
            ck_assert_ptr_null(memmem(b->v[i].data, b->v[i].len, "PRIVATE KEY", 11));
        }
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(products)
{
    struct k8tls_plan *p = cm_plan();
    p->output.issuer_kind = K8TLS_ISSUER_CLUSTER;
    p->output.trust_manager = true;
    struct k8tls_bundle *b = bundle_ok(p);
    struct k8tls_cm_product pr;

    const struct k8tls_artifact *a = find_named(b, "Certificate", "server-encryption-stores");
    ck_assert_ptr_nonnull(a);
    ck_assert(k8tls_cm_product_of(p, a, &pr));
    ck_assert_str_eq(pr.secret, "server-encryption-stores");
    ck_assert_str_eq(pr.ns, p->cluster.namespace_);
    ck_assert_str_eq(pr.keys, "ca.crt, tls.crt, tls.key, keystore.p12, truststore.p12");

    a = find_named(b, "Certificate", "client-certificates");
    ck_assert(k8tls_cm_product_of(p, a, &pr));
    ck_assert_str_eq(pr.keys, "ca.crt, tls.crt, tls.key");

    /* the CA lives in cert-manager's namespace with ClusterIssuers */
    a = find_named(b, "Certificate", "test-ca");
    ck_assert(k8tls_cm_product_of(p, a, &pr));
    ck_assert_str_eq(pr.ns, "cert-manager");
    ck_assert_str_eq(pr.keys, "ca.crt, tls.crt, tls.key");

    /* the Bundle's target Secret, in the cluster's namespace */
    a = find_named(b, "Bundle", "test-ca-bundle");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(a->k8s_namespace);
    ck_assert(k8tls_cm_product_of(p, a, &pr));
    ck_assert_str_eq(pr.secret, "test-ca-bundle");
    ck_assert_str_eq(pr.ns, p->cluster.namespace_);
    ck_assert_str_eq(pr.keys, "ca.crt, truststore.p12");

    a = find_named(b, "ClusterIssuer", "test-ca-issuer");
    ck_assert_ptr_nonnull(a);
    ck_assert(!k8tls_cm_product_of(p, a, &pr));
    a = find_named(b, "Secret", "server-encryption-stores-password");
    ck_assert(!k8tls_cm_product_of(p, a, &pr));
    ck_assert(!k8tls_cm_product_of(p, NULL, &pr));
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(files_mode_unchanged)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    struct k8tls_bundle *b = bundle_ok(p);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_CM_OBJECT), 0);
    ck_assert_uint_eq(count_kind(b, K8TLS_ART_CA_KEY), 1);
    const struct k8tls_artifact *k = k8tls_bundle_find(b, "kustomization.yaml");
    ck_assert_ptr_nonnull(k);
    ck_assert_ptr_null(memmem(k->data, k->len, "sortOptions", 11));
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("certmanager");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, names);
    tcase_add_test(tc, keys_and_profiles);
    tcase_add_test(tc, bundle_holds_no_key);
    tcase_add_test(tc, products);
    tcase_add_test(tc, files_mode_unchanged);
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
