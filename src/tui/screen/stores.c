/* The part the two store screens (server_stores.c, client_stores.c) share: the fields of a store
 * set, generated, imported (checked on Next) or, for the client, reusing the server's. Calls the
 * engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"
#include "stores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const store_sources[] = {N_("generate new stores"), N_("import existing stores"),
                                            N_("reuse the server stores")};

void tui_stores_define(struct form *f, const char *which)
{
    static char paths[2][8][64];
    int w = strcmp(which, "server") == 0 ? 0 : 1;
    const char *suffix[8] = {"source", "secretName", "keystorePassword", "truststorePassword",
                             "import.keystore", "import.keystorePassword", "import.truststore",
                             "import.truststorePassword"};
    for (int i = 0; i < 8; i++)
        snprintf(paths[w][i], sizeof paths[w][i], "stores.%s.%s", which, suffix[i]);
    tui_field_choice(f, N_("Stores"), paths[w][0], store_sources, w == 0 ? 2 : 3, true);
    tui_field_add(f, F_TEXT, N_("Secret name"), paths[w][1]);
    int i = tui_field_add(f, F_PASSWORD, N_("Keystore password"), paths[w][2]);
    tui_field_hint(f, i, N_("Empty: a strong password is generated. env:NAME or file:PATH read it from the "
                  "environment or a file."));
    i = tui_field_add(f, F_PASSWORD, N_("Truststore password"), paths[w][3]);
    tui_field_hint(f, i, N_("Empty: a strong password is generated. env:NAME or file:PATH read it from the "
                  "environment or a file."));
    tui_field_add(f, F_PATH, N_("Keystore file"), paths[w][4]);
    i = tui_field_add(f, F_PASSWORD, N_("Keystore password"), paths[w][5]);
    tui_field_hint(f, i, N_("The password that opens the keystore; env:NAME or file:PATH read it from the "
                  "environment or a file."));
    tui_field_add(f, F_PATH, N_("Truststore file"), paths[w][6]);
    i = tui_field_add(f, F_PASSWORD, N_("Truststore password"), paths[w][7]);
    tui_field_hint(f, i, N_("The password that opens the truststore; env:NAME or file:PATH read it from "
                  "the environment or a file."));
}

static struct k8tls_store_set *set_of(struct tui *t, enum k8tls_screen s)
{
    return s == K8TLS_SCR_SERVER_STORES ? &t->plan->stores.server : &t->plan->stores.client;
}

void tui_stores_load(struct tui *t, struct form *f, enum k8tls_screen s)
{
    const struct k8tls_store_set *ss = set_of(t, s);
    f->f[S_SOURCE].choice = (int)ss->source;
    tui_field_set(f, S_SECRET, ss->secret_name);
    bool imp = ss->source == K8TLS_SOURCE_IMPORT;
    tui_field_set(f, S_KS_PW, imp ? NULL : ss->keystore_password.ref);
    tui_field_set(f, S_TS_PW, imp ? NULL : ss->truststore_password.ref);
    tui_field_set(f, S_KS, ss->keystore_path);
    tui_field_set(f, S_KS_IPW, imp ? ss->keystore_password.ref : NULL);
    tui_field_set(f, S_TS, ss->truststore_path);
    tui_field_set(f, S_TS_IPW, imp ? ss->truststore_password.ref : NULL);
}

void tui_stores_sync(struct tui *t, struct form *f, enum k8tls_screen s)
{
    if (s == K8TLS_SCR_CLIENT_STORES)
        f->f[S_SOURCE].n_choices = k8tls_plan_wants_server_stores(t->plan) ? 3 : 2;
    if (f->f[S_SOURCE].choice >= f->f[S_SOURCE].n_choices)
        f->f[S_SOURCE].choice = 0;
    int src = f->f[S_SOURCE].choice;
    f->f[S_SECRET].hidden = src == K8TLS_SOURCE_REUSE;
    f->f[S_KS_PW].hidden = f->f[S_TS_PW].hidden = src != K8TLS_SOURCE_GENERATE;
    /* cert-manager writes the truststore with the keystore's password: no field of its own */
    if (t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
        f->f[S_TS_PW].hidden = true;
    f->f[S_KS].hidden = f->f[S_KS_IPW].hidden = f->f[S_TS].hidden = f->f[S_TS_IPW].hidden =
        src != K8TLS_SOURCE_IMPORT;
}

int tui_stores_store(struct tui *t, struct form *f, enum k8tls_screen s)
{
    struct k8tls_store_set *ss = set_of(t, s);
    ss->source = (enum k8tls_source)f->f[S_SOURCE].choice;
    if (ss->source != K8TLS_SOURCE_REUSE)
        tui_put_str(&ss->secret_name, f, S_SECRET);
    if (ss->source == K8TLS_SOURCE_GENERATE) {
        tui_put_password(&ss->keystore_password, f, S_KS_PW);
        /* cert-manager: the keystore password opens both stores (the field is hidden) */
        if (t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
            tui_field_set(f, S_TS_PW, "");
        tui_put_password(&ss->truststore_password, f, S_TS_PW);
    } else if (ss->source == K8TLS_SOURCE_IMPORT) {
        tui_put_opt(&ss->keystore_path, f, S_KS);
        tui_put_opt(&ss->truststore_path, f, S_TS);
        tui_put_password(&ss->keystore_password, f, S_KS_IPW);
        tui_put_password(&ss->truststore_password, f, S_TS_IPW);
    }
    return 0;
}

int tui_stores_check(struct tui *t, enum k8tls_screen s)
{
    struct k8tls_store_set *ss = set_of(t, s);
    if (ss->source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = tui_resolved_copy(t, s, &errs);
    if (!c)
        return errs;
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    const struct k8tls_store_set *cs = s == K8TLS_SCR_SERVER_STORES ? &c->stores.server
                                                                    : &c->stores.client;
    const char *label = s == K8TLS_SCR_SERVER_STORES ? "server" : "client";
    if (m && k8tls_import_store_pair(c, cs, label, &m->server, &d) < 0 &&
        k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("the stores cannot be imported"));
    errs += tui_attach_diags(t, s, &d, true);
    k8tls_diags_free(&d);
    k8tls_material_free(m);
    k8tls_plan_free(c);
    return errs;
}


void tui_stores_cm_note(struct tui *t, char **lines, int max, int *n)
{
    if (*n < max && t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER)
        lines[(*n)++] = strdup(_("cert-manager output: cert-manager makes these stores in the "
                                 "cluster; the keystore password opens both (it writes the "
                                 "truststore with the same one)."));
}
