package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.model.StackGraph;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.TaskCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Destroys stacks from what was kept at their last apply: the stack folder with its sources and the
 * deploy file, and the environment's record. No checkout of the branch is needed. An environment's own
 * stacks go in reverse order ({@link #destroyOrder}) and never a shared one. A shared stack is destroyed only on its own, when no live environment uses it.
 * The teardown decides when; this class only destroys.
 */
public final class Destroyer {

    private final Path stateFolder;
    private final HttpStates states;
    private final StateStore state;
    private final CommandRunner commands;
    private final Log log;
    private final List<Path> searchPath;
    private final Clock clock;

    public Destroyer(Path stateFolder, StateStore state, CommandRunner commands, Log log, List<Path> searchPath,
            Clock clock) {
        this(stateFolder, HttpStates.embedded(stateFolder), state, commands, log, searchPath, clock);
    }

    /** @param states where the {@code http} backend's states live */
    public Destroyer(Path stateFolder, HttpStates states, StateStore state, CommandRunner commands, Log log,
            List<Path> searchPath, Clock clock) {
        this.stateFolder = stateFolder;
        this.states = states;
        this.state = state;
        this.commands = commands;
        this.log = log;
        this.searchPath = List.copyOf(searchPath);
        this.clock = clock;
    }

    /** The state folder the stacks' work folders are in. */
    public Path stateFolder() {
        return stateFolder;
    }

    /** A masker for one teardown or destroy, knowing the secrets of the environment commands run in. */
    public SecretMasker masker() {
        return SecretMasker.of(commands.environmentSecrets());
    }

    /** The environment's own stacks (never shared ones) that are still to destroy. */
    public static List<StackRecord> ownStacks(EnvironmentRecord record) {
        return record.stacks().stream().filter(s -> !s.shared()).toList();
    }

    /**
     * Destroys a shared stack of a project when no environment that is not gone uses it, or regardless
     * with {@code force}.
     */
    public void downShared(String project, String stackName, boolean force, SecretSource secrets)
            throws BerthException, IOException, InterruptedException {
        String key = project + "/" + stackName + "/_shared";
        List<String> users = new ArrayList<>();
        for (EnvironmentRecord record : state.all()) {
            boolean uses = record.stacks().stream().anyMatch(s -> s.shared() && s.stateKey().equals(key));
            if (uses && record.status() != EnvironmentStatus.GONE) {
                users.add(record.name());
            }
        }
        if (!users.isEmpty() && !force) {
            throw new BerthException("shared stack '" + stackName + "' of project " + project + " is used by "
                    + String.join(", ", users) + "; tear those down first, or destroy it anyway with --force");
        }
        StackRecord stack = new StackRecord(stackName, true, "http", key, StackFolder.relativePath(key));
        StackFolder folder = new StackFolder(stateFolder.resolve(stack.workDir()));
        if (!folder.exists()) {
            log.info("Shared stack " + stackName + " of project " + project + " has nothing to destroy");
            return;
        }
        Kept kept = kept(stack);
        SecretMasker masker = masker();
        Log masked = Log.masked(log, masker);
        String environment = EnvironmentNames.environmentName(kept.file().environment().name(), project, "shared");
        EnvironmentRecord facts = EnvironmentRecord.create(environment, project, "shared",
                io.jenkins.plugins.berth.environments.EnvironmentKind.BRANCH, false, clock.instant());
        RunVariables variables = RunVariables.forRecord(kept.file(), facts, secrets, masker);
        Stack declared = kept.file().infrastructure().stream().filter(s -> s.name().equals(stackName)).findFirst()
                .orElseThrow(() -> new BerthException("the kept deploy file has no stack " + stackName));
        StackRecord withBackend = new StackRecord(stackName, true, backendName(kept.file()), key, stack.workDir());
        publishOutputs(kept.file(), List.of(), variables, masker, masked);
        destroy(withBackend, variables, masker, masked, declared);
        log.info("Shared stack " + stackName + " of project " + project + " destroyed");
    }

    /**
     * Releases the Terraform state locks of an environment's stacks that a killed run left behind.
     *
     * @return the locks released, described
     */
    public List<String> unlock(String environment) throws BerthException, IOException {
        EnvironmentRecord record = state.read(environment).orElseThrow(() ->
                    new NoSuchEnvironmentException(environment, stateFolder.toString()));
        if (!(states instanceof HttpStates.Embedded embedded)) {
            throw new BerthException("the states of " + environment + " are hosted elsewhere ("
                    + ((HttpStates.Hosted) states).url() + "): release their locks there");
        }
        StateStorage storage = embedded.storage();
        List<String> released = new ArrayList<>();
        for (StackRecord stack : record.stacks()) {
            if (stack.shared() || !stack.backend().equals("http")) {
                continue;
            }
            storage.forceUnlock(stack.stateKey()).ifPresent(lock -> released.add("stack " + stack.name() + ": "
                    + lock.describe()));
        }
        return released;
    }

    private record Kept(DeployFile file) {}

    /** The deploy file kept with {@code stack} at its last apply. */
    public DeployFile keptWith(StackRecord stack) throws BerthException, IOException {
        return kept(stack).file();
    }

    private Kept kept(StackRecord stack) throws BerthException, IOException {
        Path file = stateFolder.resolve(stack.workDir()).resolve(StackFolder.DEPLOY_FILE);
        if (!Files.isRegularFile(file)) {
            throw new BerthException("the deploy file kept with stack " + stack.name() + " is missing (" + file + ")");
        }
        return new Kept(DeployFiles.parse(file.toString(), Files.readAllBytes(file), Optional.empty()));
    }

    /** Outputs of every stack still there, for the variables of the stacks to destroy. */
    public void publishOutputs(DeployFile file, List<StackRecord> recorded, RunVariables variables,
            SecretMasker masker, Log masked) throws BerthException, IOException, InterruptedException {
        if (file.infrastructure().stream().noneMatch(s -> StackFolder.of(stateFolder, InfrastructurePhase.stateKey(
                variables.builtin(BuiltinVariables.PROJECT).orElseThrow(), s,
                variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow())).exists())) {
            return;
        }
        Path binary = TerraformBinary.find(file.terraform().binary(), searchPath);
        String project = variables.builtin(BuiltinVariables.PROJECT).orElseThrow();
        String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
        try (StateBackend backend = StateBackend.of(file.terraform(), states, masker::add)) {
            for (Stack stack : file.infrastructure()) {
                String key = InfrastructurePhase.stateKey(project, stack, environment);
                StackFolder folder = StackFolder.of(stateFolder, key);
                if (stack.outputs().isEmpty() || !folder.exists()) {
                    continue;
                }
                Terraform terraform = StackRun.reading(binary, folder, backend, key);
                run(stack.name(), terraform.init(), masked);
                Map<String, Terraform.Output> outputs = StackRun.outputs(terraform,
                        new TaskCommands(commands, masked, stack.name()), masker);
                for (Stack.Output output : stack.outputs()) {
                    Terraform.Output value = outputs.get(output.terraformOutput());
                    // A stack whose output is gone still gets a value: destroy does not use it.
                    variables.publish(output.variable(), value == null ? "" : value.value());
                }
            }
        }
    }

    /** The environment's stacks, last applied first; stacks no longer in the file go first of all. */
    public static List<StackRecord> destroyOrder(DeployFile file, List<StackRecord> own) {
        List<String> applyOrder = new StackGraph(file.infrastructure()).groups().stream().flatMap(List::stream)
                .map(Stack::name).toList();
        List<StackRecord> order = new ArrayList<>(own.stream().filter(s -> !applyOrder.contains(s.name())).toList());
        for (int i = applyOrder.size() - 1; i >= 0; i--) {
            String name = applyOrder.get(i);
            own.stream().filter(s -> s.name().equals(name)).findFirst().ifPresent(order::add);
        }
        return order;
    }

    /** Destroys one stack from its kept folder, then removes the folder. */
    public void destroy(StackRecord stack, RunVariables variables, SecretMasker masker, Log masked)
            throws BerthException, IOException, InterruptedException {
        Kept kept = kept(stack);
        Optional<Stack> declared = kept.file().infrastructure().stream().filter(s -> s.name().equals(stack.name()))
                .findFirst();
        if (declared.isEmpty()) {
            throw new BerthException("the deploy file kept with stack " + stack.name() + " does not declare it");
        }
        destroy(stack, variables, masker, masked, declared.get());
    }

    private void destroy(StackRecord stack, RunVariables variables, SecretMasker masker, Log masked, Stack declared)
            throws BerthException, IOException, InterruptedException {
        StackFolder folder = new StackFolder(stateFolder.resolve(stack.workDir()));
        if (!folder.exists()) {
            masked.info("stack " + stack.name() + ": its folder is gone, nothing to destroy");
            return;
        }
        DeployFile file = kept(stack).file();
        Path binary = TerraformBinary.find(file.terraform().binary(), searchPath);
        try (StateBackend backend = StateBackend.of(file.terraform(), states, masker::add)) {
            Optional<LockInfo> holder = backend.lockHolder(stack.stateKey());
            if (holder.isPresent()) {
                throw new StackLockedException(stack.name(), variables.builtin(BuiltinVariables.ENVIRONMENT)
                        .orElseThrow(), holder.get());
            }
            Terraform terraform = StackRun.changing(binary, folder, declared, backend, stack.stateKey(), variables,
                    masker);
            masked.info("stack " + stack.name() + ": destroying");
            run(stack.name(), terraform.init(), masked);
            run(stack.name(), terraform.destroy(), masked);
        }
        folder.remove();
    }

    /** Runs {@code terraform init} or {@code destroy} of {@code stack}, its output logged under the stack's name. */
    private void run(String stack, Command command, Log masked) throws BerthException, InterruptedException {
        new TaskCommands(commands, masked, stack).run("stack " + stack + ": "
                + Path.of(command.arguments().get(0)).getFileName() + " " + command.arguments().get(1), command);
    }

    private static String backendName(DeployFile file) {
        return file.terraform().backend() instanceof io.jenkins.plugins.berth.model.TerraformSettings.S3 ? "s3" : "http";
    }
}
