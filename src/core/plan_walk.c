/* The generic walks over the schema rows (plan_table.h): defaults, free, copy and list resizing,
 * key paths ("cluster.datacenters[1].name") and the text accessors the TUI binds its fields with.
 * Calls the rows (plan_table.c), secure.c and err.c only. */
#include "config.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generic walks ---------------------------------------------------------------------- */

#define AT(base, off) ((void *)((char *)(base) + (off)))
#define CAT(base, off) ((const void *)((const char *)(base) + (off)))

const char *const *k8tls_key_allowed(const struct k8tls_key *row, const struct k8tls_key *parent)
{
    if ((row->flags & K8TLS_KF_PARAM_ALLOWED) && parent && parent->allowed)
        return parent->allowed;
    return row->allowed ? row->allowed : row->names;
}

const char *k8tls_key_default(const struct k8tls_key *row, const struct k8tls_key *parent)
{
    if ((row->flags & K8TLS_KF_PARAM_DFLT) && parent)
        return parent->dflt_str;
    return row->dflt_str;
}

static char *dup_s(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

void k8tls_table_defaults(const struct k8tls_key *t, const struct k8tls_key *parent, void *base,
                          int *oom)
{
    for (const struct k8tls_key *r = t; r->name; r++) {
        void *f = AT(base, r->off);
        if (r->flags & K8TLS_KF_ALIAS)
            continue;
        switch (r->type) {
        case K8TLS_KT_STR:
        case K8TLS_KT_STR_ENUM:
            free(*(char **)f);
            *(char **)f = dup_s(k8tls_key_default(r, parent), oom);
            break;
        case K8TLS_KT_BOOL:
            *(bool *)f = r->dflt_int != 0;
            break;
        case K8TLS_KT_INT:
        case K8TLS_KT_ENUM:
            *(int *)f = r->dflt_int;
            break;
        case K8TLS_KT_GROUP:
            k8tls_table_defaults(r->sub, r, f, oom);
            if (r->hook == K8TLS_HOOK_LEAF_KEY)
                ((struct k8tls_key_spec *)f)->set = false;   /* the CA's algorithm and size */
            break;
        case K8TLS_KT_LIST:
        case K8TLS_KT_STR_LIST:
            if (r->hook == K8TLS_HOOK_DATACENTERS) {
                /* one datacenter, dc1 */
                if (k8tls_list_resize(r, base, 1) < 0) {
                    *oom = 1;
                    break;
                }
                struct k8tls_dc *dc = *(struct k8tls_dc **)f;
                k8tls_table_defaults(r->sub, r, dc, oom);
                free(dc->name);
                dc->name = dup_s("dc1", oom);
            } else if (k8tls_list_resize(r, base, 0) < 0) {
                *oom = 1;
            }
            break;
        case K8TLS_KT_PASSWORD:
        case K8TLS_KT_CONST:
            break;
        }
    }
}

static void list_free(const struct k8tls_key *r, void *base)
{
    void **arr = AT(base, r->off);
    size_t *n = AT(base, r->count_off);
    for (size_t i = 0; *arr && i < *n; i++) {
        if (r->type == K8TLS_KT_STR_LIST)
            free(((char **)*arr)[i]);
        else
            k8tls_table_free(r->sub, (char *)*arr + i * r->elem_size);
    }
    free(*arr);
    *arr = NULL;
    *n = 0;
}

void k8tls_table_free(const struct k8tls_key *t, void *base)
{
    for (const struct k8tls_key *r = t; r->name; r++) {
        void *f = AT(base, r->off);
        if (r->flags & K8TLS_KF_ALIAS)
            continue;
        switch (r->type) {
        case K8TLS_KT_STR:
        case K8TLS_KT_STR_ENUM:
            free(*(char **)f);
            *(char **)f = NULL;
            break;
        case K8TLS_KT_PASSWORD: {
            /* a literal reference is itself a secret */
            struct k8tls_password *pw = f;
            k8tls_secure_free_str(pw->ref);
            k8tls_secure_free_str(pw->value);
            pw->ref = pw->value = NULL;
            break;
        }
        case K8TLS_KT_GROUP:
            k8tls_table_free(r->sub, f);
            break;
        case K8TLS_KT_LIST:
        case K8TLS_KT_STR_LIST:
            list_free(r, base);
            break;
        case K8TLS_KT_BOOL:
        case K8TLS_KT_INT:
        case K8TLS_KT_ENUM:
        case K8TLS_KT_CONST:
            break;
        }
    }
}

int k8tls_list_resize(const struct k8tls_key *row, void *base, size_t n)
{
    list_free(row, base);
    if (!n)
        return 0;
    size_t size = row->type == K8TLS_KT_STR_LIST ? sizeof(char *) : row->elem_size;
    void *arr = calloc(n, size);
    if (!arr)
        return -1;
    *(void **)AT(base, row->off) = arr;
    *(size_t *)AT(base, row->count_off) = n;
    return 0;
}

/* dst already holds a byte copy of src: every pointer is replaced by a deep copy (NULL on OOM,
 * so that freeing dst never frees src's memory). */
void k8tls_table_dup(const struct k8tls_key *t, void *dst, const void *src, int *oom)
{
    for (const struct k8tls_key *r = t; r->name; r++) {
        void *d = AT(dst, r->off);
        const void *s = CAT(src, r->off);
        if (r->flags & K8TLS_KF_ALIAS)
            continue;
        switch (r->type) {
        case K8TLS_KT_STR:
        case K8TLS_KT_STR_ENUM:
            *(char **)d = dup_s(*(char *const *)s, oom);
            break;
        case K8TLS_KT_PASSWORD: {
            const struct k8tls_password *sp = s;
            struct k8tls_password *dp = d;
            dp->ref = dup_s(sp->ref, oom);
            dp->value = dup_s(sp->value, oom);
            break;
        }
        case K8TLS_KT_GROUP:
            k8tls_table_dup(r->sub, d, s, oom);
            break;
        case K8TLS_KT_LIST:
        case K8TLS_KT_STR_LIST: {
            size_t n = *(const size_t *)CAT(src, r->count_off);
            const void *sarr = *(void *const *)s;
            size_t size = r->type == K8TLS_KT_STR_LIST ? sizeof(char *) : r->elem_size;
            void *arr = n && sarr ? calloc(n, size) : NULL;
            *(void **)d = arr;
            *(size_t *)AT(dst, r->count_off) = arr ? n : 0;
            if (!arr) {
                if (n)
                    *oom = 1;
                break;
            }
            for (size_t i = 0; i < n; i++) {
                if (r->type == K8TLS_KT_STR_LIST) {
                    ((char **)arr)[i] = dup_s(((char *const *)sarr)[i], oom);
                } else {
                    memcpy((char *)arr + i * size, (const char *)sarr + i * size, size);
                    k8tls_table_dup(r->sub, (char *)arr + i * size, (const char *)sarr + i * size,
                                    oom);
                }
            }
            break;
        }
        case K8TLS_KT_BOOL:
        case K8TLS_KT_INT:
        case K8TLS_KT_ENUM:
        case K8TLS_KT_CONST:
            break;
        }
    }
}

/* ---- key paths and text accessors --------------------------------------------------------- */

bool k8tls_plan_field(struct k8tls_plan *p, const char *path, struct k8tls_field *out)
{
    const struct k8tls_key *t = k8tls_plan_table, *parent = NULL;
    void *base = p;
    const char *s = path;
    memset(out, 0, sizeof *out);
    if (!path || strlen(path) >= sizeof out->path)
        return false;
    snprintf(out->path, sizeof out->path, "%s", path);
    for (;;) {
        size_t len = strcspn(s, ".[");
        const struct k8tls_key *r = NULL;
        for (const struct k8tls_key *x = t; x->name; x++)
            if (!(x->flags & K8TLS_KF_HIDDEN) && strlen(x->name) == len &&
                strncmp(x->name, s, len) == 0) {
                r = x;
                break;
            }
        if (!r)
            return false;
        s += len;
        void *f = base ? AT(base, r->off) : NULL;
        if (*s == '[') {
            if (r->type != K8TLS_KT_LIST && r->type != K8TLS_KT_STR_LIST)
                return false;
            char *end;
            errno = 0;
            unsigned long i = strtoul(s + 1, &end, 10);
            if (end == s + 1 || *end != ']' || errno)
                return false;
            s = end + 1;
            if (base) {
                size_t n = *(size_t *)AT(base, r->count_off);
                if (i >= n)
                    return false;
                size_t size = r->type == K8TLS_KT_STR_LIST ? sizeof(char *) : r->elem_size;
                f = (char *)*(void **)f + i * size;
            }
            if (r->type == K8TLS_KT_STR_LIST) {
                if (*s)
                    return false;
                /* an item of a string list: described by its list row */
                out->row = r;
                out->parent = parent;
                out->ptr = f;
                return true;
            }
            if (!*s)
                return false;   /* a whole element is not a field */
            parent = r;
            t = r->sub;
            base = f;
            s++;
            continue;
        }
        if (!*s) {
            out->row = r;
            out->parent = parent;
            out->ptr = f;
            return true;
        }
        if (*s != '.' || r->type != K8TLS_KT_GROUP)
            return false;
        s++;
        parent = r;
        t = r->sub;
        base = f;
    }
}

const struct k8tls_key *k8tls_plan_row(const char *path)
{
    struct k8tls_field f;
    return k8tls_plan_field(NULL, path, &f) ? f.row : NULL;
}

static bool is_item(const struct k8tls_field *f)
{
    return f->row->type == K8TLS_KT_STR_LIST && f->path[strlen(f->path) - 1] == ']';
}

char *k8tls_plan_get_text(struct k8tls_plan *p, const char *path)
{
    struct k8tls_field f;
    char num[32];
    if (!p || !k8tls_plan_field(p, path, &f))
        return NULL;
    if (is_item(&f))
        return strdup(*(char **)f.ptr ? *(char **)f.ptr : "");
    switch (f.row->type) {
    case K8TLS_KT_STR:
    case K8TLS_KT_STR_ENUM:
        return strdup(*(char **)f.ptr ? *(char **)f.ptr : "");
    case K8TLS_KT_BOOL:
        return strdup(*(bool *)f.ptr ? "true" : "false");
    case K8TLS_KT_INT:
        snprintf(num, sizeof num, "%d", *(int *)f.ptr);
        return strdup(num);
    case K8TLS_KT_ENUM: {
        int v = *(int *)f.ptr, n = 0;
        while (f.row->names[n])
            n++;
        return strdup(v >= 0 && v < n ? f.row->names[v] : "?");
    }
    case K8TLS_KT_PASSWORD: {
        const struct k8tls_password *pw = f.ptr;
        return strdup(pw->ref ? pw->ref : "");
    }
    case K8TLS_KT_STR_LIST: {
        char **v = *(char ***)f.ptr;
        size_t n = *(size_t *)((char *)f.ptr - f.row->off + f.row->count_off), len = 1;
        for (size_t i = 0; i < n; i++)
            len += strlen(v[i]) + 2;
        char *out = malloc(len);
        if (!out)
            return NULL;
        out[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (i)
                strcat(out, ", ");
            strcat(out, v[i]);
        }
        return out;
    }
    case K8TLS_KT_CONST:
        return strdup(f.row->dflt_str);
    case K8TLS_KT_GROUP:
    case K8TLS_KT_LIST:
        break;
    }
    return NULL;
}

static int set_string(char **dst, const char *text, bool secret, struct k8tls_err *e)
{
    char *c = strdup(text);
    if (!c) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    if (secret)
        k8tls_secure_free_str(*dst);
    else
        free(*dst);
    *dst = c;
    return 0;
}

static int set_list(const struct k8tls_field *f, const char *text, struct k8tls_err *e)
{
    void *base = (char *)f->ptr - f->row->off;
    size_t n = 0;
    for (const char *s = text; *s;) {
        size_t len = strcspn(s, ",");
        size_t lead = strspn(s, " \t");
        if (lead < len)
            n++;
        s += len + (s[len] ? 1 : 0);
    }
    if (k8tls_list_resize(f->row, base, n) < 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    char **v = *(char ***)f->ptr;
    size_t i = 0;
    for (const char *s = text; *s && i < n;) {
        size_t len = strcspn(s, ",");
        size_t lead = strspn(s, " \t");
        if (lead < len) {
            size_t end = len;
            while (end > lead && (s[end - 1] == ' ' || s[end - 1] == '\t'))
                end--;
            v[i] = strndup(s + lead, end - lead);
            if (!v[i]) {
                k8tls_list_resize(f->row, base, 0);
                k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
                return -1;
            }
            i++;
        }
        s += len + (s[len] ? 1 : 0);
    }
    return 0;
}

int k8tls_plan_set_text(struct k8tls_plan *p, const char *path, const char *text,
                        struct k8tls_err *e)
{
    struct k8tls_field f;
    if (!p || !text || !k8tls_plan_field(p, path, &f)) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("unknown key"));
        return -1;
    }
    if (is_item(&f))
        return set_string(f.ptr, text, false, e);
    switch (f.row->type) {
    case K8TLS_KT_STR:
        return set_string(f.ptr, text, false, e);
    case K8TLS_KT_BOOL:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
            break;
        *(bool *)f.ptr = strcmp(text, "true") == 0;
        return 0;
    case K8TLS_KT_INT: {
        char *end;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (end == text || *end || errno || v < INT_MIN || v > INT_MAX) {
            k8tls_err_set(e, NULL, 0, 0, _("expected a whole number, found '%s'"), text);
            return -1;
        }
        *(int *)f.ptr = (int)v;
        return 0;
    }
    case K8TLS_KT_ENUM:
    case K8TLS_KT_STR_ENUM: {
        const char *const *allowed = k8tls_key_allowed(f.row, f.parent);
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], text) == 0) {
                if (f.row->type == K8TLS_KT_STR_ENUM)
                    return set_string(f.ptr, text, false, e);
                int v = 0;
                while (f.row->names[v] && strcmp(f.row->names[v], text) != 0)
                    v++;
                *(int *)f.ptr = f.row->names[v] ? v : -1;
                return 0;
            }
        char list[256] = "";
        for (size_t i = 0; allowed[i]; i++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", allowed[i]);
        }
        k8tls_err_set(e, NULL, 0, 0, _("expected one of: %s; found '%s'"), list, text);
        return -1;
    }
    case K8TLS_KT_PASSWORD: {
        struct k8tls_password *pw = f.ptr;
        if (!*text) {
            k8tls_secure_free_str(pw->ref);
            pw->ref = NULL;
            return 0;
        }
        return set_string(&pw->ref, text, true, e);
    }
    case K8TLS_KT_STR_LIST:
        return set_list(&f, text, e);
    case K8TLS_KT_CONST:
    case K8TLS_KT_GROUP:
    case K8TLS_KT_LIST:
        k8tls_err_set(e, NULL, 0, 0, "%s", _("not a single value"));
        return -1;
    }
    k8tls_err_set(e, NULL, 0, 0, "%s", _("expected true or false"));
    return -1;
}
