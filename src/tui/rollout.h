/* What the TUI shows of the staged rollout (doc/staged-rollout.md): the phases for a plan's
 * server version and datacenters, why no staged path exists where there is none, the one-shot
 * warning, and the command for the next phase. Pure (no curses): the screens lay it out. */
#ifndef K8TLS_TUI_ROLLOUT_H
#define K8TLS_TUI_ROLLOUT_H

#include <stdbool.h>
#include "k8tls/plan.h"

enum tui_rollout_phase {
    TUI_PH_ACCEPT,
    TUI_PH_SEND,
    TUI_PH_ENFORCE,
    TUI_PH_CLIENTS_REQUIRED,
};
#define TUI_ROLLOUT_MAX 4

/* Why the plan has no staged path (heap, translated), or NULL when it has one. */
char *tui_rollout_refusal(const struct k8tls_plan *p);
/* The phases in order (at most TUI_ROLLOUT_MAX); their number. */
int tui_rollout_phases(const struct k8tls_plan *p, enum tui_rollout_phase *out);
/* The phase's name on the command line ("accept", "clients-required"). */
const char *tui_rollout_phase_cli(enum tui_rollout_phase ph);
/* What the phase sets, in a few words (heap, translated). */
char *tui_rollout_phase_does(const struct k8tls_plan *p, enum tui_rollout_phase ph);
/* Is the plan's rollout staged? */
bool tui_rollout_staged(const struct k8tls_plan *p);
/* Sets rollout.mode (and rollout.phase to the first phase when staged). */
void tui_rollout_set(struct k8tls_plan *p, bool staged);
/* The one-shot warning (heap, translated). */
char *tui_rollout_one_shot_warning(void);

#endif
