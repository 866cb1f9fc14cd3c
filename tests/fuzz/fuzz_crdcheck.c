/* Fuzz harness: the offline CRD validator (k8tls_crd_check, X5) on any YAML, against the shipped
 * K8ssandraCluster CRD (loaded once). Checked beyond "no crash, no sanitizer report, bounded":
 * a load error names the input; every finding names the input and a field path, and the error
 * count returned matches the errors reported. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/crdcheck.h"
#include "k8tls/yamlutil.h"

static struct k8tls_crd *crd;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz.yaml";
    struct k8tls_err e;
    memset(&e, 0, sizeof e);
    if (!crd) {
        char path[4096];
        snprintf(path, sizeof path, "%s/crd/%s", K8TLS_ABS_SRCDIR, K8TLS_CRD_FILE);
        if (k8tls_crd_load(path, &crd, &e) < 0) {
            fprintf(stderr, "cannot load the CRD: %s\n", e.msg);
            abort();
        }
    }
    yaml_document_t doc;
    if (k8tls_yaml_load(name, (const char *)data, size, &doc, &e) < 0) {
        if (strcmp(e.file, name) != 0) {
            fprintf(stderr, "a load error that does not name the input: %s\n", e.msg);
            abort();
        }
        return 0;
    }
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    size_t errors = k8tls_crd_check(crd, &doc, yaml_document_get_root_node(&doc), name, &d);
    size_t reported = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (!d.v[i].file || strcmp(d.v[i].file, name) != 0 || !d.v[i].path || !d.v[i].msg) {
            fprintf(stderr, "a finding without file, path or message\n");
            abort();
        }
        if (d.v[i].sev == K8TLS_SEV_ERROR)
            reported++;
    }
    if (reported != errors) {
        fprintf(stderr, "%zu errors counted, %zu reported\n", errors, reported);
        abort();
    }
    k8tls_diags_free(&d);
    yaml_document_delete(&doc);
    return 0;
}
