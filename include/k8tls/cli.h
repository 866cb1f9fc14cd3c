/* Entry points of the faces, called by src/cli/main.c, and what the command-line files share
 * (src/cli/common.c). Each entry point returns a process exit code (0 ok, 1 validation/inspection
 * problem, 2 usage, 3 environment failure). Declarations only. */
#ifndef K8TLS_CLI_H
#define K8TLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The process exit codes. */
enum k8tls_exit {
    K8TLS_EXIT_OK = 0,
    K8TLS_EXIT_INVALID = 1,    /* a validation or inspection problem; refused (nothing written) */
    K8TLS_EXIT_USAGE = 2,
    K8TLS_EXIT_ENV = 3,        /* kubectl missing, API refused, disk... */
};

/* `k8tls-wizard inspect [--password REF] PATH...`: argv[0] is "inspect". */
int k8tls_cli_inspect(int argc, char **argv);
/* An inspect report as text (src/cli/inspect.c), unescaped: wrap out in a k8tls_text_capture.
 * The readable report (what `inspect` prints on stdout), and one line per error,
 * "NAME: error: MESSAGE" (what it prints on stderr). */
struct k8tls_inspect_report;
void k8tls_cli_inspect_print(const struct k8tls_inspect_report *r, FILE *out);
void k8tls_cli_inspect_print_errors(const struct k8tls_inspect_report *r, FILE *out);

/* `k8tls-wizard rotate ...`: argv[0] is "rotate". */
int k8tls_cli_rotate(int argc, char **argv);
/* `k8tls-wizard enable ...`: argv[0] is "enable" (src/cli/enable.c). */
int k8tls_cli_enable(int argc, char **argv);
/* Merge mode of the plain --answers run (src/cli/enable.c): a running cluster whose manifest has
 * no encryption is not switched in one restart unless asked (one_shot, or rollout.mode: oneShot
 * in the answers; then the maintenance-window warning is printed); rollout.mode: staged in the
 * answers writes the phase they name or the phase due. Otherwise one line says to run
 * `enable` (the staged rollout, the default) or --one-shot. who starts the lines. Returns -1 to
 * go on (p->rollout set), or the exit code of a refusal (one line printed). */
struct k8tls_plan;
int k8tls_cli_enable_merge_default(const char *who, struct k8tls_plan *p, bool one_shot);
/* `k8tls-wizard doctor ...`: argv[0] is "doctor" (src/doctor/cli.c). */
int k8tls_cli_doctor(int argc, char **argv);

/* The exit code of a core status (src/cli/common.c): the only place statuses become exit codes. */
#include "k8tls/err.h"
int k8tls_cli_exit_code(enum k8tls_status st);
/* A subcommand's usage error: "PROG: MSG" and "Try 'PROG --help' ..." on stderr. */
void k8tls_cli_usage_error(const char *prog, const char *msg);
/* After getopt_long (optstring starting with ':'): c is ':' for an option without its value,
 * 0 for an argument left at argv[optind], anything else for an unknown option. Prints the usage
 * error and returns K8TLS_EXIT_USAGE. */
int k8tls_cli_getopt_error(const char *prog, int c, char **argv);

/* Shared by the command-line faces (defined in src/cli/common.c); prog starts their messages.
 * k8tls_cli_add_context appends a --context value to *v (*n items); -1 after printing
 * "PROG: out of memory". k8tls_cli_write_output writes the bundle into dir (k8tls_output_write)
 * and says so on stderr ("wrote DIR (N files); see DIR/NEXT-STEPS.md"), or prints the reason
 * and "DIR was not written" and returns -1. */
struct k8tls_bundle;
int k8tls_cli_add_context(const char *prog, const char ***v, size_t *n, const char *name);
int k8tls_cli_write_output(const char *prog, const struct k8tls_bundle *b, const char *dir,
                           bool force);

/* The on_text callback of k8tls_apply_opts for the command line (ud unused): results on stdout,
 * flushed after each applied object; failures on stderr after stdout is flushed; progress on
 * stderr. Flush stdout once more when k8tls_kube_apply returns. */
#include "k8tls/kube.h"
void k8tls_cli_kube_text(void *ud, enum k8tls_kube_text kind, const char *text);

struct k8tls_tui_opts {
    const char *theme;        /* NAME or PATH, NULL = default */
    bool no_color;            /* --no-color or NO_COLOR */
    const char *answers;      /* --answers FILE to start from, or NULL */
    const char *output;       /* --output DIR preset, or NULL */
    const char *kubeconfig;
};
/* The interactive wizard. */
int k8tls_tui_run(const struct k8tls_tui_opts *o);

#endif
