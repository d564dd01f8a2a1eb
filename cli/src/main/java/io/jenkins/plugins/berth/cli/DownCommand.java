package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.teardown.SkipStages;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth down --env NAME} and {@code berth down --shared STACK --project P}: destroy what was applied. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Tear an environment down from what its last successful deploy kept (the branch need not"
                + " exist any more): its teardown stages, its own stacks in reverse order (never a shared one), the"
                + " images only it used; then mark it gone. Running it again does nothing; after a failure it goes on"
                + " from the first step not done. With --shared, destroy a shared stack of a project once no live environment"
                + " uses it (or anyway, with --force)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:destroyed, or nothing to do", "1:a step failed (the record lists what is done and what remains), or a"
                + " shared stack is still in use", "2:wrong usage, a missing secret or an unknown environment"})
final class DownCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--env", paramLabel = "NAME", description = "The environment to tear down.")
        String environment;

        @ArgGroup(exclusive = false)
        Shared shared;
    }

    static final class Shared {
        @Option(names = "--shared", required = true, paramLabel = "STACK", description = "A shared stack to destroy.")
        String stack;

        @Option(names = "--project", required = true, paramLabel = "PROJECT", description = "The shared stack's project.")
        String project;

        @Option(names = "--force", description = "Destroy it even if live environments use it.")
        boolean force;
    }

    @Option(names = "--skip-stages", description = "Do not run the teardown stages (one keeps failing); needs --reason.")
    boolean skipStages;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the teardown stages are skipped, one line;"
            + " the environment's record keeps it.")
    String reason;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<SkipStages> skip;
        try {
            skip = skip();
        } catch (IllegalArgumentException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        RunnerEnvironment environment = BerthCommand.environment(spec);
        Optional<SecretSource> secrets = secretsOption.read(err, environment);
        if (secrets.isEmpty()) {
            return ExitCodes.USAGE;
        }
        try {
            if (target.environment != null) {
                LocalEngine.teardown(stateFolder.folder(), spec.commandLine().getOut(), environment)
                        .down(target.environment, secrets.get(), skip);
            } else {
                LocalEngine.destroyer(stateFolder.folder(), spec.commandLine().getOut(), environment).downShared(
                        target.shared.project, target.shared.stack, target.shared.force, secrets.get());
            }
            return ExitCodes.OK;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (NoSuchEnvironmentException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** What --skip-stages and --reason ask for, checked before anything runs. */
    private Optional<SkipStages> skip() {
        if (target.environment == null && (skipStages || reason != null)) {
            throw new IllegalArgumentException("--skip-stages and --reason go with --env: a shared stack has no"
                    + " teardown stages");
        }
        return SkipStages.of(skipStages, Optional.ofNullable(reason));
    }
}
