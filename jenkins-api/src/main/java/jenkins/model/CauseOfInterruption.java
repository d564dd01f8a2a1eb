package jenkins.model;

import java.io.Serializable;

/** Subset of jenkins-core {@code jenkins.model.CauseOfInterruption} (jenkins-2.541.3). */
public abstract class CauseOfInterruption implements Serializable {
    public abstract String getShortDescription();
}
