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

    /**
     * {@code 0.42s}, {@code 12.3s}, {@code 2m05s}: rounded half up, as {@code %.2f} would, in whole numbers (the first
     * {@code String.format} of a process loads the locale data, some 15 ms of a short command).
     */
    public static String duration(long millis) {
        if (millis < 10_000) {
            return decimal((millis + 5) / 10, 100) + "s";
        }
        if (millis < 60_000) {
            return decimal((millis + 50) / 100, 10) + "s";
        }
        Duration d = Duration.ofMillis(millis);
        long seconds = d.toSecondsPart();
        return d.toMinutes() + "m" + (seconds < 10 ? "0" : "") + seconds + "s";
    }

    /** {@code units} of {@code 1/scale}, as a decimal with as many places as {@code scale} has zeros. */
    private static String decimal(long units, int scale) {
        String fraction = String.valueOf(units % scale);
        String zeros = String.valueOf(scale).substring(1);
        return units / scale + "." + zeros.substring(fraction.length()) + fraction;
    }

    private static int width(List<String> values, int minimum) {
        return Math.max(minimum, values.stream().mapToInt(String::length).max().orElse(0));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
