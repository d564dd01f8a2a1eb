package hudson.console;

import hudson.ExtensionPoint;
import hudson.model.Run;
import java.io.IOException;
import java.io.OutputStream;

/** Subset of jenkins-core {@code hudson.console.ConsoleLogFilter} (jenkins-2.541.3). */
public abstract class ConsoleLogFilter implements ExtensionPoint {
    public OutputStream decorateLogger(Run build, OutputStream logger) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }
}
