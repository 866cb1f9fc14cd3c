/* Unit tests for the plan: the built-in defaults and every validation rule that needs no crypto
 * (K8, K10, K11, K12, K15), and password resolution. */
#include "config.h"
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/plan.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"

/* Is there a diagnostic of severity sev at path whose message holds text (NULL: any)? */
static bool has(const struct k8tls_diags *d, enum k8tls_severity sev, const char *path,
                const char *text)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct k8tls_diag *g = &d->v[i];
        if (g->sev == sev && g->path && strcmp(g->path, path) == 0 &&
            (!text || strstr(g->msg, text)))
            return true;
    }
    return false;
}

static void dump(const struct k8tls_diags *d)
{
    k8tls_diags_print(d, stderr);
}

static void set(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
}

/* Validates p; returns the number of errors; d must be initialised by the caller. */
static size_t validate(const struct k8tls_plan *p, struct k8tls_diags *d)
{
    size_t n = k8tls_plan_validate(p, d);
    ck_assert_uint_eq(n, k8tls_diags_count(d, K8TLS_SEV_ERROR));
    return n;
}

START_TEST(test_defaults_are_what_a_real_cluster_wants)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->cluster.name, "test");
    ck_assert_str_eq(p->cluster.namespace_, "k8ssandra-operator");
    ck_assert_str_eq(p->cluster.manifest, "");
    ck_assert_int_eq(p->cluster.server_type, K8TLS_SERVER_CASSANDRA);
    ck_assert_str_eq(p->cluster.server_version, "4.1.12");   /* a current release */
    ck_assert_str_eq(p->cluster.storage_class, "standard");
    ck_assert_str_eq(p->cluster.storage_size, "5Gi");
    ck_assert_uint_eq(p->cluster.n_dcs, 1);
    ck_assert_str_eq(p->cluster.dcs[0].name, "dc1");
    ck_assert_int_eq(p->cluster.dcs[0].size, 3);
    ck_assert_str_eq(p->cluster.dcs[0].k8s_context, "");
    ck_assert(!p->cluster.stargate.enabled);   /* deprecated (K15) */
    ck_assert_int_eq(p->cluster.stargate.size, 1);
    ck_assert(p->cluster.reaper.enabled);
    ck_assert_str_eq(p->cluster.reaper.deployment_mode, "SINGLE");
    ck_assert(p->cluster.medusa.enabled);
    ck_assert_str_eq(p->cluster.medusa.storage_provider, "s3");
    ck_assert_str_eq(p->cluster.medusa.bucket_name, "k8ssandra-medusa");
    ck_assert_str_eq(p->cluster.medusa.storage_secret, "medusa-bucket-key");
    ck_assert_int_eq(p->encryption.internode.mode, K8TLS_INTERNODE_ALL);
    ck_assert(p->encryption.internode.require_client_auth);
    ck_assert(!p->encryption.internode.require_endpoint_verification);
    ck_assert(p->encryption.client.enabled);
    ck_assert(!p->encryption.client.optional);
    ck_assert(p->encryption.client.require_client_auth);
    ck_assert(p->encryption.medusa.enabled);
    ck_assert_int_eq(p->encryption.medusa.source, K8TLS_SOURCE_GENERATE);
    ck_assert_str_eq(p->encryption.medusa.secret_name, "client-certificates");
    ck_assert_int_eq(p->stores.format, K8TLS_FORMAT_PKCS12);
    ck_assert_int_eq(p->stores.p12_profile, K8TLS_P12_MODERN);
    ck_assert_str_eq(p->stores.server.secret_name, "server-encryption-stores");
    ck_assert_str_eq(p->stores.client.secret_name, "client-encryption-stores");
    ck_assert_int_eq(p->stores.server.source, K8TLS_SOURCE_GENERATE);
    ck_assert_int_eq(p->stores.client.source, K8TLS_SOURCE_GENERATE);
    /* K2 default Secret keys */
    ck_assert_str_eq(p->stores.server.keys.keystore, "keystore");
    ck_assert_str_eq(p->stores.server.keys.truststore, "truststore");
    ck_assert_str_eq(p->stores.server.keys.keystore_password, "keystore-password");
    ck_assert_str_eq(p->stores.client.keys.truststore_password, "truststore-password");
    ck_assert_ptr_null(p->stores.server.keystore_password.ref);
    ck_assert_int_eq(p->ca.source, K8TLS_SOURCE_GENERATE);
    /* no placeholder subject: the CN follows the cluster name, the rest is left out */
    ck_assert_str_eq(p->ca.subject.C, "");
    ck_assert_str_eq(p->ca.subject.ST, "");
    ck_assert_str_eq(p->ca.subject.L, "");
    ck_assert_str_eq(p->ca.subject.O, "");
    ck_assert_str_eq(p->ca.subject.OU, "");
    ck_assert_str_eq(p->ca.subject.CN, "");
    ck_assert_str_eq(p->ca.subject.emailAddress, "");
    char *cn = k8tls_plan_ca_common_name(p);
    ck_assert_str_eq(cn, "test root CA");
    free(cn);
    ck_assert_int_eq(p->ca.key.alg, K8TLS_KEY_RSA);
    ck_assert_int_eq(p->ca.key.bits, 3072);
    ck_assert_int_eq(p->ca.validity_days, 10000);
    ck_assert_int_eq(p->certificates.validity_days, 3650);
    ck_assert_uint_eq(p->certificates.n_extra_sans, 0);
    ck_assert(!p->certificates.key.set);
    ck_assert_str_eq(p->output.directory, "k8tls-out");
    ck_assert(!p->output.create_namespace);
    ck_assert_ptr_null(p->source_file);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_defaults_validate_without_a_warning)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    size_t n = validate(p, &d);
    if (n || d.n != 0)
        dump(&d);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_uint_eq(k8tls_plan_resolve(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_defaults_produce_every_kind_of_material)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert(k8tls_plan_wants_server_stores(p));
    ck_assert(k8tls_plan_wants_client_stores(p));
    ck_assert(k8tls_plan_wants_medusa_certs(p));
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    ck_assert(!k8tls_plan_wants_server_stores(p));
    p->encryption.client.enabled = false;
    ck_assert(!k8tls_plan_wants_client_stores(p));
    ck_assert(!k8tls_plan_wants_medusa_certs(p));
    p->encryption.client.enabled = true;
    p->cluster.medusa.enabled = false;
    ck_assert(!k8tls_plan_wants_medusa_certs(p));
    p->cluster.medusa.enabled = true;
    p->encryption.medusa.enabled = false;
    ck_assert(!k8tls_plan_wants_medusa_certs(p));
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_dup_is_deep_and_the_same)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    char what[128];
    set(&p->stores.server.keystore_password.ref, "env:KS");
    p->certificates.extra_sans = calloc(1, sizeof(char *));
    p->certificates.extra_sans[0] = strdup("cassandra.example.com");
    p->certificates.n_extra_sans = 1;
    k8tls_plan_set_pos(p, "cluster.name", (struct k8tls_pos){2, 9});
    struct k8tls_plan *c = k8tls_plan_dup(p);
    ck_assert_ptr_nonnull(c);
    ck_assert(k8tls_plan_same(p, c, what, sizeof what));
    ck_assert_ptr_ne(c->cluster.name, p->cluster.name);
    ck_assert_ptr_ne(c->cluster.dcs, p->cluster.dcs);
    ck_assert_ptr_ne(c->certificates.extra_sans[0], p->certificates.extra_sans[0]);
    ck_assert_int_eq(k8tls_plan_pos(c, "cluster.name").line, 2);
    ck_assert_int_eq(k8tls_plan_pos(c, "cluster.name").col, 9);
    set(&c->cluster.dcs[0].name, "dc9");
    ck_assert(!k8tls_plan_same(p, c, what, sizeof what));
    ck_assert_str_eq(what, "cluster.datacenters[0].name");
    ck_assert_str_eq(p->cluster.dcs[0].name, "dc1");
    k8tls_plan_free(c);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_enum_names_parse_back)
{
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(k8tls_server_type_parse(k8tls_server_type_name(i)), i);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(k8tls_internode_mode_parse(k8tls_internode_mode_name(i)), i);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(k8tls_source_parse(k8tls_source_name(i)), i);
    ck_assert_str_eq(k8tls_store_format_name(K8TLS_FORMAT_JKS), "jks");
    ck_assert_str_eq(k8tls_p12_profile_name(K8TLS_P12_LEGACY), "legacy");
    ck_assert_str_eq(k8tls_key_alg_name(K8TLS_KEY_ECDSA), "ecdsa");
    ck_assert_str_eq(k8tls_curve_name(K8TLS_CURVE_P384), "P-384");
    ck_assert_int_eq(k8tls_curve_parse("P-256"), K8TLS_CURVE_P256);
    ck_assert_int_eq(k8tls_internode_mode_parse("ALL"), -1);
    ck_assert_int_eq(k8tls_store_format_parse(NULL), -1);
}
END_TEST

START_TEST(test_medusa_certificate_requires_client_encryption_k8)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->encryption.client.enabled = false;   /* encryption.medusa.enabled stays true */
    ck_assert_uint_ge(validate(p, &d), 1);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.enabled", "client encryption"));
    k8tls_diags_free(&d);
    /* without the Medusa certificate, no client encryption is fine */
    k8tls_diags_init(&d);
    p->encryption.medusa.enabled = false;
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_medusa_with_client_encryption_and_no_certificate_is_refused)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->encryption.medusa.enabled = false;
    ck_assert_uint_eq(validate(p, &d), 1);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.enabled", "refuses Medusa"));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    p->cluster.medusa.enabled = false;   /* no Medusa at all: fine */
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_internode_dc_or_rack_with_client_auth_warns_k12)
{
    enum k8tls_internode_mode modes[] = {K8TLS_INTERNODE_DC, K8TLS_INTERNODE_RACK};
    for (int i = 0; i < 2; i++) {
        struct k8tls_plan *p = k8tls_plan_new_defaults();
        struct k8tls_diags d;
        k8tls_diags_init(&d);
        p->encryption.internode.mode = modes[i];
        ck_assert_uint_eq(validate(p, &d), 0);
        ck_assert(has(&d, K8TLS_SEV_WARNING, "encryption.internode.mode", "mode all is advised"));
        k8tls_diags_free(&d);
        k8tls_diags_init(&d);
        p->encryption.internode.require_client_auth = false;
        validate(p, &d);
        ck_assert(!has(&d, K8TLS_SEV_WARNING, "encryption.internode.mode", NULL));
        k8tls_diags_free(&d);
        k8tls_plan_free(p);
    }
    struct k8tls_plan *p = k8tls_plan_new_defaults();   /* all + client auth: no warning */
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    validate(p, &d);
    ck_assert(!has(&d, K8TLS_SEV_WARNING, "encryption.internode.mode", NULL));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_user_passwords_are_checked_against_k11_with_the_reason)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    set(&p->stores.server.keystore_password.ref, "has$dollar");
    set(&p->stores.server.truststore_password.ref, "short");
    set(&p->stores.client.keystore_password.ref, "it's-quoted");
    set(&p->stores.client.truststore_password.ref, "Good.Pass-word_1");
    ck_assert_uint_eq(validate(p, &d), 3);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.keystorePassword", "'$'"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.truststorePassword", "6 characters"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.keystorePassword", "quot"));
    ck_assert(!has(&d, K8TLS_SEV_ERROR, "stores.client.truststorePassword", NULL));
    k8tls_diags_free(&d);
    /* passwords of stores the plan does not make are not judged */
    k8tls_diags_init(&d);
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    p->encryption.client.enabled = false;
    p->encryption.medusa.enabled = false;
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_server_version_must_be_n_n_n_and_fit_the_server_type)
{
    static const struct {
        enum k8tls_server_type t;
        const char *v;
        bool ok;
    } cases[] = {
        {K8TLS_SERVER_CASSANDRA, "4.0.1", true}, {K8TLS_SERVER_CASSANDRA, "3.11.17", true},
        {K8TLS_SERVER_CASSANDRA, "4.1.5", true}, {K8TLS_SERVER_CASSANDRA, "5.0.2", true},
        {K8TLS_SERVER_CASSANDRA, "3.0.29", false}, {K8TLS_SERVER_CASSANDRA, "6.8.50", false},
        {K8TLS_SERVER_CASSANDRA, "4.0", false}, {K8TLS_SERVER_CASSANDRA, "4.0.1-beta", false},
        {K8TLS_SERVER_CASSANDRA, "v4.0.1", false}, {K8TLS_SERVER_CASSANDRA, "", false},
        {K8TLS_SERVER_CASSANDRA, "4..1", false},
        {K8TLS_SERVER_DSE, "6.8.50", true}, {K8TLS_SERVER_DSE, "6.9.3", true},
        {K8TLS_SERVER_DSE, "6.7.1", false}, {K8TLS_SERVER_DSE, "4.0.1", false},
        {K8TLS_SERVER_HCD, "1.0.0", true}, {K8TLS_SERVER_HCD, "1.2.3", true},
        {K8TLS_SERVER_HCD, "2.0.0", false}, {K8TLS_SERVER_HCD, "4.0.1", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct k8tls_plan *p = k8tls_plan_new_defaults();
        struct k8tls_diags d;
        k8tls_diags_init(&d);
        p->cluster.server_type = cases[i].t;
        set(&p->cluster.server_version, cases[i].v);
        validate(p, &d);
        bool bad = has(&d, K8TLS_SEV_ERROR, "cluster.serverVersion", NULL);
        ck_assert_msg(bad == !cases[i].ok, "%s %s: expected %s", k8tls_server_type_name(cases[i].t),
                      cases[i].v, cases[i].ok ? "accepted" : "refused");
        k8tls_diags_free(&d);
        k8tls_plan_free(p);
    }
}
END_TEST

START_TEST(test_names_must_be_dns1123_k10)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    set(&p->cluster.name, "Test");
    set(&p->cluster.namespace_, "k8ssandra_operator");
    set(&p->cluster.dcs[0].name, "dc1-");
    set(&p->stores.server.secret_name, "server stores");
    set(&p->stores.client.secret_name, "-client");
    set(&p->encryption.medusa.secret_name, "Client-Certificates");
    ck_assert_uint_eq(validate(p, &d), 6);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.name", "DNS-1123 label"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.namespace", "DNS-1123 label"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.datacenters[0].name", "DNS-1123 label"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.secretName", "DNS-1123 subdomain"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.secretName", "DNS-1123 subdomain"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.secretName", "DNS-1123 subdomain"));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);

    ck_assert(k8tls_dns1123_label("a"));
    ck_assert(k8tls_dns1123_label("dc-1"));
    ck_assert(!k8tls_dns1123_label(""));
    ck_assert(!k8tls_dns1123_label("a.b"));
    char long_label[80];
    memset(long_label, 'a', 64);
    long_label[64] = '\0';
    ck_assert(!k8tls_dns1123_label(long_label));
    long_label[63] = '\0';
    ck_assert(k8tls_dns1123_label(long_label));
    ck_assert(k8tls_dns1123_subdomain("medusa.bucket-key"));
    ck_assert(!k8tls_dns1123_subdomain("a..b"));
    ck_assert(!k8tls_dns1123_subdomain(".a"));
}
END_TEST

START_TEST(test_datacenters_need_a_size_of_at_least_one_and_distinct_names)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_plan_set_dcs(p, 3), 0);
    const char *names[] = {"dc1", "dc2", "dc1"};
    int sizes[] = {0, 3, -2};
    for (int i = 0; i < 3; i++) {
        p->cluster.dcs[i].name = strdup(names[i]);
        p->cluster.dcs[i].k8s_context = strdup("");
        p->cluster.dcs[i].size = sizes[i];
    }
    ck_assert_uint_eq(validate(p, &d), 3);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.datacenters[0].size", "at least 1"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.datacenters[2].size", "at least 1"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.datacenters[2].name", "used twice"));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    k8tls_plan_set_dcs(p, 0);
    ck_assert_uint_eq(validate(p, &d), 1);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.datacenters", "at least one datacenter"));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_stargate_is_flagged_deprecated_k15)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->cluster.stargate.enabled = true;
    validate(p, &d);
    ck_assert(has(&d, K8TLS_SEV_WARNING, "cluster.stargate.enabled", "DEPRECATED"));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    p->cluster.stargate.enabled = false;
    validate(p, &d);
    ck_assert(!has(&d, K8TLS_SEV_WARNING, "cluster.stargate.enabled", NULL));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_each_server_types_default_version_fits_it)
{
    for (int t = K8TLS_SERVER_CASSANDRA; t <= K8TLS_SERVER_HCD; t++) {
        const char *v = k8tls_server_default_version((enum k8tls_server_type)t);
        ck_assert_msg(k8tls_server_version_fits((enum k8tls_server_type)t, v), "%s %s",
                      k8tls_server_type_name((enum k8tls_server_type)t), v);
        for (int o = K8TLS_SERVER_CASSANDRA; o <= K8TLS_SERVER_HCD; o++)
            if (o != t)
                ck_assert(!k8tls_server_version_fits((enum k8tls_server_type)o, v));
    }
    ck_assert_str_eq(k8tls_server_default_version(K8TLS_SERVER_CASSANDRA), "4.1.12");
}
END_TEST

START_TEST(test_the_ca_common_name_follows_the_cluster_name)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    set(&p->cluster.name, "prod");
    char *cn = k8tls_plan_ca_common_name(p);
    ck_assert_str_eq(cn, "prod root CA");
    free(cn);
    /* 63 characters: the name alone fits the 64 of a common name */
    set(&p->cluster.name, "a23456789012345678901234567890123456789012345678901234567890123");
    cn = k8tls_plan_ca_common_name(p);
    ck_assert_str_eq(cn, p->cluster.name);
    free(cn);
    set(&p->ca.subject.CN, "Acme Cassandra CA");
    cn = k8tls_plan_ca_common_name(p);
    ck_assert_str_eq(cn, "Acme Cassandra CA");
    free(cn);
    k8tls_plan_free(p);
}
END_TEST

/* X7: the docs' example subject is accepted, with one warning naming its fields */
START_TEST(test_the_docs_placeholder_subject_is_warned_x7)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    set(&p->ca.subject.C, "FR");
    set(&p->ca.subject.ST, "IDF");
    set(&p->ca.subject.L, "Paris");
    k8tls_diags_init(&d);
    ck_assert_uint_eq(validate(p, &d), 0);
    ck_assert_uint_eq(d.n, 0);   /* a real place is no placeholder */
    k8tls_diags_free(&d);
    set(&p->ca.subject.O, "YourCompany");
    set(&p->ca.subject.OU, "SSLTestCluster");
    set(&p->ca.subject.CN, "SSLTestClusterRootCA");
    set(&p->ca.subject.emailAddress, "youraddress@whatever.com");
    k8tls_diags_init(&d);
    ck_assert_uint_eq(validate(p, &d), 0);
    ck_assert_uint_eq(d.n, 1);
    ck_assert(has(&d, K8TLS_SEV_WARNING, "ca.subject.C",
                  "(C, ST, L, O, OU, CN, emailAddress): put your own"));
    k8tls_diags_free(&d);
    set(&p->ca.subject.C, "");
    set(&p->ca.subject.ST, "");
    set(&p->ca.subject.L, "");
    set(&p->ca.subject.OU, "");
    set(&p->ca.subject.CN, "");
    set(&p->ca.subject.emailAddress, "");
    k8tls_diags_init(&d);
    validate(p, &d);
    ck_assert(has(&d, K8TLS_SEV_WARNING, "ca.subject.O", "(O)"));
    k8tls_diags_free(&d);
    p->ca.source = K8TLS_SOURCE_IMPORT;   /* an imported CA's subject is not the plan's */
    set(&p->ca.import_cert, "ca.crt");
    set(&p->ca.import_key, "ca.key");
    k8tls_diags_init(&d);
    validate(p, &d);
    ck_assert(!has(&d, K8TLS_SEV_WARNING, "ca.subject.O", NULL));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_validity_days_rules)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->ca.validity_days = 0;
    p->certificates.validity_days = -5;
    ck_assert_uint_eq(validate(p, &d), 2);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "ca.validityDays", NULL));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "certificates.validityDays", NULL));
    k8tls_diags_free(&d);

    k8tls_diags_init(&d);   /* certificates past the CA's end: warning */
    p->ca.validity_days = 1000;
    p->certificates.validity_days = 3650;
    ck_assert_uint_eq(validate(p, &d), 0);
    ck_assert(has(&d, K8TLS_SEV_WARNING, "certificates.validityDays", "outlive the CA"));
    ck_assert(!has(&d, K8TLS_SEV_WARNING, "ca.validityDays", NULL));
    k8tls_diags_free(&d);

    k8tls_diags_init(&d);   /* a CA under a year: warning */
    p->ca.validity_days = 200;
    p->certificates.validity_days = 100;
    ck_assert_uint_eq(validate(p, &d), 0);
    ck_assert(has(&d, K8TLS_SEV_WARNING, "ca.validityDays", "200 days"));
    ck_assert(!has(&d, K8TLS_SEV_WARNING, "certificates.validityDays", NULL));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_key_sizes_are_2048_3072_or_4096)
{
    int sizes[] = {1024, 2048, 3000, 3072, 4096, 8192};
    bool ok[] = {false, true, false, true, true, false};
    for (int i = 0; i < 6; i++) {
        struct k8tls_plan *p = k8tls_plan_new_defaults();
        struct k8tls_diags d;
        k8tls_diags_init(&d);
        p->ca.key.bits = sizes[i];
        p->certificates.key.set = true;
        p->certificates.key.alg = K8TLS_KEY_RSA;
        p->certificates.key.bits = sizes[i];
        validate(p, &d);
        ck_assert_int_eq(has(&d, K8TLS_SEV_ERROR, "ca.key.size", NULL), !ok[i]);
        ck_assert_int_eq(has(&d, K8TLS_SEV_ERROR, "certificates.key.size", NULL), !ok[i]);
        k8tls_diags_free(&d);
        k8tls_plan_free(p);
    }
    /* ecdsa keys take a curve: the size is not judged */
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P384;
    p->ca.key.bits = 0;
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_import_sources_need_their_paths)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->ca.source = K8TLS_SOURCE_IMPORT;
    p->stores.server.source = K8TLS_SOURCE_IMPORT;
    p->encryption.medusa.source = K8TLS_SOURCE_IMPORT;
    validate(p, &d);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "ca.import.cert", NULL));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "ca.import.key", NULL));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.import.keystore", NULL));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.import.truststore", NULL));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.import.keystorePassword", "password"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.import.truststorePassword", "password"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.import.ca", "rootca.crt"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.import.cert", "client.crt_signed"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "encryption.medusa.import.key", "client.key"));
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 9);
    k8tls_diags_free(&d);

    k8tls_diags_init(&d);
    set(&p->ca.import_cert, "ca.crt");
    set(&p->ca.import_key, "ca.key");
    set(&p->stores.server.keystore_path, "ks.p12");
    set(&p->stores.server.truststore_path, "ts.p12");
    set(&p->stores.server.keystore_password.ref, "env:KS_PW");
    set(&p->stores.server.truststore_password.ref, "file:ts.pw");
    set(&p->encryption.medusa.import_ca, "rootca.crt");
    set(&p->encryption.medusa.import_cert, "client.crt_signed");
    set(&p->encryption.medusa.import_key, "client.key");
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_client_stores_reuse_needs_server_stores)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->stores.client.source = K8TLS_SOURCE_REUSE;
    ck_assert_uint_eq(validate(p, &d), 0);
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    ck_assert_uint_eq(validate(p, &d), 1);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.source", "no server stores"));
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    p->encryption.internode.mode = K8TLS_INTERNODE_ALL;
    p->stores.server.source = K8TLS_SOURCE_REUSE;
    validate(p, &d);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.server.source", "only for stores.client"));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_secrets_need_distinct_names)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    set(&p->stores.client.secret_name, "server-encryption-stores");
    set(&p->encryption.medusa.secret_name, "medusa-bucket-key");
    ck_assert_uint_eq(validate(p, &d), 2);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.secretName", "stores.server.secretName"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.medusa.storageSecret", "encryption.medusa.secretName"));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_extra_sans_are_dns_names_or_ip_addresses)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    const char *sans[] = {"cassandra.example.com", "*.dc1.example.com", "10.0.0.7", "::1",
                          "bad name", "-x.example.com"};
    p->certificates.extra_sans = calloc(6, sizeof(char *));
    for (int i = 0; i < 6; i++)
        p->certificates.extra_sans[i] = strdup(sans[i]);
    p->certificates.n_extra_sans = 6;
    ck_assert_uint_eq(validate(p, &d), 2);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "certificates.extraSANs[4]", "bad name"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "certificates.extraSANs[5]", NULL));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_validation_names_the_file_position_of_the_key)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->source_file = strdup("answers.yaml");
    set(&p->cluster.name, "Bad");
    k8tls_plan_set_pos(p, "cluster.name", (struct k8tls_pos){3, 9});
    validate(p, &d);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "cluster.name", NULL));
    char buf[512];
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].path && strcmp(d.v[i].path, "cluster.name") == 0)
            ck_assert_ptr_nonnull(strstr(k8tls_diag_format(&d.v[i], buf, sizeof buf),
                                         "answers.yaml:3:9: error: cluster.name: "));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_resolve_reads_env_and_file_references_and_checks_k11)
{
    char dir[] = "/tmp/k8tls-plan-test.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/ts.pw", dir);
    FILE *f = fopen(path, "w");
    fputs("from-a-file-123\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/answers.yaml", dir);

    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->source_file = strdup(path);
    setenv("K8TLS_TEST_KS_PW", "from-the-env-1", 1);
    setenv("K8TLS_TEST_BAD_PW", "bad pass word", 1);
    unsetenv("K8TLS_TEST_UNSET_PW");
    set(&p->stores.server.keystore_password.ref, "env:K8TLS_TEST_KS_PW");
    set(&p->stores.server.truststore_password.ref, "file:ts.pw");   /* beside the answers */
    set(&p->stores.client.keystore_password.ref, "env:K8TLS_TEST_UNSET_PW");
    set(&p->stores.client.truststore_password.ref, "env:K8TLS_TEST_BAD_PW");
    p->stores.client.keystore_password.pos = (struct k8tls_pos){20, 23};
    k8tls_plan_set_pos(p, "stores.client.keystorePassword", (struct k8tls_pos){20, 23});
    ck_assert_uint_eq(k8tls_plan_resolve(p, &d), 2);
    ck_assert_str_eq(p->stores.server.keystore_password.value, "from-the-env-1");
    ck_assert_str_eq(p->stores.server.truststore_password.value, "from-a-file-123");
    ck_assert_ptr_null(p->stores.client.keystore_password.value);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.keystorePassword", "K8TLS_TEST_UNSET_PW"));
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.truststorePassword", "white space"));
    for (size_t i = 0; i < d.n; i++)
        if (strcmp(d.v[i].path, "stores.client.keystorePassword") == 0) {
            ck_assert_int_eq(d.v[i].line, 20);
            ck_assert_int_eq(d.v[i].col, 23);
            ck_assert_str_eq(d.v[i].file, path);
        }
    k8tls_diags_free(&d);

    /* a missing file */
    k8tls_diags_init(&d);
    set(&p->stores.client.keystore_password.ref, "file:nope.pw");
    set(&p->stores.client.truststore_password.ref, "literal-pass");
    ck_assert_uint_eq(k8tls_plan_resolve(p, &d), 1);
    ck_assert(has(&d, K8TLS_SEV_ERROR, "stores.client.keystorePassword", "nope.pw"));
    ck_assert_str_eq(p->stores.client.truststore_password.value, "literal-pass");
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
    snprintf(path, sizeof path, "%s/ts.pw", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_base_dir_is_the_answers_files_directory)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    char *b = k8tls_plan_base_dir(p);
    ck_assert_str_eq(b, ".");
    free(b);
    p->source_file = strdup("conf/prod/answers.yaml");
    b = k8tls_plan_base_dir(p);
    ck_assert_str_eq(b, "conf/prod");
    free(b);
    free(p->source_file);
    p->source_file = strdup("/answers.yaml");
    b = k8tls_plan_base_dir(p);
    ck_assert_str_eq(b, "/");
    free(b);
    k8tls_plan_free(p);
}
END_TEST

/* k8tls_diags_add_err: a failed call's error (k8tls_err) becomes an error diagnostic. */
START_TEST(test_an_error_becomes_a_diagnostic_with_its_file_position)
{
    struct k8tls_diags d;
    struct k8tls_err e;
    char buf[1200];
    k8tls_diags_init(&d);
    k8tls_err_clear(&e);
    k8tls_err_set(&e, "ca.key", 3, 7, "%s", "not a key");
    k8tls_diags_add_err(&d, "ca.import.key", &e);
    k8tls_err_clear(&e);
    k8tls_err_set(&e, NULL, 0, 0, "%s", "out of memory");
    k8tls_diags_add_err(&d, NULL, &e);
    ck_assert_uint_eq(d.n, 2);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 2);
    ck_assert_str_eq(d.v[0].file, "ca.key");
    ck_assert_int_eq(d.v[0].line, 3);
    ck_assert_int_eq(d.v[0].col, 7);
    ck_assert_str_eq(d.v[0].path, "ca.import.key");
    ck_assert_str_eq(d.v[0].msg, "not a key");
    ck_assert_ptr_null(d.v[1].file);     /* no file: none, not "" */
    ck_assert_ptr_null(d.v[1].path);
    ck_assert_str_eq(k8tls_diag_format(&d.v[1], buf, sizeof buf), "error: out of memory");
    k8tls_diags_free(&d);
}
END_TEST

/* k8tls_plan_dc_context_is_first: NEXT-STEPS.md of the bundle and of a rotation phase list each
 * context that runs a datacenter once. */
START_TEST(test_each_datacenter_context_is_first_once)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(k8tls_plan_set_dcs(p, 5), 0);
    const char *ctx[5] = { "east", NULL, "west", "east", "" };
    for (size_t i = 0; i < 5; i++)
        p->cluster.dcs[i].k8s_context = ctx[i] ? strdup(ctx[i]) : NULL;
    ck_assert(k8tls_plan_dc_context_is_first(p, 0));
    ck_assert(!k8tls_plan_dc_context_is_first(p, 1));    /* none */
    ck_assert(k8tls_plan_dc_context_is_first(p, 2));
    ck_assert(!k8tls_plan_dc_context_is_first(p, 3));    /* east again */
    ck_assert(!k8tls_plan_dc_context_is_first(p, 4));    /* empty */
    ck_assert(!k8tls_plan_dc_context_is_first(p, 5));    /* no such datacenter */
    k8tls_plan_free(p);
}
END_TEST

/* Each key in turn changed on a copy of the defaults: the copy is deep, and the comparison names
 * exactly that key (or finds no difference when the key does not apply, as a curve of an rsa
 * key). Walks the schema table, so a new row is covered without a new test. */
static void change_each_key(const struct k8tls_plan *dflt, const struct k8tls_key *t,
                            const struct k8tls_key *parent, const char *path, int *n)
{
    for (const struct k8tls_key *r = t; r->name; r++) {
        char sub[256], val[64], what[256];
        if (r->flags & (K8TLS_KF_HIDDEN | K8TLS_KF_ALIAS) || r->type == K8TLS_KT_CONST)
            continue;
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", r->name);
        if (r->type == K8TLS_KT_GROUP || r->type == K8TLS_KT_LIST) {
            if (r->type == K8TLS_KT_LIST)
                strcat(sub, "[0]");
            change_each_key(dflt, r->sub, r, sub, n);
            continue;
        }
        const char *const *allowed = k8tls_key_allowed(r, parent);
        switch (r->type) {
        case K8TLS_KT_BOOL:
            snprintf(val, sizeof val, "%s", r->dflt_int ? "false" : "true");
            break;
        case K8TLS_KT_INT:
            snprintf(val, sizeof val, "%d", r->dflt_int + 1);
            break;
        case K8TLS_KT_ENUM:
            snprintf(val, sizeof val, "%s", allowed[r->dflt_int == 0 ? 1 : 0]);
            break;
        case K8TLS_KT_STR_ENUM:
            snprintf(val, sizeof val, "%s",
                     strcmp(allowed[0], k8tls_key_default(r, parent)) ? allowed[0] : allowed[1]);
            break;
        default:
            snprintf(val, sizeof val, "changed-%d", *n);
            break;
        }
        struct k8tls_plan *c = k8tls_plan_dup(dflt);
        struct k8tls_err e;
        struct k8tls_field f;
        ck_assert_int_eq(k8tls_plan_set_text(c, sub, val, &e), 0);
        ck_assert(k8tls_plan_field(c, sub, &f));
        const void *base = (const char *)f.ptr - r->off;
        bool applies = !r->applies || r->applies(base);
        bool same = k8tls_plan_same(dflt, c, what, sizeof what);
        ck_assert_msg(same == !applies, "%s = %s: same %d", sub, val, same);
        if (!same)
            ck_assert_str_eq(what, sub);
        k8tls_plan_free(c);
        ++*n;
    }
}

START_TEST(test_every_key_is_copied_and_compared_by_its_row)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    int n = 0;
    change_each_key(p, k8tls_plan_table, NULL, "", &n);
    ck_assert_int_ge(n, 70);
    /* the defaults were not touched by any copy */
    struct k8tls_plan *q = k8tls_plan_new_defaults();
    ck_assert(k8tls_plan_same(p, q, NULL, 0));
    ck_assert_str_eq(p->encryption.reaper.server_secret_name, "reaper-api-server-stores");
    k8tls_plan_free(q);
    k8tls_plan_free(p);
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("defaults");
    tcase_add_test(tc, test_defaults_are_what_a_real_cluster_wants);
    tcase_add_test(tc, test_defaults_validate_without_a_warning);
    tcase_add_test(tc, test_defaults_produce_every_kind_of_material);
    tcase_add_test(tc, test_dup_is_deep_and_the_same);
    tcase_add_test(tc, test_enum_names_parse_back);
    tcase_add_test(tc, test_base_dir_is_the_answers_files_directory);
    tcase_add_test(tc, test_each_datacenter_context_is_first_once);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_test(tc, test_medusa_certificate_requires_client_encryption_k8);
    tcase_add_test(tc, test_medusa_with_client_encryption_and_no_certificate_is_refused);
    tcase_add_test(tc, test_internode_dc_or_rack_with_client_auth_warns_k12);
    tcase_add_test(tc, test_user_passwords_are_checked_against_k11_with_the_reason);
    tcase_add_test(tc, test_server_version_must_be_n_n_n_and_fit_the_server_type);
    tcase_add_test(tc, test_names_must_be_dns1123_k10);
    tcase_add_test(tc, test_datacenters_need_a_size_of_at_least_one_and_distinct_names);
    tcase_add_test(tc, test_stargate_is_flagged_deprecated_k15);
    tcase_add_test(tc, test_each_server_types_default_version_fits_it);
    tcase_add_test(tc, test_the_ca_common_name_follows_the_cluster_name);
    tcase_add_test(tc, test_the_docs_placeholder_subject_is_warned_x7);
    tcase_add_test(tc, test_validity_days_rules);
    tcase_add_test(tc, test_key_sizes_are_2048_3072_or_4096);
    tcase_add_test(tc, test_import_sources_need_their_paths);
    tcase_add_test(tc, test_client_stores_reuse_needs_server_stores);
    tcase_add_test(tc, test_secrets_need_distinct_names);
    tcase_add_test(tc, test_extra_sans_are_dns_names_or_ip_addresses);
    tcase_add_test(tc, test_validation_names_the_file_position_of_the_key);
    tcase_add_test(tc, test_resolve_reads_env_and_file_references_and_checks_k11);
    tcase_add_test(tc, test_an_error_becomes_a_diagnostic_with_its_file_position);
    tcase_add_test(tc, test_every_key_is_copied_and_compared_by_its_row);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(plan_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
