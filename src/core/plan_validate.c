/* Plan validation (pure, no crypto) and password resolution. */
#include "config.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "k8tls/i18n.h"

size_t k8tls_plan_validate(const struct k8tls_plan *p, struct k8tls_diags *d)
{
    (void)p; (void)d;   /* first cut: the rules land in the next commit */
    return 0;
}

size_t k8tls_plan_resolve(struct k8tls_plan *p, struct k8tls_diags *d)
{
    (void)p; (void)d;
    return 0;
}
