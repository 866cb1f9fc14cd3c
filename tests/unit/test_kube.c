/* Unit tests for the kubectl runner with a stand-in `kubectl` script first on PATH
 * that records its argv and stdin: order of objects and contexts (K9), flags, no secret on a
 * command line (X2), failures and what is reported, --diff masking. The real kubectl against a
 * fake API server is exercised by tests/kube/apply-fakeapi.sh. */
#include "config.h"
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "k8tls/kube.h"
#include "../kube/handmade-bundle.h"

static char tmpdir[256], bindir[300], kcpath[300];

/* A stand-in kubectl: numbers its calls in the order they start, records argv and stdin; answers
 * the reachability check (or fails it: FAKE_PREFLIGHT_ERR); prints a diff (FAKE_DIFF_OUT); else
 * applies the YAML documents on stdin like kubectl, each object's TYPE/NAME on stdout (with
 * " serverside-applied" unless -o name), FAKE_FAIL=CONTEXT/NAME failing that object with
 * FAKE_FAIL_MSG on stderr (the others still applied, exit 1). FAKE_MEET=N: an `apply -o name`
 * waits (10 s at most) until N of them run at the same time, else leaves a file alone.CONTEXT.
 * eof.N says that call N got the end of its stdin (the cluster's kubectl is started with the
 * Secrets' runs and gets it only once they are in). */
static const char *FAKE_KUBECTL =
    "#!/bin/sh\n"
    "d=\"$FAKE_DIR\"\n"
    "while ! mkdir \"$d/lock\" 2>/dev/null; do sleep 0.01; done\n"
    "n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/count\"\n"
    "rmdir \"$d/lock\"\n"
    "printf '%s\\n' \"$@\" > \"$d/argv.$n\"\n"
    "if [ -n \"$FAKE_NO_READ\" ]; then exit 0; fi\n"
    "cat > \"$d/stdin.$n\"\n"
    ": > \"$d/eof.$n\"\n"
    "ctx=; prev=; for a in \"$@\"; do [ \"$prev\" = --context ] && ctx=$a; prev=$a; done\n"
    "case \" $* \" in *' get --raw /version '*)\n"
    "  if [ -n \"$FAKE_PREFLIGHT_ERR\" ]; then echo \"$FAKE_PREFLIGHT_ERR\" >&2; exit 1; fi\n"
    "  exit 0;;\n"
    "esac\n"
    "if [ -n \"$FAKE_DIFF_OUT\" ]; then cat \"$FAKE_DIFF_OUT\"; exit 1; fi\n"
    "case \" $* \" in *' -o name '*)\n"
    "  if [ -n \"$FAKE_MEET\" ]; then\n"
    "    : > \"$d/meet.$ctx\"; i=0\n"
    "    while [ $(ls \"$d\" | grep -c '^meet\\.') -lt \"$FAKE_MEET\" ] && [ $i -lt 1000 ]; do\n"
    "      sleep 0.01; i=$((i+1)); done\n"
    "    [ $i -lt 1000 ] || : > \"$d/alone.$ctx\"\n"
    "  fi;;\n"
    "esac\n"
    "rc=0\n"
    "for obj in $(awk '/^kind: /{k=tolower($2)} /^  name: /{if(k!=\"\"){print k \"/\" $2; k=\"\"}}' "
    "\"$d/stdin.$n\"); do\n"
    "  if [ \"$ctx/${obj#*/}\" = \"$FAKE_FAIL\" ]; then printf '%s\\n' \"$FAKE_FAIL_MSG\" >&2; rc=1; continue; fi\n"
    "  case \" $* \" in *' -o name '*) echo \"$obj\";; *) echo \"$obj serverside-applied\";; esac\n"
    "done\n"
    "exit $rc\n";

static const char *KUBECONFIG_TEXT =
    "apiVersion: v1\n"
    "kind: Config\n"
    "clusters:\n"
    "- {name: c1, cluster: {server: \"http://127.0.0.1:1\"}}\n"
    "contexts:\n"
    "- {name: cp, context: {cluster: c1}}\n"
    "- {name: east, context: {cluster: c1}}\n"
    "- {name: west, context: {cluster: c1}}\n"
    "current-context: cp\n";

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/k8tls-kube.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(bindir, sizeof bindir, "%s/bin", tmpdir);
    ck_assert_int_eq(mkdir(bindir, 0700), 0);
    char p[400];
    snprintf(p, sizeof p, "%s/kubectl", bindir);
    put(p, FAKE_KUBECTL, 0700);
    snprintf(kcpath, sizeof kcpath, "%s/kubeconfig", tmpdir);
    put(kcpath, KUBECONFIG_TEXT, 0600);
    char path[1200];
    snprintf(path, sizeof path, "%s:/usr/bin:/bin", bindir);
    setenv("PATH", path, 1);
    setenv("FAKE_DIR", tmpdir, 1);
    setenv("KUBECONFIG", kcpath, 1);
    unsetenv("FAKE_FAIL");
    unsetenv("FAKE_MEET");
    unsetenv("FAKE_PREFLIGHT_ERR");
    unsetenv("FAKE_DIFF_OUT");
    unsetenv("FAKE_NO_READ");
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "/bin/rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* The content of a file under tmpdir (malloc'd), or NULL. */
static char *slurp(const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    char *s = NULL;
    size_t cap = 0, len = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            cap = cap ? cap * 2 : 256;
            s = realloc(s, cap);
        }
        s[len++] = (char)ch;
    }
    fclose(f);
    if (!s)
        s = calloc(1, 1);
    else
        s[len] = '\0';
    return s;
}

static int calls(void)
{
    char *c = slurp("count");
    int n = c ? atoi(c) : 0;
    free(c);
    return n;
}

/* argv of call n joined with spaces (without the trailing newline); NULL when that call was
 * stopped after counting itself but before it wrote its argv. */
static char *argv_or_null(int n)
{
    char name[64];
    snprintf(name, sizeof name, "argv.%d", n);
    char *s = slurp(name);
    if (!s)
        return NULL;
    for (char *q = s; *q; q++)
        if (*q == '\n')
            *q = q[1] ? ' ' : '\0';
    return s;
}

static char *argv_of(int n)
{
    char *s = argv_or_null(n);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* The number of the call whose argv (joined) starts with prefix; 0 when none or several. */
static int call_of(const char *prefix)
{
    int found = 0, n = calls();
    for (int i = 1; i <= n; i++) {
        char *a = argv_or_null(i);
        if (a && strncmp(a, prefix, strlen(prefix)) == 0)
            found = found ? -1 : i;
        free(a);
    }
    return found > 0 ? found : 0;
}

/* Where the n bytes of what start in text, or NULL. */
static char *find(char *text, const unsigned char *what, size_t n)
{
    for (char *p = text; strlen(p) >= n; p++)
        if (memcmp(p, what, n) == 0)
            return p;
    return NULL;
}

static bool exists(const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return access(p, F_OK) == 0;
}

struct seen {
    char lines[32][400];
    int n;
    char diffs[8][4096];
    int n_diffs;
};

static void on_object(void *ud, const char *context, const char *kind, const char *name, bool ok,
                      const char *message)
{
    struct seen *s = ud;
    if (s->n < 32)
        snprintf(s->lines[s->n++], 400, "%s %s %s %s: %s", context, kind, name,
                 ok ? "ok" : "FAILED", message);
}

static void on_diff(void *ud, const char *context, const char *kind, const char *name,
                    const char *masked)
{
    struct seen *s = ud;
    (void)context; (void)kind; (void)name;
    if (s->n_diffs < 8)
        snprintf(s->diffs[s->n_diffs++], 4096, "%s", masked);
}

static struct k8tls_apply_opts opts(struct seen *s, struct k8tls_err *e)
{
    struct k8tls_apply_opts o = { 0 };
    o.on_object = on_object;
    o.on_diff = on_diff;
    o.ud = s;
    o.err = e;
    return o;
}

START_TEST(test_secrets_go_to_every_datacenter_context_first_then_the_cluster)
{
    const char *dcs[] = { "", "east", "west", "east" };
    struct hb *h = hb_new("k8ssandra-operator", "test", dcs, 4);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    o.create_namespace = true;
    setenv("FAKE_MEET", "3", 1);
    enum k8tls_status rc = k8tls_kube_apply(&h->bundle, &h->plan, &o);
    ck_assert_msg(rc == K8TLS_OK, "rc %d: %s", rc, e.msg);
    /* 3 reachability checks, then one kubectl per context for its Namespace and Secrets, all
     * three running at the same time, and the cluster's, started with them */
    ck_assert_int_eq(calls(), 3 + 3 + 1);
    ck_assert_msg(!exists("alone.cp") && !exists("alone.east") && !exists("alone.west"),
                  "the contexts' Secrets were not applied at the same time");
    static const char *const want[] = {
        "cp Namespace k8ssandra-operator ok: applied",
        "cp Secret server-encryption-stores ok: applied",
        "cp Secret client-encryption-stores ok: applied",
        "east Namespace k8ssandra-operator ok: applied",
        "east Secret server-encryption-stores ok: applied",
        "east Secret client-encryption-stores ok: applied",
        "west Namespace k8ssandra-operator ok: applied",
        "west Secret server-encryption-stores ok: applied",
        "west Secret client-encryption-stores ok: applied",
        "cp K8ssandraCluster test ok: applied",
    };
    ck_assert_int_eq(s.n, 10);
    for (int i = 0; i < 10; i++)
        ck_assert_str_eq(s.lines[i], want[i]);
    static const char *const ctxs[] = { "cp", "east", "west" };
    for (int c = 0; c < 3; c++) {
        char pre[200];
        snprintf(pre, sizeof pre, "--context %s get --raw /version --request-timeout=30s",
                 ctxs[c]);
        ck_assert_msg(call_of(pre) > 0 && call_of(pre) <= 3, "%s", pre);
        snprintf(pre, sizeof pre, "--context %s apply --server-side "
                 "--field-manager=k8tls-wizard --request-timeout=60s -o name -f -", ctxs[c]);
        int n = call_of(pre);
        ck_assert_msg(n > 3 && n <= 7, "%s: call %d", pre, n);
        /* stdin: the Namespace, then each Secret byte for byte, as YAML documents */
        char name[32];
        snprintf(name, sizeof name, "stdin.%d", n);
        char *in = slurp(name);
        char *ns = strstr(in, "kind: Namespace");
        char *s1 = find(in, h->bundle.v[0].data, h->bundle.v[0].len);
        char *s2 = find(in, h->bundle.v[1].data, h->bundle.v[1].len);
        ck_assert_msg(ns && s1 && s2 && ns < s1 && s1 < s2, "%s", in);
        ck_assert_ptr_null(strstr(in, "kind: K8ssandraCluster"));
        ck_assert_int_eq(strncmp(in, "---\n", 4), 0);
        free(in);
    }
    /* the cluster alone, in a run of its own that got the end of its input */
    int k = call_of("--context cp apply --server-side --field-manager=k8tls-wizard "
                    "--request-timeout=60s -f -");
    ck_assert_int_gt(k, 3);
    char name[32];
    snprintf(name, sizeof name, "stdin.%d", k);
    char *in = slurp(name);
    ck_assert_ptr_nonnull(strstr(in, "kind: K8ssandraCluster"));
    ck_assert_ptr_null(strstr(in, "kind: Secret"));
    free(in);
    snprintf(name, sizeof name, "eof.%d", k);
    ck_assert(exists(name));
    hb_free(h);
}
END_TEST

START_TEST(test_no_secret_value_ever_appears_in_kubectl_argv)
{
    const char *dcs[] = { "", "east" };
    struct hb *h = hb_new("k8ssandra-operator", "test", dcs, 2);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    o.kubeconfig = kcpath;
    o.dry_run_server = true;
    o.force_conflicts = true;
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_OK);
    int n = calls();
    ck_assert_int_eq(n, 2 + 2 + 1);
    int secrets_on_stdin = 0;
    for (int i = 1; i <= n; i++) {
        char *a = argv_of(i);
        for (int k = 0; k < 2 * HB_N_SECRETS; k++)
            ck_assert_msg(strstr(a, h->passwords[k]) == NULL, "password in argv: %s", a);
        for (int k = 0; k < 3 * HB_N_SECRETS; k++)
            ck_assert_msg(strstr(a, h->b64[k]) == NULL, "base64 data in argv: %s", a);
        char name[32];
        snprintf(name, sizeof name, "stdin.%d", i);
        char *in = slurp(name);
        if (in && strstr(in, h->b64[1]))
            secrets_on_stdin++;
        free(in);
        free(a);
    }
    ck_assert_int_eq(secrets_on_stdin, 2);   /* the server Secret, in both contexts */
    char want[800];
    snprintf(want, sizeof want, "--kubeconfig %s --context cp apply --server-side "
             "--field-manager=k8tls-wizard --request-timeout=60s --force-conflicts "
             "--dry-run=server -o name -f -", kcpath);
    ck_assert_int_gt(call_of(want), 0);
    ck_assert_str_eq(s.lines[0], "cp Secret server-encryption-stores ok: applied (server dry run)");
    hb_free(h);
}
END_TEST

START_TEST(test_extra_contexts_get_the_secrets_and_the_first_gets_the_cluster)
{
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    const char *ctxs[] = { "west", "east" };
    o.contexts = ctxs;
    o.n_contexts = 2;
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_OK);
    ck_assert_int_eq(s.n, 5);
    ck_assert_str_eq(s.lines[0], "west Secret server-encryption-stores ok: applied");
    ck_assert_str_eq(s.lines[2], "east Secret server-encryption-stores ok: applied");
    ck_assert_str_eq(s.lines[4], "west K8ssandraCluster test ok: applied");
    hb_free(h);
}
END_TEST

/* Issue 15: objects without a namespace (a merged manifest that has none): every kubectl run
 * names the plan's namespace, or kubectl would use the context's. */
START_TEST(test_objects_without_a_namespace_are_applied_to_the_plans)
{
    const char *dcs[] = { "", "east" };
    struct hb *h = hb_new("ns1", "test", dcs, 2);
    for (size_t i = 0; i < h->bundle.n; i++) {
        free(h->bundle.v[i].k8s_namespace);
        h->bundle.v[i].k8s_namespace = NULL;
    }
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_OK);
    ck_assert_int_gt(call_of("--context cp apply --server-side --field-manager=k8tls-wizard "
                             "--request-timeout=60s -o name --namespace=ns1 -f -"), 0);
    ck_assert_int_gt(call_of("--context east apply --server-side --field-manager=k8tls-wizard "
                             "--request-timeout=60s -o name --namespace=ns1 -f -"), 0);
    ck_assert_int_gt(call_of("--context cp apply --server-side --field-manager=k8tls-wizard "
                             "--request-timeout=60s --namespace=ns1 -f -"), 0);
    hb_free(h);
}
END_TEST

START_TEST(test_missing_kubectl_is_exit_3_with_the_reason)
{
    setenv("PATH", tmpdir, 1);   /* no kubectl there */
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    ck_assert_msg(strstr(e.msg, "kubectl not found") != NULL, "%s", e.msg);
    ck_assert_ptr_null(strchr(e.msg, '\n'));
    ck_assert_int_eq(s.n, 3);
    for (int i = 0; i < s.n; i++)
        ck_assert_msg(strstr(s.lines[i], "FAILED") != NULL, "%s", s.lines[i]);
    hb_free(h);
}
END_TEST

START_TEST(test_unknown_context_or_no_current_context_runs_nothing)
{
    const char *dcs[] = { "", "mars" };
    struct hb *h = hb_new("ns1", "test", dcs, 2);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    ck_assert_msg(strstr(e.msg, "\"mars\"") && strstr(e.msg, "dc2") && strstr(e.msg, kcpath),
                  "%s", e.msg);
    ck_assert_int_eq(calls(), 0);
    hb_free(h);

    char p[400];
    snprintf(p, sizeof p, "%s/nocurrent", tmpdir);
    put(p, "contexts: [{name: a, context: {cluster: b}}]\n", 0600);
    setenv("KUBECONFIG", p, 1);
    const char *one[] = { "" };
    h = hb_new("ns1", "test", one, 1);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    ck_assert_msg(strstr(e.msg, "--context") != NULL, "%s", e.msg);
    ck_assert_int_eq(calls(), 0);

    /* a malformed kubeconfig: exit 3 naming file:line:column */
    put(p, "contexts: [\n", 0600);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    char want[500];
    snprintf(want, sizeof want, "%s:2:1: ", p);
    ck_assert_msg(strstr(e.msg, want) != NULL, "%s", e.msg);
    hb_free(h);
}
END_TEST

START_TEST(test_failure_midway_says_exactly_what_was_applied)
{
    const char *dcs[] = { "", "east" };
    struct hb *h = hb_new("ns1", "test", dcs, 2);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    /* the first Secret in east is forbidden: kubectl applies the others, the cluster waits */
    setenv("FAKE_FAIL", "east/server-encryption-stores", 1);
    setenv("FAKE_FAIL_MSG", "Error from server (Forbidden): secrets \"server-encryption-stores\" is "
           "forbidden: User \"bob\" cannot patch resource \"secrets\"", 1);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    /* 2 reachability checks, 2 Secrets runs, and the cluster's kubectl (when it got as far as
     * counting itself before it was stopped), stopped before the end of its input */
    ck_assert_msg(calls() == 4 || calls() == 5, "%d calls", calls());
    int k = call_of("--context cp apply --server-side --field-manager=k8tls-wizard "
                    "--request-timeout=60s -f -");
    char eof[32];
    snprintf(eof, sizeof eof, "eof.%d", k);
    ck_assert_msg(k == 0 || !exists(eof), "the cluster's kubectl got the end of its input");
    ck_assert_int_eq(s.n, 5);
    ck_assert_str_eq(s.lines[0], "cp Secret server-encryption-stores ok: applied");
    ck_assert_str_eq(s.lines[1], "cp Secret client-encryption-stores ok: applied");
    ck_assert_msg(strncmp(s.lines[2], "east Secret server-encryption-stores FAILED: ", 45) == 0 &&
                  strstr(s.lines[2], "not authorized") && strstr(s.lines[2], "User \"bob\""),
                  "%s", s.lines[2]);
    ck_assert_str_eq(s.lines[3], "east Secret client-encryption-stores ok: applied");
    ck_assert_str_eq(s.lines[4], "cp K8ssandraCluster test FAILED: not applied after the failure "
                     "above");
    ck_assert_msg(strstr(e.msg, "not authorized") && !strstr(e.msg, "Error from server"), "%s",
                  e.msg);
    hb_free(h);
}
END_TEST

START_TEST(test_conflict_is_exit_1_and_validation_too)
{
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    setenv("FAKE_FAIL", "cp/test", 1);
    setenv("FAKE_FAIL_MSG", "error: Apply failed with 1 conflict: conflict with \"helm\" using "
           "k8ssandra.io/v1alpha1: .spec.cassandra.serverVersion", 1);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_INVALID);
    ck_assert_msg(strstr(e.msg, "--force-conflicts") != NULL, "%s", e.msg);
    ck_assert_str_eq(s.lines[1], "cp Secret client-encryption-stores ok: applied");

    char countfile[400];
    snprintf(countfile, sizeof countfile, "%s/count", tmpdir);
    unlink(countfile);
    setenv("FAKE_FAIL_MSG", "The K8ssandraCluster \"test\" is invalid: spec.cassandra.serverVersion: "
           "Invalid value", 1);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_INVALID);
    ck_assert_msg(strstr(e.msg, "refused by the API server") != NULL, "%s", e.msg);
    hb_free(h);
}
END_TEST

/* The report for a person comes through on_text, piece by piece with its kind; the core itself
 * writes nothing to stdout or stderr, and the status is K8TLS_INVALID for a conflict. */
struct texts {
    char v[16][1200];
    enum k8tls_kube_text kind[16];
    int n;
};

static void on_text(void *ud, enum k8tls_kube_text kind, const char *text)
{
    struct texts *t = ud;
    if (t->n < 16) {
        t->kind[t->n] = kind;
        snprintf(t->v[t->n++], 1200, "%s", text);
    }
}

START_TEST(test_report_goes_to_on_text_and_the_core_prints_nothing)
{
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    struct texts t = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = { 0 };
    o.on_text = on_text;
    o.ud = &t;
    o.err = &e;
    setenv("FAKE_FAIL", "cp/test", 1);
    setenv("FAKE_FAIL_MSG", "error: Apply failed with 1 conflict: conflict with \"helm\"", 1);
    char out[400];
    snprintf(out, sizeof out, "%s/printed", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int save1 = dup(1), save2 = dup(2);
    ck_assert(fd >= 0 && save1 >= 0 && save2 >= 0);
    dup2(fd, 1);
    dup2(fd, 2);
    enum k8tls_status st = k8tls_kube_apply(&h->bundle, &h->plan, &o);
    fflush(stdout);
    fflush(stderr);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);
    close(fd);
    ck_assert_int_eq(st, K8TLS_INVALID);
    ck_assert_int_eq(k8tls_err_status(&e), K8TLS_INVALID);
    char *printed = slurp("printed");
    ck_assert_str_eq(printed, "");
    free(printed);
    ck_assert_int_eq(t.n, 7);
    ck_assert_int_eq(t.kind[0], K8TLS_KUBE_TEXT_APPLIED);
    ck_assert_str_eq(t.v[0], "context cp: Secret ns1/server-encryption-stores applied\n");
    ck_assert_int_eq(t.kind[1], K8TLS_KUBE_TEXT_APPLIED);
    ck_assert_str_eq(t.v[1], "context cp: Secret ns1/client-encryption-stores applied\n");
    for (int i = 2; i < t.n; i++)
        ck_assert_int_eq(t.kind[i], K8TLS_KUBE_TEXT_FAILURE);
    ck_assert_str_eq(t.v[2], "k8tls-wizard: context cp: K8ssandraCluster ns1/test not applied: "
                     "fields managed by someone else (kubectl's report follows; "
                     "--force-conflicts takes them over)\n");
    ck_assert_str_eq(t.v[3], "error: Apply failed with 1 conflict: conflict with \"helm\"\n");
    ck_assert_str_eq(t.v[4], "k8tls-wizard: applied: Secret ns1/server-encryption-stores (context "
                     "cp), Secret ns1/client-encryption-stores (context cp)\n");
    ck_assert_str_eq(t.v[5], "k8tls-wizard: not applied: K8ssandraCluster ns1/test (context cp)\n");
    ck_assert_str_eq(t.v[6], "k8tls-wizard: re-running is safe: server-side apply is idempotent\n");
    hb_free(h);
}
END_TEST

START_TEST(test_unreachable_api_is_found_before_anything_is_applied)
{
    const char *dcs[] = { "", "east" };
    struct hb *h = hb_new("ns1", "test", dcs, 2);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    setenv("FAKE_PREFLIGHT_ERR", "The connection to the server 127.0.0.1:1 was refused - did you "
           "specify the right host or port?", 1);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_ENVIRONMENT);
    ck_assert_int_eq(calls(), 2);   /* both reachability checks at the same time, no apply */
    ck_assert_int_eq(call_of("--context cp apply"), 0);
    ck_assert_msg(strstr(e.msg, "unreachable") && strstr(e.msg, "http://127.0.0.1:1"), "%s", e.msg);
    ck_assert_int_eq(k8tls_err_status(&e), K8TLS_ENVIRONMENT);
    for (int i = 0; i < s.n; i++)
        ck_assert_msg(strstr(s.lines[i], "FAILED") != NULL, "%s", s.lines[i]);
    hb_free(h);
}
END_TEST

START_TEST(test_diff_runs_kubectl_diff_and_masks_secret_values)
{
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    char diff[4096], p[400];
    /* a diff as an external diff tool could show it, with the real values */
    snprintf(diff, sizeof diff,
             "diff -u -N /tmp/LIVE-1/v1.Secret.ns1.server-encryption-stores /tmp/MERGED-2/v1.Secret.ns1.server-encryption-stores\n"
             "--- /tmp/LIVE-1/v1.Secret.ns1.server-encryption-stores\n"
             "+++ /tmp/MERGED-2/v1.Secret.ns1.server-encryption-stores\n"
             "@@ -1,6 +1,6 @@\n"
             " apiVersion: v1\n"
             " data:\n"
             "-  keystore-password: b2xkLXBhc3N3b3Jk\n"
             "+  keystore-password: %s\n"
             " kind: Secret\n"
             " metadata:\n"
             "   name: server-encryption-stores\n"
             "# the password %s in clear\n",
             h->b64[1], h->passwords[0]);
    snprintf(p, sizeof p, "%s/diff.txt", tmpdir);
    put(p, diff, 0600);
    setenv("FAKE_DIFF_OUT", p, 1);
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    o.diff = true;
    o.dry_run_server = true;   /* ignored by diff */
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_OK);
    char *a = argv_of(2);
    ck_assert_str_eq(a, "--context cp diff --server-side --field-manager=k8tls-wizard --request-timeout=60s -f -");
    free(a);
    ck_assert_int_eq(s.n_diffs, 3);
    ck_assert_str_eq(s.lines[0], "cp Secret server-encryption-stores ok: differs");
    const char *m = s.diffs[0];
    ck_assert_ptr_null(strstr(m, h->b64[1]));
    ck_assert_ptr_null(strstr(m, h->passwords[0]));
    ck_assert_ptr_null(strstr(m, "b2xkLXBhc3N3b3Jk"));
    ck_assert_ptr_nonnull(strstr(m, "-  keystore-password: ***\n"));
    ck_assert_ptr_nonnull(strstr(m, "+  keystore-password: ***\n"));
    ck_assert_ptr_nonnull(strstr(m, "   name: server-encryption-stores\n"));
    ck_assert_ptr_nonnull(strstr(m, "# the password *** in clear\n"));
    hb_free(h);
}
END_TEST

START_TEST(test_mask_diff_keeps_structure_and_hides_values)
{
    const char *known[] = { "s3cr3t-value", "c2VjcmV0" };
    const char *in =
        "diff -u -N /tmp/LIVE-1/k8ssandra.io.v1alpha1.K8ssandraCluster.ns.test /tmp/MERGED-1/k8ssandra.io.v1alpha1.K8ssandraCluster.ns.test\n"
        "@@ -1,3 +1,3 @@\n"
        "   data: not-a-secret\n"
        "-  serverVersion: 4.0.1\n"
        "+  serverVersion: 4.0.2\n"
        "diff -u -N /tmp/LIVE-1/v1.Secret.ns.s /tmp/MERGED-1/v1.Secret.ns.s\n"
        "@@ -1,12 +1,14 @@\n"
        " data:\n"
        "-  keystore: '*** (before)'\n"
        "+  keystore: '*** (after)'\n"
        "+  cert.pem: |\n"
        "+    -----BEGIN CERTIFICATE-----\n"
        "+    MIIBdata\n"
        " kind: Secret\n"
        " metadata:\n"
        "   name: s\n"
        "@@ -20,3 +22,3 @@\n"
        "   namespace: ns\n"
        "-  truststore: QUJDREVGR0g=\n"
        "+  truststore: SUpLTE1OT1A=\n"
        " stringData:\n"
        "+  password: plain-text-pw\n"
        " type: Opaque\n"
        "+note: s3cr3t-value and c2VjcmV0\n";
    char *m = k8tls_kube_mask_diff(in, known, 2);
    ck_assert_ptr_nonnull(m);
    /* non-Secret files are untouched */
    ck_assert_ptr_nonnull(strstr(m, "   data: not-a-secret\n"));
    ck_assert_ptr_nonnull(strstr(m, "+  serverVersion: 4.0.2\n"));
    /* kubectl's own masks are kept as they are */
    ck_assert_ptr_nonnull(strstr(m, "-  keystore: '*** (before)'\n"));
    ck_assert_ptr_nonnull(strstr(m, "+  keystore: '*** (after)'\n"));
    /* block scalars: the key stays, the lines are masked */
    ck_assert_ptr_nonnull(strstr(m, "+  cert.pem: |\n+    ***\n+    ***\n"));
    /* a hunk that starts inside data: (no "data:" line visible) */
    ck_assert_ptr_nonnull(strstr(m, "   namespace: ns\n"));
    ck_assert_ptr_nonnull(strstr(m, "-  truststore: ***\n"));
    ck_assert_ptr_nonnull(strstr(m, "+  truststore: ***\n"));
    ck_assert_ptr_nonnull(strstr(m, "+  password: ***\n"));
    ck_assert_ptr_nonnull(strstr(m, "   name: s\n"));
    ck_assert_ptr_nonnull(strstr(m, " type: Opaque\n"));
    /* known values anywhere */
    ck_assert_ptr_nonnull(strstr(m, "+note: *** and ***\n"));
    ck_assert_ptr_null(strstr(m, "QUJDREVGR0g"));
    ck_assert_ptr_null(strstr(m, "plain-text-pw"));
    ck_assert_ptr_null(strstr(m, "MIIBdata"));
    free(m);

    m = k8tls_kube_mask_diff("", NULL, 0);
    ck_assert_str_eq(m, "");
    free(m);
}
END_TEST

START_TEST(test_kubectl_exiting_without_reading_a_large_object_is_not_fatal)
{
    /* an object larger than a pipe buffer, and a kubectl that never reads it: EPIPE, no
     * SIGPIPE death, and the exit code decides */
    setenv("FAKE_NO_READ", "1", 1);
    const char *dcs[] = { "" };
    struct hb *h = hb_new("ns1", "test", dcs, 1);
    size_t big = 1024 * 1024;
    unsigned char *data = malloc(big);
    memset(data, 'x', big);
    free(h->bundle.v[0].data);
    h->bundle.v[0].data = data;
    h->bundle.v[0].len = big;
    struct seen s = { 0 };
    struct k8tls_err e;
    struct k8tls_apply_opts o = opts(&s, &e);
    ck_assert_int_eq(k8tls_kube_apply(&h->bundle, &h->plan, &o), K8TLS_OK);
    ck_assert_int_eq(calls(), 2);   /* the Secrets, then the cluster */
    hb_free(h);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("kube");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_secrets_go_to_every_datacenter_context_first_then_the_cluster);
    tcase_add_test(tc, test_no_secret_value_ever_appears_in_kubectl_argv);
    tcase_add_test(tc, test_extra_contexts_get_the_secrets_and_the_first_gets_the_cluster);
    tcase_add_test(tc, test_objects_without_a_namespace_are_applied_to_the_plans);
    tcase_add_test(tc, test_missing_kubectl_is_exit_3_with_the_reason);
    tcase_add_test(tc, test_unknown_context_or_no_current_context_runs_nothing);
    tcase_add_test(tc, test_failure_midway_says_exactly_what_was_applied);
    tcase_add_test(tc, test_conflict_is_exit_1_and_validation_too);
    tcase_add_test(tc, test_report_goes_to_on_text_and_the_core_prints_nothing);
    tcase_add_test(tc, test_unreachable_api_is_found_before_anything_is_applied);
    tcase_add_test(tc, test_diff_runs_kubectl_diff_and_masks_secret_values);
    tcase_add_test(tc, test_mask_diff_keeps_structure_and_hides_values);
    tcase_add_test(tc, test_kubectl_exiting_without_reading_a_large_object_is_not_fatal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
