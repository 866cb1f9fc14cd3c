/* What crosses the TUI's screens: the plan (replaced by Welcome), the bundle built from it and the
 * finished key generation (Review shows it, Output writes it), their diagnostics, the check its
 * apply runs first. Calls keygen.c, rollout.c and the core only. */
#include "config.h"
#include "tui_int.h"
#include "rollout.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"

#include <stdlib.h>
#include <string.h>

void tui_bundle_reset(struct tui *t)
{
    k8tls_bundle_free(t->bundle);
    t->bundle = NULL;
    k8tls_plan_free(t->bundle_plan);
    t->bundle_plan = NULL;
    t->apply_check = NULL;
    k8tls_diags_free(&t->review_diags);
    k8tls_diags_init(&t->review_diags);
    t->bundle_epoch++;
}

void tui_replace_plan(struct tui *t, struct k8tls_plan *p)
{
    if (t->opts && t->opts->output && *t->opts->output) {
        free(p->output.directory);
        p->output.directory = strdup(t->opts->output);
    }
    k8tls_plan_free(t->plan);
    t->plan = p;
    t->plan_gen++;
    tui_keygen_reset(t->kg);
    tui_bundle_reset(t);
}

/* Adds the diagnostics not already there: the same message, or the same severity for the same
 * key path from an earlier source (validation and the bundle both say that Stargate is
 * deprecated). */
void tui_diags_merge(struct k8tls_diags *to, const struct k8tls_diags *from)
{
    size_t before = to->n; /* a key path repeats inside one source: two leaves, two notes */
    for (size_t i = 0; from && i < from->n; i++) {
        const struct k8tls_diag *g = &from->v[i];
        bool dup = false;
        for (size_t j = 0; j < to->n && !dup; j++)
            dup = to->v[j].sev == g->sev &&
                  (strcmp(to->v[j].msg, g->msg) == 0 ||
                   (j < before && g->path && to->v[j].path && strcmp(to->v[j].path, g->path) == 0));
        if (!dup)
            k8tls_diags_add(to, g->sev, g->file, g->line, g->col, g->path, "%s", g->msg);
    }
}

/* The live check before the first phase of a staged rollout is applied (t->apply_check): the
 * cluster in the first context (else the current one) has neither encryption nor a phase yet,
 * every datacenter Ready. On the worker thread. */
static int first_phase_check(struct tui *t, const char *const *contexts, size_t n, char **why)
{
    const char *ctx = n > 0 ? contexts[0] : t->kc ? t->kc->current_context : NULL;
    const char *kc = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig ? t->opts->kubeconfig
                                                                           : NULL;
    return tui_rollout_live_check(kc, ctx, t->bundle_plan ? t->bundle_plan : t->plan, -1, why);
}

int tui_bundle_build(struct tui *t)
{
    if (tui_keygen_state(t->kg, NULL, NULL, NULL, 0) != KG_READY ||
        !tui_keygen_matches(t->kg, t->plan))
        return -1;
    if (t->bundle && t->bundle_plan && k8tls_plan_same(t->bundle_plan, t->plan, NULL, 0))
        return 0;
    k8tls_bundle_free(t->bundle);
    t->bundle = NULL;
    k8tls_plan_free(t->bundle_plan);
    t->bundle_plan = NULL;
    k8tls_diags_free(&t->review_diags);
    k8tls_diags_init(&t->review_diags);
    struct k8tls_plan *bp = k8tls_plan_dup(t->plan);
    if (!bp) {
        k8tls_diags_add(&t->review_diags, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("out of memory"));
        return -1;
    }
    struct k8tls_diags vd;
    k8tls_diags_init(&vd);
    k8tls_plan_validate(bp, &vd);
    k8tls_plan_resolve(bp, &vd);
    tui_diags_merge(&t->review_diags, &vd);
    k8tls_diags_free(&vd);
    tui_diags_merge(&t->review_diags, tui_keygen_diags(t->kg));
    if (k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR) > 0) {
        k8tls_plan_free(bp);
        return -1;
    }
    struct k8tls_bundle *b = NULL;
    if (k8tls_bundle_build(bp, tui_keygen_material(t->kg), &b, &t->review_diags) < 0 || !b) {
        if (k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR) == 0)
            k8tls_diags_add(&t->review_diags, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                            _("the bundle cannot be built"));
        k8tls_bundle_free(b);
        k8tls_plan_free(bp);
        return -1;
    }
    tui_diags_merge(&t->review_diags, &b->notes);
    t->bundle = b;
    t->bundle_plan = bp;
    /* a staged rollout's first phase goes only to a cluster that runs without encryption */
    t->apply_check = bp->rollout.mode == K8TLS_ROLLOUT_STAGED ? first_phase_check : NULL;
    t->bundle_gen++;
    return 0;
}

void tui_session_free(struct tui *t)
{
    tui_keygen_free(t->kg);
    t->kg = NULL;
    tui_bundle_reset(t);
    k8tls_diags_free(&t->review_diags);
    free(t->written_dir);
    free(t->answers_saved);
    t->written_dir = t->answers_saved = NULL;
    k8tls_plan_free(t->plan);
    t->plan = NULL;
}
