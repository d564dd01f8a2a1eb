package io.jenkins.plugins.berth.model;

import java.util.Optional;

/**
 * A build argument a build needs and nothing gives: the Dockerfile declares it without a default and an
 * instruction the build of the image's target evaluates reads it ({@link DockerfileArgs}), and neither
 * {@code images.<name>.args} nor the values given at run time ({@link BuildArgValues}) has it.
 *
 * @param line the line of the ARG instruction that leaves it without a value
 * @param stage the build stage that declares it, empty for a global ARG (before the first FROM)
 */
public record MissingBuildArg(String image, String name, String dockerfile, int line, Optional<String> stage) {

    /** The name a Jenkins {@code input} parameter asks it by: {@code image.NAME}. */
    public String parameter() {
        return image + "." + name;
    }

    /** Where it is declared: {@code web/Dockerfile:3 (stage build)}. */
    public String declaredAt() {
        return dockerfile + ":" + line + stage.map(s -> " (stage " + s + ")").orElse(" (global)");
    }
}
