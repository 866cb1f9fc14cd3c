/* The Rollout step: adding encryption to a manifest that runs without it, either staged (one
 * phase per rolling restart, no downtime: doc/staged-rollout.md) or in one shot (a maintenance
 * window). The staged phases for the cluster's version and datacenters are listed above the
 * choice; where the core refuses the staged path (doc/staged-rollout.md section 3.6) its reason
 * takes the staged choice's place. Calls the engine (form.c), text.c and rollout.c. */
#include "config.h"
#include "../tui_int.h"
#include "../rollout.h"
#include "k8tls/i18n.h"
#include "k8tls/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

/* the choices in the order shown: staged first (when offered) */
static const char *const both[] = {N_("Staged, no downtime"), N_("One shot (maintenance window)")};
static const char *const one_shot_only[] = {N_("One shot (maintenance window)")};

struct rollout_state {
    bool offered;                   /* staged offered when the choices were last set */
};

static void rollout_define(struct form *f)
{
    tui_field_choice(f, N_("Roll out"), "rollout.mode", both, 2, true);
}

/* The core's reason in the wizard's words: key paths as labels, the one-shot flag as the
 * choice's name (heap). */
static char *reason_text(const char *why)
{
    char *u = tui_user_text(why, K8TLS_SCR_ROLLOUT);
    if (!u)
        return NULL;
    struct k8tls_buf b = {0};
    const char *flag = "--one-shot";
    const char *s = u;
    for (const char *q; (q = strstr(s, flag)) != NULL; s = q + strlen(flag)) {
        k8tls_buf_add(&b, s, (size_t)(q - s));
        k8tls_buf_printf(&b, "\"%s\"", _("One shot"));
    }
    k8tls_buf_printf(&b, "%s", s);
    free(u);
    return k8tls_buf_take(&b, NULL);
}

/* The choices for this plan: both, or one shot alone where the staged path is refused. */
static bool offer(struct tui *t, struct form *f)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    bool offered = tui_rollout_phases(t->plan, seq, NULL) > 0;
    f->f[0].choices = offered ? both : one_shot_only;
    f->f[0].n_choices = offered ? 2 : 1;
    f->f[0].hint = offered ? N_("Staged: one bundle per phase, each applied with a rolling "
                                "restart; restarted and waiting pods keep talking. One shot: "
                                "everything in one restart, with the cluster stopped.")
                           : NULL; /* the box above says why, and what to do instead */
    return offered;
}

/* Staged is chosen first wherever it is offered, unless the answers file said oneShot. */
static void rollout_load(struct tui *t, struct form *f)
{
    struct rollout_state *st = tui_screen_priv(t, K8TLS_SCR_ROLLOUT);
    bool offered = offer(t, f);
    if (st)
        st->offered = offered;
    bool said_one_shot = t->plan->rollout.mode == K8TLS_ROLLOUT_ONE_SHOT &&
                         k8tls_plan_pos(t->plan, "rollout.mode").line > 0;
    f->f[0].choice = offered && said_one_shot ? 1 : 0;
}

/* The target changed on the Encryption step (internode off, another mode): staged comes back
 * first when it becomes possible. */
static void rollout_sync(struct tui *t, struct form *f)
{
    struct rollout_state *st = tui_screen_priv(t, K8TLS_SCR_ROLLOUT);
    bool offered = offer(t, f);
    if (st && st->offered != offered)
        f->f[0].choice = 0;
    if (st)
        st->offered = offered;
}

static int rollout_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    tui_rollout_set(t->plan, f->f[0].n_choices == 2 && f->f[0].choice == 0);
    return 0;
}

/* The phases (or the reason there are none) in a list above the choice. */
static int rollout_header(struct tui *t, int top, int max_rows)
{
    char *rows[16];
    int n = 0;
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    char *why = NULL;
    size_t np = tui_rollout_phases(t->plan, seq, &why);
    if (!np) {
        char *r = why ? reason_text(why) : NULL;
        if (r && *r >= 'a' && *r <= 'z')
            *r = (char)(*r - 'a' + 'A');
        char *w[14];
        /* a column free on each side inside the box */
        int k = tui_wrap(r ? r : "?", COLS - 6, w, 14);
        for (int i = 0; i < k; i++) {
            rows[n++] = tui_escape(w[i]);
            free(w[i]);
        }
        free(r);
        free(why);
    }
    for (size_t i = 0; i < np && n < 16; i++) {
        char *line = tui_rollout_phase_row(t->plan, i, seq[i]);
        char *fit = (int)strlen(line) > COLS - 4 ? tui_fit(line, COLS - 4) : NULL;
        rows[n++] = tui_escape(fit ? fit : line);
        free(fit);
        free(line);
    }
    /* the box takes two rows, its title one more */
    int want = n + 3;
    int h = want < max_rows ? want : max_rows;
    if (h < 3)
        h = 3;
    size_t ndc = t->plan->cluster.n_dcs;
    const char *ver = t->plan->cluster.server_version ? t->plan->cluster.server_version : "?";
    char *title;
    if (!np)
        title = tui_fmt("%s", _("Staged, no downtime: not offered"));
    else
        title = tui_fmt(dngettext(PACKAGE,
                                  "One rolling restart per phase: Cassandra %s, %zu datacenter",
                                  "One rolling restart per phase: Cassandra %s, %zu datacenters",
                                  ndc),
                        ver, ndc);
    char *etitle = title ? tui_escape(title) : NULL;
    tui_add_list(t, 1, top, COLS - 2, h, etitle, (const char *const *)rows, n);
    free(etitle);
    free(title);
    for (int i = 0; i < n; i++)
        free(rows[i]);
    return h;
}

static void rollout_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    tui_screen_warnings(t, K8TLS_SCR_ROLLOUT, lines, max, n);
    if (*n >= max)
        return;
    if (f->f[0].n_choices == 2 && f->f[0].choice == 0) {
        enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
        size_t np = tui_rollout_phases(t->plan, seq, NULL);
        if (np > 1)
            lines[(*n)++] = tui_fmt(_("This bundle is phase 1 of %zu, %s: apply it and let every "
                                      "pod restart. The next phase, %s, is made from it with "
                                      "k8tls-wizard enable (the Result step gives the command)."),
                                    np, k8tls_rollout_phase_cli_name(seq[0]),
                                    k8tls_rollout_phase_cli_name(seq[1]));
        else if (np == 1)
            lines[(*n)++] = tui_fmt(_("This bundle is the only phase, %s: apply it and let every "
                                      "pod restart."),
                                    k8tls_rollout_phase_cli_name(seq[0]));
        return;
    }
    /* "!W": the notes show it as a warning */
    lines[(*n)++] = tui_fmt("!W%s", _("One shot: every setting in one rolling restart. While the "
                                      "pods restart, restarted and waiting nodes cannot talk to "
                                      "each other and clients without TLS are cut off: stop every "
                                      "datacenter first (stopped: true), apply, then start them "
                                      "(a maintenance window)."));
}

const struct tui_screen tui_screen_rollout = {
    .private_size = sizeof(struct rollout_state),
    .intro = N_("The cluster runs without encryption: how to turn it on."),
    .help = N_("Turning encryption on in one rolling restart breaks traffic while the pods "
               "restart: a restarted node sends TLS to nodes that cannot answer it yet, and "
               "clients without TLS are cut off. Staged splits it into phases (the list: what "
               "each phase sets for internode and client encryption), each a bundle of its own "
               "followed by a rolling restart, so that restarted and waiting pods always "
               "understand each other. This bundle is the first phase; k8tls-wizard enable "
               "--from DIR makes the next ones from it (same CA, stores and passwords), and each "
               "phase's NEXT-STEPS.md says what to check before the next. One shot writes the "
               "final settings at once: safe only with every datacenter stopped (stopped: true), "
               "or for a single node. Where no staged path exists for the version or the "
               "datacenters, the box says why. The facts: doc/staged-rollout.md."),
    .define = rollout_define, .load = rollout_load, .sync = rollout_sync,
    .store = rollout_store, .notes = rollout_notes, .header = rollout_header,
};
