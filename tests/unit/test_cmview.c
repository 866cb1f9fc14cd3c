/* Unit tests for the Review screen's Certificates tab (src/tui/cmview.c) on bundles made by the
 * real cert-manager emitter (k8tls_pki_build + k8tls_bundle_build, which generate no key in that
 * mode), on a Certificate written by hand for the key rules the emitter does not use (JKS, the
 * additional output formats), and the flow rules the output mode needs (the Encryption step owns
 * its keys; key generation restarts when the mode changes). */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/bundle.h"
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "cmview.h"
#include "flow.h"

static void print_diags(const struct k8tls_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}

static struct k8tls_plan *plan(enum k8tls_output_mode mode)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    p->output.mode = mode;
    return p;
}

static struct k8tls_bundle *build(struct k8tls_plan *p)
{
    struct k8tls_diags d;
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    k8tls_plan_validate(p, &d);
    k8tls_plan_resolve(p, &d);
    int rc = k8tls_diags_count(&d, K8TLS_SEV_ERROR) ? -1 : k8tls_pki_build(p, NULL, NULL, &m, &d);
    if (rc == 0)
        rc = k8tls_bundle_build(p, m, &b, &d);
    if (rc != 0)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    return b;
}

/* the text with the viewer's line breaks undone: one space between words */
static char *flat(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    for (; *s; s++) {
        char c = *s == '\n' ? ' ' : *s;
        if (c == ' ' && w > o && w[-1] == ' ')
            continue;
        *w++ = c;
    }
    *w = '\0';
    return o;
}

#define HAS(text, s)                                                                            \
    ck_assert_msg(strstr((text), (s)) != NULL, "missing \"%s\" in:\n%s", (s), (text))

START_TEST(test_files_bundle_has_no_certificates)
{
    struct k8tls_plan *p = plan(K8TLS_OUTPUT_FILES);
    struct k8tls_bundle *b = build(p);
    ck_assert_uint_eq(k8tls_cmview_count(b), 0);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_each_certificate_its_issuer_and_secret_keys)
{
    struct k8tls_plan *p = plan(K8TLS_OUTPUT_CERT_MANAGER);
    struct k8tls_bundle *b = build(p);
    /* the server and client stores, Medusa's client certificate, and the CA */
    ck_assert_uint_eq(k8tls_cmview_count(b), 4);
    char *raw = k8tls_cmview_text(b);
    ck_assert_ptr_nonnull(raw);
    char *t = flat(raw);
    HAS(t, "3 Certificates for the cluster: cert-manager makes their Secrets in namespace "
           "k8ssandra-operator");
    HAS(t, "- Certificate server-encryption-stores (signed by the Issuer test-ca-issuer) makes "
           "the Secret server-encryption-stores: tls.crt, tls.key, ca.crt, keystore.p12, "
           "truststore.p12");
    HAS(t, "- Certificate client-encryption-stores (signed by the Issuer test-ca-issuer) makes "
           "the Secret client-encryption-stores: tls.crt, tls.key, ca.crt, keystore.p12, "
           "truststore.p12");
    /* Medusa's: PEM keys only (the item's line ends there) */
    HAS(raw, "makes the Secret client-certificates: tls.crt, tls.key, ca.crt\n");
    HAS(t, "The CA, made by cert-manager in namespace k8ssandra-operator");
    HAS(t, "- Certificate test-ca (signed by the Issuer test-selfsigned) makes the Secret "
           "test-ca: tls.crt, tls.key, ca.crt");
    HAS(t, "- Issuer test-selfsigned: self-signed");
    HAS(t, "- Issuer test-ca-issuer: signs with the CA in the Secret test-ca");
    HAS(t, "- Secret server-encryption-stores-password: keystore-password, truststore-password");
    ck_assert_ptr_null(strstr(t, "Bundle"));
    free(t);
    free(raw);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_jks_cluster_issuer_and_trust_bundle)
{
    struct k8tls_plan *p = plan(K8TLS_OUTPUT_CERT_MANAGER);
    p->stores.format = K8TLS_FORMAT_JKS;
    p->output.issuer_kind = K8TLS_ISSUER_CLUSTER;
    p->output.trust_manager = true;
    struct k8tls_bundle *b = build(p);
    char *raw = k8tls_cmview_text(b);
    char *t = flat(raw);
    HAS(t, "- Certificate server-encryption-stores (signed by the ClusterIssuer test-ca-issuer) "
           "makes the Secret server-encryption-stores: tls.crt, tls.key, ca.crt, keystore.jks, "
           "truststore.jks");
    /* a ClusterIssuer's CA lives in cert-manager's namespace */
    HAS(t, "The CA, made by cert-manager in namespace cert-manager");
    HAS(t, "- ClusterIssuer test-ca-issuer: signs with the CA in the Secret test-ca");
    HAS(t, "- Bundle test-ca-bundle (trust-manager) makes the Secret test-ca-bundle in namespace "
           "k8ssandra-operator: ca.crt");
    HAS(t, "needs trust-manager with Secret targets enabled");
    ck_assert_ptr_null(strstr(t, "keystore.p12"));
    free(t);
    free(raw);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_keys_of_a_certificate_by_its_spec)
{
    static const char y[] =
        "apiVersion: cert-manager.io/v1\n"
        "kind: Certificate\n"
        "metadata: {name: x, namespace: n}\n"
        "spec:\n"
        "  secretName: x-tls\n"
        "  issuerRef: {name: ca, kind: Issuer}\n"
        "  keystores:\n"
        "    pkcs12: {create: false}\n"
        "    jks: {create: true, passwordSecretRef: {name: p, key: k}}\n"
        "  additionalOutputFormats:\n"
        "  - type: DER\n"
        "  - type: CombinedPEM\n";
    char *name = NULL;
    char *k = k8tls_cmview_cert_keys(y, sizeof y - 1, &name);
    ck_assert_ptr_nonnull(k);
    ck_assert_str_eq(k, "tls.crt, tls.key, ca.crt, keystore.jks, truststore.jks, key.der, "
                        "tls-combined.pem");
    ck_assert_str_eq(name, "x-tls");
    free(k);
    free(name);
    /* not a Certificate, and not YAML */
    static const char s[] = "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n";
    ck_assert_ptr_null(k8tls_cmview_cert_keys(s, sizeof s - 1, &name));
    ck_assert_ptr_null(name);
    static const char bad[] = "kind: [Certificate\n";
    ck_assert_ptr_null(k8tls_cmview_cert_keys(bad, sizeof bad - 1, NULL));
}
END_TEST

START_TEST(test_the_encryption_step_owns_the_output_mode)
{
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.mode"), K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.issuerKind"), K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.trustManager"), K8TLS_SCR_ENCRYPTION);
    /* the rest of output stays on the Output step */
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.directory"), K8TLS_SCR_OUTPUT);
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.clientFiles"), K8TLS_SCR_OUTPUT);
    /* and comes before the Review */
    ck_assert_int_lt(K8TLS_SCR_ENCRYPTION, K8TLS_SCR_REVIEW);
}
END_TEST

START_TEST(test_key_generation_follows_the_mode)
{
    /* files mode makes keys, cert-manager mode none: the material of one is no use to the
     * other, so the fingerprint that keeps the background work differs */
    struct k8tls_plan *p = plan(K8TLS_OUTPUT_FILES);
    char *a = k8tls_flow_pki_fingerprint(p);
    p->output.mode = K8TLS_OUTPUT_CERT_MANAGER;
    char *b = k8tls_flow_pki_fingerprint(p);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_ne(a, b);
    k8tls_secure_free_str(a);
    k8tls_secure_free_str(b);
    k8tls_plan_free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cmview");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_files_bundle_has_no_certificates);
    tcase_add_test(tc, test_each_certificate_its_issuer_and_secret_keys);
    tcase_add_test(tc, test_jks_cluster_issuer_and_trust_bundle);
    tcase_add_test(tc, test_keys_of_a_certificate_by_its_spec);
    tcase_add_test(tc, test_the_encryption_step_owns_the_output_mode);
    tcase_add_test(tc, test_key_generation_follows_the_mode);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
