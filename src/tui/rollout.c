/* What the TUI shows of the staged rollout: the phases per server version (doc/staged-rollout.md
 * section 3), the refusals of section 3.6, the one-shot warning. Pure: the plan in, text out.
 * Calls the plan's rows (rollout.mode, rollout.phase) and text.c. */
#include "config.h"
#include "rollout.h"
#include "text.h"
#include "k8tls/i18n.h"
#include "k8tls/plan_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum line { V_OTHER, V_311, V_40, V_5 };

/* the Cassandra line of the plan's version: 3.11, 4.0/4.1, 5.x (V_OTHER for DSE, HCD) */
static enum line line_of(const struct k8tls_plan *p)
{
    if (p->cluster.server_type != K8TLS_SERVER_CASSANDRA || !p->cluster.server_version)
        return V_OTHER;
    int maj = 0, min = 0;
    if (sscanf(p->cluster.server_version, "%d.%d", &maj, &min) != 2)
        return V_OTHER;
    if (maj == 3)
        return V_311;
    if (maj == 4)
        return V_40;
    return maj >= 5 ? V_5 : V_OTHER;
}

static bool internode_on(const struct k8tls_plan *p)
{
    return p->encryption.internode.mode != K8TLS_INTERNODE_NONE;
}

char *tui_rollout_refusal(const struct k8tls_plan *p)
{
    if (p->cluster.server_type != K8TLS_SERVER_CASSANDRA)
        return tui_fmt(_("%s is closed source and no safe sequence of phases is confirmed for "
                         "it: take a maintenance window (one shot)."),
                       k8tls_server_type_name(p->cluster.server_type));
    enum line v = line_of(p);
    size_t dcs = p->cluster.n_dcs;
    if (v == V_40 && dcs > 1 && internode_on(p))
        return tui_fmt(_("Cassandra %s with %zu datacenters: the first restarted node would send "
                         "TLS to the other datacenters, whose nodes refuse it, and 4.0 and 4.1 "
                         "never fall back to plain. Upgrade to 5.0 first, or take a maintenance "
                         "window (one shot)."),
                       p->cluster.server_version, dcs);
    if (v == V_311 && dcs > 1 && internode_on(p))
        return tui_fmt(_("Cassandra %s with %zu datacenters: every internode mode but none "
                         "encrypts toward the other datacenters at once, whose nodes have no TLS "
                         "listener yet. Upgrade to 4.0 or later first, or take a maintenance "
                         "window (one shot)."),
                       p->cluster.server_version, dcs);
    return NULL;
}

int tui_rollout_phases(const struct k8tls_plan *p, enum tui_rollout_phase *out)
{
    int n = 0;
    enum line v = line_of(p);
    out[n++] = TUI_PH_ACCEPT;
    if (internode_on(p)) {
        if (v == V_311 || v == V_40)
            out[n++] = TUI_PH_SEND;
        out[n++] = TUI_PH_ENFORCE;
    }
    if (p->encryption.client.enabled && !p->encryption.client.optional)
        out[n++] = TUI_PH_CLIENTS_REQUIRED;
    return n;
}

const char *tui_rollout_phase_cli(enum tui_rollout_phase ph)
{
    switch (ph) {
    case TUI_PH_ACCEPT:
        return "accept";
    case TUI_PH_SEND:
        return "send";
    case TUI_PH_ENFORCE:
        return "enforce";
    default:
        return "clients-required";
    }
}

char *tui_rollout_phase_does(const struct k8tls_plan *p, enum tui_rollout_phase ph)
{
    enum line v = line_of(p);
    bool in = internode_on(p), cl = p->encryption.client.enabled;
    const char *mode = k8tls_internode_mode_name(p->encryption.internode.mode);
    switch (ph) {
    case TUI_PH_ACCEPT:
        if (!in)
            return tui_fmt("%s", _("clients optional (plain or TLS)"));
        if (v == V_311)
            return tui_fmt("%s", cl ? _("internode dc; clients optional") : _("internode dc"));
        if (v == V_40)
            return tui_fmt("%s", cl ? _("internode dc, optional; clients optional")
                                    : _("internode dc, optional"));
        return cl ? tui_fmt(_("internode %s, optional; clients optional"), mode)
                  : tui_fmt(_("internode %s, optional"), mode);
    case TUI_PH_SEND:
        return v == V_311 ? tui_fmt("%s", _("internode rack"))
                          : tui_fmt(_("internode %s, optional"), mode);
    case TUI_PH_ENFORCE:
        return v == V_311 ? tui_fmt(_("internode %s"), mode)
                          : tui_fmt(_("internode %s, required"), mode);
    default:
        return tui_fmt("%s", _("clients required (once every client uses TLS)"));
    }
}

bool tui_rollout_staged(const struct k8tls_plan *p)
{
    char *m = k8tls_plan_get_text((struct k8tls_plan *)p, "rollout.mode");
    bool staged = m && strcmp(m, "staged") == 0;
    free(m);
    return staged;
}

void tui_rollout_set(struct k8tls_plan *p, bool staged)
{
    struct k8tls_err e;
    k8tls_plan_set_text(p, "rollout.mode", staged ? "staged" : "oneShot", &e);
    if (staged)
        k8tls_plan_set_text(p, "rollout.phase", "accept", &e);
}

char *tui_rollout_one_shot_warning(void)
{
    return tui_fmt("%s", _("One shot: every setting in one rolling restart. While the pods "
                           "restart, restarted and waiting nodes cannot talk to each other and "
                           "clients without TLS are cut off: stop every datacenter first "
                           "(stopped: true), apply, then start them (a maintenance window)."));
}
