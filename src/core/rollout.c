/* The staged rollout's rules (rollout.h): the phases per server version and topology, the values
 * each phase writes, the phase due after a stage. The facts and the reasons are those of
 * doc/staged-rollout.md (section numbers cited below); data and rules only, no I/O. */
#include "config.h"
#include "k8tls/rollout.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = {"accept", "send", "enforce", "clientsRequired"};
static const char *const phase_cli[] = {"accept", "send", "enforce", "clients-required"};

const char *k8tls_rollout_phase_name(enum k8tls_rollout_phase ph)
{
    return (unsigned)ph < 4 ? phase_names[ph] : "?";
}

const char *k8tls_rollout_phase_cli_name(enum k8tls_rollout_phase ph)
{
    return (unsigned)ph < 4 ? phase_cli[ph] : "?";
}

int k8tls_rollout_phase_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, phase_names[i]) == 0 || strcmp(s, phase_cli[i]) == 0)
            return i;
    return -1;
}

enum k8tls_cass_line k8tls_cass_line_of(const char *v)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return K8TLS_CASS_UNKNOWN;
    long major = strtol(v, &end, 10), minor = 0;
    if (*end == '.' && end[1] >= '0' && end[1] <= '9')
        minor = strtol(end + 1, &end, 10);
    if (major == 3 && minor == 11)
        return K8TLS_CASS_311;
    if (major == 4 && minor == 0)
        return K8TLS_CASS_40;
    if (major == 4 && minor == 1)
        return K8TLS_CASS_41;
    if (major >= 5)
        return K8TLS_CASS_50;
    return K8TLS_CASS_UNKNOWN;
}

/* 3.11 (section 3.5): a datacenter whose racks each hold one node at most; no racks = one
 * default rack of `size` nodes. Returns the first datacenter that has a rack of several. */
static const struct k8tls_dc *rack_of_several(const struct k8tls_plan *p)
{
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const struct k8tls_dc *dc = &p->cluster.dcs[i];
        int racks = dc->racks > 0 ? dc->racks : 1;
        if (dc->size > racks)
            return dc;
    }
    return NULL;
}

size_t k8tls_rollout_sequence(const struct k8tls_plan *p,
                              enum k8tls_rollout_phase out[K8TLS_ROLLOUT_MAX_PHASES], char *why,
                              size_t why_len)
{
    enum k8tls_internode_mode target = p->encryption.internode.mode;
    bool client = p->encryption.client.enabled;
    const char *ver = p->cluster.server_version ? p->cluster.server_version : "";
    size_t ndc = p->cluster.n_dcs, n = 0;
    why[0] = '\0';

    if (p->cluster.server_type != K8TLS_SERVER_CASSANDRA) {
        /* section 1.5: closed source; DSE 6.9.7's transitional mode starts with `none` +
         * optional, which the operator cannot serve (section 2) */
        snprintf(why, why_len,
                 _("the staged rollout is refused for serverType %s: its transitional mode starts "
                   "from internode_encryption none with optional, which the operator cannot serve, "
                   "and nothing confirms a safe sequence (doc/staged-rollout.md section 1.5); use "
                   "--one-shot in a maintenance window (stop every datacenter, apply, start them)"),
                 k8tls_server_type_name(p->cluster.server_type));
        return 0;
    }
    enum k8tls_cass_line line = k8tls_cass_line_of(ver);
    if (line == K8TLS_CASS_UNKNOWN) {
        snprintf(why, why_len,
                 _("the staged rollout knows no phases for Cassandra %s (only 3.11, 4.0, 4.1 and "
                   "5.0 or later were read); use --one-shot in a maintenance window"),
                 ver);
        return 0;
    }
    if (target == K8TLS_INTERNODE_NONE && !client) {
        snprintf(why, why_len, "%s",
                 _("nothing to turn on: encryption.internode.mode is none and client encryption "
                   "is off; set the encryption the cluster should end with"));
        return 0;
    }
    if (target != K8TLS_INTERNODE_NONE && ndc > 1 &&
        (line == K8TLS_CASS_40 || line == K8TLS_CASS_41)) {
        /* section 3.4 */
        snprintf(why, why_len,
                 _("staged internode encryption is refused for Cassandra %s with %zu datacenters: "
                   "no mode listens for TLS while sending plain to the other datacenters, and "
                   "4.0/4.1 have no fallback, so cross-datacenter traffic would fail during the "
                   "restart (doc/staged-rollout.md section 3.4); set encryption.internode.mode: "
                   "none for the client phases only, upgrade to Cassandra 5.0 first, or use "
                   "--one-shot in a maintenance window"),
                 ver, ndc);
        return 0;
    }
    if (target != K8TLS_INTERNODE_NONE && ndc > 1 && line == K8TLS_CASS_311) {
        snprintf(why, why_len,
                 _("staged internode encryption is refused for Cassandra %s with %zu datacenters: "
                   "every mode but none encrypts toward the other datacenters at once, to pods "
                   "that have no TLS listener yet (doc/staged-rollout.md section 3.5); set "
                   "encryption.internode.mode: none for the client phases only, upgrade to "
                   "Cassandra 4.0 or later (one datacenter) or 5.0, or use --one-shot in a "
                   "maintenance window"),
                 ver, ndc);
        return 0;
    }
    if (target == K8TLS_INTERNODE_ALL && line == K8TLS_CASS_311) {
        const struct k8tls_dc *dc = rack_of_several(p);
        if (dc) {
            int racks = dc->racks > 0 ? dc->racks : 1;
            snprintf(why, why_len,
                     _("staged internode mode all is refused for Cassandra %s: datacenter %s has "
                       "%d nodes in %d racks, and a node still on rack sends plain to a "
                       "rack-mate on all, which has no plain listener (doc/staged-rollout.md "
                       "section 3.5); set encryption.internode.mode: rack (traffic between racks "
                       "encrypted), give every node a rack of its own, or use --one-shot in a "
                       "maintenance window"),
                     ver, dc->name ? dc->name : "?", dc->size, racks);
            return 0;
        }
    }

    /* accept: C1 and the first internode step (sections 3.1-3.5) */
    out[n++] = K8TLS_PHASE_ACCEPT;
    if (target != K8TLS_INTERNODE_NONE) {
        bool send = false, enforce = false;
        switch (line) {
        case K8TLS_CASS_50:
            enforce = true;                        /* 3.2: all/dc/rack optional, then strict */
            break;
        case K8TLS_CASS_40:
        case K8TLS_CASS_41:
            send = target != K8TLS_INTERNODE_DC;   /* 3.3: dc optional, target optional, strict */
            enforce = true;
            break;
        default:                                   /* 3.11: dc, rack, all */
            send = target != K8TLS_INTERNODE_DC;
            enforce = target == K8TLS_INTERNODE_ALL;
            break;
        }
        if (send)
            out[n++] = K8TLS_PHASE_SEND;
        if (enforce)
            out[n++] = K8TLS_PHASE_ENFORCE;
    }
    if (client && !p->encryption.client.optional)
        out[n++] = K8TLS_PHASE_CLIENTS_REQUIRED;   /* C2 */
    return n;
}

void k8tls_rollout_values(const struct k8tls_plan *p, enum k8tls_rollout_phase ph,
                          struct k8tls_rollout_values *v)
{
    enum k8tls_internode_mode target = p->encryption.internode.mode;
    enum k8tls_cass_line line = k8tls_cass_line_of(p->cluster.server_version);
    memset(v, 0, sizeof *v);
    v->internode = target;
    v->internode_optional = -1;
    if (target != K8TLS_INTERNODE_NONE) {
        if (line == K8TLS_CASS_311) {
            /* no optional key (1.2); the mode walks dc, rack, all */
            v->internode = ph == K8TLS_PHASE_ACCEPT ? K8TLS_INTERNODE_DC
                           : ph == K8TLS_PHASE_SEND ? K8TLS_INTERNODE_RACK
                           : ph == K8TLS_PHASE_ENFORCE ? K8TLS_INTERNODE_ALL : target;
            if (v->internode > target)
                v->internode = target;
        } else if (line == K8TLS_CASS_50) {
            v->internode_optional = ph == K8TLS_PHASE_ACCEPT;
        } else {
            if (ph == K8TLS_PHASE_ACCEPT)
                v->internode = K8TLS_INTERNODE_DC;
            v->internode_optional = ph == K8TLS_PHASE_ACCEPT || ph == K8TLS_PHASE_SEND;
        }
    }
    v->client_enabled = p->encryption.client.enabled;
    v->client_optional = v->client_enabled &&
                         (ph != K8TLS_PHASE_CLIENTS_REQUIRED || p->encryption.client.optional);
}

int k8tls_rollout_due(const struct k8tls_rollout_stage *st, const enum k8tls_rollout_phase *seq,
                      size_t n, enum k8tls_rollout_phase *due, char *why, size_t why_len)
{
    why[0] = '\0';
    if (st->bad_phase[0]) {
        snprintf(why, why_len,
                 _("the annotation %s says '%s', which is no phase (accept, send, enforce, "
                   "clientsRequired)"),
                 K8TLS_ROLLOUT_ANNOTATION, st->bad_phase);
        return -1;
    }
    if (!st->has_phase) {
        if (st->encrypted) {
            snprintf(why, why_len, "%s",
                     _("the cluster already has encryption on but no rollout phase: it was not "
                       "set up by a staged rollout; use --one-shot to write the target in one "
                       "step"));
            return -1;
        }
        *due = seq[0];
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (seq[i] != st->phase)
            continue;
        if (i + 1 == n)
            return 0;
        *due = seq[i + 1];
        return 1;
    }
    snprintf(why, why_len,
             _("the cluster is at phase %s, which is not a phase of this rollout (its target or "
               "topology changed since)"),
             k8tls_rollout_phase_cli_name(st->phase));
    return -1;
}

static const char *bool_name(int v)
{
    return v < 0 ? _("absent") : v ? "true" : "false";
}

bool k8tls_rollout_stage_matches(const struct k8tls_rollout_stage *st, const struct k8tls_plan *p,
                                 enum k8tls_rollout_phase ph, char *what, size_t what_len)
{
    struct k8tls_rollout_values want;
    const struct k8tls_rollout_values *got = &st->values;
    k8tls_rollout_values(p, ph, &want);
    const char *so = "server_encryption_options", *co = "client_encryption_options";
    if (what && what_len)
        what[0] = '\0';
    if (got->internode != want.internode) {
        if (what)
            snprintf(what, what_len, _("%s.internode_encryption: %s, expected %s"), so,
                     k8tls_internode_mode_name(got->internode),
                     k8tls_internode_mode_name(want.internode));
        return false;
    }
    if (want.internode_optional >= 0 && got->internode_optional != want.internode_optional) {
        if (what)
            snprintf(what, what_len, _("%s.optional: %s, expected %s"), so,
                     bool_name(got->internode_optional), bool_name(want.internode_optional));
        return false;
    }
    if (got->client_enabled != want.client_enabled) {
        if (what)
            snprintf(what, what_len, _("%s.enabled: %s, expected %s"), co,
                     bool_name(got->client_enabled), bool_name(want.client_enabled));
        return false;
    }
    if (want.client_enabled && got->client_optional != want.client_optional) {
        if (what)
            snprintf(what, what_len, _("%s.optional: %s, expected %s"), co,
                     bool_name(got->client_optional), bool_name(want.client_optional));
        return false;
    }
    return true;
}

const char *k8tls_rollout_phase_title(const struct k8tls_plan *p, enum k8tls_rollout_phase ph)
{
    bool internode = p->encryption.internode.mode != K8TLS_INTERNODE_NONE;
    switch (ph) {
    case K8TLS_PHASE_ACCEPT:
        return internode ? _("accept: nodes get their stores and accept TLS; clients may use TLS")
                         : _("accept: clients may use TLS, plain clients still work");
    case K8TLS_PHASE_SEND:
        return _("send: nodes send TLS to their peers and still accept plain");
    case K8TLS_PHASE_ENFORCE:
        return _("enforce: internode traffic is encrypted, plain peers are refused");
    case K8TLS_PHASE_CLIENTS_REQUIRED:
        return _("clients-required: clients must use TLS");
    }
    return "?";
}
