/* A thin layer over libyaml's document API (yaml_document_t) used by the bundle work: building
 * manifests and Secrets, editing a loaded K8ssandraCluster in place (order, styles and values of
 * untouched nodes kept: set, replace, remove keys), emitting several documents through libyaml
 * with the emitter's buffers wiped (Secrets). Private to src/core. It complements
 * k8tls/yamlutil.h (reading, bounded file input, the project's quoting rule, which it uses).
 *
 * Every builder returns a node id (> 0) or 0 after an allocation failure; the failure is sticky in
 * y->oom so that a chain of calls is checked once at the end. */
#ifndef K8TLS_YDOC_H
#define K8TLS_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct ydoc {
    yaml_document_t doc;
    bool oom;
};

/* An empty document (implicit start and end markers). Returns 0 or -1. */
int ydoc_init(struct ydoc *y);
/* Frees a document that was not emitted (ydoc_emit consumes its documents). */
void ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_node(struct ydoc *y, int id);
int ydoc_root(struct ydoc *y);                       /* 0 when the document is empty */

/* Scalars. ydoc_str quotes (double) a string whose plain form a YAML 1.1 or 1.2 reader would take
 * for something else (k8tls_yaml_needs_quotes: true, no, null, 1.0, "", ...); ydoc_str_quoted
 * always quotes. */
int ydoc_str(struct ydoc *y, const char *s);
int ydoc_str_quoted(struct ydoc *y, const char *s);
int ydoc_bool(struct ydoc *y, bool v);
int ydoc_int(struct ydoc *y, long v);
int ydoc_map(struct ydoc *y);
int ydoc_seq(struct ydoc *y);
/* Would the plain scalar s be read as something other than a string? */
bool ydoc_plain_is_ambiguous(const char *s);

/* Appends key: value (no check for an existing key). Returns value or 0. */
int ydoc_map_add(struct ydoc *y, int map, const char *key, int value);
int ydoc_seq_add(struct ydoc *y, int seq, int item);

/* Lookups on a mapping node: the value's id, or 0 when absent (or map is not a mapping). The key
 * must be a plain string scalar equal to key. */
int ydoc_map_get(struct ydoc *y, int map, const char *key);
/* Replaces the value of key, or appends key: value when absent. Returns value or 0. */
int ydoc_map_set(struct ydoc *y, int map, const char *key, int value);
/* Removes key (every occurrence). Returns true when something was removed. */
bool ydoc_map_remove(struct ydoc *y, int map, const char *key);
/* The mapping under key, created (appended) when absent. Returns 0 when the key holds something
 * that is not a mapping (*bad set to its id) or on OOM. */
int ydoc_map_ensure(struct ydoc *y, int map, const char *key, int *bad);
size_t ydoc_map_len(struct ydoc *y, int map);

/* The value of a scalar node, or NULL when id is not a scalar. */
const char *ydoc_scalar(struct ydoc *y, int id);
bool ydoc_is_map(struct ydoc *y, int id);
bool ydoc_is_seq(struct ydoc *y, int id);
/* Scalar equality by text and meaning (a quoted "true" is not the boolean true; "abc" is abc),
 * mappings by keys (any order), sequences by position. Bounded depth. */
bool ydoc_equal(struct ydoc *y, int a, int b);
/* Forces a scalar node's style (e.g. serverVersion double-quoted). */
void ydoc_set_style(struct ydoc *y, int id, yaml_scalar_style_t style);

/* Emits the documents (in order) as one YAML stream into a malloc'd NUL-terminated buffer.
 * The documents are consumed (deleted) whatever the outcome. Intermediate buffers are wiped.
 * Returns 0 or -1 (*err set to a static reason). */
int ydoc_emit(struct ydoc *docs, size_t n, char **out, size_t *len, const char **err);

#endif
