/* Unit tests for the answers file: loading with every problem named by FILE:LINE:COL,
 * key path and expectation; printing through libyaml; round trips. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>
#include <yaml.h>
#include "k8tls/answers.h"
#include "k8tls/plan.h"
#include "k8tls/plan_table.h"
#include "k8tls/yamlutil.h"

static struct k8tls_plan *load(const char *text, struct k8tls_diags *d)
{
    k8tls_diags_init(d);
    return k8tls_answers_load_buf("a.yaml", text, strlen(text), d);
}

/* The diagnostic at path (NULL when none). */
static const struct k8tls_diag *at(const struct k8tls_diags *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].path && strcmp(d->v[i].path, path) == 0)
            return &d->v[i];
    return NULL;
}

/* Asserts one error at path, line:col, whose message holds text; and its formatted line. */
static void expect(const struct k8tls_diags *d, const char *path, int line, int col,
                   const char *text)
{
    const struct k8tls_diag *g = at(d, path);
    if (!g)
        k8tls_diags_print(d, stderr);
    ck_assert_msg(g != NULL, "no diagnostic at %s", path);
    ck_assert_int_eq(g->sev, K8TLS_SEV_ERROR);
    ck_assert_str_eq(g->file, "a.yaml");
    ck_assert_int_eq(g->line, line);
    ck_assert_int_eq(g->col, col);
    ck_assert_msg(strstr(g->msg, text), "'%s' not in '%s'", text, g->msg);
    char buf[2048], want[256];
    snprintf(want, sizeof want, "a.yaml:%d:%d: error: %s: ", line, col, path);
    ck_assert_msg(strncmp(k8tls_diag_format(g, buf, sizeof buf), want, strlen(want)) == 0,
                  "formatted as '%s'", buf);
}

static char *emit(const struct k8tls_plan *p, int flags)
{
    char *buf;
    size_t len;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_answers_emit_buf(p, flags, &buf, &len, &e), 0);
    ck_assert_uint_eq(strlen(buf), len);
    return buf;
}

/* ---- printing and round trips ---------------------------------------------------------- */

START_TEST(test_defaults_printed_loaded_and_printed_again_are_byte_identical)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    char *one = emit(p, K8TLS_EMIT_COMMENTS);
    struct k8tls_plan *q = load(one, &d);
    ck_assert_uint_eq(d.n, 0);
    char what[128];
    ck_assert_msg(k8tls_plan_same(p, q, what, sizeof what), "differs at %s", what);
    char *two = emit(q, K8TLS_EMIT_COMMENTS);
    ck_assert_str_eq(one, two);
    free(one);
    free(two);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
    k8tls_plan_free(q);
}
END_TEST

START_TEST(test_template_is_commented_yaml_that_libyaml_reads_as_the_spec_keys)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    char *t = emit(p, K8TLS_EMIT_COMMENTS);
    /* comments between the sections, the first line a comment */
    ck_assert_int_eq(t[0], '#');
    ck_assert_ptr_nonnull(strstr(t, "\n# "));
    ck_assert_ptr_nonnull(strstr(t, "apiVersion: k8tls-wizard/v1\n"));
    ck_assert_ptr_nonnull(strstr(t, "serverVersion: \"4.1.12\"")); /* K10: quoted */
    ck_assert_ptr_null(strstr(t, "---"));
    /* one YAML document with every section, read by libyaml itself */
    yaml_document_t doc;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_yaml_load("t", t, strlen(t), &doc, &e), 0);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    const char *sections[] = {"apiVersion", "cluster", "encryption", "stores", "ca",
                              "certificates", "output"};
    ck_assert_uint_eq(k8tls_yaml_map_len(root), 7);
    for (int i = 0; i < 7; i++)
        ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&doc, root, i)), sections[i]);
    yaml_node_t *cl = k8tls_yaml_map_get(&doc, root, "cluster");
    yaml_node_t *dcs = k8tls_yaml_map_get(&doc, cl, "datacenters");
    ck_assert_uint_eq(k8tls_yaml_seq_len(dcs), 1);
    long size;
    ck_assert_int_eq(k8tls_yaml_get_long(k8tls_yaml_map_get(&doc, k8tls_yaml_seq_item(&doc, dcs, 0), "size"), &size), 0);
    ck_assert_int_eq(size, 3);
    yaml_document_delete(&doc);
    /* without comments: no comment line at all, same YAML */
    char *plain = emit(p, 0);
    ck_assert_ptr_null(strchr(plain, '#'));
    struct k8tls_diags d;
    struct k8tls_plan *q = load(plain, &d);
    ck_assert_uint_eq(d.n, 0);
    ck_assert(k8tls_plan_same(p, q, NULL, 0));
    k8tls_diags_free(&d);
    k8tls_plan_free(q);
    free(plain);
    free(t);
    k8tls_plan_free(p);
}
END_TEST

/* Every key of the answers file, none at its default. */
static const char every_key[] =
    "apiVersion: k8tls-wizard/v1\n"
    "cluster:\n"
    "  name: prod\n"
    "  namespace: cassandra\n"
    "  manifest: existing/k8c.yaml\n"
    "  serverType: dse\n"
    "  serverVersion: \"6.8.50\"\n"
    "  storageClass: fast-ssd\n"
    "  storageSize: 500Gi\n"
    "  datacenters:\n"
    "    - {name: east, size: 5, k8sContext: kind-east}\n"
    "    - name: west\n"
    "      size: 2\n"
    "      k8sContext: \"\"\n"
    "  stargate: {enabled: false, size: 2}\n"
    "  reaper: {enabled: false, deploymentMode: PER_DC}\n"
    "  medusa:\n"
    "    enabled: true\n"
    "    storageProvider: google_storage\n"
    "    bucketName: backups-prod\n"
    "    storageSecret: gcs-key\n"
    "encryption:\n"
    "  internode: {mode: dc, requireClientAuth: false, requireEndpointVerification: true}\n"
    "  client: {enabled: true, optional: true, requireClientAuth: false}\n"
    "  medusa:\n"
    "    enabled: true\n"
    "    source: import\n"
    "    secretName: medusa-certs\n"
    "    import: {ca: m/rootca.crt, cert: m/client.crt_signed, key: m/client.key}\n"
    "stores:\n"
    "  format: jks\n"
    "  pkcs12Profile: legacy\n"
    "  server:\n"
    "    secretName: srv-stores\n"
    "    source: import\n"
    "    keys: {keystore: ks.jks, truststore: ts.jks, keystorePassword: ks-pw, truststorePassword: ts-pw}\n"
    "    import:\n"
    "      keystore: s/keystore.jks\n"
    "      keystorePassword: env:SRV_KS_PW\n"
    "      truststore: s/truststore.jks\n"
    "      truststorePassword: file:s/ts.pw\n"
    "  client:\n"
    "    secretName: cli-stores\n"
    "    source: generate\n"
    "    keys: {keystore: k, truststore: t, keystorePassword: kp, truststorePassword: tp}\n"
    "    keystorePassword: Literal.Pass-1\n"
    "    truststorePassword: env:CLI_TS_PW\n"
    "ca:\n"
    "  source: import\n"
    "  subject: {C: DE, ST: Berlin, L: Berlin, O: Example, OU: Data, CN: Example Root, emailAddress: ops@example.com}\n"
    "  key: {algorithm: ecdsa, curve: P-384}\n"
    "  validityDays: 7300\n"
    "  import: {cert: ca/ca.crt, key: ca/ca.key, keyPassword: env:CA_KEY_PW}\n"
    "certificates:\n"
    "  validityDays: 730\n"
    "  extraSANs: [cassandra.example.com, 10.1.2.3]\n"
    "  key: {algorithm: rsa, size: 2048}\n"
    "output:\n"
    "  directory: out/prod\n"
    "  createNamespace: true\n";

START_TEST(test_a_file_with_every_key_keeps_its_meaning_after_load_print_load)
{
    struct k8tls_diags d;
    struct k8tls_plan *a = load(every_key, &d);
    if (d.n)
        k8tls_diags_print(&d, stderr);
    ck_assert_uint_eq(d.n, 0);
    k8tls_diags_free(&d);
    /* what was read */
    ck_assert_str_eq(a->cluster.name, "prod");
    ck_assert_str_eq(a->cluster.namespace_, "cassandra");
    ck_assert_str_eq(a->cluster.manifest, "existing/k8c.yaml");
    ck_assert_int_eq(a->cluster.server_type, K8TLS_SERVER_DSE);
    ck_assert_str_eq(a->cluster.server_version, "6.8.50");
    ck_assert_str_eq(a->cluster.storage_class, "fast-ssd");
    ck_assert_str_eq(a->cluster.storage_size, "500Gi");
    ck_assert_uint_eq(a->cluster.n_dcs, 2);
    ck_assert_str_eq(a->cluster.dcs[0].name, "east");
    ck_assert_int_eq(a->cluster.dcs[0].size, 5);
    ck_assert_str_eq(a->cluster.dcs[0].k8s_context, "kind-east");
    ck_assert_str_eq(a->cluster.dcs[1].name, "west");
    ck_assert_int_eq(a->cluster.dcs[1].size, 2);
    ck_assert(!a->cluster.stargate.enabled);
    ck_assert_int_eq(a->cluster.stargate.size, 2);
    ck_assert(!a->cluster.reaper.enabled);
    ck_assert_str_eq(a->cluster.reaper.deployment_mode, "PER_DC");
    ck_assert_str_eq(a->cluster.medusa.storage_provider, "google_storage");
    ck_assert_str_eq(a->cluster.medusa.bucket_name, "backups-prod");
    ck_assert_str_eq(a->cluster.medusa.storage_secret, "gcs-key");
    ck_assert_int_eq(a->encryption.internode.mode, K8TLS_INTERNODE_DC);
    ck_assert(!a->encryption.internode.require_client_auth);
    ck_assert(a->encryption.internode.require_endpoint_verification);
    ck_assert(a->encryption.client.optional);
    ck_assert(!a->encryption.client.require_client_auth);
    ck_assert_int_eq(a->encryption.medusa.source, K8TLS_SOURCE_IMPORT);
    ck_assert_str_eq(a->encryption.medusa.secret_name, "medusa-certs");
    ck_assert_str_eq(a->encryption.medusa.import_cert, "m/client.crt_signed");
    ck_assert_int_eq(a->stores.format, K8TLS_FORMAT_JKS);
    ck_assert_int_eq(a->stores.p12_profile, K8TLS_P12_LEGACY);
    ck_assert_str_eq(a->stores.server.keys.truststore_password, "ts-pw");
    ck_assert_str_eq(a->stores.server.keystore_path, "s/keystore.jks");
    ck_assert_str_eq(a->stores.server.keystore_password.ref, "env:SRV_KS_PW");
    ck_assert_str_eq(a->stores.server.truststore_password.ref, "file:s/ts.pw");
    ck_assert_str_eq(a->stores.client.keystore_password.ref, "Literal.Pass-1");
    ck_assert_int_eq(a->ca.source, K8TLS_SOURCE_IMPORT);
    ck_assert_str_eq(a->ca.subject.CN, "Example Root");
    ck_assert_int_eq(a->ca.key.alg, K8TLS_KEY_ECDSA);
    ck_assert_int_eq(a->ca.key.curve, K8TLS_CURVE_P384);
    ck_assert_int_eq(a->ca.validity_days, 7300);
    ck_assert_str_eq(a->ca.import_key_password.ref, "env:CA_KEY_PW");
    ck_assert_int_eq(a->certificates.validity_days, 730);
    ck_assert_uint_eq(a->certificates.n_extra_sans, 2);
    ck_assert_str_eq(a->certificates.extra_sans[1], "10.1.2.3");
    ck_assert(a->certificates.key.set);
    ck_assert_int_eq(a->certificates.key.alg, K8TLS_KEY_RSA);
    ck_assert_int_eq(a->certificates.key.bits, 2048);
    ck_assert_str_eq(a->output.directory, "out/prod");
    ck_assert(a->output.create_namespace);
    /* positions */
    ck_assert_int_eq(k8tls_plan_pos(a, "cluster.datacenters[1].size").line, 13);
    ck_assert_int_eq(k8tls_plan_pos(a, "cluster.datacenters[1].size").col, 13);

    /* print, load again: the same plan, field by field; and printing is then stable */
    char *text = emit(a, K8TLS_EMIT_COMMENTS);
    struct k8tls_plan *b = load(text, &d);
    ck_assert_uint_eq(d.n, 0);
    char what[128];
    ck_assert_msg(k8tls_plan_same(a, b, what, sizeof what), "differs at %s", what);
    char *again = emit(b, K8TLS_EMIT_COMMENTS);
    ck_assert_str_eq(text, again);
    free(text);
    free(again);
    k8tls_diags_free(&d);
    k8tls_plan_free(a);
    k8tls_plan_free(b);
}
END_TEST

START_TEST(test_literal_passwords_can_be_left_out_references_kept)
{
    struct k8tls_diags d;
    struct k8tls_plan *a = load(every_key, &d);
    char *text = emit(a, K8TLS_EMIT_OMIT_LITERAL_PW);
    ck_assert_ptr_null(strstr(text, "Literal.Pass-1"));
    ck_assert_ptr_nonnull(strstr(text, "env:SRV_KS_PW"));
    ck_assert_ptr_nonnull(strstr(text, "file:s/ts.pw"));
    ck_assert_ptr_nonnull(strstr(text, "env:CLI_TS_PW"));
    ck_assert_ptr_nonnull(strstr(text, "env:CA_KEY_PW"));
    free(text);
    k8tls_diags_free(&d);
    k8tls_plan_free(a);
}
END_TEST

START_TEST(test_strings_that_look_like_other_types_are_quoted)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    free(p->cluster.medusa.bucket_name);
    p->cluster.medusa.bucket_name = strdup("true");
    free(p->cluster.dcs[0].k8s_context);
    p->cluster.dcs[0].k8s_context = strdup("123");
    free(p->ca.subject.O);
    p->ca.subject.O = strdup("Acme: \"Ops\" # team");
    char *t = emit(p, 0);
    ck_assert_ptr_nonnull(strstr(t, "bucketName: \"true\""));
    struct k8tls_diags d;
    struct k8tls_plan *q = load(t, &d);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_str_eq(q->cluster.medusa.bucket_name, "true");
    ck_assert_str_eq(q->cluster.dcs[0].k8s_context, "123");
    ck_assert_str_eq(q->ca.subject.O, "Acme: \"Ops\" # team");
    free(t);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
    k8tls_plan_free(q);
}
END_TEST

START_TEST(test_text_that_is_not_utf8_is_refused_when_printing)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    free(p->ca.subject.O);
    p->ca.subject.O = strdup("Soci\xe9t\xe9");   /* Latin-1, as a terminal might give it */
    char *buf = NULL;
    size_t len;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_answers_emit_buf(p, K8TLS_EMIT_COMMENTS, &buf, &len, &e), -1);
    ck_assert_ptr_null(buf);
    ck_assert_ptr_nonnull(strstr(e.msg, "UTF-8"));
    k8tls_plan_free(p);
}
END_TEST

/* ---- loading: defaults and special rules ------------------------------------------------ */

START_TEST(test_missing_keys_take_the_defaults)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("cluster: {name: other}\n", &d);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_str_eq(p->cluster.name, "other");
    ck_assert_str_eq(p->cluster.namespace_, "k8ssandra-operator");
    ck_assert_int_eq(p->ca.key.bits, 3072);
    ck_assert_str_eq(p->source_file, "a.yaml");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    p = load("", &d);   /* an empty file: the defaults */
    ck_assert_uint_eq(d.n, 0);
    struct k8tls_plan *def = k8tls_plan_new_defaults();
    ck_assert(k8tls_plan_same(p, def, NULL, 0));
    k8tls_plan_free(def);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_medusa_encryption_follows_client_encryption_unless_given)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("encryption: {client: {enabled: false}}\n", &d);
    ck_assert_uint_eq(d.n, 0);
    ck_assert(!p->encryption.medusa.enabled);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    p = load("encryption: {client: {enabled: false}, medusa: {enabled: true}}\n", &d);
    ck_assert(p->encryption.medusa.enabled);
    ck_assert_uint_eq(k8tls_plan_validate(p, &d), 1);   /* K8 */
    ck_assert_ptr_nonnull(at(&d, "encryption.medusa.enabled"));
    ck_assert_int_eq(at(&d, "encryption.medusa.enabled")->line, 1);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    p = load("encryption: {medusa: {source: generate}}\n", &d);
    ck_assert(p->encryption.medusa.enabled);   /* defaults true */
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_leaf_key_defaults_to_the_cas_algorithm)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("ca: {key: {algorithm: ecdsa, curve: P-384}}\n"
                                "certificates: {key: {}}\n", &d);
    ck_assert_uint_eq(d.n, 0);
    ck_assert(p->certificates.key.set);
    ck_assert_int_eq(p->certificates.key.alg, K8TLS_KEY_ECDSA);
    ck_assert_int_eq(p->certificates.key.curve, K8TLS_CURVE_P384);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

/* ---- loading: every kind of mistake ----------------------------------------------------- */

START_TEST(test_unknown_key_is_named_with_position_and_the_expected_keys)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("apiVersion: k8tls-wizard/v1\n"
                                "cluster:\n"
                                "  nmae: x\n"
                                "colour: blue\n", &d);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(d.n, 2);
    expect(&d, "cluster.nmae", 3, 3, "unknown key; expected one of: name, namespace");
    expect(&d, "colour", 4, 1, "expected one of: apiVersion, cluster, encryption");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_wrong_types_are_named_with_what_is_expected)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("cluster:\n"
                                "  name: [a, b]\n"
                                "  datacenters: {name: dc1}\n"
                                "  stargate: {enabled: yes, size: two}\n"
                                "ca: {validityDays: \"100\"}\n"
                                "encryption: enabled\n", &d);
    ck_assert_uint_eq(d.n, 6);
    expect(&d, "cluster.name", 2, 9, "expected a text value, found a list");
    expect(&d, "cluster.datacenters", 3, 16, "expected a list of datacenters, found a mapping");
    expect(&d, "cluster.stargate.enabled", 4, 23, "expected true or false, found 'yes'");
    expect(&d, "cluster.stargate.size", 4, 34, "expected a whole number, found 'two'");
    expect(&d, "ca.validityDays", 5, 20, "expected a whole number");
    expect(&d, "encryption", 6, 13, "expected a mapping, found a text value");
    /* the values in error keep their defaults */
    ck_assert_str_eq(p->cluster.name, "test");
    ck_assert_int_eq(p->cluster.stargate.size, 1);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_values_outside_an_enum_list_the_choices)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("encryption:\n"
                                "  internode: {mode: both}\n"
                                "stores: {format: PKCS12, server: {source: reuse}}\n"
                                "ca: {key: {algorithm: dsa}}\n"
                                "cluster: {reaper: {deploymentMode: single}, medusa: {storageProvider: minio}}\n",
                                &d);
    ck_assert_uint_eq(d.n, 6);
    expect(&d, "encryption.internode.mode", 2, 21, "expected one of: none, dc, rack, all; found 'both'");
    expect(&d, "stores.format", 3, 18, "expected one of: pkcs12, jks; found 'PKCS12'");
    expect(&d, "stores.server.source", 3, 43, "expected one of: generate, import; found 'reuse'");
    expect(&d, "ca.key.algorithm", 4, 23, "expected one of: rsa, ecdsa");
    expect(&d, "cluster.reaper.deploymentMode", 5, 36, "SINGLE, PER_DC, CONTROL_PLANE");
    expect(&d, "cluster.medusa.storageProvider", 5, 71, "s3_compatible");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_yaml_syntax_error_names_the_position)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("cluster:\n  name: test\n   namespace: x\n", &d);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.v[0].sev, K8TLS_SEV_ERROR);
    ck_assert_str_eq(d.v[0].file, "a.yaml");
    ck_assert_int_eq(d.v[0].line, 3);
    ck_assert_int_eq(d.v[0].col, 13);
    ck_assert_ptr_nonnull(strstr(d.v[0].msg, "YAML syntax error"));
    k8tls_plan_free(p);
    k8tls_diags_free(&d);

    p = load("cluster: {name: test\n", &d);   /* unclosed flow mapping */
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.v[0].line, 2);
    ck_assert_ptr_nonnull(strstr(d.v[0].msg, "YAML syntax error"));
    k8tls_plan_free(p);
    k8tls_diags_free(&d);

    p = load("cluster: {name: a}\n---\ncluster: {name: b}\n", &d);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.v[0].line, 3);
    ck_assert_ptr_nonnull(strstr(d.v[0].msg, "second YAML document"));
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_duplicate_keys_and_passwords_given_twice_are_errors)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("cluster:\n"
                                "  name: a\n"
                                "  name: b\n"
                                "stores:\n"
                                "  server:\n"
                                "    keystorePassword: env:A\n"
                                "    import: {keystorePassword: env:B}\n", &d);
    ck_assert_uint_eq(d.n, 2);
    expect(&d, "cluster.name", 3, 3, "given twice (first on line 2)");
    expect(&d, "stores.server.import.keystorePassword", 7, 32,
           "also given as stores.server.keystorePassword");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_key_options_must_fit_the_algorithm)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("ca: {key: {algorithm: ecdsa, size: 256}}\n"
                                "certificates: {key: {algorithm: rsa, curve: P-256}}\n", &d);
    ck_assert_uint_eq(d.n, 2);
    expect(&d, "ca.key.size", 1, 36, "a curve");
    expect(&d, "certificates.key.curve", 2, 45, "a size");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_wrong_api_version_and_non_mapping_root_are_errors)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("apiVersion: k8ssandra.io/v1alpha1\n", &d);
    ck_assert_uint_eq(d.n, 1);
    expect(&d, "apiVersion", 1, 13, "expected k8tls-wizard/v1");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    p = load("- a\n- b\n", &d);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.v[0].line, 1);
    ck_assert_ptr_nonnull(strstr(d.v[0].msg, "found a list"));
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

/* Load + validate + resolve, as the command line runs them: every mistake is reported. */
START_TEST(test_every_mistake_is_reported_not_just_the_first)
{
    struct k8tls_diags d;
    unsetenv("K8TLS_TEST_NOT_SET");
    struct k8tls_plan *p = load("apiVersion: k8tls-wizard/v1\n"                 /* 1 */
                                "cluster:\n"                                     /* 2 */
                                "  name: My_Cluster\n"                           /* 3 */
                                "  nmespace: x\n"                                /* 4 */
                                "  datacenters:\n"                               /* 5 */
                                "    - {name: dc1, size: 0}\n"                   /* 6 */
                                "    - {name: dc1, size: 3}\n"                   /* 7 */
                                "encryption:\n"                                  /* 8 */
                                "  internode: {mode: full}\n"                    /* 9 */
                                "stores:\n"                                      /* 10 */
                                "  server:\n"                                    /* 11 */
                                "    keystorePassword: env:K8TLS_TEST_NOT_SET\n" /* 12 */
                                "    truststorePassword: file:no-such.pw\n",     /* 13 */
                                &d);
    k8tls_plan_validate(p, &d);
    k8tls_plan_resolve(p, &d);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 7);
    expect(&d, "cluster.name", 3, 9, "DNS-1123");
    expect(&d, "cluster.nmespace", 4, 3, "unknown key");
    expect(&d, "cluster.datacenters[0].size", 6, 25, "at least 1");
    expect(&d, "cluster.datacenters[1].name", 7, 14, "used twice (first on line 6)");
    expect(&d, "encryption.internode.mode", 9, 21, "expected one of");
    expect(&d, "stores.server.keystorePassword", 12, 23, "K8TLS_TEST_NOT_SET");
    expect(&d, "stores.server.truststorePassword", 13, 25, "no-such.pw");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_an_unreadable_file_is_named)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_ptr_null(k8tls_answers_load("/nonexistent/answers.yaml", &d));
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(d.v[0].file, "/nonexistent/answers.yaml");
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_a_file_on_disk_is_loaded_with_its_name)
{
    char path[] = "/tmp/k8tls-answers-test.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *text = "cluster:\n  name: ok\n  size: 3\n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_plan *p = k8tls_answers_load(path, &d);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->cluster.name, "ok");
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(d.v[0].file, path);
    ck_assert_int_eq(d.v[0].line, 3);
    ck_assert_str_eq(d.v[0].path, "cluster.size");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    unlink(path);
}
END_TEST

/* X5: nesting far deeper than the limit is refused where the limit is crossed, without reading
 * the rest: the lists are never closed, and a parser that read on would report a syntax error at
 * the end instead. */
START_TEST(test_deep_nesting_stops_at_the_depth_limit)
{
    const size_t levels = 200000;
    const char *head = "cluster:\n";
    size_t n = strlen(head) + levels * 4;
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    strcpy(text, head);
    for (size_t i = 0; i < levels; i++)
        memcpy(text + strlen(head) + i * 4, "  [\n", 4);
    text[n] = '\0';
    struct k8tls_diags d;
    struct k8tls_plan *p = load(text, &d);
    ck_assert_ptr_nonnull(p);
    if (d.n != 1)
        k8tls_diags_print(&d, stderr);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.v[0].sev, K8TLS_SEV_ERROR);
    /* the root mapping is level 1, line 2 level 2: level 65 is on line 65 */
    ck_assert_int_eq(d.v[0].line, 65);
    ck_assert_int_eq(d.v[0].col, 3);
    ck_assert_msg(strstr(d.v[0].msg, "nested deeper than 64 levels"), "%s", d.v[0].msg);
    ck_assert_msg(!strstr(d.v[0].msg, "syntax"), "%s", d.v[0].msg);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);

    /* exactly at the limit: read; one more level: refused at its column */
    struct k8tls_err e;
    char flow[200];
    memset(flow, '[', 64);
    memset(flow + 64, ']', 64);
    flow[128] = '\0';
    ck_assert_int_eq(k8tls_yaml_check_depth("f", flow, strlen(flow), 64, &e), 0);
    memset(flow, '[', 65);
    memset(flow + 65, ']', 65);
    flow[130] = '\0';
    ck_assert_int_eq(k8tls_yaml_check_depth("f", flow, strlen(flow), 64, &e), -1);
    ck_assert_int_eq(e.line, 1);
    ck_assert_int_eq(e.col, 65);
    /* many documents, each under the limit: read */
    const char *docs = "[[a]]\n---\n[[b]]\n";
    ck_assert_int_eq(k8tls_yaml_check_depth("f", docs, strlen(docs), 2, &e), 0);
    free(text);
}
END_TEST

/* A whole number too large for any field says so, with the field's range. */
START_TEST(test_numbers_out_of_range_name_the_range)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("ca:\n  validityDays: 99999999999999999999\n"
                                "certificates: {validityDays: -3000000000}\n"
                                "cluster:\n  stargate: {size: 1e3}\n", &d);
    expect(&d, "ca.validityDays", 2, 17,
           "'99999999999999999999' is out of range: expected a whole number from 1 to 36500");
    expect(&d, "certificates.validityDays", 3, 30,
           "'-3000000000' is out of range: expected a whole number from 1 to 36500");
    /* not written as a whole number: still "expected a whole number" */
    expect(&d, "cluster.stargate.size", 5, 20, "expected a whole number, found '1e3'");
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

/* More than 1000 datacenters: that error alone, not "at least one datacenter" as well. */
START_TEST(test_too_many_datacenters_is_one_error)
{
    size_t cnt = 100000, cap = cnt * 40 + 64, n = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    n += (size_t)snprintf(text, cap, "cluster:\n  datacenters:\n");
    for (size_t i = 0; i < cnt; i++)
        n += (size_t)snprintf(text + n, cap - n, "  - {name: dc%zu, size: 1}\n", i);
    struct k8tls_diags d;
    struct k8tls_plan *p = load(text, &d);
    ck_assert_ptr_nonnull(p);
    k8tls_plan_validate(p, &d);
    expect(&d, "cluster.datacenters", 3, 3, "expected at most 1000 datacenters, found 100000");
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 1);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    free(text);
}
END_TEST

/* A FIFO as the answers file: refused at once (without a writer the open would wait, with one
 * the read would), one error saying what it is. */
START_TEST(test_a_fifo_is_not_read)
{
    char dir[] = "/tmp/k8tls-answers-fifo.XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_ptr_null(k8tls_answers_load(path, &d));
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(d.v[0].file, path);
    ck_assert_str_eq(d.v[0].msg, "not a regular file (a FIFO)");
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_ptr_null(k8tls_answers_load(dir, &d));
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(d.v[0].msg, "not a regular file (a directory)");
    k8tls_diags_free(&d);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* K8TLS_EMIT_ABSOLUTE_PATHS (the copy in an output directory): relative paths resolved as the
 * plan resolves them, against the answers file's directory, made absolute; the rest unchanged. */
START_TEST(test_relative_paths_can_be_written_absolute)
{
    struct k8tls_diags d;
    struct k8tls_plan *p = load("cluster: {manifest: ./k8c.yaml}\n"
                                "stores:\n  server:\n    keystorePassword: file:pw/ks.pw\n"
                                "    truststorePassword: env:TS_PW\n"
                                "ca:\n  source: import\n"
                                "  import: {cert: ca.crt, key: /abs/ca.key, keyPassword: file:/abs/k.pw}\n"
                                "output: {directory: out}\n", &d);
    free(p->source_file);
    p->source_file = strdup("sub/a.yaml");
    char cwd[PATH_MAX], want[PATH_MAX + 64];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    char *plain = emit(p, 0);
    ck_assert_ptr_nonnull(strstr(plain, "keystorePassword: file:pw/ks.pw\n"));
    ck_assert_ptr_nonnull(strstr(plain, "cert: ca.crt\n"));
    free(plain);
    char *abs = emit(p, K8TLS_EMIT_ABSOLUTE_PATHS);
    snprintf(want, sizeof want, "manifest: %s/sub/k8c.yaml\n", cwd);
    ck_assert_msg(strstr(abs, want), "%s not in %s", want, abs);
    snprintf(want, sizeof want, "keystorePassword: file:%s/sub/pw/ks.pw\n", cwd);
    ck_assert_msg(strstr(abs, want), "%s not in %s", want, abs);
    ck_assert_ptr_nonnull(strstr(abs, "truststorePassword: env:TS_PW\n"));
    snprintf(want, sizeof want, "cert: %s/sub/ca.crt\n", cwd);
    ck_assert_msg(strstr(abs, want), "%s not in %s", want, abs);
    ck_assert_ptr_nonnull(strstr(abs, "key: /abs/ca.key\n"));
    ck_assert_ptr_nonnull(strstr(abs, "keyPassword: file:/abs/k.pw\n"));
    snprintf(want, sizeof want, "directory: %s/sub/out\n", cwd);
    ck_assert_msg(strstr(abs, want), "%s not in %s", want, abs);
    free(abs);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
}
END_TEST

/* X5: hostile input never crashes: mutations of a valid file and random bytes. */
START_TEST(test_mutated_and_random_input_never_crashes)
{
    struct k8tls_plan *def = k8tls_plan_new_defaults();
    char *base = emit(def, K8TLS_EMIT_COMMENTS);
    size_t len = strlen(base);
    unsigned seed = 12345;
    char *buf = malloc(len + 1);
    static const char pool[] = "{}[],:-#&*!|>'\"%@`\n \t\0\xff\xc3" "abc123";
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, base, len + 1);
        int edits = 1 + round % 8;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at_ = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[at_] = pool[(seed >> 8) % (sizeof pool - 1)];
        }
        struct k8tls_diags d;
        struct k8tls_plan *p = load(buf, &d);
        if (p) {
            k8tls_plan_validate(p, &d);
            char *out = NULL;
            size_t olen;
            struct k8tls_err err;
            if (k8tls_answers_emit_buf(p, K8TLS_EMIT_COMMENTS, &out, &olen, &err) == 0)
                free(out);
        }
        k8tls_plan_free(p);
        k8tls_diags_free(&d);
    }
    for (int round = 0; round < 500; round++) {
        unsigned char rnd[256];
        for (size_t i = 0; i < sizeof rnd; i++) {
            seed = seed * 1103515245u + 12345u;
            rnd[i] = (unsigned char)(seed >> 16);
        }
        struct k8tls_diags d;
        k8tls_diags_init(&d);
        struct k8tls_plan *p = k8tls_answers_load_buf("r", (const char *)rnd, sizeof rnd, &d);
        k8tls_plan_free(p);
        k8tls_diags_free(&d);
    }
    free(buf);
    free(base);
    k8tls_plan_free(def);
}
END_TEST

/* ---- the schema table ------------------------------------------------------------------ */

/* A value for row r (under parent) that differs from its default, as text; n makes it unique. */
static void other_value(const struct k8tls_key *r, const struct k8tls_key *parent, int n,
                        char *out, size_t len)
{
    const char *const *allowed = k8tls_key_allowed(r, parent);
    switch (r->type) {
    case K8TLS_KT_BOOL:
        snprintf(out, len, "%s", r->dflt_int ? "false" : "true");
        break;
    case K8TLS_KT_INT:
        snprintf(out, len, "%d", r->dflt_int + 1);
        break;
    case K8TLS_KT_ENUM:
        /* the last allowed name that is not the default's */
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], r->names[r->dflt_int]) != 0)
                snprintf(out, len, "%s", allowed[i]);
        break;
    case K8TLS_KT_STR_ENUM:
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], k8tls_key_default(r, parent)) != 0)
                snprintf(out, len, "%s", allowed[i]);
        break;
    case K8TLS_KT_PASSWORD:
        snprintf(out, len, "env:PW_%d", n);
        break;
    case K8TLS_KT_STR_LIST:
        snprintf(out, len, "a%d.example.com, 10.0.0.%d", n, n);
        break;
    default:
        snprintf(out, len, "v%d-x", n);
        break;
    }
}

/* Sets every leaf key under table t (at path) to a value other than its default; counts them. */
static void set_every_key(struct k8tls_plan *p, const struct k8tls_key *t,
                          const struct k8tls_key *parent, const char *path, int *n)
{
    for (const struct k8tls_key *r = t; r->name; r++) {
        char sub[256], val[128];
        struct k8tls_err e;
        if (r->flags & (K8TLS_KF_HIDDEN | K8TLS_KF_ALIAS) || r->type == K8TLS_KT_CONST)
            continue;
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", r->name);
        if (r->type == K8TLS_KT_GROUP) {
            set_every_key(p, r->sub, r, sub, n);
            continue;
        }
        if (r->type == K8TLS_KT_LIST) {
            char item[280];
            snprintf(item, sizeof item, "%s[0]", sub);
            set_every_key(p, r->sub, r, item, n);
            continue;
        }
        other_value(r, parent, ++*n, val, sizeof val);
        ck_assert_msg(k8tls_plan_set_text(p, sub, val, &e) == 0, "%s = %s: %s", sub, val, e.msg);
        char *back = k8tls_plan_get_text(p, sub);
        ck_assert_str_eq(back, val);
        free(back);
    }
}

START_TEST(test_every_key_of_the_schema_is_written_and_read_back)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults(), *d0 = k8tls_plan_new_defaults();
    int n = 0;
    set_every_key(p, k8tls_plan_table, NULL, "", &n);
    ck_assert_int_ge(n, 60);
    char what[256];
    ck_assert(!k8tls_plan_same(p, d0, what, sizeof what));
    for (int flags = 0; flags <= K8TLS_EMIT_COMMENTS; flags += K8TLS_EMIT_COMMENTS) {
        struct k8tls_diags d;
        char *one = emit(p, flags);
        struct k8tls_plan *q = load(one, &d);
        if (d.n)
            k8tls_diags_print(&d, stderr);
        ck_assert_uint_eq(d.n, 0);
        ck_assert_msg(k8tls_plan_same(p, q, what, sizeof what), "differs at %s", what);
        char *two = emit(q, flags);
        ck_assert_str_eq(one, two);
        free(one);
        free(two);
        k8tls_diags_free(&d);
        k8tls_plan_free(q);
    }
    k8tls_plan_free(p);
    k8tls_plan_free(d0);
}
END_TEST

START_TEST(test_a_key_path_finds_its_row_and_its_field)
{
    const struct k8tls_key *r = k8tls_plan_row("cluster.storageClass");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->name, "storageClass");
    ck_assert_str_eq(r->label, "Storage class");
    ck_assert_str_eq(r->dflt_str, "standard");
    ck_assert_ptr_null(k8tls_plan_row("cluster.storageclass"));
    ck_assert_int_eq(k8tls_plan_row("cluster")->type, K8TLS_KT_GROUP);
    ck_assert_ptr_nonnull(k8tls_plan_row("cluster.datacenters[7].size"));
    ck_assert_ptr_null(k8tls_plan_row("cluster.datacenters.size"));
    ck_assert_ptr_null(k8tls_plan_row("ca.key.set"));   /* not a key of the file */

    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_field f;
    ck_assert(k8tls_plan_field(p, "cluster.datacenters[0].size", &f));
    ck_assert_ptr_eq(f.ptr, &p->cluster.dcs[0].size);
    ck_assert(!k8tls_plan_field(p, "cluster.datacenters[1].size", &f));   /* only one */
    ck_assert(k8tls_plan_field(p, "stores.client.import.keystorePassword", &f));
    ck_assert_ptr_eq(f.ptr, &p->stores.client.keystore_password);

    /* the two store sets share their rows; the allowed sources differ */
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_plan_set_text(p, "stores.client.source", "reuse", &e), 0);
    ck_assert_int_eq(p->stores.client.source, K8TLS_SOURCE_REUSE);
    ck_assert_int_eq(k8tls_plan_set_text(p, "stores.server.source", "reuse", &e), -1);
    ck_assert_str_eq(e.msg, "expected one of: generate, import; found 'reuse'");
    ck_assert_int_eq(k8tls_plan_set_text(p, "cluster.stargate.size", "two", &e), -1);
    ck_assert_str_eq(e.msg, "expected a whole number, found 'two'");
    ck_assert_int_eq(k8tls_plan_set_text(p, "output.createNamespace", "yes", &e), -1);
    ck_assert_int_eq(k8tls_plan_set_text(p, "cluster.storageClass", "fast", &e), 0);
    ck_assert_str_eq(p->cluster.storage_class, "fast");
    ck_assert_int_eq(k8tls_plan_set_text(p, "certificates.extraSANs", " a.b ,, 1.2.3.4 ", &e), 0);
    ck_assert_uint_eq(p->certificates.n_extra_sans, 2);
    ck_assert_str_eq(p->certificates.extra_sans[0], "a.b");
    ck_assert_str_eq(p->certificates.extra_sans[1], "1.2.3.4");
    char *t = k8tls_plan_get_text(p, "certificates.extraSANs");
    ck_assert_str_eq(t, "a.b, 1.2.3.4");
    free(t);
    t = k8tls_plan_get_text(p, "encryption.internode.mode");
    ck_assert_str_eq(t, "all");
    free(t);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_the_tls_surface_keys_are_off_by_default_validated_and_documented)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert(!p->encryption.management_api.enabled);
    ck_assert(!p->encryption.reaper.enabled);
    ck_assert(!p->encryption.medusa_grpc.enabled);
    ck_assert_str_eq(p->encryption.management_api.server_secret_name, "mgmt-api-server-tls");
    ck_assert_str_eq(p->encryption.reaper.management_secret_name, "reaper-mgmt-api-stores");
    ck_assert_str_eq(p->encryption.medusa_grpc.client_secret_name, "medusa-grpc-client-tls");
    char *t = emit(p, K8TLS_EMIT_COMMENTS);
    ck_assert_ptr_nonnull(strstr(t, "\n  managementApi: {enabled: false, serverSecretName: "
                                    "mgmt-api-server-tls, clientSecretName: mgmt-api-client-tls}\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n  reaper: {enabled: false, serverSecretName: "
                                    "reaper-api-server-stores, clientSecretName: "
                                    "reaper-api-client-tls, managementSecretName: "
                                    "reaper-mgmt-api-stores}\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n  medusaGrpc: {enabled: false, serverSecretName: "
                                    "medusa-grpc-server-tls, clientSecretName: "
                                    "medusa-grpc-client-tls}\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n# managementApi: TLS for the Management API"));
    ck_assert_ptr_nonnull(strstr(t, "\n# medusaGrpc: TLS for Medusa's gRPC"));
    free(t);
    k8tls_plan_free(p);

    struct k8tls_diags d;
    p = load("apiVersion: k8tls-wizard/v1\n"
             "encryption:\n"
             "  managementApi: {enabled: on, serverSecretName: mgmt}\n"
             "  reaper: {enabled: true, managementSecretName: Reaper_Stores, extra: 1}\n"
             "  medusaGrpc: {enabled: true, clientSecretName: grpc-client}\n",
             &d);
    ck_assert_uint_eq(d.n, 2);
    expect(&d, "encryption.managementApi.enabled", 3, 28, "expected true or false, found 'on'");
    expect(&d, "encryption.reaper.extra", 4, 64, "unknown key; expected one of: enabled, ca, "
           "serverSecretName, clientSecretName, managementSecretName");
    ck_assert_str_eq(p->encryption.management_api.server_secret_name, "mgmt");
    ck_assert(p->encryption.reaper.enabled);
    ck_assert(p->encryption.medusa_grpc.enabled);
    ck_assert_str_eq(p->encryption.medusa_grpc.client_secret_name, "grpc-client");
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_uint_eq(k8tls_plan_validate(p, &d), 1);
    expect(&d, "encryption.reaper.managementSecretName", 4, 49,
           "'Reaper_Stores' is not a DNS-1123 subdomain");
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

static Suite *answers_suite(void)
{
    Suite *s = suite_create("answers");
    TCase *tc = tcase_create("print");
    tcase_add_test(tc, test_defaults_printed_loaded_and_printed_again_are_byte_identical);
    tcase_add_test(tc, test_template_is_commented_yaml_that_libyaml_reads_as_the_spec_keys);
    tcase_add_test(tc, test_a_file_with_every_key_keeps_its_meaning_after_load_print_load);
    tcase_add_test(tc, test_literal_passwords_can_be_left_out_references_kept);
    tcase_add_test(tc, test_strings_that_look_like_other_types_are_quoted);
    tcase_add_test(tc, test_text_that_is_not_utf8_is_refused_when_printing);
    suite_add_tcase(s, tc);
    tc = tcase_create("load");
    tcase_add_test(tc, test_missing_keys_take_the_defaults);
    tcase_add_test(tc, test_medusa_encryption_follows_client_encryption_unless_given);
    tcase_add_test(tc, test_leaf_key_defaults_to_the_cas_algorithm);
    tcase_add_test(tc, test_unknown_key_is_named_with_position_and_the_expected_keys);
    tcase_add_test(tc, test_wrong_types_are_named_with_what_is_expected);
    tcase_add_test(tc, test_values_outside_an_enum_list_the_choices);
    tcase_add_test(tc, test_yaml_syntax_error_names_the_position);
    tcase_add_test(tc, test_duplicate_keys_and_passwords_given_twice_are_errors);
    tcase_add_test(tc, test_key_options_must_fit_the_algorithm);
    tcase_add_test(tc, test_wrong_api_version_and_non_mapping_root_are_errors);
    tcase_add_test(tc, test_every_mistake_is_reported_not_just_the_first);
    tcase_add_test(tc, test_an_unreadable_file_is_named);
    tcase_add_test(tc, test_a_file_on_disk_is_loaded_with_its_name);
    tcase_add_test(tc, test_mutated_and_random_input_never_crashes);
    tcase_add_test(tc, test_deep_nesting_stops_at_the_depth_limit);
    tcase_add_test(tc, test_numbers_out_of_range_name_the_range);
    tcase_add_test(tc, test_too_many_datacenters_is_one_error);
    tcase_add_test(tc, test_a_fifo_is_not_read);
    tcase_add_test(tc, test_relative_paths_can_be_written_absolute);
    tcase_add_test(tc, test_every_key_of_the_schema_is_written_and_read_back);
    tcase_add_test(tc, test_a_key_path_finds_its_row_and_its_field);
    tcase_add_test(tc, test_the_tls_surface_keys_are_off_by_default_validated_and_documented);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(answers_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
