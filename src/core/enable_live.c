/* The staged rollout's live check (enable.h; doc/staged-rollout.md 4.3): through kubectl, the
 * K8ssandraCluster (its cassandraYaml, phase annotation and when its spec last changed), every
 * CassandraDatacenter's Ready condition and every Cassandra pod's creation time. kubectl's output
 * is hostile input: bounded, parsed with libyaml, never trusted for more than these fields. */
#define _GNU_SOURCE 1   /* timegm */
#include "config.h"
#include "k8tls/enable.h"
#include "k8tls/i18n.h"
#include "k8tls/proc.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KUBECTL_MAX_OUT ((size_t)16 << 20)
#define KUBECTL_MAX_ERR ((size_t)64 << 10)
#define POD_LABEL "cassandra.datastax.com/cluster"
#define FIELD_MANAGER "k8tls-wizard"

static void first_line(const struct k8tls_buf *c, char *out, size_t n)
{
    size_t i = 0;
    const char *s = c->p ? c->p : "";
    while (i + 1 < n && i < c->len && s[i] != '\n') {
        out[i] = (s[i] >= 0x20 && s[i] != 0x7f) ? s[i] : '?';
        i++;
    }
    out[i] = '\0';
}

/* kubectl get WHAT [NAME] [-l SELECTOR] -o yaml in context/ns. Returns 0 with *doc loaded, -1
 * (not found, bad output) or -3 (environment) with e. */
static int kget(const char *kubeconfig, const char *context, const char *ns, const char *what,
                const char *name, const char *selector, yaml_document_t *doc, struct k8tls_err *e)
{
    char *argv[20], sel[512];
    size_t k = 0;
    argv[k++] = (char *)"kubectl";
    if (kubeconfig) {
        argv[k++] = (char *)"--kubeconfig";
        argv[k++] = (char *)kubeconfig;
    }
    argv[k++] = (char *)"--context";
    argv[k++] = (char *)context;
    argv[k++] = (char *)"--namespace";
    argv[k++] = (char *)ns;
    argv[k++] = (char *)"get";
    argv[k++] = (char *)what;
    if (name)
        argv[k++] = (char *)name;
    if (selector) {
        snprintf(sel, sizeof sel, "--selector=%s", selector);
        argv[k++] = sel;
    }
    argv[k++] = (char *)"--output=yaml";
    if (name && strcmp(what, "k8ssandracluster") == 0)
        argv[k++] = (char *)"--show-managed-fields";   /* hidden by default: the change time */
    argv[k++] = (char *)"--request-timeout=30s";
    argv[k] = NULL;

    struct k8tls_proc r;
    char origin[512], line[700];
    snprintf(origin, sizeof origin, name ? _("context %s: %s %s/%s") : _("context %s: %s in %s"),
             context, what, ns, name ? name : "");
    k8tls_proc_run(argv, NULL, 0, KUBECTL_MAX_OUT, KUBECTL_MAX_ERR, &r);
    int rc = -3;
    if (r.spawn_err) {
        if (r.spawn_err == ENOENT)
            k8tls_err_set(e, NULL, 0, 0, "%s",
                          _("kubectl not found in PATH: install kubectl (Debian: kubernetes-client) "
                            "or add its directory to PATH"));
        else
            k8tls_err_set(e, NULL, 0, 0, _("cannot run kubectl: %s"), strerror(r.spawn_err));
    } else if (r.timed_out) {
        k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl did not finish within %d seconds and was "
                                       "stopped"), origin, r.timeout);
    } else if (r.exit_code != 0) {
        first_line(&r.err, line, sizeof line);
        if (strstr(line, "NotFound") || strstr(line, "not found")) {
            k8tls_err_set(e, NULL, 0, 0, _("%s: not found (is this the cluster's context and "
                                           "namespace?)"), origin);
            rc = -1;
        } else {
            k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl failed: %s"), origin,
                          *line ? line : _("no message"));
        }
    } else if (r.out_truncated || r.out.oom) {
        k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl's output is too large"), origin);
    } else {
        rc = k8tls_yaml_load(origin, r.out.p ? r.out.p : "", r.out.len, doc, e) < 0 ? -1 : 0;
    }
    k8tls_proc_free(&r);
    return rc;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    return map && map->type == YAML_MAPPING_NODE ? k8tls_yaml_map_get(d, map, key) : NULL;
}

static const char *str(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    return k8tls_yaml_scalar(get(d, map, key));
}

/* "2026-12-06T20:08:24Z" (RFC 3339, UTC as the API server writes it) -> time_t, 0 if not. */
static time_t rfc3339(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s)
        return 0;
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return 0;
    if (*end == '.')
        while (*++end >= '0' && *end <= '9')
            ;
    if (strcmp(end, "Z") != 0)
        return 0;
    return timegm(&tm);
}

/* When the K8ssandraCluster's spec last changed: the time of k8tls-wizard's apply, else the
 * latest managedFields entry that is not a status update (the operator writes status). */
static time_t spec_changed(yaml_document_t *d, yaml_node_t *root, char *text, size_t len)
{
    yaml_node_t *mf = get(d, get(d, root, "metadata"), "managedFields");
    time_t ours = 0, any = 0;
    const char *ours_s = NULL, *any_s = NULL;
    for (size_t i = 0; mf && i < k8tls_yaml_seq_len(mf); i++) {
        yaml_node_t *it = k8tls_yaml_seq_item(d, mf, i);
        const char *sub = str(d, it, "subresource"), *mgr = str(d, it, "manager");
        const char *ts = str(d, it, "time");
        time_t t = rfc3339(ts);
        if (!t || (sub && *sub))
            continue;
        if (mgr && strcmp(mgr, FIELD_MANAGER) == 0 && t > ours)
            ours = t, ours_s = ts;
        if (t > any)
            any = t, any_s = ts;
    }
    const char *s = ours ? ours_s : any_s;
    snprintf(text, len, "%s", s ? s : "");
    return ours ? ours : any;
}

static const char *dc_context(const struct k8tls_plan *p, size_t i, const char *context)
{
    const char *c = p->cluster.dcs[i].k8s_context;
    return c && *c ? c : context;
}

int k8tls_enable_live_read(const char *kubeconfig, const char *context, const struct k8tls_plan *p,
                           struct k8tls_enable_live *out, struct k8tls_err *e)
{
    yaml_document_t doc;
    const char *ns = p->cluster.namespace_, *name = p->cluster.name;
    memset(out, 0, sizeof *out);
    int r = kget(kubeconfig, context, ns, "k8ssandracluster", name, NULL, &doc, e);
    if (r < 0)
        return r;
    /* the stage from the same text the API gave (dumped again: one parser for both) */
    char *text = NULL;
    size_t len = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    out->changed = spec_changed(&doc, root, out->changed_text, sizeof out->changed_text);
    int dr = k8tls_yaml_dump(&doc, &text, &len, e);   /* consumes doc */
    if (dr < 0)
        return -1;
    char origin[512];
    snprintf(origin, sizeof origin, _("context %s: K8ssandraCluster %s/%s"), context, ns, name);
    r = k8tls_rollout_stage_parse(origin, text, len, &out->stage, e);
    free(text);
    if (r < 0)
        return -1;

    /* the datacenters and their pods, per context (each context once) */
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const char *ctx = dc_context(p, i, context);
        out->n_expected += (size_t)(p->cluster.dcs[i].size > 0 ? p->cluster.dcs[i].size : 0);
        r = kget(kubeconfig, ctx, ns, "cassandradatacenter", p->cluster.dcs[i].name, NULL, &doc, e);
        if (r == -3)
            return -3;
        if (r < 0) {
            if (!out->not_ready[0])
                snprintf(out->not_ready, sizeof out->not_ready, _("%s (not found)"),
                         p->cluster.dcs[i].name);
            continue;
        }
        out->n_dcs++;
        root = yaml_document_get_root_node(&doc);
        yaml_node_t *conds = get(&doc, get(&doc, root, "status"), "conditions");
        bool ready = false;
        for (size_t j = 0; conds && j < k8tls_yaml_seq_len(conds); j++) {
            yaml_node_t *c = k8tls_yaml_seq_item(&doc, conds, j);
            const char *type = str(&doc, c, "type"), *st = str(&doc, c, "status");
            if (type && st && strcmp(type, "Ready") == 0)
                ready = strcmp(st, "True") == 0;
        }
        if (ready)
            out->n_ready++;
        else if (!out->not_ready[0])
            snprintf(out->not_ready, sizeof out->not_ready, "%s", p->cluster.dcs[i].name);
        yaml_document_delete(&doc);
    }
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        bool first = true;
        for (size_t j = 0; j < i; j++)
            if (strcmp(dc_context(p, j, context), dc_context(p, i, context)) == 0)
                first = false;
        if (!first)
            continue;
        char sel[300];
        snprintf(sel, sizeof sel, "%s=%s", POD_LABEL, name);
        r = kget(kubeconfig, dc_context(p, i, context), ns, "pods", NULL, sel, &doc, e);
        if (r < 0)
            return r;
        root = yaml_document_get_root_node(&doc);
        yaml_node_t *items = get(&doc, root, "items");
        for (size_t j = 0; items && j < k8tls_yaml_seq_len(items); j++) {
            yaml_node_t *pod = k8tls_yaml_seq_item(&doc, items, j);
            yaml_node_t *md = get(&doc, pod, "metadata");
            const char *lv = str(&doc, get(&doc, md, "labels"), POD_LABEL);
            if (!lv || strcmp(lv, name) != 0)
                continue;   /* the selector again, should kubectl's server not apply it */
            out->n_pods++;
            const char *ct = str(&doc, md, "creationTimestamp");
            time_t t = rfc3339(ct);
            if (out->changed && t >= out->changed) {
                out->n_fresh++;
            } else if (!out->stale_pod[0]) {
                const char *pn = str(&doc, md, "name");
                snprintf(out->stale_pod, sizeof out->stale_pod, "%s", pn ? pn : "?");
                snprintf(out->stale_time, sizeof out->stale_time, "%s", ct ? ct : "?");
            }
        }
        yaml_document_delete(&doc);
    }
    return 0;
}

bool k8tls_enable_live_check(const struct k8tls_enable_live *l, const struct k8tls_plan *p,
                             int prev, char *why, size_t why_len)
{
    const struct k8tls_rollout_stage *st = &l->stage;
    char what[512];
    why[0] = '\0';
    if (st->n_dcs != p->cluster.n_dcs) {
        snprintf(why, why_len,
                 _("the live K8ssandraCluster has %zu datacenters, the plan %zu: a datacenter "
                   "added or removed during the rollout is outside its phases; finish that change "
                   "and start again from the running manifest"),
                 st->n_dcs, p->cluster.n_dcs);
        return false;
    }
    if (prev < 0) {
        if (st->has_phase) {
            snprintf(why, why_len, "%s",
                     _("the live cluster is not where the first phase starts: it already carries "
                       "a rollout phase; use --from DIR with the directory of that phase"));
            return false;
        }
        if (st->encrypted) {
            snprintf(why, why_len, "%s",
                     _("the live cluster is not where the first phase starts: it already has "
                       "encryption on; use --one-shot to write the target in one step"));
            return false;
        }
    } else {
        enum k8tls_rollout_phase pp = (enum k8tls_rollout_phase)prev;
        if (!st->has_phase || st->phase != pp) {
            snprintf(why, why_len,
                     _("the live K8ssandraCluster is not at phase %s (its annotation says %s): "
                       "apply that phase's directory first and wait for the rolling restart"),
                     k8tls_rollout_phase_cli_name(pp),
                     st->has_phase ? k8tls_rollout_phase_cli_name(st->phase) : _("none"));
            return false;
        }
        if (!k8tls_rollout_stage_matches(st, p, pp, what, sizeof what)) {
            snprintf(why, why_len,
                     _("the live K8ssandraCluster says phase %s but its cassandraYaml differs "
                       "(%s): apply that phase's directory again"),
                     k8tls_rollout_phase_cli_name(pp), what);
            return false;
        }
    }
    if (l->n_ready < p->cluster.n_dcs) {
        snprintf(why, why_len,
                 _("CassandraDatacenter %s is not Ready (%zu of %zu are): wait until the rolling "
                   "restart has finished"),
                 l->not_ready[0] ? l->not_ready : "?", l->n_ready, p->cluster.n_dcs);
        return false;
    }
    if (prev < 0)
        return true;
    if (!l->changed) {
        snprintf(why, why_len, "%s",
                 _("when the K8ssandraCluster last changed is not known (no managedFields time): "
                   "the pods' restart cannot be checked; check it yourself and run the next phase "
                   "with --from DIR, without --from-context"));
        return false;
    }
    if (l->stale_pod[0]) {
        snprintf(why, why_len,
                 _("pod %s was created at %s, before the K8ssandraCluster changed (%s): it still "
                   "runs the previous phase; wait until every pod has restarted"),
                 l->stale_pod, l->stale_time, l->changed_text);
        return false;
    }
    if (l->n_pods < l->n_expected) {
        snprintf(why, why_len,
                 _("%zu Cassandra pods found, the datacenters have %zu nodes: wait until every pod "
                   "is back"),
                 l->n_pods, l->n_expected);
        return false;
    }
    return true;
}
