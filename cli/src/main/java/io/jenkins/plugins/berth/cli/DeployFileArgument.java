package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.NoDeployFileException;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.run.Feature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** The {@code [FILE]} argument every command takes: a deploy file, or a folder holding one (default: here). */
final class DeployFileArgument {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The deploy file, or a folder holding berth.yml or .berth.yml (default: the current folder).")
    Optional<Path> path = Optional.empty();

    /** The outcome of reading the file: a valid file, or the exit code already reported. */
    sealed interface Loaded permits Valid, Failed {}

    @CommandLine.Option(names = "--default-project", paramLabel = "NAME",
            description = "The project when the deploy file names none (default: the deploy file's folder name)."
                    + " Jenkins passes its multibranch project's name, the same on every branch.")
    Optional<String> defaultProject = Optional.empty();

    record Valid(Path file, DeployFile deployFile, Optional<String> givenProject) implements Loaded {
        /** The repository root: the folder the deploy file is in. */
        Path folder() {
            return file.toAbsolutePath().getParent();
        }

        /** The project name when the file has none: the one given, else the folder's name, made a DNS label. */
        String defaultProject() {
            return EnvironmentNames.projectName(givenProject.filter(p -> !p.isBlank())
                    .orElseGet(() -> String.valueOf(folder().getFileName())));
        }

        /** The commit given (an empty one counts as none), or else the HEAD of the folder's git repository, if it is one. */
        Optional<String> commit(Optional<String> given) {
            return given.filter(commit -> !commit.isBlank()).or(() -> GitCommit.head(folder()));
        }
    }

    record Failed(int exitCode) implements Loaded {}

    /**
     * Like {@link #load}, and also refuses what this Berth cannot run yet: a file that uses a phase
     * the local engine lacks gets a "not supported yet" problem at each place.
     */
    Loaded loadRunnable(PrintWriter err) {
        return runnable(load(err), err);
    }

    /** {@code loaded}, unless it uses a phase the local engine lacks: then a "not supported yet" problem at each place. */
    static Loaded runnable(Loaded loaded, PrintWriter err) {
        if (loaded instanceof Valid valid) {
            List<Problem> unsupported = Feature.unsupported(valid.deployFile(), LocalEngine.features());
            if (!unsupported.isEmpty()) {
                unsupported.forEach(err::println);
                return new Failed(ExitCodes.FAILED);
            }
        }
        return loaded;
    }

    /** The deploy file the argument names (itself, or the one in the folder it names), or the failure told to {@code err}. */
    Optional<Path> locate(PrintWriter err) {
        Path given = path.orElse(Path.of("."));
        Path file;
        try {
            file = Files.isDirectory(given) ? DeployFiles.find(given) : given;
        } catch (NoDeployFileException e) {
            err.println("berth: " + e.getMessage());
            return Optional.empty();
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("berth: cannot read " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** Finds, reads and validates the file; reports problems on {@code err} as FILE:LINE:COLUMN: message. */
    Loaded load(PrintWriter err) {
        Optional<Path> located = locate(err);
        if (located.isEmpty()) {
            return new Failed(ExitCodes.USAGE);
        }
        Path file = located.get();
        String displayName = displayName(file);
        Optional<BuildArgValues> buildArgs = givenBuildArgs(err);
        if (buildArgs.isEmpty()) {
            return new Failed(ExitCodes.USAGE);
        }
        try {
            return new Valid(file, DeployFiles.load(file, displayName, buildArgs.get()), defaultProject);
        } catch (DeployFileException e) {
            for (Problem problem : e.problems()) {
                err.println(problem);
            }
            return new Failed(ExitCodes.FAILED);
        } catch (IOException e) {
            err.println("berth: cannot read " + displayName + ": " + e.getMessage());
            return new Failed(ExitCodes.USAGE);
        }
    }

    /**
     * The build argument values a Jenkins build asked for ({@value BuildArgValues#ENVIRONMENT_VARIABLE}; docs/images.md,
     * "When a build argument has no value"), none when unset; empty, said on {@code err}, when the value is bad.
     */
    static Optional<BuildArgValues> givenBuildArgs(PrintWriter err) {
        String json = System.getenv(BuildArgValues.ENVIRONMENT_VARIABLE);
        try {
            return Optional.of(json == null || json.isBlank() ? BuildArgValues.none() : BuildArgValues.fromJson(json));
        } catch (IllegalArgumentException e) {
            err.println("berth: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The path as the user would write it: relative to the current folder when inside it. */
    private static String displayName(Path file) {
        Path here = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }
}
