/* What a rotation phase writes besides the Secrets: rotation.yaml (the phase and the CAs, so that
 * the next phase finds the new CA's key), the K8ssandraTask that restarts the cluster, and
 * NEXT-STEPS.md (the kustomization of the Secrets is k8tls_bundle_kustomization's). YAML through
 * libyaml (yamlutil.h). Calls rotate_names.c only among the rotation files (see rotate_int.h). */
#include "config.h"
#include "rotate_int.h"
#include "ydoc.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/yamlutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>

/* ---- YAML documents --------------------------------------------------------------------- */

/* Every YAML file of a phase is one libyaml document built node by node: doc_open starts it,
 * doc_close dumps it, or drops it with "out of memory" when a node could not be added (rc != 0,
 * or no root). */
static int doc_open(yaml_document_t *d, struct k8tls_err *e)
{
    if (k8tls_yaml_doc_init(d) < 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}

static int doc_close(yaml_document_t *d, int rc, int root, char **out, size_t *len,
                     struct k8tls_err *e)
{
    if (rc || !root) {
        yaml_document_delete(d);
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    return k8tls_yaml_dump(d, out, len, e);
}

/* ---- rotation.yaml ---------------------------------------------------------------------- */

static int ca_map(yaml_document_t *d, X509 *x, const char *cert, const char *key)
{
    char fp[65], date[64];
    char *subj = k8tls_rotate_subject(x);
    k8tls_rotate_fingerprint(x, fp);
    k8tls_rotate_date(x, date, sizeof date);
    int m = k8tls_yaml_add_map(d, false);
    int rc = m && subj ? 0 : -1;
    rc |= k8tls_yaml_map_str(d, m, "subject", subj);
    rc |= k8tls_yaml_map_str(d, m, "sha256", fp);
    rc |= k8tls_yaml_map_str(d, m, "notAfter", date);
    if (cert)
        rc |= k8tls_yaml_map_str(d, m, "cert", cert);
    if (key)
        rc |= k8tls_yaml_map_str(d, m, "key", key);
    free(subj);
    return rc ? 0 : m;
}

static enum k8tls_rotate_phase next_phase(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_TRUST: return K8TLS_ROTATE_REISSUE;
    case K8TLS_ROTATE_REISSUE: return K8TLS_ROTATE_RETIRE;
    default: return K8TLS_ROTATE_NONE;
    }
}

static const char *stage_name(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_TRUST: return "trusting";
    case K8TLS_ROTATE_REISSUE: return "reissued";
    default: return "steady";
    }
}

int k8tls_rotate_doc_rotation_yaml(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                   struct k8tls_err *e)
{
    yaml_document_t d;
    if (doc_open(&d, e) < 0)
        return -1;
    int rc = 0;
    int root = k8tls_yaml_add_map(&d, false);
    rc |= k8tls_yaml_map_str(&d, root, "apiVersion", "k8tls-wizard/v1");
    rc |= k8tls_yaml_map_str(&d, root, "kind", "Rotation");
    rc |= k8tls_yaml_map_str(&d, root, "phase", k8tls_rotate_phase_name(doc->phase));
    rc |= k8tls_yaml_map_str(&d, root, "stage", stage_name(doc->phase));
    rc |= k8tls_yaml_map_str(&d, root, "next", k8tls_rotate_phase_name(next_phase(doc->phase)));
    rc |= k8tls_yaml_map_str(&d, root, "cluster", doc->plan->cluster.name);
    rc |= k8tls_yaml_map_str(&d, root, "namespace", doc->namespace_);
    int secrets = k8tls_yaml_add_seq(&d, false);
    for (size_t i = 0; doc->secret_names && doc->secret_names[i]; i++)
        rc |= k8tls_yaml_seq_add(&d, secrets, k8tls_yaml_add_str(&d, doc->secret_names[i]));
    rc |= k8tls_yaml_map_add(&d, root, "secrets", secrets);
    rc |= k8tls_yaml_map_bool(&d, root, "passwordsKept", doc->passwords_kept);
    int m = ca_map(&d, doc->signing_ca, "ca/rootca.crt", doc->signing_ca_key);
    rc |= m ? k8tls_yaml_map_add(&d, root, "signingCA", m) : -1;
    if (doc->next_ca) {
        m = ca_map(&d, doc->next_ca, "ca/next-rootca.crt", doc->next_ca_key);
        rc |= m ? k8tls_yaml_map_add(&d, root, "newCA", m) : -1;
    } else if (doc->phase == K8TLS_ROTATE_REISSUE) {
        /* the new CA now signs the leaves: the next phase (retire) tells the CAs apart by it */
        m = ca_map(&d, doc->signing_ca, "ca/rootca.crt", doc->signing_ca_key);
        rc |= m ? k8tls_yaml_map_add(&d, root, "newCA", m) : -1;
    }
    if (doc->previous_ca) {
        m = ca_map(&d, doc->previous_ca, "ca/previous-rootca.crt", NULL);
        rc |= m ? k8tls_yaml_map_add(&d, root, "previousCA", m) : -1;
    }
    int trusted = k8tls_yaml_add_seq(&d, false);
    for (int i = 0; doc->trusted && i < sk_X509_num(doc->trusted); i++) {
        char fp[65];
        k8tls_rotate_fingerprint(sk_X509_value(doc->trusted, i), fp);
        rc |= k8tls_yaml_seq_add(&d, trusted, k8tls_yaml_add_str(&d, fp));
    }
    rc |= k8tls_yaml_map_add(&d, root, "trustedSha256", trusted);
    return doc_close(&d, rc, root, out, len, e);
}

/* ---- the restart task ------------------------------------------------------------------- */

int k8tls_rotate_doc_restart_task(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                  struct k8tls_err *e)
{
    yaml_document_t d;
    if (doc_open(&d, e) < 0)
        return -1;
    int rc = 0;
    int root = k8tls_yaml_add_map(&d, false);
    rc |= k8tls_yaml_map_str(&d, root, "apiVersion", "control.k8ssandra.io/v1alpha1");
    rc |= k8tls_yaml_map_str(&d, root, "kind", "K8ssandraTask");
    int md = k8tls_yaml_add_map(&d, false);
    rc |= k8tls_yaml_map_str(&d, md, "name", doc->restart_task_name);
    rc |= k8tls_yaml_map_str(&d, md, "namespace", doc->namespace_);
    rc |= k8tls_yaml_map_add(&d, root, "metadata", md);
    int spec = k8tls_yaml_add_map(&d, false);
    int cl = k8tls_yaml_add_map(&d, false);
    rc |= k8tls_yaml_map_str(&d, cl, "name", doc->plan->cluster.name);
    rc |= k8tls_yaml_map_add(&d, spec, "cluster", cl);
    int dcs = k8tls_yaml_add_seq(&d, false);
    for (size_t i = 0; i < doc->plan->cluster.n_dcs; i++)
        if (doc->plan->cluster.dcs[i].name && *doc->plan->cluster.dcs[i].name)
            rc |= k8tls_yaml_seq_add(&d, dcs, k8tls_yaml_add_str(&d, doc->plan->cluster.dcs[i].name));
    rc |= k8tls_yaml_map_add(&d, spec, "datacenters", dcs);
    int tpl = k8tls_yaml_add_map(&d, false);
    int jobs = k8tls_yaml_add_seq(&d, false);
    int job = k8tls_yaml_add_map(&d, false);
    rc |= k8tls_yaml_map_str(&d, job, "name", "rolling-restart");
    rc |= k8tls_yaml_map_str(&d, job, "command", "restart");
    rc |= k8tls_yaml_seq_add(&d, jobs, job);
    rc |= k8tls_yaml_map_add(&d, tpl, "jobs", jobs);
    rc |= k8tls_yaml_map_add(&d, spec, "template", tpl);
    rc |= k8tls_yaml_map_add(&d, root, "spec", spec);
    return doc_close(&d, rc, root, out, len, e);
}

/* ---- NEXT-STEPS.md ---------------------------------------------------------------------- */

static void expiry_row(struct k8tls_buf *t, const char *what, const char *where, X509 *x)
{
    char d[64];
    if (!x)
        return;
    k8tls_rotate_date(x, d, sizeof d);
    char *s = k8tls_rotate_subject(x);
    k8tls_buf_printf(t, "| %s | `%s` | %s | %s |\n", what, where, s ? s : "?", d);
    free(s);
}

/* ---- what each surface needs once its Secret changed (doc/store-reloading.md) ----------- */

enum action { ACT_NOTHING, ACT_ROLLING, ACT_REAPER };

/* Does this Cassandra re-read its keystores and truststores while running (4.0 and later,
 * doc/store-reloading.md)? DSE and HCD: not confirmed, so no. */
static bool cassandra_reloads(const struct k8tls_plan *p)
{
    const char *v = p->cluster.server_version;
    if (p->cluster.server_type != K8TLS_SERVER_CASSANDRA || !v)
        return false;
    return atoi(v) >= 4;
}

bool k8tls_rotate_needs_rolling_restart(const struct k8tls_rotate_state *s,
                                        enum k8tls_rotate_phase ph, bool new_passwords)
{
    const struct k8tls_rotate_priv *pv = s ? s->priv : NULL;
    if (!pv || ph != K8TLS_ROTATE_RENEW)
        return true;
    bool stores = pv->server.present || pv->client.present;
    if (stores && (new_passwords || !cassandra_reloads(s->plan)))
        return true;
    return pv->medusa.present || pv->trio[RT_MGMT_SERVER].present
           || pv->trio[RT_GRPC_SERVER].present;
}

static void action_row(struct k8tls_buf *t, const char *surface, const char *secret,
                       enum action a, const char *why)
{
    const char *word = a == ACT_ROLLING ? _("rolling restart")
                       : a == ACT_REAPER ? _("restart Reaper") : _("nothing");
    k8tls_buf_printf(t, "| %s | `%s` | **%s**: %s |\n", surface, secret, word, why);
}

/* The table of the surfaces in this bundle and what each needs; returns the actions seen (a bit
 * per enum action). */
static unsigned surface_actions(struct k8tls_buf *t, const struct k8tls_rotate_doc *doc)
{
    const struct k8tls_plan *p = doc->plan;
    const bool ca_phase = doc->phase != K8TLS_ROTATE_RENEW;
    unsigned seen = 0;
    char why[600];
    k8tls_buf_printf(t, "| %s | %s | %s |\n|---|---|---|\n", _("surface"), _("Secret"),
                     _("what it needs after this phase is applied"));
#define ROW(surf, sec, act, text)                                                                   \
    do {                                                                                           \
        action_row(t, (surf), (sec), (act), (text));                                               \
        seen |= 1u << (act);                                                                       \
    } while (0)
    enum action stores;
    if (ca_phase) {
        stores = ACT_ROLLING;
        snprintf(why, sizeof why, "%s",
                 _("every pod, before the next phase (see \"Why three phases\")"));
    } else if (!doc->passwords_kept) {
        stores = ACT_ROLLING;
        snprintf(why, sizeof why, "%s",
                 _("the store passwords changed, and Cassandra reads them only when it starts"));
    } else if (cassandra_reloads(p)) {
        stores = ACT_NOTHING;
        snprintf(why, sizeof why,
                 _("Cassandra %s re-reads changed keystores and truststores by itself within "
                   "10 minutes of the files changing (the kubelet updates them about a minute "
                   "after the apply); `nodetool reloadssl` in a pod does it at once"),
                 p->cluster.server_version);
    } else {
        stores = ACT_ROLLING;
        if (p->cluster.server_type == K8TLS_SERVER_CASSANDRA)
            snprintf(why, sizeof why,
                     _("Cassandra %s does not re-read its stores while running"),
                     p->cluster.server_version ? p->cluster.server_version : "?");
        else
            snprintf(why, sizeof why,
                     _("%s %s is not known to re-read its stores while running"),
                     k8tls_server_type_name(p->cluster.server_type),
                     p->cluster.server_version ? p->cluster.server_version : "?");
    }
    if (doc->server_leaf)
        ROW(_("Cassandra internode encryption"), doc->server_secret, stores, why);
    if (doc->client_leaf)
        ROW(_("Cassandra client encryption"), doc->client_secret, stores, why);
    if (doc->medusa_cert)
        ROW(_("Medusa to Cassandra (CQL)"), p->encryption.medusa.secret_name, ACT_ROLLING,
            _("Medusa runs in the Cassandra pods and is not known to re-read its certificate"));
    /* a surface of its own CA is kept as it was by the cluster CA's phases */
#define KEPT(r, act) (ca_phase && doc->own_ca[r] ? ACT_NOTHING : (act))
#define KEPT_WHY(r, text)                                                                          \
    (ca_phase && doc->own_ca[r] ? _("signed by its own CA: this phase keeps it as it was")        \
                                : (text))
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper, *mg = &p->encryption.medusa_grpc;
    if (doc->trio_cert[RT_MGMT_SERVER])
        ROW(_("management API (server)"), ma->server_secret_name, KEPT(RS_MGMT, ACT_ROLLING),
            KEPT_WHY(RS_MGMT, _("the management API is not known to pick up a changed Secret "
                                "while running")));
    if (doc->trio_cert[RT_MGMT_CLIENT])
        ROW(_("management API (client)"), ma->client_secret_name,
            KEPT(RS_MGMT, doc->trio_cert[RT_MGMT_SERVER] ? ACT_ROLLING : ACT_NOTHING),
            KEPT_WHY(RS_MGMT, _("the operators read it when they connect; Medusa mounts it, and "
                                "the rolling restart of the server Secret renews that copy")));
    if (doc->jks_leaf[RJ_REAPER_SERVER])
        ROW(_("Reaper's API (server stores)"), rp->server_secret_name, KEPT(RS_REAPER, ACT_REAPER),
            KEPT_WHY(RS_REAPER, _("Reaper opens its API's keystore and truststore (password "
                                  "changeit) when it starts; restarting Reaper does not restart "
                                  "Cassandra")));
    if (doc->trio_cert[RT_REAPER_CLIENT])
        ROW(_("Reaper's API (client)"), rp->client_secret_name, KEPT(RS_REAPER, ACT_NOTHING),
            KEPT_WHY(RS_REAPER, _("k8ssandra-operator reads the Secret when it connects to "
                                  "Reaper")));
    if (doc->jks_leaf[RJ_REAPER_MGMT])
        ROW(_("Reaper to the management API"), rp->management_secret_name,
            KEPT(RS_MGMT, ACT_NOTHING),
            KEPT_WHY(RS_MGMT, _("Reaper watches these stores and reconnects with the new files "
                                "by itself")));
    if (doc->trio_cert[RT_GRPC_SERVER])
        ROW(_("Medusa gRPC (server)"), mg->server_secret_name, KEPT(RS_GRPC, ACT_ROLLING),
            KEPT_WHY(RS_GRPC, _("Medusa loads it when its gRPC server starts, in the Cassandra "
                                "pods")));
    if (doc->trio_cert[RT_GRPC_CLIENT])
        ROW(_("Medusa gRPC (client)"), mg->client_secret_name, KEPT(RS_GRPC, ACT_NOTHING),
            KEPT_WHY(RS_GRPC, _("k8ssandra-operator reads the Secret for each connection to "
                                "Medusa")));
#undef KEPT
#undef KEPT_WHY
#undef ROW
    k8tls_buf_printf(t, "\n");
    return seen;
}

/* The Reaper restarts: one Deployment per datacenter (PER_DC), or the first one's (SINGLE). */
static void reaper_restart(struct k8tls_buf *t, const struct k8tls_plan *p, const char *ns)
{
    const char *mode = p->cluster.reaper.deployment_mode;
    bool single = mode && strcmp(mode, "SINGLE") == 0;
    k8tls_buf_printf(t, "%s\n\n```sh\n",
                     _("Restart Reaper so that it opens its new API stores (Cassandra keeps "
                       "running):"));
    for (size_t i = 0; i < p->cluster.n_dcs && (!single || i == 0); i++)
        k8tls_buf_printf(t, "kubectl -n %s rollout restart deployment/%s-%s-reaper\n", ns,
                         p->cluster.name, p->cluster.dcs[i].name ? p->cluster.dcs[i].name : "dc1");
    if (p->cluster.n_dcs == 0)
        k8tls_buf_printf(t, "kubectl -n %s rollout restart deployment/%s-dc1-reaper\n", ns,
                         p->cluster.name);
    k8tls_buf_printf(t, "```\n\n");
}

int k8tls_rotate_doc_next_steps(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                struct k8tls_err *e)
{
    struct k8tls_buf t = { 0 };
    const struct k8tls_plan *p = doc->plan;
    const char *ns = doc->namespace_;
    const char *ctx = doc->from_context ? doc->from_context : "CONTEXT";
    enum k8tls_rotate_phase next = next_phase(doc->phase);
    char *signing = k8tls_rotate_label(doc->signing_ca);
    char *other = doc->next_ca ? k8tls_rotate_label(doc->next_ca)
                  : doc->previous_ca ? k8tls_rotate_label(doc->previous_ca) : NULL;
    char date[64];

    k8tls_buf_printf(&t, "# %s: %s\n\n", _("Next steps"), k8tls_rotate_phase_title(doc->phase));
    k8tls_buf_printf(&t, _("Cluster `%s` in namespace `%s`, read from %s."), p->cluster.name, ns,
                doc->source);
    k8tls_buf_printf(&t, "\n\n## %s\n\n", _("What this bundle changes"));
    switch (doc->phase) {
    case K8TLS_ROTATE_RENEW:
        k8tls_rotate_date(doc->server_leaf ? doc->server_leaf : doc->client_leaf, date,
                          sizeof date);
        k8tls_buf_printf(&t, _("New keystores (new keys; certificates with the same names and SANs, "
                          "signed by the same CA `%s`, valid until %s) and, with Medusa, a new "
                          "client certificate. The truststores, the CA, the store passwords and the "
                          "Secret names are unchanged: old and new certificates trust each other "
                          "during the rolling restart, so one restart is enough."),
                    signing, date);
        break;
    case K8TLS_ROTATE_TRUST:
        k8tls_buf_printf(&t, _("Phase 1 of 3. The truststores trust both the current CA `%s` and the "
                          "new CA `%s`; Medusa's rootca.crt holds both. The keystores and the "
                          "Medusa certificate are unchanged, byte for byte. The new CA's private "
                          "key is `ca/next-rootca.key`: phase 2 signs the new certificates with "
                          "it. Keep it offline and private."),
                    signing, other ? other : "?");
        break;
    case K8TLS_ROTATE_REISSUE:
        k8tls_buf_printf(&t, _("Phase 2 of 3. The keystores (new keys) and the Medusa client certificate "
                          "are signed by the new CA `%s`. The truststores still trust the previous "
                          "CA `%s` too, so restarted nodes (new certificates) and nodes not yet "
                          "restarted (old certificates) keep trusting each other."),
                    signing, other ? other : "?");
        break;
    case K8TLS_ROTATE_RETIRE:
        k8tls_buf_printf(&t, _("Phase 3 of 3. The truststores and Medusa's rootca.crt trust only the "
                          "new CA `%s`. Every node already presents a certificate of the new CA "
                          "(phase 2), so removing the previous CA breaks no connection. After "
                          "this restart the rotation is complete."),
                    signing);
        break;
    default:
        break;
    }
    k8tls_buf_printf(&t, "\n\n%s\n\n", _("The K8ssandraCluster is not changed: the Secret names and keys "
                                    "stay the same, only their content changes."));
    for (int r = 0; r < RS_COUNT; r++) {
        const struct k8tls_surface_ca *sc = k8tls_rotate_surface_own_ca(p, r);
        if (!doc->own_ca[r] || !sc)
            continue;
        if (doc->phase == K8TLS_ROTATE_RENEW)
            k8tls_buf_printf(&t, _("%s (`%s`) is signed by its own CA (`%s`), not by the cluster "
                                   "CA: its new certificates are signed by that CA, and its "
                                   "ca.crt and truststores are unchanged."),
                             k8tls_rotate_surface_name(r), k8tls_rotate_surface_key(r),
                             sc->import_cert ? sc->import_cert : "?");
        else
            k8tls_buf_printf(&t, _("%s (`%s`) is signed by its own CA (`%s`), not by the cluster "
                                   "CA: it is not part of the cluster CA rotation, and its "
                                   "Secrets in this bundle are the same as before, byte for "
                                   "byte."),
                             k8tls_rotate_surface_name(r), k8tls_rotate_surface_key(r),
                             sc->import_cert ? sc->import_cert : "?");
        k8tls_buf_printf(&t, "\n\n");
    }

    k8tls_buf_printf(&t, "## %s\n\n", _("Passwords"));
    if (doc->passwords_kept)
        k8tls_buf_printf(&t, "%s\n\n",
                    _("The store passwords are the same as before. The operator hands the "
                      "passwords to Cassandra when a pod starts, and Cassandra 4.0 and later also "
                      "reload changed keystores and truststores while running, which works only "
                      "when their passwords stay the same. Keeping them lets every node open the "
                      "new stores whichever comes first, the reload or the restart, so each phase "
                      "is safe to apply before its restart."));
    else
        k8tls_buf_printf(&t, "%s\n\n",
                    _("New store passwords were generated (--new-passwords). A running node cannot "
                      "reload these stores in place (it still holds the old passwords); it picks "
                      "them up when it restarts. Do the rolling restart right after applying, and "
                      "update any nodetool-ssl.properties or client that uses the passwords."));

    if (doc->jks_leaf[RJ_REAPER_SERVER] || doc->jks_leaf[RJ_REAPER_MGMT])
        k8tls_buf_printf(&t, "%s\n\n",
                    _("Reaper's stores keep the password changeit, which Reaper hard-codes (it is "
                      "not a secret): --new-passwords does not change it."));

    k8tls_buf_printf(&t, "## 1. %s\n\n", _("Apply the Secrets"));
    k8tls_buf_printf(&t, "%s\n\n", _("From this directory, in the control-plane context and in every "
                                "context that runs a datacenter (the operator copies no Secret "
                                "between clusters):"));
    k8tls_buf_printf(&t, "```sh\nkubectl apply --server-side --field-manager=k8tls-wizard -k .\n");
    for (size_t i = 0; i < p->cluster.n_dcs; i++)
        if (k8tls_plan_dc_context_is_first(p, i))
            k8tls_buf_printf(&t, "kubectl --context %s apply --server-side --field-manager=k8tls-wizard "
                            "-k .\n", p->cluster.dcs[i].k8s_context);
    k8tls_buf_printf(&t, "```\n\n");
    k8tls_buf_printf(&t, "%s\n\n", _("(`k8tls-wizard rotate ... --apply` does the same, in every "
                                "datacenter's context.)"));

    k8tls_buf_printf(&t, "## 2. %s\n\n", _("Restarts and reloads, surface by surface"));
    k8tls_buf_printf(&t, "%s\n\n",
                _("The operator hashes no Secret content and mounts the Secrets without subPath: "
                  "the kubelet updates the files in the pods, and nothing restarts by itself. "
                  "What each surface of this bundle needs:"));
    unsigned seen = surface_actions(&t, doc);
    if (seen & (1u << ACT_REAPER))
        reaper_restart(&t, p, ns);
    if (!(seen & (1u << ACT_ROLLING))) {
        k8tls_buf_printf(&t, "%s\n\n",
                    _("No rolling restart of Cassandra is needed for this renewal. The "
                      "K8ssandraTask in restart/ is there should you want one anyway (for "
                      "example to have every node use its new certificate at once):"));
        k8tls_buf_printf(&t, "```sh\nkubectl apply -f %s\n```\n\n", doc->restart_task_path);
        goto after_restart;
    }
    k8tls_buf_printf(&t, "### %s\n\n", _("Rolling restart"));
    k8tls_buf_printf(&t, "%s\n\n",
                _("Restart every Cassandra pod, one at a time, before going on: then no node "
                  "holds the stores of an earlier phase. Medusa runs in the Cassandra pods, so the "
                  "same restart gives it its new Secret. The K8ssandraTask below restarts the "
                  "datacenters one after the other, the pods of each one by one:"));
    k8tls_buf_printf(&t, "```sh\nkubectl apply -f %s\nkubectl -n %s wait --for=condition=Complete "
                    "k8ssandratask/%s --timeout=24h\n```\n\n",
                doc->restart_task_path, ns, doc->restart_task_name);
    char *task = NULL;
    size_t tlen = 0;
    struct k8tls_err te;
    if (k8tls_rotate_doc_restart_task(doc, &task, &tlen, &te) == 0) {
        k8tls_buf_printf(&t, "```yaml\n%s```\n\n", task);
        free(task);
    } else {
        t.oom = true;
    }
    k8tls_buf_printf(&t, "%s\n\n", _("Without the K8ssandraTask (any operator version), the same restart "
                                "by hand, pod after pod (each one must be Ready before the next):"));
    k8tls_buf_printf(&t, "```sh\nNS=%s\n"
                    "for pod in $(kubectl -n \"$NS\" get pods -l cassandra.datastax.com/cluster=%s "
                    "-o name); do\n"
                    "  kubectl -n \"$NS\" delete \"$pod\" || break\n"
                    "  until kubectl -n \"$NS\" get \"$pod\" >/dev/null 2>&1; do sleep 5; done\n"
                    "  kubectl -n \"$NS\" wait --for=condition=Ready \"$pod\" --timeout=30m || break\n"
                    "done\n```\n\n",
                ns, p->cluster.name);
after_restart:

    k8tls_buf_printf(&t, "## 3. %s\n\n", next ? _("Check, then the next phase") : _("Check"));
    if (next) {
        k8tls_buf_printf(&t, _("When every pod has restarted, run phase %s. It reads the live Secrets, "
                          "refuses to run unless they are at this phase, and takes the CA keys "
                          "from this directory:"),
                    k8tls_rotate_phase_name(next));
        k8tls_buf_printf(&t, "\n\n```sh\nk8tls-wizard rotate --from . --from-context %s --phase %s "
                        "--output ../%s-rotation-%s --apply\n```\n\n",
                    ctx, k8tls_rotate_phase_name(next), p->cluster.name,
                    k8tls_rotate_phase_name(next));
    } else {
        k8tls_buf_printf(&t, "%s\n\n", (seen & (1u << ACT_ROLLING))
                    ? _("When every pod has restarted, this shows what the cluster "
                        "holds and proposes the next step when one is due:")
                    : _("Once applied, this shows what the cluster holds and proposes the next "
                        "step when one is due:"));
        k8tls_buf_printf(&t, "```sh\nk8tls-wizard rotate --from . --from-context %s\n```\n\n", ctx);
    }

    if (doc->phase != K8TLS_ROTATE_RENEW) {
        k8tls_buf_printf(&t, "## %s\n\n", _("Why three phases"));
        k8tls_buf_printf(&t, "%s\n\n",
                    _("A node accepts a peer only when the peer's certificate chains to a CA of its "
                      "truststore. During a rolling restart, restarted and not yet restarted nodes "
                      "talk to each other, so each phase changes one side only: first every node "
                      "trusts both CAs, then the certificates change, then the old CA goes. "
                      "Changing the CA in one step cuts restarted nodes off from the others until "
                      "the roll ends. Never skip a restart between two phases."));
    }

    k8tls_buf_printf(&t, "## %s\n\n", _("Certificate expiry"));
    k8tls_buf_printf(&t, "| %s | %s | %s | %s |\n|---|---|---|---|\n", _("certificate"), _("file"),
                _("subject"), _("expires"));
    expiry_row(&t, _("root CA (signs the certificates)"), "ca/rootca.crt", doc->signing_ca);
    if (doc->next_ca)
        expiry_row(&t, _("new root CA"), "ca/next-rootca.crt", doc->next_ca);
    if (doc->previous_ca)
        expiry_row(&t, _("previous root CA"), "ca/previous-rootca.crt", doc->previous_ca);
    char where[600];
    if (doc->server_leaf) {
        snprintf(where, sizeof where, "stores/%s/keystore", doc->server_secret);
        expiry_row(&t, _("internode (server) keystore"), where, doc->server_leaf);
    }
    if (doc->client_leaf) {
        snprintf(where, sizeof where, "stores/%s/keystore", doc->client_secret);
        expiry_row(&t, _("client keystore"), where, doc->client_leaf);
    }
    if (doc->medusa_cert)
        expiry_row(&t, _("Medusa client certificate"), "medusa/client.crt_signed",
                   doc->medusa_cert);
    for (int i = 0; i < RT_COUNT; i++)
        if (doc->trio_cert[i]) {
            snprintf(where, sizeof where, "tls/%s/tls.crt", k8tls_rotate_trio_secret(p, i));
            expiry_row(&t, k8tls_rotate_trio_role(i), where, doc->trio_cert[i]);
        }
    for (int i = 0; i < RJ_COUNT; i++)
        if (doc->jks_leaf[i]) {
            snprintf(where, sizeof where, "tls/%s/keystore.jks", k8tls_rotate_jks_secret(p, i));
            expiry_row(&t, k8tls_rotate_jks_role(i), where, doc->jks_leaf[i]);
        }
    k8tls_buf_printf(&t, "\n");

    free(signing);
    free(other);
    if (t.oom) {
        k8tls_buf_free(&t);
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    *out = t.p;
    *len = t.len;
    return 0;
}
