package hudson.model;

import java.util.SortedMap;

/** Subset of jenkins-core {@code hudson.model.Job} (jenkins-2.541.3). */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
    protected Job(ItemGroup parent, String name) {
        throw new UnsupportedOperationException();
    }

    public abstract boolean isBuildable();

    protected abstract SortedMap<Integer, ? extends RunT> _getRuns();

    protected abstract void removeRun(RunT run);

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public ItemGroup getParent() {
        throw new UnsupportedOperationException();
    }

    public RunT getLastBuild() {
        throw new UnsupportedOperationException();
    }
}
