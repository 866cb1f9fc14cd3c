/* Unit tests for the store writers: PKCS#12 (Java trust attribute, profiles) and JKS bytes
 * (S1-S4). The JDK itself judges them in tests/interop/. */
#include "config.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include "k8tls/pki.h"
#include "k8tls/store.h"

/* the whole attribute, as Java writes it */
static const unsigned char JAVA_TRUST_ATTR_DER[] = {
    0x30, 0x16, 0x06, 0x0C, 0x60, 0x86, 0x48, 0x01, 0x86, 0xF9, 0x66, 0xAD, 0xCA, 0x7B, 0x01,
    0x01, 0x31, 0x06, 0x06, 0x04, 0x55, 0x1D, 0x25, 0x00,
};

static const struct k8tls_key_spec EC256 = { .set = true, .alg = K8TLS_KEY_ECDSA,
                                             .curve = K8TLS_CURVE_P256 };

struct fixture {
    EVP_PKEY *cakey, *ca2key, *key;
    X509 *ca, *ca2, *leaf;
    STACK_OF(X509) *chain, *cas;
};
static struct fixture F;

static void setup(void)
{
    struct k8tls_err e;
    static char O[] = "Org", CN1[] = "CA one", CN2[] = "CA two";
    struct k8tls_subject s1 = { .O = O, .CN = CN1 }, s2 = { .O = O, .CN = CN2 };
    F.cakey = k8tls_pki_keygen(&EC256, &e);
    F.ca2key = k8tls_pki_keygen(&EC256, &e);
    F.key = k8tls_pki_keygen(&EC256, &e);
    ck_assert(F.cakey && F.ca2key && F.key);
    F.ca = k8tls_pki_make_ca(F.cakey, &s1, 365, &e);
    F.ca2 = k8tls_pki_make_ca(F.ca2key, &s2, 365, &e);
    struct k8tls_leaf_params lp = { .cn = "node", .server_auth = true, .client_auth = true,
                                    .validity_days = 30 };
    F.leaf = k8tls_pki_make_leaf(F.ca, F.cakey, F.key, &lp, NULL, &e);
    ck_assert(F.ca && F.ca2 && F.leaf);
    F.chain = sk_X509_new_null();
    sk_X509_push(F.chain, F.ca);
    F.cas = sk_X509_new_null();
    sk_X509_push(F.cas, F.ca);
    sk_X509_push(F.cas, F.ca2);
}

static void teardown(void)
{
    sk_X509_free(F.chain);
    sk_X509_free(F.cas);
    X509_free(F.leaf);
    X509_free(F.ca);
    X509_free(F.ca2);
    EVP_PKEY_free(F.cakey);
    EVP_PKEY_free(F.ca2key);
    EVP_PKEY_free(F.key);
    memset(&F, 0, sizeof F);
}

static PKCS12 *parse_p12(const struct k8tls_secret *s)
{
    const unsigned char *q = s->data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)s->len);
    ck_assert_ptr_nonnull(p12);
    ck_assert(q == s->data + s->len);
    return p12;
}

/* Every bag of a PKCS#12, decrypting encrypted safes with pw; also reports the safes' and the
 * shrouded key's algorithms. */
struct p12_view {
    STACK_OF(PKCS12_SAFEBAG) *bags;
    int enc_data_nid;        /* algorithm of the (last) encrypted safe */
    int shrouded_nid;        /* algorithm of the (last) shrouded key bag */
    int shrouded_cipher_nid; /* PBES2 only: the encryption scheme's cipher */
    int shrouded_prf_nid;    /* PBES2 only: PBKDF2's PRF */
    int mac_md_nid;
};

static int pbes2_cipher(const X509_ALGOR *alg, int *prf)
{
    if (OBJ_obj2nid(alg->algorithm) != NID_pbes2)
        return NID_undef;
    PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
    ck_assert_ptr_nonnull(p2);
    int cipher = OBJ_obj2nid(p2->encryption->algorithm);
    PBKDF2PARAM *kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
                                                 p2->keyfunc->parameter);
    ck_assert_ptr_nonnull(kdf);
    *prf = kdf->prf ? OBJ_obj2nid(kdf->prf->algorithm) : NID_hmacWithSHA1;
    PBKDF2PARAM_free(kdf);
    PBE2PARAM_free(p2);
    return cipher;
}

static struct p12_view view(const struct k8tls_secret *s, const char *pw)
{
    struct p12_view v = { .bags = sk_PKCS12_SAFEBAG_new_null() };
    PKCS12 *p12 = parse_p12(s);
    ck_assert_int_eq(PKCS12_verify_mac(p12, pw, -1), 1);
    ck_assert_int_eq(PKCS12_verify_mac(p12, "not-the-password", -1), 0);
    const X509_ALGOR *macalg;
    const ASN1_OBJECT *macoid;
    PKCS12_get0_mac(NULL, &macalg, NULL, NULL, p12);
    X509_ALGOR_get0(&macoid, NULL, NULL, macalg);
    v.mac_md_nid = OBJ_obj2nid(macoid);
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    ck_assert_ptr_nonnull(safes);
    for (int i = 0; i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags;
        if (OBJ_obj2nid(p7->type) == NID_pkcs7_encrypted) {
            const X509_ALGOR *a = p7->d.encrypted->enc_data->algorithm;
            int prf = 0;
            int c = pbes2_cipher(a, &prf);
            v.enc_data_nid = c != NID_undef ? c : OBJ_obj2nid(a->algorithm);
            bags = PKCS12_unpack_p7encdata(p7, pw, -1);
        } else {
            bags = PKCS12_unpack_p7data(p7);
        }
        ck_assert_ptr_nonnull(bags);
        for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags); j++) {
            PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
            if (PKCS12_SAFEBAG_get_nid(bag) == NID_pkcs8ShroudedKeyBag) {
                const X509_ALGOR *a;
                X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &a, NULL);
                v.shrouded_nid = OBJ_obj2nid(a->algorithm);
                v.shrouded_cipher_nid = pbes2_cipher(a, &v.shrouded_prf_nid);
            }
            sk_PKCS12_SAFEBAG_push(v.bags, bag);
        }
        sk_PKCS12_SAFEBAG_free(bags);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    return v;
}

static void view_free(struct p12_view *v)
{
    sk_PKCS12_SAFEBAG_pop_free(v->bags, PKCS12_SAFEBAG_free);
}

static const X509_ATTRIBUTE *find_attr(const PKCS12_SAFEBAG *bag, const char *oid)
{
    const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
    ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
    const X509_ATTRIBUTE *found = NULL;
    for (int i = 0; attrs && i < sk_X509_ATTRIBUTE_num(attrs); i++) {
        X509_ATTRIBUTE *a = sk_X509_ATTRIBUTE_value(attrs, i);
        if (OBJ_cmp(X509_ATTRIBUTE_get0_object(a), o) == 0)
            found = a;
    }
    ASN1_OBJECT_free(o);
    return found;
}

START_TEST(test_truststore_bags_carry_the_java_trust_attribute)
{
    struct k8tls_secret *ts = NULL;
    struct k8tls_err e;
    for (int prof = 0; prof < 2; prof++) {
        ck_assert_int_eq(k8tls_store_write_truststore(K8TLS_FORMAT_PKCS12, prof, F.cas,
                                                      "trust-pw-123", &ts, &e), 0);
        struct p12_view v = view(ts, "trust-pw-123");
        ck_assert_int_eq(sk_PKCS12_SAFEBAG_num(v.bags), 2);
        for (int i = 0; i < 2; i++) {
            PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(v.bags, i);
            ck_assert_int_eq(PKCS12_SAFEBAG_get_nid(bag), NID_certBag);
            const X509_ATTRIBUTE *a = find_attr(bag, "2.16.840.1.113894.746875.1.1");
            ck_assert_ptr_nonnull(a);
            unsigned char *der = NULL;
            int len = i2d_X509_ATTRIBUTE((X509_ATTRIBUTE *)a, &der);
            ck_assert_int_eq(len, (int)sizeof JAVA_TRUST_ATTR_DER);
            ck_assert_mem_eq(der, JAVA_TRUST_ATTR_DER, sizeof JAVA_TRUST_ATTR_DER);
            OPENSSL_free(der);
            char *name = PKCS12_get_friendlyname(bag);
            ck_assert_str_eq(name, i == 0 ? "ca" : "ca-2");
            OPENSSL_free(name);
            X509 *c = PKCS12_SAFEBAG_get1_cert(bag);
            ck_assert_int_eq(X509_cmp(c, sk_X509_value(F.cas, i)), 0);
            X509_free(c);
        }
        view_free(&v);
        k8tls_secret_free(ts);
    }
}
END_TEST

START_TEST(test_keystore_holds_one_key_with_leaf_and_chain_lowercase_alias)
{
    struct k8tls_secret *ks = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_store_write_keystore(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "Server",
                                                F.key, F.leaf, F.chain, "key-pw-123", &ks, &e), 0);
    struct p12_view v = view(ks, "key-pw-123");
    int keys = 0, certs = 0;
    ASN1_OCTET_STRING *key_id = NULL, *leaf_id = NULL;
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(v.bags); i++) {
        PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(v.bags, i);
        const ASN1_TYPE *id = PKCS12_get_attr_gen(PKCS12_SAFEBAG_get0_attrs(bag),
                                                  NID_localKeyID);
        /* a CA bag in a keystore carries no trust attribute: it is chain, not a trusted entry */
        ck_assert_ptr_null(find_attr(bag, "2.16.840.1.113894.746875.1.1"));
        if (PKCS12_SAFEBAG_get_nid(bag) == NID_pkcs8ShroudedKeyBag) {
            keys++;
            char *name = PKCS12_get_friendlyname(bag);
            ck_assert_str_eq(name, "server");
            OPENSSL_free(name);
            ck_assert_ptr_nonnull(id);
            key_id = id->value.octet_string;
        } else {
            certs++;
            X509 *c = PKCS12_SAFEBAG_get1_cert(bag);
            if (X509_cmp(c, F.leaf) == 0) {
                ck_assert_ptr_nonnull(id);
                leaf_id = id->value.octet_string;
            } else {
                ck_assert_int_eq(X509_cmp(c, F.ca), 0);
                ck_assert_ptr_null(id);
            }
            X509_free(c);
        }
    }
    ck_assert_int_eq(keys, 1);
    ck_assert_int_eq(certs, 2);
    ck_assert_ptr_nonnull(key_id);
    ck_assert_ptr_nonnull(leaf_id);
    ck_assert_int_eq(ASN1_OCTET_STRING_cmp(key_id, leaf_id), 0);
    /* key password = store password (S2): the key decrypts with it */
    PKCS12 *p12 = parse_p12(ks);
    EVP_PKEY *k = NULL;
    X509 *c = NULL;
    ck_assert_int_eq(PKCS12_parse(p12, "key-pw-123", &k, &c, NULL), 1);
    ck_assert_int_eq(EVP_PKEY_eq(k, F.key), 1);
    EVP_PKEY_free(k);
    X509_free(c);
    PKCS12_free(p12);
    view_free(&v);
    k8tls_secret_free(ks);
}
END_TEST

START_TEST(test_pkcs12_profiles_choose_the_algorithms)
{
    struct k8tls_secret *ks = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_store_write_keystore(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "a", F.key,
                                                F.leaf, F.chain, "pw-modern-1", &ks, &e), 0);
    struct p12_view v = view(ks, "pw-modern-1");
    ck_assert_int_eq(v.mac_md_nid, NID_sha256);
    ck_assert_int_eq(v.enc_data_nid, NID_aes_256_cbc);
    ck_assert_int_eq(v.shrouded_nid, NID_pbes2);
    ck_assert_int_eq(v.shrouded_cipher_nid, NID_aes_256_cbc);
    ck_assert_int_eq(v.shrouded_prf_nid, NID_hmacWithSHA256);
    view_free(&v);
    k8tls_secret_free(ks);

    ck_assert_int_eq(k8tls_store_write_keystore(K8TLS_FORMAT_PKCS12, K8TLS_P12_LEGACY, "a", F.key,
                                                F.leaf, F.chain, "pw-legacy-1", &ks, &e), 0);
    v = view(ks, "pw-legacy-1");
    ck_assert_int_eq(v.mac_md_nid, NID_sha1);
    ck_assert_int_eq(v.enc_data_nid, NID_pbe_WithSHA1And3_Key_TripleDES_CBC);
    ck_assert_int_eq(v.shrouded_nid, NID_pbe_WithSHA1And3_Key_TripleDES_CBC);
    view_free(&v);
    k8tls_secret_free(ks);
}
END_TEST

START_TEST(test_no_store_without_a_password_or_with_a_foreign_key)
{
    struct k8tls_secret *s = (void *)1;
    struct k8tls_err e;
    for (int fmt = 0; fmt < 2; fmt++) {
        ck_assert_int_eq(k8tls_store_write_keystore(fmt, K8TLS_P12_MODERN, "a", F.key, F.leaf,
                                                    F.chain, "", &s, &e), -1);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(k8tls_store_write_truststore(fmt, K8TLS_P12_MODERN, F.cas, NULL, &s, &e),
                         -1);
        ck_assert_int_eq(k8tls_store_write_keystore(fmt, K8TLS_P12_MODERN, "a", F.cakey, F.leaf,
                                                    F.chain, "pw-123456", &s, &e), -1);
        ck_assert_ptr_nonnull(strstr(e.msg, "does not match"));
    }
}
END_TEST

/* ---- JKS bytes -------------------------------------------------------------------------- */

struct rd {
    const unsigned char *p;
    size_t len, off;
};

static uint32_t u32(struct rd *r)
{
    ck_assert_uint_le(r->off + 4, r->len);
    const unsigned char *p = r->p + r->off;
    r->off += 4;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t u64(struct rd *r)
{
    uint64_t hi = u32(r);
    return hi << 32 | u32(r);
}

static char *utf(struct rd *r)
{
    ck_assert_uint_le(r->off + 2, r->len);
    size_t n = (size_t)r->p[r->off] << 8 | r->p[r->off + 1];
    r->off += 2;
    ck_assert_uint_le(r->off + n, r->len);
    char *s = strndup((const char *)r->p + r->off, n);
    r->off += n;
    return s;
}

static const unsigned char *bytes(struct rd *r, size_t n)
{
    ck_assert_uint_le(r->off + n, r->len);
    const unsigned char *p = r->p + r->off;
    r->off += n;
    return p;
}

static X509 *cert(struct rd *r)
{
    char *type = utf(r);
    ck_assert_str_eq(type, "X.509");
    free(type);
    uint32_t n = u32(r);
    const unsigned char *p = bytes(r, n);
    X509 *x = d2i_X509(NULL, &p, n);
    ck_assert_ptr_nonnull(x);
    return x;
}

/* SHA-1(password UTF-16BE || "Mighty Aphrodite" || body) */
static void jks_digest(const unsigned char *pw16, size_t pwlen, const unsigned char *body,
                       size_t len, unsigned char out[20])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha1(), NULL);
    EVP_DigestUpdate(c, pw16, pwlen);
    EVP_DigestUpdate(c, "Mighty Aphrodite", 16);
    EVP_DigestUpdate(c, body, len);
    EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}

static void sha1_2(const void *a, size_t alen, const void *b, size_t blen, unsigned char out[20])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha1(), NULL);
    EVP_DigestUpdate(c, a, alen);
    EVP_DigestUpdate(c, b, blen);
    EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}

START_TEST(test_jks_keystore_bytes_magic_entry_key_protector_and_trailer)
{
    struct k8tls_secret *ks = NULL;
    struct k8tls_err e;
    /* "pässwörd-1": non-ASCII, hashed as UTF-16BE like Java's char[] */
    const char *pw = "p\xc3\xa4sswo\xcc\x88rd-1";
    const unsigned char pw16[] = { 0, 'p', 0, 0xe4, 0, 's', 0, 's', 0, 'w', 0, 'o', 0x03, 0x08,
                                   0, 'r', 0, 'd', 0, '-', 0, '1' };
    ck_assert_int_eq(k8tls_store_write_keystore(K8TLS_FORMAT_JKS, K8TLS_P12_MODERN, "Server",
                                                F.key, F.leaf, F.chain, pw, &ks, &e), 0);
    struct rd r = { ks->data, ks->len, 0 };
    ck_assert_uint_eq(u32(&r), 0xFEEDFEEDu);
    ck_assert_uint_eq(u32(&r), 2);
    ck_assert_uint_eq(u32(&r), 1);          /* one entry */
    ck_assert_uint_eq(u32(&r), 1);          /* a private key entry */
    char *alias = utf(&r);
    ck_assert_str_eq(alias, "server");      /* lowercase (S2) */
    free(alias);
    uint64_t ts = u64(&r);
    ck_assert_uint_gt(ts, (uint64_t)1600000000000);   /* milliseconds */
    uint32_t klen = u32(&r);
    const unsigned char *kp = bytes(&r, klen);
    ck_assert_uint_eq(u32(&r), 2);          /* chain: leaf + CA */
    X509 *c0 = cert(&r), *c1 = cert(&r);
    ck_assert_int_eq(X509_cmp(c0, F.leaf), 0);
    ck_assert_int_eq(X509_cmp(c1, F.ca), 0);
    X509_free(c0);
    X509_free(c1);
    ck_assert_uint_eq(r.off + 20, r.len);   /* then only the trailer */
    unsigned char md[20];
    jks_digest(pw16, sizeof pw16, ks->data, r.off, md);
    ck_assert_mem_eq(md, ks->data + r.off, 20);

    /* the key protector: OID 1.3.6.1.4.1.42.2.17.1.1 with NULL parameters */
    X509_SIG *sig = d2i_X509_SIG(NULL, &kp, klen);
    ck_assert_ptr_nonnull(sig);
    const X509_ALGOR *alg;
    const ASN1_OCTET_STRING *oct;
    X509_SIG_get0(sig, &alg, &oct);
    const ASN1_OBJECT *oid;
    int ptype;
    X509_ALGOR_get0(&oid, &ptype, NULL, alg);
    char buf[64];
    OBJ_obj2txt(buf, sizeof buf, oid, 1);
    ck_assert_str_eq(buf, "1.3.6.1.4.1.42.2.17.1.1");
    ck_assert_int_eq(ptype, V_ASN1_NULL);
    /* salt(20) || key XOR keystream || SHA-1(pw || key): undo it and compare with the key */
    const unsigned char *pk = ASN1_STRING_get0_data(oct);
    size_t plen = (size_t)ASN1_STRING_length(oct) - 40;
    unsigned char *plain = malloc(plen), dg[20];
    memcpy(dg, pk, 20);
    for (size_t off = 0; off < plen; off += 20) {
        sha1_2(pw16, sizeof pw16, dg, 20, dg);
        for (size_t i = 0; i < 20 && off + i < plen; i++)
            plain[off + i] = pk[20 + off + i] ^ dg[i];
    }
    sha1_2(pw16, sizeof pw16, plain, plen, dg);
    ck_assert_mem_eq(dg, pk + 20 + plen, 20);
    const unsigned char *pp = plain;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &pp, (long)plen);
    ck_assert_ptr_nonnull(p8);
    EVP_PKEY *k = EVP_PKCS82PKEY(p8);
    ck_assert_int_eq(EVP_PKEY_eq(k, F.key), 1);
    EVP_PKEY_free(k);
    PKCS8_PRIV_KEY_INFO_free(p8);
    free(plain);
    X509_SIG_free(sig);
    k8tls_secret_free(ks);
}
END_TEST

START_TEST(test_jks_truststore_has_one_trusted_entry_per_ca)
{
    struct k8tls_secret *ts = NULL;
    struct k8tls_err e;
    const unsigned char pw16[] = { 0, 't', 0, 's', 0, '-', 0, 'p', 0, 'w', 0, '-', 0, '1' };
    ck_assert_int_eq(k8tls_store_write_truststore(K8TLS_FORMAT_JKS, K8TLS_P12_LEGACY, F.cas,
                                                  "ts-pw-1", &ts, &e), 0);
    struct rd r = { ts->data, ts->len, 0 };
    ck_assert_uint_eq(u32(&r), 0xFEEDFEEDu);
    ck_assert_uint_eq(u32(&r), 2);
    ck_assert_uint_eq(u32(&r), 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_eq(u32(&r), 2);      /* trusted certificate entry */
        char *alias = utf(&r);
        ck_assert_str_eq(alias, i == 0 ? "ca" : "ca-2");
        free(alias);
        (void)u64(&r);
        X509 *c = cert(&r);
        ck_assert_int_eq(X509_cmp(c, sk_X509_value(F.cas, i)), 0);
        X509_free(c);
    }
    ck_assert_uint_eq(r.off + 20, r.len);
    unsigned char md[20];
    jks_digest(pw16, sizeof pw16, ts->data, r.off, md);
    ck_assert_mem_eq(md, ts->data + r.off, 20);
    k8tls_secret_free(ts);
}
END_TEST

START_TEST(test_jks_encode_refuses_duplicate_aliases_and_bad_utf8)
{
    struct k8tls_store_entry v[2] = {
        { .alias = (char *)"ca", .type = K8TLS_ENTRY_TRUSTED_CERT, .cert = F.ca },
        { .alias = (char *)"CA", .type = K8TLS_ENTRY_TRUSTED_CERT, .cert = F.ca2 },
    };
    struct k8tls_store st = { .format = K8TLS_FORMAT_JKS, .v = v, .n = 2 };
    struct k8tls_secret *out = NULL;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_jks_encode(&st, "password-1", &out, &e), -1);
    ck_assert_ptr_null(out);
    v[1].alias = (char *)"bad\xff";
    ck_assert_int_eq(k8tls_jks_encode(&st, "password-1", &out, &e), -1);
    v[1].alias = (char *)"ca-\xc3\xa9";   /* valid UTF-8: 2-byte modified UTF-8 */
    ck_assert_int_eq(k8tls_jks_encode(&st, "password-1", &out, &e), 0);
    k8tls_secret_free(out);
    ck_assert_int_eq(k8tls_jks_encode(&st, "bad\xc3", &out, &e), -1);
}
END_TEST

/* B2's reader (the import side) reads back what the writers make, both formats */
START_TEST(test_written_stores_read_back_with_the_store_reader)
{
    struct k8tls_err e;
    for (int fmt = 0; fmt < 2; fmt++) {
        struct k8tls_secret *ks = NULL, *ts = NULL;
        struct k8tls_store *st = NULL;
        ck_assert_int_eq(k8tls_store_write_keystore(fmt, K8TLS_P12_MODERN, "client", F.key, F.leaf,
                                                    F.chain, "read-back-1", &ks, &e), 0);
        ck_assert_int_eq(k8tls_store_write_truststore(fmt, K8TLS_P12_LEGACY, F.cas, "read-back-2",
                                                      &ts, &e), 0);
        ck_assert_msg(k8tls_store_read(ks->data, ks->len, "keystore", "read-back-1", &st, &e) == 0,
                      "%s", e.msg);
        ck_assert_int_eq(st->format, fmt);
        ck_assert_uint_eq(st->n, 1);
        ck_assert_int_eq(st->v[0].type, K8TLS_ENTRY_PRIVATE_KEY);
        ck_assert_str_eq(st->v[0].alias, "client");
        ck_assert_int_eq(EVP_PKEY_eq(st->v[0].key, F.key), 1);
        ck_assert_int_eq(X509_cmp(st->v[0].cert, F.leaf), 0);
        ck_assert_int_eq(sk_X509_num(st->v[0].chain), 1);
        k8tls_store_free(st);
        ck_assert_int_ne(k8tls_store_read(ks->data, ks->len, "keystore", "wrong-pw-1", &st, &e), 0);
        ck_assert_msg(k8tls_store_read(ts->data, ts->len, "truststore", "read-back-2", &st, &e) == 0,
                      "%s", e.msg);
        ck_assert_uint_eq(st->n, 2);
        for (size_t i = 0; i < 2; i++) {
            ck_assert_int_eq(st->v[i].type, K8TLS_ENTRY_TRUSTED_CERT);
            ck_assert(!st->v[i].p12_no_java_trust);
        }
        k8tls_store_free(st);
        k8tls_secret_free(ks);
        k8tls_secret_free(ts);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stores");
    TCase *tc = tcase_create("pkcs12");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_truststore_bags_carry_the_java_trust_attribute);
    tcase_add_test(tc, test_keystore_holds_one_key_with_leaf_and_chain_lowercase_alias);
    tcase_add_test(tc, test_pkcs12_profiles_choose_the_algorithms);
    tcase_add_test(tc, test_no_store_without_a_password_or_with_a_foreign_key);
    suite_add_tcase(s, tc);
    tc = tcase_create("jks");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_jks_keystore_bytes_magic_entry_key_protector_and_trailer);
    tcase_add_test(tc, test_jks_truststore_has_one_trusted_entry_per_ca);
    tcase_add_test(tc, test_jks_encode_refuses_duplicate_aliases_and_bad_utf8);
    tcase_add_test(tc, test_written_stores_read_back_with_the_store_reader);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
