/* Import validation (S8), before anything is written: the password opens the store; the
 * entries are what Cassandra needs (one private-key entry in a keystore, trusted certificates in
 * a truststore); the key matches its certificate; the chain reaches a CA of the truststore; the
 * dates (expired: refused; fewer than 30 days left: warned); the SANs of S5 (missing: warned);
 * an imported CA really is a CA. Every problem names the file and the answers key.
 * Called by pki.c. Calls the readers (store_read.c, store_obj.c, pem.c), certcheck.c, sans.c,
 * strv.c, plan, secure and err; never pki.c. */
#include "config.h"
#include "k8tls/store.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

struct imp {
    const struct k8tls_plan *p;
    struct k8tls_diags *d;
    char *base;
};

static void imp_init(struct imp *im, const struct k8tls_plan *p, struct k8tls_diags *d)
{
    im->p = p;
    im->d = d;
    im->base = k8tls_plan_base_dir(p);
}

static char *imp_path(const struct imp *im, const char *rel)
{
    if (rel[0] == '/' || !im->base || strcmp(im->base, ".") == 0)
        return strdup(rel);
    size_t n = strlen(im->base) + strlen(rel) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", im->base, rel);
    return s;
}

/* A problem in the answers themselves: the answers file and the key's position. */
static void at_key(const struct imp *im, enum k8tls_severity sev, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void at_key(const struct imp *im, enum k8tls_severity sev, const char *key, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_pos pos = k8tls_plan_pos(im->p, key);
    k8tls_diags_add(im->d, sev, im->p->source_file, pos.line, pos.col, key, "%s", msg);
}

/* A problem in an imported file: the file's name and the answers key that named it. */
static void in_file(const struct imp *im, enum k8tls_severity sev, const char *file, const char *key,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void in_file(const struct imp *im, enum k8tls_severity sev, const char *file, const char *key,
                    const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k8tls_diags_add(im->d, sev, file, 0, 0, key, "%s", msg);
}

static void from_err(const struct imp *im, const char *key, const struct k8tls_err *e)
{
    k8tls_diags_add_err(im->d, key, e);
}

static size_t nerrors(const struct imp *im)
{
    return k8tls_diags_count(im->d, K8TLS_SEV_ERROR);
}

/* The password's value (resolved now if the plan was not resolved), or NULL when none is given
 * (an error is added when one cannot be resolved; *failed says so). */
static char *imp_password(const struct imp *im, const struct k8tls_password *pw, const char *key,
                          bool *failed)
{
    *failed = false;
    if (pw->value)
        return strdup(pw->value);
    if (!pw->ref)
        return NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    char *v = k8tls_password_resolve(pw->ref, im->base, &e);
    if (!v) {
        k8tls_diags_add(im->d, K8TLS_SEV_ERROR, e.file[0] ? e.file : im->p->source_file,
                        e.file[0] ? 0 : pw->pos.line, e.file[0] ? 0 : pw->pos.col, key, "%s", e.msg);
        *failed = true;
    }
    return v;
}

/* Dates of one certificate: expired or not yet valid, and the 30-day warning. */
static void check_dates(const struct imp *im, X509 *x, const char *file, const char *key,
                        bool refuse_expired)
{
    char date[64];
    char *subj = k8tls_x509_name(X509_get_subject_name(x));
    int ok;
    long days = k8tls_days_until(X509_get0_notAfter(x), &ok);
    k8tls_x509_date(X509_get0_notAfter(x), date, sizeof date);
    if (!ok)
        in_file(im, K8TLS_SEV_ERROR, file, key, _("certificate '%s' has an unreadable expiry date"),
                subj ? subj : "?");
    else if (days < 0)
        in_file(im, refuse_expired && !im->p->allow_expired ? K8TLS_SEV_ERROR : K8TLS_SEV_WARNING,
                file, key,
                _("certificate '%s' expired on %s"), subj ? subj : "?", date);
    else if (days < K8TLS_EXPIRY_WARN_DAYS)
        in_file(im, K8TLS_SEV_WARNING, file, key, _("certificate '%s' expires in %ld days (%s)"),
                subj ? subj : "?", days, date);
    if (k8tls_not_yet_valid(x)) {
        k8tls_x509_date(X509_get0_notBefore(x), date, sizeof date);
        in_file(im, K8TLS_SEV_WARNING, file, key, _("certificate '%s' is not valid before %s"),
                subj ? subj : "?", date);
    }
    free(subj);
}

static bool key_matches(EVP_PKEY *k, X509 *x)
{
    int r = EVP_PKEY_eq(k, X509_get0_pubkey(x));
    ERR_clear_error();
    return r == 1;
}

static int read_file(const struct imp *im, const char *path, const char *key,
                     struct k8tls_secret **out)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, out, &e)) {
        from_err(im, key, &e);
        return -1;
    }
    return 0;
}

static int read_certs(const struct imp *im, const char *path, const char *key, STACK_OF(X509) **out)
{
    struct k8tls_secret *buf = NULL;
    if (read_file(im, path, key, &buf))
        return -1;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = k8tls_pem_read_certs(buf->data, buf->len, path, out, &e);
    k8tls_secret_free(buf);
    if (rc)
        from_err(im, key, &e);
    return rc;
}

/* if_encrypted (may be NULL): the message when the key is encrypted and cannot be opened. */
static int read_key(const struct imp *im, const char *path, const char *key, const char *password,
                    EVP_PKEY **out, const char *if_encrypted)
{
    struct k8tls_secret *buf = NULL;
    if (read_file(im, path, key, &buf))
        return -1;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    bool enc = false;
    int rc = k8tls_pem_read_key(buf->data, buf->len, path, password, out, &enc, &e);
    k8tls_secret_free(buf);
    if (rc && enc && if_encrypted)
        in_file(im, K8TLS_SEV_ERROR, path, key, "%s", if_encrypted);
    else if (rc)
        from_err(im, key, &e);
    return rc;
}

/* A CA certificate that can sign: basicConstraints CA:TRUE, keyCertSign when keyUsage is set. */
static void check_is_ca(const struct imp *im, X509 *x, const char *file, const char *key)
{
    char *subj = k8tls_x509_name(X509_get_subject_name(x));
    if (!k8tls_x509_is_ca(x))
        in_file(im, K8TLS_SEV_ERROR, file, key,
                _("certificate '%s' is not a CA: it lacks basicConstraints CA:TRUE"), subj ? subj : "?");
    else if ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) && !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
        in_file(im, K8TLS_SEV_ERROR, file, key,
                _("CA certificate '%s' may not sign certificates: its key usage lacks keyCertSign"),
                subj ? subj : "?");
    /* the bound of generated keys (plan validation): weaker CAs are refused, or warned under
     * --force */
    EVP_PKEY *pk = X509_get0_pubkey(x);
    if (pk && (EVP_PKEY_is_a(pk, "RSA") || EVP_PKEY_is_a(pk, "RSA-PSS"))
        && EVP_PKEY_get_bits(pk) < 2048)
        in_file(im, im->p->allow_expired ? K8TLS_SEV_WARNING : K8TLS_SEV_ERROR, file, key,
                _("CA certificate '%s' has an RSA key of %d bits: an RSA key size is 2048, 3072 "
                  "or 4096, not %d"), subj ? subj : "?", EVP_PKEY_get_bits(pk), EVP_PKEY_get_bits(pk));
    if (k8tls_not_yet_valid(x) && !im->p->allow_expired) {
        char date[64];
        k8tls_x509_date(X509_get0_notBefore(x), date, sizeof date);
        in_file(im, K8TLS_SEV_ERROR, file, key,
                _("CA certificate '%s' is not valid before %s: certificates it signs would not be "
                  "trusted until then"), subj ? subj : "?", date);
    }
    ERR_clear_error();
    free(subj);
}

/* The CA's issuers given after it in its file (a chain): an issuer whose basicConstraints
 * pathlen leaves no room for the CA below it (a pathlen:0 root above an intermediate) makes every
 * certificate the CA signs untrusted. Self-issued CAs do not count towards a path length. */
static void check_path_length(const struct imp *im, STACK_OF(X509) *certs, const char *file,
                              const char *key)
{
    X509 *ca = sk_X509_value(certs, 0), *cur = ca;
    int below = 0;   /* CAs between the issuer looked at and the node certificates */
    for (int depth = 0; depth < sk_X509_num(certs); depth++) {
        bool self_issued = X509_check_issued(cur, cur) == X509_V_OK;
        if (self_issued && k8tls_x509_issued_by(cur, cur))
            break;   /* a root: nothing above it */
        if (!self_issued)
            below++;
        X509 *issuer = NULL;
        for (int i = 0; i < sk_X509_num(certs) && !issuer; i++)
            if (sk_X509_value(certs, i) != cur && k8tls_x509_issued_by(cur, sk_X509_value(certs, i)))
                issuer = sk_X509_value(certs, i);
        if (!issuer)
            break;
        long pathlen = X509_get_pathlen(issuer);
        if (pathlen >= 0 && pathlen < below) {
            char *subj = k8tls_x509_name(X509_get_subject_name(ca));
            char *isubj = k8tls_x509_name(X509_get_subject_name(issuer));
            if (pathlen == 0)
                in_file(im, K8TLS_SEV_ERROR, file, key,
                        _("CA certificate '%s' cannot sign node certificates that anything will "
                          "trust: it is an intermediate CA under '%s', whose basicConstraints "
                          "pathlen:0 allows no CA below it; import that CA (with its key) instead, or "
                          "a CA whose issuers allow an intermediate"),
                        subj ? subj : "?", isubj ? isubj : "?");
            else
                in_file(im, K8TLS_SEV_ERROR, file, key,
                        _("CA certificate '%s' cannot sign node certificates that anything will "
                          "trust: it is %d CAs below '%s', whose basicConstraints pathlen:%ld "
                          "allows at most %ld"),
                        subj ? subj : "?", below, isubj ? isubj : "?", pathlen, pathlen);
            free(subj);
            free(isubj);
            break;
        }
        cur = issuer;
    }
    ERR_clear_error();
}

/* ---- ca.source: import ------------------------------------------------------------------ */

/* An imported CA: its certificate (the first of the file), checked to be a CA, its path length,
 * its dates; its key, if given, opened with its password and matched. Keys of the answers file
 * are at prefix ("ca.import" or "encryption.<surface>.ca.import"); no_cert: the message when no
 * certificate file is given. */
static int import_ca_at(const struct k8tls_plan *p, const char *cert_rel, const char *key_rel,
                        const struct k8tls_password *key_pw, const char *prefix,
                        const char *no_cert, X509 **cert, EVP_PKEY **key, struct k8tls_diags *d)
{
    struct imp im;
    imp_init(&im, p, d);
    *cert = NULL;
    *key = NULL;
    size_t errs = nerrors(&im);
    STACK_OF(X509) *certs = NULL;
    EVP_PKEY *k = NULL;
    char *cpath = NULL, *kpath = NULL, *pw = NULL;
    char kcert[200], kkey[200], kpw[200];
    snprintf(kcert, sizeof kcert, "%s.cert", prefix);
    snprintf(kkey, sizeof kkey, "%s.key", prefix);
    snprintf(kpw, sizeof kpw, "%s.keyPassword", prefix);

    if (!cert_rel || !*cert_rel) {
        at_key(&im, K8TLS_SEV_ERROR, kcert, "%s", no_cert);
        goto out;
    }
    if (!(cpath = imp_path(&im, cert_rel)))
        goto oom;
    if (read_certs(&im, cpath, kcert, &certs))
        goto out;
    X509 *ca = sk_X509_value(certs, 0);
    if (sk_X509_num(certs) > 1)
        in_file(&im, K8TLS_SEV_WARNING, cpath, kcert,
                _("holds %d certificates: the first one is the CA used"), sk_X509_num(certs));
    check_is_ca(&im, ca, cpath, kcert);
    check_path_length(&im, certs, cpath, kcert);
    check_dates(&im, ca, cpath, kcert, true);

    if (key_rel && *key_rel) {
        bool failed;
        pw = imp_password(&im, key_pw, kpw, &failed);
        if (failed)
            goto out;
        if (!(kpath = imp_path(&im, key_rel)))
            goto oom;
        char need_pw[300];
        if (strcmp(prefix, "ca.import") == 0)
            snprintf(need_pw, sizeof need_pw, "%s",
                     _("the CA key is encrypted: give its password in ca.import.keyPassword"));
        else
            snprintf(need_pw, sizeof need_pw,
                     _("the CA key is encrypted: give its password in %s"), kpw);
        if (read_key(&im, kpath, kkey, pw, &k, pw ? NULL : need_pw))
            goto out;
        if (!key_matches(k, ca))
            in_file(&im, K8TLS_SEV_ERROR, kpath, kkey, _("this key does not match the CA certificate %s"),
                    cpath);
    }
    if (nerrors(&im) == errs) {
        *cert = ca;
        X509_up_ref(ca);
        *key = k;
        k = NULL;
    }
    goto out;
oom:
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
out:
    sk_X509_pop_free(certs, X509_free);
    EVP_PKEY_free(k);
    free(cpath);
    free(kpath);
    k8tls_secure_free_str(pw);
    free(im.base);
    ERR_clear_error();
    return nerrors(&im) == errs && *cert ? 0 : -1;
}

int k8tls_import_ca(const struct k8tls_plan *p, X509 **cert, EVP_PKEY **key, struct k8tls_diags *d)
{
    return import_ca_at(p, p->ca.import_cert, p->ca.import_key, &p->ca.import_key_password,
                        "ca.import", _("ca.source is import but no CA certificate file is given"),
                        cert, key, d);
}

int k8tls_import_surface_ca(const struct k8tls_plan *p, const struct k8tls_surface_ca *sc,
                            const char *prefix, X509 **cert, EVP_PKEY **key,
                            struct k8tls_diags *d)
{
    char at[200], kkey[220];
    snprintf(at, sizeof at, "%s.import", prefix);
    if (import_ca_at(p, sc->import_cert, sc->import_key, &sc->import_key_password, at,
                     _("this surface's CA source is import but no CA certificate file is given"),
                     cert, key, d) != 0)
        return -1;
    if (!*key) {
        snprintf(kkey, sizeof kkey, "%s.key", at);
        struct k8tls_pos pos = k8tls_plan_pos(p, kkey);
        k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, pos.line, pos.col, kkey, "%s",
                        _("the CA private key is needed to sign this surface's certificates"));
        X509_free(*cert);
        *cert = NULL;
        return -1;
    }
    return 0;
}

/* ---- stores.server / stores.client: import ---------------------------------------------- */

struct opened {
    char *path;
    char *pw;
    struct k8tls_secret *bytes;
    struct k8tls_store *store;
};

static void opened_free(struct opened *o)
{
    free(o->path);
    k8tls_secure_free_str(o->pw);
    k8tls_secret_free(o->bytes);
    k8tls_store_free(o->store);
}

static int open_store(const struct imp *im, const char *rel, const struct k8tls_password *pw,
                      const char *file_key, const char *pw_key, struct opened *o)
{
    memset(o, 0, sizeof *o);
    if (!rel || !*rel) {
        at_key(im, K8TLS_SEV_ERROR, file_key, "%s", _("no file is given for this store"));
        return -1;
    }
    bool failed;
    o->pw = imp_password(im, pw, pw_key, &failed);
    if (failed)
        return -1;
    if (!o->pw) {
        at_key(im, K8TLS_SEV_ERROR, pw_key, "%s",
               _("an imported store needs its password (env:NAME or file:PATH)"));
        return -1;
    }
    const char *why = k8tls_password_problem(o->pw);
    if (why) {
        at_key(im, K8TLS_SEV_ERROR, pw_key, "%s", why);
        return -1;
    }
    if (!(o->path = imp_path(im, rel)) || read_file(im, o->path, file_key, &o->bytes))
        return -1;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_store_read(o->bytes->data, o->bytes->len, o->path, o->pw, &o->store, &e)) {
        from_err(im, file_key, &e);
        return -1;
    }
    return 0;
}

static void check_keystore(const struct imp *im, const struct opened *ks, const char *key,
                           const struct k8tls_store_entry **entry)
{
    const struct k8tls_store *s = ks->store;
    size_t nkeys = 0, ntrusted = 0;
    *entry = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].type == K8TLS_ENTRY_PRIVATE_KEY) {
            nkeys++;
            if (!*entry)
                *entry = &s->v[i];
        } else if (k8tls_store_chain_copy_of(s, i) < 0) {   /* a copy is part of a chain */
            ntrusted++;
        }
    }
    if (nkeys == 0) {
        in_file(im, K8TLS_SEV_ERROR, ks->path, key, "%s",
                _("the keystore holds no private-key entry (Cassandra needs exactly one)"));
        *entry = NULL;
        return;
    }
    if (nkeys > 1) {
        in_file(im, K8TLS_SEV_ERROR, ks->path, key,
                _("the keystore holds %zu private-key entries: Cassandra needs exactly one"), nkeys);
        *entry = NULL;
        return;
    }
    if (ntrusted)
        in_file(im, K8TLS_SEV_WARNING, ks->path, key,
                _("the keystore also holds %zu trusted certificates, which Cassandra ignores there"),
                ntrusted);
    const struct k8tls_store_entry *en = *entry;
    if (!en->cert) {
        in_file(im, K8TLS_SEV_ERROR, ks->path, key, _("the private-key entry '%s' has no certificate"),
                en->alias);
        *entry = NULL;
        return;
    }
    if (!key_matches(en->key, en->cert))
        in_file(im, K8TLS_SEV_ERROR, ks->path, key,
                _("the private key of entry '%s' does not match its certificate"), en->alias);
    if (s->format == K8TLS_FORMAT_JKS) {
        for (const char *c = en->alias; *c; c++)
            if (*c >= 'A' && *c <= 'Z') {
                in_file(im, K8TLS_SEV_WARNING, ks->path, key,
                        _("alias '%s' has upper-case letters: Java looks aliases up in lower case"),
                        en->alias);
                break;
            }
    }
    check_dates(im, en->cert, ks->path, key, true);
    for (int i = 0; i < sk_X509_num(en->chain); i++)
        check_dates(im, sk_X509_value(en->chain, i), ks->path, key, true);
    char *subj = k8tls_x509_name(X509_get_subject_name(en->cert));
    if (!k8tls_x509_eku_allows(en->cert, NID_server_auth) || !k8tls_x509_eku_allows(en->cert, NID_client_auth))
        in_file(im, K8TLS_SEV_WARNING, ks->path, key,
                _("certificate '%s' is not for both TLS server and client use (extended key usage): "
                  "each node is both ends of a connection"), subj ? subj : "?");
    char **expected = k8tls_pki_node_sans(im->p);
    char **missing = expected ? k8tls_x509_missing_sans(en->cert, expected) : NULL;
    if (missing && missing[0]) {
        size_t n = 0;
        while (missing[n])
            n++;
        char *list = k8tls_strv_join(missing, 6);
        in_file(im, K8TLS_SEV_WARNING, ks->path, key,
                _("certificate '%s' lacks %zu of the names clients may use (subjectAltName): %s"),
                subj ? subj : "?", n, list ? list : "");
        free(list);
    }
    k8tls_strv_free(missing);
    k8tls_strv_free(expected);
    free(subj);
}

static void check_truststore(const struct imp *im, const struct opened *ts, const char *key,
                             STACK_OF(X509) *trusted)
{
    const struct k8tls_store *s = ts->store;
    size_t invisible = 0, nkeys = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct k8tls_store_entry *en = &s->v[i];
        if (en->type == K8TLS_ENTRY_PRIVATE_KEY) {
            nkeys++;
            continue;
        }
        if (en->p12_no_java_trust) {
            invisible++;
            continue;
        }
        X509_up_ref(en->cert);
        if (!sk_X509_push(trusted, en->cert))
            X509_free(en->cert);
        char *subj = k8tls_x509_name(X509_get_subject_name(en->cert));
        if (!k8tls_x509_is_ca(en->cert))
            in_file(im, K8TLS_SEV_WARNING, ts->path, key,
                    _("trusted certificate '%s' is not a CA (no basicConstraints CA:TRUE): it "
                      "trusts only itself"), subj ? subj : "?");
        free(subj);
        check_dates(im, en->cert, ts->path, key, false);
    }
    if (nkeys)
        in_file(im, K8TLS_SEV_WARNING, ts->path, key,
                _("the truststore holds %zu private keys: a truststore should hold certificates only"),
                nkeys);
    if (invisible)
        in_file(im, sk_X509_num(trusted) ? K8TLS_SEV_WARNING : K8TLS_SEV_ERROR, ts->path, key,
                _("Java does not see %zu of its certificates: they lack Java's trust attribute"),
                invisible);
    if (sk_X509_num(trusted) == 0 && !invisible)
        in_file(im, K8TLS_SEV_ERROR, ts->path, key, "%s",
                _("the truststore holds no trusted certificate"));
}

int k8tls_import_store_pair(const struct k8tls_plan *p, const struct k8tls_store_set *set,
                            const char *label, struct k8tls_store_pair *out, struct k8tls_diags *d)
{
    struct imp im;
    imp_init(&im, p, d);
    size_t errs = nerrors(&im);
    char kkey[96], tkey[96], kpkey[96], tpkey[96];
    snprintf(kkey, sizeof kkey, "stores.%s.import.keystore", label);
    snprintf(tkey, sizeof tkey, "stores.%s.import.truststore", label);
    snprintf(kpkey, sizeof kpkey, "stores.%s.import.keystorePassword", label);
    snprintf(tpkey, sizeof tpkey, "stores.%s.import.truststorePassword", label);
    struct opened ks, ts;
    STACK_OF(X509) *trusted = sk_X509_new_null();
    int ok_k = open_store(&im, set->keystore_path, &set->keystore_password, kkey, kpkey, &ks);
    int ok_t = open_store(&im, set->truststore_path, &set->truststore_password, tkey, tpkey, &ts);
    if (ok_k || ok_t || !trusted)
        goto out;

    const struct k8tls_store_entry *en = NULL;
    check_keystore(&im, &ks, kkey, &en);
    check_truststore(&im, &ts, tkey, trusted);
    if (ks.store->format != ts.store->format)
        in_file(&im, K8TLS_SEV_ERROR, ts.path, tkey,
                _("the keystore is %s but the truststore is %s: one store_type covers both (K5)"),
                k8tls_store_format_name(ks.store->format), k8tls_store_format_name(ts.store->format));
    else if (ks.store->format != p->stores.format)
        in_file(&im, K8TLS_SEV_WARNING, ks.path, kkey,
                _("stores.format is %s but these stores are %s: store_type %s is used for them"),
                k8tls_store_format_name(p->stores.format), k8tls_store_format_name(ks.store->format),
                ks.store->format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12");
    if (en && sk_X509_num(trusted) > 0) {
        char *anchor = NULL;
        const char *why = NULL;
        if (k8tls_x509_verify_chain(en->cert, en->chain, trusted, &anchor, &why)) {
            char *subj = k8tls_x509_name(X509_get_subject_name(en->cert));
            in_file(&im, K8TLS_SEV_ERROR, ks.path, kkey,
                    _("certificate '%s' does not chain to a CA of the truststore %s: %s"),
                    subj ? subj : "?", ts.path, why);
            free(subj);
        }
        free(anchor);
    }
    if (nerrors(&im) > errs || !en)
        goto out;

    memset(out, 0, sizeof *out);
    out->present = true;
    out->format = ks.store->format;
    out->keystore = ks.bytes;
    ks.bytes = NULL;
    out->truststore = ts.bytes;
    ts.bytes = NULL;
    out->keystore_password = ks.pw;
    ks.pw = NULL;
    out->truststore_password = ts.pw;
    ts.pw = NULL;
    out->leaf = en->cert;
    X509_up_ref(out->leaf);
    out->trusted = trusted;
    trusted = NULL;
out:
    sk_X509_pop_free(trusted, X509_free);
    opened_free(&ks);
    opened_free(&ts);
    free(im.base);
    ERR_clear_error();
    if (nerrors(&im) == errs && !out->present)
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, kkey, "%s", _("out of memory"));
    return nerrors(&im) == errs ? 0 : -1;
}

/* ---- encryption.medusa: import ---------------------------------------------------------- */

int k8tls_import_medusa(const struct k8tls_plan *p, STACK_OF(X509) *trusted,
                        struct k8tls_material *m, struct k8tls_diags *d)
{
    static const char *const kca = "encryption.medusa.import.ca";
    static const char *const kcert = "encryption.medusa.import.cert";
    static const char *const kkey = "encryption.medusa.import.key";
    struct imp im;
    imp_init(&im, p, d);
    size_t errs = nerrors(&im);
    const struct { const char *rel, *key; } files[3] = {
        { p->encryption.medusa.import_ca, kca },
        { p->encryption.medusa.import_cert, kcert },
        { p->encryption.medusa.import_key, kkey },
    };
    char *path[3] = { NULL, NULL, NULL };
    STACK_OF(X509) *cas = NULL, *certs = NULL, *untrusted = NULL;
    EVP_PKEY *k = NULL;
    char *ca_pem = NULL, *cert_pem = NULL;
    struct k8tls_secret *kpem = NULL;

    for (int i = 0; i < 3; i++) {
        if (!files[i].rel || !*files[i].rel)
            at_key(&im, K8TLS_SEV_ERROR, files[i].key, "%s",
                   _("encryption.medusa.source is import but this file is not given"));
        else if (!(path[i] = imp_path(&im, files[i].rel)))
            goto oom;
    }
    if (nerrors(&im) > errs)
        goto out;
    int r1 = read_certs(&im, path[0], kca, &cas);
    int r2 = read_certs(&im, path[1], kcert, &certs);
    int r3 = read_key(&im, path[2], kkey, NULL, &k,
                      _("the client key is encrypted, but Medusa reads it without a password: "
                        "give an unencrypted key (openssl pkey -in KEY -out client.key)"));
    if (r1 || r2 || r3)
        goto out;
    X509 *ca = sk_X509_value(cas, 0), *cert = sk_X509_value(certs, 0);
    check_is_ca(&im, ca, path[0], kca);
    check_dates(&im, ca, path[0], kca, true);
    check_dates(&im, cert, path[1], kcert, true);
    char *subj = k8tls_x509_name(X509_get_subject_name(cert));
    if (!key_matches(k, cert))
        in_file(&im, K8TLS_SEV_ERROR, path[2], kkey, _("this key does not match the client certificate %s"),
                path[1]);
    if (!k8tls_x509_eku_allows(cert, NID_client_auth))
        in_file(&im, K8TLS_SEV_ERROR, path[1], kcert,
                _("certificate '%s' may not be used by a TLS client (extended key usage lacks clientAuth)"),
                subj ? subj : "?");
    untrusted = sk_X509_new_null();
    for (int i = 1; untrusted && i < sk_X509_num(certs); i++)
        sk_X509_push(untrusted, sk_X509_value(certs, i));
    const char *why = NULL;
    if (k8tls_x509_verify_chain(cert, untrusted, cas, NULL, &why))
        in_file(&im, K8TLS_SEV_ERROR, path[1], kcert,
                _("certificate '%s' is not signed by the CA in %s: %s"), subj ? subj : "?", path[0], why);
    else if (trusted && k8tls_x509_verify_chain(cert, untrusted, trusted, NULL, &why))
        in_file(&im, K8TLS_SEV_ERROR, path[0], kca, "%s",
                _("the client truststore does not trust this CA: Cassandra will refuse Medusa's "
                  "client certificate"));
    /* Medusa checks Cassandra's certificate with this CA too. */
    X509 *node = m->client.present ? m->client.leaf : m->server.present ? m->server.leaf : NULL;
    if (node && k8tls_x509_verify_chain(node, NULL, cas, NULL, &why))
        in_file(&im, K8TLS_SEV_WARNING, path[0], kca, "%s",
                _("this CA did not sign the Cassandra nodes' certificate: Medusa will not trust "
                  "the nodes"));
    free(subj);
    if (nerrors(&im) > errs)
        goto out;
    if (!(ca_pem = k8tls_pki_certs_pem(cas, NULL))
        || !(cert_pem = k8tls_pki_certs_pem(certs, NULL))
        || !(kpem = k8tls_pki_key_pem(k, NULL)))
        goto oom;
    m->medusa_present = true;
    free(m->medusa_ca_pem);
    free(m->medusa_cert_pem);
    k8tls_secret_free(m->medusa_key_pem);
    X509_free(m->medusa_cert);
    m->medusa_ca_pem = ca_pem;
    m->medusa_cert_pem = cert_pem;
    m->medusa_key_pem = kpem;
    ca_pem = cert_pem = NULL;
    kpem = NULL;
    m->medusa_cert = cert;
    X509_up_ref(cert);
    goto out;
oom:
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
out:
    for (int i = 0; i < 3; i++)
        free(path[i]);
    sk_X509_free(untrusted);
    sk_X509_pop_free(cas, X509_free);
    sk_X509_pop_free(certs, X509_free);
    EVP_PKEY_free(k);
    free(ca_pem);
    free(cert_pem);
    k8tls_secret_free(kpem);
    free(im.base);
    ERR_clear_error();
    return nerrors(&im) == errs ? 0 : -1;
}
