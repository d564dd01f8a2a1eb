package io.jenkins.plugins.berth.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.BuildRecord;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.StopRequest;
import io.jenkins.plugins.berth.terraform.InfrastructurePhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builds phase with real Packer 1.9.4 (scripts/install-tools builds it) and built-in components only (file
 * and null builders, shell-local, manifest), and real OpenTofu for the stack that uses a build's artifact.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BuildsPhaseTest {

    /** A secret full of shell special characters. */
    static final String SECRET = "pk'\"$HOME;`id`|&*.+?(x)";

    @TempDir
    Path repo;

    @TempDir
    Path marks;

    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    final StopRequest stops = new StopRequest();

    static List<Path> searchPath() {
        Path bin = TestFiles.projectRoot().resolve(".tools/bin");
        for (String tool : List.of("packer", "tofu")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new AssertionError(tool + " is missing from " + bin + ": run scripts/install-tools");
            }
        }
        return List.of(bin);
    }

    @BeforeEach
    void copyFixture() throws IOException {
        TestFiles.copyFixture("src/test/resources/io/jenkins/plugins/berth/builds/BuildsPhaseTest", repo);
    }

    Path stateFolder() {
        return repo.resolve(".berth/state");
    }

    RunResult up(String yaml, boolean rebuild) throws Exception {
        Files.writeString(repo.resolve("berth.yml"), yaml.replace("MARKS", marks.toString()));
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        DirectoryStateStore state = new DirectoryStateStore(stateFolder());
        Engine engine = Engine.builder()
                .phase(new BuildsPhase(repo, stateFolder(), state, searchPath(), rebuild))
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder(), searchPath()))
                .stopOn(stops)
                .build(new LocalCommandRunner(repo), state, LogLines.into(log));
        return engine.up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.of("abc123"), "shop",
                SecretSource.of(Map.of("pkr-token", SECRET)), 4));
    }

    EnvironmentRecord record() throws Exception {
        return new DirectoryStateStore(stateFolder()).read("shop-main").orElseThrow();
    }

    private String logText() {
        return String.join("\n", log);
    }

    private static List<StepStatus> statuses(RunResult result) {
        return result.steps().stream().map(StepResult::status).toList();
    }

    static final String APP = """
            version: 1
            secrets: { TOKEN: pkr-token }
            builds:
              - name: app
                dir: packer/app
                vars: { greeting: "hello ${BERTH_BRANCH}", token: "${TOKEN}" }
                outputs: { APP_FILE: file.app.files.0, APP_ID: file.app.builder_id }
            infrastructure:
              - name: use
                dir: infra/use
                vars: { app_file: "${APP_FILE}" }
                outputs: { CONTENT: content }
            stages:
              - name: show
                run: echo "content=$CONTENT file=$APP_FILE id=$APP_ID"
            """;

    @Test
    void anArtifactFeedsAStackVariableAndAStageAndIsRecorded() throws Exception {
        RunResult result = up(APP, false);
        assertThat(result.succeeded()).as(logText()).isTrue();
        assertThat(result.steps()).extracting(StepResult::name).containsExactly("app", "use", "show");
        BuildRecord build = record().builds().get(0);
        Path file = stateFolder().resolve(build.workDir()).resolve("template/out/app.txt");
        assertThat(log).contains("[show] content=hello main file=" + file + " id=packer.file");
        assertThat(build.status()).isEqualTo("succeeded");
        assertThat(build.artifacts().get(0).files()).containsExactly(file.toString());
        // The manifest post-processor's entry goes with the artifact of its source.
        assertThat(build.artifacts().get(0).manifestId()).hasValue("File");
        assertThat(record().outputs()).containsEntry("APP_FILE", file.toString());
        // Packer ran with its checkpoint call and its folders kept inside the build's work folder.
        assertThat(BuildsPhase.environment(BuildFolder.of(stateFolder(), "shop", "app", build.version())))
                .containsEntry("CHECKPOINT_DISABLE", "1")
                .containsEntry("PACKER_CACHE_DIR", stateFolder().resolve(build.workDir()).resolve("cache").toString())
                .containsEntry("PACKER_PLUGIN_PATH", stateFolder().resolve(build.workDir()).resolve("plugins").toString());
        assertThat(log).anyMatch(l -> l.startsWith("[app] ==> file.app: Running local shell script"));
    }

    @Test
    void theSecretIsMaskedInTheLogAndInNoRecordOrWorkFile() throws Exception {
        RunResult result = up(APP, false);
        assertThat(result.succeeded()).as(logText()).isTrue();
        String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        // The provisioner printed it, plain and base64-encoded: both are masked.
        assertThat(log).contains("[app]     file.app: token=****");
        assertThat(logText()).doesNotContain(SECRET).doesNotContain(base64).doesNotContain("pk'");
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(stateFolder())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (content.contains("pk'") || content.contains(base64)) {
                    leaks.add(stateFolder().relativize(f).toString());
                }
            }
        }
        assertThat(leaks).as("files holding the secret").isEmpty();
        Path variables = stateFolder().resolve(record().builds().get(0).workDir()).resolve("template")
                .resolve(BuildFolder.VARIABLES_FILE);
        assertThat(Files.readString(variables)).contains("hello main").doesNotContain("token");
    }

    @Test
    void anUnchangedVersionIsNotBuiltAgainUnlessRebuildIsAsked() throws Exception {
        assertThat(up(APP, false).succeeded()).as(logText()).isTrue();
        String version = record().builds().get(0).version();
        log.clear();
        RunResult again = up(APP, false);
        assertThat(again.succeeded()).as(logText()).isTrue();
        assertThat(log).contains("INFO: build app: version " + version + " was built before (environment shop-main),"
                + " build skipped; --rebuild builds it again");
        assertThat(log).noneMatch(l -> l.contains("Builds finished"));
        assertThat(log).anyMatch(l -> l.startsWith("[show] content=hello main"));
        assertThat(record().builds().get(0).reused()).isTrue();

        log.clear();
        assertThat(up(APP, true).succeeded()).isTrue();
        assertThat(log).anyMatch(l -> l.contains("Builds finished"));

        // Another value of a variable is another version: built.
        log.clear();
        assertThat(up(APP.replace("hello ${BERTH_BRANCH}", "hi"), false).succeeded()).isTrue();
        assertThat(record().builds().get(0).version()).isNotEqualTo(version);
        assertThat(log).anyMatch(l -> l.contains("Builds finished"));
    }

    @Test
    void theSourcesOfOneTemplateBuildAsParallelSteps() throws Exception {
        RunResult result = up("""
                version: 1
                builds:
                  - name: two
                    dir: packer/two
                    only: [file.a, file.b]
                    vars: { rendezvous: "MARKS" }
                    outputs: { A_FILE: file.a.files.0, B_FILE: file.b.files.0 }
                stages:
                  - name: show
                    run: cat "$A_FILE" "$B_FILE"; echo
                """, false);
        // Each provisioner waits for the other's mark: this passes only when both ran at the same time.
        assertThat(result.succeeded()).as(logText()).isTrue();
        assertThat(result.steps()).extracting(StepResult::name).containsExactly("two/file.a", "two/file.b", "show");
        assertThat(log).contains("[show] ab");
        assertThat(record().builds()).extracting(BuildRecord::name).containsExactlyInAnyOrder("two/file.a", "two/file.b");
        assertThat(record().builds().get(0).version()).isNotEqualTo(record().builds().get(1).version());
    }

    @Test
    void aFailingProvisionerIsCleanedUpAndRecordedFailed() throws Exception {
        RunResult result = up("""
                version: 1
                builds:
                  - name: fail
                    dir: packer/fail
                    vars: { marks: "MARKS" }
                stages:
                  - name: after
                    run: echo never
                """, false);
        assertThat(result.succeeded()).isFalse();
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED, StepStatus.SKIPPED);
        assertThat(result.steps().get(0).error()).hasValue("packer build exited with code 1");
        assertThat(marks.resolve("cleaned-up")).as("the error-cleanup provisioner ran").exists();
        assertThat(log).contains("[fail]     null.broken: provisioning fails");
        assertThat(record().builds().get(0).status()).isEqualTo("failed");
        assertThat(record().status()).isEqualTo(EnvironmentStatus.FAILED);
    }

    @Test
    void aBuildPastItsTimeoutIsStoppedAndRecordedTimedOut() throws Exception {
        RunResult result = up("""
                version: 1
                builds:
                  - name: slow
                    dir: packer/slow
                    vars: { marks: "MARKS" }
                    timeout: 3s
                """, false);
        assertThat(statuses(result)).containsExactly(StepStatus.TIMED_OUT);
        assertThat(log).anyMatch(l -> l.contains("Cancelling build after receiving interrupt"));
        ProcessHandle.of(Long.parseLong(Files.readString(marks.resolve("started")).trim()))
                .ifPresent(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(15)));
        assertThat(record().builds().get(0).status()).isEqualTo("timed-out");
        assertThat(record().status()).isEqualTo(EnvironmentStatus.FAILED);
    }

    @Test
    void anInterruptGivesPackerSigintStopsTheBuildAndRecordsInterrupted() throws Exception {
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return up("""
                        version: 1
                        builds:
                          - name: slow
                            dir: packer/slow
                            vars: { marks: "MARKS" }
                        """, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path started = marks.resolve("started");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(started) || Files.readString(started).isBlank()) {
            assertThat(System.nanoTime()).as("waiting for the provisioner to start\n" + logText()).isLessThan(deadline);
            assertThat(run).isNotDone();
            Thread.sleep(50);
        }
        ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(started).trim())).orElseThrow();
        stops.request("SIGINT");
        RunResult result = run.get(90, TimeUnit.SECONDS);
        assertThat(statuses(result)).containsExactly(StepStatus.INTERRUPTED);
        // Packer itself got SIGINT (not a kill) and cancelled the build.
        assertThat(log).anyMatch(l -> l.contains("Cancelling build after receiving interrupt"));
        assertThat(sleeper.onExit()).succeedsWithin(Duration.ofSeconds(15));
        assertThat(record().builds().get(0).status()).isEqualTo("interrupted");
        assertThat(record().status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
    }
}
