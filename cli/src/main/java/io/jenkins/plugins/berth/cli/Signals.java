package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.StopRequest;
import java.io.PrintWriter;
import java.util.Optional;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the command line. Without these handlers the JVM exits at once: the record
 * stays {@code deploying}, no {@code always} stage runs, and the running stage's processes are left behind.
 *
 * <p>During a deploy the first signal asks it to stop ({@link StopRequest}): the running tasks' process groups
 * are stopped, the {@code always} stages run, the record says {@code interrupted}, and {@code berth} exits with
 * 130 (SIGINT) or 143 (SIGTERM). A second signal stops the {@code always} stages too; a third ends Berth at once
 * (its guard still stops what it started). Another command is interrupted by the first signal and ended by the
 * second.
 */
final class Signals {

    private static volatile Optional<Integer> exitCode = Optional.empty();
    private static int received;

    private Signals() {}

    /** Handles SIGINT and SIGTERM for {@code main}, the thread the command runs on, from now on. */
    static void install(StopRequest stops, Thread main, PrintWriter err) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> received(signal, stops, main, err));
            } catch (IllegalArgumentException e) {
                // This JVM keeps the signal for itself (-Xrs) or the platform lacks it: its default stays.
            }
        }
    }

    /** 130 or 143 once a signal came: the command exits with it whatever it returned. */
    static Optional<Integer> exitCode() {
        return exitCode;
    }

    private static synchronized void received(Signal signal, StopRequest stops, Thread main, PrintWriter err) {
        String name = "SIG" + signal.getName();
        int code = 128 + signal.getNumber();
        received++;
        if (exitCode.isEmpty()) {
            exitCode = Optional.of(code);
        }
        boolean run = stops.watched();
        if (received >= 3 || (received == 2 && !run)) {
            err.println("berth: " + name + " again: stopping now");
            err.flush();
            Runtime.getRuntime().halt(exitCode.get());
        }
        if (run) {
            err.println(received == 1
                    ? "berth: " + name + ": stopping the deploy; its always stages still run (again: stop those too)"
                    : "berth: " + name + " again: stopping the always stages too");
            err.flush();
            stops.request(name);
        } else {
            main.interrupt();
        }
    }
}
