package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.teardown.Retries;
import io.jenkins.plugins.berth.teardown.Teardown;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The infrastructure phase with real OpenTofu, Berth's HTTP state backend and built-in resources only. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InfrastructureTest {

    static final String SECRET = "pw'\"$HOME;`id`|&*.+?(x)";

    @TempDir
    Path repo;

    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void copyFixture() throws IOException {
        Path fixture = Path.of("src/test/resources/io/jenkins/plugins/berth/terraform/InfrastructureTest");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path file : files.toList()) {
                Path target = repo.resolve(fixture.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    Path stateFolder() {
        return repo.resolve(".berth/state");
    }

    RunResult up(String branch) throws Exception {
        return up(branch, HttpStates.embedded(stateFolder()));
    }

    RunResult up(String branch, HttpStates states) throws Exception {
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        Log recording = LogLines.into(log);
        Engine engine = Engine.builder()
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder(), states,
                        TerraformTools.searchPath()))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(stateFolder()), recording);
        return engine.up(file, RepositoryFiles.of(repo), new UpRequest(branch, Optional.of("abc123"), "repo",
                SecretSource.of(Map.of("db-password", SECRET)), 4));
    }

    private List<String> messages(String containing) {
        return log.stream().filter(l -> l.contains(containing)).toList();
    }

    @Test
    void appliesPerEnvironmentPublishesOutputsAndSkipsApplyWhenNothingChanged() throws Exception {
        RunResult first = up("main");
        assertThat(first.succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(first.steps()).extracting(StepResult::name).containsExactly("db", "app", "use");
        assertThat(Files.readString(repo.resolve("used-shop-main.txt")).strip()).isEqualTo(
                "url=http://shop-main.local:8080/ db=db.shop.internal token=" + tokenOf("shop-main")
                        + " env_url=http://shop-main.local:8080/");
        assertThat(first.url()).hasValue("http://shop-main.local:8080/");
        assertThat(messages("Apply complete!")).hasSize(2);
        // The provisioner was given the secret, so OpenTofu itself hides what it printed.
        assertThat(log).contains("[app] terraform_data.app (local-exec): (output suppressed due to sensitive value in config)");

        EnvironmentRecord record = new DirectoryStateStore(stateFolder()).read("shop-main").orElseThrow();
        assertThat(record.url()).hasValue("http://shop-main.local:8080/");
        assertThat(record.stacks()).containsExactlyInAnyOrder(
                new StackRecord("app", false, "http", "shop/app/shop-main", "terraform/work/shop/app/shop-main"),
                new StackRecord("db", true, "http", "shop/db/_shared", "terraform/work/shop/db/_shared"));

        log.clear();
        RunResult again = up("main");
        assertThat(again.succeeded()).isTrue();
        assertThat(messages("no changes, apply skipped")).hasSize(2);
        assertThat(messages("Apply complete!")).isEmpty();
    }

    /**
     * An up with nothing changed skips init (the state server listens on a new port each run: its address comes from
     * the environment, which init does not keep); a lock file that changed, or a folder without .terraform, inits.
     */
    @Test
    void initIsSkippedWhileTheFolderIsInitialisedForTheSameBackendLockFileAndSources() throws Exception {
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(messages("successfully initialized")).hasSize(2);

        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(messages("init skipped")).hasSize(2);
        assertThat(messages("successfully initialized")).isEmpty();
        assertThat(messages("no changes, apply skipped")).hasSize(2);

        Path app = stateFolder().resolve("terraform/work/shop/app/shop-main");
        Files.writeString(app.resolve(".terraform.lock.hcl"), "# changed by hand\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(messages("[app] OpenTofu has been successfully initialized")).hasSize(1);
        assertThat(messages("stack db: initialised for this backend")).hasSize(1);

        deleteTree(stateFolder().resolve("terraform/work/shop/db/_shared/.terraform"));
        Files.writeString(app.resolve("extra.tf"), "locals { unused = 1 }\n");
        Files.copy(app.resolve("extra.tf"), repo.resolve("infra/app/extra.tf"));
        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(messages("successfully initialized")).as("a new source and a folder without .terraform")
                .hasSize(2);
    }

    @Test
    void aSharedStackIsAppliedOnceForEveryEnvironment() throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        log.clear();
        assertThat(up("feature/x").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(messages("INFO: stack db: no changes, apply skipped")).hasSize(1);
        assertThat(messages("Apply complete!")).hasSize(1);
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        assertThat(states.read("shop/db/_shared")).isPresent();
        assertThat(states.read("shop/app/shop-main")).isPresent();
        assertThat(states.read("shop/app/shop-feature-x")).isPresent();
        assertThat(Files.readString(repo.resolve("used-shop-feature-x.txt"))).contains("db=db.shop.internal");
        // Project-level facts only: the same inputs from every environment.
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readValue(stateFolder().resolve(
                "terraform/work/shop/db/_shared/berth.auto.tfvars.json").toFile(), Map.class))
                .isEqualTo(Map.of("berth_project", "shop"));
    }

    @Test
    void secretsAndSensitiveOutputsAppearInNoLogAndNoFileBerthWrote() throws Exception {
        RunResult result = up("main");
        assertThat(result.succeeded()).isTrue();
        String token = tokenOf("shop-main");
        assertThat(String.join("\n", log)).doesNotContain(SECRET).doesNotContain(token).doesNotContain("pw'");
        List<String> leaks = new ArrayList<>();
        Files.walkFileTree(stateFolder(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (content.contains("pw'") || content.contains(SECRET)) {
                    leaks.add(stateFolder().relativize(file).toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertThat(leaks).as("files holding the secret").isEmpty();
        assertThat(Files.readString(stateFolder().resolve("shop-main.json"))).doesNotContain(token);
        assertThat(Files.readString(stateFolder().resolve("terraform/work/shop/app/shop-main/berth.auto.tfvars.json")))
                .contains("\"greeting\" : \"hello main\"").doesNotContain("db_password");
        assertThat(stateFolder().resolve("terraform/work/shop/app/shop-main/berth.tfplan")).doesNotExist();
    }

    /** Tears environments down as {@code berth down} does, without teardown retries or image removal. */
    Teardown teardown() {
        DirectoryStateStore state = new DirectoryStateStore(stateFolder());
        return new Teardown(destroyer(), state, state::keptFolder, LocalCommandRunner::new, Optional.empty(),
                Retries.DEFAULT, LogLines.into(log), java.time.Clock.systemUTC());
    }

    Destroyer destroyer() {
        Log recording = LogLines.into(log);
        return new Destroyer(stateFolder(), new DirectoryStateStore(stateFolder()), new LocalCommandRunner(repo),
                recording, TerraformTools.searchPath(), java.time.Clock.systemUTC());
    }

    private static int resources(Optional<byte[]> state) {
        return state.map(s -> (int) java.util.regex.Pattern.compile("\"mode\"\\s*:\\s*\"managed\"")
                .matcher(new String(s)).results().count()).orElse(0);
    }

    @Test
    void downDestroysTheEnvironmentsOwnStacksFromWhatWasKeptNeverASharedOneAndIsIdempotent() throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        assertThat(up("feature/x").succeeded()).isTrue();
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        assertThat(resources(states.read("shop/app/shop-main"))).isEqualTo(1);
        // The branch is gone: no deploy file, no stack sources in the repository.
        Files.delete(repo.resolve("berth.yml"));
        deleteTree(repo.resolve("infra"));

        Teardown.Outcome outcome = teardown().down("shop-main", SecretSource.of(Map.of("db-password", SECRET)));
        assertThat(outcome.destroyed()).containsExactly("app");
        assertThat(resources(states.read("shop/app/shop-main"))).isZero();
        assertThat(resources(states.read("shop/db/_shared"))).isEqualTo(1);
        assertThat(resources(states.read("shop/app/shop-feature-x"))).isEqualTo(1);
        EnvironmentRecord gone = new DirectoryStateStore(stateFolder()).read("shop-main").orElseThrow();
        assertThat(gone.status()).isEqualTo(io.jenkins.plugins.berth.environments.EnvironmentStatus.GONE);
        assertThat(gone.stacks()).isEmpty();
        assertThat(stateFolder().resolve("terraform/work/shop/app/shop-main")).doesNotExist();
        assertThat(String.join("\n", log)).doesNotContain(SECRET);

        log.clear();
        assertThat(teardown().down("shop-main", SecretSource.none()).destroyed()).isEmpty();
        assertThat(log).containsExactly("INFO: Environment shop-main is already gone: nothing to do");

        // The shared stack stays while an environment uses it, unless forced.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> destroyer().downShared("shop", "db", false,
                SecretSource.of(Map.of("db-password", SECRET))))
                .hasMessage("shared stack 'db' of project shop is used by shop-feature-x; tear those down first, or"
                        + " destroy it anyway with --force");
        teardown().down("shop-feature-x", SecretSource.of(Map.of("db-password", SECRET)));
        destroyer().downShared("shop", "db", false, SecretSource.of(Map.of("db-password", SECRET)));
        assertThat(resources(states.read("shop/db/_shared"))).isZero();
        assertThat(stateFolder().resolve("terraform/work/shop/db/_shared")).doesNotExist();
    }

    @Test
    void aLockedStateStopsTheRunBeforeAnyChangeAndUnlockReleasesIt() throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        byte[] before = states.read("shop/app/shop-main").orElseThrow();
        states.tryLock("shop/app/shop-main", LockInfo.parse(("{\"ID\":\"dead-beef\",\"Who\":\"carol@ci\","
                + "\"Operation\":\"OperationTypeApply\",\"Created\":\"2026-11-22T09:00:00Z\"}").getBytes()).orElseThrow());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> up("main"))
                .isInstanceOf(StackLockedException.class)
                .hasMessage("the state of stack 'app' of environment shop-main is locked: lock dead-beef held by"
                        + " carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z. If no run is going on (it was"
                        + " killed), release it with: bin/berth unlock --env shop-main");
        assertThat(destroyer().unlock("shop-main")).containsExactly(
                "stack app: lock dead-beef held by carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z");
        assertThat(destroyer().unlock("shop-main")).isEmpty();
        assertThat(states.read("shop/app/shop-main").orElseThrow()).isEqualTo(before);
        assertThat(up("main").succeeded()).isTrue();
    }

    @Test
    void afterAKilledApplyTheNextRunReportsTheLockAndTheStateFromBeforeIsIntact() throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        byte[] before = states.read("shop/app/shop-main").orElseThrow();
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, Files.readString(file).replace("      db_host: \"${DB_HOST}\"",
                "      db_host: \"${DB_HOST}\"\n      sleep_seconds: \"60\""));
        killMidApply("main", () -> assertThat(states.lock("shop/app/shop-main")).isPresent());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> up("main"))
                .isInstanceOf(StackLockedException.class)
                .hasMessageContaining("the state of stack 'app' of environment shop-main is locked: lock ")
                .hasMessageContaining("(OperationTypeApply)")
                .hasMessageEndingWith("release it with: bin/berth unlock --env shop-main");
        assertThat(destroyer().unlock("shop-main")).singleElement().asString().startsWith("stack app: lock ");
        assertThat(states.read("shop/app/shop-main").orElseThrow()).isEqualTo(before);
        Files.writeString(file, Files.readString(file).replace("      sleep_seconds: \"60\"", "      sleep_seconds: \"1\""));
        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
    }

    /** One stack, nothing before it: while it applies, no step has finished, so the record lists no stack. */
    private static final String ONE_STACK = """
            version: 1
            project: shop
            secrets:
              DB_PASSWORD: db-password
            infrastructure:
              - name: app
                dir: infra/app
                vars:
                  greeting: "hello ${BERTH_BRANCH}"
                  db_password: "${DB_PASSWORD}"
                  db_host: db.local
                  sleep_seconds: "SLEEP"
                outputs: { APP_URL: url }
            """;

    /**
     * The environment's very first apply killed with SIGKILL: its record does not list the stack yet, and only the
     * state lock is left behind (the environment's own lock, an operating system lock on a file, went with the
     * process). {@code unlock} finds the lock under the environment all the same, and the next {@code up} succeeds.
     */
    @Test
    void afterAFirstApplyKilledBeforeTheRecordKnewOfTheStackUnlockReleasesItsLock() throws Exception {
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, ONE_STACK.replace("SLEEP", "60"));
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        DirectoryStateStore store = new DirectoryStateStore(stateFolder());
        killMidApply("main", () -> {
            assertThat(states.lock("shop/app/shop-main")).isPresent();
            assertThat(store.read("shop-main").orElseThrow().stacks()).isEmpty();
        });
        assertThat(store.read("shop-main").orElseThrow().stacks()).isEmpty();
        assertThat(store.tryLock("shop-main", "a test")).isInstanceOfSatisfying(
                io.jenkins.plugins.berth.environments.StateStore.Acquired.class, acquired -> {
                    try {
                        acquired.lock().close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> up("main"))
                .isInstanceOf(StackLockedException.class)
                .hasMessageContaining("the state of stack 'app' of environment shop-main is locked: lock ");

        assertThat(destroyer().unlock("shop-main")).singleElement().asString().startsWith("stack app: lock ")
                .contains("(OperationTypeApply)");
        assertThat(states.lock("shop/app/shop-main")).isEmpty();
        assertThat(destroyer().unlock("shop-main")).isEmpty();
        Files.writeString(file, ONE_STACK.replace("SLEEP", "1"));
        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(store.read("shop-main").orElseThrow().stacks()).extracting(StackRecord::name).containsExactly("app");
    }

    /** What a test checks while the other process is in the middle of its apply. */
    @FunctionalInterface
    private interface WhileApplying {
        void check() throws Exception;
    }

    /**
     * Runs {@code up} of {@code branch} in another JVM, waits until Terraform provisions the slow resource (the
     * stack's {@code sleep_seconds} must be set), runs {@code check}, then kills the JVM and everything it started
     * with SIGKILL: no clean-up of any kind.
     */
    private void killMidApply(String branch, WhileApplying check) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process other = new ProcessBuilder(javaBin.toString(), "-cp", classpath, UpInAnotherProcess.class.getName(),
                repo.toString(), branch, TerraformTools.searchPath().get(0).toString(), SECRET)
                .redirectErrorStream(true).redirectOutput(repo.resolve("other.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(repo.resolve("other.log")).contains("terraform_data.slow[0]: Provisioning")) {
                assertThat(System.nanoTime()).as(Files.readString(repo.resolve("other.log"))).isLessThan(deadline);
                assertThat(other.isAlive()).as(Files.readString(repo.resolve("other.log"))).isTrue();
                Thread.sleep(100);
            }
            check.check();
        } finally {
            List<ProcessHandle> tree = new ArrayList<>(other.descendants().toList());
            other.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            other.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static LockInfo lockInfo(String id, String who) {
        return LockInfo.parse(("{\"ID\":\"" + id + "\",\"Who\":\"" + who + "\",\"Operation\":\"OperationTypeApply\","
                + "\"Created\":\"2026-11-22T09:00:00Z\"}").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    /**
     * {@code unlock --env} releases every lock stored under the environment, listed in its record or not, and no other
     * environment's; a locked shared stack is named, and released by {@code unlock --shared} only. Neither releases
     * anything while a run holds the environment, or for a shared stack any environment of the project.
     */
    @Test
    void unlockReleasesEveryLockOfTheEnvironmentAndASharedStacksOnlyWhenAsked() throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        assertThat(up("feature/x").succeeded()).isTrue();
        StateStorage states = HttpStates.embedded(stateFolder()).storage();
        DirectoryStateStore store = new DirectoryStateStore(stateFolder());
        // Locks as the state server takes them on Terraform's LOCK; no record lists a stack 'cache'.
        assertThat(states.tryLock("shop/app/shop-main", lockInfo("aaaa-1", "carol@ci"))).isEmpty();
        assertThat(states.tryLock("shop/cache/shop-main", lockInfo("bbbb-2", "carol@ci"))).isEmpty();
        assertThat(states.tryLock("shop/app/shop-feature-x", lockInfo("cccc-3", "dave@ci"))).isEmpty();
        assertThat(states.tryLock("shop/db/_shared", lockInfo("dddd-4", "erin@ci"))).isEmpty();
        assertThat(store.read("shop-main").orElseThrow().stacks()).extracting(StackRecord::name).doesNotContain("cache");
        log.clear();

        assertThat(destroyer().unlock("shop-main")).containsExactly(
                "stack app: lock aaaa-1 held by carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z",
                "stack cache: lock bbbb-2 held by carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z");
        assertThat(log).containsExactly("WARNING: shared stack db of project shop is locked too (lock dddd-4 held by"
                + " erin@ci (OperationTypeApply) since 2026-11-22T09:00:00Z), and not released: any environment's run"
                + " may hold it. If no run of the project is going on, release it with: bin/berth unlock --shared db"
                + " --project shop");
        assertThat(states.lock("shop/app/shop-feature-x")).isPresent();
        assertThat(states.lock("shop/db/_shared")).isPresent();

        String busy = "environment shop-feature-x is busy: berth up of branch feature/x by dave@ci is running on it,"
                + " and the state locks may be that run's own. Nothing was released: unlock is for the locks of a run"
                + " that was killed; wait for this one to end.";
        var attempt = store.tryLock("shop-feature-x", "berth up of branch feature/x by dave@ci");
        try (var running = ((io.jenkins.plugins.berth.environments.StateStore.Acquired) attempt).lock()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> destroyer().unlock("shop-feature-x"))
                    .isInstanceOf(RunGoingOnException.class).hasMessage(busy);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> destroyer().unlockShared("shop", "db"))
                    .isInstanceOf(RunGoingOnException.class).hasMessage(busy);
        }
        assertThat(states.lock("shop/app/shop-feature-x")).isPresent();
        assertThat(states.lock("shop/db/_shared")).isPresent();

        assertThat(destroyer().unlockShared("shop", "db")).containsExactly(
                "shared stack db of project shop: lock dddd-4 held by erin@ci (OperationTypeApply) since 2026-11-22T09:00:00Z");
        assertThat(destroyer().unlockShared("shop", "db")).isEmpty();
        assertThat(destroyer().unlock("shop-feature-x")).containsExactly(
                "stack app: lock cccc-3 held by dave@ci (OperationTypeApply) since 2026-11-22T09:00:00Z");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> destroyer().unlockShared("shop", "app"))
                .hasMessage("there is no state of shared stack app of project shop in " + stateFolder()
                        + " (its shared stacks: db)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> destroyer().unlock("shop-nope"))
                .hasMessage("there is no environment shop-nope in " + stateFolder());
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(up("feature/x").succeeded()).as(String.join("\n", log)).isTrue();
    }

    @Test
    void aDeclaredOutputMissingAfterApplyFailsTheStackListingTheOutputsThere() throws Exception {
        Path module = repo.resolve("infra/app/main.tf");
        Files.writeString(module, Files.readString(module) + "output \"maybe\" { value = null }\n");
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, Files.readString(file).replace("outputs: { APP_URL: url, APP_TOKEN: token }",
                "outputs: { APP_URL: url, APP_TOKEN: token, MAYBE: maybe }"));
        RunResult result = up("main");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.firstAbortingFailure().orElseThrow().error())
                .hasValue("stack app has no output maybe after apply; it has token, url");
        assertThat(result.steps()).extracting(StepResult::name, StepResult::status).contains(
                org.assertj.core.groups.Tuple.tuple("use", io.jenkins.plugins.berth.environments.StepStatus.SKIPPED));
    }

    /** The Jenkins plugin's way: states on a server that knows each run by a token for its environment. */
    @Test
    void statesHostedElsewhereAreReachedWithTheRunsTokenAndNeverKeptLocally(@TempDir Path hostFolder) throws Exception {
        StateTokens tokens = new StateTokens();
        StateStorage hosted = new StateStorage(hostFolder, 3);
        try (StateServer host = StateServer.start(new StateEndpoint(hosted, StateEndpoint.Passwords.of(tokens)))) {
            String token = tokens.issue("shop/main#1",
                    new StateScope("shop", "shop-main", StateScope.SharedAccess.WRITE));
            RunResult result = up("main", new HttpStates.Hosted(host.address(""), token, false));
            assertThat(result.succeeded()).as(String.join("\n", log)).isTrue();
            assertThat(hosted.read("shop/app/shop-main")).isPresent();
            assertThat(hosted.read("shop/db/_shared")).isPresent();
            assertThat(stateFolder().resolve("terraform/states")).doesNotExist();
            assertThat(String.join("\n", log)).doesNotContain(token);
            try (Stream<Path> files = Files.walk(repo)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(token);
                }
            }

            // Once the build ends its token is revoked: a late run is turned away and changes nothing.
            byte[] before = hosted.read("shop/app/shop-main").orElseThrow();
            tokens.revoke("shop/main#1");
            log.clear();
            Files.writeString(repo.resolve("infra/app/main.tf"), "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
            RunResult late = up("main", new HttpStates.Hosted(host.address(""), token, false));
            assertThat(late.succeeded()).isFalse();
            assertThat(String.join("\n", log)).contains("requires auth").doesNotContain(token);
            assertThat(hosted.read("shop/app/shop-main")).hasValue(before);
        }
    }

    /**
     * A pull request's deploy in Jenkins only reads shared stacks ({@code BERTH_SHARED_STACKS=read}): even with
     * a changed shared module, nothing of the shared stack is planned, applied or locked, and its outputs still
     * reach the environment's own stacks.
     */
    @Test
    void aRunThatOnlyReadsSharedStacksReadsTheirOutputsAndChangesNothing(@TempDir Path hostFolder) throws Exception {
        StateStorage hosted = new StateStorage(hostFolder, 3);
        StateTokens tokens = new StateTokens();
        // As Jenkins issues them: the branch writes shared stacks, the pull request's token only reads them.
        String branch = tokens.issue("shop/main#1", new StateScope("shop", "shop-main", StateScope.SharedAccess.WRITE));
        String password = tokens.issue("shop/PR-7#1", new StateScope("shop", "shop-pr-7", StateScope.SharedAccess.READ));
        try (StateServer host = StateServer.start(new StateEndpoint(hosted, StateEndpoint.Passwords.of(tokens)))) {
            assertThat(up("main", new HttpStates.Hosted(host.address(""), branch, false)).succeeded())
                    .as(String.join("\n", log)).isTrue();
            byte[] shared = hosted.read("shop/db/_shared").orElseThrow();
            Files.writeString(repo.resolve("infra/db/main.tf"), "\nresource \"terraform_data\" \"more\" {}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            log.clear();
            RunResult pullRequest = up("PR-7", new HttpStates.Hosted(host.address(""), password, true));
            assertThat(pullRequest.succeeded()).as(String.join("\n", log)).isTrue();
            assertThat(messages("stack db: shared, read only for this deploy")).hasSize(1);
            assertThat(hosted.read("shop/db/_shared")).hasValue(shared);
            assertThat(hosted.lock("shop/db/_shared")).isEmpty();
            assertThat(Files.readString(repo.resolve("used-shop-pr-7.txt"))).contains("db=db.shop.internal");
        }
    }

    @Test
    void aHostedAddressNeedsAPassword() {
        assertThat(HttpStates.of(repo, Map.of())).isInstanceOf(HttpStates.Embedded.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpStates.of(repo,
                Map.of(HttpStates.URL_VARIABLE, "https://ci.example.com/berth-state/")))
                .hasMessage("BERTH_STATE_URL is set but TF_HTTP_PASSWORD is not: a hosted state server needs the run's password");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpStates.of(repo,
                Map.of(HttpStates.URL_VARIABLE, "file:///etc/", HttpStates.PASSWORD_VARIABLE, "x")))
                .hasMessageContaining("must be an http(s) address");
        HttpStates.Hosted hosted = (HttpStates.Hosted) HttpStates.of(repo, Map.of(HttpStates.URL_VARIABLE,
                "https://ci.example.com/berth-state", HttpStates.PASSWORD_VARIABLE, "s3cr3t-token"));
        assertThat(hosted.address("shop/app/shop-main")).isEqualTo("https://ci.example.com/berth-state/shop/app/shop-main");
        assertThat(hosted.toString()).doesNotContain("s3cr3t-token");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The sensitive output, read from the state the way Terraform stores it. */
    private String tokenOf(String environment) throws IOException {
        String state = new String(HttpStates.embedded(stateFolder()).storage().read("shop/app/" + environment).orElseThrow());
        int at = state.indexOf("\"tok-");
        return state.substring(at + 1, state.indexOf('"', at + 1));
    }

    @Test
    void whenBerthIsKilledDuringAnApplyOpenTofuIsStoppedAndTheStateItCouldNotSaveIsSavedByTheNextRun()
            throws Exception {
        assertThat(up("main").succeeded()).isTrue();
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, Files.readString(file).replace("      db_host: \"${DB_HOST}\"",
                "      db_host: \"${DB_HOST}\"\n      sleep_seconds: \"60\""));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process other = new ProcessBuilder(javaBin.toString(), "-cp", classpath, UpInAnotherProcess.class.getName(),
                repo.toString(), "main", TerraformTools.searchPath().get(0).toString(), SECRET)
                .redirectErrorStream(true).redirectOutput(repo.resolve("other.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(repo.resolve("other.log")).contains("terraform_data.slow[0]: Provisioning")) {
            assertThat(System.nanoTime()).as(Files.readString(repo.resolve("other.log"))).isLessThan(deadline);
            assertThat(other.isAlive()).as(Files.readString(repo.resolve("other.log"))).isTrue();
            Thread.sleep(100);
        }
        Path work = stateFolder().resolve("terraform/work/shop/app/shop-main");
        assertThat(Files.getPosixFilePermissions(work)).isEqualTo(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        List<ProcessHandle> tofu = other.descendants().filter(p -> p.info().command().orElse("").endsWith("tofu"))
                .toList();
        assertThat(tofu).isNotEmpty();
        other.destroyForcibly();   // SIGKILL to Berth alone: its guard is what stops OpenTofu
        other.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle process : tofu) {
            assertThat(process.onExit()).succeedsWithin(java.time.Duration.ofSeconds(70));
        }
        assertThat(work.resolve("errored.tfstate")).exists();
        assertThat(work.resolve("berth.tfplan")).exists();   // left by the kill; the next run replaces it

        destroyer().unlock("shop-main");
        Files.writeString(file, Files.readString(file).replace("      sleep_seconds: \"60\"", "      sleep_seconds: \"1\""));
        log.clear();
        assertThat(up("main").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(String.join("\n", log)).contains("stack app: a run that was stopped left the state it could not"
                + " save (errored.tfstate); saving it first");
        // The killed run's resource is known: the plan replaces the tainted one instead of creating a second.
        assertThat(String.join("\n", log)).contains("terraform_data.slow[0] is tainted, so it must be replaced");
        assertThat(work.resolve("errored.tfstate")).doesNotExist();
        assertThat(work.resolve("berth.tfplan")).doesNotExist();
    }

}
