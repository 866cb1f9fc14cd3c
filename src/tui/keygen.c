/* Background key generation (P3): k8tls_pki_build as a job of the worker mechanism (job.c),
 * started as soon as the key parameters are known, restarted when they change, consumed by the
 * Review screen. Calls job.c and the core only. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/secure.h"

#include <stdlib.h>
#include <string.h>

struct kg_gen {
    struct kg_gen *next;
    struct tui_job *job;       /* the worker; its progress is the generation's */
    char *fp;
    struct k8tls_plan *plan;   /* the worker's copy (resolved there) */
    struct k8tls_material *m;  /* the worker's until the job is finished */
    struct k8tls_diags d;      /* likewise */
};

struct tui_keygen {
    struct kg_gen *cur;        /* the generation the UI waits for */
    struct kg_gen *all;        /* every generation not yet joined (cur included) */
};

static int kg_main(struct tui_job *j, void *arg)
{
    struct kg_gen *g = arg;
    int rc = -1;
    if (k8tls_plan_resolve(g->plan, &g->d) == 0)
        rc = k8tls_pki_build(g->plan, tui_job_progress, j, &g->m, &g->d);
    if (rc < 0 && k8tls_diags_count(&g->d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&g->d, K8TLS_SEV_ERROR, NULL, 0, 0, NULL, "%s",
                        _("key generation failed"));
    return rc;
}

static void gen_free(struct kg_gen *g)
{
    if (!g)
        return;
    tui_job_free(g->job); /* joins the worker */
    k8tls_secure_free_str(g->fp);
    k8tls_plan_free(g->plan);
    k8tls_material_free(g->m);
    k8tls_diags_free(&g->d);
    free(g);
}

static bool gen_done(struct kg_gen *g, int *rc)
{
    return tui_job_finished(g->job, rc);
}

/* Joins and frees finished generations that nobody waits for any more. */
static void reap(struct tui_keygen *kg)
{
    struct kg_gen **pp = &kg->all;
    while (*pp) {
        struct kg_gen *g = *pp;
        if (g != kg->cur && gen_done(g, NULL)) {
            *pp = g->next;
            gen_free(g);
        } else {
            pp = &g->next;
        }
    }
}

struct tui_keygen *tui_keygen_new(void)
{
    return calloc(1, sizeof(struct tui_keygen));
}

void tui_keygen_free(struct tui_keygen *kg)
{
    if (!kg)
        return;
    while (kg->all) {
        struct kg_gen *g = kg->all;
        kg->all = g->next;
        gen_free(g);
    }
    free(kg);
}

void tui_keygen_reset(struct tui_keygen *kg)
{
    kg->cur = NULL;
    reap(kg);
}

bool tui_keygen_matches(struct tui_keygen *kg, const struct k8tls_plan *p)
{
    if (!kg->cur)
        return false;
    char *fp = k8tls_flow_pki_fingerprint(p);
    bool same = fp && strcmp(fp, kg->cur->fp) == 0;
    k8tls_secure_free_str(fp);
    return same;
}

int tui_keygen_ensure(struct tui_keygen *kg, const struct k8tls_plan *p)
{
    reap(kg);
    if (tui_keygen_matches(kg, p))
        return 0;
    struct kg_gen *g = calloc(1, sizeof *g);
    if (!g)
        return -1;
    k8tls_diags_init(&g->d);
    g->fp = k8tls_flow_pki_fingerprint(p);
    g->plan = k8tls_plan_dup(p);
    if (!g->fp || !g->plan || !(g->job = tui_job_start(kg_main, g))) {
        gen_free(g);
        return -1;
    }
    g->next = kg->all;
    kg->all = g;
    kg->cur = g;
    return 1;
}

enum kg_state tui_keygen_state(struct tui_keygen *kg, int *done, int *total, char *label,
                               size_t label_len)
{
    reap(kg);
    struct kg_gen *g = kg->cur;
    if (done)
        *done = 0;
    if (total)
        *total = 0;
    if (label && label_len)
        label[0] = '\0';
    if (!g)
        return KG_NONE;
    tui_job_progress_get(g->job, done, total, label, label_len);
    int rc = 0;
    if (!gen_done(g, &rc))
        return KG_RUNNING;
    return rc == 0 ? KG_READY : KG_FAILED;
}

static struct kg_gen *finished_cur(struct tui_keygen *kg)
{
    return kg->cur && gen_done(kg->cur, NULL) ? kg->cur : NULL;
}

const struct k8tls_material *tui_keygen_material(struct tui_keygen *kg)
{
    int rc = -1;
    struct kg_gen *g = kg->cur && gen_done(kg->cur, &rc) ? kg->cur : NULL;
    return g && rc == 0 ? g->m : NULL;
}

const struct k8tls_diags *tui_keygen_diags(struct tui_keygen *kg)
{
    struct kg_gen *g = finished_cur(kg);
    return g ? &g->d : NULL;
}
