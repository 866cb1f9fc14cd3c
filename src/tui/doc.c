/* A text laid out for the TUI's viewer: prose word-wrapped, code kept whole, the search. Pure (no
 * curses, no other TUI file): see doc.h. */
#include "config.h"
#include "doc.h"
#include "k8tls/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_row(struct tui_doc *d, const char *s, size_t len, int src, bool code)
{
    char **r = realloc(d->row, (size_t)(d->n + 1) * sizeof *r);
    if (!r)
        return -1;
    d->row = r;
    int *sv = realloc(d->src, (size_t)(d->n + 1) * sizeof *sv);
    if (!sv)
        return -1;
    d->src = sv;
    bool *cv = realloc(d->code, (size_t)(d->n + 1) * sizeof *cv);
    if (!cv)
        return -1;
    d->code = cv;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    r[d->n] = copy;
    sv[d->n] = src;
    cv[d->n] = code;
    d->n++;
    return 0;
}

/* the columns a list item's text starts at ("- ", "* ", "12. " after the indentation), else the
 * indentation */
static size_t hang_of(const char *l, size_t len)
{
    size_t i = 0;
    while (i < len && l[i] == ' ')
        i++;
    if (i + 1 < len && (l[i] == '-' || l[i] == '*' || l[i] == '+') && l[i + 1] == ' ')
        return i + 2;
    size_t k = i;
    while (k < len && isdigit((unsigned char)l[k]))
        k++;
    if (k > i && k + 1 < len && (l[k] == '.' || l[k] == ')') && l[k + 1] == ' ')
        return k + 2;
    return i;
}

/* one prose line word-wrapped: the first row from col 0, the others indented by the hang */
static int wrap_line(struct tui_doc *d, const char *l, size_t len, int src, int width)
{
    size_t hang = hang_of(l, len);
    if (hang > (size_t)width / 2)
        hang = 0;
    const char *q = l, *end = l + len;
    bool first = true;
    char *buf = malloc((size_t)width + 1);
    if (!buf)
        return -1;
    int rc = 0;
    while (rc == 0 && (first || q < end)) {
        size_t pad = first ? 0 : hang;
        size_t room = (size_t)width - pad;
        size_t left = (size_t)(end - q), take = left;
        if (left > room) {
            take = room;
            while (take > 0 && q[take] != ' ')
                take--;
            if (take == 0)
                take = room; /* a word longer than the row: cut it */
        }
        memset(buf, ' ', pad);
        memcpy(buf + pad, q, take);
        size_t bl = pad + take;
        while (bl > pad && buf[bl - 1] == ' ')
            bl--;
        rc = add_row(d, buf, bl, src, false);
        q += take;
        while (q < end && *q == ' ')
            q++;
        first = false;
    }
    memset(buf, 0, (size_t)width + 1);
    free(buf);
    return rc;
}

static bool is_fence(const char *l, size_t len)
{
    size_t i = 0;
    while (i < len && l[i] == ' ')
        i++;
    return len - i >= 3 && strncmp(l + i, "```", 3) == 0;
}

int tui_doc_layout(struct tui_doc *d, const char *text, int width, bool markdown)
{
    if (width < 10)
        width = 10;
    const char *p = text ? text : "";
    bool fenced = false;
    int line = 0;
    while (*p || line == 0) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bool code = true;
        if (markdown) {
            if (is_fence(p, len)) {
                fenced = !fenced;
            } else if (!fenced) {
                size_t ind = 0;
                while (ind < len && p[ind] == ' ')
                    ind++;
                code = ind >= 4 || (len > 0 && p[0] == '\t') || (ind < len && p[ind] == '|');
            }
        }
        int rc = code ? add_row(d, p, len, line, true) : wrap_line(d, p, len, line, width);
        if (rc < 0)
            return -1;
        line++;
        if (!nl)
            break;
        p = nl + 1;
    }
    d->n_src = line;
    return 0;
}

void tui_doc_free(struct tui_doc *d)
{
    for (int i = 0; i < d->n; i++) {
        volatile char *c = d->row[i];
        while (*c)
            *c++ = '\0';
        free(d->row[i]);
    }
    free(d->row);
    free(d->src);
    free(d->code);
    memset(d, 0, sizeof *d);
}

static bool holds(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < nl && h[k] && tolower((unsigned char)h[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == nl)
            return true;
    }
    return false;
}

int tui_doc_find(const struct tui_doc *d, const char *needle, int from, int dir)
{
    if (!needle || !*needle || d->n <= 0)
        return -1;
    int step = dir < 0 ? -1 : 1;
    if (from < 0 || from >= d->n)
        from = step > 0 ? d->n - 1 : 0;
    for (int k = 1; k <= d->n; k++) {
        int i = ((from + step * k) % d->n + d->n) % d->n;
        if (holds(d->row[i], needle))
            return i;
    }
    return -1;
}

int tui_doc_row_of(const struct tui_doc *d, int src)
{
    for (int i = 0; i < d->n; i++)
        if (d->src[i] >= src)
            return i;
    return d->n > 0 ? d->n - 1 : 0;
}

/* ---- a line diff ------------------------------------------------------------------------- */

struct lines {
    const char **l;
    size_t *len;
    int n;
};

static int split_lines(const char *t, struct lines *o)
{
    o->n = 0;
    o->l = NULL;
    o->len = NULL;
    const char *p = t ? t : "";
    int cap = 1;
    for (const char *c = p; *c; c++)
        cap += *c == '\n';
    o->l = malloc((size_t)cap * sizeof *o->l);
    o->len = malloc((size_t)cap * sizeof *o->len);
    if (!o->l || !o->len)
        return -1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        o->l[o->n] = p;
        o->len[o->n++] = len;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static void put_line(struct k8tls_buf *o, char mark, const char *s, size_t n)
{
    k8tls_buf_add(o, &mark, 1);
    k8tls_buf_add(o, s, n);
    k8tls_buf_add(o, "\n", 1);
}

static bool same(const struct lines *a, int i, const struct lines *b, int j)
{
    return a->len[i] == b->len[j] && memcmp(a->l[i], b->l[j], a->len[i]) == 0;
}

#define DIFF_CONTEXT 3
#define DIFF_MAX_LINES 4000

char *tui_doc_diff(const char *a, const char *b, const char *name_a, const char *name_b)
{
    struct lines la = {NULL, NULL, 0}, lb = {NULL, NULL, 0};
    struct k8tls_buf o = {0};
    char *res = NULL;
    int *lcs = NULL;
    char *op = NULL;
    if (split_lines(a, &la) < 0 || split_lines(b, &lb) < 0 || la.n > DIFF_MAX_LINES ||
        lb.n > DIFF_MAX_LINES)
        goto done;
    /* lcs[i][j]: the longest common subsequence of a[i..] and b[j..] */
    size_t w = (size_t)lb.n + 1;
    lcs = calloc(((size_t)la.n + 1) * w, sizeof *lcs);
    if (!lcs)
        goto done;
    for (int i = la.n - 1; i >= 0; i--)
        for (int j = lb.n - 1; j >= 0; j--)
            lcs[(size_t)i * w + (size_t)j] =
                same(&la, i, &lb, j)
                    ? lcs[(size_t)(i + 1) * w + (size_t)(j + 1)] + 1
                    : (lcs[(size_t)(i + 1) * w + (size_t)j] > lcs[(size_t)i * w + (size_t)(j + 1)]
                           ? lcs[(size_t)(i + 1) * w + (size_t)j]
                           : lcs[(size_t)i * w + (size_t)(j + 1)]);
    /* the edit script: ' ' kept, '-' removed, '+' added, with the line of each side */
    size_t nops = (size_t)la.n + (size_t)lb.n;
    op = malloc(nops + 1);
    int *oi = malloc((nops + 1) * sizeof *oi), *oj = malloc((nops + 1) * sizeof *oj);
    if (!op || !oi || !oj) {
        free(oi);
        free(oj);
        goto done;
    }
    size_t k = 0;
    int i = 0, j = 0;
    while (i < la.n || j < lb.n) {
        if (i < la.n && j < lb.n && same(&la, i, &lb, j)) {
            op[k] = ' ';
            oi[k] = i++;
            oj[k++] = j++;
        } else if (i < la.n && (j == lb.n || lcs[(size_t)(i + 1) * w + (size_t)j] >=
                                                  lcs[(size_t)i * w + (size_t)(j + 1)])) {
            op[k] = '-';
            oi[k] = i++;
            oj[k++] = j;
        } else {
            op[k] = '+';
            oi[k] = i;
            oj[k++] = j++;
        }
    }
    k8tls_buf_add(&o, "", 0);
    bool any = false;
    for (size_t x = 0; x < k; x++)
        any = any || op[x] != ' ';
    if (any) {
        k8tls_buf_add(&o, "--- ", 4);
        k8tls_buf_add(&o, name_a ? name_a : "a", strlen(name_a ? name_a : "a"));
        k8tls_buf_add(&o, "\n+++ ", 5);
        k8tls_buf_add(&o, name_b ? name_b : "b", strlen(name_b ? name_b : "b"));
        k8tls_buf_add(&o, "\n", 1);
    }
    /* hunks: the changes with DIFF_CONTEXT kept lines around them */
    size_t x = 0;
    while (any && x < k) {
        while (x < k && op[x] == ' ')
            x++;
        if (x >= k)
            break;
        size_t from = x >= DIFF_CONTEXT ? x - DIFF_CONTEXT : 0;
        size_t to = x;
        /* extend while the next change is within twice the context */
        for (;;) {
            while (to < k && op[to] != ' ')
                to++;
            size_t run = to;
            while (run < k && op[run] == ' ' && run - to < 2 * DIFF_CONTEXT)
                run++;
            if (run < k && op[run] != ' ') {
                to = run;
                continue;
            }
            to = to + DIFF_CONTEXT < k ? to + DIFF_CONTEXT : k;
            break;
        }
        int na = 0, nb = 0;
        for (size_t y = from; y < to; y++) {
            na += op[y] != '+';
            nb += op[y] != '-';
        }
        char hdr[80];
        int hl = snprintf(hdr, sizeof hdr, "@@ -%d,%d +%d,%d @@\n", oi[from] + (na > 0),
                          na, oj[from] + (nb > 0), nb);
        k8tls_buf_add(&o, hdr, (size_t)hl);
        for (size_t y = from; y < to; y++) {
            if (op[y] == '+')
                put_line(&o, '+', lb.l[oj[y]], lb.len[oj[y]]);
            else
                put_line(&o, op[y], la.l[oi[y]], la.len[oi[y]]);
        }
        x = to;
    }
    free(oi);
    free(oj);
    res = k8tls_buf_take(&o, NULL);
done:
    k8tls_buf_free(&o);
    free(op);
    free(lcs);
    free(la.l);
    free(la.len);
    free(lb.l);
    free(lb.len);
    return res;
}
