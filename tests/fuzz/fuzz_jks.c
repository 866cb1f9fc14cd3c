/* Fuzz harness: the native JKS reader (S3, X5), k8tls_jks_decode.
 * Each input is read twice: as it is, and with its integrity trailer recomputed for the
 * password (SHA-1 of the password in UTF-16BE, "Mighty Aphrodite" and the preceding bytes), so
 * that mutated entries get past the integrity check and reach key recovery.
 * Checked beyond "no crash, no sanitizer report, bounded": a failure always explains itself
 * naming the file; a store that reads is written back by the JKS encoder and reads again with the
 * same entries (aliases, types). */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "k8tls/store.h"

#define PASSWORD "changeit"
static const char name[] = "fuzz.jks";

static void round_trip(const struct k8tls_store *s)
{
    struct k8tls_secret *enc = NULL;
    struct k8tls_err e;
    if (k8tls_jks_encode(s, PASSWORD, &enc, &e) != 0)
        return;   /* e.g. an entry type the encoder refuses: fine, it said why */
    struct k8tls_store *t = NULL;
    if (k8tls_jks_decode(enc->data, enc->len, "re-encoded.jks", PASSWORD, &t, &e) != 0) {
        fprintf(stderr, "the re-encoded store does not read back: %s\n", e.msg);
        abort();
    }
    if (t->n != s->n) {
        fprintf(stderr, "re-encoded store has %zu entries, not %zu\n", t->n, s->n);
        abort();
    }
    for (size_t i = 0; i < s->n; i++) {
        if (t->v[i].type != s->v[i].type || !t->v[i].alias || !s->v[i].alias) {
            fprintf(stderr, "entry %zu changed type or lost its alias\n", i);
            abort();
        }
    }
    k8tls_store_free(t);
    k8tls_secret_free(enc);
}

static void read_one(const uint8_t *data, size_t size)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    if (k8tls_jks_decode(data, size, name, PASSWORD, &s, &e) == 0) {
        round_trip(s);
        k8tls_store_free(s);
    } else if (s || !e.msg[0] || strcmp(e.file, name) != 0) {
        fprintf(stderr, "a failed read must leave no store and name the file: '%s' '%s'\n",
                e.file, e.msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_one(data, size);
    if (size >= 12 + 20 && size <= (1u << 20)) {
        uint8_t *fixed = malloc(size);
        if (!fixed)
            return 0;
        memcpy(fixed, data, size);
        /* password "changeit" as UTF-16BE */
        unsigned char pw16[2 * (sizeof PASSWORD - 1)];
        for (size_t i = 0; i < sizeof PASSWORD - 1; i++) {
            pw16[2 * i] = 0;
            pw16[2 * i + 1] = (unsigned char)PASSWORD[i];
        }
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned int dl = 0;
        if (md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) && EVP_DigestUpdate(md, pw16, sizeof pw16)
            && EVP_DigestUpdate(md, "Mighty Aphrodite", 16)
            && EVP_DigestUpdate(md, fixed, size - 20)
            && EVP_DigestFinal_ex(md, fixed + size - 20, &dl))
            read_one(fixed, size);
        EVP_MD_CTX_free(md);
        free(fixed);
    }
    return 0;
}
