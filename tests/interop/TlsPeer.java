// Interop judge for the generated stores (S6, S7): loads keystores and truststores the way
// Cassandra does (KeyStore.getInstance(store_type), key password = store password, default
// KeyManagerFactory/TrustManagerFactory algorithms) and completes mutual TLS handshakes on
// loopback. Compiled at test time; several cells per JVM to keep the tests fast.
//
// usage: java TlsPeer [--python-port-file FILE] CELL...
//   CELL: a directory written by k8tls-genmat (store_type, server/, client/)
// For each cell: server stores <-> server stores (internode, TLSv1.3 and TLSv1.2), client stores
// <-> client stores (client-to-node / nodetool / Reaper), both with needClientAuth. With two
// cells or more, a client from another cell (another CA) must be refused. With
// --python-port-file, then serves one needClientAuth connection per cell on the client stores
// for the Python (Medusa) client: writes "CELL PORT" lines to FILE, then waits.
// Prints "ok: ..." / "FAIL: ..." lines; exit status 1 if anything failed.

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.util.*;
import java.util.concurrent.*;
import javax.net.ssl.*;

public class TlsPeer {
    static int failures = 0;

    static void ok(String m) { System.out.println("ok: " + m); }
    static void fail(String m) { System.out.println("FAIL: " + m); failures++; }

    static String readPassword(Path p) throws IOException {
        String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        if (s.endsWith("\n")) throw new IOException(p + ": a password file must not end with a newline");
        return s;
    }

    // As Cassandra's FileBasedSslContextFactory: one store_type for both stores of a block.
    static SSLContext context(Path cell, String which) throws Exception {
        String type = new String(Files.readAllBytes(cell.resolve("store_type")), StandardCharsets.UTF_8).trim();
        Path dir = cell.resolve(which);
        char[] kspw = readPassword(dir.resolve("keystore-password")).toCharArray();
        char[] tspw = readPassword(dir.resolve("truststore-password")).toCharArray();
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(dir.resolve("keystore"))) { ks.load(in, kspw); }
        KeyStore ts = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(dir.resolve("truststore"))) { ts.load(in, tspw); }
        int keys = 0, trusted = 0;
        for (String a : Collections.list(ks.aliases())) if (ks.isKeyEntry(a)) keys++;
        for (String a : Collections.list(ts.aliases())) if (ts.isCertificateEntry(a)) trusted++;
        if (keys != 1) throw new Exception(dir + "/keystore: " + keys + " key entries, expected 1");
        if (trusted < 1) throw new Exception(dir + "/truststore: no trusted certificate entry");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, kspw);   // key password = store password (S2)
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static String cn(java.security.cert.Certificate c) {
        return ((X509Certificate) c).getSubjectX500Principal().getName();
    }

    // One mutual handshake: server needs the client's certificate; a line goes each way.
    // Returns "protocol peer-subjects" or throws.
    static String handshake(SSLContext serverCtx, SSLContext clientCtx, String protocol) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(120000);
            if (protocol != null) ss.setEnabledProtocols(new String[] { protocol });
            Future<String> server = ex.submit(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(120000);
                    s.startHandshake();
                    String peer = cn(s.getSession().getPeerCertificates()[0]);
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = r.readLine();
                    OutputStream o = s.getOutputStream();
                    o.write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                    return peer;
                }
            });
            String clientSide;
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                c.setSoTimeout(120000);
                if (protocol != null) c.setEnabledProtocols(new String[] { protocol });
                c.startHandshake();
                String proto = c.getSession().getProtocol();
                String serverPeer = cn(c.getSession().getPeerCertificates()[0]);
                c.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                c.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (!"pong ping".equals(reply)) throw new Exception("unexpected reply " + reply);
                clientSide = proto + " server=" + serverPeer;
            }
            String clientPeer = server.get(120, TimeUnit.SECONDS);
            return clientSide + " client=" + clientPeer;
        } finally {
            ex.shutdownNow();
        }
    }

    static Throwable root(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t;
    }

    public static void main(String[] args) throws Exception {
        String portFile = null;
        List<Path> cells = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--python-port-file")) portFile = args[++i];
            else cells.add(Paths.get(args[i]));
        }
        Map<Path, SSLContext> clientCtx = new LinkedHashMap<>();
        for (Path cell : cells) {
            for (String which : new String[] { "server", "client" }) {
                if (!Files.isDirectory(cell.resolve(which))) continue;
                try {
                    SSLContext ctx = context(cell, which);
                    if (which.equals("client")) clientCtx.put(cell, ctx);
                    String[] protos = which.equals("server") ? new String[] { "TLSv1.3", "TLSv1.2" } : new String[] { null };
                    for (String proto : protos)
                        ok(cell.getFileName() + " " + which + " stores mTLS " + handshake(ctx, ctx, proto));
                } catch (Exception e) {
                    fail(cell.getFileName() + " " + which + " stores: " + root(e));
                }
            }
        }
        // a client whose CA the server does not trust must be refused (the check is real)
        if (cells.size() >= 2 && clientCtx.size() >= 2) {
            Iterator<SSLContext> it = clientCtx.values().iterator();
            SSLContext a = it.next(), b = it.next();
            try {
                handshake(a, b, null);
                fail("a client of another CA was accepted");
            } catch (Exception e) {
                ok("a client of another CA is refused (" + root(e).getClass().getSimpleName() + ")");
            }
        }
        if (portFile != null) servePython(clientCtx, Paths.get(portFile));
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    // One needClientAuth server per cell on the client stores, for Python's ssl (Medusa).
    static void servePython(Map<Path, SSLContext> ctxs, Path portFile) throws Exception {
        List<SSLServerSocket> sockets = new ArrayList<>();
        StringBuilder ports = new StringBuilder();
        for (Map.Entry<Path, SSLContext> en : ctxs.entrySet()) {
            SSLServerSocket ss = (SSLServerSocket) en.getValue().getServerSocketFactory()
                    .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(300000);
            sockets.add(ss);
            ports.append(en.getKey()).append(' ').append(ss.getLocalPort()).append('\n');
        }
        Path tmp = Paths.get(portFile + ".tmp");
        Files.write(tmp, ports.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        Iterator<Path> names = ctxs.keySet().iterator();
        for (SSLServerSocket ss : sockets) {
            Path cell = names.next();
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.setSoTimeout(120000);
                s.startHandshake();
                String peer = cn(s.getSession().getPeerCertificates()[0]);
                String proto = s.getSession().getProtocol();
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                s.getOutputStream().write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                ok(cell.getFileName() + " python client " + proto + " client=" + peer);
            } catch (Exception e) {
                fail(cell.getFileName() + " python client: " + root(e));
            } finally {
                ss.close();
            }
        }
    }
}
