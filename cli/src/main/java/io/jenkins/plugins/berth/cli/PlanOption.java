package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.plan.PlanFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --plan FILE --plan-digest SHA256} of {@code up --step}: the plan Jenkins' {@code berthPlan} made for the walk
 * ({@link PlanFile}), run only when its digest is the one given (the controller's). Then the deploy file is not found,
 * read and checked against its repository again at each step: the plan holds it as it was validated.
 */
final class PlanOption {

    @Option(names = "--plan", paramLabel = "FILE",
            description = "With --step and --plan-digest: the plan of the walk (Jenkins' berthPlan writes it in the"
                    + " workspace). The step runs the deploy file as the plan holds it, validated when the plan was made,"
                    + " and only when the plan's digest is SHA256; a missing plan is made again from FILE when that gives"
                    + " the same digest.")
    Optional<Path> file = Optional.empty();

    @Option(names = "--plan-digest", paramLabel = "SHA256",
            description = "With --plan: the plan's digest as the one who made it keeps it (sha256:<64 hex digits>).")
    Optional<String> digest = Optional.empty();

    /** True when a plan is given. */
    boolean given(CommandLine commandLine) {
        if (file.isPresent() != digest.isPresent()) {
            throw new CommandLine.ParameterException(commandLine, "--plan and --plan-digest go together");
        }
        if (digest.isPresent()) {
            try {
                PlanFile.checkedDigest(digest.get());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--plan-digest: " + e.getMessage());
            }
        }
        return file.isPresent();
    }

    /**
     * The deploy file of the plan, after checking that the plan is the one the digest names and was made for this
     * file, branch, commit and project, and that the file in the repository is still the one planned (so that what
     * the run keeps for a teardown is what it ran). Whatever is wrong is told to {@code err} and stops the command.
     */
    DeployFileArgument.Valid load(CommandLine commandLine, DeployFileArgument argument, String branch,
            Optional<String> commit, PrintWriter err) throws Preamble.Stopped {
        Path located = argument.locate(err).orElseThrow(() -> new Preamble.Stopped(ExitCodes.USAGE));
        byte[] onDisk;
        try {
            onDisk = Files.readAllBytes(located);
        } catch (IOException e) {
            err.println("berth: cannot read " + located + ": " + e.getMessage());
            throw new Preamble.Stopped(ExitCodes.USAGE);
        }
        PlanFile plan = read(argument, located, branch, commit, onDisk, err);
        Path planned = Path.of("").toAbsolutePath().resolve(plan.file()).normalize();
        if (!planned.equals(located.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(commandLine, "the plan is for the deploy file " + plan.file()
                    + ", not " + located);
        }
        if (!plan.branch().equals(branch)) {
            throw new CommandLine.ParameterException(commandLine, "the plan is for branch " + plan.branch()
                    + ", not " + branch);
        }
        Optional<String> givenCommit = commit.filter(c -> !c.isBlank());
        if (givenCommit.isPresent() && !givenCommit.equals(plan.commit())) {
            throw new CommandLine.ParameterException(commandLine, "the plan is for commit "
                    + plan.commit().orElse("(none)") + ", not " + givenCommit.get());
        }
        Optional<String> givenProject = argument.defaultProject.filter(p -> !p.isBlank());
        if (givenProject.isPresent() && !givenProject.get().equals(plan.defaultProject())) {
            throw new CommandLine.ParameterException(commandLine, "the plan is for the default project "
                    + plan.defaultProject() + ", not " + givenProject.get());
        }
        if (!Arrays.equals(onDisk, plan.content().getBytes(StandardCharsets.UTF_8))) {
            err.println("berth: " + located + " is not the deploy file the plan holds: it changed after the plan was"
                    + " made, in the workspace (a stage of this build perhaps). Nothing ran; run the build again.");
            throw new Preamble.Stopped(ExitCodes.USAGE);
        }
        // The build arguments a Jenkins build asked for come with the step, apart from the plan.
        io.jenkins.plugins.berth.model.BuildArgValues buildArgs = DeployFileArgument.givenBuildArgs(err)
                .orElseThrow(() -> new Preamble.Stopped(ExitCodes.USAGE));
        DeployFileArgument.Loaded loaded;
        try {
            loaded = new DeployFileArgument.Valid(located, plan.deployFile().withBuildArgs(buildArgs),
                    Optional.of(plan.defaultProject()));
        } catch (DeployFileException e) {
            // Only a Berth that validates otherwise than the one that made the plan finds something.
            e.problems().stream().map(Problem::toString).forEach(err::println);
            loaded = new DeployFileArgument.Failed(ExitCodes.FAILED);
        }
        loaded = DeployFileArgument.runnable(loaded, err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            throw new Preamble.Stopped(failed.exitCode());
        }
        return (DeployFileArgument.Valid) loaded;
    }

    /**
     * The plan in {@code --plan}, when its digest is the given one. A plan that is not there (a clean of the workspace)
     * is made again from the deploy file and this command's own arguments: when that gives the same digest, the deploy
     * file is the one planned, validated again here with the files it names, and the plan is written back.
     */
    private PlanFile read(DeployFileArgument argument, Path located, String branch, Optional<String> commit,
            byte[] onDisk, PrintWriter err) throws Preamble.Stopped {
        Path planPath = file.get();
        try {
            return PlanFile.verified(Files.readAllBytes(planPath), digest.get(), planPath.toString());
        } catch (NoSuchFileException missing) {
            return remade(argument, located, branch, commit, onDisk, err);
        } catch (IOException e) {
            err.println("berth: cannot read the plan " + planPath + ": " + e.getMessage());
        } catch (PlanFile.ChangedException e) {
            err.println("berth: " + e.getMessage());
        }
        throw new Preamble.Stopped(ExitCodes.USAGE);
    }

    private PlanFile remade(DeployFileArgument argument, Path located, String branch, Optional<String> commit,
            byte[] onDisk, PrintWriter err) throws Preamble.Stopped {
        Path planPath = file.get();
        String fileName = located.toString();
        PlanFile again = new PlanFile(fileName, branch, commit, argument.defaultProject.orElse(""),
                new String(onDisk, StandardCharsets.UTF_8));
        if (!again.digest().equals(digest.get())) {
            err.println("berth: the plan " + planPath + " is missing, and " + fileName + " with this step's arguments"
                    + " is not what was planned (its digest is " + again.digest() + ", the plan's " + digest.get()
                    + "). Nothing ran; run the build again.");
            throw new Preamble.Stopped(ExitCodes.USAGE);
        }
        // The file is the one planned: validated again as the plan's maker did, files it names included.
        if (argument.load(err) instanceof DeployFileArgument.Failed failed) {
            throw new Preamble.Stopped(failed.exitCode());
        }
        try {
            write(planPath, again);
        } catch (IOException e) {
            err.println("berth: warning: cannot write the plan " + planPath + " again: " + e.getMessage());
        }
        return again;
    }

    /** Writes {@code plan} at {@code path} in one step (replacing whatever is there, a link included, not following it). */
    static void write(Path path, PlanFile plan) throws IOException {
        Path folder = path.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path next = Files.createTempFile(folder, ".plan", ".next");
        try {
            Files.write(next, plan.bytes());
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(next);
        }
    }
}
