/* Store readers (S1-S3, S8, X5): PKCS#12 through OpenSSL, walking the safes to keep each bag's
 * friendlyName alias and Java's trust attribute; JKS through jks_read.c; reading whole files,
 * sniffing what they hold, describing keys and dates. Every input is hostile: sizes are capped,
 * nothing prompts on a terminal, and each failure is one message naming the file and saying what
 * is wrong. Calls jks_read.c (k8tls_jks_decode), store_obj.c and secure.c; PEM files are read by
 * pem.c, which calls this file. */
#include "config.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

/* Java's trusted-key-usage attribute on PKCS#12 certificate bags (S1). */
#define JAVA_TRUST_OID "2.16.840.1.113894.746875.1.1"
#define P12_MAX_DEPTH 4

long k8tls_store_chain_copy_of(const struct k8tls_store *s, size_t i)
{
    if (i >= s->n || !s->v[i].p12_no_java_trust || !s->v[i].cert)
        return -1;
    X509 *x = s->v[i].cert;
    for (size_t k = 0; k < s->n; k++) {
        const struct k8tls_store_entry *ke = &s->v[k];
        if (ke->type != K8TLS_ENTRY_PRIVATE_KEY)
            continue;
        if (ke->cert && X509_cmp(ke->cert, x) == 0)
            return (long)k;
        for (int j = 0; j < sk_X509_num(ke->chain); j++)
            if (X509_cmp(sk_X509_value(ke->chain, j), x) == 0)
                return (long)k;
    }
    return -1;
}

/* ---- files and sniffing ----------------------------------------------------------------- */

char *k8tls_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

int k8tls_store_read_bytes(const char *path, size_t max, struct k8tls_secret **out,
                           struct k8tls_err *e)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        k8tls_err_set(e, path, 0, 0, _("cannot read: %s"), strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            k8tls_err_set(e, path, 0, 0, "%s", _("is a directory, not a file"));
            return -1;
        }
        if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > (uintmax_t)max) {
            fclose(f);
            k8tls_err_set(e, path, 0, 0, _("is too large (more than %zu bytes)"), max);
            return -1;
        }
    }
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        if (n == cap) {
            if (cap > max) {
                err = EFBIG;
                break;
            }
            size_t ncap = cap * 2;
            unsigned char *nb = malloc(ncap);
            if (nb)
                memcpy(nb, buf, n);
            OPENSSL_cleanse(buf, cap);
            free(buf);
            buf = nb;
            cap = ncap;
            if (!buf)
                break;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f))
                err = errno ? errno : EIO;
            break;
        }
    }
    fclose(f);
    if (!buf) {
        k8tls_err_set(e, path, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    if (!err && n > max)
        err = EFBIG;
    if (err) {
        OPENSSL_cleanse(buf, cap);
        free(buf);
        if (err == EFBIG)
            k8tls_err_set(e, path, 0, 0, _("is too large (more than %zu bytes)"), max);
        else
            k8tls_err_set(e, path, 0, 0, _("cannot read: %s"), strerror(err));
        return -1;
    }
    *out = k8tls_secret_new(buf, n);
    OPENSSL_cleanse(buf, cap);
    free(buf);
    if (!*out) {
        k8tls_err_set(e, path, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}

enum k8tls_sniff k8tls_store_sniff(const unsigned char *data, size_t len)
{
    if (!data || len == 0)
        return K8TLS_SNIFF_UNKNOWN;
    if (len >= 4 && data[0] == 0xFE && data[1] == 0xED && data[2] == 0xFE && data[3] == 0xED)
        return K8TLS_SNIFF_JKS;
    if (len >= 4 && data[0] == 0xCE && data[1] == 0xCE && data[2] == 0xCE && data[3] == 0xCE)
        return K8TLS_SNIFF_JCEKS;
    if (len >= 2 && data[0] == 0x30) {
        /* DER, unless it is text that starts with '0' */
        size_t k = len < 64 ? len : 64;
        for (size_t i = 0; i < k; i++)
            if (data[i] < 0x09 || (data[i] > 0x0D && data[i] < 0x20) || data[i] >= 0x7F)
                return K8TLS_SNIFF_DER;
    }
    size_t k = len < 65536 ? len : 65536;
    if (memmem(data, k, "-----BEGIN ", 11))
        return K8TLS_SNIFF_PEM;
    /* text: no control characters, valid UTF-8 (a sequence cut at the 64 KiB mark is fine) */
    for (size_t i = 0; i < k;) {
        unsigned char c = data[i];
        if (c == 0 || c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F)
            return K8TLS_SNIFF_UNKNOWN;
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || (c & 0xFE) == 0xC0)
            return K8TLS_SNIFF_UNKNOWN;
        for (size_t j = 1; j < n; j++) {
            if (i + j >= k)
                return k < len ? K8TLS_SNIFF_TEXT : K8TLS_SNIFF_UNKNOWN;
            if ((data[i + j] & 0xC0) != 0x80)
                return K8TLS_SNIFF_UNKNOWN;
        }
        i += n;
    }
    return K8TLS_SNIFF_TEXT;
}

/* ---- descriptions and dates ------------------------------------------------------------- */

const char *k8tls_pkey_describe(const EVP_PKEY *k, char *buf, size_t len)
{
    if (!k) {
        snprintf(buf, len, "%s", _("no key"));
        return buf;
    }
    int id = EVP_PKEY_get_base_id(k);
    int bits = EVP_PKEY_get_bits(k);
    switch (id) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
        snprintf(buf, len, "RSA %d", bits);
        break;
    case EVP_PKEY_EC: {
        char g[80] = "";
        size_t gl = 0;
        const char *nist = NULL;
        if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, g, sizeof g, &gl)) {
            int nid = OBJ_sn2nid(g);
            if (nid == NID_undef)
                nid = EC_curve_nist2nid(g);
            nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;
        }
        ERR_clear_error();
        snprintf(buf, len, "EC %s", nist ? nist : (*g ? g : "?"));
        break;
    }
    case EVP_PKEY_ED25519:
        snprintf(buf, len, "Ed25519");
        break;
    case EVP_PKEY_ED448:
        snprintf(buf, len, "Ed448");
        break;
    case EVP_PKEY_DSA:
        snprintf(buf, len, "DSA %d", bits);
        break;
    default: {
        const char *t = EVP_PKEY_get0_type_name(k);
        snprintf(buf, len, "%s %d", t ? t : "?", bits);
    }
    }
    return buf;
}

long k8tls_days_until(const ASN1_TIME *t, int *ok)
{
    int day = 0, sec = 0;
    if (!t || !ASN1_TIME_diff(&day, &sec, NULL, t)) {
        ERR_clear_error();
        if (ok)
            *ok = 0;
        return 0;
    }
    if (ok)
        *ok = 1;
    long d = day;
    if (day <= 0 && sec < 0)
        d -= 1;   /* floor: a few hours ago is -1, not 0 */
    return d;
}

bool k8tls_not_yet_valid(const X509 *x)
{
    int r = X509_cmp_current_time(X509_get0_notBefore(x));
    ERR_clear_error();
    return r > 0;   /* 0: unreadable (reported with the expiry date) */
}

/* ---- PKCS#12 ---------------------------------------------------------------------------- */

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_PROVIDER *legacy_provider;

static void unload_legacy(void)
{
    /* before OpenSSL's own exit handler (registered earlier, so run later) */
    OSSL_PROVIDER_unload(legacy_provider);
    legacy_provider = NULL;
}

static void load_legacy(void)
{
    /* Old stores (RC2-40 bags from Java 8 or old OpenSSL) need the legacy provider; the
     * default provider stays (retain_fallbacks). */
    legacy_provider = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
    if (legacy_provider)
        atexit(unload_legacy);
    ERR_clear_error();
}

struct p12_bag {
    EVP_PKEY *key;                 /* key bags */
    X509 *cert;                    /* certificate bags */
    char *fname;                   /* friendlyName, UTF-8 */
    ASN1_OCTET_STRING *lkid;       /* localKeyID */
    bool java_trust;
    bool used;                     /* a key's leaf, or in a chain */
};

struct p12_ctx {
    const char *name;
    struct k8tls_err *e;
    const char *pw;                /* the password that opened the MAC (may be NULL) */
    struct p12_bag *v;
    size_t n;
    int failed;
    int64_t total_iter;            /* key-derivation iterations the store asked for so far */
};

static int p12_err(struct p12_ctx *c, const char *msg)
{
    if (!c->failed)
        k8tls_err_set(c->e, c->name, 0, 0, "%s", msg);
    c->failed = 1;
    ERR_clear_error();
    return -1;
}

/* ---- iteration counts, checked before any key is derived from the password -------------- */

/* An ASN.1 iteration count as a number: 1 when absent (the DER default), INT64_MAX when it does
 * not fit in 64 bits. */
static int64_t asn1_count(const ASN1_INTEGER *ai)
{
    int64_t v = 1;
    if (ai && !ASN1_INTEGER_get_int64(&v, ai)) {
        ERR_clear_error();
        v = INT64_MAX;
    }
    return v;
}

/* One key derivation of n iterations for 'what': refused when n is not positive, above
 * K8TLS_P12_MAX_ITER, or brings the store's total above K8TLS_P12_MAX_TOTAL_ITER. */
static int count_ok(struct p12_ctx *c, int64_t n, const char *what)
{
    char m[512];
    if (n < 1) {
        snprintf(m, sizeof m, _("corrupted PKCS#12 keystore: iteration count %lld for %s"),
                 (long long)n, what);
        return p12_err(c, m);
    }
    if (n > K8TLS_P12_MAX_ITER) {
        if (n == INT64_MAX)
            snprintf(m, sizeof m,
                     _("suspicious iteration count for %s (a number of more than 64 bits): the "
                       "keystore is refused before any key is derived from the password"), what);
        else
            snprintf(m, sizeof m,
                     _("suspicious iteration count %lld for %s (more than %ld): the keystore is "
                       "refused before any key is derived from the password"),
                     (long long)n, what, K8TLS_P12_MAX_ITER);
        return p12_err(c, m);
    }
    c->total_iter += n;
    if (c->total_iter > K8TLS_P12_MAX_TOTAL_ITER) {
        snprintf(m, sizeof m,
                 _("suspicious iteration counts: with %s the keystore asks for more than %ld "
                   "iterations in all; it is refused before any more key is derived"),
                 what, K8TLS_P12_MAX_TOTAL_ITER);
        return p12_err(c, m);
    }
    return 0;
}

/* The SEQUENCE parameter of an algorithm identifier decoded as 'it' (NULL when absent/other). */
static void *alg_param(const X509_ALGOR *alg, const ASN1_ITEM *it)
{
    int ptype = V_ASN1_UNDEF;
    const void *pval = NULL;
    X509_ALGOR_get0(NULL, &ptype, &pval, alg);
    void *r = ptype == V_ASN1_SEQUENCE && pval ? ASN1_item_unpack(pval, it) : NULL;
    ERR_clear_error();
    return r;
}

/* scrypt's work: N * r * p (INT64_MAX on overflow). */
static int64_t scrypt_work(const SCRYPT_PARAMS *sp)
{
    int64_t n = asn1_count(sp->costParameter), r = asn1_count(sp->blockSize),
            p = asn1_count(sp->parallelizationParameter);
    if (n < 1 || r < 1 || p < 1)
        return n < 1 ? n : r < 1 ? r : p;
    if (n > INT64_MAX / r || n * r > INT64_MAX / p)
        return INT64_MAX;
    return n * r * p;
}

/* The password-based encryption 'alg' protecting 'what': PBES2 with PBKDF2 or scrypt, or a
 * PKCS#12 / PKCS#5 v1 PBE. Other algorithms are left to OpenSSL (which refuses them). */
static int pbe_ok(struct p12_ctx *c, const X509_ALGOR *alg, const char *what)
{
    if (!alg)
        return 0;
    const ASN1_OBJECT *oid = NULL;
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    int nid = OBJ_obj2nid(oid);
    char m[512];
    snprintf(m, sizeof m, _("corrupted PKCS#12 keystore: the encryption parameters of %s cannot be "
                            "decoded"), what);
    if (nid == NID_pbes2) {
        PBE2PARAM *p2 = alg_param(alg, ASN1_ITEM_rptr(PBE2PARAM));
        if (!p2 || !p2->keyfunc) {
            PBE2PARAM_free(p2);
            return p12_err(c, m);
        }
        const ASN1_OBJECT *kdf_oid = NULL;
        X509_ALGOR_get0(&kdf_oid, NULL, NULL, p2->keyfunc);
        int rc = 0;
        switch (OBJ_obj2nid(kdf_oid)) {
        case NID_id_pbkdf2: {
            PBKDF2PARAM *kdf = alg_param(p2->keyfunc, ASN1_ITEM_rptr(PBKDF2PARAM));
            rc = kdf ? count_ok(c, asn1_count(kdf->iter), what) : p12_err(c, m);
            PBKDF2PARAM_free(kdf);
            break;
        }
#ifndef OPENSSL_NO_SCRYPT
        case NID_id_scrypt: {
            SCRYPT_PARAMS *sp = alg_param(p2->keyfunc, ASN1_ITEM_rptr(SCRYPT_PARAMS));
            rc = sp ? count_ok(c, scrypt_work(sp), what) : p12_err(c, m);
            SCRYPT_PARAMS_free(sp);
            break;
        }
#endif
        default:
            break;
        }
        PBE2PARAM_free(p2);
        return rc;
    }
    if (EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, NULL, NULL, NULL)) {
        PBEPARAM *pp = alg_param(alg, ASN1_ITEM_rptr(PBEPARAM));
        int rc = pp ? count_ok(c, asn1_count(pp->iter), what) : p12_err(c, m);
        PBEPARAM_free(pp);
        return rc;
    }
    ERR_clear_error();
    return 0;
}

/* A shrouded key bag's encryption, named by its friendlyName. */
static int key_bag_ok(struct p12_ctx *c, const PKCS12_SAFEBAG *bag)
{
    const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8(bag);
    const X509_ALGOR *alg = NULL;
    if (!sig)
        return 0;
    X509_SIG_get0(sig, &alg, NULL);
    char what[320];
    char *fn = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag);
    snprintf(what, sizeof what, _("the private key '%s'"), fn ? fn : "?");
    OPENSSL_free(fn);
    ERR_clear_error();
    return pbe_ok(c, alg, what);
}

/* The shrouded key bags of one unencrypted safe (and of the safes nested in it). */
static int key_bags_ok(struct p12_ctx *c, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
    if (depth > P12_MAX_DEPTH)
        return p12_err(c, _("corrupted PKCS#12 keystore: bags nested too deep"));
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
        const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        int nid = PKCS12_SAFEBAG_get_nid(bag);
        if (nid == NID_pkcs8ShroudedKeyBag && key_bag_ok(c, bag))
            return -1;
        if (nid == NID_safeContentsBag && key_bags_ok(c, PKCS12_SAFEBAG_get0_safes(bag), depth + 1))
            return -1;
    }
    return 0;
}

/* Every iteration count visible without the password: the MAC's, each encrypted part's, and
 * those of the key bags of unencrypted parts. Key bags inside encrypted parts are checked by
 * walk_bags before they are decrypted. */
static int p12_counts_ok(struct p12_ctx *c, const PKCS12 *p12, STACK_OF(PKCS7) *asafes)
{
    if (PKCS12_mac_present(p12)) {
        const ASN1_INTEGER *iter = NULL;
        PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
        if (count_ok(c, asn1_count(iter), _("the integrity check (MAC)")))
            return -1;
    }
    for (int i = 0; i < sk_PKCS7_num(asafes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(asafes, i);
        int nid = OBJ_obj2nid(p7->type);
        if (nid == NID_pkcs7_encrypted) {
            const X509_ALGOR *alg = p7->d.encrypted && p7->d.encrypted->enc_data
                                    ? p7->d.encrypted->enc_data->algorithm : NULL;
            if (pbe_ok(c, alg, _("the encrypted certificates")))
                return -1;
        } else if (nid == NID_pkcs7_data) {
            STACK_OF(PKCS12_SAFEBAG) *bags = PKCS12_unpack_p7data(p7);
            ERR_clear_error();
            int rc = bags ? key_bags_ok(c, bags, 0) : 0;
            sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
            if (rc)
                return -1;
        }
    }
    return 0;
}

static void bag_attrs(const PKCS12_SAFEBAG *bag, struct p12_bag *pb)
{
    char *fn = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag);
    if (fn) {
        pb->fname = strdup(fn);
        OPENSSL_free(fn);
    }
    const ASN1_TYPE *lk = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);
    if (lk && lk->type == V_ASN1_OCTET_STRING)
        pb->lkid = ASN1_OCTET_STRING_dup(lk->value.octet_string);
    const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
    for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); i++) {
        X509_ATTRIBUTE *a = sk_X509_ATTRIBUTE_value(attrs, i);
        char txt[80];
        if (OBJ_obj2txt(txt, sizeof txt, X509_ATTRIBUTE_get0_object(a), 1) > 0
            && strcmp(txt, JAVA_TRUST_OID) == 0)
            pb->java_trust = true;
    }
    ERR_clear_error();
}

static int push_bag(struct p12_ctx *c, struct p12_bag *pb)
{
    if (c->n >= 2 * K8TLS_STORE_MAX_ENTRIES) {
        EVP_PKEY_free(pb->key);
        X509_free(pb->cert);
        free(pb->fname);
        ASN1_OCTET_STRING_free(pb->lkid);
        return p12_err(c, _("corrupted PKCS#12 keystore: too many bags"));
    }
    struct p12_bag *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (!v) {
        EVP_PKEY_free(pb->key);
        X509_free(pb->cert);
        free(pb->fname);
        ASN1_OCTET_STRING_free(pb->lkid);
        return p12_err(c, _("out of memory"));
    }
    c->v = v;
    c->v[c->n++] = *pb;
    return 0;
}

/* encrypted: the bags come from an encrypted part (their key bags' counts are not checked yet) */
static int walk_bags(struct p12_ctx *c, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth,
                     bool encrypted)
{
    if (depth > P12_MAX_DEPTH)
        return p12_err(c, _("corrupted PKCS#12 keystore: bags nested too deep"));
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
        const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        struct p12_bag pb;
        memset(&pb, 0, sizeof pb);
        switch (PKCS12_SAFEBAG_get_nid(bag)) {
        case NID_keyBag: {
            const PKCS8_PRIV_KEY_INFO *p8 = PKCS12_SAFEBAG_get0_p8inf(bag);
            pb.key = p8 ? EVP_PKCS82PKEY(p8) : NULL;
            if (!pb.key)
                return p12_err(c, _("corrupted PKCS#12 keystore: a private key cannot be decoded"));
            break;
        }
        case NID_pkcs8ShroudedKeyBag: {
            if (encrypted && key_bag_ok(c, bag))
                return -1;
            int pl = c->pw ? -1 : 0;
            PKCS8_PRIV_KEY_INFO *p8 = PKCS12_decrypt_skey(bag, c->pw, pl);
            if (!p8) {
                ERR_clear_error();
                pthread_once(&legacy_once, load_legacy);
                p8 = PKCS12_decrypt_skey(bag, c->pw, pl);
            }
            if (!p8) {
                char m[512];
                char *fn = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag);
                snprintf(m, sizeof m,
                         _("the private key '%s' cannot be decrypted with the store password "
                           "(Cassandra needs the key password to equal the store password)"),
                         fn ? fn : "?");
                OPENSSL_free(fn);
                return p12_err(c, m);
            }
            pb.key = EVP_PKCS82PKEY(p8);
            PKCS8_PRIV_KEY_INFO_free(p8);
            if (!pb.key)
                return p12_err(c, _("corrupted PKCS#12 keystore: a private key cannot be decoded"));
            break;
        }
        case NID_certBag:
            if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate)
                continue;
            pb.cert = PKCS12_SAFEBAG_get1_cert(bag);
            if (!pb.cert)
                return p12_err(c, _("corrupted PKCS#12 keystore: a certificate cannot be decoded"));
            break;
        case NID_safeContentsBag:
            if (walk_bags(c, PKCS12_SAFEBAG_get0_safes(bag), depth + 1, encrypted))
                return -1;
            continue;
        default:
            continue;   /* CRL, secret and unknown bags are not entries we use */
        }
        bag_attrs(bag, &pb);
        if (push_bag(c, &pb))
            return -1;
    }
    return 0;
}

static int lkid_eq(const ASN1_OCTET_STRING *a, const ASN1_OCTET_STRING *b)
{
    return a && b && ASN1_STRING_cmp(a, b) == 0;
}

static int is_self_issued(X509 *x)
{
    return X509_check_issued(x, x) == X509_V_OK;
}

static int p12_build_store(struct p12_ctx *c, struct k8tls_store *s)
{
    /* private-key entries: leaf by localKeyID, else by public key; chain by issuer */
    for (size_t i = 0; i < c->n; i++) {
        struct p12_bag *kb = &c->v[i];
        if (!kb->key)
            continue;
        struct p12_bag *leaf = NULL;
        for (size_t j = 0; j < c->n && !leaf; j++)
            if (c->v[j].cert && !c->v[j].used && lkid_eq(kb->lkid, c->v[j].lkid))
                leaf = &c->v[j];
        for (size_t j = 0; j < c->n && !leaf; j++)
            if (c->v[j].cert && !c->v[j].used && EVP_PKEY_eq(kb->key, X509_get0_pubkey(c->v[j].cert)) == 1)
                leaf = &c->v[j];
        ERR_clear_error();
        struct k8tls_store_entry en;
        memset(&en, 0, sizeof en);
        en.type = K8TLS_ENTRY_PRIVATE_KEY;
        const char *fn = kb->fname ? kb->fname : (leaf && leaf->fname ? leaf->fname : NULL);
        char gen[32];
        snprintf(gen, sizeof gen, "%zu", s->n + 1);
        en.alias = strdup(fn ? fn : gen);
        en.key = kb->key;   /* moved */
        kb->key = NULL;
        en.chain = sk_X509_new_null();
        if (!en.alias || !en.chain) {
            k8tls_store_entry_clear(&en);
            return p12_err(c, _("out of memory"));
        }
        if (leaf) {
            leaf->used = true;
            en.cert = leaf->cert;
            X509_up_ref(en.cert);
            X509 *cur = en.cert;
            for (int depth = 0; depth < K8TLS_STORE_MAX_CHAIN && !is_self_issued(cur); depth++) {
                X509 *next = NULL;
                for (size_t j = 0; j < c->n && !next; j++) {
                    struct p12_bag *cb = &c->v[j];
                    if (!cb->cert || cb == leaf || cb->cert == cur)
                        continue;
                    int in_chain = 0;
                    for (int k = 0; k < sk_X509_num(en.chain); k++)
                        if (sk_X509_value(en.chain, k) == cb->cert)
                            in_chain = 1;
                    if (!in_chain && X509_check_issued(cb->cert, cur) == X509_V_OK) {
                        next = cb->cert;
                        cb->used = true;
                    }
                }
                if (!next)
                    break;
                X509_up_ref(next);
                if (!sk_X509_push(en.chain, next)) {
                    X509_free(next);
                    k8tls_store_entry_clear(&en);
                    return p12_err(c, _("out of memory"));
                }
                cur = next;
            }
        }
        if (k8tls_store_push(s, &en))
            return p12_err(c, _("out of memory"));
    }
    /* trusted-certificate entries: bags with Java's trust attribute, and leftovers */
    for (size_t i = 0; i < c->n; i++) {
        struct p12_bag *cb = &c->v[i];
        if (!cb->cert || (cb->used && !cb->java_trust))
            continue;
        struct k8tls_store_entry en;
        memset(&en, 0, sizeof en);
        en.type = K8TLS_ENTRY_TRUSTED_CERT;
        char gen[32];
        snprintf(gen, sizeof gen, "%zu", s->n + 1);
        en.alias = strdup(cb->fname ? cb->fname : gen);
        en.cert = cb->cert;
        X509_up_ref(en.cert);
        en.p12_no_java_trust = !cb->java_trust;
        if (!en.alias) {
            k8tls_store_entry_clear(&en);
            return p12_err(c, _("out of memory"));
        }
        if (k8tls_store_push(s, &en))
            return p12_err(c, _("out of memory"));
    }
    ERR_clear_error();
    return 0;
}

static void p12_ctx_free(struct p12_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        EVP_PKEY_free(c->v[i].key);
        X509_free(c->v[i].cert);
        free(c->v[i].fname);
        ASN1_OCTET_STRING_free(c->v[i].lkid);
    }
    free(c->v);
}

static int p12_read(const unsigned char *data, size_t len, const char *name, const char *password,
                    struct k8tls_store **out, struct k8tls_err *e)
{
    /* The outer SEQUENCE says how long the store should be: tell truncation from corruption. */
    const unsigned char *q = data;
    long plen = 0;
    int tag = 0, xclass = 0;
    int ret = ASN1_get_object(&q, &plen, &tag, &xclass, (long)len);
    ERR_clear_error();
    if (ret == 0x80 && len < 8) {
        k8tls_err_set(e, name, 0, 0, _("truncated keystore: only %zu bytes"), len);
        return -1;
    }
    if (ret == 0x80 || tag != V_ASN1_SEQUENCE) {
        k8tls_err_set(e, name, 0, 0, "%s", _("not a keystore (neither PKCS#12 nor JKS)"));
        return -1;
    }
    if (!(ret & 0x01)) {   /* definite length */
        size_t hdr = (size_t)(q - data);
        if (plen < 0 || (size_t)plen > len - hdr) {
            k8tls_err_set(e, name, 0, 0,
                          _("truncated keystore: %zu of %zu bytes"), len, hdr + (size_t)plen);
            return -1;
        }
        if (hdr + (size_t)plen < len) {
            k8tls_err_set(e, name, 0, 0, _("corrupted keystore: %zu unexpected bytes at the end"),
                          len - hdr - (size_t)plen);
            return -1;
        }
    }
    q = data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)len);
    if (!p12) {
        ERR_clear_error();
        q = data;
        X509 *x = d2i_X509(NULL, &q, (long)len);
        ERR_clear_error();
        if (x) {
            X509_free(x);
            k8tls_err_set(e, name, 0, 0, "%s", _("a DER certificate, not a keystore"));
        } else {
            k8tls_err_set(e, name, 0, 0, "%s",
                          _("corrupted keystore, or not a keystore (not valid PKCS#12)"));
        }
        return -1;
    }
    struct p12_ctx c = { .name = name, .e = e, .pw = password };
    struct k8tls_store *s = NULL;
    STACK_OF(PKCS7) *asafes = PKCS12_unpack_authsafes(p12);
    if (!asafes) {
        p12_err(&c, _("corrupted PKCS#12 keystore: its contents cannot be decoded"));
        goto fail;
    }
    if (sk_PKCS7_num(asafes) > K8TLS_STORE_MAX_ENTRIES) {
        p12_err(&c, _("corrupted PKCS#12 keystore: too many parts"));
        goto fail;
    }
    /* before the MAC or any part is opened: each key derivation costs its iteration count */
    if (p12_counts_ok(&c, p12, asafes))
        goto fail;
    if (PKCS12_mac_present(p12)) {
        if (!password) {
            p12_err(&c, _("a password is needed to open this keystore"));
            goto fail;
        }
        int ok = PKCS12_verify_mac(p12, password, -1);
        if (!ok && !*password && PKCS12_verify_mac(p12, NULL, 0)) {
            ok = 1;
            c.pw = NULL;
        }
        if (!ok) {
            p12_err(&c, _("wrong password or corrupted store"));
            goto fail;
        }
    }
    for (int i = 0; i < sk_PKCS7_num(asafes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(asafes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
        int nid = OBJ_obj2nid(p7->type);
        if (nid == NID_pkcs7_data) {
            bags = PKCS12_unpack_p7data(p7);
        } else if (nid == NID_pkcs7_encrypted) {
            int pl = c.pw ? -1 : 0;
            bags = PKCS12_unpack_p7encdata(p7, c.pw, pl);
            if (!bags) {
                ERR_clear_error();
                pthread_once(&legacy_once, load_legacy);
                bags = PKCS12_unpack_p7encdata(p7, c.pw, pl);
            }
            if (!bags && !PKCS12_mac_present(p12)) {
                p12_err(&c, _("wrong password or corrupted store"));
                goto fail;
            }
        } else {
            continue;   /* enveloped data (public-key privacy mode): not used by Java */
        }
        if (!bags) {
            p12_err(&c, _("corrupted PKCS#12 keystore, or encrypted with an unsupported algorithm"));
            goto fail;
        }
        int rc = walk_bags(&c, bags, 0, nid == NID_pkcs7_encrypted);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
        if (rc)
            goto fail;
    }
    s = k8tls_store_new(K8TLS_FORMAT_PKCS12);
    if (!s) {
        p12_err(&c, _("out of memory"));
        goto fail;
    }
    if (p12_build_store(&c, s))
        goto fail;
    sk_PKCS7_pop_free(asafes, PKCS7_free);
    PKCS12_free(p12);
    p12_ctx_free(&c);
    ERR_clear_error();
    *out = s;
    return 0;
fail:
    k8tls_store_free(s);
    sk_PKCS7_pop_free(asafes, PKCS7_free);
    PKCS12_free(p12);
    p12_ctx_free(&c);
    ERR_clear_error();
    return -1;
}

/* ---- entry points ----------------------------------------------------------------------- */

int k8tls_store_read(const unsigned char *data, size_t len, const char *name,
                     const char *password, struct k8tls_store **out, struct k8tls_err *e)
{
    *out = NULL;
    if (!name)
        name = "-";
    if (!data || len == 0) {
        k8tls_err_set(e, name, 0, 0, "%s", _("empty file, not a keystore"));
        return -1;
    }
    if (len > K8TLS_READ_MAX_BYTES) {
        k8tls_err_set(e, name, 0, 0, "%s", _("the file is too large for a keystore"));
        return -1;
    }
    switch (k8tls_store_sniff(data, len)) {
    case K8TLS_SNIFF_JKS:
        return k8tls_jks_decode(data, len, name, password, out, e);
    case K8TLS_SNIFF_JCEKS:
        k8tls_err_set(e, name, 0, 0, "%s",
                      _("a JCEKS keystore, which is not supported: convert it with "
                        "keytool -importkeystore -deststoretype PKCS12"));
        return -1;
    case K8TLS_SNIFF_DER:
        return p12_read(data, len, name, password, out, e);
    case K8TLS_SNIFF_PEM:
        k8tls_err_set(e, name, 0, 0, "%s", _("a PEM file, not a keystore"));
        return -1;
    default:
        k8tls_err_set(e, name, 0, 0, "%s", _("not a keystore (neither PKCS#12 nor JKS)"));
        return -1;
    }
}

int k8tls_store_read_file(const char *path, const char *password, struct k8tls_store **out,
                          struct k8tls_err *e)
{
    struct k8tls_secret *buf = NULL;
    *out = NULL;
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &buf, e))
        return -1;
    int rc = k8tls_store_read(buf->data, buf->len, path, password, out, e);
    k8tls_secret_free(buf);
    return rc;
}
