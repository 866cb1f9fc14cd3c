/* The Welcome screen: where to start (a new manifest, an existing one, an answers file, or the
 * rotation path); Next loads the file into the plan. Calls session.c (the plan replaced),
 * keygen.c, the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/answers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool readable_file(const char *path, char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = tui_fmt(_("%s: %s"), path, strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = tui_fmt(_("%s: not a regular file"), path);
        return false;
    }
    if (access(path, R_OK) != 0) {
        *why = tui_fmt(_("%s: %s"), path, strerror(errno));
        return false;
    }
    return true;
}

enum { W_MODE, W_FILE };
static const char *const welcome_modes[] = {
    N_("a new K8ssandraCluster manifest"),
    N_("add encryption to an existing manifest"),
    N_("load an answers file"),
    N_("renew or rotate certificates"),
    N_("check an existing cluster"),
    N_("continue a staged rollout"),
};

struct welcome_state {
    /* what was applied last (so that Back then Next keeps edits) */
    int mode;                       /* 0 new, 1 existing manifest, 2 answers file */
    char *path;
    bool preset;                    /* --answers FILE was put in the form */
    char *fix_manifest;             /* the doctor's fix: start from this manifest */
};

static struct welcome_state *state(struct tui *t)
{
    return tui_screen_priv(t, K8TLS_SCR_WELCOME);
}

static void welcome_fini(struct tui *t, void *priv)
{
    (void)t;
    struct welcome_state *st = priv;
    free(st->path);
    free(st->fix_manifest);
}

static void welcome_define(struct form *f)
{
    tui_field_choice(f, N_("Start from"), NULL, welcome_modes, 6, true);
    int i = tui_field_add(f, F_PATH, N_("File"), "cluster.manifest");
    tui_field_hint(f, i, N_("Type a path, or choose Browse to pick the file."));
}

/* the path follows the choice at once (the step count in the title too) */
static int welcome_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    enum k8tls_flow_path kind = f->f[W_MODE].choice == 3   ? K8TLS_PATH_ROTATE
                                : f->f[W_MODE].choice == 4 ? K8TLS_PATH_DOCTOR
                                : f->f[W_MODE].choice == 5 ? K8TLS_PATH_ENABLE
                                                           : K8TLS_PATH_WIZARD;
    if (kind != t->path) {
        t->path = kind;
        tui_bundle_reset(t); /* the other path's bundle */
    }
    return 0;
}

static void welcome_load(struct tui *t, struct form *f)
{
    struct welcome_state *st = state(t);
    f->f[W_MODE].choice = t->path == K8TLS_PATH_ROTATE   ? 3
                          : t->path == K8TLS_PATH_DOCTOR ? 4
                          : t->path == K8TLS_PATH_ENABLE ? 5
                                                         : st->mode;
    tui_field_set(f, W_FILE, st->path ? st->path : "");
    /* --answers FILE: the step starts on "load an answers file" with FILE */
    if (!st->preset && t->opts && t->opts->answers && *t->opts->answers) {
        st->preset = true;
        f->f[W_MODE].choice = 2;
        tui_field_set(f, W_FILE, t->opts->answers);
    }
    if (st->fix_manifest) {
        f->f[W_MODE].choice = 1;
        tui_field_set(f, W_FILE, st->fix_manifest);
        free(st->fix_manifest);
        st->fix_manifest = NULL;
    }
}

static void welcome_sync(struct tui *t, struct form *f)
{
    (void)t;
    f->f[W_FILE].hidden = f->f[W_MODE].choice == 0 || f->f[W_MODE].choice >= 3;
    f->f[W_FILE].label = f->f[W_MODE].choice == 1 ? N_("Manifest file") : N_("Answers file");
    f->f[W_FILE].path = f->f[W_MODE].choice == 1 ? "cluster.manifest" : NULL;
}

static int welcome_check(struct tui *t, struct form *f)
{
    struct welcome_state *st = state(t);
    int mode = f->f[W_MODE].choice;
    free(st->fix_manifest);
    st->fix_manifest = NULL;
    welcome_store(t, f, true);
    if (mode >= 3)
        return 0;
    char *path = tui_trimmed(tui_field_val(f, W_FILE));
    int errs = 0;
    if (!path)
        return 1;
    bool same = mode == st->mode && st->path && strcmp(path, st->path) == 0;
    if (mode == 0) {
        if (st->mode == 2) {
            struct k8tls_plan *p = k8tls_plan_new_defaults();
            if (p)
                tui_replace_plan(t, p);
        } else if (st->mode == 1) {
            free(t->plan->cluster.manifest);
            t->plan->cluster.manifest = strdup("");
            t->plan_gen++;
        }
        st->mode = 0;
        free(path);
        return 0;
    }
    if (same) {
        free(path);
        return 0;
    }
    char *why = NULL;
    if (!*path) {
        tui_field_error(f, W_FILE, _("give the path of the file"));
        free(path);
        return 1;
    }
    if (!readable_file(path, &why)) {
        tui_field_error(f, W_FILE, why);
        free(why);
        free(path);
        return 1;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (mode == 2) {
        struct k8tls_plan *p = k8tls_answers_load(path, &d);
        if (!p || k8tls_diags_count(&d, K8TLS_SEV_ERROR) > 0) {
            char buf[1200];
            for (size_t k = 0; k < d.n; k++)
                if (d.v[k].sev == K8TLS_SEV_ERROR) {
                    tui_field_error(f, W_FILE, k8tls_diag_format(&d.v[k], buf, sizeof buf));
                    errs++;
                    break;
                }
            if (!errs) {
                tui_field_error(f, W_FILE, _("cannot load the answers file"));
                errs = 1;
            }
            k8tls_plan_free(p);
        } else {
            tui_replace_plan(t, p);
            if (t->plan->cluster.manifest && *t->plan->cluster.manifest) {
                struct k8tls_diags d2;
                k8tls_diags_init(&d2);
                if (k8tls_bundle_adopt_manifest(t->plan, &d2) < 0)
                    errs += tui_attach_diags(t, K8TLS_SCR_WELCOME, &d2, true);
                k8tls_diags_free(&d2);
            }
        }
    } else {
        if (st->mode == 2) {
            struct k8tls_plan *p = k8tls_plan_new_defaults();
            if (p)
                tui_replace_plan(t, p);
        }
        free(t->plan->cluster.manifest);
        t->plan->cluster.manifest = strdup(path);
        if (k8tls_bundle_adopt_manifest(t->plan, &d) < 0) {
            char buf[1200];
            for (size_t k = 0; k < d.n; k++)
                if (d.v[k].sev == K8TLS_SEV_ERROR) {
                    tui_field_error(f, W_FILE, k8tls_diag_format(&d.v[k], buf, sizeof buf));
                    errs++;
                    break;
                }
            if (!errs) {
                tui_field_error(f, W_FILE, _("cannot read the manifest"));
                errs = 1;
            }
            free(t->plan->cluster.manifest);
            t->plan->cluster.manifest = strdup("");
        } else {
            t->plan_gen++;
            tui_keygen_reset(t->kg);
        }
    }
    k8tls_diags_free(&d);
    if (!errs) {
        st->mode = mode;
        tui_set_str(&st->path, path);
        /* the Welcome form itself stays as typed */
        f->gen = t->plan_gen;
    }
    free(path);
    return errs;
}

static void welcome_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)t;
    if (*n < max && f->f[W_MODE].choice == 1)
        lines[(*n)++] = strdup(_("The manifest keeps everything it has; the wizard sets or replaces "
                                 "only its encryption parts, and shows what changed on Review."));
    if (*n < max && f->f[W_MODE].choice == 3)
        lines[(*n)++] = strdup(_("Renews the certificates of a bundle written earlier (or of the "
                                 "Secrets in a kube context), or rotates its CA without downtime "
                                 "in three phases: the next steps show what is there and what is "
                                 "due."));
    if (*n < max && f->f[W_MODE].choice == 4)
        lines[(*n)++] = strdup(_("Checks an output directory, a manifest with its Secrets, a "
                                 "dump or a kube context for the known TLS traps, and says how "
                                 "to fix each. Reads only."));
    if (*n < max && f->f[W_MODE].choice == 5)
        lines[(*n)++] = strdup(_("Makes the next phase of a staged rollout (turning encryption on "
                                 "in a running cluster, one rolling restart per phase) from the "
                                 "directory of the phase before it: same CA, stores and "
                                 "passwords."));
}

void tui_welcome_preset_manifest(struct tui *t, const char *path)
{
    struct form *f = tui_form_of(t, K8TLS_SCR_WELCOME);
    struct welcome_state *st = state(t);
    if (!f || !st)
        return;
    f->f[W_MODE].choice = 1;
    tui_field_set(f, W_FILE, path ? path : "");
    tui_set_str(&st->fix_manifest, path ? path : ""); /* kept if the plan loads the form again */
}

const struct tui_screen tui_screen_welcome = {
    .private_size = sizeof(struct welcome_state),
    .fini = welcome_fini,
    .intro = N_("Sets up encryption for a K8ssandra cluster: keystores, truststores, a CA, "
                "the Medusa certificate, the Secrets and the K8ssandraCluster manifest. "
                "Nothing is written before the Output step."),
    .help = N_("Choose where to start. A new manifest starts from the K8ssandra "
               "documentation's example cluster. An existing manifest keeps all its "
               "settings: only its encryption parts are set. An answers file (see "
               "k8tls-wizard --print-answers) fills every step; you can still change "
               "anything. Renew or rotate starts from a bundle written earlier (or the "
               "Secrets of a kube context): it renews the certificates, or replaces the CA "
               "in three phases (trust, reissue, retire) with a rolling restart after each. "
               "Check an existing cluster reads a bundle, a dump or a kube context and lists "
               "the known TLS traps with their fixes. Continue a staged rollout makes the next "
               "phase from the previous phase's directory."),
    .define = welcome_define, .load = welcome_load, .sync = welcome_sync,
    .store = welcome_store, .check = welcome_check, .notes = welcome_notes,
};
