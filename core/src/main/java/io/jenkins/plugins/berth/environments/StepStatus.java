package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How a stage, stack or image of a run ended. */
public enum StepStatus {
    SUCCEEDED,
    /** Failed and stopped the run (on_failure: abort). */
    FAILED,
    /** Failed, and the run went on (on_failure: continue). */
    FAILED_CONTINUED,
    /** Not run, because an earlier step stopped the run. */
    SKIPPED,
    /** Ran past its {@code timeout:} and was stopped; it stopped the run (with on_failure: continue it is FAILED_CONTINUED). */
    TIMED_OUT,
    /** Was running when the run was stopped (Ctrl-C, SIGTERM), or, as a run's result: the run was stopped. */
    INTERRUPTED;

    @JsonValue
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static StepStatus of(String keyword) {
        return Arrays.stream(values()).filter(s -> s.keyword().equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown step status '" + keyword + "'"));
    }

    public boolean failed() {
        return this == FAILED || this == FAILED_CONTINUED || this == TIMED_OUT || this == INTERRUPTED;
    }

    /** Whether this step's end stopped the run: later steps are skipped, {@code always} ones excepted. */
    public boolean stoppedTheRun() {
        return this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
    }
}
