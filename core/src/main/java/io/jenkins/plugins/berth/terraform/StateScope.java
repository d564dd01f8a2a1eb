package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.model.EnvironmentNames;

/**
 * Which Terraform states one build's token may touch: its own environment's states in its project
 * ({@code project/<stack>/<environment>}, every method), and the project's shared stacks
 * ({@code project/<stack>/_shared}) to read only or also to change, as {@link SharedAccess} says.
 * Nothing else: not another environment of the project, not another project.
 */
public record StateScope(String project, String environment, SharedAccess shared) {

    /** What a token may do with the states of the project's shared stacks. */
    public enum SharedAccess {
        /** {@code GET} only: read their states (their outputs), never change or lock them. */
        READ,
        /** Every method: apply them too. */
        WRITE
    }

    /** The last segment of a shared stack's key ({@link InfrastructurePhase#stateKey}). */
    static final String SHARED = "_shared";

    /** @throws IllegalArgumentException for a project or environment that is not one (it could name other keys) */
    public StateScope {
        if (!StateStorage.isProject(project)) {
            throw new IllegalArgumentException("not a project name: '" + project + "'");
        }
        // A DNS label never is "_shared" nor holds a '/', so it names exactly one environment's keys.
        if (environment == null || !EnvironmentNames.isLabel(environment)) {
            throw new IllegalArgumentException("not an environment name: '" + environment + "'");
        }
        if (shared == null) {
            throw new IllegalArgumentException("the shared stacks' access is required");
        }
    }

    /** Whether {@code method} on the state {@code key} (not yet decoded) is within this scope. */
    public boolean allows(String method, String key) {
        String[] segments = key.split("/", -1);
        // A method outside the protocol is refused here (403), not answered 405.
        if (!StateProtocol.isMethod(method) || segments.length != 3 || !segments[0].equals(project)
                || !StateStorage.isKey(key)) {
            return false;
        }
        if (segments[2].equals(environment)) {
            return true;
        }
        return segments[2].equals(SHARED) && (shared == SharedAccess.WRITE || method.equals("GET"));
    }

    /** {@code project environment SHARED}: the fields {@link #parse} reads back. */
    @Override
    public String toString() {
        return project + " " + environment + " " + shared;
    }

    /** @throws IllegalArgumentException when {@code text} is not what {@link #toString} writes */
    public static StateScope parse(String text) {
        String[] fields = text.split(" ", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("not a state scope: '" + text + "'");
        }
        return new StateScope(fields[0], fields[1], SharedAccess.valueOf(fields[2]));
    }
}
