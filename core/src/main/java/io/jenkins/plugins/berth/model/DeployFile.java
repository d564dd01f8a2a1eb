package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid v1 deploy file. Only {@link DeployFiles} makes one, after every check has passed, so code
 * that holds a {@code DeployFile} can rely on the contract in docs/deploy-file.md.
 */
public record DeployFile(String file, int version, Optional<String> project, Optional<String> image,
        Optional<String> agent, EnvironmentSpec environment, Map<String, Variable> variables,
        Map<String, Secret> secrets, Optional<Registry> registry, Map<String, ImageSpec> images,
        List<Stage> initStages, List<Stack> infrastructure, List<Stage> stages, List<ReleaseStage> release,
        List<Stage> teardown, TerraformSettings terraform, ImageBuilder builder, List<Build> builds,
        ReleaseBranches releaseBranches, KanikoJobSettings kanikoJob) {

    public static final int VERSION = 1;

    /** A file without a {@code kaniko_job} block. */
    public DeployFile(String file, int version, Optional<String> project, Optional<String> image,
            Optional<String> agent, EnvironmentSpec environment, Map<String, Variable> variables,
            Map<String, Secret> secrets, Optional<Registry> registry, Map<String, ImageSpec> images,
            List<Stage> initStages, List<Stack> infrastructure, List<Stage> stages, List<ReleaseStage> release,
            List<Stage> teardown, TerraformSettings terraform, ImageBuilder builder, List<Build> builds,
            ReleaseBranches releaseBranches) {
        this(file, version, project, image, agent, environment, variables, secrets, registry, images, initStages,
                infrastructure, stages, release, teardown, terraform, builder, builds, releaseBranches,
                KanikoJobSettings.DEFAULT);
    }

    public DeployFile {
        variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
        secrets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secrets));
        images = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
        initStages = List.copyOf(initStages);
        infrastructure = List.copyOf(infrastructure);
        stages = List.copyOf(stages);
        release = List.copyOf(release);
        teardown = List.copyOf(teardown);
        builds = List.copyOf(builds);
    }

    /** This file with build argument values given at run time added to its images' args (the file's own win). */
    public DeployFile withBuildArgs(BuildArgValues given) {
        if (given.isEmpty()) {
            return this;
        }
        Map<String, ImageSpec> merged = new java.util.LinkedHashMap<>();
        images.forEach((name, image) -> {
            Map<String, Template> args = new java.util.LinkedHashMap<>(image.args());
            given.byImage().getOrDefault(name, Map.of()).forEach((arg, value) ->
                    args.putIfAbsent(arg, Template.literal(value, image.position())));
            merged.put(name, new ImageSpec(image.name(), image.position(), image.dockerfile(), image.context(), args,
                    image.tags(), image.target(), image.platforms()));
        });
        return new DeployFile(file, version, project, image, agent, environment, variables, secrets, registry, merged,
                initStages, infrastructure, stages, release, teardown, terraform, builder, builds, releaseBranches);
    }
}
