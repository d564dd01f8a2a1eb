package io.jenkins.plugins.berth.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of {@code builds}: a Packer template folder built between the images and the infrastructure.
 * {@code only} limits it to some of the template's sources (each built as a step of its own); {@code outputs}
 * publish fields of its artifacts as variables for later stacks and stages.
 */
public record Build(String name, Position position, FileRef dir, List<SourceRef> only, Map<String, Template> vars,
        Optional<String> agent, Optional<Duration> timeout, List<Output> outputs) {

    /** How long a build may run when it gives no {@code timeout}: machine images take long, not forever. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);

    /** A source of the template, {@code type.name} ({@code file.artifact}), as written at its position. */
    public record SourceRef(String source, Position position) {}

    /**
     * {@code VARIABLE: <builder type>.<source name>.<field>}: {@code field} is {@code id}, {@code string},
     * {@code builder_id} or {@code files.<N>}.
     */
    public record Output(String variable, String source, String field, Position position) {
        /** {@code file.artifact.files.0}: how the deploy file names it. */
        public String artifact() {
            return source + "." + field;
        }
    }

    public Build {
        only = List.copyOf(only);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        outputs = List.copyOf(outputs);
    }

    /** Its {@code timeout}, else {@link #DEFAULT_TIMEOUT}. */
    public Duration timeoutOrDefault() {
        return timeout.orElse(DEFAULT_TIMEOUT);
    }

    /** One task of an entry: the whole build, or one of the sources its {@code only} lists. */
    public record Part(Build build, String name, List<String> only) {}

    /** The tasks of this entry: one, or one per source when {@code only} lists several ({@code app/file.a}). */
    public List<Part> parts() {
        List<String> sources = only.stream().map(SourceRef::source).toList();
        if (sources.size() <= 1) {
            return List.of(new Part(this, name, sources));
        }
        return sources.stream().map(s -> new Part(this, name + "/" + s, List.of(s))).toList();
    }
}
