/* The Rollout screen: adding encryption to a manifest that runs without it, either staged (one
 * phase per rolling restart, no downtime: doc/staged-rollout.md) or in one shot (a maintenance
 * window). The staged phases for the cluster's version and datacenters are listed above the
 * choice; where no staged path exists (doc/staged-rollout.md section 3.6) the reason takes the
 * staged choice's place. Calls the engine (form.c), text.c and the plan's rows. */
#include "config.h"
#include "../tui_int.h"
#include "../rollout.h"
#include "k8tls/i18n.h"
#include "k8tls/plan_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

/* the choices in the order shown: staged first (when offered) */
static const char *const both[] = {N_("Staged, no downtime"), N_("One shot (maintenance window)")};
static const char *const one_shot_only[] = {N_("One shot (maintenance window)")};

static void rollout_define(struct form *f)
{
    tui_field_choice(f, N_("Roll out"), "rollout.mode", both, 2, true);
}

/* the choices offered for this plan: both, or one shot alone where staged is refused */
static void offer(struct tui *t, struct form *f)
{
    char *why = tui_rollout_refusal(t->plan);
    f->f[0].choices = why ? one_shot_only : both;
    f->f[0].n_choices = why ? 1 : 2;
    f->f[0].hint = why ? N_("Only one shot here: the box above says why there is no staged "
                            "path, and what to do instead.")
                       : N_("Staged: one bundle per phase, each applied with a rolling restart; "
                            "restarted and waiting pods keep talking. One shot: everything in "
                            "one restart, with the cluster stopped.");
    free(why);
}

static void rollout_load(struct tui *t, struct form *f)
{
    offer(t, f);
    f->f[0].choice = f->f[0].n_choices == 2 && !tui_rollout_staged(t->plan) ? 1 : 0;
}

static void rollout_sync(struct tui *t, struct form *f)
{
    int before = f->f[0].n_choices;
    offer(t, f);
    if (f->f[0].n_choices != before)
        f->f[0].choice = 0;
}

static int rollout_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    bool staged = f->f[0].n_choices == 2 && f->f[0].choice == 0;
    tui_rollout_set(t->plan, staged);
    return 0;
}

/* The phases (or the reason there are none) in a list above the choice. */
static int rollout_header(struct tui *t, int top, int max_rows)
{
    char *rows[16];
    int n = 0;
    char *why = tui_rollout_refusal(t->plan);
    if (why) {
        char *m = tui_fmt(_("Staged, no downtime: not offered. %s"), why);
        char *w[12];
        int k = tui_wrap(m, COLS - 4, w, 12);
        for (int i = 0; i < k && n < 16; i++) {
            rows[n++] = tui_escape(w[i]);
            free(w[i]);
        }
        free(m);
        free(why);
    } else {
        enum tui_rollout_phase ph[TUI_ROLLOUT_MAX];
        int np = tui_rollout_phases(t->plan, ph);
        for (int i = 0; i < np && n < 16; i++) {
            /* "1 accept            internode dc, optional; clients optional" */
            char *does = tui_rollout_phase_does(t->plan, ph[i]);
            char *line = tui_fmt("%d %-17s %s", i + 1, tui_rollout_phase_cli(ph[i]), does);
            free(does);
            char *fit = (int)strlen(line) > COLS - 4 ? tui_fit(line, COLS - 4) : NULL;
            rows[n++] = tui_escape(fit ? fit : line);
            free(fit);
            free(line);
        }
    }
    /* the box takes two rows, the title one more */
    int h = n + (why ? 2 : 3) < max_rows ? n + (why ? 2 : 3) : max_rows;
    if (h < 3)
        h = 3;
    char *title = why ? NULL
                      : tui_fmt(dngettext(PACKAGE, "The phases for Cassandra %s, %zu datacenter",
                                          "The phases for Cassandra %s, %zu datacenters",
                                          t->plan->cluster.n_dcs),
                                t->plan->cluster.server_version ? t->plan->cluster.server_version
                                                                : "?",
                                t->plan->cluster.n_dcs);
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
    bool staged = f->f[0].n_choices == 2 && f->f[0].choice == 0;
    if (staged) {
        enum tui_rollout_phase ph[TUI_ROLLOUT_MAX];
        int np = tui_rollout_phases(t->plan, ph);
        if (*n < max && np > 1)
            lines[(*n)++] = tui_fmt(_("This bundle is phase 1 of %d, %s: apply it and let every "
                                      "pod restart. The next phase, %s, is made from it with "
                                      "k8tls-wizard enable (the Result step gives the command)."),
                                    np, tui_rollout_phase_cli(ph[0]),
                                    tui_rollout_phase_cli(ph[1]));
        return;
    }
    if (*n < max) {
        char *w = tui_rollout_one_shot_warning();
        lines[(*n)++] = tui_fmt("!W%s", w); /* "!W": the notes show it as a warning */
        free(w);
    }
}

const struct tui_screen tui_screen_rollout = {
    .intro = N_("The cluster runs without encryption: how to turn it on."),
    .help = N_("Turning encryption on in one rolling restart breaks traffic while the pods "
               "restart: a restarted node sends TLS to nodes that cannot answer it yet, and "
               "clients without TLS are cut off. Staged splits it into phases (the list), each "
               "a bundle of its own followed by a rolling restart, so that restarted and "
               "waiting pods always understand each other; this bundle is the first phase, and "
               "k8tls-wizard enable makes the next ones from it. One shot writes the final "
               "settings at once: safe only with every datacenter stopped (stopped: true), or "
               "for a single node. Where no staged path exists for the version or the "
               "datacenters, the list says why. doc/staged-rollout.md has the facts."),
    .define = rollout_define, .load = rollout_load, .sync = rollout_sync,
    .store = rollout_store, .notes = rollout_notes, .header = rollout_header,
};
