/* The output directory, written atomically (SPEC §4). Owned by the bundle work (issue 4). */
#ifndef K8TLS_OUTPUT_H
#define K8TLS_OUTPUT_H

#include <stdbool.h>
#include "k8tls/bundle.h"

/* Writes every artifact into a temporary directory beside dir, then renames it into place.
 * An existing non-empty dir is refused unless force (then replaced only once the new one is
 * complete). Directories 0700, files with the artifact's mode whatever the umask. On failure
 * nothing is left behind and the previous state is untouched. Returns 0 or -1 (e filled). */
int k8tls_output_write(const struct k8tls_bundle *b, const char *dir, bool force, struct k8tls_err *e);

/* Test seams (for the failure-injection tests only; not user options):
 *   K8TLS_TEST_FAIL_AFTER_WRITES=N     the Nth file written fails halfway with EIO
 *   K8TLS_TEST_NO_RENAME_EXCHANGE=1    --force replaces by renaming the old directory aside
 *                                      instead of renameat2(RENAME_EXCHANGE) */

#endif
