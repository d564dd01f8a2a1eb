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
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the deploy file has problems, or the command failed (a stage stopped the run)",
            "2:wrong usage, or a file that cannot be read"})
public final class BerthCommand implements Runnable {

    /**
     * The commands, by name, in the order the usage lists them. Not in the annotation: picocli would build every
     * command's model (reflection over each class, its options and mixins) at each start, and a run needs one.
     */
    static final java.util.Map<String, Class<?>> COMMANDS = commands();

    private static java.util.Map<String, Class<?>> commands() {
        java.util.Map<String, Class<?>> commands = new java.util.LinkedHashMap<>();
        commands.put("validate", ValidateCommand.class);
        commands.put("plan", PlanCommand.class);
        commands.put("up", UpCommand.class);
        commands.put("down", DownCommand.class);
        commands.put("unlock", UnlockCommand.class);
        commands.put("redeploy", RedeployCommand.class);
        commands.put("rollback", RollbackCommand.class);
        commands.put("envs", EnvsCommand.class);
        commands.put("pin", PinCommand.Pin.class);
        commands.put("unpin", PinCommand.Unpin.class);
        commands.put("reap", ReapCommand.class);
        commands.put("promote", PromoteCommand.class);
        commands.put("args", ArgsCommand.class);
        commands.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(commands);
    }

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
                new OutputStreamWriter(System.err), args);
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
        return commandLine(environment, out, err, new String[] {"--every-command"});
    }

    /** The options of the top command alone that need no command's model. */
    private static final java.util.Set<String> OUTLINE_ONLY = java.util.Set.of("--help", "-h", "--version", "-V");

    /** A command as the usage lists it: its name and description, nothing that runs. */
    private static CommandLine outline(Class<?> type) {
        Command command = type.getAnnotation(Command.class);
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(command.name());
        spec.usageMessage().header(command.header()).description(command.description()).hidden(command.hidden());
        return new CommandLine(spec);
    }

    /**
     * The command line for {@code args}: with only the command they name when they name one (its usage, errors and
     * run are the same), else with every command (the usage lists them all; {@code help} may name any).
     */
    static CommandLine commandLine(RunnerEnvironment environment, Writer out, Writer err, String[] args) {
        SecretMasker masker = SecretMasker.of(environment.secrets());
        CommandLine commandLine = new CommandLine(new BerthCommand(environment));
        String named = args.length > 0 ? args[0] : "";
        if (COMMANDS.containsKey(named) && !named.equals("help")) {
            commandLine.addSubcommand(named, COMMANDS.get(named));
        } else if (args.length == 1 && OUTLINE_ONLY.contains(named)) {
            // The usage lists each command by its name and description, and --version none: no model is needed.
            COMMANDS.forEach((name, type) -> commandLine.addSubcommand(name, outline(type)));
        } else {
            COMMANDS.forEach(commandLine::addSubcommand);
        }
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
