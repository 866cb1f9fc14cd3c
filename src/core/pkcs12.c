/* Store writers: PKCS#12 keystores and truststores with Java's trust attribute (S1, S2, S4);
 * JKS goes through k8tls_jks_encode (jks_write.c). */
#include "config.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>

/* Iterations for the bag encryption and the MAC: OpenSSL's and keytool's usual range. */
#define P12_ITER 10000
/* Oracle's "trusted key usage" bag attribute: JDK trusts a certificate bag only with it (S1). */
#define JAVA_TRUST_OID "2.16.840.1.113894.746875.1.1"
#define ANY_EKU_OID "2.5.29.37.0"

struct profile {
    int key_nid, cert_nid;    /* PBES2 cipher NID, or a PKCS#12 PBE NID */
    const EVP_MD *(*mac_md)(void);
};

static struct profile profile_of(enum k8tls_p12_profile prof)
{
    struct profile pr;
    if (prof == K8TLS_P12_LEGACY) {
        /* Java 8 builds without PBES2: 3DES for both bags (never RC2), SHA-1 MAC */
        pr.key_nid = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
        pr.cert_nid = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
        pr.mac_md = EVP_sha1;
    } else {
        /* PBES2: PBKDF2 with HMAC-SHA-256 (OpenSSL 3's default PRF), AES-256-CBC */
        pr.key_nid = NID_aes_256_cbc;
        pr.cert_nid = NID_aes_256_cbc;
        pr.mac_md = EVP_sha256;
    }
    return pr;
}

/* A lowercase copy of an alias (S2: Java lowercases lookups). */
static char *lower_alias(const char *alias)
{
    char *a = strdup(alias && *alias ? alias : "mykey");
    if (a)
        for (char *c = a; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    return a;
}

/* safes + MAC -> DER bytes */
static int finish_p12(STACK_OF(PKCS7) *safes, const char *password, const struct profile *pr,
                      struct k8tls_secret **out, struct k8tls_err *e)
{
    unsigned char *der = NULL;
    int len;
    PKCS12 *p12 = PKCS12_add_safes_ex(safes, 0, NULL, NULL);
    if (!p12 || !PKCS12_set_mac(p12, password, -1, NULL, 0, P12_ITER, pr->mac_md())
        || (len = i2d_PKCS12(p12, &der)) <= 0) {
        k8tls_err_set_openssl(e, _("cannot encode the PKCS#12 store"));
        PKCS12_free(p12);
        return -1;
    }
    PKCS12_free(p12);
    *out = k8tls_secret_new(der, (size_t)len);
    OPENSSL_clear_free(der, (size_t)len);
    if (!*out) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}

static int p12_keystore(enum k8tls_p12_profile prof, const char *alias, EVP_PKEY *key, X509 *leaf,
                        STACK_OF(X509) *chain, const char *password, struct k8tls_secret **out,
                        struct k8tls_err *e)
{
    const struct profile pr = profile_of(prof);
    STACK_OF(PKCS12_SAFEBAG) *certbags = NULL, *keybags = NULL;
    STACK_OF(PKCS7) *safes = NULL;
    PKCS12_SAFEBAG *bag;
    unsigned char keyid[EVP_MAX_MD_SIZE];
    unsigned int keyid_len = 0;
    char *name = lower_alias(alias);
    int rc = -1;

    if (!name || !X509_digest(leaf, EVP_sha1(), keyid, &keyid_len))
        goto ossl;
    if (!X509_check_private_key(leaf, key)) {
        ERR_clear_error();
        k8tls_err_set(e, NULL, 0, 0, "%s", _("the private key does not match the certificate"));
        goto done;
    }
    /* the leaf: friendlyName + localKeyID tie it to the key */
    if (!(bag = PKCS12_add_cert(&certbags, leaf)) || !PKCS12_add_friendlyname(bag, name, -1)
        || !PKCS12_add_localkeyid(bag, keyid, (int)keyid_len))
        goto ossl;
    /* the chain: plain certificate bags (no trust attribute: not trusted entries) */
    for (int i = 0; chain && i < sk_X509_num(chain); i++)
        if (!PKCS12_add_cert(&certbags, sk_X509_value(chain, i)))
            goto ossl;
    if (!(bag = PKCS12_add_key_ex(&keybags, key, 0, P12_ITER, pr.key_nid, password, NULL, NULL))
        || !PKCS12_add_friendlyname(bag, name, -1)
        || !PKCS12_add_localkeyid(bag, keyid, (int)keyid_len))
        goto ossl;
    if (!PKCS12_add_safe_ex(&safes, certbags, pr.cert_nid, P12_ITER, password, NULL, NULL)
        || !PKCS12_add_safe_ex(&safes, keybags, -1, 0, NULL, NULL, NULL))
        goto ossl;
    rc = finish_p12(safes, password, &pr, out, e);
    goto done;
ossl:
    k8tls_err_set_openssl(e, _("cannot build the PKCS#12 keystore"));
done:
    sk_PKCS12_SAFEBAG_pop_free(certbags, PKCS12_SAFEBAG_free);
    sk_PKCS12_SAFEBAG_pop_free(keybags, PKCS12_SAFEBAG_free);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    free(name);
    return rc;
}

static int p12_truststore(enum k8tls_p12_profile prof, STACK_OF(X509) *cas, const char *password,
                          struct k8tls_secret **out, struct k8tls_err *e)
{
    const struct profile pr = profile_of(prof);
    STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
    STACK_OF(PKCS7) *safes = NULL;
    ASN1_OBJECT *any_eku = OBJ_txt2obj(ANY_EKU_OID, 1);
    int rc = -1;

    if (!any_eku)
        goto ossl;
    for (int i = 0; i < sk_X509_num(cas); i++) {
        char alias[32];
        PKCS12_SAFEBAG *bag;
        if (i == 0)
            snprintf(alias, sizeof alias, "ca");
        else
            snprintf(alias, sizeof alias, "ca-%d", i + 1);
        if (!(bag = PKCS12_add_cert(&bags, sk_X509_value(cas, i)))
            || !PKCS12_add_friendlyname(bag, alias, -1)
            || !PKCS12_add1_attr_by_txt(bag, JAVA_TRUST_OID, V_ASN1_OBJECT,
                                        (const unsigned char *)any_eku, -1))
            goto ossl;
    }
    if (!PKCS12_add_safe_ex(&safes, bags, pr.cert_nid, P12_ITER, password, NULL, NULL))
        goto ossl;
    rc = finish_p12(safes, password, &pr, out, e);
    goto done;
ossl:
    k8tls_err_set_openssl(e, _("cannot build the PKCS#12 truststore"));
done:
    ASN1_OBJECT_free(any_eku);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    return rc;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int check_args(const char *password, struct k8tls_err *e)
{
    if (!password || !*password) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("a store needs a password"));
        return -1;
    }
    return 0;
}

int k8tls_store_write_keystore(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                               const char *alias, EVP_PKEY *key, X509 *leaf,
                               STACK_OF(X509) *chain, const char *password,
                               struct k8tls_secret **out, struct k8tls_err *e)
{
    *out = NULL;
    if (check_args(password, e))
        return -1;
    if (!key || !leaf) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("a keystore needs a key and its certificate"));
        return -1;
    }
    if (fmt == K8TLS_FORMAT_PKCS12)
        return p12_keystore(profile, alias, key, leaf, chain, password, out, e);

    if (!X509_check_private_key(leaf, key)) {
        ERR_clear_error();
        k8tls_err_set(e, NULL, 0, 0, "%s", _("the private key does not match the certificate"));
        return -1;
    }
    char *name = lower_alias(alias);
    if (!name) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    struct k8tls_store_entry ent = { .alias = name, .type = K8TLS_ENTRY_PRIVATE_KEY, .key = key,
                                     .cert = leaf, .chain = chain, .timestamp_ms = now_ms() };
    struct k8tls_store st = { .format = K8TLS_FORMAT_JKS, .v = &ent, .n = 1 };
    int rc = k8tls_jks_encode(&st, password, out, e);
    free(name);
    return rc;
}

int k8tls_store_write_truststore(enum k8tls_store_format fmt, enum k8tls_p12_profile profile,
                                 STACK_OF(X509) *cas, const char *password,
                                 struct k8tls_secret **out, struct k8tls_err *e)
{
    *out = NULL;
    if (check_args(password, e))
        return -1;
    if (!cas || sk_X509_num(cas) == 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("a truststore needs at least one CA certificate"));
        return -1;
    }
    if (fmt == K8TLS_FORMAT_PKCS12)
        return p12_truststore(profile, cas, password, out, e);

    size_t n = (size_t)sk_X509_num(cas);
    struct k8tls_store_entry *ents = calloc(n, sizeof *ents);
    char (*aliases)[32] = calloc(n, sizeof *aliases);
    int rc = -1;
    if (!ents || !aliases) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        goto done;
    }
    int64_t ts = now_ms();
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            snprintf(aliases[i], sizeof aliases[i], "ca");
        else
            snprintf(aliases[i], sizeof aliases[i], "ca-%zu", i + 1);
        ents[i].alias = aliases[i];
        ents[i].type = K8TLS_ENTRY_TRUSTED_CERT;
        ents[i].cert = sk_X509_value(cas, (int)i);
        ents[i].timestamp_ms = ts;
    }
    struct k8tls_store st = { .format = K8TLS_FORMAT_JKS, .v = ents, .n = n };
    rc = k8tls_jks_encode(&st, password, out, e);
done:
    free(ents);
    free(aliases);
    return rc;
}
