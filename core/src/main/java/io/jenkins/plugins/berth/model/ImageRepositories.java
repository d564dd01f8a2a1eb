package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each image lives in its registry: {@code <registry path>/<repository>}, the repository an image's
 * {@code repository:} template gives ({@code ${PROJECT}/${BERTH_ENVIRONMENT}/${IMAGE}}: one repository per project,
 * environment and image), by default the image's name, as it always was ({@code 127.0.0.1:5000/shop} and image
 * {@code web}: {@code shop/web}). The images phase pushes there, the plan shows it, the environment's record keeps
 * it in each image's pinned reference (so teardown deletes from there), promotion retags there.
 */
public final class ImageRepositories {

    /** The variables a {@code repository:} template can use. */
    public static final List<String> VARIABLES = List.of("PROJECT", BuiltinVariables.PROJECT,
            BuiltinVariables.ENVIRONMENT, "IMAGE");

    /** The template every image has when it names none. */
    public static final String DEFAULT = "${IMAGE}";

    /** A repository path: lowercase components separated by '/', as the OCI distribution spec has it. */
    private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    /** As the distribution registry limits a repository name, its path in the registry included. */
    static final int MAX_LENGTH = 255;

    private ImageRepositories() {}

    /** The repository of {@code image} for {@code environment} of {@code project}: {@code shop/shop-main/web}. */
    public static String of(Registry registry, ImageSpec image, String project, String environment) {
        String rendered = image.repository().map(t -> t.resolve(values(image, project, environment)))
                .orElse(image.name());
        return registry.prefix().isEmpty() ? rendered : registry.prefix() + "/" + rendered;
    }

    /** Whether {@code image}'s repository differs from one environment to another. */
    public static boolean perEnvironment(ImageSpec image) {
        return image.repository().map(t -> t.references().stream()
                .anyMatch(r -> r.name().equals(BuiltinVariables.ENVIRONMENT))).orElse(false);
    }

    /** Why {@code repository} (a rendered {@link #of}) is no repository name, if it is not. */
    static Optional<String> problem(String repository) {
        if (!PATH.matcher(repository).matches()) {
            return Optional.of("'" + repository + "' is not a repository name: lowercase letters and digits, parts"
                    + " separated by '/', words by '.', '_', '__' or '-'");
        }
        if (repository.length() > MAX_LENGTH) {
            return Optional.of("'" + repository + "' is longer than " + MAX_LENGTH + " characters, which registries"
                    + " refuse");
        }
        return Optional.empty();
    }

    private static java.util.function.Function<String, Optional<String>> values(ImageSpec image, String project,
            String environment) {
        Map<String, String> values = Map.of("PROJECT", project, BuiltinVariables.PROJECT, project,
                BuiltinVariables.ENVIRONMENT, environment, "IMAGE", image.name());
        return name -> Optional.ofNullable(values.get(name));
    }
}
