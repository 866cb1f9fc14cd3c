/* Certificate checks shared by import validation (S8), inspect, the PKI and the rotation: names,
 * SANs, CA flag, EKU, dates, "signed by one of these CAs", chains against a set of trusted
 * certificates, SAN coverage. Calls only strv.c. */
#include "config.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

char *k8tls_x509_name(const X509_NAME *n)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *out = NULL;
    if (b && X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *p;
        long len = BIO_get_mem_data(b, &p);
        out = malloc((size_t)len + 1);
        if (out) {
            memcpy(out, p, (size_t)len);
            out[len] = '\0';
        }
    }
    BIO_free(b);
    ERR_clear_error();
    return out ? out : strdup("");
}

struct sv {
    char **v;
    size_t n;
    int oom;
};

static void sv_add(struct sv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sv_add(struct sv *s, const char *fmt, ...)
{
    if (s->oom)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **v = realloc(s->v, (s->n + 2) * sizeof *v);
    if (!v) {
        s->oom = 1;
        return;
    }
    s->v = v;
    if (!(s->v[s->n] = strdup(buf))) {
        s->oom = 1;
        s->v[s->n] = NULL;
        return;
    }
    s->v[++s->n] = NULL;
}

static char **sv_done(struct sv *s)
{
    if (s->oom) {
        k8tls_strv_free(s->v);
        return NULL;
    }
    if (!s->v)
        return calloc(1, sizeof(char *));
    return s->v;
}

static void ip_text(const ASN1_OCTET_STRING *ip, char *buf, size_t len)
{
    const unsigned char *d = ASN1_STRING_get0_data(ip);
    int n = ASN1_STRING_length(ip);
    if (n == 4)
        inet_ntop(AF_INET, d, buf, (socklen_t)len);
    else if (n == 16)
        inet_ntop(AF_INET6, d, buf, (socklen_t)len);
    else
        snprintf(buf, len, "?");
}

char **k8tls_x509_sans(X509 *x)
{
    struct sv s = { 0 };
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; i < sk_GENERAL_NAME_num(gens) && i < 1000; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char ip[64];
        switch (g->type) {
        case GEN_DNS:
            sv_add(&s, "DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
                   (const char *)ASN1_STRING_get0_data(g->d.dNSName));
            break;
        case GEN_IPADD:
            ip_text(g->d.iPAddress, ip, sizeof ip);
            sv_add(&s, "IP:%s", ip);
            break;
        case GEN_EMAIL:
            sv_add(&s, "email:%.*s", ASN1_STRING_length(g->d.rfc822Name),
                   (const char *)ASN1_STRING_get0_data(g->d.rfc822Name));
            break;
        case GEN_URI:
            sv_add(&s, "URI:%.*s", ASN1_STRING_length(g->d.uniformResourceIdentifier),
                   (const char *)ASN1_STRING_get0_data(g->d.uniformResourceIdentifier));
            break;
        default:
            sv_add(&s, "%s", "other");
        }
    }
    GENERAL_NAMES_free(gens);
    ERR_clear_error();
    return sv_done(&s);
}

char **k8tls_x509_ekus(X509 *x)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    ERR_clear_error();
    if (!eku)
        return NULL;
    /* cert-manager's words for the usages it writes (spec.usages), else the OID */
    static const struct { int nid; const char *name; } known[] = {
        {NID_server_auth, "server auth"}, {NID_client_auth, "client auth"},
        {NID_code_sign, "code signing"}, {NID_email_protect, "email protection"},
        {NID_time_stamp, "timestamping"}, {NID_OCSP_sign, "ocsp signing"},
        {NID_anyExtendedKeyUsage, "any"},
    };
    struct sv s = { 0 };
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && i < 100; i++) {
        const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
        int nid = OBJ_obj2nid(o);
        const char *name = NULL;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (known[k].nid == nid)
                name = known[k].name;
        if (name) {
            sv_add(&s, "%s", name);
        } else {
            char oid[128];
            OBJ_obj2txt(oid, sizeof oid, o, 1);
            sv_add(&s, "%s", oid);
        }
    }
    EXTENDED_KEY_USAGE_free(eku);
    ERR_clear_error();
    return sv_done(&s);
}

bool k8tls_x509_is_ca(X509 *x)
{
    uint32_t f = X509_get_extension_flags(x);
    ERR_clear_error();
    return (f & EXFLAG_BCONS) && (f & EXFLAG_CA);
}

bool k8tls_x509_eku_allows(X509 *x, int nid)
{
    uint32_t f = X509_get_extension_flags(x);
    ERR_clear_error();
    if (!(f & EXFLAG_XKUSAGE))
        return true;
    uint32_t xku = X509_get_extended_key_usage(x);
    if (nid == NID_server_auth)
        return (xku & XKU_SSL_SERVER) != 0;
    if (nid == NID_client_auth)
        return (xku & XKU_SSL_CLIENT) != 0;
    return true;
}

const char *k8tls_x509_date(const ASN1_TIME *t, char *buf, size_t len)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) {
        ERR_clear_error();
        snprintf(buf, len, "?");
        return buf;
    }
    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

int k8tls_x509_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, STACK_OF(X509) *trusted,
                            char **anchor, const char **why)
{
    if (anchor)
        *anchor = NULL;
    *why = _("no trusted certificate");
    if (!leaf || !trusted || sk_X509_num(trusted) == 0)
        return -1;
    X509_STORE *st = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int rc = -1;
    if (!st || !ctx)
        goto out;
    for (int i = 0; i < sk_X509_num(trusted); i++)
        X509_STORE_add_cert(st, sk_X509_value(trusted, i));   /* duplicates are ignored */
    ERR_clear_error();
    X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
    if (!X509_STORE_CTX_init(ctx, st, leaf, untrusted))
        goto out;
    if (X509_verify_cert(ctx) == 1) {
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
        X509 *top = sk_X509_value(chain, sk_X509_num(chain) - 1);
        if (anchor && top)
            *anchor = k8tls_x509_name(X509_get_subject_name(top));
        rc = 0;
    } else {
        *why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    }
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(st);
    ERR_clear_error();
    return rc;
}

bool k8tls_x509_issued_by(X509 *cert, X509 *ca)
{
    EVP_PKEY *pk = ca ? X509_get0_pubkey(ca) : NULL;
    bool ok = cert && pk && X509_check_issued(ca, cert) == X509_V_OK && X509_verify(cert, pk) == 1;
    ERR_clear_error();
    return ok;
}

int k8tls_x509_signed_by(X509 *cert, STACK_OF(X509) *cas)
{
    for (int i = 0; cas && i < sk_X509_num(cas); i++)
        if (k8tls_x509_issued_by(cert, sk_X509_value(cas, i)))
            return i;
    return -1;
}

/* Does a DNS SAN (maybe a wildcard) cover name? */
static bool dns_covers(const char *san, const char *name)
{
    if (strcasecmp(san, name) == 0)
        return true;
    if (san[0] == '*' && san[1] == '.' && name[0] != '*') {
        const char *dot = strchr(name, '.');
        return dot && dot != name && strcasecmp(dot + 1, san + 2) == 0;
    }
    return false;
}

char **k8tls_x509_missing_sans(X509 *x, char *const *expected)
{
    struct sv s = { 0 };
    char **have = k8tls_x509_sans(x);
    if (!have)
        return NULL;
    for (size_t i = 0; expected && expected[i]; i++) {
        const char *want = expected[i];
        unsigned char ipb[16];
        bool is_ip = inet_pton(AF_INET, want, ipb) == 1 || inet_pton(AF_INET6, want, ipb) == 1;
        bool found = false;
        for (size_t j = 0; have[j] && !found; j++) {
            if (is_ip && strncmp(have[j], "IP:", 3) == 0)
                found = strcasecmp(have[j] + 3, want) == 0;
            else if (!is_ip && strncmp(have[j], "DNS:", 4) == 0)
                found = dns_covers(have[j] + 4, want);
        }
        if (!found)
            sv_add(&s, "%s", want);
    }
    k8tls_strv_free(have);
    return sv_done(&s);
}
