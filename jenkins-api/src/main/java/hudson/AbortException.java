package hudson;

import java.io.IOException;

/** Subset of jenkins-core {@code hudson.AbortException} (jenkins-2.541.3). */
public class AbortException extends IOException {
    public AbortException(String message) {
        throw new UnsupportedOperationException();
    }
}
