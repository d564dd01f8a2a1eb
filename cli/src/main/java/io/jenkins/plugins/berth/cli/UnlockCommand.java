package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.terraform.Destroyer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth unlock --env NAME}: release the state locks a killed run left behind. */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = {"Release the Terraform state locks of an environment's stacks, left behind by a run that was"
                + " killed. Only use it when no run of the environment is going on: the state stays as the last"
                + " completed write left it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:released, or nothing was locked", "2:wrong usage or an unknown environment"})
final class UnlockCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Destroyer destroyer = LocalEngine.destroyer(stateFolder.folder(), out, BerthCommand.environment(spec));
        try {
            List<String> released = destroyer.unlock(environment);
            if (released.isEmpty()) {
                out.println("==> Nothing of environment " + environment + " was locked");
            }
            released.forEach(lock -> out.println("==> Released " + lock));
            return ExitCodes.OK;
        } catch (BerthException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
