/* The Server stores screen (the stores for internode encryption, in one Secret): the shared part is
 * stores.c. Calls stores.c, the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "stores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void server_define(struct form *f)
{
    tui_stores_define(f, "server");
}

static void server_load(struct tui *t, struct form *f)
{
    tui_stores_load(t, f, K8TLS_SCR_SERVER_STORES);
}

static void server_sync(struct tui *t, struct form *f)
{
    tui_stores_sync(t, f, K8TLS_SCR_SERVER_STORES);
}

static int server_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    return tui_stores_store(t, f, K8TLS_SCR_SERVER_STORES);
}

static int server_check(struct tui *t, struct form *f)
{
    (void)f;
    return tui_stores_check(t, K8TLS_SCR_SERVER_STORES);
}

static void server_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    tui_screen_warnings(t, K8TLS_SCR_SERVER_STORES, lines, max, n);
    tui_stores_cm_note(t, lines, max, n);
    if (*n < max)
        lines[(*n)++] = strdup(_("Internode encryption: every node gets a keystore (its key and "
                                 "certificate, signed by the CA) and a truststore (the CA)."));
}

const struct tui_screen tui_screen_server_stores = {
    .starts_keygen = true,
    .intro = N_("The stores for internode encryption, in one Secret."),
    .help = N_("Generated stores get strong random passwords unless you give them. "
               "Imported stores are opened and checked now: the password, the key entry, "
               "the chain, expiry and names. A password may be env:NAME or file:PATH so "
               "that it is never saved in clear."),
    .define = server_define, .load = server_load, .sync = server_sync,
    .store = server_store, .check = server_check, .notes = server_notes,
};
