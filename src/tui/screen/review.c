/* The Review screen: one tab per file of the bundle, Secret values masked until `r` reveals the one
 * under the cursor, what changes in an existing manifest (a diff), the warnings (or the problems
 * to fix) in the last tab, all in the viewer (viewer.c); `d` for a diff against
 * the cluster. Calls session.c (the bundle), keygen.c, kube.c (the diff), output.c (the contexts
 * chosen there), the engine and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "../rollout.h"
#include "../cmview.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/buf.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct review_state {
    int tab;
    int line;                       /* the source line under the cursor */
    char **revealed;                /* "path\nkey" entries revealed */
    size_t n_revealed;
    unsigned epoch;                 /* the bundle_epoch they were revealed in */
    struct tui_viewer view;         /* the current tab */
    char **src_lines;               /* source lines of the current tab (for `r`) */
    size_t n_src;
    int list, tabbar, wait;         /* page items, or -1 */
};

static struct review_state *state(struct tui *t)
{
    return tui_screen_priv(t, K8TLS_SCR_REVIEW);
}

static void free_src(struct review_state *st)
{
    for (size_t i = 0; i < st->n_src; i++) {
        if (st->src_lines[i])
            k8tls_secure_wipe_str(st->src_lines[i]);
        free(st->src_lines[i]);
    }
    free(st->src_lines);
    st->src_lines = NULL;
    st->n_src = 0;
}

static void forget_revealed(struct review_state *st)
{
    for (size_t i = 0; i < st->n_revealed; i++)
        k8tls_secure_free_str(st->revealed[i]);
    free(st->revealed);
    st->revealed = NULL;
    st->n_revealed = 0;
}

static void review_fini(struct tui *t, void *priv)
{
    (void)t;
    struct review_state *st = priv;
    forget_revealed(st);
    tui_viewer_free(&st->view);
    free_src(st);
}

/* a bundle dropped since (a new plan, another path): nothing of it stays revealed */
static void follow_bundle(struct tui *t, struct review_state *st)
{
    if (st->epoch == t->bundle_epoch)
        return;
    st->epoch = t->bundle_epoch;
    forget_revealed(st);
    tui_viewer_free(&st->view);
    free_src(st);
}

/* ---- tabs ------------------------------------------------------------------------------- */

struct tab {
    int art;            /* artifact index, or TAB_CHANGES, TAB_WARNINGS */
    char *title;
};

enum { TAB_CERTS = -3, TAB_CHANGES = -2, TAB_WARNINGS = -1 };

/* a file shown in a tab of its own: the Kubernetes objects (a cert-manager bundle's Issuers,
 * Certificates and Bundle too) and NEXT-STEPS.md */
static bool tab_kind(const struct k8tls_artifact *a)
{
    enum k8tls_artifact_kind k = a->kind;
    return k == K8TLS_ART_CLUSTER || k == K8TLS_ART_SECRET || k == K8TLS_ART_NAMESPACE ||
           k == K8TLS_ART_DOC || (a->k8s_kind && (strcmp(a->k8s_kind, "Issuer") == 0 ||
                                                 strcmp(a->k8s_kind, "ClusterIssuer") == 0 ||
                                                 strcmp(a->k8s_kind, "Certificate") == 0 ||
                                                 strcmp(a->k8s_kind, "Bundle") == 0));
}

/* the tab order of a file: the manifest, the Certificates summary (cert-manager), the Secrets,
 * the Issuers, the Certificates, the Bundle, the namespace, NEXT-STEPS */
static int tab_rank(const struct k8tls_artifact *a)
{
    if (a->k8s_kind && (strcmp(a->k8s_kind, "Issuer") == 0 ||
                        strcmp(a->k8s_kind, "ClusterIssuer") == 0))
        return 3;
    if (a->k8s_kind && strcmp(a->k8s_kind, "Certificate") == 0)
        return 4;
    if (a->k8s_kind && strcmp(a->k8s_kind, "Bundle") == 0)
        return 5;
    switch (a->kind) {
    case K8TLS_ART_CLUSTER:
        return 0;
    case K8TLS_ART_SECRET:
        return 2;
    case K8TLS_ART_NAMESPACE:
        return 6;
    default:
        return 7;
    }
}

/* the warnings, and the notes, the last tab lists (errors listed instead when there are any) */
static size_t warnings_of(struct tui *t)
{
    return k8tls_diags_count(&t->review_diags, K8TLS_SEV_WARNING);
}

static size_t notes_of(struct tui *t)
{
    return k8tls_diags_count(&t->review_diags, K8TLS_SEV_NOTE);
}

/* "Warnings (2)", "Notes (1)" or "Warnings (2), notes (1)": what the last tab lists */
static char *warnings_title(struct tui *t)
{
    size_t w = warnings_of(t), nn = notes_of(t);
    if (!nn)
        return tui_fmt(_("Warnings (%zu)"), w);
    if (!w)
        return tui_fmt(_("Notes (%zu)"), nn);
    return tui_fmt(_("Warnings (%zu), notes (%zu)"), w, nn);
}

static int tabs_of(struct tui *t, struct tab *v, int max)
{
    int n = 0;
    if (t->bundle) {
        size_t n_certs = k8tls_cmview_count(t->bundle);
        for (int rank = 0; rank <= 7; rank++) {
            /* a cert-manager bundle: what each Certificate makes, after the manifest */
            if (rank == 1 && n_certs && n < max - 2) {
                v[n].art = TAB_CERTS;
                v[n++].title = tui_fmt(_("Certificates (%zu)"), n_certs);
            }
            for (size_t i = 0; i < t->bundle->n && n < max - 2; i++) {
                const struct k8tls_artifact *a = &t->bundle->v[i];
                if (!tab_kind(a) || tab_rank(a) != rank)
                    continue;
                v[n].art = (int)i;
                if (rank >= 3 && rank <= 5 && a->k8s_name)
                    v[n].title = tui_fmt("%s %s", a->k8s_kind, a->k8s_name);
                else if (a->kind == K8TLS_ART_SECRET && a->k8s_name)
                    v[n].title = tui_fmt(_("Secret %s"), a->k8s_name);
                else if (a->kind == K8TLS_ART_CLUSTER)
                    v[n].title = tui_fmt("%s", _("manifest"));
                else if (a->kind == K8TLS_ART_NAMESPACE)
                    v[n].title = tui_fmt("%s", _("namespace"));
                else {
                    const char *b = strrchr(a->path, '/');
                    v[n].title = tui_fmt("%s", b ? b + 1 : a->path);
                }
                n++;
            }
        }
    }
    size_t errs = k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR);
    /* what the wizard changes in an existing manifest: its own tab, with the diff */
    if (!errs && t->bundle && t->bundle->n_changes) {
        v[n].art = TAB_CHANGES;
        v[n++].title = tui_fmt(_("Changes (%zu)"), t->bundle->n_changes);
    }
    v[n].art = TAB_WARNINGS;
    if (errs)
        v[n].title = tui_fmt(_("Problems (%zu)"), errs);
    else
        v[n].title = warnings_title(t);
    n++;
    return n;
}

static void free_tabs(struct tab *v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i].title);
}

/* ---- rows of the current tab ---------------------------------------------------------- */

struct reveal_ctx {
    struct review_state *st;
    const char *path;
};

static bool is_revealed(struct review_state *st, const char *path, const char *key)
{
    for (size_t i = 0; i < st->n_revealed; i++) {
        const char *r = st->revealed[i];
        size_t pl = strlen(path);
        if (strncmp(r, path, pl) == 0 && r[pl] == '\n' && strcmp(r + pl + 1, key) == 0)
            return true;
    }
    return false;
}

static bool reveal_cb(void *ud, const char *key)
{
    struct reveal_ctx *c = ud;
    return is_revealed(c->st, c->path, key);
}

static void toggle_reveal(struct review_state *st, const char *path, const char *key)
{
    size_t pl = strlen(path);
    for (size_t i = 0; i < st->n_revealed; i++) {
        const char *r = st->revealed[i];
        if (strncmp(r, path, pl) == 0 && r[pl] == '\n' && strcmp(r + pl + 1, key) == 0) {
            k8tls_secure_free_str(st->revealed[i]);
            st->revealed[i] = st->revealed[--st->n_revealed];
            return;
        }
    }
    char **v = realloc(st->revealed, (st->n_revealed + 1) * sizeof *v);
    if (!v)
        return;
    st->revealed = v;
    v[st->n_revealed++] = tui_fmt("%s\n%s", path, key);
}

/* the manifest as it was read, then the diff against the one written (heap) */
static char *changes_text(struct tui *t)
{
    char *text = strdup("");
    for (size_t i = 0; text && i < t->bundle->n_changes; i++) {
        const struct k8tls_change *c = &t->bundle->changes[i];
        const char *what = c->what == K8TLS_CHANGE_ADDED      ? _("added")
                           : c->what == K8TLS_CHANGE_REPLACED ? _("replaced")
                           : c->what == K8TLS_CHANGE_MIGRATED ? _("migrated")
                                                              : _("removed");
        char *m = tui_fmt("%s- %s %s\n", text, what, c->path);
        free(text);
        text = m;
    }
    const struct k8tls_artifact *a = NULL;
    for (size_t i = 0; i < t->bundle->n && !a; i++)
        if (t->bundle->v[i].kind == K8TLS_ART_CLUSTER)
            a = &t->bundle->v[i];
    const char *src = t->plan->cluster.manifest;
    char *old = NULL;
    if (src && *src) {
        FILE *f = fopen(src, "r");
        if (f) {
            struct k8tls_buf b = {0};
            char chunk[4096];
            size_t got;
            while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
                k8tls_buf_add(&b, chunk, got);
            fclose(f);
            old = k8tls_buf_take(&b, NULL);
        }
    }
    char *nw = a ? strndup((const char *)a->data, a->len) : NULL;
    char *diff = old && nw ? tui_doc_diff(old, nw, src, a->path) : NULL;
    char *m = diff ? tui_fmt("%s\n```diff\n%s```\n", text ? text : "", diff)
                   : tui_fmt("%s\n%s\n", text ? text : "",
                             _("(the manifest as it was cannot be read again: no diff)"));
    free(diff);
    free(nw);
    free(old);
    free(text);
    return m;
}

/* The text of the current tab (heap); *markdown: prose is wrapped in it. An artifact's lines are
 * also kept in st->src_lines (for `r`). */
static char *tab_text(struct tui *t, struct review_state *st, const struct tab *tab,
                      bool *markdown)
{
    free_src(st);
    *markdown = true;
    if (tab->art >= 0) {
        const struct k8tls_artifact *a = &t->bundle->v[tab->art];
        struct reveal_ctx c = {st, a->path};
        char *text = k8tls_artifact_preview(a, reveal_cb, &c);
        /* prose in NEXT-STEPS.md; YAML (rotation.yaml, the restart task) never wrapped */
        size_t pl = strlen(a->path);
        *markdown = a->kind == K8TLS_ART_DOC && pl > 3 && strcmp(a->path + pl - 3, ".md") == 0;
        for (const char *p = text ? text : ""; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char **v = realloc(st->src_lines, (st->n_src + 1) * sizeof *v);
            if (!v)
                break;
            st->src_lines = v;
            v[st->n_src++] = strndup(p, len);
            if (!nl)
                break;
            p = nl + 1;
        }
        return text ? text : strdup("");
    }
    if (tab->art == TAB_CHANGES)
        return changes_text(t);
    if (tab->art == TAB_CERTS) {
        char *c = k8tls_cmview_text(t->bundle);
        return c ? c : strdup("");
    }
    size_t errs = k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR);
    char *text = strdup("");
    if (errs) {
        char *m = tui_fmt("%s\n\n", _("These problems must be fixed before anything is written "
                                       "(Esc goes back to the steps):"));
        free(text);
        text = m;
    }
    for (size_t i = 0; text && i < t->review_diags.n; i++) {
        const struct k8tls_diag *g = &t->review_diags.v[i];
        if (errs && g->sev != K8TLS_SEV_ERROR)
            continue;
        enum k8tls_screen s = k8tls_flow_screen_of_path(g->path);
        char *line;
        const char *what = g->sev == K8TLS_SEV_ERROR ? _("Error")
                           : g->sev == K8TLS_SEV_WARNING ? _("Warning")
                                                         : _("Note");
        /* the step says where to fix it; a file is named when it is not the answers file */
        char *where = NULL;
        bool other_file = g->file && !(t->plan->source_file &&
                                       strcmp(g->file, t->plan->source_file) == 0);
        if (other_file && g->line > 0)
            where = tui_fmt("%s:%d: ", g->file, g->line);
        else if (other_file)
            where = tui_fmt("%s: ", g->file);
        if (s != K8TLS_SCR_COUNT)
            line = tui_fmt("- %s (%s): %s%s", what, _(k8tls_flow_screen_title(s)),
                           where ? where : "", g->msg);
        else
            line = tui_fmt("- %s: %s%s", what, where ? where : "", g->msg);
        free(where);
        /* one line each: the viewer wraps it (the message's own newlines kept as spaces) */
        for (char *c = line; *c; c++)
            if (*c == '\n')
                *c = ' ';
        char *m = tui_fmt("%s%s\n", text, line);
        free(line);
        free(text);
        text = m;
    }
    if (text && !*text) {
        free(text);
        text = tui_fmt("%s", _("No warnings."));
    }
    return text ? text : strdup("");
}

/* The Secret data key of a source line: the entry under data:/stringData: that holds it. */
static char *key_at(struct review_state *st, size_t line)
{
    if (line >= st->n_src || !st->src_lines[line])
        return NULL;
    size_t entry = (size_t)-1;
    size_t best = (size_t)-1;
    for (size_t i = line + 1; i-- > 0;) {
        const char *l = st->src_lines[i];
        if (!l)
            return NULL;
        size_t ind = strspn(l, " ");
        if (l[ind] == '\0')
            continue;
        if (ind == 0) {
            if (entry == (size_t)-1 || i == line)
                return NULL;
            if (strncmp(l, "data:", 5) != 0 && strncmp(l, "stringData:", 11) != 0)
                return NULL;
            const char *e = st->src_lines[entry] + strspn(st->src_lines[entry], " ");
            size_t kl = strcspn(e, ":");
            if (kl >= 2 && (e[0] == '"' || e[0] == '\'') && e[kl - 1] == e[0])
                return strndup(e + 1, kl - 2);
            return strndup(e, kl);
        }
        if (ind < best) {
            best = ind;
            entry = i;
        }
    }
    return NULL;
}

/* ---- the Review page -------------------------------------------------------------------- */

static void tabbar_text(struct review_state *st, const struct tab *tabs, int n, char *out,
                        size_t cap)
{
    /* the current tab in brackets with as many neighbours as fit; "<" / ">" when more are
     * hidden on that side */
    int cur = st->tab < n ? st->tab : 0;
    int room = COLS - 8;
    int lo = cur, hi = cur;
    int width = (int)strlen(tabs[cur].title) + 6;
    for (bool grew = true; grew;) {
        grew = false;
        if (hi + 1 < n && width + (int)strlen(tabs[hi + 1].title) + 5 <= room) {
            width += (int)strlen(tabs[++hi].title) + 5;
            grew = true;
        }
        if (lo > 0 && width + (int)strlen(tabs[lo - 1].title) + 5 <= room) {
            width += (int)strlen(tabs[--lo].title) + 5;
            grew = true;
        }
    }
    size_t len = 0;
    out[0] = '\0';
    if (lo > 0)
        len += (size_t)snprintf(out + len, cap - len, "< ");
    for (int i = lo; i <= hi && len < cap; i++) {
        int w = snprintf(out + len, cap - len, i == cur ? "[%d %s]  " : " %d %s   ", i + 1,
                         tabs[i].title);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    if (hi < n - 1 && len < cap)
        snprintf(out + len, cap - len, ">");
}

/* Adding encryption to a running cluster: which rollout this bundle is, above the tabs (the
 * one-shot warning as a warning). Returns the rows used. */
static int rollout_banner(struct tui *t, int top)
{
    /* the wizard's first phase, or the next phase built from a directory */
    const struct k8tls_plan *p = t->path == K8TLS_PATH_ENABLE ? t->bundle_plan
                                 : t->path == K8TLS_PATH_WIZARD && k8tls_flow_rollout(t->plan)
                                     ? t->plan
                                     : NULL;
    if (!p)
        return 0;
    char *m;
    enum k8tls_role role = K8TLS_ROLE_TEXT;
    if (tui_rollout_staged(p)) {
        enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
        size_t np = tui_rollout_phases(p, seq, NULL), k = 0;
        while (k < np && seq[k] != p->rollout.phase)
            k++;
        m = tui_fmt(_("Staged rollout: this bundle is phase %zu of %zu, %s."), k + 1, np,
                    k8tls_rollout_phase_cli_name(p->rollout.phase));
    } else {
        m = tui_fmt("%s", _("Warning, one shot: while the pods restart, restarted and waiting "
                            "nodes cannot talk and clients without TLS are cut off. Stop every "
                            "datacenter first (stopped: true), or go Back to Rollout for the "
                            "staged path."));
        role = K8TLS_ROLE_WARNING;
    }
    char *lines[3];
    int n = tui_wrap(m, COLS - 4, lines, 3);
    free(m);
    tui_add_label(t, 2, top, COLS - 4, n, (const char *const *)lines, n, role);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return n;
}

static void review_build(struct tui *t, struct page *pg, int top, int bottom)
{
    struct review_state *st = state(t);
    if (!st)
        return;
    follow_bundle(t, st);
    st->list = st->tabbar = st->wait = -1;
    st->view.item = st->view.pos_item = -1;
    /* a rotation: the phase's bundle, built on the step before; no key generation here */
    bool rotate = t->path == K8TLS_PATH_ROTATE || t->path == K8TLS_PATH_ENABLE;
    if (!rotate)
        tui_keygen_ensure(t->kg, t->plan);
    enum kg_state ks = rotate ? KG_READY : tui_keygen_state(t->kg, NULL, NULL, NULL, 0);
    if (ks == KG_RUNNING) {
        char *p = tui_progress_text(t);
        const char *v[3] = {_("The keys are still being generated; the files appear here as soon "
                              "as they are ready."),
                            "", p};
        st->wait = tui_add_label(t, 2, top + 1, COLS - 4, 3, v, 3, K8TLS_ROLE_TEXT);
        free(p);
        return;
    }
    if (!rotate)
        tui_bundle_build(t);
    top += rollout_banner(t, top);
    if (ks == KG_FAILED && !t->review_diags.n)
        tui_diags_merge(&t->review_diags, tui_keygen_diags(t->kg));
    struct tab tabs[32];
    int n = tabs_of(t, tabs, 32);
    if (st->tab >= n)
        st->tab = n - 1;
    if (st->tab < 0)
        st->tab = 0;
    /* with problems, open on the problems */
    if (k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR) > 0)
        st->tab = n - 1;
    char bar[1024];
    tabbar_text(st, tabs, n, bar, sizeof bar);
    const char *v[1] = {bar};
    st->tabbar = tui_add_label(t, 1, top, COLS - 2, 1, v, 1, K8TLS_ROLE_TEXT);
    /* the list, its position line under it, then the notes (the page's last body row) */
    int h = bottom - top - 2;
    const struct tab *cur = &tabs[st->tab];
    char *title = cur->art >= 0 ? tui_fmt("%s", t->bundle->v[cur->art].path)
                                : tui_fmt("%s", cur->title);
    bool markdown = true;
    char *text = tab_text(t, st, cur, &markdown);
    st->list = tui_viewer_add(t, &st->view, 1, top + 1, COLS - 2, h, title, text, markdown,
                              st->line);
    k8tls_secure_wipe_str(text);
    free(text);
    free(title);
    free_tabs(tabs, n);
    (void)pg;
}

static void review_tick(struct tui *t, struct page *pg)
{
    (void)pg;
    struct review_state *st = state(t);
    if (st && st->list >= 0)
        tui_viewer_tick(t, &st->view);
    if (!st || st->wait < 0)
        return;
    enum kg_state ks = tui_keygen_state(t->kg, NULL, NULL, NULL, 0);
    if (ks != KG_RUNNING) {
        free(t->status);
        t->status = NULL;
        t->rebuild = true;
        return;
    }
    char *p = tui_progress_text(t);
    const char *v[3] = {_("The keys are still being generated; the files appear here as soon as "
                          "they are ready."),
                        "", p};
    tui_set_label(t, st->wait, v, 3, K8TLS_ROLE_TEXT);
    free(p);
}

static int review_key(struct tui *t, struct page *pg, int k)
{
    struct review_state *st = state(t);
    if (!st)
        return 0;
    if ((k == 'd' || k == 'D') && st->list >= 0) {
        /* kubectl diff --server-side against the contexts chosen on Output (or the current one) */
        if (!t->bundle) {
            tui_set_status(t, "%s", _("Nothing to compare yet: the bundle is not ready."));
            t->rebuild = true;
            return 1;
        }
        const char *ctx[64];
        size_t n = tui_output_contexts(t, ctx, 64);
        tui_kube_diff(t, ctx, n);
        return 1;
    }
    if (st->list < 0 || pg->focus != st->list)
        return 0;
    struct tab tabs[32];
    int n = tabs_of(t, tabs, 32);
    free_tabs(tabs, n);
    if (k == KEY_LEFT || k == KEY_RIGHT || k == '[' || k == ']' || (k >= '1' && k <= '9')) {
        int nt = st->tab;
        if (k == KEY_LEFT || k == '[')
            nt = (nt + n - 1) % n;
        else if (k == KEY_RIGHT || k == ']')
            nt = (nt + 1) % n;
        else if (k - '1' < n)
            nt = k - '1';
        if (nt != st->tab) {
            st->tab = nt;
            st->line = 0;
            t->rebuild = true;
        }
        return 1;
    }
    if (k == 'r' || k == 'R') {
        int line = tui_viewer_line(t, &st->view);
        tabs_of(t, tabs, 32);
        const struct tab *cur = &tabs[st->tab];
        char *key = cur->art >= 0 ? key_at(st, (size_t)line) : NULL;
        st->line = line;
        if (key) {
            toggle_reveal(st, t->bundle->v[cur->art].path, key);
            free(t->status);
            t->status = NULL;
            free(key);
        } else {
            tui_set_status(t, "%s", _("Nothing to reveal here: move the cursor to a value under "
                                      "data: in a Secret."));
        }
        /* the page again, the cursor on the same line */
        t->rebuild = true;
        free_tabs(tabs, n);
        return 1;
    }
    if (tui_viewer_key(t, &st->view, k)) {
        st->line = tui_viewer_line(t, &st->view);
        return 1;
    }
    return 0;
}

static int review_check(struct tui *t, struct form *f)
{
    (void)f;
    if (t->path == K8TLS_PATH_WIZARD &&
        tui_keygen_state(t->kg, NULL, NULL, NULL, 0) == KG_RUNNING) {
        tui_set_status(t, "%s", _("The keys are not ready yet: a moment, please."));
        t->rebuild = true;
        return 1;
    }
    if (!t->bundle || k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR) > 0) {
        tui_set_status(t, "%s", _("Fix the problems listed first (Esc goes back to the steps)."));
        t->rebuild = true;
        return 1;
    }
    return 0;
}

static void review_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    if (!t->bundle || *n >= max)
        return;
    size_t w = warnings_of(t), nn = notes_of(t);
    if ((w || nn) && !k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR)) {
        char *m = nn ? tui_fmt(_("Warnings: %zu, notes: %zu (the last tab lists them)."), w, nn)
                     : tui_fmt(_("Warnings: %zu (the last tab lists them)."), w);
        lines[(*n)++] = tui_fmt("!W%s", m); /* "!W": the notes show it as a warning */
        free(m);
    }
}

const struct tui_screen tui_screen_review = {
    .private_size = sizeof(struct review_state),
    .fini = review_fini,
    .help = N_("Every file the bundle holds: the K8ssandraCluster manifest, each Secret and "
               "NEXT-STEPS.md, one tab each (Left/Right or 1-9); with cert-manager output, a "
               "Certificates tab says which Secret, with which keys, each Certificate makes, "
               "and the Issuers and Certificates have tabs too. Secret values are masked: move "
               "the cursor to one and press r to reveal it, r again to hide it. The last tab "
               "lists the warnings (or the problems to fix). Nothing is written yet. d runs "
               "kubectl diff --server-side against the contexts chosen on the Output step (else "
               "the kubeconfig's current context) and shows what would change, Secret values "
               "masked."),
    .bar_keys = N_("r: reveal  d: diff  Left/Right: files"),
    .build = review_build,
    .key = review_key,
    .tick = review_tick,
    .check = review_check,
    .notes = review_notes,
};

