package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.plan.EnvironmentNames;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records what a release stage runs: after a promotion, the digest-pinned reference of each image. */
public final class ReleaseRecords {

    private ReleaseRecords() {}

    /**
     * Writes the images a promotion gave the release stage's environment ({@code <project>-<stage>}),
     * creating the record on the first promotion.
     */
    public static EnvironmentRecord recordPromotion(StateStore state, String project, String stage,
            Map<String, String> images, Instant now) throws IOException, StateException {
        String name = EnvironmentNames.releaseEnvironment(project, stage);
        EnvironmentRecord record = state.read(name).orElseGet(() -> new EnvironmentRecord(
                EnvironmentRecord.SCHEMA_VERSION, name, project, stage, Optional.empty(), EnvironmentStatus.READY,
                Optional.empty(), now, now, Optional.empty(), List.of(), Map.of()));
        EnvironmentRecord updated = record.withImages(images, now);
        state.write(updated);
        return updated;
    }
}
