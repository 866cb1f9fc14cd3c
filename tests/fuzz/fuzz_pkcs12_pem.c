/* Fuzz harness: the PKCS#12 and PEM reading used by import and inspect (S8, X5):
 * k8tls_store_sniff, k8tls_store_read (PKCS#12 bag walker, or JKS by its magic),
 * k8tls_pem_read_certs and k8tls_pem_read_key (with the password and without).
 * An input that parses as PKCS#12 is also read once more with its MAC recomputed for the
 * password (PKCS12_set_mac), so that mutated bags get past the MAC and reach the bag walker.
 * Checked beyond "no crash, no sanitizer report, bounded": failures name the file and leave no
 * output object. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include "k8tls/store.h"

#define PASSWORD "changeit"
static const char name[] = "fuzz-input";

static void must_name_the_file(const struct k8tls_err *e, const void *out, const char *what)
{
    if (out || !e->msg[0] || strcmp(e->file, name) != 0) {
        fprintf(stderr, "%s failed without naming the file or left an object: '%s' '%s'\n",
                what, e->file, e->msg);
        abort();
    }
}

static void read_store(const uint8_t *data, size_t size)
{
    struct k8tls_store *s = NULL;
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    if (k8tls_store_read(data, size, name, PASSWORD, &s, &e) == 0) {
        for (size_t i = 0; i < s->n; i++) {
            if (!s->v[i].cert && s->v[i].type == K8TLS_ENTRY_TRUSTED_CERT) {
                fprintf(stderr, "a trusted-cert entry without a certificate\n");
                abort();
            }
        }
        k8tls_store_free(s);
    } else {
        must_name_the_file(&e, s, "k8tls_store_read");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)k8tls_store_sniff(data, size);
    read_store(data, size);

    /* PEM certificates, then keys with and without the password */
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    STACK_OF(X509) *certs = NULL;
    if (k8tls_pem_read_certs(data, size, name, &certs, &e) == 0) {
        if (!certs || sk_X509_num(certs) < 1) {
            fprintf(stderr, "k8tls_pem_read_certs succeeded with no certificate\n");
            abort();
        }
        sk_X509_pop_free(certs, X509_free);
    } else {
        must_name_the_file(&e, certs, "k8tls_pem_read_certs");
    }
    for (int withpw = 0; withpw < 2; withpw++) {
        EVP_PKEY *key = NULL;
        bool encrypted = false;
        memset(&e, 0, sizeof e);
        if (k8tls_pem_read_key(data, size, name, withpw ? PASSWORD : NULL, &key, &encrypted, &e) == 0) {
            char buf[64];
            k8tls_pkey_describe(key, buf, sizeof buf);
            EVP_PKEY_free(key);
        } else {
            must_name_the_file(&e, key, "k8tls_pem_read_key");
        }
    }

    /* PKCS#12 with a valid MAC for the password */
    const unsigned char *p = data;
    PKCS12 *p12 = size <= (1u << 20) ? d2i_PKCS12(NULL, &p, (long)size) : NULL;
    if (p12) {
        if (PKCS12_set_mac(p12, PASSWORD, -1, NULL, 0, 1, NULL)) {
            unsigned char *der = NULL;
            int n = i2d_PKCS12(p12, &der);
            if (n > 0)
                read_store(der, (size_t)n);
            OPENSSL_free(der);
        }
        PKCS12_free(p12);
    }
    ERR_clear_error();
    return 0;
}
