package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.DockerIgnore;
import io.jenkins.plugins.berth.model.ImageBuilder;
import io.jenkins.plugins.berth.run.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** The builder copies each file's and folder's whole mode into the layer: every bit of it is in the tag. */
    @Test
    void theContentTagHoldsFullFileAndFolderModes() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.createDirectories(context.resolve("conf"));
        Path secret = Files.writeString(context.resolve("conf/app.conf"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        String readable = ContentTag.of(context, ".", "Dockerfile", Map.of());
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        String groupOnly = ContentTag.of(context, ".", "Dockerfile", Map.of());
        assertThat(groupOnly).isNotEqualTo(readable);
        Files.setAttribute(secret, "unix:mode", 02640);
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of())).as("set-group-ID").isNotEqualTo(groupOnly);
        Files.setAttribute(secret, "unix:mode", 0640);
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of())).isEqualTo(groupOnly);
        Files.setPosixFilePermissions(context.resolve("conf"), PosixFilePermissions.fromString("rwx------"));
        assertThat(ContentTag.of(context, ".", "Dockerfile", Map.of())).as("the folder's mode").isNotEqualTo(groupOnly);
        assertThat(ContentTag.mode(secret)).isEqualTo(0640);
    }

    @Test
    void theContentTagTakesTheDockerfilesOwnIgnoreFileAndTheBaseImages() throws Exception {
        Files.writeString(context.resolve("app.Dockerfile"), "FROM node:20\nCOPY . /\n");
        Files.writeString(context.resolve(".dockerignore"), "*.log\n");
        Files.writeString(context.resolve("build.log"), "v1");
        ContentTag.Inputs inputs = new ContentTag.Inputs(".", "app.Dockerfile", Map.of(), Optional.empty(), List.of(),
                List.of("docker.io/library/node@sha256:" + "1".repeat(64)));
        String tag = ContentTag.of(context, inputs);
        Files.writeString(context.resolve("build.log"), "v2");
        assertThat(ContentTag.of(context, inputs)).as("the context's .dockerignore leaves it out").isEqualTo(tag);
        // The Dockerfile's own ignore file takes the place of the context's: the log is in now.
        Files.writeString(context.resolve("app.Dockerfile.dockerignore"), "*.md\n");
        String own = ContentTag.of(context, inputs);
        assertThat(own).isNotEqualTo(tag);
        Files.writeString(context.resolve("build.log"), "v3");
        assertThat(ContentTag.of(context, inputs)).isNotEqualTo(own);
        // Another digest of the base image is another build; none at all (FROM scratch, --offline) is another tag.
        String v3 = ContentTag.of(context, inputs);
        assertThat(ContentTag.of(context, new ContentTag.Inputs(".", "app.Dockerfile", Map.of(), Optional.empty(),
                List.of(), List.of("docker.io/library/node@sha256:" + "2".repeat(64))))).isNotEqualTo(v3);
        assertThat(ContentTag.of(context, ".", "app.Dockerfile", Map.of())).isNotEqualTo(v3);
    }

    /**
     * buildx and kaniko take no ignore file on their command line: they get a copy of exactly the hashed files, with
     * their modes, never Berth's folder or git's, and the Dockerfile beside it with an empty ignore file of its own.
     */
    @Test
    void buildersWithoutAnIgnoreFileGetACopyOfExactlyTheHashedFiles() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.writeString(context.resolve(".dockerignore"), "*.md\n!.berth\n");
        Files.writeString(context.resolve("notes.md"), "left out");
        Files.createDirectories(context.resolve(".berth/state"));
        Files.writeString(context.resolve(".berth/state/shop-main.json"), "{}");
        Files.createDirectories(context.resolve(".git"));
        Files.writeString(context.resolve(".git/HEAD"), "ref");
        Files.createDirectories(context.resolve("bin"));
        Path tool = Files.writeString(context.resolve("bin/run"), "#!/bin/sh\n");
        Files.setAttribute(tool, "unix:mode", 04750);
        Files.setAttribute(context.resolve("bin"), "unix:mode", 0550);
        Files.createDirectories(context.resolve("lib"));
        Files.writeString(context.resolve("lib/a.txt"), "a");
        Files.createSymbolicLink(context.resolve("linked.txt"), Path.of("lib/a.txt"));
        Path staged;
        try (StagedContext stage = StagedContext.of(context, ".", "Dockerfile")) {
            staged = stage.context();
            List<String> files;
            try (var walk = Files.walk(staged)) {
                files = walk.filter(Files::isRegularFile).map(p -> staged.relativize(p).toString()).sorted().toList();
            }
            assertThat(files).containsExactlyElementsOf(
                    io.jenkins.plugins.berth.model.BuildContext.files(io.jenkins.plugins.berth.model.RepositoryFiles.of(
                            context), ".", "Dockerfile").keySet());
            assertThat(files).containsExactly(".dockerignore", "Dockerfile", "bin/run", "lib/a.txt", "linked.txt");
            assertThat(ContentTag.mode(staged.resolve("bin/run"))).isEqualTo(04750);
            assertThat(ContentTag.mode(staged.resolve("bin"))).isEqualTo(0550);
            assertThat(Files.readString(staged.resolve("linked.txt"))).isEqualTo("a");
            // The staged copy hashes as the repository does.
            assertThat(ContentTag.of(staged, ".", "Dockerfile", Map.of()))
                    .isEqualTo(ContentTag.of(context, ".", "Dockerfile", Map.of()));
            assertThat(stage.dockerfile()).hasFileName("Dockerfile").hasContent("FROM scratch\nCOPY . /");
            assertThat(stage.dockerfile().resolveSibling("Dockerfile.dockerignore")).exists();
            assertThat(stage.dockerfile().getParent()).isNotEqualTo(staged);
            assertThat(stage.droppedByItsOwnIgnoreFile()).isEmpty();
        }
        assertThat(staged).doesNotExist();

        // kaniko applies the context's .dockerignore again: what the Dockerfile's own ignore file let in would go.
        Files.writeString(context.resolve("Dockerfile.dockerignore"), "bin\n");
        try (StagedContext stage = StagedContext.of(context, ".", "Dockerfile")) {
            assertThat(stage.droppedByItsOwnIgnoreFile()).containsExactly("notes.md");
        }
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

    /** buildah and buildx build from the digests the content tag holds; kaniko cannot be told, it pulls the tag. */
    @Test
    void buildahAndBuildxAreToldToBuildFromThePinnedBaseImages() {
        String digest = "sha256:" + "c".repeat(64);
        List<BaseImages.Pinned> bases = List.of(
                new BaseImages.Pinned(null, "node:20", BaseImages.Name.parse("node:20"), "docker.io/library/node@" + digest),
                new BaseImages.Pinned(null, "docker.io/library/alpine:latest",
                        BaseImages.Name.parse("docker.io/library/alpine:latest"), "docker.io/library/alpine@" + digest),
                new BaseImages.Pinned(null, "ghcr.io/a/b@" + digest, BaseImages.Name.parse("ghcr.io/a/b@" + digest),
                        "ghcr.io/a/b@" + digest));
        BuildCommands.Build build = new BuildCommands.Build(Path.of("/stage/context"), Path.of("/stage/Dockerfile"),
                Map.of(), Map.of(), ImageReference.parse("127.0.0.1:5000/shop/web:content-1"), false, Optional.empty(),
                Optional.empty(), List.of(), bases);
        assertThat(BuildCommands.of(ImageBuilder.BUILDAH, build, Map.of()).get(0).arguments()).containsSubsequence(
                "--build-context", "node:20=docker-image://docker.io/library/node@" + digest,
                "--build-context", "docker.io/library/alpine:latest=docker-image://docker.io/library/alpine@" + digest)
                .doesNotContain("ghcr.io/a/b@" + digest + "=docker-image://ghcr.io/a/b@" + digest);
        assertThat(BuildCommands.of(ImageBuilder.BUILDX, build, Map.of()).get(0).arguments()).containsSubsequence(
                "--build-context", "node:20=docker-image://docker.io/library/node@" + digest,
                "--build-context", "alpine=docker-image://docker.io/library/alpine@" + digest,
                "--push", "/stage/context");
        assertThat(BuildCommands.of(ImageBuilder.KANIKO, build, Map.of()).get(0).arguments())
                .doesNotContain("--build-context").containsSubsequence("--context", "dir:///stage/context",
                        "--dockerfile", "/stage/Dockerfile");
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
