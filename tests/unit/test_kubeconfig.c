/* Unit tests for the kubeconfig reader: kubectl's file choice and merge rules, and
 * clear file:line:column errors on malformed input. The comparison with the real kubectl is in
 * tests/kube/kubeconfig-merge.sh. */
#include "config.h"
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "k8tls/kube.h"

static char tmpdir[256];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/k8tls-kc.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    unsetenv("KUBECONFIG");
    setenv("HOME", tmpdir, 1);
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* Writes a file under tmpdir; returns its path (static buffer rotation). */
static const char *put(const char *name, const char *text)
{
    static char paths[8][512];
    static int k;
    char *p = paths[k++ % 8];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static const char *A =
    "apiVersion: v1\n"
    "kind: Config\n"
    "clusters:\n"
    "- name: ca\n"
    "  cluster: {server: \"https://a.example:6443\"}\n"
    "users:\n"
    "- name: ua\n"
    "  user: {token: abc}\n"
    "contexts:\n"
    "- name: shared\n"
    "  context: {cluster: ca, user: ua, namespace: from-a}\n"
    "- name: only-a\n"
    "  context:\n"
    "    cluster: ca\n"
    "current-context: \"\"\n";

static const char *B =
    "apiVersion: v1\n"
    "kind: Config\n"
    "clusters:\n"
    "- name: ca\n"
    "  cluster: {server: \"https://b-redefines-ca.example\"}\n"
    "- name: cb\n"
    "  cluster: {server: \"http://127.0.0.1:8080\"}\n"
    "contexts:\n"
    "- name: shared\n"
    "  context: {cluster: cb, namespace: from-b}\n"
    "- name: only-b\n"
    "  context: {cluster: cb, user: ub}\n"
    "- name: b-uses-ca\n"
    "  context: {cluster: ca}\n"
    "current-context: only-b\n";

START_TEST(test_single_file_lists_contexts_sorted_with_cluster_namespace_user)
{
    struct k8tls_err e;
    const char *a = put("a", A);
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(a, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_contexts, 2);
    ck_assert_str_eq(kc->contexts[0].name, "only-a");
    ck_assert_str_eq(kc->contexts[1].name, "shared");
    ck_assert_str_eq(kc->contexts[1].cluster, "ca");
    ck_assert_str_eq(kc->contexts[1].user, "ua");
    ck_assert_str_eq(kc->contexts[1].namespace_, "from-a");
    ck_assert_str_eq(kc->contexts[1].server, "https://a.example:6443");
    ck_assert_str_eq(kc->contexts[0].namespace_, "");
    ck_assert_str_eq(kc->contexts[0].user, "");
    ck_assert_str_eq(kc->current_context, "");
    ck_assert_uint_eq(kc->n_files, 1);
    ck_assert_str_eq(kc->contexts[0].file, a);
    ck_assert_ptr_nonnull(k8tls_kubeconfig_find(kc, "shared"));
    ck_assert_ptr_null(k8tls_kubeconfig_find(kc, "nope"));
    k8tls_kubeconfig_free(kc);
}
END_TEST

START_TEST(test_kubeconfig_env_merges_files_first_wins)
{
    struct k8tls_err e;
    const char *a = put("a", A), *b = put("b", B);
    char env[2048];
    /* an empty entry, a missing file and a repeated file are all fine for kubectl */
    snprintf(env, sizeof env, "%s::%s/missing:%s:%s", a, tmpdir, b, a);
    setenv("KUBECONFIG", env, 1);
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_files, 2);
    ck_assert_uint_eq(kc->n_contexts, 4);
    ck_assert_str_eq(kc->contexts[0].name, "b-uses-ca");
    ck_assert_str_eq(kc->contexts[1].name, "only-a");
    ck_assert_str_eq(kc->contexts[2].name, "only-b");
    ck_assert_str_eq(kc->contexts[3].name, "shared");
    /* the first file to define "shared" wins, entirely */
    ck_assert_str_eq(kc->contexts[3].namespace_, "from-a");
    ck_assert_str_eq(kc->contexts[3].cluster, "ca");
    ck_assert_str_eq(kc->contexts[3].file, a);
    /* the first non-empty current-context wins: a's is "" */
    ck_assert_str_eq(kc->current_context, "only-b");
    /* the cluster "ca" is the first file's, also for a context of the second file */
    ck_assert_str_eq(kc->contexts[0].server, "https://a.example:6443");
    ck_assert_str_eq(kc->contexts[2].server, "http://127.0.0.1:8080");
    ck_assert_str_eq(kc->contexts[2].user, "ub");
    char *d = k8tls_kubeconfig_describe(kc, NULL);
    char want[1100];
    snprintf(want, sizeof want, "%s:%s", a, b);
    ck_assert_str_eq(d, want);
    free(d);
    k8tls_kubeconfig_free(kc);

    /* the other order: b first */
    snprintf(env, sizeof env, "%s:%s", b, a);
    setenv("KUBECONFIG", env, 1);
    kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_str_eq(k8tls_kubeconfig_find(kc, "shared")->namespace_, "from-b");
    ck_assert_str_eq(k8tls_kubeconfig_find(kc, "b-uses-ca")->server,
                     "https://b-redefines-ca.example");
    k8tls_kubeconfig_free(kc);
}
END_TEST

START_TEST(test_user_defined_is_looked_up_across_files)
{
    struct k8tls_err e;
    const char *users = put("users",
        "users:\n"
        "- name: elsewhere\n"
        "  user: {token: t}\n");
    const char *ctx = put("ctx",
        "clusters:\n"
        "- name: c\n"
        "  cluster: {server: \"https://c.example\"}\n"
        "users:\n"
        "- name: here\n"
        "  user: {}\n"
        "contexts:\n"
        "- name: a-here\n"
        "  context: {cluster: c, user: here}\n"
        "- name: b-elsewhere\n"
        "  context: {cluster: c, user: elsewhere}\n"
        "- name: c-ghost-user\n"
        "  context: {cluster: c, user: ghost}\n"
        "- name: d-no-user\n"
        "  context: {cluster: c}\n"
        "- name: e-ghost-cluster\n"
        "  context: {cluster: ghost, user: here}\n");
    /* one file alone: "elsewhere" is not defined */
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(ctx, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert(k8tls_kubeconfig_find(kc, "a-here")->user_defined);
    ck_assert(!k8tls_kubeconfig_find(kc, "b-elsewhere")->user_defined);
    ck_assert(!k8tls_kubeconfig_find(kc, "c-ghost-user")->user_defined);
    ck_assert(!k8tls_kubeconfig_find(kc, "d-no-user")->user_defined);
    ck_assert_str_eq(k8tls_kubeconfig_find(kc, "d-no-user")->user, "");
    ck_assert_ptr_null(k8tls_kubeconfig_find(kc, "e-ghost-cluster")->server);
    k8tls_kubeconfig_free(kc);
    /* merged: a user of another file counts, as for kubectl */
    char env[1100];
    snprintf(env, sizeof env, "%s:%s", ctx, users);
    setenv("KUBECONFIG", env, 1);
    kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert(k8tls_kubeconfig_find(kc, "b-elsewhere")->user_defined);
    ck_assert(!k8tls_kubeconfig_find(kc, "c-ghost-user")->user_defined);
    k8tls_kubeconfig_free(kc);
}
END_TEST

START_TEST(test_explicit_path_wins_over_env_and_must_exist)
{
    struct k8tls_err e;
    const char *a = put("a", A), *b = put("b", B);
    setenv("KUBECONFIG", b, 1);
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(a, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_ptr_null(k8tls_kubeconfig_find(kc, "only-b"));
    k8tls_kubeconfig_free(kc);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/nope.yaml", tmpdir);
    kc = k8tls_kubeconfig_load(missing, &e);
    ck_assert_ptr_null(kc);
    ck_assert_str_eq(e.file, missing);
    ck_assert_msg(strstr(e.msg, "No such file") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_default_is_home_kube_config_and_missing_is_empty)
{
    struct k8tls_err e;
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_contexts, 0);
    ck_assert_uint_eq(kc->n_files, 0);
    ck_assert_str_eq(kc->current_context, "");
    char *d = k8tls_kubeconfig_describe(kc, NULL);
    char want[600];
    snprintf(want, sizeof want, "%s/.kube/config", tmpdir);
    ck_assert_str_eq(d, want);
    free(d);
    k8tls_kubeconfig_free(kc);

    snprintf(want, sizeof want, "%s/.kube", tmpdir);
    ck_assert_int_eq(mkdir(want, 0700), 0);
    put(".kube/config", B);
    kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_contexts, 3);
    ck_assert_str_eq(kc->current_context, "only-b");
    k8tls_kubeconfig_free(kc);

    /* an empty KUBECONFIG means the default too */
    setenv("KUBECONFIG", "", 1);
    kc = k8tls_kubeconfig_load(NULL, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_contexts, 3);
    k8tls_kubeconfig_free(kc);
}
END_TEST

/* Loads text as a kubeconfig that must fail; checks line, column and a fragment of the message. */
static void expect_error(const char *text, int line, int col, const char *fragment)
{
    struct k8tls_err e;
    const char *p = put("bad", text);
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(p, &e);
    ck_assert_msg(kc == NULL, "accepted: %s", text);
    ck_assert_str_eq(e.file, p);
    ck_assert_msg(e.line == line && e.col == col, "%s: at %d:%d, want %d:%d (%s)", text, e.line,
                  e.col, line, col, e.msg);
    ck_assert_msg(strstr(e.msg, fragment) != NULL, "%s: message '%s' lacks '%s'", text, e.msg,
                  fragment);
    char buf[2048], want[700];
    snprintf(want, sizeof want, "%s:%d:%d: ", p, line, col);
    k8tls_err_format(&e, buf, sizeof buf);
    ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "%s", buf);
}

START_TEST(test_malformed_yaml_names_file_line_column)
{
    expect_error("contexts:\n- name: x\n  context: {cluster: [a}\n", 3, 24, "malformed YAML");
    expect_error("[\n", 2, 1, "malformed YAML");
    expect_error("a: b: c\n", 1, 5, "malformed YAML");
    expect_error("contexts:\n  - name: a\n   bad\n", 3, 4, "malformed YAML");
}
END_TEST

START_TEST(test_wrong_types_name_the_key_and_position)
{
    expect_error("contexts: foo\n", 1, 11, "contexts: expected a list, found a string");
    expect_error("contexts:\n- foo\n", 2, 3, "contexts[0]: expected a mapping");
    expect_error("contexts:\n- name: x\n  context: {namespace: 5}\n", 3, 24,
                 "contexts[0].context.namespace: expected a string, found a number");
    expect_error("contexts:\n- {name: y, context: {cluster: a}}\n", 2, 10,
                 "contexts[0].name: expected a string, found a boolean");
    expect_error("contexts: [{name: x, context: []}]\n", 1, 31,
                 "contexts[0].context: expected a mapping, found a list");
    expect_error("current-context: 1e3\n", 1, 18, "current-context: expected a string");
    expect_error("clusters: [{name: c, cluster: {server: on}}]\n", 1, 40,
                 "clusters[0].cluster.server: expected a string, found a boolean");
    expect_error("- 1\n", 1, 1, "expected a kubeconfig mapping");
    expect_error("users: {a: b}\n", 1, 8, "users: expected a list, found a mapping");
}
END_TEST

START_TEST(test_duplicate_name_in_one_file_is_an_error)
{
    expect_error("contexts:\n- name: x\n- name: z\n- name: x\n  context: {cluster: b}\n", 4, 3,
                 "duplicate name \"x\"");
    expect_error("clusters:\n- name: c\n- name: c\n", 3, 3, "duplicate name \"c\"");
}
END_TEST

START_TEST(test_yaml_scalars_resolve_like_kubectl)
{
    struct k8tls_err e;
    /* quoted numbers and booleans are strings; YAML 1.1 plain words that are not numbers are
     * strings; null is empty; unknown keys are ignored; a repeated key keeps its last value */
    const char *p = put("ok",
        "contexts:\n"
        "- name: \"yes\"\n"
        "  context: {cluster: '5', namespace: ~, extra: [1, 2]}\n"
        "- name: 12abc\n"
        "  context: null\n"
        "- name: 0x\n"
        "- name: 2001-12-14\n"
        "- name: 190:20:30\n"
        "- name: 1e\n"
        "current-context: first\n"
        "current-context: \"yes\"\n"
        "preferences: {}\n");
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(p, &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    ck_assert_uint_eq(kc->n_contexts, 6);
    const struct k8tls_kube_context *c = k8tls_kubeconfig_find(kc, "yes");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->cluster, "5");
    ck_assert_str_eq(c->namespace_, "");
    ck_assert_ptr_null(c->server);
    ck_assert_ptr_nonnull(k8tls_kubeconfig_find(kc, "12abc"));
    ck_assert_ptr_nonnull(k8tls_kubeconfig_find(kc, "2001-12-14"));
    ck_assert_str_eq(kc->current_context, "yes");
    k8tls_kubeconfig_free(kc);

    static const char *const numbers[] = { "5", "012", "+12", "-3", "1_000", "1.", "-.5", "1.5e+3",
                                           "1e3", "0x1F", "0b101", "0o17", ".inf", "-.Inf", ".NaN",
                                           NULL };
    for (int i = 0; numbers[i]; i++) {
        char text[200];
        snprintf(text, sizeof text, "contexts: [{name: %s}]\n", numbers[i]);
        expect_error(text, 1, 19, "found a number");
    }
}
END_TEST

START_TEST(test_empty_files_are_empty_configs)
{
    struct k8tls_err e;
    static const char *const empties[] = { "", "# only a comment\n", "~\n", "---\n", NULL };
    for (int i = 0; empties[i]; i++) {
        struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(put("empty", empties[i]), &e);
        ck_assert_msg(kc != NULL, "'%s': %s", empties[i], e.msg);
        ck_assert_uint_eq(kc->n_contexts, 0);
        k8tls_kubeconfig_free(kc);
    }
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load("/dev/null", &e);
    ck_assert_msg(kc != NULL, "%s", e.msg);
    k8tls_kubeconfig_free(kc);
}
END_TEST

START_TEST(test_directory_and_huge_file_are_refused)
{
    struct k8tls_err e;
    ck_assert_ptr_null(k8tls_kubeconfig_load(tmpdir, &e));
    ck_assert_msg(strstr(e.msg, "directory") != NULL, "%s", e.msg);

    char big[600];
    snprintf(big, sizeof big, "%s/big", tmpdir);
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 17 * 1024 * 1024), 0);
    close(fd);
    ck_assert_ptr_null(k8tls_kubeconfig_load(big, &e));
    ck_assert_msg(strstr(e.msg, "larger than") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_hostile_input_never_crashes)
{
    /* every prefix of a valid file, a self-referencing alias, and random bytes: an error or a
     * config, never a crash (run under ASan in the sanitizer build) */
    struct k8tls_err e;
    size_t len = strlen(B);
    for (size_t cut = 0; cut <= len; cut++) {
        char *t = strndup(B, cut);
        struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(put("cut", t), &e);
        k8tls_kubeconfig_free(kc);
        free(t);
    }
    struct k8tls_kubeconfig *kc =
        k8tls_kubeconfig_load(put("alias", "contexts: &a [*a, {name: x, context: *a}]\n"), &e);
    ck_assert_ptr_null(kc);
    kc = k8tls_kubeconfig_load(put("alias2", "x: &c {name: n, context: *c}\ncontexts: [*c]\n"), &e);
    k8tls_kubeconfig_free(kc);
    unsigned int seed = 12345;
    for (int round = 0; round < 300; round++) {
        char buf[256];
        size_t n = (size_t)(rand_r(&seed) % 255);
        for (size_t i = 0; i < n; i++) {
            /* bias towards YAML punctuation so the parser gets deep */
            static const char alpha[] = "-:[]{}&*!|>'\"#,? \n\tabcx0123456789~%@`";
            int r = rand_r(&seed);
            buf[i] = (r & 1) ? alpha[(size_t)(r >> 1) % (sizeof alpha - 1)] : (char)(r >> 3);
            if (buf[i] == '\0')
                buf[i] = 'z';
        }
        buf[n] = '\0';
        kc = k8tls_kubeconfig_load(put("rand", buf), &e);
        k8tls_kubeconfig_free(kc);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("kubeconfig");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_single_file_lists_contexts_sorted_with_cluster_namespace_user);
    tcase_add_test(tc, test_kubeconfig_env_merges_files_first_wins);
    tcase_add_test(tc, test_user_defined_is_looked_up_across_files);
    tcase_add_test(tc, test_explicit_path_wins_over_env_and_must_exist);
    tcase_add_test(tc, test_default_is_home_kube_config_and_missing_is_empty);
    tcase_add_test(tc, test_malformed_yaml_names_file_line_column);
    tcase_add_test(tc, test_wrong_types_name_the_key_and_position);
    tcase_add_test(tc, test_duplicate_name_in_one_file_is_an_error);
    tcase_add_test(tc, test_yaml_scalars_resolve_like_kubectl);
    tcase_add_test(tc, test_empty_files_are_empty_configs);
    tcase_add_test(tc, test_directory_and_huge_file_are_refused);
    tcase_add_test(tc, test_hostile_input_never_crashes);
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
