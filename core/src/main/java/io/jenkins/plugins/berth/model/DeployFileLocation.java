package io.jenkins.plugins.berth.model;

/**
 * Where a deploy file is in its repository, and the one rule for the paths it names: every {@code script:},
 * {@code dir:}, {@code dockerfile:} and {@code context:} is relative to the deploy file's own folder. A file
 * at {@code deploy/berth.yml} naming {@code script: build.sh} runs {@code deploy/build.sh}, on the command
 * line and in Jenkins alike.
 *
 * @param path the deploy file's path from the repository root, with {@code /} ({@code deploy/berth.yml})
 */
public record DeployFileLocation(String path) {

    public DeployFileLocation {
        if (!Names.isRepositoryPath(path)) {
            throw new IllegalArgumentException("a deploy file is a relative path inside the repository, without"
                    + " '..', not '" + path + "'");
        }
        path = path.replaceAll("/+", "/").replaceAll("^(\\./)+", "");
    }

    /** The folder the deploy file's paths are relative to: {@code deploy}, or {@code ""} at the root. */
    public String folder() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** {@code berth.yml}. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The files the deploy file names, seen from its folder. */
    public RepositoryFiles filesOf(RepositoryFiles repository) {
        return repository.under(folder());
    }
}
