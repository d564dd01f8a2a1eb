package io.jenkins.plugins.berth.model;

import java.util.List;

/**
 * A deploy file whose only problems are build arguments nothing gives a value for. It carries the file (valid
 * but for those) so that a front end that can ask for the values (a Jenkins build: {@code input}) goes on.
 */
public final class MissingBuildArgsException extends DeployFileException {
    private static final long serialVersionUID = 1L;

    private final transient DeployFile file;
    private final List<MissingBuildArg> missing;

    MissingBuildArgsException(List<Problem> problems, DeployFile file, List<MissingBuildArg> missing) {
        super(problems);
        this.file = file;
        this.missing = List.copyOf(missing);
    }

    /** The deploy file, with every other check passed. */
    public DeployFile file() {
        return file;
    }

    public List<MissingBuildArg> missing() {
        return missing;
    }
}
