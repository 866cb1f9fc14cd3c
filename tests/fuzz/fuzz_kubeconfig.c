/* Fuzz harness: the kubeconfig reader (k8tls_kubeconfig_load, X5). The reader works on
 * files, as kubectl does: each input is written to a private temporary directory and loaded with
 * --kubeconfig semantics; an input holding the line "---8<---" is split there into two files
 * loaded through KUBECONFIG=a:b (the merge rules). HOME points into the temporary directory so
 * that no real ~/.kube/config is read.
 * Checked beyond "no crash, no sanitizer report, bounded": an error names one of the files; a
 * loaded config has sorted contexts with non-NULL strings, and find() finds each of them. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/kube.h"

static char dir[64], file_a[96], file_b[96];

static void cleanup(void)
{
    unlink(file_a);
    unlink(file_b);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/k8tls-fuzz-kc.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(file_a, sizeof file_a, "%s/a.yaml", dir);
    snprintf(file_b, sizeof file_b, "%s/b.yaml", dir);
    setenv("HOME", dir, 1);
    atexit(cleanup);
    return 0;
}

static void put(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static void check(const struct k8tls_kubeconfig *kc, const struct k8tls_err *e, bool two)
{
    if (!kc) {
        bool named = strcmp(e->file, file_a) == 0 || (two && strcmp(e->file, file_b) == 0)
                     || strstr(e->msg, file_a) || (two && strstr(e->msg, file_b));
        if (!e->msg[0] || !named) {
            fprintf(stderr, "kubeconfig error without the file: '%s' '%s'\n", e->file, e->msg);
            abort();
        }
        return;
    }
    if (!kc->current_context) {
        fprintf(stderr, "current_context is NULL\n");
        abort();
    }
    for (size_t i = 0; i < kc->n_contexts; i++) {
        const struct k8tls_kube_context *c = &kc->contexts[i];
        if (!c->name || !c->cluster || !c->namespace_ || !c->user) {
            fprintf(stderr, "context %zu has a NULL string\n", i);
            abort();
        }
        if (i > 0 && strcmp(kc->contexts[i - 1].name, c->name) > 0) {
            fprintf(stderr, "contexts are not sorted\n");
            abort();
        }
        if (k8tls_kubeconfig_find(kc, c->name) == NULL) {
            fprintf(stderr, "find() misses context '%s'\n", c->name);
            abort();
        }
    }
    char *d = k8tls_kubeconfig_describe(kc, NULL);
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        LLVMFuzzerInitialize(NULL, NULL);
    static const char sep[] = "\n---8<---\n";
    const uint8_t *cut = size >= sizeof sep - 1 ? memmem(data, size, sep, sizeof sep - 1) : NULL;
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    struct k8tls_kubeconfig *kc;
    if (cut) {
        size_t na = (size_t)(cut - data) + 1;   /* keep the newline */
        put(file_a, data, na);
        put(file_b, cut + sizeof sep - 1, size - na - (sizeof sep - 2));
        char env[1024];
        snprintf(env, sizeof env, "%s:%s/missing.yaml:%s", file_a, dir, file_b);
        setenv("KUBECONFIG", env, 1);
        kc = k8tls_kubeconfig_load(NULL, &e);
        unsetenv("KUBECONFIG");
        check(kc, &e, true);
    } else {
        put(file_a, data, size);
        kc = k8tls_kubeconfig_load(file_a, &e);
        check(kc, &e, false);
    }
    k8tls_kubeconfig_free(kc);
    return 0;
}
