/* Kubernetes from the TUI: the kubeconfig (read once, for Output, Review and the rotation source),
 * the apply of the bundle as a job with each object's result on screen, and the diff for Review's
 * `d` (kubectl diff --server-side, Secret values masked by k8tls_kube_apply) in a viewer. Calls
 * rotation.c (the live check before a phase is applied), modal.c, page.c (the status line),
 * job.c, text.c and the core. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_kube_load(struct tui *t)
{
    if (t->kc_loaded)
        return;
    t->kc_loaded = true;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    const char *explicit_path = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig
                                    ? t->opts->kubeconfig
                                    : NULL;
    t->kc = k8tls_kubeconfig_load(explicit_path, &e);
    if (!t->kc) {
        char buf[1600];
        free(t->kc_error);
        t->kc_error = strdup(k8tls_err_format(&e, buf, sizeof buf));
    }
}

static void applied_free(struct tui_applied *a)
{
    if (!a)
        return;
    free(a->contexts);
    free(a->reason);
    free(a->done);
    free(a->not_done);
    free(a);
}

/* ---- the worker ------------------------------------------------------------------------- */

struct apply_work {
    struct tui *t;                  /* read-only while the worker runs (the UI waits) */
    struct tui_job *job;
    struct k8tls_apply_opts o;
    const struct k8tls_plan *plan;
    bool rotation;
    /* the bundle's own check before it is applied (t->apply_check), or NULL */
    int (*check)(struct tui *t, const char *const *contexts, size_t n, char **why);
    struct k8tls_err err;
    struct k8tls_buf done, not_done, diff;
    size_t n_done, n_objects, n_differ;
    char *why;                      /* the rotation's live check refused */
    size_t n_said;                  /* the core's own lines shown (the wait for Ready) */
};

static void on_object(void *ud, const char *context, const char *kind, const char *name, bool ok,
                      const char *message)
{
    struct apply_work *w = ud;
    char *item = tui_fmt(_("%s %s (context %s)"), kind, name, context);
    struct k8tls_buf *dst = ok ? &w->done : &w->not_done;
    if (dst->len)
        k8tls_buf_puts(dst, ", ");
    k8tls_buf_puts(dst, item ? item : "?");
    free(item);
    w->n_objects++;
    if (ok)
        w->n_done++;
    /* a row of the panel's table (object, context, status): the status in words as well as
     * the colour; the reason of a failure comes once, under the table */
    const char *status;
    if (ok)
        status = message && *message ? message : _("applied");
    else if (k8tls_kube_not_attempted(message))
        status = w->o.diff ? _("not compared") : _("not applied");
    else
        status = _("FAILED");
    char *obj = tui_fmt("%s %s", kind, name);
    tui_job_row(w->job, ok ? K8TLS_ROLE_TEXT : K8TLS_ROLE_ERROR, obj ? obj : "?", context,
                status);
    free(obj);
}

static void on_diff(void *ud, const char *context, const char *kind, const char *name,
                    const char *masked)
{
    struct apply_work *w = ud;
    char *head = tui_fmt(_("# context %s: %s %s"), context, kind, name);
    k8tls_buf_puts(&w->diff, head ? head : "?");
    k8tls_buf_puts(&w->diff, "\n");
    free(head);
    k8tls_buf_puts(&w->diff, masked);
    if (*masked && masked[strlen(masked) - 1] != '\n')
        k8tls_buf_puts(&w->diff, "\n");
    w->n_differ++;
}

/* The core's report while it waits for cert-manager (wait_ready): how long at most, then every
 * Certificate Ready, or each one not ready with its condition's reason and what to look at. */
static void on_text(void *ud, enum k8tls_kube_text kind, const char *text)
{
    struct apply_work *w = ud;
    if (kind != K8TLS_KUBE_TEXT_PROGRESS && kind != K8TLS_KUBE_TEXT_FAILURE)
        return;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        /* the command line's prefix is no help in a panel */
        static const char prefix[] = "k8tls-wizard: ";
        if (len >= sizeof prefix - 1 && strncmp(p, prefix, sizeof prefix - 1) == 0) {
            p += sizeof prefix - 1;
            len -= sizeof prefix - 1;
        }
        if (len) {
            tui_job_line(w->job, kind == K8TLS_KUBE_TEXT_FAILURE ? K8TLS_ROLE_ERROR
                                                                : K8TLS_ROLE_TEXT,
                         "%.*s", (int)len, p);
            w->n_said += kind == K8TLS_KUBE_TEXT_FAILURE;
        }
        p = nl ? nl + 1 : NULL;
    }
}

static int apply_main(struct tui_job *j, void *arg)
{
    struct apply_work *w = arg;
    w->job = j;
    if (w->check && !w->o.diff) {
        /* a staged phase may go only where the phase before it runs everywhere */
        tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                     _("Checking that the live cluster is where this phase starts (every "
                       "datacenter Ready, every pod restarted since the phase before)..."));
        if (w->check(w->t, w->o.contexts, w->o.n_contexts, &w->why) < 0) {
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", w->why ? w->why : "");
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", _("Nothing was applied."));
            return 1;
        }
    }
    if (w->rotation && !w->o.diff) {
        /* a phase may go only where the Secrets are at the stage it starts from */
        tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                     _("Checking the live Secrets of every context (the phase must start from "
                       "where they are)..."));
        if (tui_renew_live_check(w->t, w->o.contexts, w->o.n_contexts, &w->why) < 0) {
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", w->why ? w->why : "");
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", _("Nothing was applied."));
            return 1;
        }
    }
    w->o.err = &w->err;
    tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                 _("Checking that every context answers (kubectl gives up after 30 seconds)..."));
    tui_job_row(j, K8TLS_ROLE_TITLE, _("Object"), _("Context"), _("Status"));
    int rc = (int)k8tls_kube_apply(w->t->bundle, w->plan, &w->o);
    if (rc != 0) {
        char buf[1600];
        char *why = tui_fmt(_("Failed: %s"), k8tls_err_format(&w->err, buf, sizeof buf));
        /* the wait for Ready said it already, with each object not ready */
        if (!w->n_said)
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", why ? why : buf);
        free(why);
        if (!w->o.diff && w->n_done == 0)
            tui_job_line(j, K8TLS_ROLE_ERROR, "%s", _("Nothing was applied."));
        else if (!w->o.diff)
            tui_job_line(j, K8TLS_ROLE_WARNING,
                         _("Applied: %zu of %zu objects; the others were not (the table says "
                           "which)."),
                         w->n_done, w->n_objects);
    } else if (!w->o.diff) {
        tui_job_line(j, K8TLS_ROLE_TEXT,
                     w->o.dry_run_server
                         ? _("Done: %zu objects accepted by the API servers (server dry run: "
                             "nothing was stored).")
                         : _("Done: %zu objects applied (field manager k8tls-wizard)."),
                     w->n_done);
    } else {
        tui_job_line(j, K8TLS_ROLE_TEXT, _("Done: %zu of %zu objects differ."), w->n_differ,
                     w->n_objects);
    }
    return rc;
}

static void work_free(struct apply_work *w)
{
    k8tls_buf_free(&w->done);
    k8tls_buf_free(&w->not_done);
    k8tls_buf_free(&w->diff);
    free(w->why);
}

/* after the user left during a diff: freed once the worker is joined (at exit) */
static void work_destroy(void *p)
{
    struct apply_work *w = p;
    free((void *)w->o.contexts);
    work_free(w);
    free(w);
}

/* "ctx0 (control plane), ctx1", the datacenters' contexts included */
static char *describe_contexts(const char *const *ctx, size_t n, const struct k8tls_plan *p,
                               const char *current)
{
    struct k8tls_buf b = { 0 };
    const char *v[64];
    size_t k = 0;
    if (n == 0 && current && *current)
        v[k++] = current;
    for (size_t i = 0; i < n && k < 64; i++)
        v[k++] = ctx[i];
    for (size_t i = 0; p && i < p->cluster.n_dcs && k < 64; i++) {
        const char *c = p->cluster.dcs[i].k8s_context;
        bool dup = !c || !*c;
        for (size_t m = 0; m < k && !dup; m++)
            dup = strcmp(v[m], c) == 0;
        if (!dup)
            v[k++] = c;
    }
    for (size_t i = 0; i < k; i++) {
        if (i)
            k8tls_buf_puts(&b, ", ");
        k8tls_buf_puts(&b, v[i]);
        if (i == 0)
            k8tls_buf_puts(&b, _(" (control plane)"));
    }
    return k8tls_buf_take(&b, NULL);
}

static const struct k8tls_plan *apply_plan(struct tui *t)
{
    if (t->path == K8TLS_PATH_ROTATE)
        return NULL; /* set by the caller from the rotation state */
    return t->bundle_plan ? t->bundle_plan : t->plan;
}

int tui_apply_run(struct tui *t, const char *const *contexts, size_t n, bool dry_run,
                  bool create_namespace, bool wait_ready)
{
    struct apply_work w;
    memset(&w, 0, sizeof w);
    w.t = t;
    w.rotation = t->path == K8TLS_PATH_ROTATE;
    w.check = t->apply_check;
    w.plan = w.rotation ? tui_renew_plan(t) : apply_plan(t);
    w.o.kubeconfig = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig ? t->opts->kubeconfig
                                                                           : NULL;
    w.o.contexts = (const char **)contexts;
    w.o.n_contexts = n;
    w.o.dry_run_server = dry_run;
    w.o.create_namespace = create_namespace && t->path == K8TLS_PATH_WIZARD;
    w.o.on_object = on_object;
    w.o.ud = &w;
    /* a cert-manager output: the cluster only once cert-manager has issued the Certificates */
    bool cm = !w.rotation && w.plan && w.plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
    w.o.wait_ready = cm && wait_ready && !dry_run;
    if (w.o.wait_ready)
        w.o.on_text = on_text;
    k8tls_err_clear(&w.err);
    char *where = describe_contexts(contexts, n, w.plan, t->kc ? t->kc->current_context : NULL);
    const char *ns = w.plan && w.plan->cluster.namespace_ ? w.plan->cluster.namespace_ : "?";
    char *title = tui_fmt(dry_run ? _("Server dry run in %s (namespace %s)")
                                  : _("Applying to %s (namespace %s)"),
                          where, ns);
    struct tui_job *j = tui_job_start(apply_main, &w);
    int rc;
    if (!j) {
        rc = 3;
        k8tls_err_set(&w.err, NULL, 0, 0, "%s", _("cannot start a worker thread"));
    } else {
        rc = tui_job_wait(t, title, j, false, true);
    }
    free(title);
    struct tui_applied *a = calloc(1, sizeof *a);
    if (a) {
        a->rc = rc;
        a->dry_run = dry_run;
        a->contexts = where;
        where = NULL;
        if (rc != 0) {
            char buf[1600];
            a->reason = strdup(w.why ? w.why : k8tls_err_format(&w.err, buf, sizeof buf));
        }
        a->done = w.done.p ? strdup(w.done.p) : NULL;
        a->not_done = w.not_done.p ? strdup(w.not_done.p) : NULL;
        a->n_done = w.n_done;
        a->n_objects = w.n_objects;
        a->cert_manager = cm;
        a->waited = w.o.wait_ready;
        applied_free(t->applied);
        t->applied = a;
    }
    free(where);
    work_free(&w);
    return rc;
}

/* ---- the diff ---------------------------------------------------------------------------- */

void tui_kube_diff(struct tui *t, const char *const *contexts, size_t n_contexts)
{
    if (!t->bundle) {
        tui_set_status(t, "%s", _("Nothing to compare yet: the bundle is not ready."));
        t->rebuild = true;
        return;
    }
    tui_kube_load(t);
    if (!t->kc) {
        char *m = tui_fmt(_("The kubeconfig cannot be read, so there is nothing to compare "
                            "with:\n%s"),
                          t->kc_error ? t->kc_error : "?");
        tui_message(t, _("Diff against the cluster"), m);
        free(m);
        return;
    }
    const char **ctx = calloc(64, sizeof *ctx);
    struct apply_work *w = calloc(1, sizeof *w);
    if (!ctx || !w) {
        free(ctx);
        free(w);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < n_contexts && n < 64; i++)
        ctx[n++] = contexts[i];
    if (n == 0 && (!t->kc->current_context || !*t->kc->current_context)) {
        char *files = k8tls_kubeconfig_describe(t->kc, t->opts ? t->opts->kubeconfig : NULL);
        char *m = t->kc->n_contexts == 0
                      ? tui_fmt(_("No kube context to compare with: %s defines none. Point "
                                  "KUBECONFIG (or --kubeconfig) at the cluster's kubeconfig."),
                                files ? files : "~/.kube/config")
                      : tui_fmt(_("No kube context to compare with: %s has no current-context. "
                                  "Choose contexts on the Output step (Apply to a cluster), or "
                                  "set one with kubectl config use-context NAME."),
                                files ? files : "~/.kube/config");
        tui_message(t, _("Diff against the cluster"), m);
        free(m);
        free(files);
        free(ctx);
        free(w);
        return;
    }
    w->t = t;
    w->plan = apply_plan(t);
    w->o.kubeconfig = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig ? t->opts->kubeconfig
                                                                             : NULL;
    w->o.contexts = ctx;
    w->o.n_contexts = n;
    w->o.diff = true;
    w->o.on_object = on_object;
    w->o.on_diff = on_diff;
    w->o.ud = w;
    k8tls_err_clear(&w->err);
    char *where = describe_contexts(ctx, n, w->plan, t->kc->current_context);
    char *title = tui_fmt(_("kubectl diff --server-side against %s"), where);
    free(where);
    struct tui_job *j = tui_job_start(apply_main, w);
    int rc = j ? tui_job_wait(t, title, j, true, false) : 3;
    if (rc == -2) {
        /* the user left: the worker still uses w; it is freed once joined, at exit */
        t->job_arg = w;
        t->job_cleanup = work_destroy;
        free(title);
        return;
    }
    if (rc != 0) {
        char buf[1600];
        char *m = tui_fmt(_("The diff did not run: %s"),
                          j ? k8tls_err_format(&w->err, buf, sizeof buf)
                            : _("cannot start a worker thread"));
        tui_message(t, title, m);
        free(m);
    } else {
        /* the viewer: how many objects differ, then the masked diff */
        char *text = tui_fmt(_("%zu of %zu objects differ (Secret values are masked).\n%s\n%s"),
                             w->n_differ, w->n_objects,
                             w->n_differ ? "" : _("Nothing differs: the clusters already hold "
                                                  "this bundle."),
                             w->diff.p ? w->diff.p : "");
        size_t cap = 1;
        for (const char *c = text; *c; c++)
            cap += *c == '\n';
        char **lines = calloc(cap, sizeof *lines);
        int nl = 0;
        const char *p = text;
        while (lines && *p && (size_t)nl < cap) {
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            lines[nl++] = strndup(p, l);
            if (!e)
                break;
            p = e + 1;
        }
        tui_view_text(t, title, lines, nl);
        for (int i = 0; i < nl; i++)
            free(lines[i]);
        free(lines);
        k8tls_secure_free_str(text);
    }
    free(title);
    work_destroy(w);
}

void tui_kube_free(struct tui *t)
{
    applied_free(t->applied);
    t->applied = NULL;
    k8tls_kubeconfig_free(t->kc);
    t->kc = NULL;
    free(t->kc_error);
    t->kc_error = NULL;
}
