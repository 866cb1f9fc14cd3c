/* Inspect's entry points (include/k8tls/inspect.h): a path (a store, a PEM or DER file, a Secret
 * YAML file, a directory, an output directory of bundle.h's layout) or in-memory blobs become
 * groups of blobs, each reported and checked. Calls inspect_secret.c (Secret YAML files),
 * inspect.c (entries, checks), inspect_group.c (groups), inspect_report.c (the model) and the
 * store readers; no inspect file calls back into it. */
#include "config.h"
#include "inspect_int.h"
#include "k8tls/answers.h"
#include "k8tls/infile.h"
#include "k8tls/i18n.h"
#include "store_int.h"
#include "ydoc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void process_group(struct k8tls_inspect_report *r, struct group *g, bool lenient);

#if !ENABLE_NLS
#define dngettext(domain, one, many, n) ((n) == 1 ? (one) : (many))
#endif

/* The kinds of a cert-manager output directory (k8tls/certmanager.h): they hold no key. */
static bool cert_manager_kind(const char *k)
{
    return strcmp(k, "Certificate") == 0 || strcmp(k, "Issuer") == 0 ||
           strcmp(k, "ClusterIssuer") == 0 || strcmp(k, "Bundle") == 0;
}

/* spec.secretName of a Certificate, or "" (copied into buf). */
static void certificate_secret(const unsigned char *data, size_t len, char *buf, size_t n)
{
    yaml_parser_t parser;
    struct ydoc y;
    buf[0] = '\0';
    if (!yaml_parser_initialize(&parser))
        return;
    memset(&y, 0, sizeof y);
    yaml_parser_set_input_string(&parser, data, len);
    int ok = yaml_parser_load(&parser, &y.doc);
    yaml_parser_delete(&parser);
    if (!ok)
        return;
    int root = ydoc_root(&y);
    const char *v = root ? ydoc_scalar(&y, ydoc_map_get(&y, ydoc_map_get(&y, root, "spec"),
                                                        "secretName"))
                         : NULL;
    if (v)
        snprintf(buf, n, "%s", v);
    ydoc_free(&y);
}

/* A cert-manager object (a file of a cert-manager output directory): what it is, and that the
 * key and certificate are made by cert-manager in the cluster, not found here. */
static void cert_manager_item(struct k8tls_inspect_report *r, const char *display,
                              const unsigned char *data, size_t len, const char *kind)
{
    char secret[256];
    long ix = insp_item_new(r, display, "");
    if (ix < 0)
        return;
    struct k8tls_inspect_item *it = &r->v[ix];
    if (strcmp(kind, "Certificate") == 0) {
        certificate_secret(data, len, secret, sizeof secret);
        insp_set_what(it, "%s", _("cert-manager Certificate"));
        note(&it->notes, K8TLS_SEV_NOTE,
             _("holds no key: cert-manager issues it inside the cluster into the Secret %s; "
               "inspect that Secret there (kubectl get secret %s -o yaml > s.yaml, then "
               "k8tls-wizard inspect s.yaml)"),
             secret[0] ? secret : "?", secret[0] ? secret : "?");
    } else if (strcmp(kind, "Bundle") == 0) {
        insp_set_what(it, "%s", _("trust-manager Bundle"));
        note(&it->notes, K8TLS_SEV_NOTE, "%s",
             _("holds no key: trust-manager writes its truststores into a Secret inside the "
               "cluster"));
    } else {
        insp_set_what(it, _("cert-manager %s"), kind);
        note(&it->notes, K8TLS_SEV_NOTE, "%s", _("holds no key: it names who signs"));
    }
}

/* A YAML file holding Secrets: each Secret's problems and data, in the order of the file, then
 * what is wrong with the file as a whole. */
static void secret_file(struct k8tls_inspect_report *r, const char *display, const unsigned char *data,
                        size_t len, const struct k8tls_inspect_opts *o, bool quiet_if_none)
{
    struct insp_secret_file f;
    insp_secret_file_read(&f, display, data, len, o, quiet_if_none);
    for (size_t i = 0; i < f.n; i++) {
        struct insp_secret *sec = &f.v[i];
        for (size_t k = 0; k < sec->pre.n; k++) {
            long ix = insp_item_new(r, sec->where, _("Secret"));
            if (ix >= 0)
                note(&r->v[ix].notes, sec->pre.v[k].sev, "%s", sec->pre.v[k].msg);
        }
        process_group(r, &sec->g, true);
    }
    bool failed = f.err[0] != '\0';
    if (!failed && f.count == 0 && cert_manager_kind(f.first_kind)) {
        cert_manager_item(r, display, data, len, f.first_kind);
        insp_secret_file_free(&f);
        return;
    }
    if ((f.count > 0 && !failed) || (quiet_if_none && !f.count)) {
        insp_secret_file_free(&f);
        return;
    }
    long ix = insp_item_new(r, display, _("YAML file"));
    if (ix >= 0) {
        if (failed)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s", f.err);
        else
            note(&r->v[ix].notes, K8TLS_SEV_ERROR,
                 _("not a keystore, PEM file or Kubernetes Secret (YAML of kind '%s')"),
                 f.first_kind[0] ? f.first_kind : "-");
    }
    insp_secret_file_free(&f);
}

/* Reports the blobs of a group, then checks them against each other. */
static void process_group(struct k8tls_inspect_report *r, struct group *g, bool lenient)
{
    size_t n0 = g->n;
    for (size_t i = 0; i < n0; i++) {
        if (!g->v[i].report)
            continue;
        insp_blob_parse(g, i);
        struct blob *b = &g->v[i];
        if (b->type == BT_TEXT && !g->in_secret && b->data) {
            /* a Secret YAML file; in a directory walk other YAML (kustomization...) is skipped */
            if (insp_is_password_name(b->name)) {
                b->item = insp_item_new(r, b->display, _("password (not shown)"));
                continue;
            }
            char *disp = strdup(b->display);
            if (disp)
                secret_file(r, disp, g->v[i].data->data, g->v[i].data->len, g->o,
                            lenient && !g->yaml_strict);
            free(disp);
            continue;
        }
        if (lenient && !b->read_error && (b->type == BT_OTHER || b->type == BT_TEXT)) {
            if (!g->in_secret)
                continue;
            long ix = insp_item_new(r, b->display, _("text value (not shown)"));
            b = &g->v[i];
            b->item = ix;
            continue;
        }
        long ix = insp_item_new(r, b->display, "");
        if (ix < 0)
            return;
        b = &g->v[i];
        b->item = ix;
        struct k8tls_inspect_item *it = &r->v[ix];
        if (b->read_error) {
            insp_set_what(it, "%s", _("unreadable"));
            note(&it->notes, K8TLS_SEV_ERROR, "%s", b->read_error);
            continue;
        }
        switch (b->type) {
        case BT_STORE:
            if (b->store_error) {
                insp_set_what(it, "%s", _("keystore or truststore"));
                note(&it->notes, K8TLS_SEV_ERROR, "%s", b->store_error);
            } else {
                insp_store_entries(it, b->store);
                if (b->fixed_password)
                    note(&it->notes, K8TLS_SEV_NOTE, "%s",
                         _("opened with changeit, the password Reaper hard-codes for its "
                           "stores and their key entry (not a secret)"));
            }
            break;
        case BT_PEM:
            insp_pem_entries(it, b);
            break;
        case BT_DER_CERT:
            insp_pem_entries(it, b);
            insp_set_what(it, "%s", _("DER certificate"));
            break;
        default:
            insp_set_what(it, "%s", _("unknown"));
            note(&it->notes, K8TLS_SEV_ERROR, "%s",
                 b->data && b->data->len == 0 ? _("empty file")
                                              : _("not a keystore, PEM file or Kubernetes Secret"));
        }
    }
    for (size_t i = 0; i < n0; i++) {
        insp_check_store_chain(r, g, i);
        insp_check_pem_key(r, g, i);
        insp_check_pem_ca(r, g, i);
        insp_check_tls_key(r, g, i);
    }
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of dir as one group (password files used, not reported). */
static void group_dir(struct k8tls_inspect_report *r, const char *dir, const struct k8tls_inspect_opts *o,
                      bool lenient, const char *only_prefix)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, name_cmp);
    if (n < 0) {
        long ix = insp_item_new(r, dir, _("directory"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("cannot read: %s"), strerror(errno));
        return;
    }
    struct group g = { .o = o, .dir = dir, .yaml_strict = only_prefix != NULL };
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        char *path = nm[0] != '.' ? k8tls_path_join(dir, nm) : NULL;
        if (path && insp_is_regular(path) && (!only_prefix || strncmp(nm, only_prefix, strlen(only_prefix)) == 0))
            insp_group_add_file(&g, dir, nm, !insp_is_password_name(nm));
        free(path);
        free(names[i]);
    }
    free(names);
    process_group(r, &g, lenient);
    insp_group_free(&g);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *password_file(const char *path)
{
    char ref[4200];
    snprintf(ref, sizeof ref, "file:%s", path);
    struct k8tls_err e;
    k8tls_err_clear(&e);
    return k8tls_password_resolve(ref, NULL, &e);
}

static long find_item(const struct k8tls_inspect_report *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Medusa connects to Cassandra with client.crt_signed: some truststore of stores/ must trust it
 * (K7, K8). Which Secret is the client one is in the manifest; any truststore that trusts the
 * certificate will do for this check. */
static void check_medusa_trusted(struct k8tls_inspect_report *r, const char *medusa, const char *stores)
{
    char *cpath = k8tls_path_join(medusa, "client.crt_signed");
    long ix = cpath ? find_item(r, cpath) : -1;
    struct k8tls_secret *data = NULL;
    STACK_OF(X509) *certs = NULL;
    struct k8tls_err e;
    if (ix < 0 || r->v[ix].n == 0 || k8tls_store_read_bytes(cpath, K8TLS_READ_MAX_BYTES, &data, &e)
        || k8tls_pem_read_certs(data->data, data->len, cpath, &certs, &e)) {
        k8tls_secret_free(data);
        free(cpath);
        return;
    }
    struct dirent **names = NULL;
    int n = scandir(stores, &names, NULL, name_cmp);
    char *trusted_by = NULL;
    int looked = 0;
    for (int i = 0; i < n; i++) {
        char *sub = names[i]->d_name[0] != '.' ? k8tls_path_join(stores, names[i]->d_name) : NULL;
        char *tpath = sub ? k8tls_path_join(sub, "truststore") : NULL;
        char *ppath = sub ? k8tls_path_join(sub, "truststore-password") : NULL;
        struct k8tls_secret *tb = NULL;
        char *pw = NULL;
        struct k8tls_store *ts = NULL;
        if (!trusted_by && tpath && ppath && insp_is_regular(tpath)
            && (pw = password_file(ppath)) != NULL
            && k8tls_store_read_bytes(tpath, K8TLS_READ_MAX_BYTES, &tb, &e) == 0
            && k8tls_store_read(tb->data, tb->len, tpath, pw, &ts, &e) == 0) {
            looked++;
            STACK_OF(X509) *trusted = insp_trusted_of(ts);
            STACK_OF(X509) *untrusted = sk_X509_new_null();
            for (int j = 1; untrusted && j < sk_X509_num(certs); j++)
                sk_X509_push(untrusted, sk_X509_value(certs, j));
            const char *why;
            if (k8tls_x509_verify_chain(sk_X509_value(certs, 0), untrusted, trusted, NULL, &why) == 0)
                trusted_by = strdup(tpath);
            sk_X509_free(untrusted);
            sk_X509_free(trusted);
        }
        k8tls_store_free(ts);
        k8tls_secret_free(tb);
        k8tls_secure_free_str(pw);
        free(tpath);
        free(ppath);
        free(sub);
        free(names[i]);
    }
    free(names);
    struct k8tls_inspect_entry *en = &r->v[ix].v[0];
    if (trusted_by)
        note(&en->notes, K8TLS_SEV_NOTE, _("trusted by %s: Cassandra accepts Medusa's client certificate"),
             trusted_by);
    else if (looked)
        note(&en->notes, K8TLS_SEV_WARNING, "%s",
             _("no truststore of stores/ trusts this certificate: Cassandra will refuse Medusa "
               "when it requires client certificates"));
    free(trusted_by);
    sk_X509_pop_free(certs, X509_free);
    k8tls_secret_free(data);
    free(cpath);
}

/* Every subdirectory of dir as one group each (stores/<secret>/, tls/<secret>/). */
static void group_subdirs(struct k8tls_inspect_report *r, const char *dir,
                          const struct k8tls_inspect_opts *o)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, name_cmp);
    for (int i = 0; i < n; i++) {
        char *sub = names[i]->d_name[0] != '.' ? k8tls_path_join(dir, names[i]->d_name) : NULL;
        if (sub && is_dir(sub))
            group_dir(r, sub, o, false, NULL);
        free(sub);
        free(names[i]);
    }
    free(names);
}

/* Medusa's gRPC probe dials localhost with the server certificate (G1): the server Secret's
 * tls.crt must name localhost, 127.0.0.1 and ::1. */
static void check_grpc_sans(struct k8tls_inspect_item *it)
{
    size_t n = strlen(it->name);
    if (n < 7 || strcmp(it->name + n - 7, "tls.crt") != 0 || it->n == 0)
        return;
    struct k8tls_inspect_entry *en = &it->v[0];
    static const char *const want[] = { "DNS:localhost", "IP:127.0.0.1", "IP:::1" };
    const char *missing = NULL;
    for (size_t w = 0; w < 3 && !missing; w++) {
        bool found = false;
        for (size_t k = 0; en->sans && en->sans[k] && !found; k++)
            found = strcmp(en->sans[k], want[w]) == 0;
        if (!found)
            missing = want[w];
    }
    if (missing)
        note(&en->notes, K8TLS_SEV_WARNING,
             _("Medusa's gRPC health probe dials localhost with this certificate, and it does not "
               "name %s"), missing);
    else
        note(&en->notes, K8TLS_SEV_NOTE, "%s",
             _("names localhost, 127.0.0.1 and ::1, as Medusa's gRPC health probe needs"));
}

/* The Secrets of SPEC §10 in an output directory, as the answers name them: each item of theirs
 * (tls/<secret>/..., or "Secret <secret>: ..." of manifests/) says which surface it serves. */
static void label_surfaces(struct k8tls_inspect_report *r, size_t from, const char *dir)
{
    char *path = k8tls_path_join(dir, "answers.yaml");
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    struct k8tls_plan *p = path && insp_is_regular(path) ? k8tls_answers_load(path, &d) : NULL;
    k8tls_diags_free(&d);
    free(path);
    if (!p)
        return;
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper, *mg = &p->encryption.medusa_grpc;
    const struct {
        bool on;
        const char *name;
        const char *role;
        bool probe;             /* the gRPC server Secret: its tls.crt must name localhost */
    } v[] = {
        { k8tls_plan_wants_mgmt_api(p), ma->server_secret_name,
          _("management API mutual TLS: server Secret (managementApiAuth.manual)"), false },
        { k8tls_plan_wants_mgmt_api(p), ma->client_secret_name,
          _("management API mutual TLS: client Secret (managementApiAuth.manual)"), false },
        { k8tls_plan_wants_reaper_api(p), rp->server_secret_name,
          _("Reaper's API: server stores (reaper.encryption.serverCertName)"), false },
        { k8tls_plan_wants_reaper_api(p), rp->client_secret_name,
          _("Reaper's API: client Secret (reaper.encryption.clientCertName)"), false },
        { k8tls_plan_wants_reaper_mgmt(p), rp->management_secret_name,
          _("Reaper to the management API: its stores (reaper.httpManagement.keystores)"), false },
        { k8tls_plan_wants_medusa_grpc(p), mg->server_secret_name,
          _("Medusa gRPC mutual TLS: server Secret (medusa.serviceProperties.encryption)"), true },
        { k8tls_plan_wants_medusa_grpc(p), mg->client_secret_name,
          _("Medusa gRPC mutual TLS: client Secret (medusa.serviceProperties.encryption)"), false },
    };
    for (size_t i = from; i < r->n; i++) {
        struct k8tls_inspect_item *it = &r->v[i];
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            char a[600], b[600];
            if (!v[j].on || !v[j].name)
                continue;
            snprintf(a, sizeof a, "/tls/%s/", v[j].name);
            snprintf(b, sizeof b, ": Secret %s: ", v[j].name);
            if (strstr(it->name, a) || strstr(it->name, b)) {
                char *what = strdup(it->what ? it->what : "");
                if (what)
                    insp_set_what(it, "%s; %s", what, v[j].role);
                free(what);
                if (v[j].probe)
                    check_grpc_sans(it);
                break;
            }
        }
    }
    k8tls_plan_free(p);
}

/* A cert-manager output directory (k8tls/certmanager.h): its manifests/ has Issuers,
 * Certificates or a Bundle. */
static bool is_cert_manager_dir(const char *manifests)
{
    static const char *const prefixes[] = {"11-issuer-", "12-certificate-", "13-issuer-",
                                           "15-certificate-", "17-bundle-"};
    struct dirent **names = NULL;
    int n = scandir(manifests, &names, NULL, name_cmp);
    bool found = false;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
            if (strncmp(names[i]->d_name, prefixes[k], strlen(prefixes[k])) == 0)
                found = true;
        free(names[i]);
    }
    free(names);
    return found;
}

/* Its Secrets (passwords, an imported CA) and its cert-manager objects, and a first item that
 * says what the directory holds: no key, Certificates for cert-manager to issue. */
static void cert_manager_dir(struct k8tls_inspect_report *r, const char *dir,
                             const char *manifests, const struct k8tls_inspect_opts *o)
{
    long top = insp_item_new(r, dir, _("cert-manager output directory"));
    size_t from = r->n;
    group_dir(r, manifests, o, true, "1");
    size_t certs = 0;
    for (size_t i = from; i < r->n; i++) {
        struct k8tls_inspect_item *it = &r->v[i];
        if (it->what && strcmp(it->what, _("cert-manager Certificate")) == 0)
            certs++;
        /* a password Secret holds only passwords: that is what it is for */
        for (size_t k = 0; k < it->notes.n; k++)
            if (it->notes.v[k].sev == K8TLS_SEV_WARNING &&
                strcmp(it->notes.v[k].msg,
                       _("the Secret holds only passwords: no store or certificate to check")) == 0)
                it->notes.v[k].sev = K8TLS_SEV_NOTE;
    }
    if (top >= 0)
        note(&r->v[top].notes, K8TLS_SEV_NOTE,
             dngettext(PACKAGE,
                       "holds no key and no store: %zu Certificate for cert-manager to issue "
                       "inside the cluster",
                       "holds no key and no store: %zu Certificates for cert-manager to issue "
                       "inside the cluster",
                       certs),
             certs);
}

/* An output directory (bundle.h): ca/, stores/<secret>/, medusa/, tls/<secret>/,
 * manifests/10-secret-*.yaml. */
static void walk_output_dir(struct k8tls_inspect_report *r, const char *dir, const struct k8tls_inspect_opts *o)
{
    size_t before = r->n;
    char *ca = k8tls_path_join(dir, "ca"), *stores = k8tls_path_join(dir, "stores"),
         *medusa = k8tls_path_join(dir, "medusa"), *manifests = k8tls_path_join(dir, "manifests"),
         *tls = k8tls_path_join(dir, "tls");
    if (ca && is_dir(ca))
        group_dir(r, ca, o, false, NULL);
    if (stores && is_dir(stores))
        group_subdirs(r, stores, o);
    if (medusa && is_dir(medusa)) {
        group_dir(r, medusa, o, false, NULL);
        if (stores && is_dir(stores))
            check_medusa_trusted(r, medusa, stores);
    }
    if (tls && is_dir(tls))
        group_subdirs(r, tls, o);
    bool cm = manifests && is_cert_manager_dir(manifests);
    if (cm)
        cert_manager_dir(r, dir, manifests, o);
    else if (manifests && is_dir(manifests))
        group_dir(r, manifests, o, true, "10-secret-");
    label_surfaces(r, before, dir);
    if (r->n == before) {
        long ix = insp_item_new(r, dir, _("directory"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s",
                 _("no store, certificate, key or Secret found in this output directory"));
    }
    free(ca);
    free(stores);
    free(medusa);
    free(manifests);
    free(tls);
}

void k8tls_inspect_path(struct k8tls_inspect_report *r, const char *path, const struct k8tls_inspect_opts *o)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        long ix = insp_item_new(r, path, _("missing"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("cannot read: %s"), strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        /* a FIFO would block the read forever; a device reads as nonsense */
        long ix = insp_item_new(r, path, _("not a file"));
        if (ix >= 0)
            note(&r->v[ix].notes, K8TLS_SEV_ERROR, _("not a regular file (%s)"),
                 k8tls_file_kind_name((unsigned)st.st_mode));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        static const char *const marks[] = { "kustomization.yaml", "stores", "ca", "medusa" };
        bool layout = false;
        for (size_t i = 0; i < sizeof marks / sizeof marks[0] && !layout; i++) {
            char *m = k8tls_path_join(path, marks[i]);
            struct stat ms;
            layout = m && stat(m, &ms) == 0;
            free(m);
        }
        size_t before = r->n;
        if (layout)
            walk_output_dir(r, path, o);
        else
            group_dir(r, path, o, true, NULL);
        if (r->n == before) {
            long ix = insp_item_new(r, path, _("directory"));
            if (ix >= 0)
                note(&r->v[ix].notes, K8TLS_SEV_ERROR, "%s",
                     _("no store, certificate, key or Secret found in this directory"));
        }
        return;
    }
    char *copy = strdup(path);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    const char *name = slash ? slash + 1 : copy;
    char *dir = slash ? (slash == copy ? strdup("/") : strndup(copy, (size_t)(slash - copy))) : strdup(".");
    struct group g = { .o = o, .dir = dir };
    struct k8tls_secret *data = NULL;
    struct k8tls_err e;
    k8tls_err_clear(&e);
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &data, &e))
        insp_group_add(&g, name, path, NULL, e.msg, true);
    else
        insp_group_add(&g, name, path, data, NULL, true);
    process_group(r, &g, false);
    insp_group_free(&g);
    free(dir);
    free(copy);
}

void k8tls_inspect_blobs(struct k8tls_inspect_report *r, const char *where,
                         const struct k8tls_inspect_blob *v, size_t n, const struct k8tls_inspect_opts *o)
{
    struct group g = { .o = o, .in_secret = true };
    for (size_t i = 0; i < n; i++) {
        char disp[1400];
        snprintf(disp, sizeof disp, "%s: %s", where ? where : "-", v[i].name);
        insp_group_add(&g, v[i].name, disp, k8tls_secret_new(v[i].data, v[i].len), NULL,
                       !insp_is_password_name(v[i].name));
    }
    process_group(r, &g, true);
    insp_group_free(&g);
}
