/* Waiting for cert-manager (--wait-ready): reading the Certificates' Ready condition out of
 * `kubectl get certificates.cert-manager.io -o json` and parsing the timeout's duration. kube.c
 * runs the polls (through proc.c) and reports; this file only reads. Calls yamlutil.c (kubectl's
 * JSON is read as YAML) and nothing else of the kube module.
 *
 * What cert-manager sets (its Certificate CRD): status.conditions[] of type Ready (and Issuing),
 * each with status "True", "False" or "Unknown", a reason and a message; trust-manager sets a
 * Bundle's condition Synced the same way. An object not reconciled yet has no such condition. */
#include "config.h"
#include "kube_int.h"
#include "k8tls/yamlutil.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

int k8tls_kube_parse_duration(const char *s, int *seconds)
{
    if (!s || !*s)
        return -1;
    long total = 0;
    const char *p = s;
    bool units = false;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        long v = 0;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p - '0');
            if (v > 86400L * 100)
                return -1;
            p++;
        }
        long mult;
        switch (*p) {
        case 's': mult = 1; p++; units = true; break;
        case 'm': mult = 60; p++; units = true; break;
        case 'h': mult = 3600; p++; units = true; break;
        case '\0':
            /* a bare number: seconds, only alone ("300", not "1m30") */
            if (units)
                return -1;
            mult = 1;
            break;
        default:
            return -1;
        }
        total += v * mult;
        if (total > 86400)
            return -1;
    }
    if (total < 1)
        return -1;
    *seconds = (int)total;
    return 0;
}

/* The scalar text at map.key, or NULL. */
static const char *str_at(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    yaml_node_t *v = map ? k8tls_yaml_map_get(d, map, key) : NULL;
    return v ? k8tls_yaml_scalar(v) : NULL;
}

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

const char *k8tls_kube_wait_condition(const char *kind)
{
    return strcmp(kind, "Bundle") == 0 ? "Synced" : "Ready";
}

static bool ours(const struct k8tls_kube_waitable *w, const char *context, const char *ns,
                 const char *kind)
{
    return strcmp(w->context, context) == 0 && strcmp(w->ns, ns) == 0 &&
           strcmp(w->kind, kind) == 0;
}

int k8tls_kube_wait_read(const char *json, size_t len, const char *context, const char *ns,
                         const char *kind, struct k8tls_kube_waitable *w, size_t n)
{
    const char *want = k8tls_kube_wait_condition(kind);
    yaml_document_t doc;
    struct k8tls_err e;
    if (k8tls_yaml_load("kubectl get", json, len, &doc, &e) < 0)
        return -1;
    int rc = -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *items = root && root->type == YAML_MAPPING_NODE
                             ? k8tls_yaml_map_get(&doc, root, "items") : NULL;
    if (!items || items->type != YAML_SEQUENCE_NODE)
        goto out;
    /* what this listing covers: not seen again means deleted (or never applied) */
    for (size_t k = 0; k < n; k++)
        if (ours(&w[k], context, ns, kind))
            w[k].state = K8TLS_WAIT_MISSING;
    for (size_t i = 0; i < k8tls_yaml_seq_len(items); i++) {
        yaml_node_t *it = k8tls_yaml_seq_item(&doc, items, i);
        if (!it || it->type != YAML_MAPPING_NODE)
            continue;
        yaml_node_t *meta = k8tls_yaml_map_get(&doc, it, "metadata");
        const char *name = meta && meta->type == YAML_MAPPING_NODE ? str_at(&doc, meta, "name")
                                                                   : NULL;
        if (!name)
            continue;
        struct k8tls_kube_waitable *t = NULL;
        for (size_t k = 0; k < n && !t; k++)
            if (ours(&w[k], context, ns, kind) && strcmp(w[k].name, name) == 0)
                t = &w[k];
        if (!t)
            continue;   /* another object of that namespace: not ours to wait for */
        t->state = K8TLS_WAIT_NO_CONDITION;
        t->reason[0] = t->message[0] = '\0';
        yaml_node_t *st = k8tls_yaml_map_get(&doc, it, "status");
        yaml_node_t *conds = st && st->type == YAML_MAPPING_NODE
                                 ? k8tls_yaml_map_get(&doc, st, "conditions") : NULL;
        for (size_t c = 0; conds && conds->type == YAML_SEQUENCE_NODE &&
                           c < k8tls_yaml_seq_len(conds); c++) {
            yaml_node_t *cd = k8tls_yaml_seq_item(&doc, conds, c);
            if (!cd || cd->type != YAML_MAPPING_NODE)
                continue;
            const char *type = str_at(&doc, cd, "type");
            if (!type || strcmp(type, want) != 0)
                continue;
            const char *status = str_at(&doc, cd, "status");
            t->state = status && strcmp(status, "True") == 0 ? K8TLS_WAIT_READY
                                                             : K8TLS_WAIT_NOT_READY;
            copy_text(t->status, sizeof t->status, status);
            copy_text(t->reason, sizeof t->reason, str_at(&doc, cd, "reason"));
            copy_text(t->message, sizeof t->message, str_at(&doc, cd, "message"));
            break;
        }
    }
    rc = 0;
out:
    yaml_document_delete(&doc);
    return rc;
}
