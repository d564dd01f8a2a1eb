package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.ImageBuilder;
import io.jenkins.plugins.berth.run.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's login: a private auth file each builder reads, only its path on a command line, removed after. */
class BuilderLoginTest {
    /** Full of what a shell would act on, so a leak into a command line would show. */
    private static final Credentials LOGIN = new Credentials("AWS", "t0k'en\"$(rm -rf)`;|&*\\ end");

    @TempDir
    Path parent;

    @Test
    void theLoginIsAPrivateAuthFileRemovedOnClose() throws Exception {
        Path file;
        try (BuilderLogin login = BuilderLogin.write(parent, "123456789012.dkr.ecr.us-east-1.amazonaws.com", LOGIN)) {
            file = login.authFile();
            assertThat(file.getParent()).isEqualTo(login.folder()).hasParent(parent);
            assertThat(login.folder().getFileName().toString())
                    .startsWith(BuilderLogin.PREFIX + ProcessHandle.current().pid() + "-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(login.folder()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).isEqualTo("{\"auths\":{\"123456789012.dkr.ecr.us-east-1.amazonaws.com\":"
                    + "{\"auth\":\"" + Base64.getEncoder().encodeToString(("AWS:" + LOGIN.password())
                            .getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        }
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void theFoldersOfProcessesThatAreGoneAreSweptOthersStay() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killed = Files.createDirectories(parent.resolve(BuilderLogin.PREFIX + gone.pid() + "-123"));
        Files.writeString(killed.resolve(BuilderLogin.FILE), "{}");
        Path running = Files.createDirectories(parent.resolve(BuilderLogin.PREFIX + ProcessHandle.current().pid()
                + "-456"));
        Path stranger = Files.createDirectories(parent.resolve(BuilderLogin.PREFIX + "x"));
        try (BuilderLogin login = BuilderLogin.write(parent, "registry.example.com", LOGIN)) {
            assertThat(killed).doesNotExist();
            assertThat(running).exists();
            assertThat(stranger).exists();
        }
    }

    @Test
    void buildahPushesWithTheAuthFileDockerAndKanikoReadTheFolderTheTokenIsOnNoCommandLine() throws Exception {
        BuildCommands.Build build = new BuildCommands.Build(Path.of("/repo/web"), Path.of("/repo/web/Dockerfile"),
                Map.of(), Map.of(), ImageReference.parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:c1"),
                false);
        try (BuilderLogin login = BuilderLogin.write(parent, "123456789012.dkr.ecr.us-east-1.amazonaws.com", LOGIN)) {
            List<Command> buildah = BuildCommands.withLogin(ImageBuilder.BUILDAH,
                    BuildCommands.of(ImageBuilder.BUILDAH, build, Map.of("STORAGE_DRIVER", "vfs")), login);
            assertThat(buildah.get(0).arguments()).startsWith("buildah", "bud").doesNotContain("--authfile");
            assertThat(buildah.get(1).arguments()).containsExactly("buildah", "push", "--authfile",
                    login.authFile().toString(), build.target().toString(), "docker://" + build.target());
            assertThat(buildah).allSatisfy(c -> assertThat(c.environment()).isEqualTo(Map.of("STORAGE_DRIVER", "vfs")));
            for (ImageBuilder builder : List.of(ImageBuilder.BUILDX, ImageBuilder.KANIKO)) {
                List<Command> commands = BuildCommands.withLogin(builder, BuildCommands.of(builder, build, Map.of()),
                        login);
                assertThat(commands).singleElement().satisfies(c -> {
                    assertThat(c.environment()).isEqualTo(Map.of("DOCKER_CONFIG", login.folder().toString()));
                    assertThat(c.arguments()).isEqualTo(BuildCommands.of(builder, build, Map.of()).get(0).arguments());
                });
            }
            String encoded = Base64.getEncoder().encodeToString(LOGIN.password().getBytes(StandardCharsets.UTF_8));
            assertThat(buildah).allSatisfy(c -> assertThat(String.join(" ", c.arguments()) + c.environment())
                    .doesNotContain(LOGIN.password()).doesNotContain(encoded).doesNotContain("t0k"));
        }
    }
}
