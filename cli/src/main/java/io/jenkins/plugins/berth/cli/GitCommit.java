package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The commit a folder's git repository has checked out, when it is one and git is installed. */
final class GitCommit {
    private GitCommit() {}

    static Optional<String> head(Path folder) {
        try {
            ProcessBuilder builder = new ProcessBuilder("git", "-C", folder.toString(), "rev-parse", "--verify", "-q",
                    "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD);
            // Like every process but Terraform's, git gets no state credentials (its config can run commands).
            builder.environment().keySet().removeIf(name -> RunnerEnvironment.isStateCredential(name)
                    || RunnerEnvironment.isRegistryCredential(name));
            Process git = builder.start();
            git.getOutputStream().close();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
