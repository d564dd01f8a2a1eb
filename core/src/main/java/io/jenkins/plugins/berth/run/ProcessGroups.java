package io.jenkins.plugins.berth.run;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs each command in a process group of its own ({@code setsid}), so that stopping it stops everything it
 * started, and so that nothing it started outlives Berth while it still runs: a guard process, one per JVM,
 * holds a pipe from Berth and learns each running group's id; when the pipe closes because Berth died (even
 * by {@code kill -9}), it stops the groups still running, as Ctrl-C would, then for good.
 *
 * <p>The guard hears of a group just after its command started: a command started in the instant before Berth
 * dies is not stopped by it. A command that ended normally is forgotten by the guard: what it left running on purpose (an app
 * started with {@code &}) keeps running, as it did before.
 *
 * <p>Only on Linux with {@code setsid} and {@code kill} on the PATH; elsewhere {@link #available} is empty and
 * commands are stopped by walking their descendants.
 */
final class ProcessGroups {

    /**
     * What the guard does once Berth is gone, as {@link #stop} does for one group: SIGTERM to the groups left, up
     * to a minute for their leaders to end, then SIGKILL to what remains of them.
     */
    private static final String GUARD_SCRIPT = """
            trap '' INT TERM HUP
            declare -A groups=()
            while IFS= read -r line; do
              case $line in
                +*) groups[${line#+}]=1 ;;
                -*) unset "groups[${line#-}]" ;;
              esac
            done
            [ ${#groups[@]} -eq 0 ] && exit 0
            for g in "${!groups[@]}"; do kill -s TERM -- "-$g" 2>/dev/null; done
            for _ in $(seq 1 300); do
              alive=0
              for g in "${!groups[@]}"; do kill -0 "$g" 2>/dev/null && alive=1; done
              [ $alive -eq 0 ] && break
              sleep 0.2
            done
            for g in "${!groups[@]}"; do kill -s KILL -- "-$g" 2>/dev/null; done
            """;

    /**
     * How OpenTofu runs: its output relayed line by line by a shell that outlives Berth. Once Berth is gone nobody
     * reads the output, and OpenTofu's first line after the guard's SIGTERM would kill it by SIGPIPE (Go programs
     * die so, whatever they inherit) before it wrote the state it could not save ({@code errored.tfstate}). The
     * relay ignores SIGTERM and SIGPIPE and drops what it cannot write; OpenTofu installs its own handlers, so it
     * still stops on SIGTERM. Exits with OpenTofu's exit code.
     */
    private static final String OUTPUT_RELAY = """
            trap '' TERM PIPE
            "$0" "$@" 2>&1 | while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line" 2>/dev/null; done
            exit "${PIPESTATUS[0]}"
            """;

    private static final Optional<ProcessGroups> AVAILABLE = find();

    private final Path setsid;
    private final Path kill;
    private final Path bash;
    private OutputStream guard;
    private Process guardProcess;
    private boolean releasedAtExit;

    private ProcessGroups(Path setsid, Path kill, Path bash) {
        this.setsid = setsid;
        this.kill = kill;
        this.bash = bash;
    }

    /** The process groups of this machine, if it has them. */
    static Optional<ProcessGroups> available() {
        return AVAILABLE;
    }

    private static Optional<ProcessGroups> find() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        Optional<Path> setsid = onPath("setsid");
        Optional<Path> kill = onPath("kill");
        Optional<Path> bash = onPath("bash");
        if (setsid.isEmpty() || kill.isEmpty() || bash.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessGroups(setsid.get(), kill.get(), bash.get()));
    }

    private static Optional<Path> onPath(String program) {
        return onPath(program, System.getenv("PATH"), Path.of(""));
    }

    private static Optional<Path> onPath(String program, String path, Path directory) {
        if (program.contains("/")) {
            Path given = directory.resolve(program);
            return Files.isExecutable(given) && !Files.isDirectory(given) ? Optional.of(given) : Optional.empty();
        }
        for (String folder : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = directory.resolve(Path.of(folder.isEmpty() ? "." : folder, program));
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The arguments that start {@code arguments} as the leader of a new session and process group. The process
     * Java starts is never a group leader, so setsid execs in place: its pid is the group's id.
     */
    List<String> wrap(Command command, String path, Path directory) throws IOException {
        List<String> arguments = command.arguments();
        // setsid would start and then fail with 127: find the program first, so that a missing one is an
        // IOException, as a command that cannot start is everywhere else.
        if (onPath(arguments.get(0), path, directory).isEmpty()) {
            throw new IOException("Cannot run program \"" + arguments.get(0) + "\": No such file or directory");
        }
        startGuard();
        List<String> wrapped = new ArrayList<>(arguments.size() + 5);
        wrapped.add(setsid.toString());
        if (command.savesState()) {
            wrapped.addAll(List.of(bash.toString(), "-c", OUTPUT_RELAY));
        }
        wrapped.addAll(arguments);
        return wrapped;
    }

    /** Tells the guard that group {@code id} runs: it stops it if Berth dies before {@link #ended}. */
    synchronized void started(long id) {
        tell("+" + id);
    }

    /** The group's command ended by itself: what it left running may go on. */
    synchronized void ended(long id) {
        tell("-" + id);
    }

    /**
     * Stops group {@code id}: {@code first} to all of it, up to {@code grace} for its leader to end, then SIGKILL
     * to whatever is left of it. SIGTERM for most commands (OpenTofu then finishes the operations in flight and
     * saves its state, as after Ctrl-C); not SIGINT, since a process started in the background (by a CI agent, by
     * {@code &}) inherits SIGINT ignored, and so would every command. SIGINT for the commands that ask for it
     * ({@link Command.StopSignal#INT}: Packer, which re-enables it and cleans up). Interrupting the caller cuts
     * the grace short.
     */
    void stop(Process leader, Duration grace, Command.StopSignal first) {
        signal(leader.pid(), first.name());
        try {
            leader.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
        signal(leader.pid(), "KILL");
        ended(leader.pid());
    }

    private void signal(long group, String signal) {
        try {
            Process sender = new ProcessBuilder(kill.toString(), "-s", signal, "--", "-" + group)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // Uninterruptibly: a second Ctrl-C must not leave the group running.
            boolean interrupted = Thread.interrupted();
            while (true) {
                try {
                    sender.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (IOException e) {
            // kill was found at start; if it cannot run now, the leader is still stopped by the caller.
        }
    }

    private void tell(String line) {
        try {
            startGuard();
            guard.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            guard.flush();
        } catch (IOException e) {
            // The guard is gone (killed by someone): commands still run, only without the net.
            guard = OutputStream.nullOutputStream();
        }
    }

    /** Starts the guard once, before the first command: a command must never run without it. */
    private synchronized void startGuard() throws IOException {
        if (guard != null) {
            return;
        }
        // In a session of its own, so the terminal's Ctrl-C (sent to Berth's group) does not reach it.
        Process process = new ProcessBuilder(setsid.toString(), bash.toString(), "-c", GUARD_SCRIPT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        guard = process.getOutputStream();
        guardProcess = process;
        if (!releasedAtExit) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::release, "berth-guard-release"));
                releasedAtExit = true;
            } catch (IllegalStateException shuttingDown) {
                // The JVM is on its way out: the guard's pipe closes with it.
            }
        }
    }

    /**
     * Closes the guard's pipe, as Berth's end does, and gives the guard a moment to end: with no group left it ends
     * at once. Run as the JVM exits: its exit waits up to 300 ms for threads in native code, and the thread that waits
     * for the guard to end is one until it does (measured: every command that ran one took 0.3 s longer to exit).
     * A group still running is stopped by the guard, as when Berth dies; the exit does not wait for that.
     */
    void release() {
        Process process;
        synchronized (this) {
            process = guardProcess;
            if (process == null) {
                return;
            }
            try {
                guard.close();
            } catch (IOException e) {
                // Gone already.
            }
            guard = null;
            guardProcess = null;
        }
        try {
            process.waitFor(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The guard process while one runs (tests). */
    synchronized Optional<ProcessHandle> guardProcess() {
        return Optional.ofNullable(guardProcess).map(Process::toHandle);
    }
}
