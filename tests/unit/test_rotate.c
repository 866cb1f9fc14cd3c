/* Unit tests for renewal and CA rotation. Phase 0 is a real bundle (k8tls_bundle_from_plan,
 * ECDSA P-256, written with k8tls_output_write); each phase is loaded back from the directory the
 * previous one wrote, the way an operator runs them. Results are read with the store readers
 * (store.h), independent of the rotation's own reading. */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "k8tls/bundle.h"
#include "k8tls/output.h"
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "k8tls/rotate.h"
#include "k8tls/store.h"
#include "pki_fixtures.h"
#include "../../src/core/rotate_int.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static char tmpdir[256];

static void setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/k8tls-rotate-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static const char *in_tmp(const char *name)
{
    static char bufs[8][512];
    static int i;
    char *b = bufs[i++ % 8];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

static void print_diags(const struct k8tls_diags *d)
{
    char buf[4096];
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", k8tls_diag_format(&d->v[i], buf, sizeof buf));
}

static bool diags_mention(const struct k8tls_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle) || (d->v[i].path && strstr(d->v[i].path, needle)))
            return true;
    return false;
}

static struct k8tls_plan *ec_plan(void)
{
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    ck_assert_ptr_nonnull(p);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    return p;
}

static void write_bundle(struct k8tls_bundle *b, const char *dir)
{
    struct k8tls_err e;
    k8tls_err_clear(&e);
    int rc = k8tls_output_write(b, dir, false, &e);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    ck_assert_int_eq(rc, 0);
}

/* Phase 0: the wizard's own bundle of plan p, written to dir. */
static void make_p0(struct k8tls_plan *p, const char *dir)
{
    struct k8tls_diags d;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int rc = k8tls_bundle_from_plan(p, NULL, NULL, &b, &d);
    if (rc)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    write_bundle(b, dir);
    k8tls_bundle_free(b);
    k8tls_diags_free(&d);
}

static struct k8tls_rotate_state *load_dir(const char *dir, const struct k8tls_rotate_opts *extra)
{
    struct k8tls_rotate_opts o = { 0 };
    if (extra)
        o = *extra;
    o.from_dir = dir;
    struct k8tls_diags d;
    struct k8tls_rotate_state *s = NULL;
    k8tls_diags_init(&d);
    int rc = k8tls_rotate_load(&o, &s, &d);
    if (rc)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(s);
    k8tls_diags_free(&d);
    return s;
}

/* Runs a phase from 'from' and writes it to 'to'. */
static void run_phase(const char *from, enum k8tls_rotate_phase ph, const char *to,
                      const struct k8tls_rotate_opts *extra)
{
    struct k8tls_rotate_opts o = { 0 };
    if (extra)
        o = *extra;
    o.from_dir = from;
    struct k8tls_rotate_state *s = load_dir(from, &o);
    struct k8tls_diags d;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    int rc = k8tls_rotate_run(s, ph, &o, NULL, NULL, &b, &d);
    if (rc)
        print_diags(&d);
    ck_assert_int_eq(rc, 0);
    write_bundle(b, to);
    k8tls_bundle_free(b);
    k8tls_rotate_state_free(s);
    k8tls_diags_free(&d);
}

/* Expects phase ph from 'from' to be refused with a message containing needle, nothing built. */
static void expect_refused(const char *from, enum k8tls_rotate_phase ph,
                           const struct k8tls_rotate_opts *extra, const char *needle)
{
    struct k8tls_rotate_opts o = { 0 };
    if (extra)
        o = *extra;
    o.from_dir = from;
    struct k8tls_rotate_state *s = load_dir(from, &o);
    struct k8tls_diags d;
    struct k8tls_rotate_decision dec;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_plan(s, ph, &o, &dec, &d), -1);
    ck_assert(!dec.allowed);
    if (!diags_mention(&d, needle)) {
        print_diags(&d);
        ck_abort_msg("the refusal does not mention '%s'", needle);
    }
    k8tls_diags_free(&d);
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_run(s, ph, &o, NULL, NULL, &b, &d), -1);
    ck_assert_ptr_null(b);
    ck_assert(k8tls_diags_count(&d, K8TLS_SEV_ERROR) > 0);
    k8tls_diags_free(&d);
    k8tls_rotate_state_free(s);
}

static struct k8tls_secret *slurp(const char *dir, const char *rel)
{
    char path[1024];
    struct k8tls_secret *b = NULL;
    struct k8tls_err e;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    if (k8tls_store_read_bytes(path, K8TLS_READ_MAX_BYTES, &b, &e) < 0)
        ck_abort_msg("%s", e.msg);
    return b;
}

static bool same_file(const char *d1, const char *d2, const char *rel)
{
    struct k8tls_secret *a = slurp(d1, rel), *b = slurp(d2, rel);
    bool same = a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
    k8tls_secret_free(a);
    k8tls_secret_free(b);
    return same;
}

static char *password_in(const char *dir, const char *secret, const char *which)
{
    char rel[600];
    snprintf(rel, sizeof rel, "stores/%s/%s", secret, which);
    struct k8tls_secret *s = slurp(dir, rel);
    char *pw = malloc(s->len + 1);
    memcpy(pw, s->data, s->len);
    pw[s->len] = '\0';
    k8tls_secret_free(s);
    return pw;
}

static struct k8tls_store *open_store(const char *dir, const char *secret, const char *which)
{
    char rel[600], path[1200];
    snprintf(rel, sizeof rel, "%s-password", which);
    char *pw = password_in(dir, secret, rel);
    snprintf(path, sizeof path, "%s/stores/%s/%s", dir, secret, which);
    struct k8tls_store *st = NULL;
    struct k8tls_err e;
    if (k8tls_store_read_file(path, pw, &st, &e) < 0)
        ck_abort_msg("%s", e.msg);
    free(pw);
    return st;
}

static X509 *leaf_of(const char *dir, const char *secret)
{
    struct k8tls_store *st = open_store(dir, secret, "keystore");
    X509 *x = NULL;
    for (size_t i = 0; i < st->n; i++)
        if (st->v[i].type == K8TLS_ENTRY_PRIVATE_KEY) {
            x = st->v[i].cert;
            X509_up_ref(x);
        }
    k8tls_store_free(st);
    ck_assert_ptr_nonnull(x);
    return x;
}

static int trusted_count(const char *dir, const char *secret)
{
    struct k8tls_store *st = open_store(dir, secret, "truststore");
    int n = 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->v[i].type == K8TLS_ENTRY_TRUSTED_CERT && !st->v[i].p12_no_java_trust)
            n++;
    k8tls_store_free(st);
    return n;
}

static X509 *cert_file(const char *dir, const char *rel)
{
    struct k8tls_secret *b = slurp(dir, rel);
    STACK_OF(X509) *sk = NULL;
    struct k8tls_err e;
    if (k8tls_pem_read_certs(b->data, b->len, rel, &sk, &e) < 0)
        ck_abort_msg("%s", e.msg);
    X509 *x = sk_X509_shift(sk);
    sk_X509_pop_free(sk, X509_free);
    k8tls_secret_free(b);
    return x;
}

static bool issued_by(X509 *leaf, X509 *ca)
{
    return X509_check_issued(ca, leaf) == X509_V_OK && X509_verify(leaf, X509_get0_pubkey(ca)) == 1;
}

static bool exists(const char *dir, const char *rel)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0;
}

#define SRV "server-encryption-stores"
#define CLI "client-encryption-stores"

/* ---- detection and proposals ---------------------------------------------------------- */

START_TEST(test_fresh_bundle_is_steady_and_nothing_is_due)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    struct k8tls_rotate_state *s = load_dir(in_tmp("p0"), NULL);
    ck_assert_int_eq(s->stage, K8TLS_STAGE_STEADY);
    ck_assert_ptr_null(s->other_ca);
    ck_assert_str_eq(s->namespace_, "k8ssandra-operator");
    ck_assert_int_ge(s->min_leaf_days, 3640);
    ck_assert_int_ge(s->ca_days, 9990);
    /* CA, server, client, Medusa */
    ck_assert_uint_eq(s->n_certs, 4);
    ck_assert(s->report.n > 0);
    ck_assert_uint_eq(k8tls_inspect_count(&s->report, K8TLS_SEV_ERROR), 0);
    struct k8tls_rotate_decision dec;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_NONE, NULL, &dec, &d), 0);
    ck_assert_int_eq(dec.phase, K8TLS_ROTATE_NONE);
    ck_assert_ptr_nonnull(strstr(dec.reason, "nothing is due"));
    k8tls_diags_free(&d);
    k8tls_rotate_state_free(s);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_short_lived_leaves_propose_renew_and_short_lived_ca_proposes_trust)
{
    struct k8tls_plan *p = ec_plan();
    p->certificates.validity_days = 20;
    make_p0(p, in_tmp("p0"));
    struct k8tls_rotate_state *s = load_dir(in_tmp("p0"), NULL);
    struct k8tls_rotate_decision dec;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_NONE, NULL, &dec, &d), 0);
    ck_assert_int_eq(dec.phase, K8TLS_ROTATE_RENEW);
    ck_assert(dec.allowed);
    k8tls_rotate_state_free(s);
    k8tls_plan_free(p);

    p = ec_plan();
    p->ca.validity_days = 100;
    make_p0(p, in_tmp("p0b"));
    s = load_dir(in_tmp("p0b"), NULL);
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_NONE, NULL, &dec, &d), 0);
    ck_assert_int_eq(dec.phase, K8TLS_ROTATE_TRUST);
    ck_assert_ptr_nonnull(strstr(dec.reason, "expires in"));
    k8tls_diags_free(&d);
    k8tls_rotate_state_free(s);
    k8tls_plan_free(p);
}
END_TEST

/* ---- renew ----------------------------------------------------------------------------- */

START_TEST(test_renew_keeps_ca_passwords_and_secret_names_only_leaves_change)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    run_phase(in_tmp("p0"), K8TLS_ROTATE_RENEW, in_tmp("r"), NULL);
    const char *a = in_tmp("p0"), *b = in_tmp("r");
    /* the CA and the truststores are the same bytes */
    ck_assert(same_file(a, b, "ca/rootca.crt"));
    ck_assert(same_file(a, b, "ca/rootca.key"));
    ck_assert(same_file(a, b, "medusa/rootca.crt"));
    const char *secrets[2] = { SRV, CLI };
    for (int i = 0; i < 2; i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "stores/%s/truststore", secrets[i]);
        ck_assert(same_file(a, b, rel));
        snprintf(rel, sizeof rel, "stores/%s/keystore-password", secrets[i]);
        ck_assert(same_file(a, b, rel));
        snprintf(rel, sizeof rel, "stores/%s/truststore-password", secrets[i]);
        ck_assert(same_file(a, b, rel));
        snprintf(rel, sizeof rel, "stores/%s/keystore", secrets[i]);
        ck_assert(!same_file(a, b, rel));
        /* a new leaf and a new key, same subject and SANs, signed by the same CA */
        X509 *l0 = leaf_of(a, secrets[i]), *l1 = leaf_of(b, secrets[i]);
        X509 *ca = cert_file(a, "ca/rootca.crt");
        ck_assert_int_ne(ASN1_INTEGER_cmp(X509_get0_serialNumber(l0), X509_get0_serialNumber(l1)), 0);
        ck_assert_int_ne(EVP_PKEY_eq(X509_get0_pubkey(l0), X509_get0_pubkey(l1)), 1);
        ck_assert_int_eq(X509_NAME_cmp(X509_get_subject_name(l0), X509_get_subject_name(l1)), 0);
        GENERAL_NAMES *s0 = X509_get_ext_d2i(l0, NID_subject_alt_name, NULL, NULL);
        GENERAL_NAMES *s1 = X509_get_ext_d2i(l1, NID_subject_alt_name, NULL, NULL);
        ck_assert_int_ge(sk_GENERAL_NAME_num(s0), 10);
        ck_assert_int_eq(sk_GENERAL_NAME_num(s0), sk_GENERAL_NAME_num(s1));
        for (int k = 0; k < sk_GENERAL_NAME_num(s0); k++)
            ck_assert_int_eq(GENERAL_NAME_cmp(sk_GENERAL_NAME_value(s0, k), sk_GENERAL_NAME_value(s1, k)), 0);
        GENERAL_NAMES_free(s0);
        GENERAL_NAMES_free(s1);
        ck_assert(issued_by(l1, ca));
        X509_free(l0);
        X509_free(l1);
        X509_free(ca);
    }
    /* the same Secret files (names), and a new Medusa certificate from the same CA */
    ck_assert(exists(b, "manifests/10-secret-" SRV ".yaml"));
    ck_assert(exists(b, "manifests/10-secret-" CLI ".yaml"));
    ck_assert(exists(b, "manifests/10-secret-client-certificates.yaml"));
    ck_assert(!exists(b, "manifests/20-k8ssandracluster.yaml"));
    ck_assert(!same_file(a, b, "medusa/client.crt_signed"));
    ck_assert(!same_file(a, b, "medusa/client.key"));
    X509 *mc = cert_file(b, "medusa/client.crt_signed"), *ca = cert_file(a, "ca/rootca.crt");
    ck_assert(issued_by(mc, ca));
    X509_free(mc);
    X509_free(ca);
    ck_assert(exists(b, "rotation.yaml"));
    ck_assert(exists(b, "restart/k8ssandratask.yaml"));
    /* after a renewal the directory is steady again, with the same CA */
    struct k8tls_rotate_state *s = load_dir(b, NULL);
    ck_assert_int_eq(s->stage, K8TLS_STAGE_STEADY);
    k8tls_rotate_state_free(s);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_renew_keeps_jks_and_the_legacy_profile)
{
    struct k8tls_plan *p = ec_plan();
    p->stores.format = K8TLS_FORMAT_JKS;
    make_p0(p, in_tmp("jks"));
    run_phase(in_tmp("jks"), K8TLS_ROTATE_TRUST, in_tmp("jks1"), NULL);
    struct k8tls_store *st = open_store(in_tmp("jks1"), SRV, "truststore");
    ck_assert_int_eq(st->format, K8TLS_FORMAT_JKS);
    k8tls_store_free(st);
    ck_assert_int_eq(trusted_count(in_tmp("jks1"), SRV), 2);
    k8tls_plan_free(p);

    p = ec_plan();
    p->stores.p12_profile = K8TLS_P12_LEGACY;
    make_p0(p, in_tmp("leg"));
    struct k8tls_rotate_state *s = load_dir(in_tmp("leg"), NULL);
    struct k8tls_diags d;
    struct k8tls_bundle *b = NULL;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_run(s, K8TLS_ROTATE_RENEW, NULL, NULL, NULL, &b, &d), 0);
    ck_assert_int_eq(k8tls_rotate_state_plan(s)->stores.p12_profile, K8TLS_P12_LEGACY);
    k8tls_bundle_free(b);
    k8tls_diags_free(&d);
    k8tls_rotate_state_free(s);
    k8tls_plan_free(p);
}
END_TEST

/* ---- CA rotation -------------------------------------------------------------------------- */

START_TEST(test_three_phases_move_the_stage_and_the_cas)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    const char *d0 = in_tmp("p0"), *d1 = in_tmp("p1"), *d2 = in_tmp("p2"), *d3 = in_tmp("p3");
    run_phase(d0, K8TLS_ROTATE_TRUST, d1, NULL);
    /* trust: keystores and Medusa certificate unchanged, truststores hold both CAs */
    ck_assert(same_file(d0, d1, "stores/" SRV "/keystore"));
    ck_assert(same_file(d0, d1, "stores/" CLI "/keystore"));
    ck_assert(same_file(d0, d1, "medusa/client.crt_signed"));
    ck_assert(same_file(d0, d1, "ca/rootca.crt"));
    ck_assert_int_eq(trusted_count(d1, SRV), 2);
    ck_assert_int_eq(trusted_count(d1, CLI), 2);
    ck_assert(exists(d1, "ca/next-rootca.key"));
    X509 *oldca = cert_file(d0, "ca/rootca.crt"), *newca = cert_file(d1, "ca/next-rootca.crt");
    ck_assert_int_ne(X509_cmp(oldca, newca), 0);
    ck_assert_int_ne(X509_NAME_cmp(X509_get_subject_name(oldca), X509_get_subject_name(newca)), 0);

    struct k8tls_rotate_state *s = load_dir(d1, NULL);
    ck_assert_int_eq(s->stage, K8TLS_STAGE_TRUSTING);
    ck_assert_int_eq(X509_cmp(s->signing_ca, oldca), 0);
    ck_assert_int_eq(X509_cmp(s->other_ca, newca), 0);
    struct k8tls_rotate_decision dec;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_NONE, NULL, &dec, &d), 0);
    ck_assert_int_eq(dec.phase, K8TLS_ROTATE_REISSUE);
    ck_assert(dec.allowed);
    k8tls_rotate_state_free(s);

    run_phase(d1, K8TLS_ROTATE_REISSUE, d2, NULL);
    /* reissue: leaves from the new CA, truststores unchanged (both CAs) */
    ck_assert(same_file(d1, d2, "stores/" SRV "/truststore"));
    ck_assert(same_file(d1, d2, "medusa/rootca.crt"));
    X509 *l = leaf_of(d2, SRV);
    ck_assert(issued_by(l, newca));
    X509_free(l);
    l = leaf_of(d2, CLI);
    ck_assert(issued_by(l, newca));
    X509_free(l);
    l = cert_file(d2, "medusa/client.crt_signed");
    ck_assert(issued_by(l, newca));
    X509_free(l);
    X509 *c2 = cert_file(d2, "ca/rootca.crt");
    ck_assert_int_eq(X509_cmp(c2, newca), 0);
    X509_free(c2);
    s = load_dir(d2, NULL);
    ck_assert_int_eq(s->stage, K8TLS_STAGE_REISSUED);
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_NONE, NULL, &dec, &d), 0);
    ck_assert_int_eq(dec.phase, K8TLS_ROTATE_RETIRE);
    k8tls_rotate_state_free(s);

    run_phase(d2, K8TLS_ROTATE_RETIRE, d3, NULL);
    ck_assert_int_eq(trusted_count(d3, SRV), 1);
    ck_assert_int_eq(trusted_count(d3, CLI), 1);
    ck_assert(same_file(d2, d3, "stores/" SRV "/keystore"));
    X509 *m3 = cert_file(d3, "medusa/rootca.crt");
    ck_assert_int_eq(X509_cmp(m3, newca), 0);
    X509_free(m3);
    s = load_dir(d3, NULL);
    ck_assert_int_eq(s->stage, K8TLS_STAGE_STEADY);
    ck_assert_int_eq(X509_cmp(s->signing_ca, newca), 0);
    /* and the new CA can be renewed from (its key is in the directory) */
    ck_assert_int_eq(k8tls_rotate_plan(s, K8TLS_ROTATE_RENEW, NULL, &dec, &d), 0);
    k8tls_rotate_state_free(s);
    /* every phase kept the passwords */
    char *p0 = password_in(d0, SRV, "keystore-password"), *p3 = password_in(d3, SRV, "keystore-password");
    ck_assert_str_eq(p0, p3);
    free(p0);
    free(p3);
    k8tls_diags_free(&d);
    X509_free(oldca);
    X509_free(newca);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_new_passwords_change_every_store_password)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    struct k8tls_rotate_opts o = { .new_passwords = true };
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), &o);
    const char *w[2] = { "keystore-password", "truststore-password" };
    for (int i = 0; i < 2; i++) {
        char *a = password_in(in_tmp("p0"), SRV, w[i]), *b = password_in(in_tmp("p1"), SRV, w[i]);
        ck_assert_str_ne(a, b);
        free(a);
        free(b);
    }
    /* the stores open with the new passwords (open_store reads them beside the store) */
    ck_assert_int_eq(trusted_count(in_tmp("p1"), SRV), 2);
    X509 *l0 = leaf_of(in_tmp("p0"), SRV), *l1 = leaf_of(in_tmp("p1"), SRV);
    ck_assert_int_eq(X509_cmp(l0, l1), 0);
    X509_free(l0);
    X509_free(l1);
    k8tls_plan_free(p);
}
END_TEST

/* ---- refusals ---------------------------------------------------------------------------- */

START_TEST(test_phases_out_of_order_are_refused)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    expect_refused(in_tmp("p0"), K8TLS_ROTATE_REISSUE, NULL, "needs phase trust first");
    expect_refused(in_tmp("p0"), K8TLS_ROTATE_RETIRE, NULL, "nothing to retire");
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), NULL);
    expect_refused(in_tmp("p1"), K8TLS_ROTATE_RETIRE, NULL, "needs phase reissue first");
    expect_refused(in_tmp("p1"), K8TLS_ROTATE_TRUST, NULL, "under way");
    expect_refused(in_tmp("p1"), K8TLS_ROTATE_RENEW, NULL, "under way");
    run_phase(in_tmp("p1"), K8TLS_ROTATE_REISSUE, in_tmp("p2"), NULL);
    expect_refused(in_tmp("p2"), K8TLS_ROTATE_REISSUE, NULL, "done already");
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_a_ca_key_that_does_not_match_is_refused)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    /* a stranger's key */
    EVP_PKEY *k = fx_key();
    FILE *f = fopen(in_tmp("other.key"), "w");
    ck_assert_ptr_nonnull(f);
    ck_assert(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL));
    fclose(f);
    EVP_PKEY_free(k);
    struct k8tls_rotate_opts o = { .ca_key = in_tmp("other.key") };
    expect_refused(in_tmp("p0"), K8TLS_ROTATE_RENEW, &o, "does not match");
    /* reissue with the old CA's key instead of the new one */
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), NULL);
    char oldkey[600];
    snprintf(oldkey, sizeof oldkey, "%s/ca/rootca.key", in_tmp("p0"));
    struct k8tls_rotate_opts o2 = { .ca_key = oldkey };
    expect_refused(in_tmp("p1"), K8TLS_ROTATE_REISSUE, &o2, "key of the old CA");
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_a_missing_ca_key_is_refused_and_ca_key_supplies_it)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    char key[600], moved[600];
    snprintf(key, sizeof key, "%s/ca/rootca.key", in_tmp("p0"));
    snprintf(moved, sizeof moved, "%s/offline.key", tmpdir);
    ck_assert_int_eq(rename(key, moved), 0);
    expect_refused(in_tmp("p0"), K8TLS_ROTATE_RENEW, NULL, "--ca-key");
    struct k8tls_rotate_opts o = { .ca_key = moved };
    run_phase(in_tmp("p0"), K8TLS_ROTATE_RENEW, in_tmp("r"), &o);
    ck_assert(exists(in_tmp("r"), "ca/rootca.key"));
    /* trust needs no CA key at all */
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("t"), NULL);
    k8tls_plan_free(p);
}
END_TEST

/* Phase 0 with an expired server certificate (the material of a cluster that waited too long). */
static void make_expired_p0(const char *dir)
{
    struct k8tls_plan *p = ec_plan();
    struct k8tls_diags d;
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = NULL;
    struct k8tls_err e;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_plan_validate(p, &d), 0);
    ck_assert_int_eq(k8tls_pki_build(p, NULL, NULL, &m, &d), 0);
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "test-server", m->ca_cert, m->ca_key, FX_NOT_CA, -40, -2,
                         "DNS:localhost,IP:127.0.0.1");
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, m->ca_cert);
    char *kspw = strdup(m->server.keystore_password), *tspw = strdup(m->server.truststore_password);
    k8tls_store_pair_clear(&m->server);
    ck_assert_int_eq(k8tls_pki_make_store_pair(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "server", k,
                                               leaf, cas, cas, kspw, tspw, &m->server, &e), 0);
    ck_assert_int_eq(k8tls_bundle_build(p, m, &b, &d), 0);
    write_bundle(b, dir);
    k8tls_bundle_free(b);
    k8tls_material_free(m);
    sk_X509_free(cas);
    X509_free(leaf);
    EVP_PKEY_free(k);
    free(kspw);
    free(tspw);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}

START_TEST(test_expired_material_is_refused_without_force)
{
    make_expired_p0(in_tmp("old"));
    struct k8tls_rotate_state *s = load_dir(in_tmp("old"), NULL);
    ck_assert_int_lt(s->min_leaf_days, 0);
    k8tls_rotate_state_free(s);
    expect_refused(in_tmp("old"), K8TLS_ROTATE_RENEW, NULL, "--force");
    expect_refused(in_tmp("old"), K8TLS_ROTATE_TRUST, NULL, "expired on");
    struct k8tls_rotate_opts o = { .force = true };
    run_phase(in_tmp("old"), K8TLS_ROTATE_RENEW, in_tmp("renewed"), &o);
    X509 *l = leaf_of(in_tmp("renewed"), SRV);
    ck_assert_int_gt(X509_cmp_current_time(X509_get0_notAfter(l)), 0);
    X509_free(l);
}
END_TEST

START_TEST(test_secrets_from_different_phases_are_refused)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), NULL);
    /* the client Secret of phase 1 with the server Secret of phase 0: a half-applied phase */
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "cp '%s/manifests/10-secret-" SRV ".yaml' '%s/manifests/'",
             in_tmp("p0"), in_tmp("p1"));
    ck_assert_int_eq(system(cmd), 0);
    struct k8tls_rotate_opts o = { .from_dir = in_tmp("p1") };
    struct k8tls_rotate_state *s = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_load(&o, &s, &d), -1);
    ck_assert_ptr_null(s);
    ck_assert(diags_mention(&d, "different phases"));
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_not_an_output_directory_is_named)
{
    struct k8tls_rotate_opts o = { .from_dir = tmpdir };
    struct k8tls_rotate_state *s = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_load(&o, &s, &d), -1);
    ck_assert(diags_mention(&d, "answers.yaml"));
    k8tls_diags_free(&d);
    struct k8tls_rotate_opts none = { 0 };
    k8tls_diags_init(&d);
    ck_assert_int_eq(k8tls_rotate_load(&none, &s, &d), -1);
    ck_assert(diags_mention(&d, "--from"));
    k8tls_diags_free(&d);
}
END_TEST

/* ---- reading ------------------------------------------------------------------------------ */

START_TEST(test_secret_parser_decodes_and_refuses_bad_input)
{
    static const char good[] = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\n"
                               "data:\n  a: aGVsbG8=\n  b: \"\"\nstringData: {c: plain}\n";
    struct k8tls_rsecret s;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_rsecret_parse("x.yaml", good, sizeof good - 1, &s, &e), 0);
    ck_assert_str_eq(s.name, "s");
    ck_assert_str_eq(s.namespace_, "ns");
    const struct k8tls_secret *v = k8tls_rsecret_get(&s, "a");
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(v->len, 5);
    ck_assert(memcmp(v->data, "hello", 5) == 0);
    ck_assert_uint_eq(k8tls_rsecret_get(&s, "b")->len, 0);
    ck_assert_uint_eq(k8tls_rsecret_get(&s, "c")->len, 5);
    k8tls_rsecret_clear(&s);

    static const char *bad[] = {
        "kind: ConfigMap\nmetadata: {name: s}\n",
        "kind: Secret\nmetadata: {}\n",
        "kind: Secret\nmetadata: {name: s}\ndata: {a: '!!!notbase64'}\n",
        "kind: Secret\nmetadata: {name: s}\ndata: [1, 2]\n",
        "kind: Secret\nmetadata: {name: s}\ndata: {a: {b: c}}\n",
        "- just\n- a list\n",
        "kind: Secret\nmetadata: {name: s}\ndata: {a: YQ==}\nstringData: {a: x}\n",
        "{unclosed",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        k8tls_err_clear(&e);
        ck_assert_msg(k8tls_rsecret_parse("bad.yaml", bad[i], strlen(bad[i]), &s, &e) == -1,
                      "accepted: %s", bad[i]);
        ck_assert_str_eq(e.file, "bad.yaml");
        ck_assert(e.msg[0] != '\0');
    }
}
END_TEST

/* Hostile input (X5): mutated Secrets never crash the parser (run under ASan in CI). */
START_TEST(test_secret_parser_survives_mutations)
{
    static const char seed[] =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: server-encryption-stores\n"
        "  namespace: ns\n  labels: {a: b}\ntype: Opaque\ndata:\n  keystore: MIIKdgIBAzCCCi8=\n"
        "  keystore-password: c2VjcmV0\n  truststore: &x MIIBAQ==\n  truststore-password: *x\n";
    static const char alphabet[] = "\n :-{}[]&*!|>'\"#%@`=,?\t\\\x00\xff";
    char buf[sizeof seed + 64];
    unsigned int seedv = 12345;
    int accepted = 0;
    for (int i = 0; i < 4000; i++) {
        size_t len = sizeof seed - 1;
        memcpy(buf, seed, len);
        int edits = 1 + i % 4;
        for (int k = 0; k < edits; k++) {
            seedv = seedv * 1103515245u + 12345u;
            size_t at = (seedv >> 8) % len;
            seedv = seedv * 1103515245u + 12345u;
            unsigned int op = (seedv >> 8) % 3;
            char ch = alphabet[(seedv >> 12) % (sizeof alphabet - 1)];
            if (op == 0)
                buf[at] = ch;
            else if (op == 1 && len > 1) {
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            } else if (len + 1 < sizeof buf) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = ch;
                len++;
            }
        }
        struct k8tls_rsecret s;
        struct k8tls_err e;
        k8tls_err_clear(&e);
        if (k8tls_rsecret_parse("m.yaml", buf, len, &s, &e) == 0) {
            accepted++;
            k8tls_rsecret_clear(&s);
        } else {
            ck_assert(e.msg[0] != '\0');
        }
    }
    /* most single edits inside values still parse: the loop exercised both paths */
    ck_assert_int_gt(accepted, 0);
    ck_assert_int_lt(accepted, 4000);
}
END_TEST

START_TEST(test_rotation_record_round_trips_and_bad_ones_are_named)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), NULL);
    struct k8tls_rotation_file rf;
    struct k8tls_err e;
    ck_assert_int_eq(k8tls_rotation_file_read(in_tmp("p1"), &rf, &e), 1);
    ck_assert_int_eq(rf.phase, K8TLS_ROTATE_TRUST);
    ck_assert_str_eq(rf.new_ca_key, "ca/next-rootca.key");
    X509 *newca = cert_file(in_tmp("p1"), "ca/next-rootca.crt");
    char fp[65];
    k8tls_rotate_fingerprint(newca, fp);
    ck_assert_str_eq(rf.new_ca_sha256, fp);
    X509_free(newca);
    ck_assert_int_eq(k8tls_rotation_file_read(in_tmp("p0"), &rf, &e), 0);

    FILE *f = fopen(in_tmp("p0/rotation.yaml"), "w");
    fputs("kind: Rotation\nphase: sideways\n", f);
    fclose(f);
    ck_assert_int_eq(k8tls_rotation_file_read(in_tmp("p0"), &rf, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "phase"));
    ck_assert_int_eq(e.line, 2);
    f = fopen(in_tmp("p0/rotation.yaml"), "w");
    fputs("kind: Rotation\nphase: trust\nnewCA: {key: ../../etc/secret}\n", f);
    fclose(f);
    ck_assert_int_eq(k8tls_rotation_file_read(in_tmp("p0"), &rf, &e), -1);
    k8tls_plan_free(p);
}
END_TEST

START_TEST(test_phase_names_parse_and_titles)
{
    ck_assert_int_eq(k8tls_rotate_phase_parse("renew"), K8TLS_ROTATE_RENEW);
    ck_assert_int_eq(k8tls_rotate_phase_parse("trust"), K8TLS_ROTATE_TRUST);
    ck_assert_int_eq(k8tls_rotate_phase_parse("reissue"), K8TLS_ROTATE_REISSUE);
    ck_assert_int_eq(k8tls_rotate_phase_parse("retire"), K8TLS_ROTATE_RETIRE);
    ck_assert_int_eq(k8tls_rotate_phase_parse("Trust"), -1);
    ck_assert_int_eq(k8tls_rotate_phase_parse(""), -1);
    ck_assert_int_eq(k8tls_rotate_phase_parse(NULL), -1);
    ck_assert_ptr_nonnull(strstr(k8tls_rotate_phase_title(K8TLS_ROTATE_TRUST), "1 of 3"));
    ck_assert_ptr_nonnull(strstr(k8tls_rotate_phase_title(K8TLS_ROTATE_RETIRE), "3 of 3"));
}
END_TEST

START_TEST(test_restart_task_and_kustomization_name_only_the_cluster_and_secrets)
{
    struct k8tls_plan *p = ec_plan();
    make_p0(p, in_tmp("p0"));
    run_phase(in_tmp("p0"), K8TLS_ROTATE_TRUST, in_tmp("p1"), NULL);
    struct k8tls_secret *t = slurp(in_tmp("p1"), "restart/k8ssandratask.yaml");
    char *s = strndup((const char *)t->data, t->len);
    ck_assert_ptr_nonnull(strstr(s, "apiVersion: control.k8ssandra.io/v1alpha1"));
    ck_assert_ptr_nonnull(strstr(s, "kind: K8ssandraTask"));
    ck_assert_ptr_nonnull(strstr(s, "command: restart"));
    ck_assert_ptr_nonnull(strstr(s, "namespace: k8ssandra-operator"));
    ck_assert_ptr_nonnull(strstr(s, "name: test-trust-"));
    free(s);
    k8tls_secret_free(t);
    t = slurp(in_tmp("p1"), "kustomization.yaml");
    s = strndup((const char *)t->data, t->len);
    ck_assert_ptr_nonnull(strstr(s, "manifests/10-secret-" SRV ".yaml"));
    ck_assert_ptr_null(strstr(s, "k8ssandracluster"));
    free(s);
    k8tls_secret_free(t);
    t = slurp(in_tmp("p1"), "NEXT-STEPS.md");
    s = strndup((const char *)t->data, t->len);
    ck_assert_ptr_nonnull(strstr(s, "phase 1 of 3"));
    ck_assert_ptr_nonnull(strstr(s, "--phase reissue"));
    ck_assert_ptr_nonnull(strstr(s, "passwords are the same"));
    free(s);
    k8tls_secret_free(t);
    k8tls_plan_free(p);
}
END_TEST

static Suite *rotate_suite(void)
{
    Suite *s = suite_create("rotate");
    TCase *t = tcase_create("phases");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_fresh_bundle_is_steady_and_nothing_is_due);
    tcase_add_test(t, test_short_lived_leaves_propose_renew_and_short_lived_ca_proposes_trust);
    tcase_add_test(t, test_renew_keeps_ca_passwords_and_secret_names_only_leaves_change);
    tcase_add_test(t, test_renew_keeps_jks_and_the_legacy_profile);
    tcase_add_test(t, test_three_phases_move_the_stage_and_the_cas);
    tcase_add_test(t, test_new_passwords_change_every_store_password);
    suite_add_tcase(s, t);
    t = tcase_create("refusals");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_phases_out_of_order_are_refused);
    tcase_add_test(t, test_a_ca_key_that_does_not_match_is_refused);
    tcase_add_test(t, test_a_missing_ca_key_is_refused_and_ca_key_supplies_it);
    tcase_add_test(t, test_expired_material_is_refused_without_force);
    tcase_add_test(t, test_secrets_from_different_phases_are_refused);
    tcase_add_test(t, test_not_an_output_directory_is_named);
    suite_add_tcase(s, t);
    t = tcase_create("reading");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_add_test(t, test_secret_parser_decodes_and_refuses_bad_input);
    tcase_add_test(t, test_secret_parser_survives_mutations);
    tcase_add_test(t, test_rotation_record_round_trips_and_bad_ones_are_named);
    tcase_add_test(t, test_phase_names_parse_and_titles);
    tcase_add_test(t, test_restart_task_and_kustomization_name_only_the_cluster_and_secrets);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rotate_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
