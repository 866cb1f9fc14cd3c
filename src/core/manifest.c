/* The K8ssandraCluster manifest: a new one from the plan, and the encryption parts (K1-K8, K10,
 * K13) set into any K8ssandraCluster document (new or merged); the identity the bundle's objects
 * use (k8tls_identity_clear).
 * Called by bundle.c and merge.c. May call changes.c (to record what a merge changed) and
 * secrets.c (Secret key names), and below the bundle ydoc.c, the plan and err.c; never bundle.c,
 * merge.c or nextsteps.c. */
#include "config.h"
#include "bundle_int.h"
#include "k8tls/certmanager.h"
#include "k8tls/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void k8tls_identity_clear(struct k8tls_identity *id)
{
    if (!id)
        return;
    free(id->name);
    free(id->namespace_);
    memset(id, 0, sizeof *id);
}

/* ---- the encryption parts --------------------------------------------------------------- */

struct enc {
    struct ydoc *y;
    const struct k8tls_plan *p;
    bool dse;
    const char *file;
    struct k8tls_bundle *track;   /* NULL: a new manifest, nothing to report */
    struct k8tls_err *e;
    bool failed;
};

static void change(struct enc *c, int what, const char *path)
{
    if (c->track && k8tls_bundle_add_change(c->track, what, path) < 0)
        c->y->oom = true;
}

static void note(struct enc *c, const char *path, const char *msg)
{
    if (c->track)
        k8tls_diags_add(&c->track->notes, K8TLS_SEV_NOTE, c->file, 0, 0, path, "%s", msg);
}

static void pathcat(char *buf, size_t len, const char *base, const char *key)
{
    int n = *base ? snprintf(buf, len, "%s.%s", base, key) : snprintf(buf, len, "%s", key);
    if (n < 0)
        buf[0] = '\0';
}

/* Sets parent[key] = value and reports ADDED / REPLACED (nothing when equal). quiet: the
 * enclosing block is itself new and reported once. */
static void set_tracked(struct enc *c, int parent, const char *base, const char *key, int value,
                        bool quiet)
{
    char path[512];
    if (!value)
        return;
    int old = ydoc_map_get(c->y, parent, key);
    pathcat(path, sizeof path, base, key);
    if (!quiet) {
        if (!old)
            change(c, K8TLS_CHANGE_ADDED, path);
        else if (!ydoc_equal(c->y, old, value))
            change(c, K8TLS_CHANGE_REPLACED, path);
    }
    ydoc_map_set(c->y, parent, key, value);
}

static bool remove_tracked(struct enc *c, int parent, const char *base, const char *key)
{
    char path[512];
    if (!ydoc_map_remove(c->y, parent, key))
        return false;
    pathcat(path, sizeof path, base, key);
    change(c, K8TLS_CHANGE_REMOVED, path);
    return true;
}

static void fail_not_map(struct enc *c, int node, const char *path)
{
    yaml_node_t *n = ydoc_node(c->y, node);
    int line = n ? (int)n->start_mark.line + 1 : 0, col = n ? (int)n->start_mark.column + 1 : 0;
    if (!c->failed)
        k8tls_err_set(c->e, c->file, c->file ? line : 0, c->file ? col : 0,
                      _("%s: expected a mapping"), path);
    c->failed = true;
}

static int ensure(struct enc *c, int parent, const char *base, const char *key)
{
    int bad = 0;
    char path[512];
    if (!parent)
        return 0;
    int v = ydoc_map_ensure(c->y, parent, key, &bad);
    if (!v && bad) {
        pathcat(path, sizeof path, base, key);
        fail_not_map(c, bad, path);
    }
    return v;
}

static int ref(struct enc *c, const char *name, const char *key)
{
    int m = ydoc_map(c->y);
    ydoc_map_add(c->y, m, "name", ydoc_str(c->y, name));
    ydoc_map_add(c->y, m, "key", ydoc_str(c->y, key));
    return m;
}

/* K1, K2: both store refs with their keys, and the password refs. The operator reads a store's
 * password from the store ref's own key whenever that key is set (ReadEncryptionStorePassword),
 * so setting `key` (K1) makes the password refs mandatory: always emitted. */
static int cm_store_refs(struct enc *c, const struct k8tls_store_set *s);

static int store_refs(struct enc *c, const struct k8tls_store_set *s)
{
    const struct k8tls_secret_keys *k = &s->keys;
    if (k8tls_plan_cert_manager(c->p))
        return cm_store_refs(c, s);
    int m = ydoc_map(c->y);
    ydoc_map_add(c->y, m, "keystoreSecretRef",
                 ref(c, s->secret_name, k8tls_store_key(k->keystore, K8TLS_SECRET_KEY_KEYSTORE)));
    ydoc_map_add(c->y, m, "truststoreSecretRef",
                 ref(c, s->secret_name, k8tls_store_key(k->truststore, K8TLS_SECRET_KEY_TRUSTSTORE)));
    ydoc_map_add(c->y, m, "keystorePasswordSecretRef",
                 ref(c, s->secret_name,
                     k8tls_store_key(k->keystore_password, K8TLS_SECRET_KEY_KEYSTORE_PASSWORD)));
    ydoc_map_add(c->y, m, "truststorePasswordSecretRef",
                 ref(c, s->secret_name,
                     k8tls_store_key(k->truststore_password, K8TLS_SECRET_KEY_TRUSTSTORE_PASSWORD)));
    return m;
}

/* C3: cert-manager's keys, named explicitly (keystore.p12 / truststore.p12, or .jks), and the
 * password refs on the password Secret the output writes (cert-manager writes no password into
 * the store Secret). With trustManager the truststore is the Bundle's target Secret (C6). */
static int cm_store_refs(struct enc *c, const struct k8tls_store_set *s)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_secret_keys *k = &s->keys;
    char *pw = k8tls_cm_password_secret(s->secret_name);
    char *bundle = p->output.trust_manager ? k8tls_cm_name(p, K8TLS_CM_TRUST_BUNDLE) : NULL;
    int m = ydoc_map(c->y);
    if (!pw || (p->output.trust_manager && !bundle)) {
        c->y->oom = true;
    } else {
        ydoc_map_add(c->y, m, "keystoreSecretRef",
                     ref(c, s->secret_name, k8tls_cm_keystore_key(p)));
        ydoc_map_add(c->y, m, "truststoreSecretRef",
                     ref(c, bundle ? bundle : s->secret_name, k8tls_cm_truststore_key(p)));
        ydoc_map_add(c->y, m, "keystorePasswordSecretRef",
                     ref(c, pw, k8tls_store_key(k->keystore_password,
                                                K8TLS_CM_KEY_KEYSTORE_PASSWORD)));
        ydoc_map_add(c->y, m, "truststorePasswordSecretRef",
                     ref(c, pw, k8tls_store_key(k->truststore_password,
                                                K8TLS_CM_KEY_TRUSTSTORE_PASSWORD)));
    }
    free(pw);
    free(bundle);
    return m;
}

/* K8: the fixed, odd mapping; `key` on all three; keystorePasswordSecretRef is ignored. C4: in
 * cert-manager mode the same roles on the keys cert-manager writes. */
static int medusa_refs(struct enc *c, const char *secret)
{
    bool cm = k8tls_plan_cert_manager(c->p);
    /* C6: with trustManager Medusa verifies the nodes with every CA of the Bundle's Secret (each
     * ref is mounted on its own, so it may name another Secret), as the truststores do */
    char *bundle = cm && c->p->output.trust_manager ? k8tls_cm_name(c->p, K8TLS_CM_TRUST_BUNDLE)
                                                    : NULL;
    if (cm && c->p->output.trust_manager && !bundle)
        c->y->oom = true;
    int m = ydoc_map(c->y);
    ydoc_map_add(c->y, m, "keystoreSecretRef",
                 ref(c, bundle ? bundle : secret, cm ? K8TLS_CM_KEY_CA : K8TLS_MEDUSA_KEY_CA));
    free(bundle);
    ydoc_map_add(c->y, m, "truststoreSecretRef",
                 ref(c, secret, cm ? K8TLS_CM_KEY_CERT : K8TLS_MEDUSA_KEY_CERT));
    ydoc_map_add(c->y, m, "truststorePasswordSecretRef",
                 ref(c, secret, cm ? K8TLS_CM_KEY_KEY : K8TLS_MEDUSA_KEY_KEY));
    return m;
}

static const char *store_type_name(enum k8tls_store_format f)
{
    return f == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12";
}

/* K4: filled by the operator from the Secrets; a value here would win and leak the password. */
static const char *const operator_filled[] = {"keystore", "truststore", "keystore_password",
                                              "truststore_password"};

static void remove_operator_filled(struct enc *c, int blk, const char *base)
{
    for (size_t i = 0; i < sizeof operator_filled / sizeof operator_filled[0]; i++) {
        if (remove_tracked(c, blk, base, operator_filled[i])) {
            char path[512], msg[512];
            pathcat(path, sizeof path, base, operator_filled[i]);
            snprintf(msg, sizeof msg, "%s",
                     _("removed: the operator fills it from the Secret; a value in the manifest "
                       "would override it (and put a password in clear in the manifest)"));
            note(c, path, msg);
        }
    }
}

/* K5: one store type for both stores of a block, explicit; DSE names it twice. */
static void set_store_type(struct enc *c, int blk, const char *base, bool quiet)
{
    const char *t = store_type_name(c->p->stores.format);
    if (c->dse) {
        set_tracked(c, blk, base, "keystore_type", ydoc_str(c->y, t), quiet);
        set_tracked(c, blk, base, "truststore_type", ydoc_str(c->y, t), quiet);
        remove_tracked(c, blk, base, "store_type");
    } else {
        set_tracked(c, blk, base, "store_type", ydoc_str(c->y, t), quiet);
        remove_tracked(c, blk, base, "keystore_type");
        remove_tracked(c, blk, base, "truststore_type");
    }
}

static const char *const server_managed[] = {
    "internode_encryption", "require_client_auth", "require_endpoint_verification", "enabled",
    "store_type", "keystore_type", "truststore_type", "keystore", "truststore",
    "keystore_password", "truststore_password",
};
static const char *const client_managed[] = {
    "enabled", "optional", "require_client_auth", "store_type", "keystore_type",
    "truststore_type", "keystore", "truststore", "keystore_password", "truststore_password",
};

/* Removes the managed keys of a block (encryption turned off, or per-DC overrides); drops the
 * block when nothing else is left in it. */
static void clear_block(struct enc *c, int parent, const char *base, const char *blkname,
                        const char *const *keys, size_t nkeys)
{
    char bpath[512];
    int blk = ydoc_map_get(c->y, parent, blkname);
    if (!blk)
        return;
    pathcat(bpath, sizeof bpath, base, blkname);
    if (!ydoc_is_map(c->y, blk)) {
        remove_tracked(c, parent, base, blkname);
        return;
    }
    for (size_t i = 0; i < nkeys; i++)
        remove_tracked(c, blk, bpath, keys[i]);
    if (ydoc_map_len(c->y, blk) == 0)
        ydoc_map_remove(c->y, parent, blkname);
}

static void server_block(struct enc *c, int cas, int cy)
{
    const struct k8tls_plan *p = c->p;
    const char *base = "spec.cassandra.config.cassandraYaml";
    char bpath[512];
    pathcat(bpath, sizeof bpath, base, "server_encryption_options");

    if (!k8tls_plan_wants_server_stores(p)) {
        if (cy)
            clear_block(c, cy, base, "server_encryption_options", server_managed,
                        sizeof server_managed / sizeof server_managed[0]);
        remove_tracked(c, cas, "spec.cassandra", "serverEncryptionStores");
        return;
    }
    bool is_new = !ydoc_map_get(c->y, cy, "server_encryption_options");
    int seo = ensure(c, cy, base, "server_encryption_options");
    if (!seo)
        return;
    if (is_new)
        change(c, K8TLS_CHANGE_ADDED, bpath);
    /* K3: one of dc, rack, all; never `enabled` (ignored since Cassandra 4.0). */
    set_tracked(c, seo, bpath, "internode_encryption",
                ydoc_str(c->y, k8tls_internode_mode_name(p->encryption.internode.mode)), is_new);
    set_tracked(c, seo, bpath, "require_client_auth",
                ydoc_bool(c->y, p->encryption.internode.require_client_auth), is_new);
    set_tracked(c, seo, bpath, "require_endpoint_verification",
                ydoc_bool(c->y, p->encryption.internode.require_endpoint_verification), is_new);
    set_store_type(c, seo, bpath, is_new);
    remove_tracked(c, seo, bpath, "enabled");
    remove_operator_filled(c, seo, bpath);
    /* K1, K13: keystore and truststore, always both. */
    set_tracked(c, cas, "spec.cassandra", "serverEncryptionStores",
                store_refs(c, &p->stores.server), false);
}

static void client_block(struct enc *c, int cas, int cy)
{
    const struct k8tls_plan *p = c->p;
    const char *base = "spec.cassandra.config.cassandraYaml";
    char bpath[512];
    pathcat(bpath, sizeof bpath, base, "client_encryption_options");

    if (!k8tls_plan_wants_client_stores(p)) {
        /* K6: Reaper mounts clientEncryptionStores whenever they are set. */
        if (cy)
            clear_block(c, cy, base, "client_encryption_options", client_managed,
                        sizeof client_managed / sizeof client_managed[0]);
        remove_tracked(c, cas, "spec.cassandra", "clientEncryptionStores");
        return;
    }
    bool is_new = !ydoc_map_get(c->y, cy, "client_encryption_options");
    int ceo = ensure(c, cy, base, "client_encryption_options");
    if (!ceo)
        return;
    if (is_new)
        change(c, K8TLS_CHANGE_ADDED, bpath);
    /* K3: a YAML boolean. */
    set_tracked(c, ceo, bpath, "enabled", ydoc_bool(c->y, true), is_new);
    set_tracked(c, ceo, bpath, "optional", ydoc_bool(c->y, p->encryption.client.optional), is_new);
    set_tracked(c, ceo, bpath, "require_client_auth",
                ydoc_bool(c->y, p->encryption.client.require_client_auth), is_new);
    set_store_type(c, ceo, bpath, is_new);
    remove_operator_filled(c, ceo, bpath);
    /* stores.client.source reuse: the server stores' Secret serves the clients too. */
    const struct k8tls_store_set *set = p->stores.client.source == K8TLS_SOURCE_REUSE
                                            ? &p->stores.server : &p->stores.client;
    set_tracked(c, cas, "spec.cassandra", "clientEncryptionStores", store_refs(c, set), false);
}

/* A datacenter's own copy of an encryption block: its managed keys go; a block left empty goes
 * as one change, else each key it loses; the reason is said once per block. */
static bool clear_dc_block(struct enc *c, int dcy, const char *base, const char *blkname,
                           const char *const *keys, size_t nkeys)
{
    char bpath[512];
    int blk = ydoc_map_get(c->y, dcy, blkname);
    if (!blk)
        return false;
    pathcat(bpath, sizeof bpath, base, blkname);
    size_t managed = 0;
    for (size_t i = 0; ydoc_is_map(c->y, blk) && i < nkeys; i++)
        managed += ydoc_map_get(c->y, blk, keys[i]) != 0;
    if (!ydoc_is_map(c->y, blk) || managed == ydoc_map_len(c->y, blk)) {
        remove_tracked(c, dcy, base, blkname);
    } else if (managed > 0) {
        for (size_t i = 0; i < nkeys; i++)
            remove_tracked(c, blk, bpath, keys[i]);
    } else {
        return false;
    }
    note(c, bpath,
         _("removed: a datacenter's own encryption options override the cluster's (the operator "
           "merges a datacenter's config over spec.cassandra.config): encryption is set once, "
           "for the whole cluster"));
    return true;
}

/* K1: the stores and switches are cluster-wide; per-DC copies of the managed keys would
 * override them (the operator merges DC config over cluster config). Maps left empty by it
 * (cassandraYaml, config) go too. */
static void dc_overrides(struct enc *c, int cas)
{
    int dcs = ydoc_map_get(c->y, cas, "datacenters");
    yaml_node_t *n = ydoc_node(c->y, dcs);
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (size_t i = 0; i < count; i++) {
        n = ydoc_node(c->y, dcs);   /* the node array may move when nodes are added */
        int dc = n->data.sequence.items.start[i];
        int cfg = ydoc_map_get(c->y, dc, "config");
        int dcy = ydoc_map_get(c->y, cfg, "cassandraYaml");
        if (!ydoc_is_map(c->y, dcy))
            continue;
        char base[256];
        snprintf(base, sizeof base, "spec.cassandra.datacenters[%zu].config.cassandraYaml", i);
        bool cleared = clear_dc_block(c, dcy, base, "server_encryption_options", server_managed,
                                      sizeof server_managed / sizeof server_managed[0]);
        cleared |= clear_dc_block(c, dcy, base, "client_encryption_options", client_managed,
                                  sizeof client_managed / sizeof client_managed[0]);
        if (cleared && ydoc_map_len(c->y, dcy) == 0) {
            ydoc_map_remove(c->y, cfg, "cassandraYaml");
            if (ydoc_map_len(c->y, cfg) == 0)
                ydoc_map_remove(c->y, dc, "config");
        }
    }
}

static void medusa_block(struct enc *c, int spec)
{
    const struct k8tls_plan *p = c->p;
    int med = ydoc_map_get(c->y, spec, "medusa");
    if (!med)
        return;
    if (!ydoc_is_map(c->y, med)) {
        fail_not_map(c, med, "spec.medusa");
        return;
    }
    int old = ydoc_map_get(c->y, med, "certificatesSecretRef");
    const char *old_name = ydoc_scalar(c->y, ydoc_map_get(c->y, old, "name"));

    if (!p->encryption.client.enabled) {
        /* No client encryption: Medusa talks plain CQL; certificates would make it try TLS. */
        remove_tracked(c, med, "spec.medusa", "certificatesSecretRef");
        remove_tracked(c, med, "spec.medusa", "clientEncryptionStores");
        return;
    }
    const char *secret = NULL;
    if (k8tls_plan_wants_medusa_certs(p))
        secret = p->encryption.medusa.secret_name;
    else if (old_name && *old_name)
        secret = old_name;   /* migrate the user's own Secret as it is */

    if (!secret) {
        if (!ydoc_map_get(c->y, med, "clientEncryptionStores") && c->track)
            k8tls_diags_add(&c->track->notes, K8TLS_SEV_WARNING, c->file, 0, 0, "spec.medusa",
                            "%s", _("Medusa with client encryption needs a client certificate "
                                    "(encryption.medusa): the operator refuses the cluster "
                                    "without one"));
        return;
    }
    int stores = medusa_refs(c, secret);
    if (old) {
        /* K8: when both are set the old one wins: it must go. */
        int prev = ydoc_map_get(c->y, med, "clientEncryptionStores");
        bool replaced = prev && !ydoc_equal(c->y, prev, stores);
        const char *prev_name = ydoc_scalar(
            c->y, ydoc_map_get(c->y, ydoc_map_get(c->y, prev, "keystoreSecretRef"), "name"));
        char prev_msg[512];
        snprintf(prev_msg, sizeof prev_msg,
                 _("replaced: set beside certificatesSecretRef (Secret %s), it is replaced by the "
                   "migrated one, not kept"),
                 prev_name && *prev_name ? prev_name : "?");
        ydoc_map_remove(c->y, med, "certificatesSecretRef");
        ydoc_map_set(c->y, med, "clientEncryptionStores", stores);
        change(c, K8TLS_CHANGE_MIGRATED, "spec.medusa.certificatesSecretRef");
        /* the manifest's own stores were there too: they are replaced, not merged */
        if (replaced) {
            change(c, K8TLS_CHANGE_REPLACED, "spec.medusa.clientEncryptionStores");
            note(c, "spec.medusa.clientEncryptionStores", prev_msg);
        }
        if (c->track)
            k8tls_diags_add(&c->track->notes, K8TLS_SEV_NOTE, c->file, 0, 0,
                            "spec.medusa.certificatesSecretRef",
                            _("deprecated; replaced by spec.medusa.clientEncryptionStores "
                              "(Secret %s: keystoreSecretRef=%s, truststoreSecretRef=%s, "
                              "truststorePasswordSecretRef=%s)"),
                            secret,
                            k8tls_plan_cert_manager(p) ? K8TLS_CM_KEY_CA : K8TLS_MEDUSA_KEY_CA,
                            k8tls_plan_cert_manager(p) ? K8TLS_CM_KEY_CERT : K8TLS_MEDUSA_KEY_CERT,
                            k8tls_plan_cert_manager(p) ? K8TLS_CM_KEY_KEY : K8TLS_MEDUSA_KEY_KEY);
    } else {
        set_tracked(c, med, "spec.medusa", "clientEncryptionStores", stores, false);
    }
}

/* A mapping of two names: {k1: v1, k2: v2}. */
static int name_pair(struct enc *c, const char *k1, const char *v1, const char *k2, const char *v2)
{
    int m = ydoc_map(c->y);
    ydoc_map_add(c->y, m, k1, ydoc_str(c->y, v1));
    ydoc_map_add(c->y, m, k2, ydoc_str(c->y, v2));
    return m;
}

/* M1 in a manifest that may have its own managementApiAuth: `manual` with the wizard's Secret
 * names (its skipSecretValidation kept), `insecure` removed (both set: cass-operator refuses the
 * datacenter, "multiple options specified"); the operator merges each datacenter over the
 * cluster field by field, so a datacenter's own insecure goes too and its own manual block gets
 * the wizard's Secret names (its other keys kept). */
static void mgmt_api_auth(struct enc *c, int cas, const struct k8tls_tls_surface *ma)
{
    const char *base = "spec.cassandra.managementApiAuth";
    bool auth_new = !ydoc_map_get(c->y, cas, "managementApiAuth");
    int auth = ensure(c, cas, "spec.cassandra", "managementApiAuth");
    if (!auth)
        return;
    if (auth_new)
        change(c, K8TLS_CHANGE_ADDED, base);
    if (remove_tracked(c, auth, base, "insecure"))
        note(c, "spec.cassandra.managementApiAuth.insecure",
             _("removed: insecure beside manual makes cass-operator refuse the datacenter"));
    bool manual_new = !ydoc_map_get(c->y, auth, "manual");
    char mpath[256];
    pathcat(mpath, sizeof mpath, base, "manual");
    int man = ensure(c, auth, base, "manual");
    if (!man)
        return;
    if (manual_new && !auth_new)
        change(c, K8TLS_CHANGE_ADDED, mpath);
    set_tracked(c, man, mpath, "clientSecretName", ydoc_str(c->y, ma->client_secret_name),
                manual_new);
    set_tracked(c, man, mpath, "serverSecretName", ydoc_str(c->y, ma->server_secret_name),
                manual_new);

    int dcs = ydoc_map_get(c->y, cas, "datacenters");
    yaml_node_t *n = ydoc_node(c->y, dcs);
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (size_t i = 0; i < count; i++) {
        n = ydoc_node(c->y, dcs);   /* the node array may move when nodes are added */
        int dc = n->data.sequence.items.start[i];
        int da = ydoc_map_get(c->y, dc, "managementApiAuth");
        if (!da)
            continue;
        char dbase[256], dpath[300];
        snprintf(dbase, sizeof dbase, "spec.cassandra.datacenters[%zu]", i);
        if (!ydoc_is_map(c->y, da)) {
            remove_tracked(c, dc, dbase, "managementApiAuth");
            continue;
        }
        pathcat(dpath, sizeof dpath, dbase, "managementApiAuth");
        bool removed = remove_tracked(c, da, dpath, "insecure");
        int dm = ydoc_map_get(c->y, da, "manual");
        if (ydoc_is_map(c->y, dm)) {
            char dmpath[320];
            pathcat(dmpath, sizeof dmpath, dpath, "manual");
            /* the CRD requires both names in a manual block: the wizard's, not removed */
            set_tracked(c, dm, dmpath, "clientSecretName", ydoc_str(c->y, ma->client_secret_name),
                        false);
            set_tracked(c, dm, dmpath, "serverSecretName", ydoc_str(c->y, ma->server_secret_name),
                        false);
        }
        if (ydoc_map_len(c->y, da) == 0)
            ydoc_map_remove(c->y, dc, "managementApiAuth");
        if (removed)
            note(c, dpath,
                 _("insecure removed: beside the cluster's managementApiAuth.manual it makes "
                   "cass-operator refuse the datacenter"));
    }
}

/* SPEC §10: each surface the plan turns on; a surface that is off is left as the manifest has
 * it (a new manifest: absent). M1 managementApiAuth.manual (replacing `insecure`); R2 Reaper's
 * httpManagement.keystores whenever the management API is on, never one without the other;
 * R1 reaper.encryption, always with the client certificate (mutual); G1
 * medusa.serviceProperties.encryption. */
static void surfaces_block(struct enc *c, int spec, int cas)
{
    const struct k8tls_plan *p = c->p;
    const struct k8tls_tls_surface *ma = &p->encryption.management_api,
                                   *rp = &p->encryption.reaper,
                                   *mg = &p->encryption.medusa_grpc;
    if (k8tls_plan_wants_mgmt_api(p))
        mgmt_api_auth(c, cas, ma);
    int reaper = 0;
    if (k8tls_plan_wants_reaper_mgmt(p) || k8tls_plan_wants_reaper_api(p))
        reaper = ensure(c, spec, "spec", "reaper");
    if (reaper && k8tls_plan_wants_reaper_mgmt(p)) {
        int hm = ensure(c, reaper, "spec.reaper", "httpManagement");
        if (hm) {
            int ks = ydoc_map(c->y);
            ydoc_map_add(c->y, ks, "name", ydoc_str(c->y, rp->management_secret_name));
            set_tracked(c, hm, "spec.reaper.httpManagement", "keystores", ks, false);
        }
    }
    if (reaper && k8tls_plan_wants_reaper_api(p))
        set_tracked(c, reaper, "spec.reaper", "encryption",
                    name_pair(c, "clientCertName", rp->client_secret_name, "serverCertName",
                              rp->server_secret_name), false);
    if (k8tls_plan_wants_medusa_grpc(p)) {
        int med = ensure(c, spec, "spec", "medusa");
        int sp = med ? ensure(c, med, "spec.medusa", "serviceProperties") : 0;
        if (sp)
            set_tracked(c, sp, "spec.medusa.serviceProperties", "encryption",
                        name_pair(c, "clientSecretName", mg->client_secret_name,
                                  "serverSecretName", mg->server_secret_name), false);
    }
}

int k8tls_manifest_apply_encryption(struct ydoc *y, int root, const struct k8tls_plan *p,
                                    bool dse, const char *file, struct k8tls_bundle *track,
                                    struct k8tls_err *e)
{
    struct enc c = {.y = y, .p = p, .dse = dse, .file = file, .track = track, .e = e};
    int spec = ensure(&c, root, "", "spec");
    int cas = ensure(&c, spec, "spec", "cassandra");
    if (c.failed)
        return -1;
    if (!cas)
        goto oom;

    /* K10: serverVersion always a quoted string. */
    int sv = ydoc_map_get(y, cas, "serverVersion");
    if (ydoc_scalar(y, sv))
        ydoc_set_style(y, sv, YAML_DOUBLE_QUOTED_SCALAR_STYLE);

    bool any = k8tls_plan_wants_server_stores(p) || k8tls_plan_wants_client_stores(p);
    int cy = 0;
    if (any) {
        int cfg = ensure(&c, cas, "spec.cassandra", "config");
        cy = ensure(&c, cfg, "spec.cassandra.config", "cassandraYaml");
    } else {
        int cfg = ydoc_map_get(y, cas, "config");
        cy = ydoc_map_get(y, cfg, "cassandraYaml");
        if (!ydoc_is_map(y, cy))
            cy = 0;
    }
    if (c.failed)
        return -1;
    if (any && !cy)
        goto oom;

    server_block(&c, cas, cy);
    client_block(&c, cas, cy);
    dc_overrides(&c, cas);
    medusa_block(&c, spec);
    surfaces_block(&c, spec, cas);
    if (c.failed)
        return -1;
    if (y->oom)
        goto oom;
    return 0;
oom:
    k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
    return -1;
}

/* ---- a new manifest --------------------------------------------------------------------- */

int k8tls_manifest_new(const struct k8tls_plan *p, char **out, size_t *len, struct k8tls_err *e)
{
    struct ydoc yd, *y = &yd;
    const char *why = NULL;
    if (ydoc_init(y) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    int root = ydoc_map(y);
    ydoc_map_add(y, root, "apiVersion", ydoc_str(y, K8TLS_CLUSTER_API_VERSION));
    ydoc_map_add(y, root, "kind", ydoc_str(y, "K8ssandraCluster"));
    int md = ydoc_map_add(y, root, "metadata", ydoc_map(y));
    ydoc_map_add(y, md, "name", ydoc_str(y, p->cluster.name));
    ydoc_map_add(y, md, "namespace", ydoc_str(y, p->cluster.namespace_));

    int spec = ydoc_map_add(y, root, "spec", ydoc_map(y));
    int cas = ydoc_map_add(y, spec, "cassandra", ydoc_map(y));
    ydoc_map_add(y, cas, "serverType",
                 ydoc_str(y, k8tls_server_type_name(p->cluster.server_type)));
    ydoc_map_add(y, cas, "serverVersion", ydoc_str_quoted(y, p->cluster.server_version));

    int sc = ydoc_map_add(y, cas, "storageConfig", ydoc_map(y));
    int pvc = ydoc_map_add(y, sc, "cassandraDataVolumeClaimSpec", ydoc_map(y));
    if (p->cluster.storage_class && *p->cluster.storage_class)
        ydoc_map_add(y, pvc, "storageClassName", ydoc_str(y, p->cluster.storage_class));
    int am = ydoc_map_add(y, pvc, "accessModes", ydoc_seq(y));
    ydoc_seq_add(y, am, ydoc_str(y, "ReadWriteOnce"));
    int res = ydoc_map_add(y, pvc, "resources", ydoc_map(y));
    int req = ydoc_map_add(y, res, "requests", ydoc_map(y));
    ydoc_map_add(y, req, "storage",
                 ydoc_str(y, p->cluster.storage_size && *p->cluster.storage_size
                                 ? p->cluster.storage_size : "5Gi"));

    if (k8tls_plan_wants_server_stores(p) || k8tls_plan_wants_client_stores(p)) {
        int cfg = ydoc_map_add(y, cas, "config", ydoc_map(y));
        ydoc_map_add(y, cfg, "cassandraYaml", ydoc_map(y));
    }

    int dcs = ydoc_map_add(y, cas, "datacenters", ydoc_seq(y));
    for (size_t i = 0; i < p->cluster.n_dcs; i++) {
        const struct k8tls_dc *dc = &p->cluster.dcs[i];
        int m = ydoc_seq_add(y, dcs, ydoc_map(y));
        int dmd = ydoc_map_add(y, m, "metadata", ydoc_map(y));
        ydoc_map_add(y, dmd, "name", ydoc_str(y, dc->name));
        if (dc->k8s_context && *dc->k8s_context)
            ydoc_map_add(y, m, "k8sContext", ydoc_str(y, dc->k8s_context));
        ydoc_map_add(y, m, "size", ydoc_int(y, dc->size));
    }

    if (p->cluster.stargate.enabled) {
        int sg = ydoc_map_add(y, spec, "stargate", ydoc_map(y));
        ydoc_map_add(y, sg, "size", ydoc_int(y, p->cluster.stargate.size > 0
                                                    ? p->cluster.stargate.size : 1));
    }
    if (p->cluster.reaper.enabled) {
        int rp = ydoc_map_add(y, spec, "reaper", ydoc_map(y));
        if (p->cluster.reaper.deployment_mode && *p->cluster.reaper.deployment_mode)
            ydoc_map_add(y, rp, "deploymentMode", ydoc_str(y, p->cluster.reaper.deployment_mode));
    }
    if (p->cluster.medusa.enabled) {
        int me = ydoc_map_add(y, spec, "medusa", ydoc_map(y));
        int sp = ydoc_map_add(y, me, "storageProperties", ydoc_map(y));
        if (p->cluster.medusa.storage_provider && *p->cluster.medusa.storage_provider)
            ydoc_map_add(y, sp, "storageProvider", ydoc_str(y, p->cluster.medusa.storage_provider));
        if (p->cluster.medusa.bucket_name && *p->cluster.medusa.bucket_name)
            ydoc_map_add(y, sp, "bucketName", ydoc_str(y, p->cluster.medusa.bucket_name));
        if (p->cluster.medusa.storage_secret && *p->cluster.medusa.storage_secret) {
            int ss = ydoc_map_add(y, sp, "storageSecretRef", ydoc_map(y));
            ydoc_map_add(y, ss, "name", ydoc_str(y, p->cluster.medusa.storage_secret));
        }
    }
    if (y->oom) {
        ydoc_free(y);
        k8tls_err_set(e, NULL, 0, 0, _("out of memory"));
        return -1;
    }
    if (k8tls_manifest_apply_encryption(y, root, p, p->cluster.server_type == K8TLS_SERVER_DSE,
                                        NULL, NULL, e) < 0) {
        ydoc_free(y);
        return -1;
    }
    if (ydoc_emit(y, 1, out, len, &why) < 0) {
        k8tls_err_set(e, NULL, 0, 0, _("K8ssandraCluster: cannot write YAML: %s"), why);
        return -1;
    }
    return 0;
}
