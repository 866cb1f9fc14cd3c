/* Inspect: stores, PEM files, Secret YAML files and output directories -> a report model
 * (include/k8tls/inspect.h). Files are read through the hostile-input readers of store_read.c
 * and jks_read.c; YAML through libyaml. Files that belong together form a group (a directory, a
 * Secret's data): passwords, keystore/truststore, key/certificate and certificate/CA pairs are
 * found in it by name. */
#include "config.h"
#include "k8tls/inspect.h"
#include "k8tls/store.h"
#include "k8tls/yamlutil.h"
#include "k8tls/infile.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <yaml.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

#define GROUP_MAX_FILES 512
#define SECRET_MAX_KEYS 256
#define YAML_MAX_DOCS 64

/* ---- the report model ------------------------------------------------------------------- */

void k8tls_inspect_init(struct k8tls_inspect_report *r)
{
    memset(r, 0, sizeof *r);
}

static void entry_free(struct k8tls_inspect_entry *en)
{
    free(en->alias);
    free(en->subject);
    free(en->issuer);
    k8tls_strv_free(en->sans);
    free(en->key);
    free(en->not_before);
    free(en->not_after);
    k8tls_diags_free(&en->notes);
}

void k8tls_inspect_free(struct k8tls_inspect_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        struct k8tls_inspect_item *it = &r->v[i];
        for (size_t j = 0; j < it->n; j++)
            entry_free(&it->v[j]);
        free(it->v);
        free(it->name);
        free(it->what);
        k8tls_diags_free(&it->notes);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Adds an item; returns its index, or -1 (out of memory). */
static long item_new(struct k8tls_inspect_report *r, const char *name, const char *what)
{
    struct k8tls_inspect_item *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v)
        return -1;
    r->v = v;
    struct k8tls_inspect_item *it = &r->v[r->n];
    memset(it, 0, sizeof *it);
    it->name = strdup(name);
    it->what = strdup(what ? what : "");
    k8tls_diags_init(&it->notes);
    return (long)r->n++;
}

static struct k8tls_inspect_entry *entry_new(struct k8tls_inspect_item *it,
                                             enum k8tls_inspect_kind kind, const char *alias)
{
    struct k8tls_inspect_entry *v = realloc(it->v, (it->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    it->v = v;
    struct k8tls_inspect_entry *en = &it->v[it->n];
    memset(en, 0, sizeof *en);
    en->kind = kind;
    en->alias = alias ? strdup(alias) : NULL;
    en->index = (int)++it->n;
    k8tls_diags_init(&en->notes);
    return en;
}

static void note(struct k8tls_diags *d, enum k8tls_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(struct k8tls_diags *d, enum k8tls_severity sev, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k8tls_diags_add(d, sev, NULL, 0, 0, NULL, "%s", msg);
}

static void set_what(struct k8tls_inspect_item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_what(struct k8tls_inspect_item *it, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(it->what);
    it->what = strdup(buf);
}

size_t k8tls_inspect_count(const struct k8tls_inspect_report *r, enum k8tls_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        n += k8tls_diags_count(&r->v[i].notes, sev);
        for (size_t j = 0; j < r->v[i].n; j++)
            n += k8tls_diags_count(&r->v[i].v[j].notes, sev);
    }
    return n;
}

/* ---- groups of blobs -------------------------------------------------------------------- */

enum btype { BT_NONE, BT_STORE, BT_PEM, BT_DER_CERT, BT_TEXT, BT_OTHER };

struct blob {
    char *name;                  /* within its group */
    char *display;               /* in the report */
    struct k8tls_secret *data;   /* NULL when it could not be read */
    char *read_error;
    bool report;                 /* an item of the report; else only used by the checks */
    bool parsed;
    enum btype type;
    struct k8tls_store *store;
    char *store_error;
    STACK_OF(X509) *certs;
    EVP_PKEY *key;
    bool has_key_block, key_encrypted;
    char *key_error;
    long item;                   /* index in the report, or -1 */
};

struct group {
    struct blob *v;
    size_t n;
    const char *dir;             /* siblings are loaded from here on demand (NULL: none) */
    const struct k8tls_inspect_opts *o;
    bool in_secret;
    bool yaml_strict;            /* lenient walk, but YAML files must hold Secrets (manifests/) */
};

static void blob_clear(struct blob *b)
{
    free(b->name);
    free(b->display);
    k8tls_secret_free(b->data);
    free(b->read_error);
    k8tls_store_free(b->store);
    free(b->store_error);
    sk_X509_pop_free(b->certs, X509_free);
    EVP_PKEY_free(b->key);
    free(b->key_error);
}

static void group_free(struct group *g)
{
    for (size_t i = 0; i < g->n; i++)
        blob_clear(&g->v[i]);
    free(g->v);
    g->v = NULL;
    g->n = 0;
}

/* Takes data (may be NULL with read_error). */
static struct blob *group_add(struct group *g, const char *name, const char *display,
                              struct k8tls_secret *data, const char *read_error, bool report)
{
    if (g->n >= GROUP_MAX_FILES) {
        k8tls_secret_free(data);
        return NULL;
    }
    struct blob *v = realloc(g->v, (g->n + 1) * sizeof *v);
    if (!v) {
        k8tls_secret_free(data);
        return NULL;
    }
    g->v = v;
    struct blob *b = &g->v[g->n++];
    memset(b, 0, sizeof *b);
    b->name = strdup(name);
    b->display = strdup(display);
    b->data = data;
    b->read_error = read_error ? strdup(read_error) : NULL;
    b->report = report;
    b->item = -1;
    return b;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A file of dir as a blob (read now). */
static struct blob *group_add_file(struct group *g, const char *dir, const char *name, bool report)
{
    char *path = dir ? k8tls_path_join(dir, name) : strdup(name);
    if (!path)
        return NULL;
    struct k8tls_secret *data = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    struct blob *b;
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &data, &e))
        b = group_add(g, name, path, NULL, e.msg, report);
    else
        b = group_add(g, name, path, data, NULL, report);
    free(path);
    return b;
}

/* The blob called name: in the group, else a sibling file loaded now. NULL when absent. */
static struct blob *group_find(struct group *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].name, name) == 0)
            return &g->v[i];
    if (!g->dir || strchr(name, '/'))
        return NULL;
    char *path = k8tls_path_join(g->dir, name);
    bool ok = path && is_regular(path);
    free(path);
    return ok ? group_add_file(g, g->dir, name, false) : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_password_name(const char *name)
{
    return ends_with(name, "-password") || ends_with(name, "_password") || strcmp(name, "password") == 0;
}

/* The password for a store blob: "<name>-password" beside it, else the option. Heap string. */
static char *blob_password(struct group *g, const struct blob *b, bool *from_sibling)
{
    *from_sibling = false;
    char pname[512];
    snprintf(pname, sizeof pname, "%s-password", b->name);
    /* b may move when group_find appends: copy what we need first */
    struct blob *pw = group_find(g, pname);
    if (pw && pw->data) {
        size_t n = pw->data->len;
        /* a file's final newline is not part of the password; a Secret's value is used as is,
         * as the operator does (K11) */
        if (!g->in_secret && n && pw->data->data[n - 1] == '\n')
            n--;
        if (!g->in_secret && n && pw->data->data[n - 1] == '\r')
            n--;
        char *s = malloc(n + 1);
        if (!s)
            return NULL;
        memcpy(s, pw->data->data, n);
        s[n] = '\0';
        *from_sibling = true;
        return s;
    }
    return g->o && g->o->password ? strdup(g->o->password) : NULL;
}

/* Parses a blob once: a store, PEM/DER certificates and keys, or other text. */
static void blob_parse(struct group *g, size_t idx)
{
    struct blob *b = &g->v[idx];
    if (b->parsed || !b->data)
        return;
    b->parsed = true;
    const unsigned char *d = b->data->data;
    size_t len = b->data->len;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    switch (k8tls_store_sniff(d, len)) {
    case K8TLS_SNIFF_DER: {
        const unsigned char *q = d;
        X509 *x = d2i_X509(NULL, &q, (long)len);
        ERR_clear_error();
        if (x && q == d + len) {
            b->type = BT_DER_CERT;
            b->certs = sk_X509_new_null();
            if (!b->certs || !sk_X509_push(b->certs, x))
                X509_free(x);
            return;
        }
        X509_free(x);
        __attribute__((fallthrough));   /* not a certificate: a PKCS#12 store */
    }
    case K8TLS_SNIFF_JKS:
    case K8TLS_SNIFF_JCEKS: {
        b->type = BT_STORE;
        bool sib;
        char *pw = blob_password(g, &g->v[idx], &sib);
        b = &g->v[idx];   /* group_find may have moved the array */
        if (!pw) {
            char m[700];
            snprintf(m, sizeof m,
                     _("no password for this store: give --password env:NAME or file:PATH, "
                       "or put it in a '%s-password' file beside it"), b->name);
            b->store_error = strdup(m);
            return;
        }
        if (k8tls_store_read(b->data->data, b->data->len, b->display, pw, &b->store, &e)) {
            size_t pl = strlen(pw);
            if (sib && g->in_secret && pl && pw[pl - 1] == '\n') {
                char m[1400];
                snprintf(m, sizeof m, _("%s (the value of '%s-password' ends with a newline, which is "
                                        "part of the password for the operator)"), e.msg, b->name);
                b->store_error = strdup(m);
            } else {
                b->store_error = strdup(e.msg);
            }
        }
        k8tls_secure_free_str(pw);
        return;
    }
    case K8TLS_SNIFF_PEM:
        b->type = BT_PEM;
        if (k8tls_pem_read_certs(d, len, b->display, &b->certs, &e) && !strstr(e.msg, _("holds no certificate")))
            b->key_error = strdup(e.msg);   /* a corrupted certificate block */
        if (memmem(d, len, "PRIVATE KEY-----", 16)) {
            b->has_key_block = true;
            const char *pw = g->o ? g->o->password : NULL;
            k8tls_err_clear(&e);
            if (k8tls_pem_read_key(d, len, b->display, pw, &b->key, &b->key_encrypted, &e)
                && !(b->key_encrypted && !pw) && !b->key_error)
                b->key_error = strdup(e.msg);
        }
        return;
    case K8TLS_SNIFF_TEXT:
        b->type = BT_TEXT;
        return;
    default:
        b->type = BT_OTHER;
        return;
    }
}

/* ---- entries ---------------------------------------------------------------------------- */

static void check_dates(struct k8tls_inspect_entry *en, X509 *x)
{
    char buf[64];
    int ok;
    en->not_before = strdup(k8tls_x509_date(X509_get0_notBefore(x), buf, sizeof buf));
    en->not_after = strdup(k8tls_x509_date(X509_get0_notAfter(x), buf, sizeof buf));
    en->days_left = k8tls_days_until(X509_get0_notAfter(x), &ok);
    if (!ok)
        note(&en->notes, K8TLS_SEV_ERROR, "%s", _("the expiry date cannot be read"));
    else if (en->days_left < 0)
        note(&en->notes, K8TLS_SEV_ERROR, _("expired on %s"), en->not_after);
    else if (en->days_left < K8TLS_EXPIRY_WARN_DAYS)
        note(&en->notes, K8TLS_SEV_WARNING, _("expires in %ld days (%s)"), en->days_left, en->not_after);
    if (k8tls_not_yet_valid(x))
        note(&en->notes, K8TLS_SEV_WARNING, _("not valid before %s"), en->not_before);
}

static void describe_cert(struct k8tls_inspect_entry *en, X509 *x, EVP_PKEY *key)
{
    char kd[64];
    en->subject = k8tls_x509_name(X509_get_subject_name(x));
    en->issuer = k8tls_x509_name(X509_get_issuer_name(x));
    en->self_signed = X509_check_issued(x, x) == X509_V_OK;
    en->is_ca = k8tls_x509_is_ca(x);
    en->sans = k8tls_x509_sans(x);
    en->key = strdup(k8tls_pkey_describe(key ? key : X509_get0_pubkey(x), kd, sizeof kd));
    ERR_clear_error();
    check_dates(en, x);
}

static bool key_matches(EVP_PKEY *k, X509 *x)
{
    int r = EVP_PKEY_eq(k, X509_get0_pubkey(x));
    ERR_clear_error();
    return r == 1;
}

static bool has_upper(const char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            return true;
    return false;
}

static void store_entries(struct k8tls_inspect_item *it, const struct k8tls_store *s)
{
    size_t nkeys = 0, ntrusted = 0, invisible = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct k8tls_store_entry *se = &s->v[i];
        bool key = se->type == K8TLS_ENTRY_PRIVATE_KEY;
        struct k8tls_inspect_entry *en =
            entry_new(it, key ? K8TLS_INSPECT_KEY_ENTRY : K8TLS_INSPECT_TRUSTED_CERT, se->alias);
        if (!en)
            return;
        if (key)
            nkeys++;
        else if (se->p12_no_java_trust)
            invisible++;
        else
            ntrusted++;
        if (!se->cert) {
            char kd[64];
            en->key = strdup(k8tls_pkey_describe(se->key, kd, sizeof kd));
            note(&en->notes, K8TLS_SEV_ERROR, "%s", _("the private-key entry has no certificate"));
            continue;
        }
        describe_cert(en, se->cert, key ? se->key : NULL);
        if (key) {
            en->chain_len = sk_X509_num(se->chain);
            if (key_matches(se->key, se->cert))
                note(&en->notes, K8TLS_SEV_NOTE, "%s", _("the private key matches the certificate"));
            else
                note(&en->notes, K8TLS_SEV_ERROR, "%s", _("the private key does not match the certificate"));
            X509 *cur = se->cert;
            for (int j = 0; j < sk_X509_num(se->chain); j++) {
                X509 *next = sk_X509_value(se->chain, j);
                if (!k8tls_x509_issued_by(cur, next)) {
                    note(&en->notes, K8TLS_SEV_ERROR,
                         _("the chain is broken: certificate %d is not signed by certificate %d"), j + 1, j + 2);
                    break;
                }
                int ok;
                if (k8tls_days_until(X509_get0_notAfter(next), &ok) < 0 && ok) {
                    char *sn = k8tls_x509_name(X509_get_subject_name(next));
                    note(&en->notes, K8TLS_SEV_ERROR, _("chain certificate '%s' has expired"), sn ? sn : "?");
                    free(sn);
                }
                cur = next;
            }
            ERR_clear_error();
        } else {
            if (se->p12_no_java_trust)
                note(&en->notes, K8TLS_SEV_WARNING, "%s",
                     _("Java does not see this certificate: it lacks Java's trust attribute (SPEC S1)"));
            if (!en->is_ca)
                note(&en->notes, K8TLS_SEV_WARNING, "%s",
                     _("not a CA (no basicConstraints CA:TRUE): it trusts only itself"));
        }
        if (s->format == K8TLS_FORMAT_JKS && has_upper(se->alias))
            note(&en->notes, K8TLS_SEV_WARNING, "%s",
                 _("the alias has upper-case letters: Java looks aliases up in lower case"));
    }
    const char *fmt = s->format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS#12";
    set_what(it, _("%s store (private-key entries: %zu, trusted certificates: %zu)"), fmt, nkeys,
             ntrusted + invisible);
    if (s->n == 0)
        note(&it->notes, K8TLS_SEV_ERROR, "%s", _("the store is empty"));
    else if (invisible && invisible == s->n)
        note(&it->notes, K8TLS_SEV_ERROR, "%s",
             _("Java sees no entry in this store: its certificates lack Java's trust attribute (SPEC S1)"));
    if (nkeys > 1)
        note(&it->notes, K8TLS_SEV_WARNING, _("%zu private-key entries: Cassandra needs exactly one"), nkeys);
}

static void pem_entries(struct k8tls_inspect_item *it, struct blob *b)
{
    int nc = b->certs ? sk_X509_num(b->certs) : 0;
    for (int i = 0; i < nc; i++) {
        struct k8tls_inspect_entry *en = entry_new(it, K8TLS_INSPECT_CERT, NULL);
        if (en)
            describe_cert(en, sk_X509_value(b->certs, i), NULL);
    }
    if (b->has_key_block) {
        struct k8tls_inspect_entry *en = entry_new(it, K8TLS_INSPECT_KEY, NULL);
        if (en) {
            char kd[64];
            if (b->key)
                en->key = strdup(k8tls_pkey_describe(b->key, kd, sizeof kd));
            else
                en->key = strdup(b->key_encrypted ? _("encrypted") : _("unreadable"));
            if (!b->key && b->key_encrypted && !b->key_error)
                note(&en->notes, K8TLS_SEV_WARNING, "%s",
                     _("the private key is encrypted: give --password to check it"));
        }
    }
    if (b->key_error)
        note(&it->notes, K8TLS_SEV_ERROR, "%s", b->key_error);
    char kd[64];
    const char *kdesc = b->key ? k8tls_pkey_describe(b->key, kd, sizeof kd)
                               : (b->key_encrypted ? _("encrypted") : "?");
    if (nc == 0 && b->has_key_block)
        set_what(it, _("PEM file: private key (%s)"), kdesc);
    else if (b->has_key_block)
        set_what(it, dngettext(PACKAGE, "PEM file: %d certificate and a private key (%s)",
                               "PEM file: %d certificates and a private key (%s)", (unsigned long)nc),
                 nc, kdesc);
    else
        set_what(it, dngettext(PACKAGE, "PEM file: %d certificate", "PEM file: %d certificates",
                               (unsigned long)nc), nc);
    if (nc == 0 && !b->has_key_block && !b->key_error)
        note(&it->notes, K8TLS_SEV_ERROR, "%s", _("holds no certificate and no private key"));
}

/* ---- checks between blobs of a group ---------------------------------------------------- */

static STACK_OF(X509) *trusted_of(const struct k8tls_store *s)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    for (size_t i = 0; sk && i < s->n; i++)
        if (s->v[i].type == K8TLS_ENTRY_TRUSTED_CERT && s->v[i].cert && !s->v[i].p12_no_java_trust)
            sk_X509_push(sk, s->v[i].cert);
    return sk;
}

/* A keystore's chains against the truststore beside it ("keystore" -> "truststore"). */
static void check_store_chain(struct k8tls_inspect_report *r, struct group *g, size_t idx)
{
    struct blob *b = &g->v[idx];
    if (!b->store || b->item < 0)
        return;
    const char *at = strstr(b->name, "keystore");
    bool keys = false;
    for (size_t i = 0; i < b->store->n; i++)
        keys |= b->store->v[i].type == K8TLS_ENTRY_PRIVATE_KEY;
    if (!at || !keys)
        return;
    char tname[600];
    snprintf(tname, sizeof tname, "%.*s%s%s", (int)(at - b->name), b->name, "truststore", at + 8);
    struct blob *t = group_find(g, tname);
    if (!t)
        return;
    size_t ti = (size_t)(t - g->v);
    blob_parse(g, ti);
    b = &g->v[idx];
    t = &g->v[ti];
    struct k8tls_inspect_item *it = &r->v[b->item];
    if (!t->store) {
        note(&it->notes, K8TLS_SEV_WARNING, _("the chain was not checked: %s cannot be read (%s)"),
             tname, t->read_error ? t->read_error : t->store_error ? t->store_error : "?");
        return;
    }
    STACK_OF(X509) *trusted = trusted_of(t->store);
    for (size_t i = 0; i < b->store->n && i < it->n; i++) {
        const struct k8tls_store_entry *se = &b->store->v[i];
        if (se->type != K8TLS_ENTRY_PRIVATE_KEY || !se->cert)
            continue;
        char *anchor = NULL;
        const char *why = NULL;
        if (k8tls_x509_verify_chain(se->cert, se->chain, trusted, &anchor, &why) == 0)
            note(&it->v[i].notes, K8TLS_SEV_NOTE, _("the chain reaches '%s' in %s"), anchor ? anchor : "?", tname);
        else
            note(&it->v[i].notes, K8TLS_SEV_ERROR, _("the chain does not reach a CA of %s: %s"), tname, why);
        free(anchor);
    }
    sk_X509_free(trusted);
}

static struct k8tls_inspect_entry *entry_of_kind(struct k8tls_inspect_item *it, enum k8tls_inspect_kind k)
{
    for (size_t i = 0; i < it->n; i++)
        if (it->v[i].kind == k)
            return &it->v[i];
    return NULL;
}

/* A PEM key against the certificate in the same file, else beside it (client.key ->
 * client.crt_signed, rootca.key -> rootca.crt, tls.key -> tls.crt). */
static void check_pem_key(struct k8tls_inspect_report *r, struct group *g, size_t idx)
{
    struct blob *b = &g->v[idx];
    if (!b->key || b->item < 0)
        return;
    struct k8tls_inspect_entry *ke = entry_of_kind(&r->v[b->item], K8TLS_INSPECT_KEY);
    if (!ke)
        return;
    if (b->certs && sk_X509_num(b->certs) > 0) {
        bool ok = false;
        for (int i = 0; i < sk_X509_num(b->certs) && !ok; i++)
            ok = key_matches(b->key, sk_X509_value(b->certs, i));
        if (ok)
            note(&ke->notes, K8TLS_SEV_NOTE, "%s", _("matches a certificate of this file"));
        else
            note(&ke->notes, K8TLS_SEV_ERROR, "%s", _("matches no certificate of this file"));
        return;
    }
    static const char *const exts[] = { ".crt", ".crt_signed", ".pem", ".cer", ".cert" };
    char base[512];
    snprintf(base, sizeof base, "%s", b->name);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        char cand[600];
        snprintf(cand, sizeof cand, "%s%s", base, exts[i]);
        if (strcmp(cand, g->v[idx].name) == 0)
            continue;
        struct blob *c = group_find(g, cand);
        if (!c)
            continue;
        size_t ci = (size_t)(c - g->v);
        blob_parse(g, ci);
        b = &g->v[idx];
        c = &g->v[ci];
        ke = entry_of_kind(&r->v[b->item], K8TLS_INSPECT_KEY);
        if (!c->certs || sk_X509_num(c->certs) == 0)
            continue;
        if (key_matches(b->key, sk_X509_value(c->certs, 0)))
            note(&ke->notes, K8TLS_SEV_NOTE, _("matches the certificate in %s"), cand);
        else
            note(&ke->notes, K8TLS_SEV_ERROR, _("does not match the certificate in %s"), cand);
        return;
    }
}

/* A certificate that is not self-signed against the CA file beside it. */
static void check_pem_ca(struct k8tls_inspect_report *r, struct group *g, size_t idx)
{
    struct blob *b = &g->v[idx];
    if (!b->certs || sk_X509_num(b->certs) == 0 || b->item < 0)
        return;
    X509 *x = sk_X509_value(b->certs, 0);
    if (X509_check_issued(x, x) == X509_V_OK) {
        ERR_clear_error();
        return;
    }
    static const char *const cas[] = { "rootca.crt", "ca.crt", "ca.pem" };
    for (size_t i = 0; i < sizeof cas / sizeof cas[0]; i++) {
        if (strcmp(cas[i], g->v[idx].name) == 0)
            continue;
        struct blob *c = group_find(g, cas[i]);
        if (!c)
            continue;
        size_t ci = (size_t)(c - g->v);
        blob_parse(g, ci);
        b = &g->v[idx];
        c = &g->v[ci];
        if (!c->certs || sk_X509_num(c->certs) == 0)
            continue;
        STACK_OF(X509) *untrusted = sk_X509_new_null();
        for (int j = 1; untrusted && j < sk_X509_num(b->certs); j++)
            sk_X509_push(untrusted, sk_X509_value(b->certs, j));
        char *anchor = NULL;
        const char *why = NULL;
        struct k8tls_inspect_item *it = &r->v[b->item];
        if (it->n == 0)
            break;
        if (k8tls_x509_verify_chain(x, untrusted, c->certs, &anchor, &why) == 0)
            note(&it->v[0].notes, K8TLS_SEV_NOTE, _("signed by '%s' in %s"), anchor ? anchor : "?", cas[i]);
        else
            note(&it->v[0].notes, K8TLS_SEV_ERROR, _("not signed by the CA in %s: %s"), cas[i], why);
        free(anchor);
        sk_X509_free(untrusted);
        return;
    }
}

/* ---- Secret YAML ------------------------------------------------------------------------ */

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Strict standard base64 (white space ignored, '=' padding). NULL when invalid. */
static struct k8tls_secret *b64_decode(const char *s, size_t n)
{
    unsigned char *out = malloc(n / 4 * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0, q = 0, pad = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            acc <<= 6;
            q++;
        } else {
            int v = b64val(c);
            if (v < 0 || pad)
                goto bad;
            acc = (acc << 6) | (uint32_t)v;
            q++;
        }
        if (q == 4) {
            if (pad > 2)
                goto bad;
            out[o++] = (unsigned char)(acc >> 16);
            if (pad < 2)
                out[o++] = (unsigned char)(acc >> 8);
            if (pad < 1)
                out[o++] = (unsigned char)acc;
            q = 0;
            acc = 0;
            if (pad)
                pad = 3;   /* nothing may follow padding */
        }
    }
    if (q != 0)
        goto bad;
    struct k8tls_secret *sec = k8tls_secret_new(out, o);
    OPENSSL_cleanse(out, o);
    free(out);
    return sec;
bad:
    OPENSSL_cleanse(out, o);
    free(out);
    return NULL;
}

static void process_group(struct k8tls_inspect_report *r, struct group *g, bool lenient);

static void secret_doc(struct k8tls_inspect_report *r, const char *display, yaml_document_t *doc,
                       yaml_node_t *node, const struct k8tls_inspect_opts *o, int depth, int *count,
                       char *first_kind, size_t fk_len)
{
    const char *kind = k8tls_yaml_scalar(k8tls_yaml_map_get(doc, node, "kind"));
    if (first_kind[0] == '\0')
        snprintf(first_kind, fk_len, "%s", kind ? kind : "-");
    if (kind && strcmp(kind, "List") == 0 && depth == 0) {
        yaml_node_t *items = k8tls_yaml_map_get(doc, node, "items");
        for (size_t i = 0; i < k8tls_yaml_seq_len(items) && i < 1000; i++)
            secret_doc(r, display, doc, k8tls_yaml_seq_item(doc, items, i), o, depth + 1, count,
                       first_kind, fk_len);
        return;
    }
    if (!kind || strcmp(kind, "Secret") != 0)
        return;
    (*count)++;
    const char *name = k8tls_yaml_scalar(k8tls_yaml_map_get(doc, k8tls_yaml_map_get(doc, node, "metadata"), "name"));
    char where[1024];
    snprintf(where, sizeof where, _("%s: Secret %s"), display, name ? name : "?");
    struct group g = { .o = o, .in_secret = true };
    static const char *const sections[] = { "data", "stringData" };
    bool bad_section = false;
    for (int s = 0; s < 2; s++) {
        yaml_node_t *m = k8tls_yaml_map_get(doc, node, sections[s]);
        if (m && m->type != YAML_MAPPING_NODE
            && !(m->type == YAML_SCALAR_NODE && k8tls_yaml_scalar_len(m) == 0)) {
            /* 'data: abc' or a list: the Secret's content cannot be read */
            long ix = item_new(r, where, _("Secret"));
            if (ix >= 0)
                note(&r->v[ix].notes, K8TLS_SEV_ERROR,
                     _("'%s' is not a mapping of keys to values"), sections[s]);
            bad_section = true;
            continue;
        }
        for (size_t i = 0; i < k8tls_yaml_map_len(m) && i < SECRET_MAX_KEYS; i++) {
            const char *key = k8tls_yaml_scalar(k8tls_yaml_map_key(doc, m, i));
            yaml_node_t *vn = k8tls_yaml_map_value(doc, m, i);
            const char *val = k8tls_yaml_scalar(vn);
            if (!key)
                continue;
            char disp[1400];
            snprintf(disp, sizeof disp, "%s: %s", where, key);
            struct k8tls_secret *data = NULL;
            const char *err = NULL;
            if (!val)
                err = _("the value is not a text value");
            else if (s == 0 && !(data = b64_decode(val, k8tls_yaml_scalar_len(vn))))
                err = _("the value is not valid base64");
            else if (s == 1)
                data = k8tls_secret_new(val, k8tls_yaml_scalar_len(vn));
            group_add(&g, key, disp, data, err, !is_password_name(key) || err);
        }
    }
    size_t reported = 0;
    for (size_t i = 0; i < g.n; i++)
        if (g.v[i].report)
            reported++;
    if (g.n == 0 && !bad_section) {
        long ix = item_new(r, where, _("Secret"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_WARNING, "%s", _("the Secret has no data"));
    } else if (g.n > 0 && reported == 0) {
        /* only passwords: nothing they open is here */
        long ix = item_new(r, where, _("Secret"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_WARNING, "%s",
                 _("the Secret holds only passwords: no store or certificate to check"));
    }
    process_group(r, &g, true);
    group_free(&g);
}

/* A YAML file holding Secrets (one or more documents, or a List). */
static bool secret_file(struct k8tls_inspect_report *r, const char *display, const unsigned char *data,
                        size_t len, const struct k8tls_inspect_opts *o, bool quiet_if_none)
{
    yaml_parser_t parser;
    struct k8tls_err de;
    if (!yaml_parser_initialize(&parser))
        return false;
    yaml_parser_set_input_string(&parser, data, len);
    int count = 0;
    char first_kind[128] = "";
    char err[600] = "";
    /* stop at the depth limit before libyaml builds (slowly) a deeper tree */
    k8tls_err_clear(&de);
    if (k8tls_yaml_check_depth(display, (const char *)data, len, K8TLS_YAML_MAX_DEPTH, &de) < 0) {
        snprintf(err, sizeof err, _("YAML error at line %d, column %d: %s"), de.line, de.col,
                 de.msg);
        if (quiet_if_none) {
            yaml_parser_delete(&parser);
            return false;
        }
    }
    for (int nd = 0; nd < YAML_MAX_DOCS && !err[0]; nd++) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            snprintf(err, sizeof err, _("YAML error at line %zu, column %zu: %s"),
                     parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                     parser.problem ? parser.problem : "?");
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        if (root->type == YAML_MAPPING_NODE)
            secret_doc(r, display, &doc, root, o, 0, &count, first_kind, sizeof first_kind);
        else if (!first_kind[0])
            snprintf(first_kind, sizeof first_kind, "-");
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    if (count > 0 && !err[0])
        return true;
    if (quiet_if_none && !count)
        return false;
    long ix = item_new(r, display, _("YAML file"));
    if (ix < 0)
        return true;
    if (err[0])
        note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s", err);
    else
        note(&r->v[ix].notes, K8TLS_SEV_ERROR,
             _("not a keystore, PEM file or Kubernetes Secret (YAML of kind '%s')"), first_kind[0] ? first_kind : "-");
    return true;
}

/* ---- a group, a directory, a path ------------------------------------------------------- */

static void process_group(struct k8tls_inspect_report *r, struct group *g, bool lenient)
{
    size_t n0 = g->n;
    for (size_t i = 0; i < n0; i++) {
        if (!g->v[i].report)
            continue;
        blob_parse(g, i);
        struct blob *b = &g->v[i];
        if (b->type == BT_TEXT && !g->in_secret && b->data) {
            /* a Secret YAML file; in a directory walk other YAML (kustomization...) is skipped */
            if (is_password_name(b->name)) {
                b->item = item_new(r, b->display, _("password (not shown)"));
                continue;
            }
            char *disp = strdup(b->display);
            if (disp)
                secret_file(r, disp, g->v[i].data->data, g->v[i].data->len, g->o,
                            lenient && !g->yaml_strict);
            free(disp);
            continue;
        }
        if (lenient && !b->read_error && (b->type == BT_OTHER || b->type == BT_TEXT)) {
            if (!g->in_secret)
                continue;
            long ix = item_new(r, b->display, _("text value (not shown)"));
            b = &g->v[i];
            b->item = ix;
            continue;
        }
        long ix = item_new(r, b->display, "");
        if (ix < 0)
            return;
        b = &g->v[i];
        b->item = ix;
        struct k8tls_inspect_item *it = &r->v[ix];
        if (b->read_error) {
            set_what(it, "%s", _("unreadable"));
            note(&it->notes, K8TLS_SEV_ERROR, "%s", b->read_error);
            continue;
        }
        switch (b->type) {
        case BT_STORE:
            if (b->store_error) {
                set_what(it, "%s", _("keystore or truststore"));
                note(&it->notes, K8TLS_SEV_ERROR, "%s", b->store_error);
            } else {
                store_entries(it, b->store);
            }
            break;
        case BT_PEM:
            pem_entries(it, b);
            break;
        case BT_DER_CERT:
            pem_entries(it, b);
            set_what(it, "%s", _("DER certificate"));
            break;
        default:
            set_what(it, "%s", _("unknown"));
            note(&it->notes, K8TLS_SEV_ERROR, "%s",
                 b->data && b->data->len == 0 ? _("empty file")
                                              : _("not a keystore, PEM file or Kubernetes Secret"));
        }
    }
    for (size_t i = 0; i < n0; i++) {
        check_store_chain(r, g, i);
        check_pem_key(r, g, i);
        check_pem_ca(r, g, i);
    }
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of dir as one group (password files used, not reported). */
static void group_dir(struct k8tls_inspect_report *r, const char *dir, const struct k8tls_inspect_opts *o,
                      bool lenient, const char *only_prefix)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, name_cmp);
    if (n < 0) {
        long ix = item_new(r, dir, _("directory"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("cannot read: %s"), strerror(errno));
        return;
    }
    struct group g = { .o = o, .dir = dir, .yaml_strict = only_prefix != NULL };
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        char *path = nm[0] != '.' ? k8tls_path_join(dir, nm) : NULL;
        if (path && is_regular(path) && (!only_prefix || strncmp(nm, only_prefix, strlen(only_prefix)) == 0))
            group_add_file(&g, dir, nm, !is_password_name(nm));
        free(path);
        free(names[i]);
    }
    free(names);
    process_group(r, &g, lenient);
    group_free(&g);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *password_file(const char *path)
{
    char ref[4200];
    snprintf(ref, sizeof ref, "file:%s", path);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    return k8tls_password_resolve(ref, NULL, &e);
}

static long find_item(const struct k8tls_inspect_report *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Medusa connects to Cassandra with client.crt_signed: some truststore of stores/ must trust it
 * (K7, K8). Which Secret is the client one is in the manifest; any truststore that trusts the
 * certificate will do for this check. */
static void check_medusa_trusted(struct k8tls_inspect_report *r, const char *medusa, const char *stores)
{
    char *cpath = k8tls_path_join(medusa, "client.crt_signed");
    long ix = cpath ? find_item(r, cpath) : -1;
    struct k8tls_secret *data = NULL;
    STACK_OF(X509) *certs = NULL;
    struct k8tls_err e;
    if (ix < 0 || r->v[ix].n == 0 || k8tls_store_read_bytes(cpath, K8TLS_READ_MAX_BYTES, &data, &e)
        || k8tls_pem_read_certs(data->data, data->len, cpath, &certs, &e)) {
        k8tls_secret_free(data);
        free(cpath);
        return;
    }
    struct dirent **names = NULL;
    int n = scandir(stores, &names, NULL, name_cmp);
    char *trusted_by = NULL;
    int looked = 0;
    for (int i = 0; i < n; i++) {
        char *sub = names[i]->d_name[0] != '.' ? k8tls_path_join(stores, names[i]->d_name) : NULL;
        char *tpath = sub ? k8tls_path_join(sub, "truststore") : NULL;
        char *ppath = sub ? k8tls_path_join(sub, "truststore-password") : NULL;
        struct k8tls_secret *tb = NULL;
        char *pw = NULL;
        struct k8tls_store *ts = NULL;
        if (!trusted_by && tpath && ppath && is_regular(tpath)
            && (pw = password_file(ppath)) != NULL
            && k8tls_store_read_bytes(tpath, K8TLS_READ_MAX_BYTES, &tb, &e) == 0
            && k8tls_store_read(tb->data, tb->len, tpath, pw, &ts, &e) == 0) {
            looked++;
            STACK_OF(X509) *trusted = trusted_of(ts);
            STACK_OF(X509) *untrusted = sk_X509_new_null();
            for (int j = 1; untrusted && j < sk_X509_num(certs); j++)
                sk_X509_push(untrusted, sk_X509_value(certs, j));
            const char *why;
            if (k8tls_x509_verify_chain(sk_X509_value(certs, 0), untrusted, trusted, NULL, &why) == 0)
                trusted_by = strdup(tpath);
            sk_X509_free(untrusted);
            sk_X509_free(trusted);
        }
        k8tls_store_free(ts);
        k8tls_secret_free(tb);
        k8tls_secure_free_str(pw);
        free(tpath);
        free(ppath);
        free(sub);
        free(names[i]);
    }
    free(names);
    struct k8tls_inspect_entry *en = &r->v[ix].v[0];
    if (trusted_by)
        note(&en->notes, K8TLS_SEV_NOTE, _("trusted by %s: Cassandra accepts Medusa's client certificate"),
             trusted_by);
    else if (looked)
        note(&en->notes, K8TLS_SEV_WARNING, "%s",
             _("no truststore of stores/ trusts this certificate: Cassandra will refuse Medusa "
               "when it requires client certificates"));
    free(trusted_by);
    sk_X509_pop_free(certs, X509_free);
    k8tls_secret_free(data);
    free(cpath);
}

/* An output directory (bundle.h): ca/, stores/<secret>/, medusa/, manifests/10-secret-*.yaml. */
static void walk_output_dir(struct k8tls_inspect_report *r, const char *dir, const struct k8tls_inspect_opts *o)
{
    size_t before = r->n;
    char *ca = k8tls_path_join(dir, "ca"), *stores = k8tls_path_join(dir, "stores"),
         *medusa = k8tls_path_join(dir, "medusa"), *manifests = k8tls_path_join(dir, "manifests");
    if (ca && is_dir(ca))
        group_dir(r, ca, o, false, NULL);
    if (stores && is_dir(stores)) {
        struct dirent **names = NULL;
        int n = scandir(stores, &names, NULL, name_cmp);
        for (int i = 0; i < n; i++) {
            char *sub = names[i]->d_name[0] != '.' ? k8tls_path_join(stores, names[i]->d_name)
                                                   : NULL;
            if (sub && is_dir(sub))
                group_dir(r, sub, o, false, NULL);
            free(sub);
            free(names[i]);
        }
        free(names);
    }
    if (medusa && is_dir(medusa)) {
        group_dir(r, medusa, o, false, NULL);
        if (stores && is_dir(stores))
            check_medusa_trusted(r, medusa, stores);
    }
    if (manifests && is_dir(manifests))
        group_dir(r, manifests, o, true, "10-secret-");
    if (r->n == before) {
        long ix = item_new(r, dir, _("directory"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s",
                 _("no store, certificate, key or Secret found in this output directory"));
    }
    free(ca);
    free(stores);
    free(medusa);
    free(manifests);
}

void k8tls_inspect_path(struct k8tls_inspect_report *r, const char *path, const struct k8tls_inspect_opts *o)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        long ix = item_new(r, path, _("missing"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("cannot read: %s"), strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        /* a FIFO would block the read forever; a device reads as nonsense */
        long ix = item_new(r, path, _("not a file"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("not a regular file (%s)"),
                 k8tls_file_kind_name((unsigned)st.st_mode));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        static const char *const marks[] = { "kustomization.yaml", "stores", "ca", "medusa" };
        bool layout = false;
        for (size_t i = 0; i < sizeof marks / sizeof marks[0] && !layout; i++) {
            char *m = k8tls_path_join(path, marks[i]);
            struct stat ms;
            layout = m && stat(m, &ms) == 0;
            free(m);
        }
        size_t before = r->n;
        if (layout)
            walk_output_dir(r, path, o);
        else
            group_dir(r, path, o, true, NULL);
        if (r->n == before) {
            long ix = item_new(r, path, _("directory"));
            if (ix >= 0)
                note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s",
                     _("no store, certificate, key or Secret found in this directory"));
        }
        return;
    }
    char *copy = strdup(path);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    const char *name = slash ? slash + 1 : copy;
    char *dir = slash ? (slash == copy ? strdup("/") : strndup(copy, (size_t)(slash - copy))) : strdup(".");
    struct group g = { .o = o, .dir = dir };
    struct k8tls_secret *data = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &data, &e))
        group_add(&g, name, path, NULL, e.msg, true);
    else
        group_add(&g, name, path, data, NULL, true);
    process_group(r, &g, false);
    group_free(&g);
    free(dir);
    free(copy);
}

void k8tls_inspect_blobs(struct k8tls_inspect_report *r, const char *where,
                         const struct k8tls_inspect_blob *v, size_t n, const struct k8tls_inspect_opts *o)
{
    struct group g = { .o = o, .in_secret = true };
    for (size_t i = 0; i < n; i++) {
        char disp[1400];
        snprintf(disp, sizeof disp, "%s: %s", where ? where : "-", v[i].name);
        group_add(&g, v[i].name, disp, k8tls_secret_new(v[i].data, v[i].len), NULL,
                  !is_password_name(v[i].name));
    }
    process_group(r, &g, true);
    group_free(&g);
}

/* ---- printing ------------------------------------------------------------------------- */

static void print_notes(const struct k8tls_diags *d, FILE *out, const char *indent)
{
    for (size_t i = 0; i < d->n; i++) {
        const char *sev = d->v[i].sev == K8TLS_SEV_ERROR ? _("error")
                          : d->v[i].sev == K8TLS_SEV_WARNING ? _("warning") : _("ok");
        fprintf(out, "%s%s: %s\n", indent, sev, d->v[i].msg);
    }
}

static void print_entry(const struct k8tls_inspect_entry *en, FILE *out)
{
    switch (en->kind) {
    case K8TLS_INSPECT_KEY_ENTRY:
        fprintf(out, _("  [%d] private-key entry '%s'\n"), en->index, en->alias ? en->alias : "");
        break;
    case K8TLS_INSPECT_TRUSTED_CERT:
        fprintf(out, _("  [%d] trusted certificate '%s'\n"), en->index, en->alias ? en->alias : "");
        break;
    case K8TLS_INSPECT_CERT:
        fprintf(out, _("  [%d] certificate\n"), en->index);
        break;
    case K8TLS_INSPECT_KEY:
        fprintf(out, _("  [%d] private key (%s)\n"), en->index, en->key ? en->key : "?");
        break;
    }
    if (en->subject) {
        fprintf(out, _("      subject:  %s\n"), en->subject);
        if (en->self_signed)
            fprintf(out, "%s", _("      issuer:   (self-signed)\n"));
        else
            fprintf(out, _("      issuer:   %s\n"), en->issuer ? en->issuer : "?");
        if (en->sans && en->sans[0]) {
            char *j = k8tls_strv_join(en->sans, 64);
            fprintf(out, _("      SANs:     %s\n"), j ? j : "");
            free(j);
        }
        fprintf(out, _("      key:      %s%s\n"), en->key ? en->key : "?", en->is_ca ? _(", CA") : "");
        if (en->days_left >= 0)
            fprintf(out, _("      valid:    %s to %s (%ld days left)\n"), en->not_before, en->not_after,
                    en->days_left);
        else
            fprintf(out, _("      valid:    %s to %s (EXPIRED %ld days ago)\n"), en->not_before,
                    en->not_after, -en->days_left);
        if (en->kind == K8TLS_INSPECT_KEY_ENTRY)
            fprintf(out, dngettext(PACKAGE, "      chain:    %d more certificate\n",
                                   "      chain:    %d more certificates\n", (unsigned long)en->chain_len),
                    en->chain_len);
    }
    print_notes(&en->notes, out, "      ");
}

void k8tls_inspect_print(const struct k8tls_inspect_report *r, FILE *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct k8tls_inspect_item *it = &r->v[i];
        if (i)
            fputc('\n', out);
        fprintf(out, "%s: %s\n", it->name, it->what);
        print_notes(&it->notes, out, "  ");
        for (size_t j = 0; j < it->n; j++)
            print_entry(&it->v[j], out);
    }
    size_t e = k8tls_inspect_count(r, K8TLS_SEV_ERROR), w = k8tls_inspect_count(r, K8TLS_SEV_WARNING);
    fprintf(out, _("\ninspected: %zu, errors: %zu, warnings: %zu\n"), r->n, e, w);
}

void k8tls_inspect_print_errors(const struct k8tls_inspect_report *r, FILE *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct k8tls_inspect_item *it = &r->v[i];
        for (size_t k = 0; k < it->notes.n; k++)
            if (it->notes.v[k].sev == K8TLS_SEV_ERROR)
                fprintf(out, "%s: %s: %s\n", it->name, _("error"), it->notes.v[k].msg);
        for (size_t j = 0; j < it->n; j++) {
            const struct k8tls_inspect_entry *en = &it->v[j];
            for (size_t k = 0; k < en->notes.n; k++) {
                if (en->notes.v[k].sev != K8TLS_SEV_ERROR)
                    continue;
                if (en->alias)
                    fprintf(out, _("%s: error: entry '%s': %s\n"), it->name, en->alias, en->notes.v[k].msg);
                else if (en->kind == K8TLS_INSPECT_KEY)
                    fprintf(out, _("%s: error: the private key: %s\n"), it->name, en->notes.v[k].msg);
                else
                    fprintf(out, _("%s: error: certificate %d: %s\n"), it->name, en->index, en->notes.v[k].msg);
            }
        }
    }
}
