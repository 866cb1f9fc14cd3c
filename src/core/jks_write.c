/* JKS writer (S3): the JDK's "JKS" keystore format, written without a JVM.
 *
 *   u32 0xFEEDFEED, u32 2, u32 count, then per entry:
 *     u32 tag (1 private key, 2 trusted certificate), UTF alias, u64 timestamp (ms)
 *     tag 1: u32 len + EncryptedPrivateKeyInfo (key protector 1.3.6.1.4.1.42.2.17.1.1, NULL),
 *            u32 chain length, per certificate: UTF "X.509", u32 len, DER
 *     tag 2: UTF "X.509", u32 len, DER
 *   SHA-1(password as UTF-16BE || "Mighty Aphrodite" || everything above)
 * UTF is Java's DataOutput.writeUTF: u16 length + modified UTF-8. */
#include "config.h"
#include "k8tls/buf.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#define JKS_MAGIC 0xFEEDFEEDu
#define JKS_VERSION 2u
#define JKS_KEY_PROTECTOR_OID "1.3.6.1.4.1.42.2.17.1.1"
#define JKS_WHITENER "Mighty Aphrodite"

/* The store is built in a k8tls_buf (its dropped copies are wiped: it holds protected keys). */

static void buf_u16(struct k8tls_buf *b, unsigned v)
{
    unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
    k8tls_buf_add(b, x, 2);
}

static void buf_u32(struct k8tls_buf *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v };
    k8tls_buf_add(b, x, 4);
}

static void buf_u64(struct k8tls_buf *b, uint64_t v)
{
    buf_u32(b, (uint32_t)(v >> 32));
    buf_u32(b, (uint32_t)v);
}

/* Decodes one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
        return *cp >= 0x80 ? 2 : 0;
    }
    if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        return *cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff) ? 3 : 0;
    }
    if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80
        && (s[3] & 0xc0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12)
              | ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        return *cp >= 0x10000 && *cp <= 0x10ffff ? 4 : 0;
    }
    return 0;
}

/* UTF-8 -> UTF-16 code units (Java chars); returns the count, or -1 if s is not UTF-8. */
static long utf16_units(const char *s, uint16_t *out, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (*u) {
        uint32_t cp;
        size_t l = utf8_next(u, &cp);
        if (!l)
            return -1;
        u += l;
        if (cp >= 0x10000) {
            if (n + 2 > max)
                return -1;
            cp -= 0x10000;
            out[n++] = (uint16_t)(0xd800 | (cp >> 10));
            out[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
        } else {
            if (n + 1 > max)
                return -1;
            out[n++] = (uint16_t)cp;
        }
    }
    return (long)n;
}

/* Java's writeUTF of a UTF-8 string. */
static int put_utf(struct k8tls_buf *b, const char *s)
{
    size_t max = strlen(s) + 1;
    uint16_t *units = malloc(max * sizeof *units);
    if (!units)
        return -1;
    long n = utf16_units(s, units, max);
    if (n < 0) {
        free(units);
        return -1;
    }
    size_t bytes = 0;
    for (long i = 0; i < n; i++)
        bytes += units[i] >= 1 && units[i] <= 0x7f ? 1 : units[i] <= 0x7ff ? 2 : 3;
    if (bytes > 0xffff) {
        free(units);
        return -1;
    }
    buf_u16(b, (unsigned)bytes);
    for (long i = 0; i < n; i++) {
        unsigned c = units[i];
        unsigned char x[3];
        if (c >= 1 && c <= 0x7f) {
            x[0] = (unsigned char)c;
            k8tls_buf_add(b, x, 1);
        } else if (c <= 0x7ff) {
            x[0] = (unsigned char)(0xc0 | (c >> 6));
            x[1] = (unsigned char)(0x80 | (c & 0x3f));
            k8tls_buf_add(b, x, 2);
        } else {
            x[0] = (unsigned char)(0xe0 | (c >> 12));
            x[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
            x[2] = (unsigned char)(0x80 | (c & 0x3f));
            k8tls_buf_add(b, x, 3);
        }
    }
    free(units);
    return 0;
}

/* The password as Java hashes it: each char as two bytes, big-endian. Wiped by the caller. */
static unsigned char *password_bytes(const char *pw, size_t *len)
{
    size_t max = strlen(pw) + 1;
    uint16_t *units = OPENSSL_malloc(max * sizeof *units);
    unsigned char *out = OPENSSL_malloc(max * 2);
    long n = units && out ? utf16_units(pw, units, max) : -1;
    if (n < 0) {
        if (units)
            OPENSSL_clear_free(units, max * sizeof *units);
        if (out)
            OPENSSL_clear_free(out, max * 2);
        return NULL;
    }
    for (long i = 0; i < n; i++) {
        out[2 * i] = (unsigned char)(units[i] >> 8);
        out[2 * i + 1] = (unsigned char)units[i];
    }
    OPENSSL_clear_free(units, max * sizeof *units);
    *len = (size_t)n * 2;
    return out;
}

static int put_cert(struct k8tls_buf *b, X509 *cert)
{
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    if (len <= 0)
        return -1;
    put_utf(b, "X.509");
    buf_u32(b, (uint32_t)len);
    k8tls_buf_add(b, der, (size_t)len);
    OPENSSL_free(der);
    return 0;
}

/* The JDK key protector: salt || (PKCS#8 XOR SHA-1 keystream) || SHA-1(password || PKCS#8),
 * wrapped in an EncryptedPrivateKeyInfo. Returns DER to OPENSSL_clear_free, or NULL. */
static unsigned char *protect_key(EVP_PKEY *key, const unsigned char *pw, size_t pwlen,
                                  size_t *outlen)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
    unsigned char *plain = NULL, *prot = NULL, *der = NULL;
    int plen = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &plain) : -1;
    X509_SIG *sig = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t protlen = 0;
    unsigned char digest[SHA_DIGEST_LENGTH];
    int dlen;

    PKCS8_PRIV_KEY_INFO_free(p8);
    if (plen <= 0 || !md)
        goto done;
    protlen = SHA_DIGEST_LENGTH + (size_t)plen + SHA_DIGEST_LENGTH;
    if (!(prot = OPENSSL_malloc(protlen)))
        goto done;
    if (RAND_bytes(prot, SHA_DIGEST_LENGTH) != 1)
        goto done;
    memcpy(digest, prot, SHA_DIGEST_LENGTH);
    for (size_t off = 0; off < (size_t)plen; off += SHA_DIGEST_LENGTH) {
        if (!EVP_DigestInit_ex(md, EVP_sha1(), NULL) || !EVP_DigestUpdate(md, pw, pwlen)
            || !EVP_DigestUpdate(md, digest, sizeof digest)
            || !EVP_DigestFinal_ex(md, digest, NULL))
            goto done;
        for (size_t i = 0; i < SHA_DIGEST_LENGTH && off + i < (size_t)plen; i++)
            prot[SHA_DIGEST_LENGTH + off + i] = plain[off + i] ^ digest[i];
    }
    if (!EVP_DigestInit_ex(md, EVP_sha1(), NULL) || !EVP_DigestUpdate(md, pw, pwlen)
        || !EVP_DigestUpdate(md, plain, (size_t)plen)
        || !EVP_DigestFinal_ex(md, prot + SHA_DIGEST_LENGTH + plen, NULL))
        goto done;

    X509_ALGOR *alg;
    ASN1_OCTET_STRING *oct;
    ASN1_OBJECT *oid;
    if (!(sig = X509_SIG_new()))
        goto done;
    X509_SIG_getm(sig, &alg, &oct);
    if (!(oid = OBJ_txt2obj(JKS_KEY_PROTECTOR_OID, 1)))
        goto done;
    if (!X509_ALGOR_set0(alg, oid, V_ASN1_NULL, NULL)) {
        ASN1_OBJECT_free(oid);
        goto done;
    }
    if (!ASN1_OCTET_STRING_set(oct, prot, (int)protlen))
        goto done;
    if ((dlen = i2d_X509_SIG(sig, &der)) <= 0) {
        der = NULL;
        goto done;
    }
    *outlen = (size_t)dlen;
done:
    OPENSSL_cleanse(digest, sizeof digest);
    if (plain)
        OPENSSL_clear_free(plain, (size_t)(plen > 0 ? plen : 0));
    if (prot)
        OPENSSL_clear_free(prot, protlen);
    X509_SIG_free(sig);
    EVP_MD_CTX_free(md);
    return der;
}

int k8tls_jks_encode(const struct k8tls_store *s, const char *password, struct k8tls_secret **out,
                     struct k8tls_err *e)
{
    struct k8tls_buf b = { 0 };
    size_t pwlen = 0;
    unsigned char *pw = NULL;
    int rc = -1;

    *out = NULL;
    if (!password || !*password) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("a store needs a password"));
        return -1;
    }
    if (!(pw = password_bytes(password, &pwlen))) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("the store password is not valid UTF-8"));
        return -1;
    }
    if (s->n > INT32_MAX) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("too many store entries"));
        goto done;
    }
    buf_u32(&b, JKS_MAGIC);
    buf_u32(&b, JKS_VERSION);
    buf_u32(&b, (uint32_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        const struct k8tls_store_entry *ent = &s->v[i];
        char *alias = strdup(ent->alias ? ent->alias : "");
        if (!alias) {
            b.oom = true;
            break;
        }
        /* Java lowercases aliases when looking them up (S2) */
        for (char *c = alias; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        for (size_t j = 0; j < i; j++)
            if (s->v[j].alias && strcasecmp(s->v[j].alias, alias) == 0) {
                k8tls_err_set(e, NULL, 0, 0, _("two store entries are named '%s'"), alias);
                free(alias);
                goto done;
            }
        if (!*alias) {
            k8tls_err_set(e, NULL, 0, 0, "%s", _("a store entry needs an alias"));
            free(alias);
            goto done;
        }
        if (!ent->cert) {
            k8tls_err_set(e, NULL, 0, 0, _("store entry '%s' has no certificate"), alias);
            free(alias);
            goto done;
        }
        buf_u32(&b, ent->type == K8TLS_ENTRY_PRIVATE_KEY ? 1 : 2);
        if (put_utf(&b, alias) != 0) {
            k8tls_err_set(e, NULL, 0, 0, _("store alias '%s' is not valid UTF-8 or too long"),
                          alias);
            free(alias);
            goto done;
        }
        buf_u64(&b, (uint64_t)(ent->timestamp_ms > 0 ? ent->timestamp_ms : 0));
        if (ent->type == K8TLS_ENTRY_PRIVATE_KEY) {
            size_t klen = 0;
            unsigned char *kder = ent->key ? protect_key(ent->key, pw, pwlen, &klen) : NULL;
            if (!kder) {
                ERR_clear_error();
                k8tls_err_set(e, NULL, 0, 0, _("cannot protect the private key of entry '%s'"),
                              alias);
                free(alias);
                goto done;
            }
            buf_u32(&b, (uint32_t)klen);
            k8tls_buf_add(&b, kder, klen);
            OPENSSL_clear_free(kder, klen);
            int nchain = ent->chain ? sk_X509_num(ent->chain) : 0;
            buf_u32(&b, (uint32_t)(1 + nchain));
            int bad = put_cert(&b, ent->cert);
            for (int c = 0; c < nchain; c++)
                bad |= put_cert(&b, sk_X509_value(ent->chain, c));
            if (bad) {
                k8tls_err_set(e, NULL, 0, 0, _("cannot encode a certificate of entry '%s'"),
                              alias);
                free(alias);
                goto done;
            }
        } else if (put_cert(&b, ent->cert) != 0) {
            k8tls_err_set(e, NULL, 0, 0, _("cannot encode the certificate of entry '%s'"), alias);
            free(alias);
            goto done;
        }
        free(alias);
    }
    if (!b.oom) {
        unsigned char md[SHA_DIGEST_LENGTH];
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL)
                 && EVP_DigestUpdate(ctx, pw, pwlen)
                 && EVP_DigestUpdate(ctx, JKS_WHITENER, strlen(JKS_WHITENER))
                 && EVP_DigestUpdate(ctx, b.p, b.len) && EVP_DigestFinal_ex(ctx, md, NULL);
        EVP_MD_CTX_free(ctx);
        if (!ok) {
            ERR_clear_error();
            k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot compute the JKS integrity digest"));
            goto done;
        }
        k8tls_buf_add(&b, md, sizeof md);
    }
    if (b.oom) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        goto done;
    }
    if (!(*out = k8tls_secret_new(b.p, b.len))) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        goto done;
    }
    rc = 0;
done:
    k8tls_buf_free(&b);
    OPENSSL_clear_free(pw, pwlen ? pwlen : 1);
    return rc;
}
