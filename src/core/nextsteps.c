/* NEXT-STEPS.md: what to do with the output directory, nodetool over TLS (K7), the rolling
 * restart, expiry dates and rotation. Markdown text; the one YAML snippet in it is emitted
 * through libyaml.
 * Called by bundle.c. May call changes.c (the verbs of a merge's changes) and secrets.c (Secret
 * key names), and below the bundle ydoc.c, buf.c, the plan and err.c; never bundle.c,
 * manifest.c or merge.c. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/buf.h"
#include "k8tls/i18n.h"
#include "k8tls/rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/asn1.h>
#include <openssl/x509.h>

static void date_of(const X509 *c, char *buf, size_t len)
{
    struct tm tm;
    const ASN1_TIME *t = c ? X509_get0_notAfter(c) : NULL;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) {
        snprintf(buf, len, "?");
        return;
    }
    strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

static void expiry_row(struct k8tls_buf *b, const char *what, const char *where, const X509 *c)
{
    char d[64];
    if (!c)
        return;
    date_of(c, d, sizeof d);
    k8tls_buf_printf(b, "| %s | `%s` | %s |\n", what, where, d);
}

/* The K8ssandraTask that restarts the cluster's pods, emitted through libyaml. */
static char *restart_task_yaml(const struct k8tls_identity *id)
{
    struct ydoc yd, *y = &yd;
    char *out = NULL, name[300];
    size_t len = 0;
    const char *why;
    if (ydoc_init(y) < 0)
        return NULL;
    snprintf(name, sizeof name, "%s-rolling-restart", id->name);
    int root = ydoc_map(y);
    ydoc_map_add(y, root, "apiVersion", ydoc_str(y, "control.k8ssandra.io/v1alpha1"));
    ydoc_map_add(y, root, "kind", ydoc_str(y, "K8ssandraTask"));
    int md = ydoc_map_add(y, root, "metadata", ydoc_map(y));
    ydoc_map_add(y, md, "name", ydoc_str(y, name));
    ydoc_map_add(y, md, "namespace", ydoc_str(y, id->namespace_));
    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    int cl = ydoc_map_add(y, spec, "cluster", ydoc_map(y));
    ydoc_map_add(y, cl, "name", ydoc_str(y, id->name));
    int tpl = ydoc_map_add(y, spec, "template", ydoc_map(y));
    int jobs = ydoc_map_add(y, tpl, "jobs", ydoc_seq(y));
    int job = ydoc_seq_add(y, jobs, ydoc_map(y));
    ydoc_map_add(y, job, "name", ydoc_str(y, "rolling-restart"));
    ydoc_map_add(y, job, "command", ydoc_str(y, "restart"));
    if (ydoc_emit(y, 1, &out, &len, &why) < 0)
        return NULL;
    return out;
}

static const char *fmt_name(enum k8tls_store_format f)
{
    return f == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12";
}


/* A cassandraYaml value as NEXT-STEPS shows it. */
static const char *opt_text(int v)
{
    return v < 0 ? _("(not written)") : v ? "true" : "false";
}

/* The staged rollout's phase (doc/staged-rollout.md sections 3 and 4.3): what this restart
 * changes, what to check before the next phase, and its command. */
static void staged_section(struct k8tls_buf *t, const struct k8tls_plan *p,
                           const struct k8tls_identity *id)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES], ph = p->rollout.phase;
    char why[2048];
    size_t n = k8tls_rollout_sequence(p, seq, why, sizeof why), k = 0;
    for (size_t i = 0; i < n; i++)
        if (seq[i] == ph)
            k = i + 1;
    struct k8tls_rollout_values now, before = {.internode = K8TLS_INTERNODE_NONE,
                                               .internode_optional = -1};
    k8tls_rollout_values(p, ph, &now);
    if (k > 1)
        k8tls_rollout_values(p, seq[k - 2], &before);
    bool v311 = k8tls_cass_line_of(p->cluster.server_version) == K8TLS_CASS_311;
    const char *ns = id->namespace_;

    k8tls_buf_printf(t, "### %s\n\n", _("This phase"));
    if (k)
        k8tls_buf_printf(t, _("Staged rollout, phase %zu of %zu: %s. Applying this directory "
                              "restarts every Cassandra pod once, one at a time; pods that "
                              "restarted and pods that did not yet talk to each other throughout "
                              "(doc/staged-rollout.md, section 3)."),
                         k, n, k8tls_rollout_phase_title(p, ph));
    k8tls_buf_puts(t, "\n\n");
    k8tls_buf_printf(t, "| %s | %s | %s |\n|---|---|---|\n", _("cassandraYaml"),
                     _("before this phase"), _("this phase"));
    k8tls_buf_printf(t, "| `server_encryption_options.internode_encryption` | `%s` | `%s` |\n",
                     k8tls_internode_mode_name(before.internode),
                     k8tls_internode_mode_name(now.internode));
    if (!v311 && now.internode != K8TLS_INTERNODE_NONE)
        k8tls_buf_printf(t, "| `server_encryption_options.optional` | `%s` | `%s` |\n",
                         opt_text(before.internode_optional), opt_text(now.internode_optional));
    k8tls_buf_printf(t, "| `client_encryption_options.enabled` | `%s` | `%s` |\n",
                     before.client_enabled ? "true" : "false", now.client_enabled ? "true" : "false");
    if (now.client_enabled)
        k8tls_buf_printf(t, "| `client_encryption_options.optional` | `%s` | `%s` |\n",
                         k > 1 ? (before.client_optional ? "true" : "false") : _("(not written)"),
                         now.client_optional ? "true" : "false");
    k8tls_buf_puts(t, "\n");

    if (ph == K8TLS_PHASE_ACCEPT && now.client_enabled) {
        k8tls_buf_printf(t, "%s\n\n",
                         _("Clients keep working in plain text against every pod; a client "
                           "switched to TLS before every pod has restarted fails on the others: "
                           "move clients to TLS only after this phase is complete."));
        if (p->cluster.reaper.enabled)
            k8tls_buf_printf(t, "%s\n\n",
                             _("**Pause Reaper's repair schedules** until every pod has "
                               "restarted: Reaper speaks TLS (CQL and JMX) from now on, and "
                               "its calls to pods that did not restart yet fail."));
        if (p->cluster.medusa.enabled)
            k8tls_buf_printf(t, "%s\n\n",
                             _("**Take no Medusa backup** until every pod has restarted: "
                               "whether Medusa reaches pods still on plain CQL is not "
                               "confirmed."));
        k8tls_buf_printf(t, "%s\n\n",
                         _("From this phase on, nodetool on a restarted pod needs TLS (JMX over "
                           "TLS, section 3)."));
    }
    if (ph == K8TLS_PHASE_CLIENTS_REQUIRED)
        k8tls_buf_printf(t, "%s\n\n",
                         _("A client that still connects in plain text is refused by every pod "
                           "that restarted: that is what this phase enforces."));

    if (k && k < n) {
        enum k8tls_rollout_phase next = seq[k];
        k8tls_buf_printf(t, "### %s\n\n", _("Before the next phase"));
        k8tls_buf_printf(t, "%s\n\n",
                         _("Wait until every Cassandra pod has restarted with this phase and "
                           "every CassandraDatacenter is Ready again:"));
        k8tls_buf_printf(t, "```sh\nkubectl -n %s get cassandradatacenters\n"
                            "kubectl -n %s get pods -l cassandra.datastax.com/cluster=%s "
                            "-o custom-columns=NAME:.metadata.name,STARTED:.metadata.creationTimestamp\n```\n\n",
                         ns, ns, id->name);
        k8tls_buf_printf(t, "%s\n\n",
                         _("`k8tls-wizard enable --from-context CONTEXT --from <this directory>` "
                           "checks it for you: the live K8ssandraCluster holds this phase's "
                           "values, every CassandraDatacenter is Ready, and every pod was "
                           "created after the change."));
        if (next == K8TLS_PHASE_ENFORCE && !v311)
            k8tls_buf_printf(t, "%s\n\n",
                             _("Before enforce, no pod should still use a plain internode "
                               "connection. Best effort, from the logs since the restart (they "
                               "may have rotated): `kubectl -n NAMESPACE logs POD -c cassandra | "
                               "grep 'encryption = unencrypted'` prints nothing on any pod."));
        if (next == K8TLS_PHASE_CLIENTS_REQUIRED) {
            if (v311)
                k8tls_buf_printf(t, "%s\n\n",
                                 _("Before clients-required, every client must use TLS. "
                                   "Cassandra 3.11 cannot list its client connections "
                                   "(nodetool clientstats does not exist there): check your "
                                   "applications yourself, then confirm with "
                                   "`--clients-use-tls`."));
            else
                k8tls_buf_printf(t, _("Before clients-required, every client must use TLS. On "
                                      "every pod, with the TLS nodetool files of section 3, "
                                      "`nodetool --ssl clientstats --all` must list no "
                                      "connection whose `SSL` column is false:"));
            if (!v311) {
                k8tls_buf_printf(t, "\n\n```sh\nNS=%s CLUSTER=%s\n", ns, id->name);
                k8tls_buf_puts(t, "for POD in $(kubectl -n \"$NS\" get pods -l "
                                  "cassandra.datastax.com/cluster=\"$CLUSTER\" -o name); do\n"
                                  "  kubectl -n \"$NS\" exec \"${POD#pod/}\" -c cassandra -- "
                                  "nodetool --ssl clientstats --all\n"
                                  "done\n```\n\n");
                k8tls_buf_printf(t, "%s\n\n",
                                 _("Then confirm it with `--clients-use-tls`."));
            }
        }
        k8tls_buf_printf(t, "%s\n\n", _("Then the next phase:"));
        k8tls_buf_printf(t, "```sh\nk8tls-wizard enable --from <this directory> --phase %s%s "
                            "-o NEWDIR\n```\n\n",
                         k8tls_rollout_phase_cli_name(next),
                         next == K8TLS_PHASE_CLIENTS_REQUIRED ? " --clients-use-tls" : "");
        k8tls_buf_printf(t, "%s\n\n",
                         _("or, checked against the live cluster and applied: add "
                           "`--from-context CONTEXT --apply`."));
    } else if (k == n && n) {
        k8tls_buf_printf(t, "%s\n\n",
                         _("This is the last phase: once every pod has restarted, the cluster "
                           "runs with the encryption of the answers' encryption section."));
    }
}

/* The end of NEXT-STEPS.md in both output modes: what a merge changed, then the warnings and
 * notes of the bundle. */
void k8tls_nextsteps_tail(struct k8tls_buf *t, const struct k8tls_plan *p,
                          const struct k8tls_bundle *b)
{
    if (p->cluster.manifest && *p->cluster.manifest && b->n_changes) {
        k8tls_buf_printf(t, "## %s\n\n", _("Changes to the existing manifest"));
        k8tls_buf_printf(t, _("Read from `%s`; everything else in it is kept as it was."),
                         p->cluster.manifest);
        k8tls_buf_puts(t, "\n\n");
        for (size_t i = 0; i < b->n_changes; i++)
            k8tls_buf_printf(t, "- %s: `%s`\n", k8tls_change_verb(b->changes[i].what),
                             b->changes[i].path);
        k8tls_buf_puts(t, "\n");
    }
    if (b->notes.n) {
        k8tls_buf_printf(t, "## %s\n\n", _("Warnings and notes"));
        for (size_t i = 0; i < b->notes.n; i++) {
            const struct k8tls_diag *g = &b->notes.v[i];
            if (g->path)
                k8tls_buf_printf(t, "- `%s`: %s\n", g->path, g->msg);
            else
                k8tls_buf_printf(t, "- %s\n", g->msg);
        }
        k8tls_buf_puts(t, "\n");
    }
}

int k8tls_nextsteps_text(const struct k8tls_plan *p, const struct k8tls_material *m,
                         const struct k8tls_identity *id, const struct k8tls_bundle *b,
                         char **out, size_t *len, struct k8tls_err *e)
{
    struct k8tls_buf t = {0};
    const char *ns = id->namespace_;
    bool merge = p->cluster.manifest && *p->cluster.manifest;
    bool server = k8tls_plan_wants_server_stores(p), client = k8tls_plan_wants_client_stores(p);
    const struct k8tls_store_set *cset =
        p->stores.client.source == K8TLS_SOURCE_REUSE ? &p->stores.server : &p->stores.client;

    k8tls_buf_printf(&t, "# %s\n\n", _("Next steps"));
    if (client)
        k8tls_buf_printf(&t, _("Cluster `%s` in namespace `%s`: internode encryption `%s`, client "
                          "encryption on, stores %s."),
                    id->name, ns, k8tls_internode_mode_name(p->encryption.internode.mode),
                    fmt_name(p->stores.format));
    else
        k8tls_buf_printf(&t, _("Cluster `%s` in namespace `%s`: internode encryption `%s`, client "
                          "encryption off, stores %s."),
                    id->name, ns, k8tls_internode_mode_name(p->encryption.internode.mode),
                    fmt_name(p->stores.format));
    k8tls_buf_puts(&t, "\n\n");

    /* ---- 1. apply ---- */
    k8tls_buf_printf(&t, "## 1. %s\n\n", _("Apply"));
    const char *bucket = p->cluster.medusa.storage_secret;
    if (!merge && p->cluster.medusa.enabled && bucket && *bucket) {
        /* the one Secret the cluster needs that the wizard cannot write */
        k8tls_buf_printf(&t, _("Medusa reads its bucket credentials from the Secret `%s`, which "
                               "the wizard does not write: create it in the namespace `%s` "
                               "(and in every context that runs a datacenter) before the "
                               "cluster, with the storage provider's credentials (%s) under "
                               "the key `credentials`:"),
                         bucket, ns, p->cluster.medusa.storage_provider
                                         ? p->cluster.medusa.storage_provider : "s3");
        k8tls_buf_printf(&t, "\n\n```sh\nkubectl -n %s create secret generic %s "
                             "--from-file=credentials=./medusa-credentials\n```\n\n",
                         ns, bucket);
    }
    k8tls_buf_printf(&t, "%s\n\n", _("From this directory, in the control-plane context (the Secrets "
                                "first, then the cluster; kustomization.yaml lists them in that "
                                "order):"));
    k8tls_buf_puts(&t, "```sh\nkubectl apply -k .\n```\n\n");
    if (id->no_namespace)
        k8tls_buf_printf(&t, _("Like the manifest it was read from, the K8ssandraCluster and the "
                               "Secrets carry no namespace: kustomization.yaml's `namespace: %s` "
                               "puts them all in `%s`, the namespace whose service names the "
                               "certificates hold. Applying the files one by one needs it too: "
                               "`kubectl apply -n %s -f manifests/`. For another namespace, set "
                               "cluster.namespace in the answers and run the wizard again (the "
                               "certificates change)."),
                         ns, ns, ns);
    if (id->no_namespace)
        k8tls_buf_puts(&t, "\n\n");   /* after the paragraph above */
    bool remote = false;
    for (size_t i = 0; i < p->cluster.n_dcs; i++)
        if (p->cluster.dcs[i].k8s_context && *p->cluster.dcs[i].k8s_context)
            remote = true;
    if (remote) {
        k8tls_buf_printf(&t, "%s\n\n", _("The operator copies no Secret between clusters: every "
                                    "Kubernetes context that runs a datacenter needs the "
                                    "Secrets too (and the namespace):"));
        k8tls_buf_puts(&t, "```sh\n");
        for (size_t i = 0; i < p->cluster.n_dcs; i++) {
            if (!k8tls_plan_dc_context_is_first(p, i))
                continue;
            k8tls_buf_printf(&t, "kubectl --context %s apply", p->cluster.dcs[i].k8s_context);
            if (id->no_namespace)
                k8tls_buf_printf(&t, " -n %s", ns);
            for (size_t k = 0; k < b->n; k++)
                if (b->v[k].kind == K8TLS_ART_NAMESPACE || b->v[k].kind == K8TLS_ART_SECRET)
                    k8tls_buf_printf(&t, " -f %s", b->v[k].path);
            k8tls_buf_puts(&t, "\n");
        }
        k8tls_buf_puts(&t, "```\n\n");
        k8tls_buf_printf(&t, "%s\n\n", _("The K8ssandraCluster itself is applied once, in the "
                                    "control-plane context."));
    }
    if (k8tls_plan_wants_mgmt_api(p))
        /* M2 */
        k8tls_buf_printf(&t, "%s\n\n",
                         _("cass-operator validates the management API Secrets once, when it "
                           "first sees the datacenter, and does not retry: apply them before "
                           "the cluster, as kustomization.yaml does (and in every context that "
                           "runs a datacenter)."));
    if (p->output.create_namespace)
        k8tls_buf_printf(&t, "%s\n\n", _("manifests/00-namespace.yaml creates the namespace."));
    else
        k8tls_buf_printf(&t, _("The namespace `%s` must exist (or run the wizard with "
                          "--create-namespace)."),
                    ns);
    if (!p->output.create_namespace)
        k8tls_buf_puts(&t, "\n\n");

    /* ---- 2. restart ---- */
    k8tls_buf_printf(&t, "## 2. %s\n\n", _("Rolling restart"));
    if (merge)
        k8tls_buf_printf(&t, "%s\n\n",
                    _("Applying the changed K8ssandraCluster makes the operator restart every "
                      "Cassandra pod, one at a time."));
    else
        k8tls_buf_printf(&t, "%s\n\n", _("A new cluster starts encrypted: no restart is needed."));
    bool staged = p->rollout.mode == K8TLS_ROLLOUT_STAGED;
    if (staged)
        staged_section(&t, p, id);
    if (server && !staged)
        k8tls_buf_printf(&t, "%s\n\n",
                    _("On a running cluster, switching internode encryption on in one step "
                      "splits the cluster while the pods restart: restarted nodes and the "
                      "others cannot talk to each other. Do it in a maintenance window (stop "
                      "every datacenter with `spec.cassandra.datacenters[].stopped: true`, "
                      "apply, start them), or without downtime, one phase per rolling "
                      "restart: `k8tls-wizard enable --answers FILE -o DIR` "
                      "(doc/staged-rollout.md)."));
    if (client && !staged)
        k8tls_buf_printf(&t, "%s\n\n",
                    p->encryption.client.optional
                        ? _("Client encryption is optional: clients may still connect without "
                            "TLS. Once every client uses TLS, set `optional: false`.")
                        : _("Client encryption is required: every CQL client (and cqlsh) needs "
                            "TLS from the moment its node restarts; use `optional: true` first "
                            "on a running cluster if clients must migrate gradually."));
    k8tls_buf_printf(&t, "%s\n\n", _("Changing only a Secret (same passwords) restarts nothing: the "
                                "stores are read when Cassandra starts. Restart with a "
                                "K8ssandraTask:"));
    char *task = restart_task_yaml(id);
    if (task) {
        k8tls_buf_printf(&t, "```yaml\n%s```\n\n", task);
        free(task);
    } else {
        t.oom = true;
    }

    /* ---- 3. nodetool ---- */
    if (client) {
        const char *ft = fmt_name(p->stores.format);
        const char *kpw = k8tls_store_key(cset->keys.keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD);
        const char *tpw = k8tls_store_key(cset->keys.truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD);
        char pod[512];
        snprintf(pod, sizeof pod, "%s-%s-default-sts-0", id->name,
                 p->cluster.n_dcs ? p->cluster.dcs[0].name : "dc1");
        k8tls_buf_printf(&t, "## 3. %s\n\n", _("nodetool over TLS"));
        k8tls_buf_printf(&t, "%s\n\n",
                    _("Client encryption also turns on JMX over TLS with client-certificate "
                      "authentication, using the client stores. nodetool then needs `--ssl` and "
                      "a `~/.cassandra/nodetool-ssl.properties` that points at the stores the "
                      "operator mounts in each Cassandra pod:"));
        k8tls_buf_printf(&t, "```properties\n"
                        "-Djavax.net.ssl.keyStore=/mnt/client-keystore/keystore\n"
                        "-Djavax.net.ssl.keyStorePassword=<%s>\n"
                        "-Djavax.net.ssl.keyStoreType=%s\n"
                        "-Djavax.net.ssl.trustStore=/mnt/client-truststore/truststore\n"
                        "-Djavax.net.ssl.trustStorePassword=<%s>\n"
                        "-Djavax.net.ssl.trustStoreType=%s\n"
                        "```\n\n",
                    kpw, ft, tpw, ft);
        k8tls_buf_printf(&t, _("To write it into a pod (here `%s`) without the passwords appearing on "
                          "a command line, then run nodetool:"),
                    pod);
        k8tls_buf_puts(&t, "\n\n```sh\n");
        k8tls_buf_printf(&t, "NS=%s POD=%s SECRET=%s\n", ns, pod, cset->secret_name);
        k8tls_buf_printf(&t,
                    "{\n"
                    "  echo -Djavax.net.ssl.keyStore=/mnt/client-keystore/keystore\n"
                    "  printf -- '-Djavax.net.ssl.keyStorePassword=%%s\\n' \"$(kubectl -n \"$NS\" "
                    "get secret \"$SECRET\" -o jsonpath='{.data.%s}' | base64 -d)\"\n"
                    "  echo -Djavax.net.ssl.keyStoreType=%s\n"
                    "  echo -Djavax.net.ssl.trustStore=/mnt/client-truststore/truststore\n"
                    "  printf -- '-Djavax.net.ssl.trustStorePassword=%%s\\n' \"$(kubectl -n \"$NS\" "
                    "get secret \"$SECRET\" -o jsonpath='{.data.%s}' | base64 -d)\"\n"
                    "  echo -Djavax.net.ssl.trustStoreType=%s\n"
                    "} | kubectl -n \"$NS\" exec -i \"$POD\" -c cassandra -- sh -c "
                    "'umask 077; mkdir -p \"$HOME/.cassandra\" && "
                    "cat > \"$HOME/.cassandra/nodetool-ssl.properties\"'\n"
                    "kubectl -n \"$NS\" exec \"$POD\" -c cassandra -- nodetool --ssl status\n",
                    kpw, ft, tpw, ft);
        k8tls_buf_puts(&t, "```\n\n");
        if (p->output.client_files) {
            /* O1 */
            k8tls_buf_printf(&t, "%s", _("The same with the files of clients/ (the CA, cqlsh's "
                                         "certificate, cqlshrc and nodetool-ssl.properties with "
                                         "the passwords), copied into the pod with `kubectl cp`, "
                                         "for cqlsh and nodetool; remove them afterwards:"));
            k8tls_buf_puts(&t, "\n\n```sh\n");
            k8tls_buf_printf(&t, "NS=%s POD=%s\n", ns, pod);
            k8tls_buf_printf(&t,
                             "kubectl -n \"$NS\" cp clients \"$POD\":%s -c cassandra\n"
                             "kubectl -n \"$NS\" exec \"$POD\" -c cassandra -- cqlsh --cqlshrc %s/cqlshrc\n"
                             "kubectl -n \"$NS\" exec \"$POD\" -c cassandra -- sh -c 'umask 077; "
                             "mkdir -p \"$HOME/.cassandra\" && cp %s/nodetool-ssl.properties "
                             "\"$HOME/.cassandra/\"'\n"
                             "kubectl -n \"$NS\" exec \"$POD\" -c cassandra -- nodetool --ssl status\n"
                             "kubectl -n \"$NS\" exec \"$POD\" -c cassandra -- rm -rf %s\n",
                             K8TLS_CLIENTS_DIR, K8TLS_CLIENTS_DIR, K8TLS_CLIENTS_DIR,
                             K8TLS_CLIENTS_DIR);
            k8tls_buf_puts(&t, "```\n\n");
        }
        k8tls_buf_printf(&t, "%s\n\n", _("Add -u/-pw (or --password-file) when JMX authentication "
                                    "is on. The client keystore's certificate must chain to a "
                                    "CA in the client truststore, as the ones generated here "
                                    "do."));
    }

    /* ---- 4. expiry ---- */
    k8tls_buf_printf(&t, "## %d. %s\n\n", client ? 4 : 3, _("Certificate expiry"));
    k8tls_buf_printf(&t, "| %s | %s | %s |\n|---|---|---|\n", _("certificate"), _("file"),
                _("expires"));
    if (m) {
        expiry_row(&t, _("root CA"), "ca/rootca.crt", m->ca_cert);
        if (m->server.present) {
            char where[512];
            snprintf(where, sizeof where, "stores/%s/keystore", p->stores.server.secret_name);
            expiry_row(&t, _("internode (server) keystore"), where, m->server.leaf);
        }
        if (m->client.present) {
            char where[512];
            snprintf(where, sizeof where, "stores/%s/keystore", p->stores.client.secret_name);
            expiry_row(&t, _("client keystore"), where, m->client.leaf);
        }
        if (m->medusa_present)
            expiry_row(&t, _("Medusa client certificate"), "medusa/client.crt_signed",
                       m->medusa_cert);
    }
    k8tls_buf_puts(&t, "\n");

    /* ---- 5. rotation ---- */
    k8tls_buf_printf(&t, "## %d. %s\n\n", client ? 5 : 4, _("Rotation"));
    k8tls_buf_printf(&t, "%s\n\n",
                _("Keep ca/rootca.key offline and private: it signs every certificate of the "
                  "cluster."));
    k8tls_buf_printf(&t, "- %s\n",
                _("New certificates from the same CA: `k8tls-wizard rotate --from <this "
                  "directory> --phase renew --output <new directory>`, apply the new Secrets in "
                  "every context, then restart (K8ssandraTask above). Old and new certificates "
                  "trust each other during the roll because the CA is the same."));
    k8tls_buf_printf(&t, "- %s\n",
                _("A new CA, without downtime, in three phases of `k8tls-wizard rotate`, each "
                  "applied and followed by a rolling restart: `--phase trust` (every truststore "
                  "holds both CAs), `--phase reissue` (certificates of the new CA), `--phase "
                  "retire` (only the new CA is trusted). Changing the CA in one step cuts the "
                  "nodes off from each other during the roll."));
    if (m && m->medusa_present)
        k8tls_buf_printf(&t, "- %s\n",
                    _("The Medusa certificate is signed by the same CA: renew it with the node "
                      "certificates and update its Secret."));
    k8tls_buf_puts(&t, "\n");

    k8tls_nextsteps_tail(&t, p, b);

    if (t.oom) {
        k8tls_buf_free(&t);
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    *out = t.p;
    *len = t.len;
    return 0;
}
