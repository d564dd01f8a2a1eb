package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.Engine;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.run.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.UpRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth up [FILE] --branch BRANCH}: deploy a branch to its environment on this machine. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Deploy a branch to its environment on this machine: the init stages, then the stages,"
                + " each run by bash in the folder of the deploy file. Output lines carry the stage name; secret"
                + " values are shown as ****. The environment's record is kept in the state folder."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every stage succeeded (failures of on_failure: continue stages allowed)",
            "1:a stage failed and stopped the run, or the deploy file has problems (all are listed)",
            "2:wrong usage, a file that cannot be read, or a missing secret (nothing ran)"})
final class UpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH", description = "The branch to deploy.")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "The commit (default: HEAD of the git repository the file is in, if any).")
    Optional<String> commit = Optional.empty();

    @Option(names = "--state", paramLabel = "DIR",
            description = "Folder of environment records (default: .berth/state next to the deploy file).")
    Optional<Path> stateFolder = Optional.empty();

    @Option(names = "--secrets", paramLabel = "FILE",
            description = "Secret values, one credential-id=value line each; the ids are those the deploy file's"
                    + " secrets name.")
    Optional<Path> secretsFile = Optional.empty();

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "How many independent tasks may run at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (branch.isBlank()) {
            throw new CommandLine.ParameterException(commandLine, "--branch must not be empty");
        }
        if (parallel < 1) {
            throw new CommandLine.ParameterException(commandLine, "--parallel must be at least 1");
        }
        PrintWriter err = commandLine.getErr();
        DeployFileArgument.Loaded loaded = file.loadRunnable(err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        SecretSource secrets = SecretSource.none();
        if (secretsFile.isPresent()) {
            try {
                secrets = SecretsFile.read(secretsFile.get());
            } catch (IOException e) {
                err.println("berth: cannot read the secrets file " + secretsFile.get() + ": " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (SecretsFile.SecretsFileException e) {
                err.println("berth: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        Path folder = valid.folder();
        DirectoryStateStore state = new DirectoryStateStore(stateFolder.orElse(folder.resolve(".berth/state")));
        Engine engine = LocalEngine.create(folder, state, new ConsoleLog(commandLine.getOut()));
        UpRequest request = new UpRequest(branch, valid.commit(commit), valid.defaultProject(), secrets, parallel);
        try {
            RunResult result = engine.up(valid.deployFile(), RepositoryFiles.of(folder), request);
            commandLine.getOut().println("==> State: " + state.file(result.environment()));
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (MissingSecretsException e) {
            err.println(e.getMessage());
            err.println("berth: nothing ran. Give the secrets with --secrets FILE, one credential-id=value line each"
                    + (secretsFile.isPresent() ? " (" + secretsFile.get() + " lacks them)" : "") + ".");
            return ExitCodes.USAGE;
        } catch (StateException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
