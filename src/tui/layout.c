/* The page engine, whole pages: the title, the help bar, the buttons, the form or the screen's own
 * body, the first focus; the message when the terminal is too small. Calls form.c, page.c,
 * colors.c, text.c and flow.c (the step number). */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_COLS 80
#define MIN_LINES 24

/* ---- the footer: the keys of the focused widget ------------------------------------------ */

#define BAR_MAX 16

struct bar {
    char *pair[BAR_MAX];            /* "key: action" (heap) */
    int prio[BAR_MAX];              /* the lowest goes first when the row is too short */
    int n;
};

static void bar_add(struct bar *b, const char *pair, int prio)
{
    if (!pair || !*pair || b->n >= BAR_MAX)
        return;
    b->pair[b->n] = strdup(pair);
    b->prio[b->n] = prio;
    if (b->pair[b->n])
        b->n++;
}

/* pairs separated by two spaces (blanks around them dropped): the first two get prio and
 * prio - 1, the others rest, rest - 1, ... */
static void bar_add_all(struct bar *b, const char *pairs, int prio, int rest)
{
    int k = 0;
    const char *p = pairs;
    while (p && *p) {
        while (*p == ' ')
            p++;
        const char *e = strstr(p, "  ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0) {
            char *one = strndup(p, len);
            bar_add(b, one, k < 2 ? prio - k : rest - k);
            k++;
            free(one);
        }
        p = e;
    }
}

/* The general keys, one translated text: its pairs in this order, two spaces apart. */
enum { G_TAB, G_ENTER, G_ESC, G_HELP, G_NEXT, G_CANCEL, G_N };

static void general_pairs(char *out[G_N])
{
    /* TRANSLATORS: the footer's general keys: six "key: action" pairs in this order, two spaces
     * between pairs (the footer drops some of them when the terminal is narrow) */
    const char *all = _(" Tab/S-Tab: move  Enter: select  Esc: back  F1/?: help  F10: next  "
                        "Ctrl-C: cancel");
    struct bar b = {.n = 0};
    bar_add_all(&b, all, 0, 0);
    for (int i = 0; i < G_N; i++)
        out[i] = i < b.n ? b.pair[i] : NULL;
    for (int i = G_N; i < b.n; i++)
        free(b.pair[i]);
}

/* the footer's text for what has the focus now */
static char *bar_text(struct tui *t)
{
    struct page *pg = &t->pg;
    const struct tui_screen *ops = tui_ops(t, t->cur);
    const struct item *it = pg->focus >= 0 && pg->focus < pg->n ? &pg->it[pg->focus] : NULL;
    struct bar b = {.n = 0};
    char *g[G_N];
    general_pairs(g);
    if (it && pg->modal_base > 0 && pg->focus >= pg->modal_base) {
        /* a dialog over the page, or a viewer */
        if (it->keys)
            bar_add_all(&b, _(it->keys), 95, 50);
        else
            bar_add_all(&b, _("Tab/Left/Right: move  Enter: select  Esc: close"), 95, 50);
    } else {
        bool entry = it && it->kind == IT_ENTRY;
        if (it && it->keys)
            bar_add_all(&b, _(it->keys), 95, 50);
        else if (it && it->kind == IT_CHOICE)
            bar_add(&b, _("Left/Right: change"), 90);
        else if (it && it->kind == IT_LIST && it->field >= 0 &&
                 tui_cur_form(t)->f[it->field].kind == F_MULTI)
            bar_add(&b, _("Space: select"), 90);
        else if (it && it->kind == IT_LIST && it->obj &&
                 ((CDKSCROLL *)it->obj)->listSize > ((CDKSCROLL *)it->obj)->viewSize)
            bar_add(&b, _("Up/Down: scroll"), 90); /* a list longer than its box */
        if (ops && ops->bar_keys)
            bar_add_all(&b, _(ops->bar_keys), 85, 80);
        /* the message area is longer than its rows */
        if (tui_notes_scrolls(t))
            bar_add(&b, _("PgUp/PgDn: messages"), 92);
        bar_add(&b, g[G_TAB], 10);
        /* Enter selects a button; elsewhere it moves on */
        if (it && it->kind == IT_BUTTON)
            bar_add(&b, g[G_ENTER], 5);
        /* where there is no step back, Esc asks to leave */
        bool back = !(ops && ops->no_back) &&
                    k8tls_flow_prev_on(t->path, t->plan, t->cur) != K8TLS_SCR_COUNT;
        bar_add(&b, back ? g[G_ESC] : ops && ops->no_cancel ? _("Esc: quit") : _("Esc: cancel"),
                60);
        /* '?' is typed into a text field */
        bar_add(&b, entry ? _("F1: help") : g[G_HELP], 100);
        if (ops && ops->next_label) {
            /* TRANSLATORS: the footer: F10 does what the Next button says ("Write", "Quit") */
            char *nx = tui_fmt(_("F10: %s"), _(ops->next_label));
            bar_add(&b, nx, 70);
            free(nx);
        } else {
            bar_add(&b, g[G_NEXT], 70);
        }
        if (!(ops && ops->no_cancel))
            bar_add(&b, g[G_CANCEL], 20);
    }
    for (int i = 0; i < G_N; i++)
        free(g[i]);
    /* the lowest priorities go until the pairs fit (the last column stays free) */
    for (;;) {
        int len = 1;
        for (int i = 0; i < b.n; i++)
            len += (int)strlen(b.pair[i]) + (i ? 2 : 0);
        if (len <= COLS - 1 || b.n <= 1)
            break;
        int low = 0;
        for (int i = 1; i < b.n; i++)
            if (b.prio[i] <= b.prio[low])
                low = i;
        free(b.pair[low]);
        memmove(b.pair + low, b.pair + low + 1, (size_t)(b.n - low - 1) * sizeof *b.pair);
        memmove(b.prio + low, b.prio + low + 1, (size_t)(b.n - low - 1) * sizeof *b.prio);
        b.n--;
    }
    char *s = strdup("");
    for (int i = 0; s && i < b.n; i++) {
        char *n = tui_fmt("%s%s%s", s, i ? "  " : " ", b.pair[i]);
        free(s);
        s = n;
    }
    for (int i = 0; i < b.n; i++)
        free(b.pair[i]);
    return s ? s : strdup("");
}

static bool bar_ok(struct tui *t)
{
    int i = t->pg.bar_item;
    return !t->pg.small && i >= 0 && i < t->pg.n && t->pg.it[i].kind == IT_LABEL;
}

void tui_update_bar(struct tui *t)
{
    if (!bar_ok(t))
        return;
    char *s = bar_text(t);
    const char *v[1] = {s};
    tui_set_label(t, t->pg.bar_item, v, 1, K8TLS_ROLE_HELP_BAR);
    free(s);
}

void tui_set_bar(struct tui *t, const char *pairs)
{
    if (!bar_ok(t))
        return;
    struct bar b = {.n = 0};
    bar_add_all(&b, pairs, 0, 0);
    char *s = strdup("");
    for (int i = 0; s && i < b.n; i++) {
        char *n = tui_fmt("%s%s%s", s, i ? "  " : " ", b.pair[i]);
        free(s);
        s = n;
    }
    for (int i = 0; i < b.n; i++)
        free(b.pair[i]);
    const char *v[1] = {s ? s : ""};
    tui_set_label(t, t->pg.bar_item, v, 1, K8TLS_ROLE_HELP_BAR);
    free(s);
}

static void add_title_and_bars(struct tui *t, bool with_progress)
{
    int total = 0;
    int step = k8tls_flow_step_shown(t->path, t->plan, t->cur, &total);
    char *title = tui_fmt(_(" k8tls-wizard  -  step %d of %d: %s"), step, total,
                          _(k8tls_flow_screen_title(t->cur)));
    const char *v[1] = {title};
    tui_add_label(t, 0, 0, COLS, 1, v, 1, K8TLS_ROLE_TITLE);
    free(title);
    t->pg.bar_item = tui_add_label(t, 0, LINES - 1, COLS, 1, NULL, 0, K8TLS_ROLE_HELP_BAR);
    tui_update_bar(t);
    if (with_progress) {
        const char *e[1] = {""};
        t->pg.progress_item = tui_add_label(t, 1, LINES - 2, COLS - 2, 1, e, 1, K8TLS_ROLE_TEXT);
        tui_update_progress(t);
    }
}

static void add_buttons(struct tui *t, const struct tui_screen *ops)
{
    const char *next = ops && ops->next_label ? _(ops->next_label) : _("Next");
    const char *caps[3] = {_("Back"), next, _("Cancel")};
    enum action acts[3] = {ACT_BACK, ACT_NEXT, ACT_CANCEL};
    bool show[3] = {!(ops && ops->no_back) &&
                        k8tls_flow_prev_on(t->path, t->plan, t->cur) != K8TLS_SCR_COUNT,
                    true, !(ops && ops->no_cancel)};
    int w = 0;
    for (int i = 0; i < 3; i++)
        if (show[i])
            w += (int)strlen(caps[i]) + 4 + 2;
    int x = COLS - w - 1;
    if (x < 1)
        x = 1;
    for (int i = 0; i < 3; i++) {
        if (!show[i])
            continue;
        int id = tui_add_button(t, x, LINES - 3, caps[i], acts[i]);
        if (acts[i] == ACT_NEXT)
            t->pg.next_item = id;
        x += (int)strlen(caps[i]) + 4 + 2;
    }
}

static void build_small(struct tui *t)
{
    werase(stdscr);
    const char *msg = _("The terminal is %dx%d; k8tls-wizard needs at least %dx%d.");
    char *a = tui_fmt(msg, COLS, LINES, MIN_COLS, MIN_LINES);
    char *lines[12];
    int n = tui_wrap(a, COLS > 4 ? COLS - 2 : 2, lines, 6);
    n += tui_wrap(_("Enlarge the terminal to continue (Ctrl-C leaves)."),
                   COLS > 4 ? COLS - 2 : 2, lines + n, 6);
    for (int i = 0; i < n && i < LINES; i++) {
        mvwaddnstr(stdscr, i, 0, lines[i], COLS);
    }
    tui_free_lines(lines, n);
    free(a);
    wrefresh(stdscr);
    t->pg.small = true;
}

void tui_build_page(struct tui *t)
{
    tui_page_clear(t);
    wbkgdset(stdscr, tui_attr(K8TLS_ROLE_TEXT));
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (COLS < MIN_COLS || LINES < MIN_LINES) {
        build_small(t);
        return;
    }
    const struct tui_screen *ops = tui_ops(t, t->cur);
    tui_form_ensure(t, t->cur);
    add_title_and_bars(t, true);
    if (ops->build) {
        ops->build(t, &t->pg, 2, LINES - 4);
        if (t->pg.notes_item < 0) {
            const char *e[1] = {""};
            t->pg.notes_item = tui_add_label(t, 2, LINES - 4, COLS - 4, 1, e, 1, K8TLS_ROLE_TEXT);
        }
    } else {
        tui_build_form(t, ops);
    }
    add_buttons(t, ops);
    refreshCDKScreen(t->cdk);
    for (int i = 0; i < t->pg.n; i++)
        if (t->pg.it[i].kind == IT_BUTTON)
            tui_draw_button(t, i);
    /* initial focus: the first field with an error, the remembered field, the custom widget,
     * else the Next button */
    struct form *f = tui_cur_form(t);
    int want = -1;
    for (int i = 0; i < f->n && want < 0; i++)
        if (f->f[i].error && f->f[i].item >= 0)
            want = f->f[i].item;
    if (want < 0 && f->focus_field >= 0 && f->focus_field < f->n && f->f[f->focus_field].item >= 0)
        want = f->f[f->focus_field].item;
    if (want < 0 && ops->focus_next_first)
        want = t->pg.next_item;
    if (want < 0 && (ops->build || ops->focus_list_first)) {
        for (int i = 0; i < t->pg.n && want < 0; i++)
            if (t->pg.it[i].kind == IT_LIST)
                want = i;
    }
    if (want < 0 && f->n > 0)
        for (int i = 0; i < f->n && want < 0; i++)
            if (f->f[i].item >= 0)
                want = f->f[i].item;
    if (want < 0)
        want = t->pg.next_item;
    for (int i = 0; i < f->n; i++)
        if (f->f[i].label_item >= 0)
            tui_draw_field_label(t, i);
    tui_focus(t, want);
    if (f->focus_pos >= 0 && want >= 0 && t->pg.it[want].kind == IT_ENTRY && t->pg.it[want].obj) {
        tui_entry_cursor((CDKENTRY *)t->pg.it[want].obj, f->focus_pos);
        f->focus_pos = -1;
    }
    tui_update_bar(t);
    tui_update_notes(t);
    doupdate();
}

