/* The part the two store screens share (stores.c); s is K8TLS_SCR_SERVER_STORES or
 * K8TLS_SCR_CLIENT_STORES. */
#ifndef K8TLS_TUI_SCREEN_STORES_H
#define K8TLS_TUI_SCREEN_STORES_H

#include "../tui_int.h"

enum { S_SOURCE, S_SECRET, S_KS_PW, S_TS_PW, S_KS, S_KS_IPW, S_TS, S_TS_IPW };

void tui_stores_define(struct form *f, const char *which);
void tui_stores_load(struct tui *t, struct form *f, enum k8tls_screen s);
void tui_stores_sync(struct tui *t, struct form *f, enum k8tls_screen s);
int tui_stores_store(struct tui *t, struct form *f, enum k8tls_screen s);
int tui_stores_check(struct tui *t, enum k8tls_screen s);
/* cert-manager output: a note that cert-manager makes the stores, one password for both. */
void tui_stores_cm_note(struct tui *t, char **lines, int max, int *n);

#endif
