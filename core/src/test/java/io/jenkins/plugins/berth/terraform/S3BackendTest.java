package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.teardown.Retries;
import io.jenkins.plugins.berth.teardown.Teardown;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** The S3 state backend against moto's S3 server (a real HTTP server speaking the S3 API). */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class S3BackendTest {
    private static final Map<String, String> AWS = MotoServer.AWS;

    @TempDir
    Path repo;

    private MotoServer moto;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startMoto() throws Exception {
        moto = MotoServer.start(repo.resolve("moto.log"));
        assertThat(http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/berth-states"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        Path fixture = Path.of("src/test/resources/io/jenkins/plugins/berth/terraform/InfrastructureTest");
        Files.createDirectories(repo.resolve("infra"));
        for (String stack : List.of("db", "app")) {
            Files.createDirectories(repo.resolve("infra/" + stack));
            Files.copy(fixture.resolve("infra/" + stack + "/main.tf"), repo.resolve("infra/" + stack + "/main.tf"));
        }
        Files.writeString(repo.resolve("berth.yml"), Files.readString(fixture.resolve("berth.yml")).replace(
                "infrastructure:", "terraform:\n  backend: s3\n  s3: { bucket: berth-states, region: us-east-1,"
                        + " use_lockfile: true, endpoint: \"" + endpoint() + "\" }\ninfrastructure:"));
    }

    @AfterEach
    void stopMoto() throws InterruptedException {
        moto.close();
    }

    private String endpoint() {
        return moto.endpoint();
    }


    private RunResult up() throws Exception {
        Path stateFolder = repo.resolve(".berth/state");
        return Engine.builder()
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder, TerraformTools.searchPath()))
                .build(new LocalCommandRunner(repo, AWS), new DirectoryStateStore(stateFolder), LogLines.into(log))
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest("main", Optional.of("abc"), "repo", SecretSource.of(Map.of("db-password", "s3cr3t")),
                                2));
    }

    /**
     * The state of a key as OpenTofu reads it back from the bucket ({@code state pull} in a folder with
     * the same backend block): moto refuses unsigned object reads, as S3 does.
     */
    private String pull(String key) throws Exception {
        Path probe = repo.resolve("probe/" + key);
        Files.createDirectories(probe);
        Files.copy(repo.resolve(".berth/state/terraform/work/shop/db/_shared/berth_backend_override.tf"),
                probe.resolve("backend.tf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path backend = probe.resolve("backend.tf");
        Files.writeString(backend, Files.readString(backend).replace("berth/shop/db/_shared.tfstate", "berth/" + key
                + ".tfstate"));
        String tofu = TerraformTools.searchPath().get(0).resolve("tofu").toString();
        LocalCommandRunner runner = new LocalCommandRunner(repo, AWS);
        StringBuilder out = new StringBuilder();
        assertThat(runner.run(new io.jenkins.plugins.berth.run.Command(List.of(tofu, "init", "-input=false", "-no-color"),
                probe.toString(), Map.of("TF_CLI_CONFIG_FILE", "")), line -> out.append(line).append('\n')))
                .as(out.toString()).isZero();
        StringBuilder state = new StringBuilder();
        assertThat(runner.run(new io.jenkins.plugins.berth.run.Command(List.of(tofu, "state", "pull"), probe.toString(),
                Map.of("TF_CLI_CONFIG_FILE", "")), line -> state.append(line).append('\n'))).isZero();
        return state.toString();
    }

    @Test
    void statesLiveInTheBucketPerStackAndEnvironment() throws Exception {
        RunResult first = up();
        assertThat(first.succeeded()).as(String.join("\n", log)).isTrue();
        String listing = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/berth-states?list-type=2")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(listing).contains("<Key>berth/shop/app/shop-main.tfstate</Key>")
                .contains("<Key>berth/shop/db/_shared.tfstate</Key>");
        assertThat(pull("shop/app/shop-main")).contains("\"terraform_data\"").doesNotContain("s3cr3t");
        assertThat(pull("shop/db/_shared")).contains("\"terraform_data\"");
        assertThat(repo.resolve(".berth/state/terraform/states")).doesNotExist();
        assertThat(Files.readString(repo.resolve(".berth/state/terraform/work/shop/app/shop-main/berth_backend_override.tf")))
                .contains("backend \"s3\"").contains("key    = \"berth/shop/app/shop-main.tfstate\"");

        log.clear();
        assertThat(up().succeeded()).isTrue();
        assertThat(log.stream().filter(l -> l.contains("no changes, apply skipped"))).hasSize(2);

        DirectoryStateStore state = new DirectoryStateStore(repo.resolve(".berth/state"));
        Destroyer destroyer = new Destroyer(repo.resolve(".berth/state"), state, new LocalCommandRunner(repo, AWS),
                LogLines.into(log), TerraformTools.searchPath(), Clock.systemUTC());
        new Teardown(destroyer, state, state::keptFolder, folder -> new LocalCommandRunner(folder, AWS), Optional.empty(),
                Retries.DEFAULT, LogLines.into(log), Clock.systemUTC())
                .down("shop-main", SecretSource.of(Map.of("db-password", "s3cr3t")));
        assertThat(pull("shop/app/shop-main")).doesNotContain("\"terraform_data\"");
        assertThat(pull("shop/db/_shared")).contains("\"terraform_data\"");
    }

    /** The backend's settings are part of what init is skipped for: changed, the next up initialises again. */
    @Test
    void aChangedBackendConfigurationInitialisesAgain() throws Exception {
        assertThat(up().succeeded()).as(String.join("\n", log)).isTrue();
        log.clear();
        assertThat(up().succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log.stream().filter(l -> l.contains("init skipped"))).hasSize(2);

        Files.writeString(repo.resolve("berth.yml"), Files.readString(repo.resolve("berth.yml"))
                .replace("use_lockfile: true", "use_lockfile: false"));
        log.clear();
        assertThat(up().succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log.stream().filter(l -> l.contains("init skipped"))).isEmpty();
        assertThat(log.stream().filter(l -> l.contains("Successfully configured the backend \"s3\""))).hasSize(2);
        assertThat(log.stream().filter(l -> l.contains("no changes, apply skipped"))).hasSize(2);
    }
}
