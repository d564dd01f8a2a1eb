package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.plan.EnvironmentNames;
import io.jenkins.plugins.berth.plan.Plan;
import io.jenkins.plugins.berth.plan.PlanJson;
import io.jenkins.plugins.berth.plan.Planner;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth plan [FILE] --branch BRANCH}: what a deploy of that branch would do. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a deploy of a branch would do: the environment, each phase in order (parallel"
                + " groups included) and the variables each stage sees. Secrets are shown by name, never by value."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan was printed", "1:the deploy file has problems (all are listed)",
            "2:wrong usage, or the file cannot be read"})
final class PlanCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH", description = "The branch to plan for.")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "The commit (default: HEAD of the git repository the file is in, if any).")
    Optional<String> commit = Optional.empty();

    @Option(names = "--json", description = "Print the plan as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (branch.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--branch must not be empty");
        }
        DeployFileArgument.Loaded loaded = file.load(spec.commandLine().getErr());
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        Path folder = valid.file().toAbsolutePath().getParent();
        String defaultProject = EnvironmentNames.projectName(String.valueOf(folder.getFileName()));
        Plan plan = Planner.plan(valid.deployFile(),
                new Planner.Request(branch, commit.or(() -> GitCommit.head(folder)), defaultProject));
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.print(json ? PlanJson.write(plan) + System.lineSeparator() : PlanText.render(plan));
        out.flush();
        return ExitCodes.OK;
    }
}
