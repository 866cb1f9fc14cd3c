/* The screens of the TUI: one row each, in the order the flow visits them. This is the one table
 * of screens; it is included three times with SCREEN defined differently:
 *   src/tui/flow.h         the enum k8tls_screen (K8TLS_SCR_<NAME>),
 *   src/tui/flow.c         the flow data: id, title, the paths that show the screen, the skip
 *                          rule, the answers keys it edits (pure: tests/unit/test_flow.c),
 *   src/tui/screen/table.c the screen itself: tui_screen_<file>, defined in screen/<file>.c.
 * Adding a screen: one row here and one file in src/tui/screen/.
 *
 * SCREEN(NAME, file, id, title, paths, shown, keys)
 *   paths  ON_WIZARD, ON_ROTATE, ON_BOTH, ON_DOCTOR or ON_ENABLE (or'ed): the paths through the
 *          screens that show it;
 *   shown  NULL (always shown on the wizard path) or a predicate on the plan (a skip rule of
 *          the wizard path; the rotate path shows all its screens);
 *   keys   the answers key prefixes the screen edits, separated by spaces: a diagnostic goes to
 *          the screen with the longest prefix that owns its key path (flow.h). */

SCREEN(WELCOME, welcome, "welcome", N_("Welcome"), ON_BOTH | ON_DOCTOR | ON_ENABLE, NULL,
       "apiVersion cluster.manifest")
SCREEN(CLUSTER, cluster, "cluster", N_("Cluster"), ON_WIZARD, k8tls_flow_no_manifest,
       "cluster")
SCREEN(ENCRYPTION, encryption, "encryption", N_("Encryption"), ON_WIZARD, NULL,
       "encryption encryption.medusa.enabled stores output.mode output.issuerKind "
       "output.trustManager output.certManagerNamespace")
/* adding encryption to a manifest that runs without it: staged phases or one shot */
SCREEN(ROLLOUT, rollout, "rollout", N_("Rollout"), ON_WIZARD, k8tls_flow_rollout, "rollout")
SCREEN(CA, ca, "ca", N_("Certificate authority"), ON_WIZARD, k8tls_flow_needs_pki,
       "ca certificates")
SCREEN(SERVER_STORES, server_stores, "server-stores", N_("Server stores"), ON_WIZARD,
       k8tls_plan_wants_server_stores, "stores.server")
SCREEN(CLIENT_STORES, client_stores, "client-stores", N_("Client stores"), ON_WIZARD,
       k8tls_plan_wants_client_stores, "stores.client")
SCREEN(MEDUSA, medusa, "medusa", N_("Medusa certificate"), ON_WIZARD,
       k8tls_plan_wants_medusa_certs,
       "encryption.medusa.source encryption.medusa.secretName encryption.medusa.import")
SCREEN(MORE_TLS, more_tls, "more-tls", N_("More TLS"), ON_WIZARD, k8tls_flow_more_tls,
       "encryption.managementApi encryption.reaper encryption.medusaGrpc")
/* the doctor: check an existing bundle or cluster (its own path) */
SCREEN(DOCTOR, doctor, "doctor", N_("Check a cluster"), ON_DOCTOR, NULL, "")
/* rotation: where the certificates to renew are, then what was found and the phase to build */
SCREEN(ROTATE_SOURCE, rotate_source, "rotate-source", N_("Certificates to renew"), ON_ROTATE,
       NULL, "")
SCREEN(ROTATE_PHASE, rotate_phase, "rotate-phase", N_("Renew or rotate"), ON_ROTATE, NULL, "")
/* the staged rollout's next phase: the previous phase's directory, its stage, the phase due */
SCREEN(ENABLE_PHASE, enable_phase, "enable-phase", N_("Next phase"), ON_ENABLE, NULL, "")
SCREEN(REVIEW, review, "review", N_("Review"), ON_BOTH | ON_ENABLE, NULL, "")
SCREEN(OUTPUT, output, "output", N_("Output"), ON_BOTH | ON_ENABLE, NULL, "output")
SCREEN(RESULT, result, "result", N_("Result"), ON_BOTH | ON_ENABLE, NULL, "")
