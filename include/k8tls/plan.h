/* The plan: every choice the user makes. Plain data: no curses, no OpenSSL objects.
 * Loaded from an answers file (answers.h), edited by the TUI, seeded by the defaults. */
#ifndef K8TLS_PLAN_H
#define K8TLS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/err.h"

struct k8tls_posmap;   /* private to plan.c: key path -> position in the answers file */

enum k8tls_server_type { K8TLS_SERVER_CASSANDRA, K8TLS_SERVER_DSE, K8TLS_SERVER_HCD };
enum k8tls_internode_mode { K8TLS_INTERNODE_NONE, K8TLS_INTERNODE_DC, K8TLS_INTERNODE_RACK,
                            K8TLS_INTERNODE_ALL };
/* REUSE is valid for stores.client only: the client stores are the server stores' Secret. */
enum k8tls_source { K8TLS_SOURCE_GENERATE, K8TLS_SOURCE_IMPORT, K8TLS_SOURCE_REUSE };
enum k8tls_store_format { K8TLS_FORMAT_PKCS12, K8TLS_FORMAT_JKS };
enum k8tls_p12_profile { K8TLS_P12_MODERN, K8TLS_P12_LEGACY };
enum k8tls_key_alg { K8TLS_KEY_RSA, K8TLS_KEY_ECDSA };
enum k8tls_curve { K8TLS_CURVE_P256, K8TLS_CURVE_P384 };
/* output.mode: the bundle of files and Secrets, or cert-manager resources (SPEC §11). */
enum k8tls_output_mode { K8TLS_OUTPUT_FILES, K8TLS_OUTPUT_CERT_MANAGER };
enum k8tls_issuer_kind { K8TLS_ISSUER_NAMESPACED, K8TLS_ISSUER_CLUSTER };

/* A password as the user gave it. ref == NULL: generate one. Otherwise "env:NAME", "file:PATH"
 * or a literal. 'value' is filled by k8tls_plan_resolve (wiped by k8tls_plan_free). */
struct k8tls_password {
    char *ref;
    char *value;
    struct k8tls_pos pos;
};

struct k8tls_key_spec {
    bool set;                 /* for certificates.key: false = same as the CA's */
    enum k8tls_key_alg alg;
    int bits;                 /* rsa: 2048 | 3072 | 4096 */
    enum k8tls_curve curve;   /* ecdsa */
};

struct k8tls_subject {
    char *C, *ST, *L, *O, *OU, *CN, *emailAddress;   /* NULL or "" = absent */
};

struct k8tls_dc {
    char *name;
    int size;
    char *k8s_context;        /* "" = the control-plane context */
    struct k8tls_pos pos;
};

/* Secret keys (K2); defaults keystore, truststore, keystore-password, truststore-password. */
#define K8TLS_SECRET_KEY_KEYSTORE "keystore"
#define K8TLS_SECRET_KEY_TRUSTSTORE "truststore"
#define K8TLS_SECRET_KEY_KEYSTORE_PASSWORD "keystore-password"
#define K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD "truststore-password"
/* A store set's Secret key: the plan's name k, or dflt (one of the K2 defaults above) when k is
 * unset or empty. */
const char *k8tls_store_key(const char *k, const char *dflt);

struct k8tls_secret_keys {
    char *keystore, *truststore, *keystore_password, *truststore_password;
};

struct k8tls_store_set {
    char *secret_name;
    enum k8tls_source source;
    struct k8tls_secret_keys keys;
    /* generate: passwords may be given (else generated); import: paths + passwords */
    char *keystore_path;
    struct k8tls_password keystore_password;
    char *truststore_path;
    struct k8tls_password truststore_password;
};

/* A TLS surface that the plan can describe before the manifest and the PKI use it: off by default,
 * named by its Secrets (DNS-1123 subdomains). management_secret_name is Reaper's only. */
/* The CA that signs a surface's certificates: the cluster's, or one imported for the surface
 * (paths and key password as in ca.import). */
enum k8tls_surface_ca_source { K8TLS_SURFACE_CA_CLUSTER, K8TLS_SURFACE_CA_IMPORT };
struct k8tls_surface_ca {
    enum k8tls_surface_ca_source source;
    char *import_cert, *import_key;
    struct k8tls_password import_key_password;
};
struct k8tls_tls_surface {
    bool enabled;
    char *server_secret_name, *client_secret_name;
    char *management_secret_name;
    struct k8tls_surface_ca ca;
};

struct k8tls_plan {
    /* where it came from: the answers file path (NULL for defaults); relative paths in the
     * plan resolve against its directory */
    char *source_file;

    struct {
        char *name, *namespace_, *manifest;
        enum k8tls_server_type server_type;
        char *server_version;
        char *storage_class, *storage_size;
        struct k8tls_dc *dcs;
        size_t n_dcs;
        struct { bool enabled; int size; } stargate;
        struct { bool enabled; char *deployment_mode; } reaper;   /* SINGLE | PER_DC */
        struct { bool enabled; char *storage_provider, *bucket_name, *storage_secret; } medusa;
    } cluster;

    struct {
        struct { enum k8tls_internode_mode mode; bool require_client_auth;
                 bool require_endpoint_verification; } internode;
        struct { bool enabled, optional, require_client_auth; } client;
        struct {
            bool enabled;             /* Medusa client certificate (needs client encryption, K8) */
            enum k8tls_source source; /* generate | import */
            char *secret_name;
            char *import_ca, *import_cert, *import_key;  /* import: PEM paths */
        } medusa;
        /* the Management API, Reaper's API, Medusa's gRPC (SPEC §10; k8tls_plan_wants_mgmt_api...) */
        struct k8tls_tls_surface management_api, reaper, medusa_grpc;
    } encryption;

    struct {
        enum k8tls_store_format format;
        enum k8tls_p12_profile p12_profile;
        struct k8tls_store_set server, client;
    } stores;

    struct {
        enum k8tls_source source;     /* generate | import */
        struct k8tls_subject subject;
        struct k8tls_key_spec key;
        int validity_days;
        char *import_cert, *import_key;
        struct k8tls_password import_key_password;
    } ca;

    struct {
        int validity_days;
        char **extra_sans;
        size_t n_extra_sans;
        struct k8tls_key_spec key;    /* .set == false: the CA's algorithm and size */
    } certificates;

    struct {
        char *directory;
        bool create_namespace;
        bool client_files;    /* clients/ (O1): --client-files; not in the answers file */
        enum k8tls_output_mode mode;        /* files | cert-manager (--output-mode) */
        enum k8tls_issuer_kind issuer_kind; /* cert-manager: Issuer | ClusterIssuer */
        bool trust_manager;   /* cert-manager: a trust-manager Bundle builds the truststores */
        /* cert-manager: cert-manager's namespace, where a ClusterIssuer's CA Secret lives (its
         * cluster resource namespace) and trust-manager reads a Bundle's sources (its trust
         * namespace); "cert-manager" with the Helm charts' defaults */
        char *cm_namespace;
    } output;

    /* Run-time switch, not part of the answers file: set by --force. Imported certificates that
     * have expired are then accepted with a warning instead of refused (S8). */
    bool allow_expired;

    /* positions of keys as read from the answers file, for diagnostics: "cluster.name" -> pos */
    struct k8tls_posmap *positions;
};

/* Bounds the loader and the plan rules share: validity in days, the number of datacenters. */
#define K8TLS_MAX_VALIDITY_DAYS 36500
#define K8TLS_MAX_DCS 1000

/* The serverVersion a new plan gets for each serverType: the newest release of the line the
 * operator's management-api images support (Cassandra 4.1.x, DSE 6.9.x, HCD 1.2.x). */
#define K8TLS_DEFAULT_CASSANDRA_VERSION "4.1.12"
#define K8TLS_DEFAULT_DSE_VERSION "6.9.24"
#define K8TLS_DEFAULT_HCD_VERSION "1.2.0"
const char *k8tls_server_default_version(enum k8tls_server_type t);
/* Is version ("N.N.N") one the serverType supports (K10: cassandra 3.11.x, 4.x.x, 5.x.x; dse
 * 6.8.x, 6.9.x, 7.x.x; hcd 1.x.x)? */
bool k8tls_server_version_fits(enum k8tls_server_type t, const char *version);

/* The CA's common name: ca.subject.CN, or "<cluster.name> root CA" when it is empty. Heap string,
 * NULL on OOM. */
char *k8tls_plan_ca_common_name(const struct k8tls_plan *p);

/* The built-in defaults (the docs' example, with what a real cluster wants: a current Cassandra,
 * Stargate off, a CA named after the cluster). Returns NULL on OOM. */
struct k8tls_plan *k8tls_plan_new_defaults(void);
struct k8tls_plan *k8tls_plan_dup(const struct k8tls_plan *p);
void k8tls_plan_free(struct k8tls_plan *p);

/* Replaces the datacenter list by n zeroed entries (n == 0: empty). Returns 0 or -1 (OOM). */
int k8tls_plan_set_dcs(struct k8tls_plan *p, size_t n);

/* The directory relative paths of the plan resolve against: the answers file's directory, or "."
 * (defaults, stdin). Heap string. */
char *k8tls_plan_base_dir(const struct k8tls_plan *p);

/* Position of a key path recorded by the loader ({0,0} if unknown). Paths are dotted with
 * indexes, as in diagnostics: "cluster.datacenters[1].name". */
struct k8tls_pos k8tls_plan_pos(const struct k8tls_plan *p, const char *path);
void k8tls_plan_set_pos(struct k8tls_plan *p, const char *path, struct k8tls_pos pos);

/* Pure validation, no crypto, no file reads: adds errors and warnings (K8, K10, K11, K12, K15, X7,
 * DNS-1123 names, sizes, enums already checked by the loader, serverVersion vs serverType).
 * Returns the number of errors added. */
size_t k8tls_plan_validate(const struct k8tls_plan *p, struct k8tls_diags *d);

/* Resolves the password references the plan uses (store passwords of the stores it produces, the
 * imported CA key's password) into .value: env:/file: references are read (relative files against
 * k8tls_plan_base_dir) and checked against K11; literals are copied (k8tls_plan_validate checks
 * them). Passwords without a reference keep .value NULL: generate them. Errors are added to d with
 * the reference's position. Returns the number of errors added. */
size_t k8tls_plan_resolve(struct k8tls_plan *p, struct k8tls_diags *d);

/* Compares two plans field by field (meaning only: not source_file, positions or resolved
 * password values; key fields that do not apply to the algorithm are ignored). Returns true when
 * they are the same; otherwise what (if not NULL) receives the first differing key path. */
bool k8tls_plan_same(const struct k8tls_plan *a, const struct k8tls_plan *b, char *what, size_t len);

/* Kubernetes names: a DNS-1123 label (at most 63 of [a-z0-9-], alphanumeric at both ends) and a
 * DNS-1123 subdomain (labels joined by '.', at most 253), as used by k8tls_plan_validate. */
bool k8tls_dns1123_label(const char *s);
bool k8tls_dns1123_subdomain(const char *s);

/* Helpers for the enums: names as in the answers file ("cassandra", "all", "pkcs12", ...). */
const char *k8tls_server_type_name(enum k8tls_server_type t);
const char *k8tls_internode_mode_name(enum k8tls_internode_mode m);
const char *k8tls_source_name(enum k8tls_source s);
const char *k8tls_store_format_name(enum k8tls_store_format f);
const char *k8tls_p12_profile_name(enum k8tls_p12_profile p);
const char *k8tls_key_alg_name(enum k8tls_key_alg a);
const char *k8tls_curve_name(enum k8tls_curve c);
/* The reverse: the enum value for a name, or -1 when it is not one (names are case-sensitive). */
int k8tls_server_type_parse(const char *s);
int k8tls_internode_mode_parse(const char *s);
int k8tls_source_parse(const char *s);
int k8tls_store_format_parse(const char *s);
int k8tls_p12_profile_parse(const char *s);
int k8tls_key_alg_parse(const char *s);
int k8tls_curve_parse(const char *s);

/* Does the plan produce client stores (client encryption on; with stores.client.source reuse the
 * manifest's clientEncryptionStores point at the server stores' Secret and no new client stores
 * are made)? Server stores (internode != none)? Medusa certificates (cluster.medusa.enabled &&
 * client encryption on && encryption.medusa.enabled)? */
bool k8tls_plan_wants_server_stores(const struct k8tls_plan *p);
bool k8tls_plan_wants_client_stores(const struct k8tls_plan *p);
bool k8tls_plan_wants_medusa_certs(const struct k8tls_plan *p);

/* The other TLS surfaces (SPEC §10), each only where its component runs: management API mutual
 * TLS (M1); Reaper's REST API over mutual TLS (R1: Reaper on and encryption.reaper.enabled);
 * Reaper's stores for the management API (R2: management API TLS on and Reaper on, whatever
 * encryption.reaper says); Medusa's gRPC over mutual TLS (G1: Medusa on). */
bool k8tls_plan_wants_mgmt_api(const struct k8tls_plan *p);
bool k8tls_plan_wants_reaper_api(const struct k8tls_plan *p);
bool k8tls_plan_wants_reaper_mgmt(const struct k8tls_plan *p);
bool k8tls_plan_wants_medusa_grpc(const struct k8tls_plan *p);

/* Does datacenter i name a k8sContext that no earlier datacenter names? (Each context that runs
 * a datacenter once, in the datacenters' order; false for a datacenter without k8sContext.) */
bool k8tls_plan_dc_context_is_first(const struct k8tls_plan *p, size_t i);

#endif
