package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Log;
import java.io.PrintWriter;

/**
 * The engine's log on the terminal: Berth's messages start with {@code ==>}, command output with the
 * task's name in brackets. One writer for both keeps them in the order they happened.
 */
final class ConsoleLog implements Log {

    private final PrintWriter out;

    ConsoleLog(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void message(Level level, String text) {
        String prefix = switch (level) {
            case INFO -> "==> ";
            case WARNING -> "==> warning: ";
            case ERROR -> "==> error: ";
        };
        text.lines().forEach(line -> out.println(prefix + line));
        out.flush();
    }

    @Override
    public synchronized void output(String task, String line) {
        out.println("[" + task + "] " + line);
        out.flush();
    }
}
