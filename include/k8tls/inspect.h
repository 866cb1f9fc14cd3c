/* Inspect (`k8tls-wizard inspect`): reports on keystores and truststores (PKCS#12, JKS), PEM
 * certificates and keys, Kubernetes Secret YAML files and output directories (the layout of
 * bundle.h): entries, subjects, SANs, keys, expiry, and the checks between files (a key matches
 * its certificate, a keystore's chain reaches its truststore, a certificate is signed by the CA
 * beside it). The report is a model, not text, so that the CLI, the TUI and rotation share it;
 * the faces print it (src/cli/inspect.c). It holds no secret: passwords and keys are only
 * described. Implemented by src/core/inspect*.c (see src/core/inspect_int.h). */
#ifndef K8TLS_INSPECT_H
#define K8TLS_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/err.h"

enum k8tls_inspect_kind {
    K8TLS_INSPECT_KEY_ENTRY,      /* a store's private-key entry (key + certificate chain) */
    K8TLS_INSPECT_TRUSTED_CERT,   /* a store's trusted-certificate entry */
    K8TLS_INSPECT_CERT,           /* a certificate of a PEM or DER file */
    K8TLS_INSPECT_KEY,            /* a private key of a PEM file (described, never shown) */
    K8TLS_INSPECT_CHAIN_CERT,     /* a PKCS#12 certificate bag that copies a certificate of a
                                   * private-key entry's chain: part of that chain, not trusted */
};

struct k8tls_inspect_entry {
    enum k8tls_inspect_kind kind;
    char *alias;              /* store entries: the alias; NULL otherwise */
    int index;                /* 1-based position in its file */
    char *subject, *issuer;   /* RFC 2253; NULL for a bare key */
    bool self_signed, is_ca;
    char **sans;              /* NULL-terminated "DNS:x", "IP:y"; NULL for a bare key */
    char **ekus;              /* extended key usages ("server auth", ...); NULL when none */
    char *key;                /* "RSA 3072", "EC P-256" (the key, or the certificate's public key);
                               * "encrypted" for a key that could not be opened */
    char *not_before, *not_after;   /* "2036-05-01 12:00:00 UTC"; NULL for a bare key */
    long days_left;           /* until not_after; negative when expired */
    int chain_len;            /* key entries: certificates after the leaf */
    char *chain_of;           /* chain certificates: the alias of their private-key entry */
    struct k8tls_diags notes; /* errors and warnings; notes are checks that passed ("ok: ...") */
};

struct k8tls_inspect_item {
    char *name;               /* the file, or "FILE: Secret NAME: KEY" */
    char *what;               /* translated: "PKCS#12 store", "JKS store", "PEM file", ... */
    struct k8tls_inspect_entry *v;
    size_t n;
    struct k8tls_diags notes; /* about the item as a whole (unreadable, wrong password, ...) */
};

struct k8tls_inspect_report {
    struct k8tls_inspect_item *v;
    size_t n;
};

struct k8tls_inspect_opts {
    /* The password of stores that have no sibling "<store>-password" (file, or key of the same
     * Secret); also tried on encrypted PEM keys. NULL: none. */
    const char *password;
};

/* A named piece of data, e.g. one key of a Secret about to be written (TUI, rotation). */
struct k8tls_inspect_blob {
    const char *name;         /* "keystore", "keystore-password", "client.key", ... */
    const unsigned char *data;
    size_t len;
};

void k8tls_inspect_init(struct k8tls_inspect_report *r);
void k8tls_inspect_free(struct k8tls_inspect_report *r);

/* Inspects a path: a store, a PEM or DER file, a Secret YAML file (one or more documents, or a
 * List), or a directory (an output directory of bundle.h's layout, else every file in it). Files
 * beside a file are used for its checks (passwords, truststore, the key's certificate, the CA).
 * Problems become notes of the report (an unreadable path is an item with an error). */
void k8tls_inspect_path(struct k8tls_inspect_report *r, const char *path,
                        const struct k8tls_inspect_opts *o);
/* Inspects blobs that belong together (like a Secret's data); 'where' prefixes their names in the
 * report ("Secret server-encryption-stores"). "-password" blobs serve as passwords only. */
void k8tls_inspect_blobs(struct k8tls_inspect_report *r, const char *where,
                         const struct k8tls_inspect_blob *v, size_t n,
                         const struct k8tls_inspect_opts *o);

/* Number of errors (or warnings) in the whole report. Errors: unreadable input, wrong password,
 * expired certificate, key not matching its certificate, chain not reaching its truststore/CA. */
size_t k8tls_inspect_count(const struct k8tls_inspect_report *r, enum k8tls_severity sev);

#endif
