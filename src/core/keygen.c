/* Key generation: one key, or several at once on worker threads (SPEC P1, P3). */
#include "config.h"
#include "k8tls/pki.h"
#include "k8tls/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

EVP_PKEY *k8tls_pki_keygen(const struct k8tls_key_spec *spec, struct k8tls_err *e)
{
    EVP_PKEY *key = NULL;
    char why[256];

    if (spec->alg == K8TLS_KEY_RSA) {
        if (spec->bits != 2048 && spec->bits != 3072 && spec->bits != 4096) {
            k8tls_err_set(e, NULL, 0, 0, _("unsupported RSA key size %d (2048, 3072 or 4096)"),
                          spec->bits);
            return NULL;
        }
        key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)spec->bits);
    } else if (spec->alg == K8TLS_KEY_ECDSA) {
        const char *curve = spec->curve == K8TLS_CURVE_P384 ? "P-384" : "P-256";
        if (spec->curve != K8TLS_CURVE_P256 && spec->curve != K8TLS_CURVE_P384) {
            k8tls_err_set(e, NULL, 0, 0, "%s", _("unsupported ECDSA curve (P-256 or P-384)"));
            return NULL;
        }
        key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    } else {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("unsupported key algorithm (rsa or ecdsa)"));
        return NULL;
    }
    if (!key) {
        openssl_reason(why, sizeof why);
        k8tls_err_set(e, NULL, 0, 0, _("key generation failed: %s"), why);
    }
    return key;
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

struct pool {
    pthread_mutex_t lock;
    int done, total;
    k8tls_progress_cb progress;
    void *ud;
};

struct worker {
    struct pool *pool;
    struct k8tls_keygen_job *job;
    pthread_t tid;
    bool started;
};

static void run_job(struct pool *pool, struct k8tls_keygen_job *job)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    job->thread = (unsigned long)pthread_self();
    clock_gettime(CLOCK_MONOTONIC, &job->started);
    job->key = k8tls_pki_keygen(&job->spec, &e);
    clock_gettime(CLOCK_MONOTONIC, &job->finished);
    if (!job->key)
        snprintf(job->error, sizeof job->error, "%.250s", e.msg[0] ? e.msg : _("key generation failed"));
    pthread_mutex_lock(&pool->lock);
    int done = ++pool->done;
    pthread_mutex_unlock(&pool->lock);
    /* not under the lock: a slow callback (a UI redraw) must not hold back the other workers */
    if (pool->progress)
        pool->progress(pool->ud, done, pool->total, job->label ? job->label : "");
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    run_job(w->pool, w->job);
    return NULL;
}

int k8tls_pki_keygen_parallel(struct k8tls_keygen_job *jobs, size_t n, k8tls_progress_cb progress,
                              void *ud, struct k8tls_err *e)
{
    struct pool pool = { .done = 0, .total = (int)n, .progress = progress, .ud = ud };
    struct worker workers[16];
    int rc = 0;

    if (n > sizeof workers / sizeof workers[0]) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("too many keys requested at once"));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        jobs[i].key = NULL;
        jobs[i].error[0] = '\0';
    }
    if (pthread_mutex_init(&pool.lock, NULL) != 0) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("cannot start the key generation threads"));
        return -1;
    }
    /* the last job runs on this thread: one thread fewer to create, same concurrency */
    for (size_t i = 0; i < n; i++) {
        workers[i].pool = &pool;
        workers[i].job = &jobs[i];
        workers[i].started = false;
        if (i + 1 < n)
            workers[i].started = pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!workers[i].started)
            run_job(&pool, &jobs[i]);
    for (size_t i = 0; i < n; i++)
        if (workers[i].started)
            pthread_join(workers[i].tid, NULL);
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
