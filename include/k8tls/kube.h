/* kubeconfig and kubectl apply (issue 6). Owned by the apply work. */
#ifndef K8TLS_KUBE_H
#define K8TLS_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "k8tls/err.h"
#include "k8tls/bundle.h"

/* ---- kubeconfig (read the way kubectl does) ----------------------------------------------- */

/* One context of the merged kubeconfig. Strings are never NULL ("" when unset), except server. */
struct k8tls_kube_context {
    char *name;
    char *cluster;
    char *namespace_;          /* "" = the default namespace */
    char *user;
    char *server;              /* the cluster's server URL, NULL when the cluster is not defined */
    bool user_defined;         /* the user named is defined in the kubeconfig (false for "") */
    const char *file;          /* the kubeconfig file that defined it (points into files[]) */
};

struct k8tls_kubeconfig {
    struct k8tls_kube_context *contexts;   /* sorted by name, as `kubectl config get-contexts` */
    size_t n_contexts;
    char *current_context;                 /* "" when unset */
    char **files;                          /* the files actually read, in merge order */
    size_t n_files;
};

/* Loads the kubeconfig like kubectl: explicit_path (--kubeconfig) alone if not NULL (it must
 * exist); else every file of KUBECONFIG (colon-separated; missing files skipped; maps merged,
 * the first file to define a name wins; the first non-empty current-context wins); else
 * ~/.kube/config (missing: an empty config). A malformed file is an error naming
 * file:line:column. Returns NULL with e filled on error. */
struct k8tls_kubeconfig *k8tls_kubeconfig_load(const char *explicit_path, struct k8tls_err *e);
void k8tls_kubeconfig_free(struct k8tls_kubeconfig *kc);
/* The context of that name, or NULL. */
const struct k8tls_kube_context *k8tls_kubeconfig_find(const struct k8tls_kubeconfig *kc,
                                                       const char *name);
/* For messages: the files that were read joined with ':', or the file that would have been read
 * when none exists. Returns a malloc'd string (NULL on OOM). */
char *k8tls_kubeconfig_describe(const struct k8tls_kubeconfig *kc, const char *explicit_path);

/* ---- apply ------------------------------------------------------------------------------- */

struct k8tls_apply_opts {
    const char *kubeconfig;        /* --kubeconfig, or NULL (KUBECONFIG, then ~/.kube/config) */
    const char **contexts;         /* --context (repeatable): the first is the control plane (the
                                    * K8ssandraCluster goes there), the others get the Secrets too;
                                    * n_contexts == 0: the current context */
    size_t n_contexts;
    bool dry_run_server;           /* --dry-run=server */
    bool diff;                     /* --diff: kubectl diff --server-side, Secret values masked;
                                    * nothing is applied */
    bool force_conflicts;          /* --force-conflicts */
    bool create_namespace;         /* --create-namespace */
    /* progress of each object, for the TUI; may be NULL. Called once per object and context,
     * in apply order, also for the objects not applied after a failure (ok false). */
    void (*on_object)(void *ud, const char *context, const char *kind, const char *name,
                      bool ok, const char *message);
    void *ud;
    /* Added by the apply work: */
    bool quiet;                    /* print nothing (the TUI): use the callbacks and err */
    /* --diff: the masked diff of one object (only when it differs); may be NULL */
    void (*on_diff)(void *ud, const char *context, const char *kind, const char *name,
                    const char *masked_diff);
    struct k8tls_err *err;         /* may be NULL: receives the one-line reason of a failure */
};

/* Applies the bundle's objects through kubectl server-side apply (Secrets in every context of K9,
 * first; then the cluster in the control-plane context). Returns a process exit code
 * (0 ok, 1 conflict/validation, 3 environment failure) and prints one-line reasons to stderr.
 * Order: a reachability check of every context (nothing is applied when one fails), then per
 * context the Namespace (create_namespace) and the Secrets, then the K8ssandraCluster; the first
 * failure stops the run and the rest is reported "not applied". With diff, 0 means the diff ran
 * (whether or not something differs). Blocking (one kubectl per object: seconds): the TUI calls
 * it from a worker thread with quiet = true; the callbacks run on the calling thread.
 * p may be NULL (then only the given contexts); the plan gives the datacenters' k8sContext. */
/* Each kubectl run has an overall deadline (300 s): at it kubectl and what it started (an exec
 * credential plugin that never returns) are killed and the run stops there, saying what was and
 * was not applied. Test seam: K8TLS_TEST_KUBECTL_TIMEOUT=SECONDS sets another deadline.
 * kubectl's environment is ours without the password variables (k8tls_secure_child_env). */
int k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                     const struct k8tls_apply_opts *o);

/* For every kubectl run (also rotate's): the deadline in seconds (300, or the test seam above),
 * and the killing of a kubectl that passed it, with what it started (found through /proc). */
int k8tls_kube_deadline(void);
void k8tls_kube_kill_tree(pid_t pid);

/* Masks Secret values in `kubectl diff` output: the values under data:/stringData: of every
 * v1.Secret file, and every occurrence of the given known secret strings (n may be 0).
 * Returns a malloc'd string (NULL on OOM). */
char *k8tls_kube_mask_diff(const char *diff, const char *const *known, size_t n);

#endif
