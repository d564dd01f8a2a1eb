package io.jenkins.plugins.berth.run;

import java.util.List;
import java.util.Map;

/**
 * A process to run: its arguments, the folder it runs in (relative to the repository root, "" for the
 * root itself) and the variables added to the environment it inherits. User text never becomes part
 * of an argument list other than as the script bash is told to run: values travel as variables.
 *
 * <p>{@code stateCredentials}: whether the process inherits the runner's Terraform state credentials
 * ({@link RunnerEnvironment#forProcess}). Only {@link #terraform} commands do; a new kind of command
 * gets none unless it says so.
 *
 * <p>{@code stopSignal}: what a stopped command (Ctrl-C, a timeout, an abort) is sent first, to its whole process
 * group, before {@link #stopGrace} and the kill.
 */
public record Command(List<String> arguments, String directory, Map<String, String> environment,
        boolean stateCredentials, StopSignal stopSignal) {

    /**
     * The first signal of a stop. {@code TERM} for most commands: a process started in the background (by a CI
     * agent, by {@code &}) inherits SIGINT ignored. {@code INT} for programs that handle it themselves and whose
     * helpers die on TERM without cleaning up (Packer's plugin processes ignore SIGINT and leave the cancelling to
     * Packer, which then runs its builders' clean-up).
     */
    public enum StopSignal { TERM, INT }

    public Command {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one argument");
        }
        arguments = List.copyOf(arguments);
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        java.util.Objects.requireNonNull(stopSignal, "stopSignal");
    }

    /** A command stopped with SIGTERM. */
    public Command(List<String> arguments, String directory, Map<String, String> environment,
            boolean stateCredentials) {
        this(arguments, directory, environment, stateCredentials, StopSignal.TERM);
    }

    /**
     * A Packer command: stopped with SIGINT and given {@link #CLEANUP_STOP_GRACE} to clean up (destroy the
     * instance it builds on) before its process group is killed.
     */
    public static Command packer(List<String> arguments, String directory, Map<String, String> environment) {
        return new Command(arguments, directory, environment, false, StopSignal.INT);
    }

    /** A command without the state credentials. */
    public Command(List<String> arguments, String directory, Map<String, String> environment) {
        this(arguments, directory, environment, false);
    }

    /** An OpenTofu or Terraform command: its http backend needs the state credentials. */
    public static Command terraform(List<String> arguments, String directory, Map<String, String> environment) {
        return new Command(arguments, directory, environment, true);
    }

    /** An inline script, run by bash with {@code -e -o pipefail}. */
    public static Command inlineScript(String script, Map<String, String> environment) {
        return new Command(List.of("bash", "-e", "-o", "pipefail", "-c", script), "", environment);
    }

    /** A script file of the repository, run by bash with {@code -e -o pipefail} whether or not it is executable. */
    public static Command scriptFile(String path, Map<String, String> environment) {
        return new Command(List.of("bash", "-e", "-o", "pipefail", path), "", environment);
    }

    /**
     * How long a stopped command (Ctrl-C, a timeout) may take to end after SIGINT before it is killed. Terraform
     * (the only command with the state credentials) gets longer: it finishes the resource operations in flight
     * and saves its state, which a kill would lose.
     */
    public java.time.Duration stopGrace() {
        return savesState() ? TERRAFORM_STOP_GRACE : stopSignal == StopSignal.INT ? CLEANUP_STOP_GRACE : STOP_GRACE;
    }

    /**
     * Whether this is OpenTofu or Terraform (the only commands with the state credentials), which save a state when
     * stopped: they get a longer {@link #stopGrace} and must outlive the end of their output (Berth killed) to do so.
     */
    public boolean savesState() {
        return stateCredentials;
    }

    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(10);
    private static final java.time.Duration TERRAFORM_STOP_GRACE = java.time.Duration.ofSeconds(60);
    /** How long a command stopped with SIGINT may clean up (Packer destroying its build instance). */
    public static final java.time.Duration CLEANUP_STOP_GRACE = java.time.Duration.ofSeconds(60);

    /** Only the names of the variables: values may be secret. */
    @Override
    public String toString() {
        return "Command" + arguments + " in '" + directory + "' with " + environment.keySet()
                + (stateCredentials ? " and the state credentials" : "");
    }
}
