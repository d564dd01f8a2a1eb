package io.jenkins.plugins.berth.images.registry;

import io.jenkins.plugins.berth.BerthException;

/** A registry request that failed: what was attempted, where, and what the registry said. */
public class RegistryException extends BerthException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
