/* Background key generation (SPEC P3): k8tls_pki_build on a worker thread, started as soon as the
 * key parameters are known, restarted when they change, consumed by the Review screen. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct kg_job {
    struct kg_job *next;
    pthread_t th;
    bool started;
    pthread_mutex_t mu;
    bool done;                 /* under mu */
    int prog_done, prog_total; /* under mu */
    char label[32];            /* under mu */
    char *fp;
    struct k8tls_plan *plan;   /* the worker's copy (resolved there) */
    struct k8tls_material *m;
    struct k8tls_diags d;
    int rc;
};

struct tui_keygen {
    struct kg_job *cur;        /* the generation the UI waits for */
    struct kg_job *all;        /* every job not yet joined (cur included) */
};

void tui_block_signals_in_thread(void)
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

static void on_progress(void *ud, int done, int total, const char *label)
{
    struct kg_job *j = ud;
    pthread_mutex_lock(&j->mu);
    j->prog_done = done;
    j->prog_total = total;
    if (label) {
        strncpy(j->label, label, sizeof j->label - 1);
        j->label[sizeof j->label - 1] = '\0';
    }
    pthread_mutex_unlock(&j->mu);
}

static void *worker(void *arg)
{
    struct kg_job *j = arg;
    tui_block_signals_in_thread();
    int rc = -1;
    if (k8tls_plan_resolve(j->plan, &j->d) == 0)
        rc = k8tls_pki_build(j->plan, on_progress, j, &j->m, &j->d);
    if (rc < 0 && k8tls_diags_count(&j->d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&j->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("key generation failed"));
    pthread_mutex_lock(&j->mu);
    j->rc = rc;
    j->done = true;
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

static void job_free(struct kg_job *j)
{
    if (!j)
        return;
    if (j->started)
        pthread_join(j->th, NULL);
    pthread_mutex_destroy(&j->mu);
    k8tls_secure_free_str(j->fp);
    k8tls_plan_free(j->plan);
    k8tls_material_free(j->m);
    k8tls_diags_free(&j->d);
    free(j);
}

static bool job_done(struct kg_job *j)
{
    pthread_mutex_lock(&j->mu);
    bool d = j->done;
    pthread_mutex_unlock(&j->mu);
    return d;
}

/* Joins and frees finished jobs that nobody waits for any more. */
static void reap(struct tui_keygen *kg)
{
    struct kg_job **pp = &kg->all;
    while (*pp) {
        struct kg_job *j = *pp;
        if (j != kg->cur && job_done(j)) {
            *pp = j->next;
            job_free(j);
        } else {
            pp = &j->next;
        }
    }
}

struct tui_keygen *tui_keygen_new(void)
{
    return calloc(1, sizeof(struct tui_keygen));
}

void tui_keygen_free(struct tui_keygen *kg)
{
    if (!kg)
        return;
    while (kg->all) {
        struct kg_job *j = kg->all;
        kg->all = j->next;
        job_free(j);
    }
    free(kg);
}

void tui_keygen_reset(struct tui_keygen *kg)
{
    kg->cur = NULL;
    reap(kg);
}

bool tui_keygen_matches(struct tui_keygen *kg, const struct k8tls_plan *p)
{
    if (!kg->cur)
        return false;
    char *fp = k8tls_flow_pki_fingerprint(p);
    bool same = fp && strcmp(fp, kg->cur->fp) == 0;
    k8tls_secure_free_str(fp);
    return same;
}

int tui_keygen_ensure(struct tui_keygen *kg, const struct k8tls_plan *p)
{
    reap(kg);
    if (tui_keygen_matches(kg, p))
        return 0;
    struct kg_job *j = calloc(1, sizeof *j);
    if (!j)
        return -1;
    pthread_mutex_init(&j->mu, NULL);
    k8tls_diags_init(&j->d);
    j->fp = k8tls_flow_pki_fingerprint(p);
    j->plan = k8tls_plan_dup(p);
    if (!j->fp || !j->plan) {
        job_free(j);
        return -1;
    }
    if (pthread_create(&j->th, NULL, worker, j) != 0) {
        job_free(j);
        return -1;
    }
    j->started = true;
    j->next = kg->all;
    kg->all = j;
    kg->cur = j;
    return 1;
}

enum kg_state tui_keygen_state(struct tui_keygen *kg, int *done, int *total, char *label,
                               size_t label_len)
{
    reap(kg);
    struct kg_job *j = kg->cur;
    if (done)
        *done = 0;
    if (total)
        *total = 0;
    if (label && label_len)
        label[0] = '\0';
    if (!j)
        return KG_NONE;
    pthread_mutex_lock(&j->mu);
    if (done)
        *done = j->prog_done;
    if (total)
        *total = j->prog_total;
    if (label && label_len) {
        strncpy(label, j->label, label_len - 1);
        label[label_len - 1] = '\0';
    }
    bool finished = j->done;
    int rc = j->rc;
    pthread_mutex_unlock(&j->mu);
    if (!finished)
        return KG_RUNNING;
    return rc == 0 ? KG_READY : KG_FAILED;
}

static struct kg_job *finished_cur(struct tui_keygen *kg)
{
    return kg->cur && job_done(kg->cur) ? kg->cur : NULL;
}

const struct k8tls_plan *tui_keygen_plan(struct tui_keygen *kg)
{
    struct kg_job *j = finished_cur(kg);
    return j ? j->plan : NULL;
}

struct k8tls_plan *tui_keygen_plan_mut(struct tui_keygen *kg)
{
    struct kg_job *j = finished_cur(kg);
    return j ? j->plan : NULL;
}

const struct k8tls_material *tui_keygen_material(struct tui_keygen *kg)
{
    struct kg_job *j = finished_cur(kg);
    return j && j->rc == 0 ? j->m : NULL;
}

const struct k8tls_diags *tui_keygen_diags(struct tui_keygen *kg)
{
    struct kg_job *j = finished_cur(kg);
    return j ? &j->d : NULL;
}
