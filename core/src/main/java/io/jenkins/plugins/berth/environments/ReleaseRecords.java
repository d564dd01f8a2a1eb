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
     * creating the record on the first promotion, {@code ready}: nothing else is deployed for the stage.
     */
    public static EnvironmentRecord recordPromotion(StateStore state, String project, String stage,
            Map<String, String> images, Instant now) throws IOException, StateException {
        return recordPromotion(state, project, stage, images, now, false);
    }

    /**
     * As above. When the stage's deploy follows ({@code deployFollows}) the record says {@code creating} (or
     * {@code deploying}) until that deploy's end says more, so it never calls images ready that are not deployed
     * yet; a deploy that then cannot start is {@link #deployNotStarted}.
     */
    public static EnvironmentRecord recordPromotion(StateStore state, String project, String stage,
            Map<String, String> images, Instant now, boolean deployFollows) throws IOException, StateException {
        String name = EnvironmentNames.releaseEnvironment(project, stage);
        // Release stages are protected: never reaped, only torn down on purpose.
        return state.update(name, stored -> {
            EnvironmentRecord record = stored.orElseGet(() -> EnvironmentRecord.create(name, project, stage,
                    EnvironmentKind.RELEASE_STAGE, true, now).withStatus(deployFollows ? EnvironmentStatus.CREATING
                            : EnvironmentStatus.READY, now));
            if (deployFollows && stored.isPresent()) {
                record = record.withStatus(stored.get().isGone() ? EnvironmentStatus.CREATING
                        : EnvironmentStatus.DEPLOYING, now);
            }
            return record.withImages(images, now);
        });
    }

    /**
     * The stage's deploy after a promotion stopped before it ran (a check, a missing secret, a busy environment):
     * the record, still {@code creating} or {@code deploying} from {@link #recordPromotion}, becomes {@code failed}.
     * A deploy that ran has recorded its own outcome, which stays.
     */
    public static void deployNotStarted(StateStore state, String project, String stage, Instant now)
            throws IOException, StateException {
        String name = EnvironmentNames.releaseEnvironment(project, stage);
        state.update(name, stored -> {
            EnvironmentRecord record = stored.orElseThrow(() -> new IllegalStateException(
                    "no record of " + name + " after its promotion"));
            return record.status() == EnvironmentStatus.CREATING || record.status() == EnvironmentStatus.DEPLOYING
                    ? record.withStatus(EnvironmentStatus.FAILED, now) : record;
        });
    }
}
