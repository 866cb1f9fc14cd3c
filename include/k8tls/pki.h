/* PKI and stores: keys, the CA, leaf and Medusa certificates, PKCS#12 and JKS (SPEC §6, §7).
 * Owned by the stores work (issue 3). */
#ifndef K8TLS_PKI_H
#define K8TLS_PKI_H

#include <stdbool.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"

/* Progress of key generation: called from worker threads (serialise in the callee if needed).
 * done/total count keys; label names the key ("CA", "server", "client", "medusa"). */
typedef void (*k8tls_progress_cb)(void *ud, int done, int total, const char *label);

/* One keystore/truststore pair as encoded bytes, plus what went into it. */
struct k8tls_store_pair {
    bool present;
    enum k8tls_store_format format;
    struct k8tls_secret *keystore;       /* encoded store bytes */
    struct k8tls_secret *truststore;
    char *keystore_password;             /* wiped on free */
    char *truststore_password;
    X509 *leaf;                          /* the keystore's certificate (owned) */
    STACK_OF(X509) *trusted;             /* CA certificates in the truststore (owned) */
};

/* Everything generated or imported for a plan. */
struct k8tls_material {
    X509 *ca_cert;                       /* the (new) root CA */
    EVP_PKEY *ca_key;                    /* NULL if not available */
    char *ca_cert_pem;
    struct k8tls_secret *ca_key_pem;     /* unencrypted PKCS#8 PEM, or NULL */
    struct k8tls_store_pair server;      /* present when internode != none */
    struct k8tls_store_pair client;      /* present when client encryption is on (and not reuse) */
    bool medusa_present;
    char *medusa_ca_pem;                 /* rootca.crt */
    char *medusa_cert_pem;               /* client.crt_signed */
    struct k8tls_secret *medusa_key_pem; /* client.key, unencrypted PKCS#8 PEM */
    X509 *medusa_cert;
};

/* plan -> material: generates (keys concurrently on worker threads) or imports and validates
 * (S8) everything the plan needs. Problems (wrong password, expired, chain, ...) are added to d
 * naming the file; returns 0, or -1 with at least one error in d. progress may be NULL. */
int k8tls_pki_build(const struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                    struct k8tls_material **out, struct k8tls_diags *d);
void k8tls_material_free(struct k8tls_material *m);

/* The SANs of S5 for a plan's node certificates (cluster service names, localhost, 127.0.0.1,
 * extraSANs). Returns a NULL-terminated heap array of heap strings; free with k8tls_strv_free. */
char **k8tls_pki_node_sans(const struct k8tls_plan *p);
void k8tls_strv_free(char **v);

#endif
