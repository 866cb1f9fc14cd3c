/* Rotation input: Secrets from an output directory or from a kube context (kubectl run through
 * proc.c, its output wiped after use), the values of a Secret, and rotation.yaml. Everything YAML
 * through libyaml. Calls rotate_names.c only among the rotation files (see rotate_int.h), and
 * proc.c, store_read.c, yamlutil.c, secure.c of the core. */
#include "config.h"
#include "rotate_int.h"
#include "store_int.h"
#include "k8tls/i18n.h"
#include "k8tls/proc.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"
#include "k8tls/yamlutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>


#define SECRET_MAX_KEYS 256
#define KUBECTL_MAX_OUT ((size_t)16 << 20)
#define KUBECTL_MAX_ERR ((size_t)64 << 10)

/* ---- Secrets ---------------------------------------------------------------------------- */

void k8tls_rsecret_clear(struct k8tls_rsecret *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].key);
        k8tls_secret_free(s->v[i].val);
    }
    free(s->v);
    free(s->name);
    free(s->namespace_);
    free(s->origin);
    memset(s, 0, sizeof *s);
}

const struct k8tls_secret *k8tls_rsecret_get(const struct k8tls_rsecret *s, const char *key)
{
    for (size_t i = 0; s && key && i < s->n; i++)
        if (strcmp(s->v[i].key, key) == 0)
            return s->v[i].val;
    return NULL;
}

char *k8tls_rsecret_text(const struct k8tls_secret *s)
{
    char *t = malloc(s->len + 1);
    if (t) {
        memcpy(t, s->data, s->len);
        t[s->len] = '\0';
    }
    return t;
}

/* base64 (with or without line breaks) -> wiping buffer; NULL when it is not base64. */
static struct k8tls_secret *b64_decode(const char *s, size_t len)
{
    if (len > (size_t)0x3fffffff)
        return NULL;
    size_t cap = len / 4 * 3 + 80;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return NULL;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    int n1 = 0, n2 = 0;
    bool ok = ctx != NULL;
    if (ok) {
        EVP_DecodeInit(ctx);
        ok = EVP_DecodeUpdate(ctx, buf, &n1, (const unsigned char *)s, (int)len) >= 0
             && EVP_DecodeFinal(ctx, buf + n1, &n2) == 1;
    }
    EVP_ENCODE_CTX_free(ctx);
    struct k8tls_secret *out = NULL;
    if (ok)
        out = k8tls_secret_new(buf, (size_t)n1 + (size_t)n2);
    OPENSSL_cleanse(buf, cap);
    free(buf);
    return out;
}

static int kv_add(struct k8tls_rsecret *s, const char *key, struct k8tls_secret *val)
{
    struct k8tls_rsecret_kv *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v) {
        k8tls_secret_free(val);
        return -1;
    }
    s->v = v;
    if (!(s->v[s->n].key = strdup(key))) {
        k8tls_secret_free(val);
        return -1;
    }
    s->v[s->n].val = val;
    s->n++;
    return 0;
}

/* Secret values live in the document's scalars (base64 is no protection): wipe them before the
 * document is freed. */
static void wipe_doc(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n && n < doc->nodes.top; n++)
        if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
            OPENSSL_cleanse(n->data.scalar.value, n->data.scalar.length);
}

static void at(struct k8tls_err *e, const char *origin, const yaml_node_t *n, const char *fmt,
               const char *arg)
{
    struct k8tls_pos p = k8tls_yaml_pos(n);
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg);
    k8tls_err_set(e, origin, p.line, p.col, "%s", msg);
}

int k8tls_rsecret_parse(const char *origin, const char *buf, size_t len, struct k8tls_rsecret *out,
                        struct k8tls_err *e)
{
    yaml_document_t doc;
    memset(out, 0, sizeof *out);
    if (k8tls_yaml_load(origin, buf, len, &doc, e) < 0)
        return -1;
    int rc = -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        at(e, origin, root, "%s", _("not a Kubernetes Secret (expected a mapping)"));
        goto done;
    }
    const char *kind = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, root, "kind"));
    if (!kind || strcmp(kind, "Secret") != 0) {
        at(e, origin, root, _("not a Kubernetes Secret (kind: %s)"), kind ? kind : "?");
        goto done;
    }
    yaml_node_t *md = k8tls_yaml_map_get(&doc, root, "metadata");
    const char *name = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, md, "name"));
    const char *ns = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, md, "namespace"));
    if (!name || !*name) {
        at(e, origin, md ? md : root, "%s", _("the Secret has no metadata.name"));
        goto done;
    }
    out->name = strdup(name);
    out->namespace_ = strdup(ns ? ns : "");
    out->origin = strdup(origin);
    if (!out->name || !out->namespace_ || !out->origin)
        goto oom;
    static const char *const sections[] = { "data", "stringData" };
    for (int sec = 0; sec < 2; sec++) {
        yaml_node_t *data = k8tls_yaml_map_get(&doc, root, sections[sec]);
        if (!data || k8tls_yaml_is_null(data))
            continue;
        if (data->type != YAML_MAPPING_NODE) {
            at(e, origin, data, _("%s: expected a mapping"), sections[sec]);
            goto done;
        }
        size_t n = k8tls_yaml_map_len(data);
        if (n > SECRET_MAX_KEYS) {
            at(e, origin, data, _("%s: too many keys"), sections[sec]);
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *k = k8tls_yaml_map_key(&doc, data, i);
            yaml_node_t *v = k8tls_yaml_map_value(&doc, data, i);
            const char *key = k8tls_yaml_scalar(k);
            const char *val = k8tls_yaml_scalar(v);
            if (!key || (!val && !k8tls_yaml_is_null(v))) {
                at(e, origin, v ? v : k, "%s", _("a Secret data value must be text"));
                goto done;
            }
            size_t vlen = val ? k8tls_yaml_scalar_len(v) : 0;
            struct k8tls_secret *bytes = sec == 0 ? b64_decode(val ? val : "", vlen)
                                                  : k8tls_secret_new(val ? val : "", vlen);
            if (!bytes) {
                at(e, origin, v, _("data.%s: not valid base64"), key);
                goto done;
            }
            if (k8tls_rsecret_get(out, key)) {
                k8tls_secret_free(bytes);
                at(e, origin, k, _("the key %s is given twice"), key);
                goto done;
            }
            if (kv_add(out, key, bytes) < 0)
                goto oom;
        }
    }
    rc = 0;
    goto done;
oom:
    k8tls_err_set(e, origin, 0, 0, "%s", _("out of memory"));
done:
    wipe_doc(&doc);
    yaml_document_delete(&doc);
    if (rc < 0)
        k8tls_rsecret_clear(out);
    return rc;
}

int k8tls_rsecret_from_dir(const char *dir, const char *name, struct k8tls_rsecret *out,
                           struct k8tls_err *e)
{
    char rel[600];
    memset(out, 0, sizeof *out);
    snprintf(rel, sizeof rel, "manifests/10-secret-%s.yaml", name);
    char *path = k8tls_path_join(dir, rel);
    struct k8tls_secret *bytes = NULL;
    if (!path) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    if (k8tls_store_read_bytes(path, K8TLS_YAML_MAX_INPUT, &bytes, e) < 0) {
        free(path);
        return -1;
    }
    int rc = k8tls_rsecret_parse(path, (const char *)bytes->data, bytes->len, out, e);
    if (rc == 0 && strcmp(out->name, name) != 0) {
        k8tls_err_set(e, path, 0, 0, _("holds the Secret %s, expected %s"), out->name, name);
        k8tls_rsecret_clear(out);
        rc = -1;
    }
    k8tls_secret_free(bytes);
    free(path);
    return rc;
}

/* ---- kubectl ------------------------------------------------------------------------------ */

static void first_line(const struct k8tls_buf *c, char *out, size_t n)
{
    const char *s = c->p ? c->p : "";
    while (*s == '\n' || *s == ' ')
        s++;
    size_t i = 0;
    while (s[i] && s[i] != '\n' && i + 1 < n) {
        out[i] = s[i];
        i++;
    }
    out[i] = '\0';
}

int k8tls_rsecret_from_context(const char *kubeconfig, const char *context, const char *ns,
                               const char *name, struct k8tls_rsecret *out, struct k8tls_err *e)
{
    char *argv[16];
    size_t k = 0;
    memset(out, 0, sizeof *out);
    argv[k++] = (char *)"kubectl";
    if (kubeconfig) {
        argv[k++] = (char *)"--kubeconfig";
        argv[k++] = (char *)kubeconfig;
    }
    argv[k++] = (char *)"--context";
    argv[k++] = (char *)context;
    argv[k++] = (char *)"--namespace";
    argv[k++] = (char *)ns;
    argv[k++] = (char *)"get";
    argv[k++] = (char *)"secret";
    argv[k++] = (char *)name;
    argv[k++] = (char *)"--output=yaml";
    argv[k++] = (char *)"--request-timeout=30s";
    argv[k] = NULL;

    struct k8tls_proc r;
    k8tls_proc_run(argv, NULL, 0, KUBECTL_MAX_OUT, KUBECTL_MAX_ERR, &r);
    char origin[1024], line[700];
    snprintf(origin, sizeof origin, _("context %s: Secret %s/%s"), context, ns, name);
    int rc = -3;
    if (r.spawn_err) {
        if (r.spawn_err == ENOENT)
            k8tls_err_set(e, NULL, 0, 0, "%s",
                          _("kubectl not found in PATH: install kubectl (Debian: kubernetes-client) "
                            "or add its directory to PATH"));
        else
            k8tls_err_set(e, NULL, 0, 0, _("cannot run kubectl: %s"), strerror(r.spawn_err));
    } else if (r.timed_out) {
        k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl did not finish within %d seconds and was "
                                       "stopped (an exec credential plugin of the kubeconfig "
                                       "that does not return, or an API server that does not "
                                       "answer)"), origin, r.timeout);
    } else if (r.exit_code != 0) {
        first_line(&r.err, line, sizeof line);
        if (strstr(line, "NotFound") || strstr(line, "not found")) {
            k8tls_err_set(e, NULL, 0, 0, _("%s: not found (is this the cluster's context and "
                                           "namespace?)"), origin);
            rc = -1;
        } else {
            k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl failed: %s"), origin,
                          *line ? line : _("no message"));
        }
    } else if (r.out_truncated || r.out.oom) {
        k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl's output is too large"), origin);
    } else {
        rc = k8tls_rsecret_parse(origin, r.out.p ? r.out.p : "", r.out.len, out, e) < 0 ? -1 : 0;
        if (rc == 0 && strcmp(out->name, name) != 0) {
            k8tls_err_set(e, NULL, 0, 0, _("%s: kubectl answered with the Secret %s"), origin,
                          out->name);
            k8tls_rsecret_clear(out);
            rc = -1;
        }
    }
    k8tls_proc_free(&r);
    return rc;
}

/* ---- rotation.yaml ------------------------------------------------------------------------ */

int k8tls_rotation_file_read(const char *dir, struct k8tls_rotation_file *out, struct k8tls_err *e)
{
    memset(out, 0, sizeof *out);
    char *path = k8tls_path_join(dir, "rotation.yaml");
    char *buf = NULL;
    size_t len = 0;
    struct stat st;
    if (!path) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("out of memory"));
        return -1;
    }
    if (stat(path, &st) != 0 && errno == ENOENT) {
        free(path);
        return 0;
    }
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, e) < 0) {
        free(path);
        return -1;
    }
    yaml_document_t doc;
    if (k8tls_yaml_load(path, buf, len, &doc, e) < 0) {
        free(buf);
        free(path);
        return -1;
    }
    int rc = -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    const char *kind = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, root, "kind"));
    const char *phase = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, root, "phase"));
    yaml_node_t *nca = k8tls_yaml_map_get(&doc, root, "newCA");
    const char *sha = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, nca, "sha256"));
    const char *key = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, nca, "key"));
    if (!root || root->type != YAML_MAPPING_NODE || !kind || strcmp(kind, "Rotation") != 0) {
        at(e, path, root, "%s", _("not a rotation record (expected kind: Rotation)"));
        goto done;
    }
    int ph = phase ? k8tls_rotate_phase_parse(phase) : -1;
    if (ph <= 0) {
        at(e, path, k8tls_yaml_map_get(&doc, root, "phase"),
           _("phase: expected renew, trust, reissue or retire, not %s"), phase ? phase : "?");
        goto done;
    }
    out->phase = (enum k8tls_rotate_phase)ph;
    if (sha) {
        if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
            at(e, path, k8tls_yaml_map_get(&doc, nca, "sha256"), "%s",
               _("newCA.sha256: expected 64 lowercase hex digits"));
            goto done;
        }
        memcpy(out->new_ca_sha256, sha, 65);
    }
    if (key) {
        if (key[0] == '/' || strstr(key, "..") || strlen(key) >= sizeof out->new_ca_key) {
            at(e, path, k8tls_yaml_map_get(&doc, nca, "key"), "%s",
               _("newCA.key: expected a path inside the directory"));
            goto done;
        }
        snprintf(out->new_ca_key, sizeof out->new_ca_key, "%s", key);
    }
    const char *cl = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, root, "cluster"));
    const char *ns = k8tls_yaml_scalar(k8tls_yaml_map_get(&doc, root, "namespace"));
    if (cl && strlen(cl) < sizeof out->cluster)
        snprintf(out->cluster, sizeof out->cluster, "%s", cl);
    if (ns && strlen(ns) < sizeof out->namespace_)
        snprintf(out->namespace_, sizeof out->namespace_, "%s", ns);
    rc = 1;
done:
    yaml_document_delete(&doc);
    free(buf);
    free(path);
    return rc;
}
