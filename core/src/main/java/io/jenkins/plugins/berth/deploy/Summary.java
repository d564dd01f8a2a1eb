package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.environments.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The table printed at the end of a run: every step, how it ended and how long it took. */
public final class Summary {

    private Summary() {}

    public static List<String> lines(RunResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("Summary for environment " + result.environment() + ":");
        int phaseWidth = width(result.steps().stream().map(StepResult::phase).toList(), 5);
        int nameWidth = width(result.steps().stream().map(s -> s.kind() + " " + s.name()).toList(), 4);
        int statusWidth = width(result.steps().stream().map(s -> s.status().keyword()).toList(), 6);
        for (StepResult step : result.steps()) {
            StringBuilder line = new StringBuilder("  ")
                    .append(pad(step.phase(), phaseWidth)).append("  ")
                    .append(pad(step.kind() + " " + step.name(), nameWidth)).append("  ")
                    .append(pad(step.status().keyword(), statusWidth)).append("  ")
                    .append(step.startedAt().isPresent() ? duration(step.durationMillis()) : "-");
            step.error().ifPresent(e -> line.append("  ").append(e.lines().findFirst().orElse("")));
            lines.add(line.toString().stripTrailing());
        }
        if (result.steps().isEmpty()) {
            lines.add("  (nothing to run)");
        }
        lines.add("Result: " + (result.succeeded() ? "succeeded"
                : "failed at " + result.firstAbortingFailure().map(s -> s.kind() + " '" + s.name() + "'").orElse("?")));
        result.url().ifPresent(url -> lines.add("URL: " + url));
        return lines;
    }

    /** {@code 0.42s}, {@code 12.3s}, {@code 2m05s}. */
    public static String duration(long millis) {
        if (millis < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.2fs", millis / 1000.0);
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        Duration d = Duration.ofMillis(millis);
        return String.format(java.util.Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static int width(List<String> values, int minimum) {
        return Math.max(minimum, values.stream().mapToInt(String::length).max().orElse(0));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
