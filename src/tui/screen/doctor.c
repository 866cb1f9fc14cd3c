/* The doctor screen (Welcome's "check an existing cluster"): a directory or file, or a kube
 * context; Check runs the doctor (src/doctor/doctor.h) in a job and lists its findings, the
 * focused one in full (what is wrong, what it breaks, the fix) in the message area. "f" on a
 * finding fixes it where the wizard can: a renewal goes to the rotation path with the source
 * filled in, a missing ref to the wizard path starting from the manifest (merge mode). Reads
 * only; nothing is written unless a fix is chosen (and then only at that path's Output step).
 * Calls the doctor's core, rotate_source.c (the preset), kube.c, job.c, the engine, text.c. */
#include "config.h"
#include "../rotation.h"
#include "../../doctor/doctor.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { D_FROM, D_PATH, D_CTX };
static const char *const froms[] = {N_("a directory or file"), N_("a kube context")};

struct doctor_state {
    bool ran;
    struct dr_state s;              /* the last check's findings (no secret value is shown) */
    char *source;                   /* what was checked: the path, or the context */
    bool live;
    char **run_ctx;                 /* live: the contexts checked (s.contexts), control plane
                                     * first */
    size_t n_run;
    int list_item;                  /* the findings list on the page, or -1 */
};

static struct doctor_state *state(struct tui *t)
{
    return tui_screen_priv(t, K8TLS_SCR_DOCTOR);
}

static void clear_result(struct doctor_state *st)
{
    dr_state_free(&st->s);
    memset(&st->s, 0, sizeof st->s);
    for (size_t i = 0; i < st->n_run; i++)
        free(st->run_ctx[i]);
    free(st->run_ctx);
    st->run_ctx = NULL;
    st->n_run = 0;
    free(st->source);
    st->source = NULL;
    st->ran = false;
}

static void doctor_fini(struct tui *t, void *priv)
{
    (void)t;
    struct doctor_state *st = priv;
    clear_result(st);
}

static void doctor_define(struct form *f)
{
    int i = tui_field_choice(f, N_("Check"), NULL, froms, 2, true);
    tui_field_hint(f, i, N_("Files: a wizard output directory, a manifest with Secret YAML or a "
                            "'kubectl get -o yaml' dump. Live: kubectl get in a context."));
    i = tui_field_add(f, F_PATH, N_("Directory or file"), NULL);
    tui_field_hint(f, i, N_("Type a path, or choose Browse to pick it."));
    i = tui_field_add(f, F_MULTI, N_("Kube contexts"), NULL);
    tui_field_hint(f, i, N_("Space selects or unselects the context under the cursor: the "
                            "control plane first, then every datacenter's. Read with kubectl "
                            "get; nothing is changed."));
}

static void doctor_load(struct tui *t, struct form *f)
{
    const char *d = t->plan->output.directory ? t->plan->output.directory : "k8tls-out";
    struct stat st;
    if ((!f->f[D_PATH].value || !*f->f[D_PATH].value) && stat(d, &st) == 0 &&
        S_ISDIR(st.st_mode))
        tui_set_str(&f->f[D_PATH].value, d);
}

static void doctor_sync(struct tui *t, struct form *f)
{
    bool ctx = f->f[D_FROM].choice == 1;
    struct field *fd = &f->f[D_CTX];
    f->f[D_PATH].hidden = ctx;
    fd->hidden = true;
    if (!ctx)
        return;
    tui_kube_load(t);
    if (!t->kc) {
        tui_field_error(f, D_FROM, t->kc_error ? t->kc_error : _("the kubeconfig cannot be read"));
        return;
    }
    /* the kubeconfig's contexts, the current one selected */
    if (!fd->items) {
        fd->current_item = -1;
        fd->n_items = 0;
        fd->items = calloc(t->kc->n_contexts + 1, sizeof *fd->items);
        for (size_t i = 0; fd->items && i < t->kc->n_contexts; i++) {
            if (!(fd->items[fd->n_items] = strdup(t->kc->contexts[i].name)))
                break;
            if (t->kc->current_context &&
                strcmp(t->kc->contexts[i].name, t->kc->current_context) == 0)
                fd->current_item = fd->n_items;
            fd->n_items++;
        }
        if (fd->current_item >= 0 && (fd->sel = malloc(sizeof *fd->sel))) {
            fd->sel[0] = fd->current_item;
            fd->n_sel = 1;
            fd->choice = fd->current_item;
        }
    }
    if (fd->n_items == 0) {
        tui_field_error(f, D_FROM, _("no kube context in the kubeconfig"));
        return;
    }
    fd->hidden = false;
}

struct doctor_work {
    struct dr_state s;
    char *name;                     /* the path (files) or the contexts, for the screen */
    char **ctx;                     /* live: the contexts (s.contexts) */
    size_t nctx;
    struct k8tls_err e;
};

static void work_free(void *arg)
{
    struct doctor_work *w = arg;
    if (!w)
        return;
    dr_state_free(&w->s);
    for (size_t i = 0; i < w->nctx; i++)
        free(w->ctx[i]);
    free(w->ctx);
    free(w->name);
    free(w);
}

static int doctor_main(struct tui_job *j, void *arg)
{
    struct doctor_work *w = arg;
    tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                 w->s.ncontexts ? _("Reading the K8ssandraCluster and its Secrets with kubectl...")
                                : _("Reading the manifests, Secrets and stores..."));
    int rc = w->s.ncontexts ? dr_load_live(&w->s, &w->e) : dr_load_path(&w->s, w->name, &w->e);
    if (rc < 0)
        return -1;
    dr_check_all(&w->s);
    return 0;
}

static int doctor_check(struct tui *t, struct form *f)
{
    struct doctor_state *st = state(t);
    if (!st)
        return 1;
    bool live = f->f[D_FROM].choice == 1;
    struct doctor_work *w = calloc(1, sizeof *w);
    if (!w)
        return 1;
    w->s.expiring_days = 30;
    k8tls_err_clear(&w->e);
    if (live) {
        struct field *fd = &f->f[D_CTX];
        if (fd->hidden || fd->n_sel == 0) {
            if (fd->hidden && !f->f[D_FROM].error)
                tui_field_error(f, D_FROM, _("no kube context to read"));
            else if (!fd->hidden)
                tui_field_error(f, D_CTX, _("select a context with Space"));
            work_free(w);
            return 1;
        }
        size_t len = 1;
        w->ctx = calloc((size_t)fd->n_sel, sizeof *w->ctx);
        for (int k = 0; w->ctx && k < fd->n_sel; k++)
            if (fd->sel[k] >= 0 && fd->sel[k] < fd->n_items &&
                (w->ctx[w->nctx] = strdup(fd->items[fd->sel[k]])))
                len += strlen(w->ctx[w->nctx++]) + 2;
        w->name = w->nctx ? calloc(len, 1) : NULL;
        if (!w->name) {
            work_free(w);
            return 1;
        }
        for (size_t k = 0; k < w->nctx; k++) {
            if (k)
                strcat(w->name, ", ");
            strcat(w->name, w->ctx[k]);
        }
        w->s.contexts = (const char **)w->ctx;
        w->s.ncontexts = w->nctx;
        w->s.kubeconfig = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig
                              ? t->opts->kubeconfig
                              : NULL;
    } else {
        w->name = tui_trimmed(tui_field_val(f, D_PATH));
        if (!w->name || !*w->name) {
            tui_field_error(f, D_PATH, _("give the directory or file to check"));
            work_free(w);
            return 1;
        }
        /* Browse picked a wizard bundle's answers.yaml (the doctor does not read it): the
         * bundle is meant */
        static const char suffix[] = "/answers.yaml";
        size_t nl = strlen(w->name), ns = sizeof suffix - 1;
        struct stat sb;
        if (nl > ns && strcmp(w->name + nl - ns, suffix) == 0 && stat(w->name, &sb) == 0 &&
            S_ISREG(sb.st_mode))
            w->name[nl - ns] = '\0';
        w->s.source = w->name;
    }
    char *title = live ? tui_fmt(_("Checking the contexts %s"), w->name)
                       : tui_fmt(_("Checking %s"), w->name);
    struct tui_job *j = tui_job_start(doctor_main, w);
    int rc = j ? tui_job_wait(t, title, j, true, false) : -1;
    free(title);
    if (rc == -2) {
        t->job_arg = w;
        t->job_cleanup = work_free;
        return 1;
    }
    if (rc < 0) {
        char buf[2048];
        tui_field_error(f, live ? D_CTX : D_PATH,
                        w->e.msg[0] ? k8tls_err_format(&w->e, buf, sizeof buf)
                            : _("the doctor cannot read it"));
        work_free(w);
        return 1;
    }
    /* the findings stay with the screen; the worker's state moves over */
    clear_result(st);
    st->s = w->s;
    st->live = live;
    st->run_ctx = w->ctx;
    st->n_run = w->nctx;
    w->ctx = NULL;
    w->nctx = 0;
    st->source = w->name;
    memset(&w->s, 0, sizeof w->s);
    w->name = NULL;
    work_free(w);
    st->ran = true;
    /* Check stays on this screen: the findings are the result */
    return 1;
}

static const char *sev_name(enum dr_sev s)
{
    switch (s) {
    case DR_ERROR: return _("error");
    case DR_WARNING: return _("warning");
    default: return _("expiring");
    }
}

/* the manifest a merge-mode fix names ("... cluster.manifest: FILE (merge mode ..."), as a
 * heap string, or NULL (none, or live: the file is not known) */
static char *fix_manifest(const struct dr_finding *x)
{
    const char *p = x->fix ? strstr(x->fix, "cluster.manifest: ") : NULL;
    if (!p)
        return NULL;
    p += strlen("cluster.manifest: ");
    size_t n = strcspn(p, " ");
    char *m = n ? strndup(p, n) : NULL;
    struct stat sb;
    if (m && (stat(m, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        free(m);
        m = NULL;
    }
    return m;
}

/* the fix the wizard can make for a finding: 1 a renewal, 2 the refs via merge mode, 0 none */
static int fix_kind(const struct doctor_state *st, const struct dr_finding *x)
{
    if (!x->fix)
        return 0;
    /* a renewal the rotation path can make: from a wizard directory or a context */
    if (strstr(x->fix, "--phase renew") &&
        (strstr(x->fix, "--from ") || strstr(x->fix, "--from-context ")))
        return 1;
    char *m = st->live ? NULL : fix_manifest(x);
    free(m);
    return m ? 2 : 0;
}

static int doctor_header(struct tui *t, int top, int max_rows)
{
    struct doctor_state *st = state(t);
    if (!st)
        return 0;
    st->list_item = -1;
    if (!st->ran)
        return 0;
    size_t n = st->s.nf;
    char **rows = calloc(n + 1, sizeof *rows);
    if (!rows)
        return 0;
    int k = 0;
    if (n == 0)
        rows[k++] = tui_fmt(_("No finding: nothing known is wrong in %s."), st->source);
    for (size_t i = 0; i < n; i++) {
        const struct dr_finding *x = &st->s.f[i];
        char *plain = tui_fmt("%-8s %s%s%s: %s", sev_name(x->sev), x->object, x->key ? " " : "",
                              x->key ? x->key : "", x->what ? x->what : "");
        char *e = plain ? tui_escape(plain) : NULL;
        free(plain);
        rows[k] = e && (int)strlen(e) > COLS - 4 ? tui_fit(e, COLS - 4) : e;
        if (rows[k] != e)
            free(e);
        k += rows[k] != NULL;
    }
    /* the box and the title take three rows */
    int h = k + 3 < max_rows ? k + 3 : max_rows;
    if (h < 4)
        h = 4;
    char *ti = tui_fmt(_("%zu finding(s) in %s"), n, st->source);
    st->list_item = tui_add_list(t, 1, top, COLS - 2, h, ti, (const char *const *)rows, k);
    free(ti);
    tui_free_lines(rows, k);
    free(rows);
    return h;
}

static int focused_finding(struct tui *t, struct doctor_state *st)
{
    if (!st || !st->ran || st->s.nf == 0 || st->list_item < 0 || st->list_item >= t->pg.n ||
        !t->pg.it[st->list_item].obj)
        return -1;
    int i = getCDKScrollCurrentItem((CDKSCROLL *)t->pg.it[st->list_item].obj);
    return i >= 0 && (size_t)i < st->s.nf ? i : -1;
}

static void doctor_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    struct doctor_state *st = state(t);
    int i = focused_finding(t, st);
    if (i < 0) {
        if (*n < max && (!st || !st->ran))
            lines[(*n)++] = strdup(_("Check reads only: nothing is written or changed unless "
                                     "you choose to fix a finding."));
        return;
    }
    const struct dr_finding *x = &st->s.f[i];
    if (*n < max)
        lines[(*n)++] = tui_fmt("%s[%s] %s%s%s%s%s%s: %s", x->sev == DR_ERROR ? "!E" : "!W",
                                x->code ? x->code : "", x->object, x->key ? " " : "",
                                x->key ? x->key : "", x->where ? " (" : "",
                                x->where ? x->where : "", x->where ? ")" : "",
                                x->what ? x->what : "");
    if (*n < max && x->breaks)
        lines[(*n)++] = tui_fmt(_("Breaks: %s"), x->breaks);
    if (*n < max && x->fix)
        lines[(*n)++] = tui_fmt(_("Fix: %s"), x->fix);
    int k = fix_kind(st, x);
    if (*n < max && k == 1)
        lines[(*n)++] = strdup(_("f: fix it: renew with the wizard, this source filled in."));
    if (*n < max && k == 2)
        lines[(*n)++] = strdup(_("f: fix it: add the missing refs, from this manifest."));
}

static int doctor_key(struct tui *t, struct page *pg, int key)
{
    struct doctor_state *st = state(t);
    if (!st || st->list_item < 0 || pg->focus != st->list_item)
        return 0;
    struct item *it = &pg->it[pg->focus];
    if (key == KEY_UP || key == KEY_DOWN || key == KEY_PPAGE || key == KEY_NPAGE ||
        key == KEY_HOME || key == KEY_END) {
        InjectObj(it->obj, (chtype)key);
        t->pg.notes_off = 0;
        tui_update_notes(t);
        return 1;
    }
    if (key != 'f' && key != 'F')
        return 0;
    int i = focused_finding(t, st);
    int k = i >= 0 ? fix_kind(st, &st->s.f[i]) : 0;
    if (k == 0) {
        tui_set_status(t, "%s", _("the wizard cannot fix this finding itself: see its Fix"));
        tui_update_notes(t);
        return 1;
    }
    if (k == 1) {
        tui_rotate_source_preset(t, st->live ? NULL : st->source,
                                 st->live && st->n_run ? st->run_ctx[0] : NULL);
        t->path = K8TLS_PATH_ROTATE;
        t->cur = K8TLS_SCR_ROTATE_SOURCE;
    } else {
        char *m = fix_manifest(&st->s.f[i]);
        tui_welcome_preset_manifest(t, m);
        free(m);
        t->path = K8TLS_PATH_WIZARD;
        t->cur = K8TLS_SCR_WELCOME;
    }
    tui_bundle_reset(t);
    t->rebuild = true;
    return 1;
}

const struct tui_screen tui_screen_doctor = {
    .private_size = sizeof(struct doctor_state),
    .fini = doctor_fini,
    .intro = N_("Checks a cluster that already runs for the known TLS traps, and says how to fix "
                "each. Reads only."),
    .help = N_("Choose a wizard output directory, a manifest with its Secrets or a 'kubectl get "
               "-o yaml' dump, or a kube context, then Check. Each finding says what is wrong, "
               "what it breaks and the fix; no secret value is shown. On a finding the wizard "
               "can fix (a renewal with the right SANs, missing refs), f takes you to those "
               "steps with the source filled in."),
    .next_label = N_("Check"),
    .define = doctor_define,
    .load = doctor_load,
    .sync = doctor_sync,
    .check = doctor_check,
    .notes = doctor_notes,
    .header = doctor_header,
    .key = doctor_key,
    .bar_keys = N_("f: fix it"),
    .focus_list_first = true,
};
