package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Who;
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
                + " layer moves and digests stay. The digests are recorded in the stage's environment record, then"
                + " the stage is deployed: its stacks, then the stages with BERTH_STAGE and BERTH_PREVIOUS_STAGE."
                + " A stage with 'approval: true' asks first (or takes --yes)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:promoted", "1:a source tag is missing (nothing was retagged), the registry refused, or"
                + " the deploy file has problems", "2:wrong usage, an unknown stage, or a file that cannot be read"})
final class PromoteCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--to", required = true, paramLabel = "STAGE", description = "The release stage to promote to.")
    String stage;

    @CommandLine.Mixin
    StateOption stateFolder;

    @Option(names = "--docker-config", paramLabel = "FILE",
            description = "Registry credentials, as docker login writes them (default: $DOCKER_CONFIG/config.json,"
                    + " else ~/.docker/config.json).")
    Optional<Path> dockerConfig = Optional.empty();

    @Option(names = "--yes", description = "Approve a stage with 'approval: true' without asking.")
    boolean yes;

    @Option(names = "--no-deploy", description = "Only retag and record the images: the stage's stacks and stages are"
            + " left to whoever deploys it (Jenkins' promote deploys them in stages of its own).")
    boolean noDeploy;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    /** The gate of the stage's blue-green deploy ({@code deploy.approval}), apart from the release stage's own. */
    @CommandLine.Mixin
    ApprovalOption approval;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeployFileArgument.Loaded loaded = file.load(err);
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        io.jenkins.plugins.berth.model.ReleaseStage releaseStage;
        try {
            releaseStage = ReleasePromotion.stage(valid.deployFile(), stage);
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Optional<io.jenkins.plugins.berth.run.SecretSource> secrets = secretsOption.read(err,
                BerthCommand.environment(spec));
        if (secrets.isEmpty()) {
            return ExitCodes.USAGE;
        }
        if (releaseStage.approval() && !yes && !approved(out)) {
            err.println("berth: release stage " + stage + " needs approval: answer 'yes' at the prompt in a terminal,"
                    + " or run again with --yes. Nothing was promoted.");
            return ExitCodes.FAILED;
        }
        Path config = dockerConfig.orElseGet(LocalEngine::dockerConfig);
        ReleasePromotion promotion = new ReleasePromotion(registry -> LocalEngine.retagger(registry, config));
        try {
            List<ReleasePromotion.Promoted> promoted = promotion.promote(valid.deployFile(), stage,
                    valid.deployFile().project().orElse(valid.defaultProject()));
            Map<String, String> images = new LinkedHashMap<>();
            for (ReleasePromotion.Promoted image : promoted) {
                out.println("==> " + image.image() + ": " + image.from() + " -> " + image.to() + " (" + image.digest() + ")");
                images.put(image.image(), image.pinned());
            }
            String project = valid.deployFile().project().orElse(valid.defaultProject());
            Path states = stateFolder.folder(valid);
            DirectoryStateStore state = new DirectoryStateStore(states);
            ReleaseRecords.recordPromotion(state, project, stage, images, Instant.now());
            out.println("==> Promoted " + promoted.size() + " image" + (promoted.size() == 1 ? "" : "s") + " to " + stage);
            if (noDeploy || valid.deployFile().stages().isEmpty() && valid.deployFile().infrastructure().isEmpty()) {
                return ExitCodes.OK;
            }
            // The stage's own deploy: its stacks, then the stages, with the promoted images.
            io.jenkins.plugins.berth.deploy.UpRequest request = new io.jenkins.plugins.berth.deploy.UpRequest(stage,
                    Optional.empty(), valid.defaultProject(), secrets.get(), 4,
                    Who.runBy(), String.valueOf(valid.file().getFileName()),
                    new io.jenkins.plugins.berth.deploy.UpRequest.Release(stage,
                            ReleasePromotion.previous(valid.deployFile(), releaseStage), images));
            io.jenkins.plugins.berth.deploy.RunResult result = LocalEngine.create(valid.folder(),
                    valid.file().toAbsolutePath(), states, state, new ConsoleLog(out),
                    BerthCommand.environment(spec), BerthCommand.stops(spec), false, approval.approver(spec.commandLine()))
                    .up(valid.deployFile(), io.jenkins.plugins.berth.model.RepositoryFiles.of(valid.folder()), request);
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (io.jenkins.plugins.berth.run.MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (BerthException | UncheckedIOException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Asks on the terminal; without one, there is no approval. */
    private boolean approved(PrintWriter out) {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        out.flush();
        String answer = console.readLine("Promote to %s and deploy it? Type 'yes' to go on: ", stage);
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
