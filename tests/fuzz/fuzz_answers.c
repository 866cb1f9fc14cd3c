/* Fuzz harness: the answers-file loader (X5), then validation and the emitter.
 * Properties checked beyond "no crash, no sanitizer report, bounded":
 *  - every loader diagnostic names the file (bad input: one clear line naming the file);
 *  - an answers file that loads without an error is written back by the emitter as YAML that
 *    loads again without an error (what --print-answers and the TUI save must be readable). */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/answers.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"

static void dump_diags(const char *what, const struct k8tls_diags *d)
{
    char buf[2048];
    fprintf(stderr, "%s\n", what);
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "  %s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz-answers.yaml";
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_plan *p = k8tls_answers_load_buf(name, (const char *)data, size, &d);
    for (size_t i = 0; i < d.n; i++) {
        if (!d.v[i].file || strcmp(d.v[i].file, name) != 0 || !d.v[i].msg || !d.v[i].msg[0]) {
            dump_diags("a loader diagnostic does not name the file:", &d);
            abort();
        }
    }
    size_t errors = k8tls_diags_count(&d, K8TLS_SEV_ERROR);
    if (p) {
        k8tls_plan_validate(p, &d);
        if (errors == 0) {
            char *out = NULL;
            size_t len = 0;
            struct k8tls_err e;
            if (k8tls_answers_emit_buf(p, 0, &out, &len, &e) == 0) {
                struct k8tls_diags d2;
                k8tls_diags_init(&d2);
                struct k8tls_plan *q = k8tls_answers_load_buf("emitted.yaml", out, len, &d2);
                if (!q || k8tls_diags_count(&d2, K8TLS_SEV_ERROR) != 0) {
                    fprintf(stderr, "emitted answers do not load back:\n%.*s\n", (int)len, out);
                    dump_diags("errors:", &d2);
                    abort();
                }
                k8tls_plan_free(q);
                k8tls_diags_free(&d2);
                k8tls_secure_free_str(out);
            }
        }
        k8tls_plan_free(p);
    }
    k8tls_diags_free(&d);
    return 0;
}
