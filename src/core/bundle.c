/* The bundle: plan + material -> the list of artifacts (Secrets, K8ssandraCluster, Namespace,
 * kustomization, CA, stores, Medusa PEMs, answers, NEXT-STEPS.md) that preview, output and apply
 * consume; the artifact container (add, find, remove, free) and the preview of an artifact.
 * Layout: the comment in include/k8tls/bundle.h.
 * The top of the bundle stage: it calls secrets.c, manifest.c, merge.c, nextsteps.c and
 * changes.c, and below the bundle the plan, the PKI, answers and ydoc; none of these calls back
 * into it. Callers: the command line, the TUI and rotation. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/answers.h"
#include "k8tls/buf.h"
#include "k8tls/certmanager.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

/* ---- artifacts -------------------------------------------------------------------------- */

static void artifact_clear(struct k8tls_artifact *a)
{
    if (a->data) {
        if (a->secret)
            OPENSSL_cleanse(a->data, a->len);
        free(a->data);
    }
    free(a->path);
    free(a->k8s_kind);
    free(a->k8s_name);
    free(a->k8s_namespace);
    memset(a, 0, sizeof *a);
}

void k8tls_bundle_free(struct k8tls_bundle *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        artifact_clear(&b->v[i]);
    free(b->v);
    k8tls_bundle_clear_changes(b);
    k8tls_diags_free(&b->notes);
    free(b);
}

const struct k8tls_artifact *k8tls_bundle_find(const struct k8tls_bundle *b, const char *path)
{
    if (!b || !path)
        return NULL;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->v[i].path, path) == 0)
            return &b->v[i];
    return NULL;
}

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Takes ownership of data (wiped and freed on failure when secret). */
static int add_art(struct k8tls_bundle *b, const char *path, void *data, size_t len, mode_t mode,
                   enum k8tls_artifact_kind kind, bool secret, const char *k8s_kind,
                   const char *name, const char *ns)
{
    struct k8tls_artifact *nv = realloc(b->v, (b->n + 1) * sizeof *nv);
    if (!nv)
        goto fail;
    b->v = nv;
    struct k8tls_artifact *a = &b->v[b->n];
    memset(a, 0, sizeof *a);
    a->data = data;
    a->len = len;
    a->mode = mode;
    a->kind = kind;
    a->secret = secret;
    a->path = strdup(path);
    a->k8s_kind = dup0(k8s_kind);
    a->k8s_name = dup0(name);
    a->k8s_namespace = dup0(ns);
    if (!a->path || (k8s_kind && !a->k8s_kind) || (name && !a->k8s_name) ||
        (ns && !a->k8s_namespace)) {
        artifact_clear(a);
        return -1;
    }
    b->n++;
    return 0;
fail:
    if (data && secret)
        OPENSSL_cleanse(data, len);
    free(data);
    return -1;
}

int k8tls_bundle_add(struct k8tls_bundle *b, const char *path, void *data, size_t len, mode_t mode,
                     enum k8tls_artifact_kind kind, bool secret)
{
    return add_art(b, path, data, len, mode, kind, secret, NULL, NULL, NULL);
}

int k8tls_bundle_add_copy(struct k8tls_bundle *b, const char *path, const void *src, size_t len,
                          mode_t mode, enum k8tls_artifact_kind kind, bool secret)
{
    unsigned char *d = malloc(len ? len : 1);
    if (!d)
        return -1;
    if (len)
        memcpy(d, src, len);
    return add_art(b, path, d, len, mode, kind, secret, NULL, NULL, NULL);
}

void k8tls_bundle_remove_kind(struct k8tls_bundle *b, enum k8tls_artifact_kind kind)
{
    size_t w = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (b->v[i].kind == kind)
            artifact_clear(&b->v[i]);
        else
            b->v[w++] = b->v[i];
    }
    b->n = w;
}

/* ---- building --------------------------------------------------------------------------- */

struct build {
    const struct k8tls_plan *p;
    const struct k8tls_material *m;
    struct k8tls_bundle *b;
    struct k8tls_diags *d;
    struct k8tls_identity id;
    char **resources;          /* kustomization entries, in apply order */
    size_t n_resources;
    char **secret_names;       /* to refuse two Secrets with one name */
    size_t n_secret_names;
};

static void error(struct build *c, const char *path, const char *msg)
{
    k8tls_diags_add(c->d, K8TLS_SEV_ERROR, NULL, 0, 0, path, "%s", msg);
}

static void error_e(struct build *c, const struct k8tls_err *e)
{
    k8tls_diags_add_err(c->d, NULL, e);
}

static int oom(struct build *c)
{
    error(c, NULL, _("out of memory"));
    return -1;
}

static int add_resource(struct build *c, const char *path)
{
    char **nv = realloc(c->resources, (c->n_resources + 1) * sizeof *nv);
    if (!nv)
        return -1;
    c->resources = nv;
    if (!(c->resources[c->n_resources] = strdup(path)))
        return -1;
    c->n_resources++;
    return 0;
}

/* Names used in file paths: refuse anything that could leave the directory. */
static bool safe_name(const char *s)
{
    return s && *s && s[0] != '.' && !strchr(s, '/') && strlen(s) <= 253;
}

/* dc: a datacenter to annotate the Secret with (K8TLS_DC_ANNOTATION), or NULL; ns: the
 * Secret's namespace */
static int add_secret_ns(struct build *c, const char *plan_path, const char *name,
                         const char *type, const char *dc, const char *ns,
                         const struct k8tls_kv *items, size_t n)
{
    struct k8tls_err e;
    char *yaml = NULL, path[512];
    size_t len = 0;
    if (!safe_name(name)) {
        error(c, plan_path, _("the Secret name is not a valid name"));
        return -1;
    }
    for (size_t i = 0; i < c->n_secret_names; i++)
        if (strcmp(c->secret_names[i], name) == 0) {
            char msg[512];
            snprintf(msg, sizeof msg, _("the Secret name %s is used twice"), name);
            error(c, plan_path, msg);
            return -1;
        }
    char **nv = realloc(c->secret_names, (c->n_secret_names + 1) * sizeof *nv);
    if (!nv || !(nv[c->n_secret_names] = strdup(name))) {
        if (nv)
            c->secret_names = nv;
        return oom(c);
    }
    c->secret_names = nv;
    c->n_secret_names++;

    k8tls_err_clear(&e);
    if (k8tls_secret_manifest_annotated(name, ns, type, dc ? K8TLS_DC_ANNOTATION : NULL,
                                        dc, items, n, &yaml, &len, &e) < 0) {
        error_e(c, &e);
        return -1;
    }
    snprintf(path, sizeof path, "manifests/10-secret-%s.yaml", name);
    if (add_art(c->b, path, yaml, len, 0600, K8TLS_ART_SECRET, true, "Secret", name, ns) < 0 ||
        add_resource(c, path) < 0)
        return oom(c);
    return 0;
}

static int add_secret_dc(struct build *c, const char *plan_path, const char *name,
                         const char *type, const char *dc, const struct k8tls_kv *items, size_t n)
{
    return add_secret_ns(c, plan_path, name, type, dc, c->id.no_namespace ? NULL : c->id.namespace_,
                         items, n);
}

static int add_secret_typed(struct build *c, const char *plan_path, const char *name,
                            const char *type, const struct k8tls_kv *items, size_t n)
{
    return add_secret_dc(c, plan_path, name, type, NULL, items, n);
}

static int add_secret(struct build *c, const char *plan_path, const char *name,
                      const struct k8tls_kv *items, size_t n)
{
    return add_secret_typed(c, plan_path, name, "Opaque", items, n);
}

static int store_secret(struct build *c, const char *plan_path, const struct k8tls_store_set *s,
                        const struct k8tls_store_pair *sp)
{
    const struct k8tls_secret_keys *k = &s->keys;
    if (!sp->present || !sp->keystore || !sp->truststore || !sp->keystore_password ||
        !sp->truststore_password) {
        error(c, plan_path, _("the stores were not generated"));
        return -1;
    }
    /* K2 keys; passwords as their exact bytes, no trailing newline (K11). */
    struct k8tls_kv items[4] = {
        {k8tls_store_key(k->keystore, K8TLS_SECRET_KEY_KEYSTORE), sp->keystore->data, sp->keystore->len},
        {k8tls_store_key(k->truststore, K8TLS_SECRET_KEY_TRUSTSTORE), sp->truststore->data,
         sp->truststore->len},
        {k8tls_store_key(k->keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD),
         (const unsigned char *)sp->keystore_password, strlen(sp->keystore_password)},
        {k8tls_store_key(k->truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD),
         (const unsigned char *)sp->truststore_password, strlen(sp->truststore_password)},
    };
    if (add_secret(c, plan_path, s->secret_name, items, 4) < 0)
        return -1;

    /* The raw stores, for the operator's records. */
    char path[512];
    const char *names[4] = {K8TLS_SECRET_KEY_KEYSTORE, K8TLS_SECRET_KEY_TRUSTSTORE, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD,
                            K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD};
    enum k8tls_artifact_kind kinds[4] = {K8TLS_ART_STORE, K8TLS_ART_STORE, K8TLS_ART_PASSWORD,
                                         K8TLS_ART_PASSWORD};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "stores/%s/%s", s->secret_name, names[i]);
        if (k8tls_bundle_add_copy(c->b, path, items[i].data, items[i].len, 0600, kinds[i],
                                  true) < 0)
            return oom(c);
    }
    return 0;
}

static int medusa_secret(struct build *c)
{
    const struct k8tls_material *m = c->m;
    const char *name = c->p->encryption.medusa.secret_name;
    if (!m->medusa_present || !m->medusa_ca_pem || !m->medusa_cert_pem || !m->medusa_key_pem) {
        error(c, "encryption.medusa", _("the Medusa certificate was not generated"));
        return -1;
    }
    struct k8tls_kv items[3] = {
        {K8TLS_MEDUSA_KEY_CA, (const unsigned char *)m->medusa_ca_pem, strlen(m->medusa_ca_pem)},
        {K8TLS_MEDUSA_KEY_CERT, (const unsigned char *)m->medusa_cert_pem,
         strlen(m->medusa_cert_pem)},
        {K8TLS_MEDUSA_KEY_KEY, m->medusa_key_pem->data, m->medusa_key_pem->len},
    };
    if (add_secret(c, "encryption.medusa.secretName", name, items, 3) < 0)
        return -1;
    if (k8tls_bundle_add_copy(c->b, "medusa/rootca.crt", items[0].data, items[0].len, 0644,
                              K8TLS_ART_PEM, false) < 0 ||
        k8tls_bundle_add_copy(c->b, "medusa/client.crt_signed", items[1].data, items[1].len,
                              0644, K8TLS_ART_PEM, false) < 0 ||
        k8tls_bundle_add_copy(c->b, "medusa/client.key", items[2].data, items[2].len, 0600,
                              K8TLS_ART_PEM, true) < 0)
        return oom(c);
    return 0;
}

/* The raw files of a Secret of SPEC §10: tls/<secret>/<key>. */
static int surface_files(struct build *c, const char *name, const struct k8tls_kv *items,
                         size_t n, enum k8tls_artifact_kind kind, const bool *secret)
{
    char path[600];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "tls/%s/%s", name, items[i].key);
        if (k8tls_bundle_add_copy(c->b, path, items[i].data, items[i].len,
                                  secret[i] ? 0600 : 0644, kind, secret[i]) < 0)
            return oom(c);
    }
    return 0;
}

/* M1, R1 (client), G1: ca.crt, tls.crt, tls.key (PKCS#8); type kubernetes.io/tls, which
 * cass-operator demands of the management API's Secrets and the others accept. */
static int trio_secret_dc(struct build *c, const char *plan_path, const char *name,
                          const char *dc, const struct k8tls_pem_trio *t)
{
    if (!t->present || !t->ca_pem || !t->cert_pem || !t->key_pem) {
        error(c, plan_path, _("the certificate was not generated"));
        return -1;
    }
    struct k8tls_kv items[3] = {
        {K8TLS_TLS_KEY_CA, (const unsigned char *)t->ca_pem, strlen(t->ca_pem)},
        {K8TLS_TLS_KEY_CERT, (const unsigned char *)t->cert_pem, strlen(t->cert_pem)},
        {K8TLS_TLS_KEY_KEY, t->key_pem->data, t->key_pem->len},
    };
    static const bool secret[3] = {false, false, true};
    if (add_secret_dc(c, plan_path, name, "kubernetes.io/tls", dc, items, 3) < 0)
        return -1;
    return surface_files(c, name, items, 3, K8TLS_ART_PEM, secret);
}

static int trio_secret(struct build *c, const char *plan_path, const char *name,
                       const struct k8tls_pem_trio *t)
{
    return trio_secret_dc(c, plan_path, name, NULL, t);
}

/* M2: the datacenter the management API's Secrets name (K8TLS_DC_ANNOTATION), so that
 * cass-operator validates it again when they change (it watches no other Secret): the first of
 * the control-plane context, else the first. --apply names each context's own (kube.c). */
static const char *mgmt_dc(const struct k8tls_plan *p)
{
    for (size_t i = 0; i < p->cluster.n_dcs; i++)
        if (!p->cluster.dcs[i].k8s_context || !*p->cluster.dcs[i].k8s_context)
            return p->cluster.dcs[i].name;
    return p->cluster.n_dcs ? p->cluster.dcs[0].name : NULL;
}

/* R1 (server), R2: keystore.jks and truststore.jks, password changeit (Reaper's own). */
static int jks_secret(struct build *c, const char *plan_path, const char *name,
                      const struct k8tls_store_pair *sp)
{
    if (!sp->present || !sp->keystore || !sp->truststore) {
        error(c, plan_path, _("the stores were not generated"));
        return -1;
    }
    struct k8tls_kv items[2] = {
        {K8TLS_REAPER_KEY_KEYSTORE, sp->keystore->data, sp->keystore->len},
        {K8TLS_REAPER_KEY_TRUSTSTORE, sp->truststore->data, sp->truststore->len},
    };
    static const bool secret[2] = {true, true};
    if (add_secret(c, plan_path, name, items, 2) < 0)
        return -1;
    return surface_files(c, name, items, 2, K8TLS_ART_STORE, secret);
}

/* The Secrets of SPEC §10, after the stores' (all of them before the cluster: M2). */
static int surface_secrets(struct build *c)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_material *m = c->m;
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper,
                                   *mg = &p->encryption.medusa_grpc;
    if (k8tls_plan_wants_mgmt_api(p) &&
        (trio_secret_dc(c, "encryption.managementApi.serverSecretName", ma->server_secret_name,
                        mgmt_dc(p), &m->mgmt_server) < 0 ||
         trio_secret_dc(c, "encryption.managementApi.clientSecretName", ma->client_secret_name,
                        mgmt_dc(p), &m->mgmt_client) < 0))
        return -1;
    if (k8tls_plan_wants_reaper_mgmt(p) &&
        jks_secret(c, "encryption.reaper.managementSecretName", rp->management_secret_name,
                   &m->reaper_mgmt) < 0)
        return -1;
    if (k8tls_plan_wants_reaper_api(p) &&
        (jks_secret(c, "encryption.reaper.serverSecretName", rp->server_secret_name,
                    &m->reaper_server) < 0 ||
         trio_secret(c, "encryption.reaper.clientSecretName", rp->client_secret_name,
                     &m->reaper_client) < 0))
        return -1;
    if (k8tls_plan_wants_medusa_grpc(p) &&
        (trio_secret(c, "encryption.medusaGrpc.serverSecretName", mg->server_secret_name,
                     &m->grpc_server) < 0 ||
         trio_secret(c, "encryption.medusaGrpc.clientSecretName", mg->client_secret_name,
                     &m->grpc_client) < 0))
        return -1;
    return 0;
}

/* O1: clients/ for cqlsh and nodetool run inside a Cassandra pod (NEXT-STEPS.md copies the
 * directory to K8TLS_CLIENTS_DIR there): the CA, cqlsh's certificate when the nodes ask for one,
 * cqlshrc, and nodetool's TLS properties with the client stores' passwords (0600). */
static int client_files(struct build *c)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_material *m = c->m;
    const struct k8tls_store_pair *sp = m->client.present ? &m->client : &m->server;
    struct k8tls_buf t = {0};
    const char *ft = p->stores.format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12";
    if (!m->ca_cert_pem ||
        k8tls_bundle_add_copy(c->b, "clients/ca.pem", m->ca_cert_pem, strlen(m->ca_cert_pem),
                              0644, K8TLS_ART_PEM, false) < 0)
        return oom(c);
    bool cert = m->ops_client.present;
    if (cert &&
        (k8tls_bundle_add_copy(c->b, "clients/client.crt", m->ops_client.cert_pem,
                               strlen(m->ops_client.cert_pem), 0644, K8TLS_ART_PEM, false) < 0 ||
         k8tls_bundle_add_copy(c->b, "clients/client.key", m->ops_client.key_pem->data,
                               m->ops_client.key_pem->len, 0600, K8TLS_ART_PEM, true) < 0))
        return oom(c);
    k8tls_buf_printf(&t, "; %s\n", _("cqlsh over TLS to the node it runs on: see NEXT-STEPS.md"));
    k8tls_buf_printf(&t, "[connection]\nhostname = 127.0.0.1\nport = 9042\nssl = true\n\n"
                         "[ssl]\ncertfile = %s/ca.pem\nvalidate = true\n", K8TLS_CLIENTS_DIR);
    if (cert)
        k8tls_buf_printf(&t, "userkey = %s/client.key\nusercert = %s/client.crt\n",
                         K8TLS_CLIENTS_DIR, K8TLS_CLIENTS_DIR);
    if (t.oom || k8tls_bundle_add(c->b, "clients/cqlshrc", t.p, t.len, 0644, K8TLS_ART_DOC,
                                  false) < 0)
        return oom(c);
    memset(&t, 0, sizeof t);
    if (sp->present && sp->keystore_password && sp->truststore_password) {
        /* the stores the operator mounts in each pod (K7) */
        k8tls_buf_printf(&t,
                         "-Djavax.net.ssl.keyStore=/mnt/client-keystore/keystore\n"
                         "-Djavax.net.ssl.keyStorePassword=%s\n"
                         "-Djavax.net.ssl.keyStoreType=%s\n"
                         "-Djavax.net.ssl.trustStore=/mnt/client-truststore/truststore\n"
                         "-Djavax.net.ssl.trustStorePassword=%s\n"
                         "-Djavax.net.ssl.trustStoreType=%s\n",
                         sp->keystore_password, ft, sp->truststore_password, ft);
        if (t.oom) {
            if (t.p)
                OPENSSL_cleanse(t.p, t.len);
            free(t.p);
            return oom(c);
        }
        if (k8tls_bundle_add(c->b, "clients/nodetool-ssl.properties", t.p, t.len, 0600,
                             K8TLS_ART_PASSWORD, true) < 0)
            return oom(c);
    }
    return 0;
}

/* ---- cert-manager mode: the sink of certmanager.c -------------------------------------- */

static int cm_add(void *ud, const char *path, char *yaml, size_t len, const char *k8s_kind,
                  const char *name, const char *ns)
{
    struct build *c = ud;
    if (add_art(c->b, path, yaml, len, 0644, K8TLS_ART_CM_OBJECT, false, k8s_kind, name, ns) < 0 ||
        add_resource(c, path) < 0)
        return oom(c);
    return 0;
}

static int cm_secret(void *ud, const char *plan_path, const char *name, const char *type,
                     const char *ns, const struct k8tls_kv *items, size_t n)
{
    return add_secret_ns(ud, plan_path, name, type, NULL, ns, items, n);
}

static int cm_objects(struct build *c)
{
    const struct k8tls_cm_sink sink = {.ud = c, .add = cm_add, .secret = cm_secret};
    return k8tls_cm_emit(c->p, c->m, &c->id, &sink, c->d);
}

static bool has_note_path(const struct k8tls_diags *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].path && strcmp(d->v[i].path, path) == 0)
            return true;
    return false;
}

/* K12, K15, K8: warnings shown with the result. */
static void plan_notes(struct build *c)
{
    const struct k8tls_plan *p = c->p;
    struct k8tls_diags *n = &c->b->notes;
    enum k8tls_internode_mode mode = p->encryption.internode.mode;
    if (p->encryption.internode.require_client_auth &&
        (mode == K8TLS_INTERNODE_DC || mode == K8TLS_INTERNODE_RACK) &&
        !has_note_path(n, "encryption.internode.mode"))
        k8tls_diags_add(n, K8TLS_SEV_WARNING, NULL, 0, 0, "encryption.internode.mode", "%s",
                        mode == K8TLS_INTERNODE_DC
                            ? _("with internode_encryption dc, Cassandra lets nodes of the same "
                                "datacenter talk without TLS, bypassing require_client_auth; "
                                "`all` is advised")
                            : _("with internode_encryption rack, Cassandra lets nodes of the same "
                                "rack talk without TLS, bypassing require_client_auth; `all` is "
                                "advised"));
    if (p->cluster.stargate.enabled && !has_note_path(n, "cluster.stargate.enabled"))
        k8tls_diags_add(n, K8TLS_SEV_WARNING, NULL, 0, 0, "cluster.stargate.enabled", "%s",
                        _("Stargate is marked DEPRECATED in the current K8ssandraCluster CRD; "
                          "it inherits the encryption settings"));
    bool merge = p->cluster.manifest && *p->cluster.manifest;
    if (!merge && p->cluster.medusa.enabled && p->encryption.client.enabled &&
        !k8tls_plan_wants_medusa_certs(p) && !has_note_path(n, "encryption.medusa"))
        k8tls_diags_add(n, K8TLS_SEV_WARNING, NULL, 0, 0, "encryption.medusa", "%s",
                        _("Medusa with client encryption needs a client certificate: the "
                          "operator refuses the cluster without one"));
}

/* The answers of a merge whose manifest has no namespace, when the answers named none: the
 * default namespace the emitter writes would be one the answers name on a replay (and go into
 * the manifest): its line under cluster: goes. */
static void drop_cluster_namespace(char *text, size_t *len)
{
    char *end = text + *len;
    char *c = memmem(text, *len, "\ncluster:\n", 10);
    if (!c)
        return;
    for (char *l = c + 10; l < end && *l == ' ';) {
        char *nl = memchr(l, '\n', (size_t)(end - l));
        char *next = nl ? nl + 1 : end;
        if ((size_t)(end - l) > 13 && memcmp(l, "  namespace: ", 13) == 0) {
            memmove(l, next, (size_t)(end - next));
            *len -= (size_t)(next - l);
            text[*len] = '\0';
            return;
        }
        l = next;
    }
}

static int build(struct build *c)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_material *m = c->m;
    struct k8tls_err e;
    char *text = NULL;
    size_t len = 0;
    bool merge = p->cluster.manifest && *p->cluster.manifest;

    /* The cluster manifest first: in merge mode it names the namespace of everything. */
    k8tls_err_clear(&e);
    if (merge) {
        if (k8tls_manifest_merge(p, c->b, &text, &len, &c->id, &e) < 0) {
            error_e(c, &e);
            return -1;
        }
    } else {
        c->id.name = dup0(p->cluster.name);
        c->id.namespace_ = dup0(p->cluster.namespace_);
        c->id.dse = p->cluster.server_type == K8TLS_SERVER_DSE;
        if (!c->id.name || !c->id.namespace_)
            return oom(c);
        if (k8tls_manifest_new(p, &text, &len, &e) < 0) {
            error_e(c, &e);
            return -1;
        }
    }
    char *cluster_yaml = text;
    size_t cluster_len = len;
    text = NULL;

    if (p->output.create_namespace) {
        if (k8tls_namespace_manifest(c->id.namespace_, &text, &len, &e) < 0) {
            free(cluster_yaml);
            error_e(c, &e);
            return -1;
        }
        if (add_art(c->b, "manifests/00-namespace.yaml", text, len, 0644, K8TLS_ART_NAMESPACE,
                    false, "Namespace", c->id.namespace_, NULL) < 0 ||
            add_resource(c, "manifests/00-namespace.yaml") < 0) {
            free(cluster_yaml);
            return oom(c);
        }
    }

    int rc = 0;
    bool cm = k8tls_plan_cert_manager(p);
    if (cm)
        rc = cm_objects(c) < 0 ? -1 : 0;
    else if (k8tls_plan_wants_server_stores(p))
        rc |= store_secret(c, "stores.server", &p->stores.server, &m->server);
    if (rc == 0 && !cm && k8tls_plan_wants_client_stores(p) &&
        p->stores.client.source != K8TLS_SOURCE_REUSE)
        rc |= store_secret(c, "stores.client", &p->stores.client, &m->client);
    if (rc == 0 && !cm && k8tls_plan_wants_medusa_certs(p))
        rc |= medusa_secret(c);
    if (rc == 0 && !cm)
        rc |= surface_secrets(c);
    if (rc) {
        free(cluster_yaml);
        return -1;
    }

    if (add_art(c->b, "manifests/20-k8ssandracluster.yaml", cluster_yaml, cluster_len, 0644,
                K8TLS_ART_CLUSTER, false, "K8ssandraCluster", c->id.name,
                c->id.no_namespace ? NULL : c->id.namespace_) < 0 ||
        add_resource(c, "manifests/20-k8ssandracluster.yaml") < 0)
        return oom(c);

    if (k8tls_bundle_kustomization_ordered((const char *const *)c->resources, c->n_resources, cm,
                                           &text, &len, &e) < 0) {
        error_e(c, &e);
        return -1;
    }
    if (c->id.no_namespace) {
        /* objects written without a namespace: kubectl apply -k puts them all in this one (a
         * DNS-1123 label, plain in YAML) */
        char *t = NULL;
        int n = asprintf(&t, "%.*snamespace: %s\n", (int)len, text, c->id.namespace_);
        free(text);
        if (n < 0)
            return oom(c);
        text = t;
        len = (size_t)n;
    }
    if (add_art(c->b, "kustomization.yaml", text, len, 0644, K8TLS_ART_KUSTOMIZATION, false,
                NULL, NULL, NULL) < 0)
        return oom(c);
    if (!cm && p->output.client_files && k8tls_plan_wants_client_stores(p) && client_files(c) < 0)
        return -1;

    /* cert-manager mode: no keys in the directory (cert-manager makes them in the cluster) */
    if (!cm && m->ca_cert_pem &&
        k8tls_bundle_add_copy(c->b, "ca/rootca.crt", m->ca_cert_pem, strlen(m->ca_cert_pem),
                              0644, K8TLS_ART_CA_CERT, false) < 0)
        return oom(c);
    if (!cm && m->ca_key_pem &&
        k8tls_bundle_add_copy(c->b, "ca/rootca.key", m->ca_key_pem->data, m->ca_key_pem->len,
                              0600, K8TLS_ART_CA_KEY, true) < 0)
        return oom(c);

    /* The answers that produced it: literal passwords left out, env:/file: references kept,
     * relative paths made absolute (they were relative to the answers file given, not to this
     * copy: it replays from the output directory). */
    text = NULL;
    if (k8tls_answers_emit_buf(p, K8TLS_EMIT_OMIT_LITERAL_PW | K8TLS_EMIT_ABSOLUTE_PATHS, &text,
                               &len, &e) < 0) {
        error_e(c, &e);
        return -1;
    }
    if (c->id.no_namespace)
        drop_cluster_namespace(text, &len);
    if (add_art(c->b, "answers.yaml", text, len, 0644, K8TLS_ART_ANSWERS, false, NULL, NULL,
                NULL) < 0)
        return oom(c);

    plan_notes(c);

    text = NULL;
    if (cm ? k8tls_cm_nextsteps_text(p, &c->id, c->b, &text, &len, &e) < 0
           : k8tls_nextsteps_text(p, m, &c->id, c->b, &text, &len, &e) < 0) {
        error_e(c, &e);
        return -1;
    }
    if (add_art(c->b, "NEXT-STEPS.md", text, len, 0644, K8TLS_ART_DOC, false, NULL, NULL,
                NULL) < 0)
        return oom(c);
    return 0;
}

int k8tls_bundle_build(const struct k8tls_plan *p, const struct k8tls_material *m,
                       struct k8tls_bundle **out, struct k8tls_diags *d)
{
    struct build c = {.p = p, .m = m, .d = d};
    *out = NULL;
    if (!p || !m) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("nothing to build: the keys and certificates are missing"));
        return -1;
    }
    c.b = calloc(1, sizeof *c.b);
    if (!c.b)
        return oom(&c);
    k8tls_diags_init(&c.b->notes);
    int rc = build(&c);
    for (size_t i = 0; i < c.n_resources; i++)
        free(c.resources[i]);
    free(c.resources);
    for (size_t i = 0; i < c.n_secret_names; i++)
        free(c.secret_names[i]);
    free(c.secret_names);
    k8tls_identity_clear(&c.id);
    if (rc < 0) {
        k8tls_bundle_free(c.b);
        return -1;
    }
    *out = c.b;
    return 0;
}

/* Copies diags; dedupe: skip one whose path already has a diag of the same severity in to (the
 * plan's validation and the bundle both know K12 and K15). */
static void diags_copy(struct k8tls_diags *to, const struct k8tls_diags *from, bool errors_too,
                       bool dedupe)
{
    for (size_t i = 0; i < from->n; i++) {
        const struct k8tls_diag *g = &from->v[i];
        if (!errors_too && g->sev == K8TLS_SEV_ERROR)
            continue;
        bool dup = false;
        for (size_t j = 0; dedupe && g->path && j < to->n; j++)
            if (to->v[j].path && to->v[j].sev == g->sev && strcmp(to->v[j].path, g->path) == 0)
                dup = true;
        if (!dup)
            k8tls_diags_add(to, g->sev, g->file, g->line, g->col, g->path, "%s", g->msg);
    }
}

int k8tls_bundle_from_plan(struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                           struct k8tls_bundle **out, struct k8tls_diags *d)
{
    struct k8tls_diags pre, own;
    struct k8tls_material *m = NULL;
    int rc = -1;
    *out = NULL;
    k8tls_diags_init(&pre);
    k8tls_diags_init(&own);
    /* Merge mode: the manifest's name, namespace and datacenters shape the certificates. */
    if (k8tls_bundle_adopt_manifest(p, &pre) < 0)
        goto done;
    if (k8tls_plan_validate(p, &pre) > 0 || k8tls_plan_resolve(p, &pre) > 0)
        goto done;
    if (k8tls_pki_build(p, progress, ud, &m, &pre) < 0)
        goto done;
    if (k8tls_bundle_build(p, m, out, &own) < 0)
        goto done;
    /* The notes: what the earlier steps warned about, then the bundle's own. */
    struct k8tls_bundle *b = *out;
    diags_copy(&pre, &b->notes, true, true);
    k8tls_diags_free(&b->notes);
    k8tls_diags_init(&b->notes);
    diags_copy(&b->notes, &pre, false, false);
    rc = 0;
done:
    if (rc < 0) {
        diags_copy(d, &pre, true, false);
        diags_copy(d, &own, true, false);
    }
    k8tls_material_free(m);
    k8tls_diags_free(&pre);
    k8tls_diags_free(&own);
    return rc;
}

/* ---- preview ---------------------------------------------------------------------------- */

#define MASK "********"

static bool printable_text(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') || s[i] == 0x7f)
            return false;
    return true;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A Secret with its data values masked, or decoded when revealed and text. */
static char *preview_secret(const struct k8tls_artifact *a,
                            bool (*reveal)(void *ud, const char *key), void *ud)
{
    yaml_parser_t parser;
    struct ydoc y;
    char *out = NULL;
    size_t len = 0;
    const char *why;
    if (!yaml_parser_initialize(&parser))
        return NULL;
    memset(&y, 0, sizeof y);
    yaml_parser_set_input_string(&parser, a->data, a->len);
    int ok = yaml_parser_load(&parser, &y.doc);
    yaml_parser_delete(&parser);
    if (!ok || !ydoc_root(&y)) {
        if (ok)
            ydoc_free(&y);
        return NULL;
    }
    int data = ydoc_map_get(&y, 1, "data");
    yaml_node_t *n = ydoc_node(&y, data);
    if (n && n->type == YAML_MAPPING_NODE) {
        size_t count = ydoc_map_len(&y, data);
        for (size_t i = 0; i < count; i++) {
            n = ydoc_node(&y, data);
            yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
            const char *key = ydoc_scalar(&y, pr->key);
            const char *val = ydoc_scalar(&y, pr->value);
            int nv;
            if (!key || !val)
                continue;
            if (reveal && reveal(ud, key)) {
                size_t vl = strlen(val);
                unsigned char *dec = malloc(vl / 4 * 3 + 4);
                int dl = dec ? EVP_DecodeBlock(dec, (const unsigned char *)val, (int)vl) : -1;
                if (dl >= 0) {
                    /* EVP_DecodeBlock counts the padding as zero bytes. */
                    if (vl >= 1 && val[vl - 1] == '=')
                        dl--;
                    if (vl >= 2 && val[vl - 2] == '=')
                        dl--;
                }
                if (dl >= 0 && printable_text(dec, (size_t)dl)) {
                    dec[dl] = '\0';
                    nv = yaml_document_add_scalar(&y.doc, NULL, dec, dl,
                                                  memchr(dec, '\n', (size_t)dl)
                                                      ? YAML_LITERAL_SCALAR_STYLE
                                                      : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
                } else {
                    nv = 0;   /* binary: the base64 stays */
                }
                if (dec) {
                    OPENSSL_cleanse(dec, vl / 4 * 3 + 4);
                    free(dec);
                }
            } else {
                nv = ydoc_str(&y, MASK);
            }
            if (nv) {
                n = ydoc_node(&y, data);
                n->data.mapping.pairs.start[i].value = nv;
            }
        }
    }
    if (ydoc_emit(&y, 1, &out, &len, &why) < 0)
        return NULL;
    return out;
}

char *k8tls_artifact_preview(const struct k8tls_artifact *a,
                             bool (*reveal)(void *ud, const char *key), void *ud)
{
    char buf[256];
    if (!a)
        return strdup("");
    switch (a->kind) {
    case K8TLS_ART_SECRET: {
        char *s = preview_secret(a, reveal, ud);
        return s ? s : strdup(MASK "\n");
    }
    case K8TLS_ART_STORE:
        snprintf(buf, sizeof buf, _("(binary store, %zu bytes: see `k8tls-wizard inspect %s`)\n"),
                 a->len, a->path);
        return strdup(buf);
    default:
        break;
    }
    if (a->secret && !(reveal && reveal(ud, a->path)) &&
        !(reveal && reveal(ud, basename_of(a->path))))
        return strdup(MASK "\n");
    char *s = malloc(a->len + 1);
    if (!s)
        return NULL;
    memcpy(s, a->data, a->len);
    s[a->len] = '\0';
    return s;
}
