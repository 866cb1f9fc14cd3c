/* The page engine on CDK: builds a screen's widgets from its form, runs the key loop (our own, so
 * that Esc, F1, F10, Ctrl-C, resize and the progress line work everywhere), modal dialogs. */
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
#define KEY_CTRL_C 3
#define KEY_ESCAPE 27

/* ---- small helpers ---------------------------------------------------------------------- */

void tui_set_status(struct tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    free(t->status);
    t->status = s;
}

/* role markup around escaped plain text */
static char *styled(enum k8tls_role r, const char *plain)
{
    char *e = tui_escape(plain);
    char *s = tui_fmt("%s%s%s", tui_mk(r), e ? e : "", tui_mk_end(r));
    free(e);
    return s;
}

/* ---- items ------------------------------------------------------------------------------ */

static int add_item(struct tui *t, enum item_kind k, CDKOBJS *obj, bool focusable)
{
    struct page *pg = &t->pg;
    if (!obj || pg->n >= TUI_MAX_ITEMS) {
        if (obj)
            _destroyCDKObject(obj);
        return -1;
    }
    struct item *it = &pg->it[pg->n];
    memset(it, 0, sizeof *it);
    it->kind = k;
    it->obj = obj;
    it->focusable = focusable;
    it->field = -1;
    SetBackAttrObj(obj, tui_attr(K8TLS_ROLE_TEXT));
    return pg->n++;
}

static void destroy_items_from(struct tui *t, int from)
{
    struct page *pg = &t->pg;
    for (int i = pg->n - 1; i >= from; i--) {
        if (pg->it[i].obj)
            _destroyCDKObject(pg->it[i].obj);
        free(pg->it[i].text);
        memset(&pg->it[i], 0, sizeof pg->it[i]);
    }
    if (pg->n > from)
        pg->n = from;
    if (pg->focus >= pg->n)
        pg->focus = -1;
}

void tui_page_clear(struct tui *t)
{
    destroy_items_from(t, 0);
    t->pg.n = 0;
    t->pg.focus = -1;
    t->pg.notes_item = -1;
    t->pg.progress_item = -1;
    t->pg.next_item = -1;
    t->pg.modal_base = 0;
    t->pg.small = false;
    for (int s = 0; s < K8TLS_SCR_COUNT; s++)
        for (int i = 0; i < t->forms[s].n; i++)
            t->forms[s].f[i].item = t->forms[s].f[i].label_item = -1;
}

int tui_add_label(struct tui *t, int x, int y, int width, int rows, const char *const *lines,
                  int n, enum k8tls_role role)
{
    if (rows < 1)
        rows = 1;
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (!mk)
        return -1;
    for (int i = 0; i < rows; i++) {
        char *f = tui_fit(i < n && lines[i] ? lines[i] : "", width);
        mk[i] = styled(role, f);
        free(f);
    }
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)mk, rows, FALSE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    int id = add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
    if (id >= 0) {
        t->pg.it[id].width = width;
        t->pg.it[id].rows = rows;
    }
    return id;
}

/* Replaces a label's text; lines already carry markup when role < 0. */
static void set_label_markup(struct tui *t, int item, char **mk, int n)
{
    if (item < 0)
        return;
    struct item *it = &t->pg.it[item];
    setCDKLabelMessage((CDKLABEL *)it->obj, (CDK_CSTRING2)mk, n);
}

void tui_set_label(struct tui *t, int item, const char *const *lines, int n, enum k8tls_role role)
{
    if (item < 0)
        return;
    struct item *it = &t->pg.it[item];
    char **mk = calloc((size_t)it->rows, sizeof *mk);
    if (!mk)
        return;
    for (int i = 0; i < it->rows; i++) {
        char *f = tui_fit(i < n && lines[i] ? lines[i] : "", it->width);
        mk[i] = styled(role, f);
        free(f);
    }
    set_label_markup(t, item, mk, it->rows);
    tui_free_lines(mk, it->rows);
    free(mk);
}

static void draw_button(struct tui *t, int item)
{
    struct item *it = &t->pg.it[item];
    bool focused = t->pg.focus == item;
    char *plain = focused ? tui_fmt("[>%s<]", it->text) : tui_fmt("[ %s ]", it->text);
    char *mk = styled(focused ? K8TLS_ROLE_FOCUSED_BUTTON : K8TLS_ROLE_BUTTON, plain);
    char *v[1] = {mk};
    set_label_markup(t, item, v, 1);
    free(mk);
    free(plain);
}

int tui_add_button(struct tui *t, int x, int y, const char *caption, enum action a)
{
    char *plain = tui_fmt("[ %s ]", caption);
    char *mk = styled(K8TLS_ROLE_BUTTON, plain);
    const char *v[1] = {mk};
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)v, 1, FALSE, FALSE);
    free(mk);
    int w = (int)strlen(plain);
    free(plain);
    int id = add_item(t, IT_BUTTON, l ? ObjOf(l) : NULL, true);
    if (id >= 0) {
        t->pg.it[id].action = a;
        t->pg.it[id].text = strdup(caption);
        t->pg.it[id].width = w;
        t->pg.it[id].rows = 1;
    }
    return id;
}

int tui_add_list(struct tui *t, int x, int y, int w, int h, const char *title,
                 const char *const *rows, int n)
{
    const char *empty[1] = {""};
    if (n <= 0) {
        rows = empty;
        n = 1;
    }
    char *ti = title ? styled(K8TLS_ROLE_TITLE, title) : NULL;
    CDKSCROLL *s = newCDKScroll(t->cdk, x, y, NONE, h, w, ti, (CDK_CSTRING2)rows, n, FALSE,
                                tui_attr(K8TLS_ROLE_FOCUSED_FIELD) | A_REVERSE, TRUE, FALSE);
    free(ti);
    int id = add_item(t, IT_LIST, s ? ObjOf(s) : NULL, true);
    if (id >= 0) {
        t->pg.it[id].width = w;
        t->pg.it[id].rows = h;
    }
    return id;
}

/* ---- focus ------------------------------------------------------------------------------ */

static struct form *cur_form(struct tui *t)
{
    return &t->forms[t->cur];
}

static void draw_field_label(struct tui *t, int fi)
{
    struct form *f = cur_form(t);
    struct field *fd = &f->f[fi];
    if (fd->label_item < 0 || t->pg.modal_base)
        return;
    bool focused = t->pg.focus >= 0 && t->pg.it[t->pg.focus].field == fi &&
                   t->pg.it[t->pg.focus].kind != IT_BUTTON;
    /* TRANSLATORS: a field's label followed by its value, e.g. "Cluster name:" */
    char *text = tui_fmt(_("%s:"), _(fd->label));
    char *body = tui_fit(text, t->pg.label_w - 2);
    char *e_body = tui_escape(body);
    char *mk = tui_fmt("%s%s%s%s%s%s%s", focused ? tui_mk(K8TLS_ROLE_FOCUSED_FIELD) : "",
                       focused ? ">" : " ", focused ? tui_mk_end(K8TLS_ROLE_FOCUSED_FIELD) : "",
                       fd->error ? tui_mk(K8TLS_ROLE_ERROR) : "", fd->error ? "!" : " ",
                       fd->error ? tui_mk_end(K8TLS_ROLE_ERROR) : "", "");
    char *all = tui_fmt("%s%s%s%s", mk,
                        focused ? tui_mk(K8TLS_ROLE_FOCUSED_FIELD) : tui_mk(K8TLS_ROLE_TEXT),
                        e_body,
                        focused ? tui_mk_end(K8TLS_ROLE_FOCUSED_FIELD) : tui_mk_end(K8TLS_ROLE_TEXT));
    char *v[1] = {all};
    set_label_markup(t, fd->label_item, v, 1);
    free(all);
    free(mk);
    free(e_body);
    free(body);
    free(text);
}

static void update_notes(struct tui *t);

void tui_focus(struct tui *t, int item)
{
    struct page *pg = &t->pg;
    int old = pg->focus;
    if (old >= 0 && old < pg->n) {
        struct item *o = &pg->it[old];
        o->obj->hasFocus = FALSE;
        if (o->kind == IT_BUTTON) {
            pg->focus = -1;
            draw_button(t, old);
        } else if (o->kind != IT_LABEL) {
            UnfocusObj(o->obj);
        }
    }
    pg->focus = item;
    if (item < 0 || item >= pg->n)
        return;
    struct item *it = &pg->it[item];
    it->obj->hasFocus = TRUE;
    if (old >= 0 && old < pg->n && pg->it[old].field >= 0 && pg->it[old].kind != IT_BUTTON)
        draw_field_label(t, pg->it[old].field);
    if (it->kind == IT_BUTTON)
        draw_button(t, item);
    else
        FocusObj(it->obj);
    if (it->field >= 0 && it->kind != IT_BUTTON) {
        draw_field_label(t, it->field);
        cur_form(t)->focus_field = it->field;
    }
    curs_set(it->kind == IT_ENTRY ? 1 : 0);
    update_notes(t);
}

static int focus_step(struct tui *t, int from, int dir, int lo, int hi)
{
    int n = hi - lo;
    if (n <= 0)
        return -1;
    int i = from < lo || from >= hi ? (dir > 0 ? hi - 1 : lo) : from;
    for (int k = 0; k < n; k++) {
        i = lo + ((i - lo + dir) % n + n) % n;
        if (t->pg.it[i].focusable)
            return i;
    }
    return -1;
}

/* ---- the notes line(s) and the progress line -------------------------------------------- */

char *tui_progress_text(struct tui *t)
{
    int done = 0, total = 0;
    char label[32];
    if (t->path != K8TLS_PATH_WIZARD)
        return strdup("");
    enum kg_state st = tui_keygen_state(t->kg, &done, &total, label, sizeof label);
    switch (st) {
    case KG_RUNNING:
        if (total > 0)
            return tui_fmt(_("Keys: generating in the background (%d of %d done%s%s)..."), done,
                           total, *label ? ", " : "", label);
        return tui_fmt("%s", _("Keys: generating in the background..."));
    case KG_READY:
        return tui_fmt("%s", _("Keys: ready"));
    case KG_FAILED:
        return tui_fmt("%s", _("Keys: failed (the Review step lists the problems)"));
    default:
        return strdup("");
    }
}

static void update_progress(struct tui *t)
{
    if (t->pg.progress_item < 0 || t->pg.modal_base)
        return;
    char *s = tui_progress_text(t);
    const char *v[1] = {s};
    tui_set_label(t, t->pg.progress_item, v, 1, K8TLS_ROLE_TEXT);
    free(s);
}

static void update_notes(struct tui *t)
{
    struct page *pg = &t->pg;
    if (pg->notes_item < 0 || pg->modal_base)
        return;
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    struct form *f = cur_form(t);
    int rows = pg->it[pg->notes_item].rows;
    int width = pg->it[pg->notes_item].width;
    char *plain[32];
    enum k8tls_role roles[32];
    int n = 0;
    char *wrapped[8];
#define PUSH(role, text)                                                                       \
    do {                                                                                       \
        int w_ = tui_wrap((text), width, wrapped, 8);                                         \
        for (int k_ = 0; k_ < w_; k_++) {                                                      \
            if (n < 32) {                                                                      \
                roles[n] = (role);                                                             \
                plain[n++] = wrapped[k_];                                                      \
            } else                                                                             \
                free(wrapped[k_]);                                                             \
        }                                                                                      \
    } while (0)
    if (t->status && *t->status)
        PUSH(K8TLS_ROLE_WARNING, t->status);
    if (f->general_error) {
        char *s = tui_fmt(_("Error: %s"), f->general_error);
        PUSH(K8TLS_ROLE_ERROR, s);
        free(s);
    }
    /* the focused field's error in full, then the other fields' errors */
    int ff = pg->focus >= 0 ? pg->it[pg->focus].field : -1;
    if (ff >= 0 && ff < f->n && f->f[ff].error) {
        char *s = tui_fmt(_("Error: %s: %s"), _(f->f[ff].label), f->f[ff].error);
        PUSH(K8TLS_ROLE_ERROR, s);
        free(s);
    }
    for (int i = 0; i < f->n; i++) {
        if (i == ff || !f->f[i].error || f->f[i].hidden)
            continue;
        char *s = tui_fmt(_("Error: %s: %s"), _(f->f[i].label), f->f[i].error);
        PUSH(K8TLS_ROLE_ERROR, s);
        free(s);
    }
    if (ops && ops->notes) {
        char *extra[16];
        int m = 0;
        ops->notes(t, f, extra, 16, &m);
        for (int i = 0; i < m; i++) {
            enum k8tls_role r = K8TLS_ROLE_TEXT;
            if (strncmp(extra[i], "!W", 2) == 0)
                r = K8TLS_ROLE_WARNING;
            else if (strncmp(extra[i], "!E", 2) == 0)
                r = K8TLS_ROLE_ERROR;
            PUSH(r, extra[i] + (extra[i][0] == '!' ? 2 : 0));
            free(extra[i]);
        }
    }
    if (ff >= 0 && ff < f->n && f->f[ff].hint)
        PUSH(K8TLS_ROLE_TEXT, _(f->f[ff].hint));
#undef PUSH
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (mk) {
        for (int i = 0; i < rows; i++) {
            char *ft = tui_fit(i < n ? plain[i] : "", width);
            mk[i] = styled(i < n ? roles[i] : K8TLS_ROLE_TEXT, ft);
            free(ft);
        }
        set_label_markup(t, pg->notes_item, mk, rows);
        tui_free_lines(mk, rows);
        free(mk);
    }
    tui_free_lines(plain, n);
}

/* ---- building a page -------------------------------------------------------------------- */

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
    const struct screen_ops *ops = tui_screen_ops(t->cur);
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
        update_progress(t);
    }
}

static void add_buttons(struct tui *t, const struct screen_ops *ops)
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

static void build_form(struct tui *t, const struct screen_ops *ops)
{
    struct form *f = cur_form(t);
    if (ops->sync)
        ops->sync(t, f);
    int top = 2;
    int bottom = LINES - 4; /* first row that fields may not use (notes need >= 1 row) */
    int visible = 0, errs = 0, lw = 0;
    for (int i = 0; i < f->n; i++) {
        if (f->f[i].hidden)
            continue;
        visible++;
        errs += f->f[i].error != NULL;
        char *lt = tui_fmt(_("%s:"), _(f->f[i].label));
        int l = (int)strlen(lt);
        free(lt);
        if (l > lw)
            lw = l;
    }
    lw += 3;
    if (lw > COLS / 2)
        lw = COLS / 2;
    t->pg.label_w = lw;
    /* the intro only when the fields, their errors and two rows of notes still fit */
    char *lines[3];
    int n = ops->intro ? tui_wrap(_(ops->intro), COLS - 4, lines, 3) : 0;
    bool intro = n > 0 && top + n + 1 + visible + errs + 1 + 2 <= LINES - 3;
    if (!intro)
        tui_free_lines(lines, n);
    if (intro) {
        tui_add_label(t, 2, top, COLS - 4, n, (const char *const *)lines, n, K8TLS_ROLE_TEXT);
        top += n + 1;
        tui_free_lines(lines, n);
    }
    if (ops->header) {
        /* the fields, their errors and five rows of notes below */
        int room = bottom - top - visible - errs - 6;
        if (room < 3)
            room = 3;
        int used = ops->header(t, top, room);
        if (used > 0)
            top += used + 1;
    }
    bool err_rows = visible + errs <= bottom - top;
    int y = top;
    int ex = 2 + lw;
    int ew = COLS - ex - 2;
    if (ew > 56)
        ew = 56;
    for (int i = 0; i < f->n; i++) {
        struct field *fd = &f->f[i];
        if (fd->hidden || y >= bottom)
            continue;
        const char *e[1] = {""};
        fd->label_item = tui_add_label(t, 2, y, lw, 1, e, 1, K8TLS_ROLE_TEXT);
        int id = -1;
        if (fd->kind == F_MULTI) {
            int h = fd->n_items < 1 ? 1 : fd->n_items > 4 ? 4 : fd->n_items;
            if (y + h > bottom)
                h = bottom - y > 1 ? bottom - y : 1;
            char **rows = calloc((size_t)(fd->n_items > 0 ? fd->n_items : 1), sizeof *rows);
            int nr = 0;
            for (int c = 0; rows && c < fd->n_items; c++) {
                int pos = -1;
                for (int k = 0; k < fd->n_sel; k++)
                    if (fd->sel[k] == c)
                        pos = k;
                char mark[16];
                if (pos >= 0)
                    snprintf(mark, sizeof mark, "[%d]", pos + 1);
                else
                    snprintf(mark, sizeof mark, "[ ]");
                char *plain = tui_fmt("%s %s%s", mark, fd->items[c],
                                      c == fd->current_item ? _("  (current)") : "");
                rows[nr++] = tui_escape(plain);
                free(plain);
            }
            /* no box: one row per entry, beside the label */
            const char *empty[1] = {""};
            CDKSCROLL *sc = newCDKScroll(t->cdk, ex, y, NONE, h, ew, NULL,
                                         nr ? (CDK_CSTRING2)rows : (CDK_CSTRING2)empty,
                                         nr ? nr : 1, FALSE,
                                         tui_attr(K8TLS_ROLE_FOCUSED_FIELD) | A_REVERSE, FALSE,
                                         FALSE);
            id = add_item(t, IT_LIST, sc ? ObjOf(sc) : NULL, true);
            if (id >= 0) {
                t->pg.it[id].width = ew;
                t->pg.it[id].rows = h;
            }
            tui_free_lines(rows, nr);
            free(rows);
            if (id >= 0 && fd->choice > 0 && fd->choice < fd->n_items)
                setCDKScrollCurrentItem((CDKSCROLL *)t->pg.it[id].obj, fd->choice);
            y += h - 1;
        } else if (fd->kind == F_CHOICE) {
            char *items[16];
            int n = fd->n_choices < 16 ? fd->n_choices : 16;
            int wmax = 0;
            for (int c = 0; c < n; c++) {
                int l = (int)strlen(_(fd->choices[c]));
                if (l > wmax)
                    wmax = l;
            }
            for (int c = 0; c < n; c++) {
                char *padded = tui_fit(_(fd->choices[c]), wmax);
                char *esc = tui_escape(padded);
                items[c] = tui_fmt("< %s >", esc);
                free(esc);
                free(padded);
            }
            int ch = fd->choice >= 0 && fd->choice < n ? fd->choice : 0;
            CDKITEMLIST *il = newCDKItemlist(t->cdk, ex, y, NULL, NULL, (CDK_CSTRING2)items, n,
                                             ch, FALSE, FALSE);
            tui_free_lines(items, n);
            id = add_item(t, IT_CHOICE, il ? ObjOf(il) : NULL, true);
        } else {
            int w = ew;
            if (fd->kind == F_PATH)
                w -= (int)strlen(_("Browse")) + 5;
            if (w < 8)
                w = 8;
            EDisplayType dt = vMIXED;
            if (fd->kind == F_PASSWORD && !(fd->value && (strncmp(fd->value, "env:", 4) == 0 ||
                                                          strncmp(fd->value, "file:", 5) == 0)))
                dt = vHMIXED;
            chtype fa = tui_attr(K8TLS_ROLE_FIELD);
            CDKENTRY *en = newCDKEntry(t->cdk, ex, y, NULL, NULL, fa, ' ' | fa, dt, w, 0, 1024,
                                       FALSE, FALSE);
            if (en) {
                setCDKEntryHiddenChar(en, '*' | fa);
                setCDKEntryValue(en, fd->value ? fd->value : "");
            }
            id = add_item(t, IT_ENTRY, en ? ObjOf(en) : NULL, true);
            if (id >= 0 && fd->kind == F_PATH) {
                int b = tui_add_button(t, ex + w + 2, y, _("Browse"), ACT_BROWSE);
                if (b >= 0)
                    t->pg.it[b].field = i;
            }
        }
        if (id >= 0) {
            t->pg.it[id].field = i;
            fd->item = id;
        }
        y++;
        if (fd->error && err_rows && y < bottom) {
            char *msg = tui_fmt("! %s", fd->error);
            const char *v[1] = {msg};
            tui_add_label(t, ex, y, COLS - ex - 2, 1, v, 1, K8TLS_ROLE_ERROR);
            free(msg);
            y++;
        }
    }
    int notes_top = y + 1 < LINES - 4 ? y + 1 : LINES - 4;
    int rows = LINES - 3 - notes_top;
    if (rows < 1)
        rows = 1;
    const char *e[1] = {""};
    t->pg.notes_item = tui_add_label(t, 2, notes_top, COLS - 4, rows, e, 1, K8TLS_ROLE_TEXT);
}

static void build_page(struct tui *t)
{
    tui_page_clear(t);
    wbkgdset(stdscr, tui_attr(K8TLS_ROLE_TEXT));
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (COLS < MIN_COLS || LINES < MIN_LINES) {
        build_small(t);
        return;
    }
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    tui_form_ensure(t, t->cur);
    add_title_and_bars(t, true);
    if (ops->build) {
        ops->build(t, &t->pg, 2, LINES - 4);
        if (t->pg.notes_item < 0) {
            const char *e[1] = {""};
            t->pg.notes_item = tui_add_label(t, 2, LINES - 4, COLS - 4, 1, e, 1, K8TLS_ROLE_TEXT);
        }
    } else {
        build_form(t, ops);
    }
    add_buttons(t, ops);
    refreshCDKScreen(t->cdk);
    for (int i = 0; i < t->pg.n; i++)
        if (t->pg.it[i].kind == IT_BUTTON)
            draw_button(t, i);
    /* initial focus: the first field with an error, the remembered field, the custom widget,
     * else the Next button */
    struct form *f = cur_form(t);
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
            draw_field_label(t, i);
    tui_focus(t, want);
    update_notes(t);
    doupdate();
}

/* ---- values from the widgets ------------------------------------------------------------ */

/* Reads the focused widget's value into its field; returns true when it changed. */
static bool read_field(struct tui *t, int item)
{
    struct item *it = &t->pg.it[item];
    if (it->field < 0 || it->kind == IT_BUTTON)
        return false;
    struct field *fd = &cur_form(t)->f[it->field];
    if (it->kind == IT_ENTRY) {
        const char *v = getCDKEntryValue((CDKENTRY *)it->obj);
        if (!v)
            v = "";
        if (fd->value && strcmp(fd->value, v) == 0)
            return false;
        if (fd->kind == F_PASSWORD && fd->value)
            memset(fd->value, 0, strlen(fd->value));
        tui_set_str(&fd->value, v);
        return true;
    }
    if (it->kind == IT_LIST) {
        /* F_MULTI: only the cursor; the selection changes with Space */
        fd->choice = getCDKScrollCurrentItem((CDKSCROLL *)it->obj);
        return false;
    }
    if (it->kind == IT_CHOICE) {
        int c = getCDKItemlistCurrentItem((CDKITEMLIST *)it->obj);
        if (c == fd->choice)
            return false;
        fd->choice = c;
        return true;
    }
    return false;
}

static void field_changed(struct tui *t, int item)
{
    if (!read_field(t, item))
        return;
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    struct form *f = cur_form(t);
    int fi = t->pg.it[item].field;
    struct field *fd = &f->f[fi];
    /* the error beside a field goes once the user edits it */
    if (fd->error) {
        free(fd->error);
        fd->error = NULL;
        draw_field_label(t, fi);
    }
    free(t->status);
    t->status = NULL;
    if (ops->store)
        ops->store(t, f, false);
    if (fd->relayout) {
        f->focus_field = fi;
        t->rebuild = true;
        return;
    }
    if (fd->kind == F_PASSWORD) {
        CDKENTRY *en = (CDKENTRY *)t->pg.it[item].obj;
        bool ref = fd->value && (strncmp(fd->value, "env:", 4) == 0 ||
                                 strncmp(fd->value, "file:", 5) == 0);
        EDisplayType want = ref ? vMIXED : vHMIXED;
        if (en->dispType != want) {
            en->dispType = want;
            drawCDKEntry(en, FALSE);
            FocusObj(ObjOf(en));
        }
    }
    update_notes(t);
}

/* ---- modal dialogs ---------------------------------------------------------------------- */

static void tick(struct tui *t);

static void build_page(struct tui *t);

/* Removes a modal (items from base on) and draws the page again with its focus. */
static void modal_close(struct tui *t, int base, int saved_focus)
{
    t->pg.focus = -1;
    t->pg.modal_base = 0;
    destroy_items_from(t, base);
    if (!t->rebuild) {
        wbkgdset(stdscr, tui_attr(K8TLS_ROLE_TEXT));
        werase(stdscr);
        wnoutrefresh(stdscr);
        refreshCDKScreen(t->cdk);
        for (int i = 0; i < t->pg.n; i++)
            if (t->pg.it[i].kind == IT_BUTTON)
                draw_button(t, i);
        for (int i = 0; i < cur_form(t)->n; i++)
            if (cur_form(t)->f[i].label_item >= 0)
                draw_field_label(t, i);
        tui_focus(t, saved_focus);
        doupdate();
    }
}

/* Runs a modal over the page: items from base on; returns the chosen button's index among the
 * modal's buttons (0..), or -1 (Esc, Ctrl-C, resize). */
static int modal_run(struct tui *t, int base, int first_focus, bool any_key_closes)
{
    int saved_focus = t->pg.focus;
    t->pg.focus = -1;
    t->pg.modal_base = base;
    refreshCDKScreen(t->cdk);
    for (int i = base; i < t->pg.n; i++)
        if (t->pg.it[i].kind == IT_BUTTON && i != first_focus)
            draw_button(t, i);
    tui_focus(t, first_focus);
    int result = -2;
    while (result == -2) {
        WINDOW *w = InputWindowOf(t->pg.it[t->pg.focus].obj);
        wtimeout(w, 100);
        int k = wgetch(w);
        if (k == ERR) {
            tick(t);
            continue;
        }
        if (k == KEY_RESIZE) {
            t->rebuild = true;
            result = -1;
            break;
        }
        if (any_key_closes) {
            result = -1;
            break;
        }
        switch (k) {
        case KEY_CTRL_C:
        case KEY_ESCAPE:
            result = -1;
            break;
        case '\t':
        case KEY_RIGHT:
        case KEY_DOWN:
            tui_focus(t, focus_step(t, t->pg.focus, 1, base, t->pg.n));
            break;
        case KEY_BTAB:
        case KEY_LEFT:
        case KEY_UP:
            tui_focus(t, focus_step(t, t->pg.focus, -1, base, t->pg.n));
            break;
        case '\r':
        case '\n':
        case KEY_ENTER:
        case ' ': {
            int idx = 0;
            for (int i = base; i < t->pg.focus; i++)
                idx += t->pg.it[i].kind == IT_BUTTON;
            result = idx;
            break;
        }
        default:
            break;
        }
    }
    modal_close(t, base, saved_focus);
    return result;
}

/* ---- work in the background: the waiting panel, the text viewer ------------------------- */

/* The panel: a boxed label (title, the job's last lines, progress, a hint); returns its item. */
static int job_panel(struct tui *t, int *rows_out, int *w_out)
{
    int w = COLS - 6 < 96 ? COLS - 6 : 96;
    int rows = LINES - 8 < 18 ? LINES - 8 : 18;
    if (rows < 6)
        rows = 6;
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (!mk)
        return -1;
    for (int i = 0; i < rows; i++) {
        char *ft = tui_fit("", w - 2);
        mk[i] = styled(K8TLS_ROLE_TEXT, ft);
        free(ft);
    }
    CDKLABEL *l = newCDKLabel(t->cdk, (COLS - w) / 2, (LINES - rows - 2) / 2, (CDK_CSTRING2)mk,
                              rows, TRUE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    int id = add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
    if (id >= 0) {
        t->pg.it[id].width = w - 2;
        t->pg.it[id].rows = rows;
    }
    *rows_out = rows;
    *w_out = w - 2;
    return id;
}

static void job_panel_draw(struct tui *t, int item, struct tui_job *j, const char *title,
                           const char *hint)
{
    if (item < 0)
        return;
    int rows = t->pg.it[item].rows, w = t->pg.it[item].width;
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (!mk)
        return;
    int body = rows - 4; /* title, blank ... progress, hint */
    if (body > 60)
        body = 60;
    size_t total = tui_job_count(j);
    size_t from = total > (size_t)body ? total - (size_t)body : 0;
    char *raw[64];
    enum k8tls_role raw_roles[64];
    size_t nraw = tui_job_lines(j, from, raw, raw_roles, (size_t)body);
    /* each line word-wrapped; the last rows that fit */
    char *lines[64 * 4];
    enum k8tls_role roles[64 * 4];
    size_t n = 0;
    for (size_t i = 0; i < nraw; i++) {
        char *wr[4];
        int k = tui_wrap(raw[i], w - 2, wr, 4);
        for (int m = 0; m < k; m++) {
            char *l = m ? tui_fmt("  %s", wr[m]) : strdup(wr[m]);
            free(wr[m]);
            if (!l)
                continue;
            lines[n] = l;
            roles[n++] = raw_roles[i];
        }
        free(raw[i]);
    }
    while (n > (size_t)body) {
        free(lines[0]);
        memmove(lines, lines + 1, (n - 1) * sizeof *lines);
        memmove(roles, roles + 1, (n - 1) * sizeof *roles);
        n--;
    }
    char *ti = tui_fit(title, w);
    mk[0] = styled(K8TLS_ROLE_TITLE, ti);
    free(ti);
    for (int i = 1; i < rows; i++) {
        const char *text = "";
        enum k8tls_role r = K8TLS_ROLE_TEXT;
        if (i >= 2 && (size_t)(i - 2) < n && i < rows - 2) {
            text = lines[i - 2];
            r = roles[i - 2];
        }
        char *prog = NULL;
        if (i == rows - 2)
            text = prog = tui_job_progress_text(j);
        if (i == rows - 1) {
            text = hint ? hint : "";
            r = K8TLS_ROLE_WARNING;
        }
        char *ft = tui_fit(text, w);
        mk[i] = styled(r, ft);
        free(ft);
        free(prog);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    set_label_markup(t, item, mk, rows);
    tui_free_lines(mk, rows);
    free(mk);
}

int tui_job_wait(struct tui *t, const char *title, struct tui_job *j, bool may_leave,
                 bool wait_ok)
{
    int rc = -1;
    int saved_focus = t->pg.focus;
    int base = t->pg.n;
    int rows = 0, w = 0;
    t->job = j;
    t->pg.modal_base = base;
    int panel = job_panel(t, &rows, &w);
    const char *hint = may_leave ? _("Working... (Ctrl-C leaves the wizard)")
                                 : _("Working... (it cannot be stopped halfway: a moment)");
    const char *said = hint;
    while (!tui_job_finished(j, &rc)) {
        job_panel_draw(t, panel, j, title, said);
        doupdate();
        wtimeout(stdscr, 100);
        int k = wgetch(stdscr);
        if (k == KEY_RESIZE) {
            /* the page again underneath, then the panel */
            t->pg.modal_base = 0;
            destroy_items_from(t, base);
            build_page(t);
            saved_focus = t->pg.focus;
            base = t->pg.n;
            t->pg.modal_base = base;
            panel = job_panel(t, &rows, &w);
            continue;
        }
        if (k == KEY_CTRL_C) {
            if (may_leave) {
                t->quit = true;
                t->exit_code = 1;
                t->pg.modal_base = 0;
                destroy_items_from(t, base);
                return -2;
            }
            said = _("It cannot be stopped halfway: it ends in a moment, then you can leave.");
        }
    }
    t->job = NULL;
    if (!wait_ok) {
        tui_job_free(j);
        modal_close(t, base, saved_focus);
        return rc;
    }
    /* the outcome stays on screen until OK */
    job_panel_draw(t, panel, j, title, "");
    tui_job_free(j);
    int x0 = (COLS - (w + 2)) / 2, y0 = (LINES - rows - 2) / 2;
    int ok = tui_add_button(t, x0 + w - (int)strlen(_("OK")) - 4, y0 + rows, _("OK"), ACT_NONE);
    t->pg.modal_base = 0;
    modal_run(t, base, ok, false);
    return rc;
}

void tui_view_text(struct tui *t, const char *title, char **lines, int n)
{
    int saved_focus = t->pg.focus;
    int base = t->pg.n;
    t->pg.modal_base = base;
    const char *hint = _("Up/Down/PgUp/PgDn: scroll  Left/Right: long lines  Esc/Enter/q: close");
    char *ti = tui_fmt("%s\n%s", title, hint);
    char **tl = calloc(2, sizeof *tl);
    int ntl = tl ? tui_wrap(ti, COLS - 6, tl, 2) : 0;
    char *mt = NULL;
    for (int i = 0; i < ntl; i++) {
        char *e = styled(i == 0 ? K8TLS_ROLE_TITLE : K8TLS_ROLE_TEXT, tl[i]);
        char *m = tui_fmt("%s%s%s", mt ? mt : "", mt ? "\n" : "", e);
        free(e);
        free(mt);
        mt = m;
    }
    if (tl)
        tui_free_lines(tl, ntl);
    free(tl);
    free(ti);
    /* every row as wide as the longest (up to a bound): CDK leaves the last column of a
     * shorter row as it was */
    size_t wmax = 0;
    for (int i = 0; i < n; i++)
        if (lines[i] && strlen(lines[i]) > wmax)
            wmax = strlen(lines[i]);
    if (wmax > 512)
        wmax = 512;
    if (wmax < (size_t)COLS)
        wmax = (size_t)COLS;
    char **rows = calloc((size_t)(n > 0 ? n : 1), sizeof *rows);
    int nr = 0;
    for (int i = 0; rows && i < n; i++) {
        const char *l = lines[i] ? lines[i] : "";
        char *pad = strlen(l) < wmax ? tui_fit(l, (int)wmax) : strdup(l);
        rows[nr++] = tui_escape(pad ? pad : "");
        free(pad);
    }
    if (rows && nr == 0)
        rows[nr++] = strdup("");
    CDKSCROLL *sc = newCDKScroll(t->cdk, 1, 1, NONE, LINES - 3, COLS - 2, mt,
                                 (CDK_CSTRING2)rows, nr, FALSE, A_REVERSE, TRUE, FALSE);
    free(mt);
    if (rows)
        tui_free_lines(rows, nr);
    free(rows);
    int id = add_item(t, IT_LIST, sc ? ObjOf(sc) : NULL, true);
    if (id < 0) {
        t->pg.modal_base = 0;
        return;
    }
    t->pg.focus = -1;
    refreshCDKScreen(t->cdk);
    tui_focus(t, id);
    for (bool open = true; open;) {
        WINDOW *w = InputWindowOf(t->pg.it[id].obj);
        keypad(w, TRUE);
        wtimeout(w, 100);
        int k = wgetch(w);
        switch (k) {
        case ERR:
            tick(t);
            break;
        case KEY_RESIZE:
            t->rebuild = true;
            open = false;
            break;
        case KEY_ESCAPE:
        case KEY_CTRL_C:
        case '\r':
        case '\n':
        case KEY_ENTER:
        case 'q':
        case 'Q':
            open = false;
            break;
        default:
            if (k < KEY_MAX)
                InjectObj(t->pg.it[id].obj, (chtype)k);
            doupdate();
            break;
        }
    }
    modal_close(t, base, saved_focus);
}

/* A boxed text in the middle of the screen; returns the first item index of the modal. */
static int modal_box(struct tui *t, const char *title, const char *text, int extra_rows,
                     int *inner_x, int *inner_y, int *inner_w)
{
    int w = COLS - 8 < 72 ? COLS - 8 : 72;
    char *lines[40];
    int maxrows = LINES - 6 - extra_rows;
    if (maxrows > 40)
        maxrows = 40;
    if (maxrows < 1)
        maxrows = 1;
    int n = tui_wrap(text, w - 4, lines, maxrows);
    int rows = n + extra_rows + 2; /* title + blank line */
    char **mk = calloc((size_t)rows, sizeof *mk);
    int base = t->pg.n;
    if (!mk) {
        tui_free_lines(lines, n);
        return base;
    }
    char *ti = tui_fit(title, w - 4);
    mk[0] = styled(K8TLS_ROLE_TITLE, ti);
    free(ti);
    mk[1] = strdup("");
    for (int i = 0; i < n; i++) {
        char *ft = tui_fit(lines[i], w - 4);
        mk[i + 2] = styled(K8TLS_ROLE_TEXT, ft);
        free(ft);
    }
    for (int i = n + 2; i < rows; i++) {
        char *ft = tui_fit("", w - 4);
        mk[i] = styled(K8TLS_ROLE_TEXT, ft);
        free(ft);
    }
    int x = (COLS - w) / 2, y = (LINES - rows - 2) / 2;
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)mk, rows, TRUE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    tui_free_lines(lines, n);
    add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
    *inner_x = x + 2;
    *inner_y = y + 1 + n + 2;
    *inner_w = w - 4;
    return base;
}

bool tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
                 const char *no)
{
    int ix, iy, iw;
    int base = modal_box(t, title, text, 2, &ix, &iy, &iw);
    int wn = (int)strlen(no) + 4, wy = (int)strlen(yes) + 4;
    int x = ix + iw - wn - wy - 4;
    if (x < ix)
        x = ix;
    int bno = tui_add_button(t, x, iy + 1, no, ACT_NONE);
    tui_add_button(t, x + wn + 2, iy + 1, yes, ACT_NONE);
    int r = modal_run(t, base, bno, false);
    return r == 1;
}

void tui_message(struct tui *t, const char *title, const char *text)
{
    int ix, iy, iw;
    int base = modal_box(t, title, text, 2, &ix, &iy, &iw);
    int ok = tui_add_button(t, ix + iw - (int)strlen(_("OK")) - 6, iy + 1, _("OK"), ACT_NONE);
    modal_run(t, base, ok, false);
}

char *tui_choose_file(struct tui *t, const char *title, const char *start)
{
    /* the chooser changes the working directory while browsing: come back to it */
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *ti = styled(K8TLS_ROLE_TITLE, title);
    chtype fa = tui_attr(K8TLS_ROLE_FIELD);
    CDKFSELECT *fs = newCDKFselect(t->cdk, CENTER, CENTER, LINES - 4, COLS - 8 < 76 ? COLS - 8 : 76,
                                   ti, _("File: "), fa, ' ' | fa, A_REVERSE, "</B>", "", "", "",
                                   TRUE, FALSE);
    free(ti);
    char *res = NULL;
    if (fs) {
        if (start && *start) {
            char *dir = strdup(start);
            char *slash = dir ? strrchr(dir, '/') : NULL;
            if (slash && slash != dir) {
                *slash = '\0';
                setCDKFselectDirectory(fs, dir);
            }
            free(dir);
        }
        curs_set(1);
        char *r = activateCDKFselect(fs, NULL);
        if (r && fs->exitType == vNORMAL)
            res = strdup(r);
        destroyCDKFselect(fs);
    }
    if (cwd >= 0) {
        if (fchdir(cwd) != 0) {
            /* nothing better to do: the paths typed stay as typed */
        }
        close(cwd);
    }
    t->rebuild = true;
    return res;
}

/* ---- navigation --------------------------------------------------------------------------- */

void tui_form_clear_errors(struct form *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->f[i].error);
        f->f[i].error = NULL;
    }
    free(f->general_error);
    f->general_error = NULL;
}

void tui_field_error(struct form *f, int i, const char *msg)
{
    if (i < 0 || i >= f->n) {
        if (f->general_error) {
            char *s = tui_fmt("%s; %s", f->general_error, msg);
            free(f->general_error);
            f->general_error = s;
        } else {
            f->general_error = strdup(msg);
        }
        return;
    }
    if (!f->f[i].error)
        f->f[i].error = strdup(msg);
}

int tui_attach_diags(struct tui *t, enum k8tls_screen s, const struct k8tls_diags *d,
                     bool all_to_screen)
{
    struct form *f = &t->forms[s];
    const char *paths[TUI_MAX_FIELDS];
    for (int i = 0; i < f->n; i++)
        paths[i] = f->f[i].hidden ? NULL : f->f[i].path;
    int errs = 0;
    for (size_t k = 0; d && k < d->n; k++) {
        const struct k8tls_diag *g = &d->v[k];
        if (g->sev != K8TLS_SEV_ERROR)
            continue;
        if (!all_to_screen && k8tls_flow_screen_of_path(g->path) != s)
            continue;
        int fi = k8tls_flow_field_for_path(paths, (size_t)f->n, g->path);
        /* "wrong password" names the file: show it beside the password that opens it */
        if (fi >= 0 && (strstr(g->msg, "password") || strstr(g->msg, _("password")))) {
            char *pp = k8tls_flow_password_path(g->path);
            int pi = pp ? k8tls_flow_field_for_path(paths, (size_t)f->n, pp) : -1;
            free(pp);
            if (pi >= 0)
                fi = pi;
        }
        char *msg;
        if (fi < 0 && g->file && g->line > 0)
            msg = tui_fmt("%s:%d: %s", g->file, g->line, g->msg);
        else
            msg = tui_fmt("%s", g->msg);
        tui_field_error(f, fi, msg);
        free(msg);
        errs++;
    }
    return errs;
}

int tui_validate_screen(struct tui *t, enum k8tls_screen s)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_validate(t->plan, &d);
    int errs = tui_attach_diags(t, s, &d, false);
    k8tls_diags_free(&d);
    return errs;
}

static void go_next(struct tui *t)
{
    enum k8tls_screen s = t->cur;
    const struct screen_ops *ops = tui_screen_ops(s);
    struct form *f = cur_form(t);
    if (t->pg.focus >= 0)
        read_field(t, t->pg.focus);
    free(t->status);
    t->status = NULL;
    tui_form_clear_errors(f);
    int errs = 0;
    if (ops->store)
        errs += ops->store(t, f, true);
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
    if (t->path == K8TLS_PATH_WIZARD && s >= K8TLS_SCR_CA && s < K8TLS_SCR_REVIEW)
        tui_keygen_ensure(t->kg, t->plan);
    enum k8tls_screen n = k8tls_flow_next_on(t->path, t->plan, s);
    if (n == K8TLS_SCR_COUNT) {
        t->quit = true;
        return;
    }
    t->cur = n;
    t->rebuild = true;
}

static void go_back(struct tui *t)
{
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    if (ops->no_back)
        return;
    if (t->pg.focus >= 0)
        read_field(t, t->pg.focus);
    if (ops->store)
        ops->store(t, cur_form(t), false);
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
    const struct screen_ops *ops = tui_screen_ops(t->cur);
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

static void show_help(struct tui *t)
{
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    char *title = tui_fmt(_("Help: %s"), _(k8tls_flow_screen_title(t->cur)));
    char *text = tui_fmt("%s\n\n%s", ops->help ? _(ops->help) : "",
                         _("Keys: Tab and Shift-Tab move between fields, Left/Right or Space "
                           "change a choice, Enter selects a button, Esc goes back, F10 goes to "
                           "the next step, Ctrl-C cancels."));
    tui_message(t, title, text);
    free(text);
    free(title);
}

static void do_browse(struct tui *t, int button)
{
    int fi = t->pg.it[button].field;
    struct form *f = cur_form(t);
    if (fi < 0)
        return;
    struct field *fd = &f->f[fi];
    char *title = tui_fmt(_("Choose a file: %s"), _(fd->label));
    char *p = tui_choose_file(t, title, fd->value);
    free(title);
    if (p) {
        tui_set_str(&fd->value, p);
        free(p);
        const struct screen_ops *ops = tui_screen_ops(t->cur);
        if (ops->store)
            ops->store(t, f, false);
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
    return t->pg.next_item >= 0 ? t->pg.next_item : focus_step(t, i, 1, 0, t->pg.n);
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
    struct form *f = cur_form(t);
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
        const struct screen_ops *ops = tui_screen_ops(t->cur);
        if (ops->store)
            ops->store(t, f, false);
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

static void tick(struct tui *t)
{
    const struct screen_ops *ops = tui_screen_ops(t->cur);
    update_progress(t);
    if (ops->tick && !t->pg.small && !t->pg.modal_base)
        ops->tick(t, &t->pg);
    doupdate();
}

static void handle_key(struct tui *t, int k)
{
    struct page *pg = &t->pg;
    const struct screen_ops *ops = tui_screen_ops(t->cur);
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
        tui_focus(t, focus_step(t, pg->focus, 1, 0, pg->n));
        return;
    case KEY_BTAB:
        tui_focus(t, focus_step(t, pg->focus, -1, 0, pg->n));
        return;
    default:
        break;
    }
    if (ops->key && ops->key(t, pg, k))
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
            tui_focus(t, focus_step(t, pg->focus, -1, 0, pg->n));
        else if (k == KEY_RIGHT || k == KEY_DOWN)
            tui_focus(t, focus_step(t, pg->focus, 1, 0, pg->n));
        else if (k == '?')
            do_action(t, ACT_HELP, -1);
        return;
    case IT_ENTRY:
        if (k == KEY_ENTER) {
            field_changed(t, pg->focus);
            if (!t->rebuild)
                tui_focus(t, after_field(t));
        } else if (k == KEY_UP) {
            tui_focus(t, field_step(t, -1));
        } else if (k == KEY_DOWN) {
            tui_focus(t, field_step(t, 1));
        } else if (k < KEY_MAX) {
            InjectObj(it->obj, (chtype)k);
            field_changed(t, pg->focus);
        }
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
            field_changed(t, pg->focus);
        }
        return;
    case IT_LIST:
        if (it->field >= 0 && cur_form(t)->f[it->field].kind == F_MULTI) {
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
            build_page(t);
            continue;
        }
        WINDOW *w = stdscr;
        if (!t->pg.small && t->pg.focus >= 0)
            w = InputWindowOf(t->pg.it[t->pg.focus].obj);
        keypad(w, TRUE);
        wtimeout(w, 100);
        int k = wgetch(w);
        if (k == ERR) {
            if (!t->pg.small)
                tick(t);
            continue;
        }
        if (k == KEY_RESIZE) {
            if (!t->pg.small && t->pg.focus >= 0)
                read_field(t, t->pg.focus);
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
    }
    tui_page_clear(t);
    return t->exit_code;
}
