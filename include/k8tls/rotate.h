/* Certificate renewal and CA rotation without downtime.
 *
 * The flow starts from what exists: the Secrets of an output directory written earlier (bundle.h's
 * layout: answers.yaml, manifests/10-secret-*.yaml, ca/, rotation.yaml) or the Secrets of a kube
 * context (`kubectl get secret NAME -o yaml`, read from a pipe). From them it detects where the
 * cluster stands, then builds the bundle of one phase:
 *
 *   renew    same CA: new keystore leaves and Medusa certificate signed by the current CA;
 *            truststores, passwords and Secret names unchanged.               (steady -> steady)
 *   trust    a new root CA is made; truststores hold the old and the new CA; keystores and the
 *            Medusa certificate unchanged; Medusa's rootca.crt holds both.   (steady -> trusting)
 *   reissue  keystores and the Medusa certificate signed by the new CA; truststores still hold
 *            both CAs.                                                      (trusting -> reissued)
 *   retire   truststores (and Medusa's rootca.crt) hold only the new CA.    (reissued -> steady)
 *
 * Between two phases every Cassandra pod must restart (a rolling restart), so that no node of the
 * previous phase is left when the next one starts: a node holding phase N-1 stores and one holding
 * phase N stores always trust each other, phase 0 and phase 3 stores do not.
 *
 * The bundle of a phase holds only Secrets (the K8ssandraCluster is not touched: the Secret names
 * and keys stay the same): manifests/10-secret-*.yaml, kustomization.yaml listing them, ca/,
 * stores/, medusa/, answers.yaml, rotation.yaml (the phase, the CAs and where their keys are),
 * restart/k8ssandratask.yaml (the rolling restart) and NEXT-STEPS.md. Write it with
 * k8tls_output_write, apply it with k8tls_kube_apply (the plan: k8tls_rotate_state_plan). */
#ifndef K8TLS_ROTATE_H
#define K8TLS_ROTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "k8tls/err.h"
#include "k8tls/plan.h"
#include "k8tls/pki.h"
#include "k8tls/bundle.h"
#include "k8tls/inspect.h"

enum k8tls_rotate_phase {
    K8TLS_ROTATE_NONE = 0,     /* no phase asked (propose one) / nothing is due */
    K8TLS_ROTATE_RENEW,
    K8TLS_ROTATE_TRUST,
    K8TLS_ROTATE_REISSUE,
    K8TLS_ROTATE_RETIRE,
};

/* Where the existing Secrets stand. */
enum k8tls_rotate_stage {
    K8TLS_STAGE_STEADY,        /* one CA trusted, the leaves signed by it (before a rotation, or
                                * after retire) */
    K8TLS_STAGE_TRUSTING,      /* two CAs trusted, the leaves signed by the old one (after trust) */
    K8TLS_STAGE_REISSUED,      /* two CAs trusted, the leaves signed by the new one (after
                                * reissue) */
};

/* Where to start from. At least one of from_dir and from_context. */
struct k8tls_rotate_opts {
    const char *from_dir;       /* an output directory written by the wizard or by a phase */
    const char *from_context;   /* read the live Secrets from this kube context (they win over
                                 * the directory's: the check "is the cluster at phase N" is made
                                 * on them) */
    const char *kubeconfig;     /* for from_context; NULL: KUBECONFIG, then ~/.kube/config */
    const char *answers;        /* the plan (Secret names, namespace, keys) when there is no
                                 * directory; NULL: from_dir/answers.yaml, else the defaults */
    const char *ca_key;         /* PEM private key of the CA that signs this phase's certificates
                                 * (renew: the current CA; reissue: the new CA); NULL: the
                                 * directory's ca/rootca.key or the new CA key rotation.yaml names */
    const char *ca_key_password;/* env:NAME / file:PATH / literal, for an encrypted ca_key */
    const char *const *also_contexts;  /* with from_context: more contexts whose Secrets must be
                                 * at the same stage (the apply targets); the plan's datacenter
                                 * contexts are always checked */
    size_t n_also_contexts;
    bool new_passwords;         /* generate new store passwords (default: keep them) */
    bool force;                 /* go on although old material has expired */
};

/* One certificate found, for display (the TUI's list; the CLI prints the inspect report). */
struct k8tls_rotate_cert {
    char *role;                 /* translated: "root CA", "new root CA", "server keystore", ... */
    char *where;                /* "Secret server-encryption-stores: keystore" */
    char *subject;
    char *not_after;            /* "2036-05-01 12:00:00 UTC" */
    long days_left;             /* negative when expired */
};

/* What was found. Read-only for callers; free with k8tls_rotate_state_free. */
struct k8tls_rotate_state {
    struct k8tls_plan *plan;            /* the plan (Secret names, namespace, keys) */
    char *source;                       /* "DIR" or "context NAME", for messages */
    char *namespace_;                   /* where the Secrets live */
    enum k8tls_rotate_stage stage;
    X509 *signing_ca;                   /* the CA that signs the leaves now */
    X509 *other_ca;                     /* trusting: the new CA; reissued: the old one; else NULL */
    struct k8tls_rotate_cert *certs;    /* CAs, then leaves */
    size_t n_certs;
    long min_leaf_days;                 /* the leaf that expires first */
    long ca_days;                       /* days left of the CA that signs the leaves */
    struct k8tls_inspect_report report; /* inspect's report of every Secret read */
    struct k8tls_rotate_priv *priv;     /* stores, keys, passwords, Secret bytes */
};

/* The decision for a phase: the one asked, or the one proposed (asked = NONE). */
struct k8tls_rotate_decision {
    enum k8tls_rotate_phase phase;      /* NONE: nothing is due (proposal only) */
    bool allowed;                       /* false: refused, the reasons are in d */
    char reason[1024];                  /* translated: why this phase (proposal) */
};

/* Reads the existing material (Secrets, CA keys, rotation.yaml) and detects the stage. With
 * from_context, the Secrets of every other datacenter context of the plan (K9) are read too and
 * must be at the same stage with the same CAs. Problems (unreadable or inconsistent Secrets,
 * wrong passwords, a Secret missing from the cluster) are errors in d naming the file or Secret.
 * Returns 0; -1 for a validation problem (exit 1); -3 for an environment failure (kubectl
 * missing, API unreachable or refusing: exit 3). On failure *out is NULL. */
int k8tls_rotate_load(const struct k8tls_rotate_opts *o, struct k8tls_rotate_state **out,
                      struct k8tls_diags *d);
void k8tls_rotate_state_free(struct k8tls_rotate_state *s);
/* The plan the bundle uses (for k8tls_kube_apply). */
const struct k8tls_plan *k8tls_rotate_state_plan(const struct k8tls_rotate_state *s);

/* Decides: with asked == NONE, proposes the next phase (or NONE: nothing is due) and says why;
 * otherwise checks that the asked phase may run from this stage (trust/renew from steady, reissue
 * after trust, retire after reissue), that the CA key it needs is known and matches, and that no
 * old material has expired (unless o->force). Refusals are errors in d. Returns 0 when the
 * decided phase may run (or nothing is due), -1 when refused. */
int k8tls_rotate_plan(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase asked,
                      const struct k8tls_rotate_opts *o, struct k8tls_rotate_decision *out,
                      struct k8tls_diags *d);

/* Builds the bundle of a phase (checks k8tls_rotate_plan first; nothing is built when it
 * refuses). Keys are made on worker threads; progress may be NULL. Notes (capped validity, CA
 * close to expiry...) go to (*out)->notes. Returns 0, or -1 with errors in d. */
int k8tls_rotate_run(struct k8tls_rotate_state *s, enum k8tls_rotate_phase phase,
                     const struct k8tls_rotate_opts *o, k8tls_progress_cb progress, void *ud,
                     struct k8tls_bundle **out, struct k8tls_diags *d);

/* After phase ph was built from s: does a surface of it need a rolling restart of the Cassandra
 * pods (NEXT-STEPS.md section 2)? Always for the CA phases and new passwords; after a renewal
 * only for what does not reload by itself (Cassandra before 4.0, DSE, HCD, Medusa, the
 * management API, Medusa's gRPC server). */
bool k8tls_rotate_needs_rolling_restart(const struct k8tls_rotate_state *s,
                                        enum k8tls_rotate_phase ph, bool new_passwords);

/* Names as on the command line ("renew", "trust", "reissue", "retire"; "" for NONE), the parse
 * (-1 when unknown), a translated title ("CA rotation, phase 1 of 3: trust both CAs"), and the
 * stage as a translated phrase. */
const char *k8tls_rotate_phase_name(enum k8tls_rotate_phase ph);
int k8tls_rotate_phase_parse(const char *s);
const char *k8tls_rotate_phase_title(enum k8tls_rotate_phase ph);
const char *k8tls_rotate_stage_describe(enum k8tls_rotate_stage st);

/* Prints what was found (stage, CAs, leaves with days left) as a short summary (FILE *). */
void k8tls_rotate_print_summary(const struct k8tls_rotate_state *s, void *stream);

#endif
