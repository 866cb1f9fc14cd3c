/* Shared by the apply files of the core only: kube.c (the run) calls kube_mask.c (the secret
 * strings to keep out of every message, masking), kube_explain.c (why a kubectl run failed) and
 * kube_wait.c (a cert-manager Certificate's Ready condition read from kubectl's output); those
 * three call neither kube.c nor each other. */
#ifndef K8TLS_KUBE_INT_H
#define K8TLS_KUBE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/err.h"
#include "k8tls/proc.h"

/* ---- kube_mask.c ---- */

/* Known secret strings: the values of data:/stringData: in every Secret (and the decoded data
 * values that are text, such as passwords), to scrub from anything kubectl prints. */
struct k8tls_kube_known {
    char **v;
    size_t n, cap;
};
void k8tls_kube_known_free(struct k8tls_kube_known *k);
/* Adds the values of a Secret's YAML (anything else adds nothing). */
void k8tls_kube_known_collect(const unsigned char *yaml, size_t len, struct k8tls_kube_known *k);
/* A copy of text with every occurrence of the known strings replaced by "***" (NULL on OOM). */
char *k8tls_kube_scrub(const char *text, const char *const *known, size_t n);

/* ---- kube_explain.c ---- */

/* Explains a failed kubectl run of `what` (an object, or "reachability check") in context into
 * out (n bytes; server is the context's API server URL for messages, may be NULL). Returns
 * K8TLS_INVALID when the API server refused the object (conflict, validation), else
 * K8TLS_ENVIRONMENT. */
enum k8tls_status k8tls_kube_explain(const struct k8tls_proc *r, const char *context,
                                     const char *what, const char *server, char *out, size_t n);
/* Did kubectl report a conflict of field managers (stderr text)? Then its own report is worth
 * showing in full. */
bool k8tls_kube_is_conflict(const char *err);

/* ---- kube_wait.c ---- */

/* One object --wait-ready waits for, in one context: a cert-manager Certificate (condition
 * Ready) or a trust-manager Bundle (cluster-scoped, ns "", condition Synced). */
enum k8tls_wait_state {
    K8TLS_WAIT_MISSING,        /* not (yet) listed by the API server */
    K8TLS_WAIT_NO_CONDITION,   /* listed, without the condition: not reconciled yet */
    K8TLS_WAIT_NOT_READY,      /* the condition is "False" or "Unknown" */
    K8TLS_WAIT_READY,          /* the condition is "True" */
};
struct k8tls_kube_waitable {
    const char *context, *ns, *name;
    const char *kind;          /* "Certificate" or "Bundle" */
    enum k8tls_wait_state state;
    char status[16];           /* the Ready condition's status, its reason and message */
    char reason[256];
    char message[768];
};
/* The condition --wait-ready waits for on kind: "Ready" (Certificate), "Synced" (Bundle). */
const char *k8tls_kube_wait_condition(const char *kind);
/* Reads `kubectl get certificates.cert-manager.io -n NS -o json` or `kubectl get
 * bundles.trust.cert-manager.io -o json` (a List) of context into the waitables of that context,
 * namespace and kind: those listed get their condition, the others become K8TLS_WAIT_MISSING;
 * objects not among w are ignored. Returns 0, or -1 when the text is no List (w untouched). */
int k8tls_kube_wait_read(const char *json, size_t len, const char *context, const char *ns,
                         const char *kind, struct k8tls_kube_waitable *w, size_t n);

#endif
