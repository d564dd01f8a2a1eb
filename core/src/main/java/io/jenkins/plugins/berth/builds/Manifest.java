package io.jenkins.plugins.berth.builds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.berth.environments.BuildRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code manifest} post-processor wrote ({@code packer-manifest.json} in the folder Packer ran in,
 * unless its {@code output} says otherwise): for the builds of the last run ({@code last_run_uuid}), the artifact
 * id goes with the artifact of the same source, and its files fill in an artifact that listed none.
 */
final class Manifest {

    static final String DEFAULT_FILE = "packer-manifest.json";

    private Manifest() {}

    static List<BuildRecord.BuildArtifact> apply(Path folder, List<BuildRecord.BuildArtifact> artifacts)
            throws IOException {
        Path file = folder.resolve(DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            return artifacts;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return artifacts; // not ours to judge: Packer wrote it, and the machine-readable lines still count
        }
        String run = root.path("last_run_uuid").asText("");
        List<BuildRecord.BuildArtifact> result = new ArrayList<>(artifacts);
        for (JsonNode build : root.path("builds")) {
            if (!run.isEmpty() && !run.equals(build.path("packer_run_uuid").asText())) {
                continue;
            }
            String source = build.path("builder_type").asText() + "." + build.path("name").asText();
            List<String> files = new ArrayList<>();
            build.path("files").forEach(f -> files.add(folder.resolve(f.path("name").asText()).normalize().toString()));
            for (int i = 0; i < result.size(); i++) {
                BuildRecord.BuildArtifact a = result.get(i);
                if (a.source().equals(source) && a.index() == 0) {
                    result.set(i, new BuildRecord.BuildArtifact(a.source(), a.index(), a.builderId(), a.id(),
                            a.string(), a.files().isEmpty() ? files : a.files(),
                            Optional.of(build.path("artifact_id").asText())));
                }
            }
        }
        return result;
    }
}
