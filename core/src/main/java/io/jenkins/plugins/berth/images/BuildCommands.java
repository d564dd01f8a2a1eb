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
     * ({@code target:}); {@code platforms}, several only for buildx (validation refuses more for the others);
     * {@code bases}, the base images pinned to the digests the content tag holds: buildah and buildx are told to
     * build from exactly those ({@code --build-context NAME=docker-image://REPOSITORY@DIGEST}, which replaces what the
     * Dockerfile names so), so a tag that moves after Berth asked for it cannot slip another base into the image.
     * kaniko has no such option: it pulls the tag.
     */
    record Build(Path context, Path dockerfile, Map<String, String> args, Map<String, String> labels,
            ImageReference target, boolean plainHttp, java.util.Optional<Path> ignoreFile,
            java.util.Optional<String> stage, List<String> platforms, List<BaseImages.Pinned> bases) {

        Build(Path context, Path dockerfile, Map<String, String> args, Map<String, String> labels,
                ImageReference target, boolean plainHttp) {
            this(context, dockerfile, args, labels, target, plainHttp, java.util.Optional.empty(),
                    java.util.Optional.empty(), List.of());
        }

        Build(Path context, Path dockerfile, Map<String, String> args, Map<String, String> labels,
                ImageReference target, boolean plainHttp, java.util.Optional<Path> ignoreFile,
                java.util.Optional<String> stage, List<String> platforms) {
            this(context, dockerfile, args, labels, target, plainHttp, ignoreFile, stage, platforms, List.of());
        }

        Build {
            platforms = List.copyOf(platforms);
            bases = List.copyOf(bases);
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
        // BuildKit keys a named context by the image's familiar name (node:20, not docker.io/library/node:20).
        addBases(arguments, build, pinned -> pinned.name().familiar());
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
        // buildah keys it by the name as the Dockerfile writes it (its ARGs expanded).
        addBases(bud, build, BaseImages.Pinned::key);
        build.ignoreFile().ifPresent(file -> bud.addAll(List.of("--ignorefile", file.toString())));
        bud.addAll(List.of("--tag", build.target().toString(), build.context().toString()));
        List<String> push = new ArrayList<>(List.of("buildah", "push"));
        if (build.plainHttp()) {
            push.add("--tls-verify=false");
        }
        push.addAll(List.of(build.target().toString(), "docker://" + build.target()));
        return List.of(new Command(bud, "", environment), new Command(push, "", environment));
    }

    /**
     * {@code commands} with the push given {@code login}: buildah's push reads it as {@code --authfile}; docker and
     * kaniko read {@code DOCKER_CONFIG} (a folder holding only this login, so for that build they see no other:
     * base images from another private registry need the registry's own login there). Only the path is on the
     * command line, never the token.
     */
    static List<Command> withLogin(ImageBuilder builder, List<Command> commands, BuilderLogin login) {
        List<Command> logged = new ArrayList<>();
        for (Command command : commands) {
            List<String> arguments = command.arguments();
            Map<String, String> environment = command.environment();
            if (builder == ImageBuilder.BUILDAH) {
                if (arguments.size() > 1 && arguments.get(1).equals("push")) {
                    arguments = new ArrayList<>(arguments);
                    arguments.addAll(2, List.of("--authfile", login.authFile().toString()));
                }
            } else {
                environment = new java.util.LinkedHashMap<>(environment);
                environment.put("DOCKER_CONFIG", login.folder().toString());
            }
            logged.add(new Command(arguments, command.directory(), environment, command.stateCredentials(),
                    command.stopSignal()));
        }
        return logged;
    }

    /** {@code --target} and the platforms, as {@code option} takes them (comma-separated). */
    private static void addStageAndPlatforms(List<String> arguments, Build build, String platformOption) {
        build.stage().ifPresent(stage -> arguments.addAll(List.of("--target", stage)));
        if (!build.platforms().isEmpty()) {
            arguments.addAll(List.of(platformOption, String.join(",", build.platforms())));
        }
    }

    private static void addBases(List<String> arguments, Build build,
            java.util.function.Function<BaseImages.Pinned, String> key) {
        for (BaseImages.Pinned base : build.bases()) {
            if (base.name().digest().isEmpty()) {
                arguments.addAll(List.of("--build-context", key.apply(base) + "=docker-image://" + base.pinned()));
            }
        }
    }

    private static void addArgsAndLabels(List<String> arguments, Build build) {
        build.args().forEach((name, value) -> arguments.addAll(List.of("--build-arg", name + "=" + value)));
        build.labels().forEach((name, value) -> arguments.addAll(List.of("--label", name + "=" + value)));
    }
}
