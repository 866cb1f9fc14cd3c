/* The doctor (`k8tls-wizard doctor`, SPEC §12): reads a K8ssandraCluster and the Secrets it
 * references, from files (a manifest with Secret YAML, an output directory, a `kubectl get -o
 * yaml` List) or live through kubectl, and reports every known TLS trap with its fix. It never
 * writes anything and never prints a secret value. Private to src/doctor:
 *   load.c    the objects (files and kubectl output) into struct dr_state
 *   live.c    kubectl get, per context (read-only)
 *   checks.c  the traps (rules K, S, M of doc/rules.md), as findings
 *   report.c  findings as text lines or JSON
 *   cli.c     the subcommand (options, exit codes)
 * Calls the core: crdcheck.c, the store readers (store_int.h), yamlutil.c, proc.c. */
#ifndef K8TLS_DOCTOR_H
#define K8TLS_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>
#include "k8tls/err.h"

enum dr_sev { DR_ERROR = 0, DR_WARNING = 1, DR_EXPIRING = 2 };

/* One key of a Secret: decoded bytes (wiped when freed). */
struct dr_kv {
    char *key;
    unsigned char *val;
    size_t len;
};

struct dr_secret {
    char *name, *ns, *type;
    char *context;          /* live: the kube context; files: NULL */
    char *file;             /* where it was read ("context NAME" when live) */
    int line;
    struct dr_kv *kv;
    size_t n;
};

struct dr_cluster {
    size_t doc;             /* index into dr_state.docs */
    yaml_node_t *root;
    char *file, *context;
    char *name, *ns;
};

struct dr_finding {
    enum dr_sev sev;
    char *code;             /* rule: "K3", "S5", ... */
    char *object;           /* "K8ssandraCluster/demo", "Secret/server-certs" */
    char *key;              /* field path or Secret key; may be NULL */
    char *where;            /* file[:line] or "context NAME"; may be NULL */
    char *what, *breaks, *fix;
};

struct dr_state {
    yaml_document_t *docs;
    size_t ndocs;
    struct dr_cluster *cl;
    size_t ncl;
    struct dr_secret *sec;
    size_t nsec;
    struct dr_finding *f;
    size_t nf;
    /* options */
    const char *crd_path;   /* --crd, or NULL for the shipped one */
    long expiring_days;     /* --expiring (default 30) */
    const char **contexts;  /* live mode: control plane first; NULL/0 in files mode */
    size_t ncontexts;
    const char *namespace_; /* --namespace (live) */
    const char *kubeconfig;
    const char *source;     /* files mode: the first PATH (for the fix commands) */
};

void dr_state_free(struct dr_state *s);

/* load.c: reads a file (every YAML document, Lists expanded) or a directory (its *.yaml and
 * *.yml files, sub-directories too, in name order). context: the kube context the objects come
 * from (live), or NULL. Returns 0 or -1 with e set (unreadable input). */
int dr_load_path(struct dr_state *s, const char *path, struct k8tls_err *e);
int dr_load_buffer(struct dr_state *s, const char *name, const char *buf, size_t len,
                   const char *context, struct k8tls_err *e);
/* The Secret named name in namespace ns (NULL: any) and context (NULL: any), or NULL. */
struct dr_secret *dr_secret_find(struct dr_state *s, const char *name, const char *ns,
                                 const char *context);
const struct dr_kv *dr_secret_key(const struct dr_secret *sec, const char *key);

/* live.c: `kubectl get k8ssandraclusters,secrets -o yaml` in every context. Returns 0, or -1
 * with e set (status K8TLS_ENVIRONMENT when kubectl failed). */
int dr_load_live(struct dr_state *s, struct k8tls_err *e);

/* checks.c */
void dr_check_all(struct dr_state *s);
void dr_add(struct dr_state *s, enum dr_sev sev, const char *code, const char *object,
            const char *key, const char *where, const char *breaks, const char *fix,
            const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* report.c */
void dr_print_text(const struct dr_state *s, FILE *out);
void dr_print_json(const struct dr_state *s, FILE *out);
size_t dr_count(const struct dr_state *s, enum dr_sev sev);

#endif
