/* Unit tests for the theme reader: the shipped themes load, bad files are one clear error naming
 * the file and line, lookup by name honours K8TLS_THEMES_DIR. */
#include "config.h"
#include <check.h>
#include <math.h>
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

/* ---- readable on a real terminal ----------------------------------------------------------
 * xterm's default 16-colour palette (its resource defaults: colors 0-15) and its default
 * foreground (black) and background (white). Bold draws colours 0-7 as 8-15 (bold-as-bright,
 * what most terminals do); reverse and standout swap text and background; dim is drawn half way
 * between text and background. Each role's text must have a WCAG contrast ratio of at least
 * 4.5:1 against its background. */
static const unsigned char xterm_palette[16][3] = {
    {0x00, 0x00, 0x00}, {0xcd, 0x00, 0x00}, {0x00, 0xcd, 0x00}, {0xcd, 0xcd, 0x00},
    {0x00, 0x00, 0xee}, {0xcd, 0x00, 0xcd}, {0x00, 0xcd, 0xcd}, {0xe5, 0xe5, 0xe5},
    {0x7f, 0x7f, 0x7f}, {0xff, 0x00, 0x00}, {0x00, 0xff, 0x00}, {0xff, 0xff, 0x00},
    {0x5c, 0x5c, 0xff}, {0xff, 0x00, 0xff}, {0x00, 0xff, 0xff}, {0xff, 0xff, 0xff},
};
static const double xterm_default_fg[3] = {0x00, 0x00, 0x00};
static const double xterm_default_bg[3] = {0xff, 0xff, 0xff};

static double channel(double c)
{
    c /= 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(const double rgb[3])
{
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/* The contrast ratio of a role as xterm draws it. */
static double role_contrast(const struct k8tls_theme_role *r)
{
    double fg[3], bg[3];
    int fi = r->fg, bi = r->bg;
    if ((r->attrs & K8TLS_ATTR_BOLD) && fi >= 0 && fi < 8)
        fi += 8;
    for (int k = 0; k < 3; k++) {
        fg[k] = fi < 0 ? xterm_default_fg[k] : xterm_palette[fi][k];
        bg[k] = bi < 0 ? xterm_default_bg[k] : xterm_palette[bi][k];
    }
    if (r->attrs & (K8TLS_ATTR_REVERSE | K8TLS_ATTR_STANDOUT))
        for (int k = 0; k < 3; k++) {
            double x = fg[k];
            fg[k] = bg[k];
            bg[k] = x;
        }
    if (r->attrs & K8TLS_ATTR_DIM)
        for (int k = 0; k < 3; k++)
            fg[k] = (fg[k] + bg[k]) / 2;
    double a = luminance(fg), b = luminance(bg);
    return a > b ? (a + 0.05) / (b + 0.05) : (b + 0.05) / (a + 0.05);
}

static void assert_readable(const struct k8tls_theme *t)
{
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++) {
        const struct k8tls_theme_role *ro = &t->roles[r];
        const char *role = k8tls_theme_role_name((enum k8tls_role)r);
        /* bold black text is grey (colour 8) on a bold-as-bright terminal */
        ck_assert_msg(!((ro->attrs & K8TLS_ATTR_BOLD) && ro->fg == 0),
                      "theme %s, role %s: bold black text turns grey", t->name, role);
        double c = role_contrast(ro);
        ck_assert_msg(c >= 4.5, "theme %s, role %s: contrast %.2f:1 is below 4.5:1", t->name,
                      role, c);
    }
}

START_TEST(test_the_contrast_model_is_right)
{
    /* black (0) on xterm's grey-white (7, e5e5e5) is 16.7:1; default on default 21:1 */
    struct k8tls_theme_role r = {true, 0, 7, 0};
    ck_assert(fabs(role_contrast(&r) - 16.67) < 0.05);
    r = (struct k8tls_theme_role){true, K8TLS_COLOR_DEFAULT, K8TLS_COLOR_DEFAULT, 0};
    ck_assert(fabs(role_contrast(&r) - 21.0) < 0.01);
    r.attrs = K8TLS_ATTR_REVERSE;
    ck_assert(fabs(role_contrast(&r) - 21.0) < 0.01);
    /* bold black on green: grey (0x7f) on green, unreadable */
    r = (struct k8tls_theme_role){true, 0, 2, K8TLS_ATTR_BOLD};
    ck_assert(role_contrast(&r) < 2.0);
    r.attrs = 0;
    ck_assert(role_contrast(&r) > 9.0);
}
END_TEST

START_TEST(test_every_role_of_every_theme_is_readable_on_xterm)
{
    static const char *names[] = {"default", "light", "dark", "high-contrast", "mono"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct k8tls_theme t;
        struct k8tls_err e;
        ck_assert_msg(k8tls_theme_find(names[i], "/nonexistent", &t, &e) == 0, "%s: %s",
                      names[i], e.msg);
        assert_readable(&t);
    }
    /* what NO_COLOR selects */
    struct k8tls_theme m;
    k8tls_theme_mono(&m);
    assert_readable(&m);
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
    tcase_add_test(tc, test_the_contrast_model_is_right);
    tcase_add_test(tc, test_every_role_of_every_theme_is_readable_on_xterm);
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
