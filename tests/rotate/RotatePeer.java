// The mixed state of a rolling restart, judged by Java: a node that still holds the stores
// of one phase talks to a node that already holds the stores of the next phase. Stores are loaded
// as Cassandra loads them (KeyStore.getInstance(store_type), key password = store password, the
// default KeyManagerFactory / TrustManagerFactory), and each pair does a mutual TLS handshake in
// both directions (A serves and B connects, then B serves and A connects), needClientAuth on.
//
// usage: java RotatePeer STORE_TYPE [--serve PORT_FILE] CASE...
//   CASE  ok:NAME:DIR_A:DIR_B     both handshakes must succeed
//         fail:NAME:DIR_A:DIR_B   both handshakes must fail (the peers do not trust each other)
//   DIR_x holds keystore, truststore, keystore-password, truststore-password (an output
//   directory's stores/<secret>/).
//   --serve PORT_FILE NAME=DIR... (after the cases): one needClientAuth server per DIR for the
//   Python (Medusa) client; writes "NAME PORT" lines to PORT_FILE, serves one connection each.
// Prints "ok: ..." / "FAIL: ..." lines; exit status 1 when a case did not behave as expected.

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.X509Certificate;
import java.util.*;
import java.util.concurrent.*;
import javax.net.ssl.*;

public class RotatePeer {
    static int failures = 0;
    static String storeType;

    static String password(Path p) throws IOException {
        String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        if (s.endsWith("\n")) throw new IOException(p + ": a password must not end with a newline");
        return s;
    }

    static SSLContext context(Path dir) throws Exception {
        char[] kspw = password(dir.resolve("keystore-password")).toCharArray();
        char[] tspw = password(dir.resolve("truststore-password")).toCharArray();
        KeyStore ks = KeyStore.getInstance(storeType);
        try (InputStream in = Files.newInputStream(dir.resolve("keystore"))) { ks.load(in, kspw); }
        KeyStore ts = KeyStore.getInstance(storeType);
        try (InputStream in = Files.newInputStream(dir.resolve("truststore"))) { ts.load(in, tspw); }
        int trusted = 0;
        for (String a : Collections.list(ts.aliases())) if (ts.isCertificateEntry(a)) trusted++;
        if (trusted == 0) throw new Exception(dir + "/truststore: Java sees no trusted certificate");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, kspw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static String subject(java.security.cert.Certificate c) {
        return ((X509Certificate) c).getSubjectX500Principal().getName();
    }

    static Throwable root(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t;
    }

    // One mutual handshake and a line each way; returns "protocol server=... client=..." or throws.
    static String handshake(SSLContext serverCtx, SSLContext clientCtx) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(30000);
            Future<String> server = ex.submit(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(30000);
                    s.startHandshake();
                    String peer = subject(s.getSession().getPeerCertificates()[0]);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    s.getOutputStream().write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    return peer;
                }
            });
            String result;
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                c.setSoTimeout(30000);
                c.startHandshake();
                String serverPeer = subject(c.getSession().getPeerCertificates()[0]);
                c.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                c.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (!"pong ping".equals(reply)) throw new Exception("unexpected reply " + reply);
                result = c.getSession().getProtocol() + " server=" + serverPeer;
            }
            try {
                return result + " client=" + server.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new Exception("server side: " + root(e), e);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    static void runCase(String spec) {
        String[] f = spec.split(":", 4);
        if (f.length != 4 || !(f[0].equals("ok") || f[0].equals("fail"))) {
            System.out.println("FAIL: bad case " + spec);
            failures++;
            return;
        }
        boolean expectOk = f[0].equals("ok");
        String name = f[1];
        SSLContext a, b;
        try {
            a = context(Paths.get(f[2]));
            b = context(Paths.get(f[3]));
        } catch (Exception e) {
            System.out.println("FAIL: " + name + ": cannot load the stores: " + root(e));
            failures++;
            return;
        }
        String[][] dirs = { { "A serves, B connects", null }, { "B serves, A connects", null } };
        SSLContext[][] order = { { a, b }, { b, a } };
        for (int i = 0; i < 2; i++) {
            String what = name + " (" + dirs[i][0] + ")";
            try {
                String r = handshake(order[i][0], order[i][1]);
                if (expectOk) System.out.println("ok: " + what + ": " + r);
                else { System.out.println("FAIL: " + what + ": the handshake succeeded: " + r); failures++; }
            } catch (Exception e) {
                if (expectOk) { System.out.println("FAIL: " + what + ": " + root(e)); failures++; }
                else System.out.println("ok: " + what + ": refused (" + root(e).getClass().getSimpleName() + ")");
            }
        }
    }

    static void serve(Path portFile, List<String> specs) throws Exception {
        List<SSLServerSocket> sockets = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (String spec : specs) {
            String[] f = spec.split("=", 2);
            SSLServerSocket ss = (SSLServerSocket) context(Paths.get(f[1])).getServerSocketFactory()
                    .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(60000);
            sockets.add(ss);
            names.add(f[0]);
            lines.append(f[0]).append(' ').append(ss.getLocalPort()).append('\n');
        }
        Path tmp = Paths.get(portFile + ".tmp");
        Files.write(tmp, lines.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        for (int i = 0; i < sockets.size(); i++) {
            try (SSLServerSocket ss = sockets.get(i); SSLSocket s = (SSLSocket) ss.accept()) {
                s.setSoTimeout(30000);
                s.startHandshake();
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                s.getOutputStream().write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                System.out.println("served: " + names.get(i) + " client=" + subject(s.getSession().getPeerCertificates()[0]));
            } catch (Exception e) {
                // the Python side judges (a refusal may be the expected outcome)
                System.out.println("served: " + names.get(i) + " refused (" + root(e).getClass().getSimpleName() + ")");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        storeType = args[0];
        List<String> serveSpecs = new ArrayList<>();
        Path portFile = null;
        int i = 1;
        for (; i < args.length; i++) {
            if (args[i].equals("--serve")) { portFile = Paths.get(args[++i]); i++; break; }
            runCase(args[i]);
        }
        for (; i < args.length; i++) serveSpecs.add(args[i]);
        if (portFile != null) serve(portFile, serveSpecs);
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }
}
