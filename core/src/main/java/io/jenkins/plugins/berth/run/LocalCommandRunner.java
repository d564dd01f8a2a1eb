package io.jenkins.plugins.berth.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands on this machine with {@link ProcessBuilder}, in a folder under the repository root.
 * The process gets the runner's environment ({@link RunnerEnvironment#forProcess}: without the state
 * credentials unless it is Terraform) plus the command's variables; stdin is empty. Every process starts
 * here, so none can be given the state credentials by mistake.
 *
 * <p>Output is read on another thread while this one waits for the process. A command may leave a
 * background process behind that still holds the output pipe (an app started with {@code &}); once
 * the command itself has ended, the reader gets a short grace period and is then cut off, so the stage
 * ends when its command does.
 *
 * <p>Each command runs in a process group of its own ({@link ProcessGroups}): interrupting the run stops the
 * whole group, and a guard stops it too when Berth itself dies while it runs.
 */
public final class LocalCommandRunner implements CommandRunner {

    private static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

    /** Output readers, reused across commands: a new thread per short stage costs more than the stage. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "berth-output-reader");
        thread.setDaemon(true);
        return thread;
    });

    private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    private final Path root;
    private final RunnerEnvironment environment;

    /** Commands in this process's environment. */
    public LocalCommandRunner(Path root) {
        this(root, RunnerEnvironment.current());
    }

    /** {@code more}: variables every command gets besides this process's, under its own (cloud credentials). */
    public LocalCommandRunner(Path root, Map<String, String> more) {
        this(root, RunnerEnvironment.current().with(more));
    }

    /** Commands in {@code environment}, in place of this process's. */
    public LocalCommandRunner(Path root, RunnerEnvironment environment) {
        this.root = root.toAbsolutePath().normalize();
        this.environment = environment;
    }

    /**
     * Asks the JDK to start processes with vfork on Linux, unless told otherwise. Java 17's default
     * there, posix_spawn, goes through the jspawnhelper program: one more exec for every stage, which
     * made the engine about 40% slower than bash at starting many short stages. Later JDKs deprecate
     * vfork, so it is only chosen up to Java 21. Call it first thing in {@code main}: the JDK reads the
     * property once, when it starts its first process.
     */
    public static void preferFastProcessStart() {
        if (System.getProperty(LAUNCH_MECHANISM) == null && Runtime.version().feature() <= 21
                && System.getProperty("os.name", "").equals("Linux")) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
    }

    @Override
    public int run(Command command, LineSink output) throws IOException, InterruptedException {
        Optional<ProcessGroups> groups = ProcessGroups.available();
        Path directory = root.resolve(command.directory());
        ProcessBuilder builder = new ProcessBuilder(command.arguments())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> inherited = builder.environment();
        inherited.clear();
        inherited.putAll(environment.forProcess(command.stateCredentials()));
        inherited.putAll(command.environment());
        if (groups.isPresent()) {
            builder.command(groups.get().wrap(command, inherited.get("PATH"), directory));
        }
        Process process = builder.start();
        groups.ifPresent(g -> g.started(process.pid()));
        process.getOutputStream().close();
        LineReader reader = new LineReader(process.getInputStream(), output);
        Future<?> reading = READERS.submit(reader);
        try {
            int exitCode = process.waitFor();
            groups.ifPresent(g -> g.ended(process.pid()));
            try {
                reading.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // A background process kept the pipe open: stop listening to it.
                process.getInputStream().close();
                awaitQuietly(reading);
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the output of a command failed", e.getCause());
            }
            reader.flush();
            return exitCode;
        } catch (InterruptedException e) {
            if (groups.isPresent()) {
                groups.get().stop(process, command.stopGrace(), command.stopSignal());
            } else {
                stopDescendants(process);
            }
            // A second interrupt during the stop changes nothing more; what the command said while stopping is shown.
            Thread.interrupted();
            try {
                awaitQuietly(reading);
            } catch (InterruptedException again) {
                // Shown as far as it was read.
            }
            reader.flush();
            throw e;
        }
    }

    @Override
    public java.util.List<String> environmentSecrets() {
        return environment.secrets();
    }

    private static void awaitQuietly(Future<?> reading) throws InterruptedException {
        try {
            reading.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Closed under it: what it read is flushed by the caller.
        }
    }

    /** Stops the process and everything it started that is still its descendant, politely first. */
    private static void stopDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException again) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Splits a byte stream into UTF-8 lines ("\n" or "\r\n"); a last line without an ending counts too. */
    private static final class LineReader implements Runnable {
        private final InputStream in;
        private final LineSink sink;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

        LineReader(InputStream in, LineSink sink) {
            this.in = in;
            this.sink = sink;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        int start = 0;
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                line.write(buffer, start, i - start);
                                emit();
                                start = i + 1;
                            }
                        }
                        line.write(buffer, start, n - start);
                    }
                }
            } catch (IOException e) {
                // The stream was closed under us (see run): what was read is flushed by the caller.
            }
        }

        synchronized void flush() {
            if (line.size() > 0) {
                emit();
            }
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            sink.line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        }
    }
}
