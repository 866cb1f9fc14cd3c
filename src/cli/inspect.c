/* STUB: replaced by the PKI/stores import work (issue 3). */
#include "config.h"
#include <stdio.h>
#include "k8tls/cli.h"
int k8tls_cli_inspect(int argc, char **argv)
{ (void)argc; (void)argv; fprintf(stderr, "k8tls-wizard: inspect is not built yet\n"); return 2; }
