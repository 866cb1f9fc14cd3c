/* Private to the TUI (src/tui): the page engine on CDK, the screens, background key generation. */
#ifndef K8TLS_TUI_INT_H
#define K8TLS_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <cdk/cdk.h>

#include "k8tls/bundle.h"
#include "k8tls/cli.h"
#include "k8tls/err.h"
#include "k8tls/flow.h"
#include "k8tls/plan.h"
#include "k8tls/theme.h"

/* ---- colours (colors.c) ---------------------------------------------------------------- */
void tui_colors_init(const struct k8tls_theme *t);
chtype tui_attr(enum k8tls_role r);
const char *tui_mk(enum k8tls_role r);      /* CDK markup switching the role on */
const char *tui_mk_end(enum k8tls_role r);  /* ... and off */

/* ---- background key generation (keygen.c) ---------------------------------------------- */
struct tui_keygen;
enum kg_state { KG_NONE, KG_RUNNING, KG_READY, KG_FAILED };
struct tui_keygen *tui_keygen_new(void);
/* Joins every worker (after the terminal is restored) and frees everything. */
void tui_keygen_free(struct tui_keygen *kg);
/* Starts a generation for this plan unless the current one was started from an equal plan
 * (k8tls_flow_pki_fingerprint). Returns 1 when a new generation started, 0 when the current one
 * stands, -1 on failure. */
int tui_keygen_ensure(struct tui_keygen *kg, const struct k8tls_plan *p);
/* Forgets the current generation (plan replaced). */
void tui_keygen_reset(struct tui_keygen *kg);
/* Is the current generation for this plan (same fingerprint)? */
bool tui_keygen_matches(struct tui_keygen *kg, const struct k8tls_plan *p);
/* State and progress of the current generation; label may be NULL. Also reaps abandoned ones. */
enum kg_state tui_keygen_state(struct tui_keygen *kg, int *done, int *total, char *label,
                               size_t label_len);
/* The finished generation's resolved plan copy, material and diagnostics (owned by kg). */
const struct k8tls_plan *tui_keygen_plan(struct tui_keygen *kg);
struct k8tls_plan *tui_keygen_plan_mut(struct tui_keygen *kg);
const struct k8tls_material *tui_keygen_material(struct tui_keygen *kg);
const struct k8tls_diags *tui_keygen_diags(struct tui_keygen *kg);
/* Worker threads block these signals so that the main thread handles them. */
void tui_block_signals_in_thread(void);

/* ---- the page engine (ui.c) ------------------------------------------------------------ */

enum fkind { F_TEXT, F_PASSWORD, F_CHOICE, F_PATH };

#define TUI_MAX_FIELDS 20
#define TUI_MAX_ITEMS 96

struct field {
    enum fkind kind;
    const char *label;              /* message id */
    const char *path;               /* answers key path (diagnostics), may be NULL */
    const char *const *choices;     /* message ids, F_CHOICE */
    int n_choices;
    const char *hint;               /* message id shown in the notes while focused, or NULL */
    bool relayout;                  /* a change rebuilds the page (visibility) */
    bool hidden;
    char *value;                    /* F_TEXT, F_PASSWORD, F_PATH */
    int choice;                     /* F_CHOICE */
    char *error;                    /* a message next to the field, or NULL */
    int item;                       /* page item of its input widget, -1 when not shown */
    int label_item;
};

struct form {
    struct field f[TUI_MAX_FIELDS];
    int n;
    bool defined;                   /* fields set up */
    unsigned gen;                   /* plan generation the values were loaded from */
    char *general_error;            /* errors for this screen not tied to one field */
    int focus_field;                /* remembered focus, -1 = default */
};

enum item_kind { IT_LABEL, IT_ENTRY, IT_CHOICE, IT_BUTTON, IT_LIST };

enum action {
    ACT_NONE, ACT_NEXT, ACT_BACK, ACT_CANCEL, ACT_HELP, ACT_BROWSE, ACT_QUIT,
    ACT_REBUILD, ACT_CUSTOM1, ACT_CUSTOM2
};

struct item {
    enum item_kind kind;
    CDKOBJS *obj;
    bool focusable;
    int field;                      /* index in the form, or -1 */
    enum action action;             /* buttons */
    char *text;                     /* buttons: the caption (translated) */
    int width;
    int rows;                       /* labels: rows */
};

struct page {
    struct item it[TUI_MAX_ITEMS];
    int n;
    int focus;                      /* item index or -1 */
    int notes_item;                 /* label for notes and errors, or -1 */
    int progress_item;
    int next_item;                  /* the Next button, or -1 */
    int label_w;
    bool small;                     /* the terminal is too small: message only */
    int modal_base;                 /* > 0: a modal's items start there; the page is frozen */
};

struct tui;

struct screen_ops {
    const char *intro;              /* message id: a line under the title, or NULL */
    const char *help;               /* message id: the F1 text */
    const char *next_label;         /* message id for the Next button (NULL: "Next") */
    void (*define)(struct form *f);                           /* fields, once */
    void (*load)(struct tui *t, struct form *f);              /* plan -> values */
    void (*sync)(struct tui *t, struct form *f);              /* visibility after a change */
    int (*store)(struct tui *t, struct form *f, bool strict); /* values -> plan; errors */
    int (*check)(struct tui *t, struct form *f);              /* on Next, after validation */
    void (*notes)(struct tui *t, struct form *f, char **lines, int max, int *n);
    /* custom pages (review, result): build the body between the title and the buttons */
    void (*build)(struct tui *t, struct page *pg, int top, int bottom);
    int (*key)(struct tui *t, struct page *pg, int key);      /* 1 = handled */
    void (*tick)(struct tui *t, struct page *pg);
    bool no_back;                   /* Back is not offered (result) */
    bool no_cancel;
    bool focus_next_first;          /* the Next button has the focus first */
};

const struct screen_ops *tui_screen_ops(enum k8tls_screen s);

struct tui {
    const struct k8tls_tui_opts *opts;
    struct k8tls_plan *plan;
    unsigned plan_gen;
    CDKSCREEN *cdk;
    enum k8tls_screen cur;
    struct form forms[K8TLS_SCR_COUNT];
    struct page pg;
    struct tui_keygen *kg;
    bool rebuild;                   /* the page must be rebuilt */
    bool quit;
    int exit_code;
    char *status;                   /* one-line message for the notes (heap) */

    /* welcome: what was applied last (so that Back then Next keeps edits) */
    int welcome_mode;               /* 0 new, 1 existing manifest, 2 answers file */
    char *welcome_path;

    /* review */
    struct k8tls_bundle *bundle;
    struct k8tls_plan *bundle_plan; /* the (resolved) plan the bundle was built from */
    struct k8tls_diags review_diags;/* errors/warnings shown on review */
    int review_tab;
    int review_line;
    char **revealed;                /* "path\nkey" entries revealed */
    size_t n_revealed;
    char **review_rows;             /* display rows of the current tab */
    int *review_row_src;            /* source line index per display row */
    size_t n_review_rows;
    bool review_ready;

    /* output / result */
    char *written_dir;
    char *answers_saved;
    size_t written_files;
};

/* Splits text at newlines and wraps each paragraph at width (words kept whole when they fit):
 * at most max heap lines in out; returns how many. */
int tui_wrap(const char *text, int width, char **out, int max);
/* markup-escaped copy of user text (paths, names, file contents): heap */
char *tui_escape(const char *s);
/* printf into a heap string (never NULL: "" on OOM) */
char *tui_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tui_set_str(char **dst, const char *v);

/* page building */
void tui_page_clear(struct tui *t);
int tui_add_label(struct tui *t, int x, int y, int width, int rows, const char *const *lines,
                  int n, enum k8tls_role role);
void tui_set_label(struct tui *t, int item, const char *const *lines, int n, enum k8tls_role role);
int tui_add_button(struct tui *t, int x, int y, const char *caption, enum action a);
int tui_add_list(struct tui *t, int x, int y, int w, int h, const char *title,
                 const char *const *rows, int n);
void tui_focus(struct tui *t, int item);
void tui_set_status(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* modal dialogs; return true for yes */
bool tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
                 const char *no);
void tui_message(struct tui *t, const char *title, const char *text);
/* the file chooser: returns a heap path or NULL */
char *tui_choose_file(struct tui *t, const char *title, const char *start);

/* the main loop (ui.c) */
int tui_loop(struct tui *t);

/* plan edits from screens (screens.c) */
void tui_replace_plan(struct tui *t, struct k8tls_plan *p);
void tui_form_ensure(struct tui *t, enum k8tls_screen s);
/* --answers FILE: the Welcome step starts on "load an answers file" with FILE */
void tui_welcome_preset(struct tui *t, const char *answers);
/* Validation of the whole plan; errors of screen s go to its fields; returns the errors for s. */
int tui_validate_screen(struct tui *t, enum k8tls_screen s);
void tui_form_clear_errors(struct form *f);
void tui_field_error(struct form *f, int i, const char *msg);
/* attach diagnostics to screen s's fields (by path) or its general error; returns errors added */
int tui_attach_diags(struct tui *t, enum k8tls_screen s, const struct k8tls_diags *d,
                     bool all_to_screen);

/* review/result (review.c) */
extern const struct screen_ops tui_review_ops;
extern const struct screen_ops tui_result_ops;
void tui_review_reset(struct tui *t);
/* (Re)builds the bundle from the finished key generation and the plan's output settings.
 * Returns 0, or -1 with the problems in t->review_diags. */
int tui_review_build_bundle(struct tui *t);

/* the progress line text for the current key generation (heap, may be "") */
char *tui_progress_text(struct tui *t);

#endif
