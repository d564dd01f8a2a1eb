package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Action} (jenkins-2.541.3). */
public interface Action extends ModelObject {
    String getIconFileName();

    @Override
    String getDisplayName();

    String getUrlName();
}
