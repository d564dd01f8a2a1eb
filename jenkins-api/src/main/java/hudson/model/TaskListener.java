package hudson.model;

import java.io.PrintStream;

/** Subset of jenkins-core {@code hudson.model.TaskListener} (jenkins-2.541.3). */
public interface TaskListener {
    PrintStream getLogger();
}
