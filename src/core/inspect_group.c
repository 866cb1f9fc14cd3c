/* Groups of blobs for inspect: files of a directory or values of a Secret, each read once and
 * parsed once (a store opened with the password beside it, PEM/DER certificates and keys, other
 * text); siblings are loaded on demand when a check asks for them by name. Calls the store
 * readers (store.h: store_read.c, jks_read.c) and infile/store_int.h helpers; no other inspect
 * file. */
#include "config.h"
#include "inspect_int.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>

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

void insp_group_free(struct group *g)
{
    for (size_t i = 0; i < g->n; i++)
        blob_clear(&g->v[i]);
    free(g->v);
    g->v = NULL;
    g->n = 0;
}

/* Takes data (may be NULL with read_error). */
struct blob *insp_group_add(struct group *g, const char *name, const char *display,
                            struct k8tls_secret *data, const char *read_error, bool report)
{
    if (g->n >= INSP_GROUP_MAX_FILES) {
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

bool insp_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct blob *insp_group_add_file(struct group *g, const char *dir, const char *name, bool report)
{
    char *path = dir ? k8tls_path_join(dir, name) : strdup(name);
    if (!path)
        return NULL;
    struct k8tls_secret *data = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    struct blob *b;
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &data, &e))
        b = insp_group_add(g, name, path, NULL, e.msg, report);
    else
        b = insp_group_add(g, name, path, data, NULL, report);
    free(path);
    return b;
}

struct blob *insp_group_find(struct group *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].name, name) == 0)
            return &g->v[i];
    if (!g->dir || strchr(name, '/'))
        return NULL;
    char *path = k8tls_path_join(g->dir, name);
    bool ok = path && insp_is_regular(path);
    free(path);
    return ok ? insp_group_add_file(g, g->dir, name, false) : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool insp_is_password_name(const char *name)
{
    return ends_with(name, "-password") || ends_with(name, "_password") || strcmp(name, "password") == 0;
}

/* The password for a store blob: "<name>-password" beside it, else the option. Heap string. */
static char *blob_password(struct group *g, const struct blob *b0, bool *from_sibling)
{
    size_t bi = (size_t)(b0 - g->v);
    const struct blob *b = b0;
    *from_sibling = false;
    char pname[512];
    snprintf(pname, sizeof pname, "%s-password", b->name);
    /* b may move when group_find appends: copy what we need first */
    struct blob *pw = insp_group_find(g, pname);
    b = &g->v[bi];
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
    if (g->o && g->o->password)
        return strdup(g->o->password);
    /* Reaper's stores (R1, R2): Reaper hard-codes their password */
    if (strcmp(b->name, "keystore.jks") == 0 || strcmp(b->name, "truststore.jks") == 0) {
        g->v[bi].fixed_password = true;
        return strdup(K8TLS_REAPER_STORE_PASSWORD);
    }
    return NULL;
}

/* A YAML file that carries a PEM block in a value (a trust-manager Bundle's inLine source) is
 * YAML, not PEM: named .yaml/.yml and not starting with the PEM header. */
static bool yaml_holding_pem(const char *name, const unsigned char *d, size_t len)
{
    size_t n = name ? strlen(name) : 0;
    bool yaml = (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
                (n > 4 && strcmp(name + n - 4, ".yml") == 0);
    size_t i = 0;
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    return yaml && !(len - i >= 10 && memcmp(d + i, "-----BEGIN", 10) == 0);
}

void insp_blob_parse(struct group *g, size_t idx)
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
        if (yaml_holding_pem(b->name, d, len)) {
            b->type = BT_TEXT;
            return;
        }
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
