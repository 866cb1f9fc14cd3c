/* Unit tests for --wait-ready's reading (src/core/kube_wait.c): the durations the option takes,
 * and a Certificate's Ready condition read from `kubectl get certificates.cert-manager.io -o json`
 * (the condition types, statuses, reason and message as cert-manager's Certificate CRD defines
 * them). The polling itself runs against the fake API server in tests/kube/apply-cert-manager.sh. */
#include "config.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/kube_int.h"
#include "k8tls/kube.h"

START_TEST(durations)
{
    int s = -1;
    ck_assert_int_eq(k8tls_kube_parse_duration("300", &s), 0);
    ck_assert_int_eq(s, 300);
    ck_assert_int_eq(k8tls_kube_parse_duration("90s", &s), 0);
    ck_assert_int_eq(s, 90);
    ck_assert_int_eq(k8tls_kube_parse_duration("5m", &s), 0);
    ck_assert_int_eq(s, 300);
    ck_assert_int_eq(k8tls_kube_parse_duration("1h30m", &s), 0);
    ck_assert_int_eq(s, 5400);
    ck_assert_int_eq(k8tls_kube_parse_duration("24h", &s), 0);
    ck_assert_int_eq(s, 86400);
    static const char *const bad[] = { "", "0", "0s", "25h", "5x", "m", "-5s", "1m30",
                                       "1.5m", "5 m", "99999999999999999999s", NULL };
    for (size_t i = 0; bad[i]; i++) {
        s = -1;
        ck_assert_msg(k8tls_kube_parse_duration(bad[i], &s) == -1, "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(s, -1);
    }
}
END_TEST

static const char LIST[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
    " {\"kind\": \"Certificate\", \"metadata\": {\"name\": \"ready\", \"namespace\": \"ns\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Issuing\", \"status\": \"False\"},\n"
    "                               {\"type\": \"Ready\", \"status\": \"True\"}]}},\n"
    " {\"kind\": \"Certificate\", \"metadata\": {\"name\": \"failing\", \"namespace\": \"ns\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"False\",\n"
    "    \"reason\": \"SecretMissing\", \"message\": \"Referenced secret ns/ca not found\"}]}},\n"
    " {\"kind\": \"Certificate\", \"metadata\": {\"name\": \"new\", \"namespace\": \"ns\"}},\n"
    " {\"kind\": \"Certificate\", \"metadata\": {\"name\": \"unknown\", \"namespace\": \"ns\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"Unknown\"}]}},\n"
    " {\"kind\": \"Certificate\", \"metadata\": {\"name\": \"not-ours\", \"namespace\": \"ns\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}\n"
    "]}\n";

START_TEST(ready_condition)
{
    struct k8tls_kube_waitable w[] = {
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "ready", .state = K8TLS_WAIT_NOT_READY },
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "failing", .state = K8TLS_WAIT_READY },
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "new", .state = K8TLS_WAIT_READY },
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "unknown", .state = K8TLS_WAIT_READY },
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "gone", .state = K8TLS_WAIT_READY },
        { .context = "other", .ns = "ns", .kind = "Certificate", .name = "ready", .state = K8TLS_WAIT_NO_CONDITION },
        { .context = "c", .ns = "ns2", .kind = "Certificate", .name = "ready", .state = K8TLS_WAIT_NO_CONDITION },
    };
    ck_assert_int_eq(k8tls_kube_wait_read(LIST, strlen(LIST), "c", "ns", "Certificate", w, 7), 0);
    ck_assert_int_eq(w[0].state, K8TLS_WAIT_READY);
    ck_assert_int_eq(w[1].state, K8TLS_WAIT_NOT_READY);
    ck_assert_str_eq(w[1].status, "False");
    ck_assert_str_eq(w[1].reason, "SecretMissing");
    ck_assert_str_eq(w[1].message, "Referenced secret ns/ca not found");
    ck_assert_int_eq(w[2].state, K8TLS_WAIT_NO_CONDITION);
    ck_assert_int_eq(w[3].state, K8TLS_WAIT_NOT_READY);
    ck_assert_str_eq(w[3].status, "Unknown");
    ck_assert_str_eq(w[3].reason, "");
    ck_assert_int_eq(w[4].state, K8TLS_WAIT_MISSING);    /* not listed */
    /* another context's or namespace's listing is not touched */
    ck_assert_int_eq(w[5].state, K8TLS_WAIT_NO_CONDITION);
    ck_assert_int_eq(w[6].state, K8TLS_WAIT_NO_CONDITION);
}
END_TEST

/* trust-manager's Bundle: cluster-scoped, its condition is Synced (a Ready one does not count) */
static const char BUNDLES[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
    " {\"kind\": \"Bundle\", \"metadata\": {\"name\": \"off\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Synced\", \"status\": \"False\",\n"
    "    \"reason\": \"SecretTargetsDisabled\",\n"
    "    \"message\": \"Bundle has Secret targets but the feature is disabled\"}]}},\n"
    " {\"kind\": \"Bundle\", \"metadata\": {\"name\": \"odd\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}},\n"
    " {\"kind\": \"Bundle\", \"metadata\": {\"name\": \"on\"},\n"
    "  \"status\": {\"conditions\": [{\"type\": \"Synced\", \"status\": \"True\"}]}}\n"
    "]}\n";

START_TEST(bundle_synced)
{
    ck_assert_str_eq(k8tls_kube_wait_condition("Bundle"), "Synced");
    ck_assert_str_eq(k8tls_kube_wait_condition("Certificate"), "Ready");
    struct k8tls_kube_waitable w[] = {
        { .context = "c", .ns = "", .kind = "Bundle", .name = "off" },
        { .context = "c", .ns = "", .kind = "Bundle", .name = "odd" },
        { .context = "c", .ns = "", .kind = "Bundle", .name = "on" },
        /* a Certificate of the same name is not a Bundle */
        { .context = "c", .ns = "", .kind = "Certificate", .name = "on",
          .state = K8TLS_WAIT_NO_CONDITION },
    };
    ck_assert_int_eq(k8tls_kube_wait_read(BUNDLES, strlen(BUNDLES), "c", "", "Bundle", w, 4), 0);
    ck_assert_int_eq(w[0].state, K8TLS_WAIT_NOT_READY);
    ck_assert_str_eq(w[0].reason, "SecretTargetsDisabled");
    ck_assert_str_eq(w[0].message, "Bundle has Secret targets but the feature is disabled");
    ck_assert_int_eq(w[1].state, K8TLS_WAIT_NO_CONDITION);
    ck_assert_int_eq(w[2].state, K8TLS_WAIT_READY);
    ck_assert_int_eq(w[3].state, K8TLS_WAIT_NO_CONDITION);
}
END_TEST

START_TEST(not_a_list)
{
    struct k8tls_kube_waitable w[] = {
        { .context = "c", .ns = "ns", .kind = "Certificate", .name = "ready", .state = K8TLS_WAIT_READY },
    };
    static const char *const bad[] = { "", "{\"kind\": \"Status\"}", "not json: [", "[1, 2]",
                                       NULL };
    for (size_t i = 0; bad[i]; i++) {
        ck_assert_int_eq(k8tls_kube_wait_read(bad[i], strlen(bad[i]), "c", "ns", "Certificate", w, 1), -1);
        ck_assert_int_eq(w[0].state, K8TLS_WAIT_READY);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kube_wait");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, durations);
    tcase_add_test(tc, ready_condition);
    tcase_add_test(tc, bundle_synced);
    tcase_add_test(tc, not_a_list);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
