package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeployQueueTest {

    private final DeployQueue<String> queue = new DeployQueue<>();

    @Test
    void deploysOfOneEnvironmentTakeTurnsInOrder() {
        assertThat(queue.enter("shop-main", "build 1")).isTrue();
        assertThat(queue.enter("shop-main", "build 2")).isFalse();
        assertThat(queue.enter("shop-main", "build 3")).isFalse();
        assertThat(queue.line("shop-main")).containsExactly("build 1", "build 2", "build 3");

        assertThat(queue.leave("shop-main", "build 1")).contains("build 2");
        assertThat(queue.enter("shop-main", "build 2")).as("entering again keeps the place").isTrue();
        assertThat(queue.leave("shop-main", "build 2")).contains("build 3");
        assertThat(queue.leave("shop-main", "build 3")).isEmpty();
        assertThat(queue.line("shop-main")).isEmpty();
    }

    @Test
    void otherEnvironmentsDoNotWait() {
        assertThat(queue.enter("shop-main", "build 1")).isTrue();
        assertThat(queue.enter("shop-pr-7", "build 2")).isTrue();
    }

    @Test
    void aWaiterGivingUpHandsNothingOn() {
        queue.enter("shop-main", "build 1");
        queue.enter("shop-main", "build 2");
        queue.enter("shop-main", "build 3");
        assertThat(queue.leave("shop-main", "build 2")).isEmpty();
        assertThat(queue.leave("shop-main", "build 1")).contains("build 3");
        assertThat(queue.leave("shop-main", "unknown")).isEmpty();
    }

    @Test
    void aDeployThatHeldTheEnvironmentBeforeARestartHoldsItAgainAheadOfOnesThatResumedFirst() {
        DeployQueue<String> queue = new DeployQueue<>();
        // After a restart the waiting deploy may resume first and find the line empty.
        assertThat(queue.enter("shop-main", "waiter")).isTrue();
        queue.enterFirst("shop-main", "holder");
        assertThat(queue.line("shop-main")).containsExactly("holder", "waiter");
        assertThat(queue.leave("shop-main", "holder")).contains("waiter");
    }
}
