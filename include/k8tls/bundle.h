/* The bundle: the list of named artifacts produced from a plan and its material.
 * Preview (TUI), output directory and kubectl apply are three consumers of the same list.
 * Implemented in src/core: bundle.c (building, the container, previews), changes.c (the changes
 * of a merge), secrets.c (kustomization); see src/core/bundle_int.h for the order of calls. */
#ifndef K8TLS_BUNDLE_H
#define K8TLS_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/pki.h"

/* The output directory layout, shared by output, inspect, rotate and the TUI:
 *   kustomization.yaml                   resources: the manifests below, in apply order
 *   manifests/00-namespace.yaml          only with --create-namespace
 *   manifests/10-secret-<name>.yaml      one per Secret (0600)
 *   manifests/20-k8ssandracluster.yaml
 *   ca/rootca.crt, ca/rootca.key         (key 0600, unencrypted PKCS#8)
 *   stores/<secret-name>/keystore, truststore, keystore-password, truststore-password (0600)
 *   medusa/rootca.crt, medusa/client.crt_signed, medusa/client.key (key 0600)
 *   tls/<secret-name>/ca.crt, tls.crt, tls.key (key 0600) or keystore.jks, truststore.jks
 *                                        (0600): the Secrets of SPEC §10, when turned on
 *   clients/ca.pem, client.crt, client.key, cqlshrc, nodetool-ssl.properties (O1,
 *                                        --client-files; key and properties 0600)
 *   answers.yaml                         passwords only as env:/file: references
 *   NEXT-STEPS.md
 * `kubectl apply -k DIR` or `kubectl apply -f DIR/manifests` applies it.
 * With output.mode cert-manager the directory holds no keys: k8tls/certmanager.h. */
enum k8tls_artifact_kind {
    K8TLS_ART_NAMESPACE,      /* a v1 Namespace manifest */
    K8TLS_ART_SECRET,         /* a v1 Secret manifest */
    K8TLS_ART_CLUSTER,        /* the K8ssandraCluster manifest */
    K8TLS_ART_KUSTOMIZATION,
    K8TLS_ART_CA_CERT, K8TLS_ART_CA_KEY,
    K8TLS_ART_STORE,          /* raw keystore / truststore */
    K8TLS_ART_PEM,            /* Medusa PEM files */
    K8TLS_ART_ANSWERS,        /* the answers used (no clear passwords) */
    K8TLS_ART_DOC,            /* NEXT-STEPS.md */
    K8TLS_ART_PASSWORD,       /* a store password file (0600) */
    K8TLS_ART_CM_OBJECT,      /* cert-manager mode: an Issuer, ClusterIssuer, Certificate or
                                 trust-manager Bundle (k8s_kind says which; k8tls/certmanager.h) */
};

struct k8tls_artifact {
    char *path;               /* relative to the output directory, e.g. "manifests/10-secret-server-encryption-stores.yaml" */
    unsigned char *data;
    size_t len;
    mode_t mode;              /* 0600 for keys, stores, Secrets; 0644 otherwise */
    enum k8tls_artifact_kind kind;
    bool secret;              /* holds secret material: wiped on free, masked in previews */
    char *k8s_kind;           /* "Secret", "K8ssandraCluster", "Namespace", in cert-manager mode
                                 "Issuer", "ClusterIssuer", "Certificate", "Bundle"; or NULL */
    char *k8s_name;
    char *k8s_namespace;
};

/* What a merge changed, for the user. */
struct k8tls_change {
    enum { K8TLS_CHANGE_ADDED, K8TLS_CHANGE_REPLACED, K8TLS_CHANGE_MIGRATED, K8TLS_CHANGE_REMOVED } what;
    char *path;               /* e.g. "spec.cassandra.serverEncryptionStores" */
};

struct k8tls_bundle {
    struct k8tls_artifact *v;
    size_t n;
    struct k8tls_change *changes;
    size_t n_changes;
    struct k8tls_diags notes;      /* warnings to show (K12, K15, expiry...) */
};

/* plan + material -> bundle (Secrets, manifest or merged manifest, kustomization, files,
 * NEXT-STEPS.md). Returns 0 or -1 with errors in d. */
int k8tls_bundle_build(const struct k8tls_plan *p, const struct k8tls_material *m,
                       struct k8tls_bundle **out, struct k8tls_diags *d);
/* The whole pipeline: adopt_manifest + validate + resolve + pki_build + bundle_build. On success
 * the warnings of every step are in (*out)->notes; on failure everything is in d. */
int k8tls_bundle_from_plan(struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                           struct k8tls_bundle **out, struct k8tls_diags *d);
/* Merge mode (plan->cluster.manifest set): reads the manifest and takes from it what shapes the
 * certificates and the Secrets: metadata.name, metadata.namespace (when set), serverType,
 * serverVersion, the datacenters (name, size, k8sContext) and whether Medusa, Stargate and
 * Reaper are there. Each value that differs from the plan is reported as a note in d. Call it
 * before k8tls_pki_build (k8tls_bundle_from_plan does). No-op without a manifest. Returns 0, or
 * -1 with the reason in d (file:line:col; no K8ssandraCluster, several, not YAML...). */
int k8tls_bundle_adopt_manifest(struct k8tls_plan *p, struct k8tls_diags *d);
void k8tls_bundle_free(struct k8tls_bundle *b);
const struct k8tls_artifact *k8tls_bundle_find(const struct k8tls_bundle *b, const char *path);

/* Editing a built bundle (rotation replaces some files of the one k8tls_bundle_build made).
 * k8tls_bundle_add appends an artifact that is no Kubernetes object (k8s_kind, k8s_name,
 * k8s_namespace NULL): path is copied, data is taken over, and freed (wiped first when secret)
 * on failure too. k8tls_bundle_add_copy appends a copy of the len bytes at src. Both return 0, or
 * -1 when memory runs out. k8tls_bundle_remove_kind removes every artifact of that kind (secret
 * data wiped); the others keep their order. */
int k8tls_bundle_add(struct k8tls_bundle *b, const char *path, void *data, size_t len, mode_t mode,
                     enum k8tls_artifact_kind kind, bool secret);
int k8tls_bundle_add_copy(struct k8tls_bundle *b, const char *path, const void *src, size_t len,
                          mode_t mode, enum k8tls_artifact_kind kind, bool secret);
void k8tls_bundle_remove_kind(struct k8tls_bundle *b, enum k8tls_artifact_kind kind);
/* kustomization.yaml listing resources (paths relative to it) in that order, through libyaml
 * (the bundle's own, and rotation's that lists the Secrets only). Returns 0 or -1 (e filled). */
int k8tls_bundle_kustomization(const char *const *resources, size_t n, char **out, size_t *len,
                               struct k8tls_err *e);
/* The same; fifo: with sortOptions {order: fifo}, so that kustomize (kubectl apply -k) keeps this
 * order instead of sorting by kind (cert-manager mode: Issuers before Certificates, the trust
 * Bundle before the cluster). */
int k8tls_bundle_kustomization_ordered(const char *const *resources, size_t n, bool fifo,
                                       char **out, size_t *len, struct k8tls_err *e);

/* The verb of a change, translated: "added", "replaced", "migrated", "removed". */
const char *k8tls_change_verb(int what);
/* The merge changes as text: a heading then one "  verb: path" line each, every line ending in
 * '\n'; "" for a new manifest (no changes) or b NULL. For the CLI, after the notes (the paths
 * come from the manifest file: escape before printing). Returns a malloc'd string, or NULL when
 * memory runs out. */
char *k8tls_bundle_changes_text(const struct k8tls_bundle *b);

/* Text of an artifact for a preview: Secret data values and passwords replaced by a mask unless
 * revealed. reveal(ud, key) says whether the Secret data key (or password artifact) is revealed.
 * Returns a malloc'd NUL-terminated string. */
char *k8tls_artifact_preview(const struct k8tls_artifact *a,
                             bool (*reveal)(void *ud, const char *key), void *ud);

#endif
