package io.jenkins.plugins.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --parallel N} of the commands that run a deploy: how many independent tasks run at once. */
final class ParallelOption {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "How many independent tasks may run at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    /** The number given; below 1 is wrong usage. */
    int parallel(CommandLine commandLine) {
        if (parallel < 1) {
            throw new CommandLine.ParameterException(commandLine, "--parallel must be at least 1");
        }
        return parallel;
    }
}
