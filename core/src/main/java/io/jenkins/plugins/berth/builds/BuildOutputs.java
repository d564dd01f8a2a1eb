package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.environments.BuildRecord;
import io.jenkins.plugins.berth.model.Build;
import io.jenkins.plugins.berth.model.DeployFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables a build publishes: each {@code outputs} entry read from the first artifact of its source (the
 * builder's, or what the post-processors made of it). {@code files.<N>} is the N-th file, an absolute path.
 */
public final class BuildOutputs {

    private BuildOutputs() {}

    /** The value of {@code output} among {@code artifacts}, or why there is none. */
    static Value value(Build.Output output, List<BuildRecord.BuildArtifact> artifacts) {
        Optional<BuildRecord.BuildArtifact> first = artifacts.stream()
                .filter(a -> a.source().equals(output.source())).findFirst();
        if (first.isEmpty()) {
            return new Missing("the build made no artifact of " + output.source() + (artifacts.isEmpty() ? ""
                    : " (it made artifacts of " + String.join(", ", artifacts.stream().map(
                            BuildRecord.BuildArtifact::source).distinct().toList()) + ")"));
        }
        BuildRecord.BuildArtifact artifact = first.get();
        String field = output.field();
        if (field.startsWith("files.")) {
            int n = Integer.parseInt(field.substring("files.".length()));
            return n < artifact.files().size() ? new Found(artifact.files().get(n))
                    : new Missing("the artifact of " + output.source() + " has " + artifact.files().size()
                            + " file(s), so no " + field);
        }
        return new Found(switch (field) {
            case "id" -> artifact.id();
            case "string" -> artifact.string();
            case "builder_id" -> artifact.builderId();
            default -> throw new IllegalStateException("the reader let field " + field + " through");
        });
    }

    /** An output's value, or the reason it has none. */
    sealed interface Value permits Found, Missing {}

    record Found(String value) implements Value {}

    record Missing(String why) implements Value {}

    /** The variables a recorded build gives: those of its entry's outputs its artifacts have. */
    public static Map<String, String> of(DeployFile file, BuildRecord record) {
        Map<String, String> values = new LinkedHashMap<>();
        String entry = BuildsPhase.entryOf(record.name());
        for (Build build : file.builds()) {
            if (!build.name().equals(entry)) {
                continue;
            }
            for (Build.Output output : build.outputs()) {
                if (value(output, record.artifacts()) instanceof Found found) {
                    values.put(output.variable(), found.value());
                }
            }
        }
        return values;
    }
}
