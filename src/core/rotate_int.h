/* Internal interfaces between the rotation's source files; not for other modules. The rule codes
 * cited in these files are defined in doc/rules.md.
 *
 *   rotate_names.c   the vocabulary: phase and stage names, certificates as messages name them,
 *                    the error helper.
 *   rotate_read.c    input: Secrets from a directory or a kube context, rotation.yaml.
 *   rotate_load.c    reading: the plan and the Secrets into the model, the stage, the CA keys.
 *   rotate_decide.c  deciding: which phase is due, and whether a phase may run now.
 *   rotate_doc.c     the documents of a phase: rotation.yaml, restart task, NEXT-STEPS.md.
 *   rotate_build.c   building: a phase's keys, certificates, stores and bundle.
 *
 * Calls go one way only (no file calls a file that calls it back):
 *
 *   rotate_build.c --> rotate_decide.c, rotate_doc.c, rotate_read.c, rotate_names.c
 *   rotate_load.c  --> rotate_read.c, rotate_names.c
 *   rotate_decide.c, rotate_doc.c, rotate_read.c --> rotate_names.c
 *   rotate_names.c --> no other rotation file
 */
#ifndef K8TLS_ROTATE_INT_H
#define K8TLS_ROTATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "k8tls/rotate.h"
#include "k8tls/secure.h"

/* Proposal thresholds (days). A CA rotation needs three rolling restarts: start it early. */
#define PROPOSE_CA_DAYS 180
#define PROPOSE_LEAF_DAYS 60

/* Where phase trust puts the new CA's key (a later rotation.yaml may name another path). */
#define NEXT_CA_KEY "ca/next-rootca.key"

/* ---- rotate_names.c -------------------------------------------------------------------------- */

/* Adds an error to d (formatted into at most 2047 bytes); path is a key path or an option, or
 * NULL. */
void k8tls_rotate_err(struct k8tls_diags *d, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The Secrets of SPEC §10 the rotation covers: the PEM trios (ca.crt, tls.crt, tls.key) and
 * Reaper's JKS pairs (keystore.jks, truststore.jks, password changeit). */
enum { RT_MGMT_SERVER, RT_MGMT_CLIENT, RT_REAPER_CLIENT, RT_GRPC_SERVER, RT_GRPC_CLIENT,
       RT_COUNT };
enum { RJ_REAPER_SERVER, RJ_REAPER_MGMT, RJ_COUNT };
/* The Secret name of trio (jks) i when the plan wants it, else NULL; its role in messages
 * (translated: "management API server certificate"). */
const char *k8tls_rotate_trio_secret(const struct k8tls_plan *p, int i);
const char *k8tls_rotate_trio_role(int i);
const char *k8tls_rotate_jks_secret(const struct k8tls_plan *p, int i);
const char *k8tls_rotate_jks_role(int i);

/* The surfaces those Secrets belong to (encryption.managementApi, .reaper, .medusaGrpc): a
 * surface whose plan imports a CA of its own is not signed by the cluster CA, so the cluster CA's
 * phases leave it alone and renew signs it with its own CA. */
enum { RS_MGMT, RS_REAPER, RS_GRPC, RS_COUNT };
int k8tls_rotate_trio_surface(int i);
int k8tls_rotate_jks_surface(int i);
/* The surface's own CA in the plan, or NULL when the cluster CA signs it. */
const struct k8tls_surface_ca *k8tls_rotate_surface_own_ca(const struct k8tls_plan *p, int surf);
/* Its answers key ("encryption.managementApi") and its name in prose (translated). */
const char *k8tls_rotate_surface_key(int surf);
const char *k8tls_rotate_surface_name(int surf);

/* SHA-256 of the certificate's DER as 64 hex digits ("" for NULL). */
void k8tls_rotate_fingerprint(X509 *x, char out[65]);

/* How the rotation names a certificate: the subject in RFC 2253 form ("?" for NULL), a label for
 * prose ("CN=..." when the subject has a CN, else the whole subject); both heap strings. The
 * notAfter date as "2036-05-01 12:00:00 UTC" ("?" when unknown). */
char *k8tls_rotate_subject(X509 *x);
char *k8tls_rotate_label(X509 *x);
void k8tls_rotate_date(X509 *x, char *buf, size_t len);

/* ---- rotate_read.c --------------------------------------------------------------------------- */

/* One data entry of a Secret: exact bytes (decoded from base64). */
struct k8tls_rsecret_kv {
    char *key;
    struct k8tls_secret *val;
};

/* One Secret as read. */
struct k8tls_rsecret {
    char *name;
    char *namespace_;        /* metadata.namespace, "" when absent */
    char *origin;            /* for messages: the file, or "context C: Secret NS/NAME" */
    struct k8tls_rsecret_kv *v;
    size_t n;
};

void k8tls_rsecret_clear(struct k8tls_rsecret *s);
/* The value of a data key, or NULL. */
const struct k8tls_secret *k8tls_rsecret_get(const struct k8tls_rsecret *s, const char *key);

/* Parses one Secret from YAML (a v1 Secret: kind, metadata.name, metadata.namespace, data with
 * base64 values; stringData accepted too). origin names the input in messages. Returns 0, or -1
 * with e ("ORIGIN:LINE:COL: ..."). */
int k8tls_rsecret_parse(const char *origin, const char *buf, size_t len, struct k8tls_rsecret *out,
                        struct k8tls_err *e);

/* Reads DIR/manifests/10-secret-NAME.yaml. Returns 0, -1 with e. */
int k8tls_rsecret_from_dir(const char *dir, const char *name, struct k8tls_rsecret *out,
                           struct k8tls_err *e);

/* kubectl [--kubeconfig K] --context C -n NS get secret NAME -o yaml, stdout read from a pipe
 * (wiped). Returns 0; -1 with e for a validation problem (the Secret does not exist); -3 with e
 * for an environment failure (kubectl missing, API unreachable, not authorized). */
int k8tls_rsecret_from_context(const char *kubeconfig, const char *context, const char *ns,
                               const char *name, struct k8tls_rsecret *out, struct k8tls_err *e);

/* rotation.yaml as read back: what the rotate code needs to go on. */
struct k8tls_rotation_file {
    enum k8tls_rotate_phase phase;
    char new_ca_sha256[65];    /* hex, "" when absent */
    char new_ca_key[512];      /* path relative to the directory, "" when absent */
    char cluster[256];         /* the K8ssandraCluster's name, "" when absent */
    char namespace_[256];      /* the Secrets' namespace, "" when absent */
};
/* Reads DIR/rotation.yaml. Returns 1 when read, 0 when there is none, -1 with e when it is
 * malformed. */
int k8tls_rotation_file_read(const char *dir, struct k8tls_rotation_file *out, struct k8tls_err *e);

/* The bytes of a Secret value as a NUL-terminated heap string (NULL when out of memory). */
char *k8tls_rsecret_text(const struct k8tls_secret *s);

/* ---- the model: rotate_load.c fills it and frees it, the others read it ---------------------- */

struct k8tls_rpair {
    bool present;
    const char *label;                  /* "server" / "client" / a Reaper store's alias */
    bool fixed_password;                /* Reaper's changeit: kept even with --new-passwords */
    const struct k8tls_store_set *set;  /* in the state's plan */
    const struct k8tls_rsecret *sec;    /* in priv->secrets */
    const char *k_ks, *k_ts, *k_kspw, *k_tspw;
    struct k8tls_secret *ks, *ts;       /* the store bytes as read */
    char *kspw, *tspw;
    enum k8tls_store_format fmt;
    enum k8tls_p12_profile profile;
    char *alias;
    EVP_PKEY *key;
    X509 *leaf;
    STACK_OF(X509) *chain;
    STACK_OF(X509) *trusted;
};

/* A PEM trio of SPEC §10 as read: ca.crt (one or two CAs), tls.crt, tls.key. */
struct k8tls_rtrio {
    bool present;
    const struct k8tls_rsecret *sec;
    struct k8tls_secret *ca_pem, *cert_pem, *key_pem;
    STACK_OF(X509) *cas;
    X509 *cert;
};

struct k8tls_rmedusa {
    bool present;
    const struct k8tls_rsecret *sec;
    struct k8tls_secret *ca_pem, *cert_pem, *key_pem;
    STACK_OF(X509) *cas;
    X509 *cert;
};

struct k8tls_rotate_priv {
    struct k8tls_rsecret secrets[3 + RT_COUNT + RJ_COUNT];
    size_t n_secrets;
    struct k8tls_rpair server, client;
    struct k8tls_rmedusa medusa;
    struct k8tls_rtrio trio[RT_COUNT];  /* SPEC §10, by RT_* */
    struct k8tls_rpair jks[RJ_COUNT];   /* Reaper's stores, by RJ_* */
    STACK_OF(X509) *trusted;            /* the truststores' CAs (the same in every store) */
    EVP_PKEY *signing_key, *other_key;  /* keys of signing_ca / other_ca when known */
    char *signing_key_origin, *other_key_origin;
    char *dir_key_unmatched;            /* a key file of the directory that matches no CA */
    char *opt_key_path;                 /* --ca-key */
    bool opt_key_signing, opt_key_other;/* which CA --ca-key matches */
    struct k8tls_secret *answers;       /* DIR/answers.yaml as it is */
    char *from_dir, *from_context;
};

/* ---- rotate_decide.c ------------------------------------------------------------------------- */

/* Whether phase ph may run on s now: the stage, the key that signs, expired material (unless
 * o->force). Returns 0, or -1 with the reasons in d. */
int k8tls_rotate_check_phase(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                             const struct k8tls_rotate_opts *o, struct k8tls_diags *d);

/* The CA that signs a phase's new certificates (NULL: none are signed), and its key in *key
 * (NULL when not known). Both borrowed from s. */
X509 *k8tls_rotate_phase_signer(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                                EVP_PKEY **key);

/* ---- rotate_doc.c ---------------------------------------------------------------------------- */

/* Everything rotate_doc.c needs to describe one phase's bundle. */
struct k8tls_rotate_doc {
    enum k8tls_rotate_phase phase;
    const struct k8tls_plan *plan;
    const char *namespace_;
    const char *source;           /* "DIR" / "context NAME" */
    const char *from_dir;         /* may be NULL */
    const char *from_context;     /* may be NULL */
    X509 *signing_ca;             /* signs the leaves of this bundle */
    const char *signing_ca_key;   /* path in the bundle, or NULL when the key is not in it */
    X509 *next_ca;                /* trust: the new CA; else NULL */
    const char *next_ca_key;      /* its key's path in the bundle */
    X509 *previous_ca;            /* reissue: the old CA (still trusted); else NULL */
    STACK_OF(X509) *trusted;      /* the CAs of the truststores of this bundle */
    bool passwords_kept;
    const char *const *secret_names;   /* NULL-terminated */
    X509 *server_leaf, *client_leaf, *medusa_cert;   /* may be NULL */
    X509 *trio_cert[RT_COUNT], *jks_leaf[RJ_COUNT];  /* SPEC §10 leaves in the bundle, or NULL */
    bool own_ca[RS_COUNT];        /* surfaces of the bundle signed by a CA of their own */
    const char *server_secret, *client_secret;
    const char *restart_task_path;     /* "restart/k8ssandratask.yaml" */
    const char *restart_task_name;
};

/* rotation.yaml through libyaml. */
int k8tls_rotate_doc_rotation_yaml(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                   struct k8tls_err *e);
/* The K8ssandraTask restarting every datacenter of the cluster, through libyaml. */
int k8tls_rotate_doc_restart_task(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                  struct k8tls_err *e);
/* NEXT-STEPS.md of the phase (Markdown; the YAML in it is the restart task's). */
int k8tls_rotate_doc_next_steps(const struct k8tls_rotate_doc *doc, char **out, size_t *len,
                                struct k8tls_err *e);

#endif
