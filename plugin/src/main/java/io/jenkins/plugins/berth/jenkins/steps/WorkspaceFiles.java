package io.jenkins.plugins.berth.jenkins.steps;

import hudson.FilePath;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The repository files of a build's workspace, read through {@link FilePath} (local or on an agent), as
 * written: {@link #of} gives the view that follows symbolic links only inside the workspace (a link to the
 * controller's secrets is neither read nor kept). {@code FilePath} has no real path; the link texts it reads
 * ({@link FilePath#readLink}) are enough for {@link io.jenkins.plugins.berth.model.RepositoryPaths}.
 */
final class WorkspaceFiles implements RepositoryFiles {

    private final FilePath root;

    private WorkspaceFiles(FilePath root) {
        this.root = root;
    }

    /** The workspace's files, links followed only inside it. */
    static RepositoryFiles of(FilePath workspace) {
        return RepositoryFiles.confined(new WorkspaceFiles(workspace));
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
    public Optional<String> linkTarget(String path) throws IOException {
        try {
            return Optional.ofNullable(root.child(path).readLink());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the link " + path, e);
        }
    }

    @Override
    public List<String> entries(String dir) throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (FilePath child : (dir.isEmpty() ? root : root.child(dir)).list()) {
                names.add(child.getName());
            }
            names.sort(null);
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing " + dir, e);
        }
    }

    @Override
    public String location() {
        return root.getRemote();
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
