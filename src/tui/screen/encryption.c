/* The Encryption screen: what to encrypt (internode, client, the Medusa certificate) and the
 * format of the stores. Calls the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { E_MODE, E_IN_AUTH, E_IN_EPV, E_CLIENT, E_CL_OPT, E_CL_AUTH, E_MEDUSA, E_FORMAT, E_PROFILE,
       E_MORE, E_OUTPUT, E_ISSUER, E_TRUST, E_CM_NS };
static const char *const internode_modes[] = {N_("none"), "dc", "rack", "all"};
static const char *const formats[] = {"PKCS12", "JKS"};
static const char *const profiles[] = {N_("modern (AES-256, SHA-256)"),
                                       N_("legacy (3DES, SHA-1: old Java 8)")};

static void encryption_define(struct form *f)
{
    int i = tui_field_choice(f, N_("Internode encryption"), "encryption.internode.mode", internode_modes, 4,
                   true);
    tui_field_hint(f, i, N_("Between Cassandra nodes: none, within a datacenter (dc), within a rack (rack) "
                  "or everywhere (all)."));
    tui_field_key(f, "encryption.internode.requireClientAuth", false);
    tui_field_key(f, "encryption.internode.requireEndpointVerification", false);
    tui_field_key(f, "encryption.client.enabled", true);
    tui_field_key(f, "encryption.client.optional", false);
    tui_field_key(f, "encryption.client.requireClientAuth", false);
    tui_field_yesno(f, N_("Medusa client certificate"), "encryption.medusa.enabled", false);
    tui_field_choice(f, N_("Store format"), "stores.format", formats, 2, true);
    tui_field_choice(f, N_("PKCS12 encryption"), "stores.pkcs12Profile", profiles, 2, false);
    /* no answers key of its own: any of the three surfaces on (the More TLS step) */
    i = tui_field_yesno(f, N_("More TLS surfaces"), NULL, true);
    tui_field_hint(f, i, N_("The management API, Reaper's API and Medusa's gRPC service over "
                            "mutual TLS too: yes shows the More TLS step to choose them."));
    /* who makes the certificates: asked here, before the CA and the Review, so that every step
     * after it and the files Review shows follow the choice */
    i = tui_field_key(f, "output.mode", true);
    tui_field_hint(f, i, N_("files: no cert-manager in the cluster, or you need the stores now or "
                            "offline. cert-manager: you run it already and want the certificates "
                            "made and renewed inside the cluster (no keys are written here)."));
    i = tui_field_key(f, "output.issuerKind", true);
    tui_field_hint(f, i, N_("Issuer: the CA signs in the cluster's namespace only (the usual "
                            "choice). ClusterIssuer: other namespaces may sign with it too; its "
                            "Secret then lives in cert-manager's own namespace."));
    i = tui_field_key(f, "output.trustManager", true);
    tui_field_hint(f, i, N_("yes: a trust-manager Bundle writes the truststores, so that a CA "
                            "rotation trusts the old and the new CA without a break. Needs "
                            "trust-manager installed with Secret targets enabled."));
    i = tui_field_key(f, "output.certManagerNamespace", false);
    tui_field_hint(f, i, N_("The namespace cert-manager and trust-manager run in: the "
                            "ClusterIssuer's CA Secret goes there, and trust-manager reads the "
                            "Bundle's CA from there."));
}

/* The bound yes/no keys are loaded by the engine; these choices have labels of their own. */
static void encryption_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    f->f[E_MODE].choice = (int)p->encryption.internode.mode;
    f->f[E_MEDUSA].choice = p->encryption.medusa.enabled || !p->encryption.client.enabled;
    f->f[E_FORMAT].choice = (int)p->stores.format;
    f->f[E_PROFILE].choice = (int)p->stores.p12_profile;
    f->f[E_MORE].choice = k8tls_flow_more_tls(p);
}

static void encryption_sync(struct tui *t, struct form *f)
{
    bool in = f->f[E_MODE].choice != K8TLS_INTERNODE_NONE;
    bool cl = f->f[E_CLIENT].choice;
    f->f[E_IN_AUTH].hidden = f->f[E_IN_EPV].hidden = !in;
    f->f[E_CL_OPT].hidden = f->f[E_CL_AUTH].hidden = !cl;
    f->f[E_MEDUSA].hidden = !(cl && t->plan->cluster.medusa.enabled);
    f->f[E_FORMAT].hidden = !(in || cl);
    f->f[E_PROFILE].hidden = !(in || cl) || f->f[E_FORMAT].choice != K8TLS_FORMAT_PKCS12;
    /* the More TLS step may have switched every surface off since */
    f->f[E_MORE].choice = k8tls_flow_more_tls(t->plan);
    /* no certificate at all: nothing for cert-manager to make */
    f->f[E_OUTPUT].hidden = !(in || cl || f->f[E_MORE].choice);
    bool cm = !f->f[E_OUTPUT].hidden && t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
    f->f[E_ISSUER].hidden = f->f[E_TRUST].hidden = !cm;
    /* only a ClusterIssuer and trust-manager look there */
    f->f[E_CM_NS].hidden = !cm || (t->plan->output.issuer_kind != K8TLS_ISSUER_CLUSTER &&
                                   !t->plan->output.trust_manager);
}

static int encryption_store(struct tui *t, struct form *f, bool strict)
{
    (void)strict;
    struct k8tls_plan *p = t->plan;
    p->encryption.internode.mode = (enum k8tls_internode_mode)f->f[E_MODE].choice;
    /* the yes/no keys are bound (stored by the engine before this) */
    /* the Medusa certificate needs client encryption (K8): off with it; the choice shown comes
     * back when client encryption does */
    p->encryption.medusa.enabled = f->f[E_MEDUSA].choice && p->encryption.client.enabled;
    p->stores.format = (enum k8tls_store_format)f->f[E_FORMAT].choice;
    p->stores.p12_profile = (enum k8tls_p12_profile)f->f[E_PROFILE].choice;
    /* client stores cannot reuse server stores that are not made */
    if (p->stores.client.source == K8TLS_SOURCE_REUSE && !k8tls_plan_wants_server_stores(p))
        p->stores.client.source = K8TLS_SOURCE_GENERATE;
    /* More TLS surfaces: yes switches on each surface whose component runs (the More TLS step
     * then shows them); no switches them all off */
    bool more = f->f[E_MORE].choice != 0;
    if (more && !k8tls_flow_more_tls(p)) {
        p->encryption.management_api.enabled = true;
        p->encryption.reaper.enabled = p->cluster.reaper.enabled;
        p->encryption.medusa_grpc.enabled = p->cluster.medusa.enabled;
    } else if (!more) {
        p->encryption.management_api.enabled = p->encryption.reaper.enabled =
            p->encryption.medusa_grpc.enabled = false;
    }
    return 0;
}

static void encryption_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    const struct k8tls_plan *p = t->plan;
    (void)f;
    /* K12 (mTLS bypass with dc/rack) comes from the validation, live */
    tui_screen_warnings(t, K8TLS_SCR_ENCRYPTION, lines, max, n);
    if (*n < max && p->cluster.manifest && *p->cluster.manifest)
        lines[(*n)++] = tui_fmt(_("Adding encryption to %s in namespace %s, as %s says "
                                  "(datacenters: %zu)."),
                                p->cluster.name ? p->cluster.name : "?",
                                p->cluster.namespace_ ? p->cluster.namespace_ : "?",
                                p->cluster.manifest, p->cluster.n_dcs);
    if (*n < max && p->encryption.client.enabled)
        lines[(*n)++] = strdup(_("Note: client encryption also turns on JMX over TLS with client "
                                 "certificates: nodetool then needs --ssl and the client stores "
                                 "(NEXT-STEPS.md says how)."));
}

const struct tui_screen tui_screen_encryption = {
    .intro = N_("What to encrypt, and the format of the stores."),
    .help = N_("Internode encryption protects traffic between Cassandra nodes; \"all\" is "
               "advised. Client encryption protects CQL (and turns on JMX over TLS). The "
               "Medusa certificate lets backups connect when client encryption is on. "
               "PKCS12 is the modern format; JKS is for old tooling. The legacy PKCS12 "
               "encryption is only for old Java 8 builds."),
    .define = encryption_define, .load = encryption_load, .sync = encryption_sync,
    .store = encryption_store, .notes = encryption_notes,
};
