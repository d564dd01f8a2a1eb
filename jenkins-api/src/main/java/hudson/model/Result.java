package hudson.model;

import java.io.Serializable;

/** Subset of jenkins-core {@code hudson.model.Result} (jenkins-2.541.3): the type only. */
public final class Result implements Serializable {
    private Result() {
        throw new UnsupportedOperationException();
    }
}
