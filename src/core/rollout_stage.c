/* Where a K8ssandraCluster stands in a staged rollout (rollout.h): its cassandraYaml encryption
 * values, its phase annotation and its datacenter count, read from YAML text (a manifest file,
 * a phase's manifest, or `kubectl get k8ssandracluster -o yaml`). The text is hostile input:
 * bounded size and depth, never crashes. */
#include "config.h"
#include "k8tls/rollout.h"
#include "k8tls/yamlutil.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAGE_MAX_DOCS 256

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    return map && map->type == YAML_MAPPING_NODE ? k8tls_yaml_map_get(d, map, key) : NULL;
}

/* A boolean as Cassandra's YAML reader takes it: plain or quoted true/false (the operator's
 * strict check of `enabled` is section 2's: only the boolean counts there). -1 when absent. */
static int tri_bool(yaml_node_t *n, bool strict)
{
    bool b;
    if (!n)
        return -1;
    if (k8tls_yaml_get_bool(n, &b) == 0)
        return b;
    const char *s = k8tls_yaml_scalar(n);
    if (!strict && s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
        return strcmp(s, "true") == 0;
    return -1;
}

static void read_cluster(yaml_document_t *d, yaml_node_t *root, struct k8tls_rollout_stage *st)
{
    yaml_node_t *md = get(d, root, "metadata");
    yaml_node_t *ann = get(d, md, "annotations");
    const char *ph = k8tls_yaml_scalar(get(d, ann, K8TLS_ROLLOUT_ANNOTATION));
    if (ph) {
        int v = k8tls_rollout_phase_parse(ph);
        if (v >= 0) {
            st->has_phase = true;
            st->phase = (enum k8tls_rollout_phase)v;
        } else {
            snprintf(st->bad_phase, sizeof st->bad_phase, "%s", *ph ? ph : "\"\"");
        }
    }
    yaml_node_t *cas = get(d, get(d, root, "spec"), "cassandra");
    yaml_node_t *dcs = get(d, cas, "datacenters");
    st->n_dcs = dcs && dcs->type == YAML_SEQUENCE_NODE ? k8tls_yaml_seq_len(dcs) : 0;
    yaml_node_t *cy = get(d, get(d, cas, "config"), "cassandraYaml");
    yaml_node_t *so = get(d, cy, "server_encryption_options");
    yaml_node_t *co = get(d, cy, "client_encryption_options");
    int mode = k8tls_internode_mode_parse(k8tls_yaml_scalar(get(d, so, "internode_encryption")));
    st->values.internode = mode > 0 ? (enum k8tls_internode_mode)mode : K8TLS_INTERNODE_NONE;
    st->values.internode_optional = tri_bool(get(d, so, "optional"), false);
    st->values.client_enabled = tri_bool(get(d, co, "enabled"), true) == 1;
    st->values.client_optional = tri_bool(get(d, co, "optional"), false) == 1;
    st->encrypted = st->values.internode != K8TLS_INTERNODE_NONE || st->values.client_enabled;
}

int k8tls_rollout_stage_parse(const char *origin, const char *buf, size_t len,
                              struct k8tls_rollout_stage *st, struct k8tls_err *e)
{
    memset(st, 0, sizeof *st);
    st->values.internode_optional = -1;
    if (k8tls_yaml_check_depth(origin, buf, len, K8TLS_YAML_MAX_DEPTH, e) < 0)
        return -1;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    int found = 0, rc = -1;
    for (int i = 0; i < STAGE_MAX_DOCS; i++) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            k8tls_err_set(e, origin, (int)parser.problem_mark.line + 1,
                          (int)parser.problem_mark.column + 1, _("not valid YAML: %s"),
                          parser.problem ? parser.problem : _("syntax error"));
            goto out;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        const char *kind = k8tls_yaml_scalar(get(&doc, root, "kind"));
        if (kind && strcmp(kind, "K8ssandraCluster") == 0 && found++ == 0)
            read_cluster(&doc, root, st);
        yaml_document_delete(&doc);
    }
    if (found != 1) {
        if (found)
            k8tls_err_set(e, origin, 0, 0, _("%d K8ssandraCluster documents: expected exactly one"),
                          found);
        else
            k8tls_err_set(e, origin, 0, 0, "%s", _("no K8ssandraCluster in it"));
        goto out;
    }
    rc = 0;
out:
    yaml_parser_delete(&parser);
    return rc;
}

int k8tls_rollout_stage_read_file(const char *path, struct k8tls_rollout_stage *st,
                                  struct k8tls_err *e)
{
    char *buf = NULL;
    size_t len = 0;
    if (k8tls_yaml_read_file(path, K8TLS_YAML_MAX_INPUT, &buf, &len, e) < 0)
        return -1;
    int rc = k8tls_rollout_stage_parse(path, buf, len, st, e);
    free(buf);
    return rc;
}
