package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.ReleaseRecords;
import io.jenkins.plugins.berth.images.ReleasePromotion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth promote [FILE] --to STAGE}: retag the previous stage's images as STAGE, without moving layers. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Promote every image of the deploy file to a release stage: the previous stage's tag (latest"
                + " for the first stage) is retagged as the stage in each image's repository, by manifest, so no"
                + " layer moves and digests stay. The digests are recorded in the stage's environment record."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:promoted", "1:a source tag is missing (nothing was retagged), the registry refused, or"
                + " the deploy file has problems", "2:wrong usage, an unknown stage, or a file that cannot be read"})
final class PromoteCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--to", required = true, paramLabel = "STAGE", description = "The release stage to promote to.")
    String stage;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Folder of environment records (default: .berth/state next to the deploy file).")
    Optional<Path> stateFolder = Optional.empty();

    @Option(names = "--docker-config", paramLabel = "FILE",
            description = "Registry credentials, as docker login writes them (default: $DOCKER_CONFIG/config.json,"
                    + " else ~/.docker/config.json).")
    Optional<Path> dockerConfig = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeployFileArgument.Loaded loaded = file.load(err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        try {
            ReleasePromotion.stage(valid.deployFile(), stage);
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Path config = dockerConfig.orElseGet(LocalEngine::dockerConfig);
        ReleasePromotion promotion = new ReleasePromotion(registry -> LocalEngine.retagger(registry, config));
        try {
            List<ReleasePromotion.Promoted> promoted = promotion.promote(valid.deployFile(), stage);
            Map<String, String> images = new LinkedHashMap<>();
            for (ReleasePromotion.Promoted image : promoted) {
                out.println("==> " + image.image() + ": " + image.from() + " -> " + image.to() + " (" + image.digest() + ")");
                images.put(image.image(), image.pinned());
            }
            String project = valid.deployFile().project().orElse(valid.defaultProject());
            Path states = stateFolder.orElse(valid.folder().resolve(".berth/state"));
            ReleaseRecords.recordPromotion(new DirectoryStateStore(states), project, stage, images, Instant.now());
            out.println("==> Promoted " + promoted.size() + " image" + (promoted.size() == 1 ? "" : "s") + " to " + stage);
            return ExitCodes.OK;
        } catch (BerthException | UncheckedIOException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
