/* What a cert-manager bundle will make in the cluster, in words, for the Review screen's
 * "Certificates" tab: each Certificate, the issuer that signs it and the Secret (name and keys)
 * cert-manager writes for it; the Issuers; the trust-manager Bundle's target Secret; the Secrets
 * the wizard writes itself (passwords, an imported CA). Read from the artifacts' YAML (objects
 * told apart by their k8s_kind), with the key names cert-manager and trust-manager write. Pure:
 * no curses, no other TUI file (tests/unit/test_cmview.c). */
#ifndef K8TLS_TUI_CMVIEW_H
#define K8TLS_TUI_CMVIEW_H

#include <stddef.h>
#include "k8tls/bundle.h"

/* The number of Certificate objects in the bundle (0: not a cert-manager bundle). */
size_t k8tls_cmview_count(const struct k8tls_bundle *b);

/* The tab's text (markdown for the viewer: prose and "- " items), translated; heap, NULL on OOM.
 * A Certificate whose YAML cannot be read is listed with the reason. */
char *k8tls_cmview_text(const struct k8tls_bundle *b);

/* The keys of the Secret cert-manager writes for the Certificate in yaml ("tls.crt, tls.key,
 * ca.crt, keystore.p12, truststore.p12"); heap, NULL when it is no Certificate. Also gives its
 * secretName (heap, may be NULL). */
char *k8tls_cmview_cert_keys(const char *yaml, size_t len, char **secret_name);

#endif
