/* Offline CRD validation (crdcheck.h): walks a manifest and the CRD's openAPIV3Schema together.
 * Both are YAML documents loaded by libyaml; the walk is bounded in depth and in visits, so a
 * hostile manifest (aliases sharing nodes) stays linear (X5). Calls yamlutil.c, err.c and
 * datadir.c. */
#include "config.h"
#include "k8tls/crdcheck.h"
#include "k8tls/datadir.h"
#include "k8tls/i18n.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/k8tls-wizard"
#endif

#define CRD_MAX_INPUT (32u * 1024u * 1024u)
#define CRD_MAX_DEPTH 256
#define CHECK_MAX_DEPTH 128
#define CHECK_MAX_VISITS 2000000L
#define MAX_PATTERNS 64

struct pattern {
    char *src;
    regex_t re;
    bool ok;
};

struct k8tls_crd {
    yaml_document_t doc;
    yaml_node_t *schema;
    char kind[128];
    struct pattern pat[MAX_PATTERNS];
    size_t npat;
};

/* JSON types of YAML nodes (YAML 1.1 plain scalars, as PyYAML and the API server read them). */
enum jtype { J_NULL, J_BOOL, J_INT, J_NUM, J_STR, J_OBJ, J_ARR };

struct walk {
    struct k8tls_crd *crd;
    yaml_document_t *doc;
    const char *file;
    struct k8tls_diags *d;
    size_t errors;
    long visits;
    bool quiet;       /* inside anyOf: count, do not report */
};

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

bool k8tls_crd_default_path(char *out, size_t n)
{
    char built[PATH_MAX];
    const char *dirs[3] = {getenv("K8TLS_CRD_DIR"),
                           k8tls_datadir_build_tree("crd", built, sizeof built) ? built : NULL,
                           PKGDATADIR "/crd"};
    for (size_t i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        int w = snprintf(out, n, "%s/%s", dirs[i], K8TLS_CRD_FILE);
        if (w > 0 && (size_t)w < n && is_file(out))
            return true;
    }
    if (n)
        out[0] = '\0';
    return false;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *m, const char *k)
{
    return m ? k8tls_yaml_map_get(d, m, k) : NULL;
}

int k8tls_crd_load(const char *path, struct k8tls_crd **out, struct k8tls_err *e)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    if (k8tls_yaml_read_file(path, CRD_MAX_INPUT, &buf, &len, e) < 0)
        return -1;
    if (k8tls_yaml_check_depth(path, buf, len, CRD_MAX_DEPTH, e) < 0) {
        free(buf);
        return -1;
    }
    struct k8tls_crd *c = calloc(1, sizeof *c);
    if (!c) {
        free(buf);
        k8tls_err_set(e, path, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps)) {
        free(buf);
        free(c);
        k8tls_err_set(e, path, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&ps, &c->doc)) {
        k8tls_err_set(e, path, (int)ps.problem_mark.line + 1, (int)ps.problem_mark.column + 1,
                      _("not a YAML file: %s"), ps.problem ? ps.problem : "?");
        yaml_parser_delete(&ps);
        free(buf);
        free(c);
        return -1;
    }
    yaml_parser_delete(&ps);
    free(buf);
    yaml_document_t *d = &c->doc;
    yaml_node_t *root = yaml_document_get_root_node(d);
    yaml_node_t *spec = get(d, root, "spec");
    const char *kind = k8tls_yaml_scalar(get(d, get(d, spec, "names"), "kind"));
    snprintf(c->kind, sizeof c->kind, "%s", kind ? kind : "");
    yaml_node_t *vers = get(d, spec, "versions"), *pick = NULL;
    for (size_t i = 0; i < k8tls_yaml_seq_len(vers); i++) {
        yaml_node_t *v = k8tls_yaml_seq_item(d, vers, i);
        bool st = false;
        if (!pick)
            pick = v;
        if (k8tls_yaml_get_bool(get(d, v, "storage"), &st) == 0 && st) {
            pick = v;
            break;
        }
    }
    c->schema = get(d, get(d, pick, "schema"), "openAPIV3Schema");
    if (!c->schema || c->schema->type != YAML_MAPPING_NODE) {
        k8tls_err_set(e, path, 0, 0, "%s",
                      _("not a CustomResourceDefinition: no spec.versions[].schema.openAPIV3Schema"));
        k8tls_crd_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void k8tls_crd_free(struct k8tls_crd *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->npat; i++) {
        if (c->pat[i].ok)
            regfree(&c->pat[i].re);
        free(c->pat[i].src);
    }
    yaml_document_delete(&c->doc);
    free(c);
}

const char *k8tls_crd_kind(const struct k8tls_crd *c)
{
    return c ? c->kind : "";
}

/* ---- scalar typing ---------------------------------------------------------------------- */

static bool one_of(const char *s, const char *const *v)
{
    for (; *v; v++)
        if (strcmp(s, *v) == 0)
            return true;
    return false;
}

static bool is_int_text(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
        for (s += 2; *s; s++)
            if (!strchr("0123456789abcdefABCDEF", *s))
                return false;
        return true;
    }
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_float_text(const char *s)
{
    static const char *const special[] = {".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf",
                                          "-.Inf", ".nan", ".NaN", ".NAN", NULL};
    if (one_of(s, special))
        return true;
    if (*s == '+' || *s == '-')
        s++;
    bool digits = false, dot = false;
    for (; *s >= '0' && *s <= '9'; s++)
        digits = true;
    if (*s == '.') {
        dot = true;
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits = true;
    }
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        return *s == '\0';
    }
    return dot && *s == '\0';
}

static enum jtype node_jtype(const yaml_node_t *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE",
                                        "yes", "Yes", "YES", "no", "No", "NO",
                                        "on", "On", "ON", "off", "Off", "OFF", NULL};
    if (!n)
        return J_NULL;
    if (n->type == YAML_MAPPING_NODE)
        return J_OBJ;
    if (n->type == YAML_SEQUENCE_NODE)
        return J_ARR;
    if (n->type != YAML_SCALAR_NODE || !k8tls_yaml_is_plain(n))
        return J_STR;
    const char *s = k8tls_yaml_scalar(n);
    if (one_of(s, nulls))
        return J_NULL;
    if (one_of(s, bools))
        return J_BOOL;
    if (is_int_text(s))
        return J_INT;
    if (is_float_text(s))
        return J_NUM;
    return J_STR;
}

static const char *jtype_name(enum jtype t)
{
    switch (t) {
    case J_NULL: return "null";
    case J_BOOL: return "boolean";
    case J_INT: return "integer";
    case J_NUM: return "number";
    case J_STR: return "string";
    case J_OBJ: return "object";
    case J_ARR: return "array";
    }
    return "?";
}

static bool type_matches(const char *want, enum jtype t)
{
    if (strcmp(want, "number") == 0)
        return t == J_INT || t == J_NUM;
    return strcmp(want, jtype_name(t)) == 0;
}

/* ---- reporting -------------------------------------------------------------------------- */

struct path {
    char s[1024];
    size_t len;
};

static size_t path_push_key(struct path *p, const char *k)
{
    size_t old = p->len;
    int w = snprintf(p->s + p->len, sizeof p->s - p->len, "%s%s", p->len ? "." : "", k);
    if (w > 0 && (size_t)w < sizeof p->s - p->len)
        p->len += (size_t)w;
    return old;
}

static size_t path_push_index(struct path *p, size_t i)
{
    size_t old = p->len;
    int w = snprintf(p->s + p->len, sizeof p->s - p->len, "[%zu]", i);
    if (w > 0 && (size_t)w < sizeof p->s - p->len)
        p->len += (size_t)w;
    return old;
}

static void path_pop(struct path *p, size_t old)
{
    p->len = old;
    p->s[old] = '\0';
}

static void report(struct walk *w, enum k8tls_severity sev, const yaml_node_t *at,
                   const struct path *p, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(struct walk *w, enum k8tls_severity sev, const yaml_node_t *at,
                   const struct path *p, const char *fmt, ...)
{
    if (sev == K8TLS_SEV_ERROR)
        w->errors++;
    if (w->quiet)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct k8tls_pos pos = k8tls_yaml_pos(at);
    k8tls_diags_add(w->d, sev, w->file, pos.line, pos.col, p->len ? p->s : "(root)", "%s", msg);
}

/* ---- patterns: ECMA-262 regular expressions of the CRD as POSIX extended ones ---------- */

static regex_t *pattern(struct k8tls_crd *c, const char *src)
{
    for (size_t i = 0; i < c->npat; i++)
        if (strcmp(c->pat[i].src, src) == 0)
            return c->pat[i].ok ? &c->pat[i].re : NULL;
    if (c->npat == MAX_PATTERNS)
        return NULL;
    struct pattern *p = &c->pat[c->npat];
    size_t n = strlen(src);
    char *t = malloc(n * 5 + 1);
    if (!t || !(p->src = strdup(src))) {
        free(t);
        return NULL;
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '\\' && src[i + 1] == 'd') {
            memcpy(t + j, "[0-9]", 5);
            j += 5;
            i++;
        } else if (src[i] == '(' && src[i + 1] == '?' && src[i + 2] == ':') {
            t[j++] = '(';
            i += 2;
        } else {
            t[j++] = src[i];
        }
    }
    t[j] = '\0';
    p->ok = regcomp(&p->re, t, REG_EXTENDED | REG_NOSUB) == 0;
    free(t);
    c->npat++;
    return p->ok ? &p->re : NULL;
}

/* ---- the walk --------------------------------------------------------------------------- */

static bool scalar_equal(const yaml_node_t *a, const yaml_node_t *b)
{
    if (!a || !b || a->type != YAML_SCALAR_NODE || b->type != YAML_SCALAR_NODE)
        return false;
    enum jtype ta = node_jtype(a), tb = node_jtype(b);
    if (ta != tb && !((ta == J_INT || ta == J_NUM) && (tb == J_INT || tb == J_NUM)))
        return false;
    if (ta == J_INT || ta == J_NUM)
        return strtod(k8tls_yaml_scalar(a), NULL) == strtod(k8tls_yaml_scalar(b), NULL);
    return strcmp(k8tls_yaml_scalar(a), k8tls_yaml_scalar(b)) == 0;
}

static void check(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p, int depth);

/* Does v satisfy schema? (no report) */
static bool satisfies(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p,
                      int depth)
{
    size_t errors = w->errors;
    bool quiet = w->quiet;
    w->quiet = true;
    check(w, schema, v, p, depth);
    w->quiet = quiet;
    bool ok = w->errors == errors;
    w->errors = errors;
    return ok;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void check_number(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p)
{
    yaml_document_t *sd = &w->crd->doc;
    double x = strtod(k8tls_yaml_scalar(v), NULL);
    const char *mn = k8tls_yaml_scalar(get(sd, schema, "minimum"));
    const char *mx = k8tls_yaml_scalar(get(sd, schema, "maximum"));
    if (mn && x < strtod(mn, NULL))
        report(w, K8TLS_SEV_ERROR, v, p, _("must be at least %s (found %s)"), mn,
               k8tls_yaml_scalar(v));
    if (mx && x > strtod(mx, NULL))
        report(w, K8TLS_SEV_ERROR, v, p, _("must be at most %s (found %s)"), mx,
               k8tls_yaml_scalar(v));
}

static void check_string(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p)
{
    yaml_document_t *sd = &w->crd->doc;
    const char *s = k8tls_yaml_scalar(v);
    long lim;
    if (k8tls_yaml_get_long(get(sd, schema, "minLength"), &lim) == 0 && (long)utf8_len(s) < lim)
        report(w, K8TLS_SEV_ERROR, v, p, _("must be at least %ld characters long"), lim);
    if (k8tls_yaml_get_long(get(sd, schema, "maxLength"), &lim) == 0 && (long)utf8_len(s) > lim)
        report(w, K8TLS_SEV_ERROR, v, p, _("must be at most %ld characters long"), lim);
    const char *pat = k8tls_yaml_scalar(get(sd, schema, "pattern"));
    regex_t *re = pat ? pattern(w->crd, pat) : NULL;
    if (re && regexec(re, s, 0, NULL, 0) != 0)
        report(w, K8TLS_SEV_ERROR, v, p, _("does not match the pattern %s"), pat);
}

static void check_object(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p,
                         int depth)
{
    yaml_document_t *sd = &w->crd->doc, *d = w->doc;
    yaml_node_t *props = get(sd, schema, "properties");
    yaml_node_t *addl = get(sd, schema, "additionalProperties");
    bool preserve = false, addl_false = false;
    k8tls_yaml_get_bool(get(sd, schema, "x-kubernetes-preserve-unknown-fields"), &preserve);
    if (addl && addl->type == YAML_SCALAR_NODE) {
        bool b = true;
        if (k8tls_yaml_get_bool(addl, &b) == 0 && !b)
            addl_false = true;
        addl = NULL;
    }
    yaml_node_t *req = get(sd, schema, "required");
    for (size_t i = 0; i < k8tls_yaml_seq_len(req); i++) {
        const char *k = k8tls_yaml_scalar(k8tls_yaml_seq_item(sd, req, i));
        if (k && !k8tls_yaml_map_get(d, v, k))
            report(w, K8TLS_SEV_ERROR, v, p, _("the required field %s is missing"), k);
    }
    for (size_t i = 0; i < k8tls_yaml_map_len(v); i++) {
        yaml_node_t *kn = k8tls_yaml_map_key(d, v, i), *vn = k8tls_yaml_map_value(d, v, i);
        const char *k = k8tls_yaml_scalar(kn);
        if (!k)
            continue;
        yaml_node_t *ps = props ? k8tls_yaml_map_get(sd, props, k) : NULL;
        size_t old = path_push_key(p, k);
        if (ps)
            check(w, ps, vn, p, depth + 1);
        else if (addl)
            check(w, addl, vn, p, depth + 1);
        else if (addl_false)
            report(w, K8TLS_SEV_ERROR, kn, p, "%s",
                   _("unknown field: the schema allows no other fields here"));
        else if (props && !preserve)
            report(w, K8TLS_SEV_WARNING, kn, p, "%s",
                   _("unknown field: the API server drops it, or refuses the object under "
                     "strict field validation"));
        path_pop(p, old);
    }
}

static void check(struct walk *w, yaml_node_t *schema, yaml_node_t *v, struct path *p, int depth)
{
    yaml_document_t *sd = &w->crd->doc, *d = w->doc;
    if (!schema || schema->type != YAML_MAPPING_NODE || depth > CHECK_MAX_DEPTH ||
        ++w->visits > CHECK_MAX_VISITS)
        return;
    enum jtype t = node_jtype(v);
    bool ios = false;
    k8tls_yaml_get_bool(get(sd, schema, "x-kubernetes-int-or-string"), &ios);
    const char *type = k8tls_yaml_scalar(get(sd, schema, "type"));
    if (ios) {
        if (t != J_INT && t != J_STR) {
            report(w, K8TLS_SEV_ERROR, v, p, _("must be an integer or a string (found %s)"),
                   jtype_name(t));
            return;
        }
    } else if (type && *type && !type_matches(type, t)) {
        report(w, K8TLS_SEV_ERROR, v, p, _("must be of type %s (found %s)"), type,
               jtype_name(t));
        return;
    }
    yaml_node_t *en = get(sd, schema, "enum");
    if (en && en->type == YAML_SEQUENCE_NODE) {
        bool found = false;
        char list[512] = "";
        for (size_t i = 0; i < k8tls_yaml_seq_len(en); i++) {
            yaml_node_t *it = k8tls_yaml_seq_item(sd, en, i);
            if (scalar_equal(it, v))
                found = true;
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                     k8tls_yaml_scalar(it) ? k8tls_yaml_scalar(it) : "?");
        }
        if (!found)
            report(w, K8TLS_SEV_ERROR, v, p, _("must be one of: %s"), list);
    }
    yaml_node_t *any = get(sd, schema, "anyOf");
    if (!ios && any && any->type == YAML_SEQUENCE_NODE) {
        bool ok = false;
        for (size_t i = 0; i < k8tls_yaml_seq_len(any) && !ok; i++)
            ok = satisfies(w, k8tls_yaml_seq_item(sd, any, i), v, p, depth + 1);
        if (!ok)
            report(w, K8TLS_SEV_ERROR, v, p, "%s", _("matches none of the allowed forms"));
    }
    switch (t) {
    case J_INT:
    case J_NUM:
        check_number(w, schema, v, p);
        break;
    case J_STR:
        check_string(w, schema, v, p);
        break;
    case J_OBJ:
        check_object(w, schema, v, p, depth);
        break;
    case J_ARR: {
        yaml_node_t *items = get(sd, schema, "items");
        size_t n = k8tls_yaml_seq_len(v);
        long lim;
        if (k8tls_yaml_get_long(get(sd, schema, "minItems"), &lim) == 0 && (long)n < lim)
            report(w, K8TLS_SEV_ERROR, v, p, _("must have at least %ld items"), lim);
        if (k8tls_yaml_get_long(get(sd, schema, "maxItems"), &lim) == 0 && (long)n > lim)
            report(w, K8TLS_SEV_ERROR, v, p, _("must have at most %ld items"), lim);
        for (size_t i = 0; items && i < n; i++) {
            size_t old = path_push_index(p, i);
            check(w, items, k8tls_yaml_seq_item(d, v, i), p, depth + 1);
            path_pop(p, old);
        }
        break;
    }
    default:
        break;
    }
}

size_t k8tls_crd_check(struct k8tls_crd *c, yaml_document_t *doc, yaml_node_t *obj,
                       const char *file, struct k8tls_diags *d)
{
    struct walk w = {.crd = c, .doc = doc, .file = file, .d = d};
    struct path p = {.len = 0};
    p.s[0] = '\0';
    if (!c || !obj)
        return 0;
    check(&w, c->schema, obj, &p, 0);
    return w.errors;
}

void k8tls_crd_warn_input(yaml_document_t *doc, const char *file, struct k8tls_diags *d)
{
    char path[PATH_MAX];
    struct k8tls_crd *c = NULL;
    struct k8tls_err e;
    struct k8tls_diags found;
    yaml_node_t *root = doc ? yaml_document_get_root_node(doc) : NULL;
    if (!root || !k8tls_crd_default_path(path, sizeof path) || k8tls_crd_load(path, &c, &e) < 0)
        return;
    k8tls_diags_init(&found);
    k8tls_crd_check(c, doc, root, file, &found);
    for (size_t i = 0; i < found.n; i++) {
        const struct k8tls_diag *g = &found.v[i];
        k8tls_diags_add(d, K8TLS_SEV_WARNING, g->file, g->line, g->col, g->path,
                        _("the input manifest is already invalid: %s"), g->msg);
    }
    k8tls_diags_free(&found);
    k8tls_crd_free(c);
}
