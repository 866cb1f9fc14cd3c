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

/* A small deterministic generator for the hostile-input loops (fixed seed, reproducible). */
static inline uint32_t fx_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

#endif
