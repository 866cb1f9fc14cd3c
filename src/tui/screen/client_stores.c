/* The Client stores screen (the stores for client encryption, in one Secret): the shared part is
 * stores.c. Calls stores.c, the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "stores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void client_define(struct form *f)
{
    tui_stores_define(f, "client");
}

static void client_load(struct tui *t, struct form *f)
{
    tui_stores_load(t, f, K8TLS_SCR_CLIENT_STORES);
}

static void client_sync(struct tui *t, struct form *f)
{
    tui_stores_sync(t, f, K8TLS_SCR_CLIENT_STORES);
}

static int client_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    return tui_stores_store(t, f, K8TLS_SCR_CLIENT_STORES);
}

static int client_check(struct tui *t, struct form *f)
{
    (void)f;
    return tui_stores_check(t, K8TLS_SCR_CLIENT_STORES);
}

static void client_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    tui_screen_warnings(t, K8TLS_SCR_CLIENT_STORES, lines, max, n);
    tui_stores_cm_note(t, lines, max, n);
    if (*n < max && f->f[S_SOURCE].choice == K8TLS_SOURCE_REUSE)
        lines[(*n)++] = strdup(_("The cluster's clientEncryptionStores will name the server "
                                 "stores' Secret: one pair of stores for both."));
    else if (*n < max)
        lines[(*n)++] = strdup(_("Client encryption (CQL and JMX): these stores serve clients; "
                                 "Reaper and nodetool use them too."));
}

const struct tui_screen tui_screen_client_stores = {
    .starts_keygen = true,
    .intro = N_("The stores for client encryption (CQL, JMX), in one Secret."),
    .help = N_("Client encryption needs its own stores, or can reuse the server stores. "
               "Imported stores are opened and checked now. A password may be env:NAME or "
               "file:PATH."),
    .define = client_define, .load = client_load, .sync = client_sync,
    .store = client_store, .check = client_check, .notes = client_notes,
};
