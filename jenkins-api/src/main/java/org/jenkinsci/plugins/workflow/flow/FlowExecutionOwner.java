package org.jenkinsci.plugins.workflow.flow;

import hudson.model.Queue;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;

/** Subset of workflow-api {@code org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner} (1398.v67030756d3fb_). */
public abstract class FlowExecutionOwner implements Serializable {
    public abstract FlowExecution get() throws IOException;

    public abstract File getRootDir() throws IOException;

    public abstract Queue.Executable getExecutable() throws IOException;

    public abstract String getUrl() throws IOException;

    @Override
    public abstract boolean equals(Object o);

    @Override
    public abstract int hashCode();

    public interface Executable extends Queue.Executable {
        FlowExecutionOwner asFlowExecutionOwner();
    }
}
