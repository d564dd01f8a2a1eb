package hudson.model;

import java.io.Serializable;

/** Subset of jenkins-core {@code hudson.model.ParameterValue} (jenkins-2.541.3). */
public abstract class ParameterValue implements Serializable {
    protected ParameterValue(String name) {
        throw new UnsupportedOperationException();
    }
}
