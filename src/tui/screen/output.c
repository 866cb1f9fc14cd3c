/* The Output screen: where to write the bundle (and the answers file), and whether to apply it
 * to the kube contexts chosen from the kubeconfig; Write writes, then applies. Also gives other
 * screens its own data: the contexts chosen (Review's diff) and the directory to suggest (the
 * rotation phase). Calls kube.c, rotation.c, session.c, the engine and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/answers.h"
#include "k8tls/output.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

enum { O_DIR, O_NS, O_SAVE, O_ANSWERS, O_PWREF, O_APPLY, O_CTX, O_DRY, O_WAIT };

/* What the saved answers file holds for a password typed on a step (a literal: never saved in
 * clear) */
enum { PW_OMIT, PW_ENV, PW_FILE };
static const char *const pwref_choices[] = {N_("left out of the answers file"),
                                            N_("env: references"),
                                            N_("file: references (files readable by you)")};

/* The passwords typed on the steps: where they are, their label, the step, the suggested
 * variable and file names */
struct typed_pw {
    struct k8tls_password *pw;
    const char *label, *step, *env, *file;
};

static int typed_passwords(struct k8tls_plan *p, struct typed_pw out[5])
{
    int n = 0;
    struct {
        bool used;
        struct k8tls_store_set *set;
        const char *step, *env[2], *file[2];
    } sets[2] = {
        {k8tls_plan_wants_server_stores(p), &p->stores.server, N_("Server stores"),
         {"SERVER_KEYSTORE_PASSWORD", "SERVER_TRUSTSTORE_PASSWORD"},
         {"server-keystore-password", "server-truststore-password"}},
        {k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE,
         &p->stores.client, N_("Client stores"),
         {"CLIENT_KEYSTORE_PASSWORD", "CLIENT_TRUSTSTORE_PASSWORD"},
         {"client-keystore-password", "client-truststore-password"}},
    };
    for (int i = 0; i < 2; i++) {
        struct k8tls_password *pws[2] = {&sets[i].set->keystore_password,
                                         &sets[i].set->truststore_password};
        const char *labels[2] = {N_("Keystore password"), N_("Truststore password")};
        for (int k = 0; sets[i].used && k < 2; k++)
            out[n++] = (struct typed_pw){pws[k], labels[k], sets[i].step, sets[i].env[k],
                                         sets[i].file[k]};
    }
    if (p->ca.source == K8TLS_SOURCE_IMPORT)
        out[n++] = (struct typed_pw){&p->ca.import_key_password, N_("CA key password"),
                                     N_("Certificate authority"), "CA_KEY_PASSWORD",
                                     "ca-key-password"};
    /* only the literals */
    int m = 0;
    for (int i = 0; i < n; i++) {
        const char *r = out[i].pw->ref;
        if (r && *r && strncmp(r, "env:", 4) != 0 && strncmp(r, "file:", 5) != 0)
            out[m++] = out[i];
    }
    return m;
}

/* The file beside the answers file that holds a typed password (file: mode): "DIR/STEM.NAME" */
static char *pw_file_path(const char *ans, const char *name)
{
    const char *slash = strrchr(ans, '/');
    const char *base = slash ? slash + 1 : ans;
    size_t stem = strlen(base);
    if (stem > 5 && strcmp(base + stem - 5, ".yaml") == 0)
        stem -= 5;
    else if (stem > 4 && strcmp(base + stem - 4, ".yml") == 0)
        stem -= 4;
    return tui_fmt("%.*s%.*s.%s", (int)(slash ? slash + 1 - ans : 0), ans, (int)stem, base, name);
}

static void output_define(struct form *f)
{
    int i = tui_field_add(f, F_PATH, N_("Output directory"), "output.directory");
    tui_field_hint(f, i, N_("Created with everything kubectl apply -k needs; an existing directory is "
                  "replaced only after you confirm."));
    tui_field_yesno(f, N_("Namespace manifest"), "output.createNamespace", false);
    tui_field_yesno(f, N_("Save the answers file"), NULL, true);
    i = tui_field_add(f, F_PATH, N_("Answers file"), NULL);
    tui_field_hint(f, i, N_("Passwords are saved only as env:/file: references, never in clear."));
    i = tui_field_choice(f, N_("Typed passwords"), NULL, pwref_choices, 3, false);
    tui_field_hint(f, i, N_("The answers file never holds a typed password: leave it out (a replay "
                  "then generates new store passwords), name an environment variable to set "
                  "before replaying, or keep it in a file of its own beside the answers file."));
    /* apply: after writing, to the contexts chosen from the kubeconfig */
    i = tui_field_yesno(f, N_("Apply to a cluster"), NULL, true);
    tui_field_hint(f, i, N_("After writing, send the bundle to Kubernetes with kubectl (server-side apply, "
                  "field manager k8tls-wizard)."));
    i = tui_field_add(f, F_MULTI, N_("Kube contexts"), NULL);
    tui_field_hint(f, i, N_("Space selects or unselects the context under the cursor. The first one "
                  "selected is the control plane (the K8ssandraCluster goes there); every one "
                  "gets the Secrets."));
    i = tui_field_yesno(f, N_("Server dry run"), NULL, false);
    tui_field_hint(f, i, N_("The API servers check every object (dryRun=All) and store nothing."));
    /* cert-manager output: the cluster once its Secrets exist */
    i = tui_field_yesno(f, N_("Wait until Ready"), NULL, false);
    tui_field_hint(f, i, N_("yes: the K8ssandraCluster is applied only once cert-manager has "
                            "issued every Certificate (Ready) and trust-manager synced the "
                            "Bundle, at most 5 minutes. no: it goes at once, and its pods wait "
                            "for their Secrets."));
    f->f[i].choice = 1;
}

/* the kubeconfig's contexts in the list, the current one (or the rotation's source) chosen */
static void output_contexts_fill(struct tui *t, struct form *f)
{
    tui_kube_load(t);
    struct field *fd = &f->f[O_CTX];
    if (!t->kc || fd->items)
        return;
    fd->current_item = -1;
    fd->n_items = 0;
    fd->items = calloc(t->kc->n_contexts + 1, sizeof *fd->items);
    if (!fd->items)
        return;
    for (size_t i = 0; i < t->kc->n_contexts; i++) {
        fd->items[fd->n_items] = strdup(t->kc->contexts[i].name);
        if (!fd->items[fd->n_items])
            break;
        if (strcmp(t->kc->contexts[i].name, t->kc->current_context) == 0)
            fd->current_item = fd->n_items;
        fd->n_items++;
    }
    const char *want = tui_renew_source_context(t);
    int pick = fd->current_item;
    for (int i = 0; want && i < fd->n_items; i++)
        if (strcmp(fd->items[i], want) == 0)
            pick = i;
    if (pick >= 0 && (fd->sel = malloc(sizeof *fd->sel))) {
        fd->sel[0] = pick;
        fd->n_sel = 1;
        fd->choice = pick;
    }
}

static void output_load(struct tui *t, struct form *f)
{
    tui_field_set(f, O_DIR, t->plan->output.directory);
    f->f[O_NS].choice = t->plan->output.create_namespace;
    if (!f->f[O_ANSWERS].value || !*f->f[O_ANSWERS].value)
        tui_field_set(f, O_ANSWERS, "k8tls-answers.yaml");
}

static void output_sync(struct tui *t, struct form *f)
{
    bool rot = t->path == K8TLS_PATH_ROTATE || t->path == K8TLS_PATH_ENABLE;
    /* a phase's bundle holds its own answers.yaml and no Namespace */
    f->f[O_NS].hidden = f->f[O_SAVE].hidden = rot;
    f->f[O_ANSWERS].hidden = rot || !f->f[O_SAVE].choice;

    struct typed_pw tp[5];
    f->f[O_PWREF].hidden = f->f[O_ANSWERS].hidden || typed_passwords(t->plan, tp) == 0;
    bool apply = f->f[O_APPLY].choice;
    if (apply)
        output_contexts_fill(t, f);
    f->f[O_CTX].hidden = !apply || !t->kc || f->f[O_CTX].n_items == 0;
    f->f[O_DRY].hidden = !apply;
    f->f[O_WAIT].hidden = !apply || rot || t->plan->output.mode != K8TLS_OUTPUT_CERT_MANAGER;
    /* a kubeconfig that cannot be read: its file:line:col instead of the list */
    if (apply && !t->kc && !f->f[O_APPLY].error)
        tui_field_error(f, O_APPLY, t->kc_error ? t->kc_error : _("the kubeconfig cannot be read"));
    else if (apply && t->kc && t->kc->n_contexts == 0 && !f->f[O_APPLY].error) {
        char *files = k8tls_kubeconfig_describe(t->kc, t->opts ? t->opts->kubeconfig : NULL);
        char *m = tui_fmt(_("no kube context in %s"), files ? files : "~/.kube/config");
        tui_field_error(f, O_APPLY, m);
        free(m);
        free(files);
    } else if (!apply && f->f[O_APPLY].error) {
        free(f->f[O_APPLY].error);
        f->f[O_APPLY].error = NULL;
    }
}

static int output_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    if (t->path == K8TLS_PATH_ROTATE || t->path == K8TLS_PATH_ENABLE)
        return 0; /* the phase's directory is only in the form */
    tui_put_str(&t->plan->output.directory, f, O_DIR);
    t->plan->output.create_namespace = f->f[O_NS].choice;
    /* the namespace manifest changes the bundle: rebuild it now so that the count is right */
    if (t->bundle_plan && t->bundle_plan->output.create_namespace != t->plan->output.create_namespace)
        tui_bundle_build(t);
    return 0;
}

static bool dir_nonempty(const char *path, bool *exists)
{
    DIR *d = opendir(path);
    *exists = d != NULL || errno != ENOENT;
    if (!d)
        return *exists;
    struct dirent *e;
    bool any = false;
    while ((e = readdir(d)) && !any)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* writes a file atomically (0600): temporary file beside it, then rename */
static int save_secret_file(const char *path, const char *text, struct k8tls_err *e)
{
    char *tmp = tui_fmt("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    size_t len = strlen(text);
    int rc = fd < 0 ? -1 : 0;
    if (fd >= 0) {
        fchmod(fd, 0600);
        if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0)
            rc = -1;
        if (close(fd) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = -1;
        if (rc != 0)
            unlink(tmp);
    }
    if (rc != 0)
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
    free(tmp);
    return rc;
}

static int save_answers(const struct k8tls_plan *p, const char *path, struct k8tls_err *e);

/* The answers file with the typed passwords as chosen: left out, env:NAME, or file:STEM.NAME
 * (each written readable by you only) */
static int save_answers_as(struct k8tls_plan *p, const char *path, int mode, struct k8tls_err *e)
{
    struct typed_pw tp[5];
    if (mode == PW_OMIT || typed_passwords(p, tp) == 0)
        return save_answers(p, path, e);
    struct k8tls_plan *c = k8tls_plan_dup(p);
    if (!c) {
        k8tls_err_set(e, path, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    int n = typed_passwords(c, tp);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char *ref;
        if (mode == PW_ENV) {
            ref = tui_fmt("env:%s", tp[i].env);
        } else {
            char *file = pw_file_path(path, tp[i].file);
            rc = save_secret_file(file, tp[i].pw->ref, e);
            const char *slash = strrchr(file, '/');
            ref = tui_fmt("file:%s", slash ? slash + 1 : file);
            free(file);
        }
        k8tls_secure_free_str(tp[i].pw->ref);
        tp[i].pw->ref = ref;
    }
    if (rc == 0)
        rc = save_answers(c, path, e);
    k8tls_plan_free(c);
    return rc;
}

/* writes the answers file atomically (0600): temporary file beside it, then rename */
static int save_answers(const struct k8tls_plan *p, const char *path, struct k8tls_err *e)
{
    char *tmp = tui_fmt("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, 0600);
    FILE *out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        unlink(tmp);
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = k8tls_answers_emit(p, K8TLS_EMIT_OMIT_LITERAL_PW, out, e);
    if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
        if (rc == 0)
            k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (fclose(out) != 0 && rc == 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        k8tls_err_set(e, path, 0, 0, "%s", strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

char *tui_output_typed_list(struct tui *t, int mode)
{
    struct typed_pw tp[5];
    int n = typed_passwords(t->plan, tp);
    struct form *f = tui_form_peek(t, K8TLS_SCR_OUTPUT);
    char *ans = f ? tui_trimmed(tui_field_val(f, O_ANSWERS)) : NULL;
    char *out = strdup("");
    for (int i = 0; i < n && out; i++) {
        char *item;
        if (mode == PW_ENV)
            item = tui_fmt("%s", tp[i].env);
        else if (mode == PW_FILE && ans) {
            char *file = pw_file_path(ans, tp[i].file);
            item = tui_fmt("%s", file);
            free(file);
        } else
            item = tui_fmt(_("%s on %s"), _(tp[i].label), _(tp[i].step));
        char *next = tui_fmt("%s%s%s", out, *out ? ", " : "", item);
        free(item);
        free(out);
        out = next;
    }
    free(ans);
    return out;
}

int tui_output_typed_mode(struct tui *t)
{
    struct form *f = tui_form_peek(t, K8TLS_SCR_OUTPUT);
    struct typed_pw tp[5];
    if (!f || typed_passwords(t->plan, tp) == 0)
        return -1;
    return f->f[O_PWREF].choice;
}

void tui_output_set_dir(struct tui *t, const char *dir)
{
    tui_form_ensure(t, K8TLS_SCR_OUTPUT);
    struct form *f = tui_form_peek(t, K8TLS_SCR_OUTPUT);
    if (f)
        tui_field_set(f, O_DIR, dir);
}

size_t tui_output_contexts(struct tui *t, const char **out, size_t max)
{
    struct form *f = tui_form_peek(t, K8TLS_SCR_OUTPUT);
    size_t n = 0;
    for (int i = 0; f && i < f->n; i++) {
        const struct field *fd = &f->f[i];
        if (fd->kind != F_MULTI)
            continue;
        for (int k = 0; k < fd->n_sel && n < max; k++)
            if (fd->sel[k] >= 0 && fd->sel[k] < fd->n_items)
                out[n++] = fd->items[fd->sel[k]];
    }
    return n;
}

/* The CA keys in dir that the new bundle does not hold byte for byte ("ca/rootca.key"), or NULL */
static char *lost_ca_keys(struct tui *t, const char *dir)
{
    static const char *const keys[] = {"ca/rootca.key", "ca/next-rootca.key"};
    char *out = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char *path = tui_fmt("%s/%s", dir, keys[i]);
        FILE *in = fopen(path, "rb");
        free(path);
        if (!in)
            continue;
        unsigned char buf[16384];
        size_t n = fread(buf, 1, sizeof buf, in);
        fclose(in);
        bool kept = false;
        for (size_t k = 0; t->bundle && k < t->bundle->n && !kept; k++)
            kept = t->bundle->v[k].len == n && memcmp(t->bundle->v[k].data, buf, n) == 0;
        memset(buf, 0, sizeof buf);
        if (kept)
            continue;
        char *next = tui_fmt("%s%s%s", out ? out : "", out ? ", " : "", keys[i]);
        free(out);
        out = next;
    }
    return out;
}

/* Writes the bundle (and the answers file) unless this very bundle is in dir already (a second
 * Write after a failed apply). Returns the errors. */
static int output_write(struct tui *t, struct form *f, const char *dir, const char *ans)
{
    int errs = 0;
    bool force = false;
    bool already = t->written_dir && strcmp(t->written_dir, dir) == 0 &&
                   t->written_gen == t->bundle_gen;
    bool exists = false;
    if (!already && dir_nonempty(dir, &exists)) {
        char *lost = lost_ca_keys(t, dir);
        char *q = lost ? tui_fmt(_("%s already exists and holds a CA private key (%s) that the new "
                                   "bundle does not keep: replacing it loses the only copy of "
                                   "that CA key, and certificates signed by it can no longer be "
                                   "renewed. Copy it somewhere safe first. Replace the directory "
                                   "anyway?"),
                                 dir, lost)
                       : tui_fmt(_("%s already exists and is not empty. Replace its content with "
                                   "the new bundle? The old content is removed only once the new "
                                   "one is complete."),
                                 dir);
        free(lost);
        force = tui_confirm(t, _("Replace the directory?"), q, _("Replace"), _("Keep it"));
        free(q);
        if (!force) {
            tui_set_status(t, "%s", _("Nothing written: choose another directory."));
            return 1;
        }
    }
    bool save = ans && !(already && t->answers_saved && strcmp(t->answers_saved, ans) == 0);
    if (save && access(ans, F_OK) == 0) {
        char *q = tui_fmt(_("%s already exists. Replace it?"), ans);
        bool ok = tui_confirm(t, _("Replace the answers file?"), q, _("Replace"), _("Keep it"));
        free(q);
        if (!ok) {
            tui_set_status(t, "%s", _("Nothing written: choose another answers file."));
            return 1;
        }
    }
    /* file: references: a password file there already is replaced only after you confirm */
    struct typed_pw tp[5];
    int n_typed = save && !f->f[O_PWREF].hidden && f->f[O_PWREF].choice == PW_FILE
                      ? typed_passwords(t->plan, tp)
                      : 0;
    for (int i = 0; i < n_typed; i++) {
        char *file = pw_file_path(ans, tp[i].file);
        bool ok = access(file, F_OK) != 0;
        if (!ok) {
            char *q = tui_fmt(_("%s already exists. Replace it with the password you typed?"),
                              file);
            ok = tui_confirm(t, _("Replace the password file?"), q, _("Replace"), _("Keep it"));
            free(q);
        }
        free(file);
        if (!ok) {
            tui_set_status(t, "%s", _("Nothing written: choose another answers file, or "
                                      "another choice for the typed passwords."));
            return 1;
        }
    }
    /* a signal now would leave a half-written state: let it wait until the writes are done */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = already ? 0 : k8tls_output_write(t->bundle, dir, force, &e);
    char buf[1600];
    if (rc < 0) {
        tui_field_error(f, O_DIR, k8tls_err_format(&e, buf, sizeof buf));
        errs++;
    } else {
        tui_set_str(&t->written_dir, dir);
        t->written_files = t->bundle->n;
        t->written_gen = t->bundle_gen;
        if (save) {
            k8tls_err_clear(&e);
            int mode = f->f[O_PWREF].hidden ? PW_OMIT : f->f[O_PWREF].choice;
            if (save_answers_as(t->plan, ans, mode, &e) < 0) {
                tui_field_error(f, O_ANSWERS, k8tls_err_format(&e, buf, sizeof buf));
                tui_set_status(t, _("The bundle was written to %s; the answers file was not."),
                               dir);
                errs++;
            } else {
                tui_set_str(&t->answers_saved, ans);
            }
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return errs;
}

static int output_check(struct tui *t, struct form *f)
{
    bool rot = t->path == K8TLS_PATH_ROTATE || t->path == K8TLS_PATH_ENABLE;
    char *dir = tui_trimmed(tui_field_val(f, O_DIR));
    char *ans = !rot && f->f[O_SAVE].choice ? tui_trimmed(tui_field_val(f, O_ANSWERS)) : NULL;
    /* "~/x": the home directory's x */
    char *x = tui_expand_home(dir);
    free(dir);
    dir = x;
    x = tui_expand_home(ans);
    free(ans);
    ans = x;
    bool apply = f->f[O_APPLY].choice;
    const char *ctx[64];
    size_t n_ctx = 0;
    int errs = 0;
    if (!dir || !*dir) {
        tui_field_error(f, O_DIR, _("give the directory to write to"));
        errs++;
        goto out;
    }
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        tui_field_error(f, O_DIR, _("this is a file, not a directory: give a new directory, or "
                                    "one the wizard wrote (Browse, F2 picks the directory shown)"));
        errs++;
        goto out;
    }
    if (!rot && f->f[O_SAVE].choice && (!ans || !*ans)) {
        tui_field_error(f, O_ANSWERS, _("give the file to save the answers to"));
        errs++;
        goto out;
    }
    if (apply) {
        output_contexts_fill(t, f);
        if (!t->kc) {
            tui_field_error(f, O_APPLY, t->kc_error ? t->kc_error
                                                    : _("the kubeconfig cannot be read"));
            errs++;
            goto out;
        }
        n_ctx = tui_output_contexts(t, ctx, sizeof ctx / sizeof ctx[0]);
        if (n_ctx == 0) {
            tui_field_error(f, f->f[O_CTX].hidden ? O_APPLY : O_CTX,
                            _("choose at least one context (Space selects the one under the "
                              "cursor)"));
            errs++;
            goto out;
        }
    }
    if (rot ? !t->bundle : tui_bundle_build(t) < 0 || !t->bundle) {
        tui_field_error(f, -1, rot ? _("the phase's bundle is not built: go Back and build it")
                                   : _("the bundle cannot be built: the Review step lists the "
                                       "problems"));
        errs++;
        goto out;
    }
    errs += output_write(t, f, dir, ans);
    if (errs || !apply)
        goto out;
    int rc = tui_apply_run(t, ctx, n_ctx, f->f[O_DRY].choice,
                           t->plan->output.create_namespace,
                           !f->f[O_WAIT].hidden && f->f[O_WAIT].choice);
    if (rc != 0) {
        /* stay here: the reason, and what was applied (the directory is written) */
        const struct tui_applied *a = t->applied;
        const char *why = a && a->reason ? a->reason : "?";
        size_t wl = strlen(why);
        bool stop = wl && strchr(".?!", why[wl - 1]);
        tui_set_status(t, _("Not applied: %s%s Applied: %s. The bundle is written to %s: choose "
                            "other contexts and Write again, or turn Apply off to go on."),
                       why, stop ? "" : ".", a && a->done ? a->done : _("nothing"), dir);
        errs++;
    }
out:
    free(dir);
    free(ans);
    return errs;
}

static void output_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    bool rot = t->path == K8TLS_PATH_ROTATE || t->path == K8TLS_PATH_ENABLE;

    if (!rot)
        tui_screen_warnings(t, K8TLS_SCR_OUTPUT, lines, max, n);
    if (*n < max && !f->f[O_PWREF].hidden) {
        char *what = tui_output_typed_list(t, f->f[O_PWREF].choice);
        char *ans = tui_trimmed(tui_field_val(f, O_ANSWERS));
        if (f->f[O_PWREF].choice == PW_OMIT)
        {
            char *m = tui_fmt(_("Warning: the answers file will not hold the passwords you "
                                "typed (%s): a replay generates new store passwords instead. "
                                "Typed passwords: env: or file: references keep them."),
                              what);
            lines[(*n)++] = tui_fmt("!W%s", m); /* "!W": the notes show it as a warning */
            free(m);
        }
        else if (f->f[O_PWREF].choice == PW_ENV)
            lines[(*n)++] = tui_fmt(_("The answers file will name the typed passwords as "
                                      "environment variables (%s): set them before replaying."),
                                    what);
        else
            lines[(*n)++] = tui_fmt(_("The typed passwords will be written beside %s, readable "
                                      "by you only (%s)."),
                                    ans && *ans ? ans : "?", what);
        free(ans);
        free(what);
    }
    bool cm = !rot && t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
    if (*n < max && cm)
        lines[(*n)++] = tui_fmt("%s", _("Output mode: cert-manager (the Encryption step): "
                                        "Issuers and Certificates, from which cert-manager makes "
                                        "the keys and the stores in the cluster; no key is "
                                        "written here."));
    else if (*n < max && !rot)
        lines[(*n)++] = tui_fmt("%s", _("Output mode: files (the Encryption step): the keys and "
                                        "stores are made here. The other mode, cert-manager, "
                                        "suits a cluster that runs cert-manager: it writes "
                                        "Issuers and Certificates, and the certificates are made "
                                        "and renewed in the cluster."));
    if (*n < max && t->bundle && cm)
        lines[(*n)++] = tui_fmt(dngettext(PACKAGE, "%zu file will be written (the Issuers, the "
                                         "Certificates, the password Secrets, the manifest, "
                                         "NEXT-STEPS.md).",
                                         "%zu files will be written (the Issuers, the "
                                         "Certificates, the password Secrets, the manifest, "
                                         "NEXT-STEPS.md).",
                                         t->bundle->n),
                                t->bundle->n);
    else if (*n < max && t->bundle)
        lines[(*n)++] = t->path == K8TLS_PATH_ROTATE
                            ? tui_fmt(_("%zu files will be written (the Secrets, the stores, the "
                                        "CA, rotation.yaml, the restart task, NEXT-STEPS.md)."),
                                      t->bundle->n)
                            : tui_fmt(_("%zu files will be written (manifests, Secrets, the CA, "
                                        "the stores, NEXT-STEPS.md)."),
                                      t->bundle->n);
    if (*n < max && f->f[O_APPLY].choice && t->kc) {
        const struct k8tls_plan *p = t->path == K8TLS_PATH_ENABLE ? t->bundle_plan
                                     : rot                         ? tui_renew_plan(t)
                                                                   : t->plan;
        const char *ns = p && p->cluster.namespace_ ? p->cluster.namespace_ : "?";
        if (t->path == K8TLS_PATH_ENABLE)
            lines[(*n)++] = tui_fmt(_("Apply: namespace %s, after a live check that the previous "
                                      "phase runs everywhere (the K8ssandraCluster at that phase, "
                                      "every datacenter Ready, every pod restarted since)."),
                                    ns);
        else if (rot)
            lines[(*n)++] = tui_fmt(_("Apply: the Secrets only, in namespace %s (the "
                                      "K8ssandraCluster is not touched), after a check that the "
                                      "live Secrets are where this phase starts."),
                                    ns);
        else
            lines[(*n)++] = tui_fmt(_("Apply: namespace %s (from the Cluster step); the "
                                      "datacenters' contexts get the Secrets too."),
                                    ns);
    }
}

const struct tui_screen tui_screen_output = {
    .intro = N_("Where to write the bundle."),
    .help = N_("The directory is written atomically: a temporary directory is filled, then "
               "renamed into place. Keys, stores and Secrets are readable by you only. An "
               "existing directory is replaced only after you confirm. The answers file "
               "replays this session: k8tls-wizard --answers FILE --output DIR. Apply to a "
               "cluster then sends the bundle with kubectl (server-side apply, field manager "
               "k8tls-wizard) to the contexts chosen from the kubeconfig (Space selects; the "
               "first is the control plane and gets the K8ssandraCluster; every one gets the "
               "Secrets), showing each object's result; a server dry run stores nothing."),
    .next_label = N_("Write"),
    .define = output_define, .load = output_load, .sync = output_sync,
    .store = output_store, .check = output_check, .notes = output_notes,
};
