/* PKI and stores: keys, the CA, leaf and Medusa certificates, PKCS#12 and JKS. Implemented in
 * src/core/pki.c (the plan's material, certificates, store pairs), keygen.c (keys), sans.c (node
 * SANs) and pem.c (PEM text). */
#ifndef K8TLS_PKI_H
#define K8TLS_PKI_H

#include <stdbool.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "k8tls/strv.h"

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

/* A certificate with its CA and key as PEM: the Secrets of keys ca.crt, tls.crt, tls.key of the
 * management API (M1), Reaper's API client (R1) and Medusa's gRPC (G1). */
struct k8tls_pem_trio {
    bool present;
    char *ca_pem;                        /* ca.crt: the CA that verifies the peers */
    char *cert_pem;                      /* tls.crt */
    struct k8tls_secret *key_pem;        /* tls.key: unencrypted PKCS#8 ("PRIVATE KEY") */
    X509 *cert;
};

/* Reaper hard-codes this password for its stores and their key entry (R1, R2): not a secret. */
#define K8TLS_REAPER_STORE_PASSWORD "changeit"

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
    /* SPEC §10, from the cluster CA; present only when the plan wants the surface */
    struct k8tls_pem_trio mgmt_server, mgmt_client;      /* M1 */
    struct k8tls_store_pair reaper_server;               /* R1: JKS keystore.jks/truststore.jks */
    struct k8tls_pem_trio reaper_client;                 /* R1 */
    struct k8tls_store_pair reaper_mgmt;                 /* R2: JKS, a management API client */
    struct k8tls_pem_trio grpc_server, grpc_client;      /* G1 */
    struct k8tls_pem_trio ops_client;                    /* O1: cqlsh's client certificate */
};

/* plan -> material: generates (keys concurrently on worker threads) or imports and validates
 * (S8) everything the plan needs. Problems (wrong password, expired, chain, ...) are added to d
 * naming the file; returns 0, or -1 with at least one error in d. progress may be NULL. */
int k8tls_pki_build(const struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                    struct k8tls_material **out, struct k8tls_diags *d);
void k8tls_material_free(struct k8tls_material *m);

/* The SANs of S5 for a plan's node certificates (cluster service names, localhost, 127.0.0.1,
 * extraSANs). Returns a NULL-terminated heap array of heap strings; free with k8tls_strv_free.
 * Implemented in src/core/sans.c. */
char **k8tls_pki_node_sans(const struct k8tls_plan *p);

/* ---- building blocks (used by k8tls_pki_build; meant for rotation/renewal too) ------------- */

/* One key to generate. label is not copied; spec.set is ignored (alg/bits/curve are used).
 * Outputs: key (owned by the caller once filled), error (empty on success), and for diagnostics
 * and tests the CLOCK_MONOTONIC start/finish times and the worker's thread. */
struct k8tls_keygen_job {
    const char *label;
    struct k8tls_key_spec spec;
    EVP_PKEY *key;
    char error[256];
    struct timespec started, finished;
    unsigned long thread;                /* pthread_self() of the worker, as an integer */
};

/* Generates one key: RSA 2048/3072/4096 or ECDSA P-256/P-384 (OpenSSL's CSPRNG). NULL + e on
 * failure (unsupported size, OpenSSL error). */
EVP_PKEY *k8tls_pki_keygen(const struct k8tls_key_spec *spec, struct k8tls_err *e);

/* Generates every job's key concurrently, one worker thread per job (a job whose thread cannot be
 * created runs on the calling thread). progress (may be NULL) is called from the worker as each key
 * finishes, not serialised: 'done' values can arrive slightly out of order, take the maximum.
 * Returns 0 when every key was made; else -1, e names the first failed job, and every key that
 * was made is freed (jobs[i].key = NULL). */
int k8tls_pki_keygen_parallel(struct k8tls_keygen_job *jobs, size_t n, k8tls_progress_cb progress,
                              void *ud, struct k8tls_err *e);

/* The algorithm of an existing key as a key spec (set = true): for leaves that follow an
 * imported CA's algorithm. Returns 0, or -1 for a key type the stores do not support. */
int k8tls_pki_key_spec_of(EVP_PKEY *key, struct k8tls_key_spec *out);

/* A self-signed root CA: X.509 v3, random positive 128-bit serial, subject from 'subject' (empty
 * fields skipped; at least one needed), basicConstraints CA:TRUE critical, keyUsage
 * keyCertSign+cRLSign critical, subject and authority key ids, notBefore now - 5 min, notAfter
 * now + validity_days, SHA-256 signature. */
X509 *k8tls_pki_make_ca(EVP_PKEY *key, const struct k8tls_subject *subject, int validity_days,
                        struct k8tls_err *e);

/* What a leaf certificate says. */
struct k8tls_leaf_params {
    const char *cn;              /* subject CN; O and OU are copied from the CA's subject */
    char *const *sans;           /* NULL-terminated, may be NULL: IP literals become IP SANs */
    bool server_auth;            /* EKU serverAuth */
    bool client_auth;            /* EKU clientAuth */
    int validity_days;           /* capped at the CA's notAfter */
};

/* A leaf signed by (ca_cert, ca_key): X.509 v3, random serial, basicConstraints CA:FALSE,
 * keyUsage digitalSignature (+keyEncipherment for RSA keys), EKU as asked, SANs, key ids,
 * SHA-256 signature (an Ed25519/Ed448 CA signs with EdDSA, which takes no digest). *capped (may be NULL) is set when notAfter was cut to the CA's. Works with
 * any CA that has its key: a new one, an imported one, or the current CA during a rotation. */
X509 *k8tls_pki_make_leaf(X509 *ca_cert, EVP_PKEY *ca_key, EVP_PKEY *leaf_key,
                          const struct k8tls_leaf_params *lp, bool *capped, struct k8tls_err *e);

/* Encodes a keystore (alias, key, leaf, chain) and a truststore ('trusted': one entry per CA,
 * e.g. the old and the new CA during a rotation) into out, taking copies of the passwords and
 * references to the certificates. Passwords must be non-empty. On failure out is cleared. */
int k8tls_pki_make_store_pair(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                              const char *alias, EVP_PKEY *key, X509 *leaf, STACK_OF(X509) *chain,
                              STACK_OF(X509) *trusted, const char *keystore_password,
                              const char *truststore_password, struct k8tls_store_pair *out,
                              struct k8tls_err *e);
/* Frees and wipes what a store pair holds, leaving it zeroed (present = false). */
void k8tls_store_pair_clear(struct k8tls_store_pair *sp);

/* PEM text of a certificate (heap string), of several one after the other ("" for none), and
 * of a private key as unencrypted PKCS#8 ("BEGIN PRIVATE KEY", wiped on free). NULL + e on
 * failure (e may be NULL). Implemented in src/core/pem.c. */
char *k8tls_pki_cert_pem(X509 *cert, struct k8tls_err *e);
char *k8tls_pki_certs_pem(STACK_OF(X509) *certs, struct k8tls_err *e);
struct k8tls_secret *k8tls_pki_key_pem(EVP_PKEY *key, struct k8tls_err *e);

#endif
