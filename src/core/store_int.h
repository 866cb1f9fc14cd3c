/* Helpers shared by the store readers (store_read.c, jks_read.c, import.c, inspect.c).
 * Not a public contract: include only from src/core. */
#ifndef K8TLS_STORE_INT_H
#define K8TLS_STORE_INT_H

#include <stddef.h>
#include "k8tls/store.h"

/* Caps for hostile input. */
#define K8TLS_STORE_MAX_ENTRIES 4096
#define K8TLS_STORE_MAX_CHAIN 64

struct k8tls_store *k8tls_store_new(enum k8tls_store_format f);
/* Appends *en (ownership of its fields moves into s). On failure frees en's fields, returns -1. */
int k8tls_store_push(struct k8tls_store *s, struct k8tls_store_entry *en);
/* Frees the fields of one entry (not the entry itself). */
void k8tls_store_entry_clear(struct k8tls_store_entry *en);

/* A password as Java hashes it: UTF-16BE code units, no BOM. NULL when pw is not valid UTF-8
 * or memory runs out. Free with OPENSSL_clear_free(p, *len) (or k8tls_jks_pw_free). */
unsigned char *k8tls_jks_password_bytes(const char *pw, size_t *len);
void k8tls_jks_pw_free(unsigned char *p, size_t len);

/* Days from now to t (negative when in the past); 0 with *ok false when t is unusable. */
long k8tls_days_until(const ASN1_TIME *t, int *ok);

#endif
