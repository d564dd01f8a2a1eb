package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.DeployFile;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth validate [FILE]}: every problem in a deploy file, or nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a deploy file and the files it names (scripts, stack folders, Packer templates,"
                + " Dockerfiles), and that this version of Berth can run everything it uses.",
            "Every problem is printed on stderr as FILE:LINE:COLUMN: message."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file is valid", "1:the file has problems (all are listed)",
            "2:wrong usage, or the file cannot be read"})
final class ValidateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeployFileArgument.Loaded loaded = file.loadRunnable(spec.commandLine().getErr());
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFile valid = ((DeployFileArgument.Valid) loaded).deployFile();
        spec.commandLine().getOut().println(valid.file() + ": valid (" + count(valid.initStages().size(), "init stage")
                + ", " + count(valid.images().size(), "image")
                + (valid.builds().isEmpty() ? "" : ", " + count(valid.builds().size(), "build"))
                + ", " + count(valid.infrastructure().size(), "stack")
                + ", " + count(valid.stages().size(), "stage") + ", " + count(valid.release().size(), "release stage")
                + ", " + count(valid.teardown().size(), "teardown stage") + ")");
        return ExitCodes.OK;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
