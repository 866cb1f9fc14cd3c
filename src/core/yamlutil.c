/* libyaml helpers: loading with positions, typed scalar access, building and dumping documents.
 * See include/k8tls/yamlutil.h for the contract. */
#include "config.h"
#include "k8tls/buf.h"
#include "k8tls/yamlutil.h"
#include "k8tls/i18n.h"
#include "k8tls/infile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

/* ---- reading --------------------------------------------------------------------------- */

int k8tls_yaml_read_file(const char *path, size_t max, char **buf, size_t *len,
                         struct k8tls_err *e)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? _("<stdin>") : path;
    *buf = NULL;
    *len = 0;
    /* a FIFO, a directory, a device: refused (stdin, "-", may be a pipe) */
    FILE *f = is_stdin ? stdin : k8tls_fopen_input(path, NULL, e);
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    if (!b)
        goto oom;
    for (;;) {
        if (n == cap) {
            if (cap > max)
                break;
            cap *= 2;
            char *nb = realloc(b, cap + 1);
            if (!nb)
                goto oom;
            b = nb;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        k8tls_err_set(e, name, 0, 0, _("cannot read: %s"), strerror(errno));
        goto fail;
    }
    if (n > max) {
        k8tls_err_set(e, name, 0, 0, _("the file is larger than %zu bytes"), max);
        goto fail;
    }
    if (!is_stdin)
        fclose(f);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
oom:
    k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
fail:
    free(b);
    if (!is_stdin)
        fclose(f);
    return -1;
}

/* line/column (1-based) of a byte offset, for reader errors that give only an offset */
static void offset_pos(const char *buf, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void parser_error(const yaml_parser_t *ps, const char *name, const char *buf, size_t len,
                         struct k8tls_err *e)
{
    int line, col;
    if (ps->error == YAML_READER_ERROR) {
        offset_pos(buf, len, ps->problem_offset, &line, &col);
    } else {
        line = (int)ps->problem_mark.line + 1;
        col = (int)ps->problem_mark.column + 1;
    }
    const char *problem = ps->problem ? ps->problem : _("unknown problem");
    if (ps->error == YAML_MEMORY_ERROR)
        k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
    else if (ps->context)
        k8tls_err_set(e, name, line, col, _("YAML syntax error: %s %s"), problem, ps->context);
    else
        k8tls_err_set(e, name, line, col, _("YAML syntax error: %s"), problem);
}

/* What a parser holds of the input: its buffers and the scalars of the tokens it has scanned
 * ahead (the input may be a Secret or a kubeconfig). */
static void wipe_parser(yaml_parser_t *ps)
{
    if (ps->raw_buffer.start)
        OPENSSL_cleanse(ps->raw_buffer.start, (size_t)(ps->raw_buffer.end - ps->raw_buffer.start));
    if (ps->buffer.start)
        OPENSSL_cleanse(ps->buffer.start, (size_t)(ps->buffer.end - ps->buffer.start));
    for (yaml_token_t *t = ps->tokens.head; t && t < ps->tokens.tail; t++)
        if (t->type == YAML_SCALAR_TOKEN && t->data.scalar.value)
            OPENSSL_cleanse(t->data.scalar.value, t->data.scalar.length);
}

int k8tls_yaml_check_depth(const char *name, const char *buf, size_t len, int max_depth,
                           struct k8tls_err *e)
{
    yaml_parser_t ps;
    int depth = 0, rc = 0;
    if (!yaml_parser_initialize(&ps)) {
        k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    for (bool done = false; !done;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev))
            break;   /* a syntax error: the loader that follows reports it */
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > max_depth) {
                k8tls_err_set(e, name, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                              _("mappings and lists nested deeper than %d levels: reading "
                                "stopped here"),
                              max_depth);
                rc = -1;
                done = true;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_SCALAR_EVENT:
            OPENSSL_cleanse(ev.data.scalar.value, ev.data.scalar.length);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    wipe_parser(&ps);
    yaml_parser_delete(&ps);
    return rc;
}

int k8tls_yaml_load(const char *name, const char *buf, size_t len, yaml_document_t *doc,
                    struct k8tls_err *e)
{
    yaml_parser_t ps;
    if (len > K8TLS_YAML_MAX_INPUT) {
        k8tls_err_set(e, name, 0, 0, _("the file is larger than %zu bytes"),
                      (size_t)K8TLS_YAML_MAX_INPUT);
        return -1;
    }
    /* libyaml's scanner costs time quadratic in the nesting depth, and its loader would build
     * the whole tree before we could look at the depth: stop at the limit first */
    if (k8tls_yaml_check_depth(name, buf, len, K8TLS_YAML_MAX_DEPTH, e) < 0)
        return -1;
    if (!yaml_parser_initialize(&ps)) {
        k8tls_err_set(e, name, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&ps, doc)) {
        parser_error(&ps, name, buf, len, e);
        yaml_parser_delete(&ps);
        return -1;
    }
    if (yaml_document_get_root_node(doc)) {
        yaml_document_t more;
        if (!yaml_parser_load(&ps, &more)) {
            parser_error(&ps, name, buf, len, e);
            yaml_document_delete(doc);
            yaml_parser_delete(&ps);
            return -1;
        }
        yaml_node_t *r = yaml_document_get_root_node(&more);
        if (r) {
            struct k8tls_pos at = k8tls_yaml_pos(r);
            k8tls_err_set(e, name, at.line, at.col, "%s",
                          _("a second YAML document: only one is expected"));
            yaml_document_delete(&more);
            yaml_document_delete(doc);
            yaml_parser_delete(&ps);
            return -1;
        }
        yaml_document_delete(&more);
    }
    yaml_parser_delete(&ps);
    return 0;
}

struct k8tls_pos k8tls_yaml_pos(const yaml_node_t *n)
{
    struct k8tls_pos p = {0, 0};
    if (n) {
        p.line = (int)n->start_mark.line + 1;
        p.col = (int)n->start_mark.column + 1;
    }
    return p;
}

const char *k8tls_yaml_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

size_t k8tls_yaml_scalar_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? n->data.scalar.length : 0;
}

bool k8tls_yaml_is_plain(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool k8tls_yaml_is_null(const yaml_node_t *n)
{
    if (!n)
        return true;
    if (!k8tls_yaml_is_plain(n))
        return false;
    const char *s = k8tls_yaml_scalar(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

int k8tls_yaml_get_bool(const yaml_node_t *n, bool *out)
{
    if (!k8tls_yaml_is_plain(n))
        return -1;
    const char *s = k8tls_yaml_scalar(n);
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
        *out = true;
        return 0;
    }
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
        *out = false;
        return 0;
    }
    return -1;
}

int k8tls_yaml_get_long(const yaml_node_t *n, long *out)
{
    if (!k8tls_yaml_is_plain(n))
        return -1;
    const char *s = k8tls_yaml_scalar(n);
    const char *d = s + (*s == '-' || *s == '+');
    if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(s) != k8tls_yaml_scalar_len(n))
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

const char *k8tls_yaml_kind_name(const yaml_node_t *n)
{
    if (!n || k8tls_yaml_is_null(n))
        return _("nothing");
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return _("a mapping");
    case YAML_SEQUENCE_NODE:
        return _("a list");
    default:
        return _("a text value");
    }
}

yaml_node_t *k8tls_yaml_map_get(yaml_document_t *d, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        const char *ks = k8tls_yaml_scalar(k);
        if (ks && strlen(ks) == k8tls_yaml_scalar_len(k) && strcmp(ks, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

size_t k8tls_yaml_seq_len(const yaml_node_t *seq)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *k8tls_yaml_seq_item(yaml_document_t *d, const yaml_node_t *seq, size_t i)
{
    if (i >= k8tls_yaml_seq_len(seq))
        return NULL;
    return yaml_document_get_node(d, seq->data.sequence.items.start[i]);
}

size_t k8tls_yaml_map_len(const yaml_node_t *map)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

yaml_node_t *k8tls_yaml_map_key(yaml_document_t *d, const yaml_node_t *map, size_t i)
{
    if (i >= k8tls_yaml_map_len(map))
        return NULL;
    return yaml_document_get_node(d, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *k8tls_yaml_map_value(yaml_document_t *d, const yaml_node_t *map, size_t i)
{
    if (i >= k8tls_yaml_map_len(map))
        return NULL;
    return yaml_document_get_node(d, map->data.mapping.pairs.start[i].value);
}

/* ---- writing --------------------------------------------------------------------------- */

int k8tls_yaml_doc_init(yaml_document_t *d)
{
    return yaml_document_initialize(d, NULL, NULL, NULL, 1, 1) ? 0 : -1;
}

bool k8tls_yaml_needs_quotes(const char *s)
{
    static const char *const words[] = {
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=", NULL,
    };
    if (!s || !*s)
        return true;
    for (int i = 0; words[i]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    /* anything that may read as a number, a timestamp, .inf or .nan in YAML 1.1 or 1.2 */
    if (strchr("0123456789+-.", s[0]))
        return true;
    size_t n = strlen(s);
    if (s[0] == ' ' || s[n - 1] == ' ')
        return true;
    return false;
}

static int add_scalar(yaml_document_t *d, const char *s, yaml_scalar_style_t style)
{
    return yaml_document_add_scalar(d, NULL, (yaml_char_t *)s, (int)strlen(s), style);
}

int k8tls_yaml_add_str(yaml_document_t *d, const char *s)
{
    if (!s)
        s = "";
    return add_scalar(d, s, k8tls_yaml_needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                       : YAML_PLAIN_SCALAR_STYLE);
}

int k8tls_yaml_add_int(yaml_document_t *d, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return add_scalar(d, buf, YAML_PLAIN_SCALAR_STYLE);
}

int k8tls_yaml_add_bool(yaml_document_t *d, bool v)
{
    return add_scalar(d, v ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
}

int k8tls_yaml_add_map(yaml_document_t *d, bool flow)
{
    return yaml_document_add_mapping(d, NULL, flow ? YAML_FLOW_MAPPING_STYLE
                                                   : YAML_BLOCK_MAPPING_STYLE);
}

int k8tls_yaml_add_seq(yaml_document_t *d, bool flow)
{
    return yaml_document_add_sequence(d, NULL, flow ? YAML_FLOW_SEQUENCE_STYLE
                                                    : YAML_BLOCK_SEQUENCE_STYLE);
}

int k8tls_yaml_map_add(yaml_document_t *d, int map, const char *key, int value)
{
    if (map <= 0 || value <= 0)
        return -1;
    int k = add_scalar(d, key, k8tls_yaml_needs_quotes(key) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                            : YAML_PLAIN_SCALAR_STYLE);
    if (k <= 0)
        return -1;
    return yaml_document_append_mapping_pair(d, map, k, value) ? 0 : -1;
}

int k8tls_yaml_map_str(yaml_document_t *d, int map, const char *key, const char *v)
{
    return k8tls_yaml_map_add(d, map, key, k8tls_yaml_add_str(d, v));
}

int k8tls_yaml_map_int(yaml_document_t *d, int map, const char *key, long v)
{
    return k8tls_yaml_map_add(d, map, key, k8tls_yaml_add_int(d, v));
}

int k8tls_yaml_map_bool(yaml_document_t *d, int map, const char *key, bool v)
{
    return k8tls_yaml_map_add(d, map, key, k8tls_yaml_add_bool(d, v));
}

int k8tls_yaml_seq_add(yaml_document_t *d, int seq, int item)
{
    if (seq <= 0 || item <= 0)
        return -1;
    return yaml_document_append_sequence_item(d, seq, item) ? 0 : -1;
}

static int write_handler(void *data, unsigned char *buf, size_t size)
{
    return k8tls_buf_add(data, buf, size) ? 1 : 0;
}

int k8tls_yaml_dump(yaml_document_t *d, char **buf, size_t *len, struct k8tls_err *e)
{
    yaml_emitter_t em;
    struct k8tls_buf o = {0};
    *buf = NULL;
    if (len)
        *len = 0;
    if (!yaml_emitter_initialize(&em)) {
        yaml_document_delete(d);
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_emitter_set_output(&em, write_handler, &o);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_indent(&em, 2);
    yaml_emitter_set_width(&em, -1);
    yaml_emitter_set_break(&em, YAML_LN_BREAK);
    int ok = yaml_emitter_open(&em);
    if (ok) {
        /* yaml_emitter_dump deletes the document, whether it succeeds or not */
        ok = yaml_emitter_dump(&em, d) && yaml_emitter_close(&em) && yaml_emitter_flush(&em);
    } else {
        yaml_document_delete(d);
    }
    if (!ok) {
        k8tls_err_set(e, NULL, 0, 0, _("cannot write YAML: %s"),
                      o.oom ? _("out of memory") : em.problem ? em.problem : "?");
        yaml_emitter_delete(&em);
        k8tls_buf_free(&o);
        return -1;
    }
    yaml_emitter_delete(&em);
    if (!(*buf = k8tls_buf_take(&o, len))) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}
