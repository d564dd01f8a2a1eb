package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The way in: finds, reads and validates deploy files. A {@link DeployFile} comes out only when the
 * file has no problem at all; otherwise a {@link DeployFileException} lists every problem found.
 */
public final class DeployFiles {
    /** The names a deploy file may have, in the order they are looked for. */
    public static final List<String> NAMES = List.of("berth.yml", ".berth.yml");

    private DeployFiles() {}

    /**
     * The deploy file in {@code folder}.
     *
     * @throws NoDeployFileException when there is none, or more than one
     */
    public static Path find(Path folder) throws NoDeployFileException {
        List<Path> present = NAMES.stream().map(folder::resolve).filter(Files::isRegularFile).toList();
        if (present.isEmpty()) {
            throw new NoDeployFileException("no deploy file in " + folder + ": expected " + String.join(" or ", NAMES));
        }
        if (present.size() > 1) {
            throw new NoDeployFileException("both " + String.join(" and ", NAMES) + " exist in " + folder
                    + "; keep one of them");
        }
        return present.get(0);
    }

    /**
     * Reads and validates a deploy file on disk, including the files it names (scripts, stack
     * folders, Dockerfiles), relative to the file's folder. Positions use {@code displayName}.
     */
    public static DeployFile load(Path file, String displayName) throws IOException, DeployFileException {
        byte[] content = Files.readAllBytes(file);
        Path folder = file.toAbsolutePath().getParent();
        return parse(displayName, content, Optional.of(RepositoryFiles.of(folder)));
    }

    /**
     * Validates the deploy file at {@code location} of {@code repository} (a Jenkins workspace), including the
     * files it names, seen from the file's folder as on the command line. Positions use the file's path.
     */
    public static DeployFile parse(DeployFileLocation location, byte[] content, RepositoryFiles repository)
            throws DeployFileException {
        return parse(location.path(), content, Optional.of(location.filesOf(repository)));
    }

    /**
     * Validates deploy file content. With a repository, the files the deploy file names are checked
     * too; without one (a file seen on its own) they are not.
     */
    public static DeployFile parse(String displayName, byte[] content, Optional<RepositoryFiles> repository)
            throws DeployFileException {
        return parse(displayName, content, repository, BuildArgValues.none());
    }

    /**
     * {@link #load(Path, String)} with build argument values given at run time ({@link BuildArgValues}: they fill
     * the images' args the file leaves out).
     */
    public static DeployFile load(Path file, String displayName, BuildArgValues given)
            throws IOException, DeployFileException {
        byte[] content = Files.readAllBytes(file);
        return parse(displayName, content, Optional.of(RepositoryFiles.of(file.toAbsolutePath().getParent())), given);
    }

    /** {@link #parse(DeployFileLocation, byte[], RepositoryFiles)} with build argument values given at run time. */
    public static DeployFile parse(DeployFileLocation location, byte[] content, RepositoryFiles repository,
            BuildArgValues given) throws DeployFileException {
        return parse(location.path(), content, Optional.of(location.filesOf(repository)), given);
    }

    /**
     * Validates deploy file content, with build argument values given at run time. When the only problems
     * left are build arguments nothing gives, the exception is a {@link MissingBuildArgsException}.
     */
    public static DeployFile parse(String displayName, byte[] content, Optional<RepositoryFiles> repository,
            BuildArgValues given) throws DeployFileException {
        Problems problems = new Problems();
        YamlLoader.Loaded loaded = YamlLoader.load(displayName, content, problems);
        if (loaded.root().isEmpty()) {
            problems.throwIfAny();
        }
        DeployFile file = new DeployFileReader(new NodeReader(loaded.source(), problems), displayName)
                .read(loaded.root().orElseThrow());
        DeployFileChecks.check(file, problems);
        problems.throwIfAny();
        DeployFile withGiven = file.withBuildArgs(given);
        List<MissingBuildArg> missing = new java.util.ArrayList<>();
        repository.ifPresent(files -> RepositoryChecks.check(withGiven, files, problems, missing));
        if (!missing.isEmpty() && problems.list().size() == missing.size()) {
            throw new MissingBuildArgsException(problems.list(), withGiven, missing);
        }
        problems.throwIfAny();
        return withGiven;
    }
}
