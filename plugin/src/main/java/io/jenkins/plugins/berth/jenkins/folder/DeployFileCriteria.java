package io.jenkins.plugins.berth.jenkins.folder;

import hudson.model.TaskListener;
import java.io.IOException;
import jenkins.scm.api.SCMSourceCriteria;

/** A branch, pull request or repository counts when its revision has the deploy file. */
final class DeployFileCriteria implements SCMSourceCriteria {
    private static final long serialVersionUID = 1L;

    private final String deployFile;

    DeployFileCriteria(String deployFile) {
        this.deployFile = deployFile;
    }

    @Override
    public boolean isHead(Probe probe, TaskListener listener) throws IOException {
        boolean found = probe.exists(deployFile);
        listener.getLogger().format("      ‘%s’ %s%n", deployFile, found ? "found" : "not found");
        return found;
    }

    // Indexing compares criteria to decide whether to rescan; equal settings are equal criteria.
    @Override
    public boolean equals(Object other) {
        return other instanceof DeployFileCriteria criteria && criteria.deployFile.equals(deployFile);
    }

    @Override
    public int hashCode() {
        return deployFile.hashCode();
    }
}
