/* The Medusa certificate screen: generated, signed by the CA, or imported (checked on Next).
 * Calls the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_SOURCE, M_SECRET, M_CA, M_CERT, M_KEY };
static const char *const medusa_sources[] = {N_("generate, signed by the CA"),
                                             N_("import existing PEM files")};

static void medusa_define(struct form *f)
{
    tui_field_choice(f, N_("Certificate"), "encryption.medusa.source", medusa_sources, 2, true);
    tui_field_add(f, F_TEXT, N_("Secret name"), "encryption.medusa.secretName");
    tui_field_add(f, F_PATH, N_("CA certificate"), "encryption.medusa.import.ca");
    tui_field_add(f, F_PATH, N_("Client certificate"), "encryption.medusa.import.cert");
    int i = tui_field_add(f, F_PATH, N_("Client key"), "encryption.medusa.import.key");
    tui_field_hint(f, i, N_("The client's private key, PEM, not encrypted (Medusa reads it without a "
                  "password)."));
}

static void medusa_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    f->f[M_SOURCE].choice = p->encryption.medusa.source == K8TLS_SOURCE_IMPORT;
    tui_field_set(f, M_SECRET, p->encryption.medusa.secret_name);
    tui_field_set(f, M_CA, p->encryption.medusa.import_ca);
    tui_field_set(f, M_CERT, p->encryption.medusa.import_cert);
    tui_field_set(f, M_KEY, p->encryption.medusa.import_key);
}

static void medusa_sync(struct tui *t, struct form *f)
{
    (void)t;
    bool imp = f->f[M_SOURCE].choice == 1;
    f->f[M_CA].hidden = f->f[M_CERT].hidden = f->f[M_KEY].hidden = !imp;
}

static int medusa_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    struct k8tls_plan *p = t->plan;
    p->encryption.medusa.source = f->f[M_SOURCE].choice ? K8TLS_SOURCE_IMPORT
                                                        : K8TLS_SOURCE_GENERATE;
    tui_put_str(&p->encryption.medusa.secret_name, f, M_SECRET);
    if (p->encryption.medusa.source == K8TLS_SOURCE_IMPORT) {
        tui_put_opt(&p->encryption.medusa.import_ca, f, M_CA);
        tui_put_opt(&p->encryption.medusa.import_cert, f, M_CERT);
        tui_put_opt(&p->encryption.medusa.import_key, f, M_KEY);
    }
    return 0;
}

static int medusa_check(struct tui *t, struct form *f)
{
    (void)f;
    if (t->plan->encryption.medusa.source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = tui_resolved_copy(t, K8TLS_SCR_MEDUSA, &errs);
    if (!c)
        return errs;
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (m && k8tls_import_medusa(c, NULL, m, &d) < 0 &&
        k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the Medusa certificate cannot be imported"));
    errs += tui_attach_diags(t, K8TLS_SCR_MEDUSA, &d, true);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(c);
    return errs;
}

static void medusa_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    tui_screen_warnings(t, K8TLS_SCR_MEDUSA, lines, max, n);
    if (*n < max)
        lines[(*n)++] = strdup(_("Medusa connects to Cassandra as a client: it needs the CA "
                                 "certificate, a client certificate and its key, in one Secret."));
}

const struct tui_screen tui_screen_medusa = {
    .starts_keygen = true,
    .intro = N_("The certificate Medusa uses to connect to Cassandra for backups."),
    .help = N_("Medusa needs the CA certificate, a client certificate signed by it and the "
               "client's key (not encrypted), in one Secret. The wizard maps them to the "
               "odd fields the operator expects."),
    .define = medusa_define, .load = medusa_load, .sync = medusa_sync,
    .store = medusa_store, .check = medusa_check, .notes = medusa_notes,
};
