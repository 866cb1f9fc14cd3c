/* What the inspect files of src/core share; include only from them. The files and the one-way
 * calls between them (an arrow: "calls"; nothing calls back up):
 *   inspect_walk.c    paths, directories, output directories, in-memory blobs (the public
 *                     k8tls_inspect_path and k8tls_inspect_blobs)
 *                     -> inspect_secret.c, inspect.c, inspect_group.c, inspect_report.c
 *   inspect_secret.c  Secret YAML files -> groups of decoded values  -> inspect_group.c
 *   inspect.c         report entries of stores and PEM files, checks between files
 *                     -> inspect_group.c, inspect_report.c
 *   inspect_group.c   groups of blobs (files, Secret values) read and parsed once
 *   inspect_report.c  the report model: items, entries, notes
 * Below them: the store readers (store.h), certcheck.c (store_int.h), yamlutil.h, err.h. */
#ifndef K8TLS_INSPECT_INT_H
#define K8TLS_INSPECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/x509.h>
#include "k8tls/inspect.h"
#include "k8tls/secure.h"
#include "k8tls/store.h"

/* ---- the report model (inspect_report.c) ------------------------------------------------ */

/* A note (error, warning, or "ok" for a check that passed) on an item or an entry. */
#define note(d, sev, ...) k8tls_diags_add((d), (sev), NULL, 0, 0, NULL, __VA_ARGS__)

/* Adds an item; returns its index, or -1 (out of memory). */
long insp_item_new(struct k8tls_inspect_report *r, const char *name, const char *what);
/* Adds an entry to it; NULL when out of memory. */
struct k8tls_inspect_entry *insp_entry_new(struct k8tls_inspect_item *it,
                                           enum k8tls_inspect_kind kind, const char *alias);
/* Replaces its kind ("PKCS#12 store (...)"). */
void insp_set_what(struct k8tls_inspect_item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- groups of blobs (inspect_group.c) -------------------------------------------------- */

#define INSP_GROUP_MAX_FILES 512

enum btype { BT_NONE, BT_STORE, BT_PEM, BT_DER_CERT, BT_TEXT, BT_OTHER };

/* A file, or a value of a Secret. */
struct blob {
    char *name;                  /* within its group */
    char *display;               /* in the report */
    struct k8tls_secret *data;   /* NULL when it could not be read */
    char *read_error;
    bool report;                 /* an item of the report; else only used by the checks */
    bool parsed;
    enum btype type;
    struct k8tls_store *store;
    char *store_error;
    bool fixed_password;         /* opened with Reaper's changeit (keystore.jks, truststore.jks) */
    STACK_OF(X509) *certs;
    EVP_PKEY *key;
    bool has_key_block, key_encrypted;
    char *key_error;
    long item;                   /* index in the report, or -1 */
};

/* Blobs that belong together (a directory, a Secret's data): passwords, keystore/truststore,
 * key/certificate and certificate/CA pairs are found in it by name. */
struct group {
    struct blob *v;
    size_t n;
    const char *dir;             /* siblings are loaded from here on demand (NULL: none) */
    const struct k8tls_inspect_opts *o;
    bool in_secret;
    bool yaml_strict;            /* lenient walk, but YAML files must hold Secrets (manifests/) */
};

void insp_group_free(struct group *g);
/* Takes data (may be NULL with read_error). NULL when the group is full or memory ran out.
 * Appending may move the array: pointers to earlier blobs are then stale (keep indexes). */
struct blob *insp_group_add(struct group *g, const char *name, const char *display,
                            struct k8tls_secret *data, const char *read_error, bool report);
/* A file of dir (NULL: name is a path) as a blob, read now. */
struct blob *insp_group_add_file(struct group *g, const char *dir, const char *name, bool report);
/* The blob called name: in the group, else a sibling file of g->dir loaded now. NULL when absent. */
struct blob *insp_group_find(struct group *g, const char *name);
/* Parses blob idx once: a store (opened with its password), PEM/DER certificates and keys, or
 * other text. */
void insp_blob_parse(struct group *g, size_t idx);
/* "x-password", "x_password", "password": a password, used by the checks, never shown. */
bool insp_is_password_name(const char *name);
bool insp_is_regular(const char *path);

/* ---- entries and checks (inspect.c) ----------------------------------------------------- */

/* The entries of a store, or of a PEM/DER file, into item it. */
void insp_store_entries(struct k8tls_inspect_item *it, const struct k8tls_store *s);
void insp_pem_entries(struct k8tls_inspect_item *it, struct blob *b);
/* Checks of blob idx against the other blobs of its group, as notes of its item: a keystore's
 * chains against the truststore beside it, a PEM key against its certificate, a certificate
 * against the CA file beside it. */
void insp_check_store_chain(struct k8tls_inspect_report *r, struct group *g, size_t idx);
void insp_check_pem_key(struct k8tls_inspect_report *r, struct group *g, size_t idx);
void insp_check_pem_ca(struct k8tls_inspect_report *r, struct group *g, size_t idx);
/* The Secrets of SPEC §10: tls.key of a ca.crt/tls.crt/tls.key trio must be PKCS#8 for the
 * management API (M1); a note says whether it is. */
void insp_check_tls_key(struct k8tls_inspect_report *r, struct group *g, size_t idx);
/* The certificates Java trusts in s (not owned: free the stack with sk_X509_free). */
/* A list of certificates (OpenSSL's stack), named once so that prototypes read as C. */
typedef STACK_OF(X509) insp_certs;
insp_certs *insp_trusted_of(const struct k8tls_store *s);

/* ---- Secret YAML files (inspect_secret.c) ----------------------------------------------- */

/* One Secret of a YAML file: its data as a group, and the problems found before the data could
 * be read ('data' not a mapping, no data, only passwords), each to become an item of its own. */
struct insp_secret {
    char *where;                 /* "FILE: Secret NAME", the name of those items */
    struct group g;
    struct k8tls_diags pre;
};

struct insp_secret_file {
    struct insp_secret *v;       /* in the order of the file */
    size_t n;
    int count;                   /* Secrets seen */
    char err[600];               /* the YAML error that stopped the reading, or "" */
    char first_kind[128];        /* the kind of the first document, "-" when it has none */
};

/* Reads the Secrets of a YAML file (one or more documents, or a List). With quiet_if_none, a
 * file too deep to read holds nothing. Never fails: problems are in f. */
void insp_secret_file_read(struct insp_secret_file *f, const char *display,
                           const unsigned char *data, size_t len,
                           const struct k8tls_inspect_opts *o, bool quiet_if_none);
void insp_secret_file_free(struct insp_secret_file *f);

#endif
