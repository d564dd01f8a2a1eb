package io.jenkins.plugins.berth;

import io.jenkins.plugins.berth.run.Log;
import java.util.List;

/** A log for tests that appends each line to a list as the console shows it: {@code INFO: text}, {@code [task] line}. */
public final class LogLines {

    private LogLines() {}

    /** Appends to {@code lines}; give a concurrent list where tasks log from several threads. */
    public static Log into(List<String> lines) {
        return new Log() {
            @Override
            public void message(Level level, String text) {
                lines.add(level + ": " + text);
            }

            @Override
            public void output(String task, String line) {
                lines.add("[" + task + "] " + line);
            }
        };
    }
}
