/* The staged rollout's next phase from the previous phase's output directory (`k8tls-wizard
 * enable --from DIR`): DIR is read as `rotate --from DIR` reads it (answers.yaml, the Secrets'
 * stores opened with their passwords, ca/rootca.*), and the new phase's bundle keeps its CA,
 * stores, passwords and Secret names byte for byte; only the K8ssandraCluster (merged into DIR's
 * manifest: the phase's cassandraYaml values and annotation), answers.yaml and NEXT-STEPS.md
 * change. Implemented in src/core/enable.c. */
#ifndef K8TLS_ENABLE_H
#define K8TLS_ENABLE_H

#include <stdbool.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/bundle.h"
#include "k8tls/rollout.h"

struct k8tls_rotate_state;

/* A previous phase's directory as read. */
struct k8tls_enable_prev {
    char *dir;
    char *manifest;                     /* DIR/manifests/20-k8ssandracluster.yaml */
    struct k8tls_plan *plan;            /* DIR/answers.yaml; cluster.manifest = manifest, adopted */
    struct k8tls_rollout_stage stage;   /* of DIR's manifest */
    struct k8tls_rotate_state *rs;      /* the Secrets, the CA and its key */
};

/* Reads DIR. Problems are errors in d (naming the file); a directory that is no phase of a staged
 * rollout (no annotation, rollout.mode not staged, a CA rotation under way) is refused with one
 * error. Returns 0, -1 (exit 1) or -3 (environment). */
int k8tls_enable_load_dir(const char *dir, struct k8tls_enable_prev **out, struct k8tls_diags *d);
void k8tls_enable_prev_free(struct k8tls_enable_prev *pv);

/* Builds the bundle of phase ph (pv->plan->rollout set to it) from pv's material: the same CA,
 * stores and passwords. Returns 0, or -1 with errors in d. */
int k8tls_enable_build(struct k8tls_enable_prev *pv, enum k8tls_rollout_phase ph,
                       struct k8tls_bundle **out, struct k8tls_diags *d);

/* ---- the live cluster (doc/staged-rollout.md 4.3) -------------------------------------------- */

#include <time.h>

/* What the live check read. */
struct k8tls_enable_live {
    struct k8tls_rollout_stage stage;   /* the live K8ssandraCluster's cassandraYaml, annotation */
    time_t changed;                     /* when its spec last changed (metadata.managedFields:
                                         * k8tls-wizard's apply, else the latest change that is no
                                         * status update); 0 when unknown */
    char changed_text[40];
    size_t n_dcs, n_ready;              /* CassandraDatacenters found, those Ready */
    char not_ready[128];                /* the first one not Ready (or missing), "" when none */
    size_t n_pods, n_fresh, n_expected; /* Cassandra pods found, created after `changed`, and the
                                         * datacenters' sizes added up */
    char stale_pod[256];                /* the first pod created before `changed`, "" when none */
    char stale_time[40];
};

/* Reads the live cluster of plan p (cluster.name, namespace, datacenters with their k8sContext)
 * through kubectl: the K8ssandraCluster in context, each datacenter's CassandraDatacenter and its
 * pods (label cassandra.datastax.com/cluster) in its own context (k8sContext, else context).
 * Returns 0; -1 with e for a validation problem (no such K8ssandraCluster, unreadable answers);
 * -3 with e for an environment failure (kubectl missing, API unreachable, not authorized). */
int k8tls_enable_live_read(const char *kubeconfig, const char *context, const struct k8tls_plan *p,
                           struct k8tls_enable_live *out, struct k8tls_err *e);

/* Is the live cluster where phase `next` may start? prev < 0: before the first phase (no
 * encryption, no phase); else at phase prev of p everywhere: the annotation and the cassandraYaml
 * values of prev, as many datacenters as p, every CassandraDatacenter Ready, and every Cassandra
 * pod (as many as the datacenters' sizes) created after the K8ssandraCluster's change. Returns
 * true, or false with one line in why (what differs, and what to do). */
bool k8tls_enable_live_check(const struct k8tls_enable_live *l, const struct k8tls_plan *p,
                             int prev, char *why, size_t why_len);

#endif
