/* What a merge changed in an existing K8ssandraCluster, for the user: the list of changes of a
 * bundle (struct k8tls_change in include/k8tls/bundle.h), its verbs and its text.
 * The lowest file of the bundle stage: manifest.c and merge.c record changes here, nextsteps.c
 * and the command line read them, bundle.c frees them. It calls only the buffer (buf.c) and the
 * C library, never another file of the bundle. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"

#include <stdlib.h>
#include <string.h>

int k8tls_bundle_add_change(struct k8tls_bundle *b, int what, const char *path)
{
    struct k8tls_change *nv = realloc(b->changes, (b->n_changes + 1) * sizeof *nv);
    if (!nv)
        return -1;
    b->changes = nv;
    char *p = strdup(path);
    if (!p)
        return -1;
    b->changes[b->n_changes].what = what;
    b->changes[b->n_changes].path = p;
    b->n_changes++;
    return 0;
}

void k8tls_bundle_clear_changes(struct k8tls_bundle *b)
{
    for (size_t i = 0; i < b->n_changes; i++)
        free(b->changes[i].path);
    free(b->changes);
    b->changes = NULL;
    b->n_changes = 0;
}

const char *k8tls_change_verb(int what)
{
    switch (what) {
    case K8TLS_CHANGE_ADDED: return _("added");
    case K8TLS_CHANGE_REPLACED: return _("replaced");
    case K8TLS_CHANGE_MIGRATED: return _("migrated");
    case K8TLS_CHANGE_REMOVED: return _("removed");
    default: return "?";
    }
}

char *k8tls_bundle_changes_text(const struct k8tls_bundle *b)
{
    struct k8tls_buf t = {0};
    if (b && b->n_changes) {
        k8tls_buf_printf(&t, "%s\n", _("Changes to the existing K8ssandraCluster:"));
        for (size_t i = 0; i < b->n_changes; i++)
            k8tls_buf_printf(&t, "  %s: %s\n", k8tls_change_verb(b->changes[i].what),
                             b->changes[i].path);
    }
    return k8tls_buf_take(&t, NULL);
}
