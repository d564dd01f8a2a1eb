package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.model.LinkOutsideRepositoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy of a stack's sources under the state folder, on real folders with real symbolic links. */
class StackFolderTest {
    @TempDir
    Path repo;
    @TempDir
    Path states;
    @TempDir
    Path elsewhere;

    private String copied(StackFolder folder, String file) throws Exception {
        return Files.readString(folder.path().resolve(file));
    }

    @Test
    void linksInsideTheRepositoryAreCopiedAsTheFilesTheyLeadTo() throws Exception {
        Files.createDirectories(repo.resolve("infra/app/.terraform"));
        Files.createDirectories(repo.resolve("modules/net"));
        Files.writeString(repo.resolve("berth.yml"), "version: 1\n");
        Files.writeString(repo.resolve("infra/app/main.tf"), "# main\n");
        Files.writeString(repo.resolve("infra/app/.terraform/terraform.tfstate"), "local working state\n");
        Files.writeString(repo.resolve("modules/net/net.tf"), "# net\n");
        Files.writeString(repo.resolve("common.tf"), "# common\n");
        Files.createSymbolicLink(repo.resolve("infra/app/common.tf"), Path.of("../../common.tf"));
        Files.createSymbolicLink(repo.resolve("infra/app/net"), Path.of("../../modules/net"));
        StackFolder folder = StackFolder.of(states, "shop/app/shop-main");

        folder.copyFrom(repo, "infra/app", repo.resolve("berth.yml"));

        assertThat(copied(folder, "main.tf")).isEqualTo("# main\n");
        assertThat(copied(folder, "common.tf")).isEqualTo("# common\n");
        assertThat(copied(folder, "net/net.tf")).isEqualTo("# net\n");
        assertThat(Files.isSymbolicLink(folder.path().resolve("common.tf"))).isFalse();
        assertThat(folder.path().resolve(".terraform")).doesNotExist();
        assertThat(copied(folder, StackFolder.DEPLOY_FILE)).isEqualTo("version: 1\n");
    }

    @Test
    void aLinkOutOfTheRepositoryStopsTheCopyBeforeAnythingChanges() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("credentials"), "aws_secret_access_key = hunter2\n");
        Files.createDirectories(repo.resolve("infra/app"));
        Files.writeString(repo.resolve("berth.yml"), "version: 1\n");
        Files.writeString(repo.resolve("infra/app/main.tf"), "# v1\n");
        StackFolder folder = StackFolder.of(states, "shop/app/shop-main");
        folder.copyFrom(repo, "infra/app", repo.resolve("berth.yml"));

        Files.writeString(repo.resolve("infra/app/main.tf"), "# v2\n");
        Files.createSymbolicLink(repo.resolve("infra/app/creds.tf"), secret);
        assertThatThrownBy(() -> folder.copyFrom(repo, "infra/app", repo.resolve("berth.yml")))
                .isInstanceOf(LinkOutsideRepositoryException.class)
                .hasMessageStartingWith("'infra/app/creds.tf' is a symbolic link to '" + secret + "'");
        assertThat(copied(folder, "main.tf")).isEqualTo("# v1\n");
        try (Stream<Path> files = Files.walk(states)) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(file ->
                    assertThat(Files.readString(file)).doesNotContain("hunter2"));
        }
        Files.delete(repo.resolve("infra/app/creds.tf"));
        Files.createSymbolicLink(repo.resolve("infra/linked"), elsewhere);
        assertThatThrownBy(() -> folder.copyFrom(repo, "infra/linked", repo.resolve("berth.yml")))
                .isInstanceOf(LinkOutsideRepositoryException.class);
    }
}
