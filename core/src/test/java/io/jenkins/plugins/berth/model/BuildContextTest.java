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
        assertThat(BuildContext.files(files, ".").keySet())
                .containsExactly(".berthrc", ".dockerignore", "Dockerfile", "web/.git/HEAD");
        assertThat(BuildContext.files(files, "").keySet()).doesNotContain(".git", ".berth/state/shop-main.json");
        // Another context is taken as its .dockerignore says: Berth writes nothing there.
        assertThat(BuildContext.files(files, "web").keySet()).containsExactly(".git/HEAD");
    }
}
