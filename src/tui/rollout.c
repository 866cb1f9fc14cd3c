/* What the TUI shows of the staged rollout: the phases of a plan as list rows, the command for
 * the next phase, and the live check before a phase is applied. The rules (which phases, what
 * each writes, why none, what the live cluster must show) are the core's (src/core/rollout.c,
 * enable_live.c); this only words them. No curses: calls the core and text.c. */
#include "config.h"
#include "rollout.h"
#include "text.h"
#include "k8tls/enable.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t tui_rollout_phases(const struct k8tls_plan *p,
                          enum k8tls_rollout_phase out[K8TLS_ROLLOUT_MAX_PHASES], char **why)
{
    char buf[1024];
    size_t n = k8tls_rollout_sequence(p, out, buf, sizeof buf);
    if (why)
        *why = n ? NULL : tui_fmt("%s", buf);
    return n;
}

char *tui_rollout_phase_row(const struct k8tls_plan *p, size_t i, enum k8tls_rollout_phase ph)
{
    struct k8tls_rollout_values v;
    k8tls_rollout_values(p, ph, &v);
    const char *mode = k8tls_internode_mode_name(v.internode);
    char *in = v.internode == K8TLS_INTERNODE_NONE ? tui_fmt("%s", _("internode plain"))
               : v.internode_optional == 1         ? tui_fmt(_("internode %s, optional"), mode)
               : v.internode_optional == 0         ? tui_fmt(_("internode %s, required"), mode)
                                                   : tui_fmt(_("internode %s"), mode);
    const char *cl = !v.client_enabled  ? _("clients plain")
                     : v.client_optional ? _("clients optional")
                                         : _("clients required");
    char *row = tui_fmt("%zu %-16s %-24s %-16s", i + 1, k8tls_rollout_phase_cli_name(ph), in,
                        cl);
    free(in);
    return row;
}

bool tui_rollout_staged(const struct k8tls_plan *p)
{
    return p->rollout.mode == K8TLS_ROLLOUT_STAGED;
}

void tui_rollout_set(struct k8tls_plan *p, bool staged)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = staged ? tui_rollout_phases(p, seq, NULL) : 0;
    p->rollout.mode = n ? K8TLS_ROLLOUT_STAGED : K8TLS_ROLLOUT_ONE_SHOT;
    /* a bundle from the wizard is the first phase: the next ones come from enable --from */
    if (n)
        p->rollout.phase = seq[0];
}

char *tui_rollout_phase_dir(const char *dir, enum k8tls_rollout_phase from,
                            enum k8tls_rollout_phase to)
{
    const char *name = k8tls_rollout_phase_cli_name(from);
    size_t dl = strlen(dir), nl = strlen(name);
    if (dl > nl + 1 && dir[dl - nl - 1] == '-' && strcmp(dir + dl - nl, name) == 0)
        dl -= nl + 1;
    return tui_fmt("%.*s-%s", (int)dl, dir, k8tls_rollout_phase_cli_name(to));
}

char *tui_rollout_next_command(const struct k8tls_plan *p, const char *dir)
{
    enum k8tls_rollout_phase seq[K8TLS_ROLLOUT_MAX_PHASES];
    size_t n = tui_rollout_phases(p, seq, NULL);
    for (size_t i = 0; i + 1 < n; i++)
        if (seq[i] == p->rollout.phase) {
            char *out = tui_rollout_phase_dir(dir, seq[i], seq[i + 1]);
            /* clients-required takes the user's word that every client uses TLS */
            char *cmd = tui_fmt("k8tls-wizard enable --from %s --phase %s%s -o %s", dir,
                                k8tls_rollout_phase_cli_name(seq[i + 1]),
                                seq[i + 1] == K8TLS_PHASE_CLIENTS_REQUIRED ? " --clients-use-tls"
                                                                           : "",
                                out);
            free(out);
            return cmd;
        }
    return NULL;
}

int tui_rollout_live_check(const char *kubeconfig, const char *ctx, const struct k8tls_plan *p,
                           int prev, char **why)
{
    *why = NULL;
    if (!ctx || !*ctx) {
        *why = tui_fmt("%s", _("no kube context to read the cluster from: choose one"));
        return -1;
    }
    struct k8tls_enable_live live;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    char buf[2048];
    if (k8tls_enable_live_read(kubeconfig, ctx, p, &live, &e) < 0) {
        *why = tui_fmt("%s", k8tls_err_format(&e, buf, sizeof buf));
        return -1;
    }
    if (!k8tls_enable_live_check(&live, p, prev, buf, sizeof buf)) {
        *why = tui_fmt("%s", buf);
        return -1;
    }
    return 0;
}
