package io.jenkins.plugins.berth.model;

import io.jenkins.plugins.berth.BerthException;

/** A folder has no deploy file, or more than one. */
public class NoDeployFileException extends BerthException {
    private static final long serialVersionUID = 1L;

    public NoDeployFileException(String message) {
        super(message);
    }
}
