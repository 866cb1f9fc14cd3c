/* The data directories of a program run from its build tree (datadir.h). Calls nothing of the
 * project; BINDIR, K8TLS_ABS_BUILDDIR and K8TLS_ABS_SRCDIR come from the build (Makefile.am). */
#include "config.h"
#include "k8tls/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Both name the same existing directory. */
static bool same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISDIR(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The directory of the running program. */
static bool exe_dir(char *out, size_t n)
{
    char buf[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (l <= 0 || (size_t)l >= sizeof buf - 1)
        return false;
    buf[l] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    if (slash == buf)
        slash++;
    *slash = '\0';
    int w = snprintf(out, n, "%s", buf);
    return w > 0 && (size_t)w < n;
}

static bool join(char *out, size_t n, const char *dir, const char *rel)
{
    int w = snprintf(out, n, "%s/%s", dir, rel);
    return w > 0 && (size_t)w < n && is_dir(out);
}

bool k8tls_datadir_build_tree(const char *rel, char *out, size_t n)
{
    char dir[PATH_MAX];
    if (!rel || !*rel || !out || n == 0 || !exe_dir(dir, sizeof dir))
        return false;
    if (same_dir(dir, BINDIR))
        return false;    /* installed: the installed paths */
    if (join(out, n, dir, rel))
        return true;
    if (same_dir(dir, K8TLS_ABS_BUILDDIR) && join(out, n, K8TLS_ABS_SRCDIR, rel))
        return true;
    out[0] = '\0';
    return false;
}
