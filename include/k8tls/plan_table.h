/* The plan's schema as one table: one row per answers key (its name, type, where it lives in
 * struct k8tls_plan, default, allowed values, bounds, basic check, help text and TUI label).
 * Generic code walks it: the defaults, free, dup and compare (plan.c), the answers loader and
 * writer (answers.c), the basic validation (plan_validate.c: type, enum, bounds, DNS-1123) and
 * the text accessors below for the TUI. Rules that tie several keys together stay hand-written in
 * plan_validate.c; the few loader special cases are named by a row's hook and written in
 * answers.c.
 *
 * A table is an array of rows ended by a row with a NULL name. A row's offset is relative to the
 * "base" its table is applied to: the plan itself for the plan's unnamed sections (cluster,
 * encryption, ...), or the named struct a group or list row points to (a store set, a key spec,
 * a datacenter, ...). A group row applies its sub-table at base + offset (offset 0 for a plain
 * nesting of keys in the same struct). */
#ifndef K8TLS_PLAN_TABLE_H
#define K8TLS_PLAN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include "k8tls/plan.h"

enum k8tls_ktype {
    K8TLS_KT_STR,       /* char * (NULL and "" both mean empty) */
    K8TLS_KT_BOOL,      /* bool */
    K8TLS_KT_INT,       /* int */
    K8TLS_KT_ENUM,      /* an enum stored as int: names[value] is its name in the file */
    K8TLS_KT_STR_ENUM,  /* char * restricted to names */
    K8TLS_KT_PASSWORD,  /* struct k8tls_password: a literal, env:NAME or file:PATH */
    K8TLS_KT_GROUP,     /* a mapping: sub applied at base + off */
    K8TLS_KT_LIST,      /* a list of structs: pointer at off, size_t count at count_off, each
                         * element elem_size bytes described by sub */
    K8TLS_KT_STR_LIST,  /* a list of strings: char ** at off, size_t count at count_off */
    K8TLS_KT_CONST,     /* a fixed text (apiVersion): not stored, checked and written */
};

/* Basic checks of a value (plan_validate.c), each with its own message. */
enum k8tls_kcheck {
    K8TLS_CHECK_NONE,
    K8TLS_CHECK_LABEL,        /* a DNS-1123 label, required */
    K8TLS_CHECK_SUBDOMAIN,    /* a DNS-1123 subdomain, required (optional with K8TLS_KF_EMPTY_OK) */
    K8TLS_CHECK_SECRET_KEY,   /* a Secret data key */
    K8TLS_CHECK_QUANTITY,     /* a Kubernetes quantity (5Gi) */
    K8TLS_CHECK_COUNTRY,      /* two letters (or empty) */
    K8TLS_CHECK_HOST,         /* each string of a list: a DNS name or an IP address */
    K8TLS_CHECK_MIN,          /* int >= min: bad is "...%d" (the value) */
    K8TLS_CHECK_RANGE,        /* min <= int <= max: bad is "...%d...%d" (max, the value) */
    K8TLS_CHECK_RSA_BITS,     /* 2048, 3072 or 4096: bad is "...%d" (the value) */
};

/* Loader special cases (answers.c), too small for a row type of their own. */
enum k8tls_khook {
    K8TLS_HOOK_NONE,
    K8TLS_HOOK_MEDUSA_DEFAULT, /* the encryption section: encryption.medusa.enabled follows
                                * encryption.client.enabled unless it is given */
    K8TLS_HOOK_KEY_SPEC,       /* a key spec: size is for rsa, curve for ecdsa */
    K8TLS_HOOK_LEAF_KEY,       /* certificates.key: unset by default; null = unset; given, it
                                * starts from the CA's key */
    K8TLS_HOOK_DATACENTERS,    /* the datacenter list: one "dc1" by default; each item needs a
                                * mapping with a name */
};

enum k8tls_kflags {
    K8TLS_KF_FLOW = 1,        /* written in flow style ({...} / [...]) */
    K8TLS_KF_QUOTED = 2,      /* a string written double-quoted (serverVersion, K10) */
    K8TLS_KF_HIDDEN = 4,      /* not in the answers file (compared, copied, defaulted only) */
    K8TLS_KF_ALIAS = 8,       /* a second key for a field that an earlier row already holds:
                               * loaded and written, not defaulted, freed, copied or compared */
    K8TLS_KF_EMPTY_OK = 16,   /* the check accepts an empty value */
    K8TLS_KF_PARAM_DFLT = 32, /* the default is the parent group row's dflt_str */
    K8TLS_KF_PARAM_ALLOWED = 64, /* the allowed names are the parent group row's allowed */
    K8TLS_KF_TEMPLATE = 128,  /* help is also written under its section's comment (the template) */
    K8TLS_KF_ELEM_FLOW = 256, /* list: each element written in flow style */
    K8TLS_KF_PATH = 512,      /* STR: a file path, written absolute with K8TLS_EMIT_ABSOLUTE_PATHS */
};

struct k8tls_key {
    const char *name;               /* the key in its mapping; NULL ends a table */
    enum k8tls_ktype type;
    size_t off;                     /* in the base the table is applied to */
    unsigned flags;                 /* enum k8tls_kflags */
    const char *dflt_str;           /* STR, STR_ENUM, CONST; group: parameter (PARAM_DFLT) */
    int dflt_int;                   /* BOOL, INT, ENUM */
    const char *const *names;       /* ENUM: every name, indexed by value; STR_ENUM: allowed */
    const char *const *allowed;     /* ENUM: the names accepted in the file (NULL: names) */
    enum k8tls_kcheck check;
    int min, max;                   /* CHECK_MIN, CHECK_RANGE */
    size_t maxlen;                  /* STR: certificate text of at most this many bytes, without
                                     * control characters (0: no bound, any text) */
    const char *need;               /* N_(): message when a required STR is empty */
    const char *bad;                /* N_(): message of a failed int check (see enum kcheck) */
    const struct k8tls_key *sub;    /* GROUP, LIST */
    size_t count_off, elem_size;    /* LIST, STR_LIST */
    size_t max_items;               /* LIST, STR_LIST: more is an error */
    const char *msg_list;           /* N_("expected a list of ..., found %s") */
    const char *msg_many;           /* N_("expected at most N ...") */
    const char *msg_item;           /* STR_LIST: N_("expected ..., found %s") */
    enum k8tls_khook hook;
    /* The field means something (compare, write, check): for the base the row is applied to. */
    bool (*applies)(const void *base);
    /* Written only when true (the import: sections, passwords at one of their two places). */
    bool (*shown)(const void *base);
    /* Checked only when true (validation: the key is used by this plan). */
    bool (*when)(const struct k8tls_plan *p);
    const char *help;               /* N_(): what the key is */
    const char *label;              /* N_(): its label in the TUI */
};

/* The root table: apiVersion and the sections, in the answers file's order. */
extern const struct k8tls_key k8tls_plan_table[];

/* A row applied to a given base, with its key path ("stores.client.secretName",
 * "cluster.datacenters[1].name"). */
struct k8tls_field {
    const struct k8tls_key *row;
    const struct k8tls_key *parent;   /* the group row it is under (for PARAM_*), or NULL */
    void *ptr;                        /* the field: base + row->off */
    char path[256];
};

/* Finds the row of a key path and, with p, where that field is in p. Indexes ("[1]") must exist
 * in p when given; without p they are accepted and ptr is NULL. Returns false when the path is
 * not a key of the schema. */
bool k8tls_plan_field(struct k8tls_plan *p, const char *path, struct k8tls_field *out);
/* The row of a key path (NULL if none): k8tls_plan_field without a plan. */
const struct k8tls_key *k8tls_plan_row(const char *path);

/* The value of a leaf field as text, as it would be written in the answers file (booleans true or
 * false, enums by name, passwords as their reference, lists as items joined by ", "). Heap string
 * or NULL (not a leaf, OOM). */
char *k8tls_plan_get_text(struct k8tls_plan *p, const char *path);
/* Sets a leaf field from text, as the loader would read it (true/false, a whole number, one of
 * the allowed names, a password reference; a list from items separated by commas). Returns 0, or
 * -1 with e saying what is expected. */
int k8tls_plan_set_text(struct k8tls_plan *p, const char *path, const char *text,
                        struct k8tls_err *e);

/* The allowed names of a row under parent (PARAM_ALLOWED), NULL-terminated. */
const char *const *k8tls_key_allowed(const struct k8tls_key *row, const struct k8tls_key *parent);
/* The default text of a STR/STR_ENUM row under parent (PARAM_DFLT). */
const char *k8tls_key_default(const struct k8tls_key *row, const struct k8tls_key *parent);

/* Generic walks used by plan.c (exposed for the loader and the tests). */
void k8tls_table_defaults(const struct k8tls_key *t, const struct k8tls_key *parent, void *base,
                          int *oom);
void k8tls_table_free(const struct k8tls_key *t, void *base);
void k8tls_table_dup(const struct k8tls_key *t, void *dst, const void *src, int *oom);
/* Resizes a LIST/STR_LIST field to n elements (defaulted), freeing the old ones. 0 or -1. */
int k8tls_list_resize(const struct k8tls_key *row, void *base, size_t n);

#endif
