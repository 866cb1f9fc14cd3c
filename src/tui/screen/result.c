/* The Result screen: what was written (and applied), the rotation's next steps, NEXT-STEPS.md in
 * a list. Calls rotation.c, the engine and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "../rollout.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

struct result_state {
    struct tui_viewer view;         /* NEXT-STEPS.md */
};

static void result_fini(struct tui *t, void *priv)
{
    (void)t;
    struct result_state *st = priv;
    tui_viewer_free(&st->view);
}

static void result_build(struct tui *t, struct page *pg, int top, int bottom)
{
    (void)pg;
    struct result_state *st = tui_screen_priv(t, K8TLS_SCR_RESULT);
    if (!st)
        return;
    char *para[8];
    st->view.item = st->view.pos_item = -1;
    int np = 0;
    if (t->bundle_plan && t->bundle_plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
        para[np++] = tui_fmt(dngettext(PACKAGE,
                                       "Written: %s (%zu file; no key and no store: cert-manager "
                                       "makes them in the cluster).",
                                       "Written: %s (%zu files; no key and no store: "
                                       "cert-manager makes them in the cluster).",
                                       t->written_files),
                             t->written_dir ? t->written_dir : "-", t->written_files);
    else
        para[np++] = tui_fmt(_("Written: %s (%zu files; keys, stores and Secrets readable by "
                               "you only)."),
                             t->written_dir ? t->written_dir : "-", t->written_files);
    int mode = t->answers_saved ? tui_output_typed_mode(t) : -1;
    char *typed = mode >= 0 ? tui_output_typed_list(t, mode) : NULL;
    if (t->answers_saved && mode == 0)
        para[np++] = tui_fmt(_("Answers saved to %s, without the passwords you typed (%s): add "
                               "them as env:NAME or file:PATH before replaying with k8tls-wizard "
                               "--answers %s --output DIR, or new store passwords are "
                               "generated."),
                             t->answers_saved, typed ? typed : "?", t->answers_saved);
    else if (t->answers_saved && mode == 1)
        para[np++] = tui_fmt(_("Answers saved to %s; the passwords you typed are named there as "
                               "environment variables: set %s to them, then replay with "
                               "k8tls-wizard --answers %s --output DIR."),
                             t->answers_saved, typed ? typed : "?", t->answers_saved);
    else if (t->answers_saved && mode == 2)
        para[np++] = tui_fmt(_("Answers saved to %s; the passwords you typed are in %s (readable "
                               "by you only; keep them with it). Replay: k8tls-wizard --answers "
                               "%s --output DIR."),
                             t->answers_saved, typed ? typed : "?", t->answers_saved);
    else if (t->answers_saved)
        para[np++] = tui_fmt(_("Answers saved to %s (replay: k8tls-wizard --answers %s --output "
                               "DIR)."),
                             t->answers_saved, t->answers_saved);
    free(typed);
    const struct tui_applied *a = t->applied;
    if (a && a->rc == 0)
        para[np++] = a->dry_run ? tui_fmt(_("Server dry run in %s: %zu objects accepted, nothing "
                                            "stored."),
                                          a->contexts, a->n_done)
                                : tui_fmt(_("Applied to %s: %zu objects (field manager "
                                            "k8tls-wizard)."),
                                          a->contexts, a->n_done);
    else if (a)
        para[np++] = tui_fmt(_("Apply to %s failed: %s. Applied: %s. Not applied: %s."),
                             a->contexts, a->reason ? a->reason : "?",
                             a->done ? a->done : _("nothing"), a->not_done ? a->not_done : "-");
    /* a cert-manager output: what the cluster waits for */
    const char *ns = t->plan && t->plan->cluster.namespace_ ? t->plan->cluster.namespace_ : "?";
    if (a && a->rc == 0 && !a->dry_run && a->cert_manager && a->waited)
        para[np++] = tui_fmt(_("cert-manager issued every Certificate before the "
                               "K8ssandraCluster was applied; it renews them in the cluster "
                               "(kubectl get certificate -n %s)."),
                             ns);
    else if (a && a->rc == 0 && !a->dry_run && a->cert_manager)
        para[np++] = tui_fmt(_("The K8ssandraCluster was applied without waiting for "
                               "cert-manager: its pods start once their Secrets exist (kubectl "
                               "get certificate -n %s shows them Ready)."),
                             ns);
    int nr = tui_renew_result_lines(t, para + np, 8 - np);
    np += nr;
    if (!nr && !(a && a->rc == 0 && !a->dry_run))
        para[np++] = tui_fmt(_("Apply it: kubectl apply -k %s   (the Secrets first, then the "
                               "cluster)"),
                             t->written_dir ? t->written_dir : "DIR");
    /* a staged rollout: after the apply, the command for the phase that follows this one (a
     * paragraph of its own, so that it wraps least) */
    const struct k8tls_plan *sp = t->path == K8TLS_PATH_ENABLE ? t->bundle_plan
                                  : t->path == K8TLS_PATH_WIZARD ? t->plan
                                                                 : NULL;
    if (sp && tui_rollout_staged(sp) && np < 6) {
        enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
        size_t nph = tui_rollout_phases(sp, seq, NULL), k = 0;
        while (k < nph && seq[k] != sp->rollout.phase)
            k++;
        const char *ph = k8tls_rollout_phase_cli_name(sp->rollout.phase);
        char *next = tui_rollout_next_command(sp, t->written_dir ? t->written_dir : "DIR");
        if (next) {
            para[np++] = tui_fmt(_("Staged rollout, phase %zu of %zu (%s). Once every pod has "
                                   "restarted with it and the checks of NEXT-STEPS.md pass, make "
                                   "the next phase:"),
                                 k + 1, nph, ph);
            para[np++] = next;
        } else {
            para[np++] = tui_fmt(_("Staged rollout: %s is the last phase; apply it and let every "
                                   "pod restart."),
                                 ph);
        }
    }
    /* word-wrapped, at most half the screen */
    char *lines[16];
    int n = 0;
    for (int i = 0; i < np; i++) {
        n += tui_wrap(para[i], COLS - 4, lines + n, 16 - n);
        free(para[i]);
    }
    int maxl = (bottom - top) / 2;
    if (n > maxl) {
        for (int i = maxl; i < n; i++)
            free(lines[i]);
        n = maxl;
    }
    tui_add_label(t, 2, top, COLS - 4, n, (const char *const *)lines, n, K8TLS_ROLE_TEXT);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    const struct k8tls_artifact *doc = k8tls_bundle_find(t->bundle, "NEXT-STEPS.md");
    for (size_t i = 0; !doc && t->bundle && i < t->bundle->n; i++)
        if (t->bundle->v[i].kind == K8TLS_ART_DOC)
            doc = &t->bundle->v[i];
    if (doc) {
        char *text = strndup((const char *)doc->data, doc->len);
        char *title = tui_fmt(_("Next steps (%s/%s)"), t->written_dir ? t->written_dir : ".",
                              doc->path);
        /* the list and its position line; the notes on the last body row */
        tui_viewer_add(t, &st->view, 1, top + n + 1, COLS - 2, bottom - top - n - 2, title,
                       text ? text : "", true, 0);
        free(title);
        free(text);
    }
}

static int result_key(struct tui *t, struct page *pg, int k)
{
    (void)pg;
    struct result_state *st = tui_screen_priv(t, K8TLS_SCR_RESULT);
    return st ? tui_viewer_key(t, &st->view, k) : 0;
}

static void result_tick(struct tui *t, struct page *pg)
{
    (void)pg;
    struct result_state *st = tui_screen_priv(t, K8TLS_SCR_RESULT);
    if (st)
        tui_viewer_tick(t, &st->view);
}

const struct tui_screen tui_screen_result = {
    .private_size = sizeof(struct result_state),
    .fini = result_fini,
    .help = N_("The bundle is written. Apply it with kubectl apply -k DIR, or keep it for a "
               "pipeline; NEXT-STEPS.md in the directory says how to use nodetool over TLS and "
               "how to roll the change out."),
    .next_label = N_("Quit"),
    .build = result_build,
    .key = result_key,
    .tick = result_tick,
    .no_back = true,
    .no_cancel = true,
    .focus_next_first = true,
};
