/* Offline validation of a manifest against a CustomResourceDefinition's openAPIV3Schema (rule
 * K14): the subset of OpenAPI the K8ssandraCluster CRD uses (type, properties,
 * additionalProperties, required, enum, items, pattern, anyOf, x-kubernetes-int-or-string,
 * x-kubernetes-preserve-unknown-fields, minimum/maximum, minLength/maxLength, minItems/maxItems).
 * YAML through libyaml only. Implemented in src/core/crdcheck.c; calls yamlutil.c and err.c.
 *
 * Findings are k8tls_diags naming the file, line, column and the field path
 * ("spec.cassandra.datacenters[0].size"): errors for what the schema refuses (what the API server
 * would refuse), warnings for unknown fields (the API server drops them, or refuses them under
 * strict field validation). */
#ifndef K8TLS_CRDCHECK_H
#define K8TLS_CRDCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>
#include "k8tls/err.h"

struct k8tls_crd;

/* The file name of the shipped CRD, and where it is looked for when no --crd is given:
 * $K8TLS_CRD_DIR, then crd/ next to a binary that is not installed (datadir.h), then
 * PKGDATADIR/crd. Writes the path of the first existing file to out; false when none exists. */
#define K8TLS_CRD_FILE "k8ssandraclusters.crd.yaml"
bool k8tls_crd_default_path(char *out, size_t n);

/* Loads a CRD file (YAML, bounded). The schema used is the one of the version marked
 * `storage: true` (else the first). Returns 0, or -1 with e naming the file. */
int k8tls_crd_load(const char *path, struct k8tls_crd **out, struct k8tls_err *e);
void k8tls_crd_free(struct k8tls_crd *c);
/* The CRD's kind (spec.names.kind), e.g. "K8ssandraCluster"; "" when absent. */
const char *k8tls_crd_kind(const struct k8tls_crd *c);

/* Validates the object obj of doc (a whole K8ssandraCluster document) against the schema. file
 * names the input in the diags. Returns the number of errors added to d. */
size_t k8tls_crd_check(struct k8tls_crd *c, yaml_document_t *doc, yaml_node_t *obj,
                       const char *file, struct k8tls_diags *d);

/* For merge mode: checks the input manifest's K8ssandraCluster document against the shipped CRD
 * and adds every finding to d as a warning ("the input manifest is already invalid: ...").
 * Does nothing when no CRD is found. */
void k8tls_crd_warn_input(yaml_document_t *doc, const char *file, struct k8tls_diags *d);

#endif
