/* The TUI's screen flow, as pure data and rules: which screens exist, which ones a plan shows,
 * where Next and Back lead, which screen and field a diagnostic belongs to, and when the
 * background key generation must start again. The screens and their flow data are the rows of
 * screen/table.h. No curses here (flow.c is in the core library): tests/unit/test_flow.c drives
 * it. */
#ifndef K8TLS_TUI_FLOW_H
#define K8TLS_TUI_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/plan.h"

/* K8TLS_SCR_WELCOME, K8TLS_SCR_CLUSTER, ... in the order of the table */
enum k8tls_screen {
#define SCREEN(name, file, id, title, paths, shown, keys) K8TLS_SCR_##name,
#include "screen/table.h"
#undef SCREEN
    K8TLS_SCR_COUNT            /* also "no screen": past the end / before the start */
};

/* The paths through the screens, as data (each screen of the table says which paths show it):
 *   wizard   Welcome -> Cluster -> Encryption -> CA -> Server stores -> Client stores -> Medusa
 *            -> More TLS -> Review -> Output -> Result (a new bundle; the plan's skip rules
 *            apply);
 *   rotate   Welcome -> Rotation source -> Rotation phase -> Review -> Output -> Result (renew
 *            or rotate the certificates of an existing bundle or cluster: no cluster,
 *            encryption, CA, stores or Medusa step; Review shows the phase's new Secrets and
 *            rotation.yaml; the plan's skip rules do not apply);
 *   doctor   Welcome -> Doctor (check an existing bundle or cluster; its "fix it" moves to
 *            the rotate or the wizard path);
 *   enable   Welcome -> Next phase -> Review -> Output -> Result (the next phase of a staged
 *            rollout from the previous phase's directory: same CA, stores and passwords). */
enum k8tls_flow_path {
    K8TLS_PATH_WIZARD,
    K8TLS_PATH_ROTATE,
    K8TLS_PATH_DOCTOR,
    K8TLS_PATH_ENABLE,
};

/* A stable identifier ("welcome", "cluster", ..., "result"); NULL for an invalid screen. */
const char *k8tls_flow_screen_id(enum k8tls_screen s);
/* The screen's title as an untranslated message id (translate it with _()). */
const char *k8tls_flow_screen_title(enum k8tls_screen s);

/* Does the plan show this screen? The skip rules are the table's "shown" column:
 *   Cluster       unless encryption is added to an existing manifest (cluster.manifest: the
 *                 cluster is what the manifest says);
 *   CA            when the plan makes any store, the Medusa certificate or another TLS
 *                 surface's certificates;
 *   server stores when internode encryption is on;
 *   client stores when client encryption is on;
 *   Medusa        when Medusa runs with client encryption and asks for its certificate;
 *   Rollout       when encryption is added to an existing manifest (cluster.manifest) that
 *                 runs without it;
 *   More TLS      when the management API, Reaper's API or Medusa's gRPC TLS is switched on;
 *   every other screen always. */
bool k8tls_flow_visible(const struct k8tls_plan *p, enum k8tls_screen s);

/* The next / previous visible screen, or K8TLS_SCR_COUNT when there is none. */
enum k8tls_screen k8tls_flow_next(const struct k8tls_plan *p, enum k8tls_screen s);
enum k8tls_screen k8tls_flow_prev(const struct k8tls_plan *p, enum k8tls_screen s);

/* "Step N of M" over the visible screens: returns N (1-based, 0 if s is not visible) and sets
 * *total to M when total is not NULL. */
int k8tls_flow_step(const struct k8tls_plan *p, enum k8tls_screen s, int *total);

/* The same on a given path (the functions above are the wizard path). Is s on the path at all;
 * is it shown (on the wizard path also by the plan's skip rules; p may be NULL on the rotate
 * path); the next / previous shown screen; the step number. */
bool k8tls_flow_on_path(enum k8tls_flow_path path, enum k8tls_screen s);
bool k8tls_flow_visible_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                           enum k8tls_screen s);
enum k8tls_screen k8tls_flow_next_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                                     enum k8tls_screen s);
enum k8tls_screen k8tls_flow_prev_on(enum k8tls_flow_path path, const struct k8tls_plan *p,
                                     enum k8tls_screen s);
int k8tls_flow_step_on(enum k8tls_flow_path path, const struct k8tls_plan *p, enum k8tls_screen s,
                       int *total);
/* The same for the screen shown: it counts where it stands even when its own fields just took it
 * off the path (More TLS with every surface switched off), so the title never says "step 0". */
int k8tls_flow_step_shown(enum k8tls_flow_path path, const struct k8tls_plan *p,
                          enum k8tls_screen s, int *total);

/* The screen that edits a diagnostic's key path ("cluster.datacenters[1].size" -> cluster,
 * "stores.client.keystorePassword" -> client stores, "encryption.medusa.import.key" -> Medusa),
 * K8TLS_SCR_COUNT when no screen owns it (NULL, empty, unknown section). */
enum k8tls_screen k8tls_flow_screen_of_path(const char *path);

/* Does a field edited at field_path own the diagnostic at diag_path? True when they are equal or
 * diag_path continues field_path at a '.' or '[' boundary ("cluster.datacenters" owns
 * "cluster.datacenters[0].name" but "cluster.name" does not own "cluster.namespace"). */
bool k8tls_flow_path_owns(const char *field_path, const char *diag_path);

/* Among n field paths (NULL entries skipped), the index of the one that owns diag_path most
 * precisely (the longest owner), or -1. */
int k8tls_flow_field_for_path(const char *const *field_paths, size_t n, const char *diag_path);

/* The password field that opens a file field's content: "ca.import.key" ->
 * "ca.import.keyPassword", "stores.client.import.truststore" -> "...truststorePassword"; NULL
 * for other paths. A wrong-password diagnostic names the file; the TUI shows it beside the
 * password. Heap string. */
char *k8tls_flow_password_path(const char *file_path);

/* A text that changes whenever a plan change would change what k8tls_pki_build produces (keys,
 * certificates, stores, passwords, SANs, imports), and stays the same for changes that do not
 * (the output directory). The TUI restarts its background key generation when it changes.
 * Holds password references: free it with k8tls_secure_free_str. NULL on OOM. */
char *k8tls_flow_pki_fingerprint(const struct k8tls_plan *p);

/* Does the plan need any key material at all (a store or the Medusa certificate)? */
bool k8tls_flow_needs_pki(const struct k8tls_plan *p);
/* Is any of the other TLS surfaces switched on (encryption.managementApi, .reaper,
 * .medusaGrpc), the More TLS step's skip rule? */
bool k8tls_flow_more_tls(const struct k8tls_plan *p);
/* Is encryption added to an existing manifest (cluster.manifest) that runs without it, where the
 * Rollout step chooses between the staged phases and one shot? (Reads the manifest when it
 * changed since the last call.) */
bool k8tls_flow_rollout(const struct k8tls_plan *p);
/* Is the cluster not read from an existing manifest (cluster.manifest empty)? */
bool k8tls_flow_no_manifest(const struct k8tls_plan *p);

#endif
