/* The rotation state of the TUI (rotation.h): created when the rotation source is read, shared
 * by the rotation screens, Output, Result and the apply (the live check). The rotation itself is
 * include/k8tls/rotate.h. Calls text.c and the core only. */
#include "config.h"
#include "rotation.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tui_renew *tui_renew_of(struct tui *t)
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

void tui_renew_free_source(struct tui_renew *rn)
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
    tui_renew_free_source(rn);
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
void tui_renew_summarize(struct tui_renew *rn)
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

void tui_renew_work_free(void *p)
{
    struct tui_renew_work *w = p;
    k8tls_rotate_state_free(w->s);
    k8tls_bundle_free(w->b);
    k8tls_diags_free(&w->d);
    free(w);
}

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
    if (rn->s && !k8tls_rotate_needs_rolling_restart(rn->s, rn->built, rn->o.new_passwords))
        out[n++] = applied ? tui_fmt("%s", _("Next: no rolling restart is needed; NEXT-STEPS.md "
                                             "says what each surface needs."))
                           : tui_fmt(_("Next: apply the Secrets in every context (kubectl apply "
                                       "-k %s); no rolling restart is needed (NEXT-STEPS.md says "
                                       "what each surface needs)."),
                                     dir);
    else if (applied)
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
