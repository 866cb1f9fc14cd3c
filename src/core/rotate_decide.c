/* Deciding: which phase is due for the state rotate_load.c found (the proposal, with the reason
 * and whether it could run now), and whether an asked phase may run: the stage allows it, the key
 * of the CA that signs is there, nothing has expired (unless --force). Refusals say why and what
 * to do. Calls rotate_names.c only among the rotation files (see rotate_int.h). */
#include "config.h"
#include "rotate_int.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>

static bool expired(X509 *x)
{
    return x && X509_cmp_current_time(X509_get0_notAfter(x)) <= 0;
}

static void refuse_stage(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                         struct k8tls_diags *d)
{
    char *sg = k8tls_rotate_label(s->signing_ca);
    const char *src = s->source;
    switch (ph) {
    case K8TLS_ROTATE_RENEW:
    case K8TLS_ROTATE_TRUST:
        k8tls_rotate_err(d, NULL,
                         _("phase %s refused: a CA rotation is under way in %s (%s); finish it "
                           "first: the next phase is %s"),
                         k8tls_rotate_phase_name(ph), src, k8tls_rotate_stage_describe(s->stage),
                         s->stage == K8TLS_STAGE_TRUSTING ? "reissue" : "retire");
        break;
    case K8TLS_ROTATE_REISSUE:
        if (s->stage == K8TLS_STAGE_STEADY)
            k8tls_rotate_err(d, NULL,
                             _("phase reissue refused: it needs phase trust first, and the "
                               "truststores of %s trust one CA only (%s). Run --phase trust, "
                               "apply it everywhere and restart every pod, then reissue"),
                             src, sg);
        else
            k8tls_rotate_err(d, NULL,
                             _("phase reissue refused: it is done already in %s (the "
                               "certificates are signed by the new CA %s); the next phase is "
                               "retire"),
                             src, sg);
        break;
    case K8TLS_ROTATE_RETIRE:
        if (s->stage == K8TLS_STAGE_STEADY)
            k8tls_rotate_err(d, NULL,
                             _("phase retire refused: there is nothing to retire in %s, the "
                               "truststores trust one CA only (%s); a CA rotation starts with "
                               "phase trust"),
                             src, sg);
        else
            k8tls_rotate_err(d, NULL,
                             _("phase retire refused: it needs phase reissue first; in %s the "
                               "certificates are still signed by the old CA %s, and removing it "
                               "from the truststores now would cut every node off"),
                             src, sg);
        break;
    default:
        break;
    }
    free(sg);
}

static bool stage_allows(enum k8tls_rotate_stage st, enum k8tls_rotate_phase ph)
{
    switch (ph) {
    case K8TLS_ROTATE_RENEW:
    case K8TLS_ROTATE_TRUST: return st == K8TLS_STAGE_STEADY;
    case K8TLS_ROTATE_REISSUE: return st == K8TLS_STAGE_TRUSTING;
    case K8TLS_ROTATE_RETIRE: return st == K8TLS_STAGE_REISSUED;
    default: return false;
    }
}

/* The CA that signs a phase's new certificates, and its key (see rotate_int.h). */
X509 *k8tls_rotate_phase_signer(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                                EVP_PKEY **key)
{
    if (ph == K8TLS_ROTATE_RENEW) {
        *key = s->priv->signing_key;
        return s->signing_ca;
    }
    if (ph == K8TLS_ROTATE_REISSUE) {
        *key = s->priv->other_key;
        return s->other_ca;
    }
    *key = NULL;
    return NULL;
}

int k8tls_rotate_check_phase(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                             const struct k8tls_rotate_opts *o, struct k8tls_diags *d)
{
    const struct k8tls_rotate_priv *pv = s->priv;
    size_t before = k8tls_diags_count(d, K8TLS_SEV_ERROR);
    if (!stage_allows(s->stage, ph)) {
        refuse_stage(s, ph, d);
        return -1;
    }
    /* the key that signs the new certificates */
    EVP_PKEY *key = NULL;
    X509 *signer = k8tls_rotate_phase_signer(s, ph, &key);
    if (signer) {
        char *sg = k8tls_rotate_label(signer);
        char fp[65];
        k8tls_rotate_fingerprint(signer, fp);
        bool opt_ok = ph == K8TLS_ROTATE_RENEW ? pv->opt_key_signing : pv->opt_key_other;
        if (pv->opt_key_path && !opt_ok) {
            if (ph == K8TLS_ROTATE_REISSUE && pv->opt_key_signing)
                k8tls_rotate_err(d, "--ca-key",
                                 _("the CA key %s does not match: it is the key of the old "
                                   "CA, and phase reissue signs with the new CA %s "
                                   "(SHA-256 %s)"),
                                 pv->opt_key_path, sg, fp);
            else
                k8tls_rotate_err(d, "--ca-key",
                                 _("the CA key %s does not match the CA %s (SHA-256 %s) "
                                   "that signs the certificates of phase %s"),
                                 pv->opt_key_path, sg, fp, k8tls_rotate_phase_name(ph));
        } else if (!key) {
            if (pv->dir_key_unmatched)
                k8tls_rotate_err(d, "--ca-key",
                                 _("the private key of the CA %s is needed to sign the new "
                                   "certificates, and %s does not match it: give the "
                                   "right one with --ca-key PATH"),
                                 sg, pv->dir_key_unmatched);
            else
                k8tls_rotate_err(d, "--ca-key",
                                 _("the private key of the CA %s is needed to sign the new "
                                   "certificates: give it with --ca-key PATH (or start "
                                   "from the output directory that holds it)"),
                                 sg);
        }
        free(sg);
    }
    /* expired material */
    if (ph == K8TLS_ROTATE_RENEW && expired(s->signing_ca)) {
        char date[64];
        k8tls_rotate_date(s->signing_ca, date, sizeof date);
        k8tls_rotate_err(d, NULL,
                         _("phase renew refused: the CA expired on %s, and certificates signed "
                           "by it cannot outlive it; rotate the CA (--phase trust) instead"),
                         date);
    } else if (!o || !o->force) {
        for (size_t i = 0; i < s->n_certs; i++) {
            const struct k8tls_rotate_cert *c = &s->certs[i];
            X509 *x = NULL;
            /* the certificate itself: CAs are the first entries */
            if (i == 0)
                x = s->signing_ca;
            else if (i == 1 && s->other_ca)
                x = s->other_ca;
            if (ph == K8TLS_ROTATE_RETIRE && x && x == s->other_ca)
                continue;   /* the old CA goes away in this phase */
            if (c->days_left >= 0 && (!x || !expired(x)))
                continue;
            k8tls_rotate_err(d, NULL,
                             _("%s (%s, %s) expired on %s: connections that use it fail already, "
                               "so a rotation without downtime is no longer possible. Use "
                               "--force to go on anyway (expect failures until every pod has "
                               "restarted)"),
                             c->role, c->subject, c->where, c->not_after);
        }
    }
    return k8tls_diags_count(d, K8TLS_SEV_ERROR) > before ? -1 : 0;
}

int k8tls_rotate_plan(const struct k8tls_rotate_state *s, enum k8tls_rotate_phase asked,
                      const struct k8tls_rotate_opts *o, struct k8tls_rotate_decision *out,
                      struct k8tls_diags *d)
{
    memset(out, 0, sizeof *out);
    if (asked != K8TLS_ROTATE_NONE) {
        out->phase = asked;
        out->allowed = k8tls_rotate_check_phase(s, asked, o, d) == 0;
        snprintf(out->reason, sizeof out->reason, _("phase %s was asked for"),
                 k8tls_rotate_phase_name(asked));
        return out->allowed ? 0 : -1;
    }
    char *sg = k8tls_rotate_label(s->signing_ca);
    switch (s->stage) {
    case K8TLS_STAGE_TRUSTING:
        out->phase = K8TLS_ROTATE_REISSUE;
        snprintf(out->reason, sizeof out->reason,
                 _("every truststore trusts the old and the new CA, and the certificates are "
                   "still signed by the old CA %s: once every pod has restarted, the next phase "
                   "is reissue"), sg);
        break;
    case K8TLS_STAGE_REISSUED:
        out->phase = K8TLS_ROTATE_RETIRE;
        snprintf(out->reason, sizeof out->reason,
                 _("the certificates are signed by the new CA %s and the old CA is still "
                   "trusted: once every pod has restarted, the next phase is retire"), sg);
        break;
    case K8TLS_STAGE_STEADY:
        if (s->ca_days < PROPOSE_CA_DAYS) {
            out->phase = K8TLS_ROTATE_TRUST;
            snprintf(out->reason, sizeof out->reason,
                     _("the CA %s expires in %ld days: rotate it (three phases, each followed by "
                       "a rolling restart), starting with phase trust"), sg, s->ca_days);
        } else if (s->min_leaf_days < PROPOSE_LEAF_DAYS) {
            out->phase = K8TLS_ROTATE_RENEW;
            snprintf(out->reason, sizeof out->reason,
                     _("a certificate expires in %ld days and the CA %s in %ld: renew the "
                       "certificates from the same CA (one phase, one rolling restart)"),
                     s->min_leaf_days, sg, s->ca_days);
        } else {
            out->phase = K8TLS_ROTATE_NONE;
            snprintf(out->reason, sizeof out->reason,
                     _("nothing is due: the first certificate expires in %ld days, the CA %s in "
                       "%ld. --phase renew renews the certificates now; --phase trust starts a "
                       "CA rotation"), s->min_leaf_days, sg, s->ca_days);
        }
        break;
    }
    free(sg);
    if (out->phase == K8TLS_ROTATE_NONE) {
        out->allowed = true;
        return 0;
    }
    /* would it run? (the TUI greys it out otherwise); the reasons are for the caller */
    struct k8tls_diags scratch;
    k8tls_diags_init(&scratch);
    out->allowed = k8tls_rotate_check_phase(s, out->phase, o, &scratch) == 0;
    for (size_t i = 0; i < scratch.n; i++)
        k8tls_diags_add(d, K8TLS_SEV_NOTE, NULL, 0, 0, scratch.v[i].path, "%s", scratch.v[i].msg);
    k8tls_diags_free(&scratch);
    return 0;
}
