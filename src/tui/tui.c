/* STUB: replaced by the TUI work (issue 5). */
#include "config.h"
#include <stdio.h>
#include "k8tls/cli.h"
int k8tls_tui_run(const struct k8tls_tui_opts *o)
{ (void)o; fprintf(stderr, "k8tls-wizard: the interactive wizard is not built yet\n"); return 2; }
