/* The child-process runner of the core (proc.h): posix_spawnp without a shell, pipes served with
 * poll(), an overall deadline, the killing of a process tree found through /proc. Used for every
 * kubectl run (kube.c, rotate_read.c). Calls only buf.c and secure.c. */
#include "config.h"
#include "k8tls/proc.h"
#include "k8tls/secure.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>

#define DEADLINE_DEFAULT 300

int k8tls_proc_deadline(void)
{
    const char *t = getenv("K8TLS_TEST_KUBECTL_TIMEOUT");
    if (t && *t) {
        char *end = NULL;
        long v = strtol(t, &end, 10);
        if (end && *end == '\0' && v > 0 && v <= 86400)
            return (int)v;
    }
    return DEADLINE_DEFAULT;
}

void k8tls_proc_free(struct k8tls_proc *r)
{
    k8tls_buf_free(&r->out);
    k8tls_buf_free(&r->err);
}

/* A pipe whose both ends are >= 3 and close-on-exec (so dup2 onto 0/1/2 in the child always
 * creates a new descriptor, and no other child inherits them). */
static int make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        if (fds[i] < 3) {
            int nfd = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
            if (nfd < 0) {
                close(fds[0]);
                close(fds[1]);
                return -1;
            }
            close(fds[i]);
            fds[i] = nfd;
        }
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Reads what is there into b, keeping at most max bytes (the rest is dropped: *truncated). */
static void read_into(int *fd, struct k8tls_buf *b, size_t max, bool *truncated)
{
    char chunk[8192];
    for (;;) {
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n > 0) {
            size_t keep = (size_t)n;
            if (b->len + keep > max) {
                *truncated = true;
                keep = b->len < max ? max - b->len : 0;
            }
            if (keep)
                k8tls_buf_add(b, chunk, keep);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        close_fd(fd);   /* EOF or error */
        break;
    }
    OPENSSL_cleanse(chunk, sizeof chunk);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The parent of a process, from /proc/PID/stat, or -1. */
static pid_t parent_of(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    /* "PID (COMM) STATE PPID ...": COMM may hold ')' and spaces, the last ')' ends it */
    const char *close = strrchr(line, ')');
    int ppid = -1;
    char state;
    if (!close || sscanf(close + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

/* Stops the root so that it starts nothing more, finds its descendants through /proc, then
 * SIGKILLs them all. They share our process group (a Ctrl-C still reaches them all). */
void k8tls_proc_kill_tree(pid_t root)
{
    kill(root, SIGSTOP);
    pid_t tree[256];
    size_t n = 0;
    tree[n++] = root;
    DIR *d = opendir("/proc");
    if (d) {
        bool grew = true;
        for (int pass = 0; grew && pass < 16; pass++) {
            grew = false;
            rewinddir(d);
            struct dirent *de;
            while ((de = readdir(d)) != NULL && n < sizeof tree / sizeof tree[0]) {
                char *end = NULL;
                long pid = strtol(de->d_name, &end, 10);
                if (!end || *end || pid <= 0)
                    continue;
                bool have = false;
                for (size_t i = 0; i < n && !have; i++)
                    have = tree[i] == (pid_t)pid;
                if (have)
                    continue;
                pid_t pp = parent_of((pid_t)pid);
                for (size_t i = 0; i < n; i++) {
                    if (pp == tree[i]) {
                        kill((pid_t)pid, SIGSTOP);
                        tree[n++] = (pid_t)pid;
                        grew = true;
                        break;
                    }
                }
            }
        }
        closedir(d);
    }
    for (size_t i = n; i > 0; i--)
        kill(tree[i - 1], SIGKILL);
}

/* One run (k8tls_proc_run). gate >= 0: a held run (k8tls_proc_start_held): once in is
 * written, stdin stays open and the deadline does not count until a byte comes on gate: 'g'
 * closes stdin and starts the deadline, anything else (or the end of gate) kills the process
 * and what it started. */
static int run_proc(char *const argv[], const unsigned char *in, size_t in_len, size_t out_max,
                    size_t err_max, int gate, struct k8tls_proc *r)
{
    memset(r, 0, sizeof *r);
    if (gate >= 0 && !in) {
        in = (const unsigned char *)"";
        in_len = 0;
    }
    int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
    if ((in && make_pipe(pin) < 0) || make_pipe(pout) < 0 || make_pipe(perr) < 0) {
        r->spawn_err = errno;
        close_fd(&pin[0]); close_fd(&pin[1]);
        close_fd(&pout[0]); close_fd(&pout[1]);
        close_fd(&perr[0]); close_fd(&perr[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    if (in)
        posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    posix_spawnattr_init(&attr);
    sigset_t def, none;
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    /* SIGPIPE from writing to a child that exited early: blocked in this thread, consumed. */
    sigset_t pipe_set, old_mask;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    sigset_t pending;
    sigpending(&pending);
    bool pipe_was_pending = sigismember(&pending, SIGPIPE) == 1;

    pid_t pid;
    char **envp = k8tls_secure_child_env();
    int rc = envp ? posix_spawnp(&pid, argv[0], &fa, &attr, argv, envp) : ENOMEM;
    free(envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close_fd(&pin[0]);
    close_fd(&pout[1]);
    close_fd(&perr[1]);
    if (rc != 0) {
        r->spawn_err = rc;
        close_fd(&pin[1]);
        close_fd(&pout[0]);
        close_fd(&perr[0]);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return -1;
    }
    if (pin[1] >= 0)
        fcntl(pin[1], F_SETFL, O_NONBLOCK);
    fcntl(pout[0], F_SETFL, O_NONBLOCK);
    fcntl(perr[0], F_SETFL, O_NONBLOCK);
    size_t off = 0;
    bool held = gate >= 0, killed = false;
    if (in_len == 0 && !held)
        close_fd(&pin[1]);
    r->timeout = k8tls_proc_deadline();
    int64_t deadline = now_ms() + (int64_t)r->timeout * 1000;
    int st = 0;
    bool reaped = false;
    while (pin[1] >= 0 || pout[0] >= 0 || perr[0] >= 0) {
        int64_t left = held ? 1000 : deadline - now_ms();
        if (left <= 0) {
            r->timed_out = true;
            break;
        }
        /* the child gone while something it started still holds a pipe: stop there */
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) {
            reaped = true;
            if (pout[0] >= 0)
                read_into(&pout[0], &r->out, out_max, &r->out_truncated);
            if (perr[0] >= 0)
                read_into(&perr[0], &r->err, err_max, &r->err_truncated);
            break;
        }
        struct pollfd pf[4];
        int n = 0, iw = -1, io = -1, ie = -1, ig = -1;
        if (pin[1] >= 0 && off < in_len) {
            iw = n; pf[n].fd = pin[1]; pf[n].events = POLLOUT; n++;
        }
        if (pout[0] >= 0) { io = n; pf[n].fd = pout[0]; pf[n].events = POLLIN; n++; }
        if (perr[0] >= 0) { ie = n; pf[n].fd = perr[0]; pf[n].events = POLLIN; n++; }
        if (held) { ig = n; pf[n].fd = gate; pf[n].events = POLLIN; n++; }
        int k = poll(pf, (nfds_t)n, left > 1000 ? 1000 : (int)left);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ig >= 0 && pf[ig].revents) {
            char word = 0;
            ssize_t g = read(gate, &word, 1);
            if (g < 0 && errno == EINTR)
                continue;
            if (g == 1 && word == 'g') {
                /* released: the rest of the input, then the end of it; the deadline counts
                 * from here */
                held = false;
                deadline = now_ms() + (int64_t)r->timeout * 1000;
                if (off >= in_len)
                    close_fd(&pin[1]);
            } else {
                /* killed while its stdin is still open: it never sees the end of its input */
                k8tls_proc_kill_tree(pid);
                killed = true;
                break;
            }
        }
        if (iw >= 0 && pf[iw].revents) {
            ssize_t w = write(pin[1], in + off, in_len - off);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
                close_fd(&pin[1]);   /* EPIPE: the child is not reading any more */
            if (off >= in_len && !held)
                close_fd(&pin[1]);
        }
        if (io >= 0 && pf[io].revents)
            read_into(&pout[0], &r->out, out_max, &r->out_truncated);
        if (ie >= 0 && pf[ie].revents)
            read_into(&perr[0], &r->err, err_max, &r->err_truncated);
    }
    close_fd(&pin[1]);
    close_fd(&pout[0]);
    close_fd(&perr[0]);
    /* every pipe closed: the child is exiting, but the deadline holds until it has */
    while (!reaped && !r->timed_out && !killed) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) {
            reaped = w == pid;
            break;
        }
        if (now_ms() >= deadline) {
            r->timed_out = true;
            break;
        }
        struct timespec nap = { 0, 20 * 1000 * 1000 };
        nanosleep(&nap, NULL);
    }
    if ((r->timed_out || killed) && !reaped) {
        if (r->timed_out)
            k8tls_proc_kill_tree(pid);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    if (r->timed_out || killed) {
        r->exit_code = -1;
        r->signal = SIGKILL;
    } else if (WIFEXITED(st)) {
        r->exit_code = WEXITSTATUS(st);
    } else {
        r->exit_code = -1;
        r->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
    if (!pipe_was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            struct timespec zero = { 0, 0 };
            sigtimedwait(&pipe_set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (!r->out.p)
        k8tls_buf_add(&r->out, "", 0);
    if (!r->err.p)
        k8tls_buf_add(&r->err, "", 0);
    return 0;
}

int k8tls_proc_run(char *const argv[], const unsigned char *in, size_t in_len, size_t out_max,
                   size_t err_max, struct k8tls_proc *r)
{
    return run_proc(argv, in, in_len, out_max, err_max, -1, r);
}

/* ---- several runs at the same time -------------------------------------------------------- */

static void *run_job(void *arg)
{
    struct k8tls_proc_job *j = arg;
    j->rc = k8tls_proc_run(j->argv, j->in, j->in_len, j->out_max, j->err_max, &j->r);
    return NULL;
}

void k8tls_proc_run_all(struct k8tls_proc_job *jobs, size_t n)
{
    if (n == 0)
        return;
    pthread_t *th = calloc(n, sizeof *th);
    bool *started = calloc(n, sizeof *started);
    for (size_t i = 1; i < n && th && started; i++)
        started[i] = pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0;
    run_job(&jobs[0]);
    for (size_t i = 1; i < n; i++) {
        if (th && started && started[i])
            pthread_join(th[i], NULL);
        else
            run_job(&jobs[i]);
    }
    free(th);
    free(started);
}

/* ---- a run held at the end of its input ----------------------------------------------------- */

struct k8tls_proc_held {
    pthread_t th;
    int gate[2];
    struct k8tls_proc_job *job;
};

static void *run_held(void *arg)
{
    struct k8tls_proc_held *h = arg;
    struct k8tls_proc_job *j = h->job;
    j->rc = run_proc(j->argv, j->in, j->in_len, j->out_max, j->err_max, h->gate[0], &j->r);
    return NULL;
}

struct k8tls_proc_held *k8tls_proc_start_held(struct k8tls_proc_job *job)
{
    struct k8tls_proc_held *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->job = job;
    if (make_pipe(h->gate) < 0) {
        free(h);
        return NULL;
    }
    if (pthread_create(&h->th, NULL, run_held, h) != 0) {
        close_fd(&h->gate[0]);
        close_fd(&h->gate[1]);
        free(h);
        return NULL;
    }
    return h;
}

void k8tls_proc_release(struct k8tls_proc_held *h, bool go)
{
    if (!h)
        return;
    const char word = go ? 'g' : 'k';
    while (write(h->gate[1], &word, 1) < 0 && errno == EINTR)
        ;
    pthread_join(h->th, NULL);
    close_fd(&h->gate[0]);
    close_fd(&h->gate[1]);
    free(h);
}
