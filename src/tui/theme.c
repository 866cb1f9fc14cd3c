/* Theme files: parsing and lookup (no curses; colors.c applies a theme). */
#include "config.h"
#include "k8tls/theme.h"
#include "k8tls/i18n.h"
#include "k8tls/datadir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define THEME_MAX_BYTES (64 * 1024)
#define THEME_MAX_LINE 1024

static const struct {
    const char *name;
    unsigned mono;
} role_table[K8TLS_ROLE_COUNT] = {
#define K8TLS_ROLE_ROW(e, n, m) [K8TLS_ROLE_##e] = {n, m},
    K8TLS_THEME_ROLES(K8TLS_ROLE_ROW)
#undef K8TLS_ROLE_ROW
};

static const char *const color_names[] = {"black", "red", "green", "yellow",
                                          "blue",  "magenta", "cyan", "white"};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"normal", 0},
    {"bold", K8TLS_ATTR_BOLD},
    {"underline", K8TLS_ATTR_UNDERLINE},
    {"reverse", K8TLS_ATTR_REVERSE},
    {"standout", K8TLS_ATTR_STANDOUT},
    {"dim", K8TLS_ATTR_DIM},
};

const char *k8tls_theme_role_name(enum k8tls_role r)
{
    return (int)r >= 0 && r < K8TLS_ROLE_COUNT ? role_table[r].name : NULL;
}

void k8tls_theme_mono(struct k8tls_theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "mono");
    t->color = false;
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++) {
        t->roles[r].set = false;
        t->roles[r].fg = K8TLS_COLOR_DEFAULT;
        t->roles[r].bg = K8TLS_COLOR_DEFAULT;
        t->roles[r].attrs = role_table[r].mono;
    }
}

/* A token made safe for a message: printable ASCII only, bounded. */
static const char *shown(const char *s, size_t n, char *buf, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 4 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (n > 0 && j + 4 >= cap && j < n) {
        buf[j++] = '.';
        buf[j++] = '.';
        buf[j++] = '.';
    }
    buf[j] = '\0';
    return buf;
}

static bool tok_is(const char *tok, size_t n, const char *word)
{
    return strlen(word) == n && strncmp(tok, word, n) == 0;
}

static int parse_color(const char *tok, size_t n, int *out)
{
    if (tok_is(tok, n, "default")) {
        *out = K8TLS_COLOR_DEFAULT;
        return 0;
    }
    for (int i = 0; i < 8; i++)
        if (tok_is(tok, n, color_names[i])) {
            *out = i;
            return 0;
        }
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == ',';
}

/* Next whitespace/comma separated token in [*p, end). */
static bool next_tok(const char **p, const char *end, const char **tok, size_t *n)
{
    const char *s = *p;
    while (s < end && is_space(*s))
        s++;
    if (s >= end) {
        *p = s;
        return false;
    }
    const char *t = s;
    while (s < end && !is_space(*s))
        s++;
    *tok = t;
    *n = (size_t)(s - t);
    *p = s;
    return true;
}

static int parse_line(const char *name, int lineno, const char *line, size_t len,
                      struct k8tls_theme *t, int *first_line, struct k8tls_err *e)
{
    char b1[48], b2[48];
    const char *end = line + len;
    const char *hash = memchr(line, '#', len);
    if (hash)
        end = hash;
    const char *s = line;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    if (s == end)
        return 0;

    const char *eq = memchr(s, '=', (size_t)(end - s));
    if (!eq) {
        k8tls_err_set(e, name, lineno, 0,
                      _("expected \"ROLE = FOREGROUND BACKGROUND [ATTRIBUTE...]\", found \"%s\""),
                      shown(s, (size_t)(end - s), b1, sizeof b1));
        return -1;
    }
    const char *re = eq;
    while (re > s && (re[-1] == ' ' || re[-1] == '\t'))
        re--;
    int role = -1;
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++)
        if (tok_is(s, (size_t)(re - s), role_table[r].name))
            role = r;
    if (role < 0) {
        k8tls_err_set(e, name, lineno, 1,
                      _("unknown colour role \"%s\" (roles: title, text, field, focused-field, "
                        "button, focused-button, error, warning, help-bar, masked)"),
                      shown(s, (size_t)(re - s), b1, sizeof b1));
        return -1;
    }
    if (first_line[role]) {
        k8tls_err_set(e, name, lineno, 1, _("role \"%s\" is already set on line %d"),
                      role_table[role].name, first_line[role]);
        return -1;
    }

    struct k8tls_theme_role v = {true, K8TLS_COLOR_DEFAULT, K8TLS_COLOR_DEFAULT, 0};
    const char *p = eq + 1, *tok;
    size_t n;
    for (int i = 0; i < 2; i++) {
        if (!next_tok(&p, end, &tok, &n)) {
            k8tls_err_set(e, name, lineno, (int)(p - line) + 1,
                          _("role \"%s\": expected a foreground and a background colour"),
                          role_table[role].name);
            return -1;
        }
        if (parse_color(tok, n, i == 0 ? &v.fg : &v.bg) < 0) {
            k8tls_err_set(e, name, lineno, (int)(tok - line) + 1,
                          _("unknown colour \"%s\" (colours: default, black, red, green, yellow, "
                            "blue, magenta, cyan, white)"),
                          shown(tok, n, b2, sizeof b2));
            return -1;
        }
    }
    while (next_tok(&p, end, &tok, &n)) {
        size_t a;
        for (a = 0; a < sizeof attr_names / sizeof attr_names[0]; a++)
            if (tok_is(tok, n, attr_names[a].name))
                break;
        if (a == sizeof attr_names / sizeof attr_names[0]) {
            k8tls_err_set(e, name, lineno, (int)(tok - line) + 1,
                          _("unknown attribute \"%s\" (attributes: normal, bold, underline, "
                            "reverse, standout, dim)"),
                          shown(tok, n, b2, sizeof b2));
            return -1;
        }
        v.attrs |= attr_names[a].bit;
    }
    t->roles[role] = v;
    first_line[role] = lineno;
    return 0;
}

int k8tls_theme_parse(const char *name, const char *buf, size_t len, struct k8tls_theme *t,
                      struct k8tls_err *e)
{
    int first_line[K8TLS_ROLE_COUNT] = {0};
    struct k8tls_theme tmp;
    k8tls_theme_mono(&tmp);
    tmp.color = true;
    if (!name)
        name = "theme";
    if (len > THEME_MAX_BYTES) {
        k8tls_err_set(e, name, 0, 0, _("too large for a theme (%zu bytes, at most %d)"), len,
                      THEME_MAX_BYTES);
        return -1;
    }
    if (buf == NULL && len > 0)
        return -1;
    if (len && memchr(buf, '\0', len)) {
        const char *z = memchr(buf, '\0', len);
        int line = 1;
        for (const char *c = buf; c < z; c++)
            line += *c == '\n';
        k8tls_err_set(e, name, line, 0, _("not a text file (NUL byte)"));
        return -1;
    }
    int lineno = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (buf + i)) : len - i;
        lineno++;
        if (l > THEME_MAX_LINE) {
            k8tls_err_set(e, name, lineno, 0, _("line too long (%zu bytes, at most %d)"), l,
                          THEME_MAX_LINE);
            return -1;
        }
        if (parse_line(name, lineno, buf + i, l, &tmp, first_line, e) < 0)
            return -1;
        i += l + (nl ? 1 : 0);
    }
    /* the name: the file's base name without .theme */
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t bl = strlen(base);
    if (bl > 6 && strcmp(base + bl - 6, ".theme") == 0)
        bl -= 6;
    if (bl >= sizeof tmp.name)
        bl = sizeof tmp.name - 1;
    memcpy(tmp.name, base, bl);
    tmp.name[bl] = '\0';
    *t = tmp;
    return 0;
}

int k8tls_theme_load_file(const char *path, struct k8tls_theme *t, struct k8tls_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        k8tls_err_set(e, path, 0, 0, _("cannot read the theme: %s"), strerror(errno));
        return -1;
    }
    char *buf = malloc(THEME_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        k8tls_err_set(e, path, 0, 0, _("out of memory"));
        return -1;
    }
    size_t n = fread(buf, 1, THEME_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        k8tls_err_set(e, path, 0, 0, _("cannot read the theme"));
        return -1;
    }
    int rc = k8tls_theme_parse(path, buf, n, t, e);
    free(buf);
    return rc;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int k8tls_theme_find(const char *spec, const char *themes_dir, struct k8tls_theme *t,
                     struct k8tls_err *e)
{
    if (!spec || !*spec)
        spec = "default";
    size_t sl = strlen(spec);
    if (strchr(spec, '/') || (sl > 6 && strcmp(spec + sl - 6, ".theme") == 0))
        return k8tls_theme_load_file(spec, t, e);
    for (const char *c = spec; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_')) {
            char b[48];
            k8tls_err_set(e, NULL, 0, 0, _("\"%s\" is not a theme name (letters, digits, '-', "
                                           "'_') nor a path to a .theme file"),
                          shown(spec, sl, b, sizeof b));
            return -1;
        }
    }
    /* $K8TLS_THEMES_DIR, then themes/ next to a binary that is not installed (datadir.h), then
     * the installed directory */
    char built[4096];
    const char *dirs[3] = {getenv("K8TLS_THEMES_DIR"),
                           k8tls_datadir_build_tree("themes", built, sizeof built) ? built : NULL,
                           themes_dir};
    const char *looked[3];
    size_t n_looked = 0;
    char path[4096];
    for (int i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        looked[n_looked++] = dirs[i];
        int n = snprintf(path, sizeof path, "%s/%s.theme", dirs[i], spec);
        if (n > 0 && (size_t)n < sizeof path && is_file(path))
            return k8tls_theme_load_file(path, t, e);
    }
    if (n_looked == 0) {
        k8tls_err_set(e, NULL, 0, 0, _("unknown theme \"%s\" (looked in %s)"), spec, "-");
    } else if (n_looked == 1) {
        k8tls_err_set(e, NULL, 0, 0, _("unknown theme \"%s\" (looked in %s)"), spec, looked[0]);
    } else {
        /* "A, B and C" */
        char first[2 * 4096 + 8];
        snprintf(first, sizeof first, "%s%s%s", looked[0], n_looked > 2 ? ", " : "",
                 n_looked > 2 ? looked[1] : "");
        k8tls_err_set(e, NULL, 0, 0, _("unknown theme \"%s\" (looked in %s and %s)"), spec,
                      first, looked[n_looked - 1]);
    }
    return -1;
}
