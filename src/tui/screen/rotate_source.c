/* The rotation source screen: where the certificates to renew are (an output directory written
 * earlier, or the Secrets of a kube context); Next reads them in a job and makes the proposal
 * that the phase screen shows. Calls rotation.c, kube.c (the kubeconfig's contexts), session.c,
 * job.c, the engine and text.c. */
#include "config.h"
#include "../rotation.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* a copy of s without blanks around it */
static char *trim(const char *s)
{
    if (!s)
        return strdup("");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '/'))
        n--;
    if (n == 0 && *s == '/')
        n = 1;
    return strndup(s, n);
}

enum { R_FROM, R_DIR, R_CTX, R_KEY, R_KEYPW, R_NEWPW };
static const char *const sources[] = {N_("an output directory written earlier"),
                                      N_("the Secrets of a kube context")};
static const char *const no_yes[] = {N_("no"), N_("yes")};

static int add_field(struct form *f, enum fkind k, const char *label, const char *hint)
{
    int i = tui_field_add(f, k, label, NULL);
    f->f[i].hint = hint;
    f->f[i].current_item = -1;
    return i;
}

static void source_define(struct form *f)
{
    int i = add_field(f, F_CHOICE, N_("Start from"),
                      N_("The directory that k8tls-wizard (or an earlier phase) wrote, or the "
                         "Secrets as they are in a cluster."));
    f->f[i].choices = sources;
    f->f[i].n_choices = 2;
    f->f[i].relayout = true;
    add_field(f, F_PATH, N_("Output directory"),
              N_("Type the directory, or Browse and pick any file in it (answers.yaml, for "
                 "example)."));
    add_field(f, F_CHOICE, N_("Kube context"),
              N_("Where the Secrets are read (kubectl get secret); the datacenters' contexts are "
                 "read too."));
    add_field(f, F_PATH, N_("CA private key (PEM)"),
              N_("Only when the directory does not hold it: renew signs with the current CA's "
                 "key, reissue with the new CA's key."));
    add_field(f, F_PASSWORD, N_("CA key password"),
              N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                 "environment or a file."));
    i = add_field(f, F_CHOICE, N_("New store passwords"),
                  N_("No is advised: Cassandra reloads its stores in place only when their "
                     "passwords stay the same."));
    f->f[i].choices = no_yes;
    f->f[i].n_choices = 2;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* the wizard's output directory when it is there (the usual case: renew what was written) */
static void source_load(struct tui *t, struct form *f)
{
    const char *d = t->plan->output.directory ? t->plan->output.directory : "k8tls-out";
    if ((!f->f[R_DIR].value || !*f->f[R_DIR].value) && is_dir(d))
        tui_set_str(&f->f[R_DIR].value, d);
}

static void source_sync(struct tui *t, struct form *f)
{
    struct tui_renew *rn = tui_renew_of(t);
    bool ctx = f->f[R_FROM].choice == 1;
    f->f[R_DIR].label = ctx ? N_("Earlier output directory") : N_("Output directory");
    f->f[R_CTX].hidden = true;
    if (!ctx || !rn)
        return;
    tui_kube_load(t);
    if (!t->kc) {
        tui_field_error(f, R_FROM, t->kc_error ? t->kc_error : _("the kubeconfig cannot be read"));
        return;
    }
    if (!rn->ctx_init) {
        rn->ctx_init = true;
        rn->ctx_names = calloc(t->kc->n_contexts + 1, sizeof *rn->ctx_names);
        for (size_t i = 0; rn->ctx_names && i < t->kc->n_contexts; i++) {
            rn->ctx_names[rn->n_ctx_names] = strdup(t->kc->contexts[i].name);
            if (!rn->ctx_names[rn->n_ctx_names])
                break;
            if (strcmp(t->kc->contexts[i].name, t->kc->current_context) == 0)
                f->f[R_CTX].choice = rn->n_ctx_names;
            rn->n_ctx_names++;
        }
    }
    if (rn->n_ctx_names == 0) {
        char *files = k8tls_kubeconfig_describe(t->kc, t->opts ? t->opts->kubeconfig : NULL);
        char *m = tui_fmt(_("no kube context in %s"), files ? files : "~/.kube/config");
        tui_field_error(f, R_FROM, m);
        free(m);
        free(files);
        return;
    }
    f->f[R_CTX].choices = (const char *const *)rn->ctx_names;
    f->f[R_CTX].n_choices = rn->n_ctx_names;
    f->f[R_CTX].hidden = false;
}

static int load_main(struct tui_job *j, void *arg)
{
    struct tui_renew_work *w = arg;
    tui_job_line(j, K8TLS_ROLE_TEXT, "%s",
                 w->rn->o.from_context ? _("Reading the Secrets with kubectl...")
                                       : _("Reading the Secrets, stores and CA keys..."));
    return k8tls_rotate_load(&w->rn->o, &w->s, &w->d);
}


/* a file picked with Browse names its directory */
static char *dir_of(char *p)
{
    struct stat st;
    if (*p && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        char *slash = strrchr(p, '/');
        if (!slash) {
            free(p);
            return strdup(".");
        }
        if (slash == p)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    return p;
}

static int source_check(struct tui *t, struct form *f)
{
    struct tui_renew *rn = tui_renew_of(t);
    if (!rn)
        return 1;
    bool from_ctx = f->f[R_FROM].choice == 1;
    char *dir = dir_of(trim(f->f[R_DIR].value));
    char *key = trim(f->f[R_KEY].value);
    if (!dir || !key) {
        free(dir);
        free(key);
        return 1;
    }
    int errs = 0;
    if (!from_ctx && !*dir) {
        tui_field_error(f, R_DIR, _("give the directory that holds the bundle"));
        errs++;
    } else if (*dir && !is_dir(dir)) {
        struct stat st;
        char *m = tui_fmt(_("%s: %s"), dir,
                          stat(dir, &st) != 0 ? strerror(errno) : _("not a directory"));
        tui_field_error(f, R_DIR, m);
        free(m);
        errs++;
    }
    if (from_ctx && (f->f[R_CTX].hidden || rn->n_ctx_names == 0)) {
        if (!f->f[R_FROM].error)
            tui_field_error(f, R_FROM, t->kc_error ? t->kc_error : _("no kube context to read"));
        errs++;
    }
    if (*key && access(key, R_OK) != 0) {
        char *m = tui_fmt(_("%s: %s"), key, strerror(errno));
        tui_field_error(f, R_KEY, m);
        free(m);
        errs++;
    }
    errs += tui_check_password_refs(t, f); /* env:/file: read now, said at the field */
    if (errs) {
        free(dir);
        free(key);
        return errs;
    }
    /* the options of this source */
    tui_renew_free_source(rn);
    rn->dir = *dir ? dir : NULL;
    if (!rn->dir)
        free(dir);
    rn->key = *key ? key : NULL;
    if (!rn->key)
        free(key);
    const char *pw = f->f[R_KEYPW].value;
    rn->key_pw = pw && *pw ? strdup(pw) : NULL;
    if (from_ctx) {
        int c = f->f[R_CTX].choice;
        rn->ctx = strdup(c >= 0 && c < rn->n_ctx_names ? rn->ctx_names[c] : "");
    }
    rn->o.from_dir = rn->dir;
    rn->o.from_context = rn->ctx;
    rn->o.kubeconfig = t->opts && t->opts->kubeconfig && *t->opts->kubeconfig
                           ? t->opts->kubeconfig
                           : NULL;
    rn->o.ca_key = rn->key;
    rn->o.ca_key_password = rn->key_pw;
    rn->o.new_passwords = f->f[R_NEWPW].choice == 1;

    struct tui_renew_work *w = calloc(1, sizeof *w);
    if (!w)
        return 1;
    w->rn = rn;
    k8tls_diags_init(&w->d);
    char *title = rn->ctx ? tui_fmt(_("Reading the certificates of context %s"), rn->ctx)
                          : tui_fmt(_("Reading the certificates of %s"), rn->dir);
    struct tui_job *j = tui_job_start(load_main, w);
    int rc = j ? tui_job_wait(t, title, j, true, false) : -3;
    free(title);
    if (rc == -2) {
        t->job_arg = w;
        t->job_cleanup = tui_renew_work_free;
        return 1;
    }
    if (rc < 0 || !w->s) {
        errs += tui_show_errors(f, from_ctx ? R_CTX : R_DIR, &w->d,
                            rc == -3 ? _("the Secrets cannot be read (kubectl or the API server)")
                                     : _("the certificates cannot be read"));
        tui_renew_work_free(w);
        return errs;
    }
    /* what was found, and the proposal */
    k8tls_rotate_state_free(rn->s);
    rn->s = w->s;
    w->s = NULL;
    tui_renew_work_free(w);
    k8tls_diags_free(&rn->dec_notes);
    k8tls_diags_init(&rn->dec_notes);
    k8tls_rotate_plan(rn->s, K8TLS_ROTATE_NONE, &rn->o, &rn->dec, &rn->dec_notes);
    rn->phase = rn->dec.phase != K8TLS_ROTATE_NONE ? rn->dec.phase : K8TLS_ROTATE_RENEW;
    tui_renew_summarize(rn);
    rn->read_gen++; /* the phase screen chooses the proposed phase */
    /* a bundle built from an earlier source is stale */
    tui_bundle_reset(t);
    rn->built = K8TLS_ROTATE_NONE;
    return 0;
}

static void source_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)t;
    if (*n < max)
        lines[(*n)++] = strdup(f->f[R_FROM].choice == 1
                                   ? _("The live Secrets decide where the rotation stands; an "
                                       "earlier output directory gives the CA keys and the "
                                       "answers (Secret names, namespace). Nothing changes in "
                                       "the cluster before the Output step.")
                                   : _("The directory's Secrets, CA key and answers say where "
                                       "the rotation stands. Nothing is written before the "
                                       "Output step."));
}

void tui_rotate_source_preset(struct tui *t, const char *dir, const char *ctx)
{
    struct form *f = tui_form_of(t, K8TLS_SCR_ROTATE_SOURCE);
    if (!f)
        return;
    f->f[R_FROM].choice = ctx ? 1 : 0;
    tui_field_set(f, R_DIR, dir ? dir : "");
    if (!ctx)
        return;
    source_sync(t, f); /* the kubeconfig's contexts */
    struct tui_renew *rn = tui_renew_of(t);
    for (int i = 0; rn && i < rn->n_ctx_names; i++)
        if (strcmp(rn->ctx_names[i], ctx) == 0)
            f->f[R_CTX].choice = i;
}

const struct tui_screen tui_screen_rotate_source = {
    .intro = N_("Renew the certificates, or rotate the CA, of a cluster encrypted earlier."),
    .help = N_("Start from the output directory that k8tls-wizard wrote (or that an earlier "
           "phase wrote), or from the Secrets in a kube context (with an earlier output "
           "directory for the CA keys and answers, when you have it). The next step shows "
           "the certificates found, how many days they have left, and the phase that is "
           "due."),
    .define = source_define,
    .load = source_load,
    .sync = source_sync,
    .check = source_check,
    .notes = source_notes,
};

