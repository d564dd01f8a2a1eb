package io.jenkins.plugins.berth.images.kaniko;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jenkins.plugins.berth.TestFiles;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane's API: etcd and kube-apiserver (both built from their Go modules by
 * scripts/install-tools) on free ports of 127.0.0.1, in a temporary folder. Its certificate is made here with the
 * JDK's keytool (self-signed, for 127.0.0.1), clients authenticate with a static token, everything is authorized,
 * and service account tokens are signed with a key made here.
 *
 * <p>Nothing else of a cluster runs: no scheduler, no controller manager, no kubelet. So the admission plugins
 * that depend on controllers are off: {@code ServiceAccount} (no controller makes the {@code default} account)
 * and {@code StorageObjectInUseProtection} (its finalizer would keep every deleted claim, since no controller
 * removes it). {@link TestNode} plays the node and the Job controller.
 */
public final class TestCluster implements AutoCloseable {

    static final String TOKEN = "berth-test-token-0123456789";
    public static final String KEYSTORE_PASSWORD = "berth-test";

    final Path folder;
    final int apiPort;
    public final Path kubeconfig;
    /** The keystore of the certificate the API server serves with; the test kubelet serves with it too. */
    public final Path keystore;
    private final List<Process> processes = new ArrayList<>();

    private TestCluster(Path folder, int apiPort) {
        this.folder = folder;
        this.apiPort = apiPort;
        this.kubeconfig = folder.resolve("kubeconfig");
        this.keystore = folder.resolve("server.p12");
    }

    static Path tool(String name) {
        Path tool = TestFiles.projectRoot().resolve(".tools/bin").resolve(name);
        assertThat(tool).as(name + " is missing: run scripts/install-tools (it builds " + name
                + " from its Go module)").isExecutable();
        return tool;
    }

    public static TestCluster start(Path folder) throws Exception {
        Path etcd = tool("etcd");
        Path apiserver = tool("kube-apiserver");
        TestCluster cluster = new TestCluster(folder, freePort());
        try {
            cluster.certificates();
            int client = freePort();
            int peer = freePort();
            cluster.run("etcd", etcd.toString(), "--name", "berth", "--data-dir", folder.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + client,
                    "--advertise-client-urls", "http://127.0.0.1:" + client,
                    "--listen-peer-urls", "http://127.0.0.1:" + peer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                    "--initial-cluster", "berth=http://127.0.0.1:" + peer,
                    "--listen-metrics-urls", "http://127.0.0.1:" + freePort(),
                    "--log-level", "warn");
            Files.writeString(folder.resolve("tokens.csv"), TOKEN + ",berth-test,berth-test,system:masters\n");
            cluster.run("kube-apiserver", apiserver.toString(),
                    "--etcd-servers", "http://127.0.0.1:" + client,
                    "--bind-address", "127.0.0.1",
                    "--advertise-address", "127.0.0.1",
                    "--secure-port", String.valueOf(cluster.apiPort),
                    "--cert-dir", folder.resolve("certs").toString(),
                    "--tls-cert-file", folder.resolve("server.crt").toString(),
                    "--tls-private-key-file", folder.resolve("server.key").toString(),
                    "--token-auth-file", folder.resolve("tokens.csv").toString(),
                    "--authorization-mode", "AlwaysAllow",
                    "--service-account-issuer", "https://kubernetes.default.svc",
                    "--service-account-key-file", folder.resolve("sa.pub").toString(),
                    "--service-account-signing-key-file", folder.resolve("sa.key").toString(),
                    "--service-cluster-ip-range", "10.96.0.0/24",
                    "--disable-admission-plugins", "ServiceAccount,StorageObjectInUseProtection",
                    "--kubelet-preferred-address-types", "InternalIP",
                    "--enable-priority-and-fairness=false",
                    // The kubernetes service's endpoint would be 127.0.0.1, which the reconciler refuses; none needed.
                    "--endpoint-reconciler-type", "none",
                    "--v", "1");
            cluster.writeKubeconfig();
            cluster.awaitReady();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** A client of this cluster, for the test's own calls (the node's part). */
    public KubernetesClient client() throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig),
                kubeconfig.toString())).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    private void certificates() throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).redirectOutput(folder.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(folder.resolve("keytool.log"))).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        Certificate certificate = store.getCertificate("server");
        PrivateKey key = (PrivateKey) store.getKey("server", KEYSTORE_PASSWORD.toCharArray());
        Files.writeString(folder.resolve("server.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(folder.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair serviceAccounts = generator.generateKeyPair();
        Files.writeString(folder.resolve("sa.key"), pem("PRIVATE KEY", serviceAccounts.getPrivate().getEncoded()));
        Files.writeString(folder.resolve("sa.pub"), pem("PUBLIC KEY", serviceAccounts.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void writeKubeconfig() throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(folder.resolve("server.crt")));
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:" + apiPort + "\n"
                + "    certificate-authority-data: " + ca + "\n"
                + "users:\n- name: test\n  user:\n    token: " + TOKEN + "\n"
                + "contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n    namespace: builds\n"
                + "current-context: test\n");
    }

    private void awaitReady() throws Exception {
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(folder.resolve("server.crt"))) {
            trust.setCertificateEntry("server", certificates.generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(180);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            for (Process process : processes) {
                assertThat(process.isAlive()).as("a control plane process ended: " + logs()).isTrue();
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + apiPort + "/readyz")).header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("kube-apiserver not ready after 180 s: " + last + "\n" + logs());
    }

    private void run(String name, String... command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile()).start());
    }

    String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("etcd", "kube-apiserver")) {
            try {
                List<String> lines = Files.readAllLines(folder.resolve(name + ".log"));
                text.append("--- ").append(name).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                        .append('\n');
            } catch (IOException e) {
                text.append("--- ").append(name).append(": no log\n");
            }
        }
        return text.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
