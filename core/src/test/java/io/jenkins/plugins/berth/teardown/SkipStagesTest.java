package io.jenkins.plugins.berth.teardown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SkipStagesTest {

    @Test
    void aSkipNeedsOneLineOfReason() {
        assertThat(SkipStages.of(true, Optional.of("  API gone  "))).hasValue(new SkipStages("API gone"));
        assertThat(SkipStages.of(false, Optional.empty())).isEmpty();
        assertThat(SkipStages.of(false, Optional.of(" "))).isEmpty();
        assertThatThrownBy(() -> SkipStages.of(true, Optional.empty())).hasMessage(
                "skipping the teardown stages needs a reason (--reason TEXT): the environment's record keeps it");
        assertThatThrownBy(() -> new SkipStages(" \t")).hasMessageStartingWith("skipping the teardown stages needs");
        assertThatThrownBy(() -> new SkipStages("one\ntwo")).hasMessage("the reason for skipping the teardown stages"
                + " must be one line of text, without control characters");
        assertThatThrownBy(() -> new SkipStages("x".repeat(301))).hasMessage("the reason for skipping the teardown"
                + " stages is longer than 300 characters");
        assertThatThrownBy(() -> SkipStages.of(false, Optional.of("why"))).hasMessage(
                "a reason goes with skipping the teardown stages (--skip-stages)");
    }
}
