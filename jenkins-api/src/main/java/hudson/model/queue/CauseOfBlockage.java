package hudson.model.queue;

/** Subset of jenkins-core {@code hudson.model.queue.CauseOfBlockage} (jenkins-2.541.3). */
public abstract class CauseOfBlockage {
    public abstract String getShortDescription();
}
