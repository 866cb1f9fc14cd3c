/* The plan's schema (plan_table.h): the rows of every answers key, the enum names, and the
 * predicates that say which parts of a plan are in use (k8tls_plan_wants_*, plan.h), which the rows
 * use for when a key applies. Data and small predicates only: calls nothing of the project; the
 * generic walks over these rows are in plan_walk.c. */
#include "config.h"
#include "k8tls/plan_table.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- enum names ------------------------------------------------------------------------- */

static const char *const server_type_names[] = {"cassandra", "dse", "hcd", NULL};
static const char *const internode_names[] = {"none", "dc", "rack", "all", NULL};
static const char *const source_names[] = {"generate", "import", "reuse", NULL};
static const char *const sources_gi[] = {"generate", "import", NULL};
static const char *const format_names[] = {"pkcs12", "jks", NULL};
static const char *const profile_names[] = {"modern", "legacy", NULL};
static const char *const alg_names[] = {"rsa", "ecdsa", NULL};
static const char *const curve_names[] = {"P-256", "P-384", NULL};
static const char *const deploy_modes[] = {"SINGLE", "PER_DC", "CONTROL_PLANE", NULL};
static const char *const output_modes[] = {"files", "cert-manager", NULL};
static const char *const issuer_kinds[] = {"Issuer", "ClusterIssuer", NULL};
static const char *const providers[] = {"google_storage", "azure_blobs", "s3", "s3_compatible",
                                        "s3_rgw", "ibm_storage", NULL};

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}
#define NAME_OF(tab, v) name_of(tab, sizeof tab / sizeof tab[0] - 1, (int)(v))

const char *k8tls_server_type_name(enum k8tls_server_type t) { return NAME_OF(server_type_names, t); }
const char *k8tls_internode_mode_name(enum k8tls_internode_mode m) { return NAME_OF(internode_names, m); }
const char *k8tls_source_name(enum k8tls_source s) { return NAME_OF(source_names, s); }
const char *k8tls_store_format_name(enum k8tls_store_format f) { return NAME_OF(format_names, f); }
const char *k8tls_p12_profile_name(enum k8tls_p12_profile p) { return NAME_OF(profile_names, p); }
const char *k8tls_key_alg_name(enum k8tls_key_alg a) { return NAME_OF(alg_names, a); }
const char *k8tls_curve_name(enum k8tls_curve c) { return NAME_OF(curve_names, c); }

static int parse_of(const char *const *names, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

int k8tls_server_type_parse(const char *s) { return parse_of(server_type_names, s); }
int k8tls_internode_mode_parse(const char *s) { return parse_of(internode_names, s); }
int k8tls_source_parse(const char *s) { return parse_of(source_names, s); }
int k8tls_store_format_parse(const char *s) { return parse_of(format_names, s); }
int k8tls_p12_profile_parse(const char *s) { return parse_of(profile_names, s); }
int k8tls_key_alg_parse(const char *s) { return parse_of(alg_names, s); }
int k8tls_curve_parse(const char *s) { return parse_of(curve_names, s); }

const char *k8tls_server_default_version(enum k8tls_server_type t)
{
    switch (t) {
    case K8TLS_SERVER_DSE:
        return K8TLS_DEFAULT_DSE_VERSION;
    case K8TLS_SERVER_HCD:
        return K8TLS_DEFAULT_HCD_VERSION;
    default:
        return K8TLS_DEFAULT_CASSANDRA_VERSION;
    }
}

/* ---- what the plan produces ------------------------------------------------------------- */

bool k8tls_plan_wants_server_stores(const struct k8tls_plan *p)
{
    return p->encryption.internode.mode != K8TLS_INTERNODE_NONE;
}

bool k8tls_plan_wants_client_stores(const struct k8tls_plan *p)
{
    return p->encryption.client.enabled;
}

bool k8tls_plan_dc_context_is_first(const struct k8tls_plan *p, size_t i)
{
    const char *c = i < p->cluster.n_dcs ? p->cluster.dcs[i].k8s_context : NULL;
    if (!c || !*c)
        return false;
    for (size_t j = 0; j < i; j++)
        if (p->cluster.dcs[j].k8s_context && strcmp(p->cluster.dcs[j].k8s_context, c) == 0)
            return false;
    return true;
}

bool k8tls_plan_wants_medusa_certs(const struct k8tls_plan *p)
{
    return p->cluster.medusa.enabled && p->encryption.client.enabled &&
           p->encryption.medusa.enabled;
}

/* ---- when a key applies, is written, is checked ----------------------------------------- */

static bool nonempty(const char *s)
{
    return s && *s;
}

static bool key_set(const void *b)
{
    return ((const struct k8tls_key_spec *)b)->set;
}
static bool key_rsa(const void *b)
{
    const struct k8tls_key_spec *k = b;
    return k->set && k->alg == K8TLS_KEY_RSA;
}
static bool key_ecdsa(const void *b)
{
    const struct k8tls_key_spec *k = b;
    return k->set && k->alg == K8TLS_KEY_ECDSA;
}
static bool leaf_key_shown(const void *b)
{
    return ((const struct k8tls_plan *)b)->certificates.key.set;
}
static bool set_not_imported(const void *b)
{
    return ((const struct k8tls_store_set *)b)->source != K8TLS_SOURCE_IMPORT;
}
static bool set_imported(const void *b)
{
    return ((const struct k8tls_store_set *)b)->source == K8TLS_SOURCE_IMPORT;
}
static bool set_import_shown(const void *b)
{
    const struct k8tls_store_set *s = b;
    return s->source == K8TLS_SOURCE_IMPORT || nonempty(s->keystore_path) ||
           nonempty(s->truststore_path);
}
static bool medusa_import_shown(const void *b)
{
    const struct k8tls_plan *p = b;
    return p->encryption.medusa.source == K8TLS_SOURCE_IMPORT ||
           nonempty(p->encryption.medusa.import_ca) || nonempty(p->encryption.medusa.import_cert) ||
           nonempty(p->encryption.medusa.import_key);
}
static bool ca_import_shown(const void *b)
{
    const struct k8tls_plan *p = b;
    return p->ca.source == K8TLS_SOURCE_IMPORT || nonempty(p->ca.import_cert) ||
           nonempty(p->ca.import_key) || p->ca.import_key_password.ref;
}

static bool stargate_on(const struct k8tls_plan *p)
{
    return p->cluster.stargate.enabled;
}
static bool medusa_on(const struct k8tls_plan *p)
{
    return p->cluster.medusa.enabled;
}
static bool own_client_stores(const struct k8tls_plan *p)
{
    return k8tls_plan_wants_client_stores(p) && p->stores.client.source != K8TLS_SOURCE_REUSE;
}
static bool ca_generated(const struct k8tls_plan *p)
{
    return p->ca.source != K8TLS_SOURCE_IMPORT;
}

/* ---- the rows --------------------------------------------------------------------------- */

#define P(f) offsetof(struct k8tls_plan, f)
#define END {.name = NULL}

static const char pw_gen_help[] =
    N_("Empty: a strong password is generated. env:NAME or file:PATH read it from the "
       "environment or a file.");

static const struct k8tls_key dc_table[] = {
    {.name = "name", .type = K8TLS_KT_STR, .off = offsetof(struct k8tls_dc, name), .dflt_str = "",
     .check = K8TLS_CHECK_LABEL},
    {.name = "size", .type = K8TLS_KT_INT, .off = offsetof(struct k8tls_dc, size), .dflt_int = 3,
     .check = K8TLS_CHECK_MIN, .min = 1, .bad = N_("a datacenter needs at least 1 node, not %d")},
    {.name = "k8sContext", .type = K8TLS_KT_STR, .off = offsetof(struct k8tls_dc, k8s_context),
     .dflt_str = ""},
    END};

static const struct k8tls_key stargate_table[] = {
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = P(cluster.stargate.enabled), .dflt_int = 0,
     .label = N_("Stargate")},
    {.name = "size", .type = K8TLS_KT_INT, .off = P(cluster.stargate.size), .dflt_int = 1,
     .check = K8TLS_CHECK_MIN, .min = 1, .bad = N_("Stargate needs at least 1 replica, not %d"),
     .when = stargate_on, .label = N_("Stargate replicas")},
    END};

static const struct k8tls_key reaper_table[] = {
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = P(cluster.reaper.enabled), .dflt_int = 1,
     .label = N_("Reaper")},
    {.name = "deploymentMode", .type = K8TLS_KT_STR_ENUM, .off = P(cluster.reaper.deployment_mode),
     .dflt_str = "SINGLE", .names = deploy_modes, .label = N_("Reaper deployment")},
    END};

static const struct k8tls_key cluster_medusa_table[] = {
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = P(cluster.medusa.enabled), .dflt_int = 1,
     .label = N_("Medusa backups")},
    {.name = "storageProvider", .type = K8TLS_KT_STR_ENUM, .off = P(cluster.medusa.storage_provider),
     .dflt_str = "s3", .names = providers, .label = N_("Backup storage provider")},
    {.name = "bucketName", .type = K8TLS_KT_STR, .off = P(cluster.medusa.bucket_name),
     .dflt_str = "k8ssandra-medusa", .need = N_("Medusa needs a bucket name"), .when = medusa_on,
     .label = N_("Bucket name")},
    {.name = "storageSecret", .type = K8TLS_KT_STR, .off = P(cluster.medusa.storage_secret),
     .dflt_str = "medusa-bucket-key", .check = K8TLS_CHECK_SUBDOMAIN, .when = medusa_on,
     .label = N_("Bucket credentials Secret")},
    END};

static const struct k8tls_key cluster_table[] = {
    {.name = "name", .type = K8TLS_KT_STR, .off = P(cluster.name), .dflt_str = "test",
     .check = K8TLS_CHECK_LABEL, .label = N_("Cluster name")},
    {.name = "namespace", .type = K8TLS_KT_STR, .off = P(cluster.namespace_),
     .dflt_str = "k8ssandra-operator", .check = K8TLS_CHECK_LABEL, .label = N_("Namespace")},
    {.name = "manifest", .type = K8TLS_KT_STR, .off = P(cluster.manifest), .flags = K8TLS_KF_PATH, .dflt_str = "",
     .label = N_("File"), .help = N_("Type a path, or choose Browse to pick the file.")},
    {.name = "serverType", .type = K8TLS_KT_ENUM, .off = P(cluster.server_type),
     .dflt_int = K8TLS_SERVER_CASSANDRA, .names = server_type_names, .label = N_("Server type")},
    {.name = "serverVersion", .type = K8TLS_KT_STR, .off = P(cluster.server_version),
     .flags = K8TLS_KF_QUOTED, .dflt_str = K8TLS_DEFAULT_CASSANDRA_VERSION, .label = N_("Server version")},
    {.name = "storageClass", .type = K8TLS_KT_STR, .off = P(cluster.storage_class),
     .flags = K8TLS_KF_EMPTY_OK, .dflt_str = "standard", .check = K8TLS_CHECK_SUBDOMAIN,
     .label = N_("Storage class")},
    {.name = "storageSize", .type = K8TLS_KT_STR, .off = P(cluster.storage_size), .dflt_str = "5Gi",
     .check = K8TLS_CHECK_QUANTITY, .label = N_("Storage size")},
    {.name = "datacenters", .type = K8TLS_KT_LIST, .off = P(cluster.dcs), .flags = K8TLS_KF_ELEM_FLOW,
     .sub = dc_table, .count_off = P(cluster.n_dcs), .elem_size = sizeof(struct k8tls_dc),
     .max_items = K8TLS_MAX_DCS, .msg_list = N_("expected a list of datacenters, found %s"),
     .msg_many = N_("expected at most %zu datacenters, found %zu"), .hook = K8TLS_HOOK_DATACENTERS,
     .label = N_("Datacenters"),
     .help = N_("NAME:SIZE, or NAME:SIZE@CONTEXT for a datacenter in another kube context; "
                "separate datacenters with commas.")},
    {.name = "stargate", .type = K8TLS_KT_GROUP, .flags = K8TLS_KF_FLOW, .sub = stargate_table},
    {.name = "reaper", .type = K8TLS_KT_GROUP, .flags = K8TLS_KF_FLOW, .sub = reaper_table},
    {.name = "medusa", .type = K8TLS_KT_GROUP, .sub = cluster_medusa_table},
    END};

static const struct k8tls_key internode_table[] = {
    {.name = "mode", .type = K8TLS_KT_ENUM, .off = P(encryption.internode.mode),
     .dflt_int = K8TLS_INTERNODE_ALL, .names = internode_names, .label = N_("Internode encryption"),
     .help = N_("Between Cassandra nodes: none, within a datacenter (dc), within a rack (rack) "
                "or everywhere (all).")},
    {.name = "requireClientAuth", .type = K8TLS_KT_BOOL,
     .off = P(encryption.internode.require_client_auth), .dflt_int = 1,
     .label = N_("Nodes prove who they are")},
    {.name = "requireEndpointVerification", .type = K8TLS_KT_BOOL,
     .off = P(encryption.internode.require_endpoint_verification), .dflt_int = 0,
     .label = N_("Check node host names")},
    END};

static const struct k8tls_key client_table[] = {
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = P(encryption.client.enabled), .dflt_int = 1,
     .label = N_("Client encryption (CQL)")},
    {.name = "optional", .type = K8TLS_KT_BOOL, .off = P(encryption.client.optional),
     .dflt_int = 0, .label = N_("Plain clients still allowed")},
    {.name = "requireClientAuth", .type = K8TLS_KT_BOOL,
     .off = P(encryption.client.require_client_auth), .dflt_int = 1,
     .label = N_("Clients need a certificate")},
    END};

static const struct k8tls_key medusa_import_table[] = {
    {.name = "ca", .type = K8TLS_KT_STR, .off = P(encryption.medusa.import_ca), .flags = K8TLS_KF_PATH,
     .label = N_("CA certificate")},
    {.name = "cert", .type = K8TLS_KT_STR, .off = P(encryption.medusa.import_cert), .flags = K8TLS_KF_PATH,
     .label = N_("Client certificate")},
    {.name = "key", .type = K8TLS_KT_STR, .off = P(encryption.medusa.import_key), .flags = K8TLS_KF_PATH,
     .label = N_("Client key"),
     .help = N_("The client's private key, PEM, not encrypted (Medusa reads it without a "
                "password).")},
    END};

static const struct k8tls_key medusa_table[] = {
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = P(encryption.medusa.enabled), .dflt_int = 1,
     .label = N_("Medusa client certificate")},
    {.name = "source", .type = K8TLS_KT_ENUM, .off = P(encryption.medusa.source),
     .dflt_int = K8TLS_SOURCE_GENERATE, .names = source_names, .allowed = sources_gi,
     .label = N_("Certificate")},
    {.name = "secretName", .type = K8TLS_KT_STR, .off = P(encryption.medusa.secret_name),
     .dflt_str = "client-certificates", .check = K8TLS_CHECK_SUBDOMAIN,
     .when = k8tls_plan_wants_medusa_certs, .label = N_("Secret name")},
    {.name = "import", .type = K8TLS_KT_GROUP, .flags = K8TLS_KF_FLOW, .sub = medusa_import_table,
     .shown = medusa_import_shown},
    END};

static const char *const surface_ca_names[] = {"cluster", "import", NULL};

static bool surface_ca_import_shown(const void *b)
{
    const struct k8tls_surface_ca *c = b;
    return c->source == K8TLS_SURFACE_CA_IMPORT || nonempty(c->import_cert) ||
           nonempty(c->import_key) || c->import_key_password.ref;
}

/* the base of a surface's rows: its struct k8tls_tls_surface */
static bool surface_ca_shown(const void *b)
{
    return surface_ca_import_shown(&((const struct k8tls_tls_surface *)b)->ca);
}

#define SC(f) offsetof(struct k8tls_surface_ca, f)
static const struct k8tls_key surface_ca_import_table[] = {
    {.name = "cert", .type = K8TLS_KT_STR, .off = SC(import_cert), .flags = K8TLS_KF_PATH,
     .label = N_("CA certificate (PEM)")},
    {.name = "key", .type = K8TLS_KT_STR, .off = SC(import_key), .flags = K8TLS_KF_PATH,
     .label = N_("CA private key (PEM)")},
    {.name = "keyPassword", .type = K8TLS_KT_PASSWORD, .off = SC(import_key_password),
     .label = N_("CA key password"),
     .help = N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                "environment or a file.")},
    END};

static const struct k8tls_key surface_ca_table[] = {
    {.name = "source", .type = K8TLS_KT_ENUM, .off = SC(source),
     .dflt_int = K8TLS_SURFACE_CA_CLUSTER, .names = surface_ca_names,
     .label = N_("Signing CA"),
     .help = N_("cluster: the cluster's CA signs this surface's certificates; import: a CA of "
                "your own for this surface (its certificate and key under import).")},
    {.name = "import", .type = K8TLS_KT_GROUP, .sub = surface_ca_import_table,
     .shown = surface_ca_import_shown},
    END};

#define TS(f) offsetof(struct k8tls_tls_surface, f)
/* written only when a CA is imported (the cluster's is the default); template: the help, written
 * once under the encryption section's comment */
#define SURFACE_CA(template)                                                                     \
    {.name = "ca", .type = K8TLS_KT_GROUP, .off = TS(ca), .sub = surface_ca_table,              \
     .flags = (template) ? K8TLS_KF_TEMPLATE : 0, .shown = surface_ca_shown,                     \
     .help = (template) ? N_("ca, in each of them: the CA that signs its certificates: {source: cluster}\n" \
                             "(the cluster's CA) or {source: import, import: {cert: PATH, key: PATH,\n" \
                             "keyPassword: ...}} (as ca.import).")                                  \
                        : NULL}
#define SURFACE_ENABLED(what)                                                                    \
    {.name = "enabled", .type = K8TLS_KT_BOOL, .off = TS(enabled), .dflt_int = 0, .label = what}
#define SURFACE_SECRET(key, field, dflt, what)                                                   \
    {.name = key, .type = K8TLS_KT_STR, .off = TS(field), .dflt_str = dflt,                      \
     .check = K8TLS_CHECK_SUBDOMAIN, .label = what}

static const struct k8tls_key mgmt_api_table[] = {
    SURFACE_ENABLED(N_("Management API TLS")),
    SURFACE_CA(false),
    SURFACE_SECRET("serverSecretName", server_secret_name, "mgmt-api-server-tls",
                   N_("Management API server Secret")),
    SURFACE_SECRET("clientSecretName", client_secret_name, "mgmt-api-client-tls",
                   N_("Management API client Secret")),
    END};

static const struct k8tls_key reaper_tls_table[] = {
    SURFACE_ENABLED(N_("Reaper API TLS")),
    SURFACE_CA(false),
    SURFACE_SECRET("serverSecretName", server_secret_name, "reaper-api-server-stores",
                   N_("Reaper server stores Secret")),
    /* empty: refused by the rules with the reason (R1, R2), not as a bad name */
    {.name = "clientSecretName", .type = K8TLS_KT_STR, .off = TS(client_secret_name),
     .dflt_str = "reaper-api-client-tls", .check = K8TLS_CHECK_SUBDOMAIN,
     .flags = K8TLS_KF_EMPTY_OK, .label = N_("Reaper client Secret")},
    {.name = "managementSecretName", .type = K8TLS_KT_STR, .off = TS(management_secret_name),
     .dflt_str = "reaper-mgmt-api-stores", .check = K8TLS_CHECK_SUBDOMAIN,
     .flags = K8TLS_KF_EMPTY_OK, .label = N_("Reaper management stores Secret")},
    END};

static const struct k8tls_key medusa_grpc_table[] = {
    SURFACE_ENABLED(N_("Medusa gRPC TLS")),
    SURFACE_CA(true),
    SURFACE_SECRET("serverSecretName", server_secret_name, "medusa-grpc-server-tls",
                   N_("Medusa gRPC server Secret")),
    SURFACE_SECRET("clientSecretName", client_secret_name, "medusa-grpc-client-tls",
                   N_("Medusa gRPC client Secret")),
    END};

static const struct k8tls_key encryption_table[] = {
    {.name = "internode", .type = K8TLS_KT_GROUP, .flags = K8TLS_KF_FLOW, .sub = internode_table},
    {.name = "client", .type = K8TLS_KT_GROUP, .flags = K8TLS_KF_FLOW, .sub = client_table},
    {.name = "medusa", .type = K8TLS_KT_GROUP, .sub = medusa_table},
    {.name = "managementApi", .type = K8TLS_KT_GROUP, .off = P(encryption.management_api),
     .flags = K8TLS_KF_FLOW | K8TLS_KF_TEMPLATE, .sub = mgmt_api_table,
     .label = N_("Management API TLS"),
     .help = N_("managementApi: TLS for the Management API of each Cassandra pod (enabled: false =\n"
                "off); serverSecretName, clientSecretName: the Secrets of its server and client\n"
                "certificates (DNS-1123 names).")},
    {.name = "reaper", .type = K8TLS_KT_GROUP, .off = P(encryption.reaper),
     .flags = K8TLS_KF_FLOW | K8TLS_KF_TEMPLATE, .sub = reaper_tls_table,
     .label = N_("Reaper API TLS"),
     .help = N_("reaper: TLS for Reaper's API (enabled: false = off); serverSecretName: its server\n"
                "stores, clientSecretName: its client certificate, managementSecretName: the stores\n"
                "Reaper uses to reach the Management API (DNS-1123 names).")},
    {.name = "medusaGrpc", .type = K8TLS_KT_GROUP, .off = P(encryption.medusa_grpc),
     .flags = K8TLS_KF_FLOW | K8TLS_KF_TEMPLATE, .sub = medusa_grpc_table,
     .label = N_("Medusa gRPC TLS"),
     .help = N_("medusaGrpc: TLS for Medusa's gRPC service in each Cassandra pod (enabled: false =\n"
                "off); serverSecretName, clientSecretName: the Secrets of its server and client\n"
                "certificates (DNS-1123 names).")},
    END};

#define SK(f) offsetof(struct k8tls_secret_keys, f)
static const struct k8tls_key secret_keys_table[] = {
    {.name = "keystore", .type = K8TLS_KT_STR, .off = SK(keystore),
     .dflt_str = K8TLS_SECRET_KEY_KEYSTORE, .check = K8TLS_CHECK_SECRET_KEY},
    {.name = "truststore", .type = K8TLS_KT_STR, .off = SK(truststore),
     .dflt_str = K8TLS_SECRET_KEY_TRUSTSTORE, .check = K8TLS_CHECK_SECRET_KEY},
    {.name = "keystorePassword", .type = K8TLS_KT_STR, .off = SK(keystore_password),
     .dflt_str = K8TLS_SECRET_KEY_KEYSTORE_PASSWORD, .check = K8TLS_CHECK_SECRET_KEY},
    {.name = "truststorePassword", .type = K8TLS_KT_STR, .off = SK(truststore_password),
     .dflt_str = K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD, .check = K8TLS_CHECK_SECRET_KEY},
    END};

#define SS(f) offsetof(struct k8tls_store_set, f)
static const struct k8tls_key store_import_table[] = {
    {.name = "keystore", .type = K8TLS_KT_STR, .off = SS(keystore_path), .flags = K8TLS_KF_PATH,
     .label = N_("Keystore file")},
    {.name = "keystorePassword", .type = K8TLS_KT_PASSWORD, .off = SS(keystore_password),
     .flags = K8TLS_KF_ALIAS, .shown = set_imported, .label = N_("Keystore password"),
     .help = N_("The password that opens the keystore; env:NAME or file:PATH read it from the "
                "environment or a file.")},
    {.name = "truststore", .type = K8TLS_KT_STR, .off = SS(truststore_path), .flags = K8TLS_KF_PATH,
     .label = N_("Truststore file")},
    {.name = "truststorePassword", .type = K8TLS_KT_PASSWORD, .off = SS(truststore_password),
     .flags = K8TLS_KF_ALIAS, .shown = set_imported, .label = N_("Truststore password"),
     .help = N_("The password that opens the truststore; env:NAME or file:PATH read it from "
                "the environment or a file.")},
    END};

static const struct k8tls_key store_set_table[] = {
    {.name = "secretName", .type = K8TLS_KT_STR, .off = SS(secret_name),
     .flags = K8TLS_KF_PARAM_DFLT, .check = K8TLS_CHECK_SUBDOMAIN, .label = N_("Secret name")},
    {.name = "source", .type = K8TLS_KT_ENUM, .off = SS(source), .flags = K8TLS_KF_PARAM_ALLOWED,
     .dflt_int = K8TLS_SOURCE_GENERATE, .names = source_names, .label = N_("Stores")},
    {.name = "keys", .type = K8TLS_KT_GROUP, .off = SS(keys), .flags = K8TLS_KF_FLOW,
     .sub = secret_keys_table},
    {.name = "keystorePassword", .type = K8TLS_KT_PASSWORD, .off = SS(keystore_password),
     .shown = set_not_imported, .label = N_("Keystore password"), .help = pw_gen_help},
    {.name = "truststorePassword", .type = K8TLS_KT_PASSWORD, .off = SS(truststore_password),
     .shown = set_not_imported, .label = N_("Truststore password"), .help = pw_gen_help},
    {.name = "import", .type = K8TLS_KT_GROUP, .sub = store_import_table,
     .shown = set_import_shown},
    END};

static const struct k8tls_key stores_table[] = {
    {.name = "format", .type = K8TLS_KT_ENUM, .off = P(stores.format),
     .dflt_int = K8TLS_FORMAT_PKCS12, .names = format_names, .label = N_("Store format")},
    {.name = "pkcs12Profile", .type = K8TLS_KT_ENUM, .off = P(stores.p12_profile),
     .dflt_int = K8TLS_P12_MODERN, .names = profile_names, .label = N_("PKCS12 encryption")},
    {.name = "server", .type = K8TLS_KT_GROUP, .off = P(stores.server), .sub = store_set_table,
     .dflt_str = "server-encryption-stores", .allowed = sources_gi,
     .when = k8tls_plan_wants_server_stores},
    {.name = "client", .type = K8TLS_KT_GROUP, .off = P(stores.client), .sub = store_set_table,
     .dflt_str = "client-encryption-stores", .allowed = source_names, .when = own_client_stores},
    END};

#define SU(f) offsetof(struct k8tls_subject, f)
static const struct k8tls_key subject_table[] = {
    {.name = "C", .type = K8TLS_KT_STR, .off = SU(C), .dflt_str = "",
     .check = K8TLS_CHECK_COUNTRY, .label = N_("Country (C)")},
    {.name = "ST", .type = K8TLS_KT_STR, .off = SU(ST), .dflt_str = "", .maxlen = 128,
     .label = N_("State (ST)")},
    {.name = "L", .type = K8TLS_KT_STR, .off = SU(L), .dflt_str = "", .maxlen = 128,
     .label = N_("Locality (L)")},
    {.name = "O", .type = K8TLS_KT_STR, .off = SU(O), .dflt_str = "", .maxlen = 64,
     .label = N_("Organization (O)")},
    {.name = "OU", .type = K8TLS_KT_STR, .off = SU(OU), .dflt_str = "", .maxlen = 64,
     .label = N_("Organizational unit (OU)")},
    /* "" = "<cluster.name> root CA" (k8tls_plan_ca_common_name) */
    {.name = "CN", .type = K8TLS_KT_STR, .off = SU(CN), .dflt_str = "", .maxlen = 64,
     .label = N_("Common name (CN)"),
     .help = N_("Empty: the cluster name followed by \"root CA\".")},
    {.name = "emailAddress", .type = K8TLS_KT_STR, .off = SU(emailAddress),
     .dflt_str = "", .maxlen = 128, .label = N_("E-mail address")},
    END};

#define KS(f) offsetof(struct k8tls_key_spec, f)
static const struct k8tls_key key_spec_table[] = {
    {.name = "set", .type = K8TLS_KT_BOOL, .off = KS(set), .flags = K8TLS_KF_HIDDEN, .dflt_int = 1},
    {.name = "algorithm", .type = K8TLS_KT_ENUM, .off = KS(alg), .dflt_int = K8TLS_KEY_RSA,
     .names = alg_names, .applies = key_set, .label = N_("Key algorithm")},
    {.name = "size", .type = K8TLS_KT_INT, .off = KS(bits), .dflt_int = 3072,
     .check = K8TLS_CHECK_RSA_BITS, .bad = N_("an RSA key size is 2048, 3072 or 4096, not %d"),
     .applies = key_rsa, .label = N_("RSA key size")},
    {.name = "curve", .type = K8TLS_KT_ENUM, .off = KS(curve), .dflt_int = K8TLS_CURVE_P256,
     .names = curve_names, .applies = key_ecdsa, .label = N_("ECDSA curve")},
    END};


static const struct k8tls_key ca_import_table[] = {
    {.name = "cert", .type = K8TLS_KT_STR, .off = P(ca.import_cert), .flags = K8TLS_KF_PATH,
     .label = N_("CA certificate (PEM)")},
    {.name = "key", .type = K8TLS_KT_STR, .off = P(ca.import_key), .flags = K8TLS_KF_PATH,
     .label = N_("CA private key (PEM)")},
    {.name = "keyPassword", .type = K8TLS_KT_PASSWORD, .off = P(ca.import_key_password),
     .label = N_("CA key password"),
     .help = N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                "environment or a file.")},
    END};

static const struct k8tls_key ca_table[] = {
    {.name = "source", .type = K8TLS_KT_ENUM, .off = P(ca.source),
     .dflt_int = K8TLS_SOURCE_GENERATE, .names = source_names, .allowed = sources_gi,
     .label = N_("Root CA")},
    {.name = "subject", .type = K8TLS_KT_GROUP, .off = P(ca.subject), .flags = K8TLS_KF_FLOW,
     .sub = subject_table, .when = ca_generated},
    {.name = "key", .type = K8TLS_KT_GROUP, .off = P(ca.key), .flags = K8TLS_KF_FLOW,
     .sub = key_spec_table, .hook = K8TLS_HOOK_KEY_SPEC, .when = ca_generated},
    {.name = "validityDays", .type = K8TLS_KT_INT, .off = P(ca.validity_days), .dflt_int = 10000,
     .check = K8TLS_CHECK_RANGE, .min = 1, .max = K8TLS_MAX_VALIDITY_DAYS,
     .bad = N_("expected a number of days from 1 to %d, not %d"), .when = ca_generated,
     .label = N_("CA validity (days)")},
    {.name = "import", .type = K8TLS_KT_GROUP, .sub = ca_import_table, .shown = ca_import_shown},
    END};

static const struct k8tls_key certificates_table[] = {
    {.name = "validityDays", .type = K8TLS_KT_INT, .off = P(certificates.validity_days),
     .dflt_int = 3650, .check = K8TLS_CHECK_RANGE, .min = 1, .max = K8TLS_MAX_VALIDITY_DAYS,
     .bad = N_("expected a number of days from 1 to %d, not %d"),
     .label = N_("Node cert. validity (days)")},
    {.name = "extraSANs", .type = K8TLS_KT_STR_LIST, .off = P(certificates.extra_sans),
     .flags = K8TLS_KF_FLOW, .count_off = P(certificates.n_extra_sans), .check = K8TLS_CHECK_HOST,
     .max_items = 1000, .msg_list = N_("expected a list of DNS names or IP addresses, found %s"),
     .msg_many = N_("expected at most %zu names, found %zu"),
     .msg_item = N_("expected a DNS name or an IP address, found %s"), .label = N_("Extra SANs"),
     .help = N_("More DNS names or IP addresses for the node certificates, separated by commas "
                "(the cluster's service names are always there).")},
    {.name = "key", .type = K8TLS_KT_GROUP, .off = P(certificates.key), .flags = K8TLS_KF_FLOW,
     .sub = key_spec_table, .hook = K8TLS_HOOK_LEAF_KEY, .shown = leaf_key_shown},
    END};

/* The cert-manager keys are written only in that mode, so a files-mode answers file stays as it was. */
static bool cert_manager_shown(const void *b)
{
    return ((const struct k8tls_plan *)b)->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
}

static const struct k8tls_key output_table[] = {
    {.name = "directory", .type = K8TLS_KT_STR, .off = P(output.directory), .flags = K8TLS_KF_PATH,
     .dflt_str = "k8tls-out", .need = N_("an output directory is required"),
     .label = N_("Output directory"),
     .help = N_("Created with everything kubectl apply -k needs; an existing directory is "
                "replaced only after you confirm.")},
    {.name = "createNamespace", .type = K8TLS_KT_BOOL, .off = P(output.create_namespace),
     .dflt_int = 0, .label = N_("Namespace manifest")},
    {.name = "clientFiles", .type = K8TLS_KT_BOOL, .off = P(output.client_files),
     .flags = K8TLS_KF_HIDDEN, .dflt_int = 0, .label = N_("Files for cqlsh and nodetool")},
    {.name = "mode", .type = K8TLS_KT_ENUM, .off = P(output.mode), .names = output_modes,
     .dflt_int = K8TLS_OUTPUT_FILES, .shown = cert_manager_shown, .label = N_("Output mode"),
     .help = N_("files: the stores as Secrets, made now. cert-manager: Issuers and Certificates, so "
                "the certificates are made and renewed inside the cluster by cert-manager.")},
    {.name = "issuerKind", .type = K8TLS_KT_ENUM, .off = P(output.issuer_kind),
     .names = issuer_kinds, .dflt_int = K8TLS_ISSUER_NAMESPACED, .shown = cert_manager_shown,
     .label = N_("Issuer kind"),
     .help = N_("Issuer (in the cluster's namespace) or ClusterIssuer (for every namespace).")},
    {.name = "trustManager", .type = K8TLS_KT_BOOL, .off = P(output.trust_manager),
     .dflt_int = 0, .shown = cert_manager_shown, .label = N_("trust-manager truststores"),
     .help = N_("A trust-manager Bundle writes the truststores, so that they can hold the old and "
                "the new CA during a CA rotation.")},
    {.name = "certManagerNamespace", .type = K8TLS_KT_STR, .off = P(output.cm_namespace),
     .dflt_str = "cert-manager", .check = K8TLS_CHECK_LABEL, .shown = cert_manager_shown,
     .label = N_("cert-manager's namespace"),
     .help = N_("Where cert-manager keeps a ClusterIssuer's CA (its cluster resource namespace) "
                "and trust-manager reads a Bundle's sources (its trust namespace).")},
    END};

/* The sections; a section's help is the comment written above it in the template. */
const struct k8tls_key k8tls_plan_table[] = {
    {.name = "apiVersion", .type = K8TLS_KT_CONST, .dflt_str = "k8tls-wizard/v1",
     .help = N_("k8tls-wizard answers file. Use it with: k8tls-wizard --answers FILE [--output DIR] [--apply]\n"
                "Missing keys take the built-in defaults. A password may be a literal, env:NAME (an\n"
                "environment variable) or file:PATH (relative to this file's directory); a password\n"
                "that is not given is generated.")},
    {.name = "cluster", .type = K8TLS_KT_GROUP, .sub = cluster_table,
     .help = N_("The K8ssandraCluster. name, namespace and datacenter names are DNS-1123 labels.\n"
                "manifest: an existing K8ssandraCluster file to add encryption to (\"\" = a new one).\n"
                "serverType: cassandra | dse | hcd. serverVersion: \"N.N.N\" (cassandra 3.11.x, 4.x, 5.x;\n"
                "dse 6.8.x, 6.9.x; hcd 1.x). datacenters[].k8sContext: \"\" = the control-plane context.\n"
                "Stargate (off by default) is DEPRECATED in the current CRD. reaper.deploymentMode:\n"
                "SINGLE | PER_DC | CONTROL_PLANE. medusa.storageProvider: google_storage | azure_blobs |\n"
                "s3 | s3_compatible | s3_rgw | ibm_storage; Medusa's encryption is under encryption.medusa.")},
    {.name = "encryption", .type = K8TLS_KT_GROUP, .sub = encryption_table,
     .hook = K8TLS_HOOK_MEDUSA_DEFAULT,
     .help = N_("What is encrypted. internode.mode: none | dc | rack | all (with requireClientAuth,\n"
                "all is advised: dc and rack allow mTLS bypass). client: CQL and JMX over TLS.\n"
                "medusa: the Medusa client certificate (needs client encryption); source: generate |\n"
                "import, with import: {ca: rootca.crt, cert: client.crt_signed, key: client.key}.")},
    {.name = "stores", .type = K8TLS_KT_GROUP, .sub = stores_table,
     .help = N_("Keystores and truststores. format: pkcs12 | jks. pkcs12Profile: modern (AES-256-CBC,\n"
                "PBKDF2, HMAC-SHA-256) | legacy (3DES, SHA-1: old Java 8). source: generate | import\n"
                "(client also: reuse = the server stores' Secret). keys: the Secret's data keys.\n"
                "import: {keystore: PATH, keystorePassword: env:KS_PW, truststore: PATH,\n"
                "truststorePassword: file:ts.pw}.")},
    {.name = "ca", .type = K8TLS_KT_GROUP, .sub = ca_table,
     .help = N_("The root CA. source: generate | import (import: {cert: PATH, key: PATH, keyPassword: ...}).\n"
                "subject: CN \"\" = \"<cluster.name> root CA\"; C, ST, L, O, OU, emailAddress: empty = left out.\n"
                "key: {algorithm: rsa, size: 2048 | 3072 | 4096} or {algorithm: ecdsa, curve: P-256 | P-384}.")},
    {.name = "certificates", .type = K8TLS_KT_GROUP, .sub = certificates_table,
     .help = N_("Node certificates: validity, extra subject alternative names (DNS names or IP\n"
                "addresses) and, optionally, key: {...} (default: the CA's algorithm and size).")},
    {.name = "output", .type = K8TLS_KT_GROUP, .sub = output_table,
     .help = N_("Where --answers writes when --output is not given; createNamespace adds a Namespace.\n"
                "mode: files | cert-manager (Issuers and Certificates; then issuerKind: Issuer |\n"
                "ClusterIssuer, trustManager: true for a trust-manager Bundle of the CAs,\n"
                "certManagerNamespace: where cert-manager and trust-manager run).")},
    END};

