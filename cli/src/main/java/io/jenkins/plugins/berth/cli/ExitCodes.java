package io.jenkins.plugins.berth.cli;

/** What {@code berth} exits with. */
final class ExitCodes {
    static final int OK = 0;
    /** The deploy file has problems, or the command failed. */
    static final int FAILED = 1;
    /** Wrong usage, or a file that cannot be read (picocli's usage code is the same). */
    static final int USAGE = 2;

    private ExitCodes() {}
}
