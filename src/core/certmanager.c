/* cert-manager output (SPEC §11, doc/rules.md C1-C8): the plan as Issuers, Certificates,
 * password Secrets and a trust-manager Bundle instead of generated stores. Every object through
 * libyaml (ydoc); the layout and the names are in include/k8tls/certmanager.h.
 * Called by bundle.c (k8tls_cm_emit, through a sink that adds the artifacts and builds the
 * Secrets with secrets.c), manifest.c and certmanager_doc.c (the names). Calls, below the bundle,
 * ydoc.c, sans.c (the node SANs), the PKI (PEM of an imported CA), import.c (a surface's CA), the
 * plan and err.c; never bundle.c, manifest.c or merge.c. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/certmanager.h"
#include "k8tls/i18n.h"
#include "k8tls/store.h"
#include "k8tls/strv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

/* ---- names ------------------------------------------------------------------------------ */

bool k8tls_plan_cert_manager(const struct k8tls_plan *p)
{
    return p && p->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
}

char *k8tls_cm_name(const struct k8tls_plan *p, enum k8tls_cm_name what)
{
    static const char *const suffix[] = {
        [K8TLS_CM_SELFSIGNED_ISSUER] = "selfsigned",
        [K8TLS_CM_CA_CERTIFICATE] = "ca",
        [K8TLS_CM_CA_ISSUER] = "ca-issuer",
        [K8TLS_CM_TRUST_BUNDLE] = "ca-bundle",
        [K8TLS_CM_REAPER_PASSWORD] = "reaper-keystore-password",
    };
    char *s = NULL;
    if ((unsigned)what >= sizeof suffix / sizeof suffix[0])
        return NULL;
    if (asprintf(&s, "%s-%s", p->cluster.name ? p->cluster.name : "", suffix[what]) < 0)
        return NULL;
    return s;
}

char *k8tls_cm_password_secret(const char *store_secret)
{
    char *s = NULL;
    if (asprintf(&s, "%s-password", store_secret ? store_secret : "") < 0)
        return NULL;
    return s;
}

const char *k8tls_cm_issuer_kind(const struct k8tls_plan *p)
{
    return p->output.issuer_kind == K8TLS_ISSUER_CLUSTER ? "ClusterIssuer" : "Issuer";
}

const char *k8tls_cm_namespace(const struct k8tls_plan *p)
{
    return p->output.cm_namespace && *p->output.cm_namespace ? p->output.cm_namespace
                                                             : K8TLS_CM_CLUSTER_RESOURCE_NAMESPACE;
}

const char *k8tls_cm_ca_namespace(const struct k8tls_plan *p)
{
    return p->output.issuer_kind == K8TLS_ISSUER_CLUSTER ? k8tls_cm_namespace(p)
                                                         : p->cluster.namespace_;
}

const char *k8tls_cm_keystore_key(const struct k8tls_plan *p)
{
    return p->stores.format == K8TLS_FORMAT_JKS ? K8TLS_CM_KEY_KEYSTORE_JKS
                                                : K8TLS_CM_KEY_KEYSTORE_P12;
}

const char *k8tls_cm_truststore_key(const struct k8tls_plan *p)
{
    return p->stores.format == K8TLS_FORMAT_JKS ? K8TLS_CM_KEY_TRUSTSTORE_JKS
                                                : K8TLS_CM_KEY_TRUSTSTORE_P12;
}

const char *k8tls_cm_p12_profile(const struct k8tls_plan *p)
{
    return p->stores.p12_profile == K8TLS_P12_LEGACY ? "LegacyDES" : "Modern2023";
}

/* The keys cert-manager writes into the Secret of a leaf Certificate of the plan named secret. */
static const char *leaf_keys(const struct k8tls_plan *p, const char *secret)
{
    const struct k8tls_tls_surface *rp = &p->encryption.reaper;
    bool server = k8tls_plan_wants_server_stores(p) &&
                  strcmp(secret, p->stores.server.secret_name) == 0;
    bool client = k8tls_plan_wants_client_stores(p) &&
                  p->stores.client.source != K8TLS_SOURCE_REUSE &&
                  strcmp(secret, p->stores.client.secret_name) == 0;
    bool reaper_jks =
        (k8tls_plan_wants_reaper_api(p) && strcmp(secret, rp->server_secret_name) == 0) ||
        (k8tls_plan_wants_reaper_mgmt(p) && strcmp(secret, rp->management_secret_name) == 0);
    if (reaper_jks || ((server || client) && p->stores.format == K8TLS_FORMAT_JKS))
        return "ca.crt, tls.crt, tls.key, keystore.jks, truststore.jks";
    if (server || client)
        return "ca.crt, tls.crt, tls.key, keystore.p12, truststore.p12";
    return "ca.crt, tls.crt, tls.key";
}

bool k8tls_cm_product_of(const struct k8tls_plan *p, const struct k8tls_artifact *a,
                         struct k8tls_cm_product *out)
{
    if (!p || !a || a->kind != K8TLS_ART_CM_OBJECT || !a->k8s_kind || !a->k8s_name)
        return false;
    if (strcmp(a->k8s_kind, "Certificate") == 0) {
        /* the wizard names each Certificate after its Secret; the CA's holds the CA */
        bool ca = strstr(a->path, "/12-certificate-") != NULL;
        snprintf(out->secret, sizeof out->secret, "%s", a->k8s_name);
        snprintf(out->ns, sizeof out->ns, "%s", a->k8s_namespace ? a->k8s_namespace : "");
        snprintf(out->keys, sizeof out->keys, "%s",
                 ca ? "ca.crt, tls.crt, tls.key" : leaf_keys(p, a->k8s_name));
        return true;
    }
    if (strcmp(a->k8s_kind, "Bundle") == 0) {
        snprintf(out->secret, sizeof out->secret, "%s", a->k8s_name);
        snprintf(out->ns, sizeof out->ns, "%s", p->cluster.namespace_ ? p->cluster.namespace_ : "");
        snprintf(out->keys, sizeof out->keys, "%s, %s", K8TLS_CM_KEY_CA,
                 k8tls_cm_truststore_key(p));
        return true;
    }
    return false;
}

/* ---- the emitter ------------------------------------------------------------------------ */

struct cm {
    const struct k8tls_plan *p;
    const struct k8tls_material *m;
    const struct k8tls_identity *id;
    const struct k8tls_cm_sink *sink;
    struct k8tls_diags *d;
    const char *ns;            /* the cluster's objects' namespace (NULL: written without) */
    char *ca_issuer;           /* the CA Issuer's name */
    struct k8tls_key_spec leaf_key;
    /* a CA imported for one surface (SPEC §10): its CA Issuer's name, or NULL (the cluster's) */
    char *surface_issuer[3];
};

enum { SURF_MGMT, SURF_REAPER, SURF_GRPC };
static const char *const surface_slug[3] = {"mgmt-api", "reaper-api", "medusa-grpc"};

static int oom(struct cm *c)
{
    k8tls_diags_add(c->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
    return -1;
}

/* metadata {name, namespace, labels {managed-by}} */
static int metadata(struct ydoc *y, const char *name, const char *ns)
{
    int md = ydoc_map(y);
    ydoc_map_add(y, md, "name", ydoc_str(y, name));
    if (ns && *ns)
        ydoc_map_add(y, md, "namespace", ydoc_str(y, ns));
    int labels = ydoc_map_add(y, md, "labels", ydoc_map(y));
    ydoc_map_add(y, labels, K8TLS_MANAGED_BY_LABEL, ydoc_str(y, K8TLS_MANAGED_BY_VALUE));
    return md;
}

/* A document with apiVersion, kind, metadata; returns the root or 0. */
static int object(struct ydoc *y, const char *api, const char *kind, const char *name,
                  const char *ns)
{
    int root = ydoc_map(y);
    ydoc_map_add(y, root, "apiVersion", ydoc_str(y, api));
    ydoc_map_add(y, root, "kind", ydoc_str(y, kind));
    ydoc_map_add(y, root, "metadata", metadata(y, name, ns));
    return root;
}

/* Emits y as manifests/<prefix>-<name>.yaml and hands it to the sink (in apply order). */
static int emit(struct cm *c, struct ydoc *y, const char *prefix, const char *kind,
                const char *name, const char *ns)
{
    char *text = NULL, path[600];
    size_t len = 0;
    const char *why = NULL;
    if (y->oom) {
        ydoc_free(y);
        return oom(c);
    }
    if (ydoc_emit(y, 1, &text, &len, &why) < 0) {
        k8tls_diags_add(c->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, _("%s %s: cannot write YAML: %s"),
                        kind, name, why);
        return -1;
    }
    snprintf(path, sizeof path, "manifests/%s-%s.yaml", prefix, name);
    return c->sink->add(c->sink->ud, path, text, len, kind, name, ns);
}

/* ---- password Secrets and the imported CA's Secret (10-) --------------------------------- */

/* The password Secret of a store set: keystore-password (cert-manager's passwordSecretRef and
 * the cluster's keystorePasswordSecretRef) and truststore-password: the same password, since
 * cert-manager writes both stores with one; the trust Bundle's with trustManager (C6). */
static int password_secret(struct cm *c, const char *plan_path, const struct k8tls_store_set *s,
                           const struct k8tls_store_pair *sp)
{
    if (!sp->present || !sp->keystore_password) {
        k8tls_diags_add(c->d, K8TLS_SEV_ERROR, NULL, 0, 0, plan_path, "%s",
                        _("the store password was not generated"));
        return -1;
    }
    const char *ts = c->p->output.trust_manager ? K8TLS_CM_TRUST_PASSWORD : sp->keystore_password;
    struct k8tls_kv items[2] = {
        {k8tls_store_key(s->keys.keystore_password, K8TLS_CM_KEY_KEYSTORE_PASSWORD),
         (const unsigned char *)sp->keystore_password, strlen(sp->keystore_password)},
        {k8tls_store_key(s->keys.truststore_password, K8TLS_CM_KEY_TRUSTSTORE_PASSWORD),
         (const unsigned char *)ts, strlen(ts)},
    };
    char *name = k8tls_cm_password_secret(s->secret_name);
    if (!name)
        return oom(c);
    size_t n = strcmp(items[0].key, items[1].key) == 0 ? 1 : 2;
    int rc = c->sink->secret(c->sink->ud, plan_path, name, "Opaque", c->ns, items, n);
    free(name);
    return rc;
}

static int reaper_password_secret(struct cm *c)
{
    struct k8tls_kv item = {K8TLS_CM_KEY_KEYSTORE_PASSWORD,
                            (const unsigned char *)K8TLS_REAPER_STORE_PASSWORD,
                            strlen(K8TLS_REAPER_STORE_PASSWORD)};
    char *name = k8tls_cm_name(c->p, K8TLS_CM_REAPER_PASSWORD);
    if (!name)
        return oom(c);
    int rc = c->sink->secret(c->sink->ud, "encryption.reaper", name, "Opaque", c->ns, &item, 1);
    free(name);
    return rc;
}

/* C1 with ca.source import: the CA's Secret (tls.crt, tls.key) for the CA Issuer. */
static int imported_ca_secret(struct cm *c)
{
    const struct k8tls_material *m = c->m;
    if (!m->ca_cert_pem || !m->ca_key_pem) {
        k8tls_diags_add(c->d, K8TLS_SEV_ERROR, NULL, 0, 0, "ca.import", "%s",
                        _("the imported CA and its key were not read"));
        return -1;
    }
    struct k8tls_kv items[2] = {
        {K8TLS_CM_KEY_CERT, (const unsigned char *)m->ca_cert_pem, strlen(m->ca_cert_pem)},
        {K8TLS_CM_KEY_KEY, m->ca_key_pem->data, m->ca_key_pem->len},
    };
    char *name = k8tls_cm_name(c->p, K8TLS_CM_CA_CERTIFICATE);
    if (!name)
        return oom(c);
    int rc = c->sink->secret(c->sink->ud, "ca.import", name, "kubernetes.io/tls",
                             k8tls_cm_ca_namespace(c->p), items, 2);
    free(name);
    return rc;
}

/* SPEC §10: a surface that imports its own CA: that CA's Secret (tls.crt, tls.key, beside the
 * cluster's CA) now, its CA Issuer with the others. Sets c->surface_issuer[i]. */
static int surface_ca_secrets(struct cm *c)
{
    const struct k8tls_plan *p = c->p;
    const struct { bool on; const struct k8tls_surface_ca *ca; const char *prefix; } v[3] = {
        [SURF_MGMT] = {k8tls_plan_wants_mgmt_api(p), &p->encryption.management_api.ca,
                       "encryption.managementApi.ca"},
        [SURF_REAPER] = {k8tls_plan_wants_reaper_api(p), &p->encryption.reaper.ca,
                         "encryption.reaper.ca"},
        [SURF_GRPC] = {k8tls_plan_wants_medusa_grpc(p), &p->encryption.medusa_grpc.ca,
                       "encryption.medusaGrpc.ca"},
    };
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        if (!v[i].on || v[i].ca->source != K8TLS_SURFACE_CA_IMPORT)
            continue;
        X509 *cert = NULL;
        EVP_PKEY *key = NULL;
        char *cert_pem = NULL, *name = NULL;
        struct k8tls_secret *key_pem = NULL;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        if (k8tls_import_surface_ca(p, v[i].ca, v[i].prefix, &cert, &key, c->d) != 0 || !key) {
            rc = -1;
        } else if (!(cert_pem = k8tls_pki_cert_pem(cert, &e)) ||
                   !(key_pem = k8tls_pki_key_pem(key, &e))) {
            k8tls_diags_add_err(c->d, v[i].prefix, &e);
            rc = -1;
        } else if (asprintf(&name, "%s-%s-ca", c->id->name, surface_slug[i]) < 0 ||
                   asprintf(&c->surface_issuer[i], "%s-%s-ca-issuer", c->id->name,
                            surface_slug[i]) < 0) {
            name = NULL;
            c->surface_issuer[i] = NULL;
            rc = oom(c);
        } else {
            struct k8tls_kv items[2] = {
                {K8TLS_CM_KEY_CERT, (const unsigned char *)cert_pem, strlen(cert_pem)},
                {K8TLS_CM_KEY_KEY, key_pem->data, key_pem->len},
            };
            rc = c->sink->secret(c->sink->ud, v[i].prefix, name, "kubernetes.io/tls",
                                 k8tls_cm_ca_namespace(p), items, 2);
        }
        free(name);
        free(cert_pem);
        k8tls_secret_free(key_pem);
        X509_free(cert);
        EVP_PKEY_free(key);
    }
    return rc;
}

/* ---- Issuers and the CA Certificate (11-, 12-, 13-) -------------------------------------- */

static int issuer_ref(struct ydoc *y, const char *name, const char *kind)
{
    int m = ydoc_map(y);
    ydoc_map_add(y, m, "name", ydoc_str(y, name));
    ydoc_map_add(y, m, "kind", ydoc_str(y, kind));
    ydoc_map_add(y, m, "group", ydoc_str(y, K8TLS_CM_GROUP));
    return m;
}

/* An Issuer / ClusterIssuer: selfSigned {} or ca {secretName}. */
static int issuer(struct cm *c, const char *prefix, const char *name, const char *ca_secret)
{
    struct ydoc yd, *y = &yd;
    const char *kind = k8tls_cm_issuer_kind(c->p);
    bool cluster = c->p->output.issuer_kind == K8TLS_ISSUER_CLUSTER;
    const char *ns = cluster ? NULL : c->ns;
    if (ydoc_init(y) < 0)
        return oom(c);
    int root = object(y, K8TLS_CM_API_VERSION, kind, name, ns);
    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    if (ca_secret) {
        int ca = ydoc_map_add(y, spec, "ca", ydoc_map(y));
        ydoc_map_add(y, ca, "secretName", ydoc_str(y, ca_secret));
    } else {
        ydoc_map_add(y, spec, "selfSigned", ydoc_map(y));
    }
    return emit(c, y, prefix, kind, name, ns);
}

/* "<hours>h": cert-manager's durations are Go durations. */
static int hours(struct ydoc *y, long days)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%ldh", days * 24);
    return ydoc_str(y, buf);
}

/* renewBefore: 30 days before the end, or a third of the validity when that is shorter than
 * 90 days (cert-manager renews at two thirds of the duration when renewBefore is not set). */
static int renew_before(struct ydoc *y, int days)
{
    char buf[64];
    if (days >= 90)
        snprintf(buf, sizeof buf, "%dh", 30 * 24);
    else
        snprintf(buf, sizeof buf, "%dh", days * 8);
    return ydoc_str(y, buf);
}

static void private_key(struct ydoc *y, int spec, const struct k8tls_key_spec *k,
                        const char *rotation)
{
    int pk = ydoc_map_add(y, spec, "privateKey", ydoc_map(y));
    if (k->alg == K8TLS_KEY_ECDSA) {
        ydoc_map_add(y, pk, "algorithm", ydoc_str(y, "ECDSA"));
        ydoc_map_add(y, pk, "size", ydoc_int(y, k->curve == K8TLS_CURVE_P384 ? 384 : 256));
    } else {
        ydoc_map_add(y, pk, "algorithm", ydoc_str(y, "RSA"));
        ydoc_map_add(y, pk, "size", ydoc_int(y, k->bits > 0 ? k->bits : 3072));
    }
    /* PKCS#8 ("PRIVATE KEY") everywhere: cass-operator refuses PKCS#1 / SEC1 management API keys
     * (C5), Medusa's Python reads it, and the stores re-encode the key anyway. */
    ydoc_map_add(y, pk, "encoding", ydoc_str(y, "PKCS8"));
    ydoc_map_add(y, pk, "rotationPolicy", ydoc_str(y, rotation));
}

static int str_seq(struct ydoc *y, int map, const char *key, const char *v)
{
    if (!v || !*v)
        return 0;
    int s = ydoc_map_add(y, map, key, ydoc_seq(y));
    ydoc_seq_add(y, s, ydoc_str(y, v));
    return s;
}

/* C1: the CA Certificate, issued by the self-signed Issuer, the CA subject and key of the plan.
 * rotationPolicy Never: a renewed CA keeps its key, so the certificates it signed before still
 * verify against it (a new CA key is a CA rotation: `k8tls-wizard rotate`). */
static int ca_certificate(struct cm *c, const char *name, const char *selfsigned)
{
    const struct k8tls_plan *p = c->p;
    const char *ns = k8tls_cm_ca_namespace(p);
    struct ydoc yd, *y = &yd;
    char *cn = k8tls_plan_ca_common_name(p);
    if (!cn || ydoc_init(y) < 0) {
        free(cn);
        return oom(c);
    }
    int root = object(y, K8TLS_CM_API_VERSION, "Certificate", name, ns);
    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    ydoc_map_add(y, spec, "isCA", ydoc_bool(y, true));
    ydoc_map_add(y, spec, "commonName", ydoc_str(y, cn));
    free(cn);
    const struct k8tls_subject *s = &p->ca.subject;
    if ((s->C && *s->C) || (s->ST && *s->ST) || (s->L && *s->L) || (s->O && *s->O) ||
        (s->OU && *s->OU)) {
        int sub = ydoc_map_add(y, spec, "subject", ydoc_map(y));
        str_seq(y, sub, "countries", s->C);
        str_seq(y, sub, "provinces", s->ST);
        str_seq(y, sub, "localities", s->L);
        str_seq(y, sub, "organizations", s->O);
        str_seq(y, sub, "organizationalUnits", s->OU);
    }
    if (s->emailAddress && *s->emailAddress)
        str_seq(y, spec, "emailAddresses", s->emailAddress);
    ydoc_map_add(y, spec, "secretName", ydoc_str(y, name));
    int tpl = ydoc_map_add(y, spec, "secretTemplate", ydoc_map(y));
    int labels = ydoc_map_add(y, tpl, "labels", ydoc_map(y));
    ydoc_map_add(y, labels, K8TLS_MANAGED_BY_LABEL, ydoc_str(y, K8TLS_MANAGED_BY_VALUE));
    ydoc_map_add(y, spec, "duration", hours(y, p->ca.validity_days));
    ydoc_map_add(y, spec, "renewBefore", renew_before(y, p->ca.validity_days));
    private_key(y, spec, &p->ca.key, "Never");
    ydoc_map_add(y, spec, "issuerRef", issuer_ref(y, selfsigned, k8tls_cm_issuer_kind(p)));
    return emit(c, y, "12-certificate", "Certificate", name, ns);
}

/* ---- leaf Certificates (15-) ------------------------------------------------------------ */

enum store_kind { ST_NONE, ST_STORES, ST_JKS_CHANGEIT };

struct leaf {
    const char *plan_path;
    const char *secret;        /* spec.secretName and the Certificate's name */
    const char *cn_suffix;     /* commonName "<cluster>-<suffix>"; NULL: cn */
    const char *cn;
    char *const *sans;         /* dnsNames / ipAddresses */
    bool server_auth;
    enum store_kind store;
    const char *alias;         /* JKS alias (lower case, S2) */
    const char *pw_secret, *pw_key;
    const char *dc;            /* secretTemplate annotation (M2), or NULL */
    const char *issuer;        /* the CA Issuer; NULL: the cluster's */
};

/* An IP literal (ipAddresses), as k8tls_pki_make_leaf decides; anything else is a DNS name. */
static bool is_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* The CA's O and OU, which files mode copies into every leaf (k8tls_pki_make_leaf): from the
 * imported CA's certificate, else from the plan's CA subject (cert-manager makes that CA). */
static void ca_subject_field(const struct cm *c, int nid, char *buf, size_t len)
{
    buf[0] = '\0';
    X509_NAME *n = c->m && c->m->ca_cert ? X509_get_subject_name(c->m->ca_cert) : NULL;
    if (n) {
        if (X509_NAME_get_text_by_NID(n, nid, buf, (int)len) < 0)
            buf[0] = '\0';
        return;
    }
    const char *v = nid == NID_organizationName ? c->p->ca.subject.O : c->p->ca.subject.OU;
    snprintf(buf, len, "%s", v ? v : "");
}

static int leaf_certificate(struct cm *c, const struct leaf *l)
{
    const struct k8tls_plan *p = c->p;
    struct ydoc yd, *y = &yd;
    char cn[300], o[256], ou[256];
    if (l->cn_suffix)
        snprintf(cn, sizeof cn, "%s-%s", c->id->name, l->cn_suffix);
    else
        snprintf(cn, sizeof cn, "%s", l->cn);
    if (ydoc_init(y) < 0)
        return oom(c);
    int root = object(y, K8TLS_CM_API_VERSION, "Certificate", l->secret, c->ns);
    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    ydoc_map_add(y, spec, "secretName", ydoc_str(y, l->secret));
    int tpl = ydoc_map_add(y, spec, "secretTemplate", ydoc_map(y));
    int labels = ydoc_map_add(y, tpl, "labels", ydoc_map(y));
    ydoc_map_add(y, labels, K8TLS_MANAGED_BY_LABEL, ydoc_str(y, K8TLS_MANAGED_BY_VALUE));
    if (l->dc) {
        int an = ydoc_map_add(y, tpl, "annotations", ydoc_map(y));
        ydoc_map_add(y, an, K8TLS_DC_ANNOTATION, ydoc_str(y, l->dc));
    }
    ydoc_map_add(y, spec, "commonName", ydoc_str(y, cn));
    ca_subject_field(c, NID_organizationName, o, sizeof o);
    ca_subject_field(c, NID_organizationalUnitName, ou, sizeof ou);
    if (*o || *ou) {
        int sub = ydoc_map_add(y, spec, "subject", ydoc_map(y));
        str_seq(y, sub, "organizations", o);
        str_seq(y, sub, "organizationalUnits", ou);
    }
    ydoc_map_add(y, spec, "duration", hours(y, p->certificates.validity_days));
    ydoc_map_add(y, spec, "renewBefore", renew_before(y, p->certificates.validity_days));
    private_key(y, spec, &c->leaf_key, "Always");
    /* C2: serverAuth and clientAuth (each node is both ends; Go checks a client certificate for
     * serverAuth: M1), keyEncipherment for RSA keys only. */
    int us = ydoc_map_add(y, spec, "usages", ydoc_seq(y));
    if (l->server_auth)
        ydoc_seq_add(y, us, ydoc_str(y, "server auth"));
    ydoc_seq_add(y, us, ydoc_str(y, "client auth"));
    ydoc_seq_add(y, us, ydoc_str(y, "digital signature"));
    if (c->leaf_key.alg == K8TLS_KEY_RSA)
        ydoc_seq_add(y, us, ydoc_str(y, "key encipherment"));
    int dns = 0, ips = 0;
    for (size_t i = 0; l->sans && l->sans[i]; i++) {
        bool ip = is_ip(l->sans[i]);
        int *seq = ip ? &ips : &dns;
        if (!*seq)
            *seq = ydoc_map_add(y, spec, ip ? "ipAddresses" : "dnsNames", ydoc_seq(y));
        /* no repeats (the seed service is the same for every datacenter) */
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (strcmp(l->sans[k], l->sans[i]) == 0)
                seen = true;
        if (!seen)
            ydoc_seq_add(y, *seq, ydoc_str(y, l->sans[i]));
    }
    ydoc_map_add(y, spec, "issuerRef",
                 issuer_ref(y, l->issuer ? l->issuer : c->ca_issuer, k8tls_cm_issuer_kind(p)));
    if (l->store != ST_NONE) {
        bool jks = l->store == ST_JKS_CHANGEIT || p->stores.format == K8TLS_FORMAT_JKS;
        int ks = ydoc_map_add(y, spec, "keystores", ydoc_map(y));
        int st = ydoc_map_add(y, ks, jks ? "jks" : "pkcs12", ydoc_map(y));
        ydoc_map_add(y, st, "create", ydoc_bool(y, true));
        if (jks)
            ydoc_map_add(y, st, "alias", ydoc_str(y, l->alias));
        else
            ydoc_map_add(y, st, "profile", ydoc_str(y, k8tls_cm_p12_profile(p)));
        int ref = ydoc_map_add(y, st, "passwordSecretRef", ydoc_map(y));
        ydoc_map_add(y, ref, "name", ydoc_str(y, l->pw_secret));
        ydoc_map_add(y, ref, "key", ydoc_str(y, l->pw_key));
    }
    return emit(c, y, "15-certificate", "Certificate", l->secret, c->ns);
}

/* Reaper's Service names (R1): "<cluster>-<dc>-reaper-service" and its .<ns>, .<ns>.svc forms. */
static char **reaper_sans(struct cm *c)
{
    const struct k8tls_plan *p = c->p;
    size_t n = 0;
    char **v = calloc(3 * p->cluster.n_dcs + 1, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const char *dc = p->cluster.dcs[i].name ? p->cluster.dcs[i].name : "dc1";
        if (asprintf(&v[n++], "%s-%s-reaper-service", c->id->name, dc) < 0 ||
            asprintf(&v[n++], "%s-%s-reaper-service.%s", c->id->name, dc, c->id->namespace_) < 0 ||
            asprintf(&v[n++], "%s-%s-reaper-service.%s.svc", c->id->name, dc,
                     c->id->namespace_) < 0) {
            v[n - 1] = NULL;
            k8tls_strv_free(v);
            return NULL;
        }
    }
    return v;
}

static const char *mgmt_dc(const struct k8tls_plan *p)
{
    for (size_t i = 0; i < p->cluster.n_dcs; i++)
        if (!p->cluster.dcs[i].k8s_context || !*p->cluster.dcs[i].k8s_context)
            return p->cluster.dcs[i].name;
    return p->cluster.n_dcs ? p->cluster.dcs[0].name : NULL;
}

static int store_certificate(struct cm *c, const char *plan_path, const struct k8tls_store_set *s,
                             const char *alias, char *const *sans)
{
    char *pw = k8tls_cm_password_secret(s->secret_name);
    if (!pw)
        return oom(c);
    struct leaf l = {.plan_path = plan_path, .secret = s->secret_name, .cn_suffix = alias,
                     .sans = sans, .server_auth = true, .store = ST_STORES, .alias = alias,
                     .pw_secret = pw,
                     .pw_key = k8tls_store_key(s->keys.keystore_password,
                                               K8TLS_CM_KEY_KEYSTORE_PASSWORD)};
    int rc = leaf_certificate(c, &l);
    free(pw);
    return rc;
}

static int surface_certificates(struct cm *c)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper,
                                   *mg = &p->encryption.medusa_grpc;
    static char *const localhost[] = {"localhost", "127.0.0.1", "::1", NULL};
    char *reaper_pw = k8tls_cm_name(p, K8TLS_CM_REAPER_PASSWORD);
    int rc = 0;
    if (!reaper_pw)
        return oom(c);
    if (k8tls_plan_wants_mgmt_api(p)) {
        struct leaf s = {.plan_path = "encryption.managementApi.serverSecretName",
                         .secret = ma->server_secret_name, .cn_suffix = "mgmt-api-server",
                         .server_auth = true, .dc = mgmt_dc(p),
                         .issuer = c->surface_issuer[SURF_MGMT]};
        struct leaf cl = s;
        cl.plan_path = "encryption.managementApi.clientSecretName";
        cl.secret = ma->client_secret_name;
        cl.cn_suffix = "mgmt-api-client";
        rc = leaf_certificate(c, &s) < 0 || leaf_certificate(c, &cl) < 0 ? -1 : 0;
    }
    if (rc == 0 && k8tls_plan_wants_reaper_mgmt(p)) {
        struct leaf l = {.plan_path = "encryption.reaper.managementSecretName",
                         .secret = rp->management_secret_name,
                         .cn_suffix = "reaper-mgmt-api-client", .server_auth = true,
                         .store = ST_JKS_CHANGEIT, .alias = "reaper-mgmt-api-client",
                         .pw_secret = reaper_pw, .pw_key = K8TLS_CM_KEY_KEYSTORE_PASSWORD,
                         /* R2: a client of the management API, so from its CA */
                         .issuer = c->surface_issuer[SURF_MGMT]};
        rc = leaf_certificate(c, &l);
    }
    if (rc == 0 && k8tls_plan_wants_reaper_api(p)) {
        char **sans = reaper_sans(c);
        if (!sans) {
            free(reaper_pw);
            return oom(c);
        }
        struct leaf s = {.plan_path = "encryption.reaper.serverSecretName",
                         .secret = rp->server_secret_name, .cn_suffix = "reaper-api-server",
                         .sans = sans, .server_auth = true, .store = ST_JKS_CHANGEIT,
                         .alias = "reaper-api-server", .pw_secret = reaper_pw,
                         .pw_key = K8TLS_CM_KEY_KEYSTORE_PASSWORD,
                         .issuer = c->surface_issuer[SURF_REAPER]};
        struct leaf cl = {.plan_path = "encryption.reaper.clientSecretName",
                          .secret = rp->client_secret_name, .cn_suffix = "reaper-api-client",
                          .server_auth = true, .issuer = c->surface_issuer[SURF_REAPER]};
        rc = leaf_certificate(c, &s) < 0 || leaf_certificate(c, &cl) < 0 ? -1 : 0;
        k8tls_strv_free(sans);
    }
    if (rc == 0 && k8tls_plan_wants_medusa_grpc(p)) {
        struct leaf s = {.plan_path = "encryption.medusaGrpc.serverSecretName",
                         .secret = mg->server_secret_name, .cn_suffix = "medusa-grpc-server",
                         .sans = localhost, .server_auth = true,
                         .issuer = c->surface_issuer[SURF_GRPC]};
        struct leaf cl = {.plan_path = "encryption.medusaGrpc.clientSecretName",
                          .secret = mg->client_secret_name, .cn_suffix = "medusa-grpc-client",
                          .server_auth = true, .issuer = c->surface_issuer[SURF_GRPC]};
        rc = leaf_certificate(c, &s) < 0 || leaf_certificate(c, &cl) < 0 ? -1 : 0;
    }
    free(reaper_pw);
    return rc;
}

/* ---- the trust-manager Bundle (17-) ------------------------------------------------------ */

/* C6: a Bundle whose target Secret (named after it, in the cluster's namespace only) holds every
 * CA as ca.crt and as the truststore of the plan's format. Its source is the CA Secret's tls.crt,
 * read from trust-manager's trust namespace (output.certManagerNamespace): a ClusterIssuer's CA
 * Secret lives there (validation refuses a namespaced Issuer's elsewhere); an imported CA is
 * written inline (its certificate is public). Rotation adds the new CA as a
 * second source, so the truststores hold both. */
static int trust_bundle(struct cm *c)
{
    const struct k8tls_plan *p = c->p;
    struct ydoc yd, *y = &yd;
    char *name = k8tls_cm_name(p, K8TLS_CM_TRUST_BUNDLE);
    char *ca = k8tls_cm_name(p, K8TLS_CM_CA_CERTIFICATE);
    if (!name || !ca || ydoc_init(y) < 0) {
        free(name);
        free(ca);
        return oom(c);
    }
    int root = object(y, K8TLS_TM_API_VERSION, "Bundle", name, NULL);
    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    int sources = ydoc_map_add(y, spec, "sources", ydoc_seq(y));
    int src = ydoc_seq_add(y, sources, ydoc_map(y));
    if (p->ca.source == K8TLS_SOURCE_IMPORT && c->m->ca_cert_pem) {
        int lit = yaml_document_add_scalar(&y->doc, NULL, (yaml_char_t *)c->m->ca_cert_pem,
                                           (int)strlen(c->m->ca_cert_pem),
                                           YAML_LITERAL_SCALAR_STYLE);
        if (!lit)
            y->oom = true;
        ydoc_map_add(y, src, "inLine", lit);
    } else {
        int sec = ydoc_map_add(y, src, "secret", ydoc_map(y));
        ydoc_map_add(y, sec, "name", ydoc_str(y, ca));
        ydoc_map_add(y, sec, "key", ydoc_str(y, K8TLS_CM_KEY_CERT));
    }
    int target = ydoc_map_add(y, spec, "target", ydoc_map(y));
    int ts = ydoc_map_add(y, target, "secret", ydoc_map(y));
    ydoc_map_add(y, ts, "key", ydoc_str(y, K8TLS_CM_KEY_CA));
    int af = ydoc_map_add(y, target, "additionalFormats", ydoc_map(y));
    if (p->stores.format == K8TLS_FORMAT_JKS) {
        int jks = ydoc_map_add(y, af, "jks", ydoc_map(y));
        ydoc_map_add(y, jks, "key", ydoc_str(y, K8TLS_CM_KEY_TRUSTSTORE_JKS));
        ydoc_map_add(y, jks, "password", ydoc_str(y, K8TLS_CM_TRUST_PASSWORD));
    } else {
        int p12 = ydoc_map_add(y, af, "pkcs12", ydoc_map(y));
        ydoc_map_add(y, p12, "key", ydoc_str(y, K8TLS_CM_KEY_TRUSTSTORE_P12));
        ydoc_map_add(y, p12, "password", ydoc_str(y, K8TLS_CM_TRUST_PASSWORD));
        /* trust-manager's default is LegacyRC2, which Java 20+ and OpenSSL 3 cannot read */
        ydoc_map_add(y, p12, "profile", ydoc_str(y, k8tls_cm_p12_profile(p)));
    }
    int sel = ydoc_map_add(y, target, "namespaceSelector", ydoc_map(y));
    int ml = ydoc_map_add(y, sel, "matchLabels", ydoc_map(y));
    ydoc_map_add(y, ml, "kubernetes.io/metadata.name", ydoc_str(y, c->id->namespace_));
    int rc = emit(c, y, "17-bundle", "Bundle", name, NULL);
    free(name);
    free(ca);
    return rc;
}

/* ---- all of it -------------------------------------------------------------------------- */

static int emit_all(struct cm *c)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_material *m = c->m;
    bool imported = p->ca.source == K8TLS_SOURCE_IMPORT;

    /* the leaves' key: certificates.key, else the CA's (an imported CA's own algorithm) */
    c->leaf_key = p->certificates.key.set ? p->certificates.key : p->ca.key;
    if (!p->certificates.key.set && imported && m->ca_key &&
        k8tls_pki_key_spec_of(m->ca_key, &c->leaf_key) < 0)
        c->leaf_key = p->ca.key;

    /* 10-: the Secrets cert-manager reads */
    bool server = k8tls_plan_wants_server_stores(p);
    bool client = k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE;
    if (server && password_secret(c, "stores.server", &p->stores.server, &m->server) < 0)
        return -1;
    if (client && password_secret(c, "stores.client", &p->stores.client, &m->client) < 0)
        return -1;
    if ((k8tls_plan_wants_reaper_api(p) || k8tls_plan_wants_reaper_mgmt(p)) &&
        reaper_password_secret(c) < 0)
        return -1;
    if (imported && imported_ca_secret(c) < 0)
        return -1;
    if (surface_ca_secrets(c) < 0)
        return -1;

    /* 11- to 13-: the Issuer chain (C1) */
    char *selfsigned = k8tls_cm_name(p, K8TLS_CM_SELFSIGNED_ISSUER);
    char *ca = k8tls_cm_name(p, K8TLS_CM_CA_CERTIFICATE);
    c->ca_issuer = k8tls_cm_name(p, K8TLS_CM_CA_ISSUER);
    int rc = (!selfsigned || !ca || !c->ca_issuer) ? oom(c) : 0;
    if (rc == 0 && !imported)
        rc = issuer(c, "11-issuer", selfsigned, NULL) < 0 ||
                     ca_certificate(c, ca, selfsigned) < 0 ? -1 : 0;
    if (rc == 0)
        rc = issuer(c, "13-issuer", c->ca_issuer, ca);
    for (int i = 0; i < 3 && rc == 0; i++) {
        char *secret = NULL;
        if (!c->surface_issuer[i])
            continue;
        if (asprintf(&secret, "%s-%s-ca", c->id->name, surface_slug[i]) < 0)
            rc = oom(c);
        else
            rc = issuer(c, "13-issuer", c->surface_issuer[i], secret);
        free(secret);
    }
    free(selfsigned);
    free(ca);
    if (rc < 0)
        return -1;

    /* 15-: one Certificate per Secret files mode writes (C2, C4, C5) */
    char **sans = (server || client) ? k8tls_pki_node_sans(p) : NULL;
    if ((server || client) && !sans)
        return oom(c);
    if (server)
        rc = store_certificate(c, "stores.server", &p->stores.server, "server", sans);
    if (rc == 0 && client)
        rc = store_certificate(c, "stores.client", &p->stores.client, "client", sans);
    k8tls_strv_free(sans);
    if (rc == 0 && k8tls_plan_wants_medusa_certs(p)) {
        struct leaf l = {.plan_path = "encryption.medusa.secretName",
                         .secret = p->encryption.medusa.secret_name, .cn = "client"};
        rc = leaf_certificate(c, &l);
    }
    if (rc == 0)
        rc = surface_certificates(c);
    /* 17-: the trust Bundle (C6) */
    if (rc == 0 && p->output.trust_manager)
        rc = trust_bundle(c);
    return rc;
}

int k8tls_cm_emit(const struct k8tls_plan *p, const struct k8tls_material *m,
                  const struct k8tls_identity *id, const struct k8tls_cm_sink *sink,
                  struct k8tls_diags *d)
{
    struct cm c = {.p = p, .m = m, .id = id, .sink = sink, .d = d,
                   .ns = id->no_namespace ? NULL : id->namespace_};
    if (id->no_namespace && p->output.issuer_kind == K8TLS_ISSUER_CLUSTER) {
        /* kustomization.yaml's namespace: would move the CA out of cert-manager's namespace */
        k8tls_diags_add(d, K8TLS_SEV_ERROR, p->source_file, 0, 0, "cluster.namespace", "%s",
                        _("the manifest has no metadata.namespace, so kustomization.yaml gives "
                          "every object one, which would also move the ClusterIssuer's CA out of "
                          "cert-manager's namespace: set cluster.namespace in the answers"));
        return -1;
    }
    int rc = emit_all(&c);
    free(c.ca_issuer);
    for (int i = 0; i < 3; i++)
        free(c.surface_issuer[i]);
    return rc;
}
