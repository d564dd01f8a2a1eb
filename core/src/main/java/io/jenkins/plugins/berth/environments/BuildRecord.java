package io.jenkins.plugins.berth.environments;

import java.util.List;
import java.util.Optional;

/**
 * A Packer build an environment used: the version of its configuration ({@code builds.BuildVersion}), what it
 * made, and the work folder (relative to the state folder) that holds the template copy it ran from and the
 * files it wrote. A later deploy of the same version, in this environment or another of the project, reuses
 * the artifacts instead of building again; {@code reused} says this one did.
 *
 * @param name the build's step name: the build entry's name, or {@code name:type.source} for one source of it
 * @param status {@code succeeded} once the artifacts are known; {@code failed}, {@code interrupted} or
 *     {@code timed-out} otherwise (a run's step says more)
 */
public record BuildRecord(String name, String version, String status, List<BuildArtifact> artifacts,
        String workDir, boolean reused) {

    public static final String SUCCEEDED = "succeeded";
    /** Recorded when the build starts: its step's end replaces it. */
    public static final String RUNNING = "running";
    /** The kind of a build's task and step. */
    public static final String KIND = "build";

    public BuildRecord {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public BuildRecord withStatus(String newStatus) {
        return new BuildRecord(name, version, newStatus, artifacts, workDir, reused);
    }

    /** Whether this build produced artifacts a later deploy of the same version may reuse. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** Every file path its artifacts name. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<String> files() {
        return artifacts.stream().flatMap(a -> a.files().stream()).toList();
    }

    /**
     * One artifact of one source, as Packer's machine-readable {@code artifact} lines (and the manifest
     * post-processor, when the template has one) describe it. Paths in {@code files} are absolute.
     *
     * @param source {@code type.name} ({@code file.artifact})
     * @param index its place among the source's artifacts (post-processors add some)
     */
    public record BuildArtifact(String source, int index, String builderId, String id, String string,
            List<String> files, Optional<String> manifestId) {
        public BuildArtifact {
            files = files == null ? List.of() : List.copyOf(files);
            manifestId = manifestId == null ? Optional.empty() : manifestId;
        }
    }
}
