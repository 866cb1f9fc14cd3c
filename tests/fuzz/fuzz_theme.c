/* Fuzz harness: the theme-file reader (k8tls_theme_parse, X5).
 * Checked beyond "no crash, no sanitizer report, bounded": an error names the file; a theme that
 * parses has every colour in -1..7 and only known attribute bits, and a theme that does not parse
 * leaves a usable look (the caller falls back to it). */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/theme.h"

#define KNOWN_ATTRS (K8TLS_ATTR_BOLD | K8TLS_ATTR_UNDERLINE | K8TLS_ATTR_REVERSE | \
                     K8TLS_ATTR_STANDOUT | K8TLS_ATTR_DIM)

static void sane(const struct k8tls_theme *t)
{
    for (int r = 0; r < K8TLS_ROLE_COUNT; r++) {
        const struct k8tls_theme_role *x = &t->roles[r];
        if (x->fg < K8TLS_COLOR_DEFAULT || x->fg > 7 || x->bg < K8TLS_COLOR_DEFAULT || x->bg > 7
            || (x->attrs & ~(unsigned)KNOWN_ATTRS)) {
            fprintf(stderr, "role %s out of range: fg %d bg %d attrs %#x\n",
                    k8tls_theme_role_name((enum k8tls_role)r), x->fg, x->bg, x->attrs);
            abort();
        }
    }
    if (memchr(t->name, 0, sizeof t->name) == NULL) {
        fprintf(stderr, "theme name is not terminated\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz.theme";
    struct k8tls_theme t;
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    k8tls_theme_mono(&t);
    if (k8tls_theme_parse(name, (const char *)data, size, &t, &e) == 0) {
        sane(&t);
    } else {
        if (!e.msg[0] || (strcmp(e.file, name) != 0 && !strstr(e.msg, name))) {
            fprintf(stderr, "theme error without the file: '%s' '%s'\n", e.file, e.msg);
            abort();
        }
        sane(&t);
    }
    return 0;
}
