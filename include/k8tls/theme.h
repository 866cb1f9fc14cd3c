/* TUI colour themes: one table of colour roles, themes as data over it.
 * The reader is pure (no curses) so that it can be tested and fuzzed; src/tui/colors.c applies a
 * theme with curses.
 *
 * File format (themes/NAME.theme), one role per line, '#' starts a comment:
 *     role = FOREGROUND BACKGROUND [ATTRIBUTE...]
 * roles: see K8TLS_THEME_ROLES; colours: default black red green yellow blue magenta cyan white;
 * attributes: normal bold underline reverse standout dim.
 * A role the file does not set keeps the mono look (attributes only, no colour). */
#ifndef K8TLS_THEME_H
#define K8TLS_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/err.h"

/* X(enum suffix, name in files, mono attributes) */
#define K8TLS_THEME_ROLES(X)                                                                  \
    X(TITLE, "title", K8TLS_ATTR_BOLD | K8TLS_ATTR_REVERSE)                                  \
    X(TEXT, "text", 0)                                                                       \
    X(FIELD, "field", K8TLS_ATTR_UNDERLINE)                                                  \
    X(FOCUSED_FIELD, "focused-field", K8TLS_ATTR_BOLD | K8TLS_ATTR_REVERSE)                  \
    X(BUTTON, "button", 0)                                                                   \
    X(FOCUSED_BUTTON, "focused-button", K8TLS_ATTR_BOLD | K8TLS_ATTR_REVERSE)                \
    X(ERROR, "error", K8TLS_ATTR_BOLD)                                                       \
    X(WARNING, "warning", K8TLS_ATTR_BOLD)                                                   \
    X(HELP_BAR, "help-bar", K8TLS_ATTR_REVERSE)                                              \
    X(MASKED, "masked", K8TLS_ATTR_BOLD)

enum k8tls_role {
#define K8TLS_ROLE_ENUM(e, name, mono) K8TLS_ROLE_##e,
    K8TLS_THEME_ROLES(K8TLS_ROLE_ENUM)
#undef K8TLS_ROLE_ENUM
    K8TLS_ROLE_COUNT
};

enum k8tls_attr {
    K8TLS_ATTR_BOLD = 1,
    K8TLS_ATTR_UNDERLINE = 2,
    K8TLS_ATTR_REVERSE = 4,
    K8TLS_ATTR_STANDOUT = 8,
    K8TLS_ATTR_DIM = 16,
};

/* Colours: -1 = the terminal's default, 0..7 = the curses colours (COLOR_BLACK..COLOR_WHITE). */
#define K8TLS_COLOR_DEFAULT (-1)

struct k8tls_theme_role {
    bool set;        /* given by the file (else the mono look) */
    int fg, bg;      /* K8TLS_COLOR_DEFAULT or 0..7 */
    unsigned attrs;  /* enum k8tls_attr bits */
};

struct k8tls_theme {
    char name[64];
    bool color;      /* false: attributes only (mono, NO_COLOR) */
    struct k8tls_theme_role roles[K8TLS_ROLE_COUNT];
};

/* The mono look: no colour, each role's built-in attributes. */
void k8tls_theme_mono(struct k8tls_theme *t);

/* Parses a theme from memory; name is used in messages ("FILE:LINE: ..."). Returns 0, or -1 with
 * e naming the file and line. Bounded: lines over 1 KiB and inputs over 64 KiB are errors. */
int k8tls_theme_parse(const char *name, const char *buf, size_t len, struct k8tls_theme *t,
                      struct k8tls_err *e);
/* Reads and parses a theme file. */
int k8tls_theme_load_file(const char *path, struct k8tls_theme *t, struct k8tls_err *e);

/* Finds and loads a theme: spec is a path when it contains a '/' or ends in ".theme", else a name
 * looked up as NAME.theme in $K8TLS_THEMES_DIR, then in themes_dir (the installed directory).
 * spec NULL or "" = "default". Returns 0, or -1 with e filled (unknown name: lists where it looked). */
int k8tls_theme_find(const char *spec, const char *themes_dir, struct k8tls_theme *t,
                     struct k8tls_err *e);

/* Names for the tables: "title", "focused-field", ...; NULL when out of range. */
const char *k8tls_theme_role_name(enum k8tls_role r);

#endif
