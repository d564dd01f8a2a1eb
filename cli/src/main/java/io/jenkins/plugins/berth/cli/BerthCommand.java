package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the command line over Berth's engine. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Deploy environments from one YAML deploy file.",
        subcommands = {ValidateCommand.class, PlanCommand.class, UpCommand.class, DownCommand.class,
            UnlockCommand.class, RedeployCommand.class, RollbackCommand.class, EnvsCommand.class, PinCommand.Pin.class, PinCommand.Unpin.class, ReapCommand.class,
            PromoteCommand.class, ArgsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the deploy file has problems, or the command failed (a stage stopped the run)",
            "2:wrong usage, or a file that cannot be read"})
public final class BerthCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LocalCommandRunner.preferFastProcessStart();
        System.exit(commandLine().execute(args));
    }

    /** The command line as the launcher runs it; tests use the same. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BerthCommand());
        // Exit codes come from what went wrong, never from the wording of a message.
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof Preamble.Stopped stopped) {
                return stopped.exitCode();
            }
            cl.getErr().println("berth: " + e.getMessage());
            return e instanceof NoSuchEnvironmentException ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, plan, up, redeploy, down, unlock, rollback, envs, pin, unpin, reap, promote or args");
    }
}
