/* The page engine, modal dialogs over the page: confirm, message, the file chooser, the panel that
 * waits for a job (job.c); viewer.c closes its modal viewer with tui_modal_close. Calls layout.c
 * (the page rebuilt under a panel on resize, the footer), page.c, job.c, colors.c and text.c. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_CTRL_C 3
#define KEY_ESCAPE 27

void tui_modal_close(struct tui *t, int base, int saved_focus)
{
    t->pg.focus = -1;
    t->pg.modal_base = 0;
    tui_page_drop_from(t, base);
    if (!t->rebuild) {
        wbkgdset(stdscr, tui_attr(K8TLS_ROLE_TEXT));
        werase(stdscr);
        wnoutrefresh(stdscr);
        refreshCDKScreen(t->cdk);
        for (int i = 0; i < t->pg.n; i++)
            if (t->pg.it[i].kind == IT_BUTTON)
                tui_draw_button(t, i);
        for (int i = 0; i < tui_cur_form(t)->n; i++)
            if (tui_cur_form(t)->f[i].label_item >= 0)
                tui_draw_field_label(t, i);
        tui_focus(t, saved_focus);
        tui_update_bar(t);
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
            tui_draw_button(t, i);
    tui_focus(t, first_focus);
    int result = -2;
    int bar_for = -1;
    while (result == -2) {
        if (bar_for != t->pg.focus) {
            bar_for = t->pg.focus;
            tui_update_bar(t);
        }
        WINDOW *w = InputWindowOf(t->pg.it[t->pg.focus].obj);
        wtimeout(w, 100);
        int k = wgetch(w);
        if (k == ERR) {
            tui_tick(t);
            continue;
        }
        if (k == KEY_ESCAPE && tui_esc_sequence(w))
            continue;
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
            tui_focus(t, tui_focus_step(t, t->pg.focus, 1, base, t->pg.n));
            break;
        case KEY_BTAB:
        case KEY_LEFT:
        case KEY_UP:
            tui_focus(t, tui_focus_step(t, t->pg.focus, -1, base, t->pg.n));
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
    tui_modal_close(t, base, saved_focus);
    return result;
}

/* The panel: a boxed label (title, the job's last lines, progress, a hint); returns its item. */
static int job_panel(struct tui *t, int *rows_out, int *w_out)
{
    int w = COLS - 6 < 96 ? COLS - 6 : 96;
    int rows = LINES - 6 < 20 ? LINES - 6 : 20;
    if (rows < 6)
        rows = 6;
    /* a blank backdrop between the title and the footer: no fragment of the page around it */
    int back = LINES - 3 > 1 ? LINES - 3 : 1;
    char **bk = calloc((size_t)back, sizeof *bk);
    if (bk) {
        for (int i = 0; i < back; i++) {
            char *ft = tui_fit("", COLS);
            bk[i] = tui_styled(K8TLS_ROLE_TEXT, ft);
            free(ft);
        }
        CDKLABEL *b = newCDKLabel(t->cdk, 0, 1, (CDK_CSTRING2)bk, back, FALSE, FALSE);
        tui_free_lines(bk, back);
        free(bk);
        tui_add_item(t, IT_LABEL, b ? ObjOf(b) : NULL, false);
    }
    char **mk = calloc((size_t)rows, sizeof *mk);
    if (!mk)
        return -1;
    for (int i = 0; i < rows; i++) {
        char *ft = tui_fit("", w - 2);
        mk[i] = tui_styled(K8TLS_ROLE_TEXT, ft);
        free(ft);
    }
    CDKLABEL *l = newCDKLabel(t->cdk, (COLS - w) / 2, (LINES - rows - 2) / 2, (CDK_CSTRING2)mk,
                              rows, TRUE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    int id = tui_add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
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
    size_t total = tui_job_count(j);
    char **raw = calloc(total ? total : 1, sizeof *raw);
    enum k8tls_role *raw_roles = calloc(total ? total : 1, sizeof *raw_roles);
    size_t nraw = raw && raw_roles ? tui_job_lines(j, 0, raw, raw_roles, total) : 0;
    /* the table's columns (tui_job_row: "\tobject\tcontext\tstatus"): context and status as
     * wide as their longest cell, within bounds; the object takes the rest */
    int cw = 0, sw = 0;
    for (size_t i = 0; i < nraw; i++) {
        if (raw[i][0] != '\t')
            continue;
        char *c = strchr(raw[i] + 1, '\t');
        char *st = c ? strchr(c + 1, '\t') : NULL;
        if (!st)
            continue;
        int l1 = (int)(st - c - 1), l2 = (int)strlen(st + 1);
        cw = l1 > cw ? l1 : cw;
        sw = l2 > sw ? l2 : sw;
    }
    if (cw > w / 4)
        cw = w / 4;
    if (sw > w / 3)
        sw = w / 3;
    int ow = w - 2 - cw - 2 - sw - 2;
    /* each line word-wrapped (a table row: one row, its cells fitted); the header pinned */
    size_t cap = nraw * 8 + 1;
    char **lines = calloc(cap, sizeof *lines);
    enum k8tls_role *roles = calloc(cap, sizeof *roles);
    bool *cont = calloc(cap, sizeof *cont); /* the second row on of a wrapped line */
    size_t n = 0;
    char *header = NULL;
    size_t header_at = 0;
    for (size_t i = 0; lines && roles && cont && i < nraw; i++) {
        char *c = raw[i][0] == '\t' ? strchr(raw[i] + 1, '\t') : NULL;
        char *st = c ? strchr(c + 1, '\t') : NULL;
        if (st && ow > 4) {
            *c = *st = '\0';
            char *fo = tui_fit(raw[i] + 1, ow), *fc = tui_fit(c + 1, cw), *fs = tui_fit(st + 1, sw);
            char *row = tui_fmt("%s  %s  %s", fo, fc, fs);
            free(fo);
            free(fc);
            free(fs);
            if (row && raw_roles[i] == K8TLS_ROLE_TITLE && !header) {
                header = strdup(row);
                header_at = n;
            }
            if (row) {
                lines[n] = row;
                roles[n++] = raw_roles[i];
            }
            continue;
        }
        char *wr[8];
        int k = tui_wrap(raw[i], w - 2, wr, 8);
        for (int m = 0; m < k; m++) {
            char *l = m ? tui_fmt("  %s", wr[m]) : strdup(wr[m]);
            free(wr[m]);
            if (!l)
                continue;
            lines[n] = l;
            cont[n] = m > 0;
            roles[n++] = raw_roles[i];
        }
    }
    for (size_t i = 0; i < nraw; i++)
        free(raw[i]);
    free(raw);
    free(raw_roles);
    /* the last rows that fit; the header kept above them once its own row has scrolled away */
    size_t drop = n > (size_t)body ? n - (size_t)body : 0;
    if (header && drop > header_at && body > 2)
        drop++;
    while (drop < n && cont[drop]) /* never the tail of a line without its head */
        drop++;
    free(cont);
    bool pin = header && drop > header_at;
    for (size_t i = 0; i < drop; i++)
        free(lines[i]);
    if (drop) {
        memmove(lines, lines + drop, (n - drop) * sizeof *lines);
        memmove(roles, roles + drop, (n - drop) * sizeof *roles);
        n -= drop;
    }
    if (pin) {
        memmove(lines + 1, lines, n * sizeof *lines);
        memmove(roles + 1, roles, n * sizeof *roles);
        lines[0] = header;
        roles[0] = K8TLS_ROLE_TITLE;
        header = NULL;
        n++;
    }
    free(header);
    char *ti = tui_fit(title, w);
    mk[0] = tui_styled(K8TLS_ROLE_TITLE, ti);
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
        mk[i] = tui_styled(r, ft);
        free(ft);
        free(prog);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(roles);
    tui_set_label_markup(t, item, mk, rows);
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
    /* the footer: the one key that works here */
    tui_set_bar(t, may_leave ? _("Ctrl-C: leave the wizard") : "");
    while (!tui_job_finished(j, &rc)) {
        job_panel_draw(t, panel, j, title, said);
        doupdate();
        wtimeout(stdscr, 100);
        int k = wgetch(stdscr);
        if (k == KEY_RESIZE) {
            /* the page again underneath, then the panel */
            t->pg.modal_base = 0;
            tui_page_drop_from(t, base);
            tui_build_page(t);
            saved_focus = t->pg.focus;
            base = t->pg.n;
            t->pg.modal_base = base;
            panel = job_panel(t, &rows, &w);
            tui_set_bar(t, may_leave ? _("Ctrl-C: leave the wizard") : "");
            continue;
        }
        if (k == KEY_CTRL_C) {
            if (may_leave) {
                t->quit = true;
                t->exit_code = 1;
                t->pg.modal_base = 0;
                tui_page_drop_from(t, base);
                return -2;
            }
            said = _("It cannot be stopped halfway: it ends in a moment, then you can leave.");
        }
    }
    t->job = NULL;
    if (!wait_ok) {
        tui_job_free(j);
        tui_modal_close(t, base, saved_focus);
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

/* A boxed text in the middle of the screen, one blank column and one blank row inside the border
 * all round; returns the first item index of the modal. */
static int modal_box(struct tui *t, const char *title, const char *text, int extra_rows,
                     int *inner_x, int *inner_y, int *inner_w)
{
    int w = COLS - 6 < 74 ? COLS - 6 : 74;   /* the box, its border included */
    int tw = w - 4;                          /* the text: border and padding on each side */
    char *lines[41];
    int maxrows = LINES - 8 - extra_rows;    /* borders, padding rows, title and a blank */
    if (maxrows > 40)
        maxrows = 40;
    if (maxrows < 1)
        maxrows = 1;
    int n = tui_wrap(text, tw, lines, maxrows + 1);
    if (n > maxrows) {
        /* more than fits: the last row shown says so */
        char *cut = tui_fmt("%s ...", lines[maxrows - 1]);
        char *ft = tui_fit(cut, tw);
        free(cut);
        tui_free_lines(lines + maxrows - 1, n - maxrows + 1);
        lines[maxrows - 1] = ft;
        n = maxrows;
    }
    int rows = 1 + 2 + n + extra_rows + 1;   /* padding, title, blank, text, extra, padding */
    char **mk = calloc((size_t)rows, sizeof *mk);
    int base = t->pg.n;
    if (!mk) {
        tui_free_lines(lines, n);
        return base;
    }
    for (int i = 0; i < rows; i++) {
        const char *src = i == 1 ? title : i >= 3 && i < 3 + n ? lines[i - 3] : "";
        char *ft = tui_fit(src, tw);
        char *padded = tui_fmt(" %s ", ft);
        mk[i] = tui_styled(i == 1 ? K8TLS_ROLE_TITLE : K8TLS_ROLE_TEXT, padded);
        free(padded);
        free(ft);
    }
    int x = (COLS - w) / 2, y = (LINES - rows - 2) / 2;
    CDKLABEL *l = newCDKLabel(t->cdk, x, y, (CDK_CSTRING2)mk, rows, TRUE, FALSE);
    tui_free_lines(mk, rows);
    free(mk);
    tui_free_lines(lines, n);
    tui_add_item(t, IT_LABEL, l ? ObjOf(l) : NULL, false);
    /* the first of the extra rows */
    *inner_x = x + 2;
    *inner_y = y + 1 + 3 + n;
    *inner_w = tw;
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

/* directory mode: F2 takes the directory shown */
struct choose_dir {
    CDKFSELECT *fs;
    char *dir;
};

static int choose_dir_key(EObjectType type, void *obj, void *data, chtype key)
{
    (void)type;
    (void)obj;
    (void)key;
    struct choose_dir *cd = data;
    free(cd->dir);
    cd->dir = strdup(cd->fs->pwd ? cd->fs->pwd : ".");
    EarlyExitOf(cd->fs->entryField) = vESCAPE_HIT;
    return 1;
}

char *tui_choose_file(struct tui *t, const char *title, const char *start_in, bool want_dir)
{
    struct stat st;
    char *start = tui_expand_home(start_in);
    struct choose_dir cd = {NULL, NULL};
    /* the chooser changes the working directory while browsing: come back to it */
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *ti = tui_styled(K8TLS_ROLE_TITLE, title);
    chtype fa = tui_attr(K8TLS_ROLE_FIELD);
    CDKFSELECT *fs = newCDKFselect(t->cdk, CENTER, CENTER, LINES - 4, COLS - 8 < 76 ? COLS - 8 : 76,
                                   ti, _("File: "), fa, ' ' | fa, A_REVERSE, "</B>", "", "", "",
                                   TRUE, FALSE);
    free(ti);
    char *res = NULL;
    if (fs) {
        if (start && *start && want_dir && stat(start, &st) == 0 && S_ISDIR(st.st_mode)) {
            setCDKFselectDirectory(fs, start);
        } else if (start && *start) {
            char *dir = strdup(start);
            char *slash = dir ? strrchr(dir, '/') : NULL;
            if (slash && slash != dir) {
                *slash = '\0';
                setCDKFselectDirectory(fs, dir);
            }
            free(dir);
        }
        /* the footer: the chooser's keys, not the form's */
        if (want_dir) {
            cd.fs = fs;
            bindCDKObject(vFSELECT, fs, KEY_F(2), choose_dir_key, &cd);
            tui_set_bar(t, _("Up/Down: files  Enter: open  F2: choose this directory  Esc: "
                             "cancel"));
        } else {
            tui_set_bar(t, _("Up/Down: files  Tab: complete  Enter: choose  Esc: cancel"));
        }
        refreshCDKScreen(t->cdk);
        curs_set(1);
        char *r = activateCDKFselect(fs, NULL);
        if (cd.dir) {
            res = cd.dir;
            cd.dir = NULL;
        } else if (r && fs->exitType == vNORMAL) {
            res = tui_expand_home(r);
            /* a file chosen where a directory is wanted: its directory */
            if (res && want_dir && stat(res, &st) == 0 && !S_ISDIR(st.st_mode)) {
                char *slash = strrchr(res, '/');
                if (slash && slash != res)
                    *slash = '\0';
            }
        }
        destroyCDKFselect(fs);
    }
    if (cwd >= 0) {
        if (fchdir(cwd) != 0) {
            /* nothing better to do: the paths typed stay as typed */
        }
        close(cwd);
    }
    free(cd.dir);
    free(start);
    t->rebuild = true;
    return res;
}

