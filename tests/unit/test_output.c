/* Unit tests for the output directory writer (issue 4, SPEC §4): layout, modes whatever the
 * umask, refusal without --force, atomic replacement, failure injection. */
#include "config.h"
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "k8tls/bundle.h"
#include "k8tls/output.h"

static char tmpdir[256];

static void setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/k8tls-output-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    unsetenv("K8TLS_TEST_FAIL_AFTER_WRITES");
    unsetenv("K8TLS_TEST_NO_RENAME_EXCHANGE");
}

static void teardown_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", tmpdir, tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static void add(struct k8tls_bundle *b, const char *path, const char *text, mode_t mode,
                enum k8tls_artifact_kind kind, bool secret)
{
    b->v = realloc(b->v, (b->n + 1) * sizeof *b->v);
    struct k8tls_artifact *a = &b->v[b->n++];
    memset(a, 0, sizeof *a);
    a->path = strdup(path);
    a->len = strlen(text);
    a->data = (unsigned char *)strdup(text);
    a->mode = mode;
    a->kind = kind;
    a->secret = secret;
}

/* A small bundle shaped like the real one. */
static struct k8tls_bundle *sample(const char *tag)
{
    struct k8tls_bundle *b = calloc(1, sizeof *b);
    k8tls_diags_init(&b->notes);
    add(b, "manifests/10-secret-s.yaml", tag, 0600, K8TLS_ART_SECRET, true);
    add(b, "manifests/20-k8ssandracluster.yaml", tag, 0644, K8TLS_ART_CLUSTER, false);
    add(b, "kustomization.yaml", tag, 0644, K8TLS_ART_KUSTOMIZATION, false);
    add(b, "ca/rootca.crt", tag, 0644, K8TLS_ART_CA_CERT, false);
    add(b, "ca/rootca.key", tag, 0600, K8TLS_ART_CA_KEY, true);
    add(b, "stores/s/keystore", tag, 0600, K8TLS_ART_STORE, true);
    add(b, "stores/s/keystore-password", tag, 0600, K8TLS_ART_PASSWORD, true);
    add(b, "NEXT-STEPS.md", tag, 0644, K8TLS_ART_DOC, false);
    return b;
}

static mode_t mode_of(const char *dir, const char *rel)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    ck_assert_msg(lstat(p, &st) == 0, "%s: %s", p, strerror(errno));
    return st.st_mode & 07777;
}

static char *slurp(const char *dir, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Entries of tmpdir other than the expected ones: no temporary directory left behind. */
static int leftovers(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".k8tls-"))
            n++;
    closedir(d);
    return n;
}

START_TEST(test_writes_the_layout_with_modes_whatever_the_umask)
{
    static const mode_t masks[] = {0, 022, 077, 0277};
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        char dir[512];
        struct k8tls_err e;
        snprintf(dir, sizeof dir, "%s/out%zu", tmpdir, i);
        struct k8tls_bundle *b = sample("v1");
        mode_t old = umask(masks[i]);
        int rc = k8tls_output_write(b, dir, false, &e);
        umask(old);
        ck_assert_msg(rc == 0, "%s", e.msg);
        ck_assert_int_eq(mode_of(dir, "."), 0700);
        ck_assert_int_eq(mode_of(dir, "manifests"), 0700);
        ck_assert_int_eq(mode_of(dir, "stores/s"), 0700);
        ck_assert_int_eq(mode_of(dir, "manifests/10-secret-s.yaml"), 0600);
        ck_assert_int_eq(mode_of(dir, "manifests/20-k8ssandracluster.yaml"), 0644);
        ck_assert_int_eq(mode_of(dir, "ca/rootca.key"), 0600);
        ck_assert_int_eq(mode_of(dir, "stores/s/keystore"), 0600);
        ck_assert_int_eq(mode_of(dir, "stores/s/keystore-password"), 0600);
        ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "v1");
        k8tls_bundle_free(b);
    }
    ck_assert_int_eq(leftovers(), 0);
}
END_TEST

START_TEST(test_trailing_slash_and_relative_paths_work)
{
    char cwd[1024], dir[512];
    struct k8tls_err e;
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmpdir), 0);
    struct k8tls_bundle *b = sample("rel");
    int rc = k8tls_output_write(b, "rel-out/", false, &e);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(rc == 0, "%s", e.msg);
    snprintf(dir, sizeof dir, "%s/rel-out", tmpdir);
    ck_assert_str_eq(slurp(dir, "kustomization.yaml"), "rel");
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_an_existing_non_empty_directory_is_refused_without_force)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    ck_assert_int_eq(k8tls_output_write(b2, dir, false, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "--force"));
    ck_assert_str_eq(e.file, dir);
    ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "old");
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}
END_TEST

static void force_replaces(bool exchange)
{
    char dir[512];
    struct k8tls_err e;
    if (!exchange)
        setenv("K8TLS_TEST_NO_RENAME_EXCHANGE", "1", 1);
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    /* a file of the old tree that the new one does not have goes away */
    char extra[600];
    snprintf(extra, sizeof extra, "%s/stale.txt", dir);
    FILE *f = fopen(extra, "w");
    fputs("x", f);
    fclose(f);
    ck_assert_int_eq(k8tls_output_write(b2, dir, true, &e), 0);
    ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "new");
    ck_assert_int_eq(access(extra, F_OK), -1);
    ck_assert_int_eq(mode_of(dir, "."), 0700);
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}

START_TEST(test_force_replaces_by_exchange)
{
    force_replaces(true);
}
END_TEST

START_TEST(test_force_replaces_by_renaming_aside)
{
    force_replaces(false);
}
END_TEST

START_TEST(test_an_empty_existing_directory_is_used)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/empty", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    struct k8tls_bundle *b = sample("e");
    ck_assert_int_eq(k8tls_output_write(b, dir, false, &e), 0);
    ck_assert_str_eq(slurp(dir, "kustomization.yaml"), "e");
    ck_assert_int_eq(mode_of(dir, "."), 0700);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_a_target_that_is_a_file_is_refused_even_with_force)
{
    char path[512];
    struct k8tls_err e;
    snprintf(path, sizeof path, "%s/file", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("keep me", f);
    fclose(f);
    struct k8tls_bundle *b = sample("x");
    ck_assert_int_eq(k8tls_output_write(b, path, true, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a directory"));
    ck_assert_str_eq(slurp(tmpdir, "file"), "keep me");
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_a_symlink_target_is_refused)
{
    char link[512], target[512];
    struct k8tls_err e;
    snprintf(target, sizeof target, "%s/real", tmpdir);
    snprintf(link, sizeof link, "%s/link", tmpdir);
    ck_assert_int_eq(mkdir(target, 0700), 0);
    ck_assert_int_eq(symlink(target, link), 0);
    struct k8tls_bundle *b = sample("x");
    ck_assert_int_eq(k8tls_output_write(b, link, true, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "symbolic link"));
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_a_missing_parent_is_reported_and_nothing_created)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/no/such/out", tmpdir);
    struct k8tls_bundle *b = sample("x");
    ck_assert_int_eq(k8tls_output_write(b, dir, false, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "No such file"));
    ck_assert_int_eq(access(dir, F_OK), -1);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_a_write_failing_midway_leaves_the_previous_state)
{
    char dir[512], fresh[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    snprintf(fresh, sizeof fresh, "%s/fresh", tmpdir);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    for (int n = 1; n <= (int)b2->n; n++) {
        char v[16];
        snprintf(v, sizeof v, "%d", n);
        setenv("K8TLS_TEST_FAIL_AFTER_WRITES", v, 1);
        ck_assert_int_eq(k8tls_output_write(b2, dir, true, &e), -1);
        ck_assert_ptr_nonnull(strstr(e.msg, "Input/output error"));
        ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "old");
        ck_assert_int_eq(k8tls_output_write(b2, fresh, false, &e), -1);
        ck_assert_int_eq(access(fresh, F_OK), -1);
        ck_assert_int_eq(leftovers(), 0);
    }
    unsetenv("K8TLS_TEST_FAIL_AFTER_WRITES");
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}
END_TEST

START_TEST(test_an_artifact_path_leaving_the_directory_is_refused)
{
    const char *bad[] = {"../escape", "/abs", "a/../../b", "a//b", "./x", "a/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char dir[512];
        struct k8tls_err e;
        snprintf(dir, sizeof dir, "%s/out%zu", tmpdir, i);
        struct k8tls_bundle *b = sample("x");
        add(b, bad[i], "evil", 0644, K8TLS_ART_DOC, false);
        ck_assert_int_eq(k8tls_output_write(b, dir, false, &e), -1);
        ck_assert_ptr_nonnull(strstr(e.msg, "not a safe file name"));
        ck_assert_int_eq(access(dir, F_OK), -1);
        k8tls_bundle_free(b);
    }
    char esc[512];
    snprintf(esc, sizeof esc, "%s/escape", tmpdir);
    ck_assert_int_eq(access(esc, F_OK), -1);
    ck_assert_int_eq(leftovers(), 0);
}
END_TEST

START_TEST(test_dot_and_root_are_refused)
{
    struct k8tls_err e;
    struct k8tls_bundle *b = sample("x");
    ck_assert_int_eq(k8tls_output_write(b, ".", true, &e), -1);
    ck_assert_int_eq(k8tls_output_write(b, "/", true, &e), -1);
    ck_assert_int_eq(k8tls_output_write(b, "..", true, &e), -1);
    k8tls_bundle_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("output");
    TCase *t = tcase_create("output");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_add_test(t, test_writes_the_layout_with_modes_whatever_the_umask);
    tcase_add_test(t, test_trailing_slash_and_relative_paths_work);
    tcase_add_test(t, test_an_existing_non_empty_directory_is_refused_without_force);
    tcase_add_test(t, test_force_replaces_by_exchange);
    tcase_add_test(t, test_force_replaces_by_renaming_aside);
    tcase_add_test(t, test_an_empty_existing_directory_is_used);
    tcase_add_test(t, test_a_target_that_is_a_file_is_refused_even_with_force);
    tcase_add_test(t, test_a_symlink_target_is_refused);
    tcase_add_test(t, test_a_missing_parent_is_reported_and_nothing_created);
    tcase_add_test(t, test_a_write_failing_midway_leaves_the_previous_state);
    tcase_add_test(t, test_an_artifact_path_leaving_the_directory_is_refused);
    tcase_add_test(t, test_dot_and_root_are_refused);
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
