package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.model.TerraformDeclarations;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.TaskCommands;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Terraform for one stack in its work folder, as apply, output reading and destroy all use it: the inputs a
 * run writes (the tfvars file, the backend's and the secret inputs' environment) and the outputs read back,
 * sensitive ones added to the masker before anyone sees them.
 */
final class StackRun {
    /** How long a shared stack waits for another environment's apply of it; an own stack never waits. */
    static final String SHARED_LOCK_TIMEOUT = "5m";

    private StackRun() {}

    /** Terraform that only reads the stack (its outputs): the backend's environment, no inputs written. */
    static Terraform reading(Path binary, StackFolder folder, StateBackend backend, String key) throws IOException {
        return new Terraform(binary, folder, backend.environment(key), "0s");
    }

    /**
     * Terraform that changes the stack: writes the values of the variables the stack's files declare
     * (secrets travel as {@code TF_VAR_} environment, never in the file) and waits for a shared stack's lock.
     */
    static Terraform changing(Path binary, StackFolder folder, Stack stack, StateBackend backend, String key,
            RunVariables variables, SecretMasker masker) throws BerthException, IOException {
        Set<String> declared = TerraformDeclarations.read(RepositoryFiles.of(folder.path()), "").variables();
        StackInputs inputs = StackInputs.of(stack, declared, variables, masker);
        folder.write(StackInputs.TFVARS, Json.mapper().writeValueAsString(inputs.file()));
        Map<String, String> environment = new LinkedHashMap<>(backend.environment(key));
        environment.putAll(inputs.secretEnvironment());
        return new Terraform(binary, folder, environment, stack.shared() ? SHARED_LOCK_TIMEOUT : "0s");
    }

    /**
     * Saves the state a killed run left behind before anything else touches the stack. When Berth is killed during
     * an apply, its guard stops OpenTofu, which finishes what it was doing and, its state backend (Berth) gone,
     * writes the state to {@code errored.tfstate}: without this the resources it created would be forgotten.
     */
    static void saveErroredState(Stack stack, StackFolder folder, Terraform terraform, TaskCommands commands)
            throws TaskFailedException, InterruptedException, IOException {
        if (folder.erroredState().isEmpty()) {
            return;
        }
        commands.log().warning("stack " + stack.name() + ": a run that was stopped left the state it could not save ("
                + StackFolder.ERRORED_STATE + "); saving it first");
        try {
            commands.run(terraform.name() + " state push", terraform.pushState(StackFolder.ERRORED_STATE));
        } catch (TaskFailedException e) {
            throw new TaskFailedException(e.getMessage() + ". The state a stopped run left is "
                    + folder.path().resolve(StackFolder.ERRORED_STATE) + ": compare it with the stored one ("
                    + terraform.name() + " state pull in that folder) and push it with '" + terraform.name()
                    + " state push -force errored.tfstate' there, or delete it to keep the stored one");
        }
        java.nio.file.Files.delete(folder.erroredState().orElseThrow());
    }

    /** The stack's outputs by Terraform name; sensitive values are masked from here on. */
    static Map<String, Terraform.Output> outputs(Terraform terraform, TaskCommands commands, SecretMasker masker)
            throws TaskFailedException, InterruptedException {
        Map<String, Terraform.Output> outputs = Terraform.parseOutputs(
                commands.capture(terraform.name() + " output", terraform.output()));
        outputs.forEach((name, output) -> {
            if (output.sensitive() && !masker.add(output.value())) {
                commands.log().warning("sensitive output " + name + " is shorter than " + SecretMasker.MIN_LENGTH
                        + " characters: it is not masked, since masking a value that short would show it");
            }
        });
        return outputs;
    }
}
