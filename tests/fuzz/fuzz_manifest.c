/* Fuzz harness: the manifest merge reader (X5; cluster.manifest, "add encryption to an
 * existing K8ssandraCluster"): k8tls_bundle_adopt_manifest, then k8tls_manifest_merge (the
 * internal merge of src/core/bundle_int.h). Both read the file named by the plan, so each input is
 * written to a private temporary file first.
 * Checked beyond "no crash, no sanitizer report, bounded": a failure is an error naming the
 * file; a merged manifest merges again (the output is a valid input) to the same bytes (merging
 * is idempotent: running the wizard twice on its own output changes nothing). */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8tls/bundle.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "bundle_int.h"

static char dir[64], path[96];

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/k8tls-fuzz-mf.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    atexit(cleanup);
    return 0;
}

static void put(const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static int merge(struct k8tls_plan *p, char **out, size_t *len, struct k8tls_err *e)
{
    struct k8tls_bundle *b = calloc(1, sizeof *b);
    struct k8tls_identity id;
    if (!b)
        abort();
    k8tls_diags_init(&b->notes);
    int rc = k8tls_manifest_merge(p, b, out, len, &id, e);
    if (rc == 0)
        k8tls_identity_clear(&id);
    k8tls_bundle_free(b);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        LLVMFuzzerInitialize(NULL, NULL);
    put(data, size);
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    if (!p)
        abort();
    free(p->cluster.manifest);
    p->cluster.manifest = strdup(path);

    struct k8tls_diags d;
    k8tls_diags_init(&d);
    int rc = k8tls_bundle_adopt_manifest(p, &d);
    for (size_t i = 0; rc < 0 && i < d.n; i++) {
        if (d.v[i].sev == K8TLS_SEV_ERROR && (!d.v[i].file || strcmp(d.v[i].file, path) != 0)
            && !strstr(d.v[i].msg, "out of memory")) {
            fprintf(stderr, "adopt_manifest error without the file: %s\n", d.v[i].msg);
            abort();
        }
    }
    k8tls_diags_free(&d);
    if (rc == 0) {
        char *out = NULL, *out2 = NULL;
        size_t len = 0, len2 = 0;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        if (merge(p, &out, &len, &e) == 0) {
            put((const uint8_t *)out, len);
            k8tls_err_clear(&e);
            if (merge(p, &out2, &len2, &e) != 0) {
                fprintf(stderr, "the merged manifest does not merge again: %s:%d:%d: %s\n---\n%.*s\n",
                        e.file, e.line, e.col, e.msg, (int)len, out);
                abort();
            }
            if (len2 != len || memcmp(out, out2, len) != 0) {
                fprintf(stderr, "merging is not idempotent:\n--- first\n%.*s\n--- second\n%.*s\n",
                        (int)len, out, (int)len2, out2);
                abort();
            }
            free(out2);
            free(out);
        } else if (!e.msg[0] || (strcmp(e.file, path) != 0 && !strstr(e.msg, "out of memory"))) {
            fprintf(stderr, "merge error without the file: '%s' '%s'\n", e.file, e.msg);
            abort();
        }
    }
    k8tls_plan_free(p);
    return 0;
}
