/* Inspect's reading of Kubernetes Secret YAML files (one or more documents, or a List): each
 * Secret's data (base64) and stringData become a group of blobs, with the problems found on the
 * way. Nothing is reported here: inspect_walk.c turns the result into report items and checks
 * the groups. Calls inspect_group.c (groups), yamlutil.h and libyaml; no other inspect file. */
#include "config.h"
#include "inspect_int.h"
#include "k8tls/yamlutil.h"
#include "k8tls/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <yaml.h>

#define SECRET_MAX_KEYS 256
#define YAML_MAX_DOCS 64

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

/* A new Secret at the end of f; NULL when out of memory. */
static struct insp_secret *secret_new(struct insp_secret_file *f, const char *where,
                                      const struct k8tls_inspect_opts *o)
{
    struct insp_secret *v = realloc(f->v, (f->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    f->v = v;
    struct insp_secret *s = &f->v[f->n];
    memset(s, 0, sizeof *s);
    s->where = strdup(where);
    if (!s->where)
        return NULL;
    s->g.o = o;
    s->g.in_secret = true;
    k8tls_diags_init(&s->pre);
    f->n++;
    return s;
}

static void secret_doc(struct insp_secret_file *f, const char *display, yaml_document_t *doc,
                       yaml_node_t *node, const struct k8tls_inspect_opts *o, int depth)
{
    const char *kind = k8tls_yaml_scalar(k8tls_yaml_map_get(doc, node, "kind"));
    if (f->first_kind[0] == '\0')
        snprintf(f->first_kind, sizeof f->first_kind, "%s", kind ? kind : "-");
    if (kind && strcmp(kind, "List") == 0 && depth == 0) {
        yaml_node_t *items = k8tls_yaml_map_get(doc, node, "items");
        for (size_t i = 0; i < k8tls_yaml_seq_len(items) && i < 1000; i++)
            secret_doc(f, display, doc, k8tls_yaml_seq_item(doc, items, i), o, depth + 1);
        return;
    }
    if (!kind || strcmp(kind, "Secret") != 0)
        return;
    f->count++;
    const char *name = k8tls_yaml_scalar(k8tls_yaml_map_get(doc, k8tls_yaml_map_get(doc, node, "metadata"), "name"));
    char where[1024];
    snprintf(where, sizeof where, _("%s: Secret %s"), display, name ? name : "?");
    struct insp_secret *sec = secret_new(f, where, o);
    if (!sec)
        return;
    struct group *g = &sec->g;
    static const char *const sections[] = { "data", "stringData" };
    bool bad_section = false;
    for (int s = 0; s < 2; s++) {
        yaml_node_t *m = k8tls_yaml_map_get(doc, node, sections[s]);
        if (m && m->type != YAML_MAPPING_NODE
            && !(m->type == YAML_SCALAR_NODE && k8tls_yaml_scalar_len(m) == 0)) {
            /* 'data: abc' or a list: the Secret's content cannot be read */
            note(&sec->pre, K8TLS_SEV_ERROR, _("'%s' is not a mapping of keys to values"), sections[s]);
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
            insp_group_add(g, key, disp, data, err, !insp_is_password_name(key) || err);
        }
    }
    size_t reported = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].report)
            reported++;
    if (g->n == 0 && !bad_section)
        note(&sec->pre, K8TLS_SEV_WARNING, "%s", _("the Secret has no data"));
    else if (g->n > 0 && reported == 0)
        /* only passwords: nothing they open is here */
        note(&sec->pre, K8TLS_SEV_WARNING, "%s",
             _("the Secret holds only passwords: no store or certificate to check"));
}

void insp_secret_file_read(struct insp_secret_file *f, const char *display,
                           const unsigned char *data, size_t len,
                           const struct k8tls_inspect_opts *o, bool quiet_if_none)
{
    memset(f, 0, sizeof *f);
    yaml_parser_t parser;
    struct k8tls_err de;
    if (!yaml_parser_initialize(&parser))
        return;
    yaml_parser_set_input_string(&parser, data, len);
    /* stop at the depth limit before libyaml builds (slowly) a deeper tree */
    k8tls_err_clear(&de);
    if (k8tls_yaml_check_depth(display, (const char *)data, len, K8TLS_YAML_MAX_DEPTH, &de) < 0) {
        if (quiet_if_none) {
            yaml_parser_delete(&parser);
            return;
        }
        snprintf(f->err, sizeof f->err, _("YAML error at line %d, column %d: %s"), de.line, de.col,
                 de.msg);
    }
    for (int nd = 0; nd < YAML_MAX_DOCS && !f->err[0]; nd++) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            snprintf(f->err, sizeof f->err, _("YAML error at line %zu, column %zu: %s"),
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
            secret_doc(f, display, &doc, root, o, 0);
        else if (!f->first_kind[0])
            snprintf(f->first_kind, sizeof f->first_kind, "-");
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
}

void insp_secret_file_free(struct insp_secret_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].where);
        insp_group_free(&f->v[i].g);
        k8tls_diags_free(&f->v[i].pre);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}
