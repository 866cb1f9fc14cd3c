/* Why a kubectl run failed: kubectl's words classified (conflict, invalid, forbidden,
 * unreachable, missing namespace or CRD) and turned into a one-line reason with its status.
 * Calls nothing of the project (it reads proc.h's struct k8tls_proc); called by kube.c. */
#include "config.h"
#include "kube_int.h"
#include "k8tls/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

bool k8tls_kube_is_conflict(const char *err)
{
    return classify(err) == F_CONFLICT;
}

enum k8tls_status k8tls_kube_explain(const struct k8tls_proc *r, const char *context,
                                     const char *what, const char *server, char *out, size_t n)
{
    if (r->spawn_err == ENOENT) {
        snprintf(out, n, "%s", _("kubectl not found in PATH: install kubectl (Debian: "
                                 "kubernetes-client) or add its directory to PATH"));
        return K8TLS_ENVIRONMENT;
    }
    if (r->spawn_err) {
        snprintf(out, n, _("cannot run kubectl: %s"), strerror(r->spawn_err));
        return K8TLS_ENVIRONMENT;
    }
    if (r->timed_out) {
        snprintf(out, n,
                 _("context %s: %s: kubectl did not finish within %d seconds and was stopped "
                   "(an exec credential plugin of the kubeconfig that does not return, or an "
                   "API server that does not answer)"),
                 context, what, r->timeout);
        return K8TLS_ENVIRONMENT;
    }
    if (r->exit_code < 0) {
        snprintf(out, n, _("kubectl was killed by signal %d (context %s, %s)"), r->signal,
                 context, what);
        return K8TLS_ENVIRONMENT;
    }
    const char *err = r->err.p && *r->err.p ? r->err.p : r->out.p ? r->out.p : "";
    char line[900];
    switch (classify(err)) {
    case F_CONFLICT:
        snprintf(out, n,
                 _("context %s: %s not applied: fields managed by someone else "
                   "(kubectl's report follows; --force-conflicts takes them over)"),
                 context, what);
        return K8TLS_INVALID;
    case F_INVALID:
        first_line(err, line, sizeof line);
        snprintf(out, n, _("context %s: %s refused by the API server: %s"), context, what, line);
        return K8TLS_INVALID;
    case F_FORBIDDEN:
        first_line(err, line, sizeof line);
        snprintf(out, n, _("context %s: not authorized: %s"), context, line);
        return K8TLS_ENVIRONMENT;
    case F_UNREACHABLE:
        network_cause(err, line, sizeof line);
        snprintf(out, n, _("context %s: the API server %s is unreachable: %s"), context,
                 server && *server ? server : "?", line);
        return K8TLS_ENVIRONMENT;
    case F_NS_MISSING:
        first_line(err, line, sizeof line);
        snprintf(out, n,
                 _("context %s: %s not applied: %s (add --create-namespace to create it)"),
                 context, what, line);
        return K8TLS_ENVIRONMENT;
    case F_NOT_FOUND:
        first_line(err, line, sizeof line);
        snprintf(out, n,
                 _("context %s: %s not applied: %s (is the K8ssandra operator and its CRD "
                   "installed there?)"),
                 context, what, line);
        return K8TLS_ENVIRONMENT;
    case F_OTHER:
    default:
        first_line(err, line, sizeof line);
        if (!*line)
            snprintf(line, sizeof line, _("kubectl exited with status %d"), r->exit_code);
        snprintf(out, n, _("context %s: %s: %s"), context, what, line);
        return K8TLS_ENVIRONMENT;
    }
}

