package io.jenkins.plugins.berth;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.rules.TemporaryFolder;

/**
 * A git repository in a temporary folder, driven with the real {@code git}: what the git plugin's own
 * GitSampleRepoRule does, without its tests jar (which the real-jenkins tool does not build).
 */
public final class LocalGitRepository extends TemporaryFolder {

    private File root;

    /** As a JUnit 4 rule: the repository is made in a temporary folder before each test. */
    public LocalGitRepository() {}

    /** In {@code root}, for JUnit 5 tests (a {@code @TempDir}), which use no rules. */
    public static LocalGitRepository in(File root) {
        LocalGitRepository repository = new LocalGitRepository();
        repository.root = root;
        return repository;
    }

    @Override
    protected void before() throws Throwable {
        super.before();
        root = newFolder("repo");
    }

    /** A repository with one branch, {@code master}. */
    public void init() throws IOException, InterruptedException {
        git("init", "--initial-branch=master");
        git("config", "user.name", "Berth test");
        git("config", "user.email", "berth@example.com");
        git("config", "commit.gpgsign", "false");
    }

    public void write(String path, String content) throws IOException {
        File file = new File(root, path);
        file.getParentFile().mkdirs();
        Files.writeString(file.toPath(), content, StandardCharsets.UTF_8);
    }

    public void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(root).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** The repository's folder, as a git remote. */
    @Override
    public String toString() {
        return root.getAbsolutePath();
    }
}
