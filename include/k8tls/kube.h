/* kubeconfig and kubectl apply (issue 6). Owned by the apply work. */
#ifndef K8TLS_KUBE_H
#define K8TLS_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/err.h"
#include "k8tls/bundle.h"

struct k8tls_apply_opts {
    const char *kubeconfig;        /* --kubeconfig, or NULL (KUBECONFIG, then ~/.kube/config) */
    const char **contexts;         /* --context (repeatable); n_contexts == 0: the current one */
    size_t n_contexts;
    bool dry_run_server;           /* --dry-run=server */
    bool diff;                     /* --diff: kubectl diff --server-side, Secret values masked */
    bool force_conflicts;          /* --force-conflicts */
    bool create_namespace;         /* --create-namespace */
    /* progress of each object, for the TUI; may be NULL */
    void (*on_object)(void *ud, const char *context, const char *kind, const char *name,
                      bool ok, const char *message);
    void *ud;
};

/* Applies the bundle's objects through kubectl server-side apply (Secrets in every context of K9,
 * first; then the cluster in the control-plane context). Returns a process exit code
 * (0 ok, 1 conflict/validation, 3 environment failure) and prints one-line reasons to stderr. */
int k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                     const struct k8tls_apply_opts *o);

#endif
