package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.run.EnvironmentBusyException;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.run.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.UpRequest;
import io.jenkins.plugins.berth.terraform.StackLockedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth redeploy [FILE] --env NAME}: the deploy-only job. */
@Command(name = "redeploy", mixinStandardHelpOptions = true,
        description = {"Run an environment's post-infrastructure stages and its publish again, with the images of"
                + " its last deploy and the current variables: nothing is rebuilt, no stack is applied (their"
                + " outputs are read)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:redeployed", "1:a stage failed, or the environment is busy", "2:wrong usage, a missing"
                + " secret, or an unknown environment"})
final class RedeployCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @CommandLine.Mixin
    StateOption stateFolder;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Mixin
    DefaultTtlOption defaultTtl;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        DeployFileArgument.Loaded loaded = file.loadRunnable(err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        Optional<SecretSource> secrets = secretsOption.read(err);
        if (secrets.isEmpty()) {
            return ExitCodes.USAGE;
        }
        Path states = stateFolder.folder(valid);
        DirectoryStateStore state = new DirectoryStateStore(states);
        Optional<EnvironmentRecord> record = state.read(environment);
        if (record.isEmpty() || record.get().isGone()) {
            err.println("berth: there is no live environment " + environment + " in " + states);
            return ExitCodes.USAGE;
        }
        String named = BranchEnvironments.of(valid.deployFile(), valid.defaultProject(), record.get().branch())
                .environment();
        if (!named.equals(environment)) {
            err.println("berth: environment " + environment + " was deployed from branch " + record.get().branch()
                    + ", which this deploy file names " + named);
            return ExitCodes.USAGE;
        }
        UpRequest request = new UpRequest(record.get().branch(), record.get().commit(), valid.defaultProject(),
                secrets.get(), 4, UpRequest.runBy(), String.valueOf(valid.file().getFileName()),
                new UpRequest.Redeploy(record.get().images()), defaultTtl.ttl(spec.commandLine()));
        try {
            RunResult result = LocalEngine.create(valid.folder(), valid.file().toAbsolutePath(), states, state,
                    new ConsoleLog(spec.commandLine().getOut())).up(valid.deployFile(), RepositoryFiles.of(valid.folder()),
                    request);
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (StateException | EnvironmentBusyException | StackLockedException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
