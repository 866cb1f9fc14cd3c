/* The staged rollout's next phase from the previous phase's directory (enable.h). DIR is read
 * by the rotation's reader (rotate_load.c: answers.yaml, the Secrets opened with their passwords,
 * the CA and its key); the material of the new bundle is a copy of what was read, so that its
 * Secrets, stores, passwords and CA are the same bytes; the bundle builder merges the phase into
 * DIR's K8ssandraCluster. Uses the rotation's internal model (rotate_int.h) read-only. */
#include "config.h"
#include "k8tls/enable.h"
#include "k8tls/answers.h"
#include "k8tls/rotate.h"
#include "k8tls/i18n.h"
#include "store_int.h"
#include "rotate_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void k8tls_enable_prev_free(struct k8tls_enable_prev *pv)
{
    if (!pv)
        return;
    free(pv->dir);
    free(pv->manifest);
    k8tls_plan_free(pv->plan);
    k8tls_rotate_state_free(pv->rs);
    free(pv);
}

static void oom(struct k8tls_diags *d)
{
    k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s", _("out of memory"));
}

int k8tls_enable_load_dir(const char *dir, struct k8tls_enable_prev **out, struct k8tls_diags *d)
{
    *out = NULL;
    struct k8tls_enable_prev *pv = calloc(1, sizeof *pv);
    char real[PATH_MAX];
    if (!pv) {
        oom(d);
        return -1;
    }
    pv->dir = strdup(dir);
    /* absolute: the new phase's answers.yaml names this manifest, and replays from anywhere */
    char *rel = k8tls_path_join(dir, "manifests/20-k8ssandracluster.yaml");
    if (!pv->dir || !rel) {
        free(rel);
        oom(d);
        goto fail;
    }
    pv->manifest = realpath(rel, real) ? strdup(real) : strdup(rel);
    free(rel);
    if (!pv->manifest) {
        oom(d);
        goto fail;
    }

    struct stat sb;
    char *ans = k8tls_path_join(dir, "answers.yaml");
    bool have_answers = ans && stat(ans, &sb) == 0;
    free(ans);
    if (have_answers && stat(pv->manifest, &sb) != 0) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL,
                        _("%s holds no K8ssandraCluster (manifests/20-k8ssandracluster.yaml): it "
                          "is no phase of a staged rollout (a rotate phase's directory holds "
                          "Secrets only); go on from the last phase's directory, and rotate when "
                          "the rollout is complete"),
                        dir);
        goto fail;
    }

    /* the Secrets, the CA, the plan: as rotate reads them */
    struct k8tls_rotate_opts ro = {.from_dir = dir};
    int r = k8tls_rotate_load(&ro, &pv->rs, d);
    if (r < 0) {
        k8tls_enable_prev_free(pv);
        return r;
    }
    if (pv->rs->stage != K8TLS_STAGE_STEADY) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL,
                        _("%s is in the middle of a CA rotation (%s): finish it with k8tls-wizard "
                          "rotate before the next phase of the staged rollout"),
                        dir, k8tls_rotate_stage_describe(pv->rs->stage));
        goto fail;
    }

    /* the manifest's stage */
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_rollout_stage_read_file(pv->manifest, &pv->stage, &e) < 0) {
        k8tls_diags_add_err(d, NULL, &e);
        goto fail;
    }

    /* the plan, loaded again with its positions; the manifest is DIR's */
    char *answers = k8tls_path_join(dir, "answers.yaml");
    struct k8tls_diags ld;
    k8tls_diags_init(&ld);
    pv->plan = answers ? k8tls_answers_load(answers, &ld) : NULL;
    free(answers);
    if (!pv->plan || k8tls_diags_count(&ld, K8TLS_SEV_ERROR)) {
        for (size_t i = 0; i < ld.n; i++)
            k8tls_diags_add(d, ld.v[i].sev, ld.v[i].file, ld.v[i].line, ld.v[i].col,
                            ld.v[i].path, "%s", ld.v[i].msg);
        if (!ld.n)
            oom(d);
        k8tls_diags_free(&ld);
        goto fail;
    }
    k8tls_diags_free(&ld);
    if (pv->plan->rollout.mode != K8TLS_ROLLOUT_STAGED || !pv->stage.has_phase) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL,
                        _("%s is not a phase of a staged rollout (its answers.yaml has no rollout "
                          "section, or its K8ssandraCluster no %s annotation): start with "
                          "k8tls-wizard enable --answers FILE"),
                        dir, K8TLS_ROLLOUT_ANNOTATION);
        goto fail;
    }
    if (pv->plan->rollout.phase != pv->stage.phase) {
        k8tls_diags_add(d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL,
                        _("%s does not agree with itself: answers.yaml says phase %s, the "
                          "K8ssandraCluster's annotation %s"),
                        dir, k8tls_rollout_phase_cli_name(pv->plan->rollout.phase),
                        k8tls_rollout_phase_cli_name(pv->stage.phase));
        goto fail;
    }
    char *m = strdup(pv->manifest);
    if (!m) {
        oom(d);
        goto fail;
    }
    free(pv->plan->cluster.manifest);
    pv->plan->cluster.manifest = m;
    if (k8tls_bundle_adopt_manifest(pv->plan, d) < 0)
        goto fail;
    *out = pv;
    return 0;
fail:
    k8tls_enable_prev_free(pv);
    return -1;
}

/* ---- the material as read ---------------------------------------------------------------- */

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int copy_pair(const struct k8tls_rpair *in, struct k8tls_store_pair *out)
{
    memset(out, 0, sizeof *out);
    if (!in->present)
        return 0;
    out->format = in->fmt;
    out->keystore = k8tls_secret_new(in->ks->data, in->ks->len);
    out->truststore = k8tls_secret_new(in->ts->data, in->ts->len);
    out->keystore_password = dup0(in->kspw);
    out->truststore_password = dup0(in->tspw);
    out->leaf = in->leaf;
    if (out->leaf)
        X509_up_ref(out->leaf);
    out->trusted = in->trusted ? X509_chain_up_ref(in->trusted) : sk_X509_new_null();
    out->present = true;
    if (!out->keystore || !out->truststore || !out->keystore_password ||
        !out->truststore_password || !out->trusted)
        return -1;
    return 0;
}

static int copy_trio(const struct k8tls_rtrio *in, struct k8tls_pem_trio *out)
{
    memset(out, 0, sizeof *out);
    if (!in->present)
        return 0;
    out->ca_pem = k8tls_rsecret_text(in->ca_pem);
    out->cert_pem = k8tls_rsecret_text(in->cert_pem);
    out->key_pem = k8tls_secret_new(in->key_pem->data, in->key_pem->len);
    out->cert = in->cert;
    if (out->cert)
        X509_up_ref(out->cert);
    out->present = true;
    return out->ca_pem && out->cert_pem && out->key_pem ? 0 : -1;
}

/* Everything DIR holds, as material for the bundle builder. */
static struct k8tls_material *material_of(const struct k8tls_rotate_state *s, struct k8tls_diags *d)
{
    const struct k8tls_rotate_priv *pv = s->priv;
    struct k8tls_material *m = calloc(1, sizeof *m);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (!m)
        goto oom;
    m->ca_cert = s->signing_ca;
    X509_up_ref(m->ca_cert);
    if (pv->signing_key) {
        EVP_PKEY_up_ref(pv->signing_key);
        m->ca_key = pv->signing_key;
    }
    if (!(m->ca_cert_pem = k8tls_pki_cert_pem(m->ca_cert, &e)) ||
        (m->ca_key && !(m->ca_key_pem = k8tls_pki_key_pem(m->ca_key, &e)))) {
        k8tls_diags_add_err(d, NULL, &e);
        k8tls_material_free(m);
        return NULL;
    }
    if (copy_pair(&pv->server, &m->server) < 0 || copy_pair(&pv->client, &m->client) < 0)
        goto oom;
    if (pv->medusa.present) {
        m->medusa_present = true;
        m->medusa_cert = pv->medusa.cert;
        X509_up_ref(m->medusa_cert);
        m->medusa_ca_pem = k8tls_rsecret_text(pv->medusa.ca_pem);
        m->medusa_cert_pem = k8tls_rsecret_text(pv->medusa.cert_pem);
        m->medusa_key_pem = k8tls_secret_new(pv->medusa.key_pem->data, pv->medusa.key_pem->len);
        if (!m->medusa_ca_pem || !m->medusa_cert_pem || !m->medusa_key_pem)
            goto oom;
    }
    struct k8tls_pem_trio *trio_out[RT_COUNT] = {
        [RT_MGMT_SERVER] = &m->mgmt_server, [RT_MGMT_CLIENT] = &m->mgmt_client,
        [RT_REAPER_CLIENT] = &m->reaper_client, [RT_GRPC_SERVER] = &m->grpc_server,
        [RT_GRPC_CLIENT] = &m->grpc_client,
    };
    for (int i = 0; i < RT_COUNT; i++)
        if (copy_trio(&pv->trio[i], trio_out[i]) < 0)
            goto oom;
    if (copy_pair(&pv->jks[RJ_REAPER_SERVER], &m->reaper_server) < 0 ||
        copy_pair(&pv->jks[RJ_REAPER_MGMT], &m->reaper_mgmt) < 0)
        goto oom;
    return m;
oom:
    k8tls_material_free(m);
    oom(d);
    return NULL;
}

int k8tls_enable_build(struct k8tls_enable_prev *pv, enum k8tls_rollout_phase ph,
                       struct k8tls_bundle **out, struct k8tls_diags *d)
{
    *out = NULL;
    struct k8tls_plan *p = pv->plan;
    p->rollout.mode = K8TLS_ROLLOUT_STAGED;
    p->rollout.phase = ph;
    /* the formats as the stores were written */
    const struct k8tls_rotate_priv *rp = pv->rs->priv;
    const struct k8tls_rpair *fp = rp->server.present ? &rp->server : &rp->client;
    if (fp->present) {
        p->stores.format = fp->fmt;
        p->stores.p12_profile = fp->profile;
    }
    if (k8tls_plan_validate(p, d) > 0)
        return -1;
    struct k8tls_material *m = material_of(pv->rs, d);
    if (!m)
        return -1;
    int rc = k8tls_bundle_build(p, m, out, d);
    k8tls_material_free(m);
    return rc;
}
