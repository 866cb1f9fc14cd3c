/* Inspect: the entries of a store or a PEM/DER file as report entries (subjects, SANs, keys,
 * expiry, chains), and the checks between the files of a group: a keystore's chains against the
 * truststore beside it, a PEM key against its certificate, a certificate against the CA file
 * beside it. Calls inspect_report.c (the model), inspect_group.c (blobs found and parsed by name)
 * and certcheck.c (store_int.h); inspect_walk.c calls it, nothing here calls back. */
#include "config.h"
#include "inspect_int.h"
#include "k8tls/i18n.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

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
    en->ekus = k8tls_x509_ekus(x);
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

void insp_store_entries(struct k8tls_inspect_item *it, const struct k8tls_store *s)
{
    size_t nkeys = 0, ntrusted = 0, invisible = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct k8tls_store_entry *se = &s->v[i];
        bool key = se->type == K8TLS_ENTRY_PRIVATE_KEY;
        /* a PKCS#12 copy of a chain certificate is part of that chain, not a trusted certificate */
        long owner = key ? -1 : k8tls_store_chain_copy_of(s, i);
        enum k8tls_inspect_kind kind = key ? K8TLS_INSPECT_KEY_ENTRY
                                       : owner >= 0 ? K8TLS_INSPECT_CHAIN_CERT : K8TLS_INSPECT_TRUSTED_CERT;
        struct k8tls_inspect_entry *en = insp_entry_new(it, kind, se->alias);
        if (!en)
            return;
        if (key)
            nkeys++;
        else if (owner >= 0)
            en->chain_of = strdup(s->v[owner].alias ? s->v[owner].alias : "");
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
        } else if (owner < 0) {
            if (se->p12_no_java_trust)
                note(&en->notes, K8TLS_SEV_WARNING, "%s",
                     _("Java does not see this certificate: it lacks Java's trust attribute"));
            if (!en->is_ca)
                note(&en->notes, K8TLS_SEV_WARNING, "%s",
                     _("not a CA (no basicConstraints CA:TRUE): it trusts only itself"));
        }
        if (s->format == K8TLS_FORMAT_JKS && has_upper(se->alias))
            note(&en->notes, K8TLS_SEV_WARNING, "%s",
                 _("the alias has upper-case letters: Java looks aliases up in lower case"));
    }
    const char *fmt = s->format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS#12";
    insp_set_what(it, _("%s store (private-key entries: %zu, trusted certificates: %zu)"), fmt, nkeys,
                  ntrusted + invisible);
    if (s->n == 0)
        note(&it->notes, K8TLS_SEV_ERROR, "%s", _("the store is empty"));
    else if (invisible && invisible == s->n)
        note(&it->notes, K8TLS_SEV_ERROR, "%s",
             _("Java sees no entry in this store: its certificates lack Java's trust attribute"));
    if (nkeys > 1)
        note(&it->notes, K8TLS_SEV_WARNING, _("%zu private-key entries: Cassandra needs exactly one"), nkeys);
}

void insp_pem_entries(struct k8tls_inspect_item *it, struct blob *b)
{
    int nc = b->certs ? sk_X509_num(b->certs) : 0;
    for (int i = 0; i < nc; i++) {
        struct k8tls_inspect_entry *en = insp_entry_new(it, K8TLS_INSPECT_CERT, NULL);
        if (en)
            describe_cert(en, sk_X509_value(b->certs, i), NULL);
    }
    if (b->has_key_block) {
        struct k8tls_inspect_entry *en = insp_entry_new(it, K8TLS_INSPECT_KEY, NULL);
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
        insp_set_what(it, _("PEM file: private key (%s)"), kdesc);
    else if (b->has_key_block)
        insp_set_what(it, dngettext(PACKAGE, "PEM file: %d certificate and a private key (%s)",
                               "PEM file: %d certificates and a private key (%s)", (unsigned long)nc),
                 nc, kdesc);
    else
        insp_set_what(it, dngettext(PACKAGE, "PEM file: %d certificate", "PEM file: %d certificates",
                               (unsigned long)nc), nc);
    if (nc == 0 && !b->has_key_block && !b->key_error)
        note(&it->notes, K8TLS_SEV_ERROR, "%s", _("holds no certificate and no private key"));
}

/* ---- checks between blobs of a group ---------------------------------------------------- */

insp_certs *insp_trusted_of(const struct k8tls_store *s)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    for (size_t i = 0; sk && i < s->n; i++)
        if (s->v[i].type == K8TLS_ENTRY_TRUSTED_CERT && s->v[i].cert && !s->v[i].p12_no_java_trust)
            sk_X509_push(sk, s->v[i].cert);
    return sk;
}

/* A keystore's chains against the truststore beside it ("keystore" -> "truststore"). */
void insp_check_store_chain(struct k8tls_inspect_report *r, struct group *g, size_t idx)
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
    struct blob *t = insp_group_find(g, tname);
    if (!t)
        return;
    size_t ti = (size_t)(t - g->v);
    insp_blob_parse(g, ti);
    b = &g->v[idx];
    t = &g->v[ti];
    struct k8tls_inspect_item *it = &r->v[b->item];
    if (!t->store) {
        note(&it->notes, K8TLS_SEV_WARNING, _("the chain was not checked: %s cannot be read (%s)"),
             tname, t->read_error ? t->read_error : t->store_error ? t->store_error : "?");
        return;
    }
    STACK_OF(X509) *trusted = insp_trusted_of(t->store);
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
void insp_check_pem_key(struct k8tls_inspect_report *r, struct group *g, size_t idx)
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
        struct blob *c = insp_group_find(g, cand);
        if (!c)
            continue;
        size_t ci = (size_t)(c - g->v);
        insp_blob_parse(g, ci);
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
void insp_check_pem_ca(struct k8tls_inspect_report *r, struct group *g, size_t idx)
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
        struct blob *c = insp_group_find(g, cas[i]);
        if (!c)
            continue;
        size_t ci = (size_t)(c - g->v);
        insp_blob_parse(g, ci);
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

void insp_check_tls_key(struct k8tls_inspect_report *r, struct group *g, size_t idx)
{
    struct blob *b = &g->v[idx];
    if (strcmp(b->name, "tls.key") != 0 || !b->has_key_block || b->item < 0 || !b->data)
        return;
    /* only in a trio: ca.crt and tls.crt beside it */
    if (!insp_group_find(g, "ca.crt") || !insp_group_find(g, "tls.crt"))
        return;
    b = &g->v[idx];
    struct k8tls_inspect_entry *ke = entry_of_kind(&r->v[b->item], K8TLS_INSPECT_KEY);
    if (!ke)
        return;
    static const char pkcs8[] = "-----BEGIN PRIVATE KEY-----";
    const unsigned char *d = b->data->data;
    size_t len = b->data->len, at = 0;
    while (at < len && (d[at] == ' ' || d[at] == '\n' || d[at] == '\r' || d[at] == '\t'))
        at++;
    if (len - at >= sizeof pkcs8 - 1 && memcmp(d + at, pkcs8, sizeof pkcs8 - 1) == 0)
        note(&ke->notes, K8TLS_SEV_NOTE, "%s",
             _("unencrypted PKCS#8 (BEGIN PRIVATE KEY), as cass-operator requires of the "
               "management API's Secrets"));
    else
        note(&ke->notes, K8TLS_SEV_WARNING, "%s",
             _("not unencrypted PKCS#8 (BEGIN PRIVATE KEY): cass-operator refuses such a key "
               "in the management API's Secrets"));
}
