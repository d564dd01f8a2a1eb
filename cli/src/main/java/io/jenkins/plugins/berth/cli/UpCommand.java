package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Who;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.deploy.EnvironmentBusyException;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.terraform.StackLockedException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth up [FILE] --branch BRANCH}: deploy a branch to its environment on this machine. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Deploy a branch to its environment on this machine: the init stages, the infrastructure"
                + " (OpenTofu/Terraform stacks), then the stages, each stage run by bash in the folder of the deploy"
                + " file. Output lines carry the stage name; secret"
                + " values are shown as ****. The environment's record is kept in the state folder."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every stage succeeded (failures of on_failure: continue stages allowed)",
            "1:a stage failed and stopped the run, or the deploy file has problems (all are listed)",
            "2:wrong usage, a file that cannot be read, or a missing secret (nothing ran)"})
final class UpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH", description = "The branch to deploy.")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "The commit (default: HEAD of the git repository the file is in, if any).")
    Optional<String> commit = Optional.empty();

    @CommandLine.Mixin
    StateOption stateFolder;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Mixin
    DefaultTtlOption defaultTtl;

    @CommandLine.Mixin
    ParallelOption parallel;

    @Option(names = "--step", paramLabel = "PHASE:NAME",
            description = "Run one step of the deploy only (init_stages, images, infrastructure or stages, and the"
                    + " step's name), going on from the images and outputs earlier steps recorded. Takes no lock:"
                    + " whoever walks the deploy step by step (the Jenkins berth variable) serializes deploys.")
    Optional<String> step = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (branch.isBlank()) {
            throw new CommandLine.ParameterException(commandLine, "--branch must not be empty");
        }
        int tasks = parallel.parallel(commandLine);
        Optional<UpRequest.Step> only;
        try {
            only = step.map(UpRequest.Step::parse);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--step: " + e.getMessage());
        }
        Optional<java.time.Duration> ttl = defaultTtl.ttl(commandLine);
        PrintWriter err = commandLine.getErr();
        Preamble.Ready ready = Preamble.of(file, Preamble.Use.RUN, secretsOption, stateFolder, err);
        UpRequest request = new UpRequest(branch, ready.file().commit(commit), ready.file().defaultProject(),
                ready.secrets(), tasks, Who.runBy(), ready.deployFileName(),
                only.<UpRequest.Mode>map(s -> s).orElseGet(UpRequest.Up::new), ttl);
        try {
            RunResult result = ready.engine(commandLine.getOut()).up(ready.file().deployFile(), ready.repository(),
                    request);
            commandLine.getOut().println("==> State: " + ready.state().file(result.environment()));
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (StateException | EnvironmentBusyException | StackLockedException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (io.jenkins.plugins.berth.BerthException e) {
            // A --step the file does not have; nothing ran.
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
