/* Kubernetes objects of the bundle other than the cluster: Secrets, Namespace, kustomization;
 * and the effective Secret key names of a store set (k8tls_store_key, declared in plan.h).
 * Everything through libyaml (ydoc).
 * Called by bundle.c, manifest.c, nextsteps.c and outside the bundle (rotation). Calls no other
 * file of the bundle: only ydoc.c and err.c below it. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

const char *k8tls_store_key(const char *k, const char *dflt)
{
    return (k && *k) ? k : dflt;
}

static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const struct k8tls_kv *)a)->key, ((const struct k8tls_kv *)b)->key);
}

/* metadata: name, namespace, labels {managed-by}, annotations {akey: aval} when akey is set */
static int metadata(struct ydoc *y, const char *name, const char *ns, const char *akey,
                    const char *aval)
{
    int md = ydoc_map(y);
    ydoc_map_add(y, md, "name", ydoc_str(y, name));
    if (ns && *ns)
        ydoc_map_add(y, md, "namespace", ydoc_str(y, ns));
    int labels = ydoc_map_add(y, md, "labels", ydoc_map(y));
    ydoc_map_add(y, labels, K8TLS_MANAGED_BY_LABEL, ydoc_str(y, K8TLS_MANAGED_BY_VALUE));
    if (akey && *akey && aval) {
        int an = ydoc_map_add(y, md, "annotations", ydoc_map(y));
        ydoc_map_add(y, an, akey, ydoc_str(y, aval));
    }
    return md;
}

int k8tls_secret_manifest(const char *name, const char *ns, const struct k8tls_kv *items,
                          size_t n, char **out, size_t *len, struct k8tls_err *e)
{
    return k8tls_secret_manifest_typed(name, ns, "Opaque", items, n, out, len, e);
}

int k8tls_secret_manifest_typed(const char *name, const char *ns, const char *type,
                                const struct k8tls_kv *items, size_t n, char **out, size_t *len,
                                struct k8tls_err *e)
{
    return k8tls_secret_manifest_annotated(name, ns, type, NULL, NULL, items, n, out, len, e);
}

int k8tls_secret_manifest_annotated(const char *name, const char *ns, const char *type,
                                    const char *akey, const char *aval,
                                    const struct k8tls_kv *items, size_t n, char **out,
                                    size_t *len, struct k8tls_err *e)
{
    struct ydoc y;
    const char *why = NULL;
    struct k8tls_kv *sorted = NULL;
    char *b64 = NULL;
    size_t b64cap = 0;

    *out = NULL;
    *len = 0;
    if (ydoc_init(&y) < 0)
        goto oom;
    sorted = n ? malloc(n * sizeof *sorted) : NULL;
    if (n && !sorted) {
        ydoc_free(&y);
        goto oom;
    }
    if (n)
        memcpy(sorted, items, n * sizeof *sorted);
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, cmp_kv);
    for (size_t i = 1; i < n; i++)
        if (strcmp(sorted[i - 1].key, sorted[i].key) == 0) {
            k8tls_err_set(e, NULL, 0, 0, _("Secret %s: the key %s is used twice"), name,
                          sorted[i].key);
            free(sorted);
            ydoc_free(&y);
            return -1;
        }

    int root = ydoc_map(&y);
    ydoc_map_add(&y, root, "apiVersion", ydoc_str(&y, "v1"));
    ydoc_map_add(&y, root, "kind", ydoc_str(&y, "Secret"));
    ydoc_map_add(&y, root, "metadata", metadata(&y, name, ns, akey, aval));
    ydoc_map_add(&y, root, "type", ydoc_str(&y, type));
    int data = ydoc_map_add(&y, root, "data", ydoc_map(&y));
    for (size_t i = 0; i < n; i++) {
        size_t need = 4 * ((sorted[i].len + 2) / 3) + 1;
        if (need > b64cap) {
            if (b64) {
                OPENSSL_cleanse(b64, b64cap);
                free(b64);
            }
            b64 = malloc(need);
            b64cap = b64 ? need : 0;
            if (!b64) {
                y.oom = true;
                break;
            }
        }
        if (sorted[i].len > (size_t)0x7fffffff) {
            y.oom = true;
            break;
        }
        EVP_EncodeBlock((unsigned char *)b64, sorted[i].data, (int)sorted[i].len);
        ydoc_map_add(&y, data, sorted[i].key, ydoc_str(&y, b64));
        OPENSSL_cleanse(b64, b64cap);
    }
    free(b64);
    free(sorted);
    if (y.oom) {
        ydoc_free(&y);
        goto oom;
    }
    if (ydoc_emit(&y, 1, out, len, &why) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("Secret %s: cannot write YAML: %s"), name, why);
        return -1;
    }
    return 0;
oom:
    k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
    return -1;
}

int k8tls_namespace_manifest(const char *ns, char **out, size_t *len, struct k8tls_err *e)
{
    struct ydoc y;
    const char *why = NULL;
    if (ydoc_init(&y) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    int root = ydoc_map(&y);
    ydoc_map_add(&y, root, "apiVersion", ydoc_str(&y, "v1"));
    ydoc_map_add(&y, root, "kind", ydoc_str(&y, "Namespace"));
    ydoc_map_add(&y, root, "metadata", metadata(&y, ns, NULL, NULL, NULL));
    if (ydoc_emit(&y, 1, out, len, &why) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("Namespace %s: cannot write YAML: %s"), ns, why);
        return -1;
    }
    return 0;
}

int k8tls_bundle_kustomization(const char *const *resources, size_t n, char **out, size_t *len,
                               struct k8tls_err *e)
{
    return k8tls_bundle_kustomization_ordered(resources, n, false, out, len, e);
}

int k8tls_bundle_kustomization_ordered(const char *const *resources, size_t n, bool fifo,
                                       char **out, size_t *len, struct k8tls_err *e)
{
    struct ydoc y;
    const char *why = NULL;
    if (ydoc_init(&y) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    int root = ydoc_map(&y);
    ydoc_map_add(&y, root, "apiVersion", ydoc_str(&y, "kustomize.config.k8s.io/v1beta1"));
    ydoc_map_add(&y, root, "kind", ydoc_str(&y, "Kustomization"));
    int res = ydoc_map_add(&y, root, "resources", ydoc_seq(&y));
    for (size_t i = 0; i < n; i++)
        ydoc_seq_add(&y, res, ydoc_str(&y, resources[i]));
    if (fifo) {
        /* kustomize sorts by kind unless told otherwise, which would put Certificates before
         * their Issuers and the cluster before the trust Bundle */
        int so = ydoc_map_add(&y, root, "sortOptions", ydoc_map(&y));
        ydoc_map_add(&y, so, "order", ydoc_str(&y, "fifo"));
    }
    if (ydoc_emit(&y, 1, out, len, &why) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("kustomization.yaml: cannot write YAML: %s"), why);
        return -1;
    }
    return 0;
}
