/* Test driver for the kube module, used by the shell tests in tests/kube/:
 *   kube-helper contexts [--kubeconfig P]
 *       prints "current-context\t<name>" then one line per context:
 *       "<name>\t<cluster>\t<user>\t<namespace>" (sorted, as kubectl lists them)
 *   kube-helper apply [--kubeconfig P] [--context C]... [--dc-context C]... [--namespace NS]
 *                     [--create-namespace] [--dry-run=server] [--diff] [--force-conflicts]
 *                     [--secrets-out FILE]
 *       applies a hand-made bundle (handmade-bundle.c: 2 Secrets + a K8ssandraCluster "test";
 *       one datacenter per --dc-context, "" for the control plane) with k8tls_kube_apply, prints
 *       its report as the command line does (results on stdout, the rest on stderr) and exits
 *       with the command line's code for its status (0, 1, 3); --secrets-out writes every secret value (passwords and base64 data)
 *       one per line, so that the test can look for them where they must not be. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/kube.h"
#include "handmade-bundle.h"

static void on_object(void *ud, const char *context, const char *kind, const char *name, bool ok,
                      const char *message)
{
    (void)ud;
    fprintf(stderr, "on_object: %s %s %s %s %s\n", context, kind, name, ok ? "ok" : "FAILED",
            message ? message : "");
}

/* as src/cli/common.c prints the report */
static void on_text(void *ud, enum k8tls_kube_text kind, const char *text)
{
    (void)ud;
    if (kind == K8TLS_KUBE_TEXT_FAILURE)
        fflush(stdout);
    fputs(text, kind == K8TLS_KUBE_TEXT_APPLIED || kind == K8TLS_KUBE_TEXT_DIFF ? stdout : stderr);
    if (kind == K8TLS_KUBE_TEXT_APPLIED)
        fflush(stdout);
}

static int contexts(int argc, char **argv)
{
    const char *kcpath = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--kubeconfig") == 0 && i + 1 < argc)
            kcpath = argv[++i];
        else
            return 2;
    }
    struct k8tls_err e;
    struct k8tls_kubeconfig *kc = k8tls_kubeconfig_load(kcpath, &e);
    if (!kc) {
        char buf[2048];
        fprintf(stderr, "kube-helper: %s\n", k8tls_err_format(&e, buf, sizeof buf));
        return 1;
    }
    printf("current-context\t%s\n", kc->current_context);
    for (size_t i = 0; i < kc->n_contexts; i++)
        printf("%s\t%s\t%s\t%s\n", kc->contexts[i].name, kc->contexts[i].cluster,
               kc->contexts[i].user, kc->contexts[i].namespace_);
    k8tls_kubeconfig_free(kc);
    return 0;
}

static int apply(int argc, char **argv)
{
    struct k8tls_apply_opts o = { 0 };
    const char *ctxs[8], *dcs[4], *ns = "k8ssandra-operator", *secrets_out = NULL;
    size_t n_ctx = 0, n_dcs = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--kubeconfig") == 0 && i + 1 < argc)
            o.kubeconfig = argv[++i];
        else if (strcmp(a, "--context") == 0 && i + 1 < argc && n_ctx < 8)
            ctxs[n_ctx++] = argv[++i];
        else if (strcmp(a, "--dc-context") == 0 && i + 1 < argc && n_dcs < 4)
            dcs[n_dcs++] = argv[++i];
        else if (strcmp(a, "--namespace") == 0 && i + 1 < argc)
            ns = argv[++i];
        else if (strcmp(a, "--secrets-out") == 0 && i + 1 < argc)
            secrets_out = argv[++i];
        else if (strcmp(a, "--create-namespace") == 0)
            o.create_namespace = true;
        else if (strcmp(a, "--dry-run=server") == 0)
            o.dry_run_server = true;
        else if (strcmp(a, "--diff") == 0)
            o.diff = true;
        else if (strcmp(a, "--force-conflicts") == 0)
            o.force_conflicts = true;
        else {
            fprintf(stderr, "kube-helper: unknown argument %s\n", a);
            return 2;
        }
    }
    if (n_dcs == 0)
        dcs[n_dcs++] = "";
    o.contexts = ctxs;
    o.n_contexts = n_ctx;
    o.on_object = on_object;
    o.on_text = on_text;
    struct hb *h = hb_new(ns, "test", dcs, n_dcs);
    if (!h)
        return 3;
    if (secrets_out) {
        FILE *f = fopen(secrets_out, "w");
        if (!f)
            return 3;
        for (int i = 0; i < 2 * HB_N_SECRETS; i++)
            fprintf(f, "%s\n", h->passwords[i]);
        for (int i = 0; i < 3 * HB_N_SECRETS; i++)
            fprintf(f, "%s\n", h->b64[i]);
        fclose(f);
    }
    enum k8tls_status st = k8tls_kube_apply(&h->bundle, &h->plan, &o);
    fflush(stdout);
    hb_free(h);
    return st == K8TLS_OK ? 0 : st == K8TLS_INVALID || st == K8TLS_REFUSED ? 1 : 3;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "contexts") == 0)
        return contexts(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "apply") == 0)
        return apply(argc, argv);
    fprintf(stderr, "usage: kube-helper contexts|apply [options]\n");
    return 2;
}
