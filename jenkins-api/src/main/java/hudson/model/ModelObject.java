package hudson.model;

/** Subset of jenkins-core {@code hudson.model.ModelObject} (jenkins-2.541.3). */
public interface ModelObject {
    String getDisplayName();
}
