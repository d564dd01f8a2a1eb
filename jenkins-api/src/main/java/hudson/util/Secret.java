package hudson.util;

import java.io.Serializable;

/** Subset of jenkins-core {@code hudson.util.Secret} (jenkins-2.541.3): a value kept encrypted when serialized. */
public final class Secret implements Serializable {
    Secret(String value) {
        throw new UnsupportedOperationException();
    }

    public String getPlainText() {
        throw new UnsupportedOperationException();
    }

    public static Secret fromString(String data) {
        throw new UnsupportedOperationException();
    }
}
