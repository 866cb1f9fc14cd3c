/* Test tool for the rotation's CLI tests: writes an output directory (the wizard's own
 * layout, an ECDSA P-256 default plan) whose server certificate expired two days ago, the
 * material of a cluster that waited too long.
 *
 * usage: rotate-fixture --expired DIR */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "k8tls/bundle.h"
#include "k8tls/output.h"
#include "k8tls/pki.h"
#include "k8tls/plan.h"
#include "../unit/pki_fixtures.h"

static int die(const char *what)
{
    fprintf(stderr, "rotate-fixture: %s\n", what);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--expired") != 0)
        return die("usage: rotate-fixture --expired DIR");
    struct k8tls_plan *p = k8tls_plan_new_defaults();
    struct k8tls_diags d;
    struct k8tls_material *m = NULL;
    struct k8tls_bundle *b = NULL;
    struct k8tls_err e;
    k8tls_diags_init(&d);
    k8tls_err_clear(&e);
    p->ca.key.alg = K8TLS_KEY_ECDSA;
    p->ca.key.curve = K8TLS_CURVE_P256;
    if (k8tls_plan_validate(p, &d) || k8tls_pki_build(p, NULL, NULL, &m, &d))
        return die("cannot build the material");
    EVP_PKEY *k = fx_key();
    X509 *leaf = fx_cert(k, "test-server", m->ca_cert, m->ca_key, FX_NOT_CA, -40, -2,
                         "DNS:localhost,IP:127.0.0.1");
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, m->ca_cert);
    char *kspw = strdup(m->server.keystore_password), *tspw = strdup(m->server.truststore_password);
    k8tls_store_pair_clear(&m->server);
    if (k8tls_pki_make_store_pair(K8TLS_FORMAT_PKCS12, K8TLS_P12_MODERN, "server", k, leaf, cas, cas,
                                  kspw, tspw, &m->server, &e))
        return die(e.msg);
    if (k8tls_bundle_build(p, m, &b, &d))
        return die("cannot build the bundle");
    if (k8tls_output_write(b, argv[2], false, &e))
        return die(e.msg);
    k8tls_bundle_free(b);
    k8tls_material_free(m);
    sk_X509_free(cas);
    X509_free(leaf);
    EVP_PKEY_free(k);
    free(kspw);
    free(tspw);
    k8tls_diags_free(&d);
    k8tls_plan_free(p);
    return 0;
}
