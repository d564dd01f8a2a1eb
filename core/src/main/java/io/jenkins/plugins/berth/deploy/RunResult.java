package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepResult;
import java.util.List;
import java.util.Optional;

/** How a run ended: the environment, each step, the URL when one is known. */
public record RunResult(String environment, EnvironmentStatus status, List<StepResult> steps, Optional<String> url) {

    public RunResult {
        steps = List.copyOf(steps);
    }

    /**
     * True when nothing stopped the run: no failure ({@code on_failure: continue} failures do not count), no
     * timeout, no interruption.
     */
    public boolean succeeded() {
        return status != EnvironmentStatus.INTERRUPTED && steps.stream().noneMatch(s -> s.status().stoppedTheRun());
    }

    /** The step whose end stopped the run (failed, timed out, interrupted), if one did. */
    public Optional<StepResult> firstAbortingFailure() {
        return steps.stream().filter(s -> s.status().stoppedTheRun()).findFirst();
    }
}
