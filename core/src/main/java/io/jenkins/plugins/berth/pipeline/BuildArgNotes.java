package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.MissingBuildArg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the controller keeps of the build arguments a project's Jenkins builds were asked for, in one folder
 * ({@code projects/<project>/build-args/}): {@code <environment>.json}, the values given for an environment
 * (its later builds use them and ask nothing), and {@code <environment>.waiting}, the {@code image.NAME}
 * parameters a build of it waits for (one a line) while its {@code input} is open: the Environments page says
 * "needs build arguments". Build arguments are no secrets (they stay in the image's history), so the values
 * are kept as they are.
 */
public final class BuildArgNotes {

    private static final String VALUES = ".json";
    private static final String WAITING = ".waiting";

    private final Path folder;

    public BuildArgNotes(Path folder) {
        this.folder = folder;
    }

    /**
     * The plan's {@code missingBuildArgs}, as plain data for the {@code berth} variable: each one's
     * {@code parameter} (what the {@code input} asks it by), {@code image}, {@code name}, {@code declaredAt} and
     * a {@code description} for the parameter.
     */
    public static List<Map<String, String>> forPlan(List<MissingBuildArg> missing) {
        return missing.stream().map(m -> Map.of("parameter", m.parameter(), "image", m.image(), "name", m.name(),
                "declaredAt", m.declaredAt(), "description", "ARG " + m.name() + " of image " + m.image()
                        + ", declared at " + m.declaredAt() + " without a default")).toList();
    }

    /** The plan's {@code buildArgs}: the environment entry that hands {@code given} to the runner, if any. */
    public static List<String> environment(BuildArgValues given) {
        return given.isEmpty() ? List.of() : List.of(BuildArgValues.ENVIRONMENT_VARIABLE + "=" + given.toJson());
    }

    /** The values given for {@code environment} by earlier builds; none when nothing was asked. */
    public BuildArgValues remembered(String environment) throws IOException {
        Path file = file(environment, VALUES);
        if (!Files.isRegularFile(file)) {
            return BuildArgValues.none();
        }
        try {
            return BuildArgValues.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Notes that a build of {@code environment} waits for {@code missing}. */
    public void waitFor(String environment, List<MissingBuildArg> missing) throws IOException {
        StringBuilder text = new StringBuilder();
        missing.forEach(m -> text.append(m.parameter()).append('\n'));
        write(file(environment, WAITING), text.toString());
    }

    /**
     * Takes the answer of the build's {@code input} (parameter name to value) for {@code missing}: every one
     * must have a value that is not blank. Remembers them with what was given before, and ends the wait.
     *
     * @return every value now remembered for the environment
     * @throws IllegalArgumentException naming each parameter left empty (nothing is changed then)
     */
    public BuildArgValues give(String environment, List<MissingBuildArg> missing, Map<String, ?> answer)
            throws IOException {
        List<String> empty = new ArrayList<>();
        BuildArgValues given = BuildArgValues.none();
        for (MissingBuildArg arg : missing) {
            Object value = answer.get(arg.parameter());
            if (value == null || value.toString().isBlank()) {
                empty.add(arg.parameter());
            } else {
                given = given.with(arg.image(), arg.name(), value.toString());
            }
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("no value for build argument" + (empty.size() > 1 ? "s " : " ")
                    + String.join(", ", empty) + "; run the build again and give " + (empty.size() > 1 ? "them" : "it")
                    + ", or add " + (empty.size() > 1 ? "them" : "it") + " to images.<name>.args in the deploy file");
        }
        BuildArgValues all = remembered(environment).plus(given);
        write(file(environment, VALUES), all.toJson());
        Files.deleteIfExists(file(environment, WAITING));
        return all;
    }

    /** Ends a wait without values (the build was aborted or failed while asking). */
    public void stopWaiting(String environment) throws IOException {
        Files.deleteIfExists(file(environment, WAITING));
    }

    /** The environments a build waits for build arguments for, each with the parameters it asks. */
    public Map<String, List<String>> waiting() throws IOException {
        Map<String, List<String>> result = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return result;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(WAITING)).toList()) {
                String name = file.getFileName().toString();
                result.put(name.substring(0, name.length() - WAITING.length()),
                        Files.readString(file, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
            }
        }
        return result;
    }

    /** Whether a build of {@code environment} waits for build arguments. */
    public Optional<List<String>> waitingFor(String environment) throws IOException {
        return Optional.ofNullable(waiting().get(EnvironmentNames.requireLabel("environment", environment)));
    }

    private Path file(String environment, String suffix) {
        return folder.resolve(EnvironmentNames.requireLabel("environment", environment) + suffix);
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(folder);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
