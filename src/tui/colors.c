/* Applies a theme (theme.h) with curses: one colour pair per role, CDK markup for each role. Calls
 * text.c only. */
#include "config.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool use_color;
static chtype role_attr[K8TLS_ROLE_COUNT];
static char role_on[K8TLS_ROLE_COUNT][32];
static char role_off[K8TLS_ROLE_COUNT][32];

static chtype attrs_of(unsigned a)
{
    chtype c = A_NORMAL;
    if (a & K8TLS_ATTR_BOLD)
        c |= A_BOLD;
    if (a & K8TLS_ATTR_UNDERLINE)
        c |= A_UNDERLINE;
    if (a & K8TLS_ATTR_REVERSE)
        c |= A_REVERSE;
    if (a & K8TLS_ATTR_STANDOUT)
        c |= A_STANDOUT;
    if (a & K8TLS_ATTR_DIM)
        c |= A_DIM;
    return c;
}

/* CDK markup letters for the attributes: </B> bold, </U> underline, </R> reverse, </S> standout,
 * </D> dim; </N> (N a number) selects colour pair N. */
static void markup_of(unsigned a, int pair, char *on, char *off, size_t cap)
{
    static const struct {
        unsigned bit;
        char letter;
    } letters[] = {{K8TLS_ATTR_BOLD, 'B'},
                   {K8TLS_ATTR_UNDERLINE, 'U'},
                   {K8TLS_ATTR_REVERSE, 'R'},
                   {K8TLS_ATTR_STANDOUT, 'S'},
                   {K8TLS_ATTR_DIM, 'D'}};
    size_t n = 0, m = 0;
    on[0] = off[0] = '\0';
    if (pair > 0) {
        n += (size_t)snprintf(on + n, cap - n, "</%d>", pair);
        m += (size_t)snprintf(off + m, cap - m, "<!%d>", pair);
    }
    for (size_t i = 0; i < sizeof letters / sizeof letters[0] && n + 5 < cap; i++)
        if (a & letters[i].bit) {
            n += (size_t)snprintf(on + n, cap - n, "</%c>", letters[i].letter);
            m += (size_t)snprintf(off + m, cap - m, "<!%c>", letters[i].letter);
        }
}

void tui_colors_init(const struct k8tls_theme *t)
{
    use_color = t->color && has_colors();
    if (use_color) {
        start_color();
        use_default_colors();
    }
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++) {
        const struct k8tls_theme_role *ro = &t->roles[r];
        int pair = 0;
        if (use_color && ro->set && (ro->fg != K8TLS_COLOR_DEFAULT || ro->bg != K8TLS_COLOR_DEFAULT)) {
            pair = r + 1;
            init_pair((short)pair, (short)ro->fg, (short)ro->bg);
        }
        role_attr[r] = attrs_of(ro->attrs) | (pair ? (chtype)COLOR_PAIR(pair) : 0);
        markup_of(ro->attrs, pair, role_on[r], role_off[r], sizeof role_on[r]);
    }
}

chtype tui_attr(enum k8tls_role r)
{
    return role_attr[r];
}

const char *tui_mk(enum k8tls_role r)
{
    return role_on[r];
}

const char *tui_mk_end(enum k8tls_role r)
{
    return role_off[r];
}

char *tui_styled(enum k8tls_role r, const char *plain)
{
    char *e = tui_escape(plain);
    char *s = tui_fmt("%s%s%s", tui_mk(r), e ? e : "", tui_mk_end(r));
    free(e);
    return s;
}
