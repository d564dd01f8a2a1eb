package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of {@code images}: one container image built once per content. The commit tag is always
 * added to {@code tags}. {@code repository}: the template of its repository under the registry's path
 * ({@link ImageRepositories}); empty for the image's name.
 */
public record ImageSpec(String name, Position position, FileRef dockerfile, FileRef context,
        Map<String, Template> args, List<Tag> tags, Optional<Setting> target, List<Setting> platforms,
        Optional<Template> repository) {

    /** An extra tag and where it is written. */
    public record Tag(String value, Position position) {}

    /** A value passed to the builder as written ({@code target}, a platform) and where it is written. */
    public record Setting(String value, Position position) {}

    public ImageSpec {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        tags = List.copyOf(tags);
        platforms = List.copyOf(platforms);
    }

    /** An image in the repository named after it. */
    public ImageSpec(String name, Position position, FileRef dockerfile, FileRef context, Map<String, Template> args,
            List<Tag> tags, Optional<Setting> target, List<Setting> platforms) {
        this(name, position, dockerfile, context, args, tags, target, platforms, Optional.empty());
    }
}
