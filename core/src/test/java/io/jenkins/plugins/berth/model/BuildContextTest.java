package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path repo;

    @Test
    void theDeployFilesFolderAsContextNeverTakesBerthsFolderOrGits() throws Exception {
        Files.createDirectories(repo.resolve(".berth/state"));
        Files.writeString(repo.resolve(".berth/state/shop-main.json"), "{}");
        Files.writeString(repo.resolve(".git"), "gitdir: /elsewhere\n");   // a worktree's .git is a file
        Files.createDirectories(repo.resolve("web/.git"));
        Files.writeString(repo.resolve("web/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(repo.resolve(".berthrc"), "kept: only the folder .berth is Berth's\n");
        Files.writeString(repo.resolve("Dockerfile"), "FROM scratch\n");
        // A .dockerignore cannot let them back in.
        Files.writeString(repo.resolve(".dockerignore"), "!.berth\n!.git\n");
        RepositoryFiles files = RepositoryFiles.of(repo);
        assertThat(BuildContext.files(files, ".", "Dockerfile").keySet())
                .containsExactly(".berthrc", ".dockerignore", "Dockerfile", "web/.git/HEAD");
        assertThat(BuildContext.files(files, "", "Dockerfile").keySet())
                .doesNotContain(".git", ".berth/state/shop-main.json");
        // Another context is taken as its .dockerignore says: Berth writes nothing there.
        assertThat(BuildContext.files(files, "web", "web/Dockerfile").keySet()).containsExactly(".git/HEAD");
        assertThat(BuildContext.ignoreText(files, ".", "Dockerfile")).startsWith("!.berth\n!.git\n")
                .endsWith("\n.berth\n.git\n");
        assertThat(BuildContext.ignoreText(files, "web", "web/Dockerfile")).isEmpty();
    }

    /**
     * BuildKit's rule: {@code <Dockerfile>.dockerignore} next to the Dockerfile takes the place of the context's
     * {@code .dockerignore} (it does not add to it), for that Dockerfile only.
     */
    @Test
    void aDockerfilesOwnIgnoreFileTakesThePlaceOfTheContexts() throws Exception {
        Files.createDirectories(repo.resolve("docker"));
        Files.writeString(repo.resolve("docker/app.Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.writeString(repo.resolve("docker/app.Dockerfile.dockerignore"), "*.log\n");
        Files.writeString(repo.resolve("docker/tools.Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.writeString(repo.resolve(".dockerignore"), "*.md\n");
        Files.writeString(repo.resolve("notes.md"), "docs");
        Files.writeString(repo.resolve("build.log"), "log");
        RepositoryFiles files = RepositoryFiles.of(repo);
        assertThat(BuildContext.ignoreFile(files, ".", "docker/app.Dockerfile"))
                .contains("docker/app.Dockerfile.dockerignore");
        assertThat(BuildContext.files(files, ".", "docker/app.Dockerfile").keySet())
                .contains("notes.md", ".dockerignore").doesNotContain("build.log");
        assertThat(BuildContext.ignoreText(files, ".", "docker/app.Dockerfile")).startsWith("*.log\n");
        // Another Dockerfile of the same context keeps the context's .dockerignore.
        assertThat(BuildContext.ignoreFile(files, ".", "docker/tools.Dockerfile")).contains(".dockerignore");
        assertThat(BuildContext.files(files, ".", "docker/tools.Dockerfile").keySet())
                .contains("build.log").doesNotContain("notes.md");
    }
}
