package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth up} as users run it, on the quickstart example and on small files. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpCommandTest {
    private static final String DEMO_TOKEN = "demo-token-7f3a9c";

    @TempDir
    Path temp;

    private Path quickstart;

    @AfterEach
    void stopTheQuickstartApp() throws IOException {
        Path pid = quickstart == null ? null : quickstart.resolve("build/app.pid");
        if (pid != null && Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
        }
    }

    /** A copy of examples/quickstart that listens on a free port, so the test does not clash with a demo. */
    private Path copyQuickstart() throws IOException {
        Path source = Cli.ROOT.resolve("examples/quickstart");
        Path target = temp.resolve("quickstart");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith("build") || relative.startsWith(".berth/state")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        Path file = target.resolve("berth.yml");
        String yaml = Files.readString(file);
        assertThat(yaml).contains("PORT: \"8765\"");
        Files.writeString(file, yaml.replace("PORT: \"8765\"", "PORT: \"" + freePort() + "\""));
        quickstart = target;
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Path file(String yaml) throws IOException {
        Path file = temp.resolve("berth.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theQuickstartBuildsTestsStartsAndPrintsItsUrlWithTheSecretMasked() throws Exception {
        Path app = copyQuickstart();
        Cli.Result result = Cli.run("up", app.toString(), "--branch", "main",
                "--secrets", app.resolve("demo-secrets.env").toString());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        String url = result.out().lines().filter(l -> l.startsWith("[url] quickstart is running at "))
                .map(l -> l.substring("[url] quickstart is running at ".length())).findFirst().orElseThrow();
        assertThat(result.out()).contains("[test] 5 checks passed", "[smoke] calling " + url + "admin with token ****",
                "[smoke] GET / -> Hello from quickstart-main", "==> Result: succeeded");
        HttpResponse<String> home = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(home.body().strip()).isEqualTo("Hello from quickstart-main");
        // The token reached the app (the smoke stage's /admin call passed) but nothing Berth wrote shows it.
        Path state = Cli.stateOf(app).resolve("quickstart-main.json");
        assertThat(Files.readString(state)).contains("\"status\" : \"ready\"").doesNotContain(DEMO_TOKEN);
        assertThat(result.out() + result.err()).doesNotContain(DEMO_TOKEN);
    }

    @Test
    void aMissingSecretExitsTwoBeforeAnythingRuns() throws Exception {
        Path app = copyQuickstart();
        Cli.Result result = Cli.run("up", app.toString(), "--branch", "main");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("berth.yml:10:3: secret API_TOKEN needs credential 'quickstart-api-token',"
                + " which this run was not given").contains("Give the secrets with --secrets FILE");
        assertThat(result.out()).isEmpty();
        assertThat(app.resolve("build")).doesNotExist();
        assertThat(Cli.stateOf(app)).doesNotExist();
    }

    @Test
    void aMissingScriptFileIsAProblemOfTheFileAndNothingRuns() throws Exception {
        Path file = file("""
                version: 1
                init_stages:
                  - { name: first, run: touch ran }
                  - { name: build, script: .berth/build.sh }
                """);
        Cli.Result result = Cli.run("up", file.toString(), "--branch", "main");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("berth.yml:4:28: ").contains(".berth/build.sh");
        assertThat(temp.resolve("ran")).doesNotExist();
    }

    @Test
    void aFailingStageExitsOneWithTheSummaryAndTheStateWhereAsked() throws Exception {
        Path file = file("""
                version: 1
                project: demo
                stages:
                  - { name: lint, run: exit 3, on_failure: continue }
                  - { name: deploy, run: echo deploying; exit 4 }
                  - { name: cleanup, run: echo cleaned, always: true }
                """);
        Path stateFolder = temp.resolve("elsewhere");
        Cli.Result result = Cli.run("up", file.toString(), "--branch", "fix/1", "--state", stateFolder.toString(),
                "--commit", "abc");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("[deploy] deploying", "[cleanup] cleaned", "==> Result: failed at stage 'deploy'")
                .containsPattern("stages +stage lint +failed-continued +\\d+\\.\\d\\ds +its script exited with code 3")
                .containsPattern("stages +stage deploy +failed +\\d+\\.\\d\\ds +its script exited with code 4")
                .contains("==> State: " + stateFolder.resolve("demo-fix-1.json"));
        assertThat(Files.readString(stateFolder.resolve("demo-fix-1.json"))).contains("\"status\" : \"failed\"",
                "\"commit\" : \"abc\"");
        assertThat(temp.resolve(".berth")).doesNotExist();
    }

    /**
     * Base images are asked for before anything builds: a registry that cannot be reached stops the build naming the
     * Dockerfile line, unless --offline (then the next request, the content tag's, finds no registry either: nothing
     * listens here, no image is built).
     */
    @Test
    void anUnreachableBaseImageRegistryStopsTheBuildUnlessOffline() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Files.writeString(temp.resolve("Dockerfile"), "FROM 127.0.0.1:" + closed + "/base/os:1\nCOPY . /\n");
        Path file = file("""
                version: 1
                project: demo
                registry: 127.0.0.1:%d/demo
                builder: buildah
                images:
                  app: {}
                """.formatted(closed));
        Cli.Result online = Cli.run("up", file.toString(), "--branch", "main", "--commit", "abc");
        assertThat(online.exitCode()).isEqualTo(1);
        assertThat(online.out()).contains("image app: Dockerfile:1: FROM: cannot find the digest of base image 127.0.0.1:"
                + closed + "/base/os:1: cannot reach registry 127.0.0.1:" + closed).contains("run up --offline");
        Cli.Result offline = Cli.run("up", file.toString(), "--branch", "main", "--commit", "abc", "--offline");
        assertThat(offline.exitCode()).isEqualTo(1);
        assertThat(offline.out()).contains("image app: --offline: base images are not asked for")
                .doesNotContain("cannot find the digest").contains("cannot reach registry 127.0.0.1:" + closed
                        + " to check manifest demo/app:content-");
    }

    @Test
    void aBadSecretsFileExitsTwoWithoutShowingItsValues() throws Exception {
        Path app = copyQuickstart();
        Path secrets = temp.resolve("secrets.env");
        Files.writeString(secrets, "quickstart-api-token hunter2\n");
        Cli.Result result = Cli.run("up", app.toString(), "--branch", "main", "--secrets", secrets.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("secrets.env:1: expected credential-id=value").doesNotContain("hunter2");
        Cli.Result missing = Cli.run("up", app.toString(), "--branch", "main", "--secrets",
                temp.resolve("nope.env").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the secrets file");
        assertThat(app.resolve("build")).doesNotExist();
    }

    @Test
    void aDefaultTtlSetsTheExpiryOfAnEnvironmentWhoseFileSetsNone() throws Exception {
        Path file = file("""
                version: 1
                project: demo
                stages:
                  - { name: hello, run: "true" }
                """);
        Cli.Result result = Cli.run("up", file.toString(), "--branch", "main", "--default-ttl", "3d");
        assertThat(result.exitCode()).as(result.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Cli.stateOf(temp).resolve("demo-main.json").toFile());
        java.time.Instant deployed = java.time.Instant.parse(record.get("last_deploy_at").asText());
        assertThat(java.time.Instant.parse(record.get("expires_at").asText()))
                .isEqualTo(deployed.plus(java.time.Duration.ofDays(3)));

        Cli.Result none = Cli.run("up", file.toString(), "--branch", "other", "--default-ttl", "");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(Files.readString(Cli.stateOf(temp).resolve("demo-other.json"))).doesNotContain("expires_at\" : \"");

        Cli.Result bad = Cli.run("up", file.toString(), "--branch", "main", "--default-ttl", "three days");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--default-ttl 'three days': write a whole number and a unit");
    }

    @Test
    void usageErrors() throws Exception {
        Path file = file("version: 1\n");
        assertThat(Cli.run("up", file.toString()).exitCode()).isEqualTo(2);
        assertThat(Cli.run("up", file.toString(), "--branch", " ").exitCode()).isEqualTo(2);
        assertThat(Cli.run("up", file.toString(), "--branch", "main", "--parallel", "0").exitCode()).isEqualTo(2);
        Cli.Result empty = Cli.run("up", file.toString(), "--branch", "main");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).contains("(nothing to run)");
    }
}
