/* `k8tls-wizard enable`: turning encryption on in a running cluster, one phase per rolling
 * restart (the staged rollout, doc/staged-rollout.md sections 3 and 4.1), or in one restart with
 * --one-shot (a maintenance window). Reads where the cluster stands (the running manifest of the
 * answers, a previous phase's output directory, or the live K8ssandraCluster), refuses a phase
 * that is not due or a topology without a safe sequence (one line: the reason and what to do),
 * writes the phase's bundle and, with --apply, applies it. Exit codes: 0 ok, 1 refused or
 * invalid (nothing written), 2 usage, 3 environment. Calls common.c and the core. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8tls/i18n.h"
#include "k8tls/cli.h"
#include "k8tls/answers.h"
#include "k8tls/bundle.h"
#include "k8tls/enable.h"
#include "k8tls/kube.h"
#include "k8tls/output.h"
#include "k8tls/plan.h"
#include "k8tls/rollout.h"
#include "k8tls/text.h"

enum {
    OPT_ANSWERS = 256, OPT_FROM, OPT_FROM_CONTEXT, OPT_PHASE, OPT_ONE_SHOT, OPT_CLIENTS_TLS, OPT_CLIENT_FILES,
    OPT_FORCE, OPT_APPLY, OPT_KUBECONFIG, OPT_DRY_RUN, OPT_DIFF, OPT_FORCE_CONFLICTS,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"answers", required_argument, NULL, OPT_ANSWERS},
    {"from", required_argument, NULL, OPT_FROM},
    {"from-context", required_argument, NULL, OPT_FROM_CONTEXT},
    {"phase", required_argument, NULL, OPT_PHASE},
    {"one-shot", no_argument, NULL, OPT_ONE_SHOT},
    {"clients-use-tls", no_argument, NULL, OPT_CLIENTS_TLS},
    {"client-files", no_argument, NULL, OPT_CLIENT_FILES},
    {"force", no_argument, NULL, OPT_FORCE},
    {"output", required_argument, NULL, 'o'},
    {"apply", no_argument, NULL, OPT_APPLY},
    {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
    {"dry-run", required_argument, NULL, OPT_DRY_RUN},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"force-conflicts", no_argument, NULL, OPT_FORCE_CONFLICTS},
    {NULL, 0, NULL, 0},
};

struct eopts {
    const char *answers, *from, *from_context, *output, *kubeconfig;
    int phase;                    /* -1: not given */
    bool help, one_shot, clients_tls, client_files, force, apply, dry_run_server, diff, force_conflicts;
};

static const char *prog = PACKAGE " enable";
static void one_shot_warning(const char *who);

static void usage_error(const char *msg)
{
    k8tls_cli_usage_error(prog, msg);
}

/* A refusal: exactly one line on stderr, the reason and what to do. */
static int refuse_as(const char *who, const char *msg)
{
    k8tls_text_fprintf(stderr, "%s: %s\n", who, msg);
    return K8TLS_EXIT_INVALID;
}

static int refuse(const char *msg)
{
    return refuse_as(prog, msg);
}

static void print_help(void)
{
    printf(_("Usage: %s enable --answers FILE [--phase PHASE] -o DIR\n"
             "  or:  %s enable --from DIR --phase PHASE -o NEWDIR\n"
             "  or:  %s enable --from-context NAME [--from DIR | --answers FILE]\n"
             "                 [--phase PHASE -o NEWDIR [--apply]]\n"),
           PACKAGE, PACKAGE, PACKAGE);
    fputs(_("Turn encryption on in a running cluster without downtime: one phase per rolling\n"
            "restart (the staged rollout). Each phase is a complete output directory whose\n"
            "K8ssandraCluster carries that phase's cassandraYaml values and its name in the\n"
            "annotation k8tls-wizard/rollout-phase. A phase that is not due is refused.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(_("Start from:\n"
            "      --answers FILE        answers whose cluster.manifest is the running cluster's\n"
            "                            manifest (the first phase; the encryption section is\n"
            "                            the target)\n"
            "      --from DIR            the previous phase's output directory: its CA, stores,\n"
            "                            passwords and answers are kept\n"
            "      --from-context NAME   check the live cluster in this kube context (the\n"
            "                            K8ssandraCluster, its CassandraDatacenters and pods);\n"
            "                            without --phase, show the stage and the phase due\n"),
          stdout);
    fputs(_("Phase:\n"
            "      --phase PHASE         accept            nodes accept TLS, clients may use it\n"
            "                            send              nodes send TLS (4.0/4.1, 3.11)\n"
            "                            enforce           plain peers are refused\n"
            "                            clients-required  clients must use TLS\n"
            "                            (default with --answers: the phase due)\n"
            "      --clients-use-tls     confirm that every client uses TLS (needed for\n"
            "                            clients-required, once nodetool clientstats lists no\n"
            "                            plain client on any pod)\n"
            "      --one-shot            everything in one restart instead: plan a maintenance\n"
            "                            window (restarted nodes and the others cannot talk\n"
            "                            to each other meanwhile)\n"),
          stdout);
    fputs(_("Output:\n"
            "  -o, --output DIR          write the phase's bundle there\n"
            "      --client-files        also write clients/ (the CA, cqlshrc and\n"
            "                            nodetool-ssl.properties) with --answers; --from\n"
            "                            carries DIR's clients/ over\n"
            "      --force               replace an existing output directory\n"
            "      --apply               apply the phase after the live check (--from-context)\n"
            "      --kubeconfig PATH     kubeconfig file (default: KUBECONFIG, ~/.kube/config)\n"
            "      --dry-run=server      let the API server check without persisting\n"
            "      --diff                show what would change (Secret values masked)\n"
            "      --force-conflicts     take over fields another manager owns\n"
            "  -h, --help                show this help and exit\n"),
          stdout);
    fputs("\n", stdout);
    fputs(_("Exit status: 0 ok, 1 refused or invalid (nothing written), 2 usage, 3 kubectl or\n"
            "file system failure.\n"),
          stdout);
}

static int parse(int argc, char **argv, struct eopts *o)
{
    int c;
    optind = 1;
    opterr = 0;
    o->phase = -1;
    while ((c = getopt_long(argc, argv, ":ho:", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': o->help = true; break;
        case 'o':
            if (!*optarg) {
                usage_error(_("--output needs a directory name (it is empty)"));
                return K8TLS_EXIT_USAGE;
            }
            o->output = optarg;
            break;
        case OPT_ANSWERS: o->answers = optarg; break;
        case OPT_FROM: o->from = optarg; break;
        case OPT_FROM_CONTEXT: o->from_context = optarg; break;
        case OPT_PHASE:
            o->phase = k8tls_rollout_phase_parse(optarg);
            if (o->phase < 0) {
                char msg[512];
                snprintf(msg, sizeof msg,
                         _("--phase: '%s' is not a phase (accept, send, enforce, "
                           "clients-required)"),
                         optarg);
                usage_error(msg);
                return K8TLS_EXIT_USAGE;
            }
            break;
        case OPT_ONE_SHOT: o->one_shot = true; break;
        case OPT_CLIENTS_TLS: o->clients_tls = true; break;
        case OPT_CLIENT_FILES: o->client_files = true; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_APPLY: o->apply = true; break;
        case OPT_KUBECONFIG: o->kubeconfig = optarg; break;
        case OPT_DRY_RUN:
            if (strcmp(optarg, "server") != 0) {
                usage_error(_("--dry-run: only --dry-run=server is supported"));
                return K8TLS_EXIT_USAGE;
            }
            o->dry_run_server = true;
            break;
        case OPT_DIFF: o->diff = true; break;
        case OPT_FORCE_CONFLICTS: o->force_conflicts = true; break;
        default:
            return k8tls_cli_getopt_error(prog, c, argv);
        }
    }
    if (o->help)
        return -1;
    if (optind < argc)
        return k8tls_cli_getopt_error(prog, 0, argv);
    if (!o->answers && !o->from && !o->from_context) {
        usage_error(_("say where to start from: --answers FILE, --from DIR or --from-context NAME"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->answers && o->from) {
        usage_error(_("--answers and --from exclude each other: DIR holds its own answers.yaml"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->one_shot && (o->from || o->phase >= 0 || o->from_context)) {
        usage_error(_("--one-shot writes the target in one step: it takes --answers, not --from, "
                      "--from-context or --phase"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->client_files && o->from) {
        usage_error(_("--client-files goes with --answers: a phase built --from DIR carries DIR's "
                      "clients/ over"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->from && !o->from_context && o->phase < 0) {
        usage_error(_("--from needs --phase (or --from-context NAME to read the live stage)"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->from_context && !o->answers && !o->from) {
        usage_error(_("--from-context needs the plan: --from DIR (the previous phase) or --answers "
                      "FILE"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->from_context && o->phase < 0 && (o->output || o->apply)) {
        usage_error(_("--output and --apply need --phase: without it, enable --from-context only "
                      "shows the live stage and the phase due"));
        return K8TLS_EXIT_USAGE;
    }
    if (o->apply && !o->from_context) {
        usage_error(_("--apply needs --from-context NAME: a phase is applied only after the live "
                      "cluster was checked"));
        return K8TLS_EXIT_USAGE;
    }
    if (!o->apply && (o->dry_run_server || o->diff || o->force_conflicts)) {
        usage_error(_("--dry-run, --diff and --force-conflicts need --apply"));
        return K8TLS_EXIT_USAGE;
    }
    if (!o->output && (o->phase >= 0 || o->one_shot) && !(o->from_context && o->phase < 0)) {
        usage_error(_("say where to write the phase's bundle: --output DIR"));
        return K8TLS_EXIT_USAGE;
    }
    if (!o->output && o->answers && !o->from_context) {
        usage_error(_("say where to write the phase's bundle: --output DIR"));
        return K8TLS_EXIT_USAGE;
    }
    return -1;
}

/* The manifest path of the plan, as merge mode reads it (relative to the answers' directory). */
static char *manifest_path(const struct k8tls_plan *p)
{
    const char *m = p->cluster.manifest;
    if (m[0] == '/')
        return strdup(m);
    char *base = k8tls_plan_base_dir(p);
    if (!base)
        return NULL;
    size_t n = strlen(base) + strlen(m) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", base, m);
    free(base);
    return s;
}

/* The notes of loading the answers and adopting the manifest (a manifest without a namespace,
 * say). Building the bundle adopts the manifest again and gives them once more in the bundle's
 * notes, so they are printed only when no bundle is built (flush_early_notes). */
static struct k8tls_diags early_notes;
static bool early_notes_held;

static void flush_early_notes(void)
{
    if (!early_notes_held)
        return;
    k8tls_diags_print(&early_notes, stderr);
    k8tls_diags_free(&early_notes);
    early_notes_held = false;
}

static void drop_early_notes(void)
{
    if (early_notes_held)
        k8tls_diags_free(&early_notes);
    early_notes_held = false;
}

/* Loads the answers and adopts the manifest; errors printed, notes held (early_notes). NULL:
 * exit 1. */
static struct k8tls_plan *load_plan(const char *answers)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_plan *p = k8tls_answers_load(answers, &d);
    if (p && !k8tls_diags_count(&d, K8TLS_SEV_ERROR) && p->cluster.manifest && *p->cluster.manifest)
        k8tls_bundle_adopt_manifest(p, &d);
    if (!p || k8tls_diags_count(&d, K8TLS_SEV_ERROR)) {
        k8tls_diags_print(&d, stderr);
        if (!p && !d.n)
            fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
        k8tls_diags_free(&d);
        k8tls_plan_free(p);
        return NULL;
    }
    drop_early_notes();
    early_notes = d;
    early_notes_held = true;
    return p;
}

/* Decides the phase of a staged plan from the stage st (read from where): the sequence of p,
 * the phase due, the phase asked. Prints one refusal line and returns the exit code, or -1 with
 * p->rollout set. */
static int decide_as(const char *who, struct k8tls_plan *p, const struct k8tls_rollout_stage *st,
                     const char *where, int asked, bool clients_tls,
                     enum k8tls_rollout_phase *seq, size_t *n)
{
    char why[2048], msg[4096];
    *n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    if (*n == 0)
        return refuse_as(who, why);
    enum k8tls_rollout_phase due;
    int r = k8tls_rollout_due(st, seq, *n, &due, why, sizeof why);
    if (r < 0) {
        snprintf(msg, sizeof msg, _("%s: %s"), where, why);
        return refuse_as(who, msg);
    }
    if (r == 0) {
        snprintf(msg, sizeof msg,
                 _("%s is at phase %s, the last one: the staged rollout is complete, no phase is "
                   "due"),
                 where, k8tls_rollout_phase_cli_name(st->phase));
        return refuse_as(who, msg);
    }
    if (asked >= 0 && (enum k8tls_rollout_phase)asked != due) {
        if (st->has_phase)
            snprintf(msg, sizeof msg,
                     _("phase %s is refused: %s is at phase %s, so the phase due is %s (phases "
                       "are never skipped or reordered); run --phase %s"),
                     k8tls_rollout_phase_cli_name((enum k8tls_rollout_phase)asked), where,
                     k8tls_rollout_phase_cli_name(st->phase), k8tls_rollout_phase_cli_name(due),
                     k8tls_rollout_phase_cli_name(due));
        else
            snprintf(msg, sizeof msg,
                     _("phase %s is refused: %s runs without encryption, so the phase due is %s "
                       "(phases are never skipped or reordered); run --phase %s"),
                     k8tls_rollout_phase_cli_name((enum k8tls_rollout_phase)asked), where,
                     k8tls_rollout_phase_cli_name(due), k8tls_rollout_phase_cli_name(due));
        return refuse_as(who, msg);
    }
    if (due == K8TLS_PHASE_CLIENTS_REQUIRED && !clients_tls) {
        bool v311 = k8tls_cass_line_of(p->cluster.server_version) == K8TLS_CASS_311;
        return refuse_as(who, v311 ? _("phase clients-required is refused until every client uses TLS: "
                               "Cassandra 3.11 cannot list its clients, so confirm it yourself "
                               "and run again with --clients-use-tls")
                           : _("phase clients-required is refused until every client uses TLS: "
                               "run nodetool clientstats --all on every pod (NEXT-STEPS.md says "
                               "how), and when no connection shows SSL false, run again with "
                               "--clients-use-tls"));
    }
    p->rollout.mode = K8TLS_ROLLOUT_STAGED;
    p->rollout.phase = due;
    return -1;
}

static int decide(struct k8tls_plan *p, const struct k8tls_rollout_stage *st, const char *where,
                  int asked, bool clients_tls, enum k8tls_rollout_phase *seq, size_t *n)
{
    return decide_as(prog, p, st, where, asked, clients_tls, seq, n);
}

/* Index of ph in seq (its number, 1-based, for messages). */
static size_t phase_number(const enum k8tls_rollout_phase *seq, size_t n, enum k8tls_rollout_phase ph)
{
    for (size_t i = 0; i < n; i++)
        if (seq[i] == ph)
            return i + 1;
    return 0;
}

/* Validates, resolves, builds and writes the bundle of p into dir. Returns the exit code. */
static int build_and_write(struct k8tls_plan *p, const struct eopts *o, struct k8tls_bundle **out)
{
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    k8tls_plan_validate(p, &d);
    k8tls_plan_resolve(p, &d);
    if (k8tls_diags_count(&d, K8TLS_SEV_ERROR)) {
        k8tls_diags_print(&d, stderr);
        k8tls_diags_free(&d);
        fprintf(stderr, _("%s: nothing was written: fix the errors above\n"), prog);
        return K8TLS_EXIT_INVALID;
    }
    k8tls_diags_free(&d);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int crc = k8tls_output_check(o->output, o->force, &e);
    if (crc < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
        k8tls_text_fprintf(stderr, _("%s: nothing was written\n"), prog);
        return crc == K8TLS_OUTPUT_ENV ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
    }
    k8tls_diags_init(&d);
    struct k8tls_bundle *b = NULL;
    if (k8tls_bundle_from_plan(p, NULL, NULL, &b, &d) < 0 || !b) {
        k8tls_diags_print(&d, stderr);
        k8tls_diags_free(&d);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        return K8TLS_EXIT_INVALID;
    }
    k8tls_diags_free(&d);
    drop_early_notes();
    k8tls_diags_print(&b->notes, stderr);
    if (k8tls_cli_write_output(prog, b, o->output, o->force) < 0) {
        k8tls_bundle_free(b);
        return K8TLS_EXIT_ENV;
    }
    *out = b;
    return K8TLS_EXIT_OK;
}

/* What the staged bundle is and what comes next, on stderr. */
static void say_phase(const struct k8tls_plan *p, const enum k8tls_rollout_phase *seq, size_t n,
                      const char *dir)
{
    enum k8tls_rollout_phase ph = p->rollout.phase;
    size_t k = phase_number(seq, n, ph);
    k8tls_text_fprintf(stderr, _("%s: staged rollout, phase %zu of %zu: %s\n"), prog, k, n,
                       k8tls_rollout_phase_title(p, ph));
    if (k < n)
        k8tls_text_fprintf(stderr,
                           _("%s: next: apply %s, wait until every Cassandra pod has restarted, "
                             "then: %s enable --from %s --phase %s -o NEWDIR (see %s/NEXT-STEPS.md)\n"),
                           prog, dir, PACKAGE, dir, k8tls_rollout_phase_cli_name(seq[k]), dir);
    else
        k8tls_text_fprintf(stderr,
                           _("%s: this is the last phase: apply %s and let every Cassandra pod "
                             "restart (see %s/NEXT-STEPS.md)\n"),
                           prog, dir, dir);
}

/* A manifest already at a phase: the next one needs that phase's directory (its CA and stores);
 * built from the answers it would get a new CA, which the restarted and the other pods do not
 * share. */
static bool rollout_complete(const struct k8tls_plan *p, const struct k8tls_rollout_stage *st)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES], due;
    char why[2048];
    size_t n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    return n > 0 && k8tls_rollout_due(st, seq, n, &due, why, sizeof why) == 0;
}

static int later_phase_refusal(const char *who, const char *where,
                               const struct k8tls_rollout_stage *st)
{
    char msg[4096];
    snprintf(msg, sizeof msg,
             _("%s is at phase %s of a staged rollout: the next phase keeps that phase's CA and "
               "stores, so it is built from its directory: run %s enable --from DIR --phase "
               "PHASE -o NEWDIR (the answers would make a new CA)"),
             where, k8tls_rollout_phase_cli_name(st->phase), PACKAGE);
    return refuse_as(who, msg);
}

static int run_answers(const struct eopts *o)
{
    struct k8tls_plan *p = load_plan(o->answers);
    if (!p)
        return K8TLS_EXIT_INVALID;
    if (o->client_files)
        p->output.client_files = true;
    int rc;
    struct k8tls_bundle *b = NULL;
    if (!p->cluster.manifest || !*p->cluster.manifest) {
        rc = refuse(_("enable turns encryption on in a running cluster: set cluster.manifest in "
                      "the answers to the running K8ssandraCluster's manifest (a new cluster "
                      "starts encrypted: run k8tls-wizard --answers FILE)"));
        goto out;
    }
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = 0;
    if (o->one_shot) {
        p->rollout.mode = K8TLS_ROLLOUT_ONE_SHOT;
        one_shot_warning(prog);
    } else {
        struct k8tls_rollout_stage st;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        char *path = manifest_path(p);
        if (!path || k8tls_rollout_stage_read_file(path, &st, &e) < 0) {
            char buf[2048];
            free(path);
            rc = refuse(path ? k8tls_err_format(&e, buf, sizeof buf) : _("out of memory"));
            goto out;
        }
        char where[PATH_MAX + 64];
        snprintf(where, sizeof where, _("the manifest %s"), path);
        free(path);
        if (st.has_phase && !rollout_complete(p, &st)) {
            rc = later_phase_refusal(prog, where, &st);
            goto out;
        }
        rc = decide(p, &st, where, o->phase, o->clients_tls, seq, &n);
        if (rc >= 0)
            goto out;
    }
    rc = build_and_write(p, o, &b);
    if (rc == K8TLS_EXIT_OK && p->rollout.mode == K8TLS_ROLLOUT_STAGED)
        say_phase(p, seq, n, o->output);
out:
    k8tls_bundle_free(b);
    k8tls_plan_free(p);
    return rc;
}

/* Writes the bundle b into o->output (checked first). Returns the exit code. */
static int write_bundle(const struct eopts *o, const struct k8tls_bundle *b)
{
    k8tls_diags_print(&b->notes, stderr);
    if (k8tls_cli_write_output(prog, b, o->output, o->force) < 0)
        return K8TLS_EXIT_ENV;
    return K8TLS_EXIT_OK;
}

static int check_output(const struct eopts *o)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int crc = k8tls_output_check(o->output, o->force, &e);
    if (crc < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
        k8tls_text_fprintf(stderr, _("%s: nothing was written\n"), prog);
        return crc == K8TLS_OUTPUT_ENV ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
    }
    return -1;
}

/* --from DIR: the next phase from the previous phase's directory, its CA, stores, passwords. */
static int run_from(const struct eopts *o)
{
    struct k8tls_diags d;
    struct k8tls_enable_prev *pv = NULL;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int lr = k8tls_enable_load_dir(o->from, &pv, &d);
    k8tls_diags_print(&d, stderr);
    k8tls_diags_free(&d);
    if (lr < 0) {
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        return lr == -3 ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
    }
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = 0;
    int rc = decide(pv->plan, &pv->stage, o->from, o->phase, o->clients_tls, seq, &n);
    if (rc >= 0)
        goto out;
    if ((rc = check_output(o)) >= 0)
        goto out;
    k8tls_diags_init(&d);
    if (k8tls_enable_build(pv, pv->plan->rollout.phase, &b, &d) < 0 || !b) {
        k8tls_diags_print(&d, stderr);
        k8tls_diags_free(&d);
        fprintf(stderr, _("%s: nothing was written\n"), prog);
        rc = K8TLS_EXIT_INVALID;
        goto out;
    }
    k8tls_diags_print(&d, stderr);
    k8tls_diags_free(&d);
    rc = write_bundle(o, b);
    if (rc == K8TLS_EXIT_OK)
        say_phase(pv->plan, seq, n, o->output);
out:
    k8tls_bundle_free(b);
    k8tls_enable_prev_free(pv);
    return rc;
}

static void one_shot_warning(const char *who)
{
    k8tls_text_fprintf(stderr, "%s: %s\n", who,
                       _("warning: one shot: while the pods restart, restarted nodes and the "
                         "others cannot talk to each other; plan a maintenance window (stop "
                         "every datacenter with spec.cassandra.datacenters[].stopped: true, "
                         "apply, start them)"));
}

int k8tls_cli_enable_merge_default(const char *who, struct k8tls_plan *p, bool one_shot)
{
    if (!p->cluster.manifest || !*p->cluster.manifest)
        return -1;   /* a new cluster: nothing runs, nothing to stage */
    struct k8tls_rollout_stage st;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    char *path = manifest_path(p);
    int r = path ? k8tls_rollout_stage_read_file(path, &st, &e) : -1;
    if (r < 0) {
        free(path);
        return -1;   /* the pipeline reports the manifest's problem */
    }
    bool mode_given = k8tls_plan_pos(p, "rollout.mode").line > 0;
    if (one_shot || (mode_given && p->rollout.mode == K8TLS_ROLLOUT_ONE_SHOT)) {
        p->rollout.mode = K8TLS_ROLLOUT_ONE_SHOT;
        if (!st.encrypted || st.has_phase)
            one_shot_warning(who);
        free(path);
        return -1;
    }
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = 0;
    char where[PATH_MAX + 64];
    snprintf(where, sizeof where, _("the manifest %s"), path);
    free(path);
    if (st.has_phase) {
        /* a finished rollout is encryption that is on: changed in place, as before */
        if (rollout_complete(p, &st))
            return -1;
        return later_phase_refusal(who, where, &st);
    }
    if (mode_given) {
        /* staged in the answers: the phase they name (their word for clients-required), or the
         * phase due */
        bool phase_given = k8tls_plan_pos(p, "rollout.phase").line > 0;
        return decide_as(who, p, &st, where, phase_given ? (int)p->rollout.phase : -1,
                         phase_given, seq, &n);
    }
    if (st.encrypted && !st.has_phase)
        return -1;   /* encryption already on: changed in place, as before */
    char why[2048], msg[4096];
    n = k8tls_rollout_sequence(p, seq, why, sizeof why);
    if (n == 0)
        return refuse_as(who, why);
    enum k8tls_rollout_phase due;
    r = k8tls_rollout_due(&st, seq, n, &due, why, sizeof why);
    if (r == 0)
        return -1;   /* the rollout is complete: the target is what the last phase wrote */
    if (r < 0) {
        snprintf(msg, sizeof msg, _("%s: %s"), where, why);
        return refuse_as(who, msg);
    }
    snprintf(msg, sizeof msg,
             _("%s runs without encryption: turning it on in one restart splits the cluster "
               "while the pods restart, so the staged rollout is the default; run %s enable "
               "--answers FILE -o DIR (phase %s, no downtime), or add --one-shot "
               "(rollout.mode: oneShot) for one restart in a maintenance window"),
             where, PACKAGE, k8tls_rollout_phase_cli_name(due));
    return refuse_as(who, msg);
}

/* ---- --from-context: the live check --------------------------------------------------------- */

static void print_live(const struct eopts *o, const struct k8tls_plan *p,
                       const struct k8tls_enable_live *l)
{
    const struct k8tls_rollout_values *v = &l->stage.values;
    k8tls_text_fprintf(stdout, _("Live cluster %s in context %s, namespace %s:\n"),
                       p->cluster.name, o->from_context, p->cluster.namespace_);
    k8tls_text_fprintf(stdout, _("  phase:                   %s\n"),
                       l->stage.has_phase ? k8tls_rollout_phase_cli_name(l->stage.phase)
                       : l->stage.bad_phase[0] ? l->stage.bad_phase : _("none"));
    k8tls_text_fprintf(stdout, _("  internode encryption:    %s, optional %s\n"),
                       k8tls_internode_mode_name(v->internode),
                       v->internode_optional < 0 ? _("not set") : v->internode_optional ? "true" : "false");
    k8tls_text_fprintf(stdout, _("  client encryption:       %s, optional %s\n"),
                       v->client_enabled ? _("on") : _("off"), v->client_optional ? "true" : "false");
    k8tls_text_fprintf(stdout, _("  datacenters Ready:       %zu of %zu\n"), l->n_ready,
                       p->cluster.n_dcs);
    k8tls_text_fprintf(stdout, _("  pods created since the K8ssandraCluster changed (%s): %zu of %zu\n"),
                       l->changed_text[0] ? l->changed_text : _("unknown"), l->n_fresh,
                       l->n_expected);
}

/* The exact command of the phase due. */
static void print_command(const struct eopts *o, enum k8tls_rollout_phase ph)
{
    printf("  %s enable --from-context ", PACKAGE);
    k8tls_text_fputs(o->from_context, 0, stdout);
    if (o->kubeconfig) {
        fputs(" --kubeconfig ", stdout);
        k8tls_text_fputs(o->kubeconfig, 0, stdout);
    }
    fputs(o->from ? " --from " : " --answers ", stdout);
    k8tls_text_fputs(o->from ? o->from : o->answers, 0, stdout);
    printf(" --phase %s%s --output NEWDIR --apply\n", k8tls_rollout_phase_cli_name(ph),
           ph == K8TLS_PHASE_CLIENTS_REQUIRED ? " --clients-use-tls" : "");
}

static int run_context(const struct eopts *o)
{
    struct k8tls_enable_prev *pv = NULL;
    struct k8tls_plan *p = NULL;
    struct k8tls_bundle *b = NULL;
    struct k8tls_diags d;
    int rc;
    if (o->from) {
        k8tls_diags_init(&d);
        int lr = k8tls_enable_load_dir(o->from, &pv, &d);
        k8tls_diags_print(&d, stderr);
        k8tls_diags_free(&d);
        if (lr < 0) {
            fprintf(stderr, _("%s: nothing was written\n"), prog);
            return lr == -3 ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
        }
        p = pv->plan;
    } else {
        if (!(p = load_plan(o->answers)))
            return K8TLS_EXIT_INVALID;
        if (o->client_files)
            p->output.client_files = true;
        if (!p->cluster.manifest || !*p->cluster.manifest) {
            rc = refuse(_("enable turns encryption on in a running cluster: set cluster.manifest "
                          "in the answers to the running K8ssandraCluster's manifest"));
            goto out;
        }
    }

    /* the live cluster */
    struct k8tls_enable_live live;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int lr = k8tls_enable_live_read(o->kubeconfig, o->from_context, p, &live, &e);
    if (lr < 0) {
        char buf[2048];
        k8tls_text_fprintf(stderr, "%s: %s\n", prog, k8tls_err_format(&e, buf, sizeof buf));
        rc = lr == -3 ? K8TLS_EXIT_ENV : K8TLS_EXIT_INVALID;
        goto out;
    }

    /* the phase due: after the directory's phase, or (answers) after the live stage */
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = 0;
    char where[PATH_MAX + 64];
    int prev = -1;
    if (pv) {
        snprintf(where, sizeof where, "%s", o->from);
        prev = (int)pv->stage.phase;
        rc = decide(p, &pv->stage, where, o->phase, o->clients_tls || o->phase < 0, seq, &n);
    } else {
        if (live.stage.has_phase) {
            char msg[1024];
            snprintf(msg, sizeof msg,
                     _("the live cluster is at phase %s: the next phase is built from that "
                       "phase's directory (its CA and stores), run with --from DIR instead of "
                       "--answers"),
                     k8tls_rollout_phase_cli_name(live.stage.phase));
            rc = refuse(msg);
            goto out;
        }
        snprintf(where, sizeof where, _("context %s"), o->from_context);
        rc = decide(p, &live.stage, where, o->phase, o->clients_tls || o->phase < 0, seq, &n);
    }
    if (rc >= 0)
        goto out;
    enum k8tls_rollout_phase due = p->rollout.phase;
    char why[2048];
    bool ok = k8tls_enable_live_check(&live, p, prev, why, sizeof why);

    if (o->phase < 0) {
        /* show, write nothing */
        print_live(o, p, &live);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (seq[i] == due)
                k = i + 1;
        k8tls_text_fprintf(stdout, _("Phase due: %s (%zu of %zu): %s\n"),
                           k8tls_rollout_phase_cli_name(due), k, n, k8tls_rollout_phase_title(p, due));
        if (ok) {
            printf("%s\n", _("Live check: passed; to run it:"));
            print_command(o, due);
            rc = K8TLS_EXIT_OK;
        } else {
            k8tls_text_fprintf(stdout, _("Live check: not yet: %s\n"), why);
            rc = K8TLS_EXIT_INVALID;
        }
        goto out;
    }
    if (!ok) {
        rc = refuse(why);
        goto out;
    }
    if ((rc = check_output(o)) >= 0)
        goto out;
    if (pv) {
        k8tls_diags_init(&d);
        if (k8tls_enable_build(pv, due, &b, &d) < 0 || !b) {
            k8tls_diags_print(&d, stderr);
            k8tls_diags_free(&d);
            fprintf(stderr, _("%s: nothing was written\n"), prog);
            rc = K8TLS_EXIT_INVALID;
            goto out;
        }
        k8tls_diags_print(&d, stderr);
        k8tls_diags_free(&d);
        if ((rc = write_bundle(o, b)) != K8TLS_EXIT_OK)
            goto out;
    } else if ((rc = build_and_write(p, o, &b)) != K8TLS_EXIT_OK) {
        goto out;
    }
    say_phase(p, seq, n, o->output);
    if (o->apply) {
        const char *ctx1[1] = {o->from_context};
        struct k8tls_apply_opts ao = {
            .kubeconfig = o->kubeconfig,
            .contexts = ctx1,
            .n_contexts = 1,
            .dry_run_server = o->dry_run_server,
            .diff = o->diff,
            .force_conflicts = o->force_conflicts,
            .on_text = k8tls_cli_kube_text,
        };
        rc = k8tls_cli_exit_code(k8tls_kube_apply(b, p, &ao));
        fflush(stdout);
    }
out:
    k8tls_bundle_free(b);
    if (pv)
        k8tls_enable_prev_free(pv);
    else
        k8tls_plan_free(p);
    return rc;
}

int k8tls_cli_enable(int argc, char **argv)
{
    struct eopts o;
    memset(&o, 0, sizeof o);
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.help) {
        print_help();
        return K8TLS_EXIT_OK;
    }
    if (o.answers && !o.from_context)
        rc = run_answers(&o);
    else if (o.from && !o.from_context)
        rc = run_from(&o);
    else if (o.from_context)
        rc = run_context(&o);
    else
        return refuse(_("not available yet"));
    flush_early_notes();
    return rc;
}
