package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.Deployer;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import io.jenkins.plugins.berth.model.Stage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns stages into tasks: each runs bash in the repository root with the variables its place sees. */
final class StageTasks {

    private StageTasks() {}

    /** One group per stage: stages run one after the other, in file order. */
    static List<List<Task>> of(List<Stage> stages, Scope.Kind kind, Optional<Deployer> deployer) {
        return stages.stream().map(stage -> List.of(task(stage, kind, deployer))).toList();
    }

    /**
     * The variables the stage sees. An {@code always} stage may run after a failure skipped the stack or image
     * that sets some of them: those are unset for it (it can test {@code ${NAME:-}}), never an error.
     */
    private static Map<String, String> environment(Stage stage, Scope.Kind kind, TaskContext context) {
        Scope.Site site = Scope.Site.of(kind);
        return stage.always() ? context.variables().knownEnvironment(site, Map.of())
                : context.variables().environment(site, Map.of());
    }

    private static Task task(Stage stage, Scope.Kind kind, Optional<Deployer> deployer) {
        return new Task(stage.name(), "stage", stage.onFailure(), stage.always(), stage.timeout(), context -> {
            if (stage.action() instanceof Stage.Run run) {
                Map<String, String> environment = environment(stage, kind, context);
                context.run("its script", Command.inlineScript(run.script(), environment));
            } else if (stage.action() instanceof Stage.Script script) {
                String path = script.file().path();
                try {
                    RepositoryPaths.real(context.repository(), path);
                } catch (IOException e) {
                    throw new TaskFailedException("script file " + path + " (" + script.file().position() + "): "
                            + e.getMessage());
                }
                if (!context.repository().isFile(path)) {
                    throw new TaskFailedException("script file " + path + " does not exist in the repository ("
                            + script.file().position() + ")");
                }
                Map<String, String> environment = environment(stage, kind, context);
                context.run("script " + path, Command.scriptFile(path, environment));
            } else if (stage.action() instanceof Stage.DeployAction) {
                // Engine.checkSupported refuses deploy stages when no deployer is plugged in.
                deployer.orElseThrow(() -> new IllegalStateException("no deployer for stage " + stage.name()))
                        .deploy(stage, context);
            }
        });
    }
}
