/* The output directory, written atomically.
 *
 * Everything is written into a temporary directory beside the target (".NAME.k8tls-new-XXXXXX"),
 * each file created O_EXCL|O_NOFOLLOW with its mode set by fchmod (the umask plays no part), all
 * of them fsync'ed with their directories, then the directory is renamed into place. Replacing an
 * existing directory (--force) swaps the two with renameat2(RENAME_EXCHANGE) when the file system
 * supports it, else renames the old one aside, the new one in, and restores the old one if that
 * fails; the old tree is removed last. Any failure before that point removes the temporary
 * directory: the previous state is untouched.
 *
 * The first file of every tree is the marker (K8TLS_OUTPUT_MARKER): a header naming the tool and
 * the format, then the paths the tree holds. --force replaces only a directory that is
 * recognisably one the wizard wrote: every entry listed by its marker, or (directories written
 * before the marker existed) every entry a name of the wizard's own layout; nothing on another
 * file system or mount. The marker also identifies a temporary tree left by an interrupted run:
 * the next write beside the same target removes it and says so.
 *
 * Test seams (documented in output.h): K8TLS_TEST_FAIL_AFTER_WRITES=N makes the Nth file write
 * fail halfway (EIO); K8TLS_TEST_NO_RENAME_EXCHANGE=1 forces the rename-aside path;
 * K8TLS_TEST_PAUSE_AFTER_WRITES=N pauses after the Nth file; K8TLS_TEST_KEEP_OLD=1 makes the
 * removal of the old tree fail. */
#include "config.h"
#include "k8tls/output.h"
#include "k8tls/i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define MARKER_HEAD "# k8tls-wizard output directory, format 1"
#define MAX_DEPTH 64

struct out {
    struct k8tls_err *e;
    const char *dir;       /* as given, for messages */
    int fail_after;        /* test seam: 0 = off */
    int pause_after;       /* test seam: 0 = off */
    int writes;
};

static int fail(struct out *o, const char *what, int err)
{
    k8tls_err_set(o->e, o->dir, 0, 0, "%s: %s", what, strerror(err));
    return -1;
}

static int env_int(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : 0;
}

/* Is name (in dfd) the root of a mount, even one of the same file system (a bind mount)? */
static bool mount_root_at(int dfd, const char *name)
{
#if defined(STATX_ATTR_MOUNT_ROOT) && defined(AT_STATX_SYNC_AS_STAT)
    struct statx sx;
    if (statx(dfd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, STATX_TYPE, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
        (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
        return true;
#else
    (void)dfd;
    (void)name;
#endif
    return false;
}

/* ---- removing a tree (never following symbolic links, never crossing a mount) ------------ */

static int rm_tree_at(int dfd, const char *name, dev_t dev, int depth)
{
    struct stat st;
    if (depth > MAX_DEPTH)
        return -1;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -1;
    /* unlink(2) never crosses a mount (a mounted file is EBUSY); st_dev is compared on
     * directories only, as overlayfs may give files the device of the layer holding them */
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
    if (st.st_dev != dev || mount_root_at(dfd, name))
        return -1;
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (rm_tree_at(fd, de->d_name, dev, depth + 1) < 0)
            rc = -1;
    }
    closedir(d);
    if (unlinkat(dfd, name, AT_REMOVEDIR) < 0)
        rc = -1;
    return rc;
}

/* Removes path; only what is on the file system of its parent directory (dev). */
static int rm_tree(const char *path, dev_t dev)
{
    return rm_tree_at(AT_FDCWD, path, dev, 0);
}

/* ---- paths ------------------------------------------------------------------------------ */

/* An artifact path must stay inside the directory: relative, no "." / ".." / empty parts. */
static bool safe_rel_path(const char *p)
{
    if (!p || !*p || p[0] == '/' || strlen(p) > 1024)
        return false;
    const char *s = p;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        if (!e)
            break;
        s = e + 1;
        if (!*s)
            return false;
    }
    return true;
}

static int fsync_dir_at(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Creates the directories of rel (not its last part) under root, 0700. */
static int make_parents(struct out *o, int root, const char *rel)
{
    char buf[1100];
    snprintf(buf, sizeof buf, "%s", rel);
    for (char *s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdirat(root, buf, 0700) < 0 && errno != EEXIST)
            return fail(o, rel, errno);
        struct stat st;
        if (fstatat(root, buf, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
            return fail(o, rel, ENOTDIR);
        if (fchmodat(root, buf, 0700, 0) < 0)
            return fail(o, rel, errno);
        *s = '/';
    }
    return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int create_file(struct out *o, int root, const char *path, mode_t mode)
{
    int fd = openat(root, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(o, path, errno);
    /* The mode is set explicitly: the umask neither widens nor narrows it. */
    if (fchmod(fd, mode) < 0) {
        int err = errno;
        close(fd);
        return fail(o, path, err);
    }
    return fd;
}

static int write_one(struct out *o, int root, const struct k8tls_artifact *a)
{
    if (!safe_rel_path(a->path) || strcmp(a->path, K8TLS_OUTPUT_MARKER) == 0) {
        k8tls_err_set(o->e, o->dir, 0, 0, _("%s: not a safe file name inside the directory"),
                      a->path ? a->path : "(null)");
        return -1;
    }
    if (make_parents(o, root, a->path) < 0)
        return -1;
    int fd = create_file(o, root, a->path, a->mode & 0777);
    if (fd < 0)
        return -1;
    o->writes++;
    if (o->fail_after > 0 && o->writes == o->fail_after) {
        /* Test seam: a write failing midway. */
        (void)write_all(fd, a->data, a->len / 2);
        close(fd);
        return fail(o, a->path, EIO);
    }
    if (write_all(fd, a->data, a->len) < 0) {
        int err = errno;
        close(fd);
        return fail(o, a->path, err);
    }
    if (close(fd) < 0)
        return fail(o, a->path, errno);
    return 0;
}

/* The marker, written first: the header, then every path the tree will hold. */
static int write_marker(struct out *o, int root, const struct k8tls_bundle *b)
{
    int fd = create_file(o, root, K8TLS_OUTPUT_MARKER, 0644);
    if (fd < 0)
        return -1;
    static const char head[] =
        MARKER_HEAD "\n"
        "# Written by k8tls-wizard. --force replaces this directory only while it holds nothing\n"
        "# but the files listed below (and this one).\n";
    int rc = write_all(fd, (const unsigned char *)head, sizeof head - 1);
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        if (!b->v[i].path || strchr(b->v[i].path, '\n'))
            continue; /* refused by write_one */
        rc = write_all(fd, (const unsigned char *)b->v[i].path, strlen(b->v[i].path));
        if (rc == 0)
            rc = write_all(fd, (const unsigned char *)"\n", 1);
    }
    if (rc < 0) {
        int err = errno;
        close(fd);
        return fail(o, K8TLS_OUTPUT_MARKER, err);
    }
    if (close(fd) < 0)
        return fail(o, K8TLS_OUTPUT_MARKER, errno);
    return 0;
}

/* Has an earlier artifact (before index i) a path under directory dir (len bytes)? Then dir
 * was synced already. */
static bool dir_seen(const struct k8tls_bundle *b, size_t i, const char *dir, size_t len)
{
    for (size_t j = 0; j < i; j++) {
        const char *p = b->v[j].path;
        if (strncmp(p, dir, len) == 0 && p[len] == '/')
            return true;
    }
    return false;
}

/* The paths of one fsync worker: every nth from first, of the files (with the marker), then the
 * directories (each once), then the tree's top. */
#define SYNC_THREADS 8
struct sync_job {
    int root;
    const struct k8tls_bundle *b;
    char **dirs;
    size_t ndirs;
    size_t first, step;
    const char *failed;   /* the first file that failed, or NULL */
    int err;
};

static void *sync_paths(void *arg)
{
    struct sync_job *j = arg;
    size_t nfiles = j->b->n + 1, total = nfiles + j->ndirs + 1;
    for (size_t i = j->first; i < total && !j->failed; i += j->step) {
        if (i >= nfiles) {
            /* a directory: its entries; a failure here is not one of the files' */
            const char *d = i < nfiles + j->ndirs ? j->dirs[i - nfiles] : ".";
            int fd = openat(j->root, d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                (void)fsync(fd);
                close(fd);
            }
            continue;
        }
        const char *path = i < j->b->n ? j->b->v[i].path : K8TLS_OUTPUT_MARKER;
        int fd = openat(j->root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fsync(fd) < 0) {
            j->err = errno;
            j->failed = path;
        }
        if (fd >= 0)
            close(fd);
    }
    return NULL;
}

/* fsync every file and every directory of the tree (each once), from several threads at once,
 * after all of them are written: the file system's journal then commits them together instead of
 * once per fsync (one after the other, each fsync waited for a commit of its own while other jobs
 * wrote to the disk: a cost per file that grew with the bundle, and the TLS surfaces double its
 * files). */
static int sync_tree(struct out *o, int root, const struct k8tls_bundle *b)
{
    char buf[1100];
    struct sync_job jobs[SYNC_THREADS];
    pthread_t tids[SYNC_THREADS];
    bool started[SYNC_THREADS] = {false};
    size_t cap = 1;   /* at most one directory per '/' of the paths */
    for (size_t i = 0; i < b->n; i++)
        for (const char *q = b->v[i].path; *q; q++)
            cap += *q == '/';
    char **dirs = calloc(cap, sizeof *dirs);
    size_t ndirs = 0;
    if (!dirs)
        return fail(o, ".", ENOMEM);
    for (size_t i = 0; i < b->n; i++) {
        snprintf(buf, sizeof buf, "%s", b->v[i].path);
        char *s = strrchr(buf, '/');
        while (s && ndirs < cap) {
            *s = '\0';
            if (dir_seen(b, i, buf, (size_t)(s - buf)))
                break;   /* this directory and its parents: listed for an earlier file */
            if (!(dirs[ndirs] = strdup(buf))) {
                for (size_t k = 0; k < ndirs; k++)
                    free(dirs[k]);
                free(dirs);
                return fail(o, ".", ENOMEM);
            }
            ndirs++;
            s = strrchr(buf, '/');
        }
    }
    size_t total = b->n + 1 + ndirs + 1;
    size_t nthreads = (total + 3) / 4;   /* about four paths each */
    if (nthreads > SYNC_THREADS)
        nthreads = SYNC_THREADS;
    for (size_t t = 0; t < nthreads; t++) {
        jobs[t] = (struct sync_job){ root, b, dirs, ndirs, t, nthreads, NULL, 0 };
        /* thread 0 is this one; a thread that cannot start is done here too */
        if (t > 0)
            started[t] = pthread_create(&tids[t], NULL, sync_paths, &jobs[t]) == 0;
    }
    sync_paths(&jobs[0]);
    for (size_t t = 1; t < nthreads; t++) {
        if (started[t])
            pthread_join(tids[t], NULL);
        else
            sync_paths(&jobs[t]);
    }
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    free(dirs);
    for (size_t t = 0; t < nthreads; t++)
        if (jobs[t].failed)
            return fail(o, jobs[t].failed, jobs[t].err);
    return 0;
}

/* ---- recognising a directory the wizard wrote -------------------------------------------- */

/* The paths a marker lists (NULL when the directory has no marker). */
struct listing {
    char **v;
    size_t n;
};

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Reads root's marker. Returns 1 (a valid marker, *l filled), 0 (no marker), -1 (a file of that
 * name the wizard did not write). */
static int read_marker(int root, struct listing *l)
{
    l->v = NULL;
    l->n = 0;
    int fd = openat(root, K8TLS_OUTPUT_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    char *text = malloc(len + 1);
    size_t got = 0;
    while (text && got < len) {
        ssize_t r = read(fd, text + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!text)
        return -1;
    text[got] = '\0';
    size_t hl = strlen(MARKER_HEAD);
    if (strncmp(text, MARKER_HEAD, hl) != 0 || text[hl] != '\n') {
        free(text);
        return -1;
    }
    int rc = 1;
    for (char *line = text + hl + 1, *next; rc == 1 && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (!*line || line[0] == '#')
            continue;
        char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
        if (!safe_rel_path(line) || !nv) {
            if (nv)
                l->v = nv;
            rc = -1;
            break;
        }
        l->v = nv;
        if (!(l->v[l->n] = strdup(line))) {
            rc = -1;
            break;
        }
        l->n++;
    }
    free(text);
    if (rc < 0)
        listing_free(l);
    return rc;
}

static bool one_of(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}

/* A Secret name as the wizard writes it under stores/: a DNS-1123 subdomain-ish label. */
static bool store_name(const char *s, size_t n)
{
    if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '.'))
            return false;
    return true;
}

/* The layout of a directory written before the marker existed: the names the bundle builder
 * and the rotation phases write, nothing else. */
static bool layout_dir(const char *rel)
{
    static const char *const dirs[] = {"ca", "manifests", "stores", "medusa", "restart", NULL};
    if (one_of(rel, dirs))
        return true;
    return strncmp(rel, "stores/", 7) == 0 && store_name(rel + 7, strlen(rel + 7));
}

static bool layout_file(const char *rel)
{
    static const char *const files[] = {
        "NEXT-STEPS.md", "answers.yaml", "kustomization.yaml", "rotation.yaml",
        "ca/rootca.crt", "ca/rootca.key", "ca/next-rootca.crt", "ca/next-rootca.key",
        "ca/previous-rootca.crt", "manifests/00-namespace.yaml",
        "manifests/20-k8ssandracluster.yaml", "medusa/rootca.crt", "medusa/client.crt_signed",
        "medusa/client.key", "restart/k8ssandratask.yaml", NULL};
    static const char *const stores[] = {"keystore", "truststore", "keystore-password",
                                         "truststore-password", NULL};
    if (one_of(rel, files))
        return true;
    if (strncmp(rel, "manifests/10-secret-", 20) == 0) {
        const char *name = rel + 20;
        size_t n = strlen(name);
        return n > 5 && strcmp(name + n - 5, ".yaml") == 0 && store_name(name, n - 5);
    }
    if (strncmp(rel, "stores/", 7) == 0) {
        const char *slash = strchr(rel + 7, '/');
        return slash && store_name(rel + 7, (size_t)(slash - rel - 7)) && one_of(slash + 1, stores);
    }
    return false;
}

static bool listed_file(const struct listing *l, const char *rel)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], rel) == 0)
            return true;
    return false;
}

static bool listed_dir(const struct listing *l, const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->v[i], rel, n) == 0 && l->v[i][n] == '/')
            return true;
    return false;
}

enum verdict { V_OURS, V_FOREIGN, V_MOUNT, V_ERROR };

struct walk {
    const struct listing *l; /* NULL: the layout of directories without a marker */
    dev_t dev;
    char where[PATH_MAX];    /* the first entry that is not the wizard's */
    int err;                 /* V_ERROR: errno */
};

static enum verdict walk_tree(struct walk *w, int dfd, const char *rel, int depth)
{
    if (depth > MAX_DEPTH) {
        snprintf(w->where, sizeof w->where, "%s", rel);
        return V_FOREIGN;
    }
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        w->err = errno;
        if (fd >= 0)
            close(fd);
        snprintf(w->where, sizeof w->where, "%s", rel ? rel : ".");
        return V_ERROR;
    }
    enum verdict v = V_OURS;
    struct dirent *de;
    while (v == V_OURS && (de = readdir(d))) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s%s%s", rel ? rel : "", rel ? "/" : "", name) >=
            (int)sizeof path) {
            snprintf(w->where, sizeof w->where, "%s", rel ? rel : name);
            v = V_FOREIGN;
            break;
        }
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno == ENOENT)
                continue;
            w->err = errno;
            snprintf(w->where, sizeof w->where, "%s", path);
            v = V_ERROR;
            break;
        }
        /* st_dev on directories only: overlayfs may give files the device of their layer */
        if ((S_ISDIR(st.st_mode) && st.st_dev != w->dev) || mount_root_at(dirfd(d), name)) {
            snprintf(w->where, sizeof w->where, "%s", path);
            v = V_MOUNT;
            break;
        }
        bool ok;
        if (S_ISDIR(st.st_mode))
            ok = w->l ? listed_dir(w->l, path) : layout_dir(path);
        else if (S_ISREG(st.st_mode))
            ok = (!rel && strcmp(name, K8TLS_OUTPUT_MARKER) == 0 && w->l) ||
                 (w->l ? listed_file(w->l, path) : layout_file(path));
        else
            ok = false;
        if (!ok) {
            snprintf(w->where, sizeof w->where, "%s", path);
            v = V_FOREIGN;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                w->err = errno;
                snprintf(w->where, sizeof w->where, "%s", path);
                v = V_ERROR;
                break;
            }
            v = walk_tree(w, sub, path, depth + 1);
            close(sub);
        }
    }
    closedir(d);
    return v;
}

/* Is the directory open as root (on file system dev) one the wizard wrote? need_marker: only
 * if it has the marker (a directory without one is else judged by the wizard's layout). */
static enum verdict recognise(int root, dev_t dev, bool need_marker, struct walk *w)
{
    struct listing l;
    memset(w, 0, sizeof *w);
    w->dev = dev;
    int m = read_marker(root, &l);
    if (m < 0 || (m == 0 && need_marker)) {
        snprintf(w->where, sizeof w->where, "%s", K8TLS_OUTPUT_MARKER);
        return V_FOREIGN;
    }
    w->l = m > 0 ? &l : NULL;
    enum verdict v = walk_tree(w, root, NULL, 0);
    listing_free(&l);
    return v;
}

/* ---- the target ------------------------------------------------------------------------- */

struct target {
    char dir[PATH_MAX], parent[PATH_MAX];
    const char *base;
    dev_t parent_dev;
    bool exists, replace;
};

static int split_target(const char *dir_in, struct target *t, struct k8tls_err *e)
{
    if (!dir_in || !*dir_in) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("no output directory given"));
        return -1;
    }
    /* Normalise: no trailing slashes. */
    if (snprintf(t->dir, sizeof t->dir, "%s", dir_in) >= (int)sizeof t->dir) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("the path is too long"));
        return -1;
    }
    size_t n = strlen(t->dir);
    while (n > 1 && t->dir[n - 1] == '/')
        t->dir[--n] = '\0';
    const char *slash = strrchr(t->dir, '/');
    t->base = slash ? slash + 1 : t->dir;
    if (!*t->base || strcmp(t->base, ".") == 0 || strcmp(t->base, "..") == 0) {
        k8tls_err_set(e, dir_in, 0, 0, "%s",
                      _("name a new directory for the output (not /, . or ..)"));
        return -1;
    }
    if (!slash)
        snprintf(t->parent, sizeof t->parent, ".");
    else if (slash == t->dir)
        snprintf(t->parent, sizeof t->parent, "/");
    else
        snprintf(t->parent, sizeof t->parent, "%.*s", (int)(slash - t->dir), t->dir);
    return 0;
}

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *de;
    bool empty = true;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = false;
            break;
        }
    closedir(d);
    return empty;
}

/* Refuses to replace /, the home directory or a directory holding the current one. */
static bool precious(const char *dir)
{
    char real[PATH_MAX], cwd[PATH_MAX], home[PATH_MAX];
    if (!realpath(dir, real))
        return false;
    if (strcmp(real, "/") == 0)
        return true;
    const char *h = getenv("HOME");
    if (h && *h && realpath(h, home) && strcmp(real, home) == 0)
        return true;
    if (getcwd(cwd, sizeof cwd)) {
        size_t n = strlen(real);
        if (strncmp(cwd, real, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/'))
            return true;
    }
    return false;
}

/* What is at the target now, and may it be replaced? Fills t->exists, t->replace. */
static int examine(struct target *t, const char *dir_in, bool force, struct k8tls_err *e)
{
    struct stat st, pst;
    if (stat(t->parent, &pst) < 0) {
        int err = errno;
        k8tls_err_set(e, dir_in, 0, 0, "%s: %s", t->parent, strerror(err));
        return K8TLS_OUTPUT_ENV;
    }
    t->parent_dev = pst.st_dev;
    t->exists = t->replace = false;
    if (lstat(t->dir, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        int err = errno;
        k8tls_err_set(e, dir_in, 0, 0, "%s: %s", _("cannot examine it"), strerror(err));
        return K8TLS_OUTPUT_ENV;
    }
    t->exists = true;
    if (S_ISLNK(st.st_mode)) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("is a symbolic link: name the directory itself"));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        k8tls_err_set(e, dir_in, 0, 0, "%s",
                      _("exists and is not a directory: name a directory (a new one, or one "
                        "the wizard wrote); nothing was changed"));
        return -1;
    }
    if (st.st_dev != pst.st_dev || mount_root_at(AT_FDCWD, t->dir)) {
        k8tls_err_set(e, dir_in, 0, 0, "%s",
                      _("is a mount point: the wizard replaces the directory itself, which it "
                        "cannot do there; name a new directory inside it; nothing was changed"));
        return -1;
    }
    if (dir_is_empty(t->dir))
        return 0;
    if (!force) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("exists and is not empty (--force replaces it)"));
        return -1;
    }
    if (precious(t->dir)) {
        k8tls_err_set(e, dir_in, 0, 0, "%s",
                      _("refusing to replace /, the home directory or a directory holding the "
                        "current one"));
        return -1;
    }
    int root = open(t->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (root < 0) {
        int err = errno;
        k8tls_err_set(e, dir_in, 0, 0, "%s: %s", _("cannot examine it"), strerror(err));
        return K8TLS_OUTPUT_ENV;
    }
    struct walk w;
    enum verdict v = recognise(root, st.st_dev, false, &w);
    close(root);
    switch (v) {
    case V_OURS:
        t->replace = true;
        return 0;
    case V_FOREIGN:
        k8tls_err_set(e, dir_in, 0, 0,
                      _("refusing to replace it: %s is not something k8tls-wizard writes (--force "
                        "replaces only a directory the wizard wrote); nothing was changed: move "
                        "it away or choose another directory"),
                      w.where);
        return -1;
    case V_MOUNT:
        k8tls_err_set(e, dir_in, 0, 0,
                      _("refusing to replace it: %s is a mount point (another file system); "
                        "nothing was changed"),
                      w.where);
        return -1;
    case V_ERROR:
    default:
        k8tls_err_set(e, dir_in, 0, 0, _("refusing to replace it: cannot examine %s: %s; "
                                         "nothing was changed"),
                      w.where, strerror(w.err));
        return K8TLS_OUTPUT_ENV;
    }
}

int k8tls_output_check(const char *dir_in, bool force, struct k8tls_err *e)
{
    struct target t;
    if (split_target(dir_in, &t, e) < 0)
        return -1;
    return examine(&t, dir_in, force, e);
}

/* Removes the temporary trees an interrupted run left beside the target: named
 * ".BASE.k8tls-new-XXXXXX", a directory on the same file system, not in use by a running
 * wizard (flock), with the marker and holding only what it lists. */
static void remove_stale(const struct target *t, const struct k8tls_output_opts *opts)
{
    char prefix[NAME_MAX + 32];
    if (snprintf(prefix, sizeof prefix, ".%s.k8tls-new-", t->base) >= (int)sizeof prefix)
        return;
    size_t pl = strlen(prefix);
    DIR *d = opendir(t->parent);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, pl) != 0 || strlen(de->d_name + pl) != 6)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
            st.st_dev != t->parent_dev || mount_root_at(dirfd(d), de->d_name))
            continue;
        int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct walk w;
        bool ours = flock(fd, LOCK_EX | LOCK_NB) == 0 && recognise(fd, st.st_dev, true, &w) == V_OURS;
        char path[PATH_MAX + NAME_MAX + 2];
        snprintf(path, sizeof path, "%s/%s", t->parent, de->d_name);
        if (ours) {
            bool gone = rm_tree_at(dirfd(d), de->d_name, st.st_dev, 0) == 0;
            if (opts && opts->note) {
                char msg[sizeof path + 200];
                snprintf(msg, sizeof msg,
                         gone ? _("removed %s, a temporary directory left by an interrupted "
                                  "earlier run")
                              : _("cannot fully remove %s, a temporary directory left by an "
                                  "interrupted earlier run: remove it yourself"),
                         path);
                opts->note(opts->ud, msg);
            }
        }
        close(fd);
    }
    closedir(d);
}

static bool cancelled(const struct k8tls_output_opts *opts)
{
    return opts && opts->cancelled && opts->cancelled(opts->ud);
}

/* Test seam: stops after the Nth file until cancelled (at most 30 s). */
static void seam_pause(struct out *o, const struct k8tls_output_opts *opts)
{
    if (o->pause_after <= 0 || o->writes != o->pause_after)
        return;
    fprintf(stderr, "K8TLS_TEST: paused after write %d\n", o->writes);
    fflush(stderr);
    for (int i = 0; i < 600 && !cancelled(opts); i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int exchange(const char *a, const char *b)
{
    const char *no = getenv("K8TLS_TEST_NO_RENAME_EXCHANGE");
    if (no && *no && strcmp(no, "0") != 0) {
        errno = EINVAL;
        return -1;
    }
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/* Removes the old tree (now at path); 1 with e saying where it is left when that fails. */
static int drop_old(const char *path, dev_t dev, const char *dir_in, struct k8tls_err *e)
{
    if (env_int("K8TLS_TEST_KEEP_OLD") == 0 && rm_tree(path, dev) == 0)
        return 0;
    k8tls_err_set(e, dir_in, 0, 0,
                  _("the new content is in place, but the old content could not be fully "
                    "removed: it is left in %s (remove it yourself)"),
                  path);
    return K8TLS_OUTPUT_LEFTOVER;
}

int k8tls_output_write_opts(const struct k8tls_bundle *b, const char *dir_in,
                            const struct k8tls_output_opts *opts, struct k8tls_err *e)
{
    struct out o = {.e = e, .dir = dir_in};
    struct target t;
    char tmp[PATH_MAX], aside[PATH_MAX];
    bool force = opts && opts->force;
    o.fail_after = env_int("K8TLS_TEST_FAIL_AFTER_WRITES");
    o.pause_after = env_int("K8TLS_TEST_PAUSE_AFTER_WRITES");

    if (!b) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("no output directory given"));
        return -1;
    }
    if (split_target(dir_in, &t, e) < 0 || examine(&t, dir_in, force, e) < 0)
        return -1;
    remove_stale(&t, opts);

    /* The new tree, beside the target. */
    if (snprintf(tmp, sizeof tmp, "%s/.%s.k8tls-new-XXXXXX", t.parent, t.base) >= (int)sizeof tmp) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("the path is too long"));
        return -1;
    }
    if (!mkdtemp(tmp)) {
        int err = errno;
        k8tls_err_set(e, dir_in, 0, 0, _("cannot create a directory in %s: %s"), t.parent,
                      strerror(err));
        return -1;
    }
    int root = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (root < 0 || fchmod(root, 0700) < 0) {
        int err = errno;
        if (root >= 0)
            close(root);
        rm_tree(tmp, t.parent_dev);
        return fail(&o, _("cannot create the temporary directory"), err);
    }
    /* held until the tree is in place: another run does not take it for a stale one */
    (void)flock(root, LOCK_EX | LOCK_NB);
    int rc = write_marker(&o, root, b);
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        if (cancelled(opts)) {
            rc = K8TLS_OUTPUT_CANCELLED;
            break;
        }
        rc = write_one(&o, root, &b->v[i]);
        if (rc == 0)
            seam_pause(&o, opts);
    }
    if (rc == 0)
        rc = sync_tree(&o, root, b);
    if (rc == 0 && cancelled(opts))
        rc = K8TLS_OUTPUT_CANCELLED;
    if (rc < 0) {
        close(root);
        rm_tree(tmp, t.parent_dev);
        if (rc == K8TLS_OUTPUT_CANCELLED)
            k8tls_err_set(e, dir_in, 0, 0, "%s", _("interrupted: nothing was changed"));
        return rc;
    }

    /* Into place. */
    rc = 0;
    if (!t.replace) {
        /* Absent, or an empty directory: rename(2) replaces an empty directory atomically. */
        if (rename(tmp, t.dir) < 0) {
            int err = errno;
            close(root);
            rm_tree(tmp, t.parent_dev);
            return fail(&o, t.exists ? _("cannot replace the empty directory")
                                     : _("cannot move the new directory into place"),
                        err);
        }
    } else if (exchange(tmp, t.dir) == 0) {
        /* tmp now holds the old tree: what cannot be removed goes under an "-old-" name, which
         * no later run takes for its own temporary tree */
        if (env_int("K8TLS_TEST_KEEP_OLD") == 0 && rm_tree(tmp, t.parent_dev) == 0) {
            rc = 0;
        } else if (snprintf(aside, sizeof aside, "%s/.%s.k8tls-old-XXXXXX", t.parent, t.base) <
                       (int)sizeof aside &&
                   mkdtemp(aside)) {
            if (rename(tmp, aside) == 0) {
                rc = drop_old(aside, t.parent_dev, dir_in, e);
            } else {
                rmdir(aside);
                rc = drop_old(tmp, t.parent_dev, dir_in, e);
            }
        } else {
            rc = drop_old(tmp, t.parent_dev, dir_in, e);
        }
    } else {
        if (snprintf(aside, sizeof aside, "%s/.%s.k8tls-old-XXXXXX", t.parent, t.base) >=
                (int)sizeof aside ||
            !mkdtemp(aside)) {
            int err = errno;
            close(root);
            rm_tree(tmp, t.parent_dev);
            return fail(&o, _("cannot move the old directory aside"), err);
        }
        if (rename(t.dir, aside) < 0) {
            int err = errno;
            rmdir(aside);
            close(root);
            rm_tree(tmp, t.parent_dev);
            return fail(&o, _("cannot move the old directory aside"), err);
        }
        if (rename(tmp, t.dir) < 0) {
            int err = errno;
            if (rename(aside, t.dir) < 0)
                k8tls_err_set(e, dir_in, 0, 0,
                              _("cannot move the new directory into place (%s); the previous "
                                "content is in %s"),
                              strerror(err), aside);
            else
                fail(&o, _("cannot move the new directory into place"), err);
            close(root);
            rm_tree(tmp, t.parent_dev);
            return -1;
        }
        rc = drop_old(aside, t.parent_dev, dir_in, e);
    }
    close(root);
    fsync_dir_at(AT_FDCWD, t.parent);
    return rc;
}

int k8tls_output_write(const struct k8tls_bundle *b, const char *dir, bool force,
                       struct k8tls_err *e)
{
    struct k8tls_output_opts opts = {.force = force};
    return k8tls_output_write_opts(b, dir, &opts, e);
}
