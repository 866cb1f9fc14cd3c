/* Unit tests for secret buffers and passwords (SPEC X1, K11). */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/secure.h"

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

/* The wiping free cleanses the bytes before the memory goes back (SPEC X1): the wipe it runs
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
    suite_add_tcase(s, tc);
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
