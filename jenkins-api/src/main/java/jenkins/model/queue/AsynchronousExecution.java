package jenkins.model.queue;

/** Subset of jenkins-core {@code jenkins.model.queue.AsynchronousExecution} (jenkins-2.541.3). */
public abstract class AsynchronousExecution extends RuntimeException {
    protected AsynchronousExecution() {
        throw new UnsupportedOperationException();
    }

    public abstract void interrupt(boolean forShutdown);

    public abstract boolean blocksRestart();

    public abstract boolean displayCell();
}
