/* The More TLS screen: the other TLS surfaces of the cluster (SPEC §10), each switched on or off
 * with the names of its Secrets: each Cassandra pod's management API (M1, M2), Reaper's API
 * (R1) with its stores for the management API (R2), Medusa's gRPC service (G1). Every field is
 * bound to its answers key (bind.c); the refusals (R1, R2, R3, G2, shared Secret names) come
 * from the plan's validation when Next leaves the step. Calls the engine (form.c) only. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"

#include <stdlib.h>
#include <string.h>

enum { T_MGMT, T_MGMT_SERVER, T_MGMT_CLIENT, T_REAPER, T_REAPER_SERVER, T_REAPER_CLIENT,
       T_REAPER_MGMT, T_GRPC, T_GRPC_SERVER, T_GRPC_CLIENT };

static void more_tls_define(struct form *f)
{
    int i = tui_field_key(f, "encryption.managementApi.enabled", true);
    tui_field_hint(f, i, N_("Mutual TLS for the management API of each Cassandra pod (port "
                            "8080), which the operators, the probes, Reaper and Medusa call."));
    i = tui_field_key(f, "encryption.managementApi.serverSecretName", false);
    tui_field_hint(f, i, N_("The Secret the management API serves with (ca.crt, tls.crt, "
                            "tls.key in PKCS#8)."));
    i = tui_field_key(f, "encryption.managementApi.clientSecretName", false);
    tui_field_hint(f, i, N_("The Secret the operators call the management API with."));
    i = tui_field_key(f, "encryption.reaper.enabled", true);
    tui_field_hint(f, i, N_("Mutual TLS for Reaper's REST API, which the operator calls to "
                            "schedule repairs."));
    i = tui_field_key(f, "encryption.reaper.serverSecretName", false);
    tui_field_hint(f, i, N_("Reaper's keystore.jks and truststore.jks, password changeit "
                            "(Reaper's own: not a secret)."));
    i = tui_field_key(f, "encryption.reaper.clientSecretName", false);
    tui_field_hint(f, i, N_("The operator's client certificate for Reaper's API: without it "
                            "the TLS would be one-way, which cannot work."));
    i = tui_field_key(f, "encryption.reaper.managementSecretName", false);
    tui_field_hint(f, i, N_("The stores Reaper calls the management API with (JKS, password "
                            "changeit): needed whenever the management API is over TLS."));
    i = tui_field_key(f, "encryption.medusaGrpc.enabled", true);
    tui_field_hint(f, i, N_("Mutual TLS for Medusa's gRPC service in each Cassandra pod, which "
                            "the operator calls for backups and restores."));
    i = tui_field_key(f, "encryption.medusaGrpc.serverSecretName", false);
    tui_field_hint(f, i, N_("Medusa's server certificate, naming localhost, 127.0.0.1 and ::1 "
                            "for its health probe."));
    i = tui_field_key(f, "encryption.medusaGrpc.clientSecretName", false);
    tui_field_hint(f, i, N_("The operator's client certificate for Medusa's gRPC service."));
}

static void more_tls_sync(struct tui *t, struct form *f)
{
    bool mgmt = f->f[T_MGMT].choice, reaper = f->f[T_REAPER].choice, grpc = f->f[T_GRPC].choice;
    f->f[T_MGMT_SERVER].hidden = f->f[T_MGMT_CLIENT].hidden = !mgmt;
    f->f[T_REAPER_SERVER].hidden = f->f[T_REAPER_CLIENT].hidden = !reaper;
    /* R2: Reaper's stores for the management API go with the management API over TLS */
    f->f[T_REAPER_MGMT].hidden = !(mgmt && t->plan->cluster.reaper.enabled);
    f->f[T_GRPC_SERVER].hidden = f->f[T_GRPC_CLIENT].hidden = !grpc;
}

static void more_tls_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    (void)f;
    const struct k8tls_plan *p = t->plan;
    tui_screen_warnings(t, K8TLS_SCR_MORE_TLS, lines, max, n);
    if (*n < max && k8tls_plan_wants_mgmt_api(p))
        lines[(*n)++] = strdup(_("The management API's Secrets must exist before the cluster: "
                                 "cass-operator checks them once (kustomization.yaml applies "
                                 "them first)."));
    if (*n < max && (k8tls_plan_wants_reaper_api(p) || k8tls_plan_wants_reaper_mgmt(p)))
        lines[(*n)++] = strdup(_("Reaper's stores use changeit, Reaper's hard-coded password: "
                                 "not a secret."));
    if (*n < max && !k8tls_flow_more_tls(p))
        lines[(*n)++] = strdup(_("Every surface is off: Next skips this step from now on (turn "
                                 "\"More TLS surfaces\" on, on the Encryption step, to see it "
                                 "again)."));
}

const struct tui_screen tui_screen_more_tls = {
    .starts_keygen = true,
    .intro = N_("Mutual TLS for the management API, Reaper's API and Medusa's gRPC service."),
    .help = N_("Management API: its Secrets must exist before the cluster, as cass-operator "
               "checks them once and never retries. Reaper's API: always mutual; its stores use "
               "Reaper's hard-coded password changeit (not a secret), and with the management "
               "API over TLS Reaper needs its management stores too. Medusa's gRPC: its probe "
               "dials localhost, so the server certificate names localhost, 127.0.0.1 and ::1."),
    .define = more_tls_define, .sync = more_tls_sync, .notes = more_tls_notes,
};
