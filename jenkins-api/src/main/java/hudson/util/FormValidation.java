package hudson.util;

import java.io.IOException;

/** Subset of jenkins-core {@code hudson.util.FormValidation} (jenkins-2.541.3). */
public abstract class FormValidation extends IOException {
    public enum Kind {
        OK, WARNING, ERROR
    }

    private FormValidation(Kind kind) {
        throw new UnsupportedOperationException();
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException();
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException();
    }

    public abstract String renderHtml();
}
