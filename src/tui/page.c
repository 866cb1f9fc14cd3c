/* The page engine, layout and drawing: the widgets of a page (labels, buttons, lists), the focus,
 * the notes lines and the progress line, the tick that keeps them current. The lowest part of the
 * engine: calls keygen.c (the progress), colors.c and text.c only; the screens are reached through
 * the table's function pointers (t->screens), never by name. */
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

#include "k8tls/secure.h"

#define MASK_TEXT "********"

struct form *tui_cur_form(struct tui *t)
{
    /* the page is built from the screen's instance; before that, an empty form */
    static struct form none;
    struct tui_inst *in = t->inst[t->cur];
    return in ? &in->form : &none;
}

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

int tui_add_item(struct tui *t, enum item_kind k, CDKOBJS *obj, bool focusable)
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

void tui_page_drop_from(struct tui *t, int from)
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
    tui_page_drop_from(t, 0);
    t->pg.n = 0;
    t->pg.focus = -1;
    t->pg.notes_item = -1;
    t->pg.notes_off = 0;
    t->pg.notes_lines = 0;
    t->pg.progress_item = -1;
    t->pg.next_item = -1;
    t->pg.modal_base = 0;
    t->pg.small = false;
    for (int s = 0; s < K8TLS_SCR_COUNT; s++) {
        struct form *f = t->inst[s] ? &t->inst[s]->form : NULL;
        for (int i = 0; f && i < f->n; i++)
            f->f[i].item = f->f[i].label_item = -1;
    }
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
        mk[i] = tui_styled(role, f);
        free(f);
    }
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)mk, rows, FALSE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    int id = tui_add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
    if (id >= 0) {
        t->pg.it[id].width = width;
        t->pg.it[id].rows = rows;
    }
    return id;
}

/* Replaces a label's text; lines already carry markup when role < 0. */
void tui_set_label_markup(struct tui *t, int item, char **mk, int n)
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
        mk[i] = tui_styled(role, f);
        free(f);
    }
    tui_set_label_markup(t, item, mk, it->rows);
    tui_free_lines(mk, it->rows);
    free(mk);
}

void tui_draw_button(struct tui *t, int item)
{
    struct item *it = &t->pg.it[item];
    bool focused = t->pg.focus == item;
    char *plain = focused ? tui_fmt("[>%s<]", it->text) : tui_fmt("[ %s ]", it->text);
    char *mk = tui_styled(focused ? K8TLS_ROLE_FOCUSED_BUTTON : K8TLS_ROLE_BUTTON, plain);
    char *v[1] = {mk};
    tui_set_label_markup(t, item, v, 1);
    free(mk);
    free(plain);
}

int tui_add_button(struct tui *t, int x, int y, const char *caption, enum action a)
{
    char *plain = tui_fmt("[ %s ]", caption);
    char *mk = tui_styled(K8TLS_ROLE_BUTTON, plain);
    const char *v[1] = {mk};
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)v, 1, FALSE, FALSE);
    free(mk);
    int w = (int)strlen(plain);
    free(plain);
    int id = tui_add_item(t, IT_BUTTON, l ? ObjOf(l) : NULL, true);
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
    char *ti = title ? tui_styled(K8TLS_ROLE_TITLE, title) : NULL;
    CDKSCROLL *s = newCDKScroll(t->cdk, x, y, NONE, h, w, ti, (CDK_CSTRING2)rows, n, FALSE,
                                tui_attr(K8TLS_ROLE_FOCUSED_FIELD) | A_REVERSE, TRUE, FALSE);
    free(ti);
    int id = tui_add_item(t, IT_LIST, s ? ObjOf(s) : NULL, true);
    if (id >= 0) {
        t->pg.it[id].width = w;
        t->pg.it[id].rows = h;
    }
    return id;
}

void tui_draw_field_label(struct tui *t, int fi)
{
    struct form *f = tui_cur_form(t);
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
    tui_set_label_markup(t, fd->label_item, v, 1);
    free(all);
    free(mk);
    free(e_body);
    free(body);
    free(text);
}

void tui_focus(struct tui *t, int item)
{
    struct page *pg = &t->pg;
    int old = pg->focus;
    if (old >= 0 && old < pg->n) {
        struct item *o = &pg->it[old];
        o->obj->hasFocus = FALSE;
        if (o->kind == IT_BUTTON) {
            pg->focus = -1;
            tui_draw_button(t, old);
        } else if (o->kind != IT_LABEL) {
            UnfocusObj(o->obj);
        }
    }
    pg->focus = item;
    if (old != item)
        pg->notes_off = 0; /* the message area shows the new field's messages from the top */
    if (item < 0 || item >= pg->n)
        return;
    struct item *it = &pg->it[item];
    it->obj->hasFocus = TRUE;
    if (old >= 0 && old < pg->n && pg->it[old].field >= 0 && pg->it[old].kind != IT_BUTTON)
        tui_draw_field_label(t, pg->it[old].field);
    if (it->kind == IT_BUTTON)
        tui_draw_button(t, item);
    else
        FocusObj(it->obj);
    if (it->field >= 0 && it->kind != IT_BUTTON) {
        tui_draw_field_label(t, it->field);
        tui_cur_form(t)->focus_field = it->field;
    }
    curs_set(it->kind == IT_ENTRY ? 1 : 0);
    tui_update_notes(t);
    tui_draw_overflow(t);
}

int tui_focus_step(struct tui *t, int from, int dir, int lo, int hi)
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

void tui_update_progress(struct tui *t)
{
    if (t->pg.progress_item < 0 || t->pg.modal_base)
        return;
    char *s = tui_progress_text(t);
    const char *v[1] = {s};
    tui_set_label(t, t->pg.progress_item, v, 1, K8TLS_ROLE_TEXT);
    free(s);
}

/* The message area: at most NOTES_MAX wrapped lines, the last column kept for the scroll marks */
#define NOTES_MAX 64

void tui_update_notes(struct tui *t)
{
    struct page *pg = &t->pg;
    if (pg->notes_item < 0 || pg->modal_base)
        return;
    const struct tui_screen *ops = tui_ops(t, t->cur);
    struct form *f = tui_cur_form(t);
    int rows = pg->it[pg->notes_item].rows;
    int width = pg->it[pg->notes_item].width;
    int tw = width - 2; /* the text; then a blank and the scroll mark */
    char *plain[NOTES_MAX];
    enum k8tls_role roles[NOTES_MAX];
    int n = 0;
    char *wrapped[NOTES_MAX];
#define PUSH(role, text)                                                                       \
    do {                                                                                       \
        int w_ = tui_wrap((text), tw, wrapped, NOTES_MAX);                                     \
        for (int k_ = 0; k_ < w_; k_++) {                                                      \
            if (n < NOTES_MAX) {                                                               \
                roles[n] = (role);                                                             \
                plain[n++] = wrapped[k_];                                                      \
            } else                                                                             \
                free(wrapped[k_]);                                                             \
        }                                                                                      \
    } while (0)
    /* errors first, then the focused field's hint, then the step's notes */
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
    if (ff >= 0 && ff < f->n && f->f[ff].hint)
        PUSH(K8TLS_ROLE_TEXT, _(f->f[ff].hint));
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
#undef PUSH
    /* longer than the area: it scrolls (PgUp/PgDn, tui_notes_scroll), '^' and 'v' in the last
     * column say that more is above or below */
    int max_off = n > rows ? n - rows : 0;
    if (pg->notes_off > max_off)
        pg->notes_off = max_off;
    if (pg->notes_off < 0)
        pg->notes_off = 0;
    pg->notes_lines = n;
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (mk) {
        for (int i = 0; i < rows; i++) {
            int li = pg->notes_off + i;
            char *ft = tui_fit(li < n ? plain[li] : "", tw + 1);
            char mark = ' ';
            if (i == 0 && pg->notes_off > 0)
                mark = '^';
            else if (i == rows - 1 && li < n - 1)
                mark = 'v';
            char *tx = tui_styled(li < n ? roles[li] : K8TLS_ROLE_TEXT, ft);
            char m2[2] = {mark, '\0'};
            char *mm = tui_styled(K8TLS_ROLE_WARNING, m2);
            mk[i] = tui_fmt("%s%s", tx, mm);
            free(mm);
            free(tx);
            free(ft);
        }
        tui_set_label_markup(t, pg->notes_item, mk, rows);
        tui_free_lines(mk, rows);
        free(mk);
    }
    tui_free_lines(plain, n);
}

bool tui_notes_scroll(struct tui *t, int dir)
{
    struct page *pg = &t->pg;
    if (pg->notes_item < 0 || pg->modal_base || pg->small)
        return false;
    int rows = pg->it[pg->notes_item].rows;
    if (pg->notes_lines <= rows)
        return false;
    int step = rows > 1 ? rows - 1 : 1;
    pg->notes_off += dir > 0 ? step : -step;
    tui_update_notes(t);
    return true;
}

bool tui_notes_scrolls(const struct tui *t)
{
    const struct page *pg = &t->pg;
    return pg->notes_item >= 0 && !pg->small && pg->notes_lines > pg->it[pg->notes_item].rows;
}

void tui_tick(struct tui *t)
{
    const struct tui_screen *ops = tui_ops(t, t->cur);
    tui_update_progress(t);
    if (ops->tick && !t->pg.small && !t->pg.modal_base)
        ops->tick(t, &t->pg);
    doupdate();
}


void tui_place_cursor(struct tui *t)
{
    struct page *pg = &t->pg;
    if (pg->small || pg->focus < 0 || pg->focus >= pg->n || pg->it[pg->focus].kind != IT_ENTRY) {
        curs_set(0);
        return;
    }
    /* the last window refreshed leaves the cursor where it stopped drawing: put it back in the
     * field, where the next character goes */
    CDKENTRY *en = (CDKENTRY *)pg->it[pg->focus].obj;
    int col = en->screenCol < en->fieldWidth ? en->screenCol : en->fieldWidth - 1;
    curs_set(1);
    wmove(en->fieldWin, 0, col < 0 ? 0 : col);
    wnoutrefresh(en->fieldWin);
    doupdate();
}

static void overflow_mark(int y, int x, char c)
{
    if (x < 0 || x >= COLS || y < 0 || y >= LINES)
        return;
    mvwaddch(stdscr, y, x, (chtype)(unsigned char)c | tui_attr(c == ' ' ? K8TLS_ROLE_TEXT
                                                                        : K8TLS_ROLE_WARNING));
    /* one cell at a time: a refresh copies a line's whole changed span */
    wnoutrefresh(stdscr);
}

void tui_draw_overflow(struct tui *t)
{
    struct page *pg = &t->pg;
    if (pg->small || pg->modal_base)
        return;
    for (int i = 0; i < pg->n; i++) {
        struct item *it = &pg->it[i];
        if (it->kind != IT_ENTRY || it->field < 0)
            continue;
        CDKENTRY *en = (CDKENTRY *)it->obj;
        int x = getbegx(en->fieldWin), y = getbegy(en->fieldWin);
        int len = (int)strlen(en->info);
        /* the field shows [leftChar, leftChar + fieldWidth) */
        overflow_mark(y, x - 1, en->leftChar > 0 ? '<' : ' ');
        overflow_mark(y, x + en->fieldWidth, len - en->leftChar > en->fieldWidth ? '>' : ' ');
    }
}

bool tui_esc_sequence(WINDOW *w)
{
    /* the terminal sends a key's whole sequence at once; the Esc key comes alone */
    wtimeout(w, 0);
    int c = wgetch(w);
    if (c == ERR) {
        wtimeout(w, 100);
        return false;
    }
    if (c == '[' || c == 'O') {
        /* CSI: parameters, then a final byte in 0x40..0x7e; SS3: one more byte */
        for (int n = 0; n < 32; n++) {
            int d = wgetch(w);
            if (d == ERR || (c == 'O' && n == 0))
                break;
            if (d >= 0x40 && d <= 0x7e && !(c == '[' && n == 0 && d == '['))
                break;
        }
    }
    wtimeout(w, 100);
    return true;
}

/* ---- rows for lists ------------------------------------------------------------------------ */

void tui_rows_free(struct tui_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
    free(r->src);
    r->v = NULL;
    r->src = NULL;
    r->n = 0;
}

static void add_row(struct tui_rows *rs, char *text, int src)
{
    char **r = realloc(rs->v, (rs->n + 1) * sizeof *r);
    int *s = realloc(rs->src, (rs->n + 1) * sizeof *s);
    if (r)
        rs->v = r;
    if (s)
        rs->src = s;
    if (!r || !s) {
        free(text);
        return;
    }
    r[rs->n] = text;
    s[rs->n] = src;
    rs->n++;
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

void tui_rows_add_text(struct tui_rows *r, const char *text, int width, char ***src_lines,
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
            add_row(r, row_markup(chunk ? chunk : ""), line);
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

void tui_rows_add_wrapped(struct tui_rows *r, const char *text, int width)
{
    char *lines[64];
    int n = tui_wrap(text, width - 2, lines, 64);
    for (int i = 0; i < n; i++) {
        char *l = tui_fmt("%s%s", i ? "  " : "", lines[i]);
        add_row(r, row_markup(l), (int)r->n);
        free(l);
        free(lines[i]);
    }
}
