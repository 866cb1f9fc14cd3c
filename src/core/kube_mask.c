/* Keeping Secret values out of what is shown: the secret strings of the bundle's Secrets, their
 * scrubbing from any text, and the masking of `kubectl diff` output (k8tls_kube_mask_diff in
 * kube.h). Calls only buf.c, secure.c and libyaml; called by kube.c. */
#include "config.h"
#include "kube_int.h"
#include "k8tls/buf.h"
#include "k8tls/kube.h"
#include "k8tls/secure.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define MIN_KNOWN_SECRET 6

void k8tls_kube_known_free(struct k8tls_kube_known *k)
{
    for (size_t i = 0; i < k->n; i++)
        k8tls_secure_free_str(k->v[i]);
    free(k->v);
    memset(k, 0, sizeof *k);
}

static void known_add(struct k8tls_kube_known *k, const char *s, size_t len)
{
    if (len < MIN_KNOWN_SECRET)
        return;
    for (size_t i = 0; i < k->n; i++)
        if (strlen(k->v[i]) == len && memcmp(k->v[i], s, len) == 0)
            return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        char **v = realloc(k->v, cap * sizeof *v);
        if (!v)
            return;
        k->v = v;
        k->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return;
    memcpy(c, s, len);
    c[len] = '\0';
    k->v[k->n++] = c;
}

static void known_add_decoded(struct k8tls_kube_known *k, const char *b64, size_t len)
{
    if (len < 4 || len > 64 * 1024)
        return;
    unsigned char *out = malloc(len);
    if (!out)
        return;
    int n = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len);
    if (n > 0) {
        /* EVP_DecodeBlock counts the padding bytes as zeros */
        size_t m = (size_t)n;
        for (size_t i = len; i > 0 && b64[i - 1] == '=' && m > 0; i--)
            m--;
        bool text = true;
        for (size_t i = 0; i < m; i++)
            if (out[i] < 0x20 || out[i] > 0x7e)
                text = false;
        if (text)
            known_add(k, (const char *)out, m);
        OPENSSL_cleanse(out, len);
    }
    free(out);
}

void k8tls_kube_known_collect(const unsigned char *yaml, size_t len, struct k8tls_kube_known *k)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return;
    yaml_parser_set_input_string(&parser, yaml, len);
    if (yaml_parser_load(&parser, &doc)) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
                 pr < root->data.mapping.pairs.top; pr++) {
                yaml_node_t *key = yaml_document_get_node(&doc, pr->key);
                yaml_node_t *val = yaml_document_get_node(&doc, pr->value);
                if (!key || !val || key->type != YAML_SCALAR_NODE || val->type != YAML_MAPPING_NODE)
                    continue;
                bool data = strcmp((const char *)key->data.scalar.value, "data") == 0;
                bool sdata = strcmp((const char *)key->data.scalar.value, "stringData") == 0;
                if (!data && !sdata)
                    continue;
                for (yaml_node_pair_t *q = val->data.mapping.pairs.start;
                     q < val->data.mapping.pairs.top; q++) {
                    yaml_node_t *v = yaml_document_get_node(&doc, q->value);
                    if (!v || v->type != YAML_SCALAR_NODE)
                        continue;
                    const char *s = (const char *)v->data.scalar.value;
                    known_add(k, s, v->data.scalar.length);
                    if (data)
                        known_add_decoded(k, s, v->data.scalar.length);
                }
            }
        }
        /* wipe the scalars of the loaded document before freeing it */
        for (yaml_node_t *n = doc.nodes.start; n < doc.nodes.top; n++)
            if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
                OPENSSL_cleanse(n->data.scalar.value, n->data.scalar.length);
        yaml_document_delete(&doc);
    }
    if (parser.raw_buffer.start)
        OPENSSL_cleanse(parser.raw_buffer.start,
                        (size_t)(parser.raw_buffer.end - parser.raw_buffer.start));
    if (parser.buffer.start)
        OPENSSL_cleanse(parser.buffer.start, (size_t)(parser.buffer.end - parser.buffer.start));
    yaml_parser_delete(&parser);
}

char *k8tls_kube_scrub(const char *text, const char *const *known, size_t n)
{
    struct k8tls_buf out = { 0 };
    const char *p = text;
    while (*p) {
        size_t best = 0;
        for (size_t i = 0; i < n; i++) {
            size_t l = strlen(known[i]);
            if (l >= MIN_KNOWN_SECRET && l > best && strncmp(p, known[i], l) == 0)
                best = l;
        }
        if (best) {
            if (!k8tls_buf_puts(&out, "***"))
                goto oom;
            p += best;
        } else {
            if (!k8tls_buf_add(&out, p, 1))
                goto oom;
            p++;
        }
    }
    return k8tls_buf_take(&out, NULL);
oom:
    k8tls_buf_free(&out);
    return NULL;
}

/* ---- masking kubectl diff output ---------------------------------------------------------- */

static bool is_kubectl_mask(const char *v)
{
    static const char *const masks[] = { "'***'", "'*** (before)'", "'*** (after)'", "***",
                                         NULL };
    for (int i = 0; masks[i]; i++)
        if (strcmp(v, masks[i]) == 0)
            return true;
    return false;
}

static bool is_metadata_key(const char *key, size_t len)
{
    static const char *const keys[] = {
        "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "labels",
        "annotations", "generation", "managedFields", "ownerReferences", "finalizers",
        "generateName", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", NULL };
    for (int i = 0; keys[i]; i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
            return true;
    return false;
}

/* Does a diff header line ("diff -u -N A B", "--- A", "+++ B") name a v1 Secret file?
 * kubectl names them <group.version>.<Kind>.<namespace>.<name>, e.g. v1.Secret.ns.name. */
static bool header_names_secret(const char *line, size_t len)
{
    for (size_t i = 0; i + 10 <= len; i++)
        if ((i == 0 || line[i - 1] == '/' || line[i - 1] == ' ') &&
            memcmp(line + i, "v1.Secret.", 10) == 0)
            return true;
    return false;
}

char *k8tls_kube_mask_diff(const char *diff, const char *const *known, size_t n)
{
    struct k8tls_buf out = { 0 };
    enum { SEC_UNKNOWN, SEC_DATA, SEC_OTHER } section = SEC_UNKNOWN;
    bool in_secret = false;
    const char *p = diff ? diff : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *line = p;
        p += len + (nl ? 1 : 0);
        bool masked = false;
        if (len >= 5 && memcmp(line, "diff ", 5) == 0) {
            in_secret = header_names_secret(line, len);
            section = SEC_UNKNOWN;
        } else if (len >= 4 && (memcmp(line, "--- ", 4) == 0 || memcmp(line, "+++ ", 4) == 0)) {
            if (header_names_secret(line, len))
                in_secret = true;
            section = SEC_UNKNOWN;
        } else if (len >= 2 && memcmp(line, "@@", 2) == 0) {
            section = SEC_UNKNOWN;
        } else if (in_secret && len >= 1 && (line[0] == ' ' || line[0] == '+' || line[0] == '-')) {
            const char *body = line + 1;
            size_t blen = len - 1, indent = 0;
            while (indent < blen && body[indent] == ' ')
                indent++;
            const char *rest = body + indent;
            size_t rlen = blen - indent;
            if (rlen == 0) {
                /* blank line: keep */
            } else if (indent == 0) {
                bool data = (rlen >= 5 && memcmp(rest, "data:", 5) == 0) ||
                            (rlen >= 11 && memcmp(rest, "stringData:", 11) == 0);
                section = data ? SEC_DATA : SEC_OTHER;
                const char *colon = memchr(rest, ':', rlen);
                if (data && colon && (size_t)(colon - rest) + 1 < rlen) {
                    /* "data: {...}" on one line */
                    if (!k8tls_buf_add(&out, line, (size_t)(colon - line) + 1) ||
                        !k8tls_buf_puts(&out, " ***\n"))
                        goto oom;
                    masked = true;
                }
            } else if (section == SEC_DATA || (section == SEC_UNKNOWN && indent == 2 &&
                                               rest[0] != '-')) {
                const char *sep = NULL;
                for (size_t i = 0; i < rlen; i++)
                    if (rest[i] == ':' && (i + 1 == rlen || rest[i + 1] == ' ')) {
                        sep = rest + i;
                        break;
                    }
                bool keep = false;
                if (section == SEC_UNKNOWN && (!sep || is_metadata_key(rest, (size_t)(sep - rest))))
                    keep = true;
                if (sep && !keep) {
                    const char *v = sep + 1;
                    while (v < rest + rlen && *v == ' ')
                        v++;
                    size_t vlen = (size_t)(rest + rlen - v);
                    char vbuf[32];
                    if (vlen < sizeof vbuf) {
                        memcpy(vbuf, v, vlen);
                        vbuf[vlen] = '\0';
                    }
                    if (vlen == 0 || (vlen < sizeof vbuf && is_kubectl_mask(vbuf)) ||
                        (vlen <= 3 && (v[0] == '|' || v[0] == '>')))
                        keep = true;    /* a block value follows, or kubectl masked it already */
                    else {
                        if (!k8tls_buf_add(&out, line, (size_t)(sep - line) + 1) ||
                            !k8tls_buf_puts(&out, " ***\n"))
                            goto oom;
                        masked = true;
                    }
                } else if (!keep && section == SEC_DATA) {
                    /* a continuation line of a block value */
                    if (!k8tls_buf_add(&out, line, 1 + indent) || !k8tls_buf_puts(&out, "***\n"))
                        goto oom;
                    masked = true;
                }
            }
        }
        if (!masked && (!k8tls_buf_add(&out, line, len) || (nl && !k8tls_buf_puts(&out, "\n"))))
            goto oom;
    }
    if (!out.p && !k8tls_buf_add(&out, "", 0))
        goto oom;
    char *res = k8tls_kube_scrub(out.p, known, n);
    k8tls_buf_free(&out);
    return res;
oom:
    k8tls_buf_free(&out);
    return NULL;
}

