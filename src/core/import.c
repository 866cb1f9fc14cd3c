/* STUB: replaced by the import/inspect work (issue 3). */
#include "config.h"
#include "k8tls/store.h"
static int not_built(struct k8tls_diags *d)
{
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "import is not built yet");
    return -1;
}
int k8tls_import_ca(const struct k8tls_plan *p, X509 **cert, EVP_PKEY **key, struct k8tls_diags *d)
{ (void)p; *cert = NULL; *key = NULL; return not_built(d); }
int k8tls_import_store_pair(const struct k8tls_plan *p, const struct k8tls_store_set *set,
                            const char *label, struct k8tls_store_pair *out, struct k8tls_diags *d)
{ (void)p; (void)set; (void)label; (void)out; return not_built(d); }
int k8tls_import_medusa(const struct k8tls_plan *p, STACK_OF(X509) *trusted,
                        struct k8tls_material *m, struct k8tls_diags *d)
{ (void)p; (void)trusted; (void)m; return not_built(d); }
