/* `k8tls-wizard inspect [--password env:NAME|file:PATH] PATH...`: a thin face over the inspect
 * core (include/k8tls/inspect.h). The report goes to stdout, one line per error to stderr; exit 1
 * when anything is expired, mismatched or unreadable, 0 otherwise, 2 for usage. Never asks for a
 * password: it comes from --password (a reference, never a literal: argv is world-readable) or
 * from a "<store>-password" file beside the store. The text of the report is made here (also
 * for `rotate`, src/cli/rotate.c); the core only builds the model. Calls the inspect core and
 * text.h (escaping). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/cli.h"
#include "k8tls/inspect.h"
#include "k8tls/secure.h"
#include "k8tls/text.h"

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

/* At most this many SANs of a certificate are printed, then ", ... (N more)". */
#define SANS_SHOWN 64

static void print_notes(const struct k8tls_diags *d, FILE *out, const char *indent)
{
    for (size_t i = 0; i < d->n; i++) {
        const char *sev = d->v[i].sev == K8TLS_SEV_ERROR ? _("error")
                          : d->v[i].sev == K8TLS_SEV_WARNING ? _("warning") : _("ok");
        fprintf(out, "%s%s: %s\n", indent, sev, d->v[i].msg);
    }
}

/* "A, B, ..." (SANs or EKUs: the first SANS_SHOWN, then ", ... (N more)"), heap; NULL when out of memory. */
static char *join_names(char *const *sans)
{
    struct k8tls_buf b = { 0 };
    size_t n = 0;
    for (; sans[n]; n++)
        if (n < SANS_SHOWN)
            k8tls_buf_printf(&b, "%s%s", n ? ", " : "", sans[n]);
    if (n > SANS_SHOWN)
        k8tls_buf_printf(&b, _(", ... (%zu more)"), n - SANS_SHOWN);
    return k8tls_buf_take(&b, NULL);
}

static void print_entry(const struct k8tls_inspect_entry *en, FILE *out)
{
    switch (en->kind) {
    case K8TLS_INSPECT_KEY_ENTRY:
        fprintf(out, _("  [%d] private-key entry '%s'\n"), en->index, en->alias ? en->alias : "");
        break;
    case K8TLS_INSPECT_TRUSTED_CERT:
        fprintf(out, _("  [%d] trusted certificate '%s'\n"), en->index, en->alias ? en->alias : "");
        break;
    case K8TLS_INSPECT_CHAIN_CERT:
        fprintf(out, _("  [%d] chain certificate '%s' (a copy of a certificate in the chain of '%s')\n"),
                en->index, en->alias ? en->alias : "", en->chain_of ? en->chain_of : "");
        break;
    case K8TLS_INSPECT_CERT:
        fprintf(out, _("  [%d] certificate\n"), en->index);
        break;
    case K8TLS_INSPECT_KEY:
        fprintf(out, _("  [%d] private key (%s)\n"), en->index, en->key ? en->key : "?");
        break;
    }
    if (en->subject) {
        fprintf(out, _("      subject:  %s\n"), en->subject);
        if (en->self_signed)
            fprintf(out, "%s", _("      issuer:   (self-signed)\n"));
        else
            fprintf(out, _("      issuer:   %s\n"), en->issuer ? en->issuer : "?");
        if (en->sans && en->sans[0]) {
            char *j = join_names(en->sans);
            fprintf(out, _("      SANs:     %s\n"), j ? j : "");
            free(j);
        }
        if (en->ekus && en->ekus[0]) {
            char *j = join_names(en->ekus);
            fprintf(out, _("      EKUs:     %s\n"), j ? j : "");
            free(j);
        }
        fprintf(out, _("      key:      %s%s\n"), en->key ? en->key : "?", en->is_ca ? _(", CA") : "");
        if (en->days_left >= 0)
            fprintf(out, _("      valid:    %s to %s (%ld days left)\n"), en->not_before, en->not_after,
                    en->days_left);
        else
            fprintf(out, _("      valid:    %s to %s (EXPIRED %ld days ago)\n"), en->not_before,
                    en->not_after, -en->days_left);
        if (en->kind == K8TLS_INSPECT_KEY_ENTRY)
            fprintf(out, dngettext(PACKAGE, "      chain:    %d more certificate\n",
                                   "      chain:    %d more certificates\n", (unsigned long)en->chain_len),
                    en->chain_len);
    }
    print_notes(&en->notes, out, "      ");
}

void k8tls_cli_inspect_print(const struct k8tls_inspect_report *r, FILE *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct k8tls_inspect_item *it = &r->v[i];
        if (i)
            fputc('\n', out);
        fprintf(out, "%s: %s\n", it->name, it->what);
        print_notes(&it->notes, out, "  ");
        for (size_t j = 0; j < it->n; j++)
            print_entry(&it->v[j], out);
    }
    size_t e = k8tls_inspect_count(r, K8TLS_SEV_ERROR), w = k8tls_inspect_count(r, K8TLS_SEV_WARNING);
    fprintf(out, _("\ninspected: %zu, errors: %zu, warnings: %zu\n"), r->n, e, w);
}

void k8tls_cli_inspect_print_errors(const struct k8tls_inspect_report *r, FILE *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct k8tls_inspect_item *it = &r->v[i];
        for (size_t k = 0; k < it->notes.n; k++)
            if (it->notes.v[k].sev == K8TLS_SEV_ERROR)
                fprintf(out, "%s: %s: %s\n", it->name, _("error"), it->notes.v[k].msg);
        for (size_t j = 0; j < it->n; j++) {
            const struct k8tls_inspect_entry *en = &it->v[j];
            for (size_t k = 0; k < en->notes.n; k++) {
                if (en->notes.v[k].sev != K8TLS_SEV_ERROR)
                    continue;
                if (en->alias)
                    fprintf(out, _("%s: error: entry '%s': %s\n"), it->name, en->alias, en->notes.v[k].msg);
                else if (en->kind == K8TLS_INSPECT_KEY)
                    fprintf(out, _("%s: error: the private key: %s\n"), it->name, en->notes.v[k].msg);
                else
                    fprintf(out, _("%s: error: certificate %d: %s\n"), it->name, en->index, en->notes.v[k].msg);
            }
        }
    }
}

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
    k8tls_cli_inspect_print(&r, k8tls_text_capture_begin(&cap, stdout));
    k8tls_text_capture_end(&cap);
    fflush(stdout);
    k8tls_cli_inspect_print_errors(&r, k8tls_text_capture_begin(&cap, stderr));
    k8tls_text_capture_end(&cap);
    int rc = k8tls_inspect_count(&r, K8TLS_SEV_ERROR) ? K8TLS_EXIT_INVALID : K8TLS_EXIT_OK;
    k8tls_inspect_free(&r);
    k8tls_secure_free_str(password);
    return rc;
}
