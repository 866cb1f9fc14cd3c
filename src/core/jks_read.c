/* JKS reader (S3, X5): magic FEEDFEED, versions 1 and 2, private-key entries protected
 * with the JDK key protector (OID 1.3.6.1.4.1.42.2.17.1.1), trusted-certificate entries, aliases
 * in Java's modified UTF-8, and the SHA-1 integrity trailer keyed with "Mighty Aphrodite".
 *
 * The input is hostile: every length is checked against the bytes that remain before it is used,
 * counts are capped, allocations are bounded by the input size, and any byte sequence ends in a
 * store or in one error naming the file. Called by store_read.c; calls store_obj.c (the store
 * objects) and err.c only. */
#include "config.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#define JKS_MAGIC 0xFEEDFEEDu
#define JKS_TAG_KEY 1u
#define JKS_TAG_TRUSTED 2u
#define JKS_DIGEST_LEN 20
#define JKS_SALT_LEN 20
#define JKS_KEY_PROTECTOR_OID "1.3.6.1.4.1.42.2.17.1.1"
/* An entry takes at least tag (4) + alias length (2) + timestamp (8) bytes. */
#define JKS_MIN_ENTRY 14

/* ---- a bounded reader over the input ---------------------------------------------------- */

struct rd {
    const unsigned char *p;
    size_t left;
};

static int rd_bytes(struct rd *r, size_t n, const unsigned char **out)
{
    if (r->left < n)
        return -1;
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 0;
}

static int rd_u16(struct rd *r, uint32_t *v)
{
    const unsigned char *b;
    if (rd_bytes(r, 2, &b))
        return -1;
    *v = ((uint32_t)b[0] << 8) | b[1];
    return 0;
}

static int rd_u32(struct rd *r, uint32_t *v)
{
    const unsigned char *b;
    if (rd_bytes(r, 4, &b))
        return -1;
    *v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    return 0;
}

static int rd_i64(struct rd *r, int64_t *v)
{
    const unsigned char *b;
    if (rd_bytes(r, 8, &b))
        return -1;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = (u << 8) | b[i];
    *v = (int64_t)u;
    return 0;
}

/* ---- passwords as Java sees them -------------------------------------------------------- */

/* Decodes one UTF-8 code point; returns its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

unsigned char *k8tls_jks_password_bytes(const char *pw, size_t *len)
{
    size_t n = strlen(pw);
    /* each byte gives at most one UTF-16 unit, except 4-byte sequences (two units) */
    unsigned char *out = OPENSSL_malloc(2 * n + 1);
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *)pw;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            OPENSSL_clear_free(out, 2 * n + 1);
            return NULL;
        }
        i += l;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
            out[o++] = (unsigned char)(hi >> 8);
            out[o++] = (unsigned char)hi;
            out[o++] = (unsigned char)(lo >> 8);
            out[o++] = (unsigned char)lo;
        } else {
            out[o++] = (unsigned char)(cp >> 8);
            out[o++] = (unsigned char)cp;
        }
    }
    *len = o;
    return out;
}

void k8tls_jks_pw_free(unsigned char *p, size_t len)
{
    (void)len;
    if (p)
        OPENSSL_clear_free(p, len);
}

/* ---- aliases: Java's modified UTF-8 (writeUTF) -> UTF-8 --------------------------------- */

static void put_utf8(char *out, size_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        out[(*o)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*o)++] = (char)(0xC0 | (cp >> 6));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*o)++] = (char)(0xE0 | (cp >> 12));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*o)++] = (char)(0xF0 | (cp >> 18));
        out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Decodes n bytes of modified UTF-8 into a heap UTF-8 string; NULL when malformed or holding a
 * NUL character. The output is never longer than the input. */
static char *mutf8_to_utf8(const unsigned char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    uint32_t pending_hi = 0;   /* a high surrogate waiting for its low half */
    for (size_t i = 0; i < n;) {
        uint32_t u;
        unsigned char c = s[i];
        if (c < 0x80) {
            u = c;
            i += 1;
        } else if ((c & 0xE0) == 0xC0) {
            if (n - i < 2 || (s[i + 1] & 0xC0) != 0x80)
                goto bad;
            u = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            i += 2;
        } else if ((c & 0xF0) == 0xE0) {
            if (n - i < 3 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
                goto bad;
            u = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
            i += 3;
        } else {
            goto bad;
        }
        if (u == 0)
            goto bad;
        if (pending_hi) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                put_utf8(out, &o, 0x10000 + ((pending_hi - 0xD800) << 10) + (u - 0xDC00));
                pending_hi = 0;
                continue;
            }
            put_utf8(out, &o, 0xFFFD);   /* a lone high surrogate */
            pending_hi = 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF)
            pending_hi = u;
        else if (u >= 0xDC00 && u <= 0xDFFF)
            put_utf8(out, &o, 0xFFFD);
        else
            put_utf8(out, &o, u);
    }
    if (pending_hi)
        put_utf8(out, &o, 0xFFFD);
    out[o] = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

/* ---- the decoder ------------------------------------------------------------------------- */

enum jks_fail { JF_NONE, JF_TRUNC, JF_CORRUPT, JF_OOM, JF_UNSUPPORTED };

struct jks_ctx {
    const char *name;
    struct k8tls_err *e;
    enum jks_fail fail;
    uint32_t version;
};

/* Records the first failure; 'what' says where. */
static int jfail(struct jks_ctx *c, enum jks_fail f, const char *what)
{
    if (c->fail != JF_NONE)
        return -1;
    c->fail = f;
    switch (f) {
    case JF_TRUNC:
        k8tls_err_set(c->e, c->name, 0, 0, _("truncated or corrupted JKS keystore: the file ends inside %s"), what);
        break;
    case JF_CORRUPT:
        k8tls_err_set(c->e, c->name, 0, 0, _("corrupted JKS keystore: %s"), what);
        break;
    case JF_UNSUPPORTED:
        k8tls_err_set(c->e, c->name, 0, 0, _("unsupported JKS keystore: %s"), what);
        break;
    default:
        k8tls_err_set(c->e, c->name, 0, 0, "%s", _("out of memory"));
        break;
    }
    return -1;
}

static int read_alias(struct jks_ctx *c, struct rd *r, char **alias, size_t idx)
{
    uint32_t n;
    const unsigned char *b;
    char what[160];
    snprintf(what, sizeof what, _("the alias of entry %zu"), idx + 1);
    if (rd_u16(r, &n) || rd_bytes(r, n, &b))
        return jfail(c, JF_TRUNC, what);
    *alias = mutf8_to_utf8(b, n);
    if (!*alias) {
        snprintf(what, sizeof what, _("the alias of entry %zu is not valid modified UTF-8"), idx + 1);
        return jfail(c, JF_CORRUPT, what);
    }
    return 0;
}

static int read_cert(struct jks_ctx *c, struct rd *r, X509 **out, size_t idx)
{
    char what[160];
    snprintf(what, sizeof what, _("a certificate of entry %zu"), idx + 1);
    if (c->version == 2) {
        uint32_t tn;
        const unsigned char *tb;
        if (rd_u16(r, &tn) || rd_bytes(r, tn, &tb))
            return jfail(c, JF_TRUNC, what);
        if (tn != 5 || memcmp(tb, "X.509", 5) != 0) {
            char m[160];
            snprintf(m, sizeof m, _("entry %zu holds a certificate that is not X.509"), idx + 1);
            return jfail(c, JF_UNSUPPORTED, m);
        }
    }
    uint32_t n;
    const unsigned char *der;
    if (rd_u32(r, &n) || rd_bytes(r, n, &der))
        return jfail(c, JF_TRUNC, what);
    const unsigned char *q = der;
    X509 *x = n ? d2i_X509(NULL, &q, (long)n) : NULL;
    if (!x || q != der + n) {
        X509_free(x);
        ERR_clear_error();
        snprintf(what, sizeof what, _("a certificate of entry %zu is not valid DER"), idx + 1);
        return jfail(c, JF_CORRUPT, what);
    }
    *out = x;
    return 0;
}

/* Java's KeyProtector.recover: salt || (key XOR keystream) || SHA-1(password || key). */
static int recover_key(const unsigned char *pw16, size_t pw16_len, const unsigned char *enc,
                       size_t enc_len, EVP_PKEY **out)
{
    *out = NULL;
    if (enc_len < JKS_SALT_LEN + JKS_DIGEST_LEN + 1)
        return -2;
    size_t klen = enc_len - JKS_SALT_LEN - JKS_DIGEST_LEN;
    const unsigned char *salt = enc, *ekey = enc + JKS_SALT_LEN, *check = ekey + klen;
    unsigned char *plain = OPENSSL_malloc(klen);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char dig[JKS_DIGEST_LEN];
    int rc = -1;
    if (!plain || !md)
        goto out;
    memcpy(dig, salt, JKS_DIGEST_LEN);
    for (size_t off = 0; off < klen; off += JKS_DIGEST_LEN) {
        if (!EVP_DigestInit_ex(md, EVP_sha1(), NULL) || !EVP_DigestUpdate(md, pw16, pw16_len)
            || !EVP_DigestUpdate(md, dig, JKS_DIGEST_LEN) || !EVP_DigestFinal_ex(md, dig, NULL))
            goto out;
        size_t n = klen - off < JKS_DIGEST_LEN ? klen - off : JKS_DIGEST_LEN;
        for (size_t i = 0; i < n; i++)
            plain[off + i] = ekey[off + i] ^ dig[i];
    }
    if (!EVP_DigestInit_ex(md, EVP_sha1(), NULL) || !EVP_DigestUpdate(md, pw16, pw16_len)
        || !EVP_DigestUpdate(md, plain, klen) || !EVP_DigestFinal_ex(md, dig, NULL))
        goto out;
    if (CRYPTO_memcmp(dig, check, JKS_DIGEST_LEN) != 0) {
        rc = -3;   /* not this password */
        goto out;
    }
    const unsigned char *q = plain;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)klen);
    if (!p8 || q != plain + klen) {
        PKCS8_PRIV_KEY_INFO_free(p8);
        rc = -2;
        goto out;
    }
    *out = EVP_PKCS82PKEY(p8);
    PKCS8_PRIV_KEY_INFO_free(p8);
    rc = *out ? 0 : -2;
out:
    OPENSSL_cleanse(dig, sizeof dig);
    if (plain)
        OPENSSL_clear_free(plain, klen);
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return rc;
}

/* The DER EncryptedPrivateKeyInfo of a key entry -> the protected bytes; checks the OID. */
static int key_protector_data(struct jks_ctx *c, const unsigned char *der, size_t n,
                              X509_SIG **sig_out, const unsigned char **enc, size_t *enc_len,
                              const char *alias)
{
    const unsigned char *q = der;
    X509_SIG *sig = d2i_X509_SIG(NULL, &q, (long)n);
    char m[256];
    if (!sig || q != der + n) {
        X509_SIG_free(sig);
        ERR_clear_error();
        snprintf(m, sizeof m, _("the protected key of entry '%s' is not valid DER"), alias);
        return jfail(c, JF_CORRUPT, m);
    }
    const X509_ALGOR *alg;
    const ASN1_OCTET_STRING *data;
    X509_SIG_get0(sig, &alg, &data);
    const ASN1_OBJECT *oid;
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    char txt[80];
    if (OBJ_obj2txt(txt, sizeof txt, oid, 1) <= 0 || strcmp(txt, JKS_KEY_PROTECTOR_OID) != 0) {
        X509_SIG_free(sig);
        snprintf(m, sizeof m, _("the key of entry '%s' is protected with %s, not the JDK key protector"),
                 alias, txt);
        return jfail(c, JF_UNSUPPORTED, m);
    }
    *enc = ASN1_STRING_get0_data(data);
    *enc_len = (size_t)ASN1_STRING_length(data);
    *sig_out = sig;
    return 0;
}

/* The protected key bytes of each key entry, kept until the integrity check passed. */
struct pending_key {
    size_t entry;
    const unsigned char *der;
    size_t len;
};

int k8tls_jks_decode(const unsigned char *data, size_t len, const char *name, const char *password,
                     struct k8tls_store **out, struct k8tls_err *e)
{
    struct jks_ctx c = { .name = name, .e = e, .fail = JF_NONE, .version = 0 };
    struct k8tls_store *s = NULL;
    struct pending_key *pk = NULL;
    size_t npk = 0;
    unsigned char *pw16 = NULL;
    size_t pw16_len = 0;
    *out = NULL;

    if (len > K8TLS_READ_MAX_BYTES) {
        k8tls_err_set(e, name, 0, 0, "%s", _("the file is too large for a keystore"));
        return -1;
    }
    struct rd r = { data, len };
    uint32_t magic, version, count;
    if (rd_u32(&r, &magic) || magic != JKS_MAGIC) {
        k8tls_err_set(e, name, 0, 0, "%s", _("not a JKS keystore (no FEEDFEED magic)"));
        return -1;
    }
    if (rd_u32(&r, &version))
        return jfail(&c, JF_TRUNC, _("the header"));
    if (version != 1 && version != 2) {
        k8tls_err_set(e, name, 0, 0, _("unsupported JKS version %u (1 and 2 are known)"), version);
        return -1;
    }
    c.version = version;
    if (rd_u32(&r, &count))
        return jfail(&c, JF_TRUNC, _("the header"));
    if (count > K8TLS_STORE_MAX_ENTRIES) {
        k8tls_err_set(e, name, 0, 0, _("corrupted JKS keystore: %u entries announced (at most %d)"),
                      count, K8TLS_STORE_MAX_ENTRIES);
        return -1;
    }
    if (!password) {
        k8tls_err_set(e, name, 0, 0, "%s", _("a password is needed to open this keystore"));
        return -1;
    }
    s = k8tls_store_new(K8TLS_FORMAT_JKS);
    if (!s)
        return jfail(&c, JF_OOM, "");

    for (size_t i = 0; i < count; i++) {
        char what[96];
        snprintf(what, sizeof what, _("entry %zu"), i + 1);
        if (r.left < JKS_MIN_ENTRY) {
            jfail(&c, JF_TRUNC, what);
            goto fail;
        }
        struct k8tls_store_entry en;
        memset(&en, 0, sizeof en);
        uint32_t tag;
        if (rd_u32(&r, &tag)) {
            jfail(&c, JF_TRUNC, what);
            goto fail;
        }
        if (tag != JKS_TAG_KEY && tag != JKS_TAG_TRUSTED) {
            char m[160];
            if (tag == 3)
                snprintf(m, sizeof m, _("entry %zu is a secret key (a JCEKS entry)"), i + 1);
            else
                snprintf(m, sizeof m, _("entry %zu has an unknown type %u"), i + 1, tag);
            jfail(&c, tag == 3 ? JF_UNSUPPORTED : JF_CORRUPT, m);
            goto fail;
        }
        if (read_alias(&c, &r, &en.alias, i))
            goto fail;
        if (rd_i64(&r, &en.timestamp_ms)) {
            free(en.alias);
            jfail(&c, JF_TRUNC, what);
            goto fail;
        }
        if (tag == JKS_TAG_TRUSTED) {
            en.type = K8TLS_ENTRY_TRUSTED_CERT;
            if (read_cert(&c, &r, &en.cert, i)) {
                free(en.alias);
                goto fail;
            }
        } else {
            en.type = K8TLS_ENTRY_PRIVATE_KEY;
            uint32_t klen, nchain;
            const unsigned char *kder;
            if (rd_u32(&r, &klen) || rd_bytes(&r, klen, &kder) || rd_u32(&r, &nchain)) {
                free(en.alias);
                jfail(&c, JF_TRUNC, what);
                goto fail;
            }
            if (nchain > K8TLS_STORE_MAX_CHAIN || nchain > r.left / 4) {
                char m[160];
                snprintf(m, sizeof m, _("entry %zu announces %u chain certificates"), i + 1, nchain);
                free(en.alias);
                jfail(&c, nchain > r.left / 4 ? JF_TRUNC : JF_CORRUPT, m);
                goto fail;
            }
            en.chain = sk_X509_new_null();
            if (!en.chain) {
                free(en.alias);
                jfail(&c, JF_OOM, "");
                goto fail;
            }
            for (uint32_t j = 0; j < nchain; j++) {
                X509 *x;
                if (read_cert(&c, &r, &x, i)) {
                    k8tls_store_entry_clear(&en);
                    goto fail;
                }
                if (j == 0) {
                    en.cert = x;
                } else if (!sk_X509_push(en.chain, x)) {
                    X509_free(x);
                    k8tls_store_entry_clear(&en);
                    jfail(&c, JF_OOM, "");
                    goto fail;
                }
            }
            struct pending_key *npkv = realloc(pk, (npk + 1) * sizeof *pk);
            if (!npkv) {
                k8tls_store_entry_clear(&en);
                jfail(&c, JF_OOM, "");
                goto fail;
            }
            pk = npkv;
            pk[npk].entry = s->n;
            pk[npk].der = kder;
            pk[npk].len = klen;
            npk++;
        }
        if (k8tls_store_push(s, &en)) {
            jfail(&c, JF_OOM, "");
            goto fail;
        }
    }
    if (r.left < JKS_DIGEST_LEN) {
        jfail(&c, JF_TRUNC, _("the integrity check"));
        goto fail;
    }
    if (r.left > JKS_DIGEST_LEN) {
        char m[160];
        snprintf(m, sizeof m, _("%zu unexpected bytes after the last entry"), r.left - JKS_DIGEST_LEN);
        jfail(&c, JF_CORRUPT, m);
        goto fail;
    }

    /* The integrity trailer: SHA-1(password UTF-16BE || "Mighty Aphrodite" || preceding bytes). */
    pw16 = k8tls_jks_password_bytes(password, &pw16_len);
    if (!pw16) {
        k8tls_err_set(e, name, 0, 0, "%s", _("the password is not valid UTF-8"));
        goto fail;
    }
    {
        unsigned char dig[JKS_DIGEST_LEN];
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        int ok = md && EVP_DigestInit_ex(md, EVP_sha1(), NULL)
                 && EVP_DigestUpdate(md, pw16, pw16_len)
                 && EVP_DigestUpdate(md, "Mighty Aphrodite", 16)
                 && EVP_DigestUpdate(md, data, len - JKS_DIGEST_LEN)
                 && EVP_DigestFinal_ex(md, dig, NULL);
        EVP_MD_CTX_free(md);
        if (!ok) {
            jfail(&c, JF_OOM, "");
            goto fail;
        }
        if (CRYPTO_memcmp(dig, data + len - JKS_DIGEST_LEN, JKS_DIGEST_LEN) != 0) {
            k8tls_err_set(e, name, 0, 0, "%s", _("wrong password or corrupted store"));
            goto fail;
        }
    }

    for (size_t k = 0; k < npk; k++) {
        struct k8tls_store_entry *en = &s->v[pk[k].entry];
        X509_SIG *sig = NULL;
        const unsigned char *enc;
        size_t enc_len;
        if (key_protector_data(&c, pk[k].der, pk[k].len, &sig, &enc, &enc_len, en->alias))
            goto fail;
        int rc = recover_key(pw16, pw16_len, enc, enc_len, &en->key);
        X509_SIG_free(sig);
        if (rc == -3) {
            k8tls_err_set(e, name, 0, 0,
                          _("the private key '%s' has another password than the store "
                            "(Cassandra needs the key password to equal the store password)"),
                          en->alias);
            goto fail;
        }
        if (rc) {
            char m[256];
            snprintf(m, sizeof m, _("the private key of entry '%s' cannot be decoded"), en->alias);
            if (rc == -1)
                jfail(&c, JF_OOM, "");
            else
                jfail(&c, JF_CORRUPT, m);
            goto fail;
        }
    }
    k8tls_jks_pw_free(pw16, pw16_len);
    free(pk);
    *out = s;
    return 0;

fail:
    k8tls_jks_pw_free(pw16, pw16_len);
    free(pk);
    k8tls_store_free(s);
    ERR_clear_error();
    return -1;
}
