package io.jenkins.plugins.berth.model;

import java.util.Optional;

/**
 * A stage of {@code init_stages}, {@code stages} or {@code teardown}: one action (inline script,
 * script file in the repository, or a deploy) and how its failure counts.
 *
 * @param timeout how long it may run before it is stopped and counts as failed; none: as long as it takes
 */
public record Stage(String name, Position position, Action action, Optional<String> image, Optional<String> agent,
        OnFailure onFailure, boolean always, Optional<java.time.Duration> timeout) {

    /** What a stage does: exactly one of these. */
    public sealed interface Action permits Run, Script, DeployAction {}

    /** {@code run:} an inline bash script. */
    public record Run(String script) implements Action {}

    /** {@code script:} a file in the repository, run with bash. */
    public record Script(FileRef file) implements Action {}

    /** {@code deploy:} publish the application. */
    public record DeployAction(Deploy deploy) implements Action {}
}
