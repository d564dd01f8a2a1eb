package io.jenkins.plugins.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.RecordingLog;
import io.jenkins.plugins.berth.run.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation refuses links out of the repository, but a stage runs any code and can make one after it: the
 * engine checks again where it runs or keeps a file, with real bash and a real state folder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinksAtRunTimeTest {
    @TempDir
    Path repo;
    @TempDir
    Path elsewhere;

    final RecordingLog log = new RecordingLog();

    private RunResult up(String yaml) throws Exception {
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, yaml);
        DeployFile deployFile = DeployFiles.load(file, "berth.yml");
        Engine engine = Engine.builder().runsElsewhere(io.jenkins.plugins.berth.run.Feature.TEARDOWN)
                .build(new LocalCommandRunner(repo),
                new DirectoryStateStore(repo.resolve(".berth/state")), log);
        return engine.up(deployFile, RepositoryFiles.of(repo),
                new UpRequest("main", Optional.empty(), "repo", SecretSource.none(), 1));
    }

    @Test
    void aScriptThatBecameALinkOutOfTheRepositoryDoesNotRun() throws Exception {
        Path hostile = Files.writeString(elsewhere.resolve("hostile.sh"), "touch \"$PWD/hostile-ran\"\n");
        Files.writeString(repo.resolve("deploy.sh"), "echo deploying\n");
        RunResult result = up("""
                version: 1
                stages:
                  - { name: swap, run: "ln -sf %s deploy.sh" }
                  - { name: deploy, script: deploy.sh }
                """.formatted(hostile));
        assertThat(result.succeeded()).isFalse();
        assertThat(repo.resolve("hostile-ran")).doesNotExist();
        StepResult deploy = result.steps().get(1);
        assertThat(deploy.status()).isEqualTo(StepStatus.FAILED);
        assertThat(deploy.error()).hasValueSatisfying(error -> assertThat(error)
                .isEqualTo("script file deploy.sh (berth.yml:4:29): 'deploy.sh' is a symbolic link to '" + hostile
                        + "', outside the repository; Berth follows symbolic links only to files inside it"));
    }

    @Test
    void aTeardownScriptThatBecameALinkOutOfTheRepositoryIsNotKept() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("master.key"), "the controller's key\n");
        Files.createDirectories(repo.resolve("ops"));
        Files.writeString(repo.resolve("ops/drop.sh"), "echo drop\n");
        Files.writeString(repo.resolve("ops/inside.sh"), "echo inside\n");
        RunResult result = up("""
                version: 1
                stages:
                  - { name: swap, run: "ln -sf %s ops/drop.sh" }
                teardown:
                  - { name: drop, script: ops/drop.sh }
                  - { name: other, script: ops/inside.sh }
                """.formatted(secret));
        assertThat(result.succeeded()).isTrue();
        Path kept = repo.resolve(".berth/state/kept/repo-main");
        assertThat(kept.resolve("ops/drop.sh")).doesNotExist();
        assertThat(kept.resolve("ops/inside.sh")).hasContent("echo inside");
        try (var files = Files.walk(kept)) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(file ->
                    assertThat(Files.readString(file)).doesNotContain("controller's key"));
        }
        assertThat(log.lines()).anyMatch(line -> line.contains("cannot keep ops/drop.sh for the teardown of repo-main:"
                + " 'ops/drop.sh' is a symbolic link to '" + secret + "', outside the repository"));
    }
}
