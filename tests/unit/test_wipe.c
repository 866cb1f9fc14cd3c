/* Secrets are wiped before their memory goes back to the allocator (X1).
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
#include <unistd.h>
#include "k8tls/answers.h"
#include "k8tls/bundle.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* volatile: the compiler treats free() as a builtin that reads no user variable, and would
 * otherwise drop the stores of watch()/unwatch() around a free() in this file as dead */
#define MAX_MARKERS 8
static const char *volatile watch_markers[MAX_MARKERS];   /* NULL-terminated; empty: off */
static volatile int watch_hits;
static char first_hit[160];   /* what the first unwiped buffer held, for the failure message */

void __wrap_free(void *p)
{
    for (int i = 0; p && i < MAX_MARKERS && watch_markers[i]; i++) {
        const char *mk = watch_markers[i];
        size_t n = malloc_usable_size(p), m = strlen(mk);
        const char *at = n >= m ? memmem(p, n, mk, m) : NULL;
        if (at) {
            if (!watch_hits)
                snprintf(first_hit, sizeof first_hit, "a %zu-byte buffer holding '%s'", n, mk);
            watch_hits++;
            break;
        }
    }
    __real_free(p);
}

static void watch_many(const char *const *markers, int n)
{
    watch_hits = 0;
    first_hit[0] = 0;
    for (int i = 0; i < MAX_MARKERS; i++)
        watch_markers[i] = i < n ? markers[i] : NULL;
}

static void watch(const char *marker)
{
    watch_many(&marker, 1);
}

static int unwatch(void)
{
    watch_markers[0] = NULL;
    if (watch_hits)
        fprintf(stderr, "unwiped free: %s (%d buffers)\n", first_hit, watch_hits);
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

/* The whole pipeline (plan -> keys, stores, Secrets, manifest -> freed): the library never frees
 * a buffer that still holds a store password; once the bundle is built, freeing it and the plan
 * leaves no store password and no private key (PEM) behind. ECDSA keys, to stay fast. */
#define PW_SERVER_KS "Wipe-Me-Server-KS-7f3a9c"
#define PW_SERVER_TS "Wipe-Me-Server-TS-7f3a9c"
#define PW_CLIENT_KS "Wipe-Me-Client-KS-7f3a9c"
#define PW_CLIENT_TS "Wipe-Me-Client-TS-7f3a9c"

static void set_pw(struct k8tls_password *pw, const char *literal)
{
    free(pw->ref);
    free(pw->value);
    pw->value = NULL;
    pw->ref = heap(literal);
}

/* A distinctive piece of a PEM key's body (the base64 text after the first line), copied into
 * static storage so that the copy itself is never freed. */
static char key_piece[4][49];

static const char *pem_piece(const struct k8tls_bundle *b, const char *path, int slot)
{
    const struct k8tls_artifact *a = k8tls_bundle_find(b, path);
    ck_assert_msg(a != NULL, "no %s in the bundle", path);
    const char *body = memchr(a->data, '\n', a->len);
    ck_assert_ptr_nonnull(body);
    ck_assert_uint_gt(a->len - (size_t)(body - (const char *)a->data), 80);
    memcpy(key_piece[slot], body + 20, 48);
    key_piece[slot][48] = 0;
    return key_piece[slot];
}

START_TEST(test_pipeline_wipes_passwords_and_keys)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    set_pw(&p->stores.server.keystore_password, PW_SERVER_KS);
    set_pw(&p->stores.server.truststore_password, PW_SERVER_TS);
    set_pw(&p->stores.client.keystore_password, PW_CLIENT_KS);
    set_pw(&p->stores.client.truststore_password, PW_CLIENT_TS);
    static const char *const pws[] = { PW_SERVER_KS, PW_SERVER_TS, PW_CLIENT_KS, PW_CLIENT_TS };

    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_bundle *b = NULL;
    watch_many(pws, 4);
    int rc = k8tls_bundle_from_plan(p, NULL, NULL, &b, &d);
    int hits = unwatch();
    if (rc != 0)
        k8tls_diags_print(&d, stderr);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(hits == 0, "building the bundle freed %d buffers holding a password", hits);

    const char *markers[8] = { PW_SERVER_KS, PW_SERVER_TS, PW_CLIENT_KS, PW_CLIENT_TS,
                               pem_piece(b, "ca/rootca.key", 0),
                               pem_piece(b, "medusa/client.key", 1) };
    watch_many(markers, 6);
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
    hits = unwatch();
    ck_assert_msg(hits == 0, "freeing the bundle and the plan left %d secrets unwiped", hits);
}
END_TEST

/* An answers file with literal passwords: loading it (and freeing the plan) leaves no copy of
 * them in freed memory, the file's text included. */
START_TEST(test_answers_with_literal_passwords_are_wiped)
{
    char path[] = "/tmp/k8tls-wipe-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static const char text[] =
        "apiVersion: k8tls-wizard/v1\n"
        "stores:\n"
        "  server: {secretName: s1, source: generate, keystorePassword: " PW_SERVER_KS
        ", truststorePassword: " PW_SERVER_TS "}\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    static const char *const pws[] = { PW_SERVER_KS, PW_SERVER_TS };
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    watch_many(pws, 2);
    struct k8tls_plan *p = k8tls_answers_load(path, &d);
    int hits = unwatch();
    unlink(path);
    ck_assert_ptr_nonnull(p);
    if (k8tls_diags_count(&d, K8TLS_SEV_ERROR))
        k8tls_diags_print(&d, stderr);
    ck_assert_uint_eq(k8tls_diags_count(&d, K8TLS_SEV_ERROR), 0);
    ck_assert_str_eq(p->stores.server.keystore_password.ref, PW_SERVER_KS);
    ck_assert_msg(hits == 0, "loading the answers freed %d buffers holding a password", hits);
    watch_many(pws, 2);
    k8tls_plan_free(p);
    k8tls_diags_free(&d);
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
    tcase_add_test(tc, test_pipeline_wipes_passwords_and_keys);
    tcase_add_test(tc, test_answers_with_literal_passwords_are_wiped);
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
