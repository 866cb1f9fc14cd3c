/* The Review screen (one tab per file, Secret values masked until `r` reveals the one under the
 * cursor, the warnings) and the Result screen (what was written, the next steps). */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MASK_TEXT "********"

/* ---- the bundle ------------------------------------------------------------------------- */

static void free_src(void);

static void free_rows(struct tui *t)
{
    for (size_t i = 0; i < t->n_review_rows; i++)
        free(t->review_rows[i]);
    free(t->review_rows);
    free(t->review_row_src);
    t->review_rows = NULL;
    t->review_row_src = NULL;
    t->n_review_rows = 0;
}

void tui_review_reset(struct tui *t)
{
    k8tls_bundle_free(t->bundle);
    t->bundle = NULL;
    k8tls_plan_free(t->bundle_plan);
    t->bundle_plan = NULL;
    k8tls_diags_free(&t->review_diags);
    k8tls_diags_init(&t->review_diags);
    for (size_t i = 0; i < t->n_revealed; i++)
        k8tls_secure_free_str(t->revealed[i]);
    free(t->revealed);
    t->revealed = NULL;
    t->n_revealed = 0;
    free_rows(t);
    free_src();
}

/* Adds the diagnostics not already there: the same message, or the same severity for the same
 * key path (validation and the bundle both say that Stargate is deprecated). */
static void copy_diags(struct k8tls_diags *to, const struct k8tls_diags *from)
{
    for (size_t i = 0; from && i < from->n; i++) {
        const struct k8tls_diag *g = &from->v[i];
        bool dup = false;
        for (size_t j = 0; j < to->n && !dup; j++)
            dup = to->v[j].sev == g->sev &&
                  (strcmp(to->v[j].msg, g->msg) == 0 ||
                   (g->path && to->v[j].path && strcmp(to->v[j].path, g->path) == 0));
        if (!dup)
            k8tls_diags_add(to, g->sev, g->file, g->line, g->col, g->path, "%s", g->msg);
    }
}

int tui_review_build_bundle(struct tui *t)
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
    copy_diags(&t->review_diags, &vd);
    k8tls_diags_free(&vd);
    copy_diags(&t->review_diags, tui_keygen_diags(t->kg));
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
    copy_diags(&t->review_diags, &b->notes);
    t->bundle = b;
    t->bundle_plan = bp;
    t->bundle_gen++;
    return 0;
}

/* ---- tabs ------------------------------------------------------------------------------- */

struct tab {
    int art;            /* artifact index, or -1: the problems and warnings */
    char *title;
};

static bool tab_kind(enum k8tls_artifact_kind k)
{
    return k == K8TLS_ART_CLUSTER || k == K8TLS_ART_SECRET || k == K8TLS_ART_NAMESPACE ||
           k == K8TLS_ART_DOC;
}

static int tabs_of(struct tui *t, struct tab *v, int max)
{
    int n = 0;
    if (t->bundle) {
        /* the manifest first, then the Secrets, the namespace, NEXT-STEPS */
        static const enum k8tls_artifact_kind order[] = {K8TLS_ART_CLUSTER, K8TLS_ART_SECRET,
                                                         K8TLS_ART_NAMESPACE, K8TLS_ART_DOC};
        for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
            for (size_t i = 0; i < t->bundle->n && n < max - 1; i++) {
                const struct k8tls_artifact *a = &t->bundle->v[i];
                if (a->kind != order[o] || !tab_kind(a->kind))
                    continue;
                v[n].art = (int)i;
                if (a->kind == K8TLS_ART_SECRET && a->k8s_name)
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
    size_t errs = k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR);
    size_t warns = t->review_diags.n - errs;
    size_t changes = t->bundle ? t->bundle->n_changes : 0;
    v[n].art = -1;
    if (errs)
        v[n].title = tui_fmt(_("Problems (%zu)"), errs);
    else
        v[n].title = tui_fmt(_("Warnings (%zu)"), warns + changes);
    n++;
    return n;
}

static void free_tabs(struct tab *v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i].title);
}

/* ---- rows of the current tab ------------------------------------------------------------ */

struct reveal_ctx {
    struct tui *t;
    const char *path;
};

static bool is_revealed(struct tui *t, const char *path, const char *key)
{
    for (size_t i = 0; i < t->n_revealed; i++) {
        const char *r = t->revealed[i];
        size_t pl = strlen(path);
        if (strncmp(r, path, pl) == 0 && r[pl] == '\n' && strcmp(r + pl + 1, key) == 0)
            return true;
    }
    return false;
}

static bool reveal_cb(void *ud, const char *key)
{
    struct reveal_ctx *c = ud;
    return is_revealed(c->t, c->path, key);
}

static void toggle_reveal(struct tui *t, const char *path, const char *key)
{
    size_t pl = strlen(path);
    for (size_t i = 0; i < t->n_revealed; i++) {
        const char *r = t->revealed[i];
        if (strncmp(r, path, pl) == 0 && r[pl] == '\n' && strcmp(r + pl + 1, key) == 0) {
            k8tls_secure_free_str(t->revealed[i]);
            t->revealed[i] = t->revealed[--t->n_revealed];
            return;
        }
    }
    char **v = realloc(t->revealed, (t->n_revealed + 1) * sizeof *v);
    if (!v)
        return;
    t->revealed = v;
    v[t->n_revealed++] = tui_fmt("%s\n%s", path, key);
}

static void add_row(struct tui *t, char *text, int src)
{
    char **r = realloc(t->review_rows, (t->n_review_rows + 1) * sizeof *r);
    int *s = realloc(t->review_row_src, (t->n_review_rows + 1) * sizeof *s);
    if (r)
        t->review_rows = r;
    if (s)
        t->review_row_src = s;
    if (!r || !s) {
        free(text);
        return;
    }
    r[t->n_review_rows] = text;
    s[t->n_review_rows] = src;
    t->n_review_rows++;
}

/* one display row: escaped, the mask in the masked-value colour */
static char *row_markup(const char *plain)
{
    char *out = strdup("");
    const char *p = plain;
    while (out && *p) {
        const char *m = strstr(p, MASK_TEXT);
        size_t n = m ? (size_t)(m - p) : strlen(p);
        char *seg = strndup(p, n);
        char *esc = tui_escape(seg);
        char *next = m ? tui_fmt("%s%s%s%s%s", out, esc ? esc : "", tui_mk(K8TLS_ROLE_MASKED),
                                 MASK_TEXT, tui_mk_end(K8TLS_ROLE_MASKED))
                       : tui_fmt("%s%s", out, esc ? esc : "");
        free(esc);
        free(seg);
        free(out);
        out = next;
        if (!m)
            break;
        p = m + strlen(MASK_TEXT);
    }
    return out ? out : strdup("");
}

static void add_text_rows(struct tui *t, const char *text, int width, char ***src_lines,
                          size_t *n_src)
{
    const char *p = text;
    int line = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *l = strndup(p, len);
        if (src_lines) {
            char **v = realloc(*src_lines, (*n_src + 1) * sizeof *v);
            if (v) {
                *src_lines = v;
                v[(*n_src)++] = l ? strdup(l) : NULL;
            }
        }
        size_t off = 0;
        do {
            size_t take = len - off > (size_t)width ? (size_t)width : len - off;
            char *chunk = strndup(l ? l + off : "", l ? take : 0);
            add_row(t, row_markup(chunk ? chunk : ""), line);
            free(chunk);
            off += take;
        } while (off < len);
        if (l)
            k8tls_secure_wipe_str(l);
        free(l);
        line++;
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* a message for the warnings tab: word-wrapped, continuation lines indented */
static void add_wrapped_rows(struct tui *t, const char *text, int width)
{
    char *lines[64];
    int n = tui_wrap(text, width - 2, lines, 64);
    for (int i = 0; i < n; i++) {
        char *l = tui_fmt("%s%s", i ? "  " : "", lines[i]);
        add_row(t, row_markup(l), (int)t->n_review_rows);
        free(l);
        free(lines[i]);
    }
}

static char **g_src_lines;   /* source lines of the current tab (for `r`) */
static size_t g_n_src;

static void free_src(void)
{
    for (size_t i = 0; i < g_n_src; i++) {
        if (g_src_lines[i])
            k8tls_secure_wipe_str(g_src_lines[i]);
        free(g_src_lines[i]);
    }
    free(g_src_lines);
    g_src_lines = NULL;
    g_n_src = 0;
}

static void make_rows(struct tui *t, const struct tab *tab, int width)
{
    free_rows(t);
    free_src();
    if (tab->art >= 0) {
        const struct k8tls_artifact *a = &t->bundle->v[tab->art];
        struct reveal_ctx c = {t, a->path};
        char *text = k8tls_artifact_preview(a, reveal_cb, &c);
        add_text_rows(t, text ? text : "", width, &g_src_lines, &g_n_src);
        if (text) {
            k8tls_secure_wipe_str(text);
            free(text);
        }
        return;
    }
    size_t errs = k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR);
    if (errs) {
        add_wrapped_rows(t, _("These problems must be fixed before anything is written (Esc "
                              "goes back to the steps):"),
                         width);
    }
    for (size_t i = 0; i < t->review_diags.n; i++) {
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
        add_wrapped_rows(t, line, width);
        free(line);
    }
    for (size_t i = 0; !errs && t->bundle && i < t->bundle->n_changes; i++) {
        const struct k8tls_change *c = &t->bundle->changes[i];
        const char *what = c->what == K8TLS_CHANGE_ADDED      ? _("added")
                           : c->what == K8TLS_CHANGE_REPLACED ? _("replaced")
                           : c->what == K8TLS_CHANGE_MIGRATED ? _("migrated")
                                                              : _("removed");
        char *line = tui_fmt(_("- Manifest change: %s %s"), what, c->path);
        add_wrapped_rows(t, line, width);
        free(line);
    }
    if (t->n_review_rows == 0)
        add_text_rows(t, _("No warnings."), width, NULL, NULL);
}

/* The Secret data key of a source line: the entry under data:/stringData: that holds it. */
static char *key_at(size_t line)
{
    if (line >= g_n_src || !g_src_lines[line])
        return NULL;
    size_t entry = (size_t)-1;
    size_t best = (size_t)-1;
    for (size_t i = line + 1; i-- > 0;) {
        const char *l = g_src_lines[i];
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
            const char *e = g_src_lines[entry] + strspn(g_src_lines[entry], " ");
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

static int g_list = -1, g_tabbar = -1, g_wait = -1;

static void tabbar_text(struct tui *t, const struct tab *tabs, int n, char *out, size_t cap)
{
    /* the current tab in brackets with as many neighbours as fit; "<" / ">" when more are
     * hidden on that side */
    int cur = t->review_tab < n ? t->review_tab : 0;
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

static void review_build(struct tui *t, struct page *pg, int top, int bottom)
{
    g_list = g_tabbar = g_wait = -1;
    tui_keygen_ensure(t->kg, t->plan);
    enum kg_state st = tui_keygen_state(t->kg, NULL, NULL, NULL, 0);
    if (st == KG_RUNNING) {
        char *p = tui_progress_text(t);
        const char *v[3] = {_("The keys are still being generated; the files appear here as soon "
                              "as they are ready."),
                            "", p};
        g_wait = tui_add_label(t, 2, top + 1, COLS - 4, 3, v, 3, K8TLS_ROLE_TEXT);
        free(p);
        return;
    }
    tui_review_build_bundle(t);
    if (st == KG_FAILED && !t->review_diags.n)
        copy_diags(&t->review_diags, tui_keygen_diags(t->kg));
    struct tab tabs[32];
    int n = tabs_of(t, tabs, 32);
    if (t->review_tab >= n)
        t->review_tab = n - 1;
    if (t->review_tab < 0)
        t->review_tab = 0;
    /* with problems, open on the problems */
    if (k8tls_diags_count(&t->review_diags, K8TLS_SEV_ERROR) > 0)
        t->review_tab = n - 1;
    char bar[1024];
    tabbar_text(t, tabs, n, bar, sizeof bar);
    const char *v[1] = {bar};
    g_tabbar = tui_add_label(t, 1, top, COLS - 2, 1, v, 1, K8TLS_ROLE_TEXT);
    int h = bottom - top - 2;
    int w = COLS - 2;
    make_rows(t, &tabs[t->review_tab], w - 4);
    const struct tab *cur = &tabs[t->review_tab];
    char *title = cur->art >= 0 ? tui_fmt("%s", t->bundle->v[cur->art].path)
                                : tui_fmt("%s", cur->title);
    g_list = tui_add_list(t, 1, top + 1, w, h, title, (const char *const *)t->review_rows,
                          (int)t->n_review_rows);
    free(title);
    if (g_list >= 0 && t->review_line > 0 && (size_t)t->review_line < t->n_review_rows)
        setCDKScrollCurrentItem((CDKSCROLL *)pg->it[g_list].obj, t->review_line);
    const char *hint[1] = {_("r: reveal or hide the value under the cursor  d: diff against the "
                             "cluster  Left/Right: other files  Up/Down: scroll")};
    tui_add_label(t, 2, bottom, COLS - 4, 1, hint, 1, K8TLS_ROLE_TEXT);
    free_tabs(tabs, n);
    (void)pg;
}

static void review_tick(struct tui *t, struct page *pg)
{
    (void)pg;
    if (g_wait < 0)
        return;
    enum kg_state st = tui_keygen_state(t->kg, NULL, NULL, NULL, 0);
    if (st != KG_RUNNING) {
        free(t->status);
        t->status = NULL;
        t->rebuild = true;
        return;
    }
    char *p = tui_progress_text(t);
    const char *v[3] = {_("The keys are still being generated; the files appear here as soon as "
                          "they are ready."),
                        "", p};
    tui_set_label(t, g_wait, v, 3, K8TLS_ROLE_TEXT);
    free(p);
}

static int review_key(struct tui *t, struct page *pg, int k)
{
    if ((k == 'd' || k == 'D') && g_list >= 0) {
        /* kubectl diff --server-side against the chosen (or current) context */
        tui_review_diff(t);
        return 1;
    }
    if (g_list < 0 || pg->focus != g_list)
        return 0;
    struct tab tabs[32];
    int n = tabs_of(t, tabs, 32);
    free_tabs(tabs, n);
    CDKSCROLL *sc = (CDKSCROLL *)pg->it[g_list].obj;
    if (k == KEY_LEFT || k == KEY_RIGHT || k == '[' || k == ']' || (k >= '1' && k <= '9')) {
        int nt = t->review_tab;
        if (k == KEY_LEFT || k == '[')
            nt = (nt + n - 1) % n;
        else if (k == KEY_RIGHT || k == ']')
            nt = (nt + 1) % n;
        else if (k - '1' < n)
            nt = k - '1';
        if (nt != t->review_tab) {
            t->review_tab = nt;
            t->review_line = 0;
            t->rebuild = true;
        }
        return 1;
    }
    if (k == 'r' || k == 'R') {
        int row = getCDKScrollCurrentItem(sc);
        tabs_of(t, tabs, 32);
        const struct tab *cur = &tabs[t->review_tab];
        char *key = NULL;
        if (cur->art >= 0 && row >= 0 && (size_t)row < t->n_review_rows)
            key = key_at((size_t)t->review_row_src[row]);
        if (key) {
            toggle_reveal(t, t->bundle->v[cur->art].path, key);
            free(t->status);
            t->status = NULL;
            /* keep the cursor on the same source line */
            int src = t->review_row_src[row];
            make_rows(t, cur, pg->it[g_list].width - 6);
            int nr = 0;
            for (size_t i = 0; i < t->n_review_rows; i++)
                if (t->review_row_src[i] == src) {
                    nr = (int)i;
                    break;
                }
            t->review_line = nr;
            t->rebuild = true;
            free(key);
        } else {
            tui_set_status(t, "%s", _("Nothing to reveal here: move the cursor to a value under "
                                      "data: in a Secret."));
            t->review_line = row;
            t->rebuild = true;
        }
        free_tabs(tabs, n);
        return 1;
    }
    if (k == KEY_UP || k == KEY_DOWN || k == KEY_PPAGE || k == KEY_NPAGE || k == KEY_HOME ||
        k == KEY_END) {
        InjectObj(pg->it[g_list].obj, (chtype)k);
        t->review_line = getCDKScrollCurrentItem(sc);
        return 1;
    }
    return 0;
}

static int review_check(struct tui *t, struct form *f)
{
    (void)f;
    if (tui_keygen_state(t->kg, NULL, NULL, NULL, 0) == KG_RUNNING) {
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
    size_t w = k8tls_diags_count(&t->review_diags, K8TLS_SEV_WARNING);
    if (w) {
        char *m = tui_fmt(_("Warnings: %zu (the last tab lists them)."), w);
        lines[(*n)++] = tui_fmt("!W%s", m); /* "!W": the notes show it as a warning */
        free(m);
    }
}

const struct screen_ops tui_review_ops = {
    .help = N_("Every file the bundle holds: the K8ssandraCluster manifest, each Secret and "
               "NEXT-STEPS.md, one tab each (Left/Right or 1-9). Secret values are masked: move "
               "the cursor to one and press r to reveal it, r again to hide it. The last tab "
               "lists the warnings (or the problems to fix). Nothing is written yet. d runs "
               "kubectl diff --server-side against the contexts chosen on the Output step (else "
               "the kubeconfig's current context) and shows what would change, Secret values "
               "masked."),
    .bar_keys = N_("r: reveal  d: diff "),
    .build = review_build,
    .key = review_key,
    .tick = review_tick,
    .check = review_check,
    .notes = review_notes,
};

/* ---- the Result page -------------------------------------------------------------------- */

static void result_build(struct tui *t, struct page *pg, int top, int bottom)
{
    (void)pg;
    char *para[8];
    int np = 0;
    para[np++] = tui_fmt(_("Written: %s (%zu files; keys, stores and Secrets readable by you "
                           "only)."),
                         t->written_dir ? t->written_dir : "-", t->written_files);
    if (t->answers_saved)
        para[np++] = tui_fmt(_("Answers saved to %s (replay: k8tls-wizard --answers %s --output "
                               "DIR)."),
                             t->answers_saved, t->answers_saved);
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
    int nr = tui_renew_result_lines(t, para + np, 8 - np);
    np += nr;
    if (!nr && !(a && a->rc == 0 && !a->dry_run))
        para[np++] = tui_fmt(_("Apply it: kubectl apply -k %s   (the Secrets first, then the "
                               "cluster)"),
                             t->written_dir ? t->written_dir : "DIR");
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
        free_rows(t);
        add_text_rows(t, text ? text : "", COLS - 6, NULL, NULL);
        free(text);
        char *title = tui_fmt(_("Next steps (%s/%s)"), t->written_dir ? t->written_dir : ".",
                              doc->path);
        tui_add_list(t, 1, top + n + 1, COLS - 2, bottom - top - n - 1, title,
                     (const char *const *)t->review_rows, (int)t->n_review_rows);
        free(title);
    }
}

const struct screen_ops tui_result_ops = {
    .help = N_("The bundle is written. Apply it with kubectl apply -k DIR, or keep it for a "
               "pipeline; NEXT-STEPS.md in the directory says how to use nodetool over TLS and "
               "how to roll the change out."),
    .next_label = N_("Quit"),
    .build = result_build,
    .no_back = true,
    .no_cancel = true,
    .focus_next_first = true,
};
