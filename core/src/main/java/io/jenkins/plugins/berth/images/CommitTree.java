package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the images of a deploy of one commit are built from. The working folder when the commit is what it has
 * checked out (a Jenkins build, {@code up} without {@code --commit}; the files init stages made are there), or when
 * it is in no git repository (the commit then only names the build). Otherwise the deploy file's folder as that
 * commit has it: {@code git archive} of the commit's tree of that folder, unpacked into a temporary folder with this
 * process's umask (as a checkout would be), which the repository never sees: nothing is checked out, no worktree is
 * registered, so a run killed half-way leaves the repository as it was.
 */
final class CommitTree {

    /** The folder the images are built from, and whether it is a commit's tree Berth unpacked (to delete it). */
    record Source(Path root, Optional<String> commit) {}

    private CommitTree() {}

    /**
     * @param commit the deploy's commit ({@code BERTH_COMMIT}); empty for none
     * @throws TaskFailedException when the commit is not in the repository, or its tree cannot be unpacked
     */
    static Source of(Path workingFolder, String commit, TaskContext context)
            throws TaskFailedException, InterruptedException, IOException {
        Source working = new Source(workingFolder, Optional.empty());
        if (commit.isEmpty() || !inGit(workingFolder)) {
            return working;
        }
        Optional<String> head;
        try {
            head = git(context, "git rev-parse", "rev-parse", "--verify", "-q", "HEAD^{commit}");
        } catch (TaskFailedException e) {
            context.log().warning("images: " + e.getMessage() + "; built from the working folder");
            return working;
        }
        if (head.isEmpty()) {
            // No commit yet, or a git that will not read this repository (another owner's folder: safe.directory).
            context.log().warning("images: git cannot tell which commit " + workingFolder + " has checked out; built"
                    + " from the working folder");
            return working;
        }
        Optional<String> wanted = git(context, "git rev-parse", "rev-parse", "--verify", "-q", commit + "^{commit}");
        if (wanted.isEmpty()) {
            throw new TaskFailedException("commit " + commit + " is not in the git repository of " + workingFolder
                    + ", so its images cannot be built from it: fetch it, or leave --commit out to build the working"
                    + " folder");
        }
        if (wanted.equals(head)) {
            return working;
        }
        String prefix = git(context, "git rev-parse", "rev-parse", "--show-prefix").orElse("").replaceAll("/$", "");
        Path folder = Files.createTempDirectory("berth-commit-");
        try {
            Path archive = folder.resolve("commit.tar");
            Path tree = Files.createDirectory(folder.resolve("tree"));
            String treeish = prefix.isEmpty() ? wanted.get() : wanted.get() + ":" + prefix;
            // Fails (its output logged) when the commit has no such folder: the deploy file's folder came later.
            context.commands().capture("git archive of " + (prefix.isEmpty() ? "" : prefix + " in ") + "commit "
                    + commit, new Command(List.of("git", "archive", "--format=tar", "--output=" + archive, treeish),
                            "", Map.of()));
            context.commands().run("tar", new Command(List.of("tar", "-x", "--no-same-owner",
                    "--no-same-permissions", "-f", archive.toString(), "-C", tree.toString()), "", Map.of()));
            Files.delete(archive);
            context.log().info("images: built from commit " + wanted.get() + " (its files of "
                    + (prefix.isEmpty() ? "the repository" : prefix) + "), not from the working folder, which has "
                    + head.orElse("no commit") + " checked out");
            return new Source(tree, Optional.of(wanted.get()));
        } catch (TaskFailedException | IOException | RuntimeException e) {
            TemporaryFolders.delete(folder);
            throw e;
        }
    }

    /** Deletes a tree {@link #of} unpacked (the temporary folder above it). */
    static void delete(Source source) throws IOException {
        if (source.commit().isPresent()) {
            TemporaryFolders.delete(source.root().getParent());
        }
    }

    private static boolean inGit(Path folder) {
        for (Path at = folder.toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.exists(at.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The last line git prints (stderr comes with stdout: a warning comes first) when it exits 0, else empty. Its
     * output goes to no log: a failure here is an answer, not an error.
     */
    private static Optional<String> git(TaskContext context, String what, String... arguments)
            throws TaskFailedException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        String[] last = {""};
        int exitCode = context.commands().runForExitCode(what, new Command(command, "", Map.of()), line -> {
            if (!line.isBlank()) {
                last[0] = line.trim();
            }
        });
        return exitCode == 0 ? Optional.of(last[0]) : Optional.empty();
    }
}
