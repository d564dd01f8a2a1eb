package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symbolic links on a real folder: followed inside the repository, refused out of it, whatever the route. */
class RepositoryPathsTest {
    @TempDir
    Path temp;

    private Path repo;
    private Path outside;
    private RepositoryFiles files;

    @BeforeEach
    void layout() throws IOException {
        repo = Files.createDirectories(temp.resolve("repo"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "the controller's secret");
        Files.createDirectories(repo.resolve("scripts"));
        Files.writeString(repo.resolve("scripts/build.sh"), "echo build\n");
        files = RepositoryFiles.of(repo);
    }

    @Test
    void linksInsideTheRepositoryAreFollowed() throws IOException {
        Files.createSymbolicLink(repo.resolve("relative.sh"), Path.of("scripts/build.sh"));
        Files.createSymbolicLink(repo.resolve("absolute.sh"), repo.resolve("scripts/build.sh").toAbsolutePath());
        Files.createSymbolicLink(repo.resolve("tools"), Path.of("scripts"));
        Files.createSymbolicLink(repo.resolve("scripts/up.sh"), Path.of("../tools/./build.sh"));
        for (String path : new String[] {"relative.sh", "absolute.sh", "tools/build.sh", "scripts/up.sh", "tools/up.sh"}) {
            assertThat(RepositoryPaths.real(files, path)).as(path).isEqualTo("scripts/build.sh");
            assertThat(files.isFile(path)).as(path).isTrue();
            assertThat(files.read(path)).as(path).isEqualTo("echo build\n");
        }
        assertThat(RepositoryPaths.real(files, "missing/file")).isEqualTo("missing/file");
        assertThat(files.list("tools")).containsExactly("build.sh", "up.sh");
    }

    @Test
    void aLinkOutOfTheRepositoryIsNeitherAFileNorReadable() throws IOException {
        Files.createSymbolicLink(repo.resolve("absolute.sh"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(repo.resolve("scripts/relative.sh"), Path.of("../../outside/secret.txt"));
        Files.createSymbolicLink(repo.resolve("out"), outside);
        Files.createSymbolicLink(repo.resolve("hop.sh"), Path.of("out/secret.txt"));
        Files.createSymbolicLink(repo.resolve("up"), Path.of(".."));
        for (String path : new String[] {"absolute.sh", "scripts/relative.sh", "out/secret.txt", "hop.sh", "up/outside/secret.txt"}) {
            assertThatThrownBy(() -> RepositoryPaths.real(files, path)).as(path)
                    .isInstanceOf(LinkOutsideRepositoryException.class).hasMessageContaining("outside the repository");
            assertThat(files.isFile(path)).as(path).isFalse();
            assertThatThrownBy(() -> files.read(path)).as(path).isInstanceOf(LinkOutsideRepositoryException.class);
        }
        assertThat(files.isDirectory("out")).isFalse();
        assertThat(files.list("scripts")).containsExactly("build.sh");
        assertThatThrownBy(() -> RepositoryPaths.real(files, "absolute.sh")).hasMessage("'absolute.sh' is a symbolic"
                + " link to '" + outside.resolve("secret.txt") + "', outside the repository; Berth follows symbolic links"
                + " only to files inside it");
        assertThatThrownBy(() -> RepositoryPaths.real(files, "hop.sh")).hasMessage("'hop.sh' leads through 'out',"
                + " which is a symbolic link to '" + outside + "', outside the repository; Berth follows symbolic links"
                + " only to files inside it");
    }

    @Test
    void linksThatLoopAreRefused() throws IOException {
        Files.createSymbolicLink(repo.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(repo.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> RepositoryPaths.real(files, "a/x")).isInstanceOf(IOException.class)
                .hasMessageContaining("more than 40 symbolic links");
        assertThat(files.isFile("a")).isFalse();
    }

    /** A deploy file's folder is its repository: berth up over deploy/ could not reach ../shared either. */
    @Test
    void aDeployFilesFolderBoundsItsLinks() throws IOException {
        Files.createDirectories(repo.resolve("deploy"));
        Files.createDirectories(repo.resolve("shared"));
        Files.writeString(repo.resolve("shared/lib.sh"), "echo lib\n");
        Files.createSymbolicLink(repo.resolve("deploy/lib.sh"), Path.of("../shared/lib.sh"));
        Files.createSymbolicLink(repo.resolve("deploy/own.sh"), Path.of("lib.sh"));
        RepositoryFiles deploy = new DeployFileLocation("deploy/berth.yml").filesOf(files);
        assertThatThrownBy(() -> deploy.read("lib.sh")).isInstanceOf(LinkOutsideRepositoryException.class);
        assertThat(deploy.isFile("own.sh")).isFalse();
        assertThat(files.read("deploy/lib.sh")).isEqualTo("echo lib\n");
    }

    @Test
    void aWalkFollowsLinkedFoldersInsideAndStopsAtTheFirstLinkOut() throws IOException {
        Files.createDirectories(repo.resolve("infra/app"));
        Files.createDirectories(repo.resolve("modules/net"));
        Files.writeString(repo.resolve("infra/app/main.tf"), "");
        Files.writeString(repo.resolve("modules/net/net.tf"), "");
        Files.createSymbolicLink(repo.resolve("infra/app/net"), Path.of("../../modules/net"));
        Files.createSymbolicLink(repo.resolve("infra/app/common.tf"), Path.of("../../modules/net/net.tf"));
        Files.createSymbolicLink(repo.resolve("infra/app/dangling.tf"), Path.of("nothing.tf"));
        assertThat(RepositoryPaths.files(files, "infra/app", RepositoryPaths.LeftOut.NOTHING)).containsExactly(
                java.util.Map.entry("common.tf", "modules/net/net.tf"),
                java.util.Map.entry("main.tf", "infra/app/main.tf"),
                java.util.Map.entry("net/net.tf", "modules/net/net.tf"));

        Files.createSymbolicLink(repo.resolve("modules/net/keys"), outside);
        assertThatThrownBy(() -> RepositoryPaths.files(files, "infra/app", RepositoryPaths.LeftOut.NOTHING))
                .isInstanceOf(LinkOutsideRepositoryException.class)
                .hasMessageStartingWith("'infra/app/net/keys' is a symbolic link to '" + outside + "'");
        // What the walk leaves out, it does not follow.
        assertThat(RepositoryPaths.files(files, "infra/app", (path, folder) -> path.endsWith("keys"))).hasSize(3);

        Files.delete(repo.resolve("modules/net/keys"));
        Files.createSymbolicLink(repo.resolve("modules/net/again"), Path.of(".."));
        assertThatThrownBy(() -> RepositoryPaths.files(files, "infra/app", RepositoryPaths.LeftOut.NOTHING))
                .isInstanceOf(IOException.class).hasMessageContaining("(a loop)");
    }
}
