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

#endif
