/* The one worker mechanism of the TUI: work that takes seconds (key generation, kubectl, rotation
 * keys) runs on a worker thread, so that the UI keeps drawing; the worker reports progress and
 * result lines, the UI copies them under the lock. Calls only text.c. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tui_job {
    pthread_t th;
    bool started;
    pthread_mutex_t mu;
    bool done;                  /* under mu */
    int rc;                     /* under mu */
    char **lines;               /* under mu */
    enum k8tls_role *roles;     /* under mu */
    size_t n_lines, cap;        /* under mu */
    int prog_done, prog_total;  /* under mu */
    char label[64];             /* under mu */
    tui_job_fn fn;
    void *arg;
};

/* Worker threads block these signals so that the main thread handles them. */
static void block_signals_in_thread(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigaddset(&s, SIGQUIT);
    sigaddset(&s, SIGWINCH);
    sigaddset(&s, SIGTSTP);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
}

static void *job_main(void *p)
{
    struct tui_job *j = p;
    block_signals_in_thread();
    int rc = j->fn(j, j->arg);
    pthread_mutex_lock(&j->mu);
    j->rc = rc;
    j->done = true;
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

struct tui_job *tui_job_start(tui_job_fn fn, void *arg)
{
    struct tui_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    pthread_mutex_init(&j->mu, NULL);
    j->fn = fn;
    j->arg = arg;
    if (pthread_create(&j->th, NULL, job_main, j) != 0) {
        pthread_mutex_destroy(&j->mu);
        free(j);
        return NULL;
    }
    j->started = true;
    return j;
}

void tui_job_line(struct tui_job *j, enum k8tls_role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        return;
    pthread_mutex_lock(&j->mu);
    if (j->n_lines == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 16;
        char **l = realloc(j->lines, cap * sizeof *l);
        if (l)
            j->lines = l;
        enum k8tls_role *r = realloc(j->roles, cap * sizeof *r);
        if (r)
            j->roles = r;
        if (l && r)
            j->cap = cap;
    }
    if (j->n_lines < j->cap) {
        j->lines[j->n_lines] = s;
        j->roles[j->n_lines] = role;
        j->n_lines++;
        s = NULL;
    }
    pthread_mutex_unlock(&j->mu);
    free(s);
}

void tui_job_row(struct tui_job *j, enum k8tls_role role, const char *object,
                 const char *context, const char *status)
{
    /* "\t" object "\t" context "\t" status; a tab inside a field would shift the columns */
    char *s = NULL;
    if (asprintf(&s, "\t%s\t%s\t%s", object, context, status) < 0 || !s)
        return;
    for (char *c = s + 1; *c; c++)
        if (*c == '\t' && c != s + 1 + strlen(object) &&
            c != s + 2 + strlen(object) + strlen(context))
            *c = ' ';
    tui_job_line(j, role, "%s", s);
    free(s);
}

void tui_job_progress(void *ud, int done, int total, const char *label)
{
    struct tui_job *j = ud;
    pthread_mutex_lock(&j->mu);
    j->prog_done = done;
    j->prog_total = total;
    if (label) {
        strncpy(j->label, label, sizeof j->label - 1);
        j->label[sizeof j->label - 1] = '\0';
    }
    pthread_mutex_unlock(&j->mu);
}

bool tui_job_finished(struct tui_job *j, int *rc)
{
    pthread_mutex_lock(&j->mu);
    bool d = j->done;
    if (d && rc)
        *rc = j->rc;
    pthread_mutex_unlock(&j->mu);
    return d;
}

size_t tui_job_lines(struct tui_job *j, size_t from, char **out, enum k8tls_role *roles,
                     size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&j->mu);
    for (size_t i = from; i < j->n_lines && n < max; i++) {
        out[n] = strdup(j->lines[i]);
        if (roles)
            roles[n] = j->roles[i];
        if (out[n])
            n++;
    }
    pthread_mutex_unlock(&j->mu);
    return n;
}

size_t tui_job_count(struct tui_job *j)
{
    pthread_mutex_lock(&j->mu);
    size_t n = j->n_lines;
    pthread_mutex_unlock(&j->mu);
    return n;
}

void tui_job_progress_get(struct tui_job *j, int *done, int *total, char *label, size_t label_len)
{
    pthread_mutex_lock(&j->mu);
    if (done)
        *done = j->prog_done;
    if (total)
        *total = j->prog_total;
    if (label && label_len) {
        strncpy(label, j->label, label_len - 1);
        label[label_len - 1] = '\0';
    }
    pthread_mutex_unlock(&j->mu);
}

char *tui_job_progress_text(struct tui_job *j)
{
    pthread_mutex_lock(&j->mu);
    int done = j->prog_done, total = j->prog_total;
    char label[sizeof j->label];
    memcpy(label, j->label, sizeof label);
    pthread_mutex_unlock(&j->mu);
    if (total <= 0)
        return strdup("");
    return tui_fmt(_("Keys: %d of %d done%s%s"), done, total, *label ? ", " : "", label);
}

void tui_job_free(struct tui_job *j)
{
    if (!j)
        return;
    if (j->started)
        pthread_join(j->th, NULL);
    pthread_mutex_destroy(&j->mu);
    for (size_t i = 0; i < j->n_lines; i++)
        free(j->lines[i]);
    free(j->lines);
    free(j->roles);
    free(j);
}
