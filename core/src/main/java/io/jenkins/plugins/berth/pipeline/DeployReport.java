package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one environment's deploy shows where its users look (the build page, the branch job, a check on the
 * commit): how it stands, its URL, each phase's steps and the step that failed. Built from the controller's
 * record only, never from what a workspace says.
 */
public record DeployReport(String environment, Outcome outcome, Optional<String> url, String title, String summary) {

    /** Where a deploy stands, as a check shows it. */
    public enum Outcome {
        IN_PROGRESS, SUCCEEDED, FAILED, TORN_DOWN
    }

    /** The check's name for {@code environment}: one per environment, so later deploys update it. */
    public static String checkName(String environment) {
        return "berth/" + environment;
    }

    /** A deploy of {@code environment} that has begun. */
    public static DeployReport started(String environment) {
        return new DeployReport(environment, Outcome.IN_PROGRESS, Optional.empty(), "Deploying " + environment,
                "Berth is deploying " + environment + ".");
    }

    /**
     * Where the environment stands when a build's work on it ended: its record's word, unless the build failed
     * where the record does not show it (aborted, or failed before the runner wrote the record); empty when
     * the build succeeded and no record exists (nothing was deployed).
     *
     * @param failure how the build's work failed, when it did
     */
    public static Optional<DeployReport> ended(String environment, Optional<EnvironmentRecord> record,
            Optional<String> failure) {
        if (failure.isEmpty()) {
            return record.map(DeployReport::of);
        }
        Optional<DeployReport> recorded = record.map(DeployReport::of);
        if (recorded.isPresent() && recorded.get().outcome() == Outcome.FAILED) {
            return recorded;
        }
        String why = failure.get() == null || failure.get().isBlank() ? "the build failed" : failure.get();
        return Optional.of(new DeployReport(environment, Outcome.FAILED, Optional.empty(),
                environment + ": the build failed", "**Build failed:** " + io.jenkins.plugins.berth.model.OneLine.of(why)
                        + recorded.map(r -> "\n\n" + r.summary()).orElse("")));
    }

    /** Where the environment stands after a deploy, redeploy or teardown, from its record. */
    public static DeployReport of(EnvironmentRecord record) {
        Outcome outcome = outcome(record.status());
        Optional<StepResult> failed = record.lastRun().stream().flatMap(run -> run.steps().stream())
                .filter(step -> step.status().stoppedTheRun()).findFirst();
        String title = switch (outcome) {
            case SUCCEEDED -> record.name() + " is ready" + record.url().map(url -> " at " + url).orElse("");
            case FAILED -> record.name() + " " + record.status().keyword()
                    + failed.map(step -> " at " + step.phase() + ":" + step.name()).orElse("");
            case TORN_DOWN -> record.name() + " was torn down";
            case IN_PROGRESS -> record.name() + " is " + record.status().keyword();
        };
        List<String> lines = new ArrayList<>();
        lines.add("**Environment:** " + record.name() + " (project " + record.project() + ", branch " + record.branch()
                + ")");
        lines.add("**Status:** " + record.status().keyword());
        record.url().ifPresent(url -> lines.add("**URL:** " + url));
        failed.ifPresent(step -> lines.add("**Failed at:** " + step.phase() + ":" + step.name() + " ("
                + step.status().keyword() + step.exitCode().map(code -> ", exit code " + code).orElse("") + ")"));
        record.lastRun().ifPresent(run -> lines.addAll(phases(run)));
        return new DeployReport(record.name(), outcome, record.url(), title, String.join("\n", lines));
    }

    private static Outcome outcome(EnvironmentStatus status) {
        return switch (status) {
            case READY -> Outcome.SUCCEEDED;
            case FAILED, INTERRUPTED -> Outcome.FAILED;
            case GONE -> Outcome.TORN_DOWN;
            case CREATING, DEPLOYING, TEARING_DOWN -> Outcome.IN_PROGRESS;
        };
    }

    /** One line per phase of the run, in the order it ran them: each step and how it ended. */
    private static List<String> phases(RunRecord run) {
        Map<String, List<String>> byPhase = new LinkedHashMap<>();
        for (StepResult step : run.steps()) {
            byPhase.computeIfAbsent(step.phase(), phase -> new ArrayList<>())
                    .add(step.name() + " " + step.status().keyword());
        }
        List<String> lines = new ArrayList<>();
        if (!byPhase.isEmpty()) {
            lines.add("");
            lines.add("| phase | steps |");
            lines.add("| --- | --- |");
            byPhase.forEach((phase, steps) -> lines.add("| " + phase + " | " + String.join(", ", steps) + " |"));
        }
        return lines;
    }
}
