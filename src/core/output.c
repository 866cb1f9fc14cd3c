/* The output directory, written atomically (SPEC §4; issue 4).
 *
 * Everything is written into a temporary directory beside the target (".NAME.k8tls-new-XXXXXX"),
 * each file created O_EXCL|O_NOFOLLOW with its mode set by fchmod (the umask plays no part), all
 * of them fsync'ed with their directories, then the directory is renamed into place. Replacing an existing directory (--force)
 * swaps the two with renameat2(RENAME_EXCHANGE) when the file system supports it, else renames
 * the old one aside, the new one in, and restores the old one if that fails; the old tree is
 * removed last. Any failure before that point removes the temporary directory: the previous
 * state is untouched.
 *
 * Test seams (documented in output.h): K8TLS_TEST_FAIL_AFTER_WRITES=N makes the Nth file write
 * fail halfway (EIO); K8TLS_TEST_NO_RENAME_EXCHANGE=1 forces the rename-aside path. */
#include "config.h"
#include "k8tls/output.h"
#include "k8tls/i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct out {
    struct k8tls_err *e;
    const char *dir;       /* as given, for messages */
    int fail_after;        /* test seam: 0 = off */
    int writes;
};

static int fail(struct out *o, const char *what, int err)
{
    k8tls_err_set(o->e, o->dir, 0, 0, "%s: %s", what, strerror(err));
    return -1;
}

/* ---- removing a tree (never following symbolic links) ----------------------------------- */

static int rm_tree_at(int dfd, const char *name, int depth)
{
    if (depth > 64)
        return -1;
    if (unlinkat(dfd, name, 0) == 0)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return errno == ENOENT ? 0 : -1;
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
        if (rm_tree_at(fd, de->d_name, depth + 1) < 0)
            rc = -1;
    }
    closedir(d);
    if (unlinkat(dfd, name, AT_REMOVEDIR) < 0)
        rc = -1;
    return rc;
}

static int rm_tree(const char *path)
{
    return rm_tree_at(AT_FDCWD, path, 0);
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

static int write_one(struct out *o, int root, const struct k8tls_artifact *a)
{
    if (!safe_rel_path(a->path)) {
        k8tls_err_set(o->e, o->dir, 0, 0, _("%s: not a safe file name inside the directory"),
                      a->path ? a->path : "(null)");
        return -1;
    }
    if (make_parents(o, root, a->path) < 0)
        return -1;
    mode_t mode = a->mode & 0777;
    int fd = openat(root, a->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(o, a->path, errno);
    /* The mode is set explicitly: the umask neither widens nor narrows it. */
    if (fchmod(fd, mode) < 0) {
        int err = errno;
        close(fd);
        return fail(o, a->path, err);
    }
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

/* fsync every file, then every directory of the tree. Files are synced after all of them are
 * written, not one by one: the first fsync commits the file system's journal for all of them and
 * the others then cost little (one fsync per file as it is written costs a journal commit each). */
static int sync_tree(struct out *o, int root, const struct k8tls_bundle *b)
{
    char buf[1100];
    for (size_t i = 0; i < b->n; i++) {
        int fd = openat(root, b->v[i].path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fsync(fd) < 0) {
            int err = errno;
            if (fd >= 0)
                close(fd);
            return fail(o, b->v[i].path, err);
        }
        close(fd);
    }
    for (size_t i = 0; i < b->n; i++) {
        snprintf(buf, sizeof buf, "%s", b->v[i].path);
        char *s = strrchr(buf, '/');
        while (s) {
            *s = '\0';
            fsync_dir_at(root, buf);
            s = strrchr(buf, '/');
        }
    }
    fsync(root);
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

int k8tls_output_write(const struct k8tls_bundle *b, const char *dir_in, bool force,
                       struct k8tls_err *e)
{
    struct out o = {.e = e, .dir = dir_in};
    char dir[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX], aside[PATH_MAX];
    const char *seam = getenv("K8TLS_TEST_FAIL_AFTER_WRITES");
    if (seam && *seam)
        o.fail_after = atoi(seam);

    if (!b || !dir_in || !*dir_in) {
        k8tls_err_set(e, NULL, 0, 0, "%s", _("no output directory given"));
        return -1;
    }
    /* Normalise: no trailing slashes. */
    if (snprintf(dir, sizeof dir, "%s", dir_in) >= (int)sizeof dir) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("the path is too long"));
        return -1;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    const char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        k8tls_err_set(e, dir_in, 0, 0, "%s",
                      _("name a new directory for the output (not /, . or ..)"));
        return -1;
    }
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else if (slash == dir)
        snprintf(parent, sizeof parent, "/");
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - dir), dir);

    /* What is there now. */
    struct stat st;
    bool exists = false, replace = false;
    if (lstat(dir, &st) == 0) {
        exists = true;
        if (S_ISLNK(st.st_mode)) {
            k8tls_err_set(e, dir_in, 0, 0, "%s",
                          _("is a symbolic link: name the directory itself"));
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            k8tls_err_set(e, dir_in, 0, 0, "%s", _("exists and is not a directory"));
            return -1;
        }
        if (!dir_is_empty(dir)) {
            if (!force) {
                k8tls_err_set(e, dir_in, 0, 0, "%s",
                              _("exists and is not empty (--force replaces it)"));
                return -1;
            }
            if (precious(dir)) {
                k8tls_err_set(e, dir_in, 0, 0, "%s",
                              _("refusing to replace /, the home directory or a directory "
                                "holding the current one"));
                return -1;
            }
            replace = true;
        }
    } else if (errno != ENOENT) {
        return fail(&o, _("cannot examine it"), errno);
    }

    /* The new tree, beside the target. */
    if (snprintf(tmp, sizeof tmp, "%s/.%s.k8tls-new-XXXXXX", parent, base) >= (int)sizeof tmp) {
        k8tls_err_set(e, dir_in, 0, 0, "%s", _("the path is too long"));
        return -1;
    }
    if (!mkdtemp(tmp)) {
        int err = errno;
        k8tls_err_set(e, dir_in, 0, 0, _("cannot create a directory in %s: %s"), parent,
                      strerror(err));
        return -1;
    }
    int root = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (root < 0 || fchmod(root, 0700) < 0) {
        int err = errno;
        if (root >= 0)
            close(root);
        rm_tree(tmp);
        return fail(&o, _("cannot create the temporary directory"), err);
    }
    for (size_t i = 0; i < b->n; i++)
        if (write_one(&o, root, &b->v[i]) < 0) {
            close(root);
            rm_tree(tmp);
            return -1;
        }
    if (sync_tree(&o, root, b) < 0) {
        close(root);
        rm_tree(tmp);
        return -1;
    }
    close(root);

    /* Into place. */
    if (!replace) {
        /* Absent, or an empty directory: rename(2) replaces an empty directory atomically. */
        if (rename(tmp, dir) < 0) {
            int err = errno;
            rm_tree(tmp);
            return fail(&o, exists ? _("cannot replace the empty directory")
                                   : _("cannot move the new directory into place"),
                        err);
        }
    } else if (exchange(tmp, dir) == 0) {
        /* tmp now holds the old tree. */
        if (rm_tree(tmp) < 0)
            k8tls_err_set(e, dir_in, 0, 0, _("the old content is left in %s"), tmp);
    } else {
        if (snprintf(aside, sizeof aside, "%s/.%s.k8tls-old-XXXXXX", parent, base) >=
                (int)sizeof aside ||
            !mkdtemp(aside)) {
            int err = errno;
            rm_tree(tmp);
            return fail(&o, _("cannot move the old directory aside"), err);
        }
        if (rename(dir, aside) < 0) {
            int err = errno;
            rmdir(aside);
            rm_tree(tmp);
            return fail(&o, _("cannot move the old directory aside"), err);
        }
        if (rename(tmp, dir) < 0) {
            int err = errno;
            if (rename(aside, dir) < 0)
                k8tls_err_set(e, dir_in, 0, 0,
                              _("cannot move the new directory into place (%s); the previous "
                                "content is in %s"),
                              strerror(err), aside);
            else
                fail(&o, _("cannot move the new directory into place"), err);
            rm_tree(tmp);
            return -1;
        }
        if (rm_tree(aside) < 0)
            k8tls_err_set(e, dir_in, 0, 0, _("the old content is left in %s"), aside);
    }
    fsync_dir_at(AT_FDCWD, parent);
    return 0;
}
