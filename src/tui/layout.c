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

static void add_title_and_bars(struct tui *t, bool with_progress)
{
    int total = 0;
    int step = k8tls_flow_step_on(t->path, t->plan, t->cur, &total);
    char *title = tui_fmt(_(" k8tls-wizard  -  step %d of %d: %s"), step, total,
                          _(k8tls_flow_screen_title(t->cur)));
    const char *v[1] = {title};
    tui_add_label(t, 0, 0, COLS, 1, v, 1, K8TLS_ROLE_TITLE);
    free(title);
    const char *helps[3] = {
        _(" Tab/S-Tab: move  Enter: select  Esc: back  F1/?: help  F10: next  Ctrl-C: cancel"),
        _(" Tab/S-Tab move  Enter select  Esc back  F1/? help  F10 next  Ctrl-C cancel"),
        _(" Tab  Enter  Esc:back  F1:help  F10:next  Ctrl-C:cancel")};
    /* the screen's own keys first, with the longest general text that still fits */
    const struct tui_screen *ops = tui_ops(t, t->cur);
    const char *own = ops && ops->bar_keys ? _(ops->bar_keys) : NULL;
    char *bar = NULL;
    for (int i = 0; i < 3 && !bar; i++) {
        char *c = own ? tui_fmt(" %s %s", own, helps[i]) : tui_fmt("%s", helps[i]);
        if ((int)strlen(c) <= COLS || i == 2)
            bar = c;
        else
            free(c);
    }
    const char *h[1] = {bar};
    tui_add_label(t, 0, LINES - 1, COLS, 1, h, 1, K8TLS_ROLE_HELP_BAR);
    free(bar);
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
    if (want < 0 && ops->build) {
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
    tui_update_notes(t);
    doupdate();
}

