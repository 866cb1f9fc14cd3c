/* PEM text both ways: certificates and private keys written as PEM (for the Medusa files and the
 * CA files of the output), and the hostile PEM (or DER certificate) files an import names, read
 * without ever prompting. Calls store_read.c (k8tls_store_sniff) and secure.c. */
#include "config.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#define PEM_MAX_BLOCKS 1024

/* ---- writing ---------------------------------------------------------------------------- */

/* The text the PEM writers put into b, as a heap string, when they all succeeded (ok). */
static char *pem_text(BIO *b, bool ok, struct k8tls_err *e)
{
    char *out = NULL, *data;
    long len;
    if (b && ok && (len = BIO_get_mem_data(b, &data)) > 0 && (out = malloc((size_t)len + 1))) {
        memcpy(out, data, (size_t)len);
        out[len] = '\0';
    } else {
        k8tls_err_set_openssl(e, _("cannot encode the certificate as PEM"));
    }
    return out;
}

char *k8tls_pki_cert_pem(X509 *cert, struct k8tls_err *e)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *out = pem_text(b, b && PEM_write_bio_X509(b, cert) == 1, e);
    BIO_free(b);
    return out;
}

char *k8tls_pki_certs_pem(STACK_OF(X509) *certs, struct k8tls_err *e)
{
    if (sk_X509_num(certs) <= 0) {
        char *none = strdup("");
        if (!none)
            k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return none;
    }
    BIO *b = BIO_new(BIO_s_mem());
    bool ok = b != NULL;
    for (int i = 0; ok && i < sk_X509_num(certs); i++)
        ok = PEM_write_bio_X509(b, sk_X509_value(certs, i)) == 1;
    char *out = pem_text(b, ok, e);
    BIO_free(b);
    return out;
}

struct k8tls_secret *k8tls_pki_key_pem(EVP_PKEY *key, struct k8tls_err *e)
{
    /* secure-heap BIO: its buffer is cleansed when freed */
    BIO *b = BIO_new(BIO_s_secmem());
    struct k8tls_secret *out = NULL;
    char *data;
    long len;
    if (b && PEM_write_bio_PKCS8PrivateKey(b, key, NULL, NULL, 0, NULL, NULL)
        && (len = BIO_get_mem_data(b, &data)) > 0)
        out = k8tls_secret_new(data, (size_t)len);
    if (!out)
        k8tls_err_set_openssl(e, _("cannot encode the private key as PEM"));
    BIO_free(b);
    return out;
}

/* ---- reading ---------------------------------------------------------------------------- */

struct pem_block {
    const char *label;   /* points into the data, not NUL-terminated */
    size_t label_len;
    const unsigned char *start;
    size_t len;
};

/* Next "-----BEGIN X-----" ... "-----END X-----" block from *pos. Returns 1 when found, 0 at
 * the end, -1 when a block has no end line. */
static int pem_next(const unsigned char *data, size_t len, size_t *pos, struct pem_block *b)
{
    while (*pos < len) {
        const unsigned char *beg = memmem(data + *pos, len - *pos, "-----BEGIN ", 11);
        if (!beg)
            return 0;
        const unsigned char *lab = beg + 11;
        size_t rest = len - (size_t)(lab - data);
        size_t ll = 0;
        while (ll < rest && ll < 80 && lab[ll] != '-' && lab[ll] != '\n' && lab[ll] != '\r')
            ll++;
        if (ll == 0 || ll >= rest || ll >= 80 || rest - ll < 5 || memcmp(lab + ll, "-----", 5) != 0) {
            *pos = (size_t)(lab - data);
            continue;
        }
        char endm[100];
        int em = snprintf(endm, sizeof endm, "-----END %.*s-----", (int)ll, (const char *)lab);
        const unsigned char *body = lab + ll + 5;
        const unsigned char *end = memmem(body, len - (size_t)(body - data), endm, (size_t)em);
        if (!end)
            return -1;
        b->label = (const char *)lab;
        b->label_len = ll;
        b->start = beg;
        b->len = (size_t)(end + em - beg);
        *pos = (size_t)(end + em - data);
        return 1;
    }
    return 0;
}

static int label_is(const struct pem_block *b, const char *s)
{
    return b->label_len == strlen(s) && memcmp(b->label, s, b->label_len) == 0;
}

static int label_ends(const struct pem_block *b, const char *s)
{
    size_t n = strlen(s);
    return b->label_len >= n && memcmp(b->label + b->label_len - n, s, n) == 0;
}

struct pwcb {
    const char *pw;
    int asked;
};

/* Never prompts: gives the password we have, or fails. */
static int pem_pw_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    struct pwcb *c = u;
    c->asked = 1;
    if (!c->pw)
        return -1;
    size_t n = strlen(c->pw);
    if (n > (size_t)size)
        return -1;
    memcpy(buf, c->pw, n);
    return (int)n;
}

int k8tls_pem_read_certs(const unsigned char *data, size_t len, const char *name,
                         STACK_OF(X509) **out, struct k8tls_err *e)
{
    *out = NULL;
    if (len > K8TLS_READ_MAX_BYTES) {
        k8tls_err_set(e, name, 0, 0, _("is too large (more than %zu bytes)"), K8TLS_READ_MAX_BYTES);
        return -1;
    }
    STACK_OF(X509) *sk = sk_X509_new_null();
    if (!sk) {
        k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    enum k8tls_sniff kind = k8tls_store_sniff(data, len);
    if (kind == K8TLS_SNIFF_DER) {
        const unsigned char *q = data;
        X509 *x = d2i_X509(NULL, &q, (long)len);
        if (x && q == data + len && sk_X509_push(sk, x)) {
            *out = sk;
            return 0;
        }
        X509_free(x);
        sk_X509_free(sk);
        ERR_clear_error();
        k8tls_err_set(e, name, 0, 0, "%s", _("is neither a PEM file nor a DER certificate"));
        return -1;
    }
    size_t pos = 0, nblocks = 0;
    struct pem_block b;
    int r;
    while ((r = pem_next(data, len, &pos, &b)) == 1) {
        if (++nblocks > PEM_MAX_BLOCKS) {
            k8tls_err_set(e, name, 0, 0, _("holds more than %d PEM blocks"), PEM_MAX_BLOCKS);
            goto fail;
        }
        int trusted = label_is(&b, "TRUSTED CERTIFICATE");
        if (!label_is(&b, "CERTIFICATE") && !label_is(&b, "X509 CERTIFICATE") && !trusted)
            continue;
        BIO *bio = BIO_new_mem_buf(b.start, (int)b.len);
        struct pwcb cb = { NULL, 0 };
        X509 *x = NULL;
        if (bio)
            x = trusted ? PEM_read_bio_X509_AUX(bio, NULL, pem_pw_cb, &cb)
                        : PEM_read_bio_X509(bio, NULL, pem_pw_cb, &cb);
        BIO_free(bio);
        if (!x) {
            ERR_clear_error();
            k8tls_err_set(e, name, 0, 0, _("certificate %d is corrupted"), sk_X509_num(sk) + 1);
            goto fail;
        }
        if (!sk_X509_push(sk, x)) {
            X509_free(x);
            k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
            goto fail;
        }
    }
    if (r < 0) {
        k8tls_err_set(e, name, 0, 0, "%s", _("truncated PEM: a BEGIN line has no END line"));
        goto fail;
    }
    if (sk_X509_num(sk) == 0) {
        k8tls_err_set(e, name, 0, 0, "%s", _("holds no certificate"));
        goto fail;
    }
    *out = sk;
    return 0;
fail:
    sk_X509_pop_free(sk, X509_free);
    return -1;
}

int k8tls_pem_read_key(const unsigned char *data, size_t len, const char *name,
                       const char *password, EVP_PKEY **out, bool *encrypted,
                       struct k8tls_err *e)
{
    *out = NULL;
    if (encrypted)
        *encrypted = false;
    if (len > K8TLS_READ_MAX_BYTES) {
        k8tls_err_set(e, name, 0, 0, _("is too large (more than %zu bytes)"), K8TLS_READ_MAX_BYTES);
        return -1;
    }
    size_t pos = 0, nblocks = 0;
    struct pem_block b;
    int r;
    while ((r = pem_next(data, len, &pos, &b)) == 1) {
        if (++nblocks > PEM_MAX_BLOCKS)
            break;
        if (!label_ends(&b, "PRIVATE KEY"))
            continue;
        bool enc = label_is(&b, "ENCRYPTED PRIVATE KEY")
                   || memmem(b.start, b.len, "Proc-Type: 4,ENCRYPTED", 22) != NULL;
        if (encrypted)
            *encrypted = enc;
        BIO *bio = BIO_new_mem_buf(b.start, (int)b.len);
        struct pwcb cb = { password, 0 };
        EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, pem_pw_cb, &cb) : NULL;
        BIO_free(bio);
        ERR_clear_error();
        if (k) {
            *out = k;
            return 0;
        }
        if (enc && !password)
            k8tls_err_set(e, name, 0, 0, "%s",
                          _("the private key is encrypted and no password was given"));
        else if (enc)
            k8tls_err_set(e, name, 0, 0, "%s",
                          _("wrong password for the private key, or the key is corrupted"));
        else
            k8tls_err_set(e, name, 0, 0, "%s", _("the private key is corrupted"));
        return -1;
    }
    if (r < 0)
        k8tls_err_set(e, name, 0, 0, "%s", _("truncated PEM: a BEGIN line has no END line"));
    else
        k8tls_err_set(e, name, 0, 0, "%s", _("holds no private key"));
    return -1;
}
