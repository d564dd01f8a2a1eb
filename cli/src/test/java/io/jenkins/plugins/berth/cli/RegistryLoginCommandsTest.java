package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryUnauthorizedException;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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

/**
 * {@code berth up}, {@code promote} and {@code down} with the registry logins a Jenkins build binds as variables:
 * two real registries (docker-registry behind htpasswd), each letting in one user only. The deploy file's registry
 * gets its login from {@code BERTH_REGISTRY_*}, the release stage's own registry from {@code BERTH_RELEASE_REGISTRY_*}
 * alone: the docker config the promotion is given holds a wrong password for it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RegistryLoginCommandsTest {
    private static final Credentials BUILDS = new Credentials("ci-builds", "b-pw $(id) `x` 'q' \"d\" ;&|");
    private static final Credentials RELEASES = new Credentials("ci-release", "r-pw %s \\n ${HOME} <>");

    @TempDir
    Path folder;

    private final List<Process> servers = new ArrayList<>();
    private String builds;
    private String releases;
    private Path repo;
    private Path dockerConfig;

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        builds = "127.0.0.1:" + startRegistry(folder.resolve("builds"), BUILDS);
        releases = "127.0.0.1:" + startRegistry(folder.resolve("releases"), RELEASES);
        repo = folder.resolve("repo");
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        Files.writeString(repo.resolve("web/hello.txt"), "hello\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: buildah
                images:
                  web: { context: web }
                stages:
                  - { name: deploy, run: 'echo "$BERTH_ENVIRONMENT $BERTH_IMAGE_WEB" >> deploys.log' }
                release:
                  - { stage: prod, registry: %s/live }
                """.formatted(builds, releases));
        // What a machine's docker login might hold: a stale password for the release registry.
        dockerConfig = folder.resolve("docker/config.json");
        Files.createDirectories(dockerConfig.getParent());
        Files.writeString(dockerConfig, "{\"auths\":{\"" + releases + "\":{\"auth\":\""
                + base64(RELEASES.username() + ":stale-password") + "\"}}}");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process server : servers) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> buildsLogin(String host) {
        return Map.of(RunnerEnvironment.REGISTRY_HOST, host, RunnerEnvironment.REGISTRY_USERNAME, BUILDS.username(),
                RunnerEnvironment.REGISTRY_PASSWORD, BUILDS.password());
    }

    private static Map<String, String> releaseLogin(String host) {
        return Map.of(RunnerEnvironment.RELEASE_REGISTRY_HOST, host, RunnerEnvironment.RELEASE_REGISTRY_USERNAME,
                RELEASES.username(), RunnerEnvironment.RELEASE_REGISTRY_PASSWORD, RELEASES.password());
    }

    private Cli.Result berth(Map<String, String> logins, String... args) {
        Map<String, String> variables = new HashMap<>(Map.of("STORAGE_DRIVER", "vfs", "BUILDAH_ISOLATION", "chroot"));
        variables.putAll(logins);
        return Cli.runWith(variables, args);
    }

    @Test
    void upPushesWithTheFilesLoginAndPromoteWritesToTheReleaseRegistryWithTheReleaseLoginAlone() throws Exception {
        Cli.Result up = berth(buildsLogin("https://" + builds), "up", repo.resolve("berth.yml").toString(),
                "--branch", "main", "--commit", "c1c1c1", "--state", folder.resolve("state").toString());
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        String built = new RegistryClient(builds, Optional.of(BUILDS)).headManifest("shop/web", "latest")
                .orElseThrow().digest();
        assertThatThrownBy(() -> new RegistryClient(builds, Optional.empty()).headManifest("shop/web", "latest"))
                .isInstanceOf(RegistryUnauthorizedException.class);

        // Without the release login the release registry refuses (docker config's password is stale): nothing moves.
        Cli.Result refused = berth(buildsLogin(builds), "promote", repo.resolve("berth.yml").toString(), "--to", "prod",
                "--docker-config", dockerConfig.toString(), "--state", folder.resolve("state").toString());
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
        RegistryClient inReleases = new RegistryClient(releases, Optional.of(RELEASES));
        assertThat(inReleases.headManifest("live/web", "prod")).isEmpty();

        // The release stage's plan names its registry with its prefix; the runner takes the host.
        Map<String, String> both = new HashMap<>(buildsLogin(builds));
        both.putAll(releaseLogin(releases + "/live"));
        Cli.Result promote = berth(both, "promote", repo.resolve("berth.yml").toString(), "--to", "prod",
                "--docker-config", dockerConfig.toString(), "--state", folder.resolve("state").toString());
        assertThat(promote.exitCode()).as(promote.out() + promote.err()).isZero();
        assertThat(inReleases.headManifest("live/web", "prod").orElseThrow().digest()).isEqualTo(built);
        assertThat(Files.readAllLines(repo.resolve("deploys.log"))).containsExactly(
                "shop-main " + builds + "/shop/web@" + built, "shop-prod " + releases + "/live/web@" + built);

        List<String> forms = new ArrayList<>();
        for (Credentials login : List.of(BUILDS, RELEASES)) {
            forms.addAll(List.of(login.password(), base64(login.password()),
                    base64(login.username() + ":" + login.password())));
        }
        for (Cli.Result run : List.of(up, refused, promote)) {
            forms.forEach(form -> assertThat(run.out() + run.err()).doesNotContain(form));
        }
        try (Stream<Path> files = Files.walk(folder.resolve("state"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                forms.forEach(form -> assertThat(text).as(file.toString()).doesNotContain(form));
            }
        }
    }

    @Test
    void downRemovesTheEnvironmentsImagesWithTheFilesLogin() throws Exception {
        String state = folder.resolve("state").toString();
        Cli.Result up = berth(buildsLogin(builds), "up", repo.resolve("berth.yml").toString(), "--branch", "feature/x",
                "--commit", "c1c1c1", "--state", state);
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        RegistryClient withLogin = new RegistryClient(builds, Optional.of(BUILDS));
        String pinned = new DirectoryStateStore(folder.resolve("state")).read("shop-feature-x").orElseThrow().images()
                .get("web");
        String digest = pinned.substring(pinned.indexOf('@') + 1);
        assertThat(withLogin.headManifest("shop/web", digest)).isPresent();

        Cli.Result down = berth(buildsLogin(builds), "down", "--env", "shop-feature-x", "--state", state);
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(withLogin.headManifest("shop/web", digest)).isEmpty();
    }

    @Test
    void aLoginWithoutItsHostIsRefusedNamingTheVariablesAndNothingIsPromoted() throws Exception {
        Cli.Result promote = berth(releaseLogin(""), "promote", repo.resolve("berth.yml").toString(), "--to", "prod",
                "--state", folder.resolve("state").toString());
        assertThat(promote.exitCode()).isEqualTo(2);
        assertThat(promote.err()).contains("BERTH_RELEASE_REGISTRY_USERNAME and BERTH_RELEASE_REGISTRY_PASSWORD are"
                + " set but BERTH_RELEASE_REGISTRY_HOST is not", "nothing was promoted")
                .doesNotContain(RELEASES.password());
    }

    /** docker-registry on 127.0.0.1 behind htpasswd that lets exactly {@code user} in, deletes allowed. */
    private int startRegistry(Path data, Credentials user) throws Exception {
        assertThat(Path.of("/usr/bin/docker-registry")).as("docker-registry is missing: run scripts/install-tools")
                .isExecutable();
        Files.createDirectories(data);
        Process htpasswd = new ProcessBuilder("htpasswd", "-nbB", user.username(), user.password())
                .redirectErrorStream(true).start();
        String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(htpasswd.waitFor()).as("htpasswd (apache2-utils): " + line).isZero();
        Files.writeString(data.resolve("htpasswd"), line + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(data.resolve("config.yml"), "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
                + data.resolve("data") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port
                + "\nauth:\n  htpasswd:\n    realm: berth-test\n    path: " + data.resolve("htpasswd") + "\n");
        Process server = new ProcessBuilder("/usr/bin/docker-registry", "serve", data.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("registry.log").toFile()).start();
        servers.add(server);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException e) {
                assertThat(server.isAlive()).as(Files.readString(data.resolve("registry.log"))).isTrue();
                assertThat(System.nanoTime()).as("port " + port + " opens").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
