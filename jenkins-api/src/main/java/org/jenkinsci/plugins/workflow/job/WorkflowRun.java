package org.jenkinsci.plugins.workflow.job;

import hudson.model.Run;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;

/** Subset of workflow-job {@code org.jenkinsci.plugins.workflow.job.WorkflowRun} (1571.vb_423c255d6d9). */
public final class WorkflowRun extends Run<WorkflowJob, WorkflowRun> implements FlowExecutionOwner.Executable {
    public WorkflowRun(WorkflowJob job) throws IOException {
        super(job);
        throw new UnsupportedOperationException();
    }

    public void run() {
        throw new UnsupportedOperationException();
    }

    public FlowExecutionOwner asFlowExecutionOwner() {
        throw new UnsupportedOperationException();
    }
}
