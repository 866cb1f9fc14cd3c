/* Unit tests for secret buffers and passwords (X1, K11). */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include "k8tls/secure.h"
#include "k8tls/text.h"

START_TEST(test_generated_password_uses_k11_alphabet_and_length)
{
    for (int i = 0; i < 200; i++) {
        char *pw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
        ck_assert_ptr_nonnull(pw);
        ck_assert_uint_eq(strlen(pw), K8TLS_PASSWORD_LEN);
        ck_assert_uint_eq(strspn(pw, K8TLS_PASSWORD_ALPHABET), K8TLS_PASSWORD_LEN);
        ck_assert_ptr_null(k8tls_password_problem(pw));
        k8tls_secure_free_str(pw);
    }
}
END_TEST

START_TEST(test_generated_passwords_differ)
{
    char *a = k8tls_password_generate(16), *b = k8tls_password_generate(16);
    ck_assert_str_ne(a, b);
    k8tls_secure_free_str(a);
    k8tls_secure_free_str(b);
}
END_TEST

START_TEST(test_short_generated_password_is_raised_to_12)
{
    char *pw = k8tls_password_generate(4);
    ck_assert_uint_eq(strlen(pw), 12);
    k8tls_secure_free_str(pw);
}
END_TEST

START_TEST(test_password_problem_names_the_reason)
{
    ck_assert_ptr_nonnull(k8tls_password_problem("abc"));
    ck_assert_ptr_nonnull(strstr(k8tls_password_problem("abc$defgh"), "$"));
    ck_assert_ptr_nonnull(strstr(k8tls_password_problem("abc'defgh"), "quot"));
    ck_assert_ptr_nonnull(strstr(k8tls_password_problem("abc\\defgh"), "backslash"));
    ck_assert_ptr_nonnull(strstr(k8tls_password_problem("abc`defgh"), "backtick"));
    ck_assert_ptr_nonnull(strstr(k8tls_password_problem("abc defgh"), "white space"));
    ck_assert_ptr_null(k8tls_password_problem("secret"));
    ck_assert_ptr_null(k8tls_password_problem("Pa.ss_w+o=r:d,/-9"));
}
END_TEST

START_TEST(test_resolve_env_and_file_references)
{
    struct k8tls_err e;
    setenv("K8TLS_TEST_PW", "from-env-123", 1);
    char *v = k8tls_password_resolve("env:K8TLS_TEST_PW", NULL, &e);
    ck_assert_str_eq(v, "from-env-123");
    k8tls_secure_free_str(v);
    ck_assert_ptr_null(k8tls_password_resolve("env:K8TLS_TEST_UNSET_XYZ", NULL, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "K8TLS_TEST_UNSET_XYZ"));

    char tmpl[] = "/tmp/k8tls-pw-XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "from-file-456\n", 14), 14);
    close(fd);
    char ref[64];
    snprintf(ref, sizeof ref, "file:%s", tmpl);
    v = k8tls_password_resolve(ref, NULL, &e);
    ck_assert_str_eq(v, "from-file-456"); /* the trailing newline is not part of it */
    k8tls_secure_free_str(v);
    unlink(tmpl);
    ck_assert_ptr_null(k8tls_password_resolve(ref, NULL, &e));
    ck_assert_str_eq(e.file, tmpl);
    v = k8tls_password_resolve("literal-pw", NULL, &e);
    ck_assert_str_eq(v, "literal-pw");
    k8tls_secure_free_str(v);
}
END_TEST

/* The wiping free cleanses the bytes before the memory goes back (X1): the wipe it runs
 * leaves only zeros in the live buffer. */
START_TEST(test_secret_free_wipes_the_bytes)
{
    struct k8tls_secret *s = k8tls_secret_new("hunter2-secret", 14);
    ck_assert_mem_eq(s->data, "hunter2-secret", 14);
    k8tls_secret_wipe(s);
    static const unsigned char zeros[15];
    ck_assert_mem_eq(s->data, zeros, 15);
    k8tls_secret_free(s);

    char *pw = k8tls_password_generate(20);
    char *p = pw;
    k8tls_secure_wipe_str(pw);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(p[i], 0);
    free(pw);
}
END_TEST

/* Does the array hold the string "NAME=VALUE"? */
static int env_has(char **env, const char *entry)
{
    for (size_t i = 0; env[i]; i++)
        if (strcmp(env[i], entry) == 0)
            return 1;
    return 0;
}

START_TEST(test_env_password_variable_is_left_out_of_child_env)
{
    setenv("K8TLS_UT_PW", "Pw-of-the-unit-test", 1);
    setenv("K8TLS_UT_PWX", "not-a-password", 1);
    setenv("K8TLS_UT_OTHER", "kept", 1);
    char **env = k8tls_secure_child_env();
    ck_assert_ptr_nonnull(env);
    ck_assert(env_has(env, "K8TLS_UT_PW=Pw-of-the-unit-test"));   /* not read as a password yet */
    free(env);
    struct k8tls_err e;
    char *pw = k8tls_password_resolve("env:K8TLS_UT_PW", NULL, &e);
    ck_assert_str_eq(pw, "Pw-of-the-unit-test");
    k8tls_secure_free_str(pw);
    env = k8tls_secure_child_env();
    ck_assert_ptr_nonnull(env);
    for (size_t i = 0; env[i]; i++)
        ck_assert_msg(strncmp(env[i], "K8TLS_UT_PW=", 12) != 0, "%s", env[i]);
    ck_assert(env_has(env, "K8TLS_UT_PWX=not-a-password"));   /* a longer name is another one */
    ck_assert(env_has(env, "K8TLS_UT_OTHER=kept"));
    free(env);
}
END_TEST

START_TEST(test_harden_process_turns_off_core_dumps)
{
    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
    getrlimit(RLIMIT_CORE, &rl);
    ck_assert_int_eq(k8tls_secure_harden_process(), 0);
    ck_assert_int_eq(getrlimit(RLIMIT_CORE, &rl), 0);
    ck_assert(rl.rlim_cur == 0 && rl.rlim_max == 0);
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}
END_TEST

START_TEST(test_text_escape_control_characters)
{
    char *s = k8tls_text_escape("a\033[31mb\007c", 0);
    ck_assert_str_eq(s, "a\\x1b[31mb\\x07c");
    free(s);
    /* UTF-8 text stays; C1 controls (U+009B, CSI) and invalid bytes are escaped byte by byte */
    s = k8tls_text_escape("caf\xc3\xa9 \xc2\x9b" "2J \xff\xc3", 0);
    ck_assert_str_eq(s, "caf\xc3\xa9 \\xc2\\x9b2J \\xff\\xc3");
    free(s);
    s = k8tls_text_escape("l1\n\tl2\r\x7f", 0);
    ck_assert_str_eq(s, "l1\\x0a\\x09l2\\x0d\\x7f");
    free(s);
    s = k8tls_text_escape("l1\n\tl2\r", K8TLS_TEXT_MULTILINE);
    ck_assert_str_eq(s, "l1\n\tl2\\x0d");
    free(s);
    s = k8tls_text_escape_n("a\0b", 3, 0);
    ck_assert_str_eq(s, "a\\x00b");
    free(s);
    s = k8tls_text_escape(NULL, 0);
    ck_assert_str_eq(s, "");
    free(s);
    ck_assert(!k8tls_text_has_control("Acme \xc3\x89tudes"));
    ck_assert(!k8tls_text_has_control(NULL));
    ck_assert(k8tls_text_has_control("Acme\033[2J"));
    ck_assert(k8tls_text_has_control("tab\there"));
    ck_assert(k8tls_text_has_control("\xc2\x85"));
}
END_TEST

Suite *secure_suite(void)
{
    Suite *s = suite_create("secure");
    TCase *tc = tcase_create("passwords");
    tcase_add_test(tc, test_generated_password_uses_k11_alphabet_and_length);
    tcase_add_test(tc, test_generated_passwords_differ);
    tcase_add_test(tc, test_short_generated_password_is_raised_to_12);
    tcase_add_test(tc, test_password_problem_names_the_reason);
    tcase_add_test(tc, test_resolve_env_and_file_references);
    tcase_add_test(tc, test_secret_free_wipes_the_bytes);
    tcase_add_test(tc, test_env_password_variable_is_left_out_of_child_env);
    tcase_add_test(tc, test_harden_process_turns_off_core_dumps);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("text");
    tcase_add_test(tt, test_text_escape_control_characters);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(secure_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
