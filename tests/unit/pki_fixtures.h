/* Test fixtures for the store reader, import and inspect tests: ECDSA keys, certificates with any
 * validity window (expired ones included), files in a temporary directory, and keytool runs.
 * Header-only (static functions) so each test program stays one file. */
#ifndef K8TLS_TEST_PKI_FIXTURES_H
#define K8TLS_TEST_PKI_FIXTURES_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static inline EVP_PKEY *fx_key(void)
{
    return EVP_EC_gen("P-256");
}

enum fx_ca { FX_NO_BC, FX_CA, FX_NOT_CA };

/* A certificate for key: self-signed when issuer is NULL; valid from now+from_days to
 * now+to_days (negative = in the past); sans like "DNS:a,IP:127.0.0.1" or NULL. */
static inline X509 *fx_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                            enum fx_ca ca, long from_days, long to_days, const char *sans)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    unsigned char serial[8];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400L);
    X509_set_pubkey(x, key);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)"K8tlsTest", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *ext;
    if (ca != FX_NO_BC) {
        ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
                                  ca == FX_CA ? "critical,CA:TRUE" : "CA:FALSE");
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (ca == FX_CA) {
        ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "hash");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    if (sans) {
        ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, sans);
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256());
    return x;
}

/* A CA certificate whose basicConstraints carries a path length (self-signed when issuer is
 * NULL), valid from yesterday for ten years. */
static inline X509 *fx_ca_pathlen(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                                  long pathlen)
{
    X509 *x = fx_cert(key, cn, issuer, issuer_key, FX_NO_BC, -1, 3650, NULL);
    char bc[64];
    snprintf(bc, sizeof bc, "critical,CA:TRUE,pathlen:%ld", pathlen);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, bc);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256());
    return x;
}

static char fx_dir[512];

static inline const char *fx_mkdir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(fx_dir, sizeof fx_dir, "%s/k8tls-unit.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(fx_dir))
        abort();
    return fx_dir;
}

static inline void fx_rmdir(void)
{
    if (!fx_dir[0])
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", fx_dir);
}

/* fx_path("x.pem") -> "<dir>/x.pem" (a static ring of buffers). */
static inline const char *fx_path(const char *name)
{
    static char ring[8][700];
    static int i;
    char *b = ring[i++ % 8];
    snprintf(b, sizeof ring[0], "%s/%s", fx_dir, name);
    return b;
}

static inline void fx_write(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(fx_path(name), "wb");
    if (!f || fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

static inline void fx_write_certs(const char *name, X509 *a, X509 *b)
{
    FILE *f = fopen(fx_path(name), "wb");
    if (!f)
        abort();
    if (a)
        PEM_write_X509(f, a);
    if (b)
        PEM_write_X509(f, b);
    fclose(f);
}

/* Writes key as PKCS#8 PEM, encrypted with AES-256-CBC when pw is given. */
static inline void fx_write_key(const char *name, EVP_PKEY *k, const char *pw)
{
    FILE *f = fopen(fx_path(name), "wb");
    if (!f)
        abort();
    if (pw)
        PEM_write_PKCS8PrivateKey(f, k, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)pw);
    else
        PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
    fclose(f);
}

static inline unsigned char *fx_read(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

/* Runs a shell command in the fixture directory; its output goes to <dir>/cmd.log. Returns the
 * exit status. Passwords go through the environment (-storepass:env), never argv. */
static inline int fx_sh(const char *fmt, ...)
{
    char cmd[4096], full[5000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "cd '%s' && { %s ; } >>cmd.log 2>&1", fx_dir, cmd);
    int st = system(full);
    if (st != 0) {
        fprintf(stderr, "command failed (%d): %s\n", st, cmd);
        char show[700];
        snprintf(show, sizeof show, "tail -5 '%s/cmd.log' >&2", fx_dir);
        if (system(show) != 0)
            fprintf(stderr, "(no log)\n");
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static inline int fx_have(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* Sets the iteration count of a password-based encryption algorithm identifier (PBES2 with
 * PBKDF2, or a PKCS#12 PBE such as 3DES) without deriving anything. */
static inline void fx_pbe_set_iter(X509_ALGOR *alg, long iter)
{
    const ASN1_OBJECT *oid;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&oid, &ptype, &pval, alg);
    if (OBJ_obj2nid(oid) == NID_pbes2) {
        PBE2PARAM *p2 = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBE2PARAM));
        const void *kval = NULL;
        X509_ALGOR_get0(NULL, &ptype, &kval, p2->keyfunc);
        PBKDF2PARAM *kdf = ASN1_item_unpack(kval, ASN1_ITEM_rptr(PBKDF2PARAM));
        ASN1_INTEGER_set(kdf->iter, iter);
        X509_ALGOR_set0(p2->keyfunc, OBJ_nid2obj(NID_id_pbkdf2), V_ASN1_SEQUENCE,
                        ASN1_item_pack(kdf, ASN1_ITEM_rptr(PBKDF2PARAM), NULL));
        X509_ALGOR_set0(alg, OBJ_nid2obj(NID_pbes2), V_ASN1_SEQUENCE,
                        ASN1_item_pack(p2, ASN1_ITEM_rptr(PBE2PARAM), NULL));
        PBKDF2PARAM_free(kdf);
        PBE2PARAM_free(p2);
    } else {
        PBEPARAM *pp = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBEPARAM));
        ASN1_INTEGER_set(pp->iter, iter);
        X509_ALGOR_set0(alg, OBJ_dup(oid), V_ASN1_SEQUENCE,
                        ASN1_item_pack(pp, ASN1_ITEM_rptr(PBEPARAM), NULL));
        PBEPARAM_free(pp);
    }
}

/* A PKCS#12 keystore (alias "node": key, cert and ca) made with 2048 iterations, whose iteration
 * counts are then rewritten in place (0: keep): the MAC's, the encrypted certificates' and the
 * private key's. Nothing is derived with the new counts: the MAC is recomputed with 2 iterations
 * before its count is overwritten. key_nid/cert_nid as for PKCS12_create (0: AES-256 PBES2). The
 * DER is returned (OPENSSL_free it) with its length in *len. */
static inline unsigned char *fx_p12_iters(EVP_PKEY *key, X509 *cert, X509 *ca, const char *pw,
                                          int key_nid, int cert_nid, long mac_iter,
                                          long cert_iter, long key_iter, int *len)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    if (ca)
        sk_X509_push(cas, ca);
    PKCS12 *p12 = PKCS12_create(pw, "node", key, cert, cas, key_nid, cert_nid, 2048, 2048, 0);
    sk_X509_free(cas);
    if (!p12)
        abort();
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    for (int i = 0; i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        int nid = OBJ_obj2nid(p7->type);
        if (nid == NID_pkcs7_encrypted && cert_iter)
            fx_pbe_set_iter(p7->d.encrypted->enc_data->algorithm, cert_iter);
        if (nid == NID_pkcs7_data && key_iter) {
            STACK_OF(PKCS12_SAFEBAG) *bags = PKCS12_unpack_p7data(p7);
            for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags); j++) {
                PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
                if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag)
                    continue;
                X509_ALGOR *alg = NULL;
                X509_SIG_getm((X509_SIG *)PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
                fx_pbe_set_iter(alg, key_iter);
            }
            sk_PKCS7_set(safes, i, PKCS12_pack_p7data(bags));
            PKCS7_free(p7);
            sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
        }
    }
    PKCS12_pack_authsafes(p12, safes);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    if (!PKCS12_set_mac(p12, pw, -1, NULL, 0, 2, NULL))
        abort();
    if (mac_iter) {
        const ASN1_INTEGER *it = NULL;
        PKCS12_get0_mac(NULL, NULL, NULL, &it, p12);
        ASN1_INTEGER_set((ASN1_INTEGER *)it, mac_iter);
    }
    unsigned char *der = NULL;
    *len = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    if (*len <= 0)
        abort();
    return der;
}

/* A small deterministic generator for the hostile-input loops (fixed seed, reproducible). */
static inline uint32_t fx_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

#endif
