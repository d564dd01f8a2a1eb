package io.jenkins.plugins.berth.run;

import java.util.ArrayList;
import java.util.List;

/** A log that keeps everything, in order, as the console would show it. */
public final class RecordingLog implements Log {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void message(Level level, String text) {
        lines.add(level + ": " + text);
    }

    @Override
    public synchronized void output(String task, String line) {
        lines.add("[" + task + "] " + line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The output lines of one task, without the prefix. */
    public synchronized List<String> output(String task) {
        String prefix = "[" + task + "] ";
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }
}
