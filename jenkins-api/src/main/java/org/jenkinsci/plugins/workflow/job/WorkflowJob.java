package org.jenkinsci.plugins.workflow.job;

import hudson.model.Action;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.RunMap;
import hudson.model.TopLevelItem;
import hudson.model.TopLevelItemDescriptor;
import hudson.model.queue.QueueTaskFuture;
import hudson.security.ACL;
import jenkins.model.ParameterizedJobMixIn;
import java.io.IOException;
import java.util.Collection;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/** Subset of workflow-job {@code org.jenkinsci.plugins.workflow.job.WorkflowJob} (1571.vb_423c255d6d9). */
public final class WorkflowJob extends Job<WorkflowJob, WorkflowRun> implements ParameterizedJobMixIn.ParameterizedJob<WorkflowJob, WorkflowRun>,
        TopLevelItem, Queue.FlyweightTask {
    public WorkflowJob(ItemGroup parent, String name) {
        super(parent, name);
        throw new UnsupportedOperationException();
    }

    public FlowDefinition getDefinition() {
        throw new UnsupportedOperationException();
    }

    public void setDefinition(FlowDefinition definition) {
        throw new UnsupportedOperationException();
    }

    public boolean isBuildable() {
        throw new UnsupportedOperationException();
    }

    protected RunMap<WorkflowRun> _getRuns() {
        throw new UnsupportedOperationException();
    }

    protected void removeRun(WorkflowRun run) {
        throw new UnsupportedOperationException();
    }

    public WorkflowRun getLastBuild() {
        throw new UnsupportedOperationException();
    }

    public QueueTaskFuture<WorkflowRun> scheduleBuild2(int quietPeriod, Action... actions) {
        throw new UnsupportedOperationException();
    }

    @Override
    public hudson.model.BuildAuthorizationToken getAuthToken() {
        throw new UnsupportedOperationException();
    }

    public TopLevelItemDescriptor getDescriptor() {
        throw new UnsupportedOperationException();
    }

    public ItemGroup getParent() {
        throw new UnsupportedOperationException();
    }

    public Collection<? extends Job> getAllJobs() {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public final String getFullName() {
        throw new UnsupportedOperationException();
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    public final String getUrl() {
        throw new UnsupportedOperationException();
    }

    public String getShortUrl() {
        throw new UnsupportedOperationException();
    }

    public void onLoad(ItemGroup<? extends Item> parent, String name) throws IOException {
        throw new UnsupportedOperationException();
    }

    public void onCopiedFrom(Item src) {
        throw new UnsupportedOperationException();
    }

    public void updateByXml(javax.xml.transform.Source source) throws IOException {
        throw new UnsupportedOperationException();
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException();
    }

    public void delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public ACL getACL() {
        throw new UnsupportedOperationException();
    }
}
