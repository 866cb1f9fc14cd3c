// Interop judge for Reaper's stores (R1, R2): loads keystore.jks and truststore.jks as Reaper
// does (KeyStore.getDefaultType(), which reads JKS too; store and key password "changeit",
// default KeyManagerFactory/TrustManagerFactory), then
//   1. as Reaper's HTTP-management client (the R2 stores), completes a handshake with the
//      management API server at 127.0.0.1:MGMT_PORT (a Python ssl server requiring a client
//      certificate) and reads its one-line answer;
//   2. as Reaper's REST API server (the R1 server stores) with needClientAuth, writes its port
//      to PORT_FILE and serves one connection (the Python client with the R1 client trio),
//      printing the client's subject.
// usage: java ReaperPeer SERVER_STORES_DIR MGMT_STORES_DIR MGMT_PORT PORT_FILE
// Prints "ok: ..." / "FAIL: ..." lines; exit status 1 if anything failed.

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import javax.net.ssl.*;

public class ReaperPeer {
    static final char[] PW = "changeit".toCharArray();
    static int failures = 0;

    static SSLContext context(Path dir) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(dir.resolve("keystore.jks"))) { ks.load(in, PW); }
        KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(dir.resolve("truststore.jks"))) { ts.load(in, PW); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PW);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    public static void main(String[] a) throws Exception {
        Path server = Paths.get(a[0]), mgmt = Paths.get(a[1]);
        int mgmtPort = Integer.parseInt(a[2]);
        Path portFile = Paths.get(a[3]);
        try {
            SSLSocket s = (SSLSocket) context(mgmt).getSocketFactory().createSocket("127.0.0.1", mgmtPort);
            s.setSoTimeout(20000);
            s.startHandshake();
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            System.out.println("ok: Reaper's management stores reached the management API "
                + s.getSession().getProtocol() + " server=" + s.getSession().getPeerPrincipal().getName()
                + " said=" + line);
            s.close();
        } catch (Exception e) {
            System.out.println("FAIL: Reaper's management stores: " + e);
            failures++;
        }
        try (SSLServerSocket ss = (SSLServerSocket) context(server).getServerSocketFactory()
                 .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(30000);
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.write(tmp, (ss.getLocalPort() + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
            try (SSLSocket c = (SSLSocket) ss.accept()) {
                c.setSoTimeout(20000);
                c.startHandshake();
                String who = c.getSession().getPeerPrincipal().getName();
                c.getOutputStream().write("reaper\n".getBytes(StandardCharsets.UTF_8));
                c.getOutputStream().flush();
                System.out.println("ok: Reaper's server stores (needClientAuth) accepted "
                    + c.getSession().getProtocol() + " client=" + who);
            }
        } catch (Exception e) {
            System.out.println("FAIL: Reaper's server stores: " + e);
            failures++;
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
