/* What the TUI shows of the staged rollout (doc/staged-rollout.md; the rules are the core's,
 * include/k8tls/rollout.h): the phases of a plan as rows of a list, the command for the next
 * phase, the one-shot warning. Pure (no curses): the screens lay it out. */
#ifndef K8TLS_TUI_ROLLOUT_H
#define K8TLS_TUI_ROLLOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/plan.h"
#include "k8tls/rollout.h"

/* The plan's phases in order (k8tls_rollout_sequence); 0 when the staged path is refused, the
 * reason then in *why (heap, translated, the core's words) when why is not NULL. */
size_t tui_rollout_phases(const struct k8tls_plan *p,
                          enum k8tls_rollout_phase out[K8TLS_ROLLOUT_MAX_PHASES], char **why);
/* A row of the phase list: "1 accept  internode dc, optional  clients optional", from the
 * values the phase writes (heap). */
char *tui_rollout_phase_row(const struct k8tls_plan *p, size_t i, enum k8tls_rollout_phase ph);
/* Is the plan's rollout staged? */
bool tui_rollout_staged(const struct k8tls_plan *p);
/* rollout.mode, and rollout.phase the first phase when staged. */
void tui_rollout_set(struct k8tls_plan *p, bool staged);
/* The directory to suggest for phase to, made from the directory dir of phase from: dir's
 * "-<from>" suffix replaced by "-<to>" ("out-send" -> "out-enforce"), else "-<to>" added (heap). */
char *tui_rollout_phase_dir(const char *dir, enum k8tls_rollout_phase from,
                            enum k8tls_rollout_phase to);
/* The command that makes the phase after the plan's own from the directory dir (heap), or NULL
 * when it is the last one. */
char *tui_rollout_next_command(const struct k8tls_plan *p, const char *dir);

/* The live check before a phase of p is applied (doc/staged-rollout.md 4.3; the core's
 * enable_live): the cluster in context ctx (kubeconfig NULL: kubectl's default) at phase prev
 * everywhere (prev < 0: before the first phase, no encryption and no phase yet). Returns 0, or
 * -1 with the reason in why (heap). Runs kubectl: call it from a worker. */
int tui_rollout_live_check(const char *kubeconfig, const char *ctx, const struct k8tls_plan *p,
                           int prev, char **why);

#endif
