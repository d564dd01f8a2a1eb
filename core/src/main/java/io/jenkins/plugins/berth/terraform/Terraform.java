package io.jenkins.plugins.berth.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands Berth runs for one stack folder, never asking questions ({@code -input=false}), never
 * coloured, with the variables of the run. {@code lockTimeout} is 0s for an environment's own stacks
 * (a locked state means another run: fail at once) and longer for shared stacks, which runs of other
 * environments may be reading.
 */
final class Terraform {

    /** Reads tofu's JSON as trees; one for all reads, as a mapper is thread-safe and costly to build. */
    private static final ObjectMapper TREES = new ObjectMapper();

    static final String PLAN_FILE = "berth.tfplan";

    private final Path binary;
    private final StackFolder folder;
    private final Map<String, String> environment;
    private final String lockTimeout;

    Terraform(Path binary, StackFolder folder, Map<String, String> environment, String lockTimeout) {
        this.binary = binary;
        this.folder = folder;
        this.environment = withDefaults(environment);
        this.lockTimeout = lockTimeout;
    }

    /** What the program is called in messages: tofu or terraform. */
    String name() {
        return binary.getFileName().toString();
    }

    Command init() {
        return command("init", "-input=false", "-no-color", "-reconfigure");
    }

    /** Exit code 0: nothing to change; 2: changes, saved in the plan file; 1: an error. */
    Command plan() {
        return command("plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=" + lockTimeout,
                "-out=" + PLAN_FILE);
    }

    Command apply() {
        return command("apply", "-input=false", "-no-color", "-lock-timeout=" + lockTimeout, PLAN_FILE);
    }

    /** Saves a state file to the backend: what a run that was killed could not save itself. */
    Command pushState(String stateFile) {
        return command("state", "push", "-lock-timeout=" + lockTimeout, stateFile);
    }

    Command output() {
        return command("output", "-json", "-no-color");
    }

    Command destroy() {
        return command("destroy", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=" + lockTimeout);
    }

    private Command command(String... arguments) {
        List<String> all = new ArrayList<>();
        all.add(binary.toString());
        all.addAll(List.of(arguments));
        return Command.terraform(all, folder.path().toString(), environment);
    }

    /** One Terraform output: its value as text (JSON for lists and maps) and whether it is sensitive. */
    record Output(String value, boolean sensitive) {}

    /**
     * Reads {@code output -json}. Terraform's warnings may share the stream, so the JSON object is taken
     * from the line "{" (or "{}") to the last line "}".
     */
    static Map<String, Output> parseOutputs(String text) throws TaskFailedException {
        List<String> lines = text.lines().toList();
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (start < 0 && (line.equals("{") || line.equals("{}"))) {
                start = i;
            }
            if (line.equals("}") || (i == start && line.equals("{}"))) {
                end = i;
            }
        }
        if (start < 0 || end < start) {
            throw new TaskFailedException("cannot find the JSON in the output of 'output -json'");
        }
        Map<String, Output> outputs = new LinkedHashMap<>();
        try {
            JsonNode root = TREES.readTree(String.join("\n", lines.subList(start, end + 1)));
            root.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue().path("value");
                outputs.put(field.getKey(), new Output(value.isTextual() ? value.asText() : value.toString(),
                        field.getValue().path("sensitive").asBoolean(false)));
            });
        } catch (IOException e) {
            throw new TaskFailedException("cannot read the output of 'output -json': " + e.getMessage());
        }
        return outputs;
    }

    /** Unattended runs; a CLI configuration file named but missing would warn on every command. */
    private static Map<String, String> withDefaults(Map<String, String> environment) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("TF_IN_AUTOMATION", "1");
        all.put("TF_INPUT", "0");
        all.put("CHECKPOINT_DISABLE", "1");
        String config = System.getenv("TF_CLI_CONFIG_FILE");
        if (config != null && !config.isEmpty() && !Files.exists(Path.of(config))) {
            all.put("TF_CLI_CONFIG_FILE", "");
        }
        all.putAll(environment);
        return all;
    }
}
