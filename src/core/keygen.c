/* Key generation: one key, or several at once on worker threads (P1, P3). */
#include "config.h"
#include "k8tls/pki.h"
#include "k8tls/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

static void openssl_reason(char *buf, size_t len)
{
    unsigned long code = ERR_get_error();
    if (code)
        ERR_error_string_n(code, buf, len);
    else
        snprintf(buf, len, "%s", _("unknown OpenSSL error"));
    ERR_clear_error();
}

/* keygen with an optional cancel flag: OpenSSL calls the callback during the prime search, and a
 * 0 from it ends the search (a raced duplicate that lost, see below) */
static int keygen_cb(EVP_PKEY_CTX *ctx)
{
    const volatile int *cancel = EVP_PKEY_CTX_get_app_data(ctx);
    return cancel && __atomic_load_n(cancel, __ATOMIC_ACQUIRE) ? 0 : 1;
}

static EVP_PKEY *keygen_cancellable(const struct k8tls_key_spec *spec, const int *cancel,
                                    struct k8tls_err *e)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    char why[256];
    const char *curve = spec->curve == K8TLS_CURVE_P384 ? "P-384" : "P-256";

    if (spec->alg == K8TLS_KEY_RSA) {
        if (spec->bits != 2048 && spec->bits != 3072 && spec->bits != 4096) {
            k8tls_err_set(e, NULL, 0, 0, _("unsupported RSA key size %d (2048, 3072 or 4096)"),
                          spec->bits);
            return NULL;
        }
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        if (ctx && (EVP_PKEY_keygen_init(ctx) <= 0
                    || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, spec->bits) <= 0)) {
            EVP_PKEY_CTX_free(ctx);
            ctx = NULL;
        }
    } else if (spec->alg == K8TLS_KEY_ECDSA) {
        if (spec->curve != K8TLS_CURVE_P256 && spec->curve != K8TLS_CURVE_P384) {
            k8tls_err_set(e, NULL, 0, 0, "%s", _("unsupported ECDSA curve (P-256 or P-384)"));
            return NULL;
        }
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        if (ctx && (EVP_PKEY_keygen_init(ctx) <= 0
                    || EVP_PKEY_CTX_set_group_name(ctx, curve) <= 0)) {
            EVP_PKEY_CTX_free(ctx);
            ctx = NULL;
        }
    } else {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("unsupported key algorithm (rsa or ecdsa)"));
        return NULL;
    }
    if (ctx) {
        if (cancel) {
            EVP_PKEY_CTX_set_app_data(ctx, (void *)cancel);
            EVP_PKEY_CTX_set_cb(ctx, keygen_cb);
        }
        if (EVP_PKEY_generate(ctx, &key) <= 0) {
            EVP_PKEY_free(key);
            key = NULL;
        }
        EVP_PKEY_CTX_free(ctx);
    }
    if (!key) {
        openssl_reason(why, sizeof why);
        k8tls_err_set(e, NULL, 0, 0, _("key generation failed: %s"), why);
    }
    return key;
}

EVP_PKEY *k8tls_pki_keygen(const struct k8tls_key_spec *spec, struct k8tls_err *e)
{
    return keygen_cancellable(spec, NULL, e);
}

int k8tls_pki_key_spec_of(EVP_PKEY *key, struct k8tls_key_spec *out)
{
    memset(out, 0, sizeof *out);
    out->set = true;
    if (EVP_PKEY_is_a(key, "RSA")) {
        int bits = EVP_PKEY_get_bits(key);
        out->alg = K8TLS_KEY_RSA;
        /* an imported CA may use another size: leaves take the nearest supported one */
        out->bits = bits <= 2048 ? 2048 : bits <= 3072 ? 3072 : 4096;
        return 0;
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char name[64] = "";
        size_t len = 0;
        out->alg = K8TLS_KEY_ECDSA;
        if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                            &len)) {
            ERR_clear_error();
            return -1;
        }
        if (strcmp(name, "prime256v1") == 0 || strcmp(name, "P-256") == 0)
            out->curve = K8TLS_CURVE_P256;
        else if (strcmp(name, "secp384r1") == 0 || strcmp(name, "P-384") == 0)
            out->curve = K8TLS_CURVE_P384;
        else
            return -1;
        return 0;
    }
    return -1;
}

/* ---- the worker pool -------------------------------------------------------------------- */

/* One thread per job. A thread whose key is done does not sit idle while a core is free: it races
 * a second attempt at a key still being made (RSA prime search time is random with a long tail)
 * and the first attempt to finish wins; the other is cancelled through the keygen callback. The
 * keys are as random as any (each attempt draws from the CSPRNG); only the wait is shorter. */
#define MAX_JOBS 16

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t changed;          /* an attempt ended */
    int done, total;
    k8tls_progress_cb progress;
    void *ud;
    struct k8tls_keygen_job *jobs;
    size_t n;
    int finished[MAX_JOBS];          /* the job has its key (or its error): cancels the others */
    int attempts[MAX_JOBS];          /* attempts running for the job */
    int running;                     /* attempts running in all */
    int cores;
};

struct worker {
    struct pool *pool;
    size_t job;
    pthread_t tid;
    bool started;
};

/* One attempt at job i; the first attempt to end (with a key, or with an error no other attempt
 * can still fix) settles the job. */
static void run_attempt(struct pool *pool, size_t i)
{
    struct k8tls_keygen_job *job = &pool->jobs[i];
    struct k8tls_err e;
    struct timespec t0, t1;
    k8tls_err_clear(&e);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EVP_PKEY *key = keygen_cancellable(&job->spec, &pool->finished[i], &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    bool settled = false;
    int done = 0;
    pthread_mutex_lock(&pool->lock);
    pool->attempts[i]--;
    pool->running--;
    if (!pool->finished[i] && (key || pool->attempts[i] == 0)) {
        __atomic_store_n(&pool->finished[i], 1, __ATOMIC_RELEASE);
        job->key = key;
        key = NULL;
        job->thread = (unsigned long)pthread_self();
        job->started = t0;
        job->finished = t1;
        if (!job->key)
            snprintf(job->error, sizeof job->error, "%.250s",
                     e.msg[0] ? e.msg : _("key generation failed"));
        settled = true;
        done = ++pool->done;
    }
    pthread_cond_broadcast(&pool->changed);
    pthread_mutex_unlock(&pool->lock);
    EVP_PKEY_free(key);              /* a raced duplicate that finished second */
    ERR_clear_error();
    /* not under the lock: a slow callback (a UI redraw) must not hold back the other workers */
    if (settled && pool->progress)
        pool->progress(pool->ud, done, pool->total, job->label ? job->label : "");
}

/* Runs the thread's own job, then helps with the slowest ones while a core is free. */
static void work(struct pool *pool, size_t own)
{
    run_attempt(pool, own);
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        if (pool->done == pool->total)
            break;
        size_t best = MAX_JOBS;
        if (pool->running < pool->cores)
            for (size_t i = 0; i < pool->n; i++)
                if (!pool->finished[i] && (best == MAX_JOBS || pool->attempts[i] < pool->attempts[best]))
                    best = i;
        if (best == MAX_JOBS) {
            pthread_cond_wait(&pool->changed, &pool->lock);
            continue;
        }
        pool->attempts[best]++;
        pool->running++;
        pthread_mutex_unlock(&pool->lock);
        run_attempt(pool, best);
        pthread_mutex_lock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    work(w->pool, w->job);
    return NULL;
}

int k8tls_pki_keygen_parallel(struct k8tls_keygen_job *jobs, size_t n, k8tls_progress_cb progress,
                              void *ud, struct k8tls_err *e)
{
    struct pool pool = { .done = 0, .total = (int)n, .progress = progress, .ud = ud,
                         .jobs = jobs, .n = n };
    struct worker workers[MAX_JOBS];
    int rc = 0;

    if (n > MAX_JOBS) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("too many keys requested at once"));
        return -1;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pool.cores = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (int)cores;
    for (size_t i = 0; i < n; i++) {
        jobs[i].key = NULL;
        jobs[i].error[0] = '\0';
        pool.attempts[i] = 1;        /* each job's own attempt, counted before any thread runs */
    }
    pool.running = (int)n;
    if (pthread_mutex_init(&pool.lock, NULL) != 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot start the key generation threads"));
        return -1;
    }
    if (pthread_cond_init(&pool.changed, NULL) != 0) {
        pthread_mutex_destroy(&pool.lock);
        k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot start the key generation threads"));
        return -1;
    }
    /* the last job runs on this thread: one thread fewer to create, same concurrency */
    for (size_t i = 0; i < n; i++) {
        workers[i].pool = &pool;
        workers[i].job = i;
        workers[i].started = false;
        if (i + 1 < n)
            workers[i].started = pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!workers[i].started)
            work(&pool, i);
    for (size_t i = 0; i < n; i++)
        if (workers[i].started)
            pthread_join(workers[i].tid, NULL);
    pthread_cond_destroy(&pool.changed);
    pthread_mutex_destroy(&pool.lock);

    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].key && rc == 0) {
            k8tls_err_set(e, NULL, 0, 0, _("%s key: %s"), jobs[i].label ? jobs[i].label : "?",
                          jobs[i].error);
            rc = -1;
        }
    }
    if (rc != 0)
        for (size_t i = 0; i < n; i++) {
            EVP_PKEY_free(jobs[i].key);
            jobs[i].key = NULL;
        }
    return rc;
}
