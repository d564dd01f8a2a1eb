package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Map;

/**
 * An entry of {@code images}: one container image built once per commit. The commit tag is always
 * added to {@code tags}.
 */
public record ImageSpec(String name, Position position, FileRef dockerfile, FileRef context,
        Map<String, Template> args, List<Tag> tags, java.util.Optional<Setting> target, List<Setting> platforms) {

    /** An extra tag and where it is written. */
    public record Tag(String value, Position position) {}

    /** A value passed to the builder as written ({@code target}, a platform) and where it is written. */
    public record Setting(String value, Position position) {}

    public ImageSpec {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        tags = List.copyOf(tags);
        platforms = List.copyOf(platforms);
    }
}
