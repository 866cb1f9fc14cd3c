/* Unit tests for the theme reader: the shipped themes load, bad files are one clear error naming
 * the file and line, lookup by name honours K8TLS_THEMES_DIR. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/theme.h"

static const char *themes_dir(void)
{
    const char *d = getenv("K8TLS_THEMES_DIR");
    ck_assert_msg(d && *d, "K8TLS_THEMES_DIR is not set (run through make check)");
    return d;
}

START_TEST(test_every_shipped_theme_loads_and_sets_every_role)
{
    static const char *names[] = {"default", "light", "dark", "high-contrast", "mono"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct k8tls_theme t;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        int rc = k8tls_theme_find(names[i], "/nonexistent", &t, &e);
        ck_assert_msg(rc == 0, "%s: %s", names[i], e.msg);
        ck_assert_str_eq(t.name, names[i]);
        for (int r = 0; r < K8TLS_ROLE_COUNT; r++)
            ck_assert_msg(t.roles[r].set, "%s does not set %s", names[i],
                          k8tls_theme_role_name((enum k8tls_role)r));
    }
}
END_TEST

START_TEST(test_mono_theme_uses_no_colour)
{
    struct k8tls_theme t;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_theme_find("mono", NULL, &t, &e), 0);
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++) {
        ck_assert_int_eq(t.roles[r].fg, K8TLS_COLOR_DEFAULT);
        ck_assert_int_eq(t.roles[r].bg, K8TLS_COLOR_DEFAULT);
    }
    /* status never by colour alone: the focused field and errors differ by attributes */
    ck_assert_uint_ne(t.roles[K8TLS_ROLE_FOCUSED_FIELD].attrs, t.roles[K8TLS_ROLE_FIELD].attrs);
    ck_assert_uint_ne(t.roles[K8TLS_ROLE_ERROR].attrs, 0);
}
END_TEST

START_TEST(test_parse_reads_colours_and_attributes)
{
    const char *src = "# comment\n\n  title = white blue bold underline # trailing\n"
                      "error=red,default,reverse\r\n";
    struct k8tls_theme t;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_theme_parse("x.theme", src, strlen(src), &t, &e), 0);
    ck_assert_str_eq(t.name, "x");
    ck_assert(t.roles[K8TLS_ROLE_TITLE].set);
    ck_assert_int_eq(t.roles[K8TLS_ROLE_TITLE].fg, 7);
    ck_assert_int_eq(t.roles[K8TLS_ROLE_TITLE].bg, 4);
    ck_assert_uint_eq(t.roles[K8TLS_ROLE_TITLE].attrs, K8TLS_ATTR_BOLD | K8TLS_ATTR_UNDERLINE);
    ck_assert_int_eq(t.roles[K8TLS_ROLE_ERROR].fg, 1);
    ck_assert_int_eq(t.roles[K8TLS_ROLE_ERROR].bg, K8TLS_COLOR_DEFAULT);
    ck_assert_uint_eq(t.roles[K8TLS_ROLE_ERROR].attrs, K8TLS_ATTR_REVERSE);
    /* unset roles keep the mono look */
    ck_assert(!t.roles[K8TLS_ROLE_TEXT].set);
}
END_TEST

static void expect_error(const char *src, int line, const char *needle)
{
    struct k8tls_theme t;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_theme_parse("bad.theme", src, strlen(src), &t, &e), -1);
    ck_assert_str_eq(e.file, "bad.theme");
    ck_assert_int_eq(e.line, line);
    ck_assert_msg(strstr(e.msg, needle), "'%s' not in '%s'", needle, e.msg);
    char buf[2048];
    const char *f = k8tls_err_format(&e, buf, sizeof buf);
    ck_assert_msg(strncmp(f, "bad.theme:", 10) == 0, "%s", f);
}

START_TEST(test_bad_theme_names_file_and_line)
{
    expect_error("title = white blue\nbogus = red black\n", 2, "bogus");
    expect_error("\n\ntext = purple black\n", 3, "purple");
    expect_error("text = red black blink\n", 1, "blink");
    expect_error("text = red\n", 1, "background");
    expect_error("text red black\n", 1, "ROLE =");
    expect_error("text = red black\ntext = red black\n", 2, "line 1");
    expect_error("text = red\x01 black\n", 1, "red?");
}
END_TEST

START_TEST(test_hostile_theme_input_is_bounded)
{
    struct k8tls_theme t;
    struct k8tls_err e;
    char *big = malloc(70000);
    memset(big, '#', 70000);
    ck_assert_int_eq(k8tls_theme_parse("big", big, 70000, &t, &e), -1);
    ck_assert_int_eq(k8tls_theme_parse("long", big, 5000, &t, &e), -1);
    ck_assert_int_eq(e.line, 1);
    big[10] = '\0';
    ck_assert_int_eq(k8tls_theme_parse("nul", big, 20, &t, &e), -1);
    free(big);
    ck_assert_int_eq(k8tls_theme_parse("empty", "", 0, &t, &e), 0);
}
END_TEST

START_TEST(test_unknown_theme_name_says_where_it_looked)
{
    struct k8tls_theme t;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_theme_find("no-such-theme", "/opt/themes", &t, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "no-such-theme"));
    ck_assert_ptr_nonnull(strstr(e.msg, themes_dir()));
    ck_assert_ptr_nonnull(strstr(e.msg, "/opt/themes"));
    ck_assert_int_eq(k8tls_theme_find("../etc/passwd", NULL, &t, &e), -1);
    ck_assert_int_eq(k8tls_theme_find("bad name", NULL, &t, &e), -1);
}
END_TEST

START_TEST(test_theme_given_as_a_path_is_read_from_that_file)
{
    char path[] = "/tmp/k8tls-theme-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("title = green black\nwarning = nocolour black\n", f);
    fclose(f);
    struct k8tls_theme t;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_theme_find(path, NULL, &t, &e), -1);
    ck_assert_str_eq(e.file, path);
    ck_assert_int_eq(e.line, 2);
    unlink(path);
    ck_assert_int_eq(k8tls_theme_find(path, NULL, &t, &e), -1);
    ck_assert_str_eq(e.file, path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("theme");
    tcase_add_test(tc, test_every_shipped_theme_loads_and_sets_every_role);
    tcase_add_test(tc, test_mono_theme_uses_no_colour);
    tcase_add_test(tc, test_parse_reads_colours_and_attributes);
    tcase_add_test(tc, test_bad_theme_names_file_and_line);
    tcase_add_test(tc, test_hostile_theme_input_is_bounded);
    tcase_add_test(tc, test_unknown_theme_name_says_where_it_looked);
    tcase_add_test(tc, test_theme_given_as_a_path_is_read_from_that_file);
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
