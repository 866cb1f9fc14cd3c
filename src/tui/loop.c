/* The page engine, the key loop: our own (so that Esc, F1, F10, Ctrl-C, resize and the progress
 * line work everywhere), the actions of the buttons and keys, Next and Back through the flow.
 * The top of the engine: calls modal.c, layout.c, form.c, page.c, keygen.c (Next starts the
 * key generation), flow.c (where Next and Back lead) and text.c. */
#include "config.h"
#include "tui_int.h"
#include "help.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_CTRL_C 3
#define KEY_ESCAPE 27

static void go_next(struct tui *t)
{
    enum k8tls_screen s = t->cur;
    const struct tui_screen *ops = tui_ops(t, s);
    struct form *f = tui_cur_form(t);
    if (t->pg.focus >= 0)
        tui_read_field(t, t->pg.focus);
    free(t->status);
    t->status = NULL;
    tui_form_clear_errors(f);
    int errs = 0;
    errs += tui_form_store(t, f, ops, true);
    /* the plan's validation concerns the wizard's screens only */
    if (!ops->build && t->path == K8TLS_PATH_WIZARD)
        errs += tui_validate_screen(t, s);
    if (errs == 0 && ops->check)
        errs += ops->check(t, f);
    if (t->quit)
        return;
    if (errs) {
        f->focus_field = -1;
        t->rebuild = true;
        return;
    }
    /* the key parameters are known from the CA step on: generate in the background now */
    if (t->path == K8TLS_PATH_WIZARD && ops->starts_keygen)
        tui_keygen_ensure(t->kg, t->plan);
    enum k8tls_screen n = k8tls_flow_next_on(t->path, t->plan, s);
    if (n == K8TLS_SCR_COUNT) {
        t->quit = true;
        return;
    }
    t->cur = n;
    t->rebuild = true;
}

static void do_cancel(struct tui *t);
static void esc_leave(struct tui *t);

static void go_back(struct tui *t)
{
    const struct tui_screen *ops = tui_ops(t, t->cur);
    /* no step back (Welcome, Result): Esc asks to leave */
    if (ops->no_back || k8tls_flow_prev_on(t->path, t->plan, t->cur) == K8TLS_SCR_COUNT) {
        esc_leave(t);
        return;
    }
    if (t->pg.focus >= 0)
        tui_read_field(t, t->pg.focus);
    tui_form_store(t, tui_cur_form(t), ops, false);
    enum k8tls_screen p = k8tls_flow_prev_on(t->path, t->plan, t->cur);
    if (p == K8TLS_SCR_COUNT)
        return;
    free(t->status);
    t->status = NULL;
    t->cur = p;
    t->rebuild = true;
}

static void do_cancel(struct tui *t)
{
    const struct tui_screen *ops = tui_ops(t, t->cur);
    if (ops->no_cancel) {
        t->quit = true;
        return;
    }
    /* after a Write whose apply failed, the directory is there: say so */
    char *q = t->written_dir
                  ? tui_fmt(_("Leave the wizard? %s is written; nothing more will be done."),
                            t->written_dir)
                  : tui_fmt("%s", _("Leave the wizard? Nothing has been written and nothing "
                                    "will be."));
    if (tui_confirm(t, _("Cancel"), q, _("Leave"), _("Stay"))) {
        t->quit = true;
        t->exit_code = 1;
    }
    free(q);
}

/* Esc on a step without Back: the Cancel question; after the end (no Cancel there), whether to
 * leave now */
static void esc_leave(struct tui *t)
{
    const struct tui_screen *ops = tui_ops(t, t->cur);
    if (!ops->no_cancel) {
        do_cancel(t);
        return;
    }
    char *q = t->written_dir
                  ? tui_fmt(_("Leave the wizard? %s is written; nothing more will be done."),
                            t->written_dir)
                  : tui_fmt("%s", _("Leave the wizard? Nothing has been written and nothing "
                                    "will be."));
    if (tui_confirm(t, _("Quit"), q, _("Leave"), _("Stay")))
        t->quit = true;
    free(q);
}

static void show_help(struct tui *t)
{
    const struct tui_screen *ops = tui_ops(t, t->cur);
    const char *step = _(k8tls_flow_screen_title(t->cur));
    /* a field has the focus: its own help (what it sets, what breaks without it), then the
     * step's */
    struct page *pg = &t->pg;
    int fi = pg->focus >= 0 && pg->focus < pg->n ? pg->it[pg->focus].field : -1;
    struct form *f = tui_cur_form(t);
    char *field = fi >= 0 && fi < f->n ? tui_field_help(f->f[fi].path, f->f[fi].label) : NULL;
    char *title = field ? tui_fmt(_("Help: %s (%s)"), _(f->f[fi].label), step)
                        : tui_fmt(_("Help: %s"), step);
    char *text = field ? tui_fmt("%s\n\n%s", field, ops->help ? _(ops->help) : "")
                       : tui_fmt("%s\n\n%s", ops->help ? _(ops->help) : "",
                                 _("Keys: Tab and Shift-Tab move between fields, Left/Right or "
                                   "Space change a choice, Enter selects a button, Esc goes "
                                   "back, F10 goes to the next step, Ctrl-C cancels."));
    tui_message(t, title, text);
    free(text);
    free(title);
    free(field);
}

static void do_browse(struct tui *t, int button)
{
    int fi = t->pg.it[button].field;
    struct form *f = tui_cur_form(t);
    if (fi < 0)
        return;
    struct field *fd = &f->f[fi];
    bool want_dir = fd->path && strcmp(fd->path, "output.directory") == 0;
    char *title = tui_fmt(want_dir ? _("Choose a directory: %s") : _("Choose a file: %s"),
                          _(fd->label));
    char *p = tui_choose_file(t, title, fd->value, want_dir);
    free(title);
    if (p) {
        tui_set_str(&fd->value, p);
        free(p);
        const struct tui_screen *ops = tui_ops(t, t->cur);
        tui_form_store(t, f, ops, false);
    }
    f->focus_field = fi;
    t->rebuild = true;
}

static void do_action(struct tui *t, enum action a, int item)
{
    switch (a) {
    case ACT_NEXT:
        go_next(t);
        break;
    case ACT_BACK:
        go_back(t);
        break;
    case ACT_CANCEL:
        do_cancel(t);
        break;
    case ACT_HELP:
        show_help(t);
        break;
    case ACT_BROWSE:
        do_browse(t, item);
        break;
    case ACT_QUIT:
        t->quit = true;
        break;
    default:
        break;
    }
}

/* the focusable item after the current field, or the Next button after the last field */
static int after_field(struct tui *t)
{
    int i = t->pg.focus;
    for (int k = i + 1; k < t->pg.n; k++) {
        struct item *it = &t->pg.it[k];
        if (it->focusable && it->kind != IT_BUTTON && it->field >= 0)
            return k;
    }
    return t->pg.next_item >= 0 ? t->pg.next_item : tui_focus_step(t, i, 1, 0, t->pg.n);
}

/* like Tab but only over the fields' widgets (Up/Down) */
static int field_step(struct tui *t, int dir)
{
    int i = t->pg.focus;
    for (int k = i + dir; k >= 0 && k < t->pg.n; k += dir) {
        struct item *it = &t->pg.it[k];
        if (it->focusable && it->kind != IT_BUTTON)
            return k;
    }
    return dir > 0 ? (t->pg.next_item >= 0 ? t->pg.next_item : i) : i;
}

/* F_MULTI: Space selects or unselects the entry under the cursor (the order of selection is
 * kept: the first one chosen is the first); Up/Down move, and leave the list at its ends. */
static void multi_key(struct tui *t, int item, int k)
{
    struct form *f = tui_cur_form(t);
    int fi = t->pg.it[item].field;
    struct field *fd = &f->f[fi];
    CDKSCROLL *sc = (CDKSCROLL *)t->pg.it[item].obj;
    int cur = getCDKScrollCurrentItem(sc);
    if (k == ' ' || k == 'x') {
        if (cur < 0 || cur >= fd->n_items)
            return;
        int pos = -1;
        for (int i = 0; i < fd->n_sel; i++)
            if (fd->sel[i] == cur)
                pos = i;
        if (pos >= 0) {
            memmove(fd->sel + pos, fd->sel + pos + 1, (size_t)(fd->n_sel - pos - 1) * sizeof *fd->sel);
            fd->n_sel--;
        } else {
            int *v = realloc(fd->sel, (size_t)(fd->n_sel + 1) * sizeof *v);
            if (!v)
                return;
            fd->sel = v;
            v[fd->n_sel++] = cur;
        }
        fd->choice = cur;
        free(fd->error);
        fd->error = NULL;
        free(t->status);
        t->status = NULL;
        const struct tui_screen *ops = tui_ops(t, t->cur);
        tui_form_store(t, f, ops, false);
        f->focus_field = fi;
        t->rebuild = true;
        return;
    }
    if (k == KEY_ENTER) {
        tui_focus(t, after_field(t));
    } else if (k == KEY_UP && cur <= 0) {
        tui_focus(t, field_step(t, -1));
    } else if (k == KEY_DOWN && cur >= fd->n_items - 1) {
        tui_focus(t, field_step(t, 1));
    } else if (k == '?') {
        do_action(t, ACT_HELP, -1);
    } else if (k < KEY_MAX) {
        InjectObj(t->pg.it[item].obj, (chtype)k);
        fd->choice = getCDKScrollCurrentItem(sc);
    }
}

static void handle_key(struct tui *t, int k)
{
    struct page *pg = &t->pg;
    const struct tui_screen *ops = tui_ops(t, t->cur);
    switch (k) {
    case '\r':
    case '\n':
        k = KEY_ENTER;
        break;
    case '\t':
        k = KEY_TAB;
        break;
    case 0x7f:
    case 8:
        k = KEY_BACKSPACE;
        break;
    default:
        break;
    }
    switch (k) {
    case KEY_CTRL_C:
        do_action(t, ACT_CANCEL, -1);
        return;
    case KEY_F(10):
        do_action(t, ACT_NEXT, -1);
        return;
    case KEY_ESCAPE:
        do_action(t, ACT_BACK, -1);
        return;
    case KEY_F(1):
        do_action(t, ACT_HELP, -1);
        return;
    case KEY_TAB:
        tui_focus(t, tui_focus_step(t, pg->focus, 1, 0, pg->n));
        return;
    case KEY_BTAB:
        tui_focus(t, tui_focus_step(t, pg->focus, -1, 0, pg->n));
        return;
    default:
        break;
    }
    if (ops->key && ops->key(t, pg, k))
        return;
    /* a message area longer than its rows scrolls */
    if ((k == KEY_NPAGE || k == KEY_PPAGE) && tui_notes_scroll(t, k == KEY_NPAGE ? 1 : -1))
        return;
    if (pg->focus < 0) {
        if (k == '?')
            do_action(t, ACT_HELP, -1);
        return;
    }
    struct item *it = &pg->it[pg->focus];
    switch (it->kind) {
    case IT_BUTTON:
        if (k == KEY_ENTER || k == ' ')
            do_action(t, it->action, pg->focus);
        else if (k == KEY_LEFT || k == KEY_UP)
            tui_focus(t, tui_focus_step(t, pg->focus, -1, 0, pg->n));
        else if (k == KEY_RIGHT || k == KEY_DOWN)
            tui_focus(t, tui_focus_step(t, pg->focus, 1, 0, pg->n));
        else if (k == '?')
            do_action(t, ACT_HELP, -1);
        return;
    case IT_ENTRY:
        if (k == KEY_ENTER) {
            tui_field_changed(t, pg->focus);
            if (!t->rebuild)
                tui_focus(t, after_field(t));
        } else if (k == KEY_UP) {
            tui_focus(t, field_step(t, -1));
        } else if (k == KEY_DOWN) {
            tui_focus(t, field_step(t, 1));
        } else if (tui_entry_key(t, pg->focus, k)) {
            tui_field_changed(t, pg->focus);
        }
        if (!t->rebuild)
            tui_draw_overflow(t);
        return;
    case IT_CHOICE:
        if (k == KEY_ENTER) {
            tui_focus(t, after_field(t));
        } else if (k == KEY_UP) {
            tui_focus(t, field_step(t, -1));
        } else if (k == KEY_DOWN) {
            tui_focus(t, field_step(t, 1));
        } else if (k == '?') {
            do_action(t, ACT_HELP, -1);
        } else if (k == KEY_LEFT || k == KEY_RIGHT || k == ' ' || k == '+' || k == '-') {
            InjectObj(it->obj, (chtype)k);
            tui_field_changed(t, pg->focus);
        }
        return;
    case IT_LIST:
        if (it->field >= 0 && tui_cur_form(t)->f[it->field].kind == F_MULTI) {
            multi_key(t, pg->focus, k);
            return;
        }
        if (k == KEY_ENTER)
            tui_focus(t, pg->next_item >= 0 ? pg->next_item : pg->focus);
        else if (k == '?')
            do_action(t, ACT_HELP, -1);
        else if (k < KEY_MAX)
            InjectObj(it->obj, (chtype)k);
        return;
    default:
        return;
    }
}

int tui_loop(struct tui *t)
{
    t->rebuild = true;
    while (!t->quit) {
        if (t->rebuild) {
            t->rebuild = false;
            tui_build_page(t);
            continue;
        }
        WINDOW *w = stdscr;
        if (!t->pg.small && t->pg.focus >= 0)
            w = InputWindowOf(t->pg.it[t->pg.focus].obj);
        keypad(w, TRUE);
        wtimeout(w, 100);
        tui_place_cursor(t);
        int k = wgetch(w);
        if (k == ERR) {
            if (!t->pg.small)
                tui_tick(t);
            continue;
        }
        /* an unknown key's escape sequence is dropped whole: it is not Esc (Back) */
        if (k == KEY_ESCAPE && tui_esc_sequence(w))
            continue;
        if (k == KEY_RESIZE) {
            if (!t->pg.small && t->pg.focus >= 0)
                tui_read_field(t, t->pg.focus);
            t->rebuild = true;
            continue;
        }
        if (t->pg.small) {
            if (k == KEY_CTRL_C) {
                t->quit = true;
                t->exit_code = 1;
            }
            continue;
        }
        handle_key(t, k);
        if (!t->rebuild && !t->quit)
            tui_update_bar(t);
    }
    tui_page_clear(t);
    return t->exit_code;
}

