/* The staged rollout (issue 15; doc/staged-rollout.md sections 3 and 4): turning encryption on
 * in a running cluster one phase per rolling restart. The plan's encryption section is the
 * target; a phase writes its own values into the manifest's cassandraYaml (k8tls_rollout_values)
 * and names itself in the annotation K8TLS_ROLLOUT_ANNOTATION. Which phases a cluster gets
 * depends on serverType, serverVersion and the manifest's datacenters and racks (section 3.6);
 * some clusters get none (refusals, one line each with the reason and what to do).
 * Implemented in src/core/rollout.c: data and rules only, no I/O. */
#ifndef K8TLS_ROLLOUT_H
#define K8TLS_ROLLOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/plan.h"

/* On the K8ssandraCluster's metadata.annotations: the phase the manifest is. */
#define K8TLS_ROLLOUT_ANNOTATION "k8tls-wizard/rollout-phase"
#define K8TLS_ROLLOUT_MAX_PHASES 4

/* The phase as in the answers file and the annotation ("accept", "send", "enforce",
 * "clientsRequired"), as on the command line ("clients-required"), and the parse of either
 * (-1 when neither). */
const char *k8tls_rollout_phase_name(enum k8tls_rollout_phase ph);
const char *k8tls_rollout_phase_cli_name(enum k8tls_rollout_phase ph);
int k8tls_rollout_phase_parse(const char *s);

/* The release line of a Cassandra serverVersion. */
enum k8tls_cass_line { K8TLS_CASS_UNKNOWN, K8TLS_CASS_311, K8TLS_CASS_40, K8TLS_CASS_41,
                       K8TLS_CASS_50 /* 5.0 and later */ };
enum k8tls_cass_line k8tls_cass_line_of(const char *server_version);

/* What a phase writes under spec.cassandra.config.cassandraYaml. */
struct k8tls_rollout_values {
    enum k8tls_internode_mode internode;  /* server_encryption_options.internode_encryption */
    int internode_optional;               /* its optional: 1, 0, or -1 = not written (3.11, none) */
    bool client_enabled;                  /* client_encryption_options.enabled */
    bool client_optional;                 /* its optional */
};

/* The phases of a plan in order (its target, serverType, serverVersion and datacenters with
 * their racks as adopted from the manifest). Returns their number (1 to 4) into out, or 0 when
 * the staged path is refused: why then holds one line, the reason and what to do (translated). */
size_t k8tls_rollout_sequence(const struct k8tls_plan *p,
                              enum k8tls_rollout_phase out[K8TLS_ROLLOUT_MAX_PHASES], char *why,
                              size_t why_len);

/* The cassandraYaml values of phase ph of plan p (section 3 tables). */
void k8tls_rollout_values(const struct k8tls_plan *p, enum k8tls_rollout_phase ph,
                          struct k8tls_rollout_values *v);

/* Where a manifest (the running one, a phase's, or the live K8ssandraCluster) stands. */
struct k8tls_rollout_stage {
    bool encrypted;                 /* internode_encryption other than none, or client enabled */
    bool has_phase;                 /* the annotation names a phase */
    enum k8tls_rollout_phase phase;
    char bad_phase[64];             /* the annotation's value when it names no phase, else "" */
    struct k8tls_rollout_values values;   /* as read; internode_optional -1 when absent */
    size_t n_dcs;                   /* spec.cassandra.datacenters */
};

/* Reads the stage from YAML text holding one K8ssandraCluster among any documents (a manifest
 * file, `kubectl get k8ssandracluster NAME -o yaml`); origin names it in messages. From a file
 * (bounded size). Return 0, or -1 with e (file:line:col). */
#include "k8tls/err.h"
int k8tls_rollout_stage_parse(const char *origin, const char *buf, size_t len,
                              struct k8tls_rollout_stage *st, struct k8tls_err *e);
int k8tls_rollout_stage_read_file(const char *path, struct k8tls_rollout_stage *st,
                                  struct k8tls_err *e);

/* The phase due after stage st in the sequence seq (n phases): the first one before any phase,
 * the one after st's phase. Returns 1 with *due set, 0 when the rollout is complete, -1 when st
 * does not fit the sequence (encrypted without a phase, a phase not in it): why says so. */
int k8tls_rollout_due(const struct k8tls_rollout_stage *st, const enum k8tls_rollout_phase *seq,
                      size_t n, enum k8tls_rollout_phase *due, char *why, size_t why_len);

/* Does the stage's cassandraYaml hold exactly the values phase ph of p writes? On a mismatch,
 * what (if not NULL) names the first key that differs with both values. */
bool k8tls_rollout_stage_matches(const struct k8tls_rollout_stage *st, const struct k8tls_plan *p,
                                 enum k8tls_rollout_phase ph, char *what, size_t what_len);

/* The phase's title for people, translated ("accept TLS from peers and clients"). */
const char *k8tls_rollout_phase_title(const struct k8tls_plan *p, enum k8tls_rollout_phase ph);

#endif
