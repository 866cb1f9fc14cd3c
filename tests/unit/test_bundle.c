/* Unit tests for the bundle: Secrets, the K8ssandraCluster (new and merged), the
 * kustomization, NEXT-STEPS.md, previews. Material comes from the real k8tls_pki_build with
 * ECDSA P-256 keys (fast); Secret encoding uses fixed bytes. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "k8tls/answers.h"
#include "k8tls/bundle.h"
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "k8tls/yamlutil.h"
#include "../../src/core/bundle_int.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static char tmpdir[256];

static void setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/k8tls-bundle-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static struct k8tls_plan *ec_plan(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    return p;
}

static void print_diags(const struct k8tls_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}

static struct k8tls_bundle *build_ok(struct k8tls_plan *p, struct k8tls_material **mout)
{
    struct k8tls_diags d;
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int rc = k8tls_pki_build(p, NULL, NULL, &m, &d);
    if (rc != 0)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    rc = k8tls_bundle_build(p, m, &b, &d);
    if (rc != 0)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    k8tls_diags_free(&d);
    if (mout)
        *mout = m;
    else
        k8tls_material_free(m);
    return b;
}

/* A loaded artifact as a YAML document. */
struct ydocs {
    yaml_document_t doc;
    yaml_node_t *root;
};

static void load_art(const struct k8tls_bundle *b, const char *path, struct ydocs *y)
{
    const struct k8tls_artifact *a = k8tls_bundle_find(b, path);
    struct k8tls_err e;
    ck_assert_msg(a != NULL, "no artifact %s", path);
    ck_assert_int_eq(k8tls_yaml_load(path, (const char *)a->data, a->len, &y->doc, &e), 0);
    y->root = yaml_document_get_root_node(&y->doc);
    ck_assert_ptr_nonnull(y->root);
}

/* Dotted path lookup: "spec.cassandra.datacenters.0.size". */
static yaml_node_t *at(struct ydocs *y, const char *path)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    yaml_node_t *n = y->root;
    for (char *tok = strtok_r(buf, ".", &save); tok && n; tok = strtok_r(NULL, ".", &save)) {
        if (n->type == YAML_SEQUENCE_NODE)
            n = k8tls_yaml_seq_item(&y->doc, n, (size_t)atoi(tok));
        else
            n = k8tls_yaml_map_get(&y->doc, n, tok);
    }
    return n;
}

static const char *str_at(struct ydocs *y, const char *path)
{
    return k8tls_yaml_scalar(at(y, path));
}

static char *art_text(const struct k8tls_bundle *b, const char *path)
{
    const struct k8tls_artifact *a = k8tls_bundle_find(b, path);
    ck_assert_msg(a != NULL, "no artifact %s", path);
    char *s = malloc(a->len + 1);
    memcpy(s, a->data, a->len);
    s[a->len] = '\0';
    return s;
}

static bool has_change(const struct k8tls_bundle *b, int what, const char *path)
{
    for (size_t i = 0; i < b->n_changes; i++)
        if ((int)b->changes[i].what == what && strcmp(b->changes[i].path, path) == 0)
            return true;
    return false;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* ---- Secrets ---------------------------------------------------------------------------- */

START_TEST(test_secret_holds_base64_of_exact_bytes_sorted_with_label)
{
    static const unsigned char bin[] = {0x00, 0xff, 0x0a, 'a', 0x00};
    struct k8tls_kv items[] = {
        {"truststore-password", (const unsigned char *)"pw-two", 6},
        {"keystore", bin, sizeof bin},
        {"keystore-password", (const unsigned char *)"pw-one", 6},
    };
    char *out = NULL;
    size_t len = 0;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_secret_manifest("server-encryption-stores", "ns1", items, 3, &out,
                                           &len, &e), 0);
    struct ydocs y;
    ck_assert_int_eq(k8tls_yaml_load("secret", out, len, &y.doc, &e), 0);
    y.root = yaml_document_get_root_node(&y.doc);
    ck_assert_str_eq(str_at(&y, "apiVersion"), "v1");
    ck_assert_str_eq(str_at(&y, "kind"), "Secret");
    ck_assert_str_eq(str_at(&y, "type"), "Opaque");
    ck_assert_str_eq(str_at(&y, "metadata.name"), "server-encryption-stores");
    ck_assert_str_eq(str_at(&y, "metadata.namespace"), "ns1");
    yaml_node_t *labels = at(&y, "metadata.labels");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_get(&y.doc, labels,
                                                          "app.kubernetes.io/managed-by")),
                     "k8tls-wizard");
    yaml_node_t *data = at(&y, "data");
    ck_assert_uint_eq(k8tls_yaml_map_len(data), 3);
    /* sorted like kubectl */
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, data, 0)), "keystore");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, data, 1)), "keystore-password");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, data, 2)),
                     "truststore-password");
    unsigned char dec[64];
    const char *b64 = str_at(&y, "data.keystore");
    int n = EVP_DecodeBlock(dec, (const unsigned char *)b64, (int)strlen(b64));
    ck_assert_int_ge(n, (int)sizeof bin);
    ck_assert_mem_eq(dec, bin, sizeof bin);
    ck_assert_str_eq(str_at(&y, "data.keystore-password"), "cHctb25l");   /* no newline */
    yaml_document_delete(&y.doc);
    free(out);
}
END_TEST

START_TEST(test_secret_refuses_a_key_used_twice)
{
    struct k8tls_kv items[] = {{"a", (const unsigned char *)"1", 1},
                               {"a", (const unsigned char *)"2", 1}};
    char *out = NULL;
    size_t len = 0;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_secret_manifest("s", "ns", items, 2, &out, &len, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "twice"));
}
END_TEST

/* ---- the default bundle ----------------------------------------------------------------- */

START_TEST(test_default_bundle_has_the_documented_layout_and_modes)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_bundle *b = build_ok(p, NULL);
    static const struct { const char *path; mode_t mode; bool secret; } want[] = {
        {"manifests/10-secret-server-encryption-stores.yaml", 0600, true},
        {"manifests/10-secret-client-encryption-stores.yaml", 0600, true},
        {"manifests/10-secret-client-certificates.yaml", 0600, true},
        {"manifests/20-k8ssandracluster.yaml", 0644, false},
        {"kustomization.yaml", 0644, false},
        {"ca/rootca.crt", 0644, false},
        {"ca/rootca.key", 0600, true},
        {"stores/server-encryption-stores/keystore", 0600, true},
        {"stores/server-encryption-stores/truststore", 0600, true},
        {"stores/server-encryption-stores/keystore-password", 0600, true},
        {"stores/server-encryption-stores/truststore-password", 0600, true},
        {"stores/client-encryption-stores/keystore", 0600, true},
        {"medusa/rootca.crt", 0644, false},
        {"medusa/client.crt_signed", 0644, false},
        {"medusa/client.key", 0600, true},
        {"answers.yaml", 0644, false},
        {"NEXT-STEPS.md", 0644, false},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct k8tls_artifact *a = k8tls_bundle_find(b, want[i].path);
        ck_assert_msg(a != NULL, "missing %s", want[i].path);
        ck_assert_int_eq(a->mode, want[i].mode);
        ck_assert_int_eq(a->secret, want[i].secret);
    }
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/00-namespace.yaml"));
    /* the Secrets carry what apply needs */
    const struct k8tls_artifact *s =
        k8tls_bundle_find(b, "manifests/10-secret-server-encryption-stores.yaml");
    ck_assert_str_eq(s->k8s_kind, "Secret");
    ck_assert_str_eq(s->k8s_name, "server-encryption-stores");
    ck_assert_str_eq(s->k8s_namespace, "k8ssandra-operator");
    /* password files: exact, no newline */
    const struct k8tls_artifact *pw =
        k8tls_bundle_find(b, "stores/server-encryption-stores/keystore-password");
    ck_assert_uint_ge(pw->len, 12);
    ck_assert_ptr_null(memchr(pw->data, '\n', pw->len));
    /* a new manifest reports no merge changes */
    ck_assert_uint_eq(b->n_changes, 0);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_new_manifest_sets_k1_to_k5_and_k8)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_str_eq(str_at(&y, "apiVersion"), "k8ssandra.io/v1alpha1");
    ck_assert_str_eq(str_at(&y, "kind"), "K8ssandraCluster");
    ck_assert_str_eq(str_at(&y, "metadata.name"), "test");
    ck_assert_str_eq(str_at(&y, "metadata.namespace"), "k8ssandra-operator");
    /* K10 */
    yaml_node_t *sv = at(&y, "spec.cassandra.serverVersion");
    ck_assert_str_eq(k8tls_yaml_scalar(sv), "4.1.12");
    ck_assert_int_eq(sv->data.scalar.style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    /* K1 + K2 */
    const char *blocks[] = {"spec.cassandra.serverEncryptionStores",
                            "spec.cassandra.clientEncryptionStores"};
    const char *secret[] = {"server-encryption-stores", "client-encryption-stores"};
    for (int i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s.keystoreSecretRef.name", blocks[i]);
        ck_assert_str_eq(str_at(&y, path), secret[i]);
        snprintf(path, sizeof path, "%s.keystoreSecretRef.key", blocks[i]);
        ck_assert_str_eq(str_at(&y, path), "keystore");
        snprintf(path, sizeof path, "%s.truststoreSecretRef.key", blocks[i]);
        ck_assert_str_eq(str_at(&y, path), "truststore");
        snprintf(path, sizeof path, "%s.keystorePasswordSecretRef.key", blocks[i]);
        ck_assert_str_eq(str_at(&y, path), "keystore-password");
        snprintf(path, sizeof path, "%s.truststorePasswordSecretRef.key", blocks[i]);
        ck_assert_str_eq(str_at(&y, path), "truststore-password");
    }
    /* K3 */
    const char *cy = "spec.cassandra.config.cassandraYaml";
    char path[256];
    snprintf(path, sizeof path, "%s.server_encryption_options.internode_encryption", cy);
    ck_assert_str_eq(str_at(&y, path), "all");
    snprintf(path, sizeof path, "%s.server_encryption_options.enabled", cy);
    ck_assert_ptr_null(at(&y, path));
    snprintf(path, sizeof path, "%s.client_encryption_options.enabled", cy);
    bool on = false;
    ck_assert_int_eq(k8tls_yaml_get_bool(at(&y, path), &on), 0);   /* a YAML boolean */
    ck_assert(on);
    /* K4 */
    const char *forbidden[] = {"keystore", "truststore", "keystore_password", "truststore_password"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s.server_encryption_options.%s", cy, forbidden[i]);
        ck_assert_ptr_null(at(&y, path));
        snprintf(path, sizeof path, "%s.client_encryption_options.%s", cy, forbidden[i]);
        ck_assert_ptr_null(at(&y, path));
    }
    /* K5 */
    snprintf(path, sizeof path, "%s.server_encryption_options.store_type", cy);
    ck_assert_str_eq(str_at(&y, path), "PKCS12");
    snprintf(path, sizeof path, "%s.client_encryption_options.store_type", cy);
    ck_assert_str_eq(str_at(&y, path), "PKCS12");
    /* K8 */
    ck_assert_str_eq(str_at(&y, "spec.medusa.clientEncryptionStores.keystoreSecretRef.key"),
                     "rootca.crt");
    ck_assert_str_eq(str_at(&y, "spec.medusa.clientEncryptionStores.truststoreSecretRef.key"),
                     "client.crt_signed");
    ck_assert_str_eq(
        str_at(&y, "spec.medusa.clientEncryptionStores.truststorePasswordSecretRef.key"),
        "client.key");
    ck_assert_str_eq(
        str_at(&y, "spec.medusa.clientEncryptionStores.truststorePasswordSecretRef.name"),
        "client-certificates");
    ck_assert_ptr_null(at(&y, "spec.medusa.certificatesSecretRef"));
    ck_assert_str_eq(str_at(&y, "spec.medusa.storageProperties.storageProvider"), "s3");
    ck_assert_ptr_null(at(&y, "spec.stargate"));   /* deprecated: off by default (K15) */
    ck_assert_str_eq(str_at(&y, "spec.reaper.deploymentMode"), "SINGLE");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.datacenters.0.metadata.name"), "dc1");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.datacenters.0.size"), "3");
    ck_assert_ptr_null(at(&y, "spec.cassandra.datacenters.0.k8sContext"));
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_dse_names_keystore_type_and_truststore_type)
{
    struct k8tls_plan *p = ec_plan();
    p->cluster.server_type = K8TLS_SERVER_DSE;
    free(p->cluster.server_version);
    p->cluster.server_version = strdup("6.8.25");
    p->stores.format = K8TLS_FORMAT_JKS;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    const char *s = "spec.cassandra.config.cassandraYaml.server_encryption_options.";
    char path[256];
    snprintf(path, sizeof path, "%skeystore_type", s);
    ck_assert_str_eq(str_at(&y, path), "JKS");
    snprintf(path, sizeof path, "%struststore_type", s);
    ck_assert_str_eq(str_at(&y, path), "JKS");
    snprintf(path, sizeof path, "%sstore_type", s);
    ck_assert_ptr_null(at(&y, path));
    ck_assert_str_eq(str_at(&y, "spec.cassandra.serverType"), "dse");
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_client_off_emits_no_client_stores_and_no_medusa_certs)
{
    struct k8tls_plan *p = ec_plan();
    p->encryption.client.enabled = false;
    p->encryption.medusa.enabled = false;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_ptr_null(at(&y, "spec.cassandra.clientEncryptionStores"));   /* K6 */
    ck_assert_ptr_null(at(&y, "spec.cassandra.config.cassandraYaml.client_encryption_options"));
    ck_assert_ptr_null(at(&y, "spec.medusa.clientEncryptionStores"));
    ck_assert_ptr_nonnull(at(&y, "spec.medusa.storageProperties"));
    ck_assert_ptr_nonnull(at(&y, "spec.cassandra.serverEncryptionStores.truststoreSecretRef"));
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/10-secret-client-encryption-stores.yaml"));
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/10-secret-client-certificates.yaml"));
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_null(strstr(ns, "nodetool-ssl.properties"));
    free(ns);
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* The bucket credentials Secret is the one the cluster needs that the wizard cannot write:
 * NEXT-STEPS.md names it, with the command that creates it. */
START_TEST(test_next_steps_names_the_medusa_bucket_secret)
{
    struct k8tls_plan *p = ec_plan();
    free(p->cluster.medusa.storage_secret);
    p->cluster.medusa.storage_secret = strdup("my-bucket-creds");
    struct k8tls_bundle *b = build_ok(p, NULL);
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_nonnull(strstr(ns, "the Secret `my-bucket-creds`, which the wizard does not write"));
    ck_assert_ptr_nonnull(strstr(ns, "kubectl -n k8ssandra-operator create secret generic "
                                     "my-bucket-creds --from-file=credentials="));
    free(ns);
    k8tls_bundle_free(b);
    p->cluster.medusa.enabled = false;
    p->encryption.medusa.enabled = false;
    b = build_ok(p, NULL);
    ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_null(strstr(ns, "my-bucket-creds"));
    free(ns);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_internode_off_emits_no_server_stores)
{
    struct k8tls_plan *p = ec_plan();
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_ptr_null(at(&y, "spec.cassandra.serverEncryptionStores"));
    ck_assert_ptr_null(at(&y, "spec.cassandra.config.cassandraYaml.server_encryption_options"));
    ck_assert_ptr_nonnull(at(&y, "spec.cassandra.clientEncryptionStores"));
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/10-secret-server-encryption-stores.yaml"));
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_client_reuse_points_at_the_server_secret)
{
    struct k8tls_plan *p = ec_plan();
    p->stores.client.source = K8TLS_SOURCE_REUSE;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_str_eq(str_at(&y, "spec.cassandra.clientEncryptionStores.keystoreSecretRef.name"),
                     "server-encryption-stores");
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/10-secret-client-encryption-stores.yaml"));
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_custom_secret_keys_are_used_with_password_refs)
{
    struct k8tls_plan *p = ec_plan();
    free(p->stores.server.keys.keystore);
    p->stores.server.keys.keystore = strdup("node.p12");
    free(p->stores.server.keys.keystore_password);
    p->stores.server.keys.keystore_password = strdup("node.pw");
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y, s;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    const char *base = "spec.cassandra.serverEncryptionStores.";
    char path[256];
    snprintf(path, sizeof path, "%skeystoreSecretRef.key", base);
    ck_assert_str_eq(str_at(&y, path), "node.p12");
    snprintf(path, sizeof path, "%skeystorePasswordSecretRef.key", base);
    ck_assert_str_eq(str_at(&y, path), "node.pw");
    load_art(b, "manifests/10-secret-server-encryption-stores.yaml", &s);
    ck_assert_ptr_nonnull(k8tls_yaml_map_get(&s.doc, at(&s, "data"), "node.p12"));
    ck_assert_ptr_nonnull(k8tls_yaml_map_get(&s.doc, at(&s, "data"), "node.pw"));
    ck_assert_ptr_null(k8tls_yaml_map_get(&s.doc, at(&s, "data"), "keystore"));
    yaml_document_delete(&y.doc);
    yaml_document_delete(&s.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_two_datacenters_carry_their_contexts)
{
    struct k8tls_plan *p = ec_plan();
    ck_assert_int_eq(k8tls_plan_set_dcs(p, 2), 0);
    p->cluster.dcs[0].name = strdup("dc1");
    p->cluster.dcs[0].size = 3;
    p->cluster.dcs[0].k8s_context = strdup("kind-east");
    p->cluster.dcs[1].name = strdup("dc2");
    p->cluster.dcs[1].size = 2;
    p->cluster.dcs[1].k8s_context = strdup("kind-west");
    p->output.create_namespace = true;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_str_eq(str_at(&y, "spec.cassandra.datacenters.0.k8sContext"), "kind-east");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.datacenters.1.k8sContext"), "kind-west");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.datacenters.1.size"), "2");
    yaml_document_delete(&y.doc);
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_nonnull(strstr(ns, "kubectl --context kind-east apply -f manifests/00-namespace.yaml"));
    ck_assert_ptr_nonnull(strstr(ns, "kubectl --context kind-west apply"));
    free(ns);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_kustomization_lists_namespace_secrets_then_cluster)
{
    struct k8tls_plan *p = ec_plan();
    p->output.create_namespace = true;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y, n;
    load_art(b, "kustomization.yaml", &y);
    yaml_node_t *res = at(&y, "resources");
    ck_assert_uint_eq(k8tls_yaml_seq_len(res), 5);
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_seq_item(&y.doc, res, 0)),
                     "manifests/00-namespace.yaml");
    for (size_t i = 1; i < 4; i++)
        ck_assert_ptr_nonnull(strstr(k8tls_yaml_scalar(k8tls_yaml_seq_item(&y.doc, res, i)),
                                     "manifests/10-secret-"));
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_seq_item(&y.doc, res, 4)),
                     "manifests/20-k8ssandracluster.yaml");
    load_art(b, "manifests/00-namespace.yaml", &n);
    ck_assert_str_eq(str_at(&n, "kind"), "Namespace");
    ck_assert_str_eq(str_at(&n, "metadata.name"), "k8ssandra-operator");
    yaml_document_delete(&y.doc);
    yaml_document_delete(&n.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_k12_and_k15_are_noted)
{
    struct k8tls_plan *p = ec_plan();
    p->encryption.internode.mode = K8TLS_INTERNODE_DC;
    p->cluster.stargate.enabled = true;   /* off by default */
    struct k8tls_bundle *b = build_ok(p, NULL);
    bool k12 = false, k15 = false;
    for (size_t i = 0; i < b->notes.n; i++) {
        if (strcmp(b->notes.v[i].path, "encryption.internode.mode") == 0)
            k12 = true;
        if (strcmp(b->notes.v[i].path, "cluster.stargate.enabled") == 0)
            k15 = true;
    }
    ck_assert(k12);
    ck_assert(k15);
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_nonnull(strstr(ns, "DEPRECATED"));
    free(ns);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_next_steps_has_nodetool_properties_and_expiry)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = build_ok(p, &m);
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_nonnull(strstr(ns, "-Djavax.net.ssl.keyStore=/mnt/client-keystore/keystore"));
    ck_assert_ptr_nonnull(strstr(ns, "-Djavax.net.ssl.trustStore=/mnt/client-truststore/truststore"));
    ck_assert_ptr_nonnull(strstr(ns, "-Djavax.net.ssl.keyStoreType=PKCS12"));
    ck_assert_ptr_nonnull(strstr(ns, "nodetool --ssl"));
    ck_assert_ptr_nonnull(strstr(ns, "nodetool-ssl.properties"));
    ck_assert_ptr_nonnull(strstr(ns, "K8ssandraTask"));
    /* the CA's expiry date, as the certificate says */
    struct tm tm;
    ck_assert(ASN1_TIME_to_tm(X509_get0_notAfter(m->ca_cert), &tm));
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    ck_assert_ptr_nonnull(strstr(ns, date));
    /* no password in clear */
    ck_assert_ptr_null(strstr(ns, m->client.keystore_password));
    ck_assert_ptr_null(strstr(ns, m->server.keystore_password));
    free(ns);
    k8tls_material_free(m);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_answers_artifact_has_no_literal_password)
{
    struct k8tls_plan *p = ec_plan();
    p->stores.server.keystore_password.ref = strdup("Literal.Secret.Pw1");
    p->stores.client.keystore_password.ref = strdup("env:K8TLS_TEST_CLIENT_PW");
    setenv("K8TLS_TEST_CLIENT_PW", "From.Env.Password9", 1);
    struct k8tls_bundle *b = build_ok(p, NULL);
    char *a = art_text(b, "answers.yaml");
    ck_assert_ptr_null(strstr(a, "Literal.Secret.Pw1"));
    ck_assert_ptr_null(strstr(a, "From.Env.Password9"));
    ck_assert_ptr_nonnull(strstr(a, "env:K8TLS_TEST_CLIENT_PW"));
    free(a);
    /* ... but the stores use them */
    const struct k8tls_artifact *pw =
        k8tls_bundle_find(b, "stores/server-encryption-stores/keystore-password");
    ck_assert_uint_eq(pw->len, strlen("Literal.Secret.Pw1"));
    ck_assert_mem_eq(pw->data, "Literal.Secret.Pw1", pw->len);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* ---- previews --------------------------------------------------------------------------- */

static bool reveal_pw(void *ud, const char *key)
{
    (void)ud;
    return strcmp(key, "keystore-password") == 0;
}

START_TEST(test_preview_masks_secret_values_until_revealed)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = build_ok(p, &m);
    const struct k8tls_artifact *s =
        k8tls_bundle_find(b, "manifests/10-secret-server-encryption-stores.yaml");
    char *masked = k8tls_artifact_preview(s, NULL, NULL);
    ck_assert_ptr_nonnull(strstr(masked, "keystore-password: '********'"));
    ck_assert_ptr_null(strstr(masked, m->server.keystore_password));
    ck_assert_ptr_nonnull(strstr(masked, "name: server-encryption-stores"));
    free(masked);
    char *shown = k8tls_artifact_preview(s, reveal_pw, NULL);
    ck_assert_ptr_nonnull(strstr(shown, m->server.keystore_password));
    ck_assert_ptr_null(strstr(shown, m->server.truststore_password));
    free(shown);
    /* a key file and a password file are masked too */
    char *key = k8tls_artifact_preview(k8tls_bundle_find(b, "ca/rootca.key"), NULL, NULL);
    ck_assert_ptr_null(strstr(key, "PRIVATE KEY"));
    free(key);
    char *crt = k8tls_artifact_preview(k8tls_bundle_find(b, "ca/rootca.crt"), NULL, NULL);
    ck_assert_ptr_nonnull(strstr(crt, "BEGIN CERTIFICATE"));
    free(crt);
    k8tls_material_free(m);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* ---- merge ------------------------------------------------------------------------------ */

static const char *hand_written =
    "# a hand-written cluster\n"
    "apiVersion: k8ssandra.io/v1alpha1\n"
    "kind: K8ssandraCluster\n"
    "metadata:\n"
    "  name: prod\n"
    "  namespace: cass\n"
    "  labels: {team: data}\n"
    "spec:\n"
    "  cassandra:\n"
    "    serverVersion: 4.1.3\n"
    "    resources:\n"
    "      requests: {cpu: '2', memory: 8Gi}\n"
    "    tolerations:\n"
    "      - key: dedicated\n"
    "        operator: Equal\n"
    "        value: cassandra\n"
    "        effect: NoSchedule\n"
    "    config:\n"
    "      cassandraYaml:\n"
    "        num_tokens: 16\n"
    "        server_encryption_options:\n"
    "          internode_encryption: none\n"
    "          keystore_password: cassandra\n"
    "          protocol: TLS\n"
    "    datacenters:\n"
    "      - metadata: {name: east}\n"
    "        size: 3\n"
    "        config:\n"
    "          cassandraYaml:\n"
    "            client_encryption_options: {enabled: false}\n"
    "  medusa:\n"
    "    storageProperties: {storageProvider: s3, bucketName: backups}\n"
    "    certificatesSecretRef:\n"
    "      name: old-medusa-certs\n";

START_TEST(test_merge_sets_encryption_and_keeps_everything_else)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cluster.yaml", tmpdir);
    write_file(path, hand_written);
    struct k8tls_plan *p = ec_plan();
    free(p->cluster.manifest);
    p->cluster.manifest = strdup(path);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_bundle_adopt_manifest(p, &d), 0);
    ck_assert_str_eq(p->cluster.name, "prod");
    ck_assert_str_eq(p->cluster.namespace_, "cass");
    ck_assert_uint_eq(p->cluster.n_dcs, 1);
    ck_assert_str_eq(p->cluster.dcs[0].name, "east");
    ck_assert(!p->cluster.stargate.enabled);
    k8tls_diags_free(&d);

    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    /* kept: values, order */
    ck_assert_str_eq(str_at(&y, "metadata.labels.team"), "data");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.tolerations.0.effect"), "NoSchedule");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.resources.requests.cpu"), "2");
    ck_assert_str_eq(str_at(&y, "spec.cassandra.config.cassandraYaml.num_tokens"), "16");
    ck_assert_str_eq(
        str_at(&y, "spec.cassandra.config.cassandraYaml.server_encryption_options.protocol"),
        "TLS");
    yaml_node_t *cas = at(&y, "spec.cassandra");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, cas, 0)), "serverVersion");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, cas, 1)), "resources");
    ck_assert_str_eq(k8tls_yaml_scalar(k8tls_yaml_map_key(&y.doc, cas, 2)), "tolerations");
    /* K10: quoted now */
    ck_assert_int_eq(at(&y, "spec.cassandra.serverVersion")->data.scalar.style,
                     YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    /* set */
    ck_assert_str_eq(str_at(&y, "spec.cassandra.config.cassandraYaml.server_encryption_options."
                                "internode_encryption"), "all");
    ck_assert_ptr_null(at(&y, "spec.cassandra.config.cassandraYaml.server_encryption_options."
                              "keystore_password"));
    ck_assert_ptr_nonnull(at(&y, "spec.cassandra.serverEncryptionStores"));
    ck_assert_ptr_nonnull(at(&y, "spec.cassandra.clientEncryptionStores"));
    /* per-DC override removed with its now empty block */
    ck_assert_ptr_null(at(&y, "spec.cassandra.datacenters.0.config.cassandraYaml."
                              "client_encryption_options"));
    /* K8: migrated */
    ck_assert_ptr_null(at(&y, "spec.medusa.certificatesSecretRef"));
    ck_assert_str_eq(str_at(&y, "spec.medusa.clientEncryptionStores.keystoreSecretRef.name"),
                     "client-certificates");
    ck_assert_str_eq(str_at(&y, "spec.medusa.storageProperties.bucketName"), "backups");
    yaml_document_delete(&y.doc);

    /* what changed, for the user */
    ck_assert(has_change(b, K8TLS_CHANGE_MIGRATED, "spec.medusa.certificatesSecretRef"));
    ck_assert(has_change(b, K8TLS_CHANGE_REPLACED, "spec.cassandra.config.cassandraYaml."
                                                   "server_encryption_options.internode_encryption"));
    ck_assert(has_change(b, K8TLS_CHANGE_REMOVED, "spec.cassandra.config.cassandraYaml."
                                                  "server_encryption_options.keystore_password"));
    ck_assert(has_change(b, K8TLS_CHANGE_ADDED, "spec.cassandra.serverEncryptionStores"));
    ck_assert(has_change(b, K8TLS_CHANGE_ADDED,
                         "spec.cassandra.config.cassandraYaml.client_encryption_options"));
    /* ... printed for the CLI and recorded in NEXT-STEPS.md */
    char *printed = k8tls_bundle_changes_text(b);
    ck_assert_ptr_nonnull(printed);
    ck_assert_ptr_nonnull(strstr(printed, "  migrated: spec.medusa.certificatesSecretRef\n"));
    free(printed);
    char *ns = art_text(b, "NEXT-STEPS.md");
    ck_assert_ptr_nonnull(strstr(ns, "- migrated: `spec.medusa.certificatesSecretRef`"));
    ck_assert_ptr_nonnull(strstr(ns, "- added: `spec.cassandra.serverEncryptionStores`"));
    free(ns);
    /* the Secrets go to the manifest's namespace */
    const struct k8tls_artifact *s =
        k8tls_bundle_find(b, "manifests/10-secret-server-encryption-stores.yaml");
    ck_assert_str_eq(s->k8s_namespace, "cass");
    const struct k8tls_artifact *c = k8tls_bundle_find(b, "manifests/20-k8ssandracluster.yaml");
    ck_assert_str_eq(c->k8s_name, "prod");
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* The text the command line prints after the notes: exactly a heading and one line per change,
 * in the order recorded; nothing at all for a new manifest. */
START_TEST(test_changes_text_is_a_heading_then_one_line_per_change)
{
    char *t = k8tls_bundle_changes_text(NULL);
    ck_assert_str_eq(t, "");
    free(t);
    struct k8tls_bundle *b = calloc(1, sizeof *b);
    ck_assert_ptr_nonnull(b);
    k8tls_diags_init(&b->notes);
    t = k8tls_bundle_changes_text(b);
    ck_assert_str_eq(t, "");
    free(t);
    ck_assert_int_eq(k8tls_bundle_add_change(b, K8TLS_CHANGE_ADDED,
                                             "spec.cassandra.serverEncryptionStores"), 0);
    ck_assert_int_eq(k8tls_bundle_add_change(b, K8TLS_CHANGE_REPLACED, "metadata.namespace"), 0);
    ck_assert_int_eq(k8tls_bundle_add_change(b, K8TLS_CHANGE_MIGRATED,
                                             "spec.medusa.certificatesSecretRef"), 0);
    ck_assert_int_eq(k8tls_bundle_add_change(b, K8TLS_CHANGE_REMOVED, "a.b"), 0);
    ck_assert_int_eq(k8tls_bundle_add_change(b, 99, "x"), 0);
    t = k8tls_bundle_changes_text(b);
    ck_assert_str_eq(t, "Changes to the existing K8ssandraCluster:\n"
                        "  added: spec.cassandra.serverEncryptionStores\n"
                        "  replaced: metadata.namespace\n"
                        "  migrated: spec.medusa.certificatesSecretRef\n"
                        "  removed: a.b\n"
                        "  ?: x\n");
    free(t);
    k8tls_bundle_clear_changes(b);
    ck_assert_uint_eq(b->n_changes, 0);
    ck_assert_ptr_null(b->changes);
    t = k8tls_bundle_changes_text(b);
    ck_assert_str_eq(t, "");
    free(t);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_merge_adds_a_missing_namespace_and_keeps_other_documents_out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/two.yaml", tmpdir);
    write_file(path,
               "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n---\n"
               "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
               "metadata: {name: demo}\nspec:\n  cassandra:\n    serverVersion: \"4.0.1\"\n"
               "    datacenters: [{metadata: {name: dc1}, size: 1}]\n");
    struct k8tls_plan *p = ec_plan();
    p->cluster.medusa.enabled = false;
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    /* the namespace named by the answers file (a position): written into the manifest */
    k8tls_plan_set_pos(p, "cluster.namespace", (struct k8tls_pos){3, 14});
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_str_eq(str_at(&y, "metadata.namespace"), "k8ssandra-operator");
    ck_assert_str_eq(str_at(&y, "kind"), "K8ssandraCluster");
    yaml_document_delete(&y.doc);
    ck_assert(has_change(b, K8TLS_CHANGE_ADDED, "metadata.namespace"));
    bool noted = false;
    for (size_t i = 0; i < b->notes.n; i++)
        if (strstr(b->notes.v[i].msg, "ConfigMap"))
            noted = true;
    ck_assert(noted);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* Issue 15: a namespace only from the defaults: the manifest and the Secrets stay without one,
 * kustomization.yaml names it, the artifacts carry none (kube.c then passes --namespace). */
START_TEST(test_merge_keeps_a_missing_namespace_from_the_defaults)
{
    char path[512];
    snprintf(path, sizeof path, "%s/nons.yaml", tmpdir);
    write_file(path,
               "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
               "metadata: {name: demo}\nspec:\n  cassandra:\n    serverVersion: \"4.0.1\"\n"
               "    datacenters: [{metadata: {name: dc1}, size: 1}]\n");
    struct k8tls_plan *p = ec_plan();
    p->cluster.medusa.enabled = false;
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_ptr_null(str_at(&y, "metadata.namespace"));
    yaml_document_delete(&y.doc);
    ck_assert(!has_change(b, K8TLS_CHANGE_ADDED, "metadata.namespace"));
    const struct k8tls_artifact *s = k8tls_bundle_find(b, "manifests/10-secret-server-encryption-stores.yaml");
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_null(s->k8s_namespace);
    ck_assert_ptr_null(memmem(s->data, s->len, "namespace:", 10));
    const struct k8tls_artifact *k = k8tls_bundle_find(b, "kustomization.yaml");
    ck_assert_ptr_nonnull(k);
    ck_assert_ptr_nonnull(memmem(k->data, k->len, "\nnamespace: k8ssandra-operator\n", 31));
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

static void merge_fails(const char *text, const char *expect)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bad.yaml", tmpdir);
    write_file(path, text);
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_bundle_adopt_manifest(p, &d), -1);
    ck_assert_uint_ge(d.n, 1);
    char buf[2048];
    k8tls_diag_format(&d.v[0], buf, sizeof buf);
    ck_assert_msg(strstr(buf, expect) != NULL, "'%s' lacks '%s'", buf, expect);
    ck_assert_msg(strstr(buf, "bad.yaml") != NULL, "'%s' does not name the file", buf);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}

START_TEST(test_merge_refuses_a_file_without_a_cluster)
{
    merge_fails("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n", "no K8ssandraCluster");
}
END_TEST

START_TEST(test_merge_refuses_several_clusters)
{
    merge_fails("kind: K8ssandraCluster\napiVersion: k8ssandra.io/v1alpha1\nmetadata: {name: a}\n"
                "---\nkind: K8ssandraCluster\napiVersion: k8ssandra.io/v1alpha1\n"
                "metadata: {name: b}\n",
                "2 K8ssandraCluster documents (lines 1, 5)");
}
END_TEST

START_TEST(test_merge_reports_yaml_errors_with_line_and_column)
{
    merge_fails("kind: K8ssandraCluster\nspec: [\n", "bad.yaml:3:1");
}
END_TEST

START_TEST(test_merge_refuses_a_wrong_api_version_and_a_bad_spec)
{
    merge_fails("kind: K8ssandraCluster\napiVersion: v1\nmetadata: {name: a}\n",
                "apiVersion: expected k8ssandra.io/v1alpha1");
    /* spec.cassandra that is not a mapping: found while merging */
    char path[512];
    snprintf(path, sizeof path, "%s/bad2.yaml", tmpdir);
    write_file(path, "kind: K8ssandraCluster\napiVersion: k8ssandra.io/v1alpha1\n"
                     "metadata: {name: a}\nspec:\n  cassandra: [1, 2]\n");
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_pki_build(p, NULL, NULL, &m, &d), 0);
    ck_assert_int_eq(k8tls_bundle_build(p, m, &b, &d), -1);
    ck_assert_ptr_null(b);
    char buf[2048];
    k8tls_diag_format(&d.v[d.n - 1], buf, sizeof buf);
    ck_assert_msg(strstr(buf, "bad2.yaml:5:14") && strstr(buf, "spec.cassandra"), "%s", buf);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_merge_survives_alias_cycles_and_bombs)
{
    merge_fails("kind: K8ssandraCluster\napiVersion: k8ssandra.io/v1alpha1\nmetadata: {name: a}\n"
                "spec: &s {x: *s}\n",
                "too deeply");
    /* a "billion laughs" of aliases: bounded, refused */
    char text[4096] = "kind: K8ssandraCluster\napiVersion: k8ssandra.io/v1alpha1\n"
                      "metadata: {name: a}\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
    for (int i = 1; i < 10; i++) {
        char line[200];
        snprintf(line, sizeof line, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n",
                 i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
        strcat(text, line);
    }
    merge_fails(text, "too deeply or too large");
}
END_TEST

START_TEST(test_merge_migrates_a_users_own_medusa_secret_when_not_generating)
{
    char path[512];
    snprintf(path, sizeof path, "%s/own.yaml", tmpdir);
    write_file(path, "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
                     "metadata: {name: own, namespace: ns}\nspec:\n  cassandra:\n"
                     "    serverVersion: \"4.0.1\"\n"
                     "    datacenters: [{metadata: {name: dc1}, size: 1}]\n"
                     "  medusa:\n    certificatesSecretRef: {name: mine}\n");
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    p->encryption.medusa.enabled = false;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_bundle_adopt_manifest(p, &d), 0);
    k8tls_diags_free(&d);
    p->encryption.medusa.enabled = false;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    ck_assert_str_eq(str_at(&y, "spec.medusa.clientEncryptionStores.keystoreSecretRef.name"),
                     "mine");
    ck_assert_str_eq(str_at(&y, "spec.medusa.clientEncryptionStores.truststorePasswordSecretRef.key"),
                     "client.key");
    ck_assert_ptr_null(at(&y, "spec.medusa.certificatesSecretRef"));
    ck_assert(has_change(b, K8TLS_CHANGE_MIGRATED, "spec.medusa.certificatesSecretRef"));
    ck_assert_ptr_null(k8tls_bundle_find(b, "manifests/10-secret-client-certificates.yaml"));
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_merging_twice_changes_nothing_the_second_time)
{
    char path[512], path2[512];
    snprintf(path, sizeof path, "%s/cluster.yaml", tmpdir);
    write_file(path, hand_written);
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_bundle_adopt_manifest(p, &d), 0);
    struct k8tls_bundle *b = build_ok(p, NULL);
    char *first = art_text(b, "manifests/20-k8ssandracluster.yaml");
    snprintf(path2, sizeof path2, "%s/merged.yaml", tmpdir);
    write_file(path2, first);
    k8tls_bundle_free(b);
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path2));
    b = build_ok(p, NULL);
    char *second = art_text(b, "manifests/20-k8ssandracluster.yaml");
    ck_assert_str_eq(first, second);
    ck_assert_uint_eq(b->n_changes, 0);
    free(first);
    free(second);
    k8tls_diags_free(&d);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_merge_replaces_a_string_true_by_a_boolean)
{
    char path[512];
    snprintf(path, sizeof path, "%s/str.yaml", tmpdir);
    write_file(path, "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
                     "metadata: {name: s, namespace: ns}\nspec:\n  cassandra:\n"
                     "    serverVersion: \"4.0.1\"\n"
                     "    config:\n      cassandraYaml:\n"
                     "        client_encryption_options: {enabled: \"true\", optional: false}\n"
                     "    datacenters: [{metadata: {name: dc1}, size: 1}]\n");
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    p->cluster.medusa.enabled = false;
    struct k8tls_bundle *b = build_ok(p, NULL);
    struct ydocs y;
    load_art(b, "manifests/20-k8ssandracluster.yaml", &y);
    bool on = false;
    ck_assert_int_eq(k8tls_yaml_get_bool(at(&y, "spec.cassandra.config.cassandraYaml."
                                                "client_encryption_options.enabled"), &on), 0);
    ck_assert(on);
    ck_assert(has_change(b, K8TLS_CHANGE_REPLACED, "spec.cassandra.config.cassandraYaml."
                                                   "client_encryption_options.enabled"));
    /* optional: false was already right: not reported */
    ck_assert(!has_change(b, K8TLS_CHANGE_REPLACED, "spec.cassandra.config.cassandraYaml."
                                                    "client_encryption_options.optional"));
    yaml_document_delete(&y.doc);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
}
END_TEST

/* Hostile input (X5): mutated manifests never crash the reader or the merge (run under ASan in
 * the sanitizer build); each either merges or is refused with a message naming the file. */
START_TEST(test_merge_survives_mutated_manifests)
{
    char path[512];
    snprintf(path, sizeof path, "%s/fuzz.yaml", tmpdir);
    struct k8tls_plan *p = ec_plan();
    p->cluster.manifest = (free(p->cluster.manifest), strdup(path));
    size_t n = strlen(hand_written);
    char *buf = malloc(n + 1);
    static const char pool[] = "{}[]:,-&*!|>'\"%@`#\n \t?~0aK";
    srand(4);
    int merged = 0, refused = 0;
    for (int round = 0; round < 400; round++) {
        memcpy(buf, hand_written, n + 1);
        int edits = 1 + rand() % 4;
        for (int k = 0; k < edits; k++) {
            size_t at = (size_t)rand() % n;
            buf[at] = (rand() % 3) ? pool[rand() % (int)(sizeof pool - 1)] : (char)(rand() % 256);
        }
        FILE *f = fopen(path, "wb");
        fwrite(buf, 1, n, f);
        fclose(f);
        struct k8tls_bundle *b = calloc(1, sizeof *b);
        k8tls_diags_init(&b->notes);
        struct k8tls_identity id;
        struct k8tls_err e;
        char *out = NULL;
        size_t len = 0;
        k8tls_err_clear(&e);
        if (k8tls_manifest_merge(p, b, &out, &len, &id, &e) == 0) {
            merged++;
            ck_assert_ptr_nonnull(out);
            k8tls_identity_clear(&id);
            free(out);
        } else {
            refused++;
            ck_assert_msg(strstr(e.file, "fuzz.yaml") || e.msg[0], "an error without a reason");
        }
        k8tls_bundle_free(b);
    }
    ck_assert_int_gt(merged, 0);
    ck_assert_int_gt(refused, 0);
    free(buf);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_bundle_from_plan_runs_the_whole_pipeline)
{
    struct k8tls_plan *p = ec_plan();
    p->cluster.stargate.enabled = true;   /* off by default */
    struct k8tls_bundle *b = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = k8tls_bundle_from_plan(p, NULL, NULL, &b, &d);
    if (rc)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(k8tls_bundle_find(b, "NEXT-STEPS.md"));
    /* K15 noted once (the plan's validation and the bundle both know it) */
    int k15 = 0;
    for (size_t i = 0; i < b->notes.n; i++)
        if (b->notes.v[i].path && strcmp(b->notes.v[i].path, "cluster.stargate.enabled") == 0)
            k15++;
    ck_assert_int_eq(k15, 1);
    k8tls_bundle_free(b);
    k8tls_diags_free(&d);
    /* an invalid plan: errors in d, no bundle */
    p->cluster.dcs[0].size = 0;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_bundle_from_plan(p, NULL, NULL, &b, &d), -1);
    ck_assert_ptr_null(b);
    ck_assert_uint_ge(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 1);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

/* k8tls_bundle_add / _add_copy / _remove_kind: what rotation uses to replace files of a built
 * bundle. */
START_TEST(test_artifacts_are_added_copied_and_removed_by_kind)
{
    struct k8tls_bundle *b = calloc(1, sizeof *b);
    ck_assert_ptr_nonnull(b);
    k8tls_diags_init(&b->notes);
    char src[] = "key bytes";
    char *doc = strdup("# doc\n");
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(k8tls_bundle_add(b, "NEXT-STEPS.md", doc, strlen(doc), 0644, K8TLS_ART_DOC,
                                      false), 0);
    ck_assert_int_eq(k8tls_bundle_add_copy(b, "ca/rootca.key", src, strlen(src), 0600,
                                           K8TLS_ART_CA_KEY, true), 0);
    char *doc2 = strdup("kind: Rotation\n");
    ck_assert_ptr_nonnull(doc2);
    ck_assert_int_eq(k8tls_bundle_add(b, "rotation.yaml", doc2, strlen(doc2), 0644, K8TLS_ART_DOC,
                                      false), 0);
    ck_assert_int_eq(k8tls_bundle_add_copy(b, "empty", "", 0, 0644, K8TLS_ART_PEM, false), 0);
    ck_assert_uint_eq(b->n, 4);

    /* the copy is a copy, path and data are owned, no Kubernetes object */
    memset(src, 'x', sizeof src - 1);
    const struct k8tls_artifact *k = k8tls_bundle_find(b, "ca/rootca.key");
    ck_assert_ptr_nonnull(k);
    ck_assert_uint_eq(k->len, 9);
    ck_assert(memcmp(k->data, "key bytes", 9) == 0);
    ck_assert_int_eq(k->mode, 0600);
    ck_assert_int_eq(k->kind, K8TLS_ART_CA_KEY);
    ck_assert(k->secret);
    ck_assert_ptr_null(k->k8s_kind);
    ck_assert_ptr_null(k->k8s_name);
    ck_assert_ptr_null(k->k8s_namespace);
    ck_assert_ptr_eq(k8tls_bundle_find(b, "NEXT-STEPS.md")->data, (unsigned char *)doc);
    ck_assert_uint_eq(k8tls_bundle_find(b, "empty")->len, 0);

    /* every artifact of the kind goes, the others keep their order */
    k8tls_bundle_remove_kind(b, K8TLS_ART_DOC);
    ck_assert_uint_eq(b->n, 2);
    ck_assert_str_eq(b->v[0].path, "ca/rootca.key");
    ck_assert_str_eq(b->v[1].path, "empty");
    ck_assert_ptr_null(k8tls_bundle_find(b, "NEXT-STEPS.md"));
    ck_assert_ptr_null(k8tls_bundle_find(b, "rotation.yaml"));
    k8tls_bundle_remove_kind(b, K8TLS_ART_SECRET);   /* none of that kind: nothing changes */
    ck_assert_uint_eq(b->n, 2);
    k8tls_bundle_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bundle");
    TCase *t = tcase_create("secrets");
    tcase_add_test(t, test_secret_holds_base64_of_exact_bytes_sorted_with_label);
    tcase_add_test(t, test_secret_refuses_a_key_used_twice);
    suite_add_tcase(s, t);
    t = tcase_create("manifest");
    tcase_add_test(t, test_default_bundle_has_the_documented_layout_and_modes);
    tcase_add_test(t, test_new_manifest_sets_k1_to_k5_and_k8);
    tcase_add_test(t, test_dse_names_keystore_type_and_truststore_type);
    tcase_add_test(t, test_client_off_emits_no_client_stores_and_no_medusa_certs);
    tcase_add_test(t, test_next_steps_names_the_medusa_bucket_secret);
    tcase_add_test(t, test_internode_off_emits_no_server_stores);
    tcase_add_test(t, test_client_reuse_points_at_the_server_secret);
    tcase_add_test(t, test_custom_secret_keys_are_used_with_password_refs);
    tcase_add_test(t, test_two_datacenters_carry_their_contexts);
    tcase_add_test(t, test_kustomization_lists_namespace_secrets_then_cluster);
    tcase_add_test(t, test_k12_and_k15_are_noted);
    tcase_add_test(t, test_next_steps_has_nodetool_properties_and_expiry);
    tcase_add_test(t, test_answers_artifact_has_no_literal_password);
    tcase_add_test(t, test_preview_masks_secret_values_until_revealed);
    tcase_add_test(t, test_artifacts_are_added_copied_and_removed_by_kind);
    tcase_add_test(t, test_bundle_from_plan_runs_the_whole_pipeline);
    suite_add_tcase(s, t);
    t = tcase_create("merge");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_add_test(t, test_merge_sets_encryption_and_keeps_everything_else);
    tcase_add_test(t, test_changes_text_is_a_heading_then_one_line_per_change);
    tcase_add_test(t, test_merge_adds_a_missing_namespace_and_keeps_other_documents_out);
    tcase_add_test(t, test_merge_keeps_a_missing_namespace_from_the_defaults);
    tcase_add_test(t, test_merge_refuses_a_file_without_a_cluster);
    tcase_add_test(t, test_merge_refuses_several_clusters);
    tcase_add_test(t, test_merge_reports_yaml_errors_with_line_and_column);
    tcase_add_test(t, test_merge_refuses_a_wrong_api_version_and_a_bad_spec);
    tcase_add_test(t, test_merge_survives_alias_cycles_and_bombs);
    tcase_add_test(t, test_merge_migrates_a_users_own_medusa_secret_when_not_generating);
    tcase_add_test(t, test_merging_twice_changes_nothing_the_second_time);
    tcase_add_test(t, test_merge_survives_mutated_manifests);
    tcase_add_test(t, test_merge_replaces_a_string_true_by_a_boolean);
    suite_add_tcase(s, t);
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
