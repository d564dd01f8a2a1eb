package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the commands that run a deploy file start with: the deploy file loaded and checked, the secrets
 * read, the state folder opened, in the environment the command line runs in. A step that fails has
 * told the user why and ends the command with its exit code ({@link Stopped}, which {@link BerthCommand}
 * turns into that code).
 */
final class Preamble {

    private Preamble() {}

    /** Whether the command runs the file here (refusing phases this Berth cannot run) or only reads it. */
    enum Use { RUN, READ }

    /** A command that ended before it began: the reason is already on stderr. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        Stopped(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** The loaded file, its secrets and its state folder; {@code runner}: the environment commands start in. */
    record Ready(DeployFileArgument.Valid file, SecretSource secrets, Path states, DirectoryStateStore state,
            RunnerEnvironment runner) {

        /** The record of {@code environment}; with {@code live}, one that is not torn down. */
        EnvironmentRecord environment(String environment, boolean live)
                throws IOException, StateException, NoSuchEnvironmentException {
            Optional<EnvironmentRecord> record = state.read(environment);
            if (record.isEmpty() || (live && record.get().isGone())) {
                throw new NoSuchEnvironmentException(environment, states.toString(), live);
            }
            return record.get();
        }

        /** The engine of this machine over the file's folder and state. */
        Engine engine(PrintWriter out, io.jenkins.plugins.berth.run.StopRequest stops) {
            return engine(out, stops, false, new ConsoleApprover());
        }

        /**
         * As above. {@code rebuild}: builds run even for a version built before; {@code approver} decides at the
         * approval gate of a blue-green deploy.
         */
        Engine engine(PrintWriter out, io.jenkins.plugins.berth.run.StopRequest stops, boolean rebuild,
                io.jenkins.plugins.berth.bluegreen.Approver approver) {
            return engine(out, stops, rebuild, false, approver);
        }

        /** As above; {@code offline}: images are built without asking registries for base images' digests. */
        Engine engine(PrintWriter out, io.jenkins.plugins.berth.run.StopRequest stops, boolean rebuild,
                boolean offline, io.jenkins.plugins.berth.bluegreen.Approver approver) {
            return LocalEngine.create(file.folder(), file.file().toAbsolutePath(), states, state, new ConsoleLog(out),
                    runner, stops, rebuild, offline, approver);
        }

        RepositoryFiles repository() {
            return RepositoryFiles.of(file.folder());
        }

        /** The deploy file's name, as the run records it. */
        String deployFileName() {
            return String.valueOf(file.file().getFileName());
        }
    }

    static Ready of(DeployFileArgument file, Use use, SecretsOption secretsOption, StateOption stateOption,
            PrintWriter err, RunnerEnvironment environment) throws Stopped {
        DeployFileArgument.Loaded loaded = use == Use.RUN ? file.loadRunnable(err) : file.load(err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            throw new Stopped(failed.exitCode());
        }
        return of((DeployFileArgument.Valid) loaded, secretsOption, stateOption, err, environment);
    }

    /** The rest of the preamble for a deploy file already loaded and checked (from a plan: {@link PlanOption}). */
    static Ready of(DeployFileArgument.Valid valid, SecretsOption secretsOption, StateOption stateOption,
            PrintWriter err, RunnerEnvironment environment) throws Stopped {
        Optional<SecretSource> secrets = secretsOption.read(err, environment);
        if (secrets.isEmpty()) {
            throw new Stopped(ExitCodes.USAGE);
        }
        Path states = stateOption.folder(valid);
        return new Ready(valid, secrets.get(), states, new DirectoryStateStore(states), environment);
    }
}
