/* `k8tls-wizard inspect [--password env:NAME|file:PATH] PATH...`: a thin face over the inspect
 * core (include/k8tls/inspect.h). The report goes to stdout, one line per error to stderr; exit 1
 * when anything is expired, mismatched or unreadable, 0 otherwise, 2 for usage. Never asks for a
 * password: it comes from --password (a reference, never a literal: argv is world-readable) or
 * from a "<store>-password" file beside the store. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8tls/i18n.h"
#include "k8tls/cli.h"
#include "k8tls/inspect.h"
#include "k8tls/secure.h"
#include "k8tls/text.h"

static void inspect_help(FILE *out)
{
    fprintf(out, _("Usage: %s inspect [--password env:NAME|file:PATH] PATH...\n"), PACKAGE);
    fputs(_("Report on keystores and truststores (PKCS#12, JKS), PEM certificates and keys,\n"
            "Kubernetes Secret YAML files and output directories: entries, subjects, SANs, keys,\n"
            "expiry, and whether keys match their certificates and chains reach their CA.\n"
            "\n"
            "  -p, --password REF   password of the stores given, as env:NAME or file:PATH\n"
            "                       (a store's own '<store>-password' file beside it, or key of\n"
            "                       the same Secret, is used first)\n"
            "  -h, --help           show this help and exit\n"
            "\n"
            "Exit status: 0 nothing wrong; 1 something expired, mismatched or unreadable;\n"
            "2 usage error.\n"), out);
}

int k8tls_cli_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"password", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pw_ref = NULL;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            pw_ref = optarg;
            break;
        case 'h':
            inspect_help(stdout);
            return K8TLS_EXIT_OK;
        default:
            fprintf(stderr, _("Try '%s inspect --help' for more information.\n"), PACKAGE);
            return K8TLS_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, _("%s: inspect: no PATH given\n"), PACKAGE);
        fprintf(stderr, _("Try '%s inspect --help' for more information.\n"), PACKAGE);
        return K8TLS_EXIT_USAGE;
    }
    char *password = NULL;
    if (pw_ref) {
        if (strncmp(pw_ref, "env:", 4) != 0 && strncmp(pw_ref, "file:", 5) != 0) {
            fprintf(stderr,
                    _("%s: inspect: --password takes env:NAME or file:PATH (a password on the "
                      "command line is visible to every user of this machine)\n"), PACKAGE);
            return K8TLS_EXIT_USAGE;
        }
        struct k8tls_err e;
        k8tls_err_clear(&e);
        password = k8tls_password_resolve(pw_ref, NULL, &e);
        if (!password) {
            char buf[2048];
            k8tls_text_fprintf(stderr, "%s: inspect: --password: %s\n", PACKAGE,
                               k8tls_err_format(&e, buf, sizeof buf));
            return K8TLS_EXIT_USAGE;
        }
    }
    struct k8tls_inspect_opts o = { .password = password };
    struct k8tls_inspect_report r;
    k8tls_inspect_init(&r);
    for (int i = optind; i < argc; i++)
        k8tls_inspect_path(&r, argv[i], &o);
    /* aliases, subjects, Secret keys, file names: text from outside, escaped */
    struct k8tls_text_capture cap;
    k8tls_inspect_print(&r, k8tls_text_capture_begin(&cap, stdout));
    k8tls_text_capture_end(&cap);
    fflush(stdout);
    k8tls_inspect_print_errors(&r, k8tls_text_capture_begin(&cap, stderr));
    k8tls_text_capture_end(&cap);
    int rc = k8tls_inspect_count(&r, K8TLS_SEV_ERROR) ? K8TLS_EXIT_INVALID : K8TLS_EXIT_OK;
    k8tls_inspect_free(&r);
    k8tls_secure_free_str(password);
    return rc;
}
