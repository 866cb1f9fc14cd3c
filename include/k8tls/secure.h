/* Secret buffers and passwords (X1, K11). */
#ifndef K8TLS_SECURE_H
#define K8TLS_SECURE_H

#include <stddef.h>
#include "k8tls/err.h"

/* A heap buffer for secret bytes; k8tls_secret_free wipes it with OPENSSL_cleanse. */
struct k8tls_secret {
    unsigned char *data;
    size_t len;
};

struct k8tls_secret *k8tls_secret_new(const void *data, size_t len);
struct k8tls_secret *k8tls_secret_dup_str(const char *s);
/* Overwrites the bytes with zeros (OPENSSL_cleanse), keeping the allocation. */
void k8tls_secret_wipe(struct k8tls_secret *s);
/* Wipes, then frees. */
void k8tls_secret_free(struct k8tls_secret *s);
/* Overwrites a string's bytes with zeros (its length is lost). */
void k8tls_secure_wipe_str(char *s);
/* Wipes then frees a NUL-terminated string (NULL ok). */
void k8tls_secure_free_str(char *s);

#define K8TLS_PASSWORD_LEN 24
/* The K11 alphabet for generated passwords. */
#define K8TLS_PASSWORD_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+=:,/-"

/* Generates a password of len (>= 12) characters from the K11 alphabet with OpenSSL's CSPRNG
 * (unbiased). Returns a NUL-terminated heap string to free with k8tls_secure_free_str, or NULL. */
char *k8tls_password_generate(size_t len);

/* K11 check of a user-supplied password: NULL if fine, else a translated reason. */
const char *k8tls_password_problem(const char *pw);

/* Resolves a password reference: "env:NAME" (the variable's value), "file:PATH" (the file's
 * content, one trailing newline stripped), or a literal. Returns a heap string (free with
 * k8tls_secure_free_str) or NULL with e filled. base_dir (may be NULL) resolves relative paths. */
char *k8tls_password_resolve(const char *ref, const char *base_dir, struct k8tls_err *e);

/* Password variables are not inherited by the programs we start (kubectl and its exec credential
 * plugins): k8tls_password_resolve records the NAME of every "env:NAME" it reads, and
 * k8tls_secure_child_env returns a copy of environ without them, for posix_spawn: a
 * NULL-terminated array whose strings point into environ (free only the array, with free()),
 * NULL on OOM. k8tls_secure_note_password_env records one more name. Thread-safe. */
char **k8tls_secure_child_env(void);
void k8tls_secure_note_password_env(const char *name);

/* Process hardening, first thing in main: no core dump (RLIMIT_CORE 0, soft and hard) and not
 * dumpable (PR_SET_DUMPABLE 0: no core even through a core_pattern pipe, no ptrace attach by
 * other processes of the same user, /proc/PID files owned by root), since a core of this process
 * would hold typed passwords and private keys. Returns 0, or -1 when a call failed (errno set);
 * the program goes on either way. */
int k8tls_secure_harden_process(void);

#endif
