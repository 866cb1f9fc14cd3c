/* The Review screen's "Certificates" tab, as text: see cmview.h. The key names are the ones
 * cert-manager writes into a Certificate's Secret (tls.crt, tls.key; ca.crt when the issuer
 * returns a CA, which a CA or self-signed issuer always does; keystore.p12 and truststore.p12
 * with keystores.pkcs12.create; keystore.jks and truststore.jks with keystores.jks.create;
 * key.der and tls-combined.pem for the additional output formats DER and CombinedPEM) and the
 * ones a trust-manager Bundle writes into its target Secret (target.secret.key, and the keys of
 * additionalFormats.jks and .pkcs12), in a Secret named after the Bundle. */
#include "config.h"
#include "cmview.h"
#include "k8tls/buf.h"
#include "k8tls/err.h"
#include "k8tls/i18n.h"
#include "k8tls/yamlutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

static bool is_kind(const struct k8tls_artifact *a, const char *kind)
{
    return a->k8s_kind && strcmp(a->k8s_kind, kind) == 0;
}

size_t k8tls_cmview_count(const struct k8tls_bundle *b)
{
    size_t n = 0;
    for (size_t i = 0; b && i < b->n; i++)
        n += is_kind(&b->v[i], "Certificate");
    return n;
}

/* A loaded object: its document and root (NULL root: not readable, e holds why). */
struct obj {
    yaml_document_t doc;
    yaml_node_t *root;
    bool loaded;
    struct k8tls_err e;
};

static void obj_load(struct obj *o, const char *name, const char *yaml, size_t len)
{
    memset(o, 0, sizeof *o);
    k8tls_err_clear(&o->e);
    if (k8tls_yaml_load(name, yaml, len, &o->doc, &o->e) < 0)
        return;
    o->loaded = true;
    o->root = yaml_document_get_root_node(&o->doc);
    if (!o->root || o->root->type != YAML_MAPPING_NODE) {
        o->root = NULL;
        k8tls_err_set(&o->e, name, 0, 0, "%s", _("not a Kubernetes object"));
    }
}

static void obj_free(struct obj *o)
{
    if (o->loaded)
        yaml_document_delete(&o->doc);
    o->loaded = false;
    o->root = NULL;
}

/* the node at a dotted path under n ("spec.keystores.pkcs12"), or NULL */
static yaml_node_t *at(struct obj *o, yaml_node_t *n, const char *path)
{
    char part[64];
    while (n && *path) {
        size_t l = strcspn(path, ".");
        if (l >= sizeof part)
            return NULL;
        memcpy(part, path, l);
        part[l] = '\0';
        n = n->type == YAML_MAPPING_NODE ? k8tls_yaml_map_get(&o->doc, n, part) : NULL;
        path += l + (path[l] == '.');
    }
    return n;
}

static const char *str_at(struct obj *o, yaml_node_t *n, const char *path)
{
    yaml_node_t *v = at(o, n, path);
    return v && v->type == YAML_SCALAR_NODE ? k8tls_yaml_scalar(v) : NULL;
}

static bool true_at(struct obj *o, yaml_node_t *n, const char *path)
{
    yaml_node_t *v = at(o, n, path);
    bool b = false;
    return v && k8tls_yaml_get_bool(v, &b) == 0 && b;
}

static void add_key(struct k8tls_buf *b, const char *k)
{
    if (b->len)
        k8tls_buf_puts(b, ", ");
    k8tls_buf_puts(b, k);
}

/* the keys of a loaded Certificate's Secret (heap) */
static char *cert_keys(struct obj *o)
{
    struct k8tls_buf b = {0};
    k8tls_buf_puts(&b, "");
    add_key(&b, "tls.crt");
    add_key(&b, "tls.key");
    add_key(&b, "ca.crt");
    if (true_at(o, o->root, "spec.keystores.pkcs12.create")) {
        add_key(&b, "keystore.p12");
        add_key(&b, "truststore.p12");
    }
    if (true_at(o, o->root, "spec.keystores.jks.create")) {
        add_key(&b, "keystore.jks");
        add_key(&b, "truststore.jks");
    }
    yaml_node_t *f = at(o, o->root, "spec.additionalOutputFormats");
    for (size_t i = 0; f && f->type == YAML_SEQUENCE_NODE && i < k8tls_yaml_seq_len(f); i++) {
        yaml_node_t *it = k8tls_yaml_seq_item(&o->doc, f, i);
        const char *t = str_at(o, it, "type");
        if (t && strcmp(t, "DER") == 0)
            add_key(&b, "key.der");
        else if (t && strcmp(t, "CombinedPEM") == 0)
            add_key(&b, "tls-combined.pem");
    }
    return k8tls_buf_take(&b, NULL);
}

char *k8tls_cmview_cert_keys(const char *yaml, size_t len, char **secret_name)
{
    struct obj o;
    if (secret_name)
        *secret_name = NULL;
    obj_load(&o, "Certificate", yaml, len);
    const char *kind = o.root ? str_at(&o, o.root, "kind") : NULL;
    char *keys = NULL;
    if (kind && strcmp(kind, "Certificate") == 0) {
        keys = cert_keys(&o);
        const char *sn = str_at(&o, o.root, "spec.secretName");
        if (secret_name && sn)
            *secret_name = strdup(sn);
    }
    obj_free(&o);
    return keys;
}

/* the keys of a Secret the wizard writes (data: and stringData:), heap */
static char *secret_keys(struct obj *o)
{
    struct k8tls_buf b = {0};
    k8tls_buf_puts(&b, "");
    static const char *const maps[] = {"data", "stringData"};
    for (int m = 0; m < 2; m++) {
        yaml_node_t *d = at(o, o->root, maps[m]);
        for (size_t i = 0; d && d->type == YAML_MAPPING_NODE && i < k8tls_yaml_map_len(d); i++) {
            const char *k = k8tls_yaml_scalar(k8tls_yaml_map_key(&o->doc, d, i));
            if (k)
                add_key(&b, k);
        }
    }
    return k8tls_buf_take(&b, NULL);
}

static const char *or_q(const char *s)
{
    return s && *s ? s : "?";
}

static void certificates(struct k8tls_buf *out, const struct k8tls_bundle *b, bool ca)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Certificate"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        if (!o.root) {
            char buf[1600];
            k8tls_buf_printf(out, _("- Certificate %s: cannot be read (%s)\n"), or_q(a->k8s_name),
                             k8tls_err_format(&o.e, buf, sizeof buf));
            obj_free(&o);
            continue;
        }
        if (true_at(&o, o.root, "spec.isCA") != ca) {
            obj_free(&o);
            continue;
        }
        char *keys = cert_keys(&o);
        const char *ikind = str_at(&o, o.root, "spec.issuerRef.kind");
        k8tls_buf_printf(out, _("- Certificate %s (signed by the %s %s) makes the Secret %s: %s\n"),
                         or_q(a->k8s_name), ikind && *ikind ? ikind : "Issuer",
                         or_q(str_at(&o, o.root, "spec.issuerRef.name")),
                         or_q(str_at(&o, o.root, "spec.secretName")), keys ? keys : "?");
        free(keys);
        obj_free(&o);
    }
}

static void issuers(struct k8tls_buf *out, const struct k8tls_bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Issuer") && !is_kind(a, "ClusterIssuer"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        const char *ca = o.root ? str_at(&o, o.root, "spec.ca.secretName") : NULL;
        if (ca)
            k8tls_buf_printf(out, _("- %s %s: signs with the CA in the Secret %s\n"), a->k8s_kind,
                             or_q(a->k8s_name), ca);
        else if (o.root && at(&o, o.root, "spec.selfSigned"))
            k8tls_buf_printf(out, _("- %s %s: self-signed (it signs the CA's own certificate)\n"),
                             a->k8s_kind, or_q(a->k8s_name));
        else
            k8tls_buf_printf(out, "- %s %s\n", a->k8s_kind, or_q(a->k8s_name));
        obj_free(&o);
    }
}

static void bundles(struct k8tls_buf *out, const struct k8tls_bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Bundle"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        struct k8tls_buf keys = {0};
        k8tls_buf_puts(&keys, "");
        static const char *const key_paths[] = {"spec.target.secret.key",
                                                "spec.target.additionalFormats.pkcs12.key",
                                                "spec.target.additionalFormats.jks.key"};
        for (size_t k = 0; o.root && k < sizeof key_paths / sizeof key_paths[0]; k++) {
            const char *v = str_at(&o, o.root, key_paths[k]);
            if (v && *v)
                add_key(&keys, v);
        }
        char *kl = k8tls_buf_take(&keys, NULL);
        /* the namespaces: a label selector, or every one */
        yaml_node_t *ml = o.root ? at(&o, o.root, "spec.target.namespaceSelector.matchLabels")
                                 : NULL;
        const char *lk = NULL, *lv = NULL;
        if (ml && ml->type == YAML_MAPPING_NODE && k8tls_yaml_map_len(ml) > 0) {
            lk = k8tls_yaml_scalar(k8tls_yaml_map_key(&o.doc, ml, 0));
            lv = k8tls_yaml_scalar(k8tls_yaml_map_value(&o.doc, ml, 0));
        }
        if (lk && strcmp(lk, "kubernetes.io/metadata.name") == 0)
            k8tls_buf_printf(out, _("- Bundle %s (trust-manager) makes the Secret %s in "
                                    "namespace %s: %s\n"),
                             or_q(a->k8s_name), or_q(a->k8s_name), lv ? lv : "?",
                             kl && *kl ? kl : "?");
        else if (lk)
            k8tls_buf_printf(out, _("- Bundle %s (trust-manager) makes the Secret %s in every "
                                    "namespace labelled %s=%s: %s\n"),
                             or_q(a->k8s_name), or_q(a->k8s_name), lk, lv ? lv : "",
                             kl && *kl ? kl : "?");
        else
            k8tls_buf_printf(out, _("- Bundle %s (trust-manager) makes the Secret %s in every "
                                    "namespace: %s\n"),
                             or_q(a->k8s_name), or_q(a->k8s_name), kl && *kl ? kl : "?");
        free(kl);
        obj_free(&o);
    }
}

static void own_secrets(struct k8tls_buf *out, const struct k8tls_bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Secret"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        char *keys = o.root ? secret_keys(&o) : NULL;
        k8tls_buf_printf(out, _("- Secret %s: %s\n"), or_q(a->k8s_name),
                         keys && *keys ? keys : "-");
        free(keys);
        obj_free(&o);
    }
}

static size_t count_kind(const struct k8tls_bundle *b, const char *k1, const char *k2)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += is_kind(&b->v[i], k1) || (k2 && is_kind(&b->v[i], k2));
    return n;
}

static size_t count_ca(const struct k8tls_bundle *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Certificate"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        n += o.root && true_at(&o, o.root, "spec.isCA");
        obj_free(&o);
    }
    return n;
}

char *k8tls_cmview_text(const struct k8tls_bundle *b)
{
    struct k8tls_buf out = {0};
    k8tls_buf_puts(&out, "");
    if (!b)
        return k8tls_buf_take(&out, NULL);
    size_t n = k8tls_cmview_count(b), nca = count_ca(b), leaf = n >= nca ? n - nca : 0;
    /* the namespace of the cluster's Certificates, and of the CA's (cert-manager's own with a
     * ClusterIssuer) */
    const char *ns = NULL, *ca_ns = NULL;
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_kind(a, "Certificate"))
            continue;
        struct obj o;
        obj_load(&o, a->path, (const char *)a->data, a->len);
        bool ca = o.root && true_at(&o, o.root, "spec.isCA");
        obj_free(&o);
        if (ca && !ca_ns)
            ca_ns = a->k8s_namespace;
        else if (!ca && !ns)
            ns = a->k8s_namespace;
    }
    k8tls_buf_printf(&out,
                     dngettext(PACKAGE,
                               "%zu Certificate for the cluster: cert-manager makes its Secret in "
                               "namespace %s and renews it before it expires.\n\n",
                               "%zu Certificates for the cluster: cert-manager makes their Secrets "
                               "in namespace %s and renews them before they expire.\n\n",
                               leaf),
                     leaf, or_q(ns));
    certificates(&out, b, false);
    if (nca) {
        k8tls_buf_puts(&out, "\n");
        k8tls_buf_printf(&out, _("The CA, made by cert-manager in namespace %s (its key stays in "
                                 "the cluster):"),
                         or_q(ca_ns));
        k8tls_buf_puts(&out, "\n\n");
        certificates(&out, b, true);
    }
    size_t ni = count_kind(b, "Issuer", "ClusterIssuer");
    if (ni) {
        k8tls_buf_printf(&out, "\n%s\n\n",
                         dngettext(PACKAGE, "The issuer:", "The issuers, in apply order:", ni));
        issuers(&out, b);
    }
    if (count_kind(b, "Bundle", NULL)) {
        k8tls_buf_printf(&out, "\n%s\n\n",
                         _("The truststores, holding every CA (needs trust-manager with Secret "
                           "targets enabled):"));
        bundles(&out, b);
    }
    size_t ns_own = count_kind(b, "Secret", NULL);
    if (ns_own) {
        k8tls_buf_printf(&out, "\n%s\n\n",
                         _("The Secrets the wizard writes itself (cert-manager writes no "
                           "password):"));
        own_secrets(&out, b);
    }
    return k8tls_buf_take(&out, NULL);
}
