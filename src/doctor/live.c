/* The doctor's live mode (doctor.h): read-only `kubectl get ... -o yaml` through proc.c, in
 * every --context given (the control plane first): the K8ssandraClusters of the control plane,
 * then the Secrets of the clusters' namespaces in every context. kubectl's output stays in wiping
 * buffers; no secret is on any command line (X2) and nothing is written. */
#include "config.h"
#include "doctor.h"
#include "k8tls/i18n.h"
#include "k8tls/proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_OUT_MAX ((size_t)64 << 20)
#define LIVE_ERR_MAX ((size_t)64 << 10)

/* kubectl [--kubeconfig K] --context C get WHAT -o yaml (-n NS | --all-namespaces), loaded into s
 * with context C. Returns 0 or -1 with e set. */
static int get(struct dr_state *s, const char *context, const char *what, const char *ns,
               struct k8tls_err *e)
{
    char *argv[16];
    size_t k = 0;
    argv[k++] = (char *)"kubectl";
    if (s->kubeconfig) {
        argv[k++] = (char *)"--kubeconfig";
        argv[k++] = (char *)s->kubeconfig;
    }
    argv[k++] = (char *)"--context";
    argv[k++] = (char *)context;
    argv[k++] = (char *)"get";
    argv[k++] = (char *)what;
    argv[k++] = (char *)"-o";
    argv[k++] = (char *)"yaml";
    argv[k++] = (char *)"--request-timeout=60s";
    if (ns) {
        argv[k++] = (char *)"--namespace";
        argv[k++] = (char *)ns;
    } else {
        argv[k++] = (char *)"--all-namespaces";
    }
    argv[k] = NULL;
    struct k8tls_proc r;
    int rc = k8tls_proc_run(argv, NULL, 0, LIVE_OUT_MAX, LIVE_ERR_MAX, &r);
    if (rc < 0) {
        k8tls_err_set_status(e, K8TLS_ENVIRONMENT,
                             r.spawn_err == ENOENT ? _("kubectl is not installed (not in PATH)")
                                                   : _("cannot run kubectl: %s"),
                             strerror(r.spawn_err));
        k8tls_proc_free(&r);
        return -1;
    }
    if (r.exit_code != 0 || r.out.oom || r.out_truncated) {
        const char *msg = r.err.p && *r.err.p ? r.err.p : _("no message");
        char line[512];
        snprintf(line, sizeof line, "%s", msg);
        line[strcspn(line, "\n")] = '\0';
        k8tls_err_set_status(e, K8TLS_ENVIRONMENT,
                             r.timed_out ? _("kubectl get %s in context %s timed out")
                                         : _("kubectl get %s in context %s failed: %s"),
                             what, context, line);
        k8tls_proc_free(&r);
        return -1;
    }
    char name[512];
    snprintf(name, sizeof name, _("context %s"), context);
    rc = dr_load_buffer(s, name, r.out.p ? r.out.p : "", r.out.len, context, e);
    if (rc < 0)
        e->status = K8TLS_ENVIRONMENT;
    k8tls_proc_free(&r);
    return rc;
}

int dr_load_live(struct dr_state *s, struct k8tls_err *e)
{
    if (get(s, s->contexts[0], "k8ssandraclusters.k8ssandra.io", s->namespace_, e) < 0)
        return -1;
    /* the namespaces whose Secrets matter: --namespace, else each cluster's */
    const char *nss[64];
    size_t nns = 0;
    if (s->namespace_)
        nss[nns++] = s->namespace_;
    for (size_t i = 0; i < s->ncl && nns < 64 && !s->namespace_; i++) {
        bool seen = false;
        for (size_t j = 0; j < nns; j++)
            seen |= s->cl[i].ns && strcmp(nss[j], s->cl[i].ns) == 0;
        if (s->cl[i].ns && !seen)
            nss[nns++] = s->cl[i].ns;
    }
    for (size_t c = 0; c < s->ncontexts; c++)
        for (size_t j = 0; j < nns; j++)
            if (get(s, s->contexts[c], "secrets", nss[j], e) < 0)
                return -1;
    return 0;
}
