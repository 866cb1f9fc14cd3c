/* STUB: replaced by the bundle work (issue 4). */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "k8tls/bundle.h"
#include "k8tls/output.h"
int k8tls_bundle_build(const struct k8tls_plan *p, const struct k8tls_material *m,
                       struct k8tls_bundle **out, struct k8tls_diags *d)
{
    (void)p; (void)m; *out = NULL;
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "the bundle is not built yet");
    return -1;
}
int k8tls_bundle_from_plan(struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                           struct k8tls_bundle **out, struct k8tls_diags *d)
{
    (void)progress; (void)ud;
    return k8tls_bundle_build(p, NULL, out, d);
}
void k8tls_bundle_free(struct k8tls_bundle *b) { (void)b; }
const struct k8tls_artifact *k8tls_bundle_find(const struct k8tls_bundle *b, const char *path)
{ (void)b; (void)path; return NULL; }
char *k8tls_artifact_preview(const struct k8tls_artifact *a,
                             bool (*reveal)(void *ud, const char *key), void *ud)
{ (void)a; (void)reveal; (void)ud; return strdup(""); }
int k8tls_output_write(const struct k8tls_bundle *b, const char *dir, bool force, struct k8tls_err *e)
{ (void)b; (void)dir; (void)force; k8tls_err_set(e, NULL, 0, 0, "output is not built yet"); return -1; }
