package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.terraform.Destroyer;
import io.jenkins.plugins.berth.terraform.RunGoingOnException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth unlock --env NAME} and {@code berth unlock --shared STACK --project P}: release the state locks a
 * killed run left behind.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = {"Release the Terraform state locks a killed run left behind: with --env, the lock of every"
                + " state of the environment's own stacks (listed in its record or not); with --shared, the lock of a"
                + " shared stack of a project. Nothing is released while a run holds the environment (for --shared:"
                + " any environment of the project). The states stay as the last completed write left them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:released, or nothing was locked", "1:a run is going on: nothing was released",
            "2:wrong usage, an unknown environment or shared stack, or states hosted elsewhere"})
final class UnlockCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--env", paramLabel = "NAME", description = "The environment whose stacks to unlock.")
        String environment;

        @ArgGroup(exclusive = false)
        Shared shared;
    }

    static final class Shared {
        @Option(names = "--shared", required = true, paramLabel = "STACK", description = "A shared stack to unlock.")
        String stack;

        @Option(names = "--project", required = true, paramLabel = "PROJECT", description = "The shared stack's project.")
        String project;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Destroyer destroyer = LocalEngine.destroyer(stateFolder.folder(), out, BerthCommand.environment(spec));
        try {
            List<String> released;
            String what;
            if (target.environment != null) {
                released = destroyer.unlock(target.environment);
                what = "environment " + target.environment;
            } else {
                released = destroyer.unlockShared(target.shared.project, target.shared.stack);
                what = "shared stack " + target.shared.stack + " of project " + target.shared.project;
            }
            if (released.isEmpty()) {
                out.println("==> Nothing of " + what + " was locked");
            }
            released.forEach(lock -> out.println("==> Released " + lock));
            return ExitCodes.OK;
        } catch (RunGoingOnException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (BerthException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
