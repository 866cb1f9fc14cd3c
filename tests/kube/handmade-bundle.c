/* A bundle built by hand for the kube tests (see handmade-bundle.h). */
#include "config.h"
#include "handmade-bundle.h"
#include "k8tls/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

struct out {
    unsigned char *p;
    size_t len, cap;
};

static int write_cb(void *data, unsigned char *buffer, size_t size)
{
    struct out *o = data;
    if (o->len + size + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 1024;
        while (cap < o->len + size + 1)
            cap *= 2;
        unsigned char *p = realloc(o->p, cap);
        if (!p)
            return 0;
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, buffer, size);
    o->len += size;
    o->p[o->len] = '\0';
    return 1;
}

static int S(yaml_document_t *d, const char *s)
{
    return yaml_document_add_scalar(d, NULL, (yaml_char_t *)s, -1, YAML_ANY_SCALAR_STYLE);
}

static int Q(yaml_document_t *d, const char *s)
{
    return yaml_document_add_scalar(d, NULL, (yaml_char_t *)s, -1, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

static int M(yaml_document_t *d)
{
    return yaml_document_add_mapping(d, NULL, YAML_BLOCK_MAPPING_STYLE);
}

static void P(yaml_document_t *d, int m, const char *k, int v)
{
    yaml_document_append_mapping_pair(d, m, S(d, k), v);
}

static unsigned char *dump(yaml_document_t *d, size_t *len)
{
    yaml_emitter_t em;
    struct out o = { 0 };
    yaml_emitter_initialize(&em);
    yaml_emitter_set_output(&em, write_cb, &o);
    int ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, d) && yaml_emitter_close(&em);
    yaml_emitter_delete(&em);
    if (!ok) {
        free(o.p);
        return NULL;
    }
    *len = o.len;
    return o.p;
}

static int meta(yaml_document_t *d, const char *name, const char *ns)
{
    int m = M(d);
    P(d, m, "name", S(d, name));
    if (ns)
        P(d, m, "namespace", S(d, ns));
    return m;
}

static char *b64(const unsigned char *data, size_t len)
{
    char *s = malloc(4 * ((len + 2) / 3) + 1);
    if (s)
        EVP_EncodeBlock((unsigned char *)s, data, (int)len);
    return s;
}

static void add(struct k8tls_bundle *b, enum k8tls_artifact_kind kind, const char *path,
                const char *k8s_kind, const char *name, const char *ns, unsigned char *data,
                size_t len, int secret)
{
    struct k8tls_artifact *a = &b->v[b->n++];
    memset(a, 0, sizeof *a);
    a->path = strdup(path);
    a->data = data;
    a->len = len;
    a->mode = secret ? 0600 : 0644;
    a->kind = kind;
    a->secret = secret;
    a->k8s_kind = strdup(k8s_kind);
    a->k8s_name = strdup(name);
    a->k8s_namespace = ns ? strdup(ns) : NULL;
}

struct hb *hb_new(const char *ns, const char *cluster_name, const char *const *dc_contexts,
                  size_t n_dcs)
{
    static const char *const secret_names[HB_N_SECRETS] = { "server-encryption-stores",
                                                            "client-encryption-stores" };
    struct hb *h = calloc(1, sizeof *h);
    if (!h || n_dcs > 4)
        return NULL;
    h->bundle.v = calloc(HB_N_SECRETS + 2, sizeof *h->bundle.v);
    h->plan.cluster.name = (char *)cluster_name;
    h->plan.cluster.namespace_ = (char *)ns;
    h->plan.cluster.dcs = h->dcs;
    h->plan.cluster.n_dcs = n_dcs;
    static const char *const dc_names[4] = { "dc1", "dc2", "dc3", "dc4" };
    for (size_t i = 0; i < n_dcs; i++) {
        h->dcs[i].name = (char *)dc_names[i];
        h->dcs[i].size = 3;
        h->dcs[i].k8s_context = (char *)dc_contexts[i];
    }

    for (int s = 0; s < HB_N_SECRETS; s++) {
        unsigned char store[48];
        RAND_bytes(store, sizeof store);
        char *ks = k8tls_password_generate(K8TLS_PASSWORD_LEN);
        char *ts = k8tls_password_generate(K8TLS_PASSWORD_LEN);
        h->passwords[2 * s] = ks;
        h->passwords[2 * s + 1] = ts;
        h->b64[3 * s] = b64(store, sizeof store);
        h->b64[3 * s + 1] = b64((const unsigned char *)ks, strlen(ks));
        h->b64[3 * s + 2] = b64((const unsigned char *)ts, strlen(ts));

        yaml_document_t d;
        yaml_document_initialize(&d, NULL, NULL, NULL, 1, 1);
        int root = M(&d);
        P(&d, root, "apiVersion", S(&d, "v1"));
        P(&d, root, "kind", S(&d, "Secret"));
        P(&d, root, "metadata", meta(&d, secret_names[s], ns));
        P(&d, root, "type", S(&d, "Opaque"));
        int data = M(&d);
        P(&d, data, "keystore", S(&d, h->b64[3 * s]));
        P(&d, data, "keystore-password", S(&d, h->b64[3 * s + 1]));
        P(&d, data, "truststore-password", S(&d, h->b64[3 * s + 2]));
        P(&d, root, "data", data);
        size_t len = 0;
        unsigned char *y = dump(&d, &len);
        char path[200];
        snprintf(path, sizeof path, "manifests/10-secret-%s.yaml", secret_names[s]);
        add(&h->bundle, K8TLS_ART_SECRET, path, "Secret", secret_names[s], ns, y, len, 1);
    }

    yaml_document_t d;
    yaml_document_initialize(&d, NULL, NULL, NULL, 1, 1);
    int root = M(&d);
    P(&d, root, "apiVersion", S(&d, "k8ssandra.io/v1alpha1"));
    P(&d, root, "kind", S(&d, "K8ssandraCluster"));
    P(&d, root, "metadata", meta(&d, cluster_name, ns));
    int spec = M(&d), cass = M(&d), dcs = yaml_document_add_sequence(&d, NULL,
                                                                        YAML_BLOCK_SEQUENCE_STYLE);
    P(&d, cass, "serverVersion", Q(&d, "4.0.1"));
    for (size_t i = 0; i < n_dcs; i++) {
        int dc = M(&d);
        P(&d, dc, "metadata", meta(&d, dc_names[i], NULL));
        P(&d, dc, "size", S(&d, "3"));
        if (dc_contexts[i] && *dc_contexts[i])
            P(&d, dc, "k8sContext", S(&d, dc_contexts[i]));
        yaml_document_append_sequence_item(&d, dcs, dc);
    }
    P(&d, cass, "datacenters", dcs);
    int ses = M(&d), ref = M(&d), tref = M(&d);
    P(&d, ref, "name", S(&d, secret_names[0]));
    P(&d, tref, "name", S(&d, secret_names[0]));
    P(&d, ses, "keystoreSecretRef", ref);
    P(&d, ses, "truststoreSecretRef", tref);
    P(&d, cass, "serverEncryptionStores", ses);
    P(&d, spec, "cassandra", cass);
    P(&d, root, "spec", spec);
    size_t len = 0;
    unsigned char *y = dump(&d, &len);
    add(&h->bundle, K8TLS_ART_CLUSTER, "manifests/20-k8ssandracluster.yaml", "K8ssandraCluster",
        cluster_name, ns, y, len, 0);
    return h;
}

void hb_free(struct hb *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->bundle.n; i++) {
        struct k8tls_artifact *a = &h->bundle.v[i];
        if (a->secret)
            OPENSSL_cleanse(a->data, a->len);
        free(a->data);
        free(a->path);
        free(a->k8s_kind);
        free(a->k8s_name);
        free(a->k8s_namespace);
    }
    free(h->bundle.v);
    for (int i = 0; i < 2 * HB_N_SECRETS; i++)
        k8tls_secure_free_str(h->passwords[i]);
    for (int i = 0; i < 3 * HB_N_SECRETS; i++)
        k8tls_secure_free_str(h->b64[i]);
    free(h);
}
