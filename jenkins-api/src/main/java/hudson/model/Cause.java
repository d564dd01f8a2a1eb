package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Cause} (jenkins-2.541.3). */
public abstract class Cause {
    public abstract String getShortDescription();
}
