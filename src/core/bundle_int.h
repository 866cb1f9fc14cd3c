/* Internal interfaces between the bundle's source files. Not for other modules: use bundle.h /
 * output.h. The calls go one way, from the top down:
 *   bundle.c     the top: calls secrets.c, manifest.c, merge.c, nextsteps.c, changes.c
 *   merge.c      calls manifest.c, changes.c
 *   manifest.c   calls changes.c, secrets.c
 *   nextsteps.c  calls changes.c, secrets.c
 *   certmanager.c, certmanager_doc.c (cert-manager mode) call secrets.c through the sink
 *   secrets.c    calls no other file of the bundle
 *   changes.c    the bottom: calls no other file of the bundle */
#ifndef K8TLS_BUNDLE_INT_H
#define K8TLS_BUNDLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/bundle.h"
#include "ydoc.h"

#define K8TLS_MANAGED_BY_LABEL "app.kubernetes.io/managed-by"
#define K8TLS_MANAGED_BY_VALUE "k8tls-wizard"
#define K8TLS_CLUSTER_API_VERSION "k8ssandra.io/v1alpha1"

/* The Medusa Secret's fixed keys (K8; the names the docs' manual procedure uses). */
#define K8TLS_MEDUSA_KEY_CA "rootca.crt"
#define K8TLS_MEDUSA_KEY_CERT "client.crt_signed"
#define K8TLS_MEDUSA_KEY_KEY "client.key"

/* One Secret data entry: exact bytes (base64-encoded on output). */
struct k8tls_kv {
    const char *key;
    const unsigned char *data;
    size_t len;
};

/* Below the bundle, any of them may call ydoc.c, the plan (plan.h), err.c, buf.c and yamlutil.c;
 * none of those calls back into the bundle. */

/* secrets.c: a v1 Secret (type Opaque) with the managed-by label; data keys sorted as kubectl
 * does. Returns 0 or -1 (e filled). *out is secret material (wipe it). */
int k8tls_secret_manifest(const char *name, const char *ns, const struct k8tls_kv *items,
                          size_t n, char **out, size_t *len, struct k8tls_err *e);
/* secrets.c: the same with another Secret type ("kubernetes.io/tls": M1). */
int k8tls_secret_manifest_typed(const char *name, const char *ns, const char *type,
                                const struct k8tls_kv *items, size_t n, char **out, size_t *len,
                                struct k8tls_err *e);
/* secrets.c: the same with one annotation (akey: aval; none when akey is NULL). */
int k8tls_secret_manifest_annotated(const char *name, const char *ns, const char *type,
                                    const char *akey, const char *aval,
                                    const struct k8tls_kv *items, size_t n, char **out,
                                    size_t *len, struct k8tls_err *e);
/* M2: cass-operator re-validates a datacenter when a Secret annotated with its name changes */
#define K8TLS_DC_ANNOTATION "cassandra.datastax.com/datacenter"
/* The keys of the PEM Secrets of SPEC §10 (M1, R1, G1) and of Reaper's JKS Secrets (R1, R2). */
#define K8TLS_TLS_KEY_CA "ca.crt"
#define K8TLS_TLS_KEY_CERT "tls.crt"
#define K8TLS_TLS_KEY_KEY "tls.key"
#define K8TLS_REAPER_KEY_KEYSTORE "keystore.jks"
#define K8TLS_REAPER_KEY_TRUSTSTORE "truststore.jks"
/* Where NEXT-STEPS.md copies clients/ (O1) inside a Cassandra pod; clients/cqlshrc names it. */
#define K8TLS_CLIENTS_DIR "/tmp/k8tls-clients"
/* secrets.c: a v1 Namespace with the managed-by label. */
int k8tls_namespace_manifest(const char *ns, char **out, size_t *len, struct k8tls_err *e);

/* The names the bundle's objects use: the plan's, or in merge mode the manifest's. */
struct k8tls_identity {
    char *name;        /* K8ssandraCluster metadata.name */
    char *namespace_;  /* where the cluster and every Secret live */
    bool dse;          /* serverType dse: keystore_type / truststore_type (K5) */
    /* merge: the manifest has no metadata.namespace and the answers name none: the cluster and
     * the Secrets are written without one, for namespace_ (kustomization.yaml's namespace:) */
    bool no_namespace;
};
void k8tls_identity_clear(struct k8tls_identity *id);

/* manifest.c: the K8ssandraCluster for a new cluster. */
int k8tls_manifest_new(const struct k8tls_plan *p, char **out, size_t *len, struct k8tls_err *e);
/* manifest.c: sets or replaces the encryption parts (K1-K8, K10, K13) in the K8ssandraCluster
 * mapping root of y. When track is given, what changed is added to track->changes and explained
 * in track->notes; file names the manifest in messages (line:col of the offending node). */
int k8tls_manifest_apply_encryption(struct ydoc *y, int root, const struct k8tls_plan *p,
                                    bool dse, const char *file, struct k8tls_bundle *track,
                                    struct k8tls_err *e);

/* merge.c: reads plan->cluster.manifest, applies the encryption, emits the K8ssandraCluster.
 * Fills id with the manifest's identity; changes and notes go to b. */
int k8tls_manifest_merge(const struct k8tls_plan *p, struct k8tls_bundle *b, char **out,
                         size_t *len, struct k8tls_identity *id, struct k8tls_err *e);

/* changes.c: records a change (path copied). Returns 0 or -1 (OOM). */
int k8tls_bundle_add_change(struct k8tls_bundle *b, int what, const char *path);
/* changes.c: frees the changes of b; b has none afterwards. */
void k8tls_bundle_clear_changes(struct k8tls_bundle *b);

/* nextsteps.c: the end of NEXT-STEPS.md (a merge's changes, the notes), for both modes. */
struct k8tls_buf;
void k8tls_nextsteps_tail(struct k8tls_buf *t, const struct k8tls_plan *p,
                          const struct k8tls_bundle *b);
/* nextsteps.c: NEXT-STEPS.md for this plan and material. */
int k8tls_nextsteps_text(const struct k8tls_plan *p, const struct k8tls_material *m,
                         const struct k8tls_identity *id, const struct k8tls_bundle *b,
                         char **out, size_t *len, struct k8tls_err *e);

/* certmanager.c: cert-manager mode (SPEC §11). The emitter hands every object to the sink, in
 * apply order: add takes a YAML text it now owns (path manifests/NN-kind-name.yaml, k8s_kind
 * "Issuer", "ClusterIssuer", "Certificate" or "Bundle"); secret builds and adds a Secret (a
 * password Secret, the imported CA's) in namespace ns (NULL: none), refusing a name used twice.
 * Both return 0 or -1 with the error in the bundle's diagnostics. */
struct k8tls_cm_sink {
    void *ud;
    int (*add)(void *ud, const char *path, char *yaml, size_t len, const char *k8s_kind,
               const char *name, const char *ns);
    int (*secret)(void *ud, const char *plan_path, const char *name, const char *type,
                  const char *ns, const struct k8tls_kv *items, size_t n);
};
/* The Secrets, Issuers, Certificates and Bundle of a plan (the cluster is the caller's). Errors
 * go to d with the plan key they concern. Returns 0 or -1. */
int k8tls_cm_emit(const struct k8tls_plan *p, const struct k8tls_material *m,
                  const struct k8tls_identity *id, const struct k8tls_cm_sink *sink,
                  struct k8tls_diags *d);
/* certmanager_doc.c: NEXT-STEPS.md of a cert-manager bundle (install checks, apply, waiting for
 * the Certificates, renewal). */
int k8tls_cm_nextsteps_text(const struct k8tls_plan *p, const struct k8tls_identity *id,
                            const struct k8tls_bundle *b, char **out, size_t *len,
                            struct k8tls_err *e);

#endif
