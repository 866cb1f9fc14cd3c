/* Plain text helpers of the TUI (text.h): no curses, no other TUI file. */
#include "config.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tui_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s ? s : strdup("");
}

void tui_set_str(char **dst, const char *v)
{
    char *n = v ? strdup(v) : NULL;
    free(*dst);
    *dst = n;
}

static int is_control(unsigned char u)
{
    return (u < 0x20 && u != '\t') || u == 0x7f;
}

char *tui_escape(const char *s)
{
    if (!s)
        return strdup("");
    /* CDK reads "\\<" as a literal '<' but then skips one more character: give it a
     * sacrificial one ("\\< " shows "<"). A control character becomes two visible ones. */
    size_t n = 0;
    for (const char *c = s; *c; c++)
        n += *c == '<' ? 3 : is_control((unsigned char)*c) ? 2 : 1;
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    for (const char *c = s; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (*c == '<') {
            o[j++] = '\\';
            o[j++] = '<';
            o[j++] = ' ';
        } else if (is_control(u)) {
            /* caret notation: ESC (0x1b) is "^[", DEL is "^?" */
            o[j++] = '^';
            o[j++] = u == 0x7f ? '?' : (char)(u + 0x40);
        } else {
            o[j++] = *c;
        }
    }
    o[j] = '\0';
    return o;
}

/* does the word at w (up to end) consist of punctuation only (":", ";", "!", "?", ">>")? */
static int lone_mark(const char *w, const char *end)
{
    const char *e = w;
    while (e < end && *e != ' ')
        e++;
    if (e == w)
        return 0;
    for (const char *c = w; c < e; c++)
        if (!strchr(":;!?>", *c))
            return 0;
    return 1;
}

int tui_wrap(const char *text, int width, char **out, int max)
{
    int n = 0;
    if (width < 10)
        width = 10;
    const char *p = text ? text : "";
    while (n < max) {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        const char *q = p, *end = p + plen;
        if (plen == 0)
            out[n++] = strdup("");
        while (q < end && n < max) {
            size_t left = (size_t)(end - q);
            size_t take = left;
            if (left > (size_t)width) {
                take = (size_t)width;
                size_t sp = take;
                /* a break before a lone mark (French " :", " ?", " >>") would start a row
                 * with it: break before the word it follows */
                while (sp > 0 && (q[sp] != ' ' || lone_mark(q + sp + 1, end)))
                    sp--;
                if (sp == 0) {
                    sp = take;
                    while (sp > 0 && q[sp] != ' ')
                        sp--;
                }
                if (sp > 0)
                    take = sp;
            }
            out[n++] = strndup(q, take);
            q += take;
            while (q < end && *q == ' ')
                q++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    for (int i = 0; i < n; i++)
        if (!out[i])
            out[i] = strdup("");
    return n;
}

char *tui_fit(const char *s, int w)
{
    if (w < 0)
        w = 0;
    char *o = malloc((size_t)w + 1);
    if (!o)
        return strdup("");
    size_t l = strlen(s);
    if (l > (size_t)w) {
        memcpy(o, s, (size_t)w);
        if (w > 3)
            memcpy(o + w - 3, "...", 3);
    } else {
        memcpy(o, s, l);
        memset(o + l, ' ', (size_t)w - l);
    }
    o[w] = '\0';
    return o;
}

void tui_free_lines(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
}

/* "~" and "~/x" as the home directory (typed paths; the shell is not there to do it) */
char *tui_expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path && path[0] == '~' && (path[1] == '\0' || path[1] == '/') && home && *home)
        return tui_fmt("%s%s", home, path + 1);
    return path ? strdup(path) : NULL;
}
