/* Test tool: builds the material of a default plan (k8tls_pki_build) with a chosen store format,
 * PKCS#12 profile and key algorithm, and writes it out for the interop shell tests:
 *
 *   DIR/store_type                       PKCS12 or JKS (what Cassandra's store_type says)
 *   DIR/ca/rootca.crt, DIR/ca/rootca.key
 *   DIR/{server,client}/keystore, truststore, keystore-password, truststore-password, leaf.crt
 *   DIR/medusa/rootca.crt, client.crt_signed, client.key
 *
 * usage: k8tls-genmat [--format pkcs12|jks] [--profile modern|legacy]
 *                     [--alg rsa2048|rsa3072|rsa4096|ecdsa256|ecdsa384] [--extra-san NAME]...
 *                     [--ca-days N] [--leaf-days N] [--quiet] [--repeat N] --out DIR
 * --repeat N builds N times (material of the last run written) and prints the min and median
 * build times: a benchmark figure, not a test. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "k8tls/secure.h"

static int quiet;

static int write_file(const char *dir, const char *name, const void *data, size_t len, mode_t mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0) {
        fprintf(stderr, "k8tls-genmat: %s: %s\n", path, strerror(errno));
        return -1;
    }
    const unsigned char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            fprintf(stderr, "k8tls-genmat: %s: %s\n", path, strerror(errno));
            close(fd);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return close(fd);
}

static int write_str(const char *dir, const char *name, const char *s, mode_t mode)
{
    return write_file(dir, name, s, strlen(s), mode);
}

static int mkdir_in(const char *dir, const char *sub, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/%s", dir, sub);
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "k8tls-genmat: %s: %s\n", out, strerror(errno));
        return -1;
    }
    return 0;
}

static int write_pair(const char *dir, const char *sub, const struct k8tls_store_pair *sp)
{
    char d[4096];
    struct k8tls_err e;
    if (!sp->present)
        return 0;
    if (mkdir_in(dir, sub, d, sizeof d))
        return -1;
    char *leaf = k8tls_pki_cert_pem(sp->leaf, &e);
    int rc = !leaf || write_file(d, "keystore", sp->keystore->data, sp->keystore->len, 0600)
             || write_file(d, "truststore", sp->truststore->data, sp->truststore->len, 0600)
             || write_str(d, "keystore-password", sp->keystore_password, 0600)
             || write_str(d, "truststore-password", sp->truststore_password, 0600)
             || write_str(d, "leaf.crt", leaf, 0644);
    free(leaf);
    return rc ? -1 : 0;
}

static void progress(void *ud, int done, int total, const char *label)
{
    (void)ud;
    if (!quiet)
        fprintf(stderr, "k8tls-genmat: key %d/%d (%s) done\n", done, total, label);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int usage(void)
{
    fprintf(stderr, "usage: k8tls-genmat [--format pkcs12|jks] [--profile modern|legacy] "
                    "[--alg rsa2048|rsa3072|rsa4096|ecdsa256|ecdsa384] [--extra-san NAME]... "
                    "[--ca-days N] [--leaf-days N] [--quiet] [--repeat N] --out DIR\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *format = "pkcs12", *profile = "modern", *alg = NULL;
    const char *sans[16];
    size_t n_sans = 0;
    int ca_days = 0, leaf_days = 0, repeat = 1, docs_subject = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(a, "--docs-subject") == 0) {   /* the K8ssandra docs' example CA subject */
            docs_subject = 1;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (strcmp(a, "--out") == 0)
            out = v;
        else if (strcmp(a, "--format") == 0)
            format = v;
        else if (strcmp(a, "--profile") == 0)
            profile = v;
        else if (strcmp(a, "--alg") == 0)
            alg = v;
        else if (strcmp(a, "--ca-days") == 0)
            ca_days = atoi(v);
        else if (strcmp(a, "--repeat") == 0)
            repeat = atoi(v) > 0 ? atoi(v) : 1;
        else if (strcmp(a, "--leaf-days") == 0)
            leaf_days = atoi(v);
        else if (strcmp(a, "--extra-san") == 0 && n_sans < 16)
            sans[n_sans++] = v;
        else
            return usage();
    }
    if (!out)
        return usage();

    struct k8tls_plan *p = k8tls_plan_new_defaults();
    if (!p) {
        fprintf(stderr, "k8tls-genmat: out of memory\n");
        return 1;
    }
    if (strcmp(format, "jks") == 0)
        p->stores.format = K8TLS_FORMAT_JKS;
    else if (strcmp(format, "pkcs12") != 0)
        return usage();
    if (strcmp(profile, "legacy") == 0)
        p->stores.p12_profile = K8TLS_P12_LEGACY;
    else if (strcmp(profile, "modern") != 0)
        return usage();
    if (alg) {
        struct k8tls_key_spec *k = &p->ca.key;
        if (strncmp(alg, "rsa", 3) == 0) {
            k->alg = K8TLS_KEY_RSA;
            k->bits = atoi(alg + 3);
        } else if (strcmp(alg, "ecdsa256") == 0) {
            k->alg = K8TLS_KEY_ECDSA;
            k->curve = K8TLS_CURVE_P256;
        } else if (strcmp(alg, "ecdsa384") == 0) {
            k->alg = K8TLS_KEY_ECDSA;
            k->curve = K8TLS_CURVE_P384;
        } else
            return usage();
    }
    if (docs_subject) {
        struct k8tls_subject *sj = &p->ca.subject;
        char **f[] = {&sj->C, &sj->ST, &sj->L, &sj->O, &sj->OU, &sj->CN, &sj->emailAddress};
        const char *v[] = {"FR", "IDF", "Paris", "YourCompany", "SSLTestCluster",
                           "SSLTestClusterRootCA", "youraddress@whatever.com"};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            free(*f[i]);
            *f[i] = strdup(v[i]);
        }
    }
    if (ca_days)
        p->ca.validity_days = ca_days;
    if (leaf_days)
        p->certificates.validity_days = leaf_days;
    if (n_sans) {
        p->certificates.extra_sans = calloc(n_sans, sizeof(char *));
        for (size_t i = 0; i < n_sans; i++)
            p->certificates.extra_sans[i] = strdup(sans[i]);
        p->certificates.n_extra_sans = n_sans;
    }

    struct k8tls_diags d;
    struct k8tls_material *m = NULL;
    struct timespec t0, t1;
    k8tls_diags_init(&d);
    double *times = calloc((size_t)repeat, sizeof *times);
    int rc = 0;
    for (int r = 0; r < repeat && rc == 0; r++) {
        if (m) {
            k8tls_material_free(m);
            m = NULL;
            k8tls_diags_free(&d);
            k8tls_diags_init(&d);
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = k8tls_pki_build(p, repeat > 1 ? NULL : progress, NULL, &m, &d);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        times[r] = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    }
    k8tls_diags_print(&d, stderr);
    if (rc != 0) {
        free(times);
        k8tls_diags_free(&d);
        k8tls_plan_free(p);
        return 1;
    }
    if (repeat > 1) {
        qsort(times, (size_t)repeat, sizeof *times, cmp_double);
        printf("k8tls_pki_build x%d: min %.1f ms, median %.1f ms\n", repeat, times[0] * 1e3,
               times[repeat / 2] * 1e3);
    } else if (!quiet)
        fprintf(stderr, "k8tls-genmat: built in %.3f s\n", times[0]);
    free(times);

    char d_ca[4096], d_medusa[4096];
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "k8tls-genmat: %s: %s\n", out, strerror(errno));
        rc = 1;
    }
    if (rc == 0)
        rc = write_str(out, "store_type", p->stores.format == K8TLS_FORMAT_JKS ? "JKS" : "PKCS12",
                       0644)
             || mkdir_in(out, "ca", d_ca, sizeof d_ca)
             || write_str(d_ca, "rootca.crt", m->ca_cert_pem, 0644)
             || (m->ca_key_pem
                 && write_file(d_ca, "rootca.key", m->ca_key_pem->data, m->ca_key_pem->len, 0600))
             || write_pair(out, "server", &m->server) || write_pair(out, "client", &m->client);
    if (rc == 0 && m->medusa_present)
        rc = mkdir_in(out, "medusa", d_medusa, sizeof d_medusa)
             || write_str(d_medusa, "rootca.crt", m->medusa_ca_pem, 0644)
             || write_str(d_medusa, "client.crt_signed", m->medusa_cert_pem, 0644)
             || write_file(d_medusa, "client.key", m->medusa_key_pem->data,
                           m->medusa_key_pem->len, 0600);
    k8tls_material_free(m);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
    return rc ? 1 : 0;
}
