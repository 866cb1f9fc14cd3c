/* String vectors (strv.h): freeing and joining NULL-terminated arrays of heap strings. Calls
 * nothing of the project. */
#include "config.h"
#include "k8tls/strv.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void k8tls_strv_free(char **v)
{
    if (!v)
        return;
    for (char **s = v; *s; s++)
        free(*s);
    free(v);
}

char *k8tls_strv_join(char *const *v, size_t max)
{
    size_t n = 0, len = 1;
    for (; v && v[n]; n++)
        if (n < max)
            len += strlen(v[n]) + 2;
    len += 64;
    char *out = malloc(len);
    if (!out)
        return NULL;
    out[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < n && i < max; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "", v[i]);
    if (n > max)
        snprintf(out + o, len - o, _(", ... (%zu more)"), n - max);
    return out;
}
