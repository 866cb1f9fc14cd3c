/* NEXT-STEPS.md of a cert-manager bundle (SPEC §11): what must be installed (cert-manager; and
 * trust-manager with Secret targets), the objects and the Secrets cert-manager will write, the
 * order of applying and waiting for Ready, what renewal does to running pods.
 * Called by bundle.c. Reads the bundle's artifacts (k8s_kind) and the plan; calls nothing of the
 * bundle but the names of certmanager.c, and below it buf.c, the plan and err.c. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/buf.h"
#include "k8tls/certmanager.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

static bool kind_is(const struct k8tls_artifact *a, const char *k)
{
    return a->k8s_kind && strcmp(a->k8s_kind, k) == 0;
}

static size_t count_kind(const struct k8tls_bundle *b, const char *k)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += kind_is(&b->v[i], k);
    return n;
}

static const char *ns_or(const char *ns, const char *dflt)
{
    return ns && *ns ? ns : dflt;
}

static void objects_table(struct k8tls_buf *t, const struct k8tls_plan *p,
                          const struct k8tls_bundle *b)
{
    k8tls_buf_printf(t, "| %s | %s | %s | %s |\n|---|---|---|---|\n", _("object"), _("namespace"),
                     _("Secret it makes"), _("keys"));
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        struct k8tls_cm_product pr;
        if (a->kind != K8TLS_ART_CM_OBJECT)
            continue;
        const char *ns = ns_or(a->k8s_namespace, "-");
        if (k8tls_cm_product_of(p, a, &pr))
            k8tls_buf_printf(t, "| %s `%s` | `%s` | `%s` | %s |\n", a->k8s_kind, a->k8s_name,
                             ns_or(pr.ns, "-"), pr.secret, pr.keys);
        else
            k8tls_buf_printf(t, "| %s `%s` | `%s` | - | - |\n", a->k8s_kind, a->k8s_name, ns);
    }
    k8tls_buf_puts(t, "\n");
}

int k8tls_cm_nextsteps_text(const struct k8tls_plan *p, const struct k8tls_identity *id,
                            const struct k8tls_bundle *b, char **out, size_t *len,
                            struct k8tls_err *e)
{
    struct k8tls_buf t = {0};
    const char *ns = id->namespace_;
    bool cluster_issuer = p->output.issuer_kind == K8TLS_ISSUER_CLUSTER;
    size_t ncert = count_kind(b, "Certificate");
    char *bundle = k8tls_cm_name(p, K8TLS_CM_TRUST_BUNDLE);
    if (!bundle) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }

    k8tls_buf_printf(&t, "# %s\n\n", _("Next steps"));
    k8tls_buf_printf(&t,
                     dngettext(PACKAGE,
                               "Cluster `%s` in namespace `%s`, for cert-manager: %zu Certificate "
                               "that cert-manager issues and renews inside the cluster. This "
                               "directory holds no key and no store: cert-manager makes them.",
                               "Cluster `%s` in namespace `%s`, for cert-manager: %zu Certificates "
                               "that cert-manager issues and renews inside the cluster. This "
                               "directory holds no key and no store: cert-manager makes them.",
                               ncert),
                     id->name, ns, ncert);
    k8tls_buf_puts(&t, "\n\n");
    objects_table(&t, p, b);

    /* ---- 1. install checks ---- */
    k8tls_buf_printf(&t, "## 1. %s\n\n", _("Check what must be installed"));
    k8tls_buf_printf(&t, "%s\n\n",
                     _("cert-manager must run in every Kubernetes context that runs a "
                       "datacenter (1.15 or later: the PKCS#12 profile needs 1.14, the JKS alias "
                       "1.15). Its CRDs and its webhook must answer before anything is applied:"));
    k8tls_buf_printf(&t, "```sh\nkubectl get crd certificates.cert-manager.io issuers.cert-manager.io "
                         "clusterissuers.cert-manager.io\n"
                         "kubectl -n %s rollout status deploy/cert-manager-webhook\n```\n\n",
                     k8tls_cm_namespace(p));
    if (cluster_issuer)
        k8tls_buf_printf(&t, _("A ClusterIssuer reads its CA Secret from cert-manager's cluster "
                               "resource namespace: the CA Certificate and its Secret are written "
                               "in `%s` (output.certManagerNamespace), which must be the "
                               "`--cluster-resource-namespace` cert-manager runs with (with the "
                               "Helm chart, the namespace it is installed in)."),
                         k8tls_cm_namespace(p));
    if (cluster_issuer)
        k8tls_buf_puts(&t, "\n\n");
    if (p->output.trust_manager) {
        k8tls_buf_printf(&t, _("trust-manager must run too, with Secret targets turned on: the "
                               "Bundle `%s` writes the Secret `%s` (the truststores). Without "
                               "them the Bundle stays `Synced=False` with the reason "
                               "`SecretTargetsDisabled`. Install or upgrade it with the Helm "
                               "values `secretTargets.enabled=true` and "
                               "`secretTargets.authorizedSecrets={%s}` (the controller flag "
                               "`--secret-targets-enabled`); it reads the Bundle's sources from "
                               "its trust namespace, which must be `%s` "
                               "(output.certManagerNamespace):"),
                         bundle, bundle, bundle, k8tls_cm_namespace(p));
        k8tls_buf_puts(&t, "\n\n```sh\nkubectl get crd bundles.trust.cert-manager.io\n");
        k8tls_buf_printf(&t, "kubectl -n %s get deploy trust-manager "
                             "-o jsonpath='{.spec.template.spec.containers[0].args}' "
                             "| grep -e --secret-targets-enabled=true\n```\n\n",
                         k8tls_cm_namespace(p));
        k8tls_buf_printf(&t, _("The Bundle's truststores hold CA certificates only; their "
                               "password, `%s`, is written in the Bundle (it takes no Secret) "
                               "and in the password Secrets, and guards nothing secret."),
                         K8TLS_CM_TRUST_PASSWORD);
        k8tls_buf_puts(&t, "\n\n");
    }
    const char *bucket = p->cluster.medusa.storage_secret;
    bool merge = p->cluster.manifest && *p->cluster.manifest;
    if (!merge && p->cluster.medusa.enabled && bucket && *bucket) {
        k8tls_buf_printf(&t, _("Medusa reads its bucket credentials from the Secret `%s`, which "
                               "the wizard does not write: create it in the namespace `%s` "
                               "before the cluster, under the key `credentials`."),
                         bucket, ns);
        k8tls_buf_puts(&t, "\n\n");
    }
    if (k8tls_plan_wants_reaper_api(p) || k8tls_plan_wants_reaper_mgmt(p)) {
        char *rpw = k8tls_cm_name(p, K8TLS_CM_REAPER_PASSWORD);
        k8tls_buf_printf(&t, _("Reaper's stores are written with the password `%s` (the Secret "
                               "`%s`): Reaper hard-codes it, so it is not a secret."),
                         K8TLS_REAPER_STORE_PASSWORD, rpw ? rpw : "?");
        k8tls_buf_puts(&t, "\n\n");
        free(rpw);
    }
    k8tls_buf_printf(&t, "%s\n\n",
                     _("Secrets of the same names left by an earlier run in files mode must be "
                       "deleted first: cert-manager keeps an existing Secret's type and rewrites "
                       "its data only when it issues."));
    if (!p->output.create_namespace) {
        k8tls_buf_printf(&t, _("The namespace `%s` must exist (or run the wizard with "
                               "--create-namespace)."),
                         ns);
        k8tls_buf_puts(&t, "\n\n");
    }

    /* ---- 2. apply and wait ---- */
    k8tls_buf_printf(&t, "## 2. %s\n\n", _("Apply, and wait for the Certificates"));
    k8tls_buf_printf(&t, "%s\n\n",
                     _("The cluster must come after its Secrets exist: cass-operator checks the "
                       "management API Secrets once and does not retry, and Cassandra pods wait "
                       "for their Secret volumes. Apply everything but the cluster, wait until "
                       "every Certificate is Ready, then apply the cluster (kustomization.yaml "
                       "lists the same order for `kubectl apply -k .` once the Secrets exist):"));
    /* objects written without a namespace (a merge of a manifest without one) need -n */
    char nsopt[300] = "";
    if (id->no_namespace)
        snprintf(nsopt, sizeof nsopt, " -n %s", ns);
    k8tls_buf_printf(&t, "```sh\nkubectl apply%s", nsopt);
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].kind == K8TLS_ART_NAMESPACE || b->v[i].kind == K8TLS_ART_SECRET ||
            b->v[i].kind == K8TLS_ART_CM_OBJECT)
            k8tls_buf_printf(&t, " \\\n  -f %s", b->v[i].path);
    k8tls_buf_puts(&t, "\n");
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (kind_is(a, "Certificate"))
            k8tls_buf_printf(&t, "kubectl -n %s wait --for=condition=Ready certificate/%s "
                                 "--timeout=5m\n",
                             ns_or(a->k8s_namespace, ns), a->k8s_name);
    }
    if (p->output.trust_manager)
        k8tls_buf_printf(&t, "kubectl wait --for=condition=Synced bundle/%s --timeout=5m\n"
                             "kubectl -n %s get secret %s\n",
                         bundle, ns, bundle);
    k8tls_buf_printf(&t, "kubectl apply%s -f manifests/20-k8ssandracluster.yaml\n```\n\n", nsopt);
    k8tls_buf_printf(&t, "%s\n\n", _("To see where they stand, and why one is not Ready:"));
    k8tls_buf_printf(&t, "```sh\nkubectl -n %s get certificate,certificaterequest\n"
                         "kubectl -n %s describe certificate <name>\n```\n\n",
                     ns, ns);
    bool remote = false;
    for (size_t i = 0; i < p->cluster.n_dcs; i++)
        if (p->cluster.dcs[i].k8s_context && *p->cluster.dcs[i].k8s_context)
            remote = true;
    if (remote)
        k8tls_buf_printf(&t, "%s\n\n",
                         _("Every context that runs a datacenter needs the same objects (the "
                           "cluster itself is applied once, in the control-plane context): "
                           "apply the commands above with `--context` for each. The imported "
                           "CA makes their certificates trust each other."));

    /* ---- 3. renewal ---- */
    k8tls_buf_printf(&t, "## 3. %s\n\n", _("What renewal does to running pods"));
    k8tls_buf_printf(&t, "%s\n\n",
                     _("cert-manager renews each Certificate before it expires (renewBefore) "
                       "with a new key (rotationPolicy: Always) and rewrites its Secret in place, "
                       "with the same password. The operator hashes no Secret content, so "
                       "nothing restarts; kubelet refreshes the mounted files within about a "
                       "minute."));
    k8tls_buf_printf(&t, "- %s\n",
                     _("Cassandra reads its keystores and truststores when it starts: plan a "
                       "rolling restart (a K8ssandraTask with the command `restart`) after a "
                       "renewal and before the old certificate expires; the internode truststore "
                       "alone can be reloaded with the command `tsreload`."));
    if (k8tls_plan_wants_mgmt_api(p))
        k8tls_buf_printf(&t, "- %s\n",
                         _("The management API may not notice its new certificate in place: the "
                           "same rolling restart covers it."));
    if (k8tls_plan_wants_reaper_mgmt(p) || k8tls_plan_wants_reaper_api(p))
        k8tls_buf_printf(&t, "- %s\n",
                         _("Reaper rebuilds its management API connections when its store files "
                           "change; its own REST API certificate is read when it starts: restart "
                           "Reaper after a renewal."));
    if (k8tls_plan_wants_medusa_certs(p) || k8tls_plan_wants_medusa_grpc(p))
        k8tls_buf_printf(&t, "- %s\n",
                         _("Medusa reads its certificates when it starts: the rolling restart "
                           "restarts it with Cassandra."));
    k8tls_buf_printf(&t, "- %s\n",
                     _("The CA Certificate keeps its key when it renews (rotationPolicy: Never), "
                       "so the certificates it signed before still verify."));
    bool generated_pw =
        (k8tls_plan_wants_server_stores(p) && !p->stores.server.keystore_password.ref) ||
        (k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE &&
         !p->stores.client.keystore_password.ref);
    if (generated_pw)
        k8tls_buf_printf(&t, "- %s\n",
                         _("The store passwords were generated for this run and are only in the "
                           "password Secrets: running the wizard again makes new ones, and "
                           "applying them changes the stores' passwords, which restarts every "
                           "Cassandra pod. To keep them, give them in the answers as env:NAME or "
                           "file:PATH."));
    if (p->output.trust_manager)
        k8tls_buf_printf(&t, "- %s\n\n",
                         _("A new CA: the truststores come from the trust-manager Bundle, which "
                           "can hold the old and the new CA at once; `k8tls-wizard rotate` "
                           "writes the Bundle change for each phase."));
    else
        k8tls_buf_printf(&t, "- %s\n\n",
                         _("A new CA breaks the cluster while it rolls: cert-manager's "
                           "truststores hold the issuing CA only, never the old and the new "
                           "one. Use `trustManager: true` (a trust-manager Bundle) before a CA "
                           "rotation."));

    /* ---- 4. nodetool (K7): the operator mounts the stores as in files mode ---- */
    if (k8tls_plan_wants_client_stores(p)) {
        const struct k8tls_store_set *cset = p->stores.client.source == K8TLS_SOURCE_REUSE
                                                 ? &p->stores.server : &p->stores.client;
        const char *ft = p->stores.format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12";
        const char *kpw = k8tls_store_key(cset->keys.keystore_password,
                                          K8TLS_CM_KEY_KEYSTORE_PASSWORD);
        const char *tpw = k8tls_store_key(cset->keys.truststore_password,
                                          K8TLS_CM_KEY_TRUSTSTORE_PASSWORD);
        char *pwsec = k8tls_cm_password_secret(cset->secret_name);
        char pod[512];
        snprintf(pod, sizeof pod, "%s-%s-default-sts-0", id->name,
                 p->cluster.n_dcs ? p->cluster.dcs[0].name : "dc1");
        k8tls_buf_printf(&t, "## 4. %s\n\n", _("nodetool over TLS"));
        k8tls_buf_printf(&t, _("Client encryption also turns on JMX over TLS with client-certificate "
                               "authentication. The operator mounts the client stores in each "
                               "Cassandra pod as in files mode; their passwords are in the Secret "
                               "`%s`. To write nodetool's properties into a pod (here `%s`) "
                               "without the passwords appearing on a command line, then run it:"),
                         pwsec ? pwsec : "?", pod);
        k8tls_buf_puts(&t, "\n\n```sh\n");
        k8tls_buf_printf(&t, "NS=%s POD=%s SECRET=%s\n", ns, pod, pwsec ? pwsec : "?");
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
        free(pwsec);
    }

    k8tls_nextsteps_tail(&t, p, b);
    free(bundle);
    if (t.oom) {
        k8tls_buf_free(&t);
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    *out = t.p;
    *len = t.len;
    return 0;
}
