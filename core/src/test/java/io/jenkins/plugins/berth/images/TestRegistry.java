package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A real registry (Debian's docker-registry, the CNCF distribution registry) on 127.0.0.1 and a random
 * port, storing in a temporary folder, optionally behind htpasswd (Basic) authentication.
 */
final class TestRegistry implements AutoCloseable {
    static final Credentials USER = new Credentials("berth", "s3cret-registry-pw");

    final Path folder;
    final int port;
    final Path log;
    private final Process process;

    private TestRegistry(Path folder, int port, Process process) {
        this.folder = folder;
        this.port = port;
        this.process = process;
        this.log = folder.resolve("registry.log");
    }

    static TestRegistry start(Path folder, boolean withBasicAuth) throws Exception {
        return start(folder, withBasicAuth ? Auth.BASIC : Auth.NONE, null);
    }

    /** How the registry asks clients to authenticate. */
    enum Auth { NONE, BASIC, TOKEN }

    /** With {@link Auth#TOKEN}, {@code tokens} is the token service the registry sends clients to. */
    static TestRegistry start(Path folder, Auth auth, TokenServer tokens) throws Exception {
        return start(folder, auth, tokens, USER);
    }

    /** Behind htpasswd (Basic) authentication that lets exactly {@code user} in. */
    static TestRegistry startFor(Path folder, Credentials user) throws Exception {
        return start(folder, Auth.BASIC, null, user);
    }

    private static TestRegistry start(Path folder, Auth auth, TokenServer tokens, Credentials user) throws Exception {
        boolean withBasicAuth = auth == Auth.BASIC;
        Path binary = Path.of("/usr/bin/docker-registry");
        assertThat(binary).as("docker-registry is missing: run scripts/install-tools").isExecutable();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + folder.resolve("data") + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n");
        if (withBasicAuth) {
            Process htpasswd = new ProcessBuilder("htpasswd", "-nbB", user.username(), user.password())
                    .redirectErrorStream(true).start();
            String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(htpasswd.waitFor()).as("htpasswd (apache2-utils): " + line).isZero();
            Files.writeString(folder.resolve("htpasswd"), line + "\n");
            config.append("auth:\n  htpasswd:\n    realm: berth-test\n    path: ").append(folder.resolve("htpasswd"))
                    .append('\n');
        }
        if (auth == Auth.TOKEN) {
            config.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append("\n    service: ")
                    .append(TokenServer.SERVICE).append("\n    issuer: ").append(TokenServer.ISSUER)
                    .append("\n    rootcertbundle: ").append(folder.resolve("token.pem")).append('\n');
        }
        Files.writeString(folder.resolve("config.yml"), config);
        Process process = new ProcessBuilder(binary.toString(), "serve", folder.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                assertThat(process.isAlive()).as(Files.readString(folder.resolve("registry.log"))).isTrue();
                assertThat(System.nanoTime()).as("registry starts").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        return new TestRegistry(folder, port, process);
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    RegistryClient client(Optional<Credentials> credentials) {
        return new RegistryClient(host(), credentials);
    }

    /** The registry's request log so far. */
    String requests() throws IOException {
        return Files.readString(log);
    }

    private static final java.util.regex.Pattern ACCESS = java.util.regex.Pattern.compile(
            "\"(GET|HEAD|POST|PUT|PATCH|DELETE) (/v2/\\S*) HTTP/1\\.1\" ([0-9]{3}) ");

    /**
     * The requests of the access log from {@code offset} (a length of {@link #requests} taken before), one
     * {@code METHOD PATH STATUS} each, the upload session ids and query strings left out so that runs compare.
     */
    List<String> requestsSince(int offset) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        java.util.regex.Matcher m = ACCESS.matcher(requests().substring(offset));
        while (m.find()) {
            String path = m.group(2).replaceAll("/blobs/uploads/[^?]+", "/blobs/uploads/ID").replaceAll("\\?.*", "");
            lines.add(m.group(1) + " " + path + " " + m.group(3));
        }
        return lines;
    }

    /**
     * Pushes an image of one layer of {@code layerBytes} random bytes with the given manifest media type;
     * returns its manifest.
     */
    static Manifest pushImage(RegistryClient client, Path work, String repository, String tag, int layerBytes,
            String mediaType, long seed) throws Exception {
        byte[] layer = new byte[layerBytes];
        new Random(seed).nextBytes(layer);
        Path layerFile = Files.write(work.resolve("layer-" + seed), layer);
        String layerDigest = RegistryClient.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Path configFile = Files.write(work.resolve("config-" + seed), config);
        String configDigest = RegistryClient.sha256(config);
        client.uploadBlob(repository, layerDigest, layerFile);
        client.uploadBlob(repository, configDigest, configFile);
        boolean oci = mediaType.equals(ManifestMediaTypes.OCI_MANIFEST);
        String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":\""
                + (oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json")
                + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\""
                + (oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip")
                + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
        byte[] bytes = manifestJson.getBytes(StandardCharsets.UTF_8);
        Manifest manifest = new Manifest(bytes, mediaType, RegistryClient.sha256(bytes));
        client.putManifest(repository, tag, manifest);
        return manifest;
    }

    /** Pushes an index of the given platform manifests (already in {@code repository}) under {@code tag}. */
    static Manifest pushIndex(RegistryClient client, String repository, String tag, String mediaType,
            List<Manifest> children) throws Exception {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[");
        String[] architectures = {"amd64", "arm64", "s390x"};
        for (int i = 0; i < children.size(); i++) {
            Manifest child = children.get(i);
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(child.mediaType()).append("\",\"digest\":\"")
                    .append(child.digest()).append("\",\"size\":").append(child.content().length)
                    .append(",\"platform\":{\"architecture\":\"").append(architectures[i]).append("\",\"os\":\"linux\"}}");
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Manifest index = new Manifest(bytes, mediaType, RegistryClient.sha256(bytes));
        client.putManifest(repository, tag, index);
        return index;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
