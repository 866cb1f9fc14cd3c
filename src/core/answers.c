/* The answers file: loaded over the defaults with libyaml's document API, reporting
 * every problem with FILE:LINE:COL, the key path and what is expected; written back through
 * libyaml, one top-level section per emitter run so that comments can sit between sections. */
#include "config.h"
#include "k8tls/buf.h"
#include "k8tls/answers.h"
#include "k8tls/plan_table.h"
#include "k8tls/yamlutil.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_MAX_LEN 256

/* ---- loading --------------------------------------------------------------------------- */

/* A password field given in the file, and the key path it was given at. */
struct pw_given {
    const void *field;
    char path[PATH_MAX_LEN];
};

struct ld {
    const char *file;
    yaml_document_t *doc;
    struct k8tls_plan *p;
    struct k8tls_diags *d;
    /* the fields given in the file; every byte of it is written before use, so that it never
     * holds what a freed buffer of libyaml held (the file's passwords) */
    const void **given;
    size_t n_given, cap_given;
    struct pw_given pw[16];
    size_t n_pw;
};

static void diag_at(struct ld *l, const yaml_node_t *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void diag_at(struct ld *l, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_pos at = k8tls_yaml_pos(n);
    k8tls_diags_add(l->d, K8TLS_SEV_ERROR, l->file, at.line, at.col, path, "%s", msg);
}

/* path.key into out (PATH_MAX_LEN); key paths are short, a longer one is cut. Returns false
 * when it was cut. */
static bool join(char *out, const char *path, const char *key)
{
    int n;
    if (path && *path)
        n = snprintf(out, PATH_MAX_LEN, "%s.%s", path, key);
    else
        n = snprintf(out, PATH_MAX_LEN, "%s", key);
    return n >= 0 && n < PATH_MAX_LEN;
}

static void list_names(char *out, size_t len, const char *const *names)
{
    out[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", i ? ", " : "", names[i]);
    }
}

/* The keys of a table, as check_map lists them. */
static void list_keys(char *out, size_t len, const struct k8tls_key *t)
{
    out[0] = '\0';
    for (size_t i = 0, k = 0; t[i].name; i++) {
        if (t[i].flags & K8TLS_KF_HIDDEN)
            continue;
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", k++ ? ", " : "", t[i].name);
    }
}

static bool table_has(const struct k8tls_key *t, const char *key)
{
    for (size_t i = 0; t[i].name; i++)
        if (!(t[i].flags & K8TLS_KF_HIDDEN) && strcmp(t[i].name, key) == 0)
            return true;
    return false;
}

/* Text of a scalar for a message: bounded, so that hostile input cannot flood the terminal. */
static const char *shown(const yaml_node_t *n, char *buf, size_t len)
{
    const char *s = k8tls_yaml_scalar(n);
    if (!s)
        return k8tls_yaml_kind_name(n);
    size_t i = 0, o = 0;
    while (s[i] && o + 4 < len && i < 60) {
        unsigned char c = (unsigned char)s[i++];
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (s[i] && o + 4 <= len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static void record(struct ld *l, const char *path, const yaml_node_t *n)
{
    k8tls_plan_set_pos(l->p, path, k8tls_yaml_pos(n));
}

/* A mapping whose keys must be the keys of table t. Null (an empty value) is taken as "nothing
 * given". Reports non-mappings, unknown and duplicate keys. Returns true when n is a mapping. */
static bool check_map(struct ld *l, const yaml_node_t *n, const char *path,
                      const struct k8tls_key *t)
{
    char sub[PATH_MAX_LEN], names[512], sh[80];
    if (!n || k8tls_yaml_is_null(n))
        return false;
    if (n->type != YAML_MAPPING_NODE) {
        diag_at(l, n, path, _("expected a mapping, found %s"), k8tls_yaml_kind_name(n));
        return false;
    }
    record(l, path, n);
    size_t len = k8tls_yaml_map_len(n);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *k = k8tls_yaml_map_key(l->doc, n, i);
        const char *ks = k8tls_yaml_scalar(k);
        if (!ks || strlen(ks) != k8tls_yaml_scalar_len(k)) {
            diag_at(l, k, path, _("a key must be a text value, found %s"),
                    k8tls_yaml_kind_name(k));
            continue;
        }
        join(sub, path, shown(k, sh, sizeof sh));
        if (!table_has(t, ks)) {
            list_keys(names, sizeof names, t);
            diag_at(l, k, sub, _("unknown key; expected one of: %s"), names);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const char *prev = k8tls_yaml_scalar(k8tls_yaml_map_key(l->doc, n, j));
            if (prev && strcmp(prev, ks) == 0) {
                diag_at(l, k, sub, _("the key is given twice (first on line %d)"),
                        k8tls_yaml_pos(k8tls_yaml_map_key(l->doc, n, j)).line);
                break;
            }
        }
    }
    return true;
}

/* The value for key (NULL when absent); records its position under path.key into sub. */
static yaml_node_t *field(struct ld *l, const yaml_node_t *map, const char *path, const char *key,
                          char *sub)
{
    join(sub, path, key);
    yaml_node_t *v = k8tls_yaml_map_get(l->doc, map, key);
    if (v)
        record(l, sub, v);
    return v;
}

static bool scalar_ok(struct ld *l, const yaml_node_t *v, const char *path, const char *expected)
{
    if (v->type != YAML_SCALAR_NODE) {
        diag_at(l, v, path, _("expected %s, found %s"), expected, k8tls_yaml_kind_name(v));
        return false;
    }
    if (strlen(k8tls_yaml_scalar(v)) != k8tls_yaml_scalar_len(v)) {
        diag_at(l, v, path, _("expected %s, found a value with a NUL character"), expected);
        return false;
    }
    return true;
}

/* Text that is not a whole number. */
static void bad_number(struct ld *l, const yaml_node_t *v, const char *path)
{
    char sh[80];
    diag_at(l, v, path, _("expected a whole number, found '%s'"), shown(v, sh, sizeof sh));
}

/* A whole number too large for the plan: named with the range its row's check accepts. */
static void number_out_of_range(struct ld *l, const yaml_node_t *v, const char *path, long min,
                                long max)
{
    char sh[80];
    diag_at(l, v, path, _("'%s' is out of range: expected a whole number from %ld to %ld"),
            shown(v, sh, sizeof sh), min, max);
}

/* A plain scalar written as a whole number ([+-]digits), whatever its size. */
static bool whole_number_text(const yaml_node_t *v)
{
    if (!k8tls_yaml_is_plain(v))
        return false;
    const char *s = k8tls_yaml_scalar(v);
    const char *d = s + (*s == '-' || *s == '+');
    size_t n = strlen(d);
    return n && strspn(d, "0123456789") == n && strlen(s) == k8tls_yaml_scalar_len(v);
}

/* Fields given in this file: a password may be given at two keys (stores.X.keystorePassword and
 * stores.X.import.keystorePassword), once only; encryption.medusa.enabled has a default that
 * depends on whether it is given. */
static bool given(struct ld *l, const void *field)
{
    for (size_t i = 0; i < l->n_given; i++)
        if (l->given[i] == field)
            return true;
    return false;
}

static void mark_given(struct ld *l, const void *field)
{
    if (l->n_given == l->cap_given) {
        size_t cap = l->cap_given ? 2 * l->cap_given : 64;
        const void **g = realloc(l->given, cap * sizeof *g);
        if (!g)
            return;
        memset(g + l->cap_given, 0, (cap - l->cap_given) * sizeof *g);
        l->given = g;
        l->cap_given = cap;
    }
    l->given[l->n_given++] = field;
}

/* The key path a password field was first given at (NULL: not given yet); records it. */
static const char *password_given(struct ld *l, const void *field, const char *path)
{
    for (size_t i = 0; i < l->n_pw; i++)
        if (l->pw[i].field == field)
            return l->pw[i].path;
    if (l->n_pw < sizeof l->pw / sizeof l->pw[0]) {
        l->pw[l->n_pw].field = field;
        snprintf(l->pw[l->n_pw].path, sizeof l->pw[l->n_pw].path, "%s", path);
        l->n_pw++;
    }
    return NULL;
}

static void load_str(struct ld *l, const yaml_node_t *v, const char *path, char **dst)
{
    const char *s = "";
    if (!k8tls_yaml_is_null(v)) {
        if (!scalar_ok(l, v, path, _("a text value")))
            return;
        s = k8tls_yaml_scalar(v);
    }
    char *c = strdup(s);
    if (!c)
        return;
    free(*dst);
    *dst = c;
}

/* A whole number of row r: one that does not even fit in an int is out of the row's range (the
 * plan rules check the rest with their own messages). */
static void load_int(struct ld *l, const yaml_node_t *v, const char *path,
                     const struct k8tls_key *r, int *dst)
{
    long n, min = INT_MIN, max = INT_MAX;
    if (r->check == K8TLS_CHECK_MIN || r->check == K8TLS_CHECK_RANGE)
        min = r->min;
    if (r->check == K8TLS_CHECK_RANGE)
        max = r->max;
    if (r->check == K8TLS_CHECK_RSA_BITS) {
        min = 2048;
        max = 4096;
    }
    if (k8tls_yaml_get_long(v, &n) == 0 && n >= INT_MIN && n <= INT_MAX)
        *dst = (int)n;
    else if (whole_number_text(v))
        number_out_of_range(l, v, path, min, max);
    else
        bad_number(l, v, path);
}

/* One of allowed; the index in names when names is given. Returns false (reported) otherwise. */
static bool load_enum(struct ld *l, const yaml_node_t *v, const char *path,
                      const char *const *allowed, const char *const *names, int *dst)
{
    char list[256], sh[80];
    const char *s = k8tls_yaml_scalar(v);
    bool listed = false;
    for (size_t i = 0; s && allowed[i]; i++)
        if (strcmp(allowed[i], s) == 0)
            listed = true;
    int val = -1;
    for (size_t i = 0; listed && names && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            val = (int)i;
    if (!listed || (names && val < 0)) {
        list_names(list, sizeof list, allowed);
        diag_at(l, v, path, _("expected one of: %s; found '%s'"), list, shown(v, sh, sizeof sh));
        return false;
    }
    *dst = val;
    return true;
}

static void load_password(struct ld *l, const yaml_node_t *v, const char *path,
                          struct k8tls_password *pw)
{
    const char *first = password_given(l, pw, path);
    if (first) {
        diag_at(l, v, path, _("this password is also given as %s: give it once"), first);
        return;
    }
    if (k8tls_yaml_is_null(v)) {
        k8tls_secure_free_str(pw->ref);
        pw->ref = NULL;
        pw->pos = k8tls_yaml_pos(v);
        return;
    }
    if (!scalar_ok(l, v, path, _("a password, env:NAME or file:PATH")))
        return;
    char *c = strdup(k8tls_yaml_scalar(v));
    if (!c)
        return;
    k8tls_secure_free_str(pw->ref);
    pw->ref = c;
    pw->pos = k8tls_yaml_pos(v);
}

static void load_table(struct ld *l, const yaml_node_t *map, const char *path,
                       const struct k8tls_key *t, const struct k8tls_key *parent, void *base);

/* A key spec: size is for rsa keys, curve for ecdsa keys. */
static void key_spec_checks(struct ld *l, const yaml_node_t *n, const char *path,
                            struct k8tls_key_spec *k)
{
    char sub[PATH_MAX_LEN];
    yaml_node_t *size = k8tls_yaml_map_get(l->doc, n, "size");
    yaml_node_t *curve = k8tls_yaml_map_get(l->doc, n, "curve");
    k->set = true;
    if (k->alg == K8TLS_KEY_ECDSA && size) {
        join(sub, path, "size");
        diag_at(l, size, sub, "%s", _("size is for rsa keys; an ecdsa key takes a curve (P-256 or P-384)"));
    }
    if (k->alg == K8TLS_KEY_RSA && curve) {
        join(sub, path, "curve");
        diag_at(l, curve, sub, "%s", _("curve is for ecdsa keys; an rsa key takes a size (2048, 3072 or 4096)"));
    }
}

/* One item of a list of mappings; for datacenters its position, and a name is required. */
static void load_item(struct ld *l, const yaml_node_t *item, const char *path,
                      const struct k8tls_key *r, void *elem)
{
    bool dc = r->hook == K8TLS_HOOK_DATACENTERS;
    if (dc)
        ((struct k8tls_dc *)elem)->pos = k8tls_yaml_pos(item);
    if (!check_map(l, item, path, r->sub)) {
        if (dc && (!item || k8tls_yaml_is_null(item)))
            diag_at(l, item, path, "%s", _("expected a mapping with name, size and k8sContext"));
        return;
    }
    load_table(l, item, path, r->sub, r, elem);
    if (dc && !k8tls_yaml_map_get(l->doc, item, "name"))
        diag_at(l, item, path, "%s", _("a datacenter needs a name"));
}

/* The number of items of a list value, or (size_t)-1 when it is not a list or too long (reported;
 * a null value is an empty list). */
static size_t list_count(struct ld *l, const yaml_node_t *v, const char *path,
                         const struct k8tls_key *r)
{
    if (k8tls_yaml_is_null(v))
        return 0;
    if (v->type != YAML_SEQUENCE_NODE) {
        diag_at(l, v, path, _(r->msg_list), k8tls_yaml_kind_name(v));
        return (size_t)-1;
    }
    size_t cnt = k8tls_yaml_seq_len(v);
    /* too many: one error, and the defaults kept (for datacenters not an empty list, which would
     * add "at least one datacenter is required") */
    if (cnt > r->max_items) {
        diag_at(l, v, path, _(r->msg_many), r->max_items, cnt);
        return (size_t)-1;
    }
    return cnt;
}

static void load_list(struct ld *l, const yaml_node_t *v, const char *path,
                      const struct k8tls_key *r, void *base)
{
    char sh[80];
    size_t cnt = list_count(l, v, path, r);
    if (cnt == (size_t)-1 || k8tls_list_resize(r, base, cnt) < 0)
        return;
    void *arr = *(void **)((char *)base + r->off);
    size_t *n = (size_t *)((char *)base + r->count_off);
    if (r->type == K8TLS_KT_STR_LIST)
        *n = 0;   /* filled as the items are read */
    for (size_t i = 0; arr && i < cnt; i++) {
        char ip[PATH_MAX_LEN];
        yaml_node_t *it = k8tls_yaml_seq_item(l->doc, v, i);
        if (snprintf(ip, sizeof ip, "%s[%zu]", path, i) >= (int)sizeof ip)
            break;   /* key paths are short: not reached */
        record(l, ip, it);
        if (r->type == K8TLS_KT_LIST) {
            int oom = 0;
            void *elem = (char *)arr + i * r->elem_size;
            k8tls_table_defaults(r->sub, r, elem, &oom);
            load_item(l, it, ip, r, elem);
            continue;
        }
        if (k8tls_yaml_is_null(it) || it->type != YAML_SCALAR_NODE ||
            strlen(k8tls_yaml_scalar(it)) != k8tls_yaml_scalar_len(it)) {
            diag_at(l, it, ip, _(r->msg_item),
                    k8tls_yaml_is_null(it) ? k8tls_yaml_kind_name(it) : shown(it, sh, sizeof sh));
            continue;
        }
        char *c = strdup(k8tls_yaml_scalar(it));
        if (c)
            ((char **)arr)[(*n)++] = c;
    }
}

/* The value v of row r (present in the file) into base. */
static void load_row(struct ld *l, const yaml_node_t *v, const char *path,
                     const struct k8tls_key *r, const struct k8tls_key *parent, void *base)
{
    char sh[80];
    void *f = (char *)base + r->off;
    int val;
    mark_given(l, f);
    switch (r->type) {
    case K8TLS_KT_STR:
        load_str(l, v, path, f);
        break;
    case K8TLS_KT_BOOL:
        if (k8tls_yaml_get_bool(v, f) < 0)
            diag_at(l, v, path, _("expected true or false, found '%s'"), shown(v, sh, sizeof sh));
        break;
    case K8TLS_KT_INT:
        load_int(l, v, path, r, f);
        break;
    case K8TLS_KT_ENUM:
        if (load_enum(l, v, path, k8tls_key_allowed(r, parent), r->names, &val))
            *(int *)f = val;
        break;
    case K8TLS_KT_STR_ENUM:
        if (load_enum(l, v, path, r->names, NULL, &val)) {
            char *c = strdup(k8tls_yaml_scalar(v));
            if (c) {
                free(*(char **)f);
                *(char **)f = c;
            }
        }
        break;
    case K8TLS_KT_PASSWORD:
        load_password(l, v, path, f);
        break;
    case K8TLS_KT_CONST:
        if (!k8tls_yaml_scalar(v) || strcmp(k8tls_yaml_scalar(v), r->dflt_str) != 0)
            diag_at(l, v, path, _("expected %s, found '%s'"), r->dflt_str, shown(v, sh, sizeof sh));
        break;
    case K8TLS_KT_GROUP:
        if (r->hook == K8TLS_HOOK_LEAF_KEY) {
            /* null: the CA's algorithm and size; given: starts from them */
            struct k8tls_key_spec *k = f;
            if (k8tls_yaml_is_null(v)) {
                k->set = false;
                break;
            }
            *k = l->p->ca.key;
        }
        if (!check_map(l, v, path, r->sub))
            break;
        load_table(l, v, path, r->sub, r, f);
        if (r->hook == K8TLS_HOOK_KEY_SPEC || r->hook == K8TLS_HOOK_LEAF_KEY)
            key_spec_checks(l, v, path, f);
        break;
    case K8TLS_KT_LIST:
    case K8TLS_KT_STR_LIST:
        load_list(l, v, path, r, base);
        break;
    }
}

/* The keys of a mapping already checked by check_map. */
static void load_table(struct ld *l, const yaml_node_t *map, const char *path,
                       const struct k8tls_key *t, const struct k8tls_key *parent, void *base)
{
    char sub[PATH_MAX_LEN];
    for (const struct k8tls_key *r = t; r->name; r++) {
        if (r->flags & K8TLS_KF_HIDDEN)
            continue;
        yaml_node_t *v = field(l, map, path, r->name, sub);
        if (v)
            load_row(l, v, sub, r, parent, base);
        if (r->hook == K8TLS_HOOK_MEDUSA_DEFAULT &&
            !given(l, &l->p->encryption.medusa.enabled)) {
            /* encryption.medusa.enabled defaults to true when client encryption is on; without
             * client encryption there is nothing to encrypt Medusa's connection with */
            l->p->encryption.medusa.enabled = l->p->encryption.client.enabled;
        }
    }
}

static void load_root(struct ld *l, const yaml_node_t *root)
{
    if (!root || k8tls_yaml_is_null(root))
        return;   /* an empty file: the defaults */
    if (root->type != YAML_MAPPING_NODE) {
        diag_at(l, root, NULL, _("expected an answers file (a mapping with apiVersion: %s), found %s"),
                k8tls_plan_table[0].dflt_str, k8tls_yaml_kind_name(root));
        return;
    }
    check_map(l, root, "", k8tls_plan_table);
    load_table(l, root, "", k8tls_plan_table, NULL, l->p);
}

struct k8tls_plan *k8tls_answers_load_buf(const char *name, const char *buf, size_t len,
                                          struct k8tls_diags *d)
{
    struct k8tls_err e;
    yaml_document_t doc;
    k8tls_err_clear(&e);
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    if (!p) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, name, 0, 0, NULL, "%s", _("out of memory"));
        return NULL;
    }
    free(p->source_file);
    p->source_file = strdup(name);
    if (k8tls_yaml_load(name, buf, len, &doc, &e) < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, e.file[0] ? e.file : name, e.line, e.col, NULL,
                        "%s", e.msg);
        return p;
    }
    struct ld l = {.file = name, .doc = &doc, .p = p, .d = d};
    load_root(&l, yaml_document_get_root_node(&doc));
    free(l.given);
    yaml_document_delete(&doc);
    return p;
}

struct k8tls_plan *k8tls_answers_load(const char *path, struct k8tls_diags *d)
{
    struct k8tls_err e;
    char *buf;
    size_t len;
    k8tls_err_clear(&e);
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, &e) < 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, e.file, 0, 0, NULL, "%s", e.msg);
        return NULL;
    }
    const char *name = strcmp(path, "-") == 0 ? _("<stdin>") : path;
    struct k8tls_plan *p = k8tls_answers_load_buf(name, buf, len, d);
    /* the buffer may hold literal passwords */
    k8tls_secure_wipe_str(buf);
    free(buf);
    return p;
}

/* ---- writing --------------------------------------------------------------------------- */

struct em {
    yaml_document_t doc;
    int flags;
    int fail;
    const char *base;   /* K8TLS_EMIT_ABSOLUTE_PATHS: the plan's base directory, absolute */
};

/* The plan's base directory made absolute (against the current directory), or NULL (OOM, or no
 * current directory). Heap string. */
static char *absolute_base(const struct k8tls_plan *p)
{
    char *base = k8tls_plan_base_dir(p);
    if (!base || base[0] == '/')
        return base;
    char *cwd = getcwd(NULL, 0);
    char *out = NULL;
    if (cwd) {
        const char *rel = base;
        while (rel[0] == '.' && (rel[1] == '/' || !rel[1]))     /* "./a", "." */
            rel += rel[1] ? 2 : 1;
        size_t n = strlen(cwd) + strlen(rel) + 2;
        out = malloc(n);
        if (out)
            snprintf(out, n, "%s%s%s", cwd, *rel && strcmp(cwd, "/") ? "/" : "", rel);
    }
    free(cwd);
    free(base);
    return out;
}

/* A path of the plan as written, prefixed by prefix ("" or "file:"): relative ones against
 * m->base when it is set. Heap string or NULL (OOM: m->fail set). */
static char *path_as_written(struct em *m, const char *prefix, const char *path)
{
    const char *sep = "";
    const char *base = "";
    if (m->base && path && *path && path[0] != '/') {
        while (path[0] == '.' && path[1] == '/')
            path += 2;
        base = m->base;
        sep = strcmp(m->base, "/") ? "/" : "";
    }
    size_t n = strlen(prefix) + strlen(base) + strlen(path ? path : "") + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s%s", prefix, base, sep, path ? path : "");
    else
        m->fail = 1;
    return out;
}

static void put_str(struct em *m, int map, const char *key, const char *v)
{
    if (k8tls_yaml_map_str(&m->doc, map, key, v) < 0)
        m->fail = 1;
}

static int put_node(struct em *m, int map, const char *key, int node)
{
    if (k8tls_yaml_map_add(&m->doc, map, key, node) < 0) {
        m->fail = 1;
        return 0;
    }
    return node;
}

static bool is_reference(const char *ref)
{
    return ref && (strncmp(ref, "env:", 4) == 0 || strncmp(ref, "file:", 5) == 0);
}

static void put_password(struct em *m, int map, const char *key, const struct k8tls_password *pw)
{
    if (!pw->ref)
        return;
    if ((m->flags & K8TLS_EMIT_OMIT_LITERAL_PW) && !is_reference(pw->ref))
        return;
    if (m->base && strncmp(pw->ref, "file:", 5) == 0 && pw->ref[5]) {
        char *ref = path_as_written(m, "file:", pw->ref + 5);
        if (ref)
            put_str(m, map, key, ref);
        k8tls_secure_free_str(ref);
        return;
    }
    put_str(m, map, key, pw->ref);
}

static void emit_table(struct em *m, int map, const struct k8tls_key *t, const void *base);

static void emit_row(struct em *m, int map, const struct k8tls_key *r, const void *base)
{
    const void *f = (const char *)base + r->off;
    if (r->flags & K8TLS_KF_HIDDEN)
        return;
    if ((r->shown && !r->shown(base)) || (r->applies && !r->applies(base)))
        return;
    switch (r->type) {
    case K8TLS_KT_STR:
    case K8TLS_KT_STR_ENUM: {
        const char *s = *(char *const *)f;
        if (r->flags & K8TLS_KF_QUOTED) {
            /* K10: serverVersion always a quoted string */
            int sv = yaml_document_add_scalar(&m->doc, NULL, (yaml_char_t *)(s ? s : ""), -1,
                                              YAML_DOUBLE_QUOTED_SCALAR_STYLE);
            put_node(m, map, r->name, sv);
        } else if ((r->flags & K8TLS_KF_PATH) && m->base && s) {
            char *w = path_as_written(m, "", s);
            if (w)
                put_str(m, map, r->name, w);
            free(w);
        } else {
            put_str(m, map, r->name, s);
        }
        break;
    }
    case K8TLS_KT_BOOL:
        put_node(m, map, r->name, k8tls_yaml_add_bool(&m->doc, *(const bool *)f));
        break;
    case K8TLS_KT_INT:
        put_node(m, map, r->name, k8tls_yaml_add_int(&m->doc, *(const int *)f));
        break;
    case K8TLS_KT_ENUM: {
        int v = *(const int *)f, n = 0;
        while (r->names[n])
            n++;
        put_str(m, map, r->name, v >= 0 && v < n ? r->names[v] : "?");
        break;
    }
    case K8TLS_KT_PASSWORD:
        put_password(m, map, r->name, f);
        break;
    case K8TLS_KT_CONST:
        put_str(m, map, r->name, r->dflt_str);
        break;
    case K8TLS_KT_GROUP: {
        int c = put_node(m, map, r->name, k8tls_yaml_add_map(&m->doc, r->flags & K8TLS_KF_FLOW));
        if (c)
            emit_table(m, c, r->sub, f);
        break;
    }
    case K8TLS_KT_LIST:
    case K8TLS_KT_STR_LIST: {
        int seq = put_node(m, map, r->name, k8tls_yaml_add_seq(&m->doc, r->flags & K8TLS_KF_FLOW));
        size_t n = *(const size_t *)((const char *)base + r->count_off);
        const void *arr = *(void *const *)f;
        for (size_t i = 0; seq && arr && i < n; i++) {
            int item;
            if (r->type == K8TLS_KT_STR_LIST) {
                item = k8tls_yaml_add_str(&m->doc, ((char *const *)arr)[i]);
            } else {
                item = k8tls_yaml_add_map(&m->doc, r->flags & K8TLS_KF_ELEM_FLOW);
                emit_table(m, item, r->sub, (const char *)arr + i * r->elem_size);
            }
            if (k8tls_yaml_seq_add(&m->doc, seq, item) < 0)
                m->fail = 1;
        }
        break;
    }
    }
}

static void emit_table(struct em *m, int map, const struct k8tls_key *t, const void *base)
{
    for (const struct k8tls_key *r = t; r->name; r++)
        emit_row(m, map, r, base);
}

static void append_comment(struct k8tls_buf *out, const char *text)
{
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        k8tls_buf_add(out, "# ", 2);
        k8tls_buf_add(out, s, len);
        k8tls_buf_add(out, "\n", 1);
        s += len + (nl ? 1 : 0);
    }
}

/* A section's comment: its help, then the help of the keys under it marked for the template. */
static void append_section_comment(struct k8tls_buf *out, const struct k8tls_key *s)
{
    if (s->help)
        append_comment(out, _(s->help));
    for (const struct k8tls_key *r = s->sub; r && r->name; r++) {
        if ((r->flags & K8TLS_KF_TEMPLATE) && r->help)
            append_comment(out, _(r->help));
        /* and one level down, under a template row (the surfaces' ca) */
        for (const struct k8tls_key *q = (r->flags & K8TLS_KF_TEMPLATE) ? r->sub : NULL;
             q && q->name; q++)
            if ((q->flags & K8TLS_KF_TEMPLATE) && q->help)
                append_comment(out, _(q->help));
    }
}

int k8tls_answers_emit_buf(const struct k8tls_plan *p, int flags, char **buf, size_t *len,
                           struct k8tls_err *e)
{
    struct k8tls_buf out = {0};
    char *base = NULL;
    *buf = NULL;
    if (len)
        *len = 0;
    if ((flags & K8TLS_EMIT_ABSOLUTE_PATHS) && !(base = absolute_base(p))) {
        k8tls_err_set(e, NULL, 0, 0, _("cannot write the answers: %s"),
                      errno == ENOMEM ? _("out of memory") : strerror(errno));
        return -1;
    }
    for (size_t i = 0; k8tls_plan_table[i].name; i++) {
        struct em m = {.flags = flags, .base = base};
        /* a section written only when in use (rollout), with its comment */
        if (k8tls_plan_table[i].shown && !k8tls_plan_table[i].shown(p))
            continue;
        char *part;
        size_t plen;
        if (k8tls_yaml_doc_init(&m.doc) < 0)
            goto oom;
        int root = k8tls_yaml_add_map(&m.doc, false);
        if (root <= 0)
            m.fail = 1;
        else
            emit_row(&m, root, &k8tls_plan_table[i], p);
        if (m.fail) {
            /* libyaml refuses text that is not UTF-8 as it refuses to allocate */
            yaml_document_delete(&m.doc);
            k8tls_err_set(e, NULL, 0, 0, "%s",
                          _("cannot write the answers: a value is not UTF-8 text (or memory ran out)"));
            goto fail;
        }
        if (k8tls_yaml_dump(&m.doc, &part, &plen, e) < 0)
            goto fail;
        if (flags & K8TLS_EMIT_COMMENTS) {
            if (i)
                k8tls_buf_add(&out, "\n", 1);
            append_section_comment(&out, &k8tls_plan_table[i]);
        }
        k8tls_buf_add(&out, part, plen);
        k8tls_secure_wipe_str(part);
        free(part);
        if (out.oom)
            goto oom;
    }
    free(base);
    if (!(*buf = k8tls_buf_take(&out, len)))
        goto oom;
    return 0;
oom:
    k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
fail:
    free(base);
    k8tls_buf_free(&out);
    return -1;
}

int k8tls_answers_emit(const struct k8tls_plan *p, int flags, FILE *out, struct k8tls_err *e)
{
    char *buf;
    size_t len;
    if (k8tls_answers_emit_buf(p, flags, &buf, &len, e) < 0)
        return -1;
    size_t w = fwrite(buf, 1, len, out);
    k8tls_secure_wipe_str(buf);
    free(buf);
    if (w != len || fflush(out) != 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot write the answers"));
        return -1;
    }
    return 0;
}
