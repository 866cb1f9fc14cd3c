/* Renew or rotate certificates from the TUI (issue 7): the source (an output directory written
 * earlier, or the Secrets of a kube context), then what was found and the proposed phase, the
 * phase chosen and built in a worker thread; the Output screen writes (and may apply) it, and
 * the Result screen shows its NEXT-STEPS.md. The rotation itself is include/k8tls/rotate.h. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/rotate.h"
#include "k8tls/secure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tui_renew {
    /* the source the state was read from (the options point at these) */
    char *dir, *ctx, *key, *key_pw;
    struct k8tls_rotate_opts o;
    struct k8tls_rotate_state *s;
    struct k8tls_rotate_decision dec;   /* the proposal */
    struct k8tls_diags dec_notes;       /* why the proposal cannot run yet */
    char **summary;                     /* what was found, for the screen */
    int n_summary;
    enum k8tls_rotate_phase phase;      /* chosen */
    enum k8tls_rotate_phase built;      /* the phase of t->bundle, NONE when none */
    /* the kube contexts for the source choice */
    char **ctx_names;
    int n_ctx_names;
    bool ctx_init;
};

static struct tui_renew *rn_of(struct tui *t)
{
    if (!t->rn) {
        t->rn = calloc(1, sizeof *t->rn);
        if (t->rn)
            k8tls_diags_init(&t->rn->dec_notes);
    }
    return t->rn;
}

static void free_summary(struct tui_renew *rn)
{
    for (int i = 0; i < rn->n_summary; i++)
        free(rn->summary[i]);
    free(rn->summary);
    rn->summary = NULL;
    rn->n_summary = 0;
}

static void free_source(struct tui_renew *rn)
{
    free(rn->dir);
    free(rn->ctx);
    free(rn->key);
    k8tls_secure_free_str(rn->key_pw);
    rn->dir = rn->ctx = rn->key = rn->key_pw = NULL;
    memset(&rn->o, 0, sizeof rn->o);
}

void tui_renew_free(struct tui *t)
{
    struct tui_renew *rn = t->rn;
    if (!rn)
        return;
    k8tls_rotate_state_free(rn->s);
    k8tls_diags_free(&rn->dec_notes);
    free_summary(rn);
    free_source(rn);
    for (int i = 0; i < rn->n_ctx_names; i++)
        free(rn->ctx_names[i]);
    free(rn->ctx_names);
    free(rn);
    t->rn = NULL;
}

const struct k8tls_plan *tui_renew_plan(struct tui *t)
{
    return t->rn && t->rn->s ? k8tls_rotate_state_plan(t->rn->s) : NULL;
}

const char *tui_renew_source_context(struct tui *t)
{
    return t->path == K8TLS_PATH_ROTATE && t->rn ? t->rn->ctx : NULL;
}

/* a copy of s without blanks around it */
static char *trim(const char *s)
{
    if (!s)
        return strdup("");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '/'))
        n--;
    if (n == 0 && *s == '/')
        n = 1;
    return strndup(s, n);
}

static void add_summary(struct tui_renew *rn, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char **v = realloc(rn->summary, (size_t)(rn->n_summary + 1) * sizeof *v);
        if (!v)
            return;
        rn->summary = v;
        v[rn->n_summary++] = strndup(p, l);
        if (!e)
            break;
        p = e + 1;
    }
}

/* a paragraph, word-wrapped, continuation lines indented */
static void add_wrapped(struct tui_renew *rn, const char *text, int width)
{
    char *w[16];
    int nw = tui_wrap(text, width, w, 16);
    for (int i = 0; i < nw; i++) {
        char *l = tui_fmt("%s%s", i ? "  " : "", w[i]);
        add_summary(rn, l);
        free(l);
        free(w[i]);
    }
}

/* what was found (the stage; each certificate with its days left) and the proposal, as lines */
static void make_summary(struct tui_renew *rn)
{
    free_summary(rn);
    const struct k8tls_rotate_state *s = rn->s;
    int width = COLS - 6;
    char *head = tui_fmt(_("Found in %s (namespace %s): %s."), s->source, s->namespace_,
                         k8tls_rotate_stage_describe(s->stage));
    add_wrapped(rn, head, width);
    free(head);
    for (size_t i = 0; i < s->n_certs; i++) {
        const struct k8tls_rotate_cert *c = &s->certs[i];
        char days[64];
        if (c->days_left >= 0)
            snprintf(days, sizeof days, _("%ld days left"), c->days_left);
        else
            snprintf(days, sizeof days, "%s", _("EXPIRED"));
        /* the CN says which CA or node it is; the rest of the subject does not fit */
        const char *cn = c->subject ? strstr(c->subject, "CN=") : NULL;
        size_t cl = cn ? strcspn(cn, ",/") : 0;
        char *l = cn ? tui_fmt("  %-33s %-15s %.*s", c->role, days, (int)cl, cn)
                     : tui_fmt("  %-33s %-15s %s", c->role, days, c->subject ? c->subject : "");
        add_summary(rn, l);
        free(l);
    }
    char *line;
    if (rn->dec.phase == K8TLS_ROTATE_NONE)
        line = tui_fmt(_("Proposed: %s."), rn->dec.reason);
    else
        line = tui_fmt(_("Proposed next step: phase %s (%s): %s."),
                       k8tls_rotate_phase_name(rn->dec.phase),
                       k8tls_rotate_phase_title(rn->dec.phase), rn->dec.reason);
    add_wrapped(rn, line, width);
    free(line);
    if (rn->dec.phase != K8TLS_ROTATE_NONE && !rn->dec.allowed) {
        add_summary(rn, _("It cannot run yet:"));
        for (size_t i = 0; i < rn->dec_notes.n; i++) {
            char *l = tui_fmt("- %s", rn->dec_notes.v[i].msg);
            add_wrapped(rn, l, width);
            free(l);
        }
    }
}

/* ---- the source ------------------------------------------------------------------------- */

enum { R_FROM, R_DIR, R_CTX, R_KEY, R_KEYPW, R_NEWPW };
static const char *const sources[] = {N_("an output directory written earlier"),
                                      N_("the Secrets of a kube context")};
static const char *const no_yes[] = {N_("no"), N_("yes")};

static int add_field(struct form *f, enum fkind k, const char *label, const char *hint)
{
    int i = f->n++;
    struct field *fd = &f->f[i];
    memset(fd, 0, sizeof *fd);
    fd->kind = k;
    fd->label = label;
    fd->hint = hint;
    fd->item = fd->label_item = fd->current_item = -1;
    return i;
}

static void source_define(struct form *f)
{
    int i = add_field(f, F_CHOICE, N_("Start from"),
                      N_("The directory that k8tls-wizard (or an earlier phase) wrote, or the "
                         "Secrets as they are in a cluster."));
    f->f[i].choices = sources;
    f->f[i].n_choices = 2;
    f->f[i].relayout = true;
    add_field(f, F_PATH, N_("Output directory"),
              N_("Type the directory, or Browse and pick any file in it (answers.yaml, for "
                 "example)."));
    add_field(f, F_CHOICE, N_("Kube context"),
              N_("Where the Secrets are read (kubectl get secret); the datacenters' contexts are "
                 "read too."));
    add_field(f, F_PATH, N_("CA private key (PEM)"),
              N_("Only when the directory does not hold it: renew signs with the current CA's "
                 "key, reissue with the new CA's key."));
    add_field(f, F_PASSWORD, N_("CA key password"),
              N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                 "environment or a file."));
    i = add_field(f, F_CHOICE, N_("New store passwords"),
                  N_("No is advised: Cassandra reloads its stores in place only when their "
                     "passwords stay the same."));
    f->f[i].choices = no_yes;
    f->f[i].n_choices = 2;
}

static bool is_dir(const char *p);

/* the wizard's output directory when it is there (the usual case: renew what was written) */
static void source_load(struct tui *t, struct form *f)
{
    const char *d = t->plan->output.directory ? t->plan->output.directory : "k8tls-out";
    if ((!f->f[R_DIR].value || !*f->f[R_DIR].value) && is_dir(d))
        tui_set_str(&f->f[R_DIR].value, d);
}

static void source_sync(struct tui *t, struct form *f)
{
    struct tui_renew *rn = rn_of(t);
    bool ctx = f->f[R_FROM].choice == 1;
    f->f[R_DIR].label = ctx ? N_("Earlier output directory") : N_("Output directory");
    f->f[R_CTX].hidden = true;
    if (!ctx || !rn)
        return;
    tui_kube_load(t);
    if (!t->kc) {
        tui_field_error(f, R_FROM, t->kc_error ? t->kc_error : _("the kubeconfig cannot be read"));
        return;
    }
    if (!rn->ctx_init) {
        rn->ctx_init = true;
        rn->ctx_names = calloc(t->kc->n_contexts + 1, sizeof *rn->ctx_names);
        for (size_t i = 0; rn->ctx_names && i < t->kc->n_contexts; i++) {
            rn->ctx_names[rn->n_ctx_names] = strdup(t->kc->contexts[i].name);
            if (!rn->ctx_names[rn->n_ctx_names])
                break;
            if (strcmp(t->kc->contexts[i].name, t->kc->current_context) == 0)
                f->f[R_CTX].choice = rn->n_ctx_names;
            rn->n_ctx_names++;
        }
    }
    if (rn->n_ctx_names == 0) {
        char *files = k8tls_kubeconfig_describe(t->kc, t->opts ? t->opts->kubeconfig : NULL);
        char *m = tui_fmt(_("no kube context in %s"), files ? files : "~/.kube/config");
        tui_field_error(f, R_FROM, m);
        free(m);
        free(files);
        return;
    }
    f->f[R_CTX].choices = (const char *const *)rn->ctx_names;
    f->f[R_CTX].n_choices = rn->n_ctx_names;
    f->f[R_CTX].hidden = false;
}

struct load_work {
    struct tui_renew *rn;           /* its options: read-only while the worker runs */
    struct k8tls_rotate_state *s;
    struct k8tls_diags d;
    struct k8tls_bundle *b;
    enum k8tls_rotate_phase phase;
};

static void load_work_free(void *p)
{
    struct load_work *w = p;
    k8tls_rotate_state_free(w->s);
    k8tls_bundle_free(w->b);
    k8tls_diags_free(&w->d);
    free(w);
}

static int load_main(struct tui_job *j, void *arg)
{
    struct load_work *w = arg;
    tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                 w->rn->o.from_context ? _("Reading the Secrets with kubectl...")
                                       : _("Reading the Secrets, stores and CA keys..."));
    return k8tls_rotate_load(&w->rn->o, &w->s, &w->d);
}

/* the errors of d beside a field (the first) and in the screen's error line (a few more) */
static int show_errors(struct form *f, int field, const struct k8tls_diags *d, const char *dflt)
{
    int shown = 0;
    char buf[1600];
    for (size_t k = 0; k < d->n && shown < 4; k++) {
        if (d->v[k].sev != K8TLS_SEV_ERROR)
            continue;
        /* the message alone, or with the file it is about */
        const struct k8tls_diag *g = &d->v[k];
        const char *m = g->file ? k8tls_diag_format(g, buf, sizeof buf) : g->msg;
        tui_field_error(f, shown == 0 ? field : -1, m);
        shown++;
    }
    if (!shown) {
        tui_field_error(f, field, dflt);
        shown = 1;
    }
    return shown;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* a file picked with Browse names its directory */
static char *dir_of(char *p)
{
    struct stat st;
    if (*p && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        char *slash = strrchr(p, '/');
        if (!slash) {
            free(p);
            return strdup(".");
        }
        if (slash == p)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    return p;
}

static int source_check(struct tui *t, struct form *f)
{
    struct tui_renew *rn = rn_of(t);
    if (!rn)
        return 1;
    bool from_ctx = f->f[R_FROM].choice == 1;
    char *dir = dir_of(trim(f->f[R_DIR].value));
    char *key = trim(f->f[R_KEY].value);
    if (!dir || !key) {
        free(dir);
        free(key);
        return 1;
    }
    int errs = 0;
    if (!from_ctx && !*dir) {
        tui_field_error(f, R_DIR, _("give the directory that holds the bundle"));
        errs++;
    } else if (*dir && !is_dir(dir)) {
        struct stat st;
        char *m = tui_fmt(_("%s: %s"), dir,
                          stat(dir, &st) != 0 ? strerror(errno) : _("not a directory"));
        tui_field_error(f, R_DIR, m);
        free(m);
        errs++;
    }
    if (from_ctx && (f->f[R_CTX].hidden || rn->n_ctx_names == 0)) {
        if (!f->f[R_FROM].error)
            tui_field_error(f, R_FROM, t->kc_error ? t->kc_error : _("no kube context to read"));
        errs++;
    }
    if (*key && access(key, R_OK) != 0) {
        char *m = tui_fmt(_("%s: %s"), key, strerror(errno));
        tui_field_error(f, R_KEY, m);
        free(m);
        errs++;
    }
    if (errs) {
        free(dir);
        free(key);
        return errs;
    }
    /* the options of this source */
    free_source(rn);
    rn->dir = *dir ? dir : NULL;
    if (!rn->dir)
        free(dir);
    rn->key = *key ? key : NULL;
    if (!rn->key)
        free(key);
    const char *pw = f->f[R_KEYPW].value;
    rn->key_pw = pw && *pw ? strdup(pw) : NULL;
    if (from_ctx) {
        int c = f->f[R_CTX].choice;
        rn->ctx = strdup(c >= 0 && c < rn->n_ctx_names ? rn->ctx_names[c] : "");
    }
    rn->o.from_dir = rn->dir;
    rn->o.from_context = rn->ctx;
    rn->o.kubeconfig = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig
                           ? t->opts->kubeconfig
                           : NULL;
    rn->o.ca_key = rn->key;
    rn->o.ca_key_password = rn->key_pw;
    rn->o.new_passwords = f->f[R_NEWPW].choice == 1;

    struct load_work *w = calloc(1, sizeof *w);
    if (!w)
        return 1;
    w->rn = rn;
    k8tls_diags_init(&w->d);
    char *title = rn->ctx ? tui_fmt(_("Reading the certificates of context %s"), rn->ctx)
                          : tui_fmt(_("Reading the certificates of %s"), rn->dir);
    struct tui_job *j = tui_job_start(load_main, w);
    int rc = j ? tui_job_wait(t, title, j, true, false) : -3;
    free(title);
    if (rc == -2) {
        t->job_arg = w;
        t->job_cleanup = load_work_free;
        return 1;
    }
    if (rc < 0 || !w->s) {
        errs += show_errors(f, from_ctx ? R_CTX : R_DIR, &w->d,
                            rc == -3 ? _("the Secrets cannot be read (kubectl or the API server)")
                                     : _("the certificates cannot be read"));
        load_work_free(w);
        return errs;
    }
    /* what was found, and the proposal */
    k8tls_rotate_state_free(rn->s);
    rn->s = w->s;
    w->s = NULL;
    load_work_free(w);
    k8tls_diags_free(&rn->dec_notes);
    k8tls_diags_init(&rn->dec_notes);
    k8tls_rotate_plan(rn->s, K8TLS_ROTATE_NONE, &rn->o, &rn->dec, &rn->dec_notes);
    rn->phase = rn->dec.phase != K8TLS_ROTATE_NONE ? rn->dec.phase : K8TLS_ROTATE_RENEW;
    make_summary(rn);
    /* a bundle built from an earlier source is stale */
    tui_review_reset(t);
    rn->built = K8TLS_ROTATE_NONE;
    tui_form_ensure(t, K8TLS_SCR_ROTATE_PHASE);
    t->forms[K8TLS_SCR_ROTATE_PHASE].f[0].choice = (int)rn->phase - 1;
    return 0;
}

static void source_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)t;
    if (*n < max)
        lines[(*n)++] = strdup(f->f[R_FROM].choice == 1
                                   ? _("The live Secrets decide where the rotation stands; an "
                                       "earlier output directory gives the CA keys and the "
                                       "answers (Secret names, namespace). Nothing changes in "
                                       "the cluster before the Output step.")
                                   : _("The directory's Secrets, CA key and answers say where "
                                       "the rotation stands. Nothing is written before the "
                                       "Output step."));
}

const struct screen_ops tui_rotate_source_ops = {
    .intro = N_("Renew the certificates, or rotate the CA, of a cluster encrypted earlier."),
    .help = N_("Start from the output directory that k8tls-wizard wrote (or that an earlier "
               "phase wrote), or from the Secrets in a kube context (with an earlier output "
               "directory for the CA keys and answers, when you have it). The next step shows "
               "the certificates found, how many days they have left, and the phase that is "
               "due."),
    .define = source_define,
    .load = source_load,
    .sync = source_sync,
    .check = source_check,
    .notes = source_notes,
};

/* ---- the phase -------------------------------------------------------------------------- */

static const char *const phases[] = {
    N_("renew (same CA, new certificates)"),
    N_("trust (1 of 3: trust a new CA too)"),
    N_("reissue (2 of 3: sign with the new CA)"),
    N_("retire (3 of 3: drop the old CA)"),
};

static void phase_define(struct form *f)
{
    int i = add_field(f, F_CHOICE, N_("Phase"),
                      N_("Left/Right: the phases; the one proposed is chosen first. A phase that "
                         "cannot run from here says why."));
    f->f[i].choices = phases;
    f->f[i].n_choices = 4;
}

static int phase_header(struct tui *t, int top, int max_rows)
{
    struct tui_renew *rn = t->rn;
    if (!rn || !rn->s)
        return 0;
    int h = rn->n_summary < max_rows ? rn->n_summary : max_rows;
    if (h < 1)
        h = 1;
    char **rows = calloc((size_t)rn->n_summary + 1, sizeof *rows);
    int n = 0;
    for (int i = 0; rows && i < rn->n_summary; i++)
        rows[n++] = tui_escape(rn->summary[i]);
    tui_add_list(t, 1, top, COLS - 2, h, NULL, (const char *const *)rows, n);
    for (int i = 0; i < n; i++)
        free(rows[i]);
    free(rows);
    return h;
}

static void phase_load(struct tui *t, struct form *f)
{
    if (t->rn && t->rn->phase != K8TLS_ROTATE_NONE)
        f->f[0].choice = (int)t->rn->phase - 1;
}

static int phase_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    if (t->rn)
        t->rn->phase = (enum k8tls_rotate_phase)(f->f[0].choice + 1);
    return 0;
}

static int build_main(struct tui_job *j, void *arg)
{
    struct load_work *w = arg;
    tui_job_line(j, K8TLS_ROLE_TEXT, "%s", k8tls_rotate_phase_title(w->phase));
    int rc = k8tls_rotate_run(w->rn->s, w->phase, &w->rn->o, tui_job_progress, j, &w->b, &w->d);
    if (rc == 0)
        tui_job_progress(j, 1, 1, NULL);
    return rc;
}

static int phase_check(struct tui *t, struct form *f)
{
    struct tui_renew *rn = t->rn;
    if (!rn || !rn->s) {
        tui_field_error(f, -1, _("nothing was read: go Back and choose where to start"));
        return 1;
    }
    phase_store(t, f, true);
    struct k8tls_rotate_decision dec;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (k8tls_rotate_plan(rn->s, rn->phase, &rn->o, &dec, &d) < 0) {
        int e = show_errors(f, 0, &d, _("this phase cannot run from here"));
        k8tls_diags_free(&d);
        return e;
    }
    k8tls_diags_free(&d);
    struct load_work *w = calloc(1, sizeof *w);
    if (!w)
        return 1;
    w->rn = rn;
    w->phase = rn->phase;
    k8tls_diags_init(&w->d);
    char *title = tui_fmt(_("Building phase %s: %s"), k8tls_rotate_phase_name(rn->phase),
                          k8tls_rotate_phase_title(rn->phase));
    struct tui_job *j = tui_job_start(build_main, w);
    int rc = j ? tui_job_wait(t, title, j, true, false) : -1;
    free(title);
    if (rc == -2) {
        t->job_arg = w;
        t->job_cleanup = load_work_free;
        return 1;
    }
    if (rc < 0 || !w->b) {
        int e = show_errors(f, 0, &w->d, _("the phase cannot be built"));
        load_work_free(w);
        return e;
    }
    /* the bundle of the phase is what Output writes */
    tui_review_reset(t);
    t->bundle = w->b;
    w->b = NULL;
    t->bundle_gen++;
    for (size_t i = 0; i < w->d.n; i++)
        if (w->d.v[i].sev != K8TLS_SEV_ERROR)
            k8tls_diags_add(&t->review_diags, w->d.v[i].sev, NULL, 0, 0, NULL, "%s",
                            w->d.v[i].msg);
    for (size_t i = 0; i < t->bundle->notes.n; i++)
        k8tls_diags_add(&t->review_diags, t->bundle->notes.v[i].sev, NULL, 0, 0, NULL, "%s",
                        t->bundle->notes.v[i].msg);
    load_work_free(w);
    rn->built = rn->phase;
    char *dir = tui_renew_default_dir(t);
    tui_output_set_dir(t, dir);
    free(dir);
    return 0;
}

/* what each phase does, in one sentence */
static const char *phase_does(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW:
        return _("New keys and certificates signed by the same CA; truststores, passwords and "
                 "Secret names unchanged. One rolling restart.");
    case K8TLS_ROTATE_TRUST:
        return _("A new root CA is made; the truststores trust the old and the new CA; keystores "
                 "unchanged. Then a rolling restart, then reissue.");
    case K8TLS_ROTATE_REISSUE:
        return _("Keystores and the Medusa certificate signed by the new CA; both CAs still "
                 "trusted. Then a rolling restart, then retire.");
    case K8TLS_ROTATE_RETIRE:
        return _("The truststores trust only the new CA. A last rolling restart ends the "
                 "rotation.");
    default:
        return "";
    }
}

static void phase_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    struct tui_renew *rn = t->rn;
    if (!rn || !rn->s)
        return;
    enum k8tls_rotate_phase ph = (enum k8tls_rotate_phase)(f->f[0].choice + 1);
    struct k8tls_rotate_decision dec;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = k8tls_rotate_plan(rn->s, ph, &rn->o, &dec, &d);
    if (*n < max)
        lines[(*n)++] = tui_fmt("%s.", k8tls_rotate_phase_title(ph));
    if (*n < max && rc == 0)
        lines[(*n)++] = strdup(phase_does(ph));
    if (rc < 0 && !f->f[0].error) {
        for (size_t i = 0; i < d.n && *n < max; i++)
            if (d.v[i].sev == K8TLS_SEV_ERROR) {
                char *m = tui_fmt(_("Refused: %s"), d.v[i].msg);
                lines[(*n)++] = tui_fmt("!E%s", m); /* "!E": shown as an error */
                free(m);
            }
    } else if (*n < max) {
        lines[(*n)++] = strdup(_("Build makes the phase's bundle; nothing is written before the "
                                 "Output step."));
    }
    k8tls_diags_free(&d);
}

const struct screen_ops tui_rotate_phase_ops = {
    .intro = N_("What was found, and the phase that is due."),
    .help = N_("The list shows the CAs and certificates found, with the days they have left, "
               "and the proposed phase (Tab to the list, Up/Down to scroll). Renew signs new "
               "certificates with the same CA. A CA rotation takes three phases, each written, "
               "applied and followed by a rolling restart: trust (both CAs trusted), reissue "
               "(certificates signed by the new CA), retire (the old CA dropped). A phase that "
               "cannot run from where the Secrets stand is refused, with the reason."),
    .next_label = N_("Build"),
    .define = phase_define,
    .load = phase_load,
    .store = phase_store,
    .check = phase_check,
    .notes = phase_notes,
    .header = phase_header,
};

/* ---- after the build -------------------------------------------------------------------- */

char *tui_renew_default_dir(struct tui *t)
{
    struct tui_renew *rn = t->rn;
    const char *ph = rn ? k8tls_rotate_phase_name(rn->built) : "";
    if (rn && rn->dir) {
        /* "k8tls-out" -> "k8tls-out-trust"; an earlier phase's suffix is replaced */
        char *base = strdup(rn->dir);
        if (!base)
            return strdup("k8tls-rotated");
        static const char *const sfx[] = {"-renew", "-trust", "-reissue", "-retire"};
        for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
            size_t bl = strlen(base), sl = strlen(sfx[i]);
            if (bl > sl && strcmp(base + bl - sl, sfx[i]) == 0)
                base[bl - sl] = '\0';
        }
        char *d = tui_fmt("%s-%s", base, ph);
        free(base);
        return d;
    }
    return tui_fmt("k8tls-%s", ph);
}

/* On the apply worker: are the live Secrets at the stage this phase starts from? */
int tui_renew_live_check(struct tui *t, const char *const *contexts, size_t n, char **why)
{
    struct tui_renew *rn = t->rn;
    *why = NULL;
    if (!rn || !rn->s || rn->built == K8TLS_ROTATE_NONE || n == 0) {
        *why = strdup(_("no phase was built"));
        return -1;
    }
    struct k8tls_rotate_opts o = rn->o;
    o.from_context = contexts[0];
    o.also_contexts = n > 1 ? contexts + 1 : NULL;
    o.n_also_contexts = n > 1 ? n - 1 : 0;
    struct k8tls_rotate_state *s = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = k8tls_rotate_load(&o, &s, &d);
    if (rc == 0) {
        struct k8tls_rotate_decision dec;
        rc = k8tls_rotate_plan(s, rn->built, &o, &dec, &d);
    }
    if (rc < 0) {
        char buf[1600];
        for (size_t i = 0; i < d.n && !*why; i++)
            if (d.v[i].sev == K8TLS_SEV_ERROR)
                *why = strdup(d.v[i].file ? k8tls_diag_format(&d.v[i], buf, sizeof buf)
                                          : d.v[i].msg);
        if (!*why)
            *why = strdup(_("the live Secrets cannot be checked"));
    }
    k8tls_diags_free(&d);
    k8tls_rotate_state_free(s);
    return rc < 0 ? -1 : 0;
}

int tui_renew_result_lines(struct tui *t, char **out, int max)
{
    struct tui_renew *rn = t->rn;
    if (t->path != K8TLS_PATH_ROTATE || !rn || rn->built == K8TLS_ROTATE_NONE || max < 2)
        return 0;
    int n = 0;
    const char *dir = t->written_dir ? t->written_dir : "DIR";
    bool more = rn->built == K8TLS_ROTATE_TRUST || rn->built == K8TLS_ROTATE_REISSUE;
    bool applied = t->applied && t->applied->rc == 0 && !t->applied->dry_run;
    out[n++] = tui_fmt(_("Built: %s."), k8tls_rotate_phase_title(rn->built));
    if (applied)
        out[n++] = more ? tui_fmt(_("Next: restart every pod (kubectl apply -f "
                                    "%s/restart/k8ssandratask.yaml), then run the next phase "
                                    "from %s."),
                                  dir, dir)
                        : tui_fmt(_("Next: restart every pod (kubectl apply -f "
                                    "%s/restart/k8ssandratask.yaml)."),
                                  dir);
    else
        out[n++] = more ? tui_fmt(_("Next: apply the Secrets in every context (kubectl apply -k "
                                    "%s), restart every pod (kubectl apply -f "
                                    "%s/restart/k8ssandratask.yaml), then run the next phase "
                                    "from %s."),
                                  dir, dir, dir)
                        : tui_fmt(_("Next: apply the Secrets in every context (kubectl apply -k "
                                    "%s) and restart every pod (kubectl apply -f "
                                    "%s/restart/k8ssandratask.yaml)."),
                                  dir, dir);
    return n;
}
