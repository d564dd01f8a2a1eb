package hudson;

import java.util.TreeMap;

/** Subset of jenkins-core {@code hudson.EnvVars} (jenkins-2.541.3). */
public class EnvVars extends TreeMap<String, String> {
    public EnvVars() {
        throw new UnsupportedOperationException();
    }

    public void override(String key, String value) {
        throw new UnsupportedOperationException();
    }
}
