/* The output directory, written atomically. */
#ifndef K8TLS_OUTPUT_H
#define K8TLS_OUTPUT_H

#include <stdbool.h>
#include "k8tls/bundle.h"

/* The marker the writer puts first into every tree it writes: a header naming the tool and the
 * format, then the paths of the tree. kubectl ignores it (a dotfile without a YAML extension,
 * not listed by kustomization.yaml). */
#define K8TLS_OUTPUT_MARKER ".k8tls-wizard-output"

/* Results of k8tls_output_write(_opts) besides 0 (written) and -1 (failed, nothing changed). */
enum {
    K8TLS_OUTPUT_LEFTOVER = 1,   /* written, but the old tree could not be fully removed:
                                  * e names where it is left */
    K8TLS_OUTPUT_CANCELLED = -2, /* opts->cancelled said so before the new tree was moved into
                                  * place: it is removed, nothing changed */
    K8TLS_OUTPUT_ENV = -3,       /* k8tls_output_check: the target or its parent cannot be
                                  * examined (missing parent, permissions): e says why */
};

struct k8tls_output_opts {
    bool force; /* replace an existing non-empty directory, if the wizard wrote it */
    /* Asked between files and before the new tree is moved into place (may be NULL). */
    bool (*cancelled)(void *ud);
    /* Told one sentence per stale temporary tree of an interrupted run it removed (may be NULL). */
    void (*note)(void *ud, const char *msg);
    void *ud;
};

/* May dir be written (with force: replaced)? The checks of k8tls_output_write without writing
 * anything, so that a caller refuses before generating keys. 0, or -1 with e saying why:
 * a symbolic link, not a directory, a mount point, not empty (without force), or (with force)
 * not recognisably a directory the wizard wrote: every entry listed by its marker, or for a
 * directory without a marker every entry a name of the wizard's own layout; nothing on another
 * file system or mount; not /, the home directory or one holding the current directory. */
int k8tls_output_check(const char *dir, bool force, struct k8tls_err *e);
/* (Returns K8TLS_OUTPUT_ENV instead of -1 when it cannot look.) */

/* Writes every artifact into a temporary directory beside dir (".NAME.k8tls-new-XXXXXX", the
 * marker first), then renames it into place. dir is checked as by k8tls_output_check; with
 * force an existing directory is replaced only once the new one is complete. Temporary trees
 * left beside dir by an interrupted run (by name and content) are removed first (opts->note).
 * Directories 0700, files with the artifact's mode whatever the umask. On failure nothing is
 * left behind and the previous state is untouched. Returns 0, -1 (e filled),
 * K8TLS_OUTPUT_CANCELLED or K8TLS_OUTPUT_LEFTOVER. */
int k8tls_output_write_opts(const struct k8tls_bundle *b, const char *dir,
                            const struct k8tls_output_opts *opts, struct k8tls_err *e);
/* The same with only force. */
int k8tls_output_write(const struct k8tls_bundle *b, const char *dir, bool force, struct k8tls_err *e);

/* Test seams (for the failure-injection tests only; not user options):
 *   K8TLS_TEST_FAIL_AFTER_WRITES=N     the Nth file written fails halfway with EIO
 *   K8TLS_TEST_NO_RENAME_EXCHANGE=1    --force replaces by renaming the old directory aside
 *                                      instead of renameat2(RENAME_EXCHANGE)
 *   K8TLS_TEST_PAUSE_AFTER_WRITES=N    after the Nth file, prints "K8TLS_TEST: paused after
 *                                      write N" on stderr and waits (up to 30 s) until cancelled
 *   K8TLS_TEST_KEEP_OLD=1              the removal of the replaced tree fails */

#endif
