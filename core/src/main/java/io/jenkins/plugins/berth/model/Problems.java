package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a deploy file is read, so that all of them are reported at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void add(Position position, String message) {
        found.add(new Problem(position, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(found);
    }

    void throwIfAny() throws DeployFileException {
        if (!found.isEmpty()) {
            throw new DeployFileException(found);
        }
    }
}
