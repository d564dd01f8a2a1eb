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
import io.jenkins.plugins.berth.run.Who;
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
        String key = InfrastructurePhase.sharedStateKey(project, stackName);
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
     * Releases the Terraform state locks a killed run of {@code environment} left behind: the lock of every state
     * stored under the environment ({@code <project>/<stack>/<environment>}), whether or not its record lists the
     * stack (a first apply killed before the record learned of it). Nothing is released while a run holds the
     * environment: the locks may be that run's own. The environment's own lock needs no release: it is the
     * operating system's lock on {@code <environment>.lock}, gone with the process that held it. A locked shared
     * stack of the project is named, with how to release it, but not released: any environment's run may hold it.
     *
     * @return the locks released, described
     * @throws NoSuchEnvironmentException when the state folder has neither a record nor a state of the environment
     * @throws RunGoingOnException when a run holds the environment (nothing released)
     */
    public List<String> unlock(String environment) throws BerthException, IOException {
        if (!EnvironmentNames.isLabel(environment)) {
            throw new NoSuchEnvironmentException(environment, stateFolder.toString());
        }
        Optional<EnvironmentRecord> record = state.read(environment);
        StateStorage storage = embeddedStorage("the states of " + environment);
        List<String> projects = record.isPresent() ? List.of(record.get().project()) : storage.projects();
        List<String> keys = new ArrayList<>();
        List<String> sharedKeys = new ArrayList<>();
        for (String project : projects.stream().filter(StateStorage::isProject).toList()) {
            for (String key : storage.keys(project)) {
                String last = key.substring(key.lastIndexOf('/') + 1);
                if (last.equals(environment)) {
                    keys.add(key);
                } else if (last.equals(InfrastructurePhase.SHARED)) {
                    sharedKeys.add(key);
                }
            }
        }
        if (record.isEmpty() && keys.isEmpty()) {
            throw new NoSuchEnvironmentException(environment, stateFolder.toString());
        }
        List<String> released = new ArrayList<>();
        try (StateStore.Lock held = idle(environment)) {
            for (String key : keys) {
                storage.forceUnlock(key).ifPresent(lock -> released.add("stack " + stackOf(key) + ": "
                        + lock.describe()));
            }
        }
        for (String key : sharedKeys) {
            String project = key.substring(0, key.indexOf('/'));
            storage.lock(key).ifPresent(lock -> log.warning("shared stack " + stackOf(key) + " of project " + project
                    + " is locked too (" + lock.describe() + "), and not released: any environment's run may hold it."
                    + " If no run of the project is going on, release it with: bin/berth unlock --shared "
                    + stackOf(key) + " --project " + project));
        }
        return released;
    }

    /**
     * Releases the lock of shared stack {@code stackName} of {@code project} that a killed run left behind. Nothing
     * is released while a run holds any environment of the project, since that run may be applying the stack.
     *
     * @return the lock released, described; empty when it was not locked
     * @throws BerthException when the project has no such shared stack here, or its states are hosted elsewhere
     * @throws RunGoingOnException when a run holds an environment of the project (nothing released)
     */
    public List<String> unlockShared(String project, String stackName) throws BerthException, IOException {
        String key = InfrastructurePhase.sharedStateKey(project, stackName);
        if (!StateStorage.isProject(project) || !StateStorage.isKey(key)) {
            throw new BerthException("there is no shared stack '" + stackName + "' of project '" + project + "': a"
                    + " project and a stack are named with lowercase letters, digits, '-' and '_'");
        }
        StateStorage storage = embeddedStorage("the states of project " + project);
        List<EnvironmentRecord> environments = new ArrayList<>();
        for (EnvironmentRecord record : state.all()) {
            if (record.project().equals(project)) {
                environments.add(record);
            }
        }
        if (!storage.keys(project).contains(key)) {
            List<String> shared = storage.keys(project).stream().filter(k -> k.endsWith("/" + InfrastructurePhase.SHARED))
                    .map(Destroyer::stackOf).toList();
            throw new BerthException("there is no state of shared stack " + stackName + " of project " + project
                    + " in " + stateFolder + (shared.isEmpty() ? "" : " (its shared stacks: " + String.join(", ", shared)
                    + ")"));
        }
        List<StateStore.Lock> held = new ArrayList<>();
        try {
            for (EnvironmentRecord record : environments) {
                held.add(idle(record.name()));
            }
            return storage.forceUnlock(key).map(lock -> List.of("shared stack " + stackName + " of project " + project
                    + ": " + lock.describe())).orElse(List.of());
        } finally {
            for (StateStore.Lock lock : held) {
                lock.close();
            }
        }
    }

    /** The stack segment of a state key. */
    private static String stackOf(String key) {
        return key.split("/")[1];
    }

    /** The embedded backend's storage; the locks of a hosted one are released where it is hosted. */
    private StateStorage embeddedStorage(String what) throws BerthException {
        if (!(states instanceof HttpStates.Embedded embedded)) {
            throw new BerthException(what + " are hosted elsewhere (" + ((HttpStates.Hosted) states).url()
                    + "): release their locks there");
        }
        return embedded.storage();
    }

    /** The environment's lock, if no run holds it: while one does, its state locks may be its own. */
    private StateStore.Lock idle(String environment) throws IOException, RunGoingOnException {
        StateStore.Attempt attempt = state.tryLock(environment, "berth unlock by " + Who.thisProcess() + " since "
                + clock.instant());
        if (attempt instanceof StateStore.Busy busy) {
            throw new RunGoingOnException(environment, busy.holder());
        }
        return ((StateStore.Acquired) attempt).lock();
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
            // What a killed apply created is destroyed too.
            StackRun.saveErroredState(declared, folder, terraform, new TaskCommands(commands, masked, stack.name()));
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
