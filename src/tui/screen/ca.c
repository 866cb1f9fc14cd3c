/* The CA screen: the root certificate authority, generated or imported (checked on Next), and
 * the node certificates' validity and extra names. Calls the engine (form.c) and text.c. */
#include "config.h"
#include "../tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/pki.h"
#include "k8tls/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    A_SOURCE, A_C, A_ST, A_L, A_O, A_OU, A_CN, A_EMAIL, A_ALG, A_SIZE, A_CURVE, A_VALIDITY,
    A_CERT, A_KEY, A_KEYPW, A_LEAF_VALIDITY, A_SANS
};
static const char *const gen_imp[] = {N_("generate a new one"), N_("import an existing one")};
static const char *const algs[] = {"RSA", "ECDSA"};
static const char *const rsa_sizes[] = {"2048", "3072", "4096"};
static const char *const curves[] = {"P-256", "P-384"};

static void ca_define(struct form *f)
{
    tui_field_choice(f, N_("Root CA"), "ca.source", gen_imp, 2, true);
    tui_field_add(f, F_TEXT, N_("Country (C)"), "ca.subject.C");
    tui_field_add(f, F_TEXT, N_("State (ST)"), "ca.subject.ST");
    tui_field_add(f, F_TEXT, N_("Locality (L)"), "ca.subject.L");
    tui_field_add(f, F_TEXT, N_("Organization (O)"), "ca.subject.O");
    tui_field_add(f, F_TEXT, N_("Organizational unit (OU)"), "ca.subject.OU");
    tui_field_add(f, F_TEXT, N_("Common name (CN)"), "ca.subject.CN");
    tui_field_add(f, F_TEXT, N_("E-mail address"), "ca.subject.emailAddress");
    tui_field_choice(f, N_("Key algorithm"), "ca.key.algorithm", algs, 2, true);
    tui_field_choice(f, N_("RSA key size"), "ca.key.size", rsa_sizes, 3, false);
    tui_field_choice(f, N_("ECDSA curve"), "ca.key.curve", curves, 2, false);
    tui_field_add(f, F_TEXT, N_("CA validity (days)"), "ca.validityDays");
    tui_field_add(f, F_PATH, N_("CA certificate (PEM)"), "ca.import.cert");
    tui_field_add(f, F_PATH, N_("CA private key (PEM)"), "ca.import.key");
    int i = tui_field_add(f, F_PASSWORD, N_("CA key password"), "ca.import.keyPassword");
    tui_field_hint(f, i, N_("Empty when the key is not encrypted; env:NAME or file:PATH read it from the "
                  "environment or a file."));
    tui_field_add(f, F_TEXT, N_("Node cert. validity (days)"), "certificates.validityDays");
    i = tui_field_add(f, F_TEXT, N_("Extra SANs"), "certificates.extraSANs");
    tui_field_hint(f, i, N_("More DNS names or IP addresses for the node certificates, separated by commas "
                  "(the cluster's service names are always there)."));
}

/* The common name shown while it follows the cluster name (ca.subject.CN ""), to tell a name the
 * user typed from one the wizard put there. */
struct ca_state {
    char *derived;
};

static void ca_fini(struct tui *t, void *priv)
{
    (void)t;
    free(((struct ca_state *)priv)->derived);
}

/* "<cluster.name> root CA", what an empty CN stands for (heap) */
static char *derived_cn(struct k8tls_plan *p)
{
    char *cn = p->ca.subject.CN;
    p->ca.subject.CN = NULL;
    char *d = k8tls_plan_ca_common_name(p);
    p->ca.subject.CN = cn;
    return d;
}

/* An empty CN is shown as the name it stands for, following the cluster name. */
static void show_cn(struct tui *t, struct form *f)
{
    struct ca_state *st = tui_screen_priv(t, K8TLS_SCR_CA);
    const char *cn = t->plan->ca.subject.CN;
    if (!st || (cn && *cn))
        return;
    char *d = derived_cn(t->plan);
    if (!d)
        return;
    const char *v = tui_field_val(f, A_CN);
    if (!*v || (st->derived && strcmp(v, st->derived) == 0))
        tui_field_set(f, A_CN, d);
    free(st->derived);
    st->derived = d;
}

static void ca_load(struct tui *t, struct form *f)
{
    const struct k8tls_plan *p = t->plan;
    const struct k8tls_subject *s = &p->ca.subject;
    f->f[A_SOURCE].choice = p->ca.source == K8TLS_SOURCE_IMPORT;
    tui_field_set(f, A_C, s->C);
    tui_field_set(f, A_ST, s->ST);
    tui_field_set(f, A_L, s->L);
    tui_field_set(f, A_O, s->O);
    tui_field_set(f, A_OU, s->OU);
    tui_field_set(f, A_CN, s->CN);
    show_cn(t, f);
    tui_field_set(f, A_EMAIL, s->emailAddress);
    f->f[A_ALG].choice = p->ca.key.alg == K8TLS_KEY_ECDSA;
    f->f[A_SIZE].choice = p->ca.key.bits == 2048 ? 0 : p->ca.key.bits == 4096 ? 2 : 1;
    f->f[A_CURVE].choice = p->ca.key.curve == K8TLS_CURVE_P384;
    tui_field_set_int(f, A_VALIDITY, p->ca.validity_days);
    tui_field_set(f, A_CERT, p->ca.import_cert);
    tui_field_set(f, A_KEY, p->ca.import_key);
    tui_field_set(f, A_KEYPW, p->ca.import_key_password.ref);
    tui_field_set_int(f, A_LEAF_VALIDITY, p->certificates.validity_days);
    char *sans = strdup("");
    for (size_t i = 0; sans && i < p->certificates.n_extra_sans; i++) {
        char *n = tui_fmt("%s%s%s", sans, i ? ", " : "", p->certificates.extra_sans[i]);
        free(sans);
        sans = n;
    }
    tui_field_set(f, A_SANS, sans);
    free(sans);
}

static void ca_sync(struct tui *t, struct form *f)
{
    show_cn(t, f);
    bool imp = f->f[A_SOURCE].choice == 1;
    for (int i = A_C; i <= A_VALIDITY; i++)
        f->f[i].hidden = imp;
    if (!imp) {
        f->f[A_SIZE].hidden = f->f[A_ALG].choice != 0;
        f->f[A_CURVE].hidden = f->f[A_ALG].choice != 1;
    }
    f->f[A_CERT].hidden = f->f[A_KEY].hidden = f->f[A_KEYPW].hidden = !imp;
}

static void store_sans(struct k8tls_plan *p, struct form *f)
{
    for (size_t i = 0; i < p->certificates.n_extra_sans; i++)
        free(p->certificates.extra_sans[i]);
    free(p->certificates.extra_sans);
    p->certificates.extra_sans = NULL;
    p->certificates.n_extra_sans = 0;
    char *s = strdup(tui_field_val(f, A_SANS));
    if (!s)
        return;
    size_t cap = 1;
    for (char *c = s; *c; c++)
        cap += *c == ',' || *c == ' ';
    char **v = calloc(cap, sizeof *v);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ", \t", &save); v && tok; tok = strtok_r(NULL, ", \t", &save))
        if (*tok && n < cap)
            v[n++] = strdup(tok);
    free(s);
    p->certificates.extra_sans = v;
    p->certificates.n_extra_sans = v ? n : 0;
}

static int ca_store(struct tui *t, struct form *f, bool strict)
{
    struct k8tls_plan *p = t->plan;
    struct k8tls_subject *s = &p->ca.subject;
    int errs = 0;
    p->ca.source = f->f[A_SOURCE].choice ? K8TLS_SOURCE_IMPORT : K8TLS_SOURCE_GENERATE;
    if (p->ca.source == K8TLS_SOURCE_GENERATE) {
        tui_put_str(&s->C, f, A_C);
        tui_put_str(&s->ST, f, A_ST);
        tui_put_str(&s->L, f, A_L);
        tui_put_str(&s->O, f, A_O);
        tui_put_str(&s->OU, f, A_OU);
        tui_put_str(&s->CN, f, A_CN);
        char *d = derived_cn(p);
        if (d && s->CN && strcmp(s->CN, d) == 0)
            s->CN[0] = '\0';   /* still the cluster's name: it follows a new one */
        free(d);
        tui_put_str(&s->emailAddress, f, A_EMAIL);
        p->ca.key.set = true;
        p->ca.key.alg = f->f[A_ALG].choice ? K8TLS_KEY_ECDSA : K8TLS_KEY_RSA;
        p->ca.key.bits = atoi(rsa_sizes[f->f[A_SIZE].choice]);
        p->ca.key.curve = f->f[A_CURVE].choice ? K8TLS_CURVE_P384 : K8TLS_CURVE_P256;
        errs += tui_put_int(&p->ca.validity_days, f, A_VALIDITY, strict);
    } else {
        tui_put_opt(&p->ca.import_cert, f, A_CERT);
        tui_put_opt(&p->ca.import_key, f, A_KEY);
        tui_put_password(&p->ca.import_key_password, f, A_KEYPW);
    }
    errs += tui_put_int(&p->certificates.validity_days, f, A_LEAF_VALIDITY, strict);
    store_sans(p, f);
    return errs;
}

static int ca_check(struct tui *t, struct form *f)
{
    (void)f;
    if (t->plan->ca.source != K8TLS_SOURCE_IMPORT)
        return 0;
    int errs = 0;
    struct k8tls_plan *c = tui_resolved_copy(t, K8TLS_SCR_CA, &errs);
    if (!c)
        return errs;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    struct k8tls_diags d;
    k8tls_diags_init(&d);
    if (k8tls_import_ca(c, &cert, &key, &d) < 0 && k8tls_diags_count(&d, K8TLS_SEV_ERROR) == 0)
        k8tls_diags_add(&d, K8TLS_SEV_ERROR, NULL, 0, 0, "ca.import", "%s",
                        _("the CA cannot be imported"));
    errs += tui_attach_diags(t, K8TLS_SCR_CA, &d, true);
    k8tls_diags_free(&d);
    X509_free(cert);
    EVP_PKEY_free(key);
    k8tls_plan_free(c);
    return errs;
}

static void ca_notes(struct tui *t, struct form *f, char **lines, int max, int *n)
{
    tui_screen_warnings(t, K8TLS_SCR_CA, lines, max, n);
    bool cm = t->plan->output.mode == K8TLS_OUTPUT_CERT_MANAGER;
    /* cert-manager output: no key is made here */
    if (*n < max && cm && f->f[A_SOURCE].choice == 0)
        lines[(*n)++] = strdup(_("cert-manager output: cert-manager makes this CA and every key "
                                 "in the cluster, from these settings; its key never leaves "
                                 "the cluster."));
    else if (*n < max && cm)
        lines[(*n)++] = strdup(_("cert-manager output: the CA and its key go into a Secret that "
                                 "the CA Issuer signs with."));
    else if (*n < max && f->f[A_SOURCE].choice == 0 && f->f[A_ALG].choice == 0)
        lines[(*n)++] = strdup(_("RSA keys take a second or two each: they are made in the "
                                 "background while you go on."));
}

const struct tui_screen tui_screen_ca = {
    .private_size = sizeof(struct ca_state),
    .fini = ca_fini,
    .starts_keygen = true,
    .intro = N_("The root certificate authority that signs every node certificate."),
    .help = N_("Generate a new root CA (its key stays in the output directory: keep it "
               "safe) or import yours (certificate and key as PEM files; the key may be "
               "encrypted). ECDSA P-256 keys are fast; RSA 3072 is the widest-supported "
               "choice. Keys are generated in the background as soon as you leave this "
               "step."),
    .define = ca_define, .load = ca_load, .sync = ca_sync, .store = ca_store,
    .check = ca_check, .notes = ca_notes,
};
