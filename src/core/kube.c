/* STUB: replaced by the apply work (issue 6). */
#include "config.h"
#include <stdio.h>
#include "k8tls/kube.h"
int k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                     const struct k8tls_apply_opts *o)
{ (void)b; (void)p; (void)o; fprintf(stderr, "k8tls-wizard: --apply is not built yet\n"); return 3; }
