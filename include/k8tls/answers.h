/* The answers file, read and written with libyaml. */
#ifndef K8TLS_ANSWERS_H
#define K8TLS_ANSWERS_H

#include <stdio.h>
#include "k8tls/plan.h"

/* Loads an answers file over the defaults. Every problem (YAML syntax, unknown key, wrong type,
 * enum value, ...) is added to d as "FILE:LINE:COL: PATH: expected ..."; loading goes on after an
 * error so that all of them are reported. Returns the plan (even with errors, for the TUI) or NULL
 * when the file cannot be read at all (also reported in d). */
struct k8tls_plan *k8tls_answers_load(const char *path, struct k8tls_diags *d);
/* Same from memory; name is used in messages. */
struct k8tls_plan *k8tls_answers_load_buf(const char *name, const char *buf, size_t len,
                                          struct k8tls_diags *d);

enum k8tls_answers_emit_flags {
    K8TLS_EMIT_COMMENTS = 1,        /* section comments (the template) */
    K8TLS_EMIT_OMIT_LITERAL_PW = 2, /* literal passwords left out (env:/file: refs kept) */
    /* relative paths (file: references, import paths, cluster.manifest, output.directory) written
     * absolute, resolved as the plan resolves them: for a copy kept in another directory (the
     * answers.yaml of an output directory), which replays from wherever it is */
    K8TLS_EMIT_ABSOLUTE_PATHS = 4,
};

/* Writes the plan as an answers file through libyaml. Returns 0 or -1 (e filled). */
int k8tls_answers_emit(const struct k8tls_plan *p, int flags, FILE *out, struct k8tls_err *e);
/* Same into a malloc'd NUL-terminated buffer (*len without the NUL). */
int k8tls_answers_emit_buf(const struct k8tls_plan *p, int flags, char **buf, size_t *len,
                           struct k8tls_err *e);

#endif
