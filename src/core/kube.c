/* Apply the bundle to kube contexts through the real kubectl (issue 6, SPEC K9, X2).
 *
 * One kubectl process per object and context, so that we can say exactly which objects were
 * applied and which not:
 *     kubectl [--kubeconfig K] --context C apply --server-side --field-manager=k8tls-wizard
 *             [--force-conflicts] [--dry-run=server] -f -
 * with the object's YAML on stdin (never a secret on a command line). kubectl is started with
 * posix_spawnp (no shell); stdin, stdout and stderr are pipes served with poll().
 *
 * Order: every target context first gets a reachability check (kubectl get --raw /version), so
 * that an unreachable API or a missing kubectl is found before anything is applied; then, per
 * context, the Namespace (with --create-namespace) and the Secrets; then the K8ssandraCluster in
 * the control-plane context. The first failure stops the run; the report names the objects that
 * were applied and those that were not (a re-run is safe: server-side apply is idempotent). */
#include "config.h"
#include "k8tls/kube.h"
#include "k8tls/i18n.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"
#include "k8tls/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <yaml.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define FIELD_MANAGER "k8tls-wizard"
#define CAPTURE_MAX (4u * 1024u * 1024u)
#define MIN_KNOWN_SECRET 6

/* ---- growing buffers ---------------------------------------------------------------------- */

struct buf {
    char *p;
    size_t len, cap;
    bool secret;     /* wipe on free */
};

static bool buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p)
            return false;
        if (b->p) {
            memcpy(p, b->p, b->len);
            if (b->secret)
                OPENSSL_cleanse(b->p, b->cap);
            free(b->p);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

static bool buf_str(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

static void buf_free(struct buf *b)
{
    if (b->p && b->secret)
        OPENSSL_cleanse(b->p, b->cap);
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- running kubectl ---------------------------------------------------------------------- */

struct run {
    int spawn_err;        /* errno of posix_spawnp, 0 when started */
    int exit_code;        /* -1 when killed by a signal */
    int signal;
    bool timed_out;       /* killed at the deadline (with its children) */
    int timeout;          /* the deadline, in seconds */
    struct buf out, err;
};

static void run_free(struct run *r)
{
    buf_free(&r->out);
    buf_free(&r->err);
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

static void read_into(int *fd, struct buf *b)
{
    char chunk[8192];
    for (;;) {
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n > 0) {
            if (b->len < CAPTURE_MAX)
                buf_add(b, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close_fd(fd);   /* EOF or error */
        return;
    }
}

/* The overall deadline of one kubectl run, in seconds: kubectl's --request-timeout bounds each
 * request, but not an exec credential plugin that never returns. */
#define KUBECTL_DEADLINE_DEFAULT 300

int k8tls_kube_deadline(void)
{
    /* test seam (see kube.h): K8TLS_TEST_KUBECTL_TIMEOUT=SECONDS */
    const char *t = getenv("K8TLS_TEST_KUBECTL_TIMEOUT");
    if (t && *t) {
        char *end = NULL;
        long v = strtol(t, &end, 10);
        if (end && *end == '\0' && v > 0 && v <= 86400)
            return (int)v;
    }
    return KUBECTL_DEADLINE_DEFAULT;
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

/* Kills a hung kubectl and what it started (an exec credential plugin, its children): stops
 * kubectl so that it starts nothing more, finds its descendants through /proc, then SIGKILLs
 * them all. They share our process group (a Ctrl-C still reaches them all). */
void k8tls_kube_kill_tree(pid_t root)
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

/* Runs argv (argv[0] looked up in PATH) with `in` on stdin; captures stdout and stderr. The
 * environment is ours without the password variables (k8tls_secure_child_env). At the deadline
 * (k8tls_kube_deadline) the process and its children are killed (r->timed_out).
 * Returns 0 when the process ran (see r->exit_code), -1 when it could not start. */
static int run_process(char *const argv[], const unsigned char *in, size_t in_len, struct run *r)
{
    memset(r, 0, sizeof *r);
    int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
    if (make_pipe(pin) < 0 || make_pipe(pout) < 0 || make_pipe(perr) < 0) {
        r->spawn_err = errno;
        close_fd(&pin[0]); close_fd(&pin[1]);
        close_fd(&pout[0]); close_fd(&pout[1]);
        close_fd(&perr[0]); close_fd(&perr[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    posix_spawnattr_init(&attr);
    sigset_t def, none;
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    /* SIGPIPE from writing to a kubectl that exited early: blocked in this thread, consumed. */
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
    fcntl(pin[1], F_SETFL, O_NONBLOCK);
    fcntl(pout[0], F_SETFL, O_NONBLOCK);
    fcntl(perr[0], F_SETFL, O_NONBLOCK);
    size_t off = 0;
    if (in_len == 0)
        close_fd(&pin[1]);
    r->out.secret = r->err.secret = true;   /* kubectl may echo what it was given */
    r->timeout = k8tls_kube_deadline();
    const int64_t deadline = now_ms() + (int64_t)r->timeout * 1000;
    int st = 0;
    bool reaped = false;
    while (pin[1] >= 0 || pout[0] >= 0 || perr[0] >= 0) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            r->timed_out = true;
            break;
        }
        /* kubectl gone while something it started still holds a pipe: stop there */
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) {
            reaped = true;
            if (pout[0] >= 0)
                read_into(&pout[0], &r->out);
            if (perr[0] >= 0)
                read_into(&perr[0], &r->err);
            break;
        }
        struct pollfd pf[3];
        int n = 0, iw = -1, io = -1, ie = -1;
        if (pin[1] >= 0) { iw = n; pf[n].fd = pin[1]; pf[n].events = POLLOUT; n++; }
        if (pout[0] >= 0) { io = n; pf[n].fd = pout[0]; pf[n].events = POLLIN; n++; }
        if (perr[0] >= 0) { ie = n; pf[n].fd = perr[0]; pf[n].events = POLLIN; n++; }
        int k = poll(pf, (nfds_t)n, left > 1000 ? 1000 : (int)left);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (iw >= 0 && pf[iw].revents) {
            ssize_t w = write(pin[1], in + off, in_len - off);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
                close_fd(&pin[1]);   /* EPIPE: kubectl is not reading any more */
            if (off >= in_len)
                close_fd(&pin[1]);
        }
        if (io >= 0 && pf[io].revents)
            read_into(&pout[0], &r->out);
        if (ie >= 0 && pf[ie].revents)
            read_into(&perr[0], &r->err);
    }
    close_fd(&pin[1]);
    close_fd(&pout[0]);
    close_fd(&perr[0]);
    /* every pipe closed: kubectl is exiting, but the deadline holds until it has */
    while (!reaped && !r->timed_out) {
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
    if (r->timed_out) {
        k8tls_kube_kill_tree(pid);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    if (r->timed_out) {
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
        buf_add(&r->out, "", 0);
    if (!r->err.p)
        buf_add(&r->err, "", 0);
    return 0;
}

/* ---- the objects to apply ----------------------------------------------------------------- */

struct object {
    const char *kind, *name, *ns;    /* ns NULL for cluster-scoped */
    const unsigned char *data;
    size_t len;
};

struct step {
    const char *context;
    const struct object *obj;
    enum { ST_PENDING, ST_DONE, ST_FAILED } state;
    bool differs;     /* --diff */
};

/* The YAML of a v1 Namespace, written with libyaml's emitter. */
static int emit_namespace(const char *name, struct buf *out)
{
    yaml_document_t doc;
    yaml_emitter_t em;
    int ok = 0;
    if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1))
        return -1;
    int root = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    int meta = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
#define SC(s) yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)(s), -1, YAML_ANY_SCALAR_STYLE)
    if (root && meta &&
        yaml_document_append_mapping_pair(&doc, root, SC("apiVersion"), SC("v1")) &&
        yaml_document_append_mapping_pair(&doc, root, SC("kind"), SC("Namespace")) &&
        yaml_document_append_mapping_pair(&doc, root, SC("metadata"), meta) &&
        yaml_document_append_mapping_pair(&doc, meta, SC("name"), SC(name)))
        ok = 1;
#undef SC
    if (!ok) {
        yaml_document_delete(&doc);
        return -1;
    }
    if (!yaml_emitter_initialize(&em)) {
        yaml_document_delete(&doc);
        return -1;
    }
    unsigned char tmp[4096];
    size_t written = 0;
    yaml_emitter_set_output_string(&em, tmp, sizeof tmp, &written);
    yaml_emitter_set_unicode(&em, 1);
    ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, &doc) && yaml_emitter_close(&em);
    /* yaml_emitter_dump deletes the document */
    yaml_emitter_delete(&em);
    if (!ok || !buf_add(out, (const char *)tmp, written))
        return -1;
    return 0;
}

/* Known secret strings: the values of data:/stringData: in every Secret (and the decoded data
 * values that are text, such as passwords), to scrub from anything kubectl prints. */
struct known {
    char **v;
    size_t n, cap;
};

static void known_free(struct known *k)
{
    for (size_t i = 0; i < k->n; i++)
        k8tls_secure_free_str(k->v[i]);
    free(k->v);
    memset(k, 0, sizeof *k);
}

static void known_add(struct known *k, const char *s, size_t len)
{
    if (len < MIN_KNOWN_SECRET)
        return;
    for (size_t i = 0; i < k->n; i++)
        if (strlen(k->v[i]) == len && memcmp(k->v[i], s, len) == 0)
            return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        char **v = realloc(k->v, cap * sizeof *v);
        if (!v)
            return;
        k->v = v;
        k->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return;
    memcpy(c, s, len);
    c[len] = '\0';
    k->v[k->n++] = c;
}

static void known_add_decoded(struct known *k, const char *b64, size_t len)
{
    if (len < 4 || len > 64 * 1024)
        return;
    unsigned char *out = malloc(len);
    if (!out)
        return;
    int n = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len);
    if (n > 0) {
        /* EVP_DecodeBlock counts the padding bytes as zeros */
        size_t m = (size_t)n;
        for (size_t i = len; i > 0 && b64[i - 1] == '=' && m > 0; i--)
            m--;
        bool text = true;
        for (size_t i = 0; i < m; i++)
            if (out[i] < 0x20 || out[i] > 0x7e)
                text = false;
        if (text)
            known_add(k, (const char *)out, m);
        OPENSSL_cleanse(out, len);
    }
    free(out);
}

static void collect_known(const struct object *o, struct known *k)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return;
    yaml_parser_set_input_string(&parser, o->data, o->len);
    if (yaml_parser_load(&parser, &doc)) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
                 pr < root->data.mapping.pairs.top; pr++) {
                yaml_node_t *key = yaml_document_get_node(&doc, pr->key);
                yaml_node_t *val = yaml_document_get_node(&doc, pr->value);
                if (!key || !val || key->type != YAML_SCALAR_NODE || val->type != YAML_MAPPING_NODE)
                    continue;
                bool data = strcmp((const char *)key->data.scalar.value, "data") == 0;
                bool sdata = strcmp((const char *)key->data.scalar.value, "stringData") == 0;
                if (!data && !sdata)
                    continue;
                for (yaml_node_pair_t *q = val->data.mapping.pairs.start;
                     q < val->data.mapping.pairs.top; q++) {
                    yaml_node_t *v = yaml_document_get_node(&doc, q->value);
                    if (!v || v->type != YAML_SCALAR_NODE)
                        continue;
                    const char *s = (const char *)v->data.scalar.value;
                    known_add(k, s, v->data.scalar.length);
                    if (data)
                        known_add_decoded(k, s, v->data.scalar.length);
                }
            }
        }
        /* wipe the scalars of the loaded document before freeing it */
        for (yaml_node_t *n = doc.nodes.start; n < doc.nodes.top; n++)
            if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
                OPENSSL_cleanse(n->data.scalar.value, n->data.scalar.length);
        yaml_document_delete(&doc);
    }
    if (parser.raw_buffer.start)
        OPENSSL_cleanse(parser.raw_buffer.start,
                        (size_t)(parser.raw_buffer.end - parser.raw_buffer.start));
    if (parser.buffer.start)
        OPENSSL_cleanse(parser.buffer.start, (size_t)(parser.buffer.end - parser.buffer.start));
    yaml_parser_delete(&parser);
}

/* Replaces every occurrence of the known strings by "***" (in place into a new buffer). */
static char *scrub_known(const char *text, const char *const *known, size_t n)
{
    struct buf out = { 0 };
    out.secret = true;
    const char *p = text;
    while (*p) {
        size_t best = 0;
        for (size_t i = 0; i < n; i++) {
            size_t l = strlen(known[i]);
            if (l >= MIN_KNOWN_SECRET && l > best && strncmp(p, known[i], l) == 0)
                best = l;
        }
        if (best) {
            if (!buf_str(&out, "***"))
                goto oom;
            p += best;
        } else {
            if (!buf_add(&out, p, 1))
                goto oom;
            p++;
        }
    }
    if (!out.p && !buf_add(&out, "", 0))
        goto oom;
    return out.p;
oom:
    buf_free(&out);
    return NULL;
}

/* ---- masking kubectl diff output ---------------------------------------------------------- */

static bool is_kubectl_mask(const char *v)
{
    static const char *const masks[] = { "'***'", "'*** (before)'", "'*** (after)'", "***",
                                         NULL };
    for (int i = 0; masks[i]; i++)
        if (strcmp(v, masks[i]) == 0)
            return true;
    return false;
}

static bool is_metadata_key(const char *key, size_t len)
{
    static const char *const keys[] = {
        "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "labels",
        "annotations", "generation", "managedFields", "ownerReferences", "finalizers",
        "generateName", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", NULL };
    for (int i = 0; keys[i]; i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
            return true;
    return false;
}

/* Does a diff header line ("diff -u -N A B", "--- A", "+++ B") name a v1 Secret file?
 * kubectl names them <group.version>.<Kind>.<namespace>.<name>, e.g. v1.Secret.ns.name. */
static bool header_names_secret(const char *line, size_t len)
{
    for (size_t i = 0; i + 10 <= len; i++)
        if ((i == 0 || line[i - 1] == '/' || line[i - 1] == ' ') &&
            memcmp(line + i, "v1.Secret.", 10) == 0)
            return true;
    return false;
}

char *k8tls_kube_mask_diff(const char *diff, const char *const *known, size_t n)
{
    struct buf out = { 0 };
    out.secret = true;
    enum { SEC_UNKNOWN, SEC_DATA, SEC_OTHER } section = SEC_UNKNOWN;
    bool in_secret = false;
    const char *p = diff ? diff : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *line = p;
        p += len + (nl ? 1 : 0);
        bool masked = false;
        if (len >= 5 && memcmp(line, "diff ", 5) == 0) {
            in_secret = header_names_secret(line, len);
            section = SEC_UNKNOWN;
        } else if (len >= 4 && (memcmp(line, "--- ", 4) == 0 || memcmp(line, "+++ ", 4) == 0)) {
            if (header_names_secret(line, len))
                in_secret = true;
            section = SEC_UNKNOWN;
        } else if (len >= 2 && memcmp(line, "@@", 2) == 0) {
            section = SEC_UNKNOWN;
        } else if (in_secret && len >= 1 && (line[0] == ' ' || line[0] == '+' || line[0] == '-')) {
            const char *body = line + 1;
            size_t blen = len - 1, indent = 0;
            while (indent < blen && body[indent] == ' ')
                indent++;
            const char *rest = body + indent;
            size_t rlen = blen - indent;
            if (rlen == 0) {
                /* blank line: keep */
            } else if (indent == 0) {
                bool data = (rlen >= 5 && memcmp(rest, "data:", 5) == 0) ||
                            (rlen >= 11 && memcmp(rest, "stringData:", 11) == 0);
                section = data ? SEC_DATA : SEC_OTHER;
                const char *colon = memchr(rest, ':', rlen);
                if (data && colon && (size_t)(colon - rest) + 1 < rlen) {
                    /* "data: {...}" on one line */
                    if (!buf_add(&out, line, (size_t)(colon - line) + 1) || !buf_str(&out, " ***\n"))
                        goto oom;
                    masked = true;
                }
            } else if (section == SEC_DATA || (section == SEC_UNKNOWN && indent == 2 &&
                                               rest[0] != '-')) {
                const char *sep = NULL;
                for (size_t i = 0; i < rlen; i++)
                    if (rest[i] == ':' && (i + 1 == rlen || rest[i + 1] == ' ')) {
                        sep = rest + i;
                        break;
                    }
                bool keep = false;
                if (section == SEC_UNKNOWN && (!sep || is_metadata_key(rest, (size_t)(sep - rest))))
                    keep = true;
                if (sep && !keep) {
                    const char *v = sep + 1;
                    while (v < rest + rlen && *v == ' ')
                        v++;
                    size_t vlen = (size_t)(rest + rlen - v);
                    char vbuf[32];
                    if (vlen < sizeof vbuf) {
                        memcpy(vbuf, v, vlen);
                        vbuf[vlen] = '\0';
                    }
                    if (vlen == 0 || (vlen < sizeof vbuf && is_kubectl_mask(vbuf)) ||
                        (vlen <= 3 && (v[0] == '|' || v[0] == '>')))
                        keep = true;    /* a block value follows, or kubectl masked it already */
                    else {
                        if (!buf_add(&out, line, (size_t)(sep - line) + 1) ||
                            !buf_str(&out, " ***\n"))
                            goto oom;
                        masked = true;
                    }
                } else if (!keep && section == SEC_DATA) {
                    /* a continuation line of a block value */
                    if (!buf_add(&out, line, 1 + indent) || !buf_str(&out, "***\n"))
                        goto oom;
                    masked = true;
                }
            }
        }
        if (!masked && (!buf_add(&out, line, len) || (nl && !buf_str(&out, "\n"))))
            goto oom;
    }
    if (!out.p && !buf_add(&out, "", 0))
        goto oom;
    char *res = scrub_known(out.p, known, n);
    buf_free(&out);
    return res;
oom:
    buf_free(&out);
    return NULL;
}

/* ---- messages ------------------------------------------------------------------------------ */

enum failure { F_CONFLICT, F_INVALID, F_FORBIDDEN, F_UNREACHABLE, F_NS_MISSING, F_NOT_FOUND,
               F_OTHER };

static bool has(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static enum failure classify(const char *err)
{
    if (has(err, "Apply failed with") && has(err, "conflict"))
        return F_CONFLICT;
    if (has(err, "(Forbidden)") || has(err, " is forbidden: ") || has(err, "(Unauthorized)") ||
        has(err, "You must be logged in") || has(err, "Unauthorized"))
        return F_FORBIDDEN;
    if (has(err, "dial tcp") || has(err, "connection refused") || has(err, "no such host") ||
        has(err, "Unable to connect to the server") || has(err, "i/o timeout") ||
        has(err, "failed to download openapi") || has(err, "connection reset") ||
        has(err, "was refused") || has(err, "TLS handshake timeout") ||
        has(err, "certificate signed by unknown authority") || has(err, "x509:"))
        return F_UNREACHABLE;
    if (has(err, "namespaces \"") && has(err, "not found"))
        return F_NS_MISSING;
    if (has(err, "the server could not find the requested resource") ||
        has(err, "no matches for kind") || has(err, "ensure CRDs are installed"))
        return F_NOT_FOUND;
    if (has(err, " is invalid") || has(err, "strict decoding error") || has(err, "unknown field") ||
        has(err, "(BadRequest)") || has(err, "(Invalid)") || has(err, "error validating"))
        return F_INVALID;
    return F_OTHER;
}

/* The first non-empty line of s without a leading "error: " / "Error: ", at most n bytes. */
static void first_line(const char *s, char *out, size_t n)
{
    out[0] = '\0';
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        const char *l = s;
        while (len && (*l == ' ' || *l == '\t' || *l == '\r')) {
            l++;
            len--;
        }
        while (len && (l[len - 1] == ' ' || l[len - 1] == '\r'))
            len--;
        /* kubectl's klog lines ("E1127 19:52:43 ... memcache.go:265] ...") are noise */
        bool klog = len > 6 && (l[0] == 'E' || l[0] == 'W' || l[0] == 'I') && l[1] >= '0' &&
                    l[1] <= '9' && memchr(l, ']', len) != NULL;
        if (len && !klog) {
            if (len >= 7 && (memcmp(l, "error: ", 7) == 0 || memcmp(l, "Error: ", 7) == 0)) {
                l += 7;
                len -= 7;
            }
            /* "Error from server (Forbidden): secrets "x" is forbidden: ..." */
            if (len > 19 && memcmp(l, "Error from server (", 19) == 0) {
                const char *close = memchr(l, ')', len);
                if (close && (size_t)(close - l) + 3 <= len && close[1] == ':' &&
                    close[2] == ' ') {
                    len -= (size_t)(close + 3 - l);
                    l = close + 3;
                }
            }
            if (len >= n)
                len = n - 1;
            memcpy(out, l, len);
            out[len] = '\0';
            return;
        }
        if (!nl)
            break;
        s = nl + 1;
    }
}

/* For an unreachable API: the network cause ("dial tcp 127.0.0.1:1: connect: connection
 * refused"), else the first line. */
static void network_cause(const char *err, char *out, size_t n)
{
    const char *d = strstr(err, "dial tcp");
    if (!d)
        d = strstr(err, "x509:");
    if (!d) {
        first_line(err, out, n);
        return;
    }
    size_t len = strcspn(d, ";\n\"");
    if (len >= n)
        len = n - 1;
    memcpy(out, d, len);
    out[len] = '\0';
}

static char *object_label(const struct object *o)
{
    size_t n = strlen(o->kind) + strlen(o->name) + (o->ns ? strlen(o->ns) : 0) + 4;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (o->ns && *o->ns)
        snprintf(s, n, "%s %s/%s", o->kind, o->ns, o->name);
    else
        snprintf(s, n, "%s %s", o->kind, o->name);
    return s;
}

/* ---- the run ------------------------------------------------------------------------------- */

struct ctx {
    const struct k8tls_apply_opts *o;
    const struct k8tls_kubeconfig *kc;
    struct known known;
    char reason[1500];    /* the one-line reason of the failure */
};

static void set_reason(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_reason(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    /* never a secret in a message */
    char *s = scrub_known(c->reason, (const char *const *)c->known.v, c->known.n);
    if (s) {
        snprintf(c->reason, sizeof c->reason, "%s", s);
        k8tls_secure_free_str(s);
    }
    /* names from the kubeconfig and the bundle, kubectl's words: no control character */
    s = k8tls_text_escape(c->reason, 0);
    if (s) {
        snprintf(c->reason, sizeof c->reason, "%s", s);
        k8tls_secure_free_str(s);
    }
    if (c->o->err)
        k8tls_err_set(c->o->err, NULL, 0, 0, "%s", c->reason);
}

/* kubectl [--kubeconfig K] --context C <words...> */
static char **kubectl_argv(struct ctx *c, const char *context, const char *const *words)
{
    size_t n = 0;
    while (words[n])
        n++;
    char **argv = calloc(n + 6, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = (char *)"kubectl";
    if (c->o->kubeconfig) {
        argv[k++] = (char *)"--kubeconfig";
        argv[k++] = (char *)c->o->kubeconfig;
    }
    argv[k++] = (char *)"--context";
    argv[k++] = (char *)context;
    for (size_t i = 0; i < n; i++)
        argv[k++] = (char *)words[i];
    argv[k] = NULL;
    return argv;
}

/* Explains a failed kubectl run into c->reason; returns the exit code for it (1 or 3). */
static int explain_failure(struct ctx *c, const char *context, const char *what,
                           const struct run *r)
{
    if (r->spawn_err == ENOENT) {
        set_reason(c, _("kubectl not found in PATH: install kubectl (Debian: kubernetes-client) "
                        "or add its directory to PATH"));
        return 3;
    }
    if (r->spawn_err) {
        set_reason(c, _("cannot run kubectl: %s"), strerror(r->spawn_err));
        return 3;
    }
    if (r->timed_out) {
        set_reason(c, _("context %s: %s: kubectl did not finish within %d seconds and was stopped "
                        "(an exec credential plugin of the kubeconfig that does not return, or an "
                        "API server that does not answer)"), context, what, r->timeout);
        return 3;
    }
    if (r->exit_code < 0) {
        set_reason(c, _("kubectl was killed by signal %d (context %s, %s)"), r->signal, context,
                   what);
        return 3;
    }
    const char *err = r->err.p && *r->err.p ? r->err.p : r->out.p;
    char line[900];
    const struct k8tls_kube_context *kx = k8tls_kubeconfig_find(c->kc, context);
    switch (classify(err)) {
    case F_CONFLICT:
        set_reason(c, _("context %s: %s not applied: fields managed by someone else "
                        "(kubectl's report follows; --force-conflicts takes them over)"),
                   context, what);
        return 1;
    case F_INVALID:
        first_line(err, line, sizeof line);
        set_reason(c, _("context %s: %s refused by the API server: %s"), context, what, line);
        return 1;
    case F_FORBIDDEN:
        first_line(err, line, sizeof line);
        set_reason(c, _("context %s: not authorized: %s"), context, line);
        return 3;
    case F_UNREACHABLE:
        network_cause(err, line, sizeof line);
        set_reason(c, _("context %s: the API server %s is unreachable: %s"), context,
                   kx && kx->server && *kx->server ? kx->server : "?", line);
        return 3;
    case F_NS_MISSING:
        first_line(err, line, sizeof line);
        set_reason(c, _("context %s: %s not applied: %s (add --create-namespace to create it)"),
                   context, what, line);
        return 3;
    case F_NOT_FOUND:
        first_line(err, line, sizeof line);
        set_reason(c, _("context %s: %s not applied: %s (is the K8ssandra operator and its CRD "
                        "installed there?)"), context, what, line);
        return 3;
    case F_OTHER:
    default:
        first_line(err, line, sizeof line);
        if (!*line)
            snprintf(line, sizeof line, _("kubectl exited with status %d"), r->exit_code);
        set_reason(c, _("context %s: %s: %s"), context, what, line);
        return 3;
    }
}

/* Prints kubectl's own text (scrubbed) to stderr, for conflicts. */
static void print_kubectl_text(struct ctx *c, const struct run *r)
{
    if (c->o->quiet)
        return;
    const char *text = r->err.p && *r->err.p ? r->err.p : r->out.p;
    char *s = scrub_known(text ? text : "", (const char *const *)c->known.v, c->known.n);
    if (s) {
        k8tls_text_fputs(s, K8TLS_TEXT_MULTILINE, stderr);
        if (*s && s[strlen(s) - 1] != '\n')
            fputc('\n', stderr);
        k8tls_secure_free_str(s);
    }
}

static void notify(struct ctx *c, const struct step *s, bool ok, const char *msg)
{
    if (c->o->on_object)
        c->o->on_object(c->o->ud, s->context, s->obj->kind, s->obj->name, ok, msg);
}

static void add_unique(const char **v, size_t *n, const char *s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i], s) == 0)
            return;
    v[(*n)++] = s;
}

int k8tls_kube_apply(const struct k8tls_bundle *b, const struct k8tls_plan *p,
                     const struct k8tls_apply_opts *o)
{
    struct ctx c = { 0 };
    c.o = o;
    if (o->err)
        k8tls_err_clear(o->err);
    int code = 0;
    struct k8tls_err kerr;
    struct k8tls_kubeconfig *kc = NULL;
    struct object *objs = NULL;
    struct step *steps = NULL;
    const char **targets = NULL;
    size_t n_objs = 0, n_steps = 0, n_targets = 0;
    struct buf ns_yaml = { 0 };

    if (!b) {
        set_reason(&c, _("nothing to apply"));
        code = 1;
        goto out;
    }

    /* the kubeconfig: which contexts exist, which is current */
    kc = k8tls_kubeconfig_load(o->kubeconfig, &kerr);
    if (!kc) {
        char buf[1700];
        set_reason(&c, _("cannot read the kubeconfig: %s"), k8tls_err_format(&kerr, buf, sizeof buf));
        code = 3;
        goto out;
    }
    c.kc = kc;

    /* the objects */
    objs = calloc(b->n + 1, sizeof *objs);
    targets = calloc(o->n_contexts + (p ? p->cluster.n_dcs : 0) + 1, sizeof *targets);
    if (!objs || !targets) {
        set_reason(&c, _("out of memory"));
        code = 3;
        goto out;
    }
    const struct k8tls_artifact *cluster = NULL, *nsart = NULL;
    size_t n_secrets = 0;
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (a->kind == K8TLS_ART_CLUSTER && !cluster)
            cluster = a;
        else if (a->kind == K8TLS_ART_NAMESPACE && !nsart)
            nsart = a;
        else if (a->kind == K8TLS_ART_SECRET)
            n_secrets++;
    }
    /* the cluster's namespace: the manifest's (it may come from an existing manifest), else
     * the plan's */
    const char *namespace_ = NULL;
    if (cluster && cluster->k8s_namespace && *cluster->k8s_namespace)
        namespace_ = cluster->k8s_namespace;
    else if (p && p->cluster.namespace_ && *p->cluster.namespace_)
        namespace_ = p->cluster.namespace_;
    if (o->create_namespace) {
        if (nsart) {
            objs[n_objs++] = (struct object){ "Namespace",
                nsart->k8s_name ? nsart->k8s_name : namespace_, NULL, nsart->data, nsart->len };
        } else if (namespace_) {
            if (emit_namespace(namespace_, &ns_yaml) < 0) {
                set_reason(&c, _("out of memory"));
                code = 3;
                goto out;
            }
            objs[n_objs++] = (struct object){ "Namespace", namespace_, NULL,
                                              (const unsigned char *)ns_yaml.p, ns_yaml.len };
        }
    }
    size_t first_secret = n_objs;
    for (size_t i = 0; i < b->n; i++) {
        const struct k8tls_artifact *a = &b->v[i];
        if (a->kind != K8TLS_ART_SECRET)
            continue;
        objs[n_objs] = (struct object){ a->k8s_kind ? a->k8s_kind : "Secret",
            a->k8s_name ? a->k8s_name : a->path, a->k8s_namespace ? a->k8s_namespace : namespace_,
            a->data, a->len };
        collect_known(&objs[n_objs], &c.known);
        n_objs++;
    }
    size_t end_secrets = n_objs;
    struct object *cluster_obj = NULL;
    if (cluster) {
        cluster_obj = &objs[n_objs++];
        *cluster_obj = (struct object){ cluster->k8s_kind ? cluster->k8s_kind : "K8ssandraCluster",
            cluster->k8s_name ? cluster->k8s_name : cluster->path,
            cluster->k8s_namespace ? cluster->k8s_namespace : namespace_, cluster->data,
            cluster->len };
    }
    if (n_objs == 0) {
        set_reason(&c, _("the bundle holds no Kubernetes object to apply"));
        code = 1;
        goto out;
    }

    /* the contexts: the control plane, other --context, every datacenter's k8sContext (K9) */
    const char *control = o->n_contexts ? o->contexts[0] : kc->current_context;
    if (!control || !*control) {
        char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
        set_reason(&c, _("no kube context given and no current-context in the kubeconfig (%s): "
                         "pass --context NAME"), files ? files : "?");
        free(files);
        code = 3;
        goto out;
    }
    add_unique(targets, &n_targets, control);
    for (size_t i = 1; i < o->n_contexts; i++)
        add_unique(targets, &n_targets, o->contexts[i]);
    if (p)
        for (size_t i = 0; i < p->cluster.n_dcs; i++)
            add_unique(targets, &n_targets, p->cluster.dcs[i].k8s_context);
    for (size_t i = 0; i < n_targets; i++) {
        if (!k8tls_kubeconfig_find(kc, targets[i])) {
            char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
            const char *dc = NULL;
            if (p)
                for (size_t j = 0; j < p->cluster.n_dcs && !dc; j++)
                    if (p->cluster.dcs[j].k8s_context &&
                        strcmp(p->cluster.dcs[j].k8s_context, targets[i]) == 0)
                        dc = p->cluster.dcs[j].name;
            if (dc)
                set_reason(&c, _("kube context \"%s\" (the k8sContext of datacenter %s) is not in "
                                 "the kubeconfig (%s)"), targets[i], dc, files ? files : "?");
            else
                set_reason(&c, _("kube context \"%s\" is not in the kubeconfig (%s)"), targets[i],
                           files ? files : "?");
            free(files);
            code = 3;
            goto out;
        }
    }

    /* a context whose cluster or user is missing: kubectl would not refuse it, it would send
     * everything to http://localhost:8080, or without credentials */
    for (size_t i = 0; i < n_targets; i++) {
        const struct k8tls_kube_context *kx = k8tls_kubeconfig_find(kc, targets[i]);
        char *files = k8tls_kubeconfig_describe(kc, o->kubeconfig);
        const char *f = files ? files : "?";
        if (!*kx->cluster)
            set_reason(&c, _("kube context \"%s\" names no cluster (%s): kubectl would send "
                             "everything to http://localhost:8080; nothing was applied"),
                       targets[i], f);
        else if (!kx->server)
            set_reason(&c, _("kube context \"%s\": its cluster \"%s\" is not defined in the "
                             "kubeconfig (%s): kubectl would send everything to "
                             "http://localhost:8080; nothing was applied"),
                       targets[i], kx->cluster, f);
        else if (!*kx->server)
            set_reason(&c, _("kube context \"%s\": its cluster \"%s\" has no server in the "
                             "kubeconfig (%s): kubectl would send everything to "
                             "http://localhost:8080; nothing was applied"),
                       targets[i], kx->cluster, f);
        else if (*kx->user && !kx->user_defined)
            set_reason(&c, _("kube context \"%s\": its user \"%s\" is not defined in the "
                             "kubeconfig (%s): kubectl would send the requests without "
                             "credentials; nothing was applied"),
                       targets[i], kx->user, f);
        else
            f = NULL;
        free(files);
        if (f) {
            code = 3;
            goto out;
        }
    }

    /* the steps, in order */
    steps = calloc(n_targets * n_objs + 1, sizeof *steps);
    if (!steps) {
        set_reason(&c, _("out of memory"));
        code = 3;
        goto out;
    }
    for (size_t t = 0; t < n_targets; t++) {
        for (size_t i = 0; i < first_secret; i++)
            steps[n_steps++] = (struct step){ targets[t], &objs[i], ST_PENDING, false };
        for (size_t i = first_secret; i < end_secrets; i++)
            steps[n_steps++] = (struct step){ targets[t], &objs[i], ST_PENDING, false };
    }
    if (cluster_obj)
        steps[n_steps++] = (struct step){ control, cluster_obj, ST_PENDING, false };

    /* every context must answer before anything is applied */
    for (size_t t = 0; t < n_targets && code == 0; t++) {
        static const char *const words[] = { "get", "--raw", "/version", "--request-timeout=30s",
                                             NULL };
        char **argv = kubectl_argv(&c, targets[t], words);
        struct run r;
        if (!argv) {
            set_reason(&c, _("out of memory"));
            code = 3;
            break;
        }
        run_process(argv, NULL, 0, &r);
        free(argv);
        if (r.spawn_err || r.exit_code != 0) {
            int rc = explain_failure(&c, targets[t], _("reachability check"), &r);
            code = rc < 3 ? 3 : rc;
        }
        run_free(&r);
    }
    if (code != 0) {
        for (size_t i = 0; i < n_steps; i++)
            notify(&c, &steps[i], false, c.reason);
        if (!o->quiet) {
            fprintf(stderr, "k8tls-wizard: %s\n", c.reason);
            fprintf(stderr, "k8tls-wizard: %s\n", _("nothing was applied"));
        }
        goto out_nomsg;
    }

    /* apply (or diff) each object */
    size_t failed_at = n_steps;
    size_t n_differ = 0;
    for (size_t i = 0; i < n_steps; i++) {
        struct step *s = &steps[i];
        char *label = object_label(s->obj);
        const char *lbl = label ? label : s->obj->name;
        const char *words[9];
        size_t w = 0;
        words[w++] = o->diff ? "diff" : "apply";
        words[w++] = "--server-side";
        words[w++] = "--field-manager=" FIELD_MANAGER;
        /* a server that accepts the connection and never answers must not hang the run */
        words[w++] = "--request-timeout=60s";
        if (o->force_conflicts)
            words[w++] = "--force-conflicts";
        if (o->dry_run_server && !o->diff)
            words[w++] = "--dry-run=server";
        words[w++] = "-f";
        words[w++] = "-";
        words[w] = NULL;
        char **argv = kubectl_argv(&c, s->context, words);
        struct run r;
        if (!argv) {
            free(label);
            set_reason(&c, _("out of memory"));
            code = 3;
            failed_at = i;
            break;
        }
        run_process(argv, s->obj->data, s->obj->len, &r);
        free(argv);
        bool ok = r.spawn_err == 0 && (r.exit_code == 0 || (o->diff && r.exit_code == 1));
        if (ok) {
            s->state = ST_DONE;
            if (o->diff) {
                s->differs = r.exit_code == 1;
                if (s->differs) {
                    n_differ++;
                    char *m = k8tls_kube_mask_diff(r.out.p, (const char *const *)c.known.v,
                                                   c.known.n);
                    if (m) {
                        if (o->on_diff)
                            o->on_diff(o->ud, s->context, s->obj->kind, s->obj->name, m);
                        if (!o->quiet) {
                            k8tls_text_fprintf(stdout, "# %s: %s\n", s->context, lbl);
                            k8tls_text_fputs(m, K8TLS_TEXT_MULTILINE, stdout);
                            if (*m && m[strlen(m) - 1] != '\n')
                                putchar('\n');
                        }
                        k8tls_secure_free_str(m);
                    }
                }
                char msg[300];
                snprintf(msg, sizeof msg, "%s", s->differs ? _("differs") : _("no changes"));
                notify(&c, s, true, msg);
                if (!o->quiet)
                    k8tls_text_fprintf(stderr, s->differs ? _("context %s: %s: differs\n")
                                                          : _("context %s: %s: no changes\n"),
                                       s->context, lbl);
            } else {
                const char *msg = o->dry_run_server ? _("applied (server dry run)") : _("applied");
                notify(&c, s, true, msg);
                if (!o->quiet) {
                    k8tls_text_fprintf(stdout,
                                       o->dry_run_server
                                           ? _("context %s: %s applied (server dry run)\n")
                                           : _("context %s: %s applied\n"),
                                       s->context, lbl);
                    fflush(stdout);
                }
            }
        } else {
            s->state = ST_FAILED;
            code = explain_failure(&c, s->context, lbl, &r);
            notify(&c, s, false, c.reason);
            if (!o->quiet) {
                fflush(stdout);
                fprintf(stderr, "k8tls-wizard: %s\n", c.reason);
                if (classify(r.err.p) == F_CONFLICT)
                    print_kubectl_text(&c, &r);
            }
            failed_at = i;
        }
        run_free(&r);
        free(label);
        if (failed_at < n_steps)
            break;
    }

    if (failed_at < n_steps) {
        /* say exactly what was applied and what was not */
        for (size_t i = failed_at + 1; i < n_steps; i++)
            notify(&c, &steps[i], false, o->diff ? _("not compared after the failure above")
                                                 : _("not applied after the failure above"));
        if (!o->quiet) {
            struct buf done = { 0 }, notdone = { 0 };
            for (size_t i = 0; i < n_steps; i++) {
                char *label = object_label(steps[i].obj);
                char item[600];
                snprintf(item, sizeof item, _("%s (context %s)"),
                         label ? label : steps[i].obj->name, steps[i].context);
                free(label);
                struct buf *dst = steps[i].state == ST_DONE ? &done : &notdone;
                if (dst->len)
                    buf_str(dst, ", ");
                buf_str(dst, item);
            }
            if (done.len)
                k8tls_text_fprintf(stderr, o->diff ? _("k8tls-wizard: compared: %s\n")
                                                   : _("k8tls-wizard: applied: %s\n"), done.p);
            else
                fprintf(stderr, "k8tls-wizard: %s\n", o->diff ? _("nothing was compared")
                                                             : _("nothing was applied"));
            k8tls_text_fprintf(stderr, o->diff ? _("k8tls-wizard: not compared: %s\n")
                                               : _("k8tls-wizard: not applied: %s\n"),
                               notdone.p ? notdone.p : "");
            if (!o->diff && !o->dry_run_server)
                fprintf(stderr, "k8tls-wizard: %s\n",
                        _("re-running is safe: server-side apply is idempotent"));
            buf_free(&done);
            buf_free(&notdone);
        }
    } else if (!o->quiet && o->diff) {
        fprintf(stderr, _("k8tls-wizard: objects that differ from the clusters: %zu of %zu\n"), n_differ,
                n_steps);
    }
    goto out_nomsg;

out:
    if (code != 0 && !o->quiet)
        fprintf(stderr, "k8tls-wizard: %s\n", c.reason);
out_nomsg:
    fflush(stdout);
    free(steps);
    free(targets);
    free(objs);
    buf_free(&ns_yaml);
    known_free(&c.known);
    OPENSSL_cleanse(c.reason, sizeof c.reason);
    k8tls_kubeconfig_free(kc);
    return code;
}
