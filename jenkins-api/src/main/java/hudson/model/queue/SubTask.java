package hudson.model.queue;

import hudson.model.Queue;
import java.io.IOException;

/** Subset of jenkins-core {@code hudson.model.queue.SubTask} (jenkins-2.541.3). */
public interface SubTask {
    Queue.Executable createExecutable() throws IOException;
}
