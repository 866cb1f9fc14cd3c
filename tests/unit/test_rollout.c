/* Unit tests of the staged rollout's rules (src/core/rollout.c): the phases and the cassandraYaml
 * values of each, per server version, internode target and topology, as doc/staged-rollout.md
 * sections 3.1-3.6 give them; the refusals; the phase due after a stage; the stage of a manifest
 * (src/core/rollout_stage.c); the validation rules of the new answers keys. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/plan.h"
#include "k8tls/rollout.h"

static struct k8tls_plan *plan(enum k8tls_server_type t, const char *ver,
                               enum k8tls_internode_mode target, bool client, bool client_optional,
                               size_t ndc, int size, int racks)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->cluster.server_type = t;
    free(p->cluster.server_version);
    p->cluster.server_version = strdup(ver);
    p->encryption.internode.mode = target;
    p->encryption.client.enabled = client;
    p->encryption.client.optional = client_optional;
    ck_assert_int_eq(k8tls_plan_set_dcs(p, ndc), 0);
    for (size_t i = 0; i < ndc; i++) {
        char name[32];
        snprintf(name, sizeof name, "dc%zu", i + 1);
        p->cluster.dcs[i].name = strdup(name);
        p->cluster.dcs[i].k8s_context = strdup("");
        p->cluster.dcs[i].size = size;
        p->cluster.dcs[i].racks = racks;
    }
    return p;
}

/* The phases as "accept,send,...", or "refused: <why>" */
static void seq_text(const struct k8tls_plan *p, char *out, size_t len)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    char why[2048];
    size_t n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    out[0] = '\0';
    if (n == 0) {
        ck_assert_msg(why[0], "a refusal without a reason");
        snprintf(out, len, "refused: %s", why);
        return;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "",
                 k8tls_rollout_phase_name(seq[i]));
}

/* The values of a phase as "MODE/OPT client ENABLED/OPT" (OPT: t, f or - when not written). */
static void val_text(const struct k8tls_plan *p, enum k8tls_rollout_phase ph, char *out, size_t len)
{
    struct k8tls_rollout_values v;
    k8tls_rollout_values(p, ph, &v);
    snprintf(out, len, "%s/%s client %s/%s", k8tls_internode_mode_name(v.internode),
             v.internode_optional < 0 ? "-" : v.internode_optional ? "t" : "f",
             v.client_enabled ? "on" : "off", v.client_optional ? "t" : "f");
}

struct row {
    enum k8tls_server_type type;
    const char *ver;
    enum k8tls_internode_mode target;
    bool client, client_optional;
    size_t ndc;
    int size, racks;
    const char *seq;           /* expected phases, or a part of the refusal */
    const char *values[4];     /* per phase of seq */
};

static const struct row rows[] = {
    /* 5.0 (3.2): target with optional, then strict; any number of datacenters */
    {K8TLS_SERVER_CASSANDRA, "5.0.2", K8TLS_INTERNODE_ALL, true, false, 3, 3, 0,
     "accept,enforce,clientsRequired",
     {"all/t client on/t", "all/f client on/t", "all/f client on/f"}},
    {K8TLS_SERVER_CASSANDRA, "5.1.0", K8TLS_INTERNODE_DC, false, false, 2, 3, 0,
     "accept,enforce", {"dc/t client off/f", "dc/f client off/f"}},
    /* 4.0 / 4.1, one datacenter (3.3): dc optional, target optional, strict */
    {K8TLS_SERVER_CASSANDRA, "4.1.5", K8TLS_INTERNODE_ALL, true, false, 1, 3, 0,
     "accept,send,enforce,clientsRequired",
     {"dc/t client on/t", "all/t client on/t", "all/f client on/t", "all/f client on/f"}},
    {K8TLS_SERVER_CASSANDRA, "4.0.14", K8TLS_INTERNODE_RACK, true, true, 1, 6, 3,
     "accept,send,enforce", {"dc/t client on/t", "rack/t client on/t", "rack/f client on/t"}},
    {K8TLS_SERVER_CASSANDRA, "4.0.0", K8TLS_INTERNODE_DC, false, false, 1, 3, 0,
     "accept,enforce", {"dc/t client off/f", "dc/f client off/f"}},
    /* 4.x several datacenters (3.4): internode refused, the client phases offered */
    {K8TLS_SERVER_CASSANDRA, "4.1.5", K8TLS_INTERNODE_ALL, true, false, 2, 3, 0,
     "no fallback", {NULL}},
    {K8TLS_SERVER_CASSANDRA, "4.0.14", K8TLS_INTERNODE_NONE, true, false, 2, 3, 0,
     "accept,clientsRequired", {"none/- client on/t", "none/- client on/f"}},
    /* 3.11 (3.5): dc, rack, all; never optional */
    {K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_ALL, true, false, 1, 3, 3,
     "accept,send,enforce,clientsRequired",
     {"dc/- client on/t", "rack/- client on/t", "all/- client on/t", "all/- client on/f"}},
    {K8TLS_SERVER_CASSANDRA, "3.11.4", K8TLS_INTERNODE_ALL, false, false, 1, 1, 0,
     "accept,send,enforce", {"dc/- client off/f", "rack/- client off/f", "all/- client off/f"}},
    {K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_ALL, true, false, 1, 4, 3,
     "has 4 nodes in 3 racks", {NULL}},
    {K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_RACK, true, false, 1, 4, 3,
     "accept,send,clientsRequired",
     {"dc/- client on/t", "rack/- client on/t", "rack/- client on/f"}},
    {K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_DC, true, true, 1, 3, 0,
     "accept", {"dc/- client on/t"}},
    {K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_DC, true, false, 2, 1, 1,
     "every mode but none encrypts toward the other datacenters", {NULL}},
    /* DSE, HCD (1.5), nothing to do, an unknown line */
    {K8TLS_SERVER_DSE, "6.9.3", K8TLS_INTERNODE_ALL, true, false, 1, 3, 0,
     "refused for serverType dse", {NULL}},
    {K8TLS_SERVER_HCD, "1.2.0", K8TLS_INTERNODE_NONE, true, false, 1, 3, 0,
     "refused for serverType hcd", {NULL}},
    {K8TLS_SERVER_CASSANDRA, "4.1.5", K8TLS_INTERNODE_NONE, false, false, 1, 3, 0,
     "nothing to turn on", {NULL}},
    {K8TLS_SERVER_CASSANDRA, "4.2.0", K8TLS_INTERNODE_ALL, true, false, 1, 3, 0,
     "knows no phases for Cassandra 4.2.0", {NULL}},
};

START_TEST(test_phases_and_values_per_version_and_topology)
{
    const struct row *r = &rows[_i];
    struct k8tls_plan *p = plan(r->type, r->ver, r->target, r->client, r->client_optional,
                                r->ndc, r->size, r->racks);
    char got[4096];
    seq_text(p, got, sizeof got);
    if (r->values[0] == NULL) {
        ck_assert_msg(strncmp(got, "refused: ", 9) == 0 && strstr(got, r->seq),
                      "row %d: expected a refusal with '%s', got '%s'", _i, r->seq, got);
    } else {
        ck_assert_msg(strcmp(got, r->seq) == 0, "row %d: phases '%s', expected '%s'", _i, got,
                      r->seq);
        enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
        char why[256];
        size_t n = k8tls_rollout_sequence(p, seq, why, sizeof why);
        for (size_t i = 0; i < n; i++) {
            val_text(p, seq[i], got, sizeof got);
            ck_assert_msg(strcmp(got, r->values[i]) == 0, "row %d phase %s: '%s', expected '%s'",
                          _i, k8tls_rollout_phase_name(seq[i]), got, r->values[i]);
        }
    }
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_the_phase_due_follows_the_stage)
{
    struct k8tls_plan *p = plan(K8TLS_SERVER_CASSANDRA, "4.1.5", K8TLS_INTERNODE_ALL, true, false,
                                1, 3, 0);
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES], due;
    char why[1024];
    size_t n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    ck_assert_uint_eq(n, 4);
    struct k8tls_rollout_stage st;
    memset(&st, 0, sizeof st);
    ck_assert_int_eq(k8tls_rollout_due(&st, seq, n, &due, why, sizeof why), 1);
    ck_assert_int_eq(due, K8TLS_PHASE_ACCEPT);
    st.has_phase = true;
    st.phase = K8TLS_PHASE_SEND;
    ck_assert_int_eq(k8tls_rollout_due(&st, seq, n, &due, why, sizeof why), 1);
    ck_assert_int_eq(due, K8TLS_PHASE_ENFORCE);
    st.phase = K8TLS_PHASE_CLIENTS_REQUIRED;
    ck_assert_int_eq(k8tls_rollout_due(&st, seq, n, &due, why, sizeof why), 0);
    /* encrypted without a phase: not a staged rollout */
    memset(&st, 0, sizeof st);
    st.encrypted = true;
    ck_assert_int_eq(k8tls_rollout_due(&st, seq, n, &due, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "--one-shot"));
    /* a 5.0 phase list has no send */
    free(p->cluster.server_version);
    p->cluster.server_version = strdup("5.0.2");
    n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    memset(&st, 0, sizeof st);
    st.has_phase = true;
    st.phase = K8TLS_PHASE_SEND;
    ck_assert_int_eq(k8tls_rollout_due(&st, seq, n, &due, why, sizeof why), -1);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_a_manifest_s_stage_is_read_from_its_yaml)
{
    const char *y =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n---\n"
        "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
        "metadata:\n  name: demo\n  annotations: {k8tls-wizard/rollout-phase: clientsRequired}\n"
        "spec:\n  cassandra:\n    datacenters: [{metadata: {name: dc1}}, {metadata: {name: dc2}}]\n"
        "    config:\n      cassandraYaml:\n"
        "        server_encryption_options: {internode_encryption: rack, optional: \"true\"}\n"
        "        client_encryption_options: {enabled: \"true\", optional: false}\n";
    struct k8tls_rollout_stage st;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    ck_assert_int_eq(k8tls_rollout_stage_parse("m.yaml", y, strlen(y), &st, &e), 0);
    ck_assert(st.has_phase);
    ck_assert_int_eq(st.phase, K8TLS_PHASE_CLIENTS_REQUIRED);
    ck_assert_uint_eq(st.n_dcs, 2);
    ck_assert_int_eq(st.values.internode, K8TLS_INTERNODE_RACK);
    ck_assert_int_eq(st.values.internode_optional, 1);    /* Cassandra reads "true" as true */
    ck_assert(!st.values.client_enabled);                 /* the operator wants the boolean */
    ck_assert(st.encrypted);
    const char *bad = "kind: K8ssandraCluster\nmetadata: {annotations: "
                      "{k8tls-wizard/rollout-phase: later}}\n";
    ck_assert_int_eq(k8tls_rollout_stage_parse("b.yaml", bad, strlen(bad), &st, &e), 0);
    ck_assert(!st.has_phase);
    ck_assert_str_eq(st.bad_phase, "later");
    const char *none = "kind: Secret\n";
    ck_assert_int_eq(k8tls_rollout_stage_parse("n.yaml", none, strlen(none), &st, &e), -1);
    const char *broken = "kind: [\n";
    ck_assert_int_eq(k8tls_rollout_stage_parse("x.yaml", broken, strlen(broken), &st, &e), -1);
    ck_assert_int_gt(e.line, 0);
}
END_TEST

START_TEST(test_the_new_keys_are_validated)
{
    struct k8tls_plan *p = plan(K8TLS_SERVER_CASSANDRA, "3.11.17", K8TLS_INTERNODE_ALL, true,
                                false, 1, 3, 0);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    p->encryption.internode.optional = true;
    k8tls_plan_validate(p, &d);
    bool found = false;
    for (size_t i = 0; i < d.n; i++)
        found |= d.v[i].path && strcmp(d.v[i].path, "encryption.internode.optional") == 0 &&
                 d.v[i].sev == K8TLS_SEV_ERROR;
    ck_assert_msg(found, "3.11 with internode optional is not refused");
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    p->encryption.internode.optional = false;
    p->rollout.mode = K8TLS_ROLLOUT_STAGED;   /* staged without a manifest */
    k8tls_plan_validate(p, &d);
    found = false;
    for (size_t i = 0; i < d.n; i++)
        found |= d.v[i].path && strcmp(d.v[i].path, "rollout.mode") == 0;
    ck_assert_msg(found, "staged without cluster.manifest is not refused");
    k8tls_diags_free(&d);
    ck_assert_int_eq(k8tls_rollout_phase_parse("clients-required"), K8TLS_PHASE_CLIENTS_REQUIRED);
    ck_assert_int_eq(k8tls_rollout_phase_parse("clientsRequired"), K8TLS_PHASE_CLIENTS_REQUIRED);
    ck_assert_int_eq(k8tls_rollout_phase_parse("Accept"), -1);
    k8tls_plan_free(p);
}
END_TEST

static Suite *rollout_suite(void)
{
    Suite *s = suite_create("rollout");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_phases_and_values_per_version_and_topology, 0,
                        (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, test_the_phase_due_follows_the_stage);
    tcase_add_test(tc, test_a_manifest_s_stage_is_read_from_its_yaml);
    tcase_add_test(tc, test_the_new_keys_are_validated);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rollout_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
