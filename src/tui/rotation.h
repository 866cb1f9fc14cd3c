/* The rotation state of the TUI (rotation.c): what the rotation source read, the proposal, the
 * phase chosen and built. Shared by the rotation screens, Output, Result and kube.c; private to
 * src/tui. */
#ifndef K8TLS_TUI_ROTATION_H
#define K8TLS_TUI_ROTATION_H

#include "tui_int.h"
#include "k8tls/rotate.h"

struct tui_renew {
    /* the source the state was read from (the options point at these) */
    char *dir, *ctx, *key, *key_pw;
    struct k8tls_rotate_opts o;
    struct k8tls_rotate_state *s;
    struct k8tls_rotate_decision dec;   /* the proposal */
    struct k8tls_diags dec_notes;       /* why the proposal cannot run yet */
    unsigned read_gen;                  /* changes each time a source is read */
    char **summary;                     /* what was found, for the screen */
    int n_summary;
    enum k8tls_rotate_phase phase;      /* chosen */
    enum k8tls_rotate_phase built;      /* the phase of t->bundle, NONE when none */
    /* the kube contexts for the source choice */
    char **ctx_names;
    int n_ctx_names;
    bool ctx_init;
};

/* Forgets the source (its paths, password and options). */
void tui_renew_free_source(struct tui_renew *rn);
/* What was found (the stage; each certificate with its days left) and the proposal, as the
 * summary lines. */
void tui_renew_summarize(struct tui_renew *rn);

/* The work of a rotation job (reading a source, building a phase) and its result. */
struct tui_renew_work {
    struct tui_renew *rn;               /* its options: read-only while the worker runs */
    struct k8tls_rotate_state *s;
    struct k8tls_diags d;
    struct k8tls_bundle *b;
    enum k8tls_rotate_phase phase;
};
void tui_renew_work_free(void *w);

/* rotate_source.c: the source filled in (a directory, or a kube context), for the doctor's
 * "fix it". */
void tui_rotate_source_preset(struct tui *t, const char *dir, const char *ctx);

#endif
