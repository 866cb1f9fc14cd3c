/* Applying (or diffing) the bundle in kube contexts through the real kubectl: the objects and
 * their order, the kubectl runs, and the report of what was and was not applied. Calls proc.c
 * (every kubectl run), kube_mask.c (secret strings kept out of messages, diff masking),
 * kube_explain.c (why a run failed), kubeconfig.c, buf.c, text.c and secure.c; prints nothing:
 * results go to the callbacks of struct k8tls_apply_opts.
 *
 * Apply: with more than one context, a reachability check of each (kubectl get --raw /version),
 * all at the same time, so that an unreachable API or a missing kubectl is found before anything
 * is applied (with one context its apply run finds that before applying anything). Then one
 * kubectl per context, all at the same time, with that context's Namespace (--create-namespace)
 * and Secrets on stdin as YAML documents:
 *     kubectl [--kubeconfig K] --context C apply --server-side --field-manager=k8tls-wizard
 *             [--force-conflicts] [--dry-run=server] -o name -f -
 * whose `-o name` output says which objects were applied (kubectl goes on after an object
 * fails). The K8ssandraCluster's kubectl (control-plane context, its own run) starts at the same
 * time and is held at the end of its input (held_start): kubectl apply reads all of its input
 * before it applies anything, so it does its start-up meanwhile and applies the cluster only
 * when every Secret is in; when one failed it is killed and sends nothing. Never a secret on a
 * command line. A failure stops the run there; the report names
 * the objects that were applied and those that were not (a re-run is safe: server-side apply is
 * idempotent).
 *
 * A cert-manager output's Issuers, ClusterIssuers, Certificates and trust-manager Bundle go with
 * the Secrets, in the bundle's order (the kustomization's), the cluster-scoped kinds without a
 * namespace. With wait_ready (--wait-ready) the cluster's kubectl is not held: after those runs,
 * `kubectl get certificates.cert-manager.io` per context and namespace (and `kubectl get
 * bundles.trust.cert-manager.io` per context) every 2 s until each Certificate is Ready=True and
 * each Bundle Synced=True (kube_wait.c reads the conditions), then the cluster's own run; at the
 * timeout the cluster is not applied and each object not ready is reported with its status.
 *
 * Diff: the reachability checks, then one `kubectl diff --server-side -f -` per object and
 * context, one after the other. */
#include "config.h"
#include "kube_int.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/kube.h"
#include "k8tls/plan.h"
#include "k8tls/proc.h"
#include "k8tls/secure.h"
#include "k8tls/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <time.h>
#include <yaml.h>
#include <openssl/crypto.h>

#define FIELD_MANAGER "k8tls-wizard"
#define CAPTURE_MAX (4u * 1024u * 1024u)

/* ---- the objects to apply ----------------------------------------------------------------- */

static bool kind_is(const struct k8tls_artifact *a, const char *k)
{
    return a->k8s_kind && strcmp(a->k8s_kind, k) == 0;
}

static bool is_cluster(const struct k8tls_artifact *a)
{
    return a->kind == K8TLS_ART_CLUSTER || kind_is(a, "K8ssandraCluster");
}

static bool is_namespace(const struct k8tls_artifact *a)
{
    return a->kind == K8TLS_ART_NAMESPACE || kind_is(a, "Namespace");
}

/* Applied before the cluster, in every context: the Secrets, and every other Kubernetes object
 * of the bundle (a cert-manager output's Issuer, ClusterIssuer, Certificate, Bundle). */
static bool is_before_cluster(const struct k8tls_artifact *a)
{
    if (is_cluster(a) || is_namespace(a))
        return false;
    return a->kind == K8TLS_ART_SECRET || (a->k8s_kind && *a->k8s_kind);
}

/* The kinds of a bundle that have no namespace: applied without one (a namespace on the command
 * line does not apply to them either). */
static bool cluster_scoped(const char *kind)
{
    return strcmp(kind, "Namespace") == 0 || strcmp(kind, "ClusterIssuer") == 0 ||
           strcmp(kind, "Bundle") == 0 || strcmp(kind, "ClusterBundle") == 0;
}

struct object {
    const char *kind, *name, *ns;    /* ns NULL for cluster-scoped */
    const unsigned char *data;
    size_t len;
};

struct step {
    const char *context;
    const struct object *obj;
    enum { ST_PENDING, ST_DONE, ST_FAILED } state;
    bool differs;     /* --diff */
};

/* The YAML of a v1 Namespace, written with libyaml's emitter. */
static int emit_namespace(const char *name, struct k8tls_buf *out)
{
    yaml_document_t doc;
    yaml_emitter_t em;
    int ok = 0;
    if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1))
        return -1;
    int root = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    int meta = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
#define SC(s) yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)(s), -1, YAML_ANY_SCALAR_STYLE)
    if (root && meta &&
        yaml_document_append_mapping_pair(&doc, root, SC("apiVersion"), SC("v1")) &&
        yaml_document_append_mapping_pair(&doc, root, SC("kind"), SC("Namespace")) &&
        yaml_document_append_mapping_pair(&doc, root, SC("metadata"), meta) &&
        yaml_document_append_mapping_pair(&doc, meta, SC("name"), SC(name)))
        ok = 1;
#undef SC
    if (!ok) {
        yaml_document_delete(&doc);
        return -1;
    }
    if (!yaml_emitter_initialize(&em)) {
        yaml_document_delete(&doc);
        return -1;
    }
    unsigned char tmp[4096];
    size_t written = 0;
    yaml_emitter_set_output_string(&em, tmp, sizeof tmp, &written);
    yaml_emitter_set_unicode(&em, 1);
    ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, &doc) && yaml_emitter_close(&em);
    /* yaml_emitter_dump deletes the document */
    yaml_emitter_delete(&em);
    if (!ok || !k8tls_buf_add(out, tmp, written))
        return -1;
    return 0;
}
static char *object_label(const struct object *o)
{
    size_t n = strlen(o->kind) + strlen(o->name) + (o->ns ? strlen(o->ns) : 0) + 4;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (o->ns && *o->ns)
        snprintf(s, n, "%s %s/%s", o->kind, o->ns, o->name);
    else
        snprintf(s, n, "%s %s", o->kind, o->name);
    return s;
}

/* ---- the run ------------------------------------------------------------------------------- */

struct ctx {
    const struct k8tls_apply_opts *o;
    const struct k8tls_kubeconfig *kc;
    struct k8tls_kube_known known;
    char reason[1500];    /* the one-line reason of the failure */
    /* "--namespace=NS" when the objects carry no namespace (a merged manifest without one):
     * kubectl would put them in the context's namespace, not the one their certificates name */
    char ns_arg[300];
};

/* The report for a person (on_text). With escape, the arguments come from outside: control
 * characters are escaped (as k8tls_text_fprintf does), except one final line feed. */
static void vsay(struct ctx *c, enum k8tls_kube_text kind, bool escape, const char *fmt,
                 va_list ap)
{
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    if (n < 0 || !s) {
        c->o->on_text(c->o->ud, kind, "?\n");
        return;
    }
    if (!escape) {
        c->o->on_text(c->o->ud, kind, s);
        k8tls_secure_free_str(s);
        return;
    }
    size_t len = (size_t)n;
    bool nl = len > 0 && s[len - 1] == '\n';
    char *e = k8tls_text_escape_n(s, nl ? len - 1 : len, 0);
    k8tls_secure_free_str(s);
    struct k8tls_buf line = { 0 };
    k8tls_buf_puts(&line, e ? e : "?");
    if (nl)
        k8tls_buf_puts(&line, "\n");
    k8tls_secure_free_str(e);
    char *out = k8tls_buf_take(&line, NULL);
    c->o->on_text(c->o->ud, kind, out ? out : "?\n");
    k8tls_secure_free_str(out);
}

/* fmt is trusted, the result goes out as it is. */
static void say(struct ctx *c, enum k8tls_kube_text kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct ctx *c, enum k8tls_kube_text kind, const char *fmt, ...)
{
    if (!c->o->on_text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay(c, kind, false, fmt, ap);
    va_end(ap);
}

/* A line whose arguments come from outside. */
static void say_escaped(struct ctx *c, enum k8tls_kube_text kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say_escaped(struct ctx *c, enum k8tls_kube_text kind, const char *fmt, ...)
{
    if (!c->o->on_text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay(c, kind, true, fmt, ap);
    va_end(ap);
}

/* Multi-line text from outside (a diff, kubectl's report): control characters but line feeds
 * and tabs escaped, a final line feed added when missing. */
static void say_block(struct ctx *c, enum k8tls_kube_text kind, const char *text)
{
    if (!c->o->on_text)
        return;
    char *e = k8tls_text_escape(text, K8TLS_TEXT_MULTILINE);
    c->o->on_text(c->o->ud, kind, e ? e : "?");
    k8tls_secure_free_str(e);
    if (*text && text[strlen(text) - 1] != '\n')
        c->o->on_text(c->o->ud, kind, "\n");
}

static void set_reason(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_reason(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    /* never a secret in a message */
    char *s = k8tls_kube_scrub(c->reason, (const char *const *)c->known.v, c->known.n);
    if (s) {
        snprintf(c->reason, sizeof c->reason, "%s", s);
        k8tls_secure_free_str(s);
    }
    /* names from the kubeconfig and the bundle, kubectl's words: no control character */
    s = k8tls_text_escape(c->reason, 0);
    if (s) {
        snprintf(c->reason, sizeof c->reason, "%s", s);
        k8tls_secure_free_str(s);
    }
    if (c->o->err)
        k8tls_err_set(c->o->err, NULL, 0, 0, "%s", c->reason);
}

/* kubectl [--kubeconfig K] --context C <words...> */
static char **kubectl_argv(struct ctx *c, const char *context, const char *const *words)
{
    size_t n = 0;
    while (words[n])
        n++;
    char **argv = calloc(n + 6, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = (char *)"kubectl";
    if (c->o->kubeconfig) {
        argv[k++] = (char *)"--kubeconfig";
        argv[k++] = (char *)c->o->kubeconfig;
    }
    argv[k++] = (char *)"--context";
    argv[k++] = (char *)context;
    for (size_t i = 0; i < n; i++)
        argv[k++] = (char *)words[i];
    argv[k] = NULL;
    return argv;
}

/* Explains a failed kubectl run into c->reason; returns its status. */
static enum k8tls_status explain_failure(struct ctx *c, const char *context, const char *what,
                                         const struct k8tls_proc *r)
{
    const struct k8tls_kube_context *kx = k8tls_kubeconfig_find(c->kc, context);
    char why[sizeof c->reason];
    enum k8tls_status st = k8tls_kube_explain(r, context, what, kx ? kx->server : NULL, why,
                                              sizeof why);
    set_reason(c, "%s", why);
    return st;
}

/* kubectl's own text (scrubbed), for conflicts. */
static void report_kubectl_text(struct ctx *c, const struct k8tls_proc *r)
{
    const char *text = r->err.p && *r->err.p ? r->err.p : r->out.p;
    char *s = k8tls_kube_scrub(text ? text : "", (const char *const *)c->known.v, c->known.n);
    if (s) {
        say_block(c, K8TLS_KUBE_TEXT_FAILURE, s);
        k8tls_secure_free_str(s);
    }
}

/* One kubectl run: kubectl [--kubeconfig K] --context C <words...>, data on stdin. */
static int run_kubectl(struct ctx *c, const char *context, const char *const *words,
                       const unsigned char *data, size_t len, struct k8tls_proc *r)
{
    char **argv = kubectl_argv(c, context, words);
    if (!argv) {
        memset(r, 0, sizeof *r);
        return -1;
    }
    k8tls_proc_run(argv, data, len, CAPTURE_MAX, CAPTURE_MAX, r);
    free(argv);
    return 0;
}

bool k8tls_kube_not_attempted(const char *message)
{
    return message && (strcmp(message, _("not applied after the failure above")) == 0 ||
                       strcmp(message, _("not compared after the failure above")) == 0 ||
                       strcmp(message, _("not applied: not every context answers")) == 0);
}

static void notify(struct ctx *c, const struct step *s, bool ok, const char *msg)
{
    if (c->o->on_object)
        c->o->on_object(c->o->ud, s->context, s->obj->kind, s->obj->name, ok, msg);
}

/* The words of an apply or diff run (kubectl ... WORDS); names: `-o name`, one line per object
 * applied. words holds 12. */
static void apply_words(const struct ctx *c, bool names, const char **words)
{
    const struct k8tls_apply_opts *o = c->o;
    size_t w = 0;
    words[w++] = o->diff ? "diff" : "apply";
    words[w++] = "--server-side";
    words[w++] = "--field-manager=" FIELD_MANAGER;
    /* a server that accepts the connection and never answers must not hang the run */
    words[w++] = "--request-timeout=60s";
    if (o->force_conflicts)
        words[w++] = "--force-conflicts";
    if (o->dry_run_server && !o->diff)
        words[w++] = "--dry-run=server";
    if (names) {
        words[w++] = "-o";
        words[w++] = "name";
    }
    if (c->ns_arg[0])
        words[w++] = c->ns_arg;
    words[w++] = "-f";
    words[w++] = "-";
    words[w] = NULL;
}

static void report_applied(struct ctx *c, const struct step *s)
{
    char *label = object_label(s->obj);
    notify(c, s, true, c->o->dry_run_server ? _("applied (server dry run)") : _("applied"));
    say_escaped(c, K8TLS_KUBE_TEXT_APPLIED,
                c->o->dry_run_server ? _("context %s: %s applied (server dry run)\n")
                                     : _("context %s: %s applied\n"),
                s->context, label ? label : s->obj->name);
    free(label);
}

/* Every context must answer before anything is applied: `kubectl get --raw /version` in each,
 * all at the same time. Returns K8TLS_OK, or K8TLS_ENVIRONMENT with c->reason saying why the
 * first context (in order) that failed did. */
static enum k8tls_status check_reachable(struct ctx *c, const char *const *targets, size_t n)
{
    static const char *const words[] = { "get", "--raw", "/version", "--request-timeout=30s",
                                         NULL };
    struct k8tls_proc_job *jobs = calloc(n, sizeof *jobs);
    size_t k = 0;
    enum k8tls_status code = K8TLS_OK;
    for (; jobs && k < n; k++) {
        char **argv = kubectl_argv(c, targets[k], words);
        if (!argv)
            break;
        jobs[k] = (struct k8tls_proc_job){ .argv = argv, .out_max = CAPTURE_MAX,
                                           .err_max = CAPTURE_MAX };
    }
    if (!jobs || k < n) {
        set_reason(c, _("out of memory"));
        code = K8TLS_ENVIRONMENT;
    } else {
        k8tls_proc_run_all(jobs, n);
        for (size_t t = 0; t < n; t++) {
            const struct k8tls_proc *r = &jobs[t].r;
            /* whatever kubectl said, an unreachable context is the environment's failure */
            if (code == K8TLS_OK && (r->spawn_err || r->exit_code != 0)) {
                explain_failure(c, targets[t], _("reachability check"), r);
                code = K8TLS_ENVIRONMENT;
            }
            k8tls_proc_free(&jobs[t].r);
        }
    }
    for (size_t t = 0; t < k; t++)
        free((void *)jobs[t].argv);
    free(jobs);
    return code;
}

/* Marks done the steps of one context that kubectl's `-o name` output lists: one line per object
 * applied, TYPE/NAME, TYPE the lower-case kind (then .GROUP outside the core group). */
static void mark_listed(const char *out, struct step *steps, size_t n)
{
    const char *p = out ? out : "";
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *slash = memchr(p, '/', len);
        if (slash) {
            const char *dot = memchr(p, '.', (size_t)(slash - p));
            size_t kl = (size_t)((dot ? dot : slash) - p);
            const char *nm = slash + 1;
            size_t nl = len - (size_t)(nm - p);
            const char *sp = memchr(nm, ' ', nl);
            if (sp)
                nl = (size_t)(sp - nm);
            for (size_t i = 0; i < n; i++) {
                struct step *s = &steps[i];
                if (s->state == ST_PENDING && strlen(s->obj->kind) == kl &&
                    strncasecmp(s->obj->kind, p, kl) == 0 && strlen(s->obj->name) == nl &&
                    strncmp(s->obj->name, nm, nl) == 0) {
                    s->state = ST_DONE;
                    break;
                }
            }
        }
        p += len + (eol ? 1 : 0);
    }
}

/* The Namespace and the Secrets of every context: one kubectl per context, all at the same
 * time, that context's objects on its stdin (YAML documents in apply order), the result of each
 * object read from kubectl's `-o name` output. steps holds n_targets groups of per steps, in the
 * order of targets. Reports each object (applied, or failed with its context's reason). Returns
 * K8TLS_OK, or the status of the first context (in order) where an object failed, c->reason
 * saying why. */
static enum k8tls_status apply_secrets(struct ctx *c, struct step *steps, size_t per,
                                       const char *const *targets, size_t n_targets)
{
    const char *words[12];
    apply_words(c, true, words);
    struct k8tls_proc_job *jobs = calloc(n_targets, sizeof *jobs);
    struct k8tls_buf *in = calloc(n_targets, sizeof *in);
    enum k8tls_status code = K8TLS_OK;
    size_t k = 0;
    for (; jobs && in && k < n_targets; k++) {
        for (size_t i = 0; i < per; i++) {
            const struct object *ob = steps[k * per + i].obj;
            if (ob->len < 3 || memcmp(ob->data, "---", 3) != 0)
                k8tls_buf_puts(&in[k], "---\n");
            k8tls_buf_add(&in[k], ob->data, ob->len);
            if (ob->len && ob->data[ob->len - 1] != '\n')
                k8tls_buf_puts(&in[k], "\n");
        }
        char **argv = kubectl_argv(c, targets[k], words);
        if (!argv || in[k].oom) {
            free(argv);
            break;
        }
        jobs[k] = (struct k8tls_proc_job){ .argv = argv, .in = (const unsigned char *)in[k].p,
                                           .in_len = in[k].len, .out_max = CAPTURE_MAX,
                                           .err_max = CAPTURE_MAX };
    }
    if (!jobs || !in || k < n_targets) {
        set_reason(c, _("out of memory"));
        code = K8TLS_ENVIRONMENT;
        for (size_t i = 0; i < n_targets * per; i++)
            steps[i].state = ST_FAILED;
        goto out;
    }
    k8tls_proc_run_all(jobs, n_targets);
    char first[sizeof c->reason];
    first[0] = '\0';
    for (size_t t = 0; t < n_targets; t++) {
        const struct k8tls_proc *r = &jobs[t].r;
        struct step *g = &steps[t * per];
        if (jobs[t].rc == 0 && r->exit_code == 0) {
            for (size_t i = 0; i < per; i++)
                g[i].state = ST_DONE;
        } else if (jobs[t].rc == 0) {
            mark_listed(r->out.p, g, per);   /* what it applied before it failed or was stopped */
        }
        bool said = false;
        for (size_t i = 0; i < per; i++) {
            if (g[i].state == ST_DONE) {
                report_applied(c, &g[i]);
                continue;
            }
            g[i].state = ST_FAILED;
            if (!said) {
                char *label = object_label(g[i].obj);
                enum k8tls_status st = explain_failure(c, targets[t],
                                                       label ? label : g[i].obj->name, r);
                free(label);
                if (code == K8TLS_OK) {
                    code = st;
                    snprintf(first, sizeof first, "%s", c->reason);
                }
                say(c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c->reason);
                if (k8tls_kube_is_conflict(r->err.p))
                    report_kubectl_text(c, r);
                said = true;
            }
            notify(c, &g[i], false, c->reason);
        }
    }
    if (code != K8TLS_OK)
        set_reason(c, "%s", first);
out:
    for (size_t t = 0; jobs && t < k; t++) {
        free((void *)jobs[t].argv);
        k8tls_proc_free(&jobs[t].r);
    }
    for (size_t t = 0; in && t < n_targets; t++)
        k8tls_buf_free(&in[t]);
    free(jobs);
    free(in);
    return code;
}

/* ---- --wait-ready: cert-manager's Certificates, trust-manager's Bundle ---------------------- */

#define WAIT_POLL_DEFAULT_MS 2000

/* The pause between two polls: 2 s. Test seam: K8TLS_TEST_WAIT_POLL_MS (10 to 60000). */
static long poll_interval_ms(void)
{
    const char *t = getenv("K8TLS_TEST_WAIT_POLL_MS");
    if (t && *t) {
        char *end = NULL;
        long v = strtol(t, &end, 10);
        if (end && *end == '\0' && v >= 10 && v <= 60000)
            return v;
    }
    return WAIT_POLL_DEFAULT_MS;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* One line per object that is not ready, with what its status says (its words escaped). */
static void report_not_ready(struct ctx *c, const struct k8tls_kube_waitable *w)
{
    char label[600];
    if (*w->ns)
        snprintf(label, sizeof label, "%s %s/%s", w->kind, w->ns, w->name);
    else
        snprintf(label, sizeof label, "%s %s", w->kind, w->name);
    const char *cond = k8tls_kube_wait_condition(w->kind);
    switch (w->state) {
    case K8TLS_WAIT_READY:
        return;
    case K8TLS_WAIT_MISSING:
        say_escaped(c, K8TLS_KUBE_TEXT_FAILURE,
                    _("k8tls-wizard: context %s: %s: not found by the API server\n"),
                    w->context, label);
        return;
    case K8TLS_WAIT_NO_CONDITION:
        say_escaped(c, K8TLS_KUBE_TEXT_FAILURE,
                    _("k8tls-wizard: context %s: %s: no %s condition yet (not processed: is "
                      "%s running?)\n"),
                    w->context, label, cond,
                    strcmp(w->kind, "Bundle") == 0 ? "trust-manager" : "cert-manager");
        return;
    case K8TLS_WAIT_NOT_READY:
        say_escaped(c, K8TLS_KUBE_TEXT_FAILURE,
                    _("k8tls-wizard: context %s: %s: %s is %s, reason \"%s\": %s\n"),
                    w->context, label, cond, w->status, w->reason[0] ? w->reason : "-",
                    w->message[0] ? w->message : "-");
        return;
    }
}

/* One poll: per context, kind and namespace. */
struct wait_group {
    size_t first;             /* its first waitable */
    char *nsarg;              /* "--namespace=NS", NULL for the cluster-scoped Bundles */
};

/* Waits until every Certificate among the applied steps (the first n, all applied) has
 * Ready=True and every trust-manager Bundle Synced=True, in its context, polling `kubectl get
 * certificates.cert-manager.io -n NS -o json` per context and namespace and `kubectl get
 * bundles.trust.cert-manager.io -o json` per context (all at the same time) every
 * poll_interval_ms(). Returns K8TLS_OK (also when there is nothing to wait for), or
 * K8TLS_ENVIRONMENT at the timeout (each object not ready reported, c->reason set) or when
 * memory runs out. */
static enum k8tls_status wait_ready(struct ctx *c, const struct step *steps, size_t n)
{
    const struct k8tls_apply_opts *o = c->o;
    int timeout = o->wait_timeout > 0 ? o->wait_timeout : K8TLS_KUBE_WAIT_DEFAULT;
    struct k8tls_kube_waitable *w = calloc(n + 1, sizeof *w);
    struct wait_group *group = calloc(n + 1, sizeof *group);
    struct k8tls_proc_job *jobs = calloc(n + 1, sizeof *jobs);
    size_t nw = 0, ng = 0, n_certs = 0, n_bundles = 0;
    enum k8tls_status code = K8TLS_OK;
    if (!w || !group || !jobs)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const struct object *ob = steps[i].obj;
        bool bundle = strcmp(ob->kind, "Bundle") == 0;
        if (!bundle && strcmp(ob->kind, "Certificate") != 0)
            continue;
        w[nw] = (struct k8tls_kube_waitable){ .context = steps[i].context,
                                              .ns = ob->ns && !bundle ? ob->ns : "",
                                              .name = ob->name, .kind = ob->kind,
                                              .state = K8TLS_WAIT_MISSING };
        n_bundles += bundle;
        n_certs += !bundle;
        size_t g = 0;
        while (g < ng && !(strcmp(w[group[g].first].context, w[nw].context) == 0 &&
                           strcmp(w[group[g].first].ns, w[nw].ns) == 0 &&
                           strcmp(w[group[g].first].kind, w[nw].kind) == 0))
            g++;
        if (g == ng) {
            group[ng].first = nw;
            if (!bundle && asprintf(&group[ng].nsarg, "--namespace=%s", w[nw].ns) < 0) {
                group[ng].nsarg = NULL;
                goto oom;
            }
            ng++;
        }
        nw++;
    }
    if (nw == 0)
        goto out;
    say(c, K8TLS_KUBE_TEXT_PROGRESS,
        _("k8tls-wizard: waiting at most %d s before the K8ssandraCluster: Certificates Ready "
          "(cert-manager): %zu; Bundles Synced (trust-manager): %zu\n"),
        timeout, n_certs, n_bundles);
    for (size_t g = 0; g < ng; g++) {
        const struct k8tls_kube_waitable *f = &w[group[g].first];
        bool bundle = strcmp(f->kind, "Bundle") == 0;
        const char *cw[] = { "get", "certificates.cert-manager.io", group[g].nsarg, "-o", "json",
                             "--request-timeout=30s", NULL };
        const char *bw[] = { "get", "bundles.trust.cert-manager.io", "-o", "json",
                             "--request-timeout=30s", NULL };
        char **argv = kubectl_argv(c, f->context, bundle ? bw : cw);
        if (!argv)
            goto oom;
        jobs[g] = (struct k8tls_proc_job){ .argv = argv, .out_max = CAPTURE_MAX,
                                           .err_max = CAPTURE_MAX };
    }
    double deadline = now_s() + timeout;
    double pause = (double)poll_interval_ms() / 1000.0;
    char poll_error[sizeof c->reason];
    poll_error[0] = '\0';
    for (;;) {
        k8tls_proc_run_all(jobs, ng);
        for (size_t g = 0; g < ng; g++) {
            const struct k8tls_proc *r = &jobs[g].r;
            const struct k8tls_kube_waitable *f = &w[group[g].first];
            if (jobs[g].rc != 0 || r->exit_code != 0 || !r->out.p ||
                k8tls_kube_wait_read(r->out.p, r->out.len, f->context, f->ns, f->kind, w,
                                     nw) < 0) {
                /* a poll that failed is tried again: the last failure is said at the end */
                const struct k8tls_kube_context *kx = k8tls_kubeconfig_find(c->kc, f->context);
                k8tls_kube_explain(r, f->context, _("the status of the Certificates and Bundles"),
                                   kx ? kx->server : NULL, poll_error, sizeof poll_error);
            }
            k8tls_proc_free(&jobs[g].r);
        }
        size_t ready = 0;
        for (size_t k = 0; k < nw; k++)
            ready += w[k].state == K8TLS_WAIT_READY;
        if (ready == nw) {
            say(c, K8TLS_KUBE_TEXT_PROGRESS, "k8tls-wizard: %s\n",
                _("every Certificate is Ready and every Bundle Synced"));
            goto out;
        }
        double left = deadline - now_s();
        if (left <= 0) {
            set_reason(c,
                       _("not ready after %d s (%zu of %zu Certificates and Bundles): the "
                         "K8ssandraCluster was not applied"),
                       timeout, nw - ready, nw);
            say(c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c->reason);
            for (size_t k = 0; k < nw; k++)
                report_not_ready(c, &w[k]);
            if (poll_error[0])
                say_escaped(c, K8TLS_KUBE_TEXT_FAILURE,
                            _("k8tls-wizard: the last poll that failed: %s\n"), poll_error);
            say(c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n",
                _("see `kubectl describe certificate NAME` (and `kubectl describe bundle NAME`); "
                  "re-run with --apply --wait-ready once they are ready"));
            code = K8TLS_ENVIRONMENT;
            goto out;
        }
        sleep_s(pause < left ? pause : left);
    }
oom:
    set_reason(c, _("out of memory"));
    say(c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c->reason);
    code = K8TLS_ENVIRONMENT;
out:
    for (size_t g = 0; jobs && g < ng; g++)
        free((void *)jobs[g].argv);
    for (size_t g = 0; group && g < ng; g++)
        free(group[g].nsarg);
    free(group);
    free(jobs);
    free(w);
    return code;
}

/* The K8ssandraCluster's kubectl, started with the Secrets' runs and held at the end of its
 * input (k8tls_proc_start_held): it does its start-up, discovery and validation meanwhile, and
 * applies only once every Secret is in (released) — kubectl apply reads all of its input before
 * it applies anything. When a Secret failed it is killed before the end of its input: nothing
 * of it reaches the API server. Its input is the cluster's document, then a document of
 * comments that fills the 4 KiB kubectl reads ahead before it starts on the first document. */
struct held_cluster {
    struct k8tls_proc_held *h;
    struct k8tls_proc_job job;
    struct k8tls_buf in;
    bool done;        /* released: job.r is the cluster's run */
};

#define HELD_PAD_TO 8192u

static void held_start(struct ctx *c, struct held_cluster *hc, const char *context,
                       const struct object *ob)
{
    const char *words[12];
    apply_words(c, false, words);
    char **argv = kubectl_argv(c, context, words);
    if (!argv)
        return;
    k8tls_buf_add(&hc->in, ob->data, ob->len);
    if (ob->len && ob->data[ob->len - 1] != '\n')
        k8tls_buf_puts(&hc->in, "\n");
    k8tls_buf_puts(&hc->in, "---\n");
    static const char pad[] =
        "# k8tls-wizard: end of the objects (a comment: kubectl reads 4 KiB ahead)\n";
    while (!hc->in.oom && hc->in.len < HELD_PAD_TO)
        k8tls_buf_puts(&hc->in, pad);
    if (hc->in.oom) {
        free(argv);
        k8tls_buf_free(&hc->in);
        return;
    }
    hc->job = (struct k8tls_proc_job){ .argv = argv, .in = (const unsigned char *)hc->in.p,
                                       .in_len = hc->in.len, .out_max = CAPTURE_MAX,
                                       .err_max = CAPTURE_MAX };
    hc->h = k8tls_proc_start_held(&hc->job);
    if (!hc->h) {   /* no thread: the cluster runs after the Secrets, as a run of its own */
        free(argv);
        hc->job.argv = NULL;
        k8tls_buf_free(&hc->in);
    }
}

static void held_free(struct held_cluster *hc)
{
    if (hc->h)
        k8tls_proc_release(hc->h, false);
    hc->h = NULL;
    if (hc->job.argv)
        k8tls_proc_free(&hc->job.r);
    free((void *)hc->job.argv);
    hc->job.argv = NULL;
    k8tls_buf_free(&hc->in);
}

static void add_unique(const char **v, size_t *n, const char *s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i], s) == 0)
            return;
    v[(*n)++] = s;
}

/* M2: the management API's Secrets name a datacenter (annotation
 * cassandra.datastax.com/datacenter: cass-operator validates that datacenter again when they
 * change). The files name the control plane's (bundle.c); each context gets its own first
 * datacenter's name. */
#define DC_ANNOTATION_LINE "\n    cassandra.datastax.com/datacenter: "

struct variants {
    struct object **v;       /* each allocated on its own: the steps point at them */
    size_t n, cap;
};

static void variants_free(struct variants *vs)
{
    for (size_t i = 0; vs->v && i < vs->n; i++) {
        OPENSSL_cleanse((void *)vs->v[i]->data, vs->v[i]->len);
        free((void *)vs->v[i]->data);
        free(vs->v[i]);
    }
    free(vs->v);
    memset(vs, 0, sizeof *vs);
}

/* The first datacenter that runs in context target (k8sContext "" is the control plane's). */
static const char *context_dc(const struct k8tls_plan *p, const char *target, const char *control)
{
    for (size_t i = 0; p && i < p->cluster.n_dcs; i++) {
        const char *k = p->cluster.dcs[i].k8s_context;
        if ((k && *k) ? strcmp(k, target) == 0 : strcmp(target, control) == 0)
            return p->cluster.dcs[i].name;
    }
    return NULL;
}

/* obj as context target gets it: a copy naming that context's datacenter when obj names
 * another one; obj itself otherwise (also when out of memory: the annotation then names a
 * datacenter the context does not run, which cass-operator ignores). */
static const struct object *for_context(const struct object *obj, const char *dc,
                                        struct variants *vs)
{
    size_t ll = strlen(DC_ANNOTATION_LINE);
    if (!dc || !*dc || obj->len < ll)
        return obj;
    const unsigned char *at = NULL;
    for (size_t i = 0; i + ll <= obj->len && !at; i++)
        if (memcmp(obj->data + i, DC_ANNOTATION_LINE, ll) == 0)
            at = obj->data + i + ll;
    if (!at)
        return obj;
    const unsigned char *end = memchr(at, '\n', obj->len - (size_t)(at - obj->data));
    if (!end)
        return obj;
    size_t old = (size_t)(end - at), dl = strlen(dc);
    if (old == dl && memcmp(at, dc, dl) == 0)
        return obj;
    if (vs->n == vs->cap) {
        size_t nc = vs->cap ? 2 * vs->cap : 8;
        struct object **nv = realloc(vs->v, nc * sizeof *nv);
        if (!nv)
            return obj;
        vs->v = nv;
        vs->cap = nc;
    }
    size_t head = (size_t)(at - obj->data), len = obj->len - old + dl;
    unsigned char *d = malloc(len);
    struct object *o = malloc(sizeof *o);
    if (!d || !o) {
        free(d);
        free(o);
        return obj;
    }
    memcpy(d, obj->data, head);
    memcpy(d + head, dc, dl);
    memcpy(d + head + dl, end, obj->len - head - old);
    *o = *obj;
    o->data = d;
    o->len = len;
    vs->v[vs->n++] = o;
    return o;
}

enum k8tls_status k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                                   const struct k8tls_apply_opts *o)
{
    struct ctx c = { 0 };
    c.o = o;
    if (o->err)
        k8tls_err_clear(o->err);
    enum k8tls_status code = K8TLS_OK;
    struct k8tls_err kerr;
    struct k8tls_kubeconfig *kc = NULL;
    struct object *objs = NULL;
    struct step *steps = NULL;
    const char **targets = NULL;
    size_t n_objs = 0, n_steps = 0, n_targets = 0;
    struct k8tls_buf ns_yaml = { 0 };
    struct variants vs = { 0 };

    if (!b) {
        set_reason(&c, _("nothing to apply"));
        code = K8TLS_INVALID;
        goto out;
    }

    /* the kubeconfig: which contexts exist, which is current */
    kc = k8tls_kubeconfig_load(o->kubeconfig, &kerr);
    if (!kc) {
        char buf[1700];
        set_reason(&c, _("cannot read the kubeconfig: %s"),
                   k8tls_err_format(&kerr, buf, sizeof buf));
        code = K8TLS_ENVIRONMENT;
        goto out;
    }
    c.kc = kc;

    /* the objects */
    objs = calloc(b->n + 1, sizeof *objs);
    targets = calloc(o->n_contexts + (p ? p->cluster.n_dcs : 0) + 1, sizeof *targets);
    if (!objs || !targets) {
        set_reason(&c, _("out of memory"));
        code = K8TLS_ENVIRONMENT;
        goto out;
    }
    const struct k8tls_artifact *cluster = NULL, *nsart = NULL;
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (is_cluster(a) && !cluster)
            cluster = a;
        else if (is_namespace(a) && !nsart)
            nsart = a;
    }
    /* the cluster's namespace: the manifest's (it may come from an existing manifest), else
     * the plan's */
    const char *namespace_ = NULL;
    if (cluster && cluster->k8s_namespace && *cluster->k8s_namespace)
        namespace_ = cluster->k8s_namespace;
    else if (p && p->cluster.namespace_ && *p->cluster.namespace_)
        namespace_ = p->cluster.namespace_;
    if (cluster && (!cluster->k8s_namespace || !*cluster->k8s_namespace) && namespace_)
        snprintf(c.ns_arg, sizeof c.ns_arg, "--namespace=%s", namespace_);
    if (o->create_namespace) {
        if (nsart) {
            objs[n_objs++] = (struct object){ "Namespace",
                nsart->k8s_name ? nsart->k8s_name : namespace_, NULL, nsart->data, nsart->len };
        } else if (namespace_) {
            if (emit_namespace(namespace_, &ns_yaml) < 0) {
                set_reason(&c, _("out of memory"));
                code = K8TLS_ENVIRONMENT;
                goto out;
            }
            objs[n_objs++] = (struct object){ "Namespace", namespace_, NULL,
                                              (const unsigned char *)ns_yaml.p, ns_yaml.len };
        }
    }
    size_t first_secret = n_objs;
    /* the Secrets and a cert-manager output's Issuers, Certificates and Bundle, in the bundle's
     * order (the kustomization's: an Issuer before the Certificates it signs) */
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (!is_before_cluster(a))
            continue;
        const char *kind = a->k8s_kind ? a->k8s_kind : "Secret";
        objs[n_objs] = (struct object){ kind, a->k8s_name ? a->k8s_name : a->path,
            cluster_scoped(kind) ? NULL
                                 : a->k8s_namespace && *a->k8s_namespace ? a->k8s_namespace
                                                                         : namespace_,
            a->data, a->len };
        if (strcmp(kind, "Secret") == 0)
            k8tls_kube_known_collect(a->data, a->len, &c.known);
        n_objs++;
    }
    size_t end_secrets = n_objs;
    struct object *cluster_obj = NULL;
    if (cluster) {
        cluster_obj = &objs[n_objs++];
        *cluster_obj = (struct object){ cluster->k8s_kind ? cluster->k8s_kind : "K8ssandraCluster",
            cluster->k8s_name ? cluster->k8s_name : cluster->path,
            cluster->k8s_namespace ? cluster->k8s_namespace : namespace_, cluster->data,
            cluster->len };
    }
    if (n_objs == 0) {
        set_reason(&c, _("the bundle holds no Kubernetes object to apply"));
        code = K8TLS_INVALID;
        goto out;
    }

    /* the contexts: the control plane, other --context, every datacenter's k8sContext (K9) */
    const char *control = o->n_contexts ? o->contexts[0] : kc->current_context;
    if (!control || !*control) {
        char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
        set_reason(&c, _("no kube context given and no current-context in the kubeconfig (%s): "
                         "pass --context NAME"), files ? files : "?");
        free(files);
        code = K8TLS_ENVIRONMENT;
        goto out;
    }
    add_unique(targets, &n_targets, control);
    for (size_t i = 1; i < o->n_contexts; i++)
        add_unique(targets, &n_targets, o->contexts[i]);
    if (p)
        for (size_t i = 0; i < p->cluster.n_dcs; i++)
            add_unique(targets, &n_targets, p->cluster.dcs[i].k8s_context);
    for (size_t i = 0; i < n_targets; i++) {
        if (!k8tls_kubeconfig_find(kc, targets[i])) {
            char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
            const char *dc = NULL;
            if (p)
                for (size_t j = 0; j < p->cluster.n_dcs && !dc; j++)
                    if (p->cluster.dcs[j].k8s_context &&
                        strcmp(p->cluster.dcs[j].k8s_context, targets[i]) == 0)
                        dc = p->cluster.dcs[j].name;
            if (dc)
                set_reason(&c, _("kube context \"%s\" (the k8sContext of datacenter %s) is not in "
                                 "the kubeconfig (%s)"), targets[i], dc, files ? files : "?");
            else
                set_reason(&c, _("kube context \"%s\" is not in the kubeconfig (%s)"), targets[i],
                           files ? files : "?");
            free(files);
            code = K8TLS_ENVIRONMENT;
            goto out;
        }
    }

    /* a context whose cluster or user is missing: kubectl would not refuse it, it would send
     * everything to http://localhost:8080, or without credentials */
    for (size_t i = 0; i < n_targets; i++) {
        const struct k8tls_kube_context *kx = k8tls_kubeconfig_find(kc, targets[i]);
        char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
        const char *f = files ? files : "?";
        if (!*kx->cluster)
            set_reason(&c, _("kube context \"%s\" names no cluster (%s): kubectl would send "
                             "everything to http://localhost:8080; nothing was applied"),
                       targets[i], f);
        else if (!kx->server)
            set_reason(&c, _("kube context \"%s\": its cluster \"%s\" is not defined in the "
                             "kubeconfig (%s): kubectl would send everything to "
                             "http://localhost:8080; nothing was applied"),
                       targets[i], kx->cluster, f);
        else if (!*kx->server)
            set_reason(&c, _("kube context \"%s\": its cluster \"%s\" has no server in the "
                             "kubeconfig (%s): kubectl would send everything to "
                             "http://localhost:8080; nothing was applied"),
                       targets[i], kx->cluster, f);
        else if (*kx->user && !kx->user_defined)
            set_reason(&c, _("kube context \"%s\": its user \"%s\" is not defined in the "
                             "kubeconfig (%s): kubectl would send the requests without "
                             "credentials; nothing was applied"),
                       targets[i], kx->user, f);
        else
            f = NULL;
        free(files);
        if (f) {
            code = K8TLS_ENVIRONMENT;
            goto out;
        }
    }

    /* the steps, in order */
    steps = calloc(n_targets * n_objs + 1, sizeof *steps);
    if (!steps) {
        set_reason(&c, _("out of memory"));
        code = K8TLS_ENVIRONMENT;
        goto out;
    }
    for (size_t t = 0; t < n_targets; t++) {
        for (size_t i = 0; i < first_secret; i++)
            steps[n_steps++] = (struct step){ targets[t], &objs[i], ST_PENDING, false };
        for (size_t i = first_secret; i < end_secrets; i++)
            steps[n_steps++] = (struct step){ targets[t],
                for_context(&objs[i], context_dc(p, targets[t], control), &vs), ST_PENDING,
                false };
    }
    if (cluster_obj)
        steps[n_steps++] = (struct step){ control, cluster_obj, ST_PENDING, false };

    /* every context must answer before anything is applied (one context: its apply run
     * finds it unreachable before it applies anything) */
    if (n_targets > 1 || o->diff)
        code = check_reachable(&c, targets, n_targets);
    if (code != K8TLS_OK) {
        for (size_t i = 0; i < n_steps; i++)
            notify(&c, &steps[i], false, _("not applied: not every context answers"));
        say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c.reason);
        say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", _("nothing was applied"));
        goto out_nomsg;
    }

    bool failed = false;
    size_t n_differ = 0;
    size_t first_step = 0;
    struct held_cluster hc = { 0 };
    /* --wait-ready: cert-manager must have issued every Certificate before the cluster goes,
     * so that no pod mounts a Secret that does not exist yet */
    bool waiting = o->wait_ready && !o->diff && !o->dry_run_server;
    if (!o->diff && end_secrets > 0) {
        /* the cluster's kubectl starts now and waits for the end of its input (held_start);
         * not while waiting for cert-manager (minutes): it runs after the wait */
        if (cluster_obj && !waiting)
            held_start(&c, &hc, control, cluster_obj);
        /* the Namespace, the Secrets, the Issuers, Certificates and Bundle: every context at the
         * same time */
        code = apply_secrets(&c, steps, end_secrets, targets, n_targets);
        failed = code != K8TLS_OK;
        first_step = n_targets * end_secrets;
        if (!failed && waiting) {
            code = wait_ready(&c, steps, first_step);
            failed = code != K8TLS_OK;
        }
        /* every Secret is in: the cluster may go; else it never gets the end of its input */
        if (hc.h) {
            k8tls_proc_release(hc.h, !failed);
            hc.h = NULL;
            hc.done = !failed;
        }
    }
    /* then the cluster (apply); or each object, one after the other (diff) */
    for (size_t i = first_step; i < n_steps && !failed; i++) {
        struct step *s = &steps[i];
        char *label = object_label(s->obj);
        const char *lbl = label ? label : s->obj->name;
        const char *words[12];
        apply_words(&c, false, words);
        struct k8tls_proc r;
        if (hc.done && s->obj == cluster_obj) {
            /* the held run: its result moves here, freed below as any run's */
            r = hc.job.r;
            memset(&hc.job.r, 0, sizeof hc.job.r);
            hc.done = false;
        } else if (run_kubectl(&c, s->context, words, s->obj->data, s->obj->len, &r) < 0) {
            free(label);
            set_reason(&c, _("out of memory"));
            code = K8TLS_ENVIRONMENT;
            failed = true;
            break;
        }
        bool ok = r.spawn_err == 0 && (r.exit_code == 0 || (o->diff && r.exit_code == 1));
        if (ok) {
            s->state = ST_DONE;
            if (o->diff) {
                s->differs = r.exit_code == 1;
                if (s->differs) {
                    n_differ++;
                    char *m = k8tls_kube_mask_diff(r.out.p, (const char *const *)c.known.v,
                                                   c.known.n);
                    if (m) {
                        if (o->on_diff)
                            o->on_diff(o->ud, s->context, s->obj->kind, s->obj->name, m);
                        say_escaped(&c, K8TLS_KUBE_TEXT_DIFF, "# %s: %s\n", s->context, lbl);
                        say_block(&c, K8TLS_KUBE_TEXT_DIFF, m);
                        k8tls_secure_free_str(m);
                    }
                }
                char msg[300];
                snprintf(msg, sizeof msg, "%s", s->differs ? _("differs") : _("no changes"));
                notify(&c, s, true, msg);
                say_escaped(&c, K8TLS_KUBE_TEXT_PROGRESS,
                            s->differs ? _("context %s: %s: differs\n")
                                       : _("context %s: %s: no changes\n"),
                            s->context, lbl);
            } else {
                report_applied(&c, s);
            }
        } else {
            s->state = ST_FAILED;
            code = explain_failure(&c, s->context, lbl, &r);
            notify(&c, s, false, c.reason);
            say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c.reason);
            if (k8tls_kube_is_conflict(r.err.p))
                report_kubectl_text(&c, &r);
            failed = true;
        }
        k8tls_proc_free(&r);
        free(label);
    }

    if (failed) {
        /* say exactly what was applied and what was not */
        for (size_t i = 0; i < n_steps; i++)
            if (steps[i].state == ST_PENDING)
                notify(&c, &steps[i], false, o->diff ? _("not compared after the failure above")
                                                     : _("not applied after the failure above"));
        if (o->on_text) {
            struct k8tls_buf done = { 0 }, notdone = { 0 };
            for (size_t i = 0; i < n_steps; i++) {
                char *label = object_label(steps[i].obj);
                char item[600];
                snprintf(item, sizeof item, _("%s (context %s)"),
                         label ? label : steps[i].obj->name, steps[i].context);
                free(label);
                struct k8tls_buf *dst = steps[i].state == ST_DONE ? &done : &notdone;
                if (dst->len)
                    k8tls_buf_puts(dst, ", ");
                k8tls_buf_puts(dst, item);
            }
            if (done.len)
                say_escaped(&c, K8TLS_KUBE_TEXT_FAILURE,
                            o->diff ? _("k8tls-wizard: compared: %s\n")
                                    : _("k8tls-wizard: applied: %s\n"), done.p);
            else
                say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n",
                    o->diff ? _("nothing was compared") : _("nothing was applied"));
            say_escaped(&c, K8TLS_KUBE_TEXT_FAILURE,
                        o->diff ? _("k8tls-wizard: not compared: %s\n")
                                : _("k8tls-wizard: not applied: %s\n"),
                        notdone.p ? notdone.p : "");
            if (!o->diff && !o->dry_run_server)
                say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n",
                    _("re-running is safe: server-side apply is idempotent"));
            k8tls_buf_free(&done);
            k8tls_buf_free(&notdone);
        }
    } else if (o->diff) {
        say(&c, K8TLS_KUBE_TEXT_PROGRESS,
            _("k8tls-wizard: objects that differ from the clusters: %zu of %zu\n"), n_differ,
            n_steps);
    }
    held_free(&hc);
    goto out_nomsg;

out:
    if (code != K8TLS_OK)
        say(&c, K8TLS_KUBE_TEXT_FAILURE, "k8tls-wizard: %s\n", c.reason);
out_nomsg:
    if (code != K8TLS_OK && o->err)
        o->err->status = code;
    free(steps);
    free(targets);
    free(objs);
    variants_free(&vs);
    k8tls_buf_free(&ns_yaml);
    k8tls_kube_known_free(&c.known);
    OPENSSL_cleanse(c.reason, sizeof c.reason);
    k8tls_kubeconfig_free(kc);
    return code;
}
