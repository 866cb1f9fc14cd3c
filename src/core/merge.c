/* Merge mode (cluster.manifest): read an existing K8ssandraCluster file, set or replace only the
 * encryption parts, keep everything else (order, values, scalar styles); and adopt from it what
 * shapes the certificates (k8tls_bundle_adopt_manifest).
 * The file is hostile input (X5): bounded size, document count and depth; never crashes.
 * Called by bundle.c and the command line (adopt). May call manifest.c (the encryption parts,
 * the identity) and changes.c, and below the bundle ydoc.c, yamlutil.c, the plan and err.c;
 * never bundle.c or nextsteps.c. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/i18n.h"
#include "k8tls/yamlutil.h"
#include "k8tls/crdcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MERGE_MAX_DOCS 256
#define MERGE_MAX_DEPTH 200
#define MERGE_MAX_VISITS 2000000L

struct loaded {
    char *path;              /* as shown in messages */
    struct ydoc *docs;
    size_t n;
    size_t cluster;          /* index of the K8ssandraCluster document */
    bool bom, crlf, json;    /* how the file is written: kept in the merged manifest */
};

static void loaded_free(struct loaded *l)
{
    for (size_t i = 0; i < l->n; i++)
        ydoc_free(&l->docs[i]);
    free(l->docs);
    free(l->path);
    memset(l, 0, sizeof *l);
}

static char *manifest_path(const struct k8tls_plan *p)
{
    const char *m = p->cluster.manifest;
    if (m[0] == '/')
        return strdup(m);
    char *base = k8tls_plan_base_dir(p);
    if (!base)
        return NULL;
    if (strcmp(base, ".") == 0) {
        free(base);
        return strdup(m);
    }
    size_t n = strlen(base) + strlen(m) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", base, m);
    free(base);
    return s;
}

/* Depth and size of the node graph (aliases make it a graph: a cycle, or an exponential fan-out,
 * would defeat libyaml's recursive emitter). */
static bool too_deep(struct ydoc *y, int id, int depth, long *visits)
{
    if (depth > MERGE_MAX_DEPTH || ++*visits > MERGE_MAX_VISITS)
        return true;
    yaml_node_t *n = ydoc_node(y, id);
    if (!n)
        return false;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++)
            if (too_deep(y, *it, depth + 1, visits))
                return true;
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
             pr++)
            if (too_deep(y, pr->key, depth + 1, visits) ||
                too_deep(y, pr->value, depth + 1, visits))
                return true;
    }
    return false;
}

static const char *doc_kind(struct ydoc *y)
{
    int root = ydoc_root(y);
    if (!root || !ydoc_is_map(y, root))
        return NULL;
    return ydoc_scalar(y, ydoc_map_get(y, root, "kind"));
}

static int node_line(struct ydoc *y, int id)
{
    yaml_node_t *n = ydoc_node(y, id);
    return n ? (int)n->start_mark.line + 1 : 0;
}

static int node_col(struct ydoc *y, int id)
{
    yaml_node_t *n = ydoc_node(y, id);
    return n ? (int)n->start_mark.column + 1 : 0;
}

/* Loads every document and finds the one K8ssandraCluster. */
static int load(const struct k8tls_plan *p, struct loaded *l, struct k8tls_err *e)
{
    size_t len = 0;
    memset(l, 0, sizeof *l);
    l->path = manifest_path(p);
    if (!l->path) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    char *buf = NULL;
    if (k8tls_yaml_read_file(l->path, K8TLS_YAML_MAX_INPUT, &buf, &len, e) < 0)
        goto fail;

    /* a UTF-8 BOM, CRLF line ends (by the first line end), JSON (a flow document) */
    size_t k = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        l->bom = true, k = 3;
    const char *nl = memchr(buf, '\n', len);
    l->crlf = nl && nl > buf && nl[-1] == '\r';
    while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r' || buf[k] == '\n'))
        k++;
    l->json = k < len && (buf[k] == '{' || buf[k] == '[');

    /* stop at the depth limit while parsing, not after (libyaml is quadratic in the depth) */
    if (k8tls_yaml_check_depth(l->path, buf, len, MERGE_MAX_DEPTH, e) < 0) {
        free(buf);
        goto fail;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(buf);
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        goto fail;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    size_t cap = 0;
    for (;;) {
        if (l->n == cap) {
            if (cap >= MERGE_MAX_DOCS) {
                k8tls_err_set(e, l->path, 0, 0, _("more than %d YAML documents"), MERGE_MAX_DOCS);
                goto parse_fail;
            }
            size_t nc = cap ? cap * 2 : 4;
            struct ydoc *nd = realloc(l->docs, nc * sizeof *nd);
            if (!nd) {
                k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
                goto parse_fail;
            }
            l->docs = nd;
            cap = nc;
        }
        struct ydoc *d = &l->docs[l->n];
        memset(d, 0, sizeof *d);
        if (!yaml_parser_load(&parser, &d->doc)) {
            int line = (int)parser.problem_mark.line + 1, col = (int)parser.problem_mark.column + 1;
            if (parser.error == YAML_MEMORY_ERROR)
                k8tls_err_set(e, l->path, 0, 0, _("out of memory"));
            else
                k8tls_err_set(e, l->path, line, col, _("not valid YAML: %s%s%s"),
                              parser.problem ? parser.problem : _("syntax error"),
                              parser.context ? " " : "", parser.context ? parser.context : "");
            goto parse_fail;
        }
        if (!yaml_document_get_root_node(&d->doc)) {   /* end of the stream */
            yaml_document_delete(&d->doc);
            break;
        }
        l->n++;
    }
    yaml_parser_delete(&parser);
    free(buf);

    size_t found = 0, first = 0;
    char lines[256] = "";
    for (size_t i = 0; i < l->n; i++) {
        const char *k = doc_kind(&l->docs[i]);
        if (k && strcmp(k, "K8ssandraCluster") == 0) {
            if (found++ == 0)
                first = i;
            size_t used = strlen(lines);
            if (used + 16 < sizeof lines)
                snprintf(lines + used, sizeof lines - used, "%s%d", used ? ", " : "",
                         node_line(&l->docs[i], 1));
        }
    }
    if (found == 0) {
        k8tls_err_set(e, l->path, 0, 0,
                      _("no K8ssandraCluster in this file (%zu YAML documents): cluster.manifest "
                        "must name a file holding one K8ssandraCluster"),
                      l->n);
        goto fail;
    }
    if (found > 1) {
        k8tls_err_set(e, l->path, 0, 0,
                      _("%zu K8ssandraCluster documents (lines %s): cluster.manifest must name a "
                        "file holding exactly one"),
                      found, lines);
        goto fail;
    }
    l->cluster = first;

    struct ydoc *y = &l->docs[first];
    long visits = 0;
    if (too_deep(y, 1, 0, &visits)) {
        k8tls_err_set(e, l->path, node_line(y, 1), 0,
                      _("the K8ssandraCluster is nested too deeply or too large"));
        goto fail;
    }
    int av = ydoc_map_get(y, 1, "apiVersion");
    const char *avs = ydoc_scalar(y, av);
    if (!avs || strcmp(avs, K8TLS_CLUSTER_API_VERSION) != 0) {
        k8tls_err_set(e, l->path, av ? node_line(y, av) : node_line(y, 1), av ? node_col(y, av) : 0,
                      _("apiVersion: expected %s, found %s"), K8TLS_CLUSTER_API_VERSION,
                      avs ? avs : _("none"));
        goto fail;
    }
    int md = ydoc_map_get(y, 1, "metadata");
    const char *name = ydoc_scalar(y, ydoc_map_get(y, md, "name"));
    if (!ydoc_is_map(y, md) || !name || !*name) {
        k8tls_err_set(e, l->path, md ? node_line(y, md) : node_line(y, 1),
                      md ? node_col(y, md) : 0, _("metadata.name: missing"));
        goto fail;
    }
    const char *ns = ydoc_scalar(y, ydoc_map_get(y, md, "namespace"));
    if (ydoc_map_get(y, md, "namespace") && !ns) {
        int nsn = ydoc_map_get(y, md, "namespace");
        k8tls_err_set(e, l->path, node_line(y, nsn), node_col(y, nsn),
                      _("metadata.namespace: expected a string"));
        goto fail;
    }
    return 0;

parse_fail:
    yaml_parser_delete(&parser);
    free(buf);
fail:
    loaded_free(l);
    return -1;
}

static bool is_dse(struct ydoc *y, const struct k8tls_plan *p)
{
    int spec = ydoc_map_get(y, 1, "spec");
    int cas = ydoc_map_get(y, spec, "cassandra");
    const char *st = ydoc_scalar(y, ydoc_map_get(y, cas, "serverType"));
    if (st)
        return strcmp(st, "dse") == 0;
    return p->cluster.server_type == K8TLS_SERVER_DSE;
}

/* A JSON (or flow) manifest is written as block YAML: every mapping and sequence in block
 * style; a double-quoted string that reads the same plain (a name, not a number, a boolean or
 * null) loses its quotes. Other strings stay quoted: plain they could change type. */
static bool plain_safe(const unsigned char *v, size_t n)
{
    static const char *const special[] = {"true", "false", "yes", "no", "on", "off", "null",
                                          "y", "n"};
    if (n == 0 || !((v[0] >= 'a' && v[0] <= 'z') || (v[0] >= 'A' && v[0] <= 'Z')))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
              (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-' || v[i] == '.' ||
              v[i] == '/'))
            return false;
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strlen(special[i]) == n && strncasecmp((const char *)v, special[i], n) == 0)
            return false;
    return true;
}

static void block_style(struct ydoc *y)
{
    for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++) {
        if (n->type == YAML_MAPPING_NODE)
            n->data.mapping.style = YAML_BLOCK_MAPPING_STYLE;
        else if (n->type == YAML_SEQUENCE_NODE)
            n->data.sequence.style = YAML_BLOCK_SEQUENCE_STYLE;
        else if (n->type == YAML_SCALAR_NODE &&
                 n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
                 plain_safe(n->data.scalar.value, n->data.scalar.length))
            n->data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
    }
}

/* The input's BOM and CRLF line ends, back on the emitted text (the emitter writes LF). */
static int keep_form(const struct loaded *l, char **out, size_t *len)
{
    size_t lf = 0;
    for (size_t i = 0; i < *len; i++)
        lf += (*out)[i] == '\n';
    size_t n = *len + (l->bom ? 3 : 0) + (l->crlf ? lf : 0);
    char *s = malloc(n + 1), *w = s;
    if (!s)
        return -1;
    if (l->bom)
        memcpy(w, "\xEF\xBB\xBF", 3), w += 3;
    for (size_t i = 0; i < *len; i++) {
        if (l->crlf && (*out)[i] == '\n')
            *w++ = '\r';
        *w++ = (*out)[i];
    }
    *w = '\0';
    free(*out);
    *out = s;
    *len = n;
    return 0;
}

int k8tls_manifest_merge(const struct k8tls_plan *p, struct k8tls_bundle *b, char **out,
                         size_t *len, struct k8tls_identity *id, struct k8tls_err *e)
{
    struct loaded l;
    const char *why = NULL;
    memset(id, 0, sizeof *id);
    if (load(p, &l, e) < 0)
        return -1;
    struct ydoc *y = &l.docs[l.cluster];
    int md = ydoc_map_get(y, 1, "metadata");
    const char *ns = ydoc_scalar(y, ydoc_map_get(y, md, "namespace"));
    id->name = strdup(ydoc_scalar(y, ydoc_map_get(y, md, "name")));
    id->namespace_ = strdup(ns && *ns ? ns : p->cluster.namespace_);
    id->dse = is_dse(y, p);
    if (!id->name || !id->namespace_)
        goto oom;
    if ((!ns || !*ns) && k8tls_plan_pos(p, "cluster.namespace").line > 0) {
        /* the answers name it: it goes into the manifest, as into the Secrets */
        ydoc_map_set(y, md, "namespace", ydoc_str(y, id->namespace_));
        if (k8tls_bundle_add_change(b, K8TLS_CHANGE_ADDED, "metadata.namespace") < 0)
            goto oom;
    } else if (!ns || !*ns) {
        /* Kept as it is (most manifests leave it to kubectl -n): the Secrets are written
         * without one too, so that one namespace takes both (k8tls_bundle_adopt_manifest says
         * which: the certificates name its services). */
        id->no_namespace = true;
    }
    if (k8tls_manifest_apply_encryption(y, 1, p, id->dse, l.path, b, e) < 0)
        goto fail;

    if (l.n > 1) {
        char kinds[512] = "";
        for (size_t i = 0; i < l.n; i++) {
            if (i == l.cluster)
                continue;
            const char *k = doc_kind(&l.docs[i]);
            size_t used = strlen(kinds);
            snprintf(kinds + used, sizeof kinds - used, "%s%s", used ? ", " : "", k ? k : "?");
        }
        k8tls_diags_add(&b->notes, K8TLS_SEV_NOTE, l.path, 0, 0, NULL,
                        _("only the K8ssandraCluster is written; the other documents of the file "
                          "are left out (%s)"),
                        kinds);
    }
    if (l.json)
        block_style(y);
    /* Emit the cluster document alone (ydoc_emit consumes it). */
    struct ydoc one = *y;
    memset(y, 0, sizeof *y);
    if (ydoc_emit(&one, 1, out, len, &why) < 0) {
        k8tls_err_set(e, l.path, 0, 0, _("cannot write the merged manifest: %s"), why);
        goto fail;
    }
    if ((l.bom || l.crlf) && keep_form(&l, out, len) < 0) {
        free(*out);
        *out = NULL;
        goto oom;
    }
    /* Re-initialise the slot so that loaded_free can delete it. */
    yaml_document_initialize(&y->doc, NULL, NULL, NULL, 1, 1);
    loaded_free(&l);
    return 0;
oom:
    k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
fail:
    loaded_free(&l);
    k8tls_identity_clear(id);
    return -1;
}

/* ---- adopting the manifest's shape ------------------------------------------------------ */

static int set_plan_str(char **dst, const char *v)
{
    char *s = strdup(v);
    if (!s)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

/* "N.N.N", each part digits */
static bool version_form(const char *s)
{
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        if (i < 2 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

int k8tls_bundle_adopt_manifest(struct k8tls_plan *p, struct k8tls_diags *d)
{
    struct loaded l;
    struct k8tls_err e;
    if (!p->cluster.manifest || !*p->cluster.manifest)
        return 0;
    k8tls_err_clear(&e);
    if (load(p, &l, &e) < 0) {
        k8tls_diags_add_err(d, "cluster.manifest", &e);
        return -1;
    }
    struct ydoc *y = &l.docs[l.cluster];
    k8tls_crd_warn_input(&y->doc, l.path, d);    /* K14: an input that is already invalid */
    int rc = 0;
    int md = ydoc_map_get(y, 1, "metadata");
    const char *name = ydoc_scalar(y, ydoc_map_get(y, md, "name"));
    const char *ns = ydoc_scalar(y, ydoc_map_get(y, md, "namespace"));
    int spec = ydoc_map_get(y, 1, "spec");
    int cas = ydoc_map_get(y, spec, "cassandra");

    /* "the answers said": only for a value the answers file gave (a position), not a default */
    bool name_given = k8tls_plan_pos(p, "cluster.name").line > 0;
    bool ns_given = k8tls_plan_pos(p, "cluster.namespace").line > 0;
    if (strcmp(name, p->cluster.name ? p->cluster.name : "") != 0) {
        if (name_given)
            k8tls_diags_add(d, K8TLS_SEV_NOTE, l.path, 0, 0, "cluster.name",
                            _("the manifest's name %s is used (the answers said %s)"), name,
                            p->cluster.name ? p->cluster.name : "");
        rc |= set_plan_str(&p->cluster.name, name);
    }
    if (ns && *ns && strcmp(ns, p->cluster.namespace_ ? p->cluster.namespace_ : "") != 0) {
        if (ns_given)
            k8tls_diags_add(d, K8TLS_SEV_NOTE, l.path, 0, 0, "cluster.namespace",
                            _("the manifest's namespace %s is used (the answers said %s)"), ns,
                            p->cluster.namespace_ ? p->cluster.namespace_ : "");
        rc |= set_plan_str(&p->cluster.namespace_, ns);
    } else if ((!ns || !*ns) && !ns_given) {
        const char *dns = p->cluster.namespace_ ? p->cluster.namespace_ : "";
        k8tls_diags_add(d, K8TLS_SEV_NOTE, l.path, node_line(y, md), node_col(y, md),
                        "metadata.namespace",
                        _("not set: the manifest is kept without it and the Secrets are written "
                          "without one too; apply both to namespace %s (the built-in default, "
                          "which the certificates' service names use): kubectl apply -k DIR "
                          "puts them there (kustomization.yaml sets namespace: %s), as does kubectl "
                          "apply -n %s -f DIR/manifests; set cluster.namespace in the answers "
                          "for another one"),
                        dns, dns, dns);
    }
    const char *st = ydoc_scalar(y, ydoc_map_get(y, cas, "serverType"));
    if (st && k8tls_server_type_parse(st) >= 0)
        p->cluster.server_type = (enum k8tls_server_type)k8tls_server_type_parse(st);
    int svn = ydoc_map_get(y, cas, "serverVersion");
    const char *sv = ydoc_scalar(y, svn);
    if (sv && *sv && !k8tls_server_version_fits(p->cluster.server_type, sv)) {
        /* the manifest's error, at its place in the manifest (not the answers file's) */
        if (!version_form(sv))
            k8tls_diags_add(d, K8TLS_SEV_ERROR, l.path, node_line(y, svn), node_col(y, svn),
                            "spec.cassandra.serverVersion",
                            _("'%s' is not a version of the form N.N.N (for example \"4.0.1\")"),
                            sv);
        else
            k8tls_diags_add(d, K8TLS_SEV_ERROR, l.path, node_line(y, svn), node_col(y, svn),
                            "spec.cassandra.serverVersion", _("%s does not fit serverType %s"),
                            sv, k8tls_server_type_name(p->cluster.server_type));
        loaded_free(&l);
        return -1;
    }
    if (sv && *sv)
        rc |= set_plan_str(&p->cluster.server_version, sv);

    /* The datacenters name the certificates' SANs (<cluster>-<dc>-service...) and the contexts
     * the Secrets go to (K9). */
    int dcs = ydoc_map_get(y, cas, "datacenters");
    yaml_node_t *n = ydoc_node(y, dcs);
    if (n && n->type == YAML_SEQUENCE_NODE) {
        size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        size_t ok = 0;
        for (size_t i = 0; i < count; i++) {
            int dc = n->data.sequence.items.start[i];
            if (ydoc_scalar(y, ydoc_map_get(y, ydoc_map_get(y, dc, "metadata"), "name")))
                ok++;
        }
        if (ok > 0 && k8tls_plan_set_dcs(p, ok) == 0) {
            size_t j = 0;
            for (size_t i = 0; i < count && j < ok; i++) {
                int dc = n->data.sequence.items.start[i];
                const char *dn = ydoc_scalar(y, ydoc_map_get(y, ydoc_map_get(y, dc, "metadata"),
                                                             "name"));
                if (!dn)
                    continue;
                const char *ctx = ydoc_scalar(y, ydoc_map_get(y, dc, "k8sContext"));
                const char *sz = ydoc_scalar(y, ydoc_map_get(y, dc, "size"));
                p->cluster.dcs[j].name = strdup(dn);
                p->cluster.dcs[j].k8s_context = strdup(ctx ? ctx : "");
                p->cluster.dcs[j].size = sz ? atoi(sz) : 1;
                /* the staged rollout's 3.11 rule counts the racks (doc/staged-rollout.md 3.5) */
                int racks = ydoc_map_get(y, dc, "racks");
                yaml_node_t *rn = ydoc_is_seq(y, racks) ? ydoc_node(y, racks) : NULL;
                p->cluster.dcs[j].racks =
                    rn ? (int)(rn->data.sequence.items.top - rn->data.sequence.items.start) : 0;
                if (!p->cluster.dcs[j].name || !p->cluster.dcs[j].k8s_context)
                    rc = -1;
                j++;
            }
        } else if (ok > 0) {
            rc = -1;
        }
    }
    p->cluster.medusa.enabled = ydoc_is_map(y, ydoc_map_get(y, spec, "medusa"));
    p->cluster.stargate.enabled = ydoc_map_get(y, spec, "stargate") != 0;
    p->cluster.reaper.enabled = ydoc_map_get(y, spec, "reaper") != 0;
    loaded_free(&l);
    if (rc) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}
