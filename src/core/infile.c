/* Opening input files: regular files only (see k8tls/infile.h). */
#include "config.h"
#include "k8tls/infile.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *k8tls_file_kind_name(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFIFO:
        return _("a FIFO");
    case S_IFDIR:
        return _("a directory");
    case S_IFCHR:
        return _("a character device");
    case S_IFBLK:
        return _("a block device");
    case S_IFSOCK:
        return _("a socket");
    case S_IFLNK:
        return _("a symbolic link");
    default:
        return _("not a file");
    }
}

/* /dev/null itself (by device number, whatever the path that names it) */
static bool is_dev_null(const struct stat *st)
{
    struct stat dn;
    return S_ISCHR(st->st_mode) && stat("/dev/null", &dn) == 0 && S_ISCHR(dn.st_mode) &&
           dn.st_rdev == st->st_rdev;
}

int k8tls_open_input(const char *path, struct k8tls_err *e)
{
    /* O_NONBLOCK: opening a FIFO without a writer would wait for one. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        k8tls_err_set(e, path, 0, 0, _("cannot open: %s"), strerror(err));
        errno = err;
        return K8TLS_INPUT_OPEN_FAILED;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("cannot open: %s"), strerror(err));
        errno = err;
        return K8TLS_INPUT_OPEN_FAILED;
    }
    if (!S_ISREG(st.st_mode) && !is_dev_null(&st)) {
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("not a regular file (%s)"),
                      k8tls_file_kind_name((unsigned)st.st_mode));
        return K8TLS_INPUT_NOT_REGULAR;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        int err = errno;
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("cannot open: %s"), strerror(err));
        errno = err;
        return K8TLS_INPUT_OPEN_FAILED;
    }
    return fd;
}

FILE *k8tls_fopen_input(const char *path, int *why, struct k8tls_err *e)
{
    int fd = k8tls_open_input(path, e);
    if (why)
        *why = fd < 0 ? fd : 0;
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int err = errno;
        close(fd);
        k8tls_err_set(e, path, 0, 0, _("cannot open: %s"), strerror(err));
        errno = err;
        if (why)
            *why = K8TLS_INPUT_OPEN_FAILED;
    }
    return f;
}
