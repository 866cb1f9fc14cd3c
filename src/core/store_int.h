/* Helpers shared by the store readers (store_read.c, jks_read.c, import.c, inspect.c, rotate).
 * Not a public contract: include only from src/core. */
#ifndef K8TLS_STORE_INT_H
#define K8TLS_STORE_INT_H

#include <stddef.h>
#include "k8tls/store.h"
#include "k8tls/strv.h"

/* Caps for hostile input. */
#define K8TLS_STORE_MAX_ENTRIES 4096
#define K8TLS_STORE_MAX_CHAIN 64

/* Store objects (store_obj.c). */
struct k8tls_store *k8tls_store_new(enum k8tls_store_format f);
/* Appends *en (ownership of its fields moves into s). On failure frees en's fields, returns -1. */
int k8tls_store_push(struct k8tls_store *s, struct k8tls_store_entry *en);
/* Frees the fields of one entry (not the entry itself). */
void k8tls_store_entry_clear(struct k8tls_store_entry *en);

/* A password as Java hashes it: UTF-16BE code units, no BOM. NULL when pw is not valid UTF-8
 * or memory runs out. Free with OPENSSL_clear_free(p, *len) (or k8tls_jks_pw_free). */
unsigned char *k8tls_jks_password_bytes(const char *pw, size_t *len);
void k8tls_jks_pw_free(unsigned char *p, size_t len);

/* "dir/name" as a heap string (NULL when memory runs out). */
char *k8tls_path_join(const char *dir, const char *name);

/* Days from now to t (negative when in the past); 0 with *ok false when t is unusable. */
long k8tls_days_until(const ASN1_TIME *t, int *ok);
/* Its notBefore is later than now (the same second is valid). */
bool k8tls_not_yet_valid(const X509 *x);

/* ---- certificate checks shared by import and inspect (certcheck.c) ---------------------- */

#define K8TLS_EXPIRY_WARN_DAYS 30

/* One-line RFC 2253 form of a name (heap string), "" on failure (never NULL unless OOM). */
char *k8tls_x509_name(const X509_NAME *n);
/* "DNS:name" / "IP:1.2.3.4" / "email:..." entries of the subjectAltName (NULL-terminated heap
 * array, free with k8tls_strv_free; an empty array when there are none). */
char **k8tls_x509_sans(X509 *x);
/* The extended key usages ("server auth", "client auth", ..., else the dotted OID), a
 * NULL-terminated heap array (k8tls_strv_free), or NULL when the certificate has no such
 * extension. */
char **k8tls_x509_ekus(X509 *x);
/* basicConstraints CA:TRUE present. */
bool k8tls_x509_is_ca(X509 *x);
/* The extended key usage allows nid (NID_server_auth / NID_client_auth); true without EKU. */
bool k8tls_x509_eku_allows(X509 *x, int nid);
/* "2036-05-01 12:00:00 UTC" into buf. */
const char *k8tls_x509_date(const ASN1_TIME *t, char *buf, size_t len);
/* Is cert signed by ca: ca's subject is cert's issuer (and the key identifiers agree) and ca's
 * key verifies cert's signature? No dates, no path: one link. Clears OpenSSL's error queue. */
bool k8tls_x509_issued_by(X509 *cert, X509 *ca);
/* The index in cas of the first CA that signed cert (k8tls_x509_issued_by), or -1. */
int k8tls_x509_signed_by(X509 *cert, STACK_OF(X509) *cas);
/* Does the chain from leaf (with untrusted intermediates) reach a certificate of trusted?
 * Validity dates are not checked here (reported separately); a trusted intermediate is enough
 * (as in Java). Returns 0 and *anchor (heap subject of the trusted certificate reached, may be
 * NULL) or -1 and *why (a static OpenSSL reason). */
int k8tls_x509_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, STACK_OF(X509) *trusted,
                            char **anchor, const char **why);
/* The names of expected (NULL-terminated) that the certificate's SANs do not cover (DNS names
 * case-insensitively, wildcards one label deep, IP addresses). Heap strv, empty when all are. */
char **k8tls_x509_missing_sans(X509 *x, char *const *expected);

#endif
