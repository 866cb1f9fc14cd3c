/* Unit tests for the output directory writer: layout, modes whatever the
 * umask, refusal without --force, atomic replacement, failure injection. */
#include "config.h"
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
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
    unsetenv("K8TLS_TEST_KEEP_OLD");
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
    /* a file of the old tree that the new one does not have goes away */
    add(b1, "manifests/00-namespace.yaml", "ns", 0644, K8TLS_ART_NAMESPACE, false);
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    char extra[600];
    snprintf(extra, sizeof extra, "%s/manifests/00-namespace.yaml", dir);
    ck_assert_int_eq(access(extra, F_OK), 0);
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


static void put(const char *dir, const char *rel, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void mkdir_in(const char *dir, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    ck_assert_int_eq(mkdir(p, 0700), 0);
}

START_TEST(test_every_tree_carries_the_marker_listing_its_files)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    struct k8tls_bundle *b = sample("m");
    ck_assert_int_eq(k8tls_output_write(b, dir, false, &e), 0);
    ck_assert_int_eq(mode_of(dir, K8TLS_OUTPUT_MARKER), 0644);
    char *m = slurp(dir, K8TLS_OUTPUT_MARKER);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(strstr(m, "k8tls-wizard output directory, format 1\n"));
    for (size_t i = 0; i < b->n; i++) {
        char line[600];
        snprintf(line, sizeof line, "\n%s\n", b->v[i].path);
        ck_assert_msg(strstr(m, line), "%s not listed", b->v[i].path);
    }
    k8tls_bundle_free(b);
}
END_TEST

/* --force over a wizard's directory holding something the wizard did not write: refused, the
 * reason names it, nothing is changed. */
static void force_refuses(const char *what, void (*spoil)(const char *dir), const char *reason)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out-%s", tmpdir, what);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    spoil(dir);
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_check(dir, true, &e), -1);
    ck_assert_msg(strstr(e.msg, reason), "%s: %s", what, e.msg);
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_write(b2, dir, true, &e), -1);
    ck_assert_msg(strstr(e.msg, reason), "%s: %s", what, e.msg);
    ck_assert_msg(strstr(e.msg, "nothing was changed"), "%s", e.msg);
    ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "old");
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}

static void add_git(const char *dir)
{
    mkdir_in(dir, ".git");
    put(dir, ".git/HEAD", "ref: refs/heads/main\n");
}
static void add_notes(const char *dir) { put(dir, "notes.txt", "mine"); }
static void add_subdir(const char *dir) { mkdir_in(dir, "ca/backup"); }
static void add_file_in_stores(const char *dir) { put(dir, "stores/s/my.jks", "x"); }
static void add_symlink(const char *dir)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/medusa", dir);
    ck_assert_int_eq(symlink("/etc", p), 0);
}
static void forge_marker(const char *dir)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, K8TLS_OUTPUT_MARKER);
    FILE *f = fopen(p, "w");
    fputs("# something else\nnotes.txt\n", f);
    fclose(f);
    put(dir, "notes.txt", "mine");
}

START_TEST(test_force_refuses_a_git_directory_inside)
{
    force_refuses("git", add_git, ".git is not something k8tls-wizard writes");
}
END_TEST

START_TEST(test_force_refuses_an_unknown_file)
{
    force_refuses("notes", add_notes, "notes.txt is not something");
    force_refuses("subdir", add_subdir, "ca/backup is not something");
    force_refuses("stores", add_file_in_stores, "stores/s/my.jks is not something");
    force_refuses("symlink", add_symlink, "medusa is not something");
    force_refuses("marker", forge_marker, K8TLS_OUTPUT_MARKER " is not something");
}
END_TEST

START_TEST(test_force_refuses_any_directory_the_wizard_did_not_write)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/project", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    put(dir, "README", "keep");
    mkdir_in(dir, "src");
    put(dir, "src/main.c", "keep");
    struct k8tls_bundle *b = sample("new");
    ck_assert_int_eq(k8tls_output_write(b, dir, true, &e), -1);
    ck_assert_msg(strstr(e.msg, "is not something k8tls-wizard writes"), "%s", e.msg);
    ck_assert_str_eq(slurp(dir, "README"), "keep");
    ck_assert_str_eq(slurp(dir, "src/main.c"), "keep");
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b);
}
END_TEST

/* A directory written before the marker existed: its exact layout is recognised. */
START_TEST(test_force_replaces_an_older_directory_by_its_layout)
{
    char dir[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/older", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    const char *dirs[] = {"ca", "manifests", "stores", "stores/server-encryption-stores",
                          "medusa", "restart"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        mkdir_in(dir, dirs[i]);
    const char *files[] = {"NEXT-STEPS.md", "answers.yaml", "kustomization.yaml",
                           "rotation.yaml", "ca/rootca.crt", "ca/rootca.key",
                           "ca/next-rootca.key", "manifests/00-namespace.yaml",
                           "manifests/10-secret-server-encryption-stores.yaml",
                           "manifests/20-k8ssandracluster.yaml",
                           "stores/server-encryption-stores/keystore",
                           "stores/server-encryption-stores/truststore-password",
                           "medusa/client.key", "restart/k8ssandratask.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        put(dir, files[i], "old");
    struct k8tls_bundle *b = sample("new");
    ck_assert_int_eq(k8tls_output_check(dir, true, &e), 0);
    /* one name more and it is no longer the wizard's */
    put(dir, "manifests/99-mine.yaml", "mine");
    ck_assert_int_eq(k8tls_output_write(b, dir, true, &e), -1);
    ck_assert_msg(strstr(e.msg, "manifests/99-mine.yaml is not something"), "%s", e.msg);
    char p[600];
    snprintf(p, sizeof p, "%s/manifests/99-mine.yaml", dir);
    ck_assert_int_eq(unlink(p), 0);
    ck_assert_int_eq(k8tls_output_write(b, dir, true, &e), 0);
    ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "new");
    ck_assert_int_eq(access(strcat(strcpy(p, dir), "/rotation.yaml"), F_OK), -1);
    ck_assert_int_eq(leftovers(), 0);
    k8tls_bundle_free(b);
}
END_TEST

START_TEST(test_check_says_a_file_is_not_a_directory)
{
    char path[512];
    struct k8tls_err e;
    snprintf(path, sizeof path, "%s/file", tmpdir);
    put(tmpdir, "file", "x");
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_check(path, false, &e), -1);
    ck_assert_msg(strstr(e.msg, "not a directory"), "%s", e.msg);
    ck_assert_msg(!strstr(e.msg, "not empty"), "%s", e.msg);
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_check("/dev/null", false, &e), -1);
    ck_assert_msg(strstr(e.msg, "not a directory"), "%s", e.msg);
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_check("", false, &e), -1);
}
END_TEST

static char notes[4][1024];
static int n_notes;
static void note(void *ud, const char *msg)
{
    (void)ud;
    if (n_notes < 4)
        snprintf(notes[n_notes++], sizeof notes[0], "%s", msg);
}

/* A temporary tree of an interrupted run beside the target is removed by the next write, which
 * says so; a tree of that name holding something else, or in use, is left alone. */
START_TEST(test_stale_temporary_trees_are_removed_and_reported)
{
    char dir[512], stale[512], foreign[512], busy[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    snprintf(stale, sizeof stale, "%s/.out.k8tls-new-Ab12Cd", tmpdir);
    snprintf(foreign, sizeof foreign, "%s/.out.k8tls-new-zzzzzz", tmpdir);
    snprintf(busy, sizeof busy, "%s/.out.k8tls-new-BUSY00", tmpdir);
    struct k8tls_bundle *b = sample("new");
    /* a stale tree: what the writer leaves when killed after the marker and two files */
    ck_assert_int_eq(mkdir(stale, 0700), 0);
    ck_assert_int_eq(mkdir(busy, 0700), 0);
    char p[600];
    FILE *f;
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "%s/%s", k ? busy : stale, K8TLS_OUTPUT_MARKER);
        f = fopen(p, "w");
        fputs("# k8tls-wizard output directory, format 1\nca/rootca.key\n", f);
        fclose(f);
        mkdir_in(k ? busy : stale, "ca");
        put(k ? busy : stale, "ca/rootca.key", "secret");
    }
    ck_assert_int_eq(mkdir(foreign, 0700), 0);
    put(foreign, "notes.txt", "mine");
    int lock = open(busy, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(lock, 0);
    ck_assert_int_eq(flock(lock, LOCK_EX), 0);

    n_notes = 0;
    struct k8tls_output_opts o = {.note = note};
    ck_assert_int_eq(k8tls_output_write_opts(b, dir, &o, &e), 0);
    ck_assert_int_eq(access(stale, F_OK), -1);
    ck_assert_int_eq(n_notes, 1);
    ck_assert_msg(strstr(notes[0], stale) && strstr(notes[0], "interrupted"), "%s", notes[0]);
    ck_assert_str_eq(slurp(foreign, "notes.txt"), "mine");
    ck_assert_str_eq(slurp(busy, "ca/rootca.key"), "secret");
    close(lock);
    k8tls_bundle_free(b);
}
END_TEST

static int cancel_after, cancel_calls;
static bool cancel_cb(void *ud)
{
    (void)ud;
    return ++cancel_calls >= cancel_after;
}

/* Cancelled (a signal in the command line) at any point before the rename: the temporary tree
 * is removed and the previous directory is untouched. */
START_TEST(test_a_cancelled_write_leaves_the_previous_state)
{
    char dir[512], fresh[512];
    struct k8tls_err e;
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    snprintf(fresh, sizeof fresh, "%s/fresh", tmpdir);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    struct k8tls_output_opts o = {.force = true, .cancelled = cancel_cb};
    for (cancel_after = 1; cancel_after <= (int)b2->n + 1; cancel_after++) {
        cancel_calls = 0;
        ck_assert_int_eq(k8tls_output_write_opts(b2, dir, &o, &e), K8TLS_OUTPUT_CANCELLED);
        ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "old");
        cancel_calls = 0;
        ck_assert_int_eq(k8tls_output_write_opts(b2, fresh, &o, &e), K8TLS_OUTPUT_CANCELLED);
        ck_assert_int_eq(access(fresh, F_OK), -1);
        ck_assert_int_eq(leftovers(), 0);
    }
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}
END_TEST

/* The old tree cannot be removed after the new one is in place: a distinct result naming where
 * it is left (under a name no later run removes). */
static void leftover(bool exchange)
{
    char dir[512];
    struct k8tls_err e;
    if (!exchange)
        setenv("K8TLS_TEST_NO_RENAME_EXCHANGE", "1", 1);
    snprintf(dir, sizeof dir, "%s/out", tmpdir);
    struct k8tls_bundle *b1 = sample("old"), *b2 = sample("new");
    ck_assert_int_eq(k8tls_output_write(b1, dir, false, &e), 0);
    setenv("K8TLS_TEST_KEEP_OLD", "1", 1);
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_output_write(b2, dir, true, &e), K8TLS_OUTPUT_LEFTOVER);
    unsetenv("K8TLS_TEST_KEEP_OLD");
    ck_assert_str_eq(slurp(dir, "NEXT-STEPS.md"), "new");
    char *at = strstr(e.msg, "/.out.k8tls-old-");
    ck_assert_msg(at, "%s", e.msg);
    char left[600];
    snprintf(left, sizeof left, "%s/.out.k8tls-old-%.6s", tmpdir, at + 16);
    ck_assert_str_eq(slurp(left, "NEXT-STEPS.md"), "old");
    /* the next run leaves it where the user was told it is */
    ck_assert_int_eq(k8tls_output_write(b2, dir, true, &e), 0);
    ck_assert_str_eq(slurp(left, "NEXT-STEPS.md"), "old");
    unsetenv("K8TLS_TEST_NO_RENAME_EXCHANGE");
    k8tls_bundle_free(b1);
    k8tls_bundle_free(b2);
}

START_TEST(test_an_old_tree_left_behind_is_reported_exchange)
{
    leftover(true);
}
END_TEST

START_TEST(test_an_old_tree_left_behind_is_reported_aside)
{
    leftover(false);
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
    tcase_add_test(t, test_every_tree_carries_the_marker_listing_its_files);
    tcase_add_test(t, test_force_refuses_a_git_directory_inside);
    tcase_add_test(t, test_force_refuses_an_unknown_file);
    tcase_add_test(t, test_force_refuses_any_directory_the_wizard_did_not_write);
    tcase_add_test(t, test_force_replaces_an_older_directory_by_its_layout);
    tcase_add_test(t, test_check_says_a_file_is_not_a_directory);
    tcase_add_test(t, test_stale_temporary_trees_are_removed_and_reported);
    tcase_add_test(t, test_a_cancelled_write_leaves_the_previous_state);
    tcase_add_test(t, test_an_old_tree_left_behind_is_reported_exchange);
    tcase_add_test(t, test_an_old_tree_left_behind_is_reported_aside);
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
