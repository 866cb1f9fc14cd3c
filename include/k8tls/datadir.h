/* Where the program's data (themes, message catalogs) is when it runs from its build tree rather
 * than from where `make install` put it. Implemented in src/core/datadir.c (calls nothing of the
 * project). */
#ifndef K8TLS_DATADIR_H
#define K8TLS_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* When the running program is not the installed one (its directory, from /proc/self/exe, is not
 * the configured bindir): the directory rel next to it if there is one, else, when it runs in
 * the build tree it was built in (a VPATH build), rel in the source tree. Writes that directory
 * to out (n bytes) and returns true; returns false when the program is installed or no such
 * directory exists (then the installed paths apply). */
bool k8tls_datadir_build_tree(const char *rel, char *out, size_t n);

#endif
