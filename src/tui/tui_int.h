/* Private to the TUI (src/tui). How it is split, and what each part may call: arrows point down
 * only, so no two files call each other, directly or through others (checked with nm: each
 * file's undefined symbols against the others' definitions).
 *
 *   tui.c              the entry point: the terminal, struct tui, hands the table of screens to
 *                      the engine -> loop.c, session.c, kube.c, rotation.c, form.c (to free)
 *   screen/table.c     the table of screens (rows in screen/table.h): data only
 *   screen/<name>.c    one file per screen, its state private to it (private_size) -> the
 *                      shared state, the engine, job.c, text.c, rollout.c; another screen's
 *                      file only for that screen's own data (output.c: the contexts chosen
 *                      there, the directory to suggest; enable_phase.c: the phase built)
 *   session.c          the plan and the bundle built from it -> keygen.c
 *   kube.c             the kubeconfig, apply and diff as jobs -> rotation.c, viewer.c, modal.c,
 *                      page.c
 *   rotation.c         the rotation state of its screens, Output and Result -> text.c
 *   loop.c             the engine's key loop, Next and Back -> modal.c, layout.c, form.c ...
 *   viewer.c           the text viewer, on a page or over it -> modal.c, layout.c (the
 *                      footer), page.c, doc.c, text.c
 *   modal.c            dialogs, the job panel -> layout.c, page.c, job.c
 *   layout.c           a whole page -> form.c, page.c
 *   form.c             each screen's instance (its form and private state, allocated and freed
 *                      here), the fields' widgets, values and errors -> page.c
 *   page.c             widgets, focus, notes, progress -> keygen.c, colors.c
 *   keygen.c           background key generation, a job -> job.c
 *   job.c              the one worker mechanism -> text.c
 *   colors.c           the theme's roles -> text.c
 *   text.c, doc.c,     helpers without curses (doc.c: a text laid out for the viewer, the
 *   rollout.c, flow.c  search; rollout.c: the staged rollout's phases worded for the screens and
 *                      its live check, through the core) and the flow rules: no other TUI file
 *                      but text.c
 *
 * The engine reaches a screen only through its table row's function pointers (t->screens).
 * Adding a screen: one row in screen/table.h and one file in screen/. */
#ifndef K8TLS_TUI_INT_H
#define K8TLS_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <cdk/cdk.h>

#include "k8tls/bundle.h"
#include "k8tls/cli.h"
#include "k8tls/err.h"
#include "k8tls/kube.h"
#include "k8tls/plan.h"
#include "k8tls/theme.h"
#include "flow.h"
#include "text.h"
#include "doc.h"

/* ---- colours (colors.c) ---------------------------------------------------------------- */
void tui_colors_init(const struct k8tls_theme *t);
chtype tui_attr(enum k8tls_role r);
const char *tui_mk(enum k8tls_role r);      /* CDK markup switching the role on */
const char *tui_mk_end(enum k8tls_role r);  /* ... and off */
/* role markup around escaped plain text (heap) */
char *tui_styled(enum k8tls_role r, const char *plain);

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
/* A row of the job's table: the panel lines its columns up (role TITLE: the header, kept on top
 * while the rows scroll) */
void tui_job_row(struct tui_job *j, enum k8tls_role role, const char *object,
                 const char *context, const char *status);
/* the progress reported so far (any pointer may be NULL) */
void tui_job_progress_get(struct tui_job *j, int *done, int *total, char *label, size_t label_len);
char *tui_job_progress_text(struct tui_job *j);
/* Joins the worker and frees the job. */
void tui_job_free(struct tui_job *j);

/* ---- background key generation (keygen.c, a job of job.c) ---------------------------- */
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

/* ---- the page engine's data -------------------------------------------------------------- */

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
    bool bound;                     /* loaded and stored through its answers key's row (bind.c) */
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
    int focus_pos;                  /* and the cursor's offset in its entry, -1 = the end */
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
    const char *keys;               /* message id: its keys for the footer when focused, "key:
                                     * action" pairs two spaces apart (the viewer), or NULL */
};

struct page {
    struct item it[TUI_MAX_ITEMS];
    int n;
    int focus;                      /* item index or -1 */
    int notes_item;                 /* the message area (errors, hint, notes), or -1 */
    int notes_off;                  /* its first line shown (it scrolls when longer) */
    int notes_lines;                /* its wrapped lines */
    int progress_item;
    int next_item;                  /* the Next button, or -1 */
    int label_w;
    bool small;                     /* the terminal is too small: message only */
    int modal_base;                 /* > 0: a modal's items start there; the page is frozen */
    int bar_item;                   /* the footer (layout.c) */
};

struct tui;

/* A screen: a row of the table (screen/table.h) names it; its file defines it. Form screens
 * have fields (define, load, sync, store, check, notes); the others build their own body. */
struct tui_screen {
    size_t private_size;            /* the engine allocates this much zeroed state for it ... */
    void (*fini)(struct tui *t, void *priv); /* ... and calls this (may be NULL) before freeing */
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
    bool focus_list_first;          /* a list (a header's) has the focus first when there */
    bool starts_keygen;             /* the key parameters are known once Next leaves it (the CA
                                     * step and after): the keys are generated in the
                                     * background from then on */
};

/* the screens, declared from the table; screen/table.c puts them in order */
#define SCREEN(name, file, id, title, paths, shown, keys) extern const struct tui_screen tui_screen_##file;
#include "screen/table.h"
#undef SCREEN
extern const struct tui_screen *const tui_screens[K8TLS_SCR_COUNT];

/* a screen's instance: its form and its private state (form.c allocates and frees them) */
struct tui_inst {
    struct form form;
    void *priv;
};

/* What the last apply did, for the Output and Result screens. */
struct tui_applied {
    int rc;                         /* k8tls_kube_apply's status (enum k8tls_status) */
    bool dry_run;
    char *contexts;                 /* "ctx0 (control plane), ctx1" */
    char *reason;                   /* the one-line reason of a failure, or NULL */
    char *done;                     /* "Secret x (ctx0), ..." applied */
    char *not_done;                 /* ... not applied */
    size_t n_done, n_objects;
    bool cert_manager;              /* a cert-manager output was applied */
    bool waited;                    /* ... after waiting for its Certificates to be Ready */
};

struct tui_renew;                   /* the rotation state (rotation.c) */

/* What crosses screens; each screen's own state is its private state. */
struct tui {
    const struct k8tls_tui_opts *opts;
    const struct tui_screen *const *screens; /* the table, by enum k8tls_screen */
    struct tui_inst *inst[K8TLS_SCR_COUNT];  /* created when a screen is first used */

    /* the page engine */
    CDKSCREEN *cdk;
    enum k8tls_screen cur;
    struct page pg;
    bool rebuild;                   /* the page must be rebuilt */
    bool quit;
    int exit_code;
    char *status;                   /* one-line message for the notes (heap) */
    enum k8tls_flow_path path;      /* the path through the screens (Welcome decides) */

    /* the plan and what is built from it (session.c) */
    struct k8tls_plan *plan;
    unsigned plan_gen;              /* changes when the plan is replaced or reloaded */
    struct tui_keygen *kg;
    struct k8tls_bundle *bundle;
    struct k8tls_plan *bundle_plan; /* the (resolved) plan the bundle was built from */
    struct k8tls_diags review_diags;/* the bundle's errors/warnings (Review, the rotation) */
    /* a check the apply of this bundle runs first, on the worker (the staged rollout's live
     * check, set by the screen that built the bundle): 0, or -1 with the reason in why (heap);
     * NULL when none. Dropped with the bundle. */
    int (*apply_check)(struct tui *t, const char *const *contexts, size_t n, char **why);
    unsigned bundle_gen;            /* changes with each new t->bundle */
    unsigned bundle_epoch;          /* changes when the bundle is dropped (tui_bundle_reset) */

    /* what was written (Output; Result and the exit message show it) */
    char *written_dir;
    char *answers_saved;
    size_t written_files;
    unsigned written_gen;           /* the bundle_gen that was written to written_dir */

    /* kube contexts (kube.c): the kubeconfig, read once */
    bool kc_loaded;
    struct k8tls_kubeconfig *kc;    /* NULL when it cannot be read */
    char *kc_error;                 /* why (file:line:col: ...) */
    struct tui_applied *applied;    /* the last apply, or NULL */

    struct tui_renew *rn;           /* rotation (rotation.c), or NULL */
    struct tui_job *job;            /* the worker the UI waits for (joined at exit) */
    void *job_arg;                  /* what it still uses after the user left ... */
    void (*job_cleanup)(void *);    /* ... freed by this once it is joined */
};

static inline const struct tui_screen *tui_ops(const struct tui *t, enum k8tls_screen s)
{
    return t->screens[s];
}

/* ---- page.c: widgets, focus, notes, progress --------------------------------------------- */
/* the current screen's form (its instance exists once its page is built) */
struct form *tui_cur_form(struct tui *t);
void tui_set_status(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a page item for a new CDK object (destroyed when it cannot be added); its index or -1 */
int tui_add_item(struct tui *t, enum item_kind k, CDKOBJS *obj, bool focusable);
/* destroys the items from index from on (a modal's) */
void tui_page_drop_from(struct tui *t, int from);
void tui_page_clear(struct tui *t);
int tui_add_label(struct tui *t, int x, int y, int width, int rows, const char *const *lines,
                  int n, enum k8tls_role role);
void tui_set_label(struct tui *t, int item, const char *const *lines, int n, enum k8tls_role role);
/* replaces a label's lines, which already carry markup */
void tui_set_label_markup(struct tui *t, int item, char **mk, int n);
int tui_add_button(struct tui *t, int x, int y, const char *caption, enum action a);
void tui_draw_button(struct tui *t, int item);
int tui_add_list(struct tui *t, int x, int y, int w, int h, const char *title,
                 const char *const *rows, int n);
void tui_draw_field_label(struct tui *t, int fi);
void tui_focus(struct tui *t, int item);
void tui_entry_cursor(CDKENTRY *en, int pos); /* puts the cursor at offset pos (-1: the end) */
/* the next focusable item from from in direction dir among items [lo, hi), or -1 */
int tui_focus_step(struct tui *t, int from, int dir, int lo, int hi);
/* the progress line text for the current key generation (heap, may be "") */
char *tui_progress_text(struct tui *t);
void tui_update_progress(struct tui *t);
/* The message area, word-wrapped: errors first, then the focused field's hint, then the step's
 * notes; when longer than the area it scrolls (tui_notes_scroll by a page less a line: false
 * when there is nothing to scroll) and tui_notes_scrolls says so (the footer). */
void tui_update_notes(struct tui *t);
bool tui_notes_scroll(struct tui *t, int dir);
bool tui_notes_scrolls(const struct tui *t);
/* every 100 ms without a key: the progress line and the screen's tick */
void tui_tick(struct tui *t);
/* The terminal cursor where the focused entry's cursor is (hidden elsewhere); marks beside the
 * entries whose value is wider than their box ('<' text hidden on the left, '>' on the right). */
void tui_place_cursor(struct tui *t);
void tui_draw_overflow(struct tui *t);
/* After an ESC from w: true when more bytes follow at once (an unknown key's sequence, or Alt
 * and a key), which are then read and dropped; false for the Esc key alone. */
bool tui_esc_sequence(WINDOW *w);
/* Rows for a list: CDK markup (escaped, the mask in the masked-value colour), each with the index
 * of the source line it shows. */
struct tui_rows {
    char **v;
    int *src;
    size_t n;
};
void tui_rows_free(struct tui_rows *r);
/* Adds text cut at width, one row per piece; each source line is also copied to *src_lines
 * (when not NULL; secrets are wiped from the temporaries). */
void tui_rows_add_text(struct tui_rows *r, const char *text, int width, char ***src_lines,
                       size_t *n_src);
/* Adds a message word-wrapped at width, continuation lines indented. */
void tui_rows_add_wrapped(struct tui_rows *r, const char *text, int width);

/* ---- form.c: each screen's instance; the fields' widgets, values and errors ------------- */
/* The screen's form (its instance created and its fields defined on first use); NULL on OOM. */
struct form *tui_form_of(struct tui *t, enum k8tls_screen s);
/* ... or NULL when the screen was never used. */
struct form *tui_form_peek(struct tui *t, enum k8tls_screen s);
/* The screen's private state (created on first use, zeroed, private_size bytes). */
void *tui_screen_priv(struct tui *t, enum k8tls_screen s);
/* The form defined, its values loaded from the plan when the plan changed, visibility synced. */
void tui_form_ensure(struct tui *t, enum k8tls_screen s);
/* Frees every instance (fini, then the form with its values wiped). */
void tui_screens_free(struct tui *t);
/* Field definition for the screens' define: returns the field's index. */
int tui_field_add(struct form *f, enum fkind k, const char *label, const char *path);
int tui_field_choice(struct form *f, const char *label, const char *path,
                     const char *const *choices, int n, bool relayout);
int tui_field_yesno(struct form *f, const char *label, const char *path, bool relayout);
/* A field bound to the answers key at path (bind.c): kind, label, choices and hint from its row;
 * tui_field_key_text shows an enumerated key as a text field. Returns the field's index. */
int tui_field_key(struct form *f, const char *path, bool relayout);
int tui_field_key_text(struct form *f, const char *path);
/* The engine's load and store of a form: the bound fields, then the screen's own load/store. */
void tui_form_load(struct tui *t, struct form *f, const struct tui_screen *ops);
int tui_form_store(struct tui *t, struct form *f, const struct tui_screen *ops, bool strict);
void tui_field_hint(struct form *f, int i, const char *h);
/* values: set (a password's old value wiped), as text ("" when none) */
void tui_field_set(struct form *f, int i, const char *v);
void tui_field_set_int(struct form *f, int i, long v);
const char *tui_field_val(struct form *f, int i);
/* values to the plan: trimmed text; optional ("" = NULL); a whole number (an error beside the
 * field when strict); a password reference */
void tui_put_str(char **dst, struct form *f, int i);
void tui_put_opt(char **dst, struct form *f, int i);
int tui_put_int(int *dst, struct form *f, int i, bool strict);
void tui_put_password(struct k8tls_password *pw, struct form *f, int i);
/* a copy of s without blanks around it (heap) */
char *tui_trimmed(const char *s);
void tui_build_form(struct tui *t, const struct tui_screen *ops);
/* reads the widget's value into its field; true when it changed */
bool tui_read_field(struct tui *t, int item);
/* after an edit: the field's value to the plan (store), the notes, a relayout when asked */
void tui_field_changed(struct tui *t, int item);
/* A key for the focused entry item: editing (readline's Ctrl-A/E/K/U/W, Home/End, the arrows,
 * Backspace/Delete) and printable characters go to it; other control characters and keys are
 * refused. Returns true when the value may have changed. */
bool tui_entry_key(struct tui *t, int item, int key);
void tui_form_clear_errors(struct form *f);
void tui_field_error(struct form *f, int i, const char *msg);
/* attach diagnostics to screen s's fields (by path) or its general error; returns errors added */
int tui_attach_diags(struct tui *t, enum k8tls_screen s, const struct k8tls_diags *d,
                     bool all_to_screen);
/* Validation of the whole plan; errors of screen s go to its fields; returns the errors for s. */
int tui_validate_screen(struct tui *t, enum k8tls_screen s);
/* env:/file: passwords of the form checked now, at their fields; the number of errors */
int tui_check_password_refs(struct tui *t, struct form *f);
/* notes: the validation warnings (and notes) of screen s */
void tui_screen_warnings(struct tui *t, enum k8tls_screen s, char **lines, int max, int *n);
/* A copy of the plan with its password references resolved, to check imports on Next (S8:
 * before anything is written); NULL with the errors on screen s counted in *errs. */
struct k8tls_plan *tui_resolved_copy(struct tui *t, enum k8tls_screen s, int *errs);
/* The errors of d beside a field (the first) and in the screen's error line (a few more); dflt
 * when d has none. Returns how many. */
/* A core message in the TUI's words: labels for key paths, no rule codes or command-line flags
 * (heap string). */
/* The Output step's typed passwords (passwords typed on a step, never saved in clear): listed
 * as the answers file will hold them in mode (0 left out: labels; 1 env: names; 2 file: paths),
 * heap string; the mode chosen, or -1 when no password was typed. */
char *tui_output_typed_list(struct tui *t, int mode);
int tui_output_typed_mode(struct tui *t);
char *tui_user_text(const char *msg, enum k8tls_screen cur);
int tui_show_errors(struct form *f, int field, const struct k8tls_diags *d, const char *dflt);

/* ---- layout.c: a whole page ------------------------------------------------------------- */
void tui_build_page(struct tui *t);
/* The footer again for what has the focus now: its own keys (the item's keys, a choice, a
 * list), the screen's, then the general ones, as many as fit in one row. */
void tui_update_bar(struct tui *t);
/* The footer shows these "key: action" pairs (two spaces apart) instead: a widget that runs
 * its own loop (the file chooser). */
void tui_set_bar(struct tui *t, const char *pairs);

/* ---- modal.c: dialogs over the page; return true for yes -------------------------------- */
bool tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
                 const char *no);
void tui_message(struct tui *t, const char *title, const char *text);
/* the file chooser: returns a heap path or NULL */
char *tui_choose_file(struct tui *t, const char *title, const char *start, bool want_dir);
/* Waits for a job while a panel shows title, the job's lines and progress; the UI stays alive
 * (redraw, resize). may_leave: Ctrl-C leaves the wizard (the job is joined at exit; returns -2);
 * otherwise Ctrl-C only says to wait. wait_ok: once done, the panel stays until OK. Returns the
 * job's value. The job is freed (joined) unless -2 is returned (then t->job keeps it). */
int tui_job_wait(struct tui *t, const char *title, struct tui_job *j, bool may_leave,
                 bool wait_ok);
/* Removes a modal (items from base on) and draws the page again with its focus. */
void tui_modal_close(struct tui *t, int base, int saved_focus);

/* ---- viewer.c: the text viewer ---------------------------------------------------------- */
/* A text in a list with the position under it ("line 40/112"): prose word-wrapped, code kept
 * whole (scrolls sideways), Up/Down, PgUp/PgDn, Home/End, `/` search and n/N, listed in the
 * footer. The state of one viewer on a page; zeroed means none. */
struct tui_viewer {
    struct tui_doc doc;
    struct tui_rows rows;           /* the list's rows (markup), with their source lines */
    int item, pos_item;             /* page items (-1: none) */
    char *search;                   /* the last search, or NULL */
    char *said;                     /* a word for the position line ("not found"), or NULL */
    bool focused;                   /* as last drawn */
};
/* Lays text out (markdown: prose wrapped; else every line is code) in a list at x, y (w x h,
 * its box included) and the position line under it (row y + h), the cursor on source line
 * src_line. The text is wiped from the rows when they are freed. Returns the list's item. */
int tui_viewer_add(struct tui *t, struct tui_viewer *v, int x, int y, int w, int h,
                   const char *title, const char *text, bool markdown, int src_line);
/* The viewer's keys when its list has the focus: 1 = handled. */
int tui_viewer_key(struct tui *t, struct tui_viewer *v, int k);
/* Draws the position line again when the focus came or went (from a screen's tick). */
void tui_viewer_tick(struct tui *t, struct tui_viewer *v);
/* The source line under the cursor (0 when none). */
int tui_viewer_line(struct tui *t, const struct tui_viewer *v);
/* Frees the viewer's rows (wiped); the page items go with the page. */
void tui_viewer_free(struct tui_viewer *v);
/* A viewer over the whole page (Esc, Enter or q closes it). lines: plain text, code. */
void tui_view_text(struct tui *t, const char *title, char **lines, int n);

/* ---- loop.c: the main loop -------------------------------------------------------------- */
int tui_loop(struct tui *t);

/* ---- session.c: the plan and the bundle ------------------------------------------------- */
/* Replaces the plan (--output kept), forgets the key generation and the bundle. */
void tui_replace_plan(struct tui *t, struct k8tls_plan *p);
/* Drops the bundle and its diagnostics (bundle_epoch changes). */
void tui_bundle_reset(struct tui *t);
/* (Re)builds the bundle from the finished key generation and the plan's output settings.
 * Returns 0, or -1 with the problems in t->review_diags. */
int tui_bundle_build(struct tui *t);
/* Adds the diagnostics of from not already in to. */
void tui_diags_merge(struct k8tls_diags *to, const struct k8tls_diags *from);
/* Frees what the session holds (at exit). */
void tui_session_free(struct tui *t);

/* ---- kube.c: the kubeconfig, apply, diff ------------------------------------------------ */
/* Reads the kubeconfig once (t->opts->kubeconfig, else KUBECONFIG, else ~/.kube/config). */
void tui_kube_load(struct tui *t);
/* Applies t->bundle to the contexts (the first is the control plane) in a worker, showing each
 * object's result; the outcome goes to t->applied. Returns k8tls_kube_apply's code, -2 when the
 * user left. With rotate, the live Secrets of the contexts are checked first (rotation.c).
 * wait_ready (a cert-manager output): the K8ssandraCluster goes only once every Certificate is
 * Ready and every trust-manager Bundle Synced (k8tls_apply_opts.wait_ready, its default
 * timeout), the wait shown in the panel. */
int tui_apply_run(struct tui *t, const char *const *contexts, size_t n, bool dry_run,
                  bool create_namespace, bool wait_ready);
/* kubectl diff --server-side of t->bundle against the contexts (else the current context),
 * shown in a viewer with Secret values masked. */
void tui_kube_diff(struct tui *t, const char *const *contexts, size_t n);
/* Frees the kubeconfig and the last apply (at exit). */
void tui_kube_free(struct tui *t);

/* ---- screen/output.c: the Output screen's own data, for other screens ------------------ */
/* the directory to write to (the rotation phase suggests one per phase) */
void tui_output_set_dir(struct tui *t, const char *dir);
/* the contexts chosen (pointers into its field; n may be 0) */
size_t tui_output_contexts(struct tui *t, const char **out, size_t max);

/* ---- rotation.c: the rotation state ----------------------------------------------------- */
struct tui_renew *tui_renew_of(struct tui *t);
/* welcome.c: "add encryption to an existing manifest" with path filled in (the doctor's fix) */
void tui_welcome_preset_manifest(struct tui *t, const char *path);   /* created on first use; NULL on OOM */
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

#endif
