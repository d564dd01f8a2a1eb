package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.LinkOutsideRepositoryException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.model.StackGraph;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.Phase;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code infrastructure} phase: each stack applied with OpenTofu or Terraform, in the order of
 * {@link StackGraph} (shared stacks first; stacks that do not depend on each other at the same time).
 * Per stack: its sources copied to a {@link StackFolder}, {@code init}, {@code plan -detailed-exitcode}
 * (nothing to change: no apply), {@code apply} of that plan, then {@code output -json}, whose declared
 * entries become variables of later stacks and stages.
 */
public final class InfrastructurePhase implements Phase {


    private final Path repositoryRoot;
    private final Path deployFile;
    private final Path stateFolder;
    private final List<Path> searchPath;
    private final HttpStates states;
    private StateBackend backend;

    /**
     * @param deployFile the deploy file, copied next to each stack's sources
     * @param stateFolder where states (with the HTTP backend) and stack folders are kept
     * @param searchPath where to look for tofu and terraform
     */
    public InfrastructurePhase(Path repositoryRoot, Path deployFile, Path stateFolder, List<Path> searchPath) {
        this(repositoryRoot, deployFile, stateFolder, HttpStates.embedded(stateFolder), searchPath);
    }

    /** @param states where the {@code http} backend's states live */
    public InfrastructurePhase(Path repositoryRoot, Path deployFile, Path stateFolder, HttpStates states,
            List<Path> searchPath) {
        this.repositoryRoot = repositoryRoot;
        this.deployFile = deployFile;
        this.stateFolder = stateFolder;
        this.searchPath = List.copyOf(searchPath);
        this.states = states;
    }

    /** {@code project/stack/environment}, or {@code project/stack/_shared} for a shared stack. */
    public static String stateKey(String project, Stack stack, String environment) {
        return stack.shared() ? sharedStateKey(project, stack.name()) : project + "/" + stack.name() + "/" + environment;
    }

    /** The last segment of a shared stack's state key, in place of an environment (no environment name has '_'). */
    public static final String SHARED = StateScope.SHARED;

    /** {@code project/stack/_shared}: the one state of a shared stack. */
    public static String sharedStateKey(String project, String stack) {
        return project + "/" + stack + "/" + SHARED;
    }

    @Override
    public Feature feature() {
        return Feature.INFRASTRUCTURE;
    }


    @Override
    public void check(DeployFile file, RunVariables variables) throws BerthException {
        if (file.infrastructure().isEmpty()) {
            return;
        }
        TerraformBinary.find(file.terraform().binary(), searchPath);
        if (file.terraform().backend() instanceof io.jenkins.plugins.berth.model.TerraformSettings.Http) {
            String project = variables.builtin(BuiltinVariables.PROJECT).orElseThrow();
            String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
            for (Stack stack : file.infrastructure()) {
                if (stack.shared()) {
                    continue;
                }
                try {
                    Optional<LockInfo> holder = states.lockHolder(stateKey(project, stack, environment));
                    if (holder.isPresent()) {
                        throw new StackLockedException(stack.name(), environment, holder.get());
                    }
                } catch (IOException e) {
                    throw new BerthException("cannot read the lock of stack '" + stack.name() + "': " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public synchronized List<List<Task>> tasks(DeployFile file, RunVariables variables) throws BerthException {
        return stackTasks(file, variables, this::apply);
    }

    /** A redeploy: each stack's outputs as its last apply left them, nothing planned or applied. */
    @Override
    public synchronized List<List<Task>> readOnlyTasks(DeployFile file, RunVariables variables) throws BerthException {
        return stackTasks(file, variables, this::readOutputs);
    }

    /** What a task does with one stack of the run's project and environment. */
    @FunctionalInterface
    private interface StackWork {
        void run(DeployFile file, Stack stack, Path binary, String project, String environment, TaskContext context)
                throws BerthException, IOException, InterruptedException;
    }

    /** One task per stack doing {@code work}, grouped as {@link StackGraph} orders them. */
    private List<List<Task>> stackTasks(DeployFile file, RunVariables variables, StackWork work) throws BerthException {
        if (file.infrastructure().isEmpty()) {
            return List.of();
        }
        Path binary = TerraformBinary.find(file.terraform().binary(), searchPath);
        String project = variables.builtin(BuiltinVariables.PROJECT).orElseThrow();
        String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
        List<List<Task>> groups = new ArrayList<>();
        for (List<Stack> group : new StackGraph(file.infrastructure()).groups()) {
            groups.add(group.stream().map(stack -> new Task(stack.name(), "stack", OnFailure.ABORT, false,
                    Optional.of(stack.timeoutOrDefault()),
                    context -> work.run(file, stack, binary, project, environment, context))).toList());
        }
        return groups;
    }

    private void readOutputs(DeployFile file, Stack stack, Path binary, String project, String environment,
            TaskContext context) throws BerthException, IOException, InterruptedException {
        String key = stateKey(project, stack, environment);
        StackFolder folder = StackFolder.of(stateFolder, key);
        if (!folder.exists()) {
            throw new TaskFailedException("stack " + stack.name() + " was never applied for " + environment
                    + ": run berth up first");
        }
        StateBackend states = backend(file, context);
        Terraform terraform = StackRun.reading(binary, folder, states, key);
        init(stack, folder, binary, terraform, context);
        publishOutputs(stack, terraform, context);
        context.log().info("stack " + stack.name() + ": outputs read, nothing applied");
    }

    /** The stack's sources into its folder; a link out of the repository fails the task, nothing copied. */
    private void copySources(StackFolder folder, Stack stack) throws IOException, TaskFailedException {
        try {
            folder.copyFrom(repositoryRoot, stack.dir().path(), deployFile);
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("stack " + stack.name() + ": " + e.getMessage());
        }
    }

    private synchronized StateBackend backend(DeployFile file, TaskContext context) {
        if (backend == null) {
            backend = StateBackend.of(file.terraform(), states, context.masker()::add);
        }
        return backend;
    }

    private void apply(DeployFile file, Stack stack, Path binary, String project, String environment,
            TaskContext context) throws BerthException, IOException, InterruptedException {
        String key = stateKey(project, stack, environment);
        if (stack.shared() && this.states instanceof HttpStates.Hosted hosted && hosted.readsSharedOnly()) {
            readShared(file, stack, binary, key, context);
            return;
        }
        StateBackend states = backend(file, context);
        Optional<LockInfo> holder = states.lockHolder(key);
        if (holder.isPresent() && !stack.shared()) {
            throw new StackLockedException(stack.name(), environment, holder.get());
        }
        StackFolder folder = StackFolder.of(stateFolder, key);
        copySources(folder, stack);
        folder.write("berth_backend_override.tf", states.overrideFile(key));
        Terraform terraform = StackRun.changing(binary, folder, stack, states, key, context.variables(),
                context.masker());
        // Recorded before applying: a failed apply may still have created resources that down must destroy.
        if (!stack.shared()) {
            context.useStack(new StackRecord(stack.name(), false, states.name(), key, StackFolder.relativePath(key)));
        }
        init(stack, folder, binary, terraform, context);
        StackRun.saveErroredState(stack, folder, terraform, context.commands());
        folder.preparePlanFile(Terraform.PLAN_FILE);
        try {
            int planned = context.runForExitCode(terraform.name() + " plan", terraform.plan());
            if (planned == 0) {
                context.log().info("stack " + stack.name() + ": no changes, apply skipped");
            } else if (planned == 2) {
                context.run(terraform.name() + " apply", terraform.apply());
            } else {
                Optional<LockInfo> lock = states.lockHolder(key);
                if (lock.isPresent()) {
                    // A shared stack waited for its lock (StackRun.SHARED_LOCK_TIMEOUT) and still found it taken.
                    throw stack.shared() ? StackLockedException.shared(stack.name(), project, lock.get())
                            : new StackLockedException(stack.name(), environment, lock.get());
                }
                throw new TaskFailedException(terraform.name() + " plan exited with code " + planned, planned);
            }
        } finally {
            // A plan file holds every variable's value, secrets included.
            folder.delete(Terraform.PLAN_FILE);
        }
        publishOutputs(stack, terraform, context);
        if (stack.shared()) {
            context.useStack(new StackRecord(stack.name(), true, states.name(), key, StackFolder.relativePath(key)));
        }
    }

    /**
     * A shared stack this run may only read (a pull request's deploy): its sources are set up and initialised,
     * its outputs read; nothing is planned, applied or locked. Shared stacks change from branches' deploys.
     */
    private void readShared(DeployFile file, Stack stack, Path binary, String key, TaskContext context)
            throws BerthException, IOException, InterruptedException {
        StateBackend states = backend(file, context);
        StackFolder folder = StackFolder.of(stateFolder, key);
        copySources(folder, stack);
        folder.write("berth_backend_override.tf", states.overrideFile(key));
        Terraform terraform = StackRun.reading(binary, folder, states, key);
        init(stack, folder, binary, terraform, context);
        context.log().info("stack " + stack.name() + ": shared, read only for this deploy (shared stacks change"
                + " from branch deploys, not pull requests)");
        publishOutputs(stack, terraform, context);
        context.useStack(new StackRecord(stack.name(), true, states.name(), key, StackFolder.relativePath(key)));
    }

    /**
     * {@code init}, unless the folder is still initialised for its backend block, lock file, sources and program
     * ({@link InitStamp}): then there is nothing for it to do, and a run with nothing changed saves its time.
     */
    private static void init(Stack stack, StackFolder folder, Path binary, Terraform terraform, TaskContext context)
            throws BerthException, IOException, InterruptedException {
        if (InitStamp.current(folder, binary)) {
            context.log().info("stack " + stack.name() + ": initialised for this backend, lock file and sources: "
                    + terraform.name() + " init skipped");
            return;
        }
        InitStamp.forget(folder);
        context.run(terraform.name() + " init", terraform.init());
        InitStamp.record(folder, binary);
    }

    private static void publishOutputs(Stack stack, Terraform terraform, TaskContext context)
            throws TaskFailedException, InterruptedException {
        if (stack.outputs().isEmpty()) {
            return;
        }
        Map<String, Terraform.Output> outputs = StackRun.outputs(terraform, context.commands(), context.masker());
        List<String> missing = stack.outputs().stream().map(Stack.Output::terraformOutput)
                .filter(name -> !outputs.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new TaskFailedException("stack " + stack.name() + " has no output " + String.join(", ", missing)
                    + " after apply; it has " + (outputs.isEmpty() ? "no outputs" : String.join(", ", outputs.keySet())));
        }
        for (Stack.Output output : stack.outputs()) {
            context.variables().publish(output.variable(), outputs.get(output.terraformOutput()).value());
        }
        stack.url().ifPresent(variable -> {
            String url = outputs.get(stack.outputs().stream().filter(o -> o.variable().equals(variable)).findFirst()
                    .orElseThrow().terraformOutput()).value();
            context.variables().setBuiltin(BuiltinVariables.ENV_URL, url);
            context.log().info("stack " + stack.name() + ": environment URL " + url);
        });
    }

    @Override
    public synchronized void finish() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }
}
