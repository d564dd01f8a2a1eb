package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryUnauthorizedException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.SecretSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Building into ECR: the login comes from {@code GetAuthorizationToken} (moto's ECR), and the push goes to a real
 * registry (docker-registry behind htpasswd) that lets in exactly the credentials moto's token carries, with buildah.
 * moto's proxy endpoint is the real ECR host, so the push is pointed at the local registry with
 * {@value PushTargets#ECR_ENDPOINT} (the seam this test uses; ECR's own API stays moto's). Without the token's
 * credentials nothing gets in: Berth's manifest requests and buildah's push would be refused.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EcrBuildTest {
    private static final Map<String, String> BUILDAH = Map.of("STORAGE_DRIVER", "vfs", "BUILDAH_ISOLATION", "chroot");
    private static final String PASSWORD = EcrLoginsTest.PASSWORD;
    private static final Credentials TOKEN_LOGIN = new Credentials("AWS", PASSWORD);

    @TempDir
    Path folder;

    private MotoServer moto;
    private EcrClient ecr;
    private TestRegistry registry;
    private Path repo;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    /** What each command given an auth file found there while it ran: the file's and folder's modes, its text. */
    private final List<String> authFiles = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        moto = MotoServer.start(folder.resolve("moto.log"));
        ecr = EcrLoginsTest.client(moto, new ArrayList<>());
        ecr.createRepository(r -> r.repositoryName("shop/web"));
        Files.createDirectories(folder.resolve("registry"));
        registry = TestRegistry.startFor(folder.resolve("registry"), TOKEN_LOGIN);
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
                  - { name: use, run: 'echo "$BERTH_IMAGE_WEB" > image.txt' }
                """);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        ecr.close();
        moto.close();
    }

    private RunResult up(String commit) throws Exception {
        CommandRunner local = new LocalCommandRunner(repo);
        CommandRunner recording = (command, output) -> {
            commands.add(command);
            int authfile = command.arguments().indexOf("--authfile");
            if (authfile >= 0) {
                Path file = Path.of(command.arguments().get(authfile + 1));
                authFiles.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + " "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())) + " "
                        + Files.readString(file));
            }
            return local.run(command, output);
        };
        PushTargets targets = new PushTargets(host -> {
            throw new AssertionError("no registry address here: " + host);
        }, Optional.of(new EcrLogins(region -> ecr, Clock.systemUTC())), Optional.of(registry.host()));
        return Engine.builder()
                .phase(new ImagesPhase(repo, targets, BUILDAH, Clock.systemUTC(), ImagesPhase.Options.DEFAULT,
                        Optional.empty()))
                .build(recording, new DirectoryStateStore(repo.resolve(".berth/state")), LogLines.into(log))
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest("main", Optional.of(commit), "repo", SecretSource.none(), 4));
    }

    @Test
    void buildsAndPushesWithTheTokensCredentialsAndStagesGetTheImageWhereItIs() throws Exception {
        RunResult result = up("c1c1c1");
        assertThat(result.succeeded()).as(String.join("\n", log)).isTrue();

        RegistryClient withToken = registry.client(Optional.of(TOKEN_LOGIN));
        String digest = withToken.headManifest("shop/web", "c1c1c1").orElseThrow().digest();
        assertThat(withToken.headManifest("shop/web", "latest").orElseThrow().digest()).isEqualTo(digest);
        // The registry lets nobody else in: what got there came with the token's credentials.
        assertThatThrownBy(() -> registry.client(Optional.empty()).headManifest("shop/web", "c1c1c1"))
                .isInstanceOf(RegistryUnauthorizedException.class);
        assertThatThrownBy(() -> registry.client(Optional.of(new Credentials("AWS", "another-token")))
                .headManifest("shop/web", "c1c1c1")).isInstanceOf(RegistryUnauthorizedException.class);

        String pinned = registry.host() + "/shop/web@" + digest;
        assertThat(Files.readString(repo.resolve("image.txt")).strip()).isEqualTo(pinned);
        EnvironmentRecord record = new DirectoryStateStore(repo.resolve(".berth/state")).read("shop-main").orElseThrow();
        assertThat(record.images()).containsEntry("web", pinned);
        assertThat(record.status()).isEqualTo(EnvironmentStatus.READY);

        // buildah pushed with an auth file: 0600 in a 0700 folder, outside the repository, gone after the build.
        Command push = commands.stream().filter(c -> c.arguments().subList(0, 2).equals(List.of("buildah", "push")))
                .findFirst().orElseThrow();
        Path authFile = Path.of(push.arguments().get(push.arguments().indexOf("--authfile") + 1));
        assertThat(authFile.getParent().getFileName().toString())
                .startsWith(BuilderLogin.PREFIX + ProcessHandle.current().pid() + "-");
        assertThat(authFile.startsWith(repo)).isFalse();
        assertThat(authFiles).singleElement().satisfies(seen -> assertThat(seen)
                .startsWith("rw------- rwx------ {\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
                        + SecretForms.base64("AWS:" + PASSWORD) + "\"}}}"));
        assertThat(authFile.getParent()).doesNotExist();

        // The same content again: found with the token's credentials, not built.
        log.clear();
        assertThat(up("c2c2c2").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args, base images and files), build skipped"));
        assertThat(withToken.headManifest("shop/web", "c2c2c2").orElseThrow().digest()).isEqualTo(digest);
    }

    @Test
    void theTokenIsNeverInTheLogTheRecordTheStateOrAProcessesArgumentsOrEnvironment() throws Exception {
        assertThat(up("c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        SecretForms token = SecretForms.of("AWS", PASSWORD);
        token.assertNotIn(commands);
        // Every file Berth or the run wrote in the repository: the record, the run's files, the stage's output.
        token.assertNotInLogOrFiles(log, repo);
        assertThat(repo.resolve(".berth/state/shop-main.json")).exists();
    }

    @Test
    void aRepositoryMissingInEcrFailsTheImageBeforeAnyBuild() throws Exception {
        ecr.deleteRepository(r -> r.repositoryName("shop/web").force(true));
        RunResult result = up("c1c1c1");
        assertThat(result.succeeded()).isFalse();
        assertThat(log).anyMatch(l -> l.contains("the ECR repository shop/web does not exist in account 123456789012,"
                + " region us-east-1; ECR does not create repositories on push: create it first"));
        assertThat(commands).isEmpty();
        assertThat(repo.resolve("image.txt")).doesNotExist();
    }


}
