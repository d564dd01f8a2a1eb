package io.jenkins.plugins.berth.cli;

/** What {@code berth} exits with. */
final class ExitCodes {
    static final int OK = 0;
    /** The deploy file has problems, or the command failed. */
    static final int FAILED = 1;
    /** Wrong usage, or a file that cannot be read (picocli's usage code is the same). */
    static final int USAGE = 2;
    /** {@code up --step} in a walk: skipped, as an earlier step's failure stopped the deploy. */
    static final int SKIPPED = 3;
    /** {@code up --step}: the step failed, and its {@code on_failure: continue} lets the deploy go on. */
    static final int CONTINUED = 4;

    /** Stopped by Ctrl-C (SIGINT), as a shell reports a process a signal ended: 128 + 2. */
    static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM: 128 + 15. */
    static final int TERMINATED = 143;

    private ExitCodes() {}

    /** What a run that {@code stops} stopped exits with: 143 for SIGTERM, else 130. */
    static int stopped(io.jenkins.plugins.berth.run.StopRequest stops) {
        return stops.reason().filter("SIGTERM"::equals).isPresent() ? TERMINATED : INTERRUPTED;
    }
}
