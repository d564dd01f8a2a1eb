package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Run} (jenkins-2.541.3). */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    public final java.nio.charset.Charset getCharset() {
        throw new UnsupportedOperationException();
    }

    public java.util.List<Cause> getCauses() {
        throw new UnsupportedOperationException();
    }

    public <T extends Cause> T getCause(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    protected Run(JobT job) throws java.io.IOException {
        throw new UnsupportedOperationException();
    }

    public JobT getParent() {
        throw new UnsupportedOperationException();
    }

    public String getUrl() {
        throw new UnsupportedOperationException();
    }
}
