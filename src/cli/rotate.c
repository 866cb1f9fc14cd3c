/* `k8tls-wizard rotate`: certificate renewal and CA rotation without downtime. Reads
 * what exists (an output directory or a context's Secrets), shows it, proposes or runs one phase,
 * writes its bundle and/or applies it. Exit codes: 0 ok, 1 refused or invalid (nothing written),
 * 2 usage, 3 environment (kubectl, API, file system). Calls common.c and the core. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8tls/i18n.h"
#include "k8tls/cli.h"
#include "k8tls/rotate.h"
#include "k8tls/rotate_cm.h"
#include "k8tls/kube.h"
#include "k8tls/inspect.h"
#include "k8tls/output.h"
#include "k8tls/text.h"

enum {
    OPT_FROM = 256, OPT_FROM_CONTEXT, OPT_ANSWERS, OPT_PHASE, OPT_CA_KEY, OPT_CA_KEY_PASSWORD,
    OPT_NEW_PASSWORDS, OPT_FORCE, OPT_APPLY, OPT_CONTEXT, OPT_KUBECONFIG, OPT_DRY_RUN, OPT_DIFF,
    OPT_FORCE_CONFLICTS, OPT_WAIT_READY,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"from", required_argument, NULL, OPT_FROM},
    {"from-context", required_argument, NULL, OPT_FROM_CONTEXT},
    {"answers", required_argument, NULL, OPT_ANSWERS},
    {"phase", required_argument, NULL, OPT_PHASE},
    {"ca-key", required_argument, NULL, OPT_CA_KEY},
    {"ca-key-password", required_argument, NULL, OPT_CA_KEY_PASSWORD},
    {"new-passwords", no_argument, NULL, OPT_NEW_PASSWORDS},
    {"force", no_argument, NULL, OPT_FORCE},
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"apply", no_argument, NULL, OPT_APPLY},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
    {"dry-run", required_argument, NULL, OPT_DRY_RUN},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"force-conflicts", no_argument, NULL, OPT_FORCE_CONFLICTS},
    {"wait-ready", optional_argument, NULL, OPT_WAIT_READY},
    {NULL, 0, NULL, 0},
};

struct ropts {
    struct k8tls_rotate_opts r;
    enum k8tls_rotate_phase phase;
    const char *output;
    bool help, quiet, apply, dry_run_server, diff, force_conflicts, wait_ready;
    int wait_timeout;
    const char **contexts;
    size_t n_contexts;
};

static const char *prog = PACKAGE " rotate";

static void usage_error(const char *msg)
{
    k8tls_cli_usage_error(prog, msg);
}

static void print_help(void)
{
    printf(_("Usage: %s rotate (--from DIR | --from-context NAME) [OPTION]...\n"), PACKAGE);
    fputs(_("Renew the certificates of a cluster, or rotate its root CA in three phases, without\n"
            "downtime. Shows what exists (CA, certificates, days left) and, without --phase,\n"
            "proposes the next step and writes nothing.\n"), stdout);
    fputs("\n", stdout);
    fputs(_("Start from:\n"
            "      --from DIR            an output directory written by the wizard or by an\n"
            "                            earlier phase (answers.yaml, Secrets, ca/, rotation.yaml)\n"
            "      --from-context NAME   the live Secrets of a kube context (kubectl get secret);\n"
            "                            with --from, the Secrets are read from the context and\n"
            "                            the CA keys and the plan from DIR\n"
            "      --answers FILE        the plan (Secret names, namespace) without --from\n"),
          stdout);
    fputs(_("Phase:\n"
            "      --phase PHASE         renew    new certificates from the same CA (one phase)\n"
            "                            trust    CA rotation 1/3: trust the old and a new CA\n"
            "                            reissue  CA rotation 2/3: certificates of the new CA\n"
            "                            retire   CA rotation 3/3: trust only the new CA\n"
            "      --ca-key PATH         private key (PEM) of the CA that signs the new\n"
            "                            certificates (default: the one in DIR)\n"
            "      --ca-key-password REF its password: env:NAME or file:PATH\n"
            "      --new-passwords       generate new store passwords (default: keep them)\n"
            "      --force               go on although old certificates have expired, and\n"
            "                            replace an existing output directory\n"), stdout);
    fputs(_("Output:\n"
            "  -o, --output NEWDIR       write the phase's bundle there (needed with --phase)\n"
            "  -q, --quiet               do not print the report of what was found\n"
            "      --apply               apply the phase's Secrets with kubectl server-side apply\n"
            "                            (the live Secrets are checked first)\n"
            "      --context NAME        kube context to apply to (repeatable; default: the\n"
            "                            --from-context one, else the current one)\n"
            "      --kubeconfig PATH     kubeconfig file (default: KUBECONFIG, ~/.kube/config)\n"
            "      --dry-run=server      let the API server check without persisting\n"
            "      --diff                show what would change (Secret values masked)\n"
            "      --force-conflicts     take over fields another manager owns\n"
            "      --wait-ready[=TIMEOUT]  cert-manager output: after applying, wait until its\n"
            "                            Certificates are Ready and the Bundle Synced (300s)\n"
            "  -h, --help                show this help and exit\n"), stdout);
    fputs("\n", stdout);
    fputs(_("A cert-manager output (--from DIR whose answers.yaml says output.mode:\n"
            "cert-manager): cert-manager renews the certificates itself; the CA rotation's\n"
            "phases change the objects (trust: a new CA and the trust-manager Bundle trusting\n"
            "both; reissue: the Certificates name the new CA Issuer; retire: the Bundle trusts\n"
            "the new CA alone) and need output.trustManager: true. With an imported CA, the\n"
            "trust phase makes the new CA on the key of --ca-key.\n"), stdout);
    fputs("\n", stdout);
    fputs(_("Exit status: 0 ok, 1 refused or invalid (nothing written), 2 usage, 3 kubectl or\n"
            "file system failure.\n"), stdout);
}

/* Returns -1 to go on, or the exit code. */
static int parse(int argc, char **argv, struct ropts *o)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:q", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': o->help = true; break;
        case 'q': o->quiet = true; break;
        case 'o':
            if (!*optarg) {
                usage_error(_("--output needs a directory name (it is empty)"));
                return K8TLS_EXIT_USAGE;
            }
            o->output = optarg;
            break;
        case OPT_FROM: o->r.from_dir = optarg; break;
        case OPT_FROM_CONTEXT: o->r.from_context = optarg; break;
        case OPT_ANSWERS: o->r.answers = optarg; break;
        case OPT_PHASE: {
            int ph = k8tls_rotate_phase_parse(optarg);
            if (ph < 0) {
                char msg[512];
                snprintf(msg, sizeof msg,
                         _("--phase: '%s' is not a phase (renew, trust, reissue, retire)"), optarg);
                usage_error(msg);
                return K8TLS_EXIT_USAGE;
            }
            o->phase = (enum k8tls_rotate_phase)ph;
            break;
        }
        case OPT_CA_KEY: o->r.ca_key = optarg; break;
        case OPT_CA_KEY_PASSWORD: o->r.ca_key_password = optarg; break;
        case OPT_NEW_PASSWORDS: o->r.new_passwords = true; break;
        case OPT_FORCE: o->r.force = true; break;
        case OPT_APPLY: o->apply = true; break;
        case OPT_CONTEXT:
            if (k8tls_cli_add_context(prog, &o->contexts, &o->n_contexts, optarg) < 0)
                return K8TLS_EXIT_ENV;
            break;
        case OPT_KUBECONFIG: o->r.kubeconfig = optarg; break;
        case OPT_DRY_RUN:
            if (strcmp(optarg, "server") != 0) {
                usage_error(_("--dry-run: only --dry-run=server is supported"));
                return K8TLS_EXIT_USAGE;
            }
            o->dry_run_server = true;
            break;
        case OPT_DIFF: o->diff = true; break;
        case OPT_FORCE_CONFLICTS: o->force_conflicts = true; break;
        case OPT_WAIT_READY:
            o->wait_ready = true;
            if (optarg && k8tls_kube_parse_duration(optarg, &o->wait_timeout) < 0) {
                char msg[512];
                snprintf(msg, sizeof msg,
                         _("--wait-ready=%s: expected a duration between 1s and 24h such as 90s, "
                           "5m or 1h30m"), optarg);
                usage_error(msg);
                return K8TLS_EXIT_USAGE;
            }
            break;
        default:
            return k8tls_cli_getopt_error(prog, c, argv);
        }
    }
    if (o->help)
        return -1;
    if (optind < argc)
        return k8tls_cli_getopt_error(prog, 0, argv);
    if (!o->r.from_dir && !o->r.from_context) {
        usage_error(_("say where to start from: --from DIR or --from-context NAME"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->r.answers && o->r.from_dir) {
        usage_error(_("--answers is for --from-context alone: DIR holds its own answers.yaml"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->r.ca_key_password && !o->r.ca_key) {
        usage_error(_("--ca-key-password needs --ca-key"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->wait_ready && (!o->apply || o->diff || o->dry_run_server)) {
        usage_error(_("--wait-ready needs --apply, without --diff or --dry-run"));
        return K8TLS_EXIT_USAGE;
    }
    if (!o->apply && (o->n_contexts || o->dry_run_server || o->diff || o->force_conflicts)) {
        usage_error(_("--context, --dry-run, --diff and --force-conflicts need --apply"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->r.from_context && o->n_contexts && strcmp(o->contexts[0], o->r.from_context) != 0) {
        usage_error(_("--from-context and the first --context differ: the live Secrets must be "
                      "checked where the phase is applied"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->phase == K8TLS_ROTATE_NONE && (o->output || o->apply || o->r.new_passwords)) {
        usage_error(_("--output, --apply and --new-passwords need --phase: without it, rotate "
                      "only shows what exists and proposes the next step"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->phase != K8TLS_ROTATE_NONE && !o->output) {
        usage_error(_("--phase needs --output NEWDIR: the phase's bundle (with the CA keys the "
                      "next phase needs) must be kept"));
        return K8TLS_EXIT_USAGE;
    }
    return -1;
}

static void progress(void *ud, int done, int total, const char *label)
{
    (void)ud;
    (void)done;
    (void)total;
    (void)label;
}

/* The exact command of the proposed phase. */
static void print_command(const struct ropts *o, enum k8tls_rotate_phase ph)
{
    printf("  %s rotate", PACKAGE);
    if (o->r.from_dir) {
        fputs(" --from ", stdout);
        k8tls_text_fputs(o->r.from_dir, 0, stdout);
    }
    if (o->r.from_context) {
        fputs(" --from-context ", stdout);
        k8tls_text_fputs(o->r.from_context, 0, stdout);
    }
    if (o->r.answers) {
        fputs(" --answers ", stdout);
        k8tls_text_fputs(o->r.answers, 0, stdout);
    }
    printf(" --phase %s --output NEWDIR", k8tls_rotate_phase_name(ph));
    if (o->r.from_context)
        printf(" --apply");
    printf("\n");
}

/* A cert-manager output: its own reading, decision and phases (rotate_cm.h). */
static int run_cert_manager(struct ropts *o)
{
    struct k8tls_diags d;
    struct k8tls_rotate_cm *c = NULL;
    struct k8tls_bundle *b = NULL;
    int rc;
    k8tls_diags_init(&d);
    if (k8tls_rotate_cm_load(o->r.from_dir, &c, &d) < 0) {
        k8tls_diags_print(&d, stderr);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    char *sum = k8tls_rotate_cm_summary(c);
    k8tls_text_fputs(sum ? sum : "", K8TLS_TEXT_MULTILINE, stdout);
    free(sum);
    printf("\n");
    struct k8tls_rotate_decision dec;
    if (k8tls_rotate_cm_plan(c, o->phase, &o->r, &dec, &d) < 0) {
        k8tls_diags_print(&d, stderr);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    if (o->phase == K8TLS_ROTATE_NONE) {
        if (dec.phase == K8TLS_ROTATE_NONE) {
            k8tls_text_fprintf(stdout, _("Proposed: %s.\n"), dec.reason);
        } else {
            k8tls_text_fprintf(stdout, _("Proposed next step: phase %s (%s): %s.\n"),
                               k8tls_rotate_phase_name(dec.phase),
                               k8tls_rotate_phase_title(dec.phase), dec.reason);
            printf("%s\n", _("To run it:"));
            print_command(o, dec.phase);
        }
        rc = K8TLS_EXIT_OK;
        goto out;
    }
    struct k8tls_err oe;
    k8tls_err_clear(&oe);
    int crc = k8tls_output_check(o->output, o->r.force, &oe);
    if (crc < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&oe, buf, sizeof buf));
        k8tls_text_fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = crc == K8TLS_OUTPUT_ENV ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
        goto out;
    }
    fprintf(stderr, "%s: %s\n", prog, k8tls_rotate_phase_title(o->phase));
    if (k8tls_rotate_cm_run(c, o->phase, &o->r, o->output, &b, &d) < 0 || !b) {
        k8tls_diags_print(&d, stderr);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    if (k8tls_cli_write_output(prog, b, o->output, o->r.force) < 0) {
        rc = K8TLS_EXIT_ENV;
        goto out;
    }
    rc = K8TLS_EXIT_OK;
    if (o->apply) {
        struct k8tls_apply_opts ao = {
            .kubeconfig = o->r.kubeconfig,
            .contexts = o->contexts,
            .n_contexts = o->n_contexts,
            .dry_run_server = o->dry_run_server,
            .diff = o->diff,
            .force_conflicts = o->force_conflicts,
            .wait_ready = o->wait_ready,
            .wait_timeout = o->wait_timeout,
            .on_text = k8tls_cli_kube_text,
        };
        rc = k8tls_cli_exit_code(k8tls_kube_apply(b, k8tls_rotate_cm_plan_of(c), &ao));
        fflush(stdout);
    }
    if (rc == K8TLS_EXIT_OK && !o->diff && !o->dry_run_server)
        k8tls_text_fprintf(stderr, _("%s: next: see %s/NEXT-STEPS.md (%s)\n"), prog, o->output,
                           o->phase == K8TLS_ROTATE_REISSUE
                               ? _("have cert-manager issue the Certificates again, then restart "
                                   "every pod")
                               : _("restart every pod"));
out:
    k8tls_diags_free(&d);
    k8tls_bundle_free(b);
    k8tls_rotate_cm_free(c);
    free(o->contexts);
    return rc;
}

int k8tls_cli_rotate(int argc, char **argv)
{
    struct ropts o;
    memset(&o, 0, sizeof o);
    int rc = parse(argc, argv, &o);
    if (rc >= 0) {
        free(o.contexts);
        return rc;
    }
    if (o.help) {
        print_help();
        free(o.contexts);
        return K8TLS_EXIT_OK;
    }
    if (o.r.from_dir && k8tls_rotate_cm_detect(o.r.from_dir) == 1)
        return run_cert_manager(&o);
    if (o.wait_ready) {
        usage_error(_("--wait-ready is for a cert-manager output (its Certificates and Bundle): "
                      "this one's Secrets are made by the wizard"));
        free(o.contexts);
        return K8TLS_EXIT_USAGE;
    }

    /* --apply checks the live Secrets: read them from the control-plane context */
    const char *current = NULL;
    struct k8tls_kubeconfig *kc = NULL;
    if (o.apply && !o.r.from_context) {
        if (o.n_contexts) {
            o.r.from_context = o.contexts[0];
        } else {
            struct k8tls_err e;
            k8tls_err_clear(&e);
            kc = k8tls_kubeconfig_load(o.r.kubeconfig, &e);
            if (!kc) {
                char buf[2048];
                k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
                free(o.contexts);
                return K8TLS_EXIT_ENV;
            }
            current = kc->current_context;
            if (!current || !*current) {
                fprintf(stderr, "%s: %s\n", prog,
                        _("no kube context given and no current-context in the kubeconfig: pass "
                          "--context NAME"));
                k8tls_kubeconfig_free(kc);
                free(o.contexts);
                return K8TLS_EXIT_ENV;
            }
            o.r.from_context = current;
        }
    }

    if (o.apply && o.n_contexts > 1) {
        o.r.also_contexts = o.contexts + 1;
        o.r.n_also_contexts = o.n_contexts - 1;
    }
    struct k8tls_diags d;
    struct k8tls_rotate_state *s = NULL;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int lrc = k8tls_rotate_load(&o.r, &s, &d);
    k8tls_diags_print(&d, stderr);
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    if (lrc < 0) {
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = lrc == -3 ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
        goto out;
    }
    struct k8tls_text_capture cap;
    if (!o.quiet) {
        k8tls_cli_inspect_print(&s->report, k8tls_text_capture_begin(&cap, stdout));
        k8tls_text_capture_end(&cap);
        printf("\n");
    }
    k8tls_rotate_print_summary(s, k8tls_text_capture_begin(&cap, stdout));
    k8tls_text_capture_end(&cap);
    printf("\n");

    struct k8tls_rotate_decision dec;
    if (k8tls_rotate_plan(s, o.phase, &o.r, &dec, &d) < 0) {
        k8tls_diags_print(&d, stderr);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    if (o.phase == K8TLS_ROTATE_NONE) {
        if (dec.phase == K8TLS_ROTATE_NONE) {
            k8tls_text_fprintf(stdout, _("Proposed: %s.\n"), dec.reason);
        } else {
            k8tls_text_fprintf(stdout, _("Proposed next step: phase %s (%s): %s.\n"),
                               k8tls_rotate_phase_name(dec.phase),
                               k8tls_rotate_phase_title(dec.phase), dec.reason);
            if (!dec.allowed) {
                printf("%s\n", _("It cannot run yet:"));
                for (size_t i = 0; i < d.n; i++)
                    k8tls_text_fprintf(stdout, "  - %s\n", d.v[i].msg);
            }
            printf("%s\n", _("To run it:"));
            print_command(&o, dec.phase);
        }
        rc = K8TLS_EXIT_OK;
        goto out;
    }

    struct k8tls_err oe;
    k8tls_err_clear(&oe);
    int crc = k8tls_output_check(o.output, o.r.force, &oe);
    if (crc < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&oe, buf, sizeof buf));
        k8tls_text_fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = crc == K8TLS_OUTPUT_ENV ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
        goto out;
    }
    fprintf(stderr, "%s: %s\n", prog, k8tls_rotate_phase_title(o.phase));
    if (k8tls_rotate_run(s, o.phase, &o.r, progress, NULL, &b, &d) < 0 || !b) {
        k8tls_diags_print(&d, stderr);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    k8tls_diags_print(&d, stderr);
    k8tls_diags_print(&b->notes, stderr);

    if (k8tls_cli_write_output(prog, b, o.output, o.r.force) < 0) {
        rc = K8TLS_EXIT_ENV;
        goto out;
    }
    rc = K8TLS_EXIT_OK;

    if (o.apply) {
        const char *ctx1[1] = { o.r.from_context };
        struct k8tls_apply_opts ao = {
            .kubeconfig = o.r.kubeconfig,
            .contexts = o.n_contexts ? o.contexts : ctx1,
            .n_contexts = o.n_contexts ? o.n_contexts : 1,
            .dry_run_server = o.dry_run_server,
            .diff = o.diff,
            .force_conflicts = o.force_conflicts,
            .on_text = k8tls_cli_kube_text,
        };
        rc = k8tls_cli_exit_code(k8tls_kube_apply(b, k8tls_rotate_state_plan(s), &ao));
        fflush(stdout);
    }
    if (rc == K8TLS_EXIT_OK && !o.diff && !o.dry_run_server) {
        bool more = o.phase == K8TLS_ROTATE_TRUST || o.phase == K8TLS_ROTATE_REISSUE;
        char task[4200];
        snprintf(task, sizeof task, "%s/restart/k8ssandratask.yaml", o.output);
        if (!k8tls_rotate_needs_rolling_restart(s, o.phase, o.r.new_passwords))
            k8tls_text_fprintf(stderr, o.apply ? _("%s: next: no rolling restart is needed; see %s/NEXT-STEPS.md "
                                          "for what each surface needs\n")
                                    : _("%s: next: apply the Secrets in every context; no rolling "
                                        "restart is needed (see %s/NEXT-STEPS.md)\n"),
                    prog, o.output);
        else if (o.apply)
            k8tls_text_fprintf(stderr, more ? _("%s: next: restart every pod (%s), then run the next phase "
                                     "(see %s/NEXT-STEPS.md)\n")
                                 : _("%s: next: restart every pod (%s; see %s/NEXT-STEPS.md)\n"),
                    prog, task, o.output);
        else
            k8tls_text_fprintf(stderr, more ? _("%s: next: apply the Secrets in every context, restart every "
                                     "pod (%s), then run the next phase (see %s/NEXT-STEPS.md)\n")
                                 : _("%s: next: apply the Secrets in every context and restart "
                                     "every pod (%s; see %s/NEXT-STEPS.md)\n"),
                    prog, task, o.output);
    }
out:
    k8tls_diags_free(&d);
    k8tls_bundle_free(b);
    k8tls_rotate_state_free(s);
    k8tls_kubeconfig_free(kc);
    free(o.contexts);
    return rc;
}
