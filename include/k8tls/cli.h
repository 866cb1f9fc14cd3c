/* Entry points of the faces, called by src/cli/main.c. Each returns a process exit code
 * (0 ok, 1 validation/inspection problem, 2 usage, 3 environment failure). */
#ifndef K8TLS_CLI_H
#define K8TLS_CLI_H

#include <stdbool.h>

/* `k8tls-wizard inspect [--password REF] PATH...`: argv[0] is "inspect". (issue 3) */
int k8tls_cli_inspect(int argc, char **argv);

/* `k8tls-wizard rotate ...`: argv[0] is "rotate". (issue 7) */
int k8tls_cli_rotate(int argc, char **argv);

struct k8tls_tui_opts {
    const char *theme;        /* NAME or PATH, NULL = default */
    bool no_color;            /* --no-color or NO_COLOR */
    const char *answers;      /* --answers FILE to start from, or NULL */
    const char *output;       /* --output DIR preset, or NULL */
    const char *kubeconfig;
};
/* The interactive wizard. (issue 5) */
int k8tls_tui_run(const struct k8tls_tui_opts *o);

#endif
