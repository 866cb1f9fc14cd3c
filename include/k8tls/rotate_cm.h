/* CA rotation of a cert-manager output (SPEC §11 C6), src/core/rotate_cm.c.
 *
 * A cert-manager output holds no keys or stores: cert-manager issues them inside the cluster.
 * Its CA rotation is a change of the objects: the same three phases as the files mode's, each a
 * bundle of the output's cert-manager objects (Secrets, Issuers, Certificates, the trust-manager
 * Bundle; never the K8ssandraCluster, whose refs do not change) followed by a rolling restart:
 *
 *   trust    a new CA (a CA Certificate and a CA Issuer on its Secret; with an imported CA, its
 *            Secret made from the key given with --ca-key) and the Bundle's sources hold the old
 *            and the new CA; the leaf Certificates still name the old CA Issuer. (steady -> trusting)
 *   reissue  the leaf Certificates name the new CA Issuer; the Bundle still holds both CAs.
 *            NEXT-STEPS.md says how to make cert-manager issue them again.  (trusting -> reissued)
 *   retire   the Bundle holds only the new CA; the old CA's objects leave the bundle
 *            (NEXT-STEPS.md says how to delete them).                      (reissued -> steady)
 *
 * Without trust-manager (output.trustManager false) each truststore cert-manager writes holds
 * the one CA of its issuer, so the phases are refused with that reason. Where the output stands
 * comes from its objects (which CA Issuer the leaves name, which CA Secrets the Bundle's sources
 * name) and from rotation.yaml, which each phase writes. */
#ifndef K8TLS_ROTATE_CM_H
#define K8TLS_ROTATE_CM_H

#include <stdbool.h>
#include "k8tls/bundle.h"
#include "k8tls/err.h"
#include "k8tls/rotate.h"

struct k8tls_rotate_cm;

/* Is DIR a cert-manager output (its answers.yaml says output.mode: cert-manager)? 1 yes, 0 no
 * (or no answers.yaml: the files mode's code says what is wrong). */
int k8tls_rotate_cm_detect(const char *dir);

/* Reads DIR: answers.yaml, kustomization.yaml and the manifests it lists, rotation.yaml. Returns
 * 0, or -1 with the problems in d (file:line:col). */
int k8tls_rotate_cm_load(const char *dir, struct k8tls_rotate_cm **out, struct k8tls_diags *d);
void k8tls_rotate_cm_free(struct k8tls_rotate_cm *c);

/* What was found, for a person: several lines, each ending in '\n' (a heap string). */
char *k8tls_rotate_cm_summary(const struct k8tls_rotate_cm *c);

/* As k8tls_rotate_plan: proposes (asked NONE) or checks the asked phase. Refusals (renew: cert-
 * manager renews by itself; no trust-manager; a phase out of order; an imported CA without
 * --ca-key) are errors in d. Returns 0 or -1. */
int k8tls_rotate_cm_plan(const struct k8tls_rotate_cm *c, enum k8tls_rotate_phase asked,
                         const struct k8tls_rotate_opts *o, struct k8tls_rotate_decision *out,
                         struct k8tls_diags *d);

/* Builds the phase's bundle (k8tls_rotate_cm_plan first); out_dir is where it will be written
 * (NEXT-STEPS.md names it). Returns 0, or -1 with errors in d. */
int k8tls_rotate_cm_run(const struct k8tls_rotate_cm *c, enum k8tls_rotate_phase phase,
                        const struct k8tls_rotate_opts *o, const char *out_dir,
                        struct k8tls_bundle **out, struct k8tls_diags *d);

/* The output's plan (for k8tls_kube_apply). */
const struct k8tls_plan *k8tls_rotate_cm_plan_of(const struct k8tls_rotate_cm *c);

#endif
