package io.jenkins.plugins.berth.run;

/**
 * Where the engine reports: its own levelled messages and the output lines of each task. The CLI
 * prints to the terminal; the plugin writes to the build's console. Implementations must accept calls
 * from several threads (tasks of a group run in parallel). The engine masks secrets before calling.
 */
public interface Log {

    enum Level { INFO, WARNING, ERROR }

    /** A message from Berth itself. */
    void message(Level level, String text);

    /** A line a task's command printed; {@code task} is the stage, stack or image name. */
    void output(String task, String line);

    default void info(String text) {
        message(Level.INFO, text);
    }

    default void warning(String text) {
        message(Level.WARNING, text);
    }

    default void error(String text) {
        message(Level.ERROR, text);
    }

    /** This log with every secret {@code masker} knows replaced by {@code ****}. */
    static Log masked(Log log, SecretMasker masker) {
        return new Log() {
            @Override
            public void message(Level level, String text) {
                log.message(level, masker.mask(text));
            }

            @Override
            public void output(String task, String line) {
                log.output(task, masker.mask(line));
            }
        };
    }
}
