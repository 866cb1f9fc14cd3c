/* Kubernetes for the core: the kubeconfig read the way kubectl reads it (src/core/kubeconfig.c)
 * and the apply or diff of a bundle through kubectl (src/core/kube.c, with kube_mask.c and
 * kube_explain.c; kubectl runs through proc.h). Nothing here prints: the apply reports through
 * the callbacks of struct k8tls_apply_opts and returns a status. */
#ifndef K8TLS_KUBE_H
#define K8TLS_KUBE_H

#include <stdbool.h>
#include <stddef.h>
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

/* What a piece of the apply's report (on_text) is, so that the command line knows where it goes:
 * the results on stdout, the rest on stderr. */
enum k8tls_kube_text {
    K8TLS_KUBE_TEXT_APPLIED,   /* "context C: OBJ applied": a result (stdout, flushed at once) */
    K8TLS_KUBE_TEXT_DIFF,      /* "# C: OBJ" and its masked diff: a result (stdout) */
    K8TLS_KUBE_TEXT_PROGRESS,  /* "context C: OBJ: differs", the count of objects that differ
                                * (stderr, stdout left as it is) */
    K8TLS_KUBE_TEXT_FAILURE,   /* the reason of a failure, kubectl's report of a conflict, what was
                                * and was not applied (stderr, after stdout is flushed) */
};

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
    /* --wait-ready[=TIMEOUT] (cert-manager output): after the objects before the cluster (Secrets,
     * Issuers, ClusterIssuers, Certificates, trust-manager Bundles) are applied, poll every
     * Certificate and Bundle (kubectl get) until each has the condition Ready=True (Synced=True
     * for a Bundle), and only then apply the K8ssandraCluster; not ready after wait_timeout
     * seconds (0: the default, 300): the cluster is not applied, each object not ready is
     * reported with the reason and message of its status, and the run fails with
     * K8TLS_ENVIRONMENT. Ignored with diff and dry_run_server
     * (nothing is persisted that cert-manager could issue). */
    bool wait_ready;
    int wait_timeout;
    /* progress of each object, for the TUI; may be NULL. Called once per object and context,
     * in apply order, also for the objects not applied after a failure (ok false). */
    void (*on_object)(void *ud, const char *context, const char *kind, const char *name,
                      bool ok, const char *message);
    void *ud;
    /* --diff: the masked diff of one object (only when it differs); may be NULL */
    void (*on_diff)(void *ud, const char *context, const char *kind, const char *name,
                    const char *masked_diff);
    struct k8tls_err *err;         /* may be NULL: receives the one-line reason of a failure
                                    * and its status */
    /* the report for a person, piece by piece (the command line prints it; may be NULL): each
     * text is complete lines (a diff may come in two pieces), control characters escaped */
    void (*on_text)(void *ud, enum k8tls_kube_text kind, const char *text);
};

/* Whether an on_object message says the object was not tried (a failure elsewhere stopped the
 * run, or a context did not answer), as opposed to a failure of its own. */
bool k8tls_kube_not_attempted(const char *message);

/* Applies the bundle's objects through kubectl server-side apply (Secrets in every context of K9,
 * first; then the cluster in the control-plane context). A cert-manager output's Issuers,
 * ClusterIssuers, Certificates and trust-manager Bundle are applied with the Secrets, in the
 * bundle's order (the kustomization's), to the same contexts; the cluster-scoped kinds
 * (ClusterIssuer, Bundle) without a namespace. Returns K8TLS_OK, K8TLS_INVALID (the API
 * server refused an object: conflict, validation, nothing to apply) or K8TLS_ENVIRONMENT (kubectl
 * missing, a context unreachable or not authorized, out of memory); the one-line reason goes to
 * err and to on_text.
 * Order: a reachability check of every context when there are several (nothing is applied when
 * one fails); then every context at the same time, one kubectl each, gets its Namespace
 * (create_namespace) and Secrets; then the K8ssandraCluster (its kubectl started with those and
 * held at the end of its input until they are in). A failed object stops the run
 * there (the other objects of that kubectl run and the other contexts may have been applied, and
 * are reported so) and the rest is reported "not applied". With diff, one kubectl per object,
 * one after the other; 0 means the diff ran (whether or not something differs). Blocking
 * (seconds): the TUI calls it from a worker thread without on_text; the callbacks run on the
 * calling thread, after the runs they report on.
 * p may be NULL (then only the given contexts); the plan gives the datacenters' k8sContext. */
/* Each kubectl run has an overall deadline (k8tls_proc_deadline, 300 s): at it kubectl and what
 * it started (an exec credential plugin that never returns) are killed and the run stops there,
 * saying what was and was not applied. kubectl's environment is ours without the password
 * variables (k8tls_secure_child_env). */
enum k8tls_status k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                                   const struct k8tls_apply_opts *o);

/* The default of --wait-ready, in seconds. */
#define K8TLS_KUBE_WAIT_DEFAULT 300

/* Parses a duration for --wait-ready: a number of seconds ("300"), or one or more numbers each
 * with a unit s, m or h ("90s", "5m", "1h30m"). Between 1 s and 86400 s (a day). Returns 0 with
 * *seconds set, or -1. */
int k8tls_kube_parse_duration(const char *s, int *seconds);

/* Masks Secret values in `kubectl diff` output: the values under data:/stringData: of every
 * v1.Secret file, and every occurrence of the given known secret strings (n may be 0).
 * Returns a malloc'd string (NULL on OOM). */
char *k8tls_kube_mask_diff(const char *diff, const char *const *known, size_t n);

#endif
