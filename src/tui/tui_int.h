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
#include "k8tls/kube.h"
#include "k8tls/plan.h"
#include "k8tls/theme.h"
#include "text.h"

/* ---- colours (colors.c) ---------------------------------------------------------------- */
/* role markup around escaped plain text (heap) */
char *tui_styled(enum k8tls_role r, const char *plain);
void tui_colors_init(const struct k8tls_theme *t);
chtype tui_attr(enum k8tls_role r);
const char *tui_mk(enum k8tls_role r);      /* CDK markup switching the role on */
const char *tui_mk_end(enum k8tls_role r);  /* ... and off */

/* ---- work on a worker thread (job.c) --------------------------------------------------- */
struct tui_job;
typedef int (*tui_job_fn)(struct tui_job *j, void *arg);
/* Starts fn(j, arg) on a worker thread (signals blocked there). NULL on failure. */
struct tui_job *tui_job_start(tui_job_fn fn, void *arg);
/* From the worker: a line for the screen (a result, a step) / progress (a k8tls_progress_cb
 * whose ud is the job). */
void tui_job_line(struct tui_job *j, enum k8tls_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tui_job_progress(void *ud, int done, int total, const char *label);
/* From the UI: is it done (and its return value); copies of lines [from, from+max) (heap);
 * how many lines; the progress as text (heap, "" when none). */
bool tui_job_finished(struct tui_job *j, int *rc);
size_t tui_job_lines(struct tui_job *j, size_t from, char **out, enum k8tls_role *roles,
                     size_t max);
size_t tui_job_count(struct tui_job *j);
/* the progress reported so far (any pointer may be NULL) */
void tui_job_progress_get(struct tui_job *j, int *done, int *total, char *label, size_t label_len);
char *tui_job_progress_text(struct tui_job *j);
/* Joins the worker and frees the job. */
void tui_job_free(struct tui_job *j);

/* ---- background key generation (keygen.c, a job of job.c) ---------------------------------------------- */
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
/* The finished generation's material and diagnostics (owned by kg). */
const struct k8tls_material *tui_keygen_material(struct tui_keygen *kg);
const struct k8tls_diags *tui_keygen_diags(struct tui_keygen *kg);

/* ---- the page engine (page.c, form.c, layout.c, modal.c, loop.c) --------------------------------------------------------- */

enum fkind { F_TEXT, F_PASSWORD, F_CHOICE, F_PATH, F_MULTI };

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
    /* F_MULTI: a list of entries, several selected in an order (the first one matters) */
    char **items;                   /* the entries (heap) */
    int n_items;
    int current_item;               /* the entry marked "(current)", or -1 */
    int *sel;                       /* the selected entries, in the order chosen (heap) */
    int n_sel;
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
    /* form pages: a body above the fields (at most max_rows rows from top); returns the rows
     * used */
    int (*header)(struct tui *t, int top, int max_rows);
    const char *bar_keys;           /* message id: the screen's own keys for the help bar */
    bool no_back;                   /* Back is not offered (result) */
    bool no_cancel;
    bool focus_next_first;          /* the Next button has the focus first */
};

const struct screen_ops *tui_screen_ops(enum k8tls_screen s);

/* What the last apply did, for the Output and Result screens. */
struct tui_applied {
    int rc;                         /* k8tls_kube_apply's exit code */
    bool dry_run;
    char *contexts;                 /* "ctx0 (control plane), ctx1" */
    char *reason;                   /* the one-line reason of a failure, or NULL */
    char *done;                     /* "Secret x (ctx0), ..." applied */
    char *not_done;                 /* ... not applied */
    size_t n_done, n_objects;
};
void tui_applied_free(struct tui_applied *a);

struct tui_renew;                   /* the rotation state (renew.c) */

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
    unsigned bundle_gen;            /* changes with each new t->bundle */
    unsigned written_gen;           /* the bundle_gen that was written to written_dir */

    /* the path through the screens (Welcome decides) */
    enum k8tls_flow_path path;

    /* kube contexts (apply, diff): the kubeconfig, read once */
    bool kc_loaded;
    struct k8tls_kubeconfig *kc;    /* NULL when it cannot be read */
    char *kc_error;                 /* why (file:line:col: ...) */
    struct tui_applied *applied;    /* the last apply, or NULL */

    struct tui_renew *rn;           /* rotation (renew.c), or NULL */
    struct tui_job *job;            /* the worker the UI waits for (joined at exit) */
    void *job_arg;                  /* what it still uses after the user left ... */
    void (*job_cleanup)(void *);    /* ... freed by this once it is joined */
};


/* ---- page.c: widgets, focus, notes, progress --------------------------------------------- */
static inline struct form *tui_cur_form(struct tui *t);
void tui_set_status(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a page item for a new CDK object (destroyed when it cannot be added); its index or -1 */
int tui_add_item(struct tui *t, enum item_kind k, CDKOBJS *obj, bool focusable);
/* destroys the items from index from on (a modal's) */
void tui_page_drop_from(struct tui *t, int from);
void tui_page_clear(struct tui *t);
/* replaces a label's lines, which already carry markup */
void tui_set_label_markup(struct tui *t, int item, char **mk, int n);
void tui_draw_button(struct tui *t, int item);
void tui_draw_field_label(struct tui *t, int fi);
/* the next focusable item from from in direction dir among items [lo, hi), or -1 */
int tui_focus_step(struct tui *t, int from, int dir, int lo, int hi);
void tui_update_progress(struct tui *t);
void tui_update_notes(struct tui *t);
/* every 100 ms without a key: the progress line and the screen's tick */
void tui_tick(struct tui *t);
int tui_add_label(struct tui *t, int x, int y, int width, int rows, const char *const *lines,
                  int n, enum k8tls_role role);
void tui_set_label(struct tui *t, int item, const char *const *lines, int n, enum k8tls_role role);
int tui_add_button(struct tui *t, int x, int y, const char *caption, enum action a);
int tui_add_list(struct tui *t, int x, int y, int w, int h, const char *title,
                 const char *const *rows, int n);
void tui_focus(struct tui *t, int item);

/* ---- form.c: the fields' widgets and values --------------------------------------------- */
void tui_build_form(struct tui *t, const struct screen_ops *ops);
/* reads the widget's value into its field; true when it changed */
bool tui_read_field(struct tui *t, int item);
/* after an edit: the field's value to the plan (store), the notes, a relayout when asked */
void tui_field_changed(struct tui *t, int item);

/* ---- layout.c: a whole page ------------------------------------------------------------- */
void tui_build_page(struct tui *t);

/* modal dialogs; return true for yes */
bool tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
                 const char *no);
void tui_message(struct tui *t, const char *title, const char *text);
/* the file chooser: returns a heap path or NULL */
char *tui_choose_file(struct tui *t, const char *title, const char *start);
/* Waits for a job while a panel shows title, the job's lines and progress; the UI stays alive
 * (redraw, resize). may_leave: Ctrl-C leaves the wizard (the job is joined at exit; returns -2);
 * otherwise Ctrl-C only says to wait. wait_ok: once done, the panel stays until OK. Returns the
 * job's value. The job is freed (joined) unless -2 is returned (then t->job keeps it). */
int tui_job_wait(struct tui *t, const char *title, struct tui_job *j, bool may_leave,
                 bool wait_ok);
/* A scrolling viewer over the page (Esc, Enter or q closes it). lines: plain text. */
void tui_view_text(struct tui *t, const char *title, char **lines, int n);

/* the main loop (loop.c) */
int tui_loop(struct tui *t);

/* plan edits from screens (screens.c) */
void tui_replace_plan(struct tui *t, struct k8tls_plan *p);
void tui_form_ensure(struct tui *t, enum k8tls_screen s);
/* the Output step's directory (the rotation suggests one per phase) */
void tui_output_set_dir(struct tui *t, const char *dir);
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

/* kube (apply.c) */
/* Reads the kubeconfig once (t->opts->kubeconfig, else KUBECONFIG, else ~/.kube/config). */
void tui_kube_load(struct tui *t);
/* Applies t->bundle to the contexts (the first is the control plane) in a worker, showing each
 * object's result; the outcome goes to t->applied. Returns k8tls_kube_apply's code, -2 when the
 * user left. With rotate, the live Secrets of the contexts are checked first (renew.c). */
int tui_apply_run(struct tui *t, const char *const *contexts, size_t n, bool dry_run,
                  bool create_namespace);
/* Review's `d`: kubectl diff --server-side of t->bundle against the contexts chosen on Output
 * (else the current context), shown in a viewer with Secret values masked. */
void tui_review_diff(struct tui *t);
/* The contexts chosen on the Output screen (pointers into its field; n may be 0). */
size_t tui_output_contexts(struct tui *t, const char **out, size_t max);

/* rotation (renew.c) */
extern const struct screen_ops tui_rotate_source_ops;
extern const struct screen_ops tui_rotate_phase_ops;
void tui_renew_free(struct tui *t);
/* The context the rotation read its Secrets from, or NULL. */
const char *tui_renew_source_context(struct tui *t);
/* The plan of the rotation bundle (for k8tls_kube_apply), or NULL. */
const struct k8tls_plan *tui_renew_plan(struct tui *t);
/* The live check before a rotation bundle is applied to these contexts: the Secrets there must
 * be at the stage the phase starts from. Returns 0, or -1 with the reason in why (heap).
 * Called on the worker thread. */
int tui_renew_live_check(struct tui *t, const char *const *contexts, size_t n, char **why);
/* The directory to suggest for the phase's bundle (heap). */
char *tui_renew_default_dir(struct tui *t);
/* For the Result screen: the rotation's next steps (heap lines), 0 when not rotating. */
int tui_renew_result_lines(struct tui *t, char **out, int max);

static inline struct form *tui_cur_form(struct tui *t)
{
    return &t->forms[t->cur];
}

#endif
