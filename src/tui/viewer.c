/* The text viewer: a text in a list (prose word-wrapped, code kept whole and scrolled sideways;
 * doc.c lays it out and searches it), the position under it ("line 40/112"), its keys (Up/Down,
 * PgUp/PgDn, Home/End, Left/Right or </>, `/` to search, n/N for the next match) named in the
 * footer while it has the focus. On a page (Review, Result) or over it (tui_view_text). Calls
 * modal.c (closing the one over the page), layout.c (the footer), page.c, doc.c, colors.c and
 * text.c. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CTRL_C 3
#define KEY_ESCAPE 27
#define MASK_TEXT "********"
#define WIDEST 512

/* TRANSLATORS: the footer while a viewer has the focus: "key: action" pairs, two spaces apart */
static const char *const viewer_keys =
    N_("Up/Down PgUp/PgDn Home/End: scroll  /: search  n: next  </>: sideways");

/* one row: escaped, the mask in the masked-value colour */
static char *row_markup(const char *plain)
{
    char *out = strdup("");
    const char *p = plain;
    while (out && *p) {
        const char *m = strstr(p, MASK_TEXT);
        size_t n = m ? (size_t)(m - p) : strlen(p);
        char *seg = strndup(p, n);
        char *esc = tui_escape(seg ? seg : "");
        char *next = m ? tui_fmt("%s%s%s%s%s", out, esc ? esc : "", tui_mk(K8TLS_ROLE_MASKED),
                                 MASK_TEXT, tui_mk_end(K8TLS_ROLE_MASKED))
                       : tui_fmt("%s%s", out, esc ? esc : "");
        if (esc)
            k8tls_secure_wipe_str(esc);
        free(esc);
        if (seg)
            k8tls_secure_wipe_str(seg);
        free(seg);
        k8tls_secure_wipe_str(out);
        free(out);
        out = next;
        if (!m)
            break;
        p = m + strlen(MASK_TEXT);
    }
    return out ? out : strdup("");
}

static void rows_wipe(struct tui_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i])
            k8tls_secure_wipe_str(r->v[i]);
    tui_rows_free(r);
}

void tui_viewer_free(struct tui_viewer *v)
{
    tui_doc_free(&v->doc);
    rows_wipe(&v->rows);
    free(v->search);
    free(v->said);
    v->search = v->said = NULL;
    v->item = v->pos_item = -1;
}

/* the rows for CDK: every row as wide as the widest (up to a bound) when some are wider than
 * the list: CDK leaves the last columns of a shorter row as they were when it scrolls sideways */
static void make_rows(struct tui_viewer *v, int inner)
{
    rows_wipe(&v->rows);
    int wmax = inner;
    for (int i = 0; i < v->doc.n; i++) {
        int l = (int)strlen(v->doc.row[i]);
        if (l > wmax)
            wmax = l > WIDEST ? WIDEST : l;
    }
    size_t n = v->doc.n > 0 ? (size_t)v->doc.n : 1;
    v->rows.v = calloc(n, sizeof *v->rows.v);
    v->rows.src = calloc(n, sizeof *v->rows.src);
    if (!v->rows.v || !v->rows.src) {
        tui_rows_free(&v->rows);
        return;
    }
    for (int i = 0; i < v->doc.n; i++) {
        const char *l = v->doc.row[i];
        char *pad = wmax > inner && (int)strlen(l) < wmax ? tui_fit(l, wmax) : strdup(l);
        v->rows.v[i] = row_markup(pad ? pad : "");
        if (pad) {
            k8tls_secure_wipe_str(pad);
            free(pad);
        }
        v->rows.src[i] = v->doc.src[i];
    }
    v->rows.n = (size_t)v->doc.n;
}

static CDKSCROLL *list_of(struct tui *t, const struct tui_viewer *v)
{
    if (v->item < 0 || v->item >= t->pg.n || t->pg.it[v->item].kind != IT_LIST)
        return NULL;
    return (CDKSCROLL *)t->pg.it[v->item].obj;
}

int tui_viewer_line(struct tui *t, const struct tui_viewer *v)
{
    CDKSCROLL *sc = list_of(t, v);
    int row = sc ? getCDKScrollCurrentItem(sc) : 0;
    return row >= 0 && row < v->doc.n ? v->doc.src[row] : 0;
}

/* the position line: where the cursor is, sideways, what a search found; in the focus colour
 * (and marked) while the list has the focus */
static void draw_pos(struct tui *t, struct tui_viewer *v, const char *prompt)
{
    if (v->pos_item < 0 || v->pos_item >= t->pg.n)
        return;
    CDKSCROLL *sc = list_of(t, v);
    bool focused = sc && t->pg.focus == v->item;
    v->focused = focused;
    int line = tui_viewer_line(t, v) + 1, total = v->doc.n_src > 0 ? v->doc.n_src : 1;
    char *pos = tui_fmt(_("line %d/%d"), line, total);
    char *side = sc && sc->leftChar > 0 ? tui_fmt(_("  column %d"), sc->leftChar + 1)
                                        : strdup("");
    char *text = prompt ? tui_fmt("%s %s  /%s", focused ? ">" : " ", pos, prompt)
                        : tui_fmt("%s %s%s%s%s", focused ? ">" : " ", pos, side ? side : "",
                                  v->said ? "  " : "", v->said ? v->said : "");
    const char *l[1] = {text};
    tui_set_label(t, v->pos_item, l, 1, focused ? K8TLS_ROLE_FOCUSED_FIELD : K8TLS_ROLE_TEXT);
    free(text);
    free(side);
    free(pos);
}

int tui_viewer_add(struct tui *t, struct tui_viewer *v, int x, int y, int w, int h,
                   const char *title, const char *text, bool markdown, int src_line)
{
    tui_doc_free(&v->doc);
    free(v->said);
    v->said = NULL;
    int inner = w - 4;
    tui_doc_layout(&v->doc, text, inner, markdown);
    make_rows(v, inner);
    v->item = tui_add_list(t, x, y, w, h, title, (const char *const *)v->rows.v,
                           (int)v->rows.n);
    const char *e[1] = {""};
    v->pos_item = tui_add_label(t, x + 1, y + h, w - 2, 1, e, 1, K8TLS_ROLE_TEXT);
    if (v->item >= 0) {
        t->pg.it[v->item].keys = viewer_keys;
        if (src_line > 0)
            setCDKScrollCurrentItem((CDKSCROLL *)t->pg.it[v->item].obj,
                                    tui_doc_row_of(&v->doc, src_line));
    }
    draw_pos(t, v, NULL);
    return v->item;
}

void tui_viewer_tick(struct tui *t, struct tui_viewer *v)
{
    if (v->item >= 0 && (t->pg.focus == v->item) != v->focused)
        draw_pos(t, v, NULL);
}

static void go_row(struct tui *t, struct tui_viewer *v, int row)
{
    CDKSCROLL *sc = list_of(t, v);
    if (!sc || row < 0)
        return;
    setCDKScrollCurrentItem(sc, row);
    drawCDKScroll(sc, ObjOf(sc)->box);
}

static void find(struct tui *t, struct tui_viewer *v, int dir)
{
    free(v->said);
    v->said = NULL;
    if (!v->search || !*v->search)
        return;
    CDKSCROLL *sc = list_of(t, v);
    int from = sc ? getCDKScrollCurrentItem(sc) : 0;
    int row = tui_doc_find(&v->doc, v->search, from, dir);
    if (row < 0) {
        v->said = tui_fmt(_("\"%s\": not found"), v->search);
        return;
    }
    go_row(t, v, row);
    v->said = tui_fmt(_("\"%s\" (n: next, N: previous)"), v->search);
}

/* `/`: the text to find, typed on the position line; Enter finds it, Esc gives up */
static void search_prompt(struct tui *t, struct tui_viewer *v)
{
    CDKSCROLL *sc = list_of(t, v);
    if (!sc)
        return;
    char buf[128] = "";
    size_t len = 0;
    tui_set_bar(t, _("Enter: find  Esc: cancel"));
    for (;;) {
        draw_pos(t, v, buf);
        doupdate();
        WINDOW *w = InputWindowOf(ObjOf(sc));
        wtimeout(w, 100);
        int k = wgetch(w);
        if (k == ERR)
            continue;
        if (k == KEY_RESIZE) {
            t->rebuild = true;
            return;
        }
        if (k == KEY_ESCAPE || k == KEY_CTRL_C)
            break;
        if (k == '\r' || k == '\n' || k == KEY_ENTER) {
            if (len > 0) {
                tui_set_str(&v->search, buf);
                find(t, v, 1);
            }
            break;
        }
        if ((k == KEY_BACKSPACE || k == 0x7f || k == 8) && len > 0)
            buf[--len] = '\0';
        else if (k >= 0x20 && k < 0x7f && len + 1 < sizeof buf) {
            buf[len++] = (char)k;
            buf[len] = '\0';
        }
    }
    tui_update_bar(t);
    draw_pos(t, v, NULL);
}

int tui_viewer_key(struct tui *t, struct tui_viewer *v, int k)
{
    CDKSCROLL *sc = list_of(t, v);
    if (!sc || t->pg.focus != v->item)
        return 0;
    switch (k) {
    case KEY_UP:
    case KEY_DOWN:
    case KEY_PPAGE:
    case KEY_NPAGE:
    case KEY_HOME:
    case KEY_END:
    case KEY_LEFT:
    case KEY_RIGHT:
        free(v->said);
        v->said = NULL;
        InjectObj(ObjOf(sc), (chtype)k);
        break;
    case '<':
        InjectObj(ObjOf(sc), (chtype)KEY_LEFT);
        break;
    case '>':
        InjectObj(ObjOf(sc), (chtype)KEY_RIGHT);
        break;
    case '/':
        search_prompt(t, v);
        return 1;
    case 'n':
    case 'N':
        if (!v->search)
            return 0;
        find(t, v, k == 'n' ? 1 : -1);
        break;
    default:
        return 0;
    }
    draw_pos(t, v, NULL);
    return 1;
}

void tui_view_text(struct tui *t, const char *title, char **lines, int n)
{
    int saved_focus = t->pg.focus;
    int base = t->pg.n;
    t->pg.modal_base = base;
    char *text = strdup("");
    for (int i = 0; text && i < n; i++) {
        char *m = tui_fmt("%s%s%s", text, lines[i] ? lines[i] : "", i + 1 < n ? "\n" : "");
        free(text);
        text = m;
    }
    char *ti = tui_fit(title, COLS - 6);
    struct tui_viewer v = {.item = -1, .pos_item = -1};
    /* over the page: from the title's row down to the footer */
    int id = tui_viewer_add(t, &v, 1, 1, COLS - 2, LINES - 3, ti, text ? text : "", false, 0);
    free(ti);
    free(text);
    if (id < 0) {
        tui_viewer_free(&v);
        tui_modal_close(t, base, saved_focus);
        return;
    }
    /* the viewer closes with Esc, Enter or q: the footer says so */
    t->pg.it[id].keys =
        N_("Up/Down PgUp/PgDn Home/End: scroll  /: search  </>: sideways  Esc/q: close");
    t->pg.focus = -1;
    refreshCDKScreen(t->cdk);
    tui_focus(t, id);
    tui_update_bar(t);
    draw_pos(t, &v, NULL);
    for (bool open = true; open && !t->rebuild;) {
        doupdate();
        WINDOW *w = InputWindowOf(t->pg.it[id].obj);
        keypad(w, TRUE);
        wtimeout(w, 100);
        int k = wgetch(w);
        switch (k) {
        case ERR:
            tui_tick(t);
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
            tui_viewer_key(t, &v, k);
            break;
        }
    }
    tui_viewer_free(&v);
    tui_modal_close(t, base, saved_focus);
}
