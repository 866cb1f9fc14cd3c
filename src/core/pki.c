/* STUB: replaced by the PKI/stores work (issue 3). */
#include "config.h"
#include <stdlib.h>
#include "k8tls/pki.h"
int k8tls_pki_build(const struct k8tls_plan *p, k8tls_progress_cb progress, void *ud,
                    struct k8tls_material **out, struct k8tls_diags *d)
{
    (void)p; (void)progress; (void)ud; *out = NULL;
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "key generation is not built yet");
    return -1;
}
void k8tls_material_free(struct k8tls_material *m) { (void)m; }
char **k8tls_pki_node_sans(const struct k8tls_plan *p) { (void)p; return calloc(1, sizeof(char *)); }
void k8tls_strv_free(char **v) { if (v) { for (char **s = v; *s; s++) free(*s); free(v); } }
