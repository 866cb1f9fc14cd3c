/* Unit tests for the offline CRD validator (crdcheck.h) against the real K8ssandraCluster CRD:
 * a valid manifest gives nothing; each broken copy gives its error with the field path, line and
 * column; unknown fields are warnings; the shipped CRD is found from the build tree. */
#include "config.h"
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/crdcheck.h"
#include "k8tls/yamlutil.h"

static struct k8tls_crd *crd;

static void load_crd(void)
{
    char path[PATH_MAX];
    const char *src = getenv("K8TLS_SRCDIR");
    snprintf(path, sizeof path, "%s/crd/%s", src ? src : ".", K8TLS_CRD_FILE);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_msg(k8tls_crd_load(path, &crd, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(k8tls_crd_kind(crd), "K8ssandraCluster");
}

static void free_crd(void)
{
    k8tls_crd_free(crd);
    crd = NULL;
}

static const char *VALID =
    "apiVersion: k8ssandra.io/v1alpha1\n"
    "kind: K8ssandraCluster\n"
    "metadata:\n"
    "  name: demo\n"
    "  namespace: k8ssandra-operator\n"
    "spec:\n"
    "  cassandra:\n"
    "    serverVersion: \"4.1.5\"\n"
    "    serverType: cassandra\n"
    "    serverEncryptionStores:\n"
    "      keystoreSecretRef:\n"
    "        name: server-encryption-stores\n"
    "        key: keystore\n"
    "      truststoreSecretRef:\n"
    "        name: server-encryption-stores\n"
    "    config:\n"
    "      cassandraYaml:\n"
    "        server_encryption_options:\n"
    "          internode_encryption: all\n"
    "    datacenters:\n"
    "      - metadata:\n"
    "          name: dc1\n"
    "        size: 3\n"
    "        storageConfig:\n"
    "          cassandraDataVolumeClaimSpec:\n"
    "            resources:\n"
    "              requests:\n"
    "                storage: 5Gi\n";

/* Checks text; returns the diags (caller frees). */
static struct k8tls_diags run(const char *text, size_t *errors)
{
    yaml_document_t doc;
    struct k8tls_err e;
    struct k8tls_diags d;
    k8tls_err_clear(&e);
    k8tls_diags_init(&d);
    ck_assert_msg(k8tls_yaml_load("m.yaml", text, strlen(text), &doc, &e) == 0, "%s", e.msg);
    *errors = k8tls_crd_check(crd, &doc, yaml_document_get_root_node(&doc), "m.yaml", &d);
    yaml_document_delete(&doc);
    return d;
}

/* The text with the first occurrence of from replaced by to. */
static char *edit(const char *from, const char *to)
{
    const char *at = strstr(VALID, from);
    ck_assert_msg(at != NULL, "%s not in the manifest", from);
    size_t n = strlen(VALID) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - VALID), VALID, to, at + strlen(from));
    return out;
}

static void expect_one(const char *from, const char *to, enum k8tls_severity sev,
                       const char *path, int line, const char *msg_part)
{
    char *text = edit(from, to);
    size_t errors;
    struct k8tls_diags d = run(text, &errors);
    ck_assert_msg(d.n == 1, "%s -> %s: %zu findings", from, to, d.n);
    ck_assert_int_eq(d.v[0].sev, sev);
    ck_assert_str_eq(d.v[0].path, path);
    ck_assert_str_eq(d.v[0].file, "m.yaml");
    ck_assert_int_eq(d.v[0].line, line);
    ck_assert_msg(strstr(d.v[0].msg, msg_part), "message '%s' lacks '%s'", d.v[0].msg, msg_part);
    ck_assert_int_eq(errors, sev == K8TLS_SEV_ERROR ? 1 : 0);
    k8tls_diags_free(&d);
    free(text);
}

START_TEST(test_valid_manifest_has_no_finding)
{
    size_t errors;
    struct k8tls_diags d = run(VALID, &errors);
    ck_assert_msg(d.n == 0, "first: %s: %s", d.n ? d.v[0].path : "", d.n ? d.v[0].msg : "");
    ck_assert_int_eq(errors, 0);
    k8tls_diags_free(&d);
}
END_TEST

START_TEST(test_type_error_names_path_and_line)
{
    expect_one("serverVersion: \"4.1.5\"", "serverVersion: 4", K8TLS_SEV_ERROR,
               "spec.cassandra.serverVersion", 8, "type string");
}
END_TEST

START_TEST(test_enum_error)
{
    expect_one("serverType: cassandra", "serverType: scylla", K8TLS_SEV_ERROR,
               "spec.cassandra.serverType", 9, "cassandra, dse, hcd");
}
END_TEST

START_TEST(test_pattern_error)
{
    expect_one("serverVersion: \"4.1.5\"", "serverVersion: \"4.1\"", K8TLS_SEV_ERROR,
               "spec.cassandra.serverVersion", 8, "pattern");
}
END_TEST

START_TEST(test_required_error_on_the_list_item)
{
    expect_one("        size: 3\n", "", K8TLS_SEV_ERROR, "spec.cassandra.datacenters[0]", 21,
               "size");
}
END_TEST

START_TEST(test_minimum_error)
{
    expect_one("size: 3", "size: 0", K8TLS_SEV_ERROR, "spec.cassandra.datacenters[0].size", 23,
               "at least 1");
}
END_TEST

START_TEST(test_int_or_string_quantity_pattern)
{
    expect_one("storage: 5Gi", "storage: five", K8TLS_SEV_ERROR,
               "spec.cassandra.datacenters[0].storageConfig.cassandraDataVolumeClaimSpec."
               "resources.requests.storage",
               28, "pattern");
    char *text = edit("storage: 5Gi", "storage: 5368709120");
    size_t errors;
    struct k8tls_diags d = run(text, &errors);
    ck_assert_int_eq(d.n, 0);
    k8tls_diags_free(&d);
    free(text);
    expect_one("storage: 5Gi", "storage: [5]", K8TLS_SEV_ERROR,
               "spec.cassandra.datacenters[0].storageConfig.cassandraDataVolumeClaimSpec."
               "resources.requests.storage",
               28, "integer or a string");
}
END_TEST

START_TEST(test_unknown_field_is_a_warning)
{
    expect_one("    serverEncryptionStores:", "    serverEncryptionStore:", K8TLS_SEV_WARNING,
               "spec.cassandra.serverEncryptionStore", 10, "unknown field");
}
END_TEST

START_TEST(test_object_expected)
{
    expect_one("        key: keystore\n", "        key: [keystore]\n", K8TLS_SEV_ERROR,
               "spec.cassandra.serverEncryptionStores.keystoreSecretRef.key", 13, "type string");
}
END_TEST

START_TEST(test_default_path_from_build_tree)
{
    char path[PATH_MAX];
    char dir[PATH_MAX];
    const char *src = getenv("K8TLS_SRCDIR");
    snprintf(dir, sizeof dir, "%s/crd", src ? src : ".");
    setenv("K8TLS_CRD_DIR", dir, 1);
    ck_assert(k8tls_crd_default_path(path, sizeof path));
    ck_assert_ptr_nonnull(strstr(path, K8TLS_CRD_FILE));
    setenv("K8TLS_CRD_DIR", "/nonexistent", 1);
    /* then the build tree or the installed copy, or nothing: never the bad directory */
    if (k8tls_crd_default_path(path, sizeof path))
        ck_assert_ptr_null(strstr(path, "/nonexistent"));
    unsetenv("K8TLS_CRD_DIR");
}
END_TEST

START_TEST(test_not_a_crd_is_refused)
{
    char path[] = "/tmp/k8tls-crd-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "kind: Foo\n", 10), 10);
    close(fd);
    struct k8tls_crd *c = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_crd_load(path, &c, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "openAPIV3Schema"));
    ck_assert_ptr_null(c);
    unlink(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crdcheck");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, load_crd, free_crd);
    tcase_add_test(tc, test_valid_manifest_has_no_finding);
    tcase_add_test(tc, test_type_error_names_path_and_line);
    tcase_add_test(tc, test_enum_error);
    tcase_add_test(tc, test_pattern_error);
    tcase_add_test(tc, test_required_error_on_the_list_item);
    tcase_add_test(tc, test_minimum_error);
    tcase_add_test(tc, test_int_or_string_quantity_pattern);
    tcase_add_test(tc, test_unknown_field_is_a_warning);
    tcase_add_test(tc, test_object_expected);
    tcase_add_test(tc, test_default_path_from_build_tree);
    tcase_add_test(tc, test_not_a_crd_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
