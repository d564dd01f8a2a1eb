package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Who;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.deploy.EnvironmentBusyException;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.terraform.StackLockedException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth redeploy [FILE] --env NAME}: the deploy-only job. */
@Command(name = "redeploy", mixinStandardHelpOptions = true,
        description = {"Run an environment's post-infrastructure stages and its publish again, with the images of"
                + " its last deploy and the current variables: nothing is rebuilt, no stack is applied (their"
                + " outputs are read)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:redeployed", "1:a stage failed, or the environment is busy", "2:wrong usage, a missing"
                + " secret, or an unknown environment"})
final class RedeployCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @CommandLine.Mixin
    StateOption stateFolder;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Mixin
    ParallelOption parallel;

    @CommandLine.Mixin
    ApprovalOption approval;

    @CommandLine.Mixin
    DefaultTtlOption defaultTtl;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        int tasks = parallel.parallel(spec.commandLine());
        Preamble.Ready ready = Preamble.of(file, Preamble.Use.RUN, secretsOption, stateFolder, err,
                BerthCommand.environment(spec));
        EnvironmentRecord record = ready.environment(environment, true);
        String named = BranchEnvironments.of(ready.file().deployFile(), ready.file().defaultProject(), record.branch())
                .environment();
        if (!named.equals(environment)) {
            err.println("berth: environment " + environment + " was deployed from branch " + record.branch()
                    + ", which this deploy file names " + named);
            return ExitCodes.USAGE;
        }
        UpRequest request = new UpRequest(record.branch(), record.commit(), ready.file().defaultProject(),
                ready.secrets(), tasks, Who.runBy(), ready.deployFileName(), new UpRequest.Redeploy(record.images()),
                defaultTtl.ttl(spec.commandLine()));
        try {
            RunResult result = ready.engine(spec.commandLine().getOut(), BerthCommand.stops(spec), false,
                    approval.approver(spec.commandLine())).up(ready.file().deployFile(),
                    ready.repository(), request);
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (StateException | EnvironmentBusyException | StackLockedException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
