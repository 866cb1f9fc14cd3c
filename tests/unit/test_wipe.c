/* Secrets are wiped before their memory goes back to the allocator (SPEC X1).
 *
 * How it is observed: this program is linked with -Wl,--wrap=free, so every free() called by the
 * core library (libk8tls.a) and by this file goes through __wrap_free below first. While a
 * "watch" is active, __wrap_free scans each buffer it is given (malloc_usable_size bytes) for
 * a marker string, and counts the buffers that still hold it. A wiping free leaves no marker;
 * a plain free() of a secret is caught (see test_the_detector_sees_an_unwiped_free: the
 * detector is shown to work, so the other tests cannot pass by construction). */
#include "config.h"
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/plan.h"
#include "k8tls/secure.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* volatile: the compiler treats free() as a builtin that reads no user variable, and would
 * otherwise drop the stores of watch()/unwatch() around a free() in this file as dead */
static const char *volatile watch_marker;   /* NULL: not watching */
static volatile int watch_hits;

void __wrap_free(void *p)
{
    if (p && watch_marker) {
        const char *mk = watch_marker;
        size_t n = malloc_usable_size(p), m = strlen(mk);
        if (n >= m && memmem(p, n, mk, m))
            watch_hits++;
    }
    __real_free(p);
}

static void watch(const char *marker)
{
    watch_marker = marker;
    watch_hits = 0;
}

static int unwatch(void)
{
    watch_marker = NULL;
    return watch_hits;
}

#define MARK "Wipe-Me-7f3a9c-Secret"

static char *heap(const char *s)
{
    char *c = strdup(s);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(test_the_detector_sees_an_unwiped_free)
{
    /* volatile: the compiler must not elide the strdup()/free() pair */
    char *volatile s = heap("prefix " MARK " suffix");
    watch(MARK);
    free(s);
    ck_assert_int_eq(unwatch(), 1);
}
END_TEST

START_TEST(test_secret_free_leaves_no_secret_bytes)
{
    struct k8tls_secret *s = k8tls_secret_new(MARK, strlen(MARK));
    ck_assert_ptr_nonnull(s);
    watch(MARK);
    k8tls_secret_free(s);
    ck_assert_int_eq(unwatch(), 0);
}
END_TEST

START_TEST(test_secure_free_str_leaves_no_secret_bytes)
{
    char *s = heap(MARK);
    watch(MARK);
    k8tls_secure_free_str(s);
    ck_assert_int_eq(unwatch(), 0);

    char *pw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
    ck_assert_ptr_nonnull(pw);
    char copy[K8TLS_PASSWORD_LEN + 1];
    memcpy(copy, pw, sizeof copy);
    watch(copy);
    k8tls_secure_free_str(pw);
    ck_assert_int_eq(unwatch(), 0);
}
END_TEST

/* Every password of a plan, as a literal reference (itself a secret) and as a resolved value. */
static void plant_passwords(struct k8tls_plan *p)
{
    struct k8tls_password *pws[] = {
        &p->stores.server.keystore_password, &p->stores.server.truststore_password,
        &p->stores.client.keystore_password, &p->stores.client.truststore_password,
        &p->ca.import_key_password,
    };
    for (size_t i = 0; i < sizeof pws / sizeof pws[0]; i++) {
        free(pws[i]->ref);
        free(pws[i]->value);
        pws[i]->ref = heap("ref-" MARK);
        pws[i]->value = heap("value-" MARK);
    }
}

START_TEST(test_plan_free_wipes_every_password)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    plant_passwords(p);
    watch(MARK);
    k8tls_plan_free(p);
    ck_assert_int_eq(unwatch(), 0);
}
END_TEST

START_TEST(test_plan_copy_is_wiped_too)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    plant_passwords(p);
    struct k8tls_plan *c = k8tls_plan_dup(p);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->stores.client.truststore_password.value, "value-" MARK);
    watch(MARK);
    k8tls_plan_free(c);
    k8tls_plan_free(p);
    ck_assert_int_eq(unwatch(), 0);
}
END_TEST

static Suite *wipe_suite(void)
{
    Suite *s = suite_create("wipe");
    TCase *tc = tcase_create("wiping frees");
    tcase_add_test(tc, test_the_detector_sees_an_unwiped_free);
    tcase_add_test(tc, test_secret_free_leaves_no_secret_bytes);
    tcase_add_test(tc, test_secure_free_str_leaves_no_secret_bytes);
    tcase_add_test(tc, test_plan_free_wipes_every_password);
    tcase_add_test(tc, test_plan_copy_is_wiped_too);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(wipe_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
