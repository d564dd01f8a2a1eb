package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.DockerIgnore;
import io.jenkins.plugins.berth.model.ImageBuilder;
import io.jenkins.plugins.berth.run.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a build is made of: .dockerignore rules, the content tag, and the builders' command lines. */
class BuildInputsTest {

    @TempDir
    Path context;

    @Test
    void dockerignoreRules() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *.md
                !README.md
                node_modules
                **/*.log
                /build/
                docs/?.txt
                """);
        assertThat(List.of("notes.md", "node_modules/x/y.js", "a/b/c.log", "x.log", "build/out.bin", "docs/a.txt"))
                .allMatch(ignore::excludes);
        assertThat(List.of("README.md", "src/notes.md", "src/app.js", "docs/ab.txt", "builder/x")).noneMatch(ignore::excludes);
    }

    @Test
    void theContentTagFollowsWhatTheBuildUsesAndNothingElse() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.writeString(context.resolve("app.txt"), "v1");
        Files.writeString(context.resolve(".dockerignore"), "*.md\n");
        Files.writeString(context.resolve("notes.md"), "a");
        Map<String, String> args = new LinkedHashMap<>(Map.of("A", "1"));
        String tag = ContentTag.of(context, ".", "Dockerfile", args);
        assertThat(tag).matches("content-[0-9a-f]{32}");
        Files.writeString(context.resolve("notes.md"), "b");
        assertThat(ContentTag.of(context, ".", "Dockerfile", args)).isEqualTo(tag);
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of("A", "2"))).isNotEqualTo(tag);
        Files.writeString(context.resolve("app.txt"), "v2");
        String changed = ContentTag.of(context, ".", "Dockerfile", args);
        assertThat(changed).isNotEqualTo(tag);
        assertThat(context.resolve("app.txt").toFile().setExecutable(true)).isTrue();
        assertThat(ContentTag.of(context, ".", "Dockerfile", args)).isNotEqualTo(changed);
    }

    /**
     * The tag reads what a linked file holds when the link stays in the repository, and refuses a link out of
     * it unless .dockerignore leaves it out of the build.
     */
    @Test
    void theContentTagFollowsLinksOnlyInsideTheRepository(@TempDir Path elsewhere) throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.createDirectories(context.resolve("web"));
        Files.createDirectories(context.resolve("shared"));
        Files.writeString(context.resolve("shared/lib.txt"), "v1");
        Files.createSymbolicLink(context.resolve("web/lib"), Path.of("../shared"));
        Files.createSymbolicLink(context.resolve("web/Dockerfile"), Path.of("../Dockerfile"));
        String tag = ContentTag.of(context, "web", "web/Dockerfile", Map.of());
        Files.writeString(context.resolve("shared/lib.txt"), "v2");
        assertThat(ContentTag.of(context, "web", "web/Dockerfile", Map.of())).isNotEqualTo(tag);

        Path secret = Files.writeString(elsewhere.resolve("id_rsa"), "private");
        Files.createSymbolicLink(context.resolve("web/id_rsa"), secret);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContentTag.of(context, "web", "web/Dockerfile", Map.of()))
                .isInstanceOf(io.jenkins.plugins.berth.model.LinkOutsideRepositoryException.class)
                .hasMessageStartingWith("'web/id_rsa' is a symbolic link to '" + secret + "', outside the repository");
        Files.writeString(context.resolve("web/.dockerignore"), "id_rsa\n");
        assertThat(ContentTag.of(context, "web", "web/Dockerfile", Map.of())).startsWith(ContentTag.PREFIX);
        Files.createSymbolicLink(context.resolve("linked.Dockerfile"), secret);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContentTag.of(context, "web", "linked.Dockerfile", Map.of()))
                .isInstanceOf(io.jenkins.plugins.berth.model.LinkOutsideRepositoryException.class);
    }

    @Test
    void theBuildStageAndPlatformsReachEachBuilderAndTheContentTag() throws Exception {
        BuildCommands.Build build = new BuildCommands.Build(Path.of("/repo/web"), Path.of("/repo/web/Dockerfile"),
                Map.of(), Map.of(), ImageReference.parse("127.0.0.1:5000/shop/web:content-1"), false,
                Optional.empty(), Optional.of("runtime"), List.of("linux/amd64"));
        assertThat(BuildCommands.of(ImageBuilder.BUILDX, build, Map.of()).get(0).arguments())
                .containsSubsequence("--target", "runtime", "--platform", "linux/amd64");
        assertThat(BuildCommands.of(ImageBuilder.KANIKO, build, Map.of()).get(0).arguments())
                .containsSubsequence("--target", "runtime", "--custom-platform", "linux/amd64");
        assertThat(BuildCommands.of(ImageBuilder.BUILDAH, build, Map.of()).get(0).arguments())
                .containsSubsequence("--target", "runtime", "--platform", "linux/amd64");
        BuildCommands.Build several = new BuildCommands.Build(build.context(), build.dockerfile(), Map.of(), Map.of(),
                build.target(), false, Optional.empty(), Optional.empty(), List.of("linux/amd64", "linux/arm64"));
        assertThat(BuildCommands.of(ImageBuilder.BUILDX, several, Map.of()).get(0).arguments())
                .containsSubsequence("--platform", "linux/amd64,linux/arm64").doesNotContain("--target");

        Files.writeString(context.resolve("Dockerfile"), "FROM scratch AS base\nFROM scratch AS runtime\n");
        String plain = ContentTag.of(context, ".", "Dockerfile", Map.of());
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of(), Optional.empty(), List.of())).isEqualTo(plain);
        String runtime = ContentTag.of(context, ".", "Dockerfile", Map.of(), Optional.of("runtime"), List.of());
        assertThat(runtime).isNotEqualTo(plain)
                .isNotEqualTo(ContentTag.of(context, ".", "Dockerfile", Map.of(), Optional.of("base"), List.of()));
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of(), Optional.of("runtime"), List.of("linux/arm64")))
                .isNotEqualTo(runtime);
    }

    @Test
    void eachBuilderGetsArgsLabelsAndTheTargetAsSeparateArguments() {
        BuildCommands.Build build = new BuildCommands.Build(Path.of("/repo/web"), Path.of("/repo/web/Dockerfile"),
                Map.of("GREETING", "hi $(whoami)"), Map.of("org.opencontainers.image.revision", "abc"),
                ImageReference.parse("127.0.0.1:5000/shop/web:content-1"), true);
        assertThat(BuildCommands.of(ImageBuilder.BUILDX, build, Map.of())).extracting(Command::arguments).containsExactly(
                List.of("docker", "buildx", "build", "--file", "/repo/web/Dockerfile", "--build-arg",
                        "GREETING=hi $(whoami)", "--label", "org.opencontainers.image.revision=abc", "--tag",
                        "127.0.0.1:5000/shop/web:content-1", "--push", "/repo/web"));
        assertThat(BuildCommands.of(ImageBuilder.KANIKO, build, Map.of())).extracting(Command::arguments).containsExactly(
                List.of("/kaniko/executor", "--context", "dir:///repo/web", "--dockerfile", "/repo/web/Dockerfile",
                        "--build-arg", "GREETING=hi $(whoami)", "--label", "org.opencontainers.image.revision=abc",
                        "--destination", "127.0.0.1:5000/shop/web:content-1", "--insecure"));
        assertThat(BuildCommands.of(ImageBuilder.BUILDAH, build, Map.of())).extracting(Command::arguments).containsExactly(
                List.of("buildah", "bud", "--file", "/repo/web/Dockerfile", "--build-arg", "GREETING=hi $(whoami)",
                        "--label", "org.opencontainers.image.revision=abc", "--tag", "127.0.0.1:5000/shop/web:content-1",
                        "/repo/web"),
                List.of("buildah", "push", "--tls-verify=false", "127.0.0.1:5000/shop/web:content-1",
                        "docker://127.0.0.1:5000/shop/web:content-1"));
    }
}
