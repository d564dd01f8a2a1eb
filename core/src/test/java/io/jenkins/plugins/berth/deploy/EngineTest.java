package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RecordingLog;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.run.Phase;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine with real bash processes, a real state folder and a deploy file on disk. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTest {

    /** A secret full of characters shells and regular expressions treat specially. */
    static final String SECRET = "p@ss w0rd'\"$HOME;`id`|&*.+?(x)\\n";

    @TempDir
    Path repo;

    final RecordingLog log = new RecordingLog();

    private DirectoryStateStore state() {
        return new DirectoryStateStore(repo.resolve(".berth/state"));
    }

    private DeployFile write(String yaml) throws IOException, DeployFileException {
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, yaml);
        return DeployFiles.load(file, "berth.yml");
    }

    private RunResult up(String yaml) throws Exception {
        return up(yaml, SecretSource.none(), Engine.builder());
    }

    private RunResult up(String yaml, SecretSource secrets, Engine.Builder plugins) throws Exception {
        return up(write(yaml), secrets, plugins, 4);
    }

    private RunResult up(DeployFile file, SecretSource secrets, Engine.Builder plugins, int parallel) throws Exception {
        Engine engine = plugins.build(new LocalCommandRunner(repo), state(), log);
        return engine.up(file, RepositoryFiles.of(repo),
                new UpRequest("feature/Login", Optional.of("c0ffee".repeat(6) + "abcd"), "repo", secrets, parallel));
    }

    private List<String> lines(String file) throws IOException {
        Path path = repo.resolve(file);
        return Files.exists(path) ? Files.readAllLines(path) : List.of();
    }

    private static List<StepStatus> statuses(RunResult result) {
        return result.steps().stream().map(StepResult::status).toList();
    }

    @Test
    void initStagesRunBeforeStagesInFileOrder() throws Exception {
        RunResult result = up("""
                version: 1
                stages:
                  - { name: s1, run: echo s1 >> order }
                  - { name: s2, run: echo s2 >> order }
                init_stages:
                  - { name: i1, run: echo i1 >> order }
                  - { name: i2, run: echo i2 >> order }
                """);
        assertThat(lines("order")).containsExactly("i1", "i2", "s1", "s2");
        assertThat(result.succeeded()).isTrue();
        assertThat(result.steps()).extracting(StepResult::phase)
                .containsExactly("init_stages", "init_stages", "stages", "stages");
        assertThat(result.status()).isEqualTo(EnvironmentStatus.READY);
    }

    @Test
    void stagesSeeTheFilesVariablesAndTheImmutableBuiltins() throws Exception {
        up("""
                version: 1
                project: shop
                variables:
                  GREETING: "hello ${WHO}"
                  WHO: "${BERTH_BRANCH_SLUG} at ${BERTH_COMMIT}"
                  LITERAL: "$${NOT_A_REFERENCE}"
                init_stages:
                  - name: init
                    run: env | grep -E '^(BERTH_|GREETING|WHO|LITERAL)' | sort > init.env
                stages:
                  - name: post
                    run: env | grep -E '^(BERTH_|GREETING|WHO|LITERAL)' | sort > post.env
                """);
        String commit = "c0ffee".repeat(6) + "abcd";
        assertThat(lines("post.env")).containsExactly(
                "BERTH_BRANCH=feature/Login",
                "BERTH_BRANCH_SLUG=feature-login",
                "BERTH_COMMIT=" + commit,
                "BERTH_ENVIRONMENT=shop-feature-login",
                "BERTH_ENV_URL=",
                "BERTH_PREVIOUS_STAGE=",
                "BERTH_PROJECT=shop",
                "BERTH_STAGE=",
                "GREETING=hello feature-login at " + commit,
                "LITERAL=${NOT_A_REFERENCE}",
                "WHO=feature-login at " + commit);
        // Init stages run before the infrastructure: no URL, no release stage.
        assertThat(lines("init.env")).doesNotContain("BERTH_ENV_URL=", "BERTH_STAGE=")
                .contains("BERTH_PROJECT=shop", "GREETING=hello feature-login at " + commit);
    }

    @Test
    void builtinsWinOverTheInheritedEnvironment() throws Exception {
        // The parent environment cannot be changed from Java; a stage's child shell stands in for it:
        // what one stage exports does not leak, and each stage gets Berth's values again.
        up("""
                version: 1
                project: shop
                stages:
                  - { name: a, run: "export BERTH_PROJECT=evil; echo $BERTH_PROJECT > a" }
                  - { name: b, run: "echo $BERTH_PROJECT > b" }
                """);
        assertThat(lines("a")).containsExactly("evil");
        assertThat(lines("b")).containsExactly("shop");
    }

    @Test
    void scriptCallbacksRunWithBashEvenWhenNotExecutable() throws Exception {
        Files.createDirectories(repo.resolve(".berth"));
        Files.writeString(repo.resolve(".berth/build.sh"), "echo \"built $BERTH_PROJECT in $(basename \"$PWD\")\" > built\n");
        assertThat(Files.isExecutable(repo.resolve(".berth/build.sh"))).isFalse();
        RunResult result = up("""
                version: 1
                project: shop
                init_stages:
                  - { name: build, script: .berth/build.sh }
                """);
        assertThat(result.succeeded()).isTrue();
        assertThat(lines("built")).containsExactly("built shop in " + repo.getFileName());
    }

    @Test
    void scriptsRunWithErrexitAndPipefail() throws Exception {
        RunResult result = up("""
                version: 1
                stages:
                  - { name: errexit, run: "false; echo not reached > errexit", on_failure: continue }
                  - { name: pipefail, run: "false | true; echo not reached > pipefail", on_failure: continue }
                """);
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED_CONTINUED, StepStatus.FAILED_CONTINUED);
        assertThat(repo.resolve("errexit")).doesNotExist();
        assertThat(repo.resolve("pipefail")).doesNotExist();
    }

    @Test
    void aScriptFileRemovedAfterValidationFailsItsStageWithTheReason() throws Exception {
        Files.writeString(repo.resolve("deploy.sh"), "echo hi\n");
        DeployFile file = write("""
                version: 1
                stages:
                  - { name: deploy, script: deploy.sh }
                  - { name: cleanup, run: echo cleaned > cleaned, always: true }
                """);
        Files.delete(repo.resolve("deploy.sh"));
        RunResult result = up(file, SecretSource.none(), Engine.builder(), 1);
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED, StepStatus.SUCCEEDED);
        assertThat(result.steps().get(0).error()).hasValue(
                "script file deploy.sh does not exist in the repository (berth.yml:3:29)");
        assertThat(result.succeeded()).isFalse();
        assertThat(lines("cleaned")).containsExactly("cleaned");
    }

    @Test
    void continueRecordsTheFailureAndGoesOn() throws Exception {
        RunResult result = up("""
                version: 1
                stages:
                  - { name: lint, run: exit 3, on_failure: continue }
                  - { name: deploy, run: echo deployed > deployed }
                """);
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED_CONTINUED, StepStatus.SUCCEEDED);
        assertThat(result.steps().get(0).exitCode()).hasValue(3);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.status()).isEqualTo(EnvironmentStatus.READY);
        assertThat(lines("deployed")).containsExactly("deployed");
    }

    @Test
    void abortSkipsLaterStagesButAlwaysStagesStillRun() throws Exception {
        RunResult result = up("""
                version: 1
                init_stages:
                  - { name: test, run: "echo test >> ran; exit 2" }
                  - { name: package, run: echo package >> ran }
                stages:
                  - { name: migrate, run: echo migrate >> ran }
                  - { name: cleanup, run: echo cleanup >> ran, always: true }
                  - { name: notify, run: echo notify >> ran, always: true, on_failure: continue }
                """);
        assertThat(lines("ran")).containsExactly("test", "cleanup", "notify");
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.SKIPPED,
                StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.firstAbortingFailure()).map(StepResult::name).hasValue("test");
        assertThat(result.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(log.text()).contains("stage package: skipped, an earlier failure stopped the run");
    }

    @Test
    void aFailingAlwaysStageAfterAnAbortIsRecordedAndTheOthersStillRun() throws Exception {
        RunResult result = up("""
                version: 1
                stages:
                  - { name: deploy, run: exit 1 }
                  - { name: cleanup, run: exit 4, always: true }
                  - { name: report, run: echo report > report, always: true }
                """);
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED, StepStatus.FAILED, StepStatus.SUCCEEDED);
        assertThat(lines("report")).containsExactly("report");
    }

    @Test
    void outputLinesCarryTheStageNameInOrder() throws Exception {
        up("""
                version: 1
                stages:
                  - name: talk
                    run: |
                      echo one
                      echo two >&2
                      printf 'three\\r\\nno newline at the end'
                """);
        assertThat(log.output("talk")).containsExactly("one", "two", "three", "no newline at the end");
    }

    @Test
    void aStageThatWritesALotQuicklyLosesNothing() throws Exception {
        // 200,000 lines on stdout, then stderr (about 2 MB): far beyond any pipe buffer.
        RunResult result = up("""
                version: 1
                stages:
                  - name: flood
                    run: |
                      seq 1 100000 | sed 's/^/out /'
                      seq 1 100000 | sed 's/^/err /' >&2
                """);
        assertThat(result.succeeded()).isTrue();
        List<String> output = log.output("flood");
        assertThat(output).hasSize(200_000);
        List<String> expected = Stream.concat(
                Stream.iterate(1, i -> i + 1).limit(100_000).map(i -> "out " + i),
                Stream.iterate(1, i -> i + 1).limit(100_000).map(i -> "err " + i)).toList();
        assertThat(output).isEqualTo(expected);
    }

    @Test
    void secretValuesReachStagesButAreMaskedInConsoleErrorsAndState() throws Exception {
        String multiLine = "-----BEGIN KEY-----\nAAAAsecretline1\nBBBBsecretline2\n-----END KEY-----";
        RunResult result = up("""
                version: 1
                variables:
                  DB_URL: "postgres://app:${DB_PASSWORD}@db/app"
                secrets:
                  DB_PASSWORD: shop-db-password
                  TLS_KEY: shop-tls-key
                stages:
                  - name: use
                    run: |
                      printf '%s' "$DB_PASSWORD" > password.txt
                      printf '%s' "$TLS_KEY" > key.txt
                      echo "password: $DB_PASSWORD"
                      echo "url: $DB_URL" >&2
                      echo "$TLS_KEY"
                  - name: fail
                    run: |
                      echo "$DB_PASSWORD" >&2
                      exit 7
                """, SecretSource.of(Map.of("shop-db-password", SECRET, "shop-tls-key", multiLine)), Engine.builder());
        // The stage got the real values...
        assertThat(Files.readString(repo.resolve("password.txt"))).isEqualTo(SECRET);
        assertThat(Files.readString(repo.resolve("key.txt"))).isEqualTo(multiLine);
        // ...and nothing Berth wrote shows them; each line of the key is masked on its own.
        assertThat(log.output("use")).containsExactly("password: ****", "url: postgres://app:****@db/app",
                "****", "****", "****", "****");
        assertThat(log.output("fail")).containsExactly("****");
        assertThat(result.succeeded()).isFalse();
        String console = log.text();
        String stateFile = Files.readString(state().file(result.environment()), StandardCharsets.UTF_8);
        for (String text : List.of(console, stateFile)) {
            assertThat(text).doesNotContain(SECRET).doesNotContain("AAAAsecretline1").doesNotContain("BBBBsecretline2")
                    .doesNotContain("p@ss w0rd");
        }
    }

    @Test
    void aTaskErrorMentioningASecretIsMaskedInTheStateRecord() throws Exception {
        DeployFile file = write("""
                version: 1
                secrets: { TOKEN: token }
                """);
        Engine.Builder plugins = Engine.builder().phase(new TestPhase(Feature.IMAGES, List.of(List.of(
                new Task("leaky", "image", OnFailure.ABORT, false, context -> {
                    throw new TaskFailedException("registry said: bad token " + SECRET);
                })))));
        RunResult result = up(file, SecretSource.of(Map.of("token", SECRET)), plugins, 1);
        assertThat(result.steps().get(0).error()).hasValue("registry said: bad token ****");
        assertThat(Files.readString(state().file(result.environment()))).doesNotContain("p@ss w0rd")
                .contains("registry said: bad token ****");
        assertThat(log.text()).doesNotContain("p@ss w0rd");
    }

    @Test
    void aMissingSecretStopsTheRunBeforeAnythingRuns() throws Exception {
        assertThatThrownBy(() -> up("""
                version: 1
                secrets:
                  DB_PASSWORD: shop-db-password
                  API_KEY: shop-api-key
                init_stages:
                  - { name: first, run: touch ran }
                """, SecretSource.of(Map.of("shop-api-key", "x-long-enough")), Engine.builder()))
                .isInstanceOf(MissingSecretsException.class)
                .hasMessage("berth.yml:3:3: secret DB_PASSWORD needs credential 'shop-db-password', which this run"
                        + " was not given");
        assertThat(repo.resolve("ran")).doesNotExist();
        assertThat(repo.resolve(".berth/state")).doesNotExist();
        assertThat(log.lines()).isEmpty();
    }

    /** A one-character secret could not be masked without showing it: refused, by name, before anything runs. */
    @Test
    void aSecretTooShortToMaskStopsTheRunBeforeAnythingRuns() throws Exception {
        assertThatThrownBy(() -> up("""
                version: 1
                secrets:
                  DB_PASSWORD: shop-db-password
                  API_KEY: shop-api-key
                init_stages:
                  - { name: first, run: echo Deploying; touch ran }
                """, SecretSource.of(Map.of("shop-api-key", "long-enough", "shop-db-password", "e")), Engine.builder()))
                .isInstanceOf(MissingSecretsException.class)
                .hasMessage("berth.yml:3:3: secret DB_PASSWORD: the value of credential 'shop-db-password' is shorter"
                        + " than 4 characters: masking a value that short would show it (a secret 'e' makes 'Deploying'"
                        + " read 'D****ploying'); give it a longer value");
        assertThat(repo.resolve("ran")).doesNotExist();
        assertThat(repo.resolve(".berth/state")).doesNotExist();
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aFileUsingAPhaseThatIsNotPluggedInIsRefusedBeforeAnythingRuns() throws Exception {
        Files.createDirectories(repo.resolve("infra"));
        Files.writeString(repo.resolve("infra/main.tf"), "");
        assertThatThrownBy(() -> up("""
                version: 1
                init_stages:
                  - { name: first, run: touch ran }
                infrastructure:
                  - { name: app, dir: infra }
                """)).isInstanceOf(DeployFileException.class)
                .hasMessage("berth.yml:5:5: 'infrastructure' is not supported yet: this version of Berth cannot run"
                        + " applying Terraform/OpenTofu stacks. Remove 'infrastructure' to run the file now; 'berth"
                        + " plan' still shows what it would do");
        assertThat(repo.resolve("ran")).doesNotExist();
        assertThat(repo.resolve(".berth/state")).doesNotExist();
    }

    @Test
    void aPluggedInPhaseRunsBetweenInitStagesAndStagesAndPublishesVariables() throws Exception {
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\n");
        DeployFile file = write("""
                version: 1
                registry: 127.0.0.1:5000/shop
                images:
                  web: { context: web }
                init_stages:
                  - { name: init, run: echo init >> order }
                stages:
                  - { name: use, run: 'echo "use $BERTH_IMAGE_WEB" >> order' }
                """);
        Engine.Builder plugins = Engine.builder().phase(new TestPhase(Feature.IMAGES, List.of(List.of(
                new Task("web", "image", OnFailure.ABORT, false, context -> {
                    context.run("the build", Command.inlineScript("echo image >> order", Map.of()));
                    context.variables().publish("BERTH_IMAGE_WEB", "127.0.0.1:5000/shop/web@sha256:abc");
                })))));
        RunResult result = up(file, SecretSource.none(), plugins, 1);
        assertThat(lines("order")).containsExactly("init", "image", "use 127.0.0.1:5000/shop/web@sha256:abc");
        assertThat(result.steps()).extracting(StepResult::phase).containsExactly("init_stages", "images", "stages");
    }

    @Test
    void tasksOfAGroupRunConcurrentlyUpToTheParallelLimit() throws Exception {
        for (int parallel : new int[] {1, 2, 3}) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            // With a limit above 1, each task waits at a barrier for as many others as the limit allows, so
            // the run only completes if that many really run at once.
            CyclicBarrier together = parallel > 1 ? new CyclicBarrier(parallel) : null;
            List<Task> group = Stream.of("a", "b", "c", "d", "e", "f").map(name -> new Task(name, "image",
                    OnFailure.ABORT, false, context -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            if (together != null) {
                                together.await(20, TimeUnit.SECONDS);
                            }
                        } catch (Exception e) {
                            throw new TaskFailedException("not concurrent: " + e);
                        } finally {
                            running.decrementAndGet();
                        }
                    })).toList();
            Files.createDirectories(repo.resolve("web"));
            Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\n");
            DeployFile file = write("""
                    version: 1
                    registry: 127.0.0.1:5000/shop
                    images: { web: { context: web } }
                    """);
            RunResult result = up(file, SecretSource.none(),
                    Engine.builder().phase(new TestPhase(Feature.IMAGES, List.of(group))), parallel);
            assertThat(result.succeeded()).as("parallel %d", parallel).isTrue();
            assertThat(most.get()).as("parallel %d", parallel).isEqualTo(parallel);
            assertThat(result.steps()).extracting(StepResult::name).containsExactly("a", "b", "c", "d", "e", "f");
        }
    }

    @Test
    void anAbortInAParallelGroupSkipsWhatHasNotStartedAndTheNextGroups() throws Exception {
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\n");
        DeployFile file = write("""
                version: 1
                registry: 127.0.0.1:5000/shop
                images: { web: { context: web } }
                stages:
                  - { name: after, run: touch after }
                """);
        Task.Work ok = context -> {};
        List<List<Task>> groups = List.of(
                List.of(new Task("fails", "image", OnFailure.ABORT, false, context -> {
                    throw new TaskFailedException("no");
                }), new Task("queued", "image", OnFailure.ABORT, false, ok)),
                List.of(new Task("next", "image", OnFailure.ABORT, false, ok)));
        // One worker: "queued" starts only after "fails" has failed.
        Engine engine = Engine.builder().phase(new TestPhase(Feature.IMAGES, groups))
                .build(new LocalCommandRunner(repo), state(), log);
        RunResult result = engine.up(file, RepositoryFiles.of(repo),
                new UpRequest("main", Optional.empty(), "repo", SecretSource.none(), 2));
        assertThat(result.steps()).extracting(StepResult::name).containsExactly("fails", "queued", "next", "after");
        assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.FAILED);
        assertThat(result.steps().get(2).status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.steps().get(3).status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(repo.resolve("after")).doesNotExist();
    }

    @Test
    void aFoldersDefaultTtlAppliesOnlyWhereTheDeployFileSetsNone() throws Exception {
        Engine engine = Engine.builder().build(new LocalCommandRunner(repo), state(), log);
        UpRequest withDefault = new UpRequest("main", Optional.empty(), "repo", SecretSource.none(), 1, "ci",
                "berth.yml", new UpRequest.Up(), Optional.of(Duration.ofDays(3)));
        RunResult unset = engine.up(write("""
                version: 1
                project: shop
                stages: [ { name: a, run: "true" } ]
                """), RepositoryFiles.of(repo), withDefault);
        EnvironmentRecord record = state().read(unset.environment()).orElseThrow();
        assertThat(record.expiresAt()).contains(record.lastDeployAt().orElseThrow().plus(Duration.ofDays(3)));

        RunResult own = engine.up(write("""
                version: 1
                project: shop
                environment: { ttl: 12h }
                stages: [ { name: a, run: "true" } ]
                """), RepositoryFiles.of(repo), withDefault);
        record = state().read(own.environment()).orElseThrow();
        assertThat(record.expiresAt()).contains(record.lastDeployAt().orElseThrow().plus(Duration.ofHours(12)));
    }

    @Test
    void theStateRecordFollowsTheEnvironmentAcrossRuns() throws Exception {
        RunResult first = up("""
                version: 1
                project: shop
                stages:
                  - { name: a, run: exit 1 }
                """);
        EnvironmentRecord failed = state().read(first.environment()).orElseThrow();
        assertThat(failed.schemaVersion()).isEqualTo(EnvironmentRecord.SCHEMA_VERSION);
        assertThat(failed.name()).isEqualTo("shop-feature-login");
        assertThat(failed.project()).isEqualTo("shop");
        assertThat(failed.branch()).isEqualTo("feature/Login");
        assertThat(failed.commit()).hasValue("c0ffee".repeat(6) + "abcd");
        assertThat(failed.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(failed.lastRun().orElseThrow().result()).hasValue(StepStatus.FAILED);
        assertThat(failed.lastRun().orElseThrow().finishedAt()).isPresent();

        RunResult second = up("""
                version: 1
                project: shop
                stages:
                  - { name: a, run: "true" }
                """);
        EnvironmentRecord ready = state().read(second.environment()).orElseThrow();
        assertThat(ready.status()).isEqualTo(EnvironmentStatus.READY);
        assertThat(ready.createdAt()).isEqualTo(failed.createdAt());
        assertThat(ready.updatedAt()).isAfter(failed.updatedAt());
        assertThat(ready.lastRun().orElseThrow().steps()).singleElement()
                .extracting(StepResult::status).isEqualTo(StepStatus.SUCCEEDED);
        try (Stream<Path> files = Files.list(repo.resolve(".berth/state"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("shop-feature-login.json", "shop-feature-login.lock",
                            ".shop-feature-login.write.lock", "kept", "index", ".index.lock");
        }
        // The successful deploy kept its deploy file for the teardown.
        try (Stream<Path> kept = Files.list(repo.resolve(".berth/state/kept/shop-feature-login"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).containsExactly("berth.yml");
        }
    }

    @Test
    void theRecordShowsTheRunWhileItIsGoing() throws Exception {
        // The record catches up with finished steps shortly (it is not rewritten after every step).
        up("""
                version: 1
                project: shop
                stages:
                  - { name: first, run: "true" }
                  - name: peek
                    run: |
                      for _ in $(seq 1 200); do
                        grep -q '"name" : "first"' .berth/state/shop-feature-login.json && break
                        sleep 0.05
                      done
                      cp .berth/state/shop-feature-login.json during.json
                """);
        String during = Files.readString(repo.resolve("during.json"));
        assertThat(during).contains("\"status\" : \"creating\"").contains("\"name\" : \"first\"")
                .doesNotContain("\"name\" : \"peek\"").doesNotContain("finished_at");
    }

    @Test
    void aSecondRunOfABusyEnvironmentStopsAtOnceNamingTheHolder() throws Exception {
        DeployFile file = write("""
                version: 1
                stages:
                  - name: hold
                    run: |
                      echo "first" >> order
                      touch started
                      while [ ! -f go ]; do sleep 0.05; done
                """);
        Thread first = new Thread(() -> runQuietly(file, log));
        first.start();
        awaitFile("started");
        Engine second = Engine.builder().build(new LocalCommandRunner(repo), state(), new RecordingLog());
        assertThatThrownBy(() -> second.up(file, RepositoryFiles.of(repo), new UpRequest("feature/Login",
                Optional.empty(), "repo", SecretSource.none(), 1, "bob@laptop (pid 2)")))
                .isInstanceOf(EnvironmentBusyException.class)
                .hasMessageStartingWith("environment repo-feature-login is busy: berth up of branch feature/Login by "
                        + "alice@ci (pid 1) since ")
                .hasMessageEndingWith("is running on it. Wait for that run to end (nothing was changed by this one).");
        Files.writeString(repo.resolve("go"), "");
        first.join(20_000);
        assertThat(lines("order")).containsExactly("first");
        // Once the first run ended, the environment is free again.
        assertThat(second.up(file, RepositoryFiles.of(repo), new UpRequest("feature/Login", Optional.empty(), "repo",
                SecretSource.none(), 1, "bob@laptop (pid 2)")).succeeded()).isTrue();
    }

    /**
     * A failed or interrupted deploy leaves the expiry where the last successful one (or the first deploy)
     * put it, so that an environment nobody can deploy any more is still reaped.
     */
    @Test
    void onlyASuccessfulDeployRenewsTheExpiry() throws Exception {
        java.time.Instant t0 = java.time.Instant.parse("2026-11-20T10:00:00Z");
        String failing = """
                version: 1
                environment: { ttl: 1d }
                stages: [ { name: broken, run: "exit 3" } ]
                """;
        String passing = """
                version: 1
                environment: { ttl: 1d }
                stages: [ { name: fine, run: "true" } ]
                """;
        assertThat(upAt(t0, failing).succeeded()).isFalse();
        EnvironmentRecord first = state().read("repo-feature-login").orElseThrow();
        assertThat(first.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(first.expiresAt()).contains(t0.plus(Duration.ofDays(1)));

        assertThat(upAt(t0.plus(Duration.ofHours(2)), failing).succeeded()).isFalse();
        assertThat(state().read("repo-feature-login").orElseThrow().expiresAt()).contains(t0.plus(Duration.ofDays(1)));

        java.time.Instant success = t0.plus(Duration.ofHours(4));
        assertThat(upAt(success, passing).succeeded()).isTrue();
        assertThat(state().read("repo-feature-login").orElseThrow().expiresAt()).contains(success.plus(Duration.ofDays(1)));

        // Interrupted mid-stage (a build aborted): the deploy time moves, the expiry does not.
        DeployFile hanging = write("""
                version: 1
                environment: { ttl: 1d }
                stages:
                  - name: hang
                    run: |
                      touch started
                      sleep 30
                """);
        java.time.Instant interrupted = t0.plus(Duration.ofHours(6));
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                outcome.set(engineAt(interrupted).up(hanging, RepositoryFiles.of(repo), new UpRequest("feature/Login",
                        Optional.empty(), "repo", SecretSource.none(), 1)).status());
                // The run stops, records that, and leaves the thread interrupted as it found it.
                assertThat(Thread.interrupted()).isTrue();
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        run.start();
        awaitFile("started");
        run.interrupt();
        run.join(20_000);
        assertThat(run.isAlive()).isFalse();
        assertThat(outcome.get()).isEqualTo(EnvironmentStatus.INTERRUPTED);
        EnvironmentRecord afterInterrupt = state().read("repo-feature-login").orElseThrow();
        assertThat(afterInterrupt.status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
        assertThat(afterInterrupt.lastDeployAt()).contains(interrupted);
        assertThat(afterInterrupt.expiresAt()).contains(success.plus(Duration.ofDays(1)));
    }

    private Engine engineAt(java.time.Instant now) {
        return Engine.builder().clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))
                .build(new LocalCommandRunner(repo), state(), log);
    }

    private RunResult upAt(java.time.Instant now, String yaml) throws Exception {
        return engineAt(now).up(write(yaml), RepositoryFiles.of(repo), new UpRequest("feature/Login", Optional.empty(),
                "repo", SecretSource.none(), 1));
    }

    private void runQuietly(DeployFile file, Log runLog) {
        try {
            Engine.builder().build(new LocalCommandRunner(repo), state(), runLog).up(file, RepositoryFiles.of(repo),
                    new UpRequest("feature/Login", Optional.empty(), "repo", SecretSource.none(), 1, "alice@ci (pid 1)"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void awaitFile(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(repo.resolve(name))) {
            assertThat(System.nanoTime()).as("waiting for " + name).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A phase made of given tasks: stands in for the images phase, which a later issue brings. */
    private record TestPhase(Feature feature, List<List<Task>> groups) implements Phase {
        @Override
        public List<List<Task>> tasks(DeployFile file, RunVariables variables) {
            return groups;
        }
    }
}
