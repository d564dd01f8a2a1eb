package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.Durations;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --default-ttl DURATION} of the commands that deploy: the ttl of an environment whose deploy file
 * sets none. Jenkins passes a folder's default; an empty value (an unset folder default) means none.
 */
final class DefaultTtlOption {

    @Option(names = "--default-ttl", paramLabel = "DURATION",
            description = "The ttl when the deploy file's environment sets none (30m, 12h, 3d); empty: none.")
    String ttl = "";

    /** The duration given, if any. */
    Optional<Duration> ttl(CommandLine commandLine) {
        if (ttl.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Durations.parse(ttl.strip()).orElseThrow(() -> new CommandLine.ParameterException(
                commandLine, "--default-ttl '" + ttl + "': write a whole number and a unit, such as 30m, 12h or 3d")));
    }
}
