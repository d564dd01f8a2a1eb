package hudson;

import java.io.File;
import java.io.IOException;
import java.util.List;

/** Subset of jenkins-core {@code hudson.FilePath} (jenkins-2.541.3): the members the plugin uses. */
public final class FilePath {
    public FilePath(File localPath) {
        throw new UnsupportedOperationException();
    }

    public String getRemote() {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException();
    }

    public boolean exists() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public long length() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public List<FilePath> list() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public FilePath getParent() {
        throw new UnsupportedOperationException();
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public void copyFrom(java.net.URL url) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public String readLink() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public String readToString() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public void deleteRecursive() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public int copyRecursiveTo(String fileMask, String excludes, FilePath target)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public int copyRecursiveTo(String fileMask, FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }
}
