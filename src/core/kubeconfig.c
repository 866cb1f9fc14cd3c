/* The kubeconfig reader: the files kubectl would read, merged the way kubectl merges them.
 *
 * kubectl's rules (client-go's loading rules, checked against kubectl 1.32 on this machine):
 *   --kubeconfig PATH      that file alone; it must exist;
 *   KUBECONFIG=a:b:c       every listed file that exists (empty entries and missing files are
 *                          skipped, duplicates read once); for contexts, clusters and users the
 *                          first file to define a name wins; the first non-empty current-context
 *                          wins;
 *   otherwise              ~/.kube/config, an empty configuration when it does not exist.
 * Inside one file a name defined twice is an error; unknown keys are ignored; a key given twice
 * keeps its last value; a plain scalar that YAML 1.1 reads as a number or a boolean (5, 1e3, yes,
 * on, y) is not a string, so kubectl refuses it where it wants a string, and so do we.
 * The input is hostile (X5): bounded size, no recursion into the document, every node's
 * type checked before use. */
#include "config.h"
#include "k8tls/kube.h"
#include "k8tls/i18n.h"
#include "k8tls/infile.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include <openssl/crypto.h>

#define KC_MAX_BYTES (16u * 1024u * 1024u)

/* One file's content, before merging. */
struct kc_entry {
    char *name;
    char *a, *b, *c;           /* context: cluster, user, namespace; cluster: server */
};

struct kc_list {
    struct kc_entry *v;
    size_t n, cap;
};

struct kc_file {
    struct kc_list contexts, clusters, users;
    char *current;
};

static void list_free(struct kc_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].a);
        free(l->v[i].b);
        free(l->v[i].c);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void file_free(struct kc_file *f)
{
    list_free(&f->contexts);
    list_free(&f->clusters);
    list_free(&f->users);
    free(f->current);
    memset(f, 0, sizeof *f);
}

static struct kc_entry *list_add(struct kc_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct kc_entry *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    struct kc_entry *en = &l->v[l->n++];
    memset(en, 0, sizeof *en);
    return en;
}

static const struct kc_entry *list_find(const struct kc_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

/* ---- YAML 1.1 scalar resolution (what kubectl's YAML reader does with plain scalars) ------- */

static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

static bool plain_is_null(const char *s)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
    return is_one_of(s, nulls);
}

static bool plain_is_bool(const char *s)
{
    static const char *const bools[] = {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
        "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", NULL };
    return is_one_of(s, bools);
}

static bool all_in(const char *s, const char *set)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s != '_' && !strchr(set, *s))
            return false;
    return true;
}

static bool plain_is_number(const char *s)
{
    static const char *const specials[] = {
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        ".nan", ".NaN", ".NAN", NULL };
    if (is_one_of(s, specials))
        return true;
    const char *t = s;
    if (*t == '+' || *t == '-')
        t++;
    if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        return all_in(t + 2, "0123456789abcdefABCDEF");
    if (t[0] == '0' && (t[1] == 'b' || t[1] == 'B'))
        return all_in(t + 2, "01");
    if (t[0] == '0' && (t[1] == 'o' || t[1] == 'O'))
        return all_in(t + 2, "01234567");
    /* decimal integers and floats: digits, one optional dot, an optional exponent */
    size_t len = strlen(s);
    if (len > 256)
        return false;
    char buf[257];
    size_t k = 0;
    bool digit = false;
    for (const char *q = s; *q; q++) {
        if (*q == '_')
            continue;
        if (!strchr("0123456789+-.eE", *q))
            return false;
        if (*q >= '0' && *q <= '9')
            digit = true;
        buf[k++] = *q;
    }
    buf[k] = '\0';
    if (!digit)
        return false;
    char *end = NULL;
    errno = 0;
    (void)strtod(buf, &end);
    return end && *end == '\0';
}

/* ---- reading one document ----------------------------------------------------------------- */

struct reader {
    const char *file;
    yaml_document_t *doc;
    struct k8tls_err *e;
};

static int fail_at(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k8tls_err_set(r->e, r->file, n ? (int)n->start_mark.line + 1 : 0,
                  n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
    return -1;
}

static yaml_node_t *node(struct reader *r, int id)
{
    return yaml_document_get_node(r->doc, id);
}

static bool is_null_node(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           plain_is_null((const char *)n->data.scalar.value);
}

/* The value of key in mapping m (the last one when repeated), or NULL. */
static yaml_node_t *map_get(struct reader *r, const yaml_node_t *m, const char *key)
{
    yaml_node_t *found = NULL;
    for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node(r, pr->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            found = node(r, pr->value);
    }
    return found;
}

enum found { FOUND_STRING, FOUND_NUMBER, FOUND_BOOLEAN, FOUND_LIST, FOUND_MAPPING };
enum expected { WANT_STRING, WANT_MAPPING, WANT_LIST, WANT_KUBECONFIG };

static enum found found_of(const yaml_node_t *n)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return FOUND_LIST;
    if (n->type == YAML_MAPPING_NODE)
        return FOUND_MAPPING;
    const char *v = (const char *)n->data.scalar.value;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (plain_is_bool(v))
            return FOUND_BOOLEAN;
        if (plain_is_number(v))
            return FOUND_NUMBER;
    }
    return FOUND_STRING;
}

/* "PATH: expected X, found Y" as whole sentences for the translators. */
static int type_error(struct reader *r, const yaml_node_t *n, const char *path, enum expected want)
{
    static const char *const fmt[4][5] = {
        [WANT_STRING] = {
            N_("%s: expected a string"), N_("%s: expected a string, found a number"),
            N_("%s: expected a string, found a boolean"), N_("%s: expected a string, found a list"),
            N_("%s: expected a string, found a mapping") },
        [WANT_MAPPING] = {
            N_("%s: expected a mapping, found a string"), N_("%s: expected a mapping, found a number"),
            N_("%s: expected a mapping, found a boolean"), N_("%s: expected a mapping, found a list"),
            N_("%s: expected a mapping") },
        [WANT_LIST] = {
            N_("%s: expected a list, found a string"), N_("%s: expected a list, found a number"),
            N_("%s: expected a list, found a boolean"), N_("%s: expected a list"),
            N_("%s: expected a list, found a mapping") },
        [WANT_KUBECONFIG] = {
            N_("%sexpected a kubeconfig mapping (apiVersion, clusters, contexts, users...), "
               "found a string"),
            N_("%sexpected a kubeconfig mapping (apiVersion, clusters, contexts, users...), "
               "found a number"),
            N_("%sexpected a kubeconfig mapping (apiVersion, clusters, contexts, users...), "
               "found a boolean"),
            N_("%sexpected a kubeconfig mapping (apiVersion, clusters, contexts, users...), "
               "found a list"),
            N_("%sexpected a kubeconfig mapping (apiVersion, clusters, contexts, "
               "users...)") },
    };
    return fail_at(r, n, _(fmt[want][found_of(n)]), path);
}

/* Reads an optional string field: absent or null -> "". */
static int get_str(struct reader *r, const yaml_node_t *m, const char *key, const char *path,
                   char **out)
{
    yaml_node_t *n = map_get(r, m, key);
    const char *v = "";
    if (n && !is_null_node(n)) {
        if (n->type != YAML_SCALAR_NODE ||
            (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
             (plain_is_bool((const char *)n->data.scalar.value) ||
              plain_is_number((const char *)n->data.scalar.value))))
            return type_error(r, n, path, WANT_STRING);
        v = (const char *)n->data.scalar.value;
    }
    *out = strdup(v);
    if (!*out)
        return fail_at(r, n, _("out of memory"));
    return 0;
}

/* A mapping, or null (-> NULL with 0). */
static int get_map(struct reader *r, yaml_node_t *m, const char *key, const char *path,
                   yaml_node_t **out)
{
    yaml_node_t *n = map_get(r, m, key);
    *out = NULL;
    if (!n || is_null_node(n))
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return type_error(r, n, path, WANT_MAPPING);
    *out = n;
    return 0;
}

/* contexts / clusters / users: a list of {name: ..., <inner>: {...}}. fields[] are read from the
 * inner mapping into a, b, c. */
static int read_named_list(struct reader *r, yaml_node_t *root, const char *key,
                           const char *inner, const char *const fields[3], struct kc_list *out)
{
    yaml_node_t *seq = map_get(r, root, key);
    if (!seq || is_null_node(seq))
        return 0;
    if (seq->type != YAML_SEQUENCE_NODE)
        return type_error(r, seq, key, WANT_LIST);
    size_t idx = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++, idx++) {
        yaml_node_t *item = node(r, *it);
        char path[160];
        if (!item)
            continue;
        snprintf(path, sizeof path, "%s[%zu]", key, idx);
        struct kc_entry *en = list_add(out);
        if (!en)
            return fail_at(r, item, _("out of memory"));
        if (is_null_node(item)) {
            if (!(en->name = strdup("")))
                return fail_at(r, item, _("out of memory"));
        } else if (item->type != YAML_MAPPING_NODE) {
            return type_error(r, item, path, WANT_MAPPING);
        } else {
            char sub[200];
            snprintf(sub, sizeof sub, "%s.name", path);
            if (get_str(r, item, "name", sub, &en->name) < 0)
                return -1;
            yaml_node_t *in = NULL;
            snprintf(sub, sizeof sub, "%s.%s", path, inner);
            if (get_map(r, item, inner, sub, &in) < 0)
                return -1;
            char **dst[3] = { &en->a, &en->b, &en->c };
            for (int f = 0; f < 3 && fields[f]; f++) {
                if (in) {
                    char fpath[260];
                    snprintf(fpath, sizeof fpath, "%s.%s.%s", path, inner, fields[f]);
                    if (get_str(r, in, fields[f], fpath, dst[f]) < 0)
                        return -1;
                } else if (!(*dst[f] = strdup(""))) {
                    return fail_at(r, item, _("out of memory"));
                }
            }
        }
        char **all[3] = { &en->a, &en->b, &en->c };
        for (int f = 0; f < 3; f++)
            if (!*all[f] && !(*all[f] = strdup("")))
                return fail_at(r, item, _("out of memory"));
        for (size_t j = 0; j + 1 < out->n; j++) {
            if (strcmp(out->v[j].name, en->name) == 0)
                return fail_at(r, item, _("%s: duplicate name \"%s\" in %s"), path, en->name, key);
        }
    }
    return 0;
}

static int parse_document(struct reader *r, struct kc_file *f)
{
    yaml_node_t *root = yaml_document_get_root_node(r->doc);
    if (!root || is_null_node(root))
        return 0;   /* an empty file is an empty configuration */
    if (root->type != YAML_MAPPING_NODE)
        return type_error(r, root, "", WANT_KUBECONFIG);
    static const char *const ctx_fields[3] = { "cluster", "user", "namespace" };
    static const char *const cluster_fields[3] = { "server", NULL, NULL };
    static const char *const user_fields[3] = { NULL, NULL, NULL };
    if (get_str(r, root, "current-context", "current-context", &f->current) < 0)
        return -1;
    if (read_named_list(r, root, "clusters", "cluster", cluster_fields, &f->clusters) < 0 ||
        read_named_list(r, root, "users", "user", user_fields, &f->users) < 0 ||
        read_named_list(r, root, "contexts", "context", ctx_fields, &f->contexts) < 0)
        return -1;
    return 0;
}

/* A kubeconfig holds credentials (tokens, client keys): every copy is wiped before it is freed. */
static void wipe_free(unsigned char *p, size_t n)
{
    if (p)
        OPENSSL_cleanse(p, n);
    free(p);
}

static void wipe_parser(yaml_parser_t *ps)
{
    if (ps->raw_buffer.start)
        OPENSSL_cleanse(ps->raw_buffer.start, (size_t)(ps->raw_buffer.end - ps->raw_buffer.start));
    if (ps->buffer.start)
        OPENSSL_cleanse(ps->buffer.start, (size_t)(ps->buffer.end - ps->buffer.start));
}

static void wipe_document(yaml_document_t *d)
{
    for (yaml_node_t *n = d->nodes.start; n && n < d->nodes.top; n++)
        if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
            OPENSSL_cleanse(n->data.scalar.value, n->data.scalar.length);
}

/* Reads and parses one file. Returns 0, 1 when it does not exist (and missing_ok), -1 on error. */
static int read_file(const char *path, bool missing_ok, struct kc_file *f, struct k8tls_err *e)
{
    /* a FIFO (or a directory, a device) is refused, not read */
    int fd = k8tls_open_input(path, e);
    if (fd == K8TLS_INPUT_NOT_REGULAR)
        return -1;
    if (fd < 0) {
        if (missing_ok && (errno == ENOENT || errno == ENOTDIR))
            return 1;
        k8tls_err_set(e, path, 0, 0, _("cannot read the kubeconfig: %s"), strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("cannot read the kubeconfig: %s"), strerror(err));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("cannot read the kubeconfig: %s"), strerror(EISDIR));
        return -1;
    }
    if (!S_ISREG(st.st_mode))
        st.st_size = 0;   /* /dev/null, a pipe: read it, bounded below */
    if ((uintmax_t)st.st_size > KC_MAX_BYTES) {
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("the kubeconfig is larger than %u MiB"),
                      KC_MAX_BYTES / 1024u / 1024u);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("out of memory"));
        return -1;
    }
    for (;;) {
        if (len == cap) {   /* the file grew while we read it (or is not a regular file) */
            if (cap > KC_MAX_BYTES) {
                wipe_free(buf, cap);
                close(fd);
                k8tls_err_set(e, path, 0, 0, _("the kubeconfig is larger than %u MiB"),
                              KC_MAX_BYTES / 1024u / 1024u);
                return -1;
            }
            unsigned char *nb = malloc(cap * 2);
            if (!nb) {
                wipe_free(buf, cap);
                close(fd);
                k8tls_err_set(e, path, 0, 0, _("out of memory"));
                return -1;
            }
            memcpy(nb, buf, len);
            wipe_free(buf, cap);
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int err = errno;
            wipe_free(buf, cap);
            close(fd);
            k8tls_err_set(e, path, 0, 0, _("cannot read the kubeconfig: %s"), strerror(err));
            return -1;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    close(fd);

    yaml_parser_t parser;
    yaml_document_t doc;
    int rc = 0;
    if (!yaml_parser_initialize(&parser)) {
        wipe_free(buf, cap);
        k8tls_err_set(e, path, 0, 0, _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&parser, buf, len);
    if (k8tls_yaml_check_depth(path, (const char *)buf, len, K8TLS_YAML_MAX_DEPTH, e) < 0) {
        rc = -1;
    } else if (!yaml_parser_load(&parser, &doc)) {
        const char *problem = parser.problem ? parser.problem : _("unknown error");
        if (parser.error == YAML_MEMORY_ERROR)
            problem = _("out of memory");
        if (parser.context)
            k8tls_err_set(e, path, (int)parser.problem_mark.line + 1,
                          (int)parser.problem_mark.column + 1, _("malformed YAML: %s %s"),
                          problem, parser.context);
        else
            k8tls_err_set(e, path, (int)parser.problem_mark.line + 1,
                          (int)parser.problem_mark.column + 1, _("malformed YAML: %s"), problem);
        rc = -1;
    } else {
        struct reader r = { path, &doc, e };
        rc = parse_document(&r, f);
        wipe_document(&doc);
        yaml_document_delete(&doc);
    }
    wipe_parser(&parser);
    yaml_parser_delete(&parser);
    wipe_free(buf, cap);
    return rc;
}

/* ---- merging ----------------------------------------------------------------------------- */

void k8tls_kubeconfig_free(struct k8tls_kubeconfig *kc)
{
    if (!kc)
        return;
    for (size_t i = 0; i < kc->n_contexts; i++) {
        struct k8tls_kube_context *c = &kc->contexts[i];
        free(c->name);
        free(c->cluster);
        free(c->namespace_);
        free(c->user);
        free(c->server);
    }
    free(kc->contexts);
    for (size_t i = 0; i < kc->n_files; i++)
        free(kc->files[i]);
    free(kc->files);
    free(kc->current_context);
    free(kc);
}

const struct k8tls_kube_context *k8tls_kubeconfig_find(const struct k8tls_kubeconfig *kc,
                                                       const char *name)
{
    if (!kc || !name)
        return NULL;
    for (size_t i = 0; i < kc->n_contexts; i++)
        if (strcmp(kc->contexts[i].name, name) == 0)
            return &kc->contexts[i];
    return NULL;
}

static int cmp_context(const void *a, const void *b)
{
    return strcmp(((const struct k8tls_kube_context *)a)->name,
                  ((const struct k8tls_kube_context *)b)->name);
}

static char *default_path(void)
{
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/";
    }
    size_t n = strlen(home) + sizeof "/.kube/config";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.kube/config", home);
    return p;
}

/* The list of candidate files, in order, deduplicated. */
static char **candidates(const char *explicit_path, size_t *n_out, bool *missing_ok)
{
    char **v = NULL;
    size_t n = 0;
    *missing_ok = true;
    const char *env = getenv("KUBECONFIG");
    if (explicit_path) {
        *missing_ok = false;
        v = calloc(1, sizeof *v);
        if (!v || !(v[0] = strdup(explicit_path))) {
            free(v);
            return NULL;
        }
        n = 1;
    } else if (env && *env) {
        size_t cap = 1;
        for (const char *q = env; *q; q++)
            cap += *q == ':';
        v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        const char *s = env;
        for (;;) {
            const char *colon = strchr(s, ':');
            size_t len = colon ? (size_t)(colon - s) : strlen(s);
            if (len > 0) {
                bool dup = false;
                for (size_t i = 0; i < n; i++)
                    if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
                        dup = true;
                if (!dup) {
                    if (!(v[n] = strndup(s, len))) {
                        for (size_t i = 0; i < n; i++)
                            free(v[i]);
                        free(v);
                        return NULL;
                    }
                    n++;
                }
            }
            if (!colon)
                break;
            s = colon + 1;
        }
    } else {
        v = calloc(1, sizeof *v);
        if (!v || !(v[0] = default_path())) {
            free(v);
            return NULL;
        }
        n = 1;
    }
    *n_out = n;
    return v;
}

struct k8tls_kubeconfig *k8tls_kubeconfig_load(const char *explicit_path, struct k8tls_err *e)
{
    size_t n_cand = 0;
    bool missing_ok = true;
    char **cand = candidates(explicit_path, &n_cand, &missing_ok);
    struct k8tls_kubeconfig *kc = calloc(1, sizeof *kc);
    struct kc_file *files = calloc(n_cand ? n_cand : 1, sizeof *files);
    bool *present = calloc(n_cand ? n_cand : 1, sizeof *present);
    if (!cand || !kc || !files || !present) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        goto fail;
    }
    kc->files = calloc(n_cand ? n_cand : 1, sizeof *kc->files);
    if (!kc->files) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        goto fail;
    }
    for (size_t i = 0; i < n_cand; i++) {
        int rc = read_file(cand[i], missing_ok, &files[i], e);
        if (rc < 0)
            goto fail;
        if (rc == 0) {
            present[i] = true;
            kc->files[kc->n_files++] = cand[i];
            cand[i] = NULL;
        }
    }

    /* merge: the first file to define a name wins; the first non-empty current-context wins */
    size_t total = 0;
    for (size_t i = 0; i < n_cand; i++)
        total += files[i].contexts.n;
    kc->contexts = calloc(total ? total : 1, sizeof *kc->contexts);
    if (!kc->contexts) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        goto fail;
    }
    size_t fi = 0;   /* index into kc->files of the current present file */
    for (size_t i = 0; i < n_cand; i++) {
        if (!present[i])
            continue;
        const char *fname = kc->files[fi++];
        struct kc_file *f = &files[i];
        if (!kc->current_context && f->current && *f->current) {
            kc->current_context = f->current;
            f->current = NULL;
        }
        for (size_t j = 0; j < f->contexts.n; j++) {
            const struct kc_entry *src = &f->contexts.v[j];
            if (k8tls_kubeconfig_find(kc, src->name))
                continue;
            /* its cluster: the first file to define that cluster name */
            const char *server = NULL;
            for (size_t k = 0; k < n_cand && !server; k++) {
                const struct kc_entry *cl = present[k] ? list_find(&files[k].clusters, src->a)
                                                       : NULL;
                if (cl)
                    server = cl->a;
            }
            /* its user, the same way */
            bool user_defined = false;
            for (size_t k = 0; k < n_cand && !user_defined && *src->b; k++)
                user_defined = present[k] && list_find(&files[k].users, src->b) != NULL;
            struct k8tls_kube_context *c = &kc->contexts[kc->n_contexts++];
            c->user_defined = user_defined;
            c->name = strdup(src->name);
            c->cluster = strdup(src->a);
            c->user = strdup(src->b);
            c->namespace_ = strdup(src->c);
            c->server = server ? strdup(server) : NULL;
            c->file = fname;
            if (!c->name || !c->cluster || !c->user || !c->namespace_ || (server && !c->server)) {
                k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
                goto fail;
            }
        }
    }
    if (!kc->current_context && !(kc->current_context = strdup(""))) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        goto fail;
    }
    qsort(kc->contexts, kc->n_contexts, sizeof *kc->contexts, cmp_context);

    for (size_t i = 0; i < n_cand; i++) {
        file_free(&files[i]);
        free(cand[i]);
    }
    free(files);
    free(present);
    free(cand);
    return kc;

fail:
    if (cand)
        for (size_t i = 0; i < n_cand; i++)
            free(cand[i]);
    if (files)
        for (size_t i = 0; i < n_cand; i++)
            file_free(&files[i]);
    free(cand);
    free(files);
    free(present);
    k8tls_kubeconfig_free(kc);
    return NULL;
}

char *k8tls_kubeconfig_describe(const struct k8tls_kubeconfig *kc, const char *explicit_path)
{
    if (kc && kc->n_files > 0) {
        size_t len = 1;
        for (size_t i = 0; i < kc->n_files; i++)
            len += strlen(kc->files[i]) + 1;
        char *s = malloc(len);
        if (!s)
            return NULL;
        s[0] = '\0';
        for (size_t i = 0; i < kc->n_files; i++) {
            if (i)
                strcat(s, ":");
            strcat(s, kc->files[i]);
        }
        return s;
    }
    if (explicit_path)
        return strdup(explicit_path);
    const char *env = getenv("KUBECONFIG");
    if (env && *env)
        return strdup(env);
    return default_path();
}
