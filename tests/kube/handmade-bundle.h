/* A bundle built by hand for the kube tests (independent of the real bundle builder): a Secret
 * per store set with generated passwords, and a small K8ssandraCluster, written with libyaml. */
#ifndef K8TLS_TESTS_HANDMADE_BUNDLE_H
#define K8TLS_TESTS_HANDMADE_BUNDLE_H

#include "k8tls/bundle.h"
#include "k8tls/plan.h"

#define HB_N_SECRETS 2

struct hb {
    struct k8tls_bundle bundle;
    struct k8tls_plan plan;            /* only cluster.name, namespace_ and dcs are set */
    struct k8tls_dc dcs[4];
    char *passwords[2 * HB_N_SECRETS]; /* keystore and truststore passwords of each Secret */
    char *b64[3 * HB_N_SECRETS];       /* the base64 data values of each Secret */
};

/* dc_contexts: n_dcs k8sContext names ("" = the control plane), n_dcs <= 4. */
struct hb *hb_new(const char *ns, const char *cluster_name, const char *const *dc_contexts,
                  size_t n_dcs);
void hb_free(struct hb *h);

#endif
