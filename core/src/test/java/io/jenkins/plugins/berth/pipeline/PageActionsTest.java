package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.pipeline.PageActions.Action;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageActionsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static EnvironmentRecord ready(String branch, boolean pinned) {
        return EnvironmentRecord.create("shop-" + branch, "shop", branch, EnvironmentKind.BRANCH, pinned, NOW)
                .withDeploy(Optional.of("abc"), Optional.empty(), NOW).withStatus(EnvironmentStatus.READY, NOW);
    }

    @Test
    void aLiveUnpinnedEnvironmentCanBeTornDownRedeployedAndPinned() {
        EnvironmentRecord main = ready("main", false);
        assertThat(PageActions.refusal(Action.TEAR_DOWN, main, Set.of("main"))).isEmpty();
        assertThat(PageActions.refusal(Action.REDEPLOY, main, Set.of("main"))).isEmpty();
        assertThat(PageActions.refusal(Action.PIN, main, Set.of("main"))).isEmpty();
        assertThat(PageActions.refusal(Action.UNPIN, main, Set.of("main"))).contains("shop-main is not pinned");
    }

    @Test
    void aPinnedEnvironmentMustBeUnpinnedBeforeATeardown() {
        EnvironmentRecord demo = ready("demo", true);
        assertThat(PageActions.refusal(Action.TEAR_DOWN, demo, Set.of("demo")))
                .contains("shop-demo is pinned: unpin it first, then tear it down");
        assertThat(PageActions.refusal(Action.PIN, demo, Set.of("demo"))).contains("shop-demo is already pinned");
        assertThat(PageActions.refusal(Action.UNPIN, demo, Set.of("demo"))).isEmpty();
    }

    @Test
    void aGoneEnvironmentIsNotTornDownTwiceAndAGoneBranchCannotBeRedeployed() {
        EnvironmentRecord gone = ready("feature/x", false).withStatus(EnvironmentStatus.GONE, NOW);
        assertThat(PageActions.refusal(Action.TEAR_DOWN, gone, Set.of("main")))
                .contains("shop-feature/x is already torn down");
        assertThat(PageActions.refusal(Action.REDEPLOY, gone, Set.of("main"))).contains("branch feature/x has no job"
                + " in this folder any more, so there is nothing to redeploy shop-feature/x from");
    }

    @Test
    void aReleaseStageIsNotRedeployedFromItsBranchJob() {
        EnvironmentRecord prod = EnvironmentRecord.create("shop-prod", "shop", "main", EnvironmentKind.RELEASE_STAGE,
                true, NOW).withStatus(EnvironmentStatus.READY, NOW);
        assertThat(PageActions.refusal(Action.REDEPLOY, prod, Set.of("main")))
                .contains("shop-prod is a release stage: promote to it again from the job that promotes");
    }
}
