package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.images.ImageCleanup;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.NoDeployFileException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.TaskCommands;
import io.jenkins.plugins.berth.terraform.Destroyer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tears an environment down, from what was kept at its last successful deploy and never from the
 * branch: its {@code teardown} stages (in the kept folder, with the deploy file and their scripts),
 * its blue-green colours retired, then its own stacks in reverse order (never shared ones), then the
 * images only it used, then the record is marked gone. Each step is retried with backoff; a failure leaves the record {@code failed}
 * with what remains, and the next teardown picks up from there. Running it on a gone environment does
 * nothing.
 */
public final class Teardown implements Destroyer.Steps {

    private final Destroyer destroyer;
    private final io.jenkins.plugins.berth.environments.StateStore state;
    private final Function<String, Path> keptFolders;
    private final Function<Path, CommandRunner> runners;
    private final Optional<ImageCleanup> images;
    private final Retries retries;

    /**
     * @param keptFolders where an environment's kept files are
     * @param runners a command runner working in a folder
     * @param images what removes the images only the environment used (empty: leave the registry alone)
     */
    public Teardown(Destroyer destroyer, io.jenkins.plugins.berth.environments.StateStore state,
            Function<String, Path> keptFolders, Function<Path, CommandRunner> runners, Optional<ImageCleanup> images,
            Retries retries) {
        this.destroyer = destroyer;
        this.state = state;
        this.keptFolders = keptFolders;
        this.runners = runners;
        this.images = images;
        this.retries = retries;
    }

    public Destroyer.Outcome down(String environment, SecretSource secrets)
            throws BerthException, IOException, InterruptedException {
        return destroyer.down(environment, secrets, this);
    }

    @Override
    public Optional<DeployFile> keptDeployFile(String environment) throws BerthException, IOException {
        Path folder = keptFolders.apply(environment);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try {
            Path file = DeployFiles.find(folder);
            return Optional.of(DeployFiles.parse(file.toString(), Files.readAllBytes(file), Optional.empty()));
        } catch (NoDeployFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void beforeStacks(DeployFile file, RunVariables variables, Log log)
            throws BerthException, IOException, InterruptedException {
        runTeardownStages(file, variables, log);
        retireColors(file, variables, log);
    }

    private void runTeardownStages(DeployFile file, RunVariables variables, Log log)
            throws BerthException, IOException, InterruptedException {
        if (file.teardown().isEmpty()) {
            return;
        }
        Path folder = keptFolders.apply(variables.builtin(io.jenkins.plugins.berth.model.BuiltinVariables.ENVIRONMENT)
                .orElseThrow());
        CommandRunner runner = runners.apply(folder);
        for (Stage stage : file.teardown()) {
            Map<String, String> environment = variables.environment(Scope.Site.of(Scope.Kind.TEARDOWN), Map.of());
            Command command = stage.action() instanceof Stage.Script script
                    ? Command.scriptFile(script.file().path(), environment)
                    : Command.inlineScript(((Stage.Run) stage.action()).script(), environment);
            log.info("teardown stage " + stage.name() + ": started");
            try {
                TaskCommands commands = new TaskCommands(runner, log, stage.name());
                retries.run("teardown stage " + stage.name(), log,
                        () -> commands.run("teardown stage " + stage.name(), command));
                log.info("teardown stage " + stage.name() + ": succeeded");
            } catch (BerthException | IOException e) {
                if (stage.onFailure() == OnFailure.CONTINUE) {
                    log.error(e.getMessage() + " (on_failure: continue, going on)");
                } else {
                    throw e;
                }
            }
        }
    }

    /**
     * Retires the environment's blue-green colours (the live one and one kept for rollback) with the
     * deploy block's {@code stop}, run in the kept folder; for ECS, scales both services to 0.
     */
    private void retireColors(DeployFile file, RunVariables variables, Log log)
            throws BerthException, IOException, InterruptedException {
        String environment = variables.builtin(io.jenkins.plugins.berth.model.BuiltinVariables.ENVIRONMENT).orElseThrow();
        Optional<io.jenkins.plugins.berth.environments.BlueGreenRecord> colors = state.read(environment)
                .flatMap(EnvironmentRecord::blueGreen);
        Optional<Stage> stage = file.stages().stream().filter(s -> s.action() instanceof Stage.DeployAction).findFirst();
        if (colors.isEmpty() || stage.isEmpty()) {
            return;
        }
        io.jenkins.plugins.berth.model.Deploy deploy = ((Stage.DeployAction) stage.get().action()).deploy();
        Path folder = keptFolders.apply(environment);
        CommandRunner runner = runners.apply(folder);
        io.jenkins.plugins.berth.bluegreen.Target target = io.jenkins.plugins.berth.bluegreen.BlueGreenDeployer.target(
                deploy, variables, io.jenkins.plugins.berth.bluegreen.Scripts.of(runner, log, stage.get().name()), folder);
        java.util.List<String> running = new java.util.ArrayList<>();
        colors.get().live().ifPresent(running::add);
        colors.get().previous().ifPresent(running::add);
        for (String name : running) {
            io.jenkins.plugins.berth.bluegreen.Color color = io.jenkins.plugins.berth.bluegreen.Color.of(name);
            Map<String, String> values = new java.util.HashMap<>(Map.of(
                    io.jenkins.plugins.berth.model.BuiltinVariables.COLOR, color.keyword()));
            deploy.colors().ifPresent(c -> values.put(io.jenkins.plugins.berth.model.BuiltinVariables.PORT,
                    String.valueOf(color.port(c))));
            retries.run("retiring " + name, log, () -> target.retire(color,
                    variables.knownEnvironment(Scope.Site.of(Scope.Kind.DEPLOY), values)));
            log.info("colour " + name + " retired");
        }
    }

    @Override
    public void afterStacks(EnvironmentRecord record, Log log) throws BerthException, IOException {
        if (images.isPresent()) {
            try {
                retries.run("removing the images of " + record.name(), log, () -> images.get().clean(record, log));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while removing the images of " + record.name(), e);
            }
        }
    }
}
