package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.bluegreen.Rollback;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth rollback [FILE] --env NAME}: traffic back to the previous colour while it still runs. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Switch an environment's traffic back to its previous blue-green colour, which runs until"
                + " its 'keep' time is over after a deploy. Uses the deploy block of FILE and the environment's record."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rolled back", "1:nothing to roll back to, or the switch failed",
            "2:wrong usage, a missing secret or an unknown environment"})
final class RollbackCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @CommandLine.Mixin
    StateOption stateFolder;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Preamble.Ready ready = Preamble.of(file, Preamble.Use.READ, secretsOption, stateFolder, err,
                BerthCommand.environment(spec));
        ready.environment(environment, false);
        try {
            new Rollback(ready.file().folder(), ready.state(),
                    new LocalCommandRunner(ready.file().folder(), ready.runner()),
                    new ConsoleLog(spec.commandLine().getOut()), Clock.systemUTC())
                    .rollback(ready.file().deployFile(), environment, ready.secrets());
            return ExitCodes.OK;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
