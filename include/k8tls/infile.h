/* Opening an input file given by the user (answers file, manifest, kubeconfig, password file,
 * a file to inspect): only a regular file is read. A FIFO would block the program forever (on the
 * open when no one writes to it, on the read when the writer never closes it), a directory or a
 * device reads as nonsense; each is refused with one line that says what the path is instead,
 * the same for every reader: "PATH: not a regular file (a FIFO)". /dev/null is accepted (it reads
 * as an empty file: KUBECONFIG=/dev/null is the usual way to say "no kubeconfig"). */
#ifndef K8TLS_INFILE_H
#define K8TLS_INFILE_H

#include <stdio.h>
#include "k8tls/err.h"

/* What k8tls_open_input returns instead of a descriptor. */
#define K8TLS_INPUT_OPEN_FAILED (-1)   /* open() failed: errno is kept, e says why */
#define K8TLS_INPUT_NOT_REGULAR (-2)   /* not a regular file: e says what it is */

/* Opens path read-only (close-on-exec) without blocking on a FIFO, refuses what is not a regular
 * file, and returns a blocking descriptor, or one of the negative values above with e set to
 * "PATH: ..." (errno kept for K8TLS_INPUT_OPEN_FAILED). */
int k8tls_open_input(const char *path, struct k8tls_err *e);

/* The same as a stdio stream ("rb"). NULL with *why (if not NULL) set to the negative value. */
FILE *k8tls_fopen_input(const char *path, int *why, struct k8tls_err *e);

/* "a FIFO", "a directory", ... for a st_mode (translated). */
const char *k8tls_file_kind_name(unsigned mode);

#endif
