package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryUnauthorizedException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building into a registry whose login the runner was given in its environment ({@code BERTH_REGISTRY_HOST},
 * {@code _USERNAME}, {@code _PASSWORD}, as Jenkins binds a Username with password credential), with buildah, into a
 * real registry (docker-registry behind htpasswd) that lets in exactly those credentials. Nothing else has them: the
 * clients' own credentials (docker config's stand-in) are none, so Berth's requests and buildah's push get in only
 * with the variables' login, which buildah gets as ECR's token reaches it: a private file, removed after.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RegistryLoginBuildTest {
    private static final Map<String, String> BUILDAH = Map.of("STORAGE_DRIVER", "vfs", "BUILDAH_ISOLATION", "chroot");
    /** Full of what a shell or a JSON file would read otherwise. */
    private static final String PASSWORD = "pw $(id) `x` 'q' \"d\" ;&| \\ %s";
    private static final Credentials USER = new Credentials("ci-bot", PASSWORD);

    @TempDir
    Path folder;

    private TestRegistry registry;
    private Path repo;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> processEnvironments = new CopyOnWriteArrayList<>();
    private final List<String> authFiles = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        Files.createDirectories(folder.resolve("registry"));
        registry = TestRegistry.startFor(folder.resolve("registry"), USER);
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
                  - { name: use, run: 'echo "$BERTH_IMAGE_WEB" > image.txt; env > stage-env.txt' }
                """.formatted(registry.host()));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private RunnerEnvironment environment(String host) {
        return RunnerEnvironment.current().with(Map.of(RunnerEnvironment.REGISTRY_HOST, host,
                RunnerEnvironment.REGISTRY_USERNAME, USER.username(), RunnerEnvironment.REGISTRY_PASSWORD, PASSWORD));
    }

    private RunResult up(RunnerEnvironment environment) throws Exception {
        LocalCommandRunner local = new LocalCommandRunner(repo, environment);
        CommandRunner recording = new CommandRunner() {
            @Override
            public int run(Command command, LineSink output)
                    throws java.io.IOException, InterruptedException {
                commands.add(command);
                processEnvironments.add(environment.forProcess(command.stateCredentials()));
                int authfile = command.arguments().indexOf("--authfile");
                if (authfile >= 0) {
                    Path file = Path.of(command.arguments().get(authfile + 1));
                    authFiles.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + " "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())) + " "
                            + Files.readString(file));
                }
                return local.run(command, output);
            }

            @Override
            public List<String> environmentSecrets() {
                return local.environmentSecrets();
            }
        };
        // The clients' own credentials: none (no docker login on this machine for the registry).
        PushTargets targets = new PushTargets(host -> new RegistryClient(host, Optional.empty()), Optional.empty(),
                Optional.empty(), RegistryLogins.of(environment));
        return Engine.builder()
                .phase(new ImagesPhase(repo, targets, BUILDAH, Clock.systemUTC(), ImagesPhase.Options.DEFAULT,
                        Optional.empty()))
                .build(recording, new DirectoryStateStore(repo.resolve(".berth/state")), LogLines.into(log))
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest("main", Optional.of("c1c1c1"), "repo", SecretSource.none(), 4));
    }

    @Test
    void buildsAndPushesWithTheLoginTheEnvironmentGivesInAPrivateFileRemovedAfter() throws Exception {
        RunResult result = up(environment("https://" + registry.host()));
        assertThat(result.succeeded()).as(String.join("\n", log)).isTrue();

        RegistryClient withLogin = registry.client(Optional.of(USER));
        String digest = withLogin.headManifest("shop/web", "c1c1c1").orElseThrow().digest();
        assertThat(withLogin.headManifest("shop/web", "latest").orElseThrow().digest()).isEqualTo(digest);
        assertThatThrownBy(() -> registry.client(Optional.empty()).headManifest("shop/web", "c1c1c1"))
                .isInstanceOf(RegistryUnauthorizedException.class);
        assertThat(Files.readString(repo.resolve("image.txt")).strip())
                .isEqualTo(registry.host() + "/shop/web@" + digest);

        Command push = commands.stream().filter(c -> c.arguments().subList(0, 2).equals(List.of("buildah", "push")))
                .findFirst().orElseThrow();
        Path authFile = Path.of(push.arguments().get(push.arguments().indexOf("--authfile") + 1));
        assertThat(authFile.getParent().getFileName().toString())
                .startsWith(BuilderLogin.PREFIX + ProcessHandle.current().pid() + "-");
        assertThat(authFile.startsWith(repo)).isFalse();
        assertThat(authFiles).isNotEmpty().allSatisfy(seen -> assertThat(seen)
                .isEqualTo("rw------- rwx------ {\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
                        + SecretForms.base64(USER.username() + ":" + PASSWORD) + "\"}}}"));
        assertThat(authFile.getParent()).doesNotExist();
    }

    @Test
    void thePasswordIsNeverInTheLogTheStateAProcessesArgumentsOrEnvironment() throws Exception {
        assertThat(up(environment(registry.host())).succeeded()).as(String.join("\n", log)).isTrue();
        SecretForms password = SecretForms.of(USER.username(), PASSWORD);
        password.assertNotIn(commands);
        for (Map<String, String> inherited : processEnvironments) {
            assertThat(inherited).doesNotContainKeys(RunnerEnvironment.REGISTRY_PASSWORD,
                    RunnerEnvironment.REGISTRY_USERNAME);
            for (String form : password.forms()) {
                assertThat(inherited.values()).as("inherited environment").noneMatch(v -> v.contains(form));
            }
        }
        assertThat(Files.readString(repo.resolve("stage-env.txt"))).doesNotContain(PASSWORD)
                .contains(RunnerEnvironment.REGISTRY_HOST + "=" + registry.host());
        password.assertNotInLogOrFiles(log, repo);
        assertThat(repo.resolve(".berth/state/shop-main.json")).exists();
    }

    @Test
    void aLoginForAnotherHostIsNotUsedAndThePushIsRefused() throws Exception {
        RunResult result = up(environment("registry.example.com"));
        assertThat(result.succeeded()).isFalse();
        assertThat(authFiles).isEmpty();
        assertThat(registry.client(Optional.of(USER)).headManifest("shop/web", "c1c1c1")).isEmpty();
    }

}
