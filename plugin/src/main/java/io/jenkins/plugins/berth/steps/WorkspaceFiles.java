package io.jenkins.plugins.berth.steps;

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
        try {
            FilePath file = root.child(path);
            return file.exists() && !file.isDirectory();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean isDirectory(String path) {
        try {
            return root.child(path).isDirectory();
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
