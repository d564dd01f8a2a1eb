package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.DockerfileArgs;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.NoDeployFileException;
import io.jenkins.plugins.berth.model.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth args [FILE]}: the build arguments each image's Dockerfile declares, and which it needs. */
@Command(name = "args", mixinStandardHelpOptions = true,
        description = {"List the ARGs of each image's Dockerfile: global ones (before the first FROM) and those of"
                + " each build stage, their defaults, whether the build needs a value (no default, used), and the"
                + " value images.<name>.args gives. Works on a file whose args are still missing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed, and every required ARG has a value", "1:a required ARG has no value, or the"
                + " deploy file has problems", "2:wrong usage, or a file that cannot be read"})
final class ArgsCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The deploy file, or a folder holding it (default: the current folder).")
    Optional<Path> path = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file;
        DeployFile deployFile;
        try {
            Path given = path.orElse(Path.of("."));
            file = Files.isDirectory(given) ? DeployFiles.find(given) : given;
            // The file's own contract only: the point is to find the ARGs that are still missing.
            deployFile = DeployFiles.parse(file.toString(), Files.readAllBytes(file), Optional.empty());
        } catch (NoDeployFileException | IOException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (DeployFileException e) {
            e.problems().stream().map(Problem::toString).forEach(err::println);
            return ExitCodes.FAILED;
        }
        Path folder = file.toAbsolutePath().getParent();
        boolean missing = false;
        if (deployFile.images().isEmpty()) {
            out.println(file + ": no images");
        }
        for (ImageSpec image : deployFile.images().values()) {
            Path dockerfile = folder.resolve(image.dockerfile().path());
            out.println(image.name() + " (" + image.dockerfile().path() + ")");
            List<DockerfileArgs.Arg> args;
            try {
                args = DockerfileArgs.scan(Files.readString(dockerfile), image.target().map(t -> t.value())).args();
            } catch (IOException e) {
                err.println("berth: cannot read " + image.dockerfile().path() + ": " + e.getMessage());
                missing = true;
                continue;
            } catch (DockerfileArgs.DockerfileException e) {
                err.println("berth: " + image.dockerfile().path() + (e.line() > 0 ? ":" + e.line() : "") + ": "
                        + e.getMessage());
                missing = true;
                continue;
            }
            if (args.isEmpty()) {
                out.println("  (no ARG)");
            }
            for (DockerfileArgs.Arg arg : args) {
                Optional<String> given = Optional.ofNullable(image.args().get(arg.name())).map(Object::toString);
                String need = !arg.built() ? "stage not built"
                        : arg.required() ? (given.isPresent() ? "required, given" : "REQUIRED, missing")
                        : DockerfileArgs.builtIn(arg.name()) ? "built in"
                        : arg.used() ? "optional" : "not used";
                missing |= arg.required() && given.isEmpty();
                out.println("  " + arg.name() + "  line " + arg.line() + ", " + arg.stage().map(s -> "stage " + s)
                        .orElse("global") + ", default " + arg.defaultValue().map(v -> "'" + v + "'").orElse("none")
                        + ": " + need + given.map(v -> " '" + v + "' in images." + image.name() + ".args").orElse(""));
            }
        }
        return missing ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
