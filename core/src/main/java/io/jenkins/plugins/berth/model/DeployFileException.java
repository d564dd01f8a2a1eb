package io.jenkins.plugins.berth.model;

import io.jenkins.plugins.berth.BerthException;
import java.util.List;
import java.util.stream.Collectors;

/** A deploy file that cannot be used, with every problem found in it (not just the first). */
public class DeployFileException extends BerthException {
    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    public DeployFileException(List<Problem> problems) {
        super(problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a DeployFileException needs at least one problem");
        }
        this.problems = problems.stream().sorted().toList();
    }

    /** The problems in file order. */
    public List<Problem> problems() {
        return problems;
    }
}
