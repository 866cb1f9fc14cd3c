/* STUB: replaced by the rotation work (issue 7). */
#include "config.h"
#include <stdio.h>
#include "k8tls/cli.h"
int k8tls_cli_rotate(int argc, char **argv)
{ (void)argc; (void)argv; fprintf(stderr, "k8tls-wizard: rotate is not built yet\n"); return 2; }
