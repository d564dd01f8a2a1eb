package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import java.util.List;
import java.util.Optional;

/** How a run ended: the environment, each step, the URL when one is known. */
public record RunResult(String environment, EnvironmentStatus status, List<StepResult> steps, Optional<String> url) {

    public RunResult {
        steps = List.copyOf(steps);
    }

    /** True when no failure stopped the run ({@code on_failure: continue} failures do not count). */
    public boolean succeeded() {
        return steps.stream().noneMatch(s -> s.status() == StepStatus.FAILED);
    }

    /** The step whose failure stopped the run, if one did. */
    public Optional<StepResult> firstAbortingFailure() {
        return steps.stream().filter(s -> s.status() == StepStatus.FAILED).findFirst();
    }
}
