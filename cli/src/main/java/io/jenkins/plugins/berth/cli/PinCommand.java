package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.StateException;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth pin --env NAME} and {@code berth unpin --env NAME}: protect an environment from reaping, or not. */
final class PinCommand {

    private PinCommand() {}

    /** Sets the protected flag of a record, keeping whatever else other writers change meanwhile. */
    static int setProtected(CommandLine.Model.CommandSpec spec, StateFolderOption stateFolder, String environment,
            boolean isProtected) throws IOException {
        DirectoryStateStore state = new DirectoryStateStore(stateFolder.folder());
        try {
            if (state.read(environment).isEmpty()) {
                spec.commandLine().getErr().println("berth: there is no environment " + environment + " in "
                        + stateFolder.folder());
                return ExitCodes.USAGE;
            }
            state.update(environment, stored -> stored.orElseThrow().withProtected(isProtected, Instant.now()));
        } catch (StateException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        spec.commandLine().getOut().println("==> " + environment + (isProtected
                ? " is pinned: reaping leaves it alone (berth down still tears it down)"
                : " is unpinned: reaping tears it down once it expires"));
        return ExitCodes.OK;
    }

    @Command(name = "pin", mixinStandardHelpOptions = true,
            description = {"Protect an environment: reaping never tears it down. berth down still does."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:pinned", "2:unknown environment"})
    static final class Pin implements Callable<Integer> {
        @CommandLine.Mixin
        StateFolderOption stateFolder;

        @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
        String environment;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            return setProtected(spec, stateFolder, environment, true);
        }
    }

    @Command(name = "unpin", mixinStandardHelpOptions = true,
            description = {"Remove an environment's protection: reaping tears it down once it expires."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:unpinned", "2:unknown environment"})
    static final class Unpin implements Callable<Integer> {
        @CommandLine.Mixin
        StateFolderOption stateFolder;

        @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
        String environment;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            return setProtected(spec, stateFolder, environment, false);
        }
    }
}
