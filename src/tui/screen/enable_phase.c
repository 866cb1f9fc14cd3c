/* The Next phase step: the staged rollout's next phase (doc/staged-rollout.md) from the previous
 * phase's directory, as `k8tls-wizard enable --from DIR --phase PHASE` makes it. The first Next
 * reads the directory (its CA, stores, passwords and answers, and the phase its manifest is) and
 * lists the phases with the one due chosen; the second builds that phase (same CA, stores and
 * passwords) for Review and Output. A phase that is not due is refused with the reason.
 * Calls the core (enable.h, rollout.h), rollout.c, output.c (the directory to suggest),
 * session.c, the engine and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "../rollout.h"
#include "k8tls/enable.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

enum { N_DIR, N_PHASE, N_CONFIRM };
static const char *const phase_labels[] = {"accept", "send", "enforce", "clients-required"};
static const char *const no_yes[] = {N_("no"), N_("yes")};

static const char *const dir_hint =
    N_("The directory of the phase before (the wizard's output, or k8tls-wizard enable -o DIR): "
       "type it, or Browse and pick any file in it. Next reads it.");

struct enable_state {
    struct k8tls_enable_prev *pv;   /* the directory read, or NULL */
    char *read_dir;                 /* ... from this path */
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n;                       /* the rollout's phases (0: none) */
    int due;                        /* index in seq of the phase due, -1: none */
    char *why;                      /* why no phase is due (heap), or NULL */
    const char *choices[K8TLS_ROLLOUT_MAX_PHASES]; /* the phase field's entries */
    bool built;                     /* t->bundle is the phase built from pv */
};

static struct enable_state *state(struct tui *t)
{
    return tui_screen_priv(t, K8TLS_SCR_ENABLE_PHASE);
}

static void forget(struct enable_state *st)
{
    k8tls_enable_prev_free(st->pv);
    st->pv = NULL;
    free(st->read_dir);
    free(st->why);
    st->read_dir = st->why = NULL;
    st->n = 0;
    st->due = -1;
    st->built = false;
}

static void enable_fini(struct tui *t, void *priv)
{
    (void)t;
    forget(priv);
}

static void enable_define(struct form *f)
{
    int i = tui_field_add(f, F_PATH, N_("Previous phase"), NULL);
    tui_field_hint(f, i, dir_hint);
    i = tui_field_add(f, F_CHOICE, N_("Phase"), NULL);
    f->f[i].choices = phase_labels;
    f->f[i].n_choices = 1;
    f->f[i].relayout = true;
    i = tui_field_choice(f, N_("Every client uses TLS"), NULL, no_yes, 2, false);
    tui_field_hint(f, i, N_("Your word, needed for clients-required: on every pod, nodetool "
                            "--ssl clientstats --all lists no connection without SSL (Cassandra "
                            "3.11 has no clientstats: check the clients themselves)."));
}

static void enable_sync(struct tui *t, struct form *f)
{
    struct enable_state *st = state(t);
    bool read = st && st->pv && st->n > 0;
    f->f[N_PHASE].hidden = !read;
    f->f[N_DIR].hint = read ? NULL : dir_hint; /* once read, the list and the notes say more */
    if (read) {
        for (size_t i = 0; i < st->n; i++)
            st->choices[i] = phase_labels[st->seq[i]];
        f->f[N_PHASE].choices = st->choices;
        f->f[N_PHASE].n_choices = (int)st->n;
        if (f->f[N_PHASE].choice >= (int)st->n)
            f->f[N_PHASE].choice = 0;
    }
    f->f[N_CONFIRM].hidden = !read || st->seq[f->f[N_PHASE].choice] != K8TLS_PHASE_CLIENTS_REQUIRED;
}

/* The typed directory, without blanks or a trailing slash; a file in it stands for it. */
static char *typed_dir(struct form *f)
{
    char *d = tui_trimmed(tui_field_val(f, N_DIR));
    if (!d)
        return NULL;
    struct stat sb;
    if (*d && stat(d, &sb) == 0 && S_ISREG(sb.st_mode)) {
        char *slash = strrchr(d, '/');
        if (slash && slash != d)
            *slash = '\0';
        else
            tui_set_str(&d, slash ? "/" : ".");
    }
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = '\0';
    return d;
}

/* The first error of d beside field i (or dflt); 1. */
static int show_first_error(struct form *f, int i, const struct k8tls_diags *d, const char *dflt)
{
    char buf[1200];
    for (size_t k = 0; k < d->n; k++)
        if (d->v[k].sev == K8TLS_SEV_ERROR) {
            tui_field_error(f, i, k8tls_diag_format(&d->v[k], buf, sizeof buf));
            return 1;
        }
    tui_field_error(f, i, dflt);
    return 1;
}

/* Reads dir: its stage, the rollout's phases, the phase due. Returns the errors shown. */
static int read_dir(struct tui *t, struct form *f, struct enable_state *st, const char *dir)
{
    forget(st);
    tui_bundle_reset(t);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = k8tls_enable_load_dir(dir, &st->pv, &d);
    if (rc < 0 || !st->pv) {
        int e = show_first_error(f, N_DIR, &d, _("cannot read this directory"));
        k8tls_diags_free(&d);
        return e;
    }
    k8tls_diags_free(&d);
    st->read_dir = strdup(dir);
    char why[1024];
    st->n = k8tls_rollout_sequence(st->pv->plan, st->seq, why, sizeof why);
    if (st->n == 0) {
        /* no staged rollout for this plan (anymore): read again on the next Next */
        tui_field_error(f, N_DIR, why);
        forget(st);
        return 1;
    }
    enum k8tls_rollout_phase due;
    int r = k8tls_rollout_due(&st->pv->stage, st->seq, st->n, &due, why, sizeof why);
    if (r == 1) {
        for (size_t i = 0; i < st->n; i++)
            if (st->seq[i] == due)
                st->due = (int)i;
    } else {
        st->why = r == 0 ? tui_fmt(_("the rollout is complete: %s is its last phase"),
                                   k8tls_rollout_phase_cli_name(st->pv->stage.phase))
                         : tui_fmt("%s", why);
    }
    /* the phase due chosen; none due: the directory's own */
    int at = 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->pv->stage.has_phase && st->seq[i] == st->pv->stage.phase)
            at = (int)i;
    f->f[N_PHASE].choice = st->due >= 0 ? st->due : at;
    return 0;
}

static int live_check(struct tui *t, const char *const *contexts, size_t n, char **why);

static int enable_check(struct tui *t, struct form *f)
{
    struct enable_state *st = state(t);
    char *dir = typed_dir(f);
    if (!st || !dir) {
        free(dir);
        return 1;
    }
    if (!*dir) {
        tui_field_error(f, N_DIR, _("give the directory of the previous phase"));
        free(dir);
        return 1;
    }
    /* a directory not read yet: read it and show what is there (the next Next builds) */
    if (!st->pv || !st->read_dir || strcmp(st->read_dir, dir) != 0) {
        int e = read_dir(t, f, st, dir);
        free(dir);
        if (!e && !st->why)
            tui_set_status(t, _("Read: the phase due is %s. Next builds it."),
                           k8tls_rollout_phase_cli_name(st->seq[st->due]));
        t->rebuild = true;
        return 1;
    }
    if (st->why || st->n == 0 || st->due < 0) {
        tui_field_error(f, N_PHASE, st->why ? st->why : _("no phase is due"));
        free(dir);
        return 1;
    }
    enum k8tls_rollout_phase ph = st->seq[f->f[N_PHASE].choice];
    enum k8tls_rollout_phase due = st->seq[st->due];
    if (ph != due) {
        char *m = tui_fmt(_("%s is not due: the previous phase is %s, so the phase due is %s "
                            "(phases are never skipped or reordered)"),
                          k8tls_rollout_phase_cli_name(ph),
                          st->pv->stage.has_phase
                              ? k8tls_rollout_phase_cli_name(st->pv->stage.phase) : "-",
                          k8tls_rollout_phase_cli_name(due));
        tui_field_error(f, N_PHASE, m);
        free(m);
        free(dir);
        return 1;
    }
    if (ph == K8TLS_PHASE_CLIENTS_REQUIRED && f->f[N_CONFIRM].choice != 1) {
        tui_field_error(f, N_CONFIRM, _("clients-required refuses every plain client: say yes "
                                        "once every client uses TLS"));
        free(dir);
        return 1;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_bundle *b = NULL;
    if (k8tls_enable_build(st->pv, ph, &b, &d) < 0 || !b) {
        int e = show_first_error(f, N_PHASE, &d, _("the phase cannot be built"));
        k8tls_bundle_free(b);
        k8tls_diags_free(&d);
        free(dir);
        return e;
    }
    /* the phase's bundle is what Review shows and Output writes */
    tui_bundle_reset(t);
    t->bundle = b;
    t->bundle_plan = k8tls_plan_dup(st->pv->plan); /* with its rollout.phase: Review, Result */
    t->apply_check = live_check;
    t->bundle_gen++;
    tui_diags_merge(&t->review_diags, &d);
    tui_diags_merge(&t->review_diags, &b->notes);
    k8tls_diags_free(&d);
    st->built = true;
    char *out = st->pv->stage.has_phase ? tui_rollout_phase_dir(dir, st->pv->stage.phase, ph)
                                         : tui_fmt("%s-%s", dir, k8tls_rollout_phase_cli_name(ph));
    tui_output_set_dir(t, out);
    free(out);
    free(dir);
    return 0;
}

/* The live check before the phase is applied (doc/staged-rollout.md 4.3; t->apply_check), in
 * the first of the contexts (else the kubeconfig's current one): the cluster at the previous
 * phase everywhere. On the worker thread: reads only what the built phase left. */
static int live_check(struct tui *t, const char *const *contexts, size_t n, char **why)
{
    struct enable_state *st = state(t);
    const struct k8tls_plan *p = st && st->built && st->pv ? st->pv->plan : NULL;
    const char *ctx = n > 0 ? contexts[0] : t->kc ? t->kc->current_context : NULL;
    if (!p) {
        *why = strdup(_("no phase was built"));
        return -1;
    }
    const char *kc = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig ? t->opts->kubeconfig
                                                                           : NULL;
    /* the phase starts where the directory's phase left the cluster */
    int prev = st->pv->stage.has_phase ? (int)st->pv->stage.phase : -1;
    return tui_rollout_live_check(kc, ctx, p, prev, why);
}

/* what was read: the phases, the one the directory is, the one due */
static int enable_header(struct tui *t, int top, int max_rows)
{
    struct enable_state *st = state(t);
    if (!st || !st->pv || st->n == 0)
        return 0;
    const struct k8tls_plan *p = st->pv->plan;
    char *rows[K8TLS_ROLLOUT_MAX_PHASES];
    int n = 0;
    for (size_t i = 0; i < st->n; i++) {
        char *row = tui_rollout_phase_row(p, i, st->seq[i]);
        const char *mark = st->pv->stage.has_phase && st->pv->stage.phase == st->seq[i]
                               ? _("this directory")
                           : (int)i == st->due ? _("due")
                                               : "";
        char *line = tui_fmt("%s %s", row, mark);
        char *fit = (int)strlen(line) > COLS - 4 ? tui_fit(line, COLS - 4) : NULL;
        rows[n++] = tui_escape(fit ? fit : line);
        free(fit);
        free(line);
        free(row);
    }
    int want = n + 3;
    int h = want < max_rows ? want : max_rows;
    size_t ndc = st->pv->stage.n_dcs;
    char *title = tui_fmt(dngettext(PACKAGE, "%s: cluster %s, Cassandra %s, %zu datacenter",
                                    "%s: cluster %s, Cassandra %s, %zu datacenters", ndc),
                          st->read_dir, p->cluster.name ? p->cluster.name : "?",
                          p->cluster.server_version ? p->cluster.server_version : "?", ndc);
    char *fit = (int)strlen(title) > COLS - 4 ? tui_fit(title, COLS - 4) : NULL;
    char *etitle = tui_escape(fit ? fit : title);
    tui_add_list(t, 1, top, COLS - 2, h < 3 ? 3 : h, etitle, (const char *const *)rows, n);
    free(etitle);
    free(fit);
    free(title);
    for (int i = 0; i < n; i++)
        free(rows[i]);
    return h < 3 ? 3 : h;
}

static void enable_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    struct enable_state *st = state(t);
    if (!st || !st->pv || st->n == 0 || *n >= max)
        return;
    if (st->why) {
        char *m = tui_fmt(_("Nothing to build: %s."), st->why);
        lines[(*n)++] = tui_fmt("!W%s", m);
        free(m);
        return;
    }
    enum k8tls_rollout_phase ph = st->seq[f->f[N_PHASE].choice];
    lines[(*n)++] = tui_fmt(_("Phase %d of %zu, %s."), f->f[N_PHASE].choice + 1, st->n,
                            k8tls_rollout_phase_title(st->pv->plan, ph));
    if (*n < max)
        lines[(*n)++] = strdup(_("First check the previous phase's NEXT-STEPS.md (every pod "
                                 "restarted, every datacenter Ready). Next builds this phase "
                                 "with the same CA, stores and passwords."));
}

const struct tui_screen tui_screen_enable_phase = {
    .private_size = sizeof(struct enable_state),
    .fini = enable_fini,
    .intro = N_("The next phase of a staged rollout, from the directory of the phase before."),
    .help = N_("A staged rollout turns encryption on in a running cluster one phase per rolling "
               "restart (doc/staged-rollout.md). Give the directory of the phase before (the "
               "first phase comes from \"add encryption to an existing manifest\", or k8tls-wizard "
               "enable --answers). Next reads it and lists the phases: what each sets for "
               "internode and client encryption, the phase that directory is, and the one due. "
               "Next again builds the phase due, with the same CA, stores, passwords and Secret "
               "names: only the K8ssandraCluster, answers.yaml and NEXT-STEPS.md change. Output "
               "writes it; apply it once the checks of the previous phase's NEXT-STEPS.md pass "
               "(the wizard does not check the live cluster here)."),
    .next_label = N_("Next"),
    .define = enable_define,
    .sync = enable_sync,
    .check = enable_check,
    .notes = enable_notes,
    .header = enable_header,
};
