// A test peer that EMULATES how Cassandra negotiates internode and client (native) connections,
// per doc/staged-rollout.md section 1 (it does not run Cassandra; the emulation is as good as
// that section's reading of the source). Used by tests/staged/phase-matrix.sh through
// tests/staged/staged_matrix.py, which plays the operator's part: it reads a phase's bundle (the
// cassandraYaml the wizard wrote, the Secrets it mounts, serverVersion, the datacenters and racks
// of each pod) and writes one node line per pod and phase; this program plays Cassandra's part.
//
// usage: java CassandraPeer [--native-ports FILE] SCENARIO-DIR...
//   SCENARIO-DIR holds nodes.txt and plan.txt (formats in staged_matrix.py). All nodes of a
//   scenario listen on loopback in this one JVM; then every plan line is one connection attempt.
//   --native-ports: afterwards, write "SCENARIO NODE PORT" lines to FILE and keep the native
//   ports open until FILE.done exists (for medusa_tls.py, Python's ssl).
// Prints "ok: SCENARIO: LABEL: HOW" or "FAIL: SCENARIO: LABEL: expected X, got Y: HOW";
// exit status 1 if anything failed.
//
// What is emulated (section numbers of doc/staged-rollout.md):
//   3.11 (1.2): plain listener on storage_port unless `all`, TLS listener on ssl_storage_port
//     unless `none`; outbound TLS to ssl_storage_port when shouldEncrypt(peer), else plain to
//     storage_port; no fallback; server_encryption_options.optional stops the node at startup.
//   4.0/4.1 (1.3): one port; computed enabled/optional; policy UNENCRYPTED (RejectSslHandler:
//     a TLS hello is closed), OPTIONAL (OptionalSslHandler: the first 5 bytes decide), ENCRYPTED
//     (TLS only); after the first handshake message a plain connection is closed when
//     !isExplicitlyOptional && shouldEncrypt(peer); outbound TLS only when shouldEncrypt(peer),
//     no fallback.
//   5.0 (1.4): as 4.1, plus the outbound SSL fallback: after an SSL error (the peer closed the
//     connection during the TLS handshake) and when the sender's computed optional is true, the
//     attempt type is values()[(attempts - 1) % 4] of SERVER_CONFIG, MTLS, SSL, NO_SSL.
//   Clients (1.2-1.4): enabled/optional give plain only, optional (first 5 bytes) or TLS only on
//   native_transport_port; 4.0+ compute optional as for the server options.
//   shouldEncrypt (1.2): none: no peer; all: every peer; dc: other datacenters; rack: other racks
//   or other datacenters.
// Not emulated: retry timing (attempts are counted, not delayed), streaming, the legacy
// ssl_storage_port of 4.0+ (used only toward 3.11 peers), require_endpoint_verification: true
// (a node with it is reported as not started, so it never passes silently).

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.util.*;
import java.util.concurrent.*;
import javax.net.ssl.*;

public class CassandraPeer {
    static int failures = 0;
    static final int TIMEOUT_MS = 10000;
    static final byte[] MAGIC = { (byte) 0xCA, 0x55, 0x2D, (byte) 0xFA };   // messaging protocol magic
    static final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r); t.setDaemon(true); return t;
    });

    // connection attempts: a few at a time (two cores); the acceptors run in `pool`
    static final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r); t.setDaemon(true); return t;
    });
    static final ExecutorService scenarios = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r); t.setDaemon(true); return t;
    });

    enum Policy { UNENCRYPTED, OPTIONAL, ENCRYPTED }
    enum ConnType { SERVER_CONFIG, MTLS, SSL, NO_SSL }   // 5.0 OutboundConnectionInitiator order

    static void out(String s) { synchronized (System.out) { System.out.println(s); } }

    static String arg(Map<String, String> m, String k, String def) {
        String v = m.get(k);
        return v == null ? def : v;
    }

    // ---- one emulated node -------------------------------------------------------------------
    static class Node {
        String id, version, dc, rack;
        Map<String, String> cfg;
        String startupError;
        // server_encryption_options
        String mode;               // none, all, dc, rack
        Boolean srvOptional;       // null when not set
        boolean srvStores, srvClientAuth;
        SSLContext srvCtx;
        // client_encryption_options
        boolean cliEnabled, cliStores, cliClientAuth;
        Boolean cliOptional;
        SSLContext cliCtx;
        // listeners
        ServerSocket storage, sslStorage, nativePort;

        boolean v311() { return version.equals("3.11"); }
        boolean v50() { return version.compareTo("5.0") >= 0; }

        // config/EncryptionOptions shouldEncrypt (1.2, 1.3)
        boolean shouldEncrypt(Node peer) {
            switch (mode) {
                case "none": return false;
                case "all": return true;
                case "dc": return !peer.dc.equals(dc);
                case "rack": return !peer.dc.equals(dc) || !peer.rack.equals(rack);
                default: throw new IllegalStateException("mode " + mode);
            }
        }
        boolean srvEnabled() { return !mode.equals("none"); }
        // computed optional (1.3): explicit value, else keystore present and not enabled; dc/rack imply it
        boolean srvIsOptional() {
            boolean o = srvOptional != null ? srvOptional : (srvStores && !srvEnabled());
            return o || mode.equals("dc") || mode.equals("rack");
        }
        boolean srvExplicitlyOptional() { return srvOptional != null && srvOptional; }
        Policy srvPolicy() {
            return srvIsOptional() ? Policy.OPTIONAL : srvEnabled() ? Policy.ENCRYPTED : Policy.UNENCRYPTED;
        }
        boolean encryptionRequired(Node peer) { return !srvExplicitlyOptional() && shouldEncrypt(peer); }
        Policy cliPolicy() {
            if (v311()) {   // transport/Server.java (1.2): optional defaults to false
                if (!cliEnabled) return Policy.UNENCRYPTED;
                return cliOptional != null && cliOptional ? Policy.OPTIONAL : Policy.ENCRYPTED;
            }
            boolean o = cliOptional != null ? cliOptional : (cliStores && !cliEnabled);
            return o ? Policy.OPTIONAL : cliEnabled ? Policy.ENCRYPTED : Policy.UNENCRYPTED;
        }
        String describe() {
            if (startupError != null) return id + " (" + version + ", " + dc + "/" + rack + "): does not start: " + startupError;
            return id + " (" + version + ", " + dc + "/" + rack + "): internode " + mode
                    + (srvOptional == null ? "" : " optional=" + srvOptional)
                    + (v311() ? " listeners:" + (storage != null ? " plain" : "") + (sslStorage != null ? " tls" : "")
                              : " policy " + srvPolicy())
                    + ", client " + cliPolicy();
        }
    }

    static Boolean tri(String v, String what) throws Exception {
        if (v == null || v.equals("unset")) return null;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new Exception(what + ": not a boolean: " + v);
    }

    static String readPassword(String path) throws IOException {
        return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
    }

    // As Cassandra's file-based SSL context factory: one store_type for both stores, the key
    // password = the store password, default KeyManagerFactory/TrustManagerFactory algorithms.
    // The nodes of one bundle load the same stores: loaded once per content (PKCS#12 key
    // derivation is slow), keyed by the bytes of the four files and the store type.
    static final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();

    static SSLContext context(Map<String, String> c, String p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(arg(c, p + ".store_type", "JKS").getBytes(StandardCharsets.UTF_8));
        for (String f : new String[] { "keystore", "keystore_password", "truststore", "truststore_password" }) {
            byte[] b = Files.readAllBytes(Paths.get(c.get(p + "." + f)));
            md.update(Integer.toString(b.length).getBytes(StandardCharsets.UTF_8));
            md.update(b);
        }
        String key = Base64.getEncoder().encodeToString(md.digest());
        SSLContext ctx = contexts.get(key);
        if (ctx == null) {
            ctx = load(c, p);
            contexts.put(key, ctx);
        }
        return ctx;
    }

    static SSLContext load(Map<String, String> c, String p) throws Exception {
        String type = arg(c, p + ".store_type", "JKS");
        KeyStore ks = KeyStore.getInstance(type);
        char[] kspw = readPassword(c.get(p + ".keystore_password")).toCharArray();
        try (InputStream in = Files.newInputStream(Paths.get(c.get(p + ".keystore")))) { ks.load(in, kspw); }
        KeyStore ts = KeyStore.getInstance(type);
        char[] tspw = readPassword(c.get(p + ".truststore_password")).toCharArray();
        try (InputStream in = Files.newInputStream(Paths.get(c.get(p + ".truststore")))) { ts.load(in, tspw); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, kspw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    // Trust only (5.0's SSL connection type: TLS without a client certificate).
    static SSLContext trustOnly(Map<String, String> c) throws Exception {
        String type = arg(c, "srv.store_type", "JKS");
        KeyStore ts = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Paths.get(c.get("srv.truststore")))) {
            ts.load(in, readPassword(c.get("srv.truststore_password")).toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Node start(Map<String, String> c) throws Exception {
        Node n = new Node();
        n.cfg = c;
        n.id = c.get("id"); n.version = c.get("version"); n.dc = c.get("dc"); n.rack = c.get("rack");
        try {
            if (c.containsKey("error")) throw new Exception(c.get("error"));
            if (!Arrays.asList("3.11", "4.0", "4.1", "5.0").contains(n.version))
                throw new Exception("server version " + n.version + " is not emulated");
            n.mode = arg(c, "srv.mode", "none");
            if (!Arrays.asList("none", "all", "dc", "rack").contains(n.mode))
                throw new Exception("server_encryption_options.internode_encryption: invalid value " + n.mode);
            n.srvOptional = tri(c.get("srv.optional"), "server_encryption_options.optional");
            if (n.v311() && n.srvOptional != null)   // 1.2: YamlConfigurationLoader, an unknown property
                throw new Exception("Invalid yaml: server_encryption_options.optional is not a property of 3.11");
            n.srvStores = "mounted".equals(c.get("srv.stores"));
            n.srvClientAuth = Boolean.TRUE.equals(tri(c.get("srv.require_client_auth"), "require_client_auth"));
            if (Boolean.TRUE.equals(tri(c.get("srv.require_endpoint_verification"), "require_endpoint_verification")))
                throw new Exception("server_encryption_options.require_endpoint_verification: true is not emulated");
            boolean needSrv = n.v311() ? n.srvEnabled() : n.srvEnabled() || n.srvIsOptional();
            if (needSrv && !n.srvStores)
                throw new Exception("internode encryption (" + n.mode + ") without a mounted keystore");
            if (n.srvStores) n.srvCtx = context(c, "srv");
            String en = arg(c, "cli.enabled", "false");
            if (!en.equals("true") && !en.equals("false"))
                throw new Exception("client_encryption_options.enabled: not a boolean: " + en);
            n.cliEnabled = en.equals("true");
            n.cliOptional = tri(c.get("cli.optional"), "client_encryption_options.optional");
            n.cliStores = "mounted".equals(c.get("cli.stores"));
            n.cliClientAuth = Boolean.TRUE.equals(tri(c.get("cli.require_client_auth"), "require_client_auth"));
            if (n.cliPolicy() != Policy.UNENCRYPTED && !n.cliStores)
                throw new Exception("client encryption without a mounted keystore");
            if (n.cliStores) n.cliCtx = context(c, "cli");
        } catch (Exception e) {
            n.startupError = e.getMessage() == null ? e.toString() : e.getMessage();
            return n;
        }
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        if (n.v311()) {
            if (!n.mode.equals("all")) n.storage = new ServerSocket(0, 50, lo);      // MessagingService 707-753
            if (!n.mode.equals("none")) n.sslStorage = new ServerSocket(0, 50, lo);  // 693-705
        } else {
            n.storage = new ServerSocket(0, 50, lo);
        }
        n.nativePort = new ServerSocket(0, 50, lo);
        final Node node = n;
        if (n.storage != null) acceptLoop(n.storage, s -> inboundStorage(node, s, false));
        if (n.sslStorage != null) acceptLoop(n.sslStorage, s -> inboundStorage(node, s, true));
        acceptLoop(n.nativePort, s -> inboundNative(node, s));
        return n;
    }

    interface Handler { void handle(Socket s) throws Exception; }

    static void acceptLoop(ServerSocket ss, Handler h) {
        pool.submit(() -> {
            while (!ss.isClosed()) {
                Socket s;
                try { s = ss.accept(); } catch (IOException e) { return; }
                pool.submit(() -> {
                    try (Socket sock = s) {
                        sock.setSoTimeout(TIMEOUT_MS);
                        h.handle(sock);
                    } catch (Exception e) {
                        // the acceptor closes: the initiator sees it
                    }
                });
            }
        });
    }

    // A TLS record header: content type 20-23, major version 3 (as Netty's SslHandler.isEncrypted).
    static boolean looksLikeTls(byte[] b) {
        return b.length >= 2 && b[0] >= 20 && b[0] <= 23 && b[1] == 3;
    }

    static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new EOFException("closed after " + b.length + " bytes");
        return b;
    }

    static SSLSocket serverTls(SSLContext ctx, Socket s, byte[] consumed, boolean needClientAuth) throws IOException {
        SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(s,
                consumed == null ? null : new ByteArrayInputStream(consumed), true);
        t.setUseClientMode(false);
        t.setNeedClientAuth(needClientAuth);
        t.setSoTimeout(TIMEOUT_MS);
        t.startHandshake();
        return t;
    }

    // Internode inbound: 4.0+ storage_port (one port, policy), 3.11 storage_port (plain) or
    // ssl_storage_port (TLS).
    static void inboundStorage(Node n, Socket s, boolean sslPort) throws Exception {
        InputStream in;
        OutputStream o;
        boolean tls;
        if (n.v311()) {
            if (sslPort) {
                SSLSocket t = serverTls(n.srvCtx, s, null, n.srvClientAuth);
                in = t.getInputStream(); o = t.getOutputStream(); tls = true;
            } else {
                in = s.getInputStream(); o = s.getOutputStream(); tls = false;
            }
        } else {
            byte[] first = readN(s.getInputStream(), 5);
            boolean hello = looksLikeTls(first);
            Policy p = n.srvPolicy();
            if (hello && p == Policy.UNENCRYPTED) return;   // RejectSslHandler: close
            if (!hello && p == Policy.ENCRYPTED) return;     // not a TLS record: the SslHandler fails
            if (hello) {
                SSLSocket t = serverTls(n.srvCtx, s, first, n.srvClientAuth);
                in = t.getInputStream(); o = t.getOutputStream(); tls = true;
            } else {
                in = new SequenceInputStream(new ByteArrayInputStream(first), s.getInputStream());
                o = s.getOutputStream(); tls = false;
            }
        }
        if (!Arrays.equals(readN(in, 4), MAGIC)) return;   // not a messaging handshake
        String[] hello = readLine(in).split(" ");
        if (hello.length != 4 || !hello[0].equals("HELLO")) return;
        Node peer = new Node();
        peer.dc = hello[2]; peer.rack = hello[3];
        // the first handshake message is in: a plain connection is failed when encryption is
        // required toward this peer (4.0+; 3.11 has no such check)
        if (!n.v311() && !tls && n.encryptionRequired(peer)) return;
        o.write(("OK " + n.id + (tls ? " tls" : " plain") + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
        in.read();   // wait until the initiator closes
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        if (c == -1) throw new EOFException("closed before the end of a line");
        return b.toString(StandardCharsets.UTF_8);
    }

    // A CQL v4 OPTIONS frame header: version 4, flags 0, stream 1, opcode 5, length 0.
    static final byte[] CQL_OPTIONS = { 0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00 };

    static void inboundNative(Node n, Socket s) throws Exception {
        byte[] first = readN(s.getInputStream(), 5);
        boolean hello = looksLikeTls(first);
        Policy p = n.cliPolicy();
        InputStream in; OutputStream o;
        if (hello && p == Policy.UNENCRYPTED) return;   // not a CQL frame: protocol error, closed
        if (!hello && p == Policy.ENCRYPTED) return;    // not a TLS record
        if (hello) {
            SSLSocket t = serverTls(n.cliCtx, s, first, n.cliClientAuth);
            in = t.getInputStream(); o = t.getOutputStream();
            first = readN(in, 5);
        } else {
            in = s.getInputStream(); o = s.getOutputStream();
        }
        byte[] rest = readN(in, 4);
        if (first[0] != 0x04 || first[4] != 0x05 || rest[3] != 0) return;
        o.write(("SUPPORTED " + n.id + (hello ? " tls" : " plain") + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
        in.read();
    }

    // ---- outbound ----------------------------------------------------------------------------
    static class Attempt {
        boolean ok, sslError;
        String how;
    }

    static boolean closedDuringHandshake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Received fatal alert")) return false;   // the peer answered with an alert
        }
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof EOFException || t instanceof SocketException) return true;
        return false;
    }

    static String why(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null) r = r.getCause();
        return r.getClass().getSimpleName() + (r.getMessage() == null ? "" : " " + r.getMessage());
    }

    // One connection attempt of A toward B's port: TLS with a client certificate, TLS without,
    // or plain; then the handshake message and B's answer.
    static Attempt attempt(Node a, Node b, int port, SSLContext tlsCtx) {
        Attempt at = new Attempt();
        String kind = tlsCtx == null ? "plain" : "TLS";
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            raw.setSoTimeout(TIMEOUT_MS);
            Socket s = raw;
            if (tlsCtx != null) {
                SSLSocket t = (SSLSocket) tlsCtx.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
                t.setUseClientMode(true);
                t.setSoTimeout(TIMEOUT_MS);
                try {
                    t.startHandshake();
                } catch (IOException e) {
                    at.sslError = closedDuringHandshake(e);
                    at.how = kind + " handshake failed (" + (at.sslError ? "closed by the peer" : why(e)) + ")";
                    return at;
                }
                kind = t.getSession().getProtocol();
                s = t;
            }
            OutputStream o = s.getOutputStream();
            o.write(MAGIC);
            o.write(("HELLO " + a.id + " " + a.dc + " " + a.rack + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            String reply = readLine(s.getInputStream());
            at.ok = reply.startsWith("OK " + b.id + " ");
            at.how = kind + (at.ok ? "" : " unexpected answer " + reply);
        } catch (ConnectException e) {
            at.how = kind + " connection refused (no listener)";
        } catch (IOException e) {
            at.how = kind + " closed by the peer before answering the handshake message (" + why(e) + ")";
        }
        return at;
    }

    static String internode(Node a, Node b) throws Exception {
        boolean enc = a.shouldEncrypt(b);
        if (a.v311()) {
            Attempt at = enc ? (b.sslStorage == null ? refused("TLS to ssl_storage_port") : attempt(a, b, b.sslStorage.getLocalPort(), a.srvCtx))
                             : (b.storage == null ? refused("plain to storage_port") : attempt(a, b, b.storage.getLocalPort(), null));
            String port = enc ? " to ssl_storage_port" : " to storage_port";
            if (!at.ok) throw new Exception(at.how + port + ", no fallback (3.11)");
            return at.how + port;
        }
        if (b.storage == null) throw new Exception("no listener");
        int port = b.storage.getLocalPort();
        if (!enc) {
            Attempt at = attempt(a, b, port, null);
            if (!at.ok) throw new Exception(at.how + " (sent plain: " + a.mode + " does not encrypt toward " + b.id + ")");
            return at.how;
        }
        if (!a.v50()) {
            Attempt at = attempt(a, b, port, a.srvCtx);
            if (!at.ok) throw new Exception(at.how + ", no fallback (" + a.version + ")");
            return at.how;
        }
        // 5.0 (OutboundConnection): the attempt counter is raised at the start of each attempt; after
        // an SSL error, with optional, the type is values()[(attempts - 1) % 4]; any other failure
        // schedules the next attempt without fallback, i.e. SERVER_CONFIG again (the same result).
        boolean fallback = false;
        List<String> tried = new ArrayList<>();
        for (int attempts = 1; attempts <= 8; attempts++) {
            ConnType t = fallback ? ConnType.values()[(attempts - 1) % 4] : ConnType.SERVER_CONFIG;
            SSLContext ctx = t == ConnType.NO_SSL ? null : t == ConnType.SSL ? trustOnly(a.cfg) : a.srvCtx;
            Attempt at = attempt(a, b, port, ctx);
            tried.add(t.name());
            if (at.ok) return at.how + (attempts == 1 ? "" : " after " + String.join(",", tried) + " (5.0 SSL fallback)");
            fallback = at.sslError && a.srvIsOptional();
            if (!fallback)
                throw new Exception(at.how + " after " + String.join(",", tried)
                        + (at.sslError ? " (no fallback: optional is false)" : ""));
        }
        throw new Exception("8 attempts failed: " + String.join(",", tried));
    }

    static Attempt refused(String what) {
        Attempt at = new Attempt();
        at.how = what + ": connection refused (no listener)";
        return at;
    }

    static String client(boolean tls, Node b, SSLContext ctx) throws Exception {
        if (b.nativePort == null) throw new Exception("no native listener");
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", b.nativePort.getLocalPort()), TIMEOUT_MS);
            raw.setSoTimeout(TIMEOUT_MS);
            Socket s = raw;
            String kind = "plain";
            if (tls) {
                SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "127.0.0.1", raw.getPort(), true);
                t.setUseClientMode(true);
                t.setSoTimeout(TIMEOUT_MS);
                try {
                    t.startHandshake();
                } catch (IOException e) {
                    throw new Exception("TLS handshake failed (" + (closedDuringHandshake(e) ? "closed by the node" : why(e)) + ")");
                }
                s = t;
                kind = t.getSession().getProtocol();
            }
            s.getOutputStream().write(CQL_OPTIONS);
            s.getOutputStream().flush();
            String reply;
            try {
                reply = readLine(s.getInputStream());
            } catch (IOException e) {
                throw new Exception(kind + " closed by the node (" + why(e) + ")");
            }
            if (!reply.startsWith("SUPPORTED " + b.id + " ")) throw new Exception("unexpected answer " + reply);
            return kind;
        }
    }

    // ---- scenario ----------------------------------------------------------------------------
    static List<Map<String, String>> readLines(Path p) throws IOException {
        List<Map<String, String>> r = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Map<String, String> m = new LinkedHashMap<>();
            for (String f : line.split("\t")) {
                int i = f.indexOf('=');
                if (i < 0) throw new IOException(p + ": field without '=': " + f);
                m.put(f.substring(0, i), f.substring(i + 1));
            }
            r.add(m);
        }
        return r;
    }

    // Nodes of every scenario, kept listening for the Python (Medusa) client with --native-ports.
    static final Map<String, Node> served = new ConcurrentHashMap<>();
    static boolean keep = false;

    static void scenario(Path dir) throws Exception {
        String name = dir.getFileName().toString();
        Map<String, Node> nodes = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        for (Map<String, String> c : readLines(dir.resolve("nodes.txt"))) {
            Node n = start(c);
            nodes.put(n.id, n);
            report.append("node: " + name + ": " + n.describe() + "\n");
        }
        List<Map<String, String>> plan = readLines(dir.resolve("plan.txt"));
        List<Future<String>> results = new ArrayList<>();
        Map<String, FutureTask<String>> memo = new ConcurrentHashMap<>();
        for (Map<String, String> line : plan) {
            results.add(workers.submit(() -> run(name, nodes, memo, line)));
        }
        for (Future<String> f : results) {
            String r = f.get(120, TimeUnit.SECONDS);
            if (r.startsWith("FAIL")) synchronized (CassandraPeer.class) { failures++; }
            report.append(r).append('\n');
        }
        synchronized (System.out) { System.out.print(report); System.out.flush(); }   // one scenario's lines together
        for (Node n : nodes.values()) {
            if (keep && n.nativePort != null) { served.put(name + " " + n.id, n); continue; }
            for (ServerSocket ss : new ServerSocket[] { n.storage, n.sslStorage, n.nativePort })
                if (ss != null) ss.close();
        }
    }

    // The same connection (same kind, nodes and stores) appears in two transitions ((R,R) of
    // N-1 -> N is (O,O) of N -> N+1): it is made once per scenario and its outcome reported twice.
    interface Conn { String make() throws Exception; }

    static String once(Map<String, FutureTask<String>> memo, String key, Conn c) throws Exception {
        FutureTask<String> mine = new FutureTask<>(c::make);
        FutureTask<String> f = memo.putIfAbsent(key, mine);
        if (f == null) { f = mine; mine.run(); }
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
            throw e;
        }
    }

    static String run(String scen, Map<String, Node> nodes, Map<String, FutureTask<String>> memo, Map<String, String> line) {
        String label = line.get("label"), expect = line.get("expect");
        String got, how;
        try {
            Node b = nodes.get(line.get("to"));
            if (b == null) throw new IllegalStateException("no node " + line.get("to"));
            if (b.startupError != null) return "FAIL: " + scen + ": " + label + ": " + b.id + " does not start: " + b.startupError;
            if (line.get("kind").equals("internode")) {
                Node a = nodes.get(line.get("from"));
                if (a == null) throw new IllegalStateException("no node " + line.get("from"));
                if (a.startupError != null) return "FAIL: " + scen + ": " + label + ": " + a.id + " does not start: " + a.startupError;
                how = once(memo, "internode " + a.id + " " + b.id, () -> internode(a, b));
            } else {
                boolean tls = line.get("kind").equals("client-tls");
                SSLContext ctx = null;
                if (tls) {
                    // "srv:NODE": the node's server stores (a TLS client where no client stores exist)
                    String st = line.get("stores");
                    boolean srv = st.startsWith("srv:");
                    Node owner = nodes.get(srv ? st.substring(4) : st);
                    if (owner == null) throw new IllegalStateException("no node " + st);
                    ctx = srv ? owner.srvCtx : owner.cliCtx;
                    if (ctx == null) throw new IllegalStateException("no stores at " + st);
                }
                final SSLContext cctx = ctx;
                how = once(memo, line.get("kind") + " " + line.get("stores") + " " + b.id, () -> client(tls, b, cctx));
            }
            got = "ok";
        } catch (IllegalStateException e) {
            return "FAIL: " + scen + ": " + label + ": bad plan: " + e.getMessage();
        } catch (Exception e) {
            got = expect.equals("ok") ? "fail" : expect;
            how = e.getMessage();
        }
        if (got.equals(expect)) return "ok: " + scen + ": " + label + ": " + expect + ": " + how;
        return "FAIL: " + scen + ": " + label + ": expected " + expect + ", got "
                + (got.equals("ok") ? "ok" : "fail") + ": " + how;
    }

    public static void main(String[] args) throws Exception {
        List<Future<?>> all = new ArrayList<>();
        String portFile = null;
        List<String> dirs = new ArrayList<>(Arrays.asList(args));
        if (dirs.size() >= 2 && dirs.get(0).equals("--native-ports")) {
            portFile = dirs.get(1);
            dirs = dirs.subList(2, dirs.size());
            keep = true;
        }
        for (String a : dirs) {
            all.add(scenarios.submit(() -> {
                try {
                    scenario(Paths.get(a));
                } catch (Exception e) {
                    out("FAIL: " + a + ": " + e);
                    synchronized (CassandraPeer.class) { failures++; }
                }
                return null;
            }));
        }
        for (Future<?> f : all) f.get(300, TimeUnit.SECONDS);
        if (portFile != null) {
            // "SCENARIO NODE PORT" per node, then serve until PORTFILE.done appears (300 s at most)
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Node> e : served.entrySet())
                b.append(e.getKey()).append(' ').append(e.getValue().nativePort.getLocalPort()).append('\n');
            Path tmp = Paths.get(portFile + ".tmp");
            Files.write(tmp, b.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, Paths.get(portFile), StandardCopyOption.ATOMIC_MOVE);
            Path done = Paths.get(portFile + ".done");
            long end = System.currentTimeMillis() + 300000;
            while (!Files.exists(done) && System.currentTimeMillis() < end) Thread.sleep(50);
        }
        out("CassandraPeer: " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
