/* Errors and diagnostics shared by every core module. */
#ifndef K8TLS_ERR_H
#define K8TLS_ERR_H

#include <stddef.h>

/* A position in an input file; line/col are 1-based, 0 means unknown. */
struct k8tls_pos {
    int line;
    int col;
};

/* The outcome of a core operation. The core returns one of these, or 0/-1 with a k8tls_err whose
 * status says which failure it was; it never returns a process exit code and never prints on its
 * own. Only src/cli maps a status to an exit code (k8tls_cli_exit_code) and writes to stderr; the
 * TUI shows the message. */
enum k8tls_status {
    K8TLS_OK = 0,
    K8TLS_INVALID,      /* the input is wrong (validation, inspection problems) */
    K8TLS_REFUSED,      /* a safety refusal: nothing was done (occupied output, conflicts) */
    K8TLS_ENVIRONMENT,  /* the world failed: kubectl missing, API unreachable, disk, permissions */
    K8TLS_USAGE,        /* the call itself is wrong (options that do not go together) */
    K8TLS_NOMEM,        /* out of memory */
};

/* One error: a message plus an optional file:line:column. Filled by a failing call.
 * Functions return 0 on success and a negative value on failure. */
struct k8tls_err {
    char msg[1024];
    char file[512];
    int line;
    int col;
    enum k8tls_status status;   /* K8TLS_INVALID unless the failing call says otherwise */
};

void k8tls_err_clear(struct k8tls_err *e);
/* printf-style; never fails; truncates. Passing NULL for e is allowed (no-op). */
void k8tls_err_set(struct k8tls_err *e, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* k8tls_err_set with a status other than K8TLS_INVALID. */
void k8tls_err_set_status(struct k8tls_err *e, enum k8tls_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The status of a failed call's e (K8TLS_INVALID when it was never set). */
enum k8tls_status k8tls_err_status(const struct k8tls_err *e);
/* "file:line:col: msg" (parts omitted when unknown) into buf. */
const char *k8tls_err_format(const struct k8tls_err *e, char *buf, size_t len);
/* After a failed OpenSSL call: "what: REASON" with the reason of OpenSSL's first queued error, or
 * "what" alone when none is queued. Empties OpenSSL's error queue (also when e is NULL). */
void k8tls_err_set_openssl(struct k8tls_err *e, const char *what);

enum k8tls_severity { K8TLS_SEV_ERROR = 0, K8TLS_SEV_WARNING = 1, K8TLS_SEV_NOTE = 2 };

/* One problem found by a validation: file position, key path (e.g. "cluster.datacenters[1].name"),
 * what is expected. */
struct k8tls_diag {
    enum k8tls_severity sev;
    char *file;     /* may be NULL (defaults / TUI) */
    int line, col;  /* 0 = unknown */
    char *path;     /* dotted key path, may be NULL */
    char *msg;      /* translated message */
};

struct k8tls_diags {
    struct k8tls_diag *v;
    size_t n, cap;
};

void k8tls_diags_init(struct k8tls_diags *d);
void k8tls_diags_free(struct k8tls_diags *d);
void k8tls_diags_add(struct k8tls_diags *d, enum k8tls_severity sev, const char *file, int line,
                     int col, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Adds e as an error at the key path (may be NULL), with e's file:line:col when e names a file. */
void k8tls_diags_add_err(struct k8tls_diags *d, const char *path, const struct k8tls_err *e);
size_t k8tls_diags_count(const struct k8tls_diags *d, enum k8tls_severity sev);
/* Formats one diag as "FILE:LINE:COL: error: PATH: MSG" (parts omitted when unknown). */
const char *k8tls_diag_format(const struct k8tls_diag *g, char *buf, size_t len);
/* Prints every diag, one per line, to the stream (FILE *), control characters escaped (text.h). */
void k8tls_diags_print(const struct k8tls_diags *d, void *stream);

#endif
