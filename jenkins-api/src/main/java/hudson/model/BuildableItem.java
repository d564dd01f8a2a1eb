package hudson.model;

/** Subset of jenkins-core {@code hudson.model.BuildableItem} (jenkins-2.541.3). */
public interface BuildableItem extends Item, Queue.Task {
    boolean scheduleBuild(Cause c);

    boolean scheduleBuild(int quietPeriod, Cause c);
}
