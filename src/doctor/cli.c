/* `k8tls-wizard doctor` (doctor.h): options, the input (files or kubectl), the report and the
 * exit code: 0 nothing found (or warnings only), 1 an error, 4 a certificate expiring within
 * --expiring days (and no error), 5 warnings only under --strict, 2 usage, 3 environment. */
#include "config.h"
#include "doctor.h"
#include "k8tls/cli.h"
#include "k8tls/i18n.h"
#include "k8tls/text.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_CRD = 256, OPT_EXPIRING, OPT_CONTEXT, OPT_NAMESPACE, OPT_KUBECONFIG, OPT_STRICT };

static const struct option doctor_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"crd", required_argument, NULL, OPT_CRD},
    {"expiring", required_argument, NULL, OPT_EXPIRING},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"namespace", required_argument, NULL, OPT_NAMESPACE},
    {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"output", required_argument, NULL, 'o'},
    {NULL, 0, NULL, 0},
};

#define EXIT_EXPIRING 4
#define EXIT_WARNINGS 5

static void doctor_help(void)
{
    printf(_("Usage: %s doctor [OPTION]... PATH...\n"
             "  or:  %s doctor --context NAME [--context NAME]... [OPTION]...\n"),
           PACKAGE, PACKAGE);
    fputs(_("Check a K8ssandra cluster's TLS setup for every known trap and say how to\n"
            "fix each: node certificates without the 127.0.0.1/localhost SANs, stores with\n"
            "the encryption switch off, custom Secret keys without a password ref, Medusa's\n"
            "mapping, Secrets missing in a datacenter's context, management API Secrets,\n"
            "expiring certificates, the manifest against the K8ssandraCluster CRD.\n"
            "Reads only; writes nothing; never prints a secret value.\n"), stdout);
    fputs("\n", stdout);
    fputs(_("Input (files, or live through kubectl):\n"
            "  PATH...                 manifests with Secret YAML, output directories of the\n"
            "                          wizard, or 'kubectl get -o yaml' dumps (Lists)\n"
            "      --context NAME      read the K8ssandraCluster and its Secrets with\n"
            "                          kubectl get (repeatable: the control plane first,\n"
            "                          then every datacenter's context)\n"
            "      --namespace NS      the cluster's namespace (live; default: all)\n"
            "      --kubeconfig PATH   kubeconfig file (default: KUBECONFIG, ~/.kube/config)\n"),
          stdout);
    fputs(_("Checks:\n"
            "      --crd FILE          validate against this K8ssandraCluster CRD\n"
            "                          (default: the one shipped with the wizard)\n"
            "      --expiring DAYS     report certificates expiring within DAYS (default 30)\n"
            "      --strict            warnings alone make the exit status 5\n"),
          stdout);
    fputs(_("Output:\n"
            "  -o, --output FORMAT     text (default: one line per finding) or json\n"
            "  -h, --help              show this help and exit\n"), stdout);
    fputs("\n", stdout);
    fputs(_("Each finding: SEVERITY: [RULE] OBJECT KEY (WHERE): what is wrong;\n"
            "breaks: what it breaks; fix: the fix (the wizard command when there is one).\n"),
          stdout);
    fputs(_("Exit status: 0 no problem (warnings alone too, without --strict); 1 an error\n"
            "found; 2 usage; 3 environment (kubectl, unreadable file); 4 a certificate\n"
            "expires within --expiring days (and no error); 5 warnings only, with --strict.\n"),
          stdout);
}

static void doctor_usage(const char *msg)
{
    k8tls_text_fprintf(stderr, "%s: doctor: %s\n", PACKAGE, msg);
    fprintf(stderr, _("Try '%s doctor --help' for more information.\n"), PACKAGE);
}

int k8tls_cli_doctor(int argc, char **argv)
{
    struct dr_state s;
    memset(&s, 0, sizeof s);
    s.expiring_days = 30;
    bool json = false, strict = false;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "ho:", doctor_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            doctor_help();
            free(s.contexts);
            return K8TLS_EXIT_OK;
        case OPT_CRD: s.crd_path = optarg; break;
        case OPT_EXPIRING: {
            char *end;
            errno = 0;
            long d = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || d < 0 || d > 36500) {
                doctor_usage(_("--expiring needs a number of days (0 to 36500)"));
                free(s.contexts);
                return K8TLS_EXIT_USAGE;
            }
            s.expiring_days = d;
            break;
        }
        case OPT_CONTEXT:
            if (k8tls_cli_add_context(PACKAGE, &s.contexts, &s.ncontexts, optarg) < 0)
                return K8TLS_EXIT_ENV;
            break;
        case OPT_NAMESPACE: s.namespace_ = optarg; break;
        case OPT_KUBECONFIG: s.kubeconfig = optarg; break;
        case OPT_STRICT: strict = true; break;
        case 'o':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "text") == 0)
                json = false;
            else {
                doctor_usage(_("-o takes text or json"));
                free(s.contexts);
                return K8TLS_EXIT_USAGE;
            }
            break;
        default:
            fprintf(stderr, _("Try '%s doctor --help' for more information.\n"), PACKAGE);
            free(s.contexts);
            return K8TLS_EXIT_USAGE;
        }
    }
    if (optind >= argc && s.ncontexts == 0) {
        doctor_usage(_("give PATH... (files) or --context NAME (live)"));
        return K8TLS_EXIT_USAGE;
    }
    if (optind < argc && s.ncontexts > 0) {
        doctor_usage(_("PATH... and --context exclude each other"));
        free(s.contexts);
        return K8TLS_EXIT_USAGE;
    }
    if (s.ncontexts == 0 && (s.namespace_ || s.kubeconfig)) {
        doctor_usage(_("--namespace and --kubeconfig need --context"));
        return K8TLS_EXIT_USAGE;
    }
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = 0;
    if (s.ncontexts) {
        rc = dr_load_live(&s, &e);
    } else {
        s.source = argv[optind];
        for (int i = optind; i < argc && rc == 0; i++)
            rc = dr_load_path(&s, argv[i], &e);
    }
    if (rc < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: doctor: %s\n", PACKAGE, k8tls_err_format(&e, buf, sizeof buf));
        dr_state_free(&s);
        free(s.contexts);
        return K8TLS_EXIT_ENV;
    }
    dr_check_all(&s);
    if (json)
        dr_print_json(&s, stdout);
    else
        dr_print_text(&s, stdout);
    fflush(stdout);
    int code = K8TLS_EXIT_OK;
    if (dr_count(&s, DR_ERROR))
        code = K8TLS_EXIT_INVALID;
    else if (dr_count(&s, DR_EXPIRING))
        code = EXIT_EXPIRING;
    else if (strict && dr_count(&s, DR_WARNING))
        code = EXIT_WARNINGS;
    dr_state_free(&s);
    free(s.contexts);
    return code;
}
