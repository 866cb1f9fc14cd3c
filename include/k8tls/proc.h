/* Running a child process (kubectl) for the core: argv looked up in PATH without a shell, stdin
 * from a buffer or /dev/null, stdout and stderr captured into wiping buffers, an overall deadline
 * after which the process and what it started are killed, and an environment without the
 * password variables. Implemented in src/core/proc.c, which calls only buf.c and secure.c. */
#ifndef K8TLS_PROC_H
#define K8TLS_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "k8tls/buf.h"

/* The outcome of one run. out and err always hold a string ("" when nothing was printed) unless
 * memory ran out (then their oom is set). */
struct k8tls_proc {
    int spawn_err;        /* errno of posix_spawnp (ENOENT: not in PATH), 0 when it started */
    int exit_code;        /* -1 when killed by a signal or at the deadline */
    int signal;           /* the signal that killed it (SIGKILL at the deadline) */
    bool timed_out;       /* killed at the deadline, with what it started */
    int timeout;          /* the deadline that applied, in seconds */
    struct k8tls_buf out, err;
    bool out_truncated, err_truncated;   /* more than the limit was printed (the rest dropped) */
};

/* Runs argv (argv[0] looked up in PATH) with in_len bytes of in on stdin (in NULL: /dev/null),
 * keeping at most out_max bytes of stdout and err_max of stderr. The environment is ours without
 * the password variables (k8tls_secure_child_env); the child gets default SIGPIPE, SIGINT and
 * SIGTERM and an empty signal mask. At the deadline (k8tls_proc_deadline) the process and its
 * children are killed (r->timed_out). A SIGPIPE from writing to a child that stopped reading is
 * consumed. Returns 0 when the process ran (see r->exit_code), -1 when it could not start
 * (r->spawn_err). Free r with k8tls_proc_free in both cases. */
int k8tls_proc_run(char *const argv[], const unsigned char *in, size_t in_len, size_t out_max,
                   size_t err_max, struct k8tls_proc *r);
void k8tls_proc_free(struct k8tls_proc *r);

/* One of several runs made at the same time (k8tls_proc_run_all): what k8tls_proc_run takes,
 * and its outcome (rc is what k8tls_proc_run returned; free r with k8tls_proc_free). */
struct k8tls_proc_job {
    char *const *argv;
    const unsigned char *in;
    size_t in_len, out_max, err_max;
    int rc;
    struct k8tls_proc r;
};

/* Runs the n jobs at the same time, each as k8tls_proc_run does (one thread each, the first on
 * the calling thread; a thread that cannot be started runs its job after the others), and
 * returns when all have ended. */
void k8tls_proc_run_all(struct k8tls_proc_job *jobs, size_t n);

/* A run started now whose stdin is held open once its input is written, until
 * k8tls_proc_release: the process starts and reads its input while other runs go on, and only
 * the end of its input lets it finish (kubectl apply reads all of its input before it applies
 * anything: a held kubectl does its start-up, discovery and validation, then waits). Its
 * deadline counts from the release. Returns NULL when it could not be started (out of memory,
 * no thread): then nothing runs and job is untouched. job must live until the release. */
struct k8tls_proc_held;
struct k8tls_proc_held *k8tls_proc_start_held(struct k8tls_proc_job *job);
/* go: ends its input and waits for it to end (job->rc and job->r as k8tls_proc_run sets them);
 * !go: kills it and what it started without ending its input (job->r: exit_code -1, signal
 * SIGKILL, unless it had already ended). Frees h; NULL does nothing. */
void k8tls_proc_release(struct k8tls_proc_held *h, bool go);

/* The overall deadline of one run in seconds: 300 (kubectl's --request-timeout bounds each
 * request, but not an exec credential plugin that never returns). Test seam:
 * K8TLS_TEST_KUBECTL_TIMEOUT=SECONDS (1 to 86400) sets another. */
int k8tls_proc_deadline(void);

/* Kills a process that passed its deadline and what it started (found through /proc): stops it
 * so that it starts nothing more, then SIGKILLs it and its descendants. */
void k8tls_proc_kill_tree(pid_t pid);

#endif
