package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.model.EnvironmentNames;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

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
        // Release stages are protected: never reaped, only torn down on purpose.
        return state.update(name, stored -> stored.orElseGet(() -> EnvironmentRecord.create(name, project, stage,
                EnvironmentKind.RELEASE_STAGE, true, now).withStatus(EnvironmentStatus.READY, now))
                .withImages(images, now));
    }
}
