/* Keystores and truststores: PKCS#12 (with Java's trust attribute) and JKS, written and read
 * natively (S1-S4). Writers: src/core/pkcs12.c, jks_write.c; readers: store_read.c (PKCS#12,
 * files, sniffing), jks_read.c, store_obj.c (store objects), pem.c (PEM files); import
 * validation: import.c. */
#ifndef K8TLS_STORE_H
#define K8TLS_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"

/* ---- writing ---------------------------------------------------------------------------- */

/* A keystore with one private-key entry: key + leaf + chain (CA certs), key password = store
 * password, lowercase alias (S2). profile applies to PKCS#12 only. */
int k8tls_store_write_keystore(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                               const char *alias, EVP_PKEY *key, X509 *leaf,
                               STACK_OF(X509) *chain, const char *password,
                               struct k8tls_secret **out, struct k8tls_err *e);
/* A truststore of trusted-certificate entries, one per CA (aliases "ca", "ca-2", ...); PKCS#12
 * bags carry the Java trust attribute (S1). */
int k8tls_store_write_truststore(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                                 STACK_OF(X509) *cas, const char *password,
                                 struct k8tls_secret **out, struct k8tls_err *e);

/* ---- reading ---------------------------------------------------------------------------- */

enum k8tls_entry_type { K8TLS_ENTRY_PRIVATE_KEY, K8TLS_ENTRY_TRUSTED_CERT };

struct k8tls_store_entry {
    char *alias;
    enum k8tls_entry_type type;
    EVP_PKEY *key;            /* private key entries */
    X509 *cert;               /* the entry's certificate (leaf, or the trusted cert) */
    STACK_OF(X509) *chain;    /* private key entries: the certificates after the leaf */
    int64_t timestamp_ms;     /* JKS only, else 0 */
    /* PKCS#12 only, set by the reader: a certificate bag with no key and no Java trust attribute
     * (S1). It is listed as a trusted-cert entry, but Java does not see it. */
    bool p12_no_java_trust;
};

struct k8tls_store {
    enum k8tls_store_format format;
    struct k8tls_store_entry *v;
    size_t n;
};

/* Reads a PKCS#12 or JKS store (detected from the bytes) with its password. Hostile input:
 * bounded, never crashes; errors name 'name' (the file) and say what is wrong
 * ("wrong password", "not a keystore", "truncated", ...). */
int k8tls_store_read(const unsigned char *data, size_t len, const char *name,
                     const char *password, struct k8tls_store **out, struct k8tls_err *e);
int k8tls_store_read_file(const char *path, const char *password, struct k8tls_store **out,
                          struct k8tls_err *e);
void k8tls_store_free(struct k8tls_store *s);
/* A PKCS#12 certificate bag listed as entry i only because no key claimed it, while it is a copy
 * of the certificate or of a chain certificate of a private-key entry: it belongs to that chain
 * and is not a trusted certificate (Java ignores the copy). Returns the index of that private-key
 * entry, or -1 (entry i is what its type says). */
long k8tls_store_chain_copy_of(const struct k8tls_store *s, size_t i);

/* What a buffer holds, from its first bytes (no password needed). */
enum k8tls_sniff {
    K8TLS_SNIFF_UNKNOWN,
    K8TLS_SNIFF_JKS,          /* magic FEEDFEED */
    K8TLS_SNIFF_JCEKS,        /* magic CECECECE (not supported) */
    K8TLS_SNIFF_DER,          /* a DER SEQUENCE: PKCS#12, or a DER certificate */
    K8TLS_SNIFF_PEM,          /* text with a "-----BEGIN " line */
    K8TLS_SNIFF_TEXT,         /* other text (YAML, a password...) */
};
enum k8tls_sniff k8tls_store_sniff(const unsigned char *data, size_t len);

/* Largest file the readers accept (stores, PEM, Secret YAML). */
#define K8TLS_READ_MAX_BYTES ((size_t)16 << 20)
/* Largest PKCS#12 iteration count accepted (the MAC's, each PBKDF2 or PKCS#12 PBE, scrypt's
 * N * r * p): a larger one is a suspicious iteration count, refused before any key derivation.
 * Java and OpenSSL write 2048 to 10000; hardened stores use some hundred thousand. */
#define K8TLS_P12_MAX_ITER 10000000L
/* ... and the most iterations one store may ask for in all (MAC and every encrypted part). */
#define K8TLS_P12_MAX_TOTAL_ITER (2 * K8TLS_P12_MAX_ITER)
/* Reads a whole file (at most max bytes, else an error naming the file) into a wiping buffer. */
int k8tls_store_read_bytes(const char *path, size_t max, struct k8tls_secret **out,
                           struct k8tls_err *e);

/* PEM (or one DER certificate): every certificate of the buffer, in order. Blocks that are not
 * certificates are skipped. Returns 0 with *out non-empty, or -1 with e naming 'name'
 * ("holds no certificate", "certificate 2 is corrupted"). */
int k8tls_pem_read_certs(const unsigned char *data, size_t len, const char *name,
                         STACK_OF(X509) **out, struct k8tls_err *e);
/* The (first) private key of a PEM buffer: PKCS#8, encrypted PKCS#8 or traditional, decrypted
 * with password (NULL: none). Never asks on a terminal. *encrypted (may be NULL) says whether the
 * PEM was encrypted. Returns 0, or -1 with e ("holds no private key", "wrong password", ...). */
int k8tls_pem_read_key(const unsigned char *data, size_t len, const char *name,
                       const char *password, EVP_PKEY **out, bool *encrypted,
                       struct k8tls_err *e);
/* "RSA 3072", "EC P-256", "Ed25519"... into buf. */
const char *k8tls_pkey_describe(const EVP_PKEY *k, char *buf, size_t len);

/* JKS codec (S3) used by the two functions above. */
int k8tls_jks_encode(const struct k8tls_store *s, const char *password, struct k8tls_secret **out,
                     struct k8tls_err *e);
int k8tls_jks_decode(const unsigned char *data, size_t len, const char *name, const char *password,
                     struct k8tls_store **out, struct k8tls_err *e);

/* ---- import validation (S8), used by k8tls_pki_build for 'import' sources ----------------- */

/* ca.source: import: reads the CA cert + key (encrypted with the password if given); checks it is
 * a CA (basicConstraints CA:TRUE), the key matches, not expired. */
int k8tls_import_ca(const struct k8tls_plan *p, X509 **cert, EVP_PKEY **key, struct k8tls_diags *d);
/* encryption.<surface>.ca.source: import (prefix "encryption.managementApi.ca"...): the same
 * checks; the key is required (it signs the surface's certificates). */
int k8tls_import_surface_ca(const struct k8tls_plan *p, const struct k8tls_surface_ca *sc,
                            const char *prefix, X509 **cert, EVP_PKEY **key,
                            struct k8tls_diags *d);
/* stores.server / stores.client: import: opens both stores with their passwords, checks one key
 * entry whose key matches its certificate, the chain reaches a CA in the truststore, expiry (warn
 * < 30 days, refuse expired), missing SANs (warn). Fills out (bytes kept as they are). */
int k8tls_import_store_pair(const struct k8tls_plan *p, const struct k8tls_store_set *set,
                            const char *label, struct k8tls_store_pair *out, struct k8tls_diags *d);
/* encryption.medusa: import: the CA, client cert and key PEMs; key matches, cert signed by the CA,
 * and that CA is trusted by the client truststore (trusted may be NULL when unknown). */
int k8tls_import_medusa(const struct k8tls_plan *p, STACK_OF(X509) *trusted,
                        struct k8tls_material *m, struct k8tls_diags *d);

#endif
