/* CA rotation of a cert-manager output (SPEC §11 C6): include/k8tls/rotate_cm.h says what the
 * phases do. Reads the output directory's objects (kustomization.yaml's resources), edits copies
 * of them with libyaml (ydoc.h) and builds the phase's bundle. Calls yamlutil.c, ydoc.c, the
 * answers loader, pki.c (an imported CA's successor), rotate_read.c (a Secret's data) and
 * rotate_doc.c (the restart task); prints nothing. */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "ydoc.h"
#include "k8tls/answers.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/rotate_cm.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"
#include "k8tls/yamlutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* One Kubernetes object of the output, as read. */
struct obj {
    char *path;                 /* relative to the directory, as kustomization.yaml lists it */
    char *file;                 /* the directory joined with it, for messages */
    struct k8tls_pos issuer_pos, sources_pos;   /* of spec.issuerRef.name, spec.sources */
    char *kind, *name, *ns;
    char *data;
    size_t len;
    bool is_ca_cert;            /* Certificate with isCA: true */
    char *secret_name;          /* Certificate: spec.secretName */
    char *issuer_name;          /* Certificate: spec.issuerRef.name */
    char *ca_secret;            /* Issuer/ClusterIssuer: spec.ca.secretName */
    char **sources;             /* Bundle: spec.sources[i].secret.name (NULL for other kinds) */
    char **source_fp;           /* Bundle: SHA-256 of the first certificate of an inLine source */
    size_t n_sources;
    char ca_fp[65];             /* Secret: SHA-256 of its tls.crt's first certificate, or "" */
};

struct k8tls_rotate_cm {
    char *dir;
    struct k8tls_plan *plan;
    char *answers;
    size_t answers_len;
    struct obj *v;
    size_t n;
    enum k8tls_rotate_phase last;   /* rotation.yaml's phase (NONE without one) */
    char *rot_old, *rot_new;        /* rotation.yaml: the old and the new CA Issuer */
    enum k8tls_rotate_stage stage;
    int bundle;                     /* the Bundle, -1 without trust-manager */
    int signer;                     /* the CA Issuer the leaf Certificates name */
    int other;                      /* trusting: the new CA Issuer; reissued: the old; else -1 */
    size_t n_leaves;
    size_t n_own;                   /* leaves of a surface's own CA, kept as they are */
    char *ns;                       /* the leaves' namespace */
};

#define ROTATION_FILE "rotation.yaml"

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void obj_clear(struct obj *o)
{
    free(o->path);
    free(o->file);
    free(o->kind);
    free(o->name);
    free(o->ns);
    if (o->data)
        OPENSSL_cleanse(o->data, o->len);
    free(o->data);
    free(o->secret_name);
    free(o->issuer_name);
    free(o->ca_secret);
    for (size_t i = 0; i < o->n_sources; i++) {
        free(o->sources[i]);
        free(o->source_fp[i]);
    }
    free(o->sources);
    free(o->source_fp);
    memset(o, 0, sizeof *o);
}

void k8tls_rotate_cm_free(struct k8tls_rotate_cm *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        obj_clear(&c->v[i]);
    free(c->v);
    free(c->dir);
    k8tls_plan_free(c->plan);
    if (c->answers)
        OPENSSL_cleanse(c->answers, c->answers_len);
    free(c->answers);
    free(c->rot_old);
    free(c->rot_new);
    free(c->ns);
    free(c);
}

const struct k8tls_plan *k8tls_rotate_cm_plan_of(const struct k8tls_rotate_cm *c)
{
    return c->plan;
}

/* The scalar at a dotted path under node (NULL when absent). */
static const char *str_path(yaml_document_t *d, yaml_node_t *n, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = n->type == YAML_MAPPING_NODE ? k8tls_yaml_map_get(d, n, k) : NULL;
    return n ? k8tls_yaml_scalar(n) : NULL;
}

static yaml_node_t *node_path(yaml_document_t *d, yaml_node_t *n, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = n->type == YAML_MAPPING_NODE ? k8tls_yaml_map_get(d, n, k) : NULL;
    return n;
}

int k8tls_rotate_cm_detect(const char *dir)
{
    char *path = k8tls_path_join(dir, "answers.yaml");
    char *buf = NULL;
    size_t len = 0;
    struct k8tls_err e;
    int r = 0;
    if (path && k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, &e) == 0) {
        yaml_document_t d;
        if (k8tls_yaml_load(path, buf, len, &d, &e) == 0) {
            const char *m = str_path(&d, yaml_document_get_root_node(&d), "output.mode");
            r = m && strcmp(m, "cert-manager") == 0;
            yaml_document_delete(&d);
        }
    }
    if (buf)
        OPENSSL_cleanse(buf, len);
    free(buf);
    free(path);
    return r;
}

/* SHA-256 of the first certificate of PEM text, into out ("" when there is none). */
static void pem_fp(const unsigned char *pem, size_t len, char out[65])
{
    STACK_OF(X509) *certs = NULL;
    struct k8tls_err e;
    out[0] = '\0';
    if (k8tls_pem_read_certs(pem, len, "-", &certs, &e) == 0 && sk_X509_num(certs) > 0)
        k8tls_rotate_fingerprint(sk_X509_value(certs, 0), out);
    sk_X509_pop_free(certs, X509_free);
    ERR_clear_error();
}

/* Reads one manifest into o (kind, names, the fields the rotation looks at). */
static int read_obj(struct k8tls_rotate_cm *c, const char *rel, struct obj *o,
                    struct k8tls_diags *d)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    char *path = k8tls_path_join(c->dir, rel);
    if (!path || k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &o->data, &o->len, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        free(path);
        return -1;
    }
    o->path = strdup(rel);
    o->file = strdup(path);
    yaml_document_t doc;
    if (k8tls_yaml_load(path, o->data, o->len, &doc, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        free(path);
        return -1;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    o->kind = dup0(str_path(&doc, root, "kind"));
    o->name = dup0(str_path(&doc, root, "metadata.name"));
    o->ns = dup0(str_path(&doc, root, "metadata.namespace"));
    int rc = 0;
    if (!o->kind || !o->name) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, path, 1, 1, NULL, "%s",
                        _("not a Kubernetes object: kind and metadata.name are needed"));
        rc = -1;
    } else if (strcmp(o->kind, "Certificate") == 0) {
        const char *ca = str_path(&doc, root, "spec.isCA");
        o->is_ca_cert = ca && strcmp(ca, "true") == 0;
        o->secret_name = dup0(str_path(&doc, root, "spec.secretName"));
        o->issuer_name = dup0(str_path(&doc, root, "spec.issuerRef.name"));
        o->issuer_pos = k8tls_yaml_pos(node_path(&doc, root, "spec.issuerRef.name"));
    } else if (strcmp(o->kind, "Issuer") == 0 || strcmp(o->kind, "ClusterIssuer") == 0) {
        o->ca_secret = dup0(str_path(&doc, root, "spec.ca.secretName"));
    } else if (strcmp(o->kind, "Bundle") == 0) {
        yaml_node_t *src = node_path(&doc, root, "spec.sources");
        o->sources_pos = k8tls_yaml_pos(src);
        size_t n = src && src->type == YAML_SEQUENCE_NODE ? k8tls_yaml_seq_len(src) : 0;
        o->sources = calloc(n + 1, sizeof *o->sources);
        o->source_fp = calloc(n + 1, sizeof *o->source_fp);
        for (size_t i = 0; o->sources && o->source_fp && i < n; i++) {
            yaml_node_t *it = k8tls_yaml_seq_item(&doc, src, i);
            o->sources[i] = dup0(str_path(&doc, it, "secret.name"));
            const char *pem = str_path(&doc, it, "inLine");
            char fp[65];
            if (pem) {
                pem_fp((const unsigned char *)pem, strlen(pem), fp);
                o->source_fp[i] = fp[0] ? strdup(fp) : NULL;
            }
        }
        o->n_sources = o->sources && o->source_fp ? n : 0;
    } else if (strcmp(o->kind, "Secret") == 0) {
        struct k8tls_rsecret rs = { 0 };
        if (k8tls_rsecret_parse(rel, o->data, o->len, &rs, &e) == 0) {
            const struct k8tls_secret *crt = k8tls_rsecret_get(&rs, "tls.crt");
            if (crt)
                pem_fp(crt->data, crt->len, o->ca_fp);
        }
        k8tls_rsecret_clear(&rs);
    }
    yaml_document_delete(&doc);
    free(path);
    return rc;
}

static int ca_secret_of(const struct k8tls_rotate_cm *c, int i);

/* The Bundle's source that holds the CA of CA Issuer i: one naming its Secret, or an inLine one
 * holding its certificate (an imported CA's Secret is in the output). -1 when none. */
static int trusted_source(const struct k8tls_rotate_cm *c, int i)
{
    if (c->bundle < 0 || i < 0 || !c->v[i].ca_secret)
        return -1;
    const struct obj *b = &c->v[c->bundle];
    int sec = ca_secret_of(c, i);
    const char *fp = sec >= 0 && c->v[sec].ca_fp[0] ? c->v[sec].ca_fp : NULL;
    for (size_t k = 0; k < b->n_sources; k++) {
        if (b->sources[k] && strcmp(b->sources[k], c->v[i].ca_secret) == 0)
            return (int)k;
        if (fp && b->source_fp[k] && strcmp(b->source_fp[k], fp) == 0)
            return (int)k;
    }
    return -1;
}

static bool bundle_trusts(const struct k8tls_rotate_cm *c, int i)
{
    return trusted_source(c, i) >= 0;
}

static int find_issuer(const struct k8tls_rotate_cm *c, const char *name)
{
    for (size_t i = 0; name && i < c->n; i++)
        if ((strcmp(c->v[i].kind, "Issuer") == 0 || strcmp(c->v[i].kind, "ClusterIssuer") == 0)
            && c->v[i].ca_secret && strcmp(c->v[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The CA Certificate whose Secret the CA Issuer i signs with, or -1 (an imported CA). */
static int ca_cert_of(const struct k8tls_rotate_cm *c, int i)
{
    for (size_t k = 0; i >= 0 && k < c->n; k++)
        if (c->v[k].is_ca_cert && c->v[k].secret_name &&
            strcmp(c->v[k].secret_name, c->v[i].ca_secret) == 0)
            return (int)k;
    return -1;
}

/* The imported CA's Secret the CA Issuer i signs with, or -1. */
static int ca_secret_of(const struct k8tls_rotate_cm *c, int i)
{
    for (size_t k = 0; i >= 0 && k < c->n; k++)
        if (strcmp(c->v[k].kind, "Secret") == 0 && strcmp(c->v[k].name, c->v[i].ca_secret) == 0)
            return (int)k;
    return -1;
}

/* rotation.yaml, when there is one. */
static int read_rotation(struct k8tls_rotate_cm *c, struct k8tls_diags *d)
{
    char *path = k8tls_path_join(c->dir, ROTATION_FILE);
    char *buf = NULL;
    size_t len = 0;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) {
        free(path);
        return 0;
    }
    fclose(f);
    int rc = -1;
    yaml_document_t doc;
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, &e) < 0 ||
        k8tls_yaml_load(path, buf, len, &doc, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto out;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    const char *mode = str_path(&doc, root, "mode");
    const char *ph = str_path(&doc, root, "phase");
    if (!mode || strcmp(mode, "cert-manager") != 0 || !ph ||
        k8tls_rotate_phase_parse(ph) < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, path, 1, 1, NULL, "%s",
                        _("not the rotation file of a cert-manager output (mode: cert-manager "
                          "and phase are expected)"));
    } else {
        c->last = (enum k8tls_rotate_phase)k8tls_rotate_phase_parse(ph);
        c->rot_old = dup0(str_path(&doc, root, "oldCaIssuer"));
        c->rot_new = dup0(str_path(&doc, root, "newCaIssuer"));
        rc = 0;
    }
    yaml_document_delete(&doc);
out:
    free(buf);
    free(path);
    return rc;
}

/* A leaf Certificate of the cluster's CA (not a CA, signed by the CA Issuer the server stores'
 * Certificate names); a surface whose answers import a CA of its own has its own CA Issuer,
 * which the cluster CA's phases leave alone. */
static bool is_leaf(const struct obj *o, const char *issuer)
{
    return strcmp(o->kind, "Certificate") == 0 && !o->is_ca_cert && o->issuer_name &&
           issuer && strcmp(o->issuer_name, issuer) == 0;
}

/* Where the output stands, from its objects and rotation.yaml. */
static int analyse(struct k8tls_rotate_cm *c, struct k8tls_diags *d)
{
    c->bundle = c->signer = c->other = -1;
    const struct obj *first_leaf = NULL;
    const char *server = c->plan->stores.server.secret_name;
    for (size_t i = 0; i < c->n; i++) {
        const struct obj *o = &c->v[i];
        if (strcmp(o->kind, "Bundle") == 0 && c->bundle < 0)
            c->bundle = (int)i;
        if (strcmp(o->kind, "Certificate") != 0 || o->is_ca_cert || !o->issuer_name)
            continue;
        /* the server stores' Certificate names the cluster's CA Issuer; else the first leaf */
        if (!first_leaf || (server && o->secret_name && strcmp(o->secret_name, server) == 0 &&
                            !(first_leaf->secret_name &&
                              strcmp(first_leaf->secret_name, server) == 0)))
            first_leaf = o;
    }
    if (!first_leaf) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, c->dir, 0, 0, NULL, "%s",
                        _("no leaf Certificate in the output's kustomization.yaml"));
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct obj *o = &c->v[i];
        if (is_leaf(o, first_leaf->issuer_name))
            c->n_leaves++;
        else if (strcmp(o->kind, "Certificate") == 0 && !o->is_ca_cert)
            c->n_own++;
    }
    c->ns = dup0(first_leaf->ns ? first_leaf->ns
                                : c->plan->cluster.namespace_ ? c->plan->cluster.namespace_ : "");
    c->signer = find_issuer(c, first_leaf->issuer_name);
    if (c->signer < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, first_leaf->file, first_leaf->issuer_pos.line,
                        first_leaf->issuer_pos.col, "spec.issuerRef.name",
                        _("the Certificates' issuer %s is no CA Issuer of the output "
                          "(spec.ca.secretName)"),
                        first_leaf->issuer_name ? first_leaf->issuer_name : "-");
        return -1;
    }
    const struct obj *sg = &c->v[c->signer];
    if (c->bundle < 0) {
        c->stage = K8TLS_STAGE_STEADY;
        return 0;
    }
    /* the CA Issuers whose Secret the Bundle trusts */
    int trusted[2] = { -1, -1 };
    size_t nt = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].ca_secret && bundle_trusts(c, (int)i)) {
            if (nt < 2)
                trusted[nt] = (int)i;
            nt++;
        }
    const char *bpath = c->v[c->bundle].file;
    struct k8tls_pos bpos = c->v[c->bundle].sources_pos;
    if (!bundle_trusts(c, c->signer)) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, bpath, bpos.line, bpos.col, "spec.sources",
                        _("no source of the Bundle holds the CA of the CA Issuer %s (its Secret %s) "
                          "that signs the Certificates"), sg->name, sg->ca_secret);
        return -1;
    }
    if (nt == 1) {
        c->stage = K8TLS_STAGE_STEADY;
        return 0;
    }
    if (nt > 2) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, bpath, bpos.line, bpos.col, "spec.sources", "%s",
                        _("the Bundle trusts more than two CAs of the output: not a state a "
                          "rotation phase leaves"));
        return -1;
    }
    c->other = trusted[0] == c->signer ? trusted[1] : trusted[0];
    const char *other = c->v[c->other].name;
    if (c->last == K8TLS_ROTATE_TRUST && c->rot_old && c->rot_new &&
        strcmp(c->rot_old, sg->name) == 0 && strcmp(c->rot_new, other) == 0) {
        c->stage = K8TLS_STAGE_TRUSTING;
        return 0;
    }
    if (c->last == K8TLS_ROTATE_REISSUE && c->rot_old && c->rot_new &&
        strcmp(c->rot_new, sg->name) == 0 && strcmp(c->rot_old, other) == 0) {
        c->stage = K8TLS_STAGE_REISSUED;
        return 0;
    }
    k8tls_diags_add(d, K8TLS_SEV_ERROR, bpath, bpos.line, bpos.col, "spec.sources",
                    _("the Bundle trusts two CAs (%s and %s) but %s/%s does not say which "
                      "rotation phase left them: the objects were changed by hand"),
                    sg->name, other, c->dir, ROTATION_FILE);
    return -1;
}

int k8tls_rotate_cm_load(const char *dir, struct k8tls_rotate_cm **out, struct k8tls_diags *d)
{
    *out = NULL;
    struct k8tls_rotate_cm *c = calloc(1, sizeof *c);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    char *kpath = NULL, *kbuf = NULL, *apath = NULL;
    size_t klen = 0;
    yaml_document_t kdoc;
    bool kloaded = false;
    if (!c || !(c->dir = strdup(dir)))
        goto oom;
    apath = k8tls_path_join(dir, "answers.yaml");
    if (!apath)
        goto oom;
    c->plan = k8tls_answers_load(apath, d);
    if (!c->plan || k8tls_diags_count(d, K8TLS_SEV_ERROR))
        goto fail;
    if (k8tls_yaml_read_file(apath, K8TLS_YAML_MAX_INPUT, &c->answers, &c->answers_len, &e) < 0)
        goto fail_e;
    kpath = k8tls_path_join(dir, "kustomization.yaml");
    if (!kpath)
        goto oom;
    if (k8tls_yaml_read_file(kpath, K8TLS_YAML_MAX_INPUT, &kbuf, &klen, &e) < 0 ||
        k8tls_yaml_load(kpath, kbuf, klen, &kdoc, &e) < 0)
        goto fail_e;
    kloaded = true;
    yaml_node_t *res = node_path(&kdoc, yaml_document_get_root_node(&kdoc), "resources");
    size_t n = res && res->type == YAML_SEQUENCE_NODE ? k8tls_yaml_seq_len(res) : 0;
    c->v = calloc(n + 1, sizeof *c->v);
    if (!c->v)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const char *rel = k8tls_yaml_scalar(k8tls_yaml_seq_item(&kdoc, res, i));
        if (!rel || strstr(rel, "..") || rel[0] == '/') {
            struct k8tls_pos at = k8tls_yaml_pos(k8tls_yaml_seq_item(&kdoc, res, i));
            k8tls_diags_add(d, K8TLS_SEV_ERROR, kpath, at.line, at.col, "resources", "%s",
                            _("a resource must be a file inside the directory"));
            goto fail;
        }
        if (read_obj(c, rel, &c->v[c->n], d) < 0) {
            obj_clear(&c->v[c->n]);
            goto fail;
        }
        c->n++;
    }
    if (read_rotation(c, d) < 0 || analyse(c, d) < 0)
        goto fail;
    yaml_document_delete(&kdoc);
    free(kbuf);
    free(kpath);
    free(apath);
    *out = c;
    return 0;
oom:
    k8tls_err_set(&e, NULL, 0, 0, "%s", _("out of memory"));
fail_e:
    k8tls_diags_add_err(d, NULL, &e);
fail:
    if (kloaded)
        yaml_document_delete(&kdoc);
    free(kbuf);
    free(kpath);
    free(apath);
    k8tls_rotate_cm_free(c);
    return -1;
}

char *k8tls_rotate_cm_summary(const struct k8tls_rotate_cm *c)
{
    struct k8tls_buf b = { 0 };
    char line[1024];
    const struct obj *sg = &c->v[c->signer];
    int cert = ca_cert_of(c, c->signer);
    if (cert >= 0)
        snprintf(line, sizeof line, _("cert-manager output %s: %zu leaf Certificates signed by "
                                      "the CA Issuer %s, whose CA cert-manager made\n"),
                 c->dir, c->n_leaves, sg->name);
    else
        snprintf(line, sizeof line, _("cert-manager output %s: %zu leaf Certificates signed by "
                                      "the CA Issuer %s, whose CA was imported\n"),
                 c->dir, c->n_leaves, sg->name);
    k8tls_buf_puts(&b, line);
    if (c->n_own) {
        snprintf(line, sizeof line, _("%zu more Certificates are signed by a CA of their own "
                                      "surface: the CA rotation leaves them as they are\n"),
                 c->n_own);
        k8tls_buf_puts(&b, line);
    }
    if (c->bundle < 0)
        snprintf(line, sizeof line, "%s\n",
                 _("truststores: written by cert-manager, one CA each (no trust-manager Bundle)"));
    else if (c->other < 0)
        snprintf(line, sizeof line, _("truststores: the trust-manager Bundle %s trusts the CA of "
                                      "%s\n"), c->v[c->bundle].name, sg->name);
    else
        snprintf(line, sizeof line, _("truststores: the trust-manager Bundle %s trusts the CAs of "
                                      "%s and %s\n"),
                 c->v[c->bundle].name, sg->name, c->v[c->other].name);
    k8tls_buf_puts(&b, line);
    snprintf(line, sizeof line, _("stage: %s\n"), k8tls_rotate_stage_describe(c->stage));
    k8tls_buf_puts(&b, line);
    return k8tls_buf_take(&b, NULL);
}

int k8tls_rotate_cm_plan(const struct k8tls_rotate_cm *c, enum k8tls_rotate_phase asked,
                         const struct k8tls_rotate_opts *o, struct k8tls_rotate_decision *out,
                         struct k8tls_diags *d)
{
    memset(out, 0, sizeof *out);
    enum k8tls_rotate_phase due = c->stage == K8TLS_STAGE_TRUSTING   ? K8TLS_ROTATE_REISSUE
                                  : c->stage == K8TLS_STAGE_REISSUED ? K8TLS_ROTATE_RETIRE
                                                                     : K8TLS_ROTATE_NONE;
    if (o->from_context || o->new_passwords) {
        k8tls_rotate_err(d, o->from_context ? "--from-context" : "--new-passwords", "%s",
                         o->from_context
                             ? _("a cert-manager output is rotated from its directory (--from "
                                 "DIR): its objects say where it stands")
                             : _("cert-manager keeps the store passwords of the output's "
                                 "password Secrets: change them there"));
        return -1;
    }
    if (asked == K8TLS_ROTATE_NONE) {
        out->phase = due;
        out->allowed = true;
        if (due == K8TLS_ROTATE_REISSUE)
            snprintf(out->reason, sizeof out->reason, "%s",
                     _("both CAs are trusted: the Certificates can move to the new CA"));
        else if (due == K8TLS_ROTATE_RETIRE)
            snprintf(out->reason, sizeof out->reason, "%s",
                     _("the Certificates are signed by the new CA: the old one can go"));
        else
            snprintf(out->reason, sizeof out->reason, "%s",
                     c->bundle >= 0
                         ? _("nothing is due: cert-manager renews the Certificates itself; a new "
                             "CA starts with --phase trust")
                         : _("nothing is due: cert-manager renews the Certificates itself; a CA "
                             "rotation needs trust-manager (output.trustManager: true)"));
        return 0;
    }
    out->phase = asked;
    if (asked == K8TLS_ROTATE_RENEW) {
        k8tls_rotate_err(d, "--phase", "%s",
                         _("cert-manager renews the Certificates itself before they expire "
                           "(spec.renewBefore): there is no renew phase for a cert-manager "
                           "output; to renew one now, use `cmctl renew NAME` in its namespace"));
        return -1;
    }
    if (c->bundle < 0 || !c->plan->output.trust_manager) {
        k8tls_rotate_err(d, "output.trustManager", "%s",
                         _("cannot rotate the CA of this cert-manager output: the truststores "
                           "cert-manager writes hold one CA, the issuer's (SPEC §11 C6), so "
                           "pods restarted with a new CA and pods not yet restarted would not "
                           "trust each other. Set output.trustManager: true in answers.yaml, run "
                           "the wizard again and apply its output (a trust-manager Bundle then "
                           "writes the truststores), restart the pods, then rotate from that "
                           "output"));
        return -1;
    }
    if (asked != (due == K8TLS_ROTATE_NONE ? K8TLS_ROTATE_TRUST : due)) {
        if (due == K8TLS_ROTATE_NONE)
            k8tls_rotate_err(d, "--phase", _("phase %s cannot run now: the output trusts one CA "
                                             "(%s); a CA rotation starts with --phase trust"),
                             k8tls_rotate_phase_name(asked), c->v[c->signer].name);
        else
            k8tls_rotate_err(d, "--phase", _("phase %s cannot run now: %s; the next phase is %s"),
                             k8tls_rotate_phase_name(asked),
                             k8tls_rotate_stage_describe(c->stage),
                             k8tls_rotate_phase_name(due));
        return -1;
    }
    if (asked == K8TLS_ROTATE_TRUST && ca_cert_of(c, c->signer) < 0) {
        if (ca_secret_of(c, c->signer) < 0) {
            k8tls_rotate_err(d, NULL, _("the CA Issuer %s signs with the Secret %s, which is "
                                        "neither a Certificate nor a Secret of the output"),
                             c->v[c->signer].name, c->v[c->signer].ca_secret);
            return -1;
        }
        if (!o->ca_key) {
            k8tls_rotate_err(d, "--ca-key", "%s",
                             _("the CA was imported (ca.source: import): the new CA is made on "
                               "a key of yours: pass --ca-key PATH (a PEM private key that is "
                               "not the current CA's)"));
            return -1;
        }
    }
    out->allowed = true;
    return 0;
}

/* ---- building -------------------------------------------------------------------------------- */

/* name with a dated suffix: "-YYYYMMDD" replacing one it already has (an earlier rotation);
 * with the time too when that gives the name back. */
static char *dated(const char *name)
{
    char stamp[32], out[300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d", &tm);
    size_t bl = strlen(name);
    if (bl > 9 && name[bl - 9] == '-' && strspn(name + bl - 8, "0123456789") == 8)
        bl -= 9;
    else if (bl > 15 && name[bl - 15] == '-' && strspn(name + bl - 14, "0123456789") == 14)
        bl -= 15;
    if (bl > 200)
        bl = 200;
    snprintf(out, sizeof out, "%.*s-%s", (int)bl, name, stamp);
    if (strcmp(out, name) == 0) {
        strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        snprintf(out, sizeof out, "%.*s-%s", (int)bl, name, stamp);
    }
    return strdup(out);
}

/* The path of a new object made from template t: t's file name with its object name replaced. */
static char *path_for(const struct obj *t, const char *name)
{
    const char *slash = strrchr(t->path, '/');
    const char *base = slash ? slash + 1 : t->path;
    char buf[1024];
    size_t nl = strlen(t->name), bl = strlen(base);
    if (bl > nl + 5 && strcmp(base + bl - 5, ".yaml") == 0 &&
        strncmp(base + bl - 5 - nl, t->name, nl) == 0)
        snprintf(buf, sizeof buf, "%.*s%s.yaml", (int)(base - t->path) + (int)(bl - 5 - nl),
                 t->path, name);
    else
        snprintf(buf, sizeof buf, "%.*s%s-%s.yaml", (int)(base - t->path), t->path,
                 t->kind, name);
    return strdup(buf);
}

/* Loads an object's YAML for editing. */
static int load_edit(const struct obj *o, struct ydoc *y, struct k8tls_diags *d)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    memset(y, 0, sizeof *y);
    if (k8tls_yaml_load(o->path, o->data, o->len, &y->doc, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        return -1;
    }
    return 0;
}

/* A deep copy of node id (from the same document) as a new node; 0 on OOM. */
static int copy_node(struct ydoc *y, int id, int depth)
{
    yaml_node_t *n = ydoc_node(y, id);
    if (!n || depth > K8TLS_YAML_MAX_DEPTH)
        return 0;
    if (n->type == YAML_SCALAR_NODE) {
        char *v = strndup((const char *)n->data.scalar.value, n->data.scalar.length);
        if (!v)
            return 0;
        yaml_scalar_style_t st = n->data.scalar.style;
        int r = yaml_document_add_scalar(&y->doc, NULL, (yaml_char_t *)v, -1, st);
        free(v);
        return r;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        int s = ydoc_seq(y);
        for (size_t i = 0; s && i < cnt; i++) {
            n = ydoc_node(y, id);   /* adding nodes may move the node table */
            int item = copy_node(y, n->data.sequence.items.start[i], depth + 1);
            if (!item || !ydoc_seq_add(y, s, item))
                return 0;
        }
        return s;
    }
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    int m = ydoc_map(y);
    for (size_t i = 0; m && i < cnt; i++) {
        n = ydoc_node(y, id);
        yaml_node_pair_t pr = n->data.mapping.pairs.start[i];
        const char *k = ydoc_scalar(y, pr.key);
        char *key = k ? strdup(k) : NULL;
        int v = key ? copy_node(y, pr.value, depth + 1) : 0;
        int ok = v && ydoc_map_add(y, m, key, v);
        free(key);
        if (!ok)
            return 0;
    }
    return m;
}

/* Sets the scalar at dotted path (the mappings on the way must exist). */
static int set_path(struct ydoc *y, const char *path, const char *value)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    int n = ydoc_root(y);
    char *last = strrchr(buf, '.');
    if (last) {
        *last++ = '\0';
        char *save = NULL;
        for (char *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
            n = ydoc_map_get(y, n, k);
    } else {
        last = buf;
    }
    if (!n || !ydoc_is_map(y, n))
        return -1;
    return ydoc_map_set(y, n, last, ydoc_str(y, value)) ? 0 : -1;
}

/* What a phase builds: the objects (data owned), in order. */
struct out_obj {
    char *path, *kind, *name, *ns;
    char *data;
    size_t len;
    bool secret;
};
struct out_list {
    struct out_obj *v;
    size_t n, cap;
    bool oom;
};

static void out_add(struct out_list *l, const char *path, const char *kind, const char *name,
                    const char *ns, char *data, size_t len)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 16;
        struct out_obj *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            l->oom = true;
            free(data);
            return;
        }
        l->v = nv;
        l->cap = nc;
    }
    bool secret = strcmp(kind, "Secret") == 0;
    l->v[l->n++] = (struct out_obj){ dup0(path), dup0(kind), dup0(name), dup0(ns), data, len,
                                     secret };
}

static void out_add_copy(struct out_list *l, const struct obj *o)
{
    char *d = malloc(o->len + 1);
    if (!d) {
        l->oom = true;
        return;
    }
    memcpy(d, o->data, o->len);
    d[o->len] = '\0';
    out_add(l, o->path, o->kind, o->name, o->ns, d, o->len);
}

static void out_free(struct out_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].kind);
        free(l->v[i].name);
        free(l->v[i].ns);
        if (l->v[i].data)
            OPENSSL_cleanse(l->v[i].data, l->v[i].len);
        free(l->v[i].data);
    }
    free(l->v);
}

/* Emits y (consumed) as an object of the list. */
static int out_emit(struct out_list *l, struct ydoc *y, const char *path, const char *kind,
                    const char *name, const char *ns, struct k8tls_diags *d)
{
    char *text = NULL;
    size_t len = 0;
    const char *why = NULL;
    if (y->oom || ydoc_emit(y, 1, &text, &len, &why) < 0) {
        k8tls_rotate_err(d, NULL, _("%s: cannot write the object: %s"), path,
                         why ? why : _("out of memory"));
        return -1;
    }
    out_add(l, path, kind, name, ns, text, len);
    return l->oom ? -1 : 0;
}

static char *b64(const unsigned char *p, size_t n)
{
    size_t cap = 4 * ((n + 2) / 3) + 1;
    char *s = malloc(cap);
    if (s)
        EVP_EncodeBlock((unsigned char *)s, p, (int)n);
    return s;
}

/* An imported CA's successor: a self-signed root on the key of --ca-key, the old CA's subject
 * with a dated CN, the plan's CA validity. Its Secret is the old CA Secret's copy with the new
 * tls.crt and tls.key. */
static int new_imported_ca(const struct k8tls_rotate_cm *c, const struct obj *old_secret,
                           const char *new_name, const struct k8tls_rotate_opts *o,
                           struct out_list *l, char **pem_out, struct k8tls_diags *d)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    struct k8tls_rsecret rs = { 0 };
    EVP_PKEY *key = NULL;
    X509 *old = NULL, *ca = NULL;
    STACK_OF(X509) *certs = NULL;
    char *pw = NULL, *b1 = NULL, *b2 = NULL;
    struct k8tls_secret *kb = NULL;
    int rc = -1;
    if (k8tls_rsecret_parse(old_secret->path, old_secret->data, old_secret->len, &rs, &e) < 0)
        goto fail_e;
    const struct k8tls_secret *crt = k8tls_rsecret_get(&rs, "tls.crt");
    if (!crt || k8tls_pem_read_certs(crt->data, crt->len, old_secret->path, &certs, &e) < 0 ||
        sk_X509_num(certs) < 1) {
        if (!crt)
            k8tls_err_set(&e, old_secret->path, 0, 0, "%s",
                          _("the CA Secret has no tls.crt"));
        goto fail_e;
    }
    old = sk_X509_value(certs, 0);
    if (o->ca_key_password && !(pw = k8tls_password_resolve(o->ca_key_password, NULL, &e)))
        goto fail_e;
    if (k8tls_store_read_bytes(o->ca_key, K8TLS_READ_MAX_BYTES, &kb, &e) < 0 ||
        k8tls_pem_read_key(kb->data, kb->len, o->ca_key, pw, &key, NULL, &e) < 0)
        goto fail_e;
    if (X509_check_private_key(old, key) == 1) {
        ERR_clear_error();
        k8tls_rotate_err(d, "--ca-key", _("%s is the key of the current CA: the new CA needs a "
                                          "key of its own"), o->ca_key);
        goto out;
    }
    ERR_clear_error();
    /* the old subject, its CN dated */
    X509_NAME *n = X509_get_subject_name(old);
    char *f[7] = { 0 };
    static const int nids[7] = { NID_countryName, NID_stateOrProvinceName, NID_localityName,
                                 NID_organizationName, NID_organizationalUnitName,
                                 NID_commonName, NID_pkcs9_emailAddress };
    for (int i = 0; i < 7; i++) {
        char buf[256];
        if (X509_NAME_get_text_by_NID(n, nids[i], buf, sizeof buf) > 0)
            f[i] = strdup(buf);
    }
    ERR_clear_error();
    char *cn = dated(f[5] && *f[5] ? f[5] : "K8tlsRootCA");
    struct k8tls_subject sub = { .C = f[0], .ST = f[1], .L = f[2], .O = f[3], .OU = f[4],
                                 .CN = cn, .emailAddress = f[6] };
    int days = c->plan->ca.validity_days > 0 ? c->plan->ca.validity_days : 3650;
    ca = cn ? k8tls_pki_make_ca(key, &sub, days, &e) : NULL;
    for (int i = 0; i < 7; i++)
        free(f[i]);
    free(cn);
    if (!ca)
        goto fail_e;
    BIO *bc = BIO_new(BIO_s_mem()), *bk = BIO_new(BIO_s_secmem());
    if (bc && bk && PEM_write_bio_X509(bc, ca) &&
        PEM_write_bio_PKCS8PrivateKey(bk, key, NULL, NULL, 0, NULL, NULL)) {
        char *p = NULL;
        long cl = BIO_get_mem_data(bc, &p);
        b1 = b64((const unsigned char *)p, (size_t)cl);
        *pem_out = strndup(p, (size_t)cl);
        long kl = BIO_get_mem_data(bk, &p);
        b2 = b64((const unsigned char *)p, (size_t)kl);
    }
    BIO_free(bc);
    BIO_free(bk);
    ERR_clear_error();
    if (!b1 || !b2 || !*pem_out) {
        k8tls_err_set(&e, NULL, 0, 0, "%s", _("out of memory"));
        goto fail_e;
    }
    struct ydoc y;
    if (load_edit(old_secret, &y, d) < 0)
        goto out;
    int root = ydoc_root(&y);
    int data = ydoc_map_get(&y, root, "data");
    ydoc_map_remove(&y, root, "stringData");
    if (!data || !ydoc_is_map(&y, data)) {
        data = ydoc_map(&y);
        ydoc_map_set(&y, root, "data", data);
    }
    ydoc_map_remove(&y, data, "ca.crt");
    ydoc_map_set(&y, data, "tls.crt", ydoc_str(&y, b1));
    ydoc_map_set(&y, data, "tls.key", ydoc_str(&y, b2));
    if (set_path(&y, "metadata.name", new_name) < 0) {
        ydoc_free(&y);
        k8tls_rotate_err(d, NULL, _("%s: cannot write the object: %s"), old_secret->path,
                         "metadata.name");
        goto out;
    }
    char *path = path_for(old_secret, new_name);
    rc = path ? out_emit(l, &y, path, "Secret", new_name, old_secret->ns, d) : -1;
    free(path);
    goto out;
fail_e:
    k8tls_diags_add_err(d, "--ca-key", &e);
out:
    if (b2)
        OPENSSL_cleanse(b2, strlen(b2));
    free(b1);
    free(b2);
    k8tls_secure_free_str(pw);
    k8tls_secret_free(kb);
    EVP_PKEY_free(key);
    X509_free(ca);
    sk_X509_pop_free(certs, X509_free);
    k8tls_rsecret_clear(&rs);
    return rc;
}

/* The Bundle with a copy of source like appended, naming the Secret add_secret (a source by
 * Secret) or holding add_pem (an inLine source); or with source drop removed (like < 0). */
static int edit_bundle(const struct obj *b, int like, const char *add_secret,
                       const char *add_pem, int drop, struct out_list *l, struct k8tls_diags *d)
{
    struct ydoc y;
    if (load_edit(b, &y, d) < 0)
        return -1;
    int spec = ydoc_map_get(&y, ydoc_root(&y), "spec");
    int src = spec ? ydoc_map_get(&y, spec, "sources") : 0;
    yaml_node_t *sn = src ? ydoc_node(&y, src) : NULL;
    size_t cnt = sn && sn->type == YAML_SEQUENCE_NODE
                     ? (size_t)(sn->data.sequence.items.top - sn->data.sequence.items.start) : 0;
    if ((like >= 0 && (size_t)like >= cnt) || (like < 0 && (drop < 0 || (size_t)drop >= cnt))) {
        ydoc_free(&y);
        k8tls_rotate_err(d, "spec.sources", _("%s: the Bundle's sources changed while it was "
                                              "read"), b->path);
        return -1;
    }
    if (like >= 0) {
        int item = ydoc_node(&y, src)->data.sequence.items.start[like];
        int copy = copy_node(&y, item, 0);
        int sec = copy ? ydoc_map_get(&y, copy, "secret") : 0;
        bool ok = copy != 0;
        if (ok && sec && add_secret)
            ok = ydoc_map_set(&y, sec, "name", ydoc_str(&y, add_secret)) != 0;
        else if (ok && !sec && add_pem)
            ok = ydoc_map_set(&y, copy, "inLine", ydoc_str(&y, add_pem)) != 0;
        else
            ok = false;
        if (ok && !sec)
            ydoc_set_style(&y, ydoc_map_get(&y, copy, "inLine"), YAML_LITERAL_SCALAR_STYLE);
        if (!ok || !ydoc_seq_add(&y, src, copy)) {
            ydoc_free(&y);
            k8tls_rotate_err(d, "spec.sources", _("%s: the Bundle's source %d names neither a "
                                                  "Secret nor an inLine certificate"),
                             b->path, like + 1);
            return -1;
        }
    } else {
        /* a new sequence without the dropped source (libyaml has no removal from one) */
        int keep = ydoc_seq(&y);
        for (size_t i = 0; keep && i < cnt; i++) {
            int item = ydoc_node(&y, src)->data.sequence.items.start[i];
            if ((int)i != drop && !ydoc_seq_add(&y, keep, item))
                y.oom = true;
        }
        if (!keep || !ydoc_map_set(&y, spec, "sources", keep))
            y.oom = true;
    }
    return out_emit(l, &y, b->path, b->kind, b->name, b->ns, d);
}

/* A copy of template t named name, with the given paths set. */
static int copy_obj(const struct obj *t, const char *name, const char *const *paths,
                    const char *const *values, size_t n, struct out_list *l,
                    struct k8tls_diags *d)
{
    struct ydoc y;
    if (load_edit(t, &y, d) < 0)
        return -1;
    int bad = set_path(&y, "metadata.name", name);
    for (size_t i = 0; i < n && !bad; i++)
        bad = set_path(&y, paths[i], values[i]);
    if (bad) {
        ydoc_free(&y);
        k8tls_rotate_err(d, NULL, _("%s: cannot write the object: %s"), t->path, "spec");
        return -1;
    }
    char *path = path_for(t, name);
    int rc = path ? out_emit(l, &y, path, t->kind, name, t->ns, d) : -1;
    free(path);
    return rc;
}

/* rotation.yaml */
static int rotation_yaml(enum k8tls_rotate_phase ph, const char *old_issuer,
                         const char *new_issuer, char **out, size_t *len, struct k8tls_err *e)
{
    yaml_document_t d;
    if (k8tls_yaml_doc_init(&d) < 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    int root = k8tls_yaml_add_map(&d, false);
    int rc = root ? 0 : -1;
    rc |= k8tls_yaml_map_str(&d, root, "mode", "cert-manager");
    rc |= k8tls_yaml_map_str(&d, root, "phase", k8tls_rotate_phase_name(ph));
    rc |= k8tls_yaml_map_str(&d, root, "oldCaIssuer", old_issuer);
    rc |= k8tls_yaml_map_str(&d, root, "newCaIssuer", new_issuer);
    if (rc) {
        yaml_document_delete(&d);
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return k8tls_yaml_dump(&d, out, len, e);
}

static void md(struct k8tls_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md(struct k8tls_buf *b, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0 && s)
        k8tls_buf_puts(b, s);
    else
        b->oom = true;
    free(s);
}

/* NEXT-STEPS.md of a phase. */
static char *next_steps(const struct k8tls_rotate_cm *c, enum k8tls_rotate_phase ph,
                        const char *out_dir, const char *old_issuer, const char *new_issuer,
                        const char *new_cert, const struct out_list *l, const char *task)
{
    struct k8tls_buf b = { 0 };
    const char *ns = c->ns;
    const char *bundle = c->v[c->bundle].name;
    md(&b, "# %s\n\n", k8tls_rotate_phase_title(ph));
    md(&b, "%s\n\n", _("A cert-manager output: cert-manager issues the keys and stores inside the "
                       "cluster, trust-manager writes the truststores. This directory holds the "
                       "changed objects (the K8ssandraCluster does not change)."));
    md(&b, "## %s\n\n", _("1. Apply"));
    md(&b, _("Apply this directory (or run the phase with --apply):\n\n"
             "```sh\nkubectl apply --server-side -k %s\n```\n\n"), out_dir);
    if (ph == K8TLS_ROTATE_TRUST) {
        md(&b, "## %s\n\n", _("2. Check that both CAs are trusted"));
        int cc = ca_cert_of(c, c->signer);
        if (new_cert && cc >= 0)
            md(&b, _("Wait until cert-manager has issued the new CA (`READY` True):\n\n"
                     "```sh\nkubectl get certificate -n %s %s\n```\n\n"),
               c->v[cc].ns ? c->v[cc].ns : ns, new_cert);
        md(&b, _("The Bundle %s now lists the old CA (Issuer %s) and the new one (Issuer %s) "
                 "as sources; trust-manager writes both into its target Secret in every "
                 "namespace. Check its condition Synced (with Secret targets disabled at "
                 "trust-manager's install it is False, reason SecretTargetsDisabled):\n\n"
                 "```sh\nkubectl get bundle %s -o yaml\n```\n\n"),
           bundle, old_issuer, new_issuer, bundle);
    } else if (ph == K8TLS_ROTATE_REISSUE) {
        md(&b, "## %s\n\n", _("2. Have cert-manager issue the Certificates again"));
        md(&b, _("The leaf Certificates now name the new CA Issuer %s. cert-manager annotates "
                 "each Secret it writes with the issuer that signed it: check that every Secret "
                 "names %s (`kubectl get secret -n %s NAME -o yaml`, its annotations). Have "
                 "cert-manager issue again each Certificate whose Secret still names the old "
                 "issuer, with cert-manager's command-line tool:\n\n"),
           new_issuer, new_issuer, ns);
        md(&b, "```sh\ncmctl renew -n %s", ns);
        for (size_t i = 0; i < c->n; i++)
            if (is_leaf(&c->v[i], c->v[c->signer].name))
                md(&b, " %s", c->v[i].name);
        md(&b, "\n```\n\n");
        md(&b, "%s\n\n",
           _("or by deleting each Certificate's Secret: cert-manager writes it again. Until it "
             "has, a pod that starts cannot mount it: delete them one at a time, before the "
             "rolling restart, and wait for Ready. Every issue makes a new private key "
             "(privateKey.rotationPolicy: Always)."));
        md(&b, _("Wait until every Certificate is Ready again:\n\n"
                 "```sh\nkubectl get certificate -n %s\n```\n\n"), ns);
    } else {
        md(&b, "## %s\n\n", _("2. Check that only the new CA is trusted"));
        md(&b, _("The Bundle %s now lists the new CA alone (Issuer %s):\n\n"
                 "```sh\nkubectl get bundle %s -o yaml\n```\n\n"), bundle, new_issuer, bundle);
    }
    md(&b, "## %s\n\n", _("3. Restart every Cassandra pod"));
    md(&b, _("A rolling restart, so that no pod of the previous phase is left:\n\n"
             "```sh\nkubectl apply -f %s/%s\n```\n\n"), out_dir, task);
    md(&b, "## %s\n\n", _("4. Then"));
    if (ph == K8TLS_ROTATE_RETIRE) {
        md(&b, "%s\n\n", _("The old CA's objects are no longer in the output. Once every pod "
                           "has restarted, delete them:"));
        md(&b, "```sh\n");
        const struct obj *oi = &c->v[c->other];
        md(&b, "kubectl delete %s %s%s%s\n", strcmp(oi->kind, "ClusterIssuer") == 0
                                                 ? "clusterissuer.cert-manager.io"
                                                 : "issuer.cert-manager.io",
           oi->name, oi->ns ? " -n " : "", oi->ns ? oi->ns : "");
        int cc = ca_cert_of(c, c->other);
        if (cc >= 0)
            md(&b, "kubectl delete certificate.cert-manager.io %s%s%s\n", c->v[cc].name,
               c->v[cc].ns ? " -n " : "", c->v[cc].ns ? c->v[cc].ns : "");
        /* the CA Secret is where its Certificate issued it, or where the output put it */
        int cs = ca_secret_of(c, c->other);
        const char *sns = cc >= 0 ? c->v[cc].ns : cs >= 0 ? c->v[cs].ns : oi->ns;
        md(&b, "kubectl delete secret %s%s%s\n", oi->ca_secret, sns ? " -n " : "",
           sns ? sns : "");
        md(&b, "```\n\n");
    } else {
        md(&b, _("Run the next phase:\n\n```sh\nk8tls-wizard rotate --from %s --phase %s "
                 "--output NEWDIR\n```\n\n"),
           out_dir, k8tls_rotate_phase_name(ph == K8TLS_ROTATE_TRUST ? K8TLS_ROTATE_REISSUE
                                                                      : K8TLS_ROTATE_RETIRE));
    }
    md(&b, "## %s\n\n", _("Objects of this phase"));
    for (size_t i = 0; i < l->n; i++)
        md(&b, "- %s %s (`%s`)\n", l->v[i].kind, l->v[i].name, l->v[i].path);
    return k8tls_buf_take(&b, NULL);
}

static int add_k8s(struct k8tls_bundle *b, struct out_obj *o)
{
    if (k8tls_bundle_add(b, o->path, o->data, o->len, o->secret ? 0600 : 0644,
                         o->secret ? K8TLS_ART_SECRET : K8TLS_ART_CM_OBJECT, o->secret) < 0) {
        o->data = NULL;
        return -1;
    }
    o->data = NULL;   /* the bundle has it */
    struct k8tls_artifact *a = &b->v[b->n - 1];
    a->k8s_kind = dup0(o->kind);
    a->k8s_name = dup0(o->name);
    a->k8s_namespace = dup0(o->ns);
    return a->k8s_kind && a->k8s_name ? 0 : -1;
}

int k8tls_rotate_cm_run(const struct k8tls_rotate_cm *c, enum k8tls_rotate_phase ph,
                        const struct k8tls_rotate_opts *o, const char *out_dir,
                        struct k8tls_bundle **out, struct k8tls_diags *d)
{
    *out = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    struct k8tls_rotate_decision dec;
    if (k8tls_rotate_cm_plan(c, ph, o, &dec, d) < 0)
        return -1;
    struct out_list l = { 0 }, extra = { 0 };
    char *new_pem = NULL;
    struct k8tls_bundle *b = calloc(1, sizeof *b);
    char *new_issuer = NULL, *new_secret = NULL, *new_cert = NULL, *text = NULL;
    const char *old_issuer, *next_issuer;
    int rc = -1;
    if (!b)
        goto oom;
    const struct obj *sg = &c->v[c->signer];
    int ca_cert = ca_cert_of(c, c->signer), ca_sec = ca_secret_of(c, c->signer);
    if (ph == K8TLS_ROTATE_TRUST) {
        new_issuer = dated(sg->name);
        new_secret = dated(sg->ca_secret);
        new_cert = ca_cert >= 0 ? dated(c->v[ca_cert].name) : NULL;
        if (!new_issuer || !new_secret || (ca_cert >= 0 && !new_cert))
            goto oom;
        old_issuer = sg->name;
        next_issuer = new_issuer;
    } else if (ph == K8TLS_ROTATE_REISSUE) {
        old_issuer = sg->name;
        next_issuer = c->v[c->other].name;
    } else {
        old_issuer = c->v[c->other].name;
        next_issuer = sg->name;
    }
    /* an imported CA's successor is made first: the Bundle's inLine source needs its PEM */
    if (ph == K8TLS_ROTATE_TRUST && ca_cert < 0 &&
        new_imported_ca(c, &c->v[ca_sec], new_secret, o, &extra, &new_pem, d) < 0)
        goto fail;
    const struct obj *retired = ph == K8TLS_ROTATE_RETIRE ? &c->v[c->other] : NULL;
    int retired_cert = retired ? ca_cert_of(c, c->other) : -1;
    int retired_sec = retired ? ca_secret_of(c, c->other) : -1;

    for (size_t i = 0; i < c->n && !l.oom; i++) {
        const struct obj *ob = &c->v[i];
        if (strcmp(ob->kind, "K8ssandraCluster") == 0 || strcmp(ob->kind, "Namespace") == 0)
            continue;
        if (retired && ((int)i == c->other || (int)i == retired_cert || (int)i == retired_sec))
            continue;
        int r = 0;
        if ((int)i == c->bundle && ph != K8TLS_ROTATE_REISSUE)
            r = ph == K8TLS_ROTATE_TRUST
                    ? edit_bundle(ob, trusted_source(c, c->signer), new_secret, new_pem, -1,
                                  &l, d)
                    : edit_bundle(ob, -1, NULL, NULL, trusted_source(c, c->other), &l, d);
        else if (ph == K8TLS_ROTATE_REISSUE && is_leaf(ob, sg->name)) {
            const char *p[1] = { "spec.issuerRef.name" }, *v[1] = { next_issuer };
            struct ydoc y;
            r = load_edit(ob, &y, d);
            if (r == 0 && set_path(&y, p[0], v[0]) < 0) {
                ydoc_free(&y);
                k8tls_rotate_err(d, p[0], _("%s: cannot write the object: %s"), ob->path, p[0]);
                r = -1;
            } else if (r == 0) {
                r = out_emit(&l, &y, ob->path, ob->kind, ob->name, ob->ns, d);
            }
        } else {
            out_add_copy(&l, ob);
        }
        if (r < 0)
            goto fail;
        /* trust: the new CA right after the old one's objects */
        if (ph == K8TLS_ROTATE_TRUST && (int)i == ca_cert) {
            const char *p[2] = { "spec.secretName", "spec.commonName" };
            /* a CN of its own: two CAs with one subject in a truststore confuse path
             * building (without a commonName, the new one gets its object's name) */
            yaml_document_t tmp;
            struct k8tls_err le;
            char *cn = NULL;
            if (k8tls_yaml_load(ob->path, ob->data, ob->len, &tmp, &le) == 0) {
                const char *old_cn = str_path(&tmp, yaml_document_get_root_node(&tmp),
                                              "spec.commonName");
                cn = dated(old_cn ? old_cn : ob->name);
                yaml_document_delete(&tmp);
            }
            if (!cn)
                goto oom;
            const char *v[2] = { new_secret, cn };
            r = copy_obj(ob, new_cert, p, v, 2, &l, d);
            free(cn);
        } else if (ph == K8TLS_ROTATE_TRUST && (int)i == ca_sec && ca_cert < 0) {
            /* the new CA's Secret, made above, moves here */
            for (size_t k = 0; k < extra.n; k++) {
                struct out_obj *x = &extra.v[k];
                out_add(&l, x->path, x->kind, x->name, x->ns, x->data, x->len);
                x->data = NULL;
            }
        } else if (ph == K8TLS_ROTATE_TRUST && (int)i == c->signer) {
            const char *p[1] = { "spec.ca.secretName" }, *v[1] = { new_secret };
            r = copy_obj(ob, new_issuer, p, v, 1, &l, d);
        }
        if (r < 0)
            goto fail;
    }
    if (l.oom)
        goto oom;

    /* kustomization.yaml, the objects, answers.yaml, rotation.yaml, the restart task,
     * NEXT-STEPS.md */
    const char **res = calloc(l.n + 1, sizeof *res);
    if (!res)
        goto oom;
    for (size_t i = 0; i < l.n; i++)
        res[i] = l.v[i].path;
    size_t len = 0;
    /* fifo: kubectl apply -k keeps this order (an Issuer before the Certificates it signs) */
    int kr = k8tls_bundle_kustomization_ordered(res, l.n, true, &text, &len, &e);
    free(res);
    if (kr < 0 || k8tls_bundle_add(b, "kustomization.yaml", text, len, 0644,
                                   K8TLS_ART_KUSTOMIZATION, false) < 0) {
        text = NULL;
        goto fail_e;
    }
    text = NULL;
    if (k8tls_bundle_add_copy(b, "answers.yaml", c->answers, c->answers_len, 0600,
                              K8TLS_ART_ANSWERS, true) < 0)
        goto oom;
    if (rotation_yaml(ph, old_issuer, next_issuer, &text, &len, &e) < 0 ||
        k8tls_bundle_add(b, ROTATION_FILE, text, len, 0644, K8TLS_ART_DOC, false) < 0) {
        text = NULL;
        goto fail_e;
    }
    text = NULL;
    char task_name[400], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    snprintf(task_name, sizeof task_name, "%.40s-%s-%s", c->plan->cluster.name,
             k8tls_rotate_phase_name(ph), stamp);
    /* a DNS label: lower case, at most 63 */
    for (char *p = task_name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    task_name[63] = '\0';
    struct k8tls_rotate_doc doc = { .phase = ph, .plan = c->plan, .namespace_ = c->ns,
                                    .restart_task_name = task_name };
    if (k8tls_rotate_doc_restart_task(&doc, &text, &len, &e) < 0 ||
        k8tls_bundle_add(b, "restart/k8ssandratask.yaml", text, len, 0644, K8TLS_ART_DOC,
                         false) < 0) {
        text = NULL;
        goto fail_e;
    }
    text = next_steps(c, ph, out_dir, old_issuer, next_issuer, new_cert, &l,
                      "restart/k8ssandratask.yaml");
    if (!text || k8tls_bundle_add(b, "NEXT-STEPS.md", text, strlen(text), 0644, K8TLS_ART_DOC,
                                  false) < 0) {
        text = NULL;
        goto oom;
    }
    text = NULL;
    for (size_t i = 0; i < l.n; i++)
        if (add_k8s(b, &l.v[i]) < 0)
            goto oom;
    rc = 0;
    *out = b;
    b = NULL;
    goto out;
oom:
    k8tls_err_set(&e, NULL, 0, 0, "%s", _("out of memory"));
fail_e:
    k8tls_diags_add_err(d, NULL, &e);
fail:
out:
    out_free(&l);
    out_free(&extra);
    free(new_pem);
    k8tls_bundle_free(b);
    free(new_issuer);
    free(new_secret);
    free(new_cert);
    return rc;
}
