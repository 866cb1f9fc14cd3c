/* What the command-line faces share: the one map from a core status to the process exit code,
 * --context lists, writing a bundle to a directory with its messages and signal handling, and
 * the printing of an apply's report (k8tls_kube_apply).
 * Called by main.c, rotate.c and inspect.c; calls only the core. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8tls/i18n.h"
#include "k8tls/err.h"
#include "k8tls/bundle.h"
#include "k8tls/output.h"
#include "k8tls/cli.h"
#include "k8tls/kube.h"
#include "k8tls/text.h"

int k8tls_cli_exit_code(enum k8tls_status st)
{
    switch (st) {
    case K8TLS_OK:
        return K8TLS_EXIT_OK;
    case K8TLS_INVALID:
    case K8TLS_REFUSED:
        return K8TLS_EXIT_INVALID;
    case K8TLS_USAGE:
        return K8TLS_EXIT_USAGE;
    case K8TLS_ENVIRONMENT:
    case K8TLS_NOMEM:
        break;
    }
    return K8TLS_EXIT_ENV;
}

void k8tls_cli_kube_text(void *ud, enum k8tls_kube_text kind, const char *text)
{
    (void)ud;
    switch (kind) {
    case K8TLS_KUBE_TEXT_APPLIED:
        fputs(text, stdout);
        fflush(stdout);
        break;
    case K8TLS_KUBE_TEXT_DIFF:
        fputs(text, stdout);
        break;
    case K8TLS_KUBE_TEXT_PROGRESS:
        fputs(text, stderr);
        break;
    case K8TLS_KUBE_TEXT_FAILURE:
        fflush(stdout);
        fputs(text, stderr);
        break;
    }
}

int k8tls_cli_add_context(const char *prog, const char ***v, size_t *n, const char *name)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
        return -1;
    }
    *v = nv;
    nv[(*n)++] = name;
    return 0;
}

/* SIGINT, SIGTERM and SIGHUP while the output directory is written: the writer is told to stop
 * (it removes its temporary tree, or finishes a replacement already under way), then the process
 * ends by the same signal. */
static volatile sig_atomic_t write_signal;

static void on_write_signal(int sig)
{
    write_signal = sig;
}

static bool write_cancelled(void *ud)
{
    (void)ud;
    return write_signal != 0;
}

static void write_note(void *ud, const char *msg)
{
    fprintf(stderr, "%s: %s\n", (const char *)ud, msg);
}

int k8tls_cli_write_output(const char *prog, const struct k8tls_bundle *b, const char *dir,
                           bool force)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction old[3], sa;
    bool caught[3] = {false, false, false};
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_write_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    write_signal = 0;
    for (size_t i = 0; i < 3; i++)
        /* a signal ignored (nohup, a background job) stays ignored */
        if (sigaction(sigs[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
            caught[i] = sigaction(sigs[i], &sa, NULL) == 0;

    struct k8tls_err e;
    struct k8tls_output_opts opts = {
        .force = force, .cancelled = write_cancelled, .note = write_note, .ud = (void *)prog,
    };
    k8tls_err_clear(&e);
    int rc = k8tls_output_write_opts(b, dir, &opts, &e);
    for (size_t i = 0; i < 3; i++)
        if (caught[i])
            sigaction(sigs[i], &old[i], NULL);
    char buf[2048];
    if (rc < 0 && rc != K8TLS_OUTPUT_CANCELLED)
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
    if (rc < 0)
        k8tls_text_fprintf(stderr, _("%s: %s was not written\n"), prog, dir);
    else
        k8tls_text_fprintf(stderr, _("%s: wrote %s (%zu files); see %s/NEXT-STEPS.md\n"), prog, dir, b->n,
                dir);
    if (rc == K8TLS_OUTPUT_LEFTOVER)
        k8tls_text_fprintf(stderr, _("%s: warning: %s\n"), prog, k8tls_err_format(&e, buf, sizeof buf));
    int sig = write_signal;
    if (sig) {
        if (rc < 0)
            k8tls_text_fprintf(stderr, _("%s: interrupted (%s): nothing was changed\n"), prog,
                    strsignal(sig));
        else
            k8tls_text_fprintf(stderr, _("%s: interrupted (%s) after the directory was written\n"), prog,
                    strsignal(sig));
        fflush(stderr);
        signal(sig, SIG_DFL);
        raise(sig);
        return -1;
    }
    return rc == 0 ? 0 : -1;
}

/* Returns -1 on success, or the exit code to leave with. */

void k8tls_cli_usage_error(const char *prog, const char *msg)
{
    k8tls_text_fprintf(stderr, "%s: %s\n", prog, msg);
    fprintf(stderr, _("Try '%s --help' for more information.\n"), prog);
}

int k8tls_cli_getopt_error(const char *prog, int c, char **argv)
{
    char msg[512];
    if (c == 0)
        snprintf(msg, sizeof msg, _("unexpected argument '%s'"), argv[optind]);
    else if (c == ':')
        snprintf(msg, sizeof msg, _("option '%s' needs a value"), argv[optind - 1]);
    else
        snprintf(msg, sizeof msg, _("unknown option '%s'"), argv[optind - 1]);
    k8tls_cli_usage_error(prog, msg);
    return K8TLS_EXIT_USAGE;
}
