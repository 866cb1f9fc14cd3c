/* The doctor's input (doctor.h): K8ssandraCluster documents and Secrets from YAML files,
 * directories and kubectl output. Hostile input (X5): bounded sizes, depth and counts; Secret
 * values are decoded into buffers wiped when freed and never printed. */
#include "config.h"
#include "doctor.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"
#include "k8tls/yamlutil.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DR_MAX_DOCS 4096
#define DR_MAX_DIR_DEPTH 4
#define DR_MAX_FILES 10000

static void kv_free(struct dr_kv *kv)
{
    free(kv->key);
    if (kv->val) {
        OPENSSL_cleanse(kv->val, kv->len);
        free(kv->val);
    }
}

void dr_state_free(struct dr_state *s)
{
    for (size_t i = 0; i < s->nsec; i++) {
        struct dr_secret *x = &s->sec[i];
        for (size_t j = 0; j < x->n; j++)
            kv_free(&x->kv[j]);
        free(x->kv);
        free(x->name);
        free(x->ns);
        free(x->type);
        free(x->context);
        free(x->file);
    }
    free(s->sec);
    for (size_t i = 0; i < s->ncl; i++) {
        free(s->cl[i].file);
        free(s->cl[i].context);
        free(s->cl[i].name);
        free(s->cl[i].ns);
    }
    free(s->cl);
    for (size_t i = 0; i < s->ndocs; i++)
        yaml_document_delete(&s->docs[i]);
    free(s->docs);
    for (size_t i = 0; i < s->nf; i++) {
        struct dr_finding *f = &s->f[i];
        free(f->code);
        free(f->object);
        free(f->key);
        free(f->where);
        free(f->what);
        free(f->breaks);
        free(f->fix);
    }
    free(s->f);
    s->sec = NULL;
    s->cl = NULL;
    s->docs = NULL;
    s->f = NULL;
    s->nsec = s->ncl = s->ndocs = s->nf = 0;
}

static char *dupn(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Strict base64 (white space ignored). Returns a malloc'd buffer or NULL. */
static unsigned char *b64_decode(const char *in, size_t inlen, size_t *outlen)
{
    char *clean = malloc(inlen + 1);
    if (!clean)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < inlen; i++)
        if (in[i] != ' ' && in[i] != '\n' && in[i] != '\r' && in[i] != '\t')
            clean[n++] = in[i];
    clean[n] = '\0';
    if (n % 4 != 0 || n > (size_t)INT_MAX) {
        OPENSSL_cleanse(clean, n);
        free(clean);
        return NULL;
    }
    unsigned char *out = malloc(n / 4 * 3 + 1);
    int l = out ? EVP_DecodeBlock(out, (const unsigned char *)clean, (int)n) : -1;
    size_t pad = 0;
    if (n >= 1 && clean[n - 1] == '=')
        pad++;
    if (n >= 2 && clean[n - 2] == '=')
        pad++;
    OPENSSL_cleanse(clean, n);
    free(clean);
    if (l < 0) {
        free(out);
        return NULL;
    }
    *outlen = (size_t)l - pad;
    return out;
}

static int add_secret(struct dr_state *s, yaml_document_t *d, yaml_node_t *obj, const char *file,
                      const char *context)
{
    yaml_node_t *md = k8tls_yaml_map_get(d, obj, "metadata");
    const char *name = k8tls_yaml_scalar(k8tls_yaml_map_get(d, md, "name"));
    const char *ns = k8tls_yaml_scalar(k8tls_yaml_map_get(d, md, "namespace"));
    const char *type = k8tls_yaml_scalar(k8tls_yaml_map_get(d, obj, "type"));
    if (!name)
        return 0;
    struct dr_secret *nv = realloc(s->sec, (s->nsec + 1) * sizeof *nv);
    if (!nv)
        return -1;
    s->sec = nv;
    struct dr_secret *x = &s->sec[s->nsec++];
    memset(x, 0, sizeof *x);
    x->name = dupn(name);
    x->ns = dupn(ns && *ns ? ns : NULL);
    x->type = dupn(type ? type : "Opaque");
    x->context = dupn(context);
    x->file = dupn(file);
    x->line = k8tls_yaml_pos(obj).line;
    const char *sections[2] = {"data", "stringData"};
    for (int sidx = 0; sidx < 2; sidx++) {
        yaml_node_t *m = k8tls_yaml_map_get(d, obj, sections[sidx]);
        for (size_t i = 0; i < k8tls_yaml_map_len(m); i++) {
            const char *k = k8tls_yaml_scalar(k8tls_yaml_map_key(d, m, i));
            yaml_node_t *vn = k8tls_yaml_map_value(d, m, i);
            const char *v = k8tls_yaml_scalar(vn);
            if (!k || !v)
                continue;
            size_t vl = k8tls_yaml_scalar_len(vn), dl = 0;
            unsigned char *dec;
            if (sidx == 0) {
                dec = b64_decode(v, vl, &dl);
            } else {
                dec = malloc(vl + 1);
                if (dec) {
                    memcpy(dec, v, vl);
                    dl = vl;
                }
            }
            struct dr_kv *kv = realloc(x->kv, (x->n + 1) * sizeof *kv);
            if (!kv) {
                free(dec);
                return -1;
            }
            x->kv = kv;
            /* an invalid base64 value stays as a key without value (val NULL) */
            x->kv[x->n].key = strdup(k);
            x->kv[x->n].val = dec;
            x->kv[x->n].len = dec ? dl : 0;
            x->n++;
        }
    }
    return x->name && x->file ? 0 : -1;
}

static int add_cluster(struct dr_state *s, size_t doc, yaml_node_t *obj, const char *file,
                       const char *context)
{
    yaml_document_t *d = &s->docs[doc];
    yaml_node_t *md = k8tls_yaml_map_get(d, obj, "metadata");
    const char *name = k8tls_yaml_scalar(k8tls_yaml_map_get(d, md, "name"));
    const char *ns = k8tls_yaml_scalar(k8tls_yaml_map_get(d, md, "namespace"));
    struct dr_cluster *nv = realloc(s->cl, (s->ncl + 1) * sizeof *nv);
    if (!nv)
        return -1;
    s->cl = nv;
    struct dr_cluster *c = &s->cl[s->ncl++];
    memset(c, 0, sizeof *c);
    c->doc = doc;
    c->root = obj;
    c->file = dupn(file);
    c->context = dupn(context);
    c->name = dupn(name ? name : "?");
    c->ns = dupn(ns && *ns ? ns : NULL);
    return c->file && c->name ? 0 : -1;
}

static int add_object(struct dr_state *s, size_t doc, yaml_node_t *obj, const char *file,
                      const char *context, int depth)
{
    yaml_document_t *d = &s->docs[doc];
    if (!obj || obj->type != YAML_MAPPING_NODE || depth > 2)
        return 0;
    const char *kind = k8tls_yaml_scalar(k8tls_yaml_map_get(d, obj, "kind"));
    if (!kind)
        return 0;
    if (strcmp(kind, "Secret") == 0)
        return add_secret(s, d, obj, file, context);
    if (strcmp(kind, "K8ssandraCluster") == 0)
        return add_cluster(s, doc, obj, file, context);
    if (strcmp(kind, "List") == 0 || strstr(kind, "List")) {
        yaml_node_t *items = k8tls_yaml_map_get(d, obj, "items");
        for (size_t i = 0; i < k8tls_yaml_seq_len(items); i++)
            if (add_object(s, doc, k8tls_yaml_seq_item(d, items, i), file, context, depth + 1) < 0)
                return -1;
    }
    return 0;
}

int dr_load_buffer(struct dr_state *s, const char *name, const char *buf, size_t len,
                   const char *context, struct k8tls_err *e)
{
    if (k8tls_yaml_check_depth(name, buf, len, K8TLS_YAML_MAX_DEPTH, e) < 0)
        return -1;
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps)) {
        k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    int rc = 0;
    for (;;) {
        if (s->ndocs >= DR_MAX_DOCS) {
            k8tls_err_set(e, name, 0, 0, _("more than %d YAML documents"), DR_MAX_DOCS);
            rc = -1;
            break;
        }
        yaml_document_t *nv = realloc(s->docs, (s->ndocs + 1) * sizeof *nv);
        if (!nv) {
            k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
            rc = -1;
            break;
        }
        s->docs = nv;
        if (!yaml_parser_load(&ps, &s->docs[s->ndocs])) {
            k8tls_err_set(e, name, (int)ps.problem_mark.line + 1, (int)ps.problem_mark.column + 1,
                          _("not a YAML file: %s"), ps.problem ? ps.problem : "?");
            rc = -1;
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&s->docs[s->ndocs]);
        if (!root) {
            yaml_document_delete(&s->docs[s->ndocs]);
            break;
        }
        size_t doc = s->ndocs++;
        if (add_object(s, doc, root, name, context, 0) < 0) {
            k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
            rc = -1;
            break;
        }
    }
    yaml_parser_delete(&ps);
    return rc;
}

static int load_file(struct dr_state *s, const char *path, struct k8tls_err *e)
{
    char *buf = NULL;
    size_t len = 0;
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, e) < 0)
        return -1;
    int rc = dr_load_buffer(s, path, buf, len, NULL, e);
    OPENSSL_cleanse(buf, len);
    free(buf);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static int load_dir(struct dr_state *s, const char *path, int depth, struct k8tls_err *e)
{
    DIR *dir = opendir(path);
    if (!dir) {
        k8tls_err_set(e, path, 0, 0, _("cannot read the directory: %s"), strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dir)) && n < DR_MAX_FILES) {
        if (de->d_name[0] == '.')
            continue;
        char **nv = realloc(names, (n + 1) * sizeof *nv);
        if (!nv || !(nv[n] = strdup(de->d_name))) {
            names = nv ? nv : names;
            rc = -1;
            break;
        }
        names = nv;
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char full[PATH_MAX];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        if (lstat(full, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < DR_MAX_DIR_DEPTH)
            rc = load_dir(s, full, depth + 1, e);
        else if (S_ISREG(st.st_mode) && yaml_name(names[i]) &&
                 strcmp(names[i], "kustomization.yaml") != 0)
            rc = load_file(s, full, e);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int dr_load_path(struct dr_state *s, const char *path, struct k8tls_err *e)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return load_dir(s, path, 0, e);
    return load_file(s, path, e);
}

struct dr_secret *dr_secret_find(struct dr_state *s, const char *name, const char *ns,
                                 const char *context)
{
    for (size_t i = 0; i < s->nsec; i++) {
        struct dr_secret *x = &s->sec[i];
        if (strcmp(x->name, name) != 0)
            continue;
        if (ns && x->ns && strcmp(ns, x->ns) != 0)
            continue;
        if (context && (!x->context || strcmp(context, x->context) != 0))
            continue;
        return x;
    }
    return NULL;
}

const struct dr_kv *dr_secret_key(const struct dr_secret *sec, const char *key)
{
    for (size_t i = 0; sec && i < sec->n; i++)
        if (strcmp(sec->kv[i].key, key) == 0)
            return &sec->kv[i];
    return NULL;
}
