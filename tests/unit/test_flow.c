/* Unit tests for the TUI's screen flow: skip rules, Next/Back, steps, diagnostics to screens and
 * fields, and when background key generation must restart (no curses involved). */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "flow.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"

static struct k8tls_plan *defaults(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    return p;
}

/* every screen Next visits from Welcome */
static int walk(const struct k8tls_plan *p, enum k8tls_screen *out)
{
    int n = 0;
    for (enum k8tls_screen s = K8TLS_SCR_WELCOME; s != K8TLS_SCR_COUNT; s = k8tls_flow_next(p, s))
        out[n++] = s;
    return n;
}

START_TEST(test_default_plan_visits_every_wizard_screen_in_order)
{
    static const enum k8tls_screen want[] = {
        K8TLS_SCR_WELCOME, K8TLS_SCR_CLUSTER, K8TLS_SCR_ENCRYPTION, K8TLS_SCR_CA,
        K8TLS_SCR_SERVER_STORES, K8TLS_SCR_CLIENT_STORES, K8TLS_SCR_MEDUSA, K8TLS_SCR_REVIEW,
        K8TLS_SCR_OUTPUT, K8TLS_SCR_RESULT};
    struct k8tls_plan *p = defaults();
    enum k8tls_screen v[K8TLS_SCR_COUNT + 1];
    int n = walk(p, v);
    ck_assert_int_eq(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(v[i], want[i]);
    k8tls_plan_free(p);
}
END_TEST

/* every screen Next visits from Welcome on the rotation path */
static int walk_rotate(const struct k8tls_plan *p, enum k8tls_screen *out)
{
    int n = 0;
    for (enum k8tls_screen s = K8TLS_SCR_WELCOME; s != K8TLS_SCR_COUNT;
         s = k8tls_flow_next_on(K8TLS_PATH_ROTATE, p, s))
        out[n++] = s;
    return n;
}

/* The staged rollout's next phase: Welcome -> Next phase -> Review -> Output -> Result, whatever
 * the plan (the phase is built from a directory, not from the wizard's steps). */
START_TEST(test_enable_path)
{
    static const enum k8tls_screen want[] = {K8TLS_SCR_WELCOME, K8TLS_SCR_ENABLE_PHASE,
                                             K8TLS_SCR_REVIEW, K8TLS_SCR_OUTPUT,
                                             K8TLS_SCR_RESULT};
    struct k8tls_plan *p = defaults();
    free(p->cluster.manifest);
    p->cluster.manifest = strdup("k8c.yaml");
    enum k8tls_screen v[K8TLS_SCR_COUNT + 1];
    int n = 0;
    for (enum k8tls_screen s = K8TLS_SCR_WELCOME; s != K8TLS_SCR_COUNT;
         s = k8tls_flow_next_on(K8TLS_PATH_ENABLE, p, s))
        v[n++] = s;
    ck_assert_int_eq(n, 5);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(v[i], want[i]);
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_ENABLE, p, K8TLS_SCR_ENABLE_PHASE, &total), 2);
    ck_assert_int_eq(total, 5);
    /* and the other paths never show it */
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_WIZARD, p, K8TLS_SCR_ENABLE_PHASE));
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, K8TLS_SCR_ENABLE_PHASE));
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ENABLE, p, K8TLS_SCR_ROLLOUT));
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_rotation_path_skips_every_bundle_screen)
{
    /* Welcome -> Rotation source -> Rotation phase -> Review -> Output -> Result, whatever the
     * plan */
    static const enum k8tls_screen want[] = {K8TLS_SCR_WELCOME, K8TLS_SCR_ROTATE_SOURCE,
                                             K8TLS_SCR_ROTATE_PHASE, K8TLS_SCR_REVIEW,
                                             K8TLS_SCR_OUTPUT, K8TLS_SCR_RESULT};
    struct k8tls_plan *p = defaults();
    enum k8tls_screen v[K8TLS_SCR_COUNT + 1];
    int n = walk_rotate(p, v);
    ck_assert_int_eq(n, 6);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(v[i], want[i]);
    /* the plan's skip rules do not reach the rotation path, and it needs no plan at all */
    p->encryption.client.enabled = false;
    free(p->cluster.manifest);
    p->cluster.manifest = strdup("k8c.yaml");
    ck_assert_int_eq(walk_rotate(p, v), 6);
    ck_assert_int_eq(walk_rotate(NULL, v), 6);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(v[i], want[i]);
    for (enum k8tls_screen s = K8TLS_SCR_CLUSTER; s <= K8TLS_SCR_MEDUSA; s++)
        ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, s));
    ck_assert(k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, K8TLS_SCR_REVIEW));
    k8tls_plan_free(p);
}
END_TEST

/* the doctor's path: Welcome -> Check a cluster, on no other path; Next from it ends the path */
START_TEST(test_doctor_path)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(k8tls_flow_next_on(K8TLS_PATH_DOCTOR, p, K8TLS_SCR_WELCOME),
                     K8TLS_SCR_DOCTOR);
    ck_assert_int_eq(k8tls_flow_next_on(K8TLS_PATH_DOCTOR, p, K8TLS_SCR_DOCTOR),
                     K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_prev_on(K8TLS_PATH_DOCTOR, p, K8TLS_SCR_DOCTOR),
                     K8TLS_SCR_WELCOME);
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_DOCTOR, NULL, K8TLS_SCR_DOCTOR, &total), 2);
    ck_assert_int_eq(total, 2);
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_WIZARD, p, K8TLS_SCR_DOCTOR));
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, K8TLS_SCR_DOCTOR));
    ck_assert_int_eq(k8tls_flow_next_on(K8TLS_PATH_WIZARD, p, K8TLS_SCR_WELCOME),
                     K8TLS_SCR_CLUSTER);
    ck_assert_str_eq(k8tls_flow_screen_id(K8TLS_SCR_DOCTOR), "doctor");
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_rotation_back_and_steps)
{
    ck_assert_int_eq(k8tls_flow_prev_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_OUTPUT),
                     K8TLS_SCR_REVIEW);
    ck_assert_int_eq(k8tls_flow_prev_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_REVIEW),
                     K8TLS_SCR_ROTATE_PHASE);
    ck_assert_int_eq(k8tls_flow_prev_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_ROTATE_SOURCE),
                     K8TLS_SCR_WELCOME);
    ck_assert_int_eq(k8tls_flow_prev_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_WELCOME),
                     K8TLS_SCR_COUNT);
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_ROTATE_PHASE, &total),
                     3);
    ck_assert_int_eq(total, 6);
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_OUTPUT, NULL), 5);
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_ROTATE, NULL, K8TLS_SCR_CA, NULL), 0);
    ck_assert_str_eq(k8tls_flow_screen_id(K8TLS_SCR_ROTATE_SOURCE), "rotate-source");
    ck_assert_str_eq(k8tls_flow_screen_id(K8TLS_SCR_ROTATE_PHASE), "rotate-phase");
}
END_TEST

START_TEST(test_wizard_path_never_shows_the_rotation_screens)
{
    struct k8tls_plan *p = defaults();
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_ROTATE_SOURCE));
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_ROTATE_PHASE));
    ck_assert(k8tls_flow_on_path(K8TLS_PATH_WIZARD, K8TLS_SCR_REVIEW));
    ck_assert(k8tls_flow_on_path(K8TLS_PATH_ROTATE, K8TLS_SCR_REVIEW));
    ck_assert(k8tls_flow_on_path(K8TLS_PATH_ROTATE, K8TLS_SCR_OUTPUT));
    ck_assert(!k8tls_flow_on_path((enum k8tls_flow_path)7, K8TLS_SCR_OUTPUT));
    ck_assert(!k8tls_flow_visible_on((enum k8tls_flow_path)-1, p, K8TLS_SCR_WELCOME));
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_WIZARD, NULL, K8TLS_SCR_WELCOME));
    /* the wizard path with the default plan: 10 steps, as before */
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_WIZARD, p, K8TLS_SCR_OUTPUT, &total), 9);
    ck_assert_int_eq(total, 10);
    /* More TLS while its own fields just took it off the path: where it stands, never step 0 */
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_MORE_TLS));
    ck_assert_int_eq(k8tls_flow_step_on(K8TLS_PATH_WIZARD, p, K8TLS_SCR_MORE_TLS, NULL), 0);
    ck_assert_int_eq(k8tls_flow_step_shown(K8TLS_PATH_WIZARD, p, K8TLS_SCR_MORE_TLS, &total), 8);
    ck_assert_int_eq(total, 11);
    ck_assert_int_eq(k8tls_flow_step_shown(K8TLS_PATH_ROTATE, p, K8TLS_SCR_CA, NULL), 0);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_MEDUSA), K8TLS_SCR_REVIEW);
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_REVIEW), K8TLS_SCR_MEDUSA);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_client_encryption_off_skips_client_stores_and_medusa)
{
    struct k8tls_plan *p = defaults();
    p->encryption.client.enabled = false;
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_CLIENT_STORES));
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_MEDUSA));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_SERVER_STORES), K8TLS_SCR_REVIEW);
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_REVIEW), K8TLS_SCR_SERVER_STORES);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_back_from_review_after_turning_client_off_skips_client_screens)
{
    /* Review -> Back ... -> Encryption: client off -> Next ... lands on Review without the
     * client screens */
    struct k8tls_plan *p = defaults();
    enum k8tls_screen s = K8TLS_SCR_REVIEW;
    while (s != K8TLS_SCR_ENCRYPTION)
        s = k8tls_flow_prev(p, s);
    p->encryption.client.enabled = false;
    enum k8tls_screen v[K8TLS_SCR_COUNT];
    int n = 0;
    for (s = k8tls_flow_next(p, s); s != K8TLS_SCR_REVIEW; s = k8tls_flow_next(p, s))
        v[n++] = s;
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(v[0], K8TLS_SCR_CA);
    ck_assert_int_eq(v[1], K8TLS_SCR_SERVER_STORES);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_medusa_screen_needs_medusa_and_its_certificate)
{
    struct k8tls_plan *p = defaults();
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_MEDUSA));
    p->cluster.medusa.enabled = false;
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_MEDUSA));
    p->cluster.medusa.enabled = true;
    p->encryption.medusa.enabled = false;
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_MEDUSA));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_CLIENT_STORES), K8TLS_SCR_REVIEW);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_internode_off_skips_server_stores)
{
    struct k8tls_plan *p = defaults();
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_SERVER_STORES));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_CA), K8TLS_SCR_CLIENT_STORES);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_no_encryption_at_all_skips_every_key_screen)
{
    struct k8tls_plan *p = defaults();
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    p->encryption.client.enabled = false;
    ck_assert(!k8tls_flow_needs_pki(p));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_REVIEW);
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_REVIEW), K8TLS_SCR_ENCRYPTION);
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step(p, K8TLS_SCR_REVIEW, &total), 4);
    ck_assert_int_eq(total, 6);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_existing_manifest_skips_the_cluster_screen)
{
    struct k8tls_plan *p = defaults();
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_CLUSTER));
    free(p->cluster.manifest);
    p->cluster.manifest = strdup("k8c.yaml");
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_CLUSTER));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_WELCOME), K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_WELCOME);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_existing_manifest_shows_the_rollout_screen)
{
    struct k8tls_plan *p = defaults();
    /* a new manifest: nothing runs yet, nothing to roll out */
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_ROLLOUT));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_CA);
    free(p->cluster.manifest);
    p->cluster.manifest = strdup("k8c.yaml");
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_ROLLOUT));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_ROLLOUT);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ROLLOUT), K8TLS_SCR_CA);
    ck_assert_int_eq(k8tls_flow_screen_of_path("rollout.mode"), K8TLS_SCR_ROLLOUT);
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, K8TLS_SCR_ROLLOUT));
    k8tls_plan_free(p);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Only a manifest that runs without encryption has a rollout to choose; the file is read again
 * when it changes. */
START_TEST(test_rollout_only_for_a_manifest_without_encryption)
{
    char dir[] = "/tmp/k8tls-flow-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char plain[64], enc[64];
    snprintf(plain, sizeof plain, "%s/plain.yaml", dir);
    snprintf(enc, sizeof enc, "%s/enc.yaml", dir);
    static const char head[] = "apiVersion: k8ssandra.io/v1alpha1\nkind: K8ssandraCluster\n"
                               "metadata: {name: demo}\nspec:\n  cassandra:\n"
                               "    serverVersion: \"4.1.5\"\n";
    char text[1024];
    snprintf(text, sizeof text, "%s    datacenters: [{metadata: {name: dc1}, size: 3}]\n", head);
    write_file(plain, text);
    snprintf(text, sizeof text,
             "%s    config:\n      cassandraYaml:\n        server_encryption_options:\n"
             "          internode_encryption: all\n"
             "    datacenters: [{metadata: {name: dc1}, size: 3}]\n",
             head);
    write_file(enc, text);
    struct k8tls_plan *p = defaults();
    free(p->cluster.manifest);
    p->cluster.manifest = strdup(plain);
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_ROLLOUT));
    free(p->cluster.manifest);
    p->cluster.manifest = strdup(enc);
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_ROLLOUT));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_CA);
    /* the same file, now without encryption (another size): read again */
    snprintf(text, sizeof text, "%s    datacenters: [{metadata: {name: dc1}, size: 5}]\n", head);
    write_file(enc, text);
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_ROLLOUT));
    k8tls_plan_free(p);
    remove(plain);
    remove(enc);
    rmdir(dir);
}
END_TEST

START_TEST(test_ends_have_no_neighbour)
{
    struct k8tls_plan *p = defaults();
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_WELCOME), K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_RESULT), K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_COUNT), K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_next(p, (enum k8tls_screen)-3), K8TLS_SCR_COUNT);
    ck_assert_ptr_null(k8tls_flow_screen_id(K8TLS_SCR_COUNT));
    ck_assert_str_eq(k8tls_flow_screen_id(K8TLS_SCR_CLIENT_STORES), "client-stores");
    ck_assert_ptr_nonnull(k8tls_flow_screen_title(K8TLS_SCR_MEDUSA));
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_step_numbers_count_only_visible_screens)
{
    struct k8tls_plan *p = defaults();
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step(p, K8TLS_SCR_WELCOME, &total), 1);
    ck_assert_int_eq(total, 10);
    p->encryption.client.enabled = false;
    ck_assert_int_eq(k8tls_flow_step(p, K8TLS_SCR_REVIEW, &total), 6);
    ck_assert_int_eq(total, 8);
    ck_assert_int_eq(k8tls_flow_step(p, K8TLS_SCR_CLIENT_STORES, NULL), 0);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_diagnostic_paths_map_to_the_screen_that_edits_them)
{
    ck_assert_int_eq(k8tls_flow_screen_of_path("cluster.name"), K8TLS_SCR_CLUSTER);
    ck_assert_int_eq(k8tls_flow_screen_of_path("cluster.datacenters[1].size"), K8TLS_SCR_CLUSTER);
    ck_assert_int_eq(k8tls_flow_screen_of_path("cluster.manifest"), K8TLS_SCR_WELCOME);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.internode.mode"),
                     K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.medusa.enabled"),
                     K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.medusa.import.key"), K8TLS_SCR_MEDUSA);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.medusa.secretName"), K8TLS_SCR_MEDUSA);
    ck_assert_int_eq(k8tls_flow_screen_of_path("stores.format"), K8TLS_SCR_ENCRYPTION);
    ck_assert_int_eq(k8tls_flow_screen_of_path("stores.server.import.keystorePassword"),
                     K8TLS_SCR_SERVER_STORES);
    ck_assert_int_eq(k8tls_flow_screen_of_path("stores.client.secretName"),
                     K8TLS_SCR_CLIENT_STORES);
    ck_assert_int_eq(k8tls_flow_screen_of_path("ca.import.keyPassword"), K8TLS_SCR_CA);
    ck_assert_int_eq(k8tls_flow_screen_of_path("certificates.extraSANs[0]"), K8TLS_SCR_CA);
    ck_assert_int_eq(k8tls_flow_screen_of_path("output.directory"), K8TLS_SCR_OUTPUT);
    ck_assert_int_eq(k8tls_flow_screen_of_path("clusterx"), K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_screen_of_path(""), K8TLS_SCR_COUNT);
    ck_assert_int_eq(k8tls_flow_screen_of_path(NULL), K8TLS_SCR_COUNT);
}
END_TEST

START_TEST(test_field_owns_diagnostic_only_at_a_path_boundary)
{
    ck_assert(k8tls_flow_path_owns("cluster.name", "cluster.name"));
    ck_assert(k8tls_flow_path_owns("cluster.datacenters", "cluster.datacenters[0].name"));
    ck_assert(!k8tls_flow_path_owns("cluster.name", "cluster.namespace"));
    ck_assert(!k8tls_flow_path_owns("cluster.namespace", "cluster.name"));
    ck_assert(!k8tls_flow_path_owns(NULL, "cluster.name"));
    ck_assert(!k8tls_flow_path_owns("", "cluster.name"));
    ck_assert(!k8tls_flow_path_owns("cluster.name", NULL));
}
END_TEST

START_TEST(test_most_precise_field_gets_the_diagnostic)
{
    const char *fields[] = {"stores.server", NULL, "stores.server.import.keystorePassword",
                            "stores.server.import.keystore"};
    ck_assert_int_eq(k8tls_flow_field_for_path(fields, 4, "stores.server.import.keystorePassword"),
                     2);
    ck_assert_int_eq(k8tls_flow_field_for_path(fields, 4, "stores.server.import.keystore"), 3);
    ck_assert_int_eq(k8tls_flow_field_for_path(fields, 4, "stores.server.secretName"), 0);
    ck_assert_int_eq(k8tls_flow_field_for_path(fields, 4, "stores.client.secretName"), -1);
    ck_assert_int_eq(k8tls_flow_field_for_path(fields, 4, NULL), -1);
}
END_TEST

START_TEST(test_wrong_password_of_a_file_goes_to_its_password_field)
{
    char *p = k8tls_flow_password_path("ca.import.key");
    ck_assert_str_eq(p, "ca.import.keyPassword");
    free(p);
    p = k8tls_flow_password_path("stores.client.import.truststore");
    ck_assert_str_eq(p, "stores.client.import.truststorePassword");
    free(p);
    p = k8tls_flow_password_path("stores.server.import.keystore");
    ck_assert_str_eq(p, "stores.server.import.keystorePassword");
    free(p);
    ck_assert_ptr_null(k8tls_flow_password_path("ca.import.cert"));
    ck_assert_ptr_null(k8tls_flow_password_path("key"));
    ck_assert_ptr_null(k8tls_flow_password_path(NULL));
}
END_TEST

static bool fp_changes(void (*edit)(struct k8tls_plan *))
{
    struct k8tls_plan *p = defaults();
    char *a = k8tls_flow_pki_fingerprint(p);
    edit(p);
    char *b = k8tls_flow_pki_fingerprint(p);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    bool changed = strcmp(a, b) != 0;
    k8tls_secure_free_str(a);
    k8tls_secure_free_str(b);
    k8tls_plan_free(p);
    return changed;
}

static void edit_output(struct k8tls_plan *p)
{
    free(p->output.directory);
    p->output.directory = strdup("elsewhere");
    p->output.create_namespace = true;
}
static void edit_key_size(struct k8tls_plan *p) { p->ca.key.bits = 2048; }
static void edit_curve(struct k8tls_plan *p)
{
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P384;
}
static void edit_password(struct k8tls_plan *p)
{
    p->stores.server.keystore_password.ref = strdup("env:KS_PW");
}
static void edit_cluster_name(struct k8tls_plan *p)
{
    free(p->cluster.name);
    p->cluster.name = strdup("other");
}
static void edit_client_off(struct k8tls_plan *p) { p->encryption.client.enabled = false; }
static void edit_format(struct k8tls_plan *p) { p->stores.format = K8TLS_FORMAT_JKS; }
static void edit_nothing(struct k8tls_plan *p) { (void)p; }
static void edit_mgmt_api_on(struct k8tls_plan *p) { p->encryption.management_api.enabled = true; }
static void edit_reaper_tls_on(struct k8tls_plan *p) { p->encryption.reaper.enabled = true; }
static void edit_grpc_on(struct k8tls_plan *p) { p->encryption.medusa_grpc.enabled = true; }
static void edit_reaper_off(struct k8tls_plan *p) { p->cluster.reaper.enabled = false; }

START_TEST(test_keygen_restarts_when_key_parameters_change)
{
    ck_assert(fp_changes(edit_key_size));
    ck_assert(fp_changes(edit_curve));
    ck_assert(fp_changes(edit_password));
    ck_assert(fp_changes(edit_cluster_name)); /* the SANs */
    ck_assert(fp_changes(edit_client_off));
    ck_assert(fp_changes(edit_format));
    /* the More TLS step comes after the CA step, where the generation starts */
    ck_assert(fp_changes(edit_mgmt_api_on));
    ck_assert(fp_changes(edit_reaper_tls_on));
    ck_assert(fp_changes(edit_grpc_on));
    ck_assert(fp_changes(edit_reaper_off)); /* Reaper's stores for the management API (R2) */
}
END_TEST

START_TEST(test_more_tls_step_only_with_a_surface_on)
{
    struct k8tls_plan *p = defaults();
    ck_assert(!k8tls_flow_visible(p, K8TLS_SCR_MORE_TLS));
    p->encryption.management_api.enabled = true;
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_MORE_TLS));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_MEDUSA), K8TLS_SCR_MORE_TLS);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_MORE_TLS), K8TLS_SCR_REVIEW);
    ck_assert_int_eq(k8tls_flow_prev(p, K8TLS_SCR_REVIEW), K8TLS_SCR_MORE_TLS);
    int total = 0;
    ck_assert_int_eq(k8tls_flow_step(p, K8TLS_SCR_MORE_TLS, &total), 8);
    ck_assert_int_eq(total, 11);
    /* no store at all, the management API alone: the CA step signs its certificates */
    p->encryption.internode.mode = K8TLS_INTERNODE_NONE;
    p->encryption.client.enabled = false;
    ck_assert(k8tls_flow_needs_pki(p));
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_ENCRYPTION), K8TLS_SCR_CA);
    ck_assert_int_eq(k8tls_flow_next(p, K8TLS_SCR_CA), K8TLS_SCR_MORE_TLS);
    /* a surface switched on where it is refused (R3, G2): the step shows the refusal */
    p->encryption.management_api.enabled = false;
    p->cluster.reaper.enabled = false;
    p->encryption.reaper.enabled = true;
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_MORE_TLS));
    p->encryption.reaper.enabled = false;
    p->cluster.medusa.enabled = false;
    p->encryption.medusa_grpc.enabled = true;
    ck_assert(k8tls_flow_visible(p, K8TLS_SCR_MORE_TLS));
    ck_assert(!k8tls_flow_visible_on(K8TLS_PATH_ROTATE, p, K8TLS_SCR_MORE_TLS));
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.reaper.enabled"), K8TLS_SCR_MORE_TLS);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.medusaGrpc.clientSecretName"),
                     K8TLS_SCR_MORE_TLS);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.managementApi.enabled"),
                     K8TLS_SCR_MORE_TLS);
    ck_assert_int_eq(k8tls_flow_screen_of_path("encryption.medusa.enabled"),
                     K8TLS_SCR_ENCRYPTION);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_keygen_keeps_its_work_when_only_the_output_changes)
{
    ck_assert(!fp_changes(edit_output));
    ck_assert(!fp_changes(edit_nothing));
}
END_TEST

START_TEST(test_fingerprint_cannot_be_faked_by_value_content)
{
    /* "a;b" in one field must differ from "a" + "b" spread over two fields */
    struct k8tls_plan *p = defaults(), *q = defaults();
    free(p->ca.subject.O);
    p->ca.subject.O = strdup("x;ca.OU=1:y");
    free(q->ca.subject.O);
    q->ca.subject.O = strdup("x");
    free(q->ca.subject.OU);
    q->ca.subject.OU = strdup("y");
    char *a = k8tls_flow_pki_fingerprint(p), *b = k8tls_flow_pki_fingerprint(q);
    ck_assert_str_ne(a, b);
    k8tls_secure_free_str(a);
    k8tls_secure_free_str(b);
    k8tls_plan_free(p);
    k8tls_plan_free(q);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("flow");
    tcase_add_test(tc, test_default_plan_visits_every_wizard_screen_in_order);
    tcase_add_test(tc, test_rotation_path_skips_every_bundle_screen);
    tcase_add_test(tc, test_rotation_back_and_steps);
    tcase_add_test(tc, test_wizard_path_never_shows_the_rotation_screens);
    tcase_add_test(tc, test_client_encryption_off_skips_client_stores_and_medusa);
    tcase_add_test(tc, test_back_from_review_after_turning_client_off_skips_client_screens);
    tcase_add_test(tc, test_medusa_screen_needs_medusa_and_its_certificate);
    tcase_add_test(tc, test_internode_off_skips_server_stores);
    tcase_add_test(tc, test_no_encryption_at_all_skips_every_key_screen);
    tcase_add_test(tc, test_existing_manifest_skips_the_cluster_screen);
    tcase_add_test(tc, test_existing_manifest_shows_the_rollout_screen);
    tcase_add_test(tc, test_rollout_only_for_a_manifest_without_encryption);
    tcase_add_test(tc, test_enable_path);
    tcase_add_test(tc, test_ends_have_no_neighbour);
    tcase_add_test(tc, test_step_numbers_count_only_visible_screens);
    tcase_add_test(tc, test_diagnostic_paths_map_to_the_screen_that_edits_them);
    tcase_add_test(tc, test_field_owns_diagnostic_only_at_a_path_boundary);
    tcase_add_test(tc, test_most_precise_field_gets_the_diagnostic);
    tcase_add_test(tc, test_wrong_password_of_a_file_goes_to_its_password_field);
    tcase_add_test(tc, test_keygen_restarts_when_key_parameters_change);
    tcase_add_test(tc, test_keygen_keeps_its_work_when_only_the_output_changes);
    tcase_add_test(tc, test_more_tls_step_only_with_a_surface_on);
    tcase_add_test(tc, test_doctor_path);
    tcase_add_test(tc, test_fingerprint_cannot_be_faked_by_value_content);
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
