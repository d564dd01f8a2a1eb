package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PinDuringDeployTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static Optional<EnvironmentRecord> controller(boolean pinned) {
        return Optional.of(EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, pinned, NOW));
    }

    @Test
    void aPinOrUnpinFromThePageWhileTheDeployRanIsKept() {
        assertThat(PinDuringDeploy.changedMeanwhile(false, controller(true))).contains(true);
        assertThat(PinDuringDeploy.changedMeanwhile(true, controller(false))).contains(false);
    }

    @Test
    void anUnchangedPinLeavesTheDeploysRecordAlone() {
        assertThat(PinDuringDeploy.changedMeanwhile(true, controller(true))).isEmpty();
        assertThat(PinDuringDeploy.changedMeanwhile(false, controller(false))).isEmpty();
        // A first deploy: nothing on the controller yet.
        assertThat(PinDuringDeploy.changedMeanwhile(false, Optional.empty())).isEmpty();
    }
}
