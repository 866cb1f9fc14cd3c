/* libyaml document helpers for the bundle work (see ydoc.h). */
#include "config.h"
#include "ydoc.h"
#include "k8tls/buf.h"
#include "k8tls/yamlutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

#define YDOC_MAX_DEPTH 64

int ydoc_init(struct ydoc *y)
{
    memset(y, 0, sizeof *y);
    if (!yaml_document_initialize(&y->doc, NULL, NULL, NULL, 1, 1)) {
        y->oom = true;
        return -1;
    }
    return 0;
}

void ydoc_free(struct ydoc *y)
{
    if (!y)
        return;
    yaml_document_delete(&y->doc);
    memset(y, 0, sizeof *y);
}

yaml_node_t *ydoc_node(struct ydoc *y, int id)
{
    if (id <= 0)
        return NULL;
    return yaml_document_get_node(&y->doc, id);
}

int ydoc_root(struct ydoc *y)
{
    return yaml_document_get_root_node(&y->doc) ? 1 : 0;
}

/* ---- scalars ---------------------------------------------------------------------------- */

bool ydoc_plain_is_ambiguous(const char *s)
{
    return k8tls_yaml_needs_quotes(s);
}

static int add_scalar(struct ydoc *y, const char *s, yaml_scalar_style_t style)
{
    if (y->oom)
        return 0;
    int id = yaml_document_add_scalar(&y->doc, NULL, (yaml_char_t *)(s ? s : ""),
                                      (int)strlen(s ? s : ""), style);
    if (!id)
        y->oom = true;
    return id;
}

int ydoc_str(struct ydoc *y, const char *s)
{
    return add_scalar(y, s, ydoc_plain_is_ambiguous(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                       : YAML_ANY_SCALAR_STYLE);
}

int ydoc_str_quoted(struct ydoc *y, const char *s)
{
    return add_scalar(y, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* The default (str) tag with a plain style: resolvers read these as a boolean / an integer. The
 * emitter writes them plain because the tag is the implicit one. */
int ydoc_bool(struct ydoc *y, bool v)
{
    return add_scalar(y, v ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
}

int ydoc_int(struct ydoc *y, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return add_scalar(y, buf, YAML_PLAIN_SCALAR_STYLE);
}

int ydoc_map(struct ydoc *y)
{
    if (y->oom)
        return 0;
    int id = yaml_document_add_mapping(&y->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    if (!id)
        y->oom = true;
    return id;
}

int ydoc_seq(struct ydoc *y)
{
    if (y->oom)
        return 0;
    int id = yaml_document_add_sequence(&y->doc, NULL, YAML_BLOCK_SEQUENCE_STYLE);
    if (!id)
        y->oom = true;
    return id;
}

const char *ydoc_scalar(struct ydoc *y, int id)
{
    yaml_node_t *n = ydoc_node(y, id);
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

bool ydoc_is_map(struct ydoc *y, int id)
{
    yaml_node_t *n = ydoc_node(y, id);
    return n && n->type == YAML_MAPPING_NODE;
}

bool ydoc_is_seq(struct ydoc *y, int id)
{
    yaml_node_t *n = ydoc_node(y, id);
    return n && n->type == YAML_SEQUENCE_NODE;
}

void ydoc_set_style(struct ydoc *y, int id, yaml_scalar_style_t style)
{
    yaml_node_t *n = ydoc_node(y, id);
    if (n && n->type == YAML_SCALAR_NODE)
        n->data.scalar.style = style;
}

/* ---- mappings and sequences ------------------------------------------------------------- */

int ydoc_map_add(struct ydoc *y, int map, const char *key, int value)
{
    if (y->oom || !map || !value)
        return 0;
    int k = ydoc_str(y, key);
    if (!k)
        return 0;
    if (!yaml_document_append_mapping_pair(&y->doc, map, k, value)) {
        y->oom = true;
        return 0;
    }
    return value;
}

int ydoc_seq_add(struct ydoc *y, int seq, int item)
{
    if (y->oom || !seq || !item)
        return 0;
    if (!yaml_document_append_sequence_item(&y->doc, seq, item)) {
        y->oom = true;
        return 0;
    }
    return item;
}

static bool key_is(struct ydoc *y, int key, const char *name)
{
    const char *k = ydoc_scalar(y, key);
    return k && strcmp(k, name) == 0;
}

int ydoc_map_get(struct ydoc *y, int map, const char *key)
{
    yaml_node_t *n = ydoc_node(y, map);
    if (!n || n->type != YAML_MAPPING_NODE)
        return 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        if (key_is(y, p->key, key))
            return p->value;
    return 0;
}

size_t ydoc_map_len(struct ydoc *y, int map)
{
    yaml_node_t *n = ydoc_node(y, map);
    if (!n || n->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

int ydoc_map_set(struct ydoc *y, int map, const char *key, int value)
{
    if (y->oom || !value)
        return 0;
    yaml_node_t *n = ydoc_node(y, map);
    if (!n || n->type != YAML_MAPPING_NODE)
        return 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        if (key_is(y, p->key, key)) {
            p->value = value;
            return value;
        }
    return ydoc_map_add(y, map, key, value);
}

bool ydoc_map_remove(struct ydoc *y, int map, const char *key)
{
    yaml_node_t *n = ydoc_node(y, map);
    bool removed = false;
    if (!n || n->type != YAML_MAPPING_NODE)
        return false;
    yaml_node_pair_t *p = n->data.mapping.pairs.start;
    while (p < n->data.mapping.pairs.top) {
        if (key_is(y, p->key, key)) {
            memmove(p, p + 1, (size_t)(n->data.mapping.pairs.top - p - 1) * sizeof *p);
            n->data.mapping.pairs.top--;
            removed = true;
        } else {
            p++;
        }
    }
    return removed;
}

int ydoc_map_ensure(struct ydoc *y, int map, const char *key, int *bad)
{
    if (bad)
        *bad = 0;
    int v = ydoc_map_get(y, map, key);
    if (v) {
        if (ydoc_is_map(y, v))
            return v;
        /* An explicit null (`config:` with nothing) becomes a mapping. */
        const char *s = ydoc_scalar(y, v);
        yaml_node_t *n = ydoc_node(y, v);
        if (s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (!*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0))
            return ydoc_map_set(y, map, key, ydoc_map(y));
        if (bad)
            *bad = v;
        return 0;
    }
    return ydoc_map_add(y, map, key, ydoc_map(y));
}

static bool equal_at(struct ydoc *y, int a, int b, int depth)
{
    if (a == b)
        return true;
    if (depth > YDOC_MAX_DEPTH)
        return false;
    yaml_node_t *na = ydoc_node(y, a), *nb = ydoc_node(y, b);
    if (!na || !nb || na->type != nb->type)
        return false;
    switch (na->type) {
    case YAML_SCALAR_NODE: {
        if (na->data.scalar.length != nb->data.scalar.length ||
            memcmp(na->data.scalar.value, nb->data.scalar.value, na->data.scalar.length) != 0)
            return false;
        /* "true" (a string) is not true (a boolean); "abc" and abc are the same string. */
        bool pa = na->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
                  na->data.scalar.style == YAML_ANY_SCALAR_STYLE;
        bool pb = nb->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
                  nb->data.scalar.style == YAML_ANY_SCALAR_STYLE;
        return pa == pb || !k8tls_yaml_needs_quotes((const char *)na->data.scalar.value);
    }
    case YAML_SEQUENCE_NODE: {
        ptrdiff_t la = na->data.sequence.items.top - na->data.sequence.items.start;
        ptrdiff_t lb = nb->data.sequence.items.top - nb->data.sequence.items.start;
        if (la != lb)
            return false;
        for (ptrdiff_t i = 0; i < la; i++)
            if (!equal_at(y, na->data.sequence.items.start[i], nb->data.sequence.items.start[i],
                          depth + 1))
                return false;
        return true;
    }
    case YAML_MAPPING_NODE: {
        if (ydoc_map_len(y, a) != ydoc_map_len(y, b))
            return false;
        for (yaml_node_pair_t *p = na->data.mapping.pairs.start; p < na->data.mapping.pairs.top;
             p++) {
            const char *k = ydoc_scalar(y, p->key);
            if (!k)
                return false;
            int vb = ydoc_map_get(y, b, k);
            if (!vb || !equal_at(y, p->value, vb, depth + 1))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

bool ydoc_equal(struct ydoc *y, int a, int b)
{
    return equal_at(y, a, b, 0);
}

/* ---- emitting --------------------------------------------------------------------------- */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    struct k8tls_buf *b = data;
    k8tls_buf_add(b, buffer, size);
    return b->oom ? 0 : 1;
}

int ydoc_emit(struct ydoc *docs, size_t n, char **out, size_t *len, const char **err)
{
    yaml_emitter_t em;
    struct k8tls_buf b = {0};
    int rc = -1;
    size_t i = 0;

    *out = NULL;
    *len = 0;
    *err = "out of memory";
    if (!yaml_emitter_initialize(&em))
        goto free_docs;
    yaml_emitter_set_output(&em, write_handler, &b);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_indent(&em, 2);
    yaml_emitter_set_width(&em, -1);
    if (!yaml_emitter_open(&em))
        goto done;
    for (; i < n; i++) {
        if (docs[i].oom)
            goto done;                     /* deleted below with the rest */
        if (!yaml_document_get_root_node(&docs[i].doc)) {
            yaml_document_delete(&docs[i].doc);   /* an empty document would close the stream */
            continue;
        }
        int ok = yaml_emitter_dump(&em, &docs[i].doc);   /* deletes the document */
        if (!ok) {
            *err = em.problem ? em.problem : "the YAML emitter failed";
            i++;
            goto done;
        }
    }
    if (!yaml_emitter_close(&em) || !yaml_emitter_flush(&em) || b.oom)
        goto done;
    if (!b.p)
        k8tls_buf_add(&b, "", 0);
    if (b.oom)
        goto done;
    *out = b.p;
    *len = b.len;
    b.p = NULL;
    rc = 0;
done:
    /* libyaml frees its buffers without wiping them: wipe what we can reach. */
    if (em.buffer.start)
        OPENSSL_cleanse(em.buffer.start, (size_t)(em.buffer.end - em.buffer.start));
    if (em.raw_buffer.start)
        OPENSSL_cleanse(em.raw_buffer.start, (size_t)(em.raw_buffer.end - em.raw_buffer.start));
    yaml_emitter_delete(&em);
    k8tls_buf_free(&b);
free_docs:
    for (; i < n; i++)
        yaml_document_delete(&docs[i].doc);
    return rc;
}
