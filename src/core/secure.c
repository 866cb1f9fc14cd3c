/* Secret buffers and passwords (X1, K11). */
#include "config.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"
#include "k8tls/infile.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/prctl.h>
#include <sys/resource.h>

extern char **environ;

struct k8tls_secret *k8tls_secret_new(const void *data, size_t len)
{
    struct k8tls_secret *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->data = malloc(len + 1);
    if (!s->data) {
        free(s);
        return NULL;
    }
    if (len)
        memcpy(s->data, data, len);
    s->data[len] = '\0';
    s->len = len;
    return s;
}

struct k8tls_secret *k8tls_secret_dup_str(const char *str)
{
    return k8tls_secret_new(str, strlen(str));
}

void k8tls_secret_wipe(struct k8tls_secret *s)
{
    if (s && s->data)
        OPENSSL_cleanse(s->data, s->len + 1);
}

void k8tls_secret_free(struct k8tls_secret *s)
{
    if (!s)
        return;
    k8tls_secret_wipe(s);
    free(s->data);
    free(s);
}

void k8tls_secure_wipe_str(char *s)
{
    if (s)
        OPENSSL_cleanse(s, strlen(s));
}

void k8tls_secure_free_str(char *s)
{
    k8tls_secure_wipe_str(s);
    free(s);
}

char *k8tls_password_generate(size_t len)
{
    static const char alphabet[] = K8TLS_PASSWORD_ALPHABET;
    const size_t n = sizeof alphabet - 1;
    /* rejection sampling: keep bytes below the largest multiple of n */
    const unsigned limit = 256 - (256 % n);
    if (len < 12)
        len = 12;
    char *pw = malloc(len + 1);
    if (!pw)
        return NULL;
    size_t i = 0;
    unsigned char buf[64];
    while (i < len) {
        if (RAND_bytes(buf, sizeof buf) != 1) {
            OPENSSL_cleanse(buf, sizeof buf);
            k8tls_secure_free_str(pw);
            return NULL;
        }
        for (size_t j = 0; j < sizeof buf && i < len; j++)
            if (buf[j] < limit)
                pw[i++] = alphabet[buf[j] % n];
        pw[i] = '\0';
    }
    OPENSSL_cleanse(buf, sizeof buf);
    pw[len] = '\0';
    return pw;
}

const char *k8tls_password_problem(const char *pw)
{
    if (!pw || strlen(pw) < 6)
        return _("a password needs at least 6 characters");
    for (const char *c = pw; *c; c++) {
        switch (*c) {
        case '\'': case '"':
            return _("quotes break the quoting in cassandra-env.sh");
        case '$':
            return _("'$' is expanded by the shell in cassandra-env.sh");
        case '\\':
            return _("a backslash breaks the quoting in cassandra-env.sh");
        case '`':
            return _("a backtick is expanded by the shell in cassandra-env.sh");
        case ' ': case '\t':
            return _("white space splits the password in cassandra-env.sh");
        default:
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                return _("control characters are not allowed in a password");
        }
    }
    return NULL;
}

#define K8TLS_PW_FILE_MAX 4096

char *k8tls_password_resolve(const char *ref, const char *base_dir, struct k8tls_err *e)
{
    if (!ref) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("no password reference"));
        return NULL;
    }
    if (strncmp(ref, "env:", 4) == 0) {
        const char *name = ref + 4;
        const char *v = *name ? getenv(name) : NULL;
        if (!v) {
            k8tls_err_set(e, NULL, 0, 0, _("environment variable '%s' is not set"), name);
            return NULL;
        }
        k8tls_secure_note_password_env(name);
        return strdup(v);
    }
    if (strncmp(ref, "file:", 5) == 0) {
        const char *p = ref + 5;
        char path[4096];
        if (!*p) {
            k8tls_err_set(e, NULL, 0, 0, "%s", _("'file:' needs a path"));
            return NULL;
        }
        if (p[0] != '/' && base_dir && *base_dir)
            snprintf(path, sizeof path, "%s/%s", base_dir, p);
        else
            snprintf(path, sizeof path, "%s", p);
        /* a directory or a FIFO is refused ("not a regular file (a FIFO)"), not read */
        int why = 0;
        FILE *f = k8tls_fopen_input(path, &why, e);
        if (!f) {
            if (why != K8TLS_INPUT_NOT_REGULAR)
                k8tls_err_set(e, path, 0, 0, _("cannot read the password file: %s"),
                              strerror(errno));
            return NULL;
        }
        char *buf = malloc(K8TLS_PW_FILE_MAX + 1);
        if (!buf) {
            fclose(f);
            return NULL;
        }
        size_t n = fread(buf, 1, K8TLS_PW_FILE_MAX + 1, f);
        if (ferror(f)) {
            int err = errno;
            fclose(f);
            OPENSSL_cleanse(buf, K8TLS_PW_FILE_MAX + 1);
            free(buf);
            k8tls_err_set(e, path, 0, 0, _("cannot read the password file: %s"), strerror(err));
            return NULL;
        }
        fclose(f);
        if (n > K8TLS_PW_FILE_MAX) {
            OPENSSL_cleanse(buf, K8TLS_PW_FILE_MAX + 1);
            free(buf);
            k8tls_err_set(e, path, 0, 0, "%s", _("the password file is too large"));
            return NULL;
        }
        buf[n] = '\0';
        if (n && buf[n - 1] == '\n') {
            buf[--n] = '\0';
            if (n && buf[n - 1] == '\r')
                buf[--n] = '\0';
        }
        if (memchr(buf, '\0', n)) {
            OPENSSL_cleanse(buf, n);
            free(buf);
            k8tls_err_set(e, path, 0, 0, "%s", _("the password file holds a NUL byte"));
            return NULL;
        }
        return buf;
    }
    return strdup(ref);
}

/* ---- password variables kept from child processes ----------------------------------------- */

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static char **env_names;       /* process lifetime: names only, no secret */
static size_t n_env_names, cap_env_names;

void k8tls_secure_note_password_env(const char *name)
{
    if (!name || !*name || strchr(name, '='))
        return;
    pthread_mutex_lock(&env_lock);
    bool known = false;
    for (size_t i = 0; i < n_env_names && !known; i++)
        known = strcmp(env_names[i], name) == 0;
    if (!known) {
        if (n_env_names == cap_env_names) {
            size_t cap = cap_env_names ? cap_env_names * 2 : 8;
            char **v = realloc(env_names, cap * sizeof *v);
            if (v) {
                env_names = v;
                cap_env_names = cap;
            }
        }
        if (n_env_names < cap_env_names) {
            char *c = strdup(name);
            if (c)
                env_names[n_env_names++] = c;
        }
    }
    pthread_mutex_unlock(&env_lock);
}

char **k8tls_secure_child_env(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **v = calloc(n + 1, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    pthread_mutex_lock(&env_lock);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        bool drop = false;
        for (size_t j = 0; j < n_env_names && !drop; j++)
            drop = strlen(env_names[j]) == len && memcmp(env_names[j], environ[i], len) == 0;
        if (!drop)
            v[k++] = environ[i];
    }
    pthread_mutex_unlock(&env_lock);
    v[k] = NULL;
    return v;
}

/* ---- process hardening -------------------------------------------------------------------- */

int k8tls_secure_harden_process(void)
{
    int rc = 0, err = 0;
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &none) < 0) {
        rc = -1;
        err = errno;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        rc = -1;
        err = errno;
    }
    if (rc < 0)
        errno = err;
    return rc;
}
