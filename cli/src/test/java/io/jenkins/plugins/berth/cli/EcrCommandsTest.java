package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.images.PushTargets;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@code berth up} into ECR and {@code berth promote} of an ECR release stage, each in a JVM of its own as a user runs
 * them, so the AWS SDK reads its settings from the real environment: credentials from {@code AWS_ACCESS_KEY_ID},
 * ECR's API at moto through {@code AWS_ENDPOINT_URL_ECR}. The build pushes with buildah to a docker-registry that
 * lets in exactly the credentials moto's token carries ({@value PushTargets#ECR_ENDPOINT} points the push there:
 * moto's proxy endpoint is the real ECR host). moto's ECR does not store what is pushed to that registry, so the test
 * copies the built manifest into it (as ECR's storage would hold it) before the promotion, which retags through
 * ECR's API and then deploys the stage. No command prints SLF4J's warnings.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EcrCommandsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String HOST = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com";
    private static final Credentials TOKEN_LOGIN = new Credentials("AWS", ACCOUNT + "-auth-token");

    @TempDir
    Path folder;

    private final List<Process> servers = new ArrayList<>();
    private String motoEndpoint;
    private String registry;
    private EcrClient ecr;
    private Path repo;

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        Path moto = Cli.ROOT.resolve(".tools/bin/moto_server");
        assertThat(moto).as("moto is missing: run scripts/install-tools").isExecutable();
        int motoPort = freePort();
        servers.add(new ProcessBuilder(moto.toString(), "-H", "127.0.0.1", "-p", String.valueOf(motoPort))
                .redirectErrorStream(true).redirectOutput(folder.resolve("moto.log").toFile()).start());
        motoEndpoint = "http://127.0.0.1:" + motoPort;
        registry = "127.0.0.1:" + startRegistry(folder.resolve("registry"));
        waitFor(motoPort);
        ecr = EcrClient.builder().endpointOverride(URI.create(motoEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        ecr.createRepository(r -> r.repositoryName("shop/web"));
        repo = folder.resolve("repo");
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        Files.writeString(repo.resolve("web/hello.txt"), "hello\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: { ecr: { account: "123456789012", region: us-east-1, repository: shop } }
                builder: buildah
                images:
                  web: { context: web }
                stages:
                  - { name: deploy, run: 'echo "$BERTH_ENVIRONMENT $BERTH_IMAGE_WEB" >> deploys.log' }
                release:
                  - stage: staging
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (ecr != null) {
            ecr.close();
        }
        for (Process server : servers) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void upBuildsIntoEcrWithTheTokenAndPromoteRetagsThroughEcrThenDeploysTheStage() throws Exception {
        Run up = berth("up", repo.resolve("berth.yml").toString(), "--branch", "main", "--commit", "c1c1c1",
                "--state", folder.resolve("state").toString());
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(up.err()).doesNotContain("SLF4J");
        RegistryClient withToken = new RegistryClient(registry, Optional.of(TOKEN_LOGIN));
        String built = withToken.headManifest("shop/web", "latest").orElseThrow().digest();
        assertThat(Files.readAllLines(repo.resolve("deploys.log")))
                .containsExactly("shop-main " + registry + "/shop/web@" + built);

        // ECR's storage is the registry: its API gets the manifest the build pushed, under the digest ECR gives a
        // manifest, its SHA-256 (moto keeps the digest PutImage names; left to itself it makes one up).
        Manifest manifest = withToken.getManifest("shop/web", "latest");
        String inEcr = ecr.putImage(p -> p.repositoryName("shop/web").imageTag("latest").imageManifestMediaType(
                manifest.mediaType()).imageManifest(new String(manifest.content(), StandardCharsets.UTF_8))
                .imageDigest(built)).image().imageId().imageDigest();
        assertThat(inEcr).isEqualTo(built);

        Run promote = berth("promote", repo.resolve("berth.yml").toString(), "--to", "staging",
                "--state", folder.resolve("state").toString());
        assertThat(promote.exitCode()).as(promote.out() + promote.err()).isZero();
        assertThat(promote.err()).doesNotContain("SLF4J");
        // The first stage promotes what main's environment runs, by the digest its record keeps (pushed to the
        // endpoint that stands in for ECR's registry, which the reference names).
        assertThat(promote.out()).contains("==> web: " + registry + "/shop/web@" + built + " -> " + HOST
                + "/shop/web:staging (" + inEcr + ")", "==> Releasing to staging: shop");
        assertThat(ecr.batchGetImage(g -> g.repositoryName("shop/web").imageIds(i -> i.imageTag("staging")))
                .images()).singleElement().satisfies(i -> assertThat(i.imageId().imageDigest()).isEqualTo(inEcr));
        assertThat(Files.readAllLines(repo.resolve("deploys.log"))).containsExactly(
                "shop-main " + registry + "/shop/web@" + built, "shop-staging " + HOST + "/shop/web@" + inEcr);
        EnvironmentRecord staging = new DirectoryStateStore(folder.resolve("state")).read("shop-staging").orElseThrow();
        assertThat(staging.status()).isEqualTo(EnvironmentStatus.READY);
        assertThat(staging.images()).containsEntry("web", HOST + "/shop/web@" + inEcr);

        // The token is in no output and no file of the state.
        String password = TOKEN_LOGIN.password();
        List<String> forms = List.of(password, base64(password), base64("AWS:" + password));
        try (Stream<Path> files = Files.walk(folder.resolve("state"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                forms.forEach(form -> assertThat(text).as(file.toString()).doesNotContain(form));
            }
        }
        for (Run run : List.of(up, promote)) {
            forms.forEach(form -> assertThat(run.out() + run.err()).doesNotContain(form));
        }
    }

    private record Run(int exitCode, String out, String err) {}

    /** {@code berth ARGS} in a JVM of its own, with moto's ECR, its credentials and the registry it stands for. */
    private Run berth(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), BerthCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile())
                .redirectOutput(folder.resolve("out.txt").toFile()).redirectError(folder.resolve("err.txt").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.putAll(new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL_ECR", motoEndpoint, PushTargets.ECR_ENDPOINT, registry,
                "STORAGE_DRIVER", "vfs", "BUILDAH_ISOLATION", "chroot", StateHome.VARIABLE,
                Cli.STATE_HOME.toString())));
        Process process = builder.start();
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("berth " + String.join(" ", args) + " ends").isTrue();
        return new Run(process.exitValue(), Files.readString(folder.resolve("out.txt")),
                Files.readString(folder.resolve("err.txt")));
    }

    /** docker-registry on 127.0.0.1 behind htpasswd that lets in exactly the credentials moto's token carries. */
    private int startRegistry(Path data) throws Exception {
        assertThat(Path.of("/usr/bin/docker-registry")).as("docker-registry is missing: run scripts/install-tools")
                .isExecutable();
        Files.createDirectories(data);
        Process htpasswd = new ProcessBuilder("htpasswd", "-nbB", TOKEN_LOGIN.username(), TOKEN_LOGIN.password())
                .redirectErrorStream(true).start();
        String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(htpasswd.waitFor()).as("htpasswd (apache2-utils): " + line).isZero();
        Files.writeString(data.resolve("htpasswd"), line + "\n");
        int port = freePort();
        Files.writeString(data.resolve("config.yml"), "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
                + data.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\nauth:\n  htpasswd:\n"
                + "    realm: berth-test\n    path: " + data.resolve("htpasswd") + "\n");
        servers.add(new ProcessBuilder("/usr/bin/docker-registry", "serve", data.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("registry.log").toFile()).start());
        waitFor(port);
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void waitFor(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                assertThat(servers).allMatch(Process::isAlive);
                assertThat(System.nanoTime()).as("port " + port + " opens").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
