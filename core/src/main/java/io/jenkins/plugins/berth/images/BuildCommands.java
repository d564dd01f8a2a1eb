package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.ImageBuilder;
import io.jenkins.plugins.berth.run.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands that build an image and push it under one tag, for each builder. Build arguments and
 * labels are separate arguments of the command (never spliced into a shell line); they hold no secret
 * (validation refuses secrets in build args).
 */
final class BuildCommands {

    /**
     * What to build: context, Dockerfile, args, labels, and the reference to push; {@code ignoreFile}, an ignore
     * file that replaces the context's {@code .dockerignore} (buildah only); {@code stage}, the build stage
     * ({@code target:}); {@code platforms}, several only for buildx (validation refuses more for the others).
     */
    record Build(Path context, Path dockerfile, Map<String, String> args, Map<String, String> labels,
            ImageReference target, boolean plainHttp, java.util.Optional<Path> ignoreFile,
            java.util.Optional<String> stage, List<String> platforms) {

        Build(Path context, Path dockerfile, Map<String, String> args, Map<String, String> labels,
                ImageReference target, boolean plainHttp) {
            this(context, dockerfile, args, labels, target, plainHttp, java.util.Optional.empty(),
                    java.util.Optional.empty(), List.of());
        }

        Build {
            platforms = List.copyOf(platforms);
        }
    }

    private BuildCommands() {}

    static List<Command> of(ImageBuilder builder, Build build, Map<String, String> environment) {
        return switch (builder) {
            case BUILDX -> List.of(buildx(build, environment));
            // The Job's container runs the same command, with the context and Dockerfile where the claim holds them.
            case KANIKO, KANIKO_JOB -> List.of(kaniko(build, environment));
            case BUILDAH -> buildah(build, environment);
        };
    }

    private static Command buildx(Build build, Map<String, String> environment) {
        List<String> arguments = new ArrayList<>(List.of("docker", "buildx", "build", "--file", build.dockerfile().toString()));
        addStageAndPlatforms(arguments, build, "--platform");
        addArgsAndLabels(arguments, build);
        arguments.addAll(List.of("--tag", build.target().toString(), "--push", build.context().toString()));
        return new Command(arguments, "", environment);
    }

    private static Command kaniko(Build build, Map<String, String> environment) {
        List<String> arguments = new ArrayList<>(List.of("/kaniko/executor", "--context", "dir://" + build.context(),
                "--dockerfile", build.dockerfile().toString()));
        addStageAndPlatforms(arguments, build, "--custom-platform");
        addArgsAndLabels(arguments, build);
        arguments.addAll(List.of("--destination", build.target().toString()));
        if (build.plainHttp()) {
            arguments.add("--insecure");
        }
        return new Command(arguments, "", environment);
    }

    private static List<Command> buildah(Build build, Map<String, String> environment) {
        List<String> bud = new ArrayList<>(List.of("buildah", "bud", "--file", build.dockerfile().toString()));
        addStageAndPlatforms(bud, build, "--platform");
        addArgsAndLabels(bud, build);
        build.ignoreFile().ifPresent(file -> bud.addAll(List.of("--ignorefile", file.toString())));
        bud.addAll(List.of("--tag", build.target().toString(), build.context().toString()));
        List<String> push = new ArrayList<>(List.of("buildah", "push"));
        if (build.plainHttp()) {
            push.add("--tls-verify=false");
        }
        push.addAll(List.of(build.target().toString(), "docker://" + build.target()));
        return List.of(new Command(bud, "", environment), new Command(push, "", environment));
    }

    /** {@code --target} and the platforms, as {@code option} takes them (comma-separated). */
    private static void addStageAndPlatforms(List<String> arguments, Build build, String platformOption) {
        build.stage().ifPresent(stage -> arguments.addAll(List.of("--target", stage)));
        if (!build.platforms().isEmpty()) {
            arguments.addAll(List.of(platformOption, String.join(",", build.platforms())));
        }
    }

    private static void addArgsAndLabels(List<String> arguments, Build build) {
        build.args().forEach((name, value) -> arguments.addAll(List.of("--build-arg", name + "=" + value)));
        build.labels().forEach((name, value) -> arguments.addAll(List.of("--label", name + "=" + value)));
    }
}
