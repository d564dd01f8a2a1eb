package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy file in a subfolder names its files relative to its own folder, as the plugin reads a workspace
 * (repository root plus the file's path) and as the CLI reads the file (BerthCommandTest checks the CLI).
 */
class DeployFileLocationTest {
    @TempDir
    Path repo;

    private static final String FILE = """
            version: 1
            init_stages:
              - { name: build, script: scripts/build.sh }
            infrastructure:
              - { name: app, dir: infra }
            """;

    @Test
    void pathsAreRelativeToTheDeployFilesFolder() throws Exception {
        Files.createDirectories(repo.resolve("deploy/scripts"));
        Files.createDirectories(repo.resolve("deploy/infra"));
        Files.writeString(repo.resolve("deploy/scripts/build.sh"), "true\n");
        Files.writeString(repo.resolve("deploy/infra/main.tf"), "");
        DeployFileLocation location = new DeployFileLocation("deploy/berth.yml");

        DeployFile file = DeployFiles.parse(location, FILE.getBytes(), RepositoryFiles.of(repo));

        assertThat(file.infrastructure()).extracting(Stack::name).containsExactly("app");
        assertThat(location.folder()).isEqualTo("deploy");
        assertThat(location.fileName()).isEqualTo("berth.yml");
    }

    @Test
    void filesBesideTheRepositoryRootAreNotTheFilesOfASubfolderDeployFile() throws IOException {
        // The same files at the repository root do not count: the file lives in deploy/.
        Files.createDirectories(repo.resolve("scripts"));
        Files.createDirectories(repo.resolve("infra"));
        Files.writeString(repo.resolve("scripts/build.sh"), "true\n");
        Files.writeString(repo.resolve("infra/main.tf"), "");

        assertThatThrownBy(() -> DeployFiles.parse(new DeployFileLocation("deploy/berth.yml"), FILE.getBytes(),
                RepositoryFiles.of(repo)))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems())
                        .extracting(Problem::toString).allMatch(p -> p.startsWith("deploy/berth.yml:"))
                        .anyMatch(p -> p.contains("script file 'scripts/build.sh' of stage 'build' does not exist"))
                        .anyMatch(p -> p.contains("infra")));
    }

    @Test
    void aLocationIsARelativePathInsideTheRepository() {
        assertThat(new DeployFileLocation("./deploy//berth.yml").path()).isEqualTo("deploy/berth.yml");
        assertThat(new DeployFileLocation("berth.yml").folder()).isEmpty();
        assertThatThrownBy(() -> new DeployFileLocation("../berth.yml")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeployFileLocation("/etc/berth.yml")).isInstanceOf(IllegalArgumentException.class);
    }
}
