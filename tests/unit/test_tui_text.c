/* Unit tests for the TUI's plain text helpers (src/tui/text.c): what user data becomes before
 * CDK draws it, word wrapping and cutting to a width. No curses involved. */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"
#include "doc.h"
#include "help.h"

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

START_TEST(test_wrap_keeps_a_french_colon_with_its_word)
{
    /* "label DNS-1123 : au plus": the row does not start with the lone ":" */
    char *out[8];
    int n = tui_wrap("n'est pas un label DNS-1123 : au plus 63", 28, out, 8);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(out[0], "n'est pas un label");
    ck_assert_str_eq(out[1], "DNS-1123 : au plus 63");
    tui_free_lines(out, n);
    /* a row of marks only still breaks somewhere (never mid-word) */
    n = tui_wrap("abcdefghij : ; ! ? >> :", 12, out, 8);
    ck_assert_int_ge(n, 2);
    for (int i = 0; i < n; i++)
        ck_assert_msg(strlen(out[i]) <= 12, "row %d too long: \"%s\"", i, out[i]);
    ck_assert_str_eq(out[0], "abcdefghij :");
    tui_free_lines(out, n);
}
END_TEST

START_TEST(test_field_help_names_the_key_and_what_breaks)
{
    char *h = tui_field_help("cluster.name", "Cluster name");
    ck_assert_ptr_nonnull(h);
    const char *want = "Sets: metadata.name";
    ck_assert_msg(strncmp(h, want, strlen(want)) == 0, "%s", h);
    ck_assert_ptr_nonnull(strstr(h, "\nWithout it: "));
    free(h);
    h = tui_field_help("encryption.internode.mode", "Internode encryption");
    ck_assert_ptr_nonnull(strstr(h, "internode_encryption of server_encryption_options"));
    free(h);
    /* one row for both store sets: each names its own manifest key */
    h = tui_field_help("stores.client.keystorePassword", "Keystore password");
    ck_assert_ptr_nonnull(strstr(h, "spec.cassandra.clientEncryptionStores."
                                    "keystorePasswordSecretRef"));
    free(h);
    h = tui_field_help("stores.server.import.truststorePassword", "Truststore password");
    ck_assert_ptr_nonnull(strstr(h, "spec.cassandra.serverEncryptionStores."
                                    "truststorePasswordSecretRef"));
    free(h);
    /* "*" is one part: the CN has its own row, the other subject fields share one */
    h = tui_field_help("ca.subject.CN", "Common name (CN)");
    ck_assert_ptr_nonnull(strstr(h, "common name"));
    free(h);
    h = tui_field_help("ca.subject.OU", "Organizational unit (OU)");
    ck_assert_ptr_nonnull(strstr(h, "optional"));
    free(h);
    /* the other TLS surfaces (More TLS): the manifest field and what breaks */
    h = tui_field_help("encryption.medusaGrpc.serverSecretName", "Medusa gRPC server Secret");
    ck_assert_ptr_nonnull(strstr(h, "spec.medusa.serviceProperties.encryption.serverSecretName"));
    ck_assert_ptr_nonnull(strstr(h, "localhost, 127.0.0.1 and ::1"));
    free(h);
    h = tui_field_help("encryption.reaper.managementSecretName", "Reaper management stores Secret");
    ck_assert_ptr_nonnull(strstr(h, "spec.reaper.httpManagement.keystores.name"));
    free(h);
    h = tui_field_help(NULL, "More TLS surfaces");
    ck_assert_ptr_nonnull(strstr(h, "\nWithout it: "));
    free(h);
    ck_assert_ptr_null(tui_field_help("ca.subject", "x"));
    ck_assert_ptr_null(tui_field_help("ca.subject.OU.x", "x"));
    /* fields without a key, by their label */
    h = tui_field_help(NULL, "Server dry run");
    ck_assert_ptr_nonnull(strstr(h, "--dry-run=server"));
    free(h);
    ck_assert_ptr_null(tui_field_help(NULL, "cluster.name"));
    ck_assert_ptr_null(tui_field_help("no.such.key", NULL));
}
END_TEST

START_TEST(test_every_field_help_row_has_both_parts)
{
    ck_assert_int_gt(tui_field_help_count(), 40);
    for (int i = 0; i < tui_field_help_count(); i++) {
        const char *k = tui_field_help_key(i);
        char *h = k[0] == '=' ? tui_field_help(NULL, k + 1) : tui_field_help(k, "L");
        ck_assert_msg(h != NULL, "no help for %s", k);
        ck_assert_msg(strncmp(h, "Sets: ", 6) == 0 && strstr(h, "\nWithout it: "), "%s: %s", k, h);
        /* the store rows' "%s" is filled */
        ck_assert_msg(!strstr(h, "%s") && !strstr(h, "spec.cassandra..") &&
                          !strstr(h, "spec.cassandra. "),
                      "%s: %s", k, h);
        free(h);
    }
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

START_TEST(test_doc_wraps_prose_keeps_code_whole)
{
    const char *md = "# Title\n"
                     "From this directory, in the control-plane context, apply everything\n"
                     "- a list item that is long enough to wrap onto another row here\n"
                     "```sh\n"
                     "kubectl --context east apply -f manifests/10-secret-server-encryption.yaml\n"
                     "```\n"
                     "| a | table | row that is long and must not be wrapped at all ever |\n";
    struct tui_doc d = {0};
    ck_assert_int_eq(tui_doc_layout(&d, md, 30, true), 0);
    ck_assert_int_eq(d.n_src, 7);
    for (int i = 0; i < d.n; i++) {
        if (!d.code[i])
            ck_assert_msg(strlen(d.row[i]) <= 30, "prose row too wide: \"%s\"", d.row[i]);
        /* no word is cut: a prose row ends at a word's end */
        if (!d.code[i] && i + 1 < d.n && d.src[i + 1] == d.src[i])
            ck_assert_msg(d.row[i + 1][strspn(d.row[i + 1], " ")] != '\0', "empty row");
    }
    ck_assert_str_eq(d.row[1], "From this directory, in the");
    ck_assert_str_eq(d.row[2], "control-plane context, apply");
    ck_assert_str_eq(d.row[3], "everything");
    /* a list item's continuation rows hang under its text */
    ck_assert_str_eq(d.row[4], "- a list item that is long");
    ck_assert_str_eq(d.row[5], "  enough to wrap onto another");
    /* the command and the table row stay whole, one row each */
    int cmd = tui_doc_row_of(&d, 4);
    ck_assert(d.code[cmd]);
    ck_assert_str_eq(d.row[cmd],
                     "kubectl --context east apply -f manifests/10-secret-server-encryption.yaml");
    ck_assert_int_eq(d.src[cmd + 1], 5);
    int tab = tui_doc_row_of(&d, 6);
    ck_assert(d.code[tab]);
    ck_assert_int_eq(tab, d.n - 1);
    tui_doc_free(&d);
    ck_assert_int_eq(d.n, 0);
    /* YAML: every line is code */
    ck_assert_int_eq(tui_doc_layout(&d, "a: 1\nb: a long value that goes on and on and on\n", 10,
                                    false), 0);
    ck_assert_int_eq(d.n, 2);
    ck_assert_int_eq(d.n_src, 2);
    ck_assert(d.code[1]);
    tui_doc_free(&d);
}
END_TEST

START_TEST(test_doc_search_goes_round_and_ignores_case)
{
    struct tui_doc d = {0};
    ck_assert_int_eq(tui_doc_layout(&d, "alpha\nBeta\ngamma\nbeta again\n", 40, false), 0);
    ck_assert_int_eq(tui_doc_find(&d, "beta", 0, 1), 1);
    ck_assert_int_eq(tui_doc_find(&d, "beta", 1, 1), 3);
    ck_assert_int_eq(tui_doc_find(&d, "beta", 3, 1), 1);  /* round the end */
    ck_assert_int_eq(tui_doc_find(&d, "beta", 1, -1), 3); /* backwards, round the start */
    ck_assert_int_eq(tui_doc_find(&d, "delta", 0, 1), -1);
    ck_assert_int_eq(tui_doc_find(&d, "", 0, 1), -1);
    ck_assert_int_eq(tui_doc_find(&d, "alpha", 0, 1), 0); /* itself last */
    tui_doc_free(&d);
}
END_TEST

START_TEST(test_doc_diff_is_unified)
{
    char *same = tui_doc_diff("a\nb\n", "a\nb\n", "old", "new");
    ck_assert_str_eq(same, "");
    free(same);
    char *d = tui_doc_diff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\ni\n", "old", "new");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, "--- old\n+++ new\n@@ -2,7 +2,8 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n+i\n");
    free(d);
}
END_TEST


static Suite *suite(void)
{
    Suite *s = suite_create("tui_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_terminal_escape_in_user_text_is_shown_not_sent);
    tcase_add_test(tc, test_markup_in_user_text_is_literal);
    tcase_add_test(tc, test_wrap_keeps_words_whole_and_splits_paragraphs);
    tcase_add_test(tc, test_wrap_keeps_a_french_colon_with_its_word);
    tcase_add_test(tc, test_field_help_names_the_key_and_what_breaks);
    tcase_add_test(tc, test_every_field_help_row_has_both_parts);
    tcase_add_test(tc, test_fit_pads_or_cuts_to_the_width);
    tcase_add_test(tc, test_doc_wraps_prose_keeps_code_whole);
    tcase_add_test(tc, test_doc_search_goes_round_and_ignores_case);
    tcase_add_test(tc, test_doc_diff_is_unified);
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
