/* Unit tests for the TUI's plain text helpers (src/tui/text.c): what user data becomes before
 * CDK draws it, word wrapping and cutting to a width. No curses involved. */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

static void escapes_to(const char *in, const char *want)
{
    char *e = tui_escape(in);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e, want);
    free(e);
}

START_TEST(test_terminal_escape_in_user_text_is_shown_not_sent)
{
    /* a Secret name with an escape sequence (clear the screen, change the title) */
    escapes_to("tls-\x1b[2J\x1b]0;pwned\x07", "tls-^[[2J^[]0;pwned^G");
    char *e = tui_escape("a\x1b" "b\x7f" "c\x01\x1f" "d\r\n");
    ck_assert_ptr_nonnull(e);
    for (const char *c = e; *c; c++)
        ck_assert_msg((unsigned char)*c >= 0x20 && (unsigned char)*c != 0x7f,
                      "control byte 0x%02x left in \"%s\"", (unsigned char)*c, e);
    ck_assert_str_eq(e, "a^[b^?c^A^_d^M^J");
    free(e);
}
END_TEST

START_TEST(test_markup_in_user_text_is_literal)
{
    escapes_to("</B>secret<#UL>", "\\< /B>secret\\< #UL>");
    escapes_to("plain text, tabs\tkept", "plain text, tabs\tkept");
    escapes_to("", "");
    char *e = tui_escape(NULL);
    ck_assert_str_eq(e, "");
    free(e);
}
END_TEST

START_TEST(test_wrap_keeps_words_whole_and_splits_paragraphs)
{
    char *out[8];
    int n = tui_wrap("one two three four\n\nfive", 10, out, 8);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(out[0], "one two");
    ck_assert_str_eq(out[1], "three four");
    ck_assert_str_eq(out[2], "");
    ck_assert_str_eq(out[3], "five");
    tui_free_lines(out, n);
}
END_TEST

START_TEST(test_fit_pads_or_cuts_to_the_width)
{
    char *a = tui_fit("abc", 6), *b = tui_fit("abcdefghij", 6);
    ck_assert_str_eq(a, "abc   ");
    ck_assert_str_eq(b, "abc...");
    free(a);
    free(b);
    char *f = tui_fmt("%s-%d", "x", 7);
    ck_assert_str_eq(f, "x-7");
    tui_set_str(&f, "y");
    ck_assert_str_eq(f, "y");
    tui_set_str(&f, NULL);
    ck_assert_ptr_null(f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tui_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_terminal_escape_in_user_text_is_shown_not_sent);
    tcase_add_test(tc, test_markup_in_user_text_is_literal);
    tcase_add_test(tc, test_wrap_keeps_words_whole_and_splits_paragraphs);
    tcase_add_test(tc, test_fit_pads_or_cuts_to_the_width);
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
