/* Per-field help: one row per field, keyed by its answers key path (or by its label for the
 * fields that have no key), saying what the field sets (the cassandra.yaml option under
 * spec.cassandra.config.cassandraYaml, or the K8ssandraCluster manifest path, as
 * src/core/manifest.c writes them; the certificates for the CA's fields) and what breaks without
 * it. Pure text: text.c only. */
#include "config.h"
#include "help.h"
#include "text.h"
#include "k8tls/i18n.h"

#include <stdlib.h>
#include <string.h>

struct help_row {
    const char *key;   /* a key path ("*" = one part), or "=" and a label's message id */
    const char *sets;  /* N_(): what it sets; "%s" is serverEncryptionStores or
                        * clientEncryptionStores for the store fields */
    const char *why;   /* N_(): what breaks without it, or when it matters */
};


static const struct help_row rows[] = {
    /* Welcome */
    {"=Start from", N_("nothing by itself: where the answers come from (the defaults, a "
                       "K8ssandraCluster manifest, an answers file, or a rotation)."),
     N_("the wizard starts from the defaults; a manifest you already have keeps everything but "
        "its encryption settings.")},
    {"cluster.manifest", N_("the file read at the start: a K8ssandraCluster manifest (its "
                            "encryption settings are set, the rest is kept) or an answers file."),
     N_("the wizard cannot read your cluster's settings and starts from the defaults.")},

    /* Cluster */
    {"cluster.name", N_("metadata.name of the K8ssandraCluster, and the DNS names in the node "
                        "certificates (<name>-<dc>-service.<namespace>.svc)."),
     N_("the certificates do not name the services the nodes and clients connect to: host name "
        "checks fail.")},
    {"cluster.namespace", N_("metadata.namespace of the K8ssandraCluster, the namespace of every "
                             "Secret, and the DNS names in the node certificates."),
     N_("the operator reads the Secrets from the cluster's namespace only: Secrets elsewhere are "
        "not found and the pods do not start.")},
    {"cluster.serverType", N_("spec.cassandra.serverType; for dse the store type is written as "
                              "keystore_type and truststore_type instead of store_type."),
     N_("the wrong store type key for the server: it opens the stores with its default type.")},
    {"cluster.serverVersion", N_("spec.cassandra.serverVersion, written as a quoted string."),
     N_("the operator cannot choose the image; a version for another server type is refused.")},
    {"cluster.storageClass", N_("spec.cassandra.storageConfig.cassandraDataVolumeClaimSpec."
                                "storageClassName."),
     N_("empty: the cluster's default StorageClass; a class that does not exist leaves the pods "
        "Pending.")},
    {"cluster.storageSize", N_("spec.cassandra.storageConfig.cassandraDataVolumeClaimSpec."
                               "resources.requests.storage."),
     N_("5Gi is written; a volume too small fills up and the node stops.")},
    {"cluster.datacenters", N_("spec.cassandra.datacenters[]: metadata.name, size and k8sContext "
                               "for each datacenter."),
     N_("no nodes. A datacenter in another kube context needs the Secrets there too: the "
        "operator copies nothing.")},
    {"cluster.stargate.enabled", N_("spec.stargate (deprecated in the current CRD)."),
     N_("no Stargate API gateway; when on, it uses the cluster's encryption settings.")},
    {"cluster.stargate.size", N_("spec.stargate.size."), N_("one Stargate replica is written.")},
    {"cluster.reaper.enabled", N_("spec.reaper."),
     N_("no repairs scheduled by Reaper. With client encryption on, Reaper mounts the client "
        "stores (spec.cassandra.clientEncryptionStores).")},
    {"cluster.reaper.deploymentMode", N_("spec.reaper.deploymentMode."),
     N_("the operator's default mode (one Reaper for the cluster).")},
    {"cluster.medusa.enabled", N_("spec.medusa.storageProperties, and with client encryption "
                                  "spec.medusa.clientEncryptionStores."),
     N_("no backups. With client encryption on, Medusa needs its client certificate: the "
        "operator refuses the cluster without one.")},
    {"cluster.medusa.storageProvider", N_("spec.medusa.storageProperties.storageProvider."),
     N_("Medusa does not know where to store the backups.")},
    {"cluster.medusa.bucketName", N_("spec.medusa.storageProperties.bucketName."),
     N_("the backups have nowhere to go.")},
    {"cluster.medusa.storageSecret", N_("spec.medusa.storageProperties.storageSecretRef.name."),
     N_("Medusa has no credentials for the bucket. You create this Secret (NEXT-STEPS.md "
        "names it).")},

    /* Encryption */
    {"encryption.internode.mode",
     N_("internode_encryption of server_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml), and spec.cassandra.serverEncryptionStores."),
     N_("with none, the nodes talk in clear and no server stores are made; dc or rack leave the "
        "traffic inside a datacenter or a rack in clear.")},
    {"encryption.internode.requireClientAuth",
     N_("require_client_auth of server_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml)."),
     N_("a node accepts internode connections without a certificate: whoever reaches the "
        "storage port can talk to it as a peer.")},
    {"encryption.internode.requireEndpointVerification",
     N_("require_endpoint_verification of server_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml)."),
     N_("a node does not check that its peer's certificate names the address it connects to; "
        "when on, every node certificate must name that address or the connection is refused.")},
    {"encryption.client.enabled",
     N_("enabled of client_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml), and spec.cassandra.clientEncryptionStores."),
     N_("CQL and JMX in clear; Reaper and Medusa connect without TLS.")},
    {"encryption.client.optional",
     N_("optional of client_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml)."),
     N_("every client must use TLS; yes lets plain clients connect too.")},
    {"encryption.client.requireClientAuth",
     N_("require_client_auth of client_encryption_options in cassandra.yaml "
        "(spec.cassandra.config.cassandraYaml)."),
     N_("clients connect with the CA alone (one-way TLS); nodetool over JMX still needs the "
        "client stores.")},
    {"encryption.medusa.enabled", N_("spec.medusa.clientEncryptionStores: a Secret with "
                                     "rootca.crt, client.crt_signed and client.key."),
     N_("with Medusa and client encryption on, the operator refuses the cluster.")},
    {"stores.format",
     N_("store_type of server_encryption_options and client_encryption_options in cassandra.yaml "
        "(keystore_type and truststore_type for dse), and the format of the stores in the "
        "Secrets."),
     N_("a store_type that does not match the files: Cassandra cannot open the stores and the "
        "node does not start.")},
    {"stores.pkcs12Profile", N_("how the PKCS12 stores are encrypted (no manifest key)."),
     N_("old Java 8 builds cannot read the modern profile: choose legacy only for them.")},

    /* Certificates (the CA step) */
    {"ca.source", N_("the CA that signs every certificate: ca.crt in every truststore and "
                     "rootca.crt in the Medusa Secret."),
     N_("import your CA when clients already trust it; a new CA must be given to every client.")},
    {"ca.subject.CN", N_("the common name in the CA certificate's subject (no manifest key)."),
     N_("a CA without a name is hard to tell apart in keytool and openssl listings.")},
    {"ca.subject.*", N_("a field of the CA certificate's subject (no manifest key)."),
     N_("nothing breaks: it is optional. Example values left in (FR, Paris, YourCompany) make "
        "the CA look like a placeholder.")},
    {"ca.key.algorithm", N_("the CA's key type, and the node keys' (no manifest key)."),
     N_("RSA is read by every client; ECDSA keys are smaller and faster to make.")},
    {"ca.key.size", N_("the RSA key size of the CA and the nodes."),
     N_("2048 is the least accepted; larger keys take longer to generate.")},
    {"ca.key.curve", N_("the ECDSA curve of the CA and the nodes."),
     N_("P-256 is the widely supported choice.")},
    {"ca.validityDays", N_("the CA certificate's expiry date (notAfter)."),
     N_("when the CA expires, every node certificate stops being trusted at once: plan its "
        "rotation.")},
    {"ca.import.cert", N_("the CA certificate read from a PEM file: ca.crt in every truststore."),
     N_("an imported CA cannot be used: nothing is signed.")},
    {"ca.import.key", N_("the CA's private key (PEM) that signs the node certificates."),
     N_("no node certificate can be signed by your CA.")},
    {"ca.import.keyPassword", N_("the password that opens an encrypted CA key."),
     N_("an encrypted key cannot be read: the step stops with a wrong password error.")},
    {"certificates.validityDays", N_("the node certificates' expiry date (notAfter)."),
     N_("once they expire, the nodes refuse each other's and the clients' connections.")},
    {"certificates.extraSANs", N_("more subjectAltName entries in the node certificates."),
     N_("clients that check host names and reach the nodes by another name (a load balancer, "
        "an external DNS name) refuse the certificate.")},

    /* Medusa */
    {"encryption.medusa.source", N_("the Medusa client certificate: signed by the CA, or your "
                                    "own files."),
     N_("the operator refuses a cluster with Medusa and client encryption but no certificate.")},
    {"encryption.medusa.secretName", N_("spec.medusa.clientEncryptionStores: keystoreSecretRef, "
                                        "truststoreSecretRef and truststorePasswordSecretRef name "
                                        "this Secret."),
     N_("Medusa cannot connect to the nodes with client encryption on.")},
    {"encryption.medusa.import.ca", N_("rootca.crt in the Medusa Secret "
                                       "(spec.medusa.clientEncryptionStores.keystoreSecretRef)."),
     N_("Medusa cannot check the nodes' certificates.")},
    {"encryption.medusa.import.cert", N_("client.crt_signed in the Medusa Secret "
                                         "(spec.medusa.clientEncryptionStores."
                                         "truststoreSecretRef)."),
     N_("the nodes refuse Medusa when they require client certificates.")},
    {"encryption.medusa.import.key", N_("client.key in the Medusa Secret "
                                        "(spec.medusa.clientEncryptionStores."
                                        "truststorePasswordSecretRef), not encrypted."),
     N_("Medusa cannot use its certificate: it reads the key without a password.")},

    /* More TLS (SPEC §10); the Encryption step's switch that shows the step */
    {"=More TLS surfaces", N_("nothing by itself: yes switches on the management API's TLS, "
                              "and Reaper's and Medusa's gRPC's where they run; the More TLS "
                              "step lists them."),
     N_("the management API, Reaper's API and Medusa's gRPC service stay in clear.")},
    {"encryption.managementApi.enabled",
     N_("spec.cassandra.managementApiAuth.manual (serverSecretName, clientSecretName): mutual "
        "TLS for the management API of each Cassandra pod."),
     N_("the management API (port 8080) is plain HTTP: whoever reaches it can drain or stop "
        "the node.")},
    {"encryption.managementApi.serverSecretName",
     N_("spec.cassandra.managementApiAuth.manual.serverSecretName: a kubernetes.io/tls Secret "
        "(ca.crt, tls.crt, tls.key in PKCS#8) mounted in every Cassandra pod."),
     N_("cass-operator refuses the datacenter and never retries: it stays failed until the "
        "Secret exists and something else wakes it.")},
    {"encryption.managementApi.clientSecretName",
     N_("spec.cassandra.managementApiAuth.manual.clientSecretName: the certificate the "
        "operators call the management API with."),
     N_("cass-operator refuses the datacenter and never retries; the operators cannot reach "
        "the nodes.")},
    {"encryption.reaper.enabled",
     N_("spec.reaper.encryption (serverCertName, clientCertName): mutual TLS for Reaper's "
        "REST API."),
     N_("Reaper's API is plain HTTP. It needs Reaper on (the Cluster step); the stores use "
        "Reaper's hard-coded password changeit, which is not a secret.")},
    {"encryption.reaper.serverSecretName",
     N_("spec.reaper.encryption.serverCertName: keystore.jks (Reaper's certificate and key) "
        "and truststore.jks, password changeit."),
     N_("Reaper cannot serve TLS: it reads these stores with the password changeit only.")},
    {"encryption.reaper.clientSecretName",
     N_("spec.reaper.encryption.clientCertName: the operator's client certificate (ca.crt, "
        "tls.crt, tls.key)."),
     N_("one-way TLS: the operator then checks Reaper against its pod's system CAs, which do "
        "not hold the cluster's CA, and cannot reach Reaper. Refused.")},
    {"encryption.reaper.managementSecretName",
     N_("spec.reaper.httpManagement.keystores.name: the stores (JKS, password changeit) "
        "Reaper calls the management API with."),
     N_("with the management API over TLS, Reaper speaks plain HTTP to an HTTPS server and no "
        "repair runs. Refused.")},
    {"encryption.medusaGrpc.enabled",
     N_("spec.medusa.serviceProperties.encryption (serverSecretName, clientSecretName): mutual "
        "TLS for Medusa's gRPC service in each Cassandra pod."),
     N_("Medusa's gRPC service is plain: whoever reaches it can start backups and restores. "
        "It needs Medusa on (the Cluster step).")},
    {"encryption.medusaGrpc.serverSecretName",
     N_("spec.medusa.serviceProperties.encryption.serverSecretName: ca.crt, tls.crt, tls.key; "
        "the certificate names localhost, 127.0.0.1 and ::1."),
     N_("Medusa's health probe dials localhost with this certificate: without those names the "
        "probe fails and the Medusa container never becomes ready.")},
    {"encryption.medusaGrpc.clientSecretName",
     N_("spec.medusa.serviceProperties.encryption.clientSecretName: the operator's client "
        "certificate for Medusa's gRPC service."),
     N_("the operator cannot call Medusa: no backup or restore runs.")},

    /* The store sets (server and client) */
    {"stores.*.source", N_("the keystore and truststore of the Secret named by "
                           "spec.cassandra.%s: generated, imported, or the server's."),
     N_("the nodes have no stores to open: the operator cannot configure encryption.")},
    {"stores.*.secretName", N_("the Secret named by spec.cassandra.%s (keystoreSecretRef, "
                               "truststoreSecretRef and both password refs)."),
     N_("the operator finds no stores: encryption is not set up and the pods do not start.")},
    {"stores.*.keystorePassword", N_("keystore-password in the Secret, named by "
                                     "spec.cassandra.%s.keystorePasswordSecretRef; it opens the "
                                     "keystore and its key."),
     N_("empty, a strong one is generated. A wrong one: Cassandra cannot open the keystore and "
        "the node does not start.")},
    {"stores.*.truststorePassword", N_("truststore-password in the Secret, named by "
                                       "spec.cassandra.%s.truststorePasswordSecretRef."),
     N_("empty, a strong one is generated. A wrong one: Cassandra cannot open the truststore "
        "and the node does not start.")},
    {"stores.*.import.keystore", N_("keystore in the Secret (spec.cassandra.%s."
                                    "keystoreSecretRef): your keystore file."),
     N_("there is no keystore to import.")},
    {"stores.*.import.keystorePassword", N_("keystore-password in the Secret (spec.cassandra.%s."
                                            "keystorePasswordSecretRef): the password that opens "
                                            "your keystore."),
     N_("the keystore cannot be read or checked, and Cassandra could not open it.")},
    {"stores.*.import.truststore", N_("truststore in the Secret (spec.cassandra.%s."
                                      "truststoreSecretRef): your truststore file."),
     N_("there is no truststore to import: internode encryption needs one.")},
    {"stores.*.import.truststorePassword",
     N_("truststore-password in the Secret (spec.cassandra.%s.truststorePasswordSecretRef): the "
        "password that opens your truststore."),
     N_("the truststore cannot be read or checked, and Cassandra could not open it.")},

    /* Encryption: who makes the certificates */
    {"output.mode", N_("what the bundle holds. files: the CA, the keys and the stores, made "
                       "now. cert-manager: Issuers and Certificates that cert-manager makes "
                       "into the same Secrets in the cluster, and renews."),
     N_("files. Choose it without cert-manager, or to have the stores now or offline; choose "
        "cert-manager when you run it and want the renewals in the cluster.")},
    {"output.issuerKind", N_("the kind of the Issuers: Issuer (in the cluster's namespace) or "
                             "ClusterIssuer (cluster-wide; cert-manager reads its CA Secret from "
                             "its own cluster resource namespace)."),
     N_("an Issuer in the cluster's namespace: right unless other namespaces must sign with the "
        "same CA.")},
    {"output.trustManager", N_("a trust-manager Bundle (trust.cert-manager.io/v1alpha1) that "
                               "writes the truststores into a Secret of its own, holding every "
                               "CA."),
     N_("each truststore holds the one CA that signed it, so a CA rotation breaks the "
        "connections between old and new nodes. Choose it for rotations without a break; it "
        "needs trust-manager installed with Secret targets enabled.")},

    /* Output */
    {"output.directory", N_("where the bundle is written: kustomization.yaml, the manifests, the "
                            "Secrets and NEXT-STEPS.md."),
     N_("nothing is written.")},
    {"output.createNamespace", N_("a Namespace manifest in the bundle."),
     N_("kubectl apply fails when the namespace does not exist yet.")},
    {"=Save the answers file", N_("an answers file next to the bundle (passwords only as env: "
                                  "or file: references)."),
     N_("the same bundle cannot be made again with --answers.")},
    {"=Answers file", N_("the path of the answers file to save."),
     N_("the answers are not saved.")},
    {"=Apply to a cluster", N_("nothing in the bundle: kubectl applies it once written."),
     N_("you apply the bundle yourself (NEXT-STEPS.md says how).")},
    {"=Kube contexts", N_("the contexts kubectl applies to; the first is the control plane, "
                          "where the K8ssandraCluster goes."),
     N_("the Secrets must still reach every datacenter's context.")},
    {"=Server dry run", N_("kubectl's --dry-run=server: the API servers check every object."),
     N_("the objects are stored for real.")},
};

#define N_ROWS ((int)(sizeof rows / sizeof rows[0]))

int tui_field_help_count(void)
{
    return N_ROWS;
}

const char *tui_field_help_key(int i)
{
    return i >= 0 && i < N_ROWS ? rows[i].key : NULL;
}

/* does the key path match the pattern, part by part ("*" matches one part)? */
static int path_matches(const char *pat, const char *path)
{
    while (*pat && *path) {
        if (*pat == '*') {
            pat++;
            while (*path && *path != '.')
                path++;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    return !*pat && !*path;
}

char *tui_field_help(const char *path, const char *label)
{
    const struct help_row *r = NULL;
    for (int i = 0; i < N_ROWS && !r; i++) {
        if (path ? rows[i].key[0] != '=' && path_matches(rows[i].key, path)
                 : label && rows[i].key[0] == '=' && strcmp(rows[i].key + 1, label) == 0)
            r = &rows[i];
    }
    if (!r)
        return NULL;
    const char *stores = NULL;
    if (path && strncmp(path, "stores.", 7) == 0)
        stores = strncmp(path, "stores.client.", 14) == 0 ? "clientEncryptionStores"
                                                          : "serverEncryptionStores";
    char *sets = strstr(r->sets, "%s") ? tui_fmt(_(r->sets), stores ? stores : "")
                                       : tui_fmt("%s", _(r->sets));
    /* TRANSLATORS: F1 on a field (its label is the box's title): what it sets, then what
     * breaks without it */
    char *s = tui_fmt(_("Sets: %s\nWithout it: %s"), sets, _(r->why));
    free(sets);
    return s;
}
