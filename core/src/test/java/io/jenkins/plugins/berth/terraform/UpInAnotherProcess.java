package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code up} in a JVM of its own, so a test can kill it with SIGKILL: REPO BRANCH TOOLS_BIN SECRET. */
public final class UpInAnotherProcess {
    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path stateFolder = repo.resolve(".berth/state");
        Log console = new Log() {
            @Override
            public void message(Level level, String text) {
                System.out.println(level + ": " + text);
            }

            @Override
            public void output(String task, String line) {
                System.out.println("[" + task + "] " + line);
            }
        };
        Engine.builder()
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder, List.of(Path.of(args[2]))))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(stateFolder), console)
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest(args[1], Optional.of("abc123"), "repo", SecretSource.of(Map.of("db-password",
                                args[3])), 4));
    }
}
