/* The rotation's vocabulary: the names and titles of the phases and the stages (rotate.h), how
 * messages, the report and the documents name a certificate (subject, label, notAfter date,
 * SHA-256), and the one helper through which the rotation files add an error.
 * Calls no other rotation file: every other one may call it (see rotate_int.h). */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "k8tls/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

void k8tls_rotate_err(struct k8tls_diags *d, const char *path, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, path, "%s", msg);
}

/* ---- phases and stages ----------------------------------------------------------------------- */

const char *k8tls_rotate_phase_name(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW: return "renew";
    case K8TLS_ROTATE_TRUST: return "trust";
    case K8TLS_ROTATE_REISSUE: return "reissue";
    case K8TLS_ROTATE_RETIRE: return "retire";
    default: return "";
    }
}

int k8tls_rotate_phase_parse(const char *s)
{
    static const enum k8tls_rotate_phase all[] = { K8TLS_ROTATE_RENEW, K8TLS_ROTATE_TRUST,
                                                   K8TLS_ROTATE_REISSUE, K8TLS_ROTATE_RETIRE };
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, k8tls_rotate_phase_name(all[i])) == 0)
            return (int)all[i];
    return -1;
}

const char *k8tls_rotate_phase_title(enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW: return _("renewal: new certificates from the same CA");
    case K8TLS_ROTATE_TRUST: return _("CA rotation, phase 1 of 3: trust the old and the new CA");
    case K8TLS_ROTATE_REISSUE: return _("CA rotation, phase 2 of 3: certificates of the new CA");
    case K8TLS_ROTATE_RETIRE: return _("CA rotation, phase 3 of 3: retire the old CA");
    default: return _("nothing to do");
    }
}

const char *k8tls_rotate_stage_describe(enum k8tls_rotate_stage st)
{
    switch (st) {
    case K8TLS_STAGE_STEADY:
        return _("one CA trusted, the certificates signed by it (no rotation under way)");
    case K8TLS_STAGE_TRUSTING:
        return _("two CAs trusted, the certificates still signed by the old one (after phase "
                 "trust)");
    case K8TLS_STAGE_REISSUED:
        return _("two CAs trusted, the certificates signed by the new one (after phase reissue)");
    }
    return "?";
}

/* ---- certificates ---------------------------------------------------------------------------- */

char *k8tls_rotate_subject(X509 *x)
{
    char *s = x ? k8tls_x509_name(X509_get_subject_name(x)) : NULL;
    return s ? s : strdup("?");
}

char *k8tls_rotate_label(X509 *x)
{
    char buf[256];
    if (x && X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf,
                                       sizeof buf) > 0) {
        size_t n = strlen(buf) + 4;
        char *s = malloc(n);
        if (s)
            snprintf(s, n, "CN=%s", buf);
        return s ? s : strdup("?");
    }
    ERR_clear_error();
    return k8tls_rotate_subject(x);
}

void k8tls_rotate_date(X509 *x, char *buf, size_t len)
{
    if (!x || !k8tls_x509_date(X509_get0_notAfter(x), buf, len))
        snprintf(buf, len, "?");
}

void k8tls_rotate_fingerprint(X509 *x, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    out[0] = '\0';
    if (!x || !X509_digest(x, EVP_sha256(), md, &n) || n != 32)
        return;
    for (unsigned int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- the Secrets of SPEC §10 ----------------------------------------------------------------- */

const char *k8tls_rotate_trio_secret(const struct k8tls_plan *p, int i)
{
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper, *mg = &p->encryption.medusa_grpc;
    switch (i) {
    case RT_MGMT_SERVER: return k8tls_plan_wants_mgmt_api(p) ? ma->server_secret_name : NULL;
    case RT_MGMT_CLIENT: return k8tls_plan_wants_mgmt_api(p) ? ma->client_secret_name : NULL;
    case RT_REAPER_CLIENT: return k8tls_plan_wants_reaper_api(p) ? rp->client_secret_name : NULL;
    case RT_GRPC_SERVER: return k8tls_plan_wants_medusa_grpc(p) ? mg->server_secret_name : NULL;
    case RT_GRPC_CLIENT: return k8tls_plan_wants_medusa_grpc(p) ? mg->client_secret_name : NULL;
    default: return NULL;
    }
}

const char *k8tls_rotate_trio_role(int i)
{
    switch (i) {
    case RT_MGMT_SERVER: return _("management API server certificate");
    case RT_MGMT_CLIENT: return _("management API client certificate");
    case RT_REAPER_CLIENT: return _("Reaper API client certificate");
    case RT_GRPC_SERVER: return _("Medusa gRPC server certificate");
    case RT_GRPC_CLIENT: return _("Medusa gRPC client certificate");
    default: return "";
    }
}

const char *k8tls_rotate_jks_secret(const struct k8tls_plan *p, int i)
{
    const struct k8tls_tls_surface *rp = &p->encryption.reaper;
    switch (i) {
    case RJ_REAPER_SERVER: return k8tls_plan_wants_reaper_api(p) ? rp->server_secret_name : NULL;
    case RJ_REAPER_MGMT: return k8tls_plan_wants_reaper_mgmt(p) ? rp->management_secret_name : NULL;
    default: return NULL;
    }
}

const char *k8tls_rotate_jks_role(int i)
{
    switch (i) {
    case RJ_REAPER_SERVER: return _("Reaper API server keystore");
    case RJ_REAPER_MGMT: return _("Reaper management API keystore");
    default: return "";
    }
}

int k8tls_rotate_trio_surface(int i)
{
    return i == RT_MGMT_SERVER || i == RT_MGMT_CLIENT ? RS_MGMT
           : i == RT_REAPER_CLIENT ? RS_REAPER : RS_GRPC;
}

int k8tls_rotate_jks_surface(int i)
{
    /* Reaper's stores for the management API are signed by the management API's CA */
    return i == RJ_REAPER_MGMT ? RS_MGMT : RS_REAPER;
}

const struct k8tls_surface_ca *k8tls_rotate_surface_own_ca(const struct k8tls_plan *p, int surf)
{
    const struct k8tls_tls_surface *t = surf == RS_MGMT ? &p->encryption.management_api
                                        : surf == RS_REAPER ? &p->encryption.reaper
                                        : &p->encryption.medusa_grpc;
    return t->ca.source == K8TLS_SURFACE_CA_IMPORT ? &t->ca : NULL;
}

const char *k8tls_rotate_surface_key(int surf)
{
    return surf == RS_MGMT ? "encryption.managementApi"
           : surf == RS_REAPER ? "encryption.reaper" : "encryption.medusaGrpc";
}

const char *k8tls_rotate_surface_name(int surf)
{
    switch (surf) {
    case RS_MGMT: return _("The management API");
    case RS_REAPER: return _("Reaper's API");
    case RS_GRPC: return _("Medusa's gRPC");
    default: return "";
    }
}
