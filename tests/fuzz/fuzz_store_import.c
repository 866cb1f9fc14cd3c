/* Fuzz harness: the keystore reading of the import path (S8, X5): k8tls_store_read, which
 * `stores.*.import` and `inspect` use for PKCS#12 and (by its magic) JKS, with the password.
 * Aimed at the work an input can ask for: the dictionary (tests/fuzz/dict/store_import.dict)
 * holds iteration counts (DER INTEGERs up to 2^63, zero, negative) and the PBES2, PBKDF2,
 * scrypt and PKCS#12 PBE identifiers. Each input is read as it is and, when it is PKCS#12 with a
 * cheap MAC count, once more with its MAC recomputed for the password keeping that count (so that
 * mutated bags and their counts get past the MAC); a JKS input is read once more with its
 * integrity trailer recomputed.
 * Checked beyond "no crash, no sanitizer report, bounded (libFuzzer's -timeout)": a failure names
 * the file and leaves no store; a PKCS#12 whose MAC asks for more than K8TLS_P12_MAX_ITER
 * iterations is never read, and its MAC is never computed (no "wrong password"). */
#include "config.h"
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include "k8tls/store.h"

#define PASSWORD "changeit"
/* a MAC recomputed by the harness costs its count here too: only cheap ones */
#define CHEAP_MAC_ITER 10000
static const char name[] = "fuzz-store";

/* mac_iter: the PKCS#12 MAC's iteration count, or 0 when not PKCS#12 / no MAC */
static void read_one(const uint8_t *data, size_t size, long mac_iter)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    if (k8tls_store_read(data, size, name, PASSWORD, &s, &e) == 0) {
        if (mac_iter > K8TLS_P12_MAX_ITER) {
            fprintf(stderr, "a store whose MAC asks for %ld iterations was read\n", mac_iter);
            abort();
        }
        for (size_t i = 0; i < s->n; i++)
            if (!s->v[i].alias || (s->v[i].type == K8TLS_ENTRY_TRUSTED_CERT && !s->v[i].cert)) {
                fprintf(stderr, "entry %zu has no alias, or a trusted entry no certificate\n", i);
                abort();
            }
        k8tls_store_free(s);
        return;
    }
    if (s || !e.msg[0] || strcmp(e.file, name) != 0) {
        fprintf(stderr, "a failed read must leave no store and name the file: '%s' '%s'\n",
                e.file, e.msg);
        abort();
    }
    if (mac_iter > K8TLS_P12_MAX_ITER && strstr(e.msg, "wrong password")) {
        fprintf(stderr, "a MAC of %ld iterations was computed: '%s'\n", mac_iter, e.msg);
        abort();
    }
}

static long mac_count(const PKCS12 *p12)
{
    if (!PKCS12_mac_present(p12))
        return 0;
    const ASN1_INTEGER *it = NULL;
    PKCS12_get0_mac(NULL, NULL, NULL, &it, p12);
    int64_t v = 1;
    if (it && !ASN1_INTEGER_get_int64(&v, it))
        v = INT64_MAX;
    ERR_clear_error();
    return v > LONG_MAX ? LONG_MAX : (long)v;
}

static void pkcs12_variant(const uint8_t *data, size_t size)
{
    const unsigned char *p = data;
    PKCS12 *p12 = size <= (1u << 20) ? d2i_PKCS12(NULL, &p, (long)size) : NULL;
    if (!p12) {
        ERR_clear_error();
        read_one(data, size, 0);
        return;
    }
    long iter = mac_count(p12);
    /* only a store that parses as a whole is checked against its MAC count */
    read_one(data, size, p == data + size ? iter : 0);
    if (iter >= 1 && iter <= CHEAP_MAC_ITER
        && PKCS12_set_mac(p12, PASSWORD, -1, NULL, 0, (int)iter, NULL)) {
        unsigned char *der = NULL;
        int n = i2d_PKCS12(p12, &der);
        if (n > 0)
            read_one(der, (size_t)n, mac_count(p12));
        OPENSSL_free(der);
    }
    PKCS12_free(p12);
    ERR_clear_error();
}

static void jks_variant(const uint8_t *data, size_t size)
{
    read_one(data, size, 0);
    if (size < 12 + 20 || size > (1u << 20))
        return;
    uint8_t *fixed = malloc(size);
    if (!fixed)
        return;
    memcpy(fixed, data, size);
    /* the integrity trailer: SHA-1 of the password in UTF-16BE, "Mighty Aphrodite", the rest */
    unsigned char pw16[2 * (sizeof PASSWORD - 1)];
    for (size_t i = 0; i < sizeof PASSWORD - 1; i++) {
        pw16[2 * i] = 0;
        pw16[2 * i + 1] = (unsigned char)PASSWORD[i];
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) && EVP_DigestUpdate(md, pw16, sizeof pw16)
        && EVP_DigestUpdate(md, "Mighty Aphrodite", 16) && EVP_DigestUpdate(md, fixed, size - 20)
        && EVP_DigestFinal_ex(md, fixed + size - 20, NULL))
        read_one(fixed, size, 0);
    EVP_MD_CTX_free(md);
    free(fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (k8tls_store_sniff(data, size) == K8TLS_SNIFF_JKS)
        jks_variant(data, size);
    else
        pkcs12_variant(data, size);
    return 0;
}
