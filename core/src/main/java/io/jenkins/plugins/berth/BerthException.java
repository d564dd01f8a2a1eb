package io.jenkins.plugins.berth;

/**
 * The one checked root of Berth's errors. Subclasses carry the context a user needs to act: the file
 * and position, the stack and environment, the registry and repository.
 */
public class BerthException extends Exception {
    private static final long serialVersionUID = 1L;

    public BerthException(String message) {
        super(message);
    }

    public BerthException(String message, Throwable cause) {
        super(message, cause);
    }
}
