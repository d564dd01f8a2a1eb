package io.jenkins.plugins.berth.model;

/** A path in the repository named by the deploy file (relative to the file's folder), and where it is named. */
public record FileRef(String path, Position position) {
    @Override
    public String toString() {
        return path;
    }
}
