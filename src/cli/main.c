/* k8tls-wizard: the command line. Parses the flags, dispatches the subcommands, runs
 * the non-interactive pipeline (answers or defaults -> validate -> bundle -> output -> apply) or
 * starts the TUI, and maps every outcome to the exit codes 0 ok, 1 validation, 2 usage,
 * 3 environment. Calls common.c, inspect.c, rotate.c, the TUI's entry point and the core. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <yaml.h>
#if defined(__has_include)
#if __has_include(<cdk/cdk_version.h>)
#include <cdk/cdk_version.h>
#endif
#endif

#include "k8tls/i18n.h"
#include "k8tls/datadir.h"
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/answers.h"
#include "k8tls/bundle.h"
#include "k8tls/output.h"
#include "k8tls/kube.h"
#include "k8tls/cli.h"
#include "k8tls/secure.h"
#include "k8tls/text.h"

enum {
    OPT_PRINT_ANSWERS = 256, OPT_ANSWERS, OPT_DEFAULTS, OPT_FORCE, OPT_APPLY, OPT_CONTEXT,
    OPT_KUBECONFIG, OPT_DRY_RUN, OPT_DIFF, OPT_FORCE_CONFLICTS, OPT_CREATE_NAMESPACE, OPT_CLIENT_FILES, OPT_THEME,
    OPT_NO_COLOR, OPT_TUI, OPT_OUTPUT_MODE,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"print-answers", no_argument, NULL, OPT_PRINT_ANSWERS},
    {"answers", required_argument, NULL, OPT_ANSWERS},
    {"defaults", no_argument, NULL, OPT_DEFAULTS},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"apply", no_argument, NULL, OPT_APPLY},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
    {"dry-run", required_argument, NULL, OPT_DRY_RUN},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"force-conflicts", no_argument, NULL, OPT_FORCE_CONFLICTS},
    {"create-namespace", no_argument, NULL, OPT_CREATE_NAMESPACE},
    {"client-files", no_argument, NULL, OPT_CLIENT_FILES},
    {"output-mode", required_argument, NULL, OPT_OUTPUT_MODE},
    {"theme", required_argument, NULL, OPT_THEME},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"tui", no_argument, NULL, OPT_TUI},
    {NULL, 0, NULL, 0},
};

struct opts {
    bool help, version, print_answers, defaults, force, apply, dry_run_server, diff;
    bool force_conflicts, create_namespace, client_files, no_color, tui;
    const char *answers, *output, *kubeconfig, *theme;
    int output_mode;            /* --output-mode: enum k8tls_output_mode, or -1 (the answers') */
    const char **contexts;
    size_t n_contexts;
};

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

static const char *prog = PACKAGE;

static void try_help(void)
{
    fprintf(stderr, _("Usage: %s [OPTION]...\n"
                      "  or:  %s inspect PATH...\n"
                      "  or:  %s rotate ...\n"), prog, prog, prog);
    fprintf(stderr, _("  or:  %s doctor ...\n"), prog);
    fprintf(stderr, _("Try '%s --help' for more information.\n"), prog);
}

static void usage_error(const char *msg)
{
    k8tls_text_fprintf(stderr, "%s: %s\n", prog, msg);
    try_help();
}

static void print_help(void)
{
    printf(_("Usage: %s [OPTION]...\n"
             "  or:  %s inspect PATH...\n"
             "  or:  %s rotate ...\n"), prog, prog, prog);
    printf(_("  or:  %s doctor ...\n"), prog);
    fputs(_("Set up encryption for a Cassandra cluster run by the K8ssandra operator: a root CA,\n"
            "keystores, truststores, the Medusa client certificate, the Secrets and the\n"
            "K8ssandraCluster manifest. On a terminal, without a mode option, it runs the\n"
            "interactive wizard.\n"), stdout);
    fputs("\n", stdout);
    fputs(_("Modes:\n"
            "      --answers FILE      run without questions from an answers file ('-': stdin)\n"
            "      --defaults          run without questions from the built-in defaults\n"
            "      --print-answers     print the answers (the defaults, or FILE as loaded) as a\n"
            "                          commented answers file, write nothing and exit\n"), stdout);
    fputs(_("Output:\n"
            "  -o, --output DIR        write the output directory DIR (default, without --apply:\n"
            "                          output.directory of the answers, relative to the answers\n"
            "                          file's directory)\n"
            "      --force             replace the files of an existing output directory;\n"
            "                          accept expired imported certificates (with a warning)\n"
            "      --create-namespace  also write (and apply) the cluster's Namespace\n"
            "      --client-files      also write clients/: the CA, cqlshrc and\n"
            "                          nodetool-ssl.properties for cqlsh and nodetool\n"), stdout);
    fputs(_("      --output-mode MODE  files: keys, stores and Secrets made now (the default);\n"
            "                          cert-manager: Issuers and Certificates that cert-manager\n"
            "                          issues and renews in the cluster (overrides output.mode)\n"),
          stdout);
    fputs(_("Kubernetes:\n"
            "      --apply             apply the Secrets and the cluster with kubectl server-side\n"
            "                          apply (field manager k8tls-wizard)\n"
            "      --context NAME      kube context to apply to (repeatable; default: the\n"
            "                          current one)\n"
            "      --kubeconfig PATH   kubeconfig file (default: KUBECONFIG, then ~/.kube/config)\n"
            "      --dry-run=server    let the API server check everything without persisting it\n"
            "      --diff              show what would change (Secret values masked)\n"
            "      --force-conflicts   take over fields another manager owns\n"), stdout);
    fputs(_("Interactive wizard:\n"
            "      --tui               the interactive wizard (with --answers FILE: starting\n"
            "                          from that file)\n"
            "      --theme NAME|PATH   colour theme (default, light, dark, high-contrast, mono,\n"
            "                          or a theme file)\n"
            "      --no-color          no colours (also when NO_COLOR is set)\n"), stdout);
    fputs(_("  -h, --help              show this help and exit\n"
            "  -V, --version           show the version and the linked libraries, and exit\n"),
          stdout);
    fputs("\n", stdout);
    fputs(_("Exit status: 0 ok; 1 a validation or inspection problem (nothing written); 2 a usage\n"
            "error; 3 an environment failure (kubectl missing, API refused, disk...).\n"), stdout);
}

static void print_version(void)
{
    printf("%s\n", PACKAGE_STRING);
    printf(_("linked with %s\n"), OpenSSL_version(OPENSSL_VERSION));
    printf(_("linked with libyaml %s\n"), yaml_get_version_string());
#if defined(CDK_VERSION_MAJOR) && defined(CDK_VERSION_MINOR) && defined(CDK_VERSION_PATCH)
    printf(_("built with CDK %s\n"), CDK_VERSION_MAJOR "." CDK_VERSION_MINOR "-" CDK_VERSION_PATCH);
#endif
}

static int parse(int argc, char **argv, struct opts *o)
{
    int c;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "hVo:", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': o->help = true; break;
        case 'V': o->version = true; break;
        case OPT_PRINT_ANSWERS: o->print_answers = true; break;
        case OPT_ANSWERS:
            if (o->answers) {
                usage_error(_("--answers is given twice"));
                return K8TLS_EXIT_USAGE;
            }
            o->answers = optarg;
            break;
        case OPT_DEFAULTS: o->defaults = true; break;
        case 'o':
            if (!*optarg) {
                usage_error(_("--output needs a directory name (it is empty)"));
                return K8TLS_EXIT_USAGE;
            }
            o->output = optarg;
            break;
        case OPT_FORCE: o->force = true; break;
        case OPT_APPLY: o->apply = true; break;
        case OPT_CONTEXT:
            if (k8tls_cli_add_context(prog, &o->contexts, &o->n_contexts, optarg) < 0)
                return K8TLS_EXIT_ENV;
            break;
        case OPT_KUBECONFIG: o->kubeconfig = optarg; break;
        case OPT_DRY_RUN:
            if (strcmp(optarg, "server") != 0) {
                usage_error(_("only --dry-run=server is supported"));
                return K8TLS_EXIT_USAGE;
            }
            o->dry_run_server = true;
            break;
        case OPT_DIFF: o->diff = true; break;
        case OPT_FORCE_CONFLICTS: o->force_conflicts = true; break;
        case OPT_CREATE_NAMESPACE: o->create_namespace = true; break;
        case OPT_CLIENT_FILES: o->client_files = true; break;
        case OPT_OUTPUT_MODE:
            if (strcmp(optarg, "files") == 0) {
                o->output_mode = K8TLS_OUTPUT_FILES;
            } else if (strcmp(optarg, "cert-manager") == 0) {
                o->output_mode = K8TLS_OUTPUT_CERT_MANAGER;
            } else {
                char msg[512];
                snprintf(msg, sizeof msg,
                         _("--output-mode '%s' is not a mode: expected files or cert-manager"),
                         optarg);
                usage_error(msg);
                return K8TLS_EXIT_USAGE;
            }
            break;
        case OPT_THEME: o->theme = optarg; break;
        case OPT_NO_COLOR: o->no_color = true; break;
        case OPT_TUI: o->tui = true; break;
        default:
            /* getopt_long has said what is wrong */
            try_help();
            return K8TLS_EXIT_USAGE;
        }
    }
    if (o->help || o->version)
        return -1;
    if (optind < argc) {
        char msg[512];
        snprintf(msg, sizeof msg, _("unexpected argument '%s'"), argv[optind]);
        usage_error(msg);
        return K8TLS_EXIT_USAGE;
    }
    if (o->answers && o->defaults) {
        usage_error(_("--answers and --defaults exclude each other"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->print_answers && (o->output || o->apply || o->force)) {
        usage_error(_("--print-answers writes nothing: it cannot be combined with --output, --force or --apply"));
        return K8TLS_EXIT_USAGE;
    }
    /* the wizard reads the kubeconfig for its apply step and diff: --kubeconfig is for it too */
    bool wizard = !o->print_answers && (o->tui || !(o->answers || o->defaults));
    if (wizard && o->output_mode >= 0) {
        usage_error(_("--output-mode is for --answers, --defaults and --print-answers; in the "
                      "interactive wizard, choose the mode on the Output step"));
        return K8TLS_EXIT_USAGE;
    }
    if (!o->apply && (o->n_contexts || (o->kubeconfig && !wizard) || o->dry_run_server || o->diff ||
                      o->force_conflicts)) {
        usage_error(_("--context, --kubeconfig, --dry-run, --diff and --force-conflicts need --apply"));
        return K8TLS_EXIT_USAGE;
    }
    return -1;
}

/* ---- the non-interactive pipeline ------------------------------------------------------- */

/* Prints diagnostics not printed before (the bundle re-runs the validation). */
struct printed {
    char **v;
    size_t n;
};

static void print_diags(const struct k8tls_diags *d, struct printed *seen)
{
    char buf[4096];
    for (size_t i = 0; i < d->n; i++) {
        const char *line = k8tls_diag_format(&d->v[i], buf, sizeof buf);
        bool dup = false;
        for (size_t j = 0; seen && j < seen->n; j++)
            if (strcmp(seen->v[j], line) == 0)
                dup = true;
        if (dup)
            continue;
        k8tls_text_fprintf(stderr, "%s\n", line);
        if (seen) {
            char **nv = realloc(seen->v, (seen->n + 1) * sizeof *nv);
            if (nv) {
                seen->v = nv;
                if ((seen->v[seen->n] = strdup(line)))
                    seen->n++;
            }
        }
    }
}

/* File order: by line, then column; diagnostics without a position keep their order, last. */
static void sort_diags(struct k8tls_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        struct k8tls_diag g = d->v[i];
        long key = g.line > 0 ? (long)g.line * 100000 + g.col : LONG_MAX;
        size_t j = i;
        while (j > 0) {
            const struct k8tls_diag *h = &d->v[j - 1];
            long hk = h->line > 0 ? (long)h->line * 100000 + h->col : LONG_MAX;
            if (hk <= key)
                break;
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = g;
    }
}

static void printed_free(struct printed *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static void progress(void *ud, int done, int total, const char *label)
{
    (void)ud;
    k8tls_text_fprintf(stderr, _("%s: keys %d/%d (%s)\n"), prog, done, total, label ? label : "");
}

static char *output_dir_of(const struct k8tls_plan *p)
{
    const char *dir = p->output.directory;
    if (!dir || !*dir)
        return NULL;
    if (dir[0] == '/')
        return strdup(dir);
    char *base = k8tls_plan_base_dir(p);
    if (!base)
        return NULL;
    char *out = NULL;
    if (strcmp(base, ".") == 0) {
        out = strdup(dir);
    } else {
        size_t n = strlen(base) + strlen(dir) + 2;
        out = malloc(n);
        if (out)
            snprintf(out, n, "%s/%s", base, dir);
    }
    free(base);
    return out;
}

/* output.directory of an answers file names a directory inside that file's directory: an
 * answers file from elsewhere cannot point the writer (and --force) at any directory. The
 * command line's --output is not limited. */
static void check_output_dir(const struct k8tls_plan *p, struct k8tls_diags *d)
{
    const char *dir = p->output.directory;
    if (!dir || !*dir)
        return;
    struct k8tls_pos at = k8tls_plan_pos(p, "output.directory");
    bool out = dir[0] == '/';
    for (const char *s = dir; !out && *s;) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.')
            out = true;
        s += n;
        while (*s == '/')
            s++;
    }
    if (out) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, at.line, at.col, "output.directory",
                        _("'%s' leaves the answers file's directory: name a directory inside it "
                          "(a relative path without '..'), or pass --output DIR on the command "
                          "line to write elsewhere"),
                        dir);
        return;
    }
    /* nor through a symbolic link on the way */
    char *full = output_dir_of(p), *base = k8tls_plan_base_dir(p);
    char rbase[PATH_MAX], rparent[PATH_MAX];
    if (full && base && realpath(base, rbase)) {
        size_t n = strlen(full);
        while (n > 1 && full[n - 1] == '/')
            full[--n] = '\0';
        char *slash = strrchr(full, '/');
        const char *parent = ".";
        if (slash) {
            *slash = '\0';
            parent = slash == full ? "/" : full;
        }
        size_t bl = strlen(rbase);
        if (realpath(parent, rparent) &&
            !(strncmp(rparent, rbase, bl) == 0 &&
              (rparent[bl] == '\0' || rparent[bl] == '/' || strcmp(rbase, "/") == 0)))
            k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, at.line, at.col,
                            "output.directory",
                            _("'%s' leads out of the answers file's directory (through a "
                              "symbolic link, to %s): name a directory inside it, or pass "
                              "--output DIR on the command line to write elsewhere"),
                            dir, rparent);
    }
    free(full);
    free(base);
}

static int run_print_answers(const struct opts *o)
{
    struct k8tls_diags d;
    struct k8tls_err e;
    struct k8tls_plan *p;
    k8tls_diags_init(&d);
    k8tls_err_clear(&e);
    p = o->answers ? k8tls_answers_load(o->answers, &d) : k8tls_plan_new_defaults();
    if (!p || k8tls_diags_count(&d, K8TLS_SEV_ERROR)) {
        print_diags(&d, NULL);
        if (!p && !d.n)
            fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
        k8tls_plan_free(p);
        k8tls_diags_free(&d);
        return K8TLS_EXIT_INVALID;
    }
    print_diags(&d, NULL);
    k8tls_diags_free(&d);
    if (o->create_namespace)
        p->output.create_namespace = true;
    if (o->output_mode >= 0)
        p->output.mode = (enum k8tls_output_mode)o->output_mode;
    int rc = k8tls_answers_emit(p, K8TLS_EMIT_COMMENTS, stdout, &e);
    k8tls_plan_free(p);
    if (rc < 0) {
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, e.msg);
        return K8TLS_EXIT_ENV;
    }
    return K8TLS_EXIT_OK;
}

static int run_pipeline(const struct opts *o)
{
    struct k8tls_diags d;
    struct printed seen = {0};
    struct k8tls_bundle *b = NULL;
    struct k8tls_plan *p;
    char *dir = NULL;
    int rc = K8TLS_EXIT_OK;
    k8tls_diags_init(&d);

    if (o->answers)
        k8tls_text_fprintf(stderr, _("%s: reading %s\n"), prog,
                strcmp(o->answers, "-") == 0 ? _("<stdin>") : o->answers);
    p = o->answers ? k8tls_answers_load(o->answers, &d) : k8tls_plan_new_defaults();
    if (!p) {
        print_diags(&d, NULL);
        if (!d.n)
            fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
        k8tls_diags_free(&d);
        return K8TLS_EXIT_INVALID;
    }
    if (o->create_namespace)
        p->output.create_namespace = true;
    if (o->client_files)
        p->output.client_files = true;
    if (o->output_mode >= 0)
        p->output.mode = (enum k8tls_output_mode)o->output_mode;
    p->allow_expired = o->force;

    /* merge mode: the existing manifest's name, namespace and datacenters shape the plan; a
     * manifest that cannot be used leaves the plan to the defaults: the rules would only
     * report what the defaults say, so its error stands alone */
    bool adopted = true;
    if (k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        adopted = k8tls_bundle_adopt_manifest(p, &d) == 0;
    /* every problem at once: the loader's, the plan rules', the password references' */
    if (adopted) {
        k8tls_plan_validate(p, &d);
        k8tls_plan_resolve(p, &d);
    }
    if (!o->output && !o->apply)
        check_output_dir(p, &d);
    sort_diags(&d);
    print_diags(&d, &seen);
    size_t nerr = k8tls_diags_count(&d, K8TLS_SEV_ERROR);
    k8tls_diags_free(&d);
    if (nerr) {
        fprintf(stderr, _("%s: nothing was written: fix the errors above\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }

    if (o->output)
        dir = strdup(o->output);
    else if (!o->apply)
        dir = output_dir_of(p);
    if (dir) {
        /* refused now, before any key is made */
        struct k8tls_err e;
        k8tls_err_clear(&e);
        int crc = k8tls_output_check(dir, o->force, &e);
        if (crc < 0) {
            char buf[2048];
            k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
            k8tls_text_fprintf(stderr, _("%s: nothing was written\n"), prog);
            rc = crc == K8TLS_OUTPUT_ENV ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
            goto out;
        }
    }

    if (p->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
        fprintf(stderr, _("%s: writing the cert-manager Issuers, Certificates, Secrets and "
                          "manifest\n"), prog);
    else
        fprintf(stderr, _("%s: generating the keys, stores, Secrets and manifest\n"), prog);
    k8tls_diags_init(&d);
    if (k8tls_bundle_from_plan(p, progress, NULL, &b, &d) < 0 || !b) {
        print_diags(&d, &seen);
        k8tls_diags_free(&d);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    print_diags(&d, &seen);
    k8tls_diags_free(&d);
    print_diags(&b->notes, &seen);
    char *changes = k8tls_bundle_changes_text(b);
    k8tls_text_fputs(changes ? changes : "", K8TLS_TEXT_MULTILINE, stderr);
    free(changes);

    if (dir && k8tls_cli_write_output(prog, b, dir, o->force) < 0) {
        rc = K8TLS_EXIT_ENV;
        goto out;
    }
    if (dir && p->output.mode == K8TLS_OUTPUT_CERT_MANAGER) {
        size_t n = 0;
        for (size_t i = 0; i < b->n; i++)
            n += b->v[i].k8s_kind && strcmp(b->v[i].k8s_kind, "Certificate") == 0;
        fprintf(stderr,
                dngettext(PACKAGE,
                          "%s: %zu Certificate for cert-manager to issue in the cluster; no key "
                          "was made here\n",
                          "%s: %zu Certificates for cert-manager to issue in the cluster; no key "
                          "was made here\n",
                          n),
                prog, n);
    }

    if (o->apply) {
        struct k8tls_apply_opts ao = {
            .kubeconfig = o->kubeconfig,
            .contexts = o->contexts,
            .n_contexts = o->n_contexts,
            .dry_run_server = o->dry_run_server,
            .diff = o->diff,
            .force_conflicts = o->force_conflicts,
            .create_namespace = o->create_namespace || p->output.create_namespace,
            .on_text = k8tls_cli_kube_text,
        };
        rc = k8tls_cli_exit_code(k8tls_kube_apply(b, p, &ao));
        fflush(stdout);
    }
out:
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
    printed_free(&seen);
    free(dir);
    return rc;
}

static int finish(int rc)
{
    /* GNU: a failed write to stdout (full disk, closed pipe) is an error */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("%s: cannot write to standard output: %s\n"), prog, strerror(errno));
        return rc ? rc : K8TLS_EXIT_ENV;
    }
    return rc;
}

int main(int argc, char **argv)
{
    /* before anything holds a password or a key: no core dump, not dumpable */
    k8tls_secure_harden_process();
    setlocale(LC_ALL, "");
#if ENABLE_NLS
    /* $K8TLS_LOCALEDIR, then the locale tree that `make` builds next to a binary that is not
     * installed (datadir.h), then the installed catalogs */
    const char *localedir = getenv("K8TLS_LOCALEDIR");
    char built[4096];
    if (!localedir || !*localedir)
        localedir = k8tls_datadir_build_tree("locale", built, sizeof built) ? built : LOCALEDIR;
    bindtextdomain(PACKAGE, localedir);
    textdomain(PACKAGE);
#endif

    if (argc > 1 && strcmp(argv[1], "inspect") == 0)
        return finish(k8tls_cli_inspect(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "rotate") == 0)
        return finish(k8tls_cli_rotate(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "doctor") == 0)
        return finish(k8tls_cli_doctor(argc - 1, argv + 1));

    struct opts o = {.output_mode = -1};
    int rc = parse(argc, argv, &o);
    if (rc >= 0) {
        free(o.contexts);
        return rc;
    }
    if (o.help) {
        print_help();
        rc = K8TLS_EXIT_OK;
    } else if (o.version) {
        print_version();
        rc = K8TLS_EXIT_OK;
    } else if (o.print_answers) {
        rc = run_print_answers(&o);
    } else if ((o.answers || o.defaults) && !o.tui) {
        rc = run_pipeline(&o);
    } else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, _("%s: no terminal on standard input and output: use --answers FILE or --defaults to run without questions (see --help)\n"),
                prog);
        rc = K8TLS_EXIT_USAGE;
    } else {
        const char *nc = getenv("NO_COLOR");
        struct k8tls_tui_opts t = {
            .theme = o.theme,
            .no_color = o.no_color || (nc && *nc),
            .answers = o.answers, /* --tui --answers FILE: the wizard starts from it */
            .output = o.output,
            .kubeconfig = o.kubeconfig,
        };
        rc = k8tls_tui_run(&t);
    }
    free(o.contexts);
    return finish(rc);
}
