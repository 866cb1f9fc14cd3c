/* NULL-terminated arrays of heap strings ("string vectors"): what the SAN lists and the missing
 * names are. Implemented in src/core/strv.c, which calls nothing of the project. */
#ifndef K8TLS_STRV_H
#define K8TLS_STRV_H

#include <stddef.h>

/* Frees every string and the array (v may be NULL). */
void k8tls_strv_free(char **v);
/* Joins up to max items of v with ", " (", ... (N more)") into a heap string. */
char *k8tls_strv_join(char *const *v, size_t max);

#endif
