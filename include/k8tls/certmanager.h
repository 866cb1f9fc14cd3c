/* cert-manager output (SPEC §11): the names of the objects the wizard writes in that mode, shared
 * by the bundle (src/core/certmanager.c), the K8ssandraCluster refs (manifest.c), NEXT-STEPS.md,
 * and whoever reads or changes such a bundle (apply, rotation, the TUI's Review).
 * Layout of a cert-manager output directory (artifacts with k8s_kind set; apply order):
 *   manifests/00-namespace.yaml              with --create-namespace
 *   manifests/10-secret-<name>.yaml          password Secrets; an imported CA's Secret
 *   manifests/11-issuer-<name>.yaml          the self-signed Issuer (or ClusterIssuer)
 *   manifests/12-certificate-<name>.yaml     the CA Certificate (isCA), not with an imported CA
 *   manifests/13-issuer-<name>.yaml          the CA Issuer (or ClusterIssuer) on the CA Secret
 *   manifests/15-certificate-<secret>.yaml   one Certificate per Secret files mode would write
 *   manifests/17-bundle-<name>.yaml          the trust-manager Bundle (trustManager: true)
 *   manifests/20-k8ssandracluster.yaml
 *   kustomization.yaml, answers.yaml, NEXT-STEPS.md (no keys, no stores: cert-manager makes them) */
#ifndef K8TLS_CERTMANAGER_H
#define K8TLS_CERTMANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/bundle.h"
#include "k8tls/plan.h"

#define K8TLS_CM_API_VERSION "cert-manager.io/v1"
#define K8TLS_CM_GROUP "cert-manager.io"
#define K8TLS_TM_API_VERSION "trust.cert-manager.io/v1alpha1"
/* The default of output.certManagerNamespace: where the CA Secret of a ClusterIssuer lives
 * (cert-manager's cluster resource namespace, which its Helm chart sets to the namespace
 * cert-manager runs in) and trust-manager's trust namespace (where a Bundle reads its sources). */
#define K8TLS_CM_CLUSTER_RESOURCE_NAMESPACE "cert-manager"
/* Keys cert-manager writes into a Certificate's Secret. */
#define K8TLS_CM_KEY_CA "ca.crt"
#define K8TLS_CM_KEY_CERT "tls.crt"
#define K8TLS_CM_KEY_KEY "tls.key"
#define K8TLS_CM_KEY_KEYSTORE_P12 "keystore.p12"
#define K8TLS_CM_KEY_TRUSTSTORE_P12 "truststore.p12"
#define K8TLS_CM_KEY_KEYSTORE_JKS "keystore.jks"
#define K8TLS_CM_KEY_TRUSTSTORE_JKS "truststore.jks"
/* The keys of a password Secret the wizard writes (the cluster's password refs name them). */
#define K8TLS_CM_KEY_KEYSTORE_PASSWORD "keystore-password"
#define K8TLS_CM_KEY_TRUSTSTORE_PASSWORD "truststore-password"
/* The trust-manager Bundle's truststores hold CA certificates only (public): their password
 * guards integrity, not secrecy, and is written in the Bundle, which takes no Secret for it. */
#define K8TLS_CM_TRUST_PASSWORD "changeit"

/* The objects' names, for a plan (cluster.name as given, or as merge mode adopted it). */
enum k8tls_cm_name {
    K8TLS_CM_SELFSIGNED_ISSUER,   /* "<cluster>-selfsigned" */
    K8TLS_CM_CA_CERTIFICATE,      /* "<cluster>-ca": the CA Certificate and its Secret (or the
                                     imported CA's Secret) */
    K8TLS_CM_CA_ISSUER,           /* "<cluster>-ca-issuer" */
    K8TLS_CM_TRUST_BUNDLE,        /* "<cluster>-ca-bundle": the Bundle and its target Secret */
    K8TLS_CM_REAPER_PASSWORD,     /* "<cluster>-reaper-keystore-password": changeit (R1, R2) */
};
/* Heap string, NULL on OOM. */
char *k8tls_cm_name(const struct k8tls_plan *p, enum k8tls_cm_name what);
/* The password Secret of a store Secret: "<secret>-password". Heap string, NULL on OOM. */
char *k8tls_cm_password_secret(const char *store_secret);
/* "Issuer" or "ClusterIssuer". */
const char *k8tls_cm_issuer_kind(const struct k8tls_plan *p);
/* output.certManagerNamespace, or its default. */
const char *k8tls_cm_namespace(const struct k8tls_plan *p);
/* The namespace of the CA Certificate and CA Secret: the cluster's for an Issuer, cert-manager's
 * (k8tls_cm_namespace) for a ClusterIssuer. */
const char *k8tls_cm_ca_namespace(const struct k8tls_plan *p);
/* keystore.p12 / keystore.jks and truststore.p12 / truststore.jks for the plan's store format. */
const char *k8tls_cm_keystore_key(const struct k8tls_plan *p);
const char *k8tls_cm_truststore_key(const struct k8tls_plan *p);
/* cert-manager's PKCS#12 profile for stores.pkcs12Profile: Modern2023 (modern) or LegacyDES
 * (legacy: 3DES bags, SHA-1 MAC, as S4). LegacyRC2, cert-manager's default, is never written. */
const char *k8tls_cm_p12_profile(const struct k8tls_plan *p);
/* Is this plan in cert-manager mode? */
bool k8tls_plan_cert_manager(const struct k8tls_plan *p);

/* What an object of a cert-manager bundle makes in the cluster (for Review, apply, NEXT-STEPS):
 * a Certificate its Secret (spec.secretName, in the Certificate's namespace), the trust Bundle
 * its target Secret (named after it, in the cluster's namespace); keys are the data keys
 * cert-manager or trust-manager writes there, comma-separated ("ca.crt, tls.crt, tls.key,
 * keystore.p12, truststore.p12"). Returns false (out untouched) for an artifact that makes no
 * Secret: Issuers, the wizard's own Secrets, the cluster, files. */
struct k8tls_cm_product {
    char secret[254];
    char ns[254];           /* "" when written without a namespace */
    char keys[160];
};
bool k8tls_cm_product_of(const struct k8tls_plan *p, const struct k8tls_artifact *a,
                         struct k8tls_cm_product *out);

#endif
