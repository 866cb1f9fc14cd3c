/* Store objects (store.h, store_int.h): a read store and its entries, made, grown and freed.
 * The lowest layer of the store readers (store_read.c, jks_read.c): calls nothing of the
 * project. */
#include "config.h"
#include "k8tls/store.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

struct k8tls_store *k8tls_store_new(enum k8tls_store_format f)
{
    struct k8tls_store *s = calloc(1, sizeof *s);
    if (s)
        s->format = f;
    return s;
}

void k8tls_store_entry_clear(struct k8tls_store_entry *en)
{
    if (!en)
        return;
    free(en->alias);
    EVP_PKEY_free(en->key);
    X509_free(en->cert);
    sk_X509_pop_free(en->chain, X509_free);
    memset(en, 0, sizeof *en);
}

int k8tls_store_push(struct k8tls_store *s, struct k8tls_store_entry *en)
{
    if (s->n >= K8TLS_STORE_MAX_ENTRIES) {
        k8tls_store_entry_clear(en);
        return -1;
    }
    struct k8tls_store_entry *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v) {
        k8tls_store_entry_clear(en);
        return -1;
    }
    s->v = v;
    s->v[s->n++] = *en;
    memset(en, 0, sizeof *en);
    return 0;
}

void k8tls_store_free(struct k8tls_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        k8tls_store_entry_clear(&s->v[i]);
    free(s->v);
    free(s);
}
