/* The rotation phase screen: what was found and the proposed phase (a list above the field), the
 * phase chosen and built in a job; the Output screen then writes (and may apply) it. Calls
 * rotation.c, output.c (the directory to suggest), session.c, job.c, the engine and text.c. */
#include "config.h"
#include "../rotation.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct phase_state {
    unsigned read_gen;              /* the rotation source read last seen */
};

static const char *const phases[] = {
    N_("renew (same CA, new certificates)"),
    N_("trust (1 of 3: trust a new CA too)"),
    N_("reissue (2 of 3: sign with the new CA)"),
    N_("retire (3 of 3: drop the old CA)"),
};

static void phase_define(struct form *f)
{
    int i = tui_field_add(f, F_CHOICE, N_("Phase"), NULL);
    f->f[i].hint = N_("Left/Right: the phases; the one proposed is chosen first. A phase that "
                      "cannot run from here says why.");
    f->f[i].current_item = -1;
    f->f[i].choices = phases;
    f->f[i].n_choices = 4;
}

static int phase_header(struct tui *t, int top, int max_rows)
{
    struct tui_renew *rn = t->rn;
    if (!rn || !rn->s)
        return 0;
    /* the list's box takes two of its rows: every summary line shows when there is room */
    int h = rn->n_summary + 2 < max_rows ? rn->n_summary + 2 : max_rows;
    if (h < 3)
        h = 3;
    char **rows = calloc((size_t)rn->n_summary + 1, sizeof *rows);
    int n = 0;
    for (int i = 0; rows && i < rn->n_summary; i++) {
        /* a row wider than the box ends in "..." (the box is not scrolled sideways) */
        char *e = tui_escape(rn->summary[i]);
        rows[n] = e && (int)strlen(e) > COLS - 4 ? tui_fit(e, COLS - 4) : e;
        if (rows[n] != e)
            free(e);
        n += rows[n] != NULL;
    }
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

/* a source read since the screen was last shown: its proposal is chosen */
static void phase_sync(struct tui *t, struct form *f)
{
    struct phase_state *st = tui_screen_priv(t, K8TLS_SCR_ROTATE_PHASE);
    struct tui_renew *rn = t->rn;
    if (!st || !rn || st->read_gen == rn->read_gen)
        return;
    st->read_gen = rn->read_gen;
    f->f[0].choice = (int)rn->phase - 1;
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
    struct tui_renew_work *w = arg;
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
        int e = tui_show_errors(f, 0, &d, _("this phase cannot run from here"));
        k8tls_diags_free(&d);
        return e;
    }
    k8tls_diags_free(&d);
    struct tui_renew_work *w = calloc(1, sizeof *w);
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
        t->job_cleanup = tui_renew_work_free;
        return 1;
    }
    if (rc < 0 || !w->b) {
        int e = tui_show_errors(f, 0, &w->d, _("the phase cannot be built"));
        tui_renew_work_free(w);
        return e;
    }
    /* the bundle of the phase is what Output writes */
    tui_bundle_reset(t);
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
    tui_renew_work_free(w);
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
                 "Secret names unchanged. NEXT-STEPS.md says which surfaces then need a restart.");
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

const struct tui_screen tui_screen_rotate_phase = {
    .private_size = sizeof(struct phase_state),
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
    .sync = phase_sync,
    .store = phase_store,
    .check = phase_check,
    .notes = phase_notes,
    .header = phase_header,
};

