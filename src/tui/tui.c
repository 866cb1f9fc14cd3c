/* The interactive wizard: terminal setup and restore on every exit path, the struct tui
 * with the table of screens (screen/table.c), then the key loop (loop.c). The top of src/tui: it
 * calls the engine, the session, kube.c, rotation.c and keygen.c; nothing calls it but the CLI. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/k8tls-wizard"
#endif

/* The default theme, for when no theme directory is installed (same as themes/default.theme). */
static const char builtin_default_theme[] =
    "title          = white   blue    bold\n"
    "text           = default default\n"
    "field          = black   cyan\n"
    "focused-field  = black   yellow\n"
    "button         = default default\n"
    "focused-button = white   blue    bold reverse\n"
    "error          = white   red     bold\n"
    "warning        = yellow  black   bold\n"
    "help-bar       = black   cyan\n"
    "masked         = magenta default\n";

/* ---- restoring the terminal ------------------------------------------------------------- */

static struct termios saved_tio;
static bool have_tio;
static volatile sig_atomic_t curses_on;
static char restore_seq[256];
static size_t restore_len;
static SCREEN *the_screen;

static void append_cap(const char *name)
{
    char *s = tigetstr((char *)name);
    if (!s || s == (char *)-1)
        return;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, n);
        restore_len += n;
    }
}

/* async-signal-safe: write(2) and tcsetattr(3) only */
static void restore_raw(void)
{
    if (restore_len) {
        ssize_t w = write(STDOUT_FILENO, restore_seq, restore_len);
        (void)w;
    }
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

static void on_fatal_signal(int sig)
{
    if (curses_on) {
        curses_on = 0;
        restore_raw();
    }
    /* SA_RESETHAND put the default action back: re-raise for the right exit status */
    raise(sig);
}

static void restore_at_exit(void)
{
    if (curses_on) {
        curses_on = 0;
        endwin();
        restore_raw();
    }
}

static void install_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS,
                               SIGFPE, SIGILL};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void default_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS,
                               SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
}

/* ---- theme -------------------------------------------------------------------------------- */

static int pick_theme(const struct k8tls_tui_opts *o, struct k8tls_theme *th)
{
    const char *nc = getenv("NO_COLOR");
    if (o->no_color || (nc && *nc)) {
        k8tls_theme_mono(th);
        return 0;
    }
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_theme_find(o->theme, PKGDATADIR "/themes", th, &e) == 0)
        return 0;
    if (!o->theme || !*o->theme || strcmp(o->theme, "default") == 0) {
        /* not installed: the built-in copy */
        if (k8tls_theme_parse("default", builtin_default_theme, sizeof builtin_default_theme - 1,
                              th, &e) == 0)
            return 0;
    }
    char buf[1600];
    fprintf(stderr, "k8tls-wizard: %s\n", k8tls_err_format(&e, buf, sizeof buf));
    return -1;
}

/* ---- the entry point ---------------------------------------------------------------------- */

int k8tls_tui_run(const struct k8tls_tui_opts *o)
{
    static const struct k8tls_tui_opts none = {0};
    if (!o)
        o = &none;
    struct k8tls_theme theme;
    if (pick_theme(o, &theme) < 0)
        return 2;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "k8tls-wizard: %s\n",
                _("the interactive wizard needs a terminal; use --answers FILE or --defaults "
                  "without one"));
        return 2;
    }
    struct tui t;
    memset(&t, 0, sizeof t);
    t.opts = o;
    t.screens = tui_screens;
    t.kg = tui_keygen_new();
    t.plan = k8tls_plan_new_defaults();
    k8tls_diags_init(&t.review_diags);
    if (!t.kg || !t.plan) {
        fprintf(stderr, "k8tls-wizard: %s\n", _("out of memory"));
        tui_keygen_free(t.kg);
        k8tls_plan_free(t.plan);
        return 3;
    }
    if (o->output && *o->output) {
        free(t.plan->output.directory);
        t.plan->output.directory = strdup(o->output);
    }

    have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    const char *term = getenv("TERM");
    the_screen = newterm(NULL, stdout, stdin);
    if (!the_screen) {
        fprintf(stderr, "k8tls-wizard: %s (TERM=%s)\n",
                _("cannot use this terminal for the interactive wizard"),
                term && *term ? term : _("unset"));
        tui_keygen_free(t.kg);
        k8tls_plan_free(t.plan);
        return 3;
    }
    set_term(the_screen);
#if ENABLE_NLS
    /* CDK draws bytes: the catalog is transliterated to ASCII while the TUI runs */
    bind_textdomain_codeset(PACKAGE, "ASCII//TRANSLIT");
#endif
    restore_len = 0;
    append_cap("sgr0");
    append_cap("cnorm");
    append_cap("rmkx");
    append_cap("rmcup");
    curses_on = 1;
    install_handlers();
    static bool registered;
    if (!registered) {
        atexit(restore_at_exit);
        registered = true;
    }
    set_escdelay(25);
    t.cdk = initCDKScreen(stdscr);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    tui_colors_init(&theme);

    t.cur = K8TLS_SCR_WELCOME;

    int rc = tui_loop(&t);

    destroyCDKScreen(t.cdk);
    endwin();
    curses_on = 0;
    delscreen(the_screen);
    the_screen = NULL;
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    default_handlers();
#if ENABLE_NLS
    /* what follows is printed by the terminal itself: the locale's own characters again */
    bind_textdomain_codeset(PACKAGE, nl_langinfo(CODESET));
#endif

    if (rc == 0 && t.written_dir) {
        printf(_("k8tls-wizard: wrote %s (%zu files). Apply it with: kubectl apply -k %s\n"),
               t.written_dir, t.written_files, t.written_dir);
        if (t.answers_saved)
            printf(_("k8tls-wizard: answers saved to %s\n"), t.answers_saved);
        if (t.applied && t.applied->rc == 0)
            printf(t.applied->dry_run
                       ? _("k8tls-wizard: server dry run in %s: %zu objects accepted\n")
                       : _("k8tls-wizard: applied to %s: %zu objects\n"),
                   t.applied->contexts, t.applied->n_done);
    } else if (rc != 0 && t.written_dir) {
        fprintf(stderr, _("k8tls-wizard: cancelled: %s was written (%zu files); nothing else was "
                          "done\n"),
                t.written_dir, t.written_files);
    } else if (rc != 0) {
        fprintf(stderr, "k8tls-wizard: %s\n", _("cancelled: nothing was written"));
    }

    /* the workers may still run (cancel during generation, or while kubectl runs): join them now
     * that the terminal is back, before what they use is freed */
    if (t.job) {
        if (!tui_job_finished(t.job, NULL))
            fprintf(stderr, "k8tls-wizard: %s\n",
                    _("waiting for kubectl to finish (it gives up after 30 seconds)..."));
        tui_job_free(t.job);
        t.job = NULL;
    }
    if (t.job_cleanup)
        t.job_cleanup(t.job_arg);
    tui_screens_free(&t);
    free(t.status);
    tui_renew_free(&t);
    tui_kube_free(&t);
    tui_session_free(&t);
    return rc;
}
