/* Building a phase: the keys (made in parallel), the new CA of phase trust, the new certificates
 * of phases renew and reissue, the stores with the phase's truststore, the Medusa files; then the
 * bundle of Secrets (the bundle builder) with the CA files, the kustomization and the documents of
 * rotate_doc.c. Calls rotate_decide.c (the phase is checked again here), rotate_doc.c,
 * rotate_read.c and rotate_names.c among the rotation files (see rotate_int.h). */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "k8tls/i18n.h"
#include "k8tls/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#define RESTART_TASK_PATH "restart/k8ssandratask.yaml"
#define NEXT_CA_CERT "ca/next-rootca.crt"
#define PREVIOUS_CA_CERT "ca/previous-rootca.crt"

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static char *cn_of(X509 *x)
{
    char buf[256];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof buf);
    ERR_clear_error();
    return n > 0 ? strdup(buf) : NULL;
}

/* The leaf's SANs without their "DNS:"/"IP:" prefixes (make_leaf takes bare names). */
static char **sans_of(X509 *x)
{
    char **v = k8tls_x509_sans(x);
    if (!v)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; v[i]; i++) {
        const char *s = v[i];
        const char *colon = strchr(s, ':');
        if ((strncmp(s, "DNS:", 4) == 0 || strncmp(s, "IP:", 3) == 0) && colon) {
            memmove(v[i], colon + 1, strlen(colon + 1) + 1);
            v[w++] = v[i];
        } else {
            free(v[i]);
        }
    }
    v[w] = NULL;
    return v;
}

struct runctx {
    struct k8tls_rotate_state *s;
    const struct k8tls_rotate_opts *o;
    enum k8tls_rotate_phase ph;
    struct k8tls_diags *d;
    struct k8tls_diags notes;
    X509 *signer;                /* signs new leaves (renew, reissue) */
    EVP_PKEY *signer_key;
    X509 *new_ca;                /* trust: made here */
    EVP_PKEY *new_ca_key;
    STACK_OF(X509) *trusted;     /* the truststores of the phase */
    bool trust_changes;
    bool leaves_change;
    struct k8tls_key_spec leaf_spec;
    bool own_ca[RS_COUNT];       /* surfaces signed by a CA of their own */
};

/* A new leaf like old (its CN; its SANs and serverAuth EKU unless medusa, the CQL client
 * certificate) for key, signed by the phase's signer. */
static int new_leaf(struct runctx *c, X509 *old, EVP_PKEY *key, bool medusa, X509 **out)
{
    struct k8tls_err e;
    bool capped = false;
    char *cn = cn_of(old);
    char **sans = medusa ? NULL : sans_of(old);
    struct k8tls_leaf_params lp = {
        .cn = cn ? cn : (medusa ? "client" : "node"),
        .sans = sans && sans[0] ? sans : NULL,
        .server_auth = !medusa && k8tls_x509_eku_allows(old, NID_server_auth),
        .client_auth = k8tls_x509_eku_allows(old, NID_client_auth),
        .validity_days = c->s->plan->certificates.validity_days,
    };
    k8tls_err_clear(&e);
    *out = k8tls_pki_make_leaf(c->signer, c->signer_key, key, &lp, &capped, &e);
    if (!*out)
        k8tls_diags_add_err(c->d, NULL, &e);
    else if (capped)
        k8tls_diags_add(&c->notes, K8TLS_SEV_WARNING, NULL, 0, 0, "certificates.validityDays",
                        _("the certificate %s ends with its CA, before the %d days asked: the CA "
                          "itself needs a rotation first"), lp.cn, lp.validity_days);
    free(cn);
    k8tls_strv_free(sans);
    return *out ? 0 : -1;
}

/* One store pair of the phase: new leaf (key given) or the old one; the phase's truststore. */
static int phase_pair(struct runctx *c, const struct k8tls_rpair *old, EVP_PKEY *new_key,
                      struct k8tls_store_pair *out)
{
    struct k8tls_err e;
    X509 *leaf = NULL;
    STACK_OF(X509) *chain = NULL;
    char *kspw = NULL, *tspw = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    k8tls_err_clear(&e);
    const bool new_pw = c->o && c->o->new_passwords && !old->fixed_password;
    if (new_pw) {
        kspw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
        tspw = k8tls_password_generate(K8TLS_PASSWORD_LEN);
    } else {
        kspw = dup0(old->kspw);
        tspw = dup0(old->tspw);
    }
    if (!kspw || !tspw)
        goto oom;
    out->format = old->fmt;
    if (new_key) {
        if (new_leaf(c, old->leaf, new_key, false, &leaf) < 0)
            goto done;
        if (!(chain = sk_X509_new_null()) || !sk_X509_push(chain, c->signer))
            goto oom;
        if (k8tls_store_write_keystore(old->fmt, old->profile, old->alias ? old->alias : old->label,
                                       new_key, leaf, chain, kspw, &out->keystore, &e) < 0)
            goto err;
    } else {
        leaf = old->leaf;
        X509_up_ref(leaf);
        if (new_pw) {
            if (k8tls_store_write_keystore(old->fmt, old->profile,
                                           old->alias ? old->alias : old->label, old->key,
                                           old->leaf, old->chain, kspw, &out->keystore, &e) < 0)
                goto err;
        } else if (!(out->keystore = k8tls_secret_new(old->ks->data, old->ks->len))) {
            goto oom;
        }
    }
    if (c->trust_changes || new_pw) {
        if (k8tls_store_write_truststore(old->fmt, old->profile, c->trusted, tspw,
                                         &out->truststore, &e) < 0)
            goto err;
    } else if (!(out->truststore = k8tls_secret_new(old->ts->data, old->ts->len))) {
        goto oom;
    }
    out->keystore_password = kspw;
    out->truststore_password = tspw;
    kspw = tspw = NULL;
    out->leaf = leaf;
    leaf = NULL;
    if (!(out->trusted = X509_chain_up_ref(c->trusted)))
        goto oom;
    out->present = true;
    rc = 0;
    goto done;
oom:
    k8tls_rotate_err(c->d, NULL, "%s", _("out of memory"));
    goto done;
err:
    k8tls_diags_add_err(c->d, NULL, &e);
done:
    if (chain)
        sk_X509_free(chain);   /* the signer is borrowed */
    X509_free(leaf);
    k8tls_secure_free_str(kspw);
    k8tls_secure_free_str(tspw);
    if (rc < 0)
        k8tls_store_pair_clear(out);
    return rc;
}

/* One PEM trio of the phase (M1, R1 client, G1): a new leaf like the old one (key given) or the
 * old one; ca.crt holds the phase's truststore CAs when they change, else stays as it was. */
static int phase_trio(struct runctx *c, const struct k8tls_rtrio *old, EVP_PKEY *new_key,
                      struct k8tls_pem_trio *out)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    memset(out, 0, sizeof *out);
    if (new_key) {
        if (new_leaf(c, old->cert, new_key, false, &out->cert) < 0)
            return -1;
        if (!(out->cert_pem = k8tls_pki_cert_pem(out->cert, &e))
            || !(out->key_pem = k8tls_pki_key_pem(new_key, &e))) {
            k8tls_diags_add_err(c->d, NULL, &e);
            return -1;
        }
    } else {
        out->cert = old->cert;
        X509_up_ref(out->cert);
        out->cert_pem = k8tls_rsecret_text(old->cert_pem);
        out->key_pem = k8tls_secret_new(old->key_pem->data, old->key_pem->len);
        if (!out->cert_pem || !out->key_pem)
            goto oom;
    }
    if (c->trust_changes) {
        if (!(out->ca_pem = k8tls_pki_certs_pem(c->trusted, &e))) {
            k8tls_diags_add_err(c->d, NULL, &e);
            return -1;
        }
    } else if (!(out->ca_pem = k8tls_rsecret_text(old->ca_pem))) {
        goto oom;
    }
    out->present = true;
    return 0;
oom:
    k8tls_rotate_err(c->d, NULL, "%s", _("out of memory"));
    return -1;
}

/* Pushes a new reference to x. */
static int push_ref(STACK_OF(X509) *sk, X509 *x)
{
    if (!X509_up_ref(x))
        return -1;
    if (!sk_X509_push(sk, x)) {
        X509_free(x);
        return -1;
    }
    return 0;
}

/* A new root CA for phase trust: the old CA's subject with a dated CN (two CAs with one subject
 * in a truststore confuse path building), the plan's key type and validity. */
static int make_new_ca(struct runctx *c, EVP_PKEY *key)
{
    struct k8tls_rotate_state *s = c->s;
    X509_NAME *n = X509_get_subject_name(s->signing_ca);
    struct k8tls_subject sub = { 0 };
    char *f[7] = { 0 };
    static const int nids[7] = { NID_countryName, NID_stateOrProvinceName, NID_localityName,
                                 NID_organizationName, NID_organizationalUnitName,
                                 NID_commonName, NID_pkcs9_emailAddress };
    for (int i = 0; i < 7; i++) {
        char buf[256];
        if (X509_NAME_get_text_by_NID(n, nids[i], buf, sizeof buf) > 0)
            f[i] = strdup(buf);
    }
    ERR_clear_error();
    char stamp[32], cn[300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d", &tm);
    const char *base = f[5] && *f[5] ? f[5] : "K8tlsRootCA";
    size_t bl = strlen(base);
    /* a CN that already ends with -YYYYMMDD (an earlier rotation) gets the new date instead */
    if (bl > 9 && base[bl - 9] == '-' && strspn(base + bl - 8, "0123456789") == 8)
        bl -= 9;
    snprintf(cn, sizeof cn, "%.*s-%s", (int)(bl > 200 ? 200 : bl), base, stamp);
    if (f[5] && strcmp(cn, f[5]) == 0) {
        strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        snprintf(cn, sizeof cn, "%.*s-%s", (int)(bl > 200 ? 200 : bl), base, stamp);
    }
    sub.C = f[0];
    sub.ST = f[1];
    sub.L = f[2];
    sub.O = f[3];
    sub.OU = f[4];
    sub.CN = cn;
    sub.emailAddress = f[6];
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int days = s->plan->ca.validity_days > 0 ? s->plan->ca.validity_days : 10000;
    c->new_ca = k8tls_pki_make_ca(key, &sub, days, &e);
    for (int i = 0; i < 7; i++)
        free(f[i]);
    if (!c->new_ca) {
        k8tls_diags_add_err(c->d, NULL, &e);
        return -1;
    }
    return 0;
}

/* ---- bundle post-processing ------------------------------------------------------------------ */

static char *restart_task_name(const struct runctx *c, X509 *fresh)
{
    char fp[65], name[400];
    k8tls_rotate_fingerprint(fresh, fp);
    fp[8] = '\0';
    snprintf(name, sizeof name, "%s-%s-%s", c->s->plan->cluster.name,
             k8tls_rotate_phase_name(c->ph), fp);
    return strdup(name);
}

static int finish_bundle(struct runctx *c, struct k8tls_material *m, struct k8tls_bundle *b,
                         const struct k8tls_plan *bp)
{
    struct k8tls_rotate_state *s = c->s;
    struct k8tls_rotate_priv *pv = s->priv;
    struct k8tls_err e;
    char *text = NULL;
    size_t len = 0;
    k8tls_err_clear(&e);

    /* only Secrets change: no K8ssandraCluster, no Namespace; our own kustomization and doc */
    k8tls_bundle_remove_kind(b, K8TLS_ART_CLUSTER);
    k8tls_bundle_remove_kind(b, K8TLS_ART_NAMESPACE);
    k8tls_bundle_remove_kind(b, K8TLS_ART_KUSTOMIZATION);
    k8tls_bundle_remove_kind(b, K8TLS_ART_DOC);
    k8tls_diags_free(&b->notes);
    k8tls_diags_init(&b->notes);
    for (size_t i = 0; i < c->notes.n; i++)
        k8tls_diags_add(&b->notes, c->notes.v[i].sev, c->notes.v[i].file, c->notes.v[i].line,
                        c->notes.v[i].col, c->notes.v[i].path, "%s", c->notes.v[i].msg);
    if (pv->answers) {
        /* the answers exactly as they were (a merged manifest, references, comments) */
        k8tls_bundle_remove_kind(b, K8TLS_ART_ANSWERS);
        if (k8tls_bundle_add_copy(b, "answers.yaml", pv->answers->data, pv->answers->len, 0644,
                                  K8TLS_ART_ANSWERS, false) < 0)
            goto oom;
    }

    const char *resources[3 + RT_COUNT + RJ_COUNT + 1];
    const char *names[3 + RT_COUNT + RJ_COUNT + 1];
    size_t nres = 0;
    for (size_t i = 0; i < b->n && nres < 3 + RT_COUNT + RJ_COUNT; i++)
        if (b->v[i].kind == K8TLS_ART_SECRET) {
            names[nres] = b->v[i].k8s_name;
            resources[nres++] = b->v[i].path;
        }
    names[nres] = NULL;
    if (k8tls_bundle_kustomization(resources, nres, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "kustomization.yaml", text, len, 0644, K8TLS_ART_KUSTOMIZATION,
                            false) < 0)
        goto fail;

    /* the CAs beside ca/rootca.* */
    if (c->new_ca) {
        char *pem = k8tls_pki_cert_pem(c->new_ca, &e);
        struct k8tls_secret *kp = pem ? k8tls_pki_key_pem(c->new_ca_key, &e) : NULL;
        if (!pem || !kp) {
            free(pem);
            k8tls_secret_free(kp);
            goto fail;
        }
        int r = k8tls_bundle_add(b, NEXT_CA_CERT, pem, strlen(pem), 0644, K8TLS_ART_CA_CERT,
                                 false);
        r |= k8tls_bundle_add_copy(b, NEXT_CA_KEY, kp->data, kp->len, 0600, K8TLS_ART_CA_KEY,
                                   true);
        k8tls_secret_free(kp);
        if (r)
            goto oom;
    }
    X509 *previous = c->ph == K8TLS_ROTATE_REISSUE ? s->signing_ca : NULL;
    if (previous) {
        char *pem = k8tls_pki_cert_pem(previous, &e);
        if (!pem)
            goto fail;
        if (k8tls_bundle_add(b, PREVIOUS_CA_CERT, pem, strlen(pem), 0644, K8TLS_ART_CA_CERT,
                             false) < 0)
            goto oom;
    }

    X509 *fresh = c->new_ca ? c->new_ca
                  : m->server.present ? m->server.leaf
                  : m->client.present ? m->client.leaf : m->medusa_cert;
    char *task_name = restart_task_name(c, fresh ? fresh : m->ca_cert);
    struct k8tls_rotate_doc doc = {
        .phase = c->ph,
        .plan = bp,
        .namespace_ = s->namespace_,
        .source = s->source,
        .from_dir = pv->from_dir,
        .from_context = pv->from_context,
        .signing_ca = m->ca_cert,
        .signing_ca_key = m->ca_key_pem ? "ca/rootca.key" : NULL,
        .next_ca = c->new_ca,
        .next_ca_key = c->new_ca ? NEXT_CA_KEY : NULL,
        .previous_ca = previous,
        .trusted = c->trusted,
        .passwords_kept = !(c->o && c->o->new_passwords),
        .secret_names = names,
        .server_leaf = m->server.present ? m->server.leaf : NULL,
        .client_leaf = m->client.present ? m->client.leaf : NULL,
        .medusa_cert = m->medusa_present ? m->medusa_cert : NULL,
        .trio_cert = {
            [RT_MGMT_SERVER] = m->mgmt_server.present ? m->mgmt_server.cert : NULL,
            [RT_MGMT_CLIENT] = m->mgmt_client.present ? m->mgmt_client.cert : NULL,
            [RT_REAPER_CLIENT] = m->reaper_client.present ? m->reaper_client.cert : NULL,
            [RT_GRPC_SERVER] = m->grpc_server.present ? m->grpc_server.cert : NULL,
            [RT_GRPC_CLIENT] = m->grpc_client.present ? m->grpc_client.cert : NULL,
        },
        .jks_leaf = {
            [RJ_REAPER_SERVER] = m->reaper_server.present ? m->reaper_server.leaf : NULL,
            [RJ_REAPER_MGMT] = m->reaper_mgmt.present ? m->reaper_mgmt.leaf : NULL,
        },
        .own_ca = { c->own_ca[RS_MGMT], c->own_ca[RS_REAPER], c->own_ca[RS_GRPC] },
        .server_secret = bp->stores.server.secret_name,
        .client_secret = bp->stores.client.secret_name,
        .restart_task_path = RESTART_TASK_PATH,
        .restart_task_name = task_name ? task_name : "rolling-restart",
    };
    int rc = -1;
    if (k8tls_rotate_doc_rotation_yaml(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "rotation.yaml", text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    if (k8tls_rotate_doc_restart_task(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, RESTART_TASK_PATH, text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    if (k8tls_rotate_doc_next_steps(&doc, &text, &len, &e) < 0
        || k8tls_bundle_add(b, "NEXT-STEPS.md", text, len, 0644, K8TLS_ART_DOC, false) < 0)
        goto doc_done;
    rc = 0;
doc_done:
    free(task_name);
    if (rc == 0)
        return 0;
fail:
    if (e.msg[0]) {
        k8tls_diags_add_err(c->d, NULL, &e);
        return -1;
    }
oom:
    k8tls_rotate_err(c->d, NULL, "%s", _("out of memory"));
    return -1;
}

int k8tls_rotate_run(struct k8tls_rotate_state *s, enum k8tls_rotate_phase ph,
                     const struct k8tls_rotate_opts *o, k8tls_progress_cb progress, void *ud,
                     struct k8tls_bundle **out, struct k8tls_diags *d)
{
    *out = NULL;
    if (!s || ph == K8TLS_ROTATE_NONE) {
        k8tls_rotate_err(d, NULL, "%s", _("no phase to run"));
        return -1;
    }
    if (k8tls_rotate_check_phase(s, ph, o, d) < 0)
        return -1;
    struct k8tls_rotate_priv *pv = s->priv;
    struct runctx c = { .s = s, .o = o, .ph = ph, .d = d };
    k8tls_diags_init(&c.notes);
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_plan *bp = k8tls_plan_dup(s->plan);
    struct k8tls_keygen_job jobs[4 + RT_COUNT + RJ_COUNT];
    int j_ca = -1, j_server = -1, j_client = -1, j_medusa = -1;
    int j_trio[RT_COUNT], j_jks[RJ_COUNT];
    for (int i = 0; i < RT_COUNT; i++)
        j_trio[i] = -1;
    for (int i = 0; i < RJ_COUNT; i++)
        j_jks[i] = -1;
    size_t nj = 0;
    struct k8tls_err e;
    int rc = -1;
    k8tls_err_clear(&e);
    memset(jobs, 0, sizeof jobs);
    if (!m || !bp) {
        k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
        goto done;
    }

    /* the plan the bundle is built with: the Secrets' namespace and formats, no merge, no
     * Namespace object */
    free(bp->cluster.namespace_);
    bp->cluster.namespace_ = dup0(s->namespace_);
    free(bp->cluster.manifest);
    bp->cluster.manifest = NULL;
    bp->output.create_namespace = false;
    const struct k8tls_rpair *fp = pv->server.present ? &pv->server : &pv->client;
    if (fp->present) {
        bp->stores.format = fp->fmt;
        bp->stores.p12_profile = fp->profile;
    }

    /* the phase's CAs */
    EVP_PKEY *key = NULL;
    c.signer = k8tls_rotate_phase_signer(s, ph, &key);
    c.signer_key = key;
    c.leaves_change = ph == K8TLS_ROTATE_RENEW || ph == K8TLS_ROTATE_REISSUE;
    c.trust_changes = ph == K8TLS_ROTATE_TRUST || ph == K8TLS_ROTATE_RETIRE;
    if (c.leaves_change) {
        if (s->plan->certificates.key.set)
            c.leaf_spec = s->plan->certificates.key;
        else if (k8tls_pki_key_spec_of(X509_get0_pubkey(c.signer), &c.leaf_spec) != 0) {
            k8tls_rotate_err(d, "certificates.key", "%s",
                             _("the CA key is neither RSA nor ECDSA P-256/P-384: set "
                               "certificates.key"));
            goto done;
        }
    }

    /* the surfaces signed by a CA of their own: renew signs them with it (its key from the
     * answers' import.key), the cluster CA's phases keep their Secrets as they are */
    bool own[RS_COUNT] = { false };
    X509 *own_cert[RS_COUNT] = { NULL };
    EVP_PKEY *own_key[RS_COUNT] = { NULL };
    for (int r = 0; r < RS_COUNT; r++) {
        const struct k8tls_surface_ca *sc = k8tls_rotate_surface_own_ca(s->plan, r);
        for (int i = 0; i < RT_COUNT; i++)
            own[r] |= sc && pv->trio[i].present && k8tls_rotate_trio_surface(i) == r;
        for (int i = 0; i < RJ_COUNT; i++)
            own[r] |= sc && pv->jks[i].present && k8tls_rotate_jks_surface(i) == r;
        if (!own[r] || ph != K8TLS_ROTATE_RENEW)
            continue;
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s.ca", k8tls_rotate_surface_key(r));
        if (k8tls_import_surface_ca(s->plan, sc, prefix, &own_cert[r], &own_key[r], d) != 0) {
            k8tls_rotate_err(d, NULL,
                             _("%s (%s) is signed by its own CA, whose key %s cannot be read: "
                               "its certificates cannot be renewed"),
                             k8tls_rotate_surface_name(r), k8tls_rotate_surface_key(r),
                             sc->import_key && *sc->import_key ? sc->import_key : "?");
            goto done;
        }
    }

    /* every key at once */
    struct k8tls_key_spec ca_spec;
    if (ph == K8TLS_ROTATE_TRUST) {
        if (s->plan->source_file && s->plan->ca.source == K8TLS_SOURCE_GENERATE)
            ca_spec = s->plan->ca.key;
        else if (k8tls_pki_key_spec_of(X509_get0_pubkey(s->signing_ca), &ca_spec) != 0)
            ca_spec = s->plan->ca.key;
        jobs[nj].label = "CA";
        jobs[nj].spec = ca_spec;
        j_ca = (int)nj++;
    }
    if (c.leaves_change) {
        if (pv->server.present) {
            jobs[nj].label = "server";
            jobs[nj].spec = c.leaf_spec;
            j_server = (int)nj++;
        }
        if (pv->client.present) {
            jobs[nj].label = "client";
            jobs[nj].spec = c.leaf_spec;
            j_client = (int)nj++;
        }
        if (pv->medusa.present) {
            jobs[nj].label = "medusa";
            jobs[nj].spec = c.leaf_spec;
            j_medusa = (int)nj++;
        }
        for (int i = 0; i < RT_COUNT; i++)
            if (pv->trio[i].present
                && (ph == K8TLS_ROTATE_RENEW || !own[k8tls_rotate_trio_surface(i)])) {
                jobs[nj].label = k8tls_rotate_trio_secret(s->plan, i);
                jobs[nj].spec = c.leaf_spec;
                j_trio[i] = (int)nj++;
            }
        for (int i = 0; i < RJ_COUNT; i++)
            if (pv->jks[i].present
                && (ph == K8TLS_ROTATE_RENEW || !own[k8tls_rotate_jks_surface(i)])) {
                jobs[nj].label = k8tls_rotate_jks_secret(s->plan, i);
                jobs[nj].spec = c.leaf_spec;
                j_jks[i] = (int)nj++;
            }
    }
    if (nj && k8tls_pki_keygen_parallel(jobs, nj, progress, ud, &e) != 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }

    /* the truststores of the phase */
    if (!(c.trusted = sk_X509_new_null()))
        goto oom;
    if (ph == K8TLS_ROTATE_TRUST) {
        c.new_ca_key = jobs[j_ca].key;
        jobs[j_ca].key = NULL;
        if (make_new_ca(&c, c.new_ca_key) < 0)
            goto done;
        if (push_ref(c.trusted, s->signing_ca) < 0 || push_ref(c.trusted, c.new_ca) < 0)
            goto oom;
    } else if (ph == K8TLS_ROTATE_RETIRE) {
        if (push_ref(c.trusted, s->signing_ca) < 0)
            goto oom;
    } else {
        for (int i = 0; i < sk_X509_num(pv->trusted); i++)
            if (push_ref(c.trusted, sk_X509_value(pv->trusted, i)) < 0)
                goto oom;
    }

    /* the CA of the bundle's ca/rootca.*: the one that signs the leaves after this phase */
    X509 *ca = ph == K8TLS_ROTATE_REISSUE ? s->other_ca : s->signing_ca;
    EVP_PKEY *ca_key = ph == K8TLS_ROTATE_REISSUE ? pv->other_key : pv->signing_key;
    X509_up_ref(ca);
    m->ca_cert = ca;
    if (ca_key) {
        EVP_PKEY_up_ref(ca_key);
        m->ca_key = ca_key;
    }
    if (!(m->ca_cert_pem = k8tls_pki_cert_pem(ca, &e))
        || (ca_key && !(m->ca_key_pem = k8tls_pki_key_pem(ca_key, &e)))) {
        k8tls_diags_add_err(d, NULL, &e);
        goto done;
    }

    /* the stores */
    if (pv->server.present
        && phase_pair(&c, &pv->server, j_server >= 0 ? jobs[j_server].key : NULL, &m->server) < 0)
        goto done;
    if (pv->client.present
        && phase_pair(&c, &pv->client, j_client >= 0 ? jobs[j_client].key : NULL, &m->client) < 0)
        goto done;

    /* Medusa */
    if (pv->medusa.present) {
        if (j_medusa >= 0) {
            if (new_leaf(&c, pv->medusa.cert, jobs[j_medusa].key, true, &m->medusa_cert) < 0)
                goto done;
            if (!(m->medusa_cert_pem = k8tls_pki_cert_pem(m->medusa_cert, &e))
                || !(m->medusa_key_pem = k8tls_pki_key_pem(jobs[j_medusa].key, &e))) {
                k8tls_diags_add_err(d, NULL, &e);
                goto done;
            }
        } else {
            m->medusa_cert = pv->medusa.cert;
            X509_up_ref(m->medusa_cert);
            m->medusa_cert_pem = k8tls_rsecret_text(pv->medusa.cert_pem);
            m->medusa_key_pem = k8tls_secret_new(pv->medusa.key_pem->data, pv->medusa.key_pem->len);
            if (!m->medusa_cert_pem || !m->medusa_key_pem)
                goto oom;
        }
        m->medusa_ca_pem = c.trust_changes ? k8tls_pki_certs_pem(c.trusted, &e)
                                           : k8tls_rsecret_text(pv->medusa.ca_pem);
        if (!m->medusa_ca_pem)
            goto oom;
        m->medusa_present = true;
    }

    /* the Secrets of SPEC §10: the same CN, SANs and EKUs; Reaper's stores keep changeit */
    struct k8tls_pem_trio *trio_out[RT_COUNT] = {
        [RT_MGMT_SERVER] = &m->mgmt_server, [RT_MGMT_CLIENT] = &m->mgmt_client,
        [RT_REAPER_CLIENT] = &m->reaper_client, [RT_GRPC_SERVER] = &m->grpc_server,
        [RT_GRPC_CLIENT] = &m->grpc_client,
    };
    struct k8tls_store_pair *jks_out[RJ_COUNT] = {
        [RJ_REAPER_SERVER] = &m->reaper_server, [RJ_REAPER_MGMT] = &m->reaper_mgmt,
    };
    for (int i = 0; i < RT_COUNT; i++) {
        const int r = k8tls_rotate_trio_surface(i);
        struct runctx oc = c;   /* a surface of its own CA: that CA signs, ca.crt is kept */
        if (own[r]) {
            oc.signer = own_cert[r];
            oc.signer_key = own_key[r];
            oc.trust_changes = false;
        }
        if (pv->trio[i].present
            && phase_trio(&oc, &pv->trio[i], j_trio[i] >= 0 ? jobs[j_trio[i]].key : NULL,
                          trio_out[i]) < 0)
            goto done;
    }
    for (int i = 0; i < RJ_COUNT; i++) {
        const int r = k8tls_rotate_jks_surface(i);
        struct runctx oc = c;
        if (own[r]) {
            oc.signer = own_cert[r];
            oc.signer_key = own_key[r];
            oc.trust_changes = false;
            oc.trusted = pv->jks[i].trusted;
        }
        if (pv->jks[i].present
            && phase_pair(&oc, &pv->jks[i], j_jks[i] >= 0 ? jobs[j_jks[i]].key : NULL,
                          jks_out[i]) < 0)
            goto done;
    }
    for (int r = 0; r < RS_COUNT; r++)
        c.own_ca[r] = own[r];

    if (ph == K8TLS_ROTATE_RENEW && s->ca_days < PROPOSE_CA_DAYS)
        k8tls_diags_add(&c.notes, K8TLS_SEV_WARNING, NULL, 0, 0, NULL,
                        _("the CA itself expires in %ld days: plan a CA rotation (--phase trust)"),
                        s->ca_days);

    /* the bundle: Secrets (same names, keys and namespace), stores, CA, Medusa files */
    struct k8tls_bundle *b = NULL;
    if (k8tls_bundle_build(bp, m, &b, d) < 0)
        goto done;
    if (finish_bundle(&c, m, b, bp) < 0) {
        k8tls_bundle_free(b);
        goto done;
    }
    *out = b;
    rc = 0;
    goto done;
oom:
    k8tls_rotate_err(d, NULL, "%s", _("out of memory"));
done:
    for (int r = 0; r < RS_COUNT; r++) {
        X509_free(own_cert[r]);
        EVP_PKEY_free(own_key[r]);
    }
    for (size_t i = 0; i < nj; i++)
        EVP_PKEY_free(jobs[i].key);
    EVP_PKEY_free(c.new_ca_key);
    X509_free(c.new_ca);
    sk_X509_pop_free(c.trusted, X509_free);
    k8tls_diags_free(&c.notes);
    k8tls_material_free(m);
    if (rc == 0) {
        /* the state now describes the plan the bundle was built with (apply uses it) */
        k8tls_plan_free(s->plan);
        s->plan = bp;
    } else {
        k8tls_plan_free(bp);
    }
    return rc;
}
