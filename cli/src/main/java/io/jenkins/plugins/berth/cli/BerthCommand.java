package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.StopRequest;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
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

    /** The environment the command line runs in: every command reads its variables from here. */
    private final RunnerEnvironment environment;
    /** What Ctrl-C and SIGTERM ask of a running deploy ({@link Signals}). */
    private final StopRequest stops = new StopRequest();

    private BerthCommand(RunnerEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        LocalCommandRunner.preferFastProcessStart();
        CommandLine commandLine = commandLine(RunnerEnvironment.current(), new OutputStreamWriter(System.out),
                new OutputStreamWriter(System.err));
        Signals.install(((BerthCommand) commandLine.getCommand()).stops, Thread.currentThread(), commandLine.getErr());
        int exitCode = commandLine.execute(args);
        exitCode = Signals.exitCode().orElse(exitCode);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /**
     * The command line as the launcher runs it; tests use the same. It prints to {@code out} and
     * {@code err} through a masker that knows the environment's secrets (the state password) before
     * anything is parsed, so no line it prints shows them, not even a usage or validation error.
     */
    static CommandLine commandLine(RunnerEnvironment environment, Writer out, Writer err) {
        SecretMasker masker = SecretMasker.of(environment.secrets());
        CommandLine commandLine = new CommandLine(new BerthCommand(environment));
        commandLine.setOut(new PrintWriter(new MaskedWriter(out, masker), true));
        commandLine.setErr(new PrintWriter(new MaskedWriter(err, masker), true));
        // Exit codes come from what went wrong, never from the wording of a message.
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof Preamble.Stopped stopped) {
                return stopped.exitCode();
            }
            if (e instanceof InterruptedException) {
                // Ctrl-C outside a deploy (Signals interrupted the command): its command was stopped.
                cl.getErr().println("berth: interrupted; what was running was stopped");
                return ExitCodes.INTERRUPTED;
            }
            cl.getErr().println("berth: " + e.getMessage());
            return e instanceof NoSuchEnvironmentException ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
        return commandLine;
    }

    /** What stops the runs of the command line of {@code spec} before their end. */
    static StopRequest stops(CommandLine.Model.CommandSpec spec) {
        return ((BerthCommand) spec.root().userObject()).stops;
    }

    /** The environment the command line of {@code spec} runs in. */
    static RunnerEnvironment environment(CommandLine.Model.CommandSpec spec) {
        return ((BerthCommand) spec.root().userObject()).environment;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, plan, up, redeploy, down, unlock, rollback, envs, pin, unpin, reap, promote or args");
    }
}
