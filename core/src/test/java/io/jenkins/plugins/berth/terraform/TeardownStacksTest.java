package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.teardown.Retries;
import io.jenkins.plugins.berth.teardown.Teardown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teardowns of stacks whose destroy fails, with real OpenTofu: a destroy-time provisioner of a built-in
 * {@code terraform_data} fails until a marker file exists. The teardown stage reports what it was given.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TeardownStacksTest {

    @TempDir
    Path folder;

    private Path repo;
    private Path out;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void repository() throws Exception {
        repo = folder.resolve("repo");
        out = folder.resolve("out");
        Files.createDirectories(repo.resolve("infra/network"));
        Files.createDirectories(repo.resolve("infra/app"));
        Files.createDirectories(out);
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                infrastructure:
                  - name: network
                    dir: infra/network
                    vars: { marker: "%1$s/network-may-go" }
                    outputs: { SUBNET: subnet }
                  - name: app
                    dir: infra/app
                    vars: { subnet: "${SUBNET}", marker: "%1$s/app-tried" }
                    outputs: { APP_URL: url }
                    url: APP_URL
                teardown:
                  - name: report
                    run: echo "url=$APP_URL env_url=$BERTH_ENV_URL" >> "%1$s/report"
                """.formatted(out));
        // Its destroy fails until the marker exists: a cloud API that refuses for a while.
        Files.writeString(repo.resolve("infra/network/main.tf"), """
                variable "marker" { type = string }
                resource "terraform_data" "network" {
                  input = var.marker
                  provisioner "local-exec" {
                    when    = destroy
                    command = "test -f '${self.input}' || { echo 'network still in use' >&2; exit 1; }"
                  }
                }
                output "subnet" { value = "net1" }
                """);
        // Its destroy fails once, then succeeds: a transient failure.
        Files.writeString(repo.resolve("infra/app/main.tf"), """
                variable "marker" { type = string }
                variable "subnet" { type = string }
                resource "terraform_data" "app" {
                  input = var.marker
                  provisioner "local-exec" {
                    when    = destroy
                    command = "test -f '${self.input}' || { touch '${self.input}'; echo 'api busy' >&2; exit 1; }"
                  }
                }
                output "url" { value = "http://app-${var.subnet}.local:8080/" }
                """);
    }

    private Path states() {
        return repo.resolve(".berth/state");
    }

    private void up() throws Exception {
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        Engine engine = Engine.builder().runsElsewhere(Feature.TEARDOWN)
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), states(), HttpStates.embedded(states()),
                        TerraformTools.searchPath()))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(states()), LogLines.into(log));
        assertThat(engine.up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.of("abc"), "repo",
                SecretSource.none(), 2)).succeeded()).as(String.join("\n", log)).isTrue();
    }

    private Teardown teardown() {
        DirectoryStateStore state = new DirectoryStateStore(states());
        Destroyer destroyer = new Destroyer(states(), state, new LocalCommandRunner(repo), LogLines.into(log),
                TerraformTools.searchPath(), Clock.systemUTC());
        return new Teardown(destroyer, state, state::keptFolder, LocalCommandRunner::new, Optional.empty(),
                new Retries(3, Duration.ofMillis(10)), LogLines.into(log), Clock.systemUTC());
    }

    private EnvironmentRecord record() throws Exception {
        return new DirectoryStateStore(states()).read("shop-main").orElseThrow();
    }

    private static final String URL = "http://app-net1.local:8080/";

    @Test
    void aDestroyThatFailsOnceIsRetriedAndTheTeardownStageSeesTheOutputsAndTheEnvironmentUrl() throws Exception {
        up();
        Files.writeString(out.resolve("network-may-go"), "");

        assertThat(teardown().down("shop-main", SecretSource.none()).destroyed()).containsExactly("app", "network");
        assertThat(log).anyMatch(l -> l.startsWith("WARNING: destroying stack app failed (attempt 1 of 3): "));
        assertThat(Files.readAllLines(out.resolve("report"))).containsExactly("url=" + URL + " env_url=" + URL);
        EnvironmentRecord gone = record();
        assertThat(gone.status()).isEqualTo(EnvironmentStatus.GONE);
        RunRecord run = gone.lastRun().orElseThrow();
        assertThat(run.command()).isEqualTo("down");
        assertThat(run.result()).hasValue(StepStatus.SUCCEEDED);
        assertThat(run.steps()).extracting(s -> s.phase() + " " + s.name() + " " + s.status().keyword())
                .containsExactly("teardown report succeeded", "infrastructure app succeeded",
                        "infrastructure network succeeded");
    }

    @Test
    void aTeardownThatFailedAtAStackGoesOnFromThereWithoutRunningTheTeardownStagesAgain() throws Exception {
        up();
        assertThatThrownBy(() -> teardown().down("shop-main", SecretSource.none()))
                .hasMessageStartingWith("stack network: ");
        EnvironmentRecord failed = record();
        assertThat(failed.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(failed.stacks()).extracting(s -> s.name()).containsExactly("network");
        RunRecord first = failed.lastRun().orElseThrow();
        assertThat(first.result()).hasValue(StepStatus.FAILED);
        assertThat(first.steps()).extracting(s -> s.name() + " " + s.status().keyword())
                .containsExactly("report succeeded", "app succeeded", "network failed");
        assertThat(first.steps().get(2).error()).hasValueSatisfying(e -> assertThat(e).startsWith("stack network: "));

        log.clear();
        Files.writeString(out.resolve("network-may-go"), "");
        assertThat(teardown().down("shop-main", SecretSource.none()).destroyed()).containsExactly("network");
        assertThat(log).contains("INFO: stage report: succeeded in the earlier teardown, not run again")
                .anyMatch(l -> l.startsWith("INFO: Going on with the teardown "));
        // Run once, while the app stack and its output were still there.
        assertThat(Files.readAllLines(out.resolve("report"))).containsExactly("url=" + URL + " env_url=" + URL);
        EnvironmentRecord gone = record();
        assertThat(gone.status()).isEqualTo(EnvironmentStatus.GONE);
        assertThat(gone.lastRun().orElseThrow().steps()).extracting(StepResult::name)
                .containsExactly("report", "app", "network");
    }
}
