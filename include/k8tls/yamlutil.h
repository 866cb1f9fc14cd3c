/* libyaml helpers for every YAML reader and writer of the project (answers file, manifests,
 * kubeconfig, Secrets). Reading goes through libyaml's document API (yaml_document_t), which keeps
 * the position of every node; writing builds a yaml_document_t and dumps it with the emitter.
 *
 * Reading, in short:
 *     yaml_document_t doc;
 *     if (k8tls_yaml_load(name, buf, len, &doc, &e) < 0) ... e holds "name:line:col: ..."
 *     yaml_node_t *root = yaml_document_get_root_node(&doc);   NULL for an empty stream
 *     yaml_node_t *v = k8tls_yaml_map_get(&doc, root, "spec");
 *     struct k8tls_pos at = k8tls_yaml_pos(v);                   1-based line and column
 *     yaml_document_delete(&doc);
 * Aliases are not expanded by libyaml's loader: an alias is the same node id as its anchor, so a
 * walker that follows a fixed schema stays bounded; a generic recursive walker must bound its
 * depth itself (K8TLS_YAML_MAX_DEPTH) because aliases can make a graph of shared nodes.
 *
 * Writing, in short:
 *     yaml_document_t doc;
 *     k8tls_yaml_doc_init(&doc);                 implicit "---" and "..."
 *     int root = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
 *     k8tls_yaml_map_str(&doc, root, "name", "test");           quoted when it must be
 *     k8tls_yaml_map_int(&doc, root, "size", 3);
 *     k8tls_yaml_dump(&doc, &buf, &len, &e);     consumes doc (deleted, even on failure)
 * Values are written with the default tags: a string that would read back as something else
 * (true, 3, null, "", 1.5, ...) is double-quoted, so any YAML reader gets a string back. */
#ifndef K8TLS_YAMLUTIL_H
#define K8TLS_YAMLUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>
#include "k8tls/err.h"

/* Input bounds (X5). */
#define K8TLS_YAML_MAX_INPUT (8u * 1024u * 1024u)
#define K8TLS_YAML_MAX_DEPTH 64

/* ---- reading --------------------------------------------------------------------------- */

/* Reads a whole file (or stdin when path is "-") into a malloc'd NUL-terminated buffer, refusing
 * more than max bytes, and anything but a regular file (k8tls_open_input; stdin may be a pipe). Returns 0 or -1 with e naming the file. */
int k8tls_yaml_read_file(const char *path, size_t max, char **buf, size_t *len,
                         struct k8tls_err *e);

/* Reads buf (a stream of any number of documents) event by event and stops at the first mapping
 * or list nested deeper than max_depth: -1 with e naming its line and column and the limit.
 * Returns 0 otherwise, also on a syntax error (the loader called next reports it). Linear in
 * the input up to the limit, which libyaml's loader is not in the depth; wipes what it read.
 * k8tls_yaml_load calls it with K8TLS_YAML_MAX_DEPTH; readers that call yaml_parser_load
 * themselves call it first. */
int k8tls_yaml_check_depth(const char *name, const char *buf, size_t len, int max_depth,
                           struct k8tls_err *e);

/* Parses buf as at most one YAML document into doc (free it with yaml_document_delete). An empty
 * stream gives a document without a root node. A syntax error, a second document, or nesting deeper than
 * K8TLS_YAML_MAX_DEPTH fills e with
 * name, line, column and libyaml's reason, and returns -1 (doc then needs no delete). */
int k8tls_yaml_load(const char *name, const char *buf, size_t len, yaml_document_t *doc,
                    struct k8tls_err *e);

/* The node's start position, 1-based ({0,0} for NULL). */
struct k8tls_pos k8tls_yaml_pos(const yaml_node_t *n);

/* The scalar's text (NUL-terminated; may hold NUL bytes before the end: see _len), or NULL when
 * n is not a scalar. */
const char *k8tls_yaml_scalar(const yaml_node_t *n);
size_t k8tls_yaml_scalar_len(const yaml_node_t *n);
/* True for a scalar written without quotes (plain style). */
bool k8tls_yaml_is_plain(const yaml_node_t *n);
/* True for NULL, or a plain scalar "", "~", "null", "Null", "NULL". */
bool k8tls_yaml_is_null(const yaml_node_t *n);
/* A plain true/false (also True, TRUE, False, FALSE). Returns 0, or -1 when not a boolean. */
int k8tls_yaml_get_bool(const yaml_node_t *n, bool *out);
/* A plain decimal integer that fits in a long ("-12", "+3", "42"). Returns 0 or -1. */
int k8tls_yaml_get_long(const yaml_node_t *n, long *out);
/* A short translated noun for messages: "a mapping", "a list", "a text value", "nothing". */
const char *k8tls_yaml_kind_name(const yaml_node_t *n);

/* The value of key in a mapping node (first match), or NULL (also when map is not a mapping). */
yaml_node_t *k8tls_yaml_map_get(yaml_document_t *d, const yaml_node_t *map, const char *key);
/* Number of items of a sequence node (0 when not a sequence) and the i-th item. */
size_t k8tls_yaml_seq_len(const yaml_node_t *seq);
yaml_node_t *k8tls_yaml_seq_item(yaml_document_t *d, const yaml_node_t *seq, size_t i);
/* Number of pairs of a mapping node and the i-th key and value. */
size_t k8tls_yaml_map_len(const yaml_node_t *map);
yaml_node_t *k8tls_yaml_map_key(yaml_document_t *d, const yaml_node_t *map, size_t i);
yaml_node_t *k8tls_yaml_map_value(yaml_document_t *d, const yaml_node_t *map, size_t i);

/* ---- writing --------------------------------------------------------------------------- */

/* Initialises an empty document with implicit start and end markers. Returns 0 or -1 (OOM). */
int k8tls_yaml_doc_init(yaml_document_t *d);

/* Does this text need quotes to read back as a string (empty, null, bool, number, leading or
 * trailing space, or anything libyaml would not write plain)? */
bool k8tls_yaml_needs_quotes(const char *s);

/* Add nodes; each returns the node id (> 0) or 0 on OOM. */
int k8tls_yaml_add_str(yaml_document_t *d, const char *s);      /* NULL writes "" */
int k8tls_yaml_add_int(yaml_document_t *d, long v);
int k8tls_yaml_add_bool(yaml_document_t *d, bool v);
int k8tls_yaml_add_map(yaml_document_t *d, bool flow);
int k8tls_yaml_add_seq(yaml_document_t *d, bool flow);
/* Append key: value to a mapping / an item to a sequence. Return 0 or -1. */
int k8tls_yaml_map_add(yaml_document_t *d, int map, const char *key, int value);
int k8tls_yaml_map_str(yaml_document_t *d, int map, const char *key, const char *v);
int k8tls_yaml_map_int(yaml_document_t *d, int map, const char *key, long v);
int k8tls_yaml_map_bool(yaml_document_t *d, int map, const char *key, bool v);
int k8tls_yaml_seq_add(yaml_document_t *d, int seq, int item);

/* Emits the document (UTF-8, 2-space indent, no line folding) into a malloc'd NUL-terminated
 * buffer (*len without the NUL). Consumes d: it is deleted whatever happens. Returns 0 or -1. */
int k8tls_yaml_dump(yaml_document_t *d, char **buf, size_t *len, struct k8tls_err *e);

#endif
