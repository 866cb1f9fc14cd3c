/* The page engine, form fields: each screen's instance (its form and its private state, allocated
 * and freed here from the screen's table row), the fields the screens define, the widgets of a
 * form screen's fields, the values read back from them and stored to the plan, errors beside the
 * fields, diagnostics attached to the fields that own them. Calls field.c, bind.c, page.c,
 * colors.c, text.c and flow.c; the screens only through their table row's function pointers. */
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
#include <limits.h>

#include "k8tls/buf.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"

/* ---- instances ------------------------------------------------------------------------- */

static struct tui_inst *inst_of(struct tui *t, enum k8tls_screen s)
{
    if ((int)s < 0 || s >= K8TLS_SCR_COUNT)
        return NULL;
    if (t->inst[s])
        return t->inst[s];
    const struct tui_screen *ops = tui_ops(t, s);
    struct tui_inst *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    if (ops->private_size && !(in->priv = calloc(1, ops->private_size))) {
        free(in);
        return NULL;
    }
    struct form *f = &in->form;
    f->focus_field = -1;
    f->focus_pos = -1;
    if (ops->define)
        ops->define(f);
    f->defined = true;
    f->gen = (unsigned)-1;
    t->inst[s] = in;
    return in;
}

struct form *tui_form_of(struct tui *t, enum k8tls_screen s)
{
    struct tui_inst *in = inst_of(t, s);
    return in ? &in->form : NULL;
}

struct form *tui_form_peek(struct tui *t, enum k8tls_screen s)
{
    return (int)s >= 0 && s < K8TLS_SCR_COUNT && t->inst[s] ? &t->inst[s]->form : NULL;
}

void *tui_screen_priv(struct tui *t, enum k8tls_screen s)
{
    struct tui_inst *in = inst_of(t, s);
    return in ? in->priv : NULL;
}

void tui_form_ensure(struct tui *t, enum k8tls_screen s)
{
    struct tui_inst *in = inst_of(t, s);
    if (!in)
        return;
    const struct tui_screen *ops = tui_ops(t, s);
    struct form *f = &in->form;
    if (f->gen != t->plan_gen) {
        tui_form_load(t, f, ops);
        f->gen = t->plan_gen;
        tui_form_clear_errors(f);
    }
    if (ops->sync)
        ops->sync(t, f);
}

void tui_screens_free(struct tui *t)
{
    for (int s = 0; s < K8TLS_SCR_COUNT; s++) {
        struct tui_inst *in = t->inst[s];
        if (!in)
            continue;
        const struct tui_screen *ops = tui_ops(t, (enum k8tls_screen)s);
        if (ops->fini && in->priv)
            ops->fini(t, in->priv);
        free(in->priv);
        struct form *f = &in->form;
        for (int i = 0; i < f->n; i++) {
            if (f->f[i].value)
                k8tls_secure_wipe_str(f->f[i].value);
            free(f->f[i].value);
            free(f->f[i].error);
            for (int k = 0; k < f->f[i].n_items; k++)
                free(f->f[i].items[k]);
            free(f->f[i].items);
            free(f->f[i].sel);
        }
        free(f->general_error);
        free(in);
        t->inst[s] = NULL;
    }
}

/* ---- the fields' widgets ------------------------------------------------------------------- */

/* The message area's rows at least (tui_update_notes): errors, hints and notes, word-wrapped,
 * between the fields and the buttons */
#define MSG_MIN_ROWS 3
/* an error beside a field takes this many rows at most (the area shows it whole) */
#define ERR_MAX_ROWS 2

/* the rows of the error under a field: "! message" wrapped at width (heap lines in out) */
static int error_lines(const struct field *fd, int width, char **out)
{
    if (!fd->error)
        return 0;
    char *msg = tui_fmt("! %s", fd->error);
    char *all[16];
    int n = tui_wrap(msg, width, all, 16);
    free(msg);
    if (n > ERR_MAX_ROWS) {
        /* longer: the last row is cut with "..." (the message area shows it whole) */
        char *rest = strdup(all[ERR_MAX_ROWS - 1]);
        for (int i = ERR_MAX_ROWS; rest && i < n; i++) {
            char *r = tui_fmt("%s %s", rest, all[i]);
            free(rest);
            rest = r;
        }
        char *cut = tui_fit(rest ? rest : "", width);
        free(rest);
        free(all[ERR_MAX_ROWS - 1]);
        all[ERR_MAX_ROWS - 1] = cut;
    }
    for (int i = 0; i < n; i++) {
        if (i < ERR_MAX_ROWS)
            out[i] = all[i];
        else
            free(all[i]);
    }
    return n < ERR_MAX_ROWS ? n : ERR_MAX_ROWS;
}

void tui_build_form(struct tui *t, const struct tui_screen *ops)
{
    struct form *f = tui_cur_form(t);
    if (ops->sync)
        ops->sync(t, f);
    int top = 2;
    int area_last = LINES - 4;                    /* the message area's last row */
    int bottom = area_last - MSG_MIN_ROWS + 1;    /* first row that fields may not use */
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
    int ex = 2 + lw;
    int ew = COLS - ex - 2;
    if (ew > 56)
        ew = 56;
    /* the errors' rows: two each when they fit, else one each, else none (the area has them) */
    int err_rows2 = 0;
    for (int i = 0; i < f->n; i++) {
        char *el[ERR_MAX_ROWS];
        if (f->f[i].hidden || !f->f[i].error)
            continue;
        int k = error_lines(&f->f[i], COLS - ex - 2, el);
        err_rows2 += k;
        tui_free_lines(el, k);
    }
    /* the intro only when the fields, their errors and a blank row before the area still fit */
    char *lines[3];
    int n = ops->intro ? tui_wrap(_(ops->intro), COLS - 4, lines, 3) : 0;
    bool intro = n > 0 && top + n + 1 + visible + err_rows2 + 1 <= bottom;
    if (!intro)
        tui_free_lines(lines, n);
    if (intro) {
        tui_add_label(t, 2, top, COLS - 4, n, (const char *const *)lines, n, K8TLS_ROLE_TEXT);
        top += n + 1;
        tui_free_lines(lines, n);
    }
    if (ops->header) {
        /* the fields, their errors and a message area of a few more rows below */
        int room = bottom - top - visible - errs - 4;
        if (room < 3)
            room = 3;
        int used = ops->header(t, top, room);
        if (used > 0)
            top += used + 1;
    }
    int err_max = visible + err_rows2 <= bottom - top ? ERR_MAX_ROWS
                  : visible + errs <= bottom - top    ? 1
                                                      : 0;
    int y = top;
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
            id = tui_add_item(t, IT_LIST, sc ? ObjOf(sc) : NULL, true);
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
            id = tui_add_item(t, IT_CHOICE, il ? ObjOf(il) : NULL, true);
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
            id = tui_add_item(t, IT_ENTRY, en ? ObjOf(en) : NULL, true);
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
        char *el[ERR_MAX_ROWS];
        int got = fd->error && err_max > 0 ? error_lines(fd, COLS - ex - 2, el) : 0;
        int k = got < err_max ? got : err_max;
        if (k > bottom - y)
            k = bottom - y > 0 ? bottom - y : 0;
        if (k == 1 && got > 1) {
            /* one row: cut, the message area has it whole */
            char *m = tui_fmt("! %s", fd->error);
            char *one = tui_fit(m, COLS - ex - 2);
            free(m);
            free(el[0]);
            el[0] = one;
        }
        if (k > 0) {
            tui_add_label(t, ex, y, COLS - ex - 2, k, (const char *const *)el, k,
                          K8TLS_ROLE_ERROR);
            y += k;
        }
        tui_free_lines(el, got);
    }
    /* the message area: from a blank row under the fields down to the row above the buttons,
     * never fewer than MSG_MIN_ROWS */
    int notes_top = y + 1 < bottom ? y + 1 : y < bottom ? bottom : y;
    if (notes_top > bottom)
        notes_top = bottom;
    int rows = area_last - notes_top + 1;
    if (rows < 1)
        rows = 1;
    const char *e[1] = {""};
    t->pg.notes_item = tui_add_label(t, 2, notes_top, COLS - 4, rows, e, 1, K8TLS_ROLE_TEXT);
}

/* Reads the focused widget's value into its field; returns true when it changed. */
bool tui_read_field(struct tui *t, int item)
{
    struct item *it = &t->pg.it[item];
    if (it->field < 0 || it->kind == IT_BUTTON)
        return false;
    struct field *fd = &tui_cur_form(t)->f[it->field];
    if (it->kind == IT_ENTRY) {
        const char *v = getCDKEntryValue((CDKENTRY *)it->obj);
        if (!v)
            v = "";
        if (fd->value && strcmp(fd->value, v) == 0)
            return false;
        if (fd->kind == F_PASSWORD && fd->value)
            memset(fd->value, 0, strlen(fd->value));
        tui_set_str(&fd->value, v);
        if (fd->kind == F_PATH && v[0] == '~') {
            /* "~/x" is the home directory's x, also when typed */
            char *x = tui_expand_home(v);
            if (x)
                setCDKEntryValue((CDKENTRY *)it->obj, x);
            tui_set_str(&fd->value, x ? x : v);
            free(x);
        }
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

void tui_field_changed(struct tui *t, int item)
{
    if (!tui_read_field(t, item))
        return;
    const struct tui_screen *ops = tui_ops(t, t->cur);
    struct form *f = tui_cur_form(t);
    int fi = t->pg.it[item].field;
    struct field *fd = &f->f[fi];
    /* the error beside a field goes once the user edits it, and its rows with it: the page is
     * laid out again with the cursor where it was */
    bool had_error = fd->error != NULL;
    if (had_error) {
        free(fd->error);
        fd->error = NULL;
        tui_draw_field_label(t, fi);
    }
    free(t->status);
    t->status = NULL;
    tui_form_store(t, f, ops, false);
    if (fd->relayout || had_error) {
        f->focus_field = fi;
        if (t->pg.it[item].kind == IT_ENTRY && t->pg.it[item].obj) {
            CDKENTRY *en = (CDKENTRY *)t->pg.it[item].obj;
            f->focus_pos = en->leftChar + en->screenCol;
        }
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
    tui_update_notes(t);
}

/* ---- editing an entry ------------------------------------------------------------------- */

#define CTRL_KEY(c) ((c) & 0x1f)

/* the entry's cursor at offset pos of its value, scrolled so that it shows */
static void entry_move(CDKENTRY *en, int pos)
{
    int w = en->fieldWidth;
    if (pos >= en->leftChar && pos - en->leftChar < w) {
        en->screenCol = pos - en->leftChar;
    } else if (pos < w) {
        en->leftChar = 0;
        en->screenCol = pos;
    } else {
        en->leftChar = pos - (w - 1);
        en->screenCol = w - 1;
    }
}

void tui_entry_cursor(CDKENTRY *en, int pos)
{
    int len = en->info ? (int)strlen(en->info) : 0;
    entry_move(en, pos < 0 || pos > len ? len : pos);
}

/* removes [a, b) of the value (the bytes freed are wiped: it may be a password) */
static void entry_cut(CDKENTRY *en, int a, int b)
{
    int len = (int)strlen(en->info);
    if (a < 0)
        a = 0;
    if (b > len)
        b = len;
    if (a >= b)
        return;
    memmove(en->info + a, en->info + b, (size_t)(len - b) + 1);
    memset(en->info + len - (b - a), 0, (size_t)(b - a));
    entry_move(en, a);
    /* text that fits again is shown from its start */
    if (en->leftChar > 0 && (int)strlen(en->info) < en->fieldWidth) {
        en->leftChar = 0;
        en->screenCol = a;
    }
}

bool tui_entry_key(struct tui *t, int item, int k)
{
    CDKENTRY *en = (CDKENTRY *)t->pg.it[item].obj;
    int len = (int)strlen(en->info);
    int pos = en->leftChar + en->screenCol;
    if (pos > len)
        pos = len;
    switch (k) {
    case CTRL_KEY('A'):
        k = KEY_HOME;
        break;
    case CTRL_KEY('E'):
        k = KEY_END;
        break;
    case CTRL_KEY('B'):
        k = KEY_LEFT;
        break;
    case CTRL_KEY('F'):
        k = KEY_RIGHT;
        break;
    case CTRL_KEY('D'):
        k = KEY_DC;
        break;
    case CTRL_KEY('K'):
        entry_cut(en, pos, len);
        drawCDKEntry(en, FALSE);
        return true;
    case CTRL_KEY('U'):
        entry_cut(en, 0, pos);
        drawCDKEntry(en, FALSE);
        return true;
    case CTRL_KEY('W'): {
        /* the word before the cursor, and the blanks after it */
        int a = pos;
        while (a > 0 && en->info[a - 1] == ' ')
            a--;
        while (a > 0 && en->info[a - 1] != ' ')
            a--;
        entry_cut(en, a, pos);
        drawCDKEntry(en, FALSE);
        return true;
    }
    default:
        break;
    }
    switch (k) {
    case KEY_HOME:
    case KEY_END:
    case KEY_LEFT:
    case KEY_RIGHT:
        InjectObj(ObjOf(en), (chtype)k);
        return false;
    case KEY_BACKSPACE:
    case KEY_DC:
        InjectObj(ObjOf(en), (chtype)k);
        return true;
    default:
        break;
    }
    /* printable bytes only: a control character would land in the value as it is */
    if (k < 0x20 || k == 0x7f || k > 0xff)
        return false;
    InjectObj(ObjOf(en), (chtype)k);
    return true;
}

/* ---- diagnostics in the TUI's words ------------------------------------------------------ */

/* A core message as the TUI shows it: key paths ("stores.server.keystorePassword") become the
 * field's on-screen label (with its step when that is another one), "PATH: true" says on/off,
 * rule codes ("(K5)") and command-line advice ("(--force ...)") go. Heap string. */
char *tui_user_text(const char *msg, enum k8tls_screen cur)
{
    struct k8tls_buf b = {0};
    const char *s = msg ? msg : "";
    while (*s) {
        /* " (K5)": a rule code */
        const char *q = *s == ' ' ? s + 1 : s;
        if (*q == '(' && strchr("KSXP", q[1]) && q[2] >= '0' && q[2] <= '9') {
            const char *e = q + 2;
            while (*e >= '0' && *e <= '9')
                e++;
            if (*e == ')') {
                s = e + 1;
                continue;
            }
        }
        /* "(... --flag ...)": advice for the command line */
        if (*q == '(') {
            const char *e = strchr(q, ')');
            const char *fl = strstr(q, "--");
            if (e && fl && fl < e) {
                if (strstr(q, "--create-namespace") && strstr(q, "--create-namespace") < e)
                    k8tls_buf_printf(&b, " %s", _("(turn on \"Namespace manifest\" on the Output "
                                                  "step to create it)"));
                s = e + 1;
                continue;
            }
        }
        /* a key path: a section name, then .key or [n] */
        static const char *const sections[] = {"cluster.", "encryption.", "stores.", "ca.",
                                               "certificates.", "output.", NULL};
        bool start = s == msg || !(s[-1] == '.' || s[-1] == '_' || s[-1] == '-' ||
                                   (s[-1] >= 'a' && s[-1] <= 'z') ||
                                   (s[-1] >= 'A' && s[-1] <= 'Z'));
        size_t len = 0;
        for (int i = 0; start && sections[i] && !len; i++)
            if (strncmp(s, sections[i], strlen(sections[i])) == 0) {
                len = strlen(sections[i]);
                while (s[len] && (strchr("._[]", s[len]) || (s[len] >= 'a' && s[len] <= 'z') ||
                                  (s[len] >= 'A' && s[len] <= 'Z') ||
                                  (s[len] >= '0' && s[len] <= '9')))
                    len++;
                while (len && s[len - 1] == '.')
                    len--;
            }
        if (len) {
            char path[256];
            snprintf(path, sizeof path, "%.*s", (int)len, s);
            const struct k8tls_key *r = k8tls_plan_row(path);
            enum k8tls_screen on = k8tls_flow_screen_of_path(path);
            const char *title = on < K8TLS_SCR_COUNT ? _(k8tls_flow_screen_title(on)) : NULL;
            if (r && r->label) {
                k8tls_buf_printf(&b, "\"%s\"", _(r->label));
                if (title && on != cur)
                    k8tls_buf_printf(&b, _(" (%s step)"), title);
            } else if (title) {
                k8tls_buf_printf(&b, _("the %s step"), title);
            } else {
                k8tls_buf_printf(&b, "%s", path);
            }
            s += len;
            if (strncmp(s, ": true", 6) == 0 || strncmp(s, ": false", 7) == 0) {
                bool on_ = s[2] == 't';
                k8tls_buf_printf(&b, " %s", on_ ? _("on") : _("off"));
                s += on_ ? 6 : 7;
            }
            continue;
        }
        k8tls_buf_add(&b, s++, 1);
    }
    char *out = k8tls_buf_take(&b, NULL);
    return out ? out : strdup("");
}

/* The env:/file: passwords of a step's visible fields, read now: an unset variable, a file that
 * cannot be read or a password the stores cannot use is shown at its field. Returns the errors. */
int tui_check_password_refs(struct tui *t, struct form *f)
{
    int errs = 0;
    char *base = k8tls_plan_base_dir(t->plan);
    for (int i = 0; i < f->n; i++) {
        struct field *fd = &f->f[i];
        const char *v = fd->value;
        if (fd->hidden || fd->kind != F_PASSWORD || !v ||
            (strncmp(v, "env:", 4) != 0 && strncmp(v, "file:", 5) != 0))
            continue;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        char *pw = k8tls_password_resolve(v, base, &e);
        const char *why = NULL;
        if (pw && fd->path && strncmp(fd->path, "stores.", 7) == 0)
            why = k8tls_password_problem(pw);
        char *msg = NULL;
        if (!pw && v[0] == 'e')
            msg = tui_fmt(_("the environment variable %s is not set: set it before starting the "
                            "wizard, or type the password here"),
                          *(v + 4) ? v + 4 : "''");
        else if (!pw)
            msg = tui_fmt(_("%s%s%s%s: fix the file, or type the password here"), e.msg,
                          e.file[0] ? " (" : "", e.file, e.file[0] ? ")" : "");
        else if (why)
            msg = tui_fmt(_("the password from %s cannot be used: %s"), v, why);
        k8tls_secure_free_str(pw);
        if (msg) {
            tui_field_error(f, i, msg);
            free(msg);
            errs++;
        }
    }
    free(base);
    return errs;
}

int tui_attach_diags(struct tui *t, enum k8tls_screen s, const struct k8tls_diags *d,
                     bool all_to_screen)
{
    struct form *f = tui_form_of(t, s);
    if (!f)
        return 0;
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
        /* the answers file's line is no help on screen: the step and the label are */
        char *text = tui_user_text(g->msg, s);
        char *msg;
        if (fi < 0 && g->path && k8tls_plan_row(g->path) && k8tls_plan_row(g->path)->label)
            msg = tui_fmt("%s: %s", _(k8tls_plan_row(g->path)->label), text);
        else if (fi < 0 && g->file && g->line > 0 &&
                 !(t->plan->source_file && strcmp(g->file, t->plan->source_file) == 0))
            msg = tui_fmt("%s:%d: %s", g->file, g->line, text);
        else
            msg = tui_fmt("%s", text);
        free(text);
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
    struct form *f = tui_form_peek(t, s);
    if (!errs && f)
        errs += tui_check_password_refs(t, f);
    return errs;
}


void tui_screen_warnings(struct tui *t, enum k8tls_screen s, char **lines, int max, int *n)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_validate(t->plan, &d);
    for (size_t k = 0; k < d.n && *n < max; k++) {
        const struct k8tls_diag *g = &d.v[k];
        if (g->sev == K8TLS_SEV_ERROR || k8tls_flow_screen_of_path(g->path) != s)
            continue;
        if (g->sev == K8TLS_SEV_WARNING) {
            char *m = tui_fmt(_("Warning: %s"), g->msg);
            lines[(*n)++] = tui_fmt("!W%s", m); /* "!W": the notes show it as a warning */
            free(m);
        } else {
            lines[(*n)++] = tui_fmt("%s", g->msg);
        }
    }
    k8tls_diags_free(&d);
}

struct k8tls_plan *tui_resolved_copy(struct tui *t, enum k8tls_screen s, int *errs)
{
    struct k8tls_plan *c = k8tls_plan_dup(t->plan);
    if (!c) {
        struct form *f = tui_form_of(t, s);
        if (f)
            tui_field_error(f, -1, _("out of memory"));
        (*errs)++;
        return NULL;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_resolve(c, &d);
    int e = tui_attach_diags(t, s, &d, false);
    k8tls_diags_free(&d);
    if (e) {
        *errs += e;
        k8tls_plan_free(c);
        return NULL;
    }
    return c;
}

int tui_show_errors(struct form *f, int field, const struct k8tls_diags *d, const char *dflt)
{
    int shown = 0;
    char buf[1600];
    for (size_t k = 0; k < d->n && shown < 4; k++) {
        if (d->v[k].sev != K8TLS_SEV_ERROR)
            continue;
        /* the message alone, or with the file it is about */
        const struct k8tls_diag *g = &d->v[k];
        char *text = tui_user_text(g->msg, K8TLS_SCR_COUNT);
        if (g->file && g->line > 0)
            snprintf(buf, sizeof buf, "%s:%d: %s", g->file, g->line, text);
        else if (g->file)
            snprintf(buf, sizeof buf, "%s: %s", g->file, text);
        else
            snprintf(buf, sizeof buf, "%s", text);
        free(text);
        tui_field_error(f, shown == 0 ? field : -1, buf);
        shown++;
    }
    if (!shown) {
        tui_field_error(f, field, dflt);
        shown = 1;
    }
    return shown;
}
