/* Fuzz harness: inspect's reading of Kubernetes Secret YAML files (one or more documents, or a
 * List; base64 data decoded into stores, PEM files and passwords), X5. Each input is written
 * to a private temporary file named *.yaml and given to k8tls_inspect_path, then every text of
 * the report (what `k8tls-wizard inspect` prints) is read through.
 * Checked beyond "no crash, no sanitizer report, bounded": every item of the report has a name
 * and a kind. (An empty report is allowed: a Secret holding only passwords gives none today.) */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/inspect.h"

static char dir[64], path[96];
static FILE *devnull;

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/k8tls-fuzz-sy.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(path, sizeof path, "%s/secret.yaml", dir);
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        LLVMFuzzerInitialize(NULL, NULL);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    struct k8tls_inspect_report r;
    struct k8tls_inspect_opts o = { .password = "changeit" };
    k8tls_inspect_init(&r);
    k8tls_inspect_path(&r, path, &o);
    for (size_t i = 0; i < r.n; i++) {
        if (!r.v[i].name || !r.v[i].what) {
            fprintf(stderr, "report item %zu without a name or a kind\n", i);
            abort();
        }
    }
    size_t chars = 0;
    for (size_t i = 0; i < r.n; i++) {
        const struct k8tls_inspect_item *it = &r.v[i];
        chars += strlen(it->name) + strlen(it->what);
        for (size_t k = 0; k < it->notes.n; k++)
            chars += strlen(it->notes.v[k].msg);
        for (size_t j = 0; j < it->n; j++) {
            const struct k8tls_inspect_entry *en = &it->v[j];
            const char *texts[] = { en->alias, en->subject, en->issuer, en->key, en->not_before,
                                    en->not_after };
            for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
                chars += texts[t] ? strlen(texts[t]) : 0;
            for (size_t k = 0; en->sans && en->sans[k]; k++)
                chars += strlen(en->sans[k]);
            for (size_t k = 0; k < en->notes.n; k++)
                chars += strlen(en->notes.v[k].msg);
        }
    }
    fprintf(devnull, "%zu\n", chars);
    (void)k8tls_inspect_count(&r, K8TLS_SEV_ERROR);
    k8tls_inspect_free(&r);
    return 0;
}
