/* The doctor's live mode (doctor.h): filled in by a later change. */
#include "config.h"
#include "doctor.h"
#include "k8tls/i18n.h"

int dr_load_live(struct dr_state *s, struct k8tls_err *e)
{
    (void)s;
    k8tls_err_set_status(e, K8TLS_ENVIRONMENT, "%s", _("live mode is not available yet"));
    return -1;
}
