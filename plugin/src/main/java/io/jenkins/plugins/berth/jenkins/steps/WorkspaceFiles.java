package io.jenkins.plugins.berth.jenkins.steps;

import hudson.FilePath;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The repository files of a build's workspace, read through {@link FilePath} (local or on an agent). */
final class WorkspaceFiles implements RepositoryFiles {

    private final FilePath root;

    WorkspaceFiles(FilePath root) {
        this.root = root;
    }

    @Override
    public boolean isFile(String path) {
        return holds(() -> {
            FilePath file = root.child(path);
            return file.exists() && !file.isDirectory();
        });
    }

    @Override
    public boolean isDirectory(String path) {
        return holds(() -> root.child(path).isDirectory());
    }

    /** A question asked of the workspace, possibly on an agent. */
    @FunctionalInterface
    private interface Question {
        boolean ask() throws IOException, InterruptedException;
    }

    /** The answer, or false when the workspace cannot be asked (the interrupt is kept). */
    private static boolean holds(Question question) {
        try {
            return question.ask();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<String> list(String dir) throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (FilePath child : root.child(dir).list()) {
                if (!child.isDirectory()) {
                    names.add(child.getName());
                }
            }
            names.sort(null);
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing " + dir, e);
        }
    }

    @Override
    public String read(String path) throws IOException {
        try {
            return root.child(path).readToString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + path, e);
        }
    }
}
