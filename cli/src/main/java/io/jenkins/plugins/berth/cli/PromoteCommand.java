package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Who;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.ReleaseRecords;
import io.jenkins.plugins.berth.images.ReleaseBuild;
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

/**
 * {@code berth promote [FILE] --to STAGE [--from ENV]}: give the release branch's build (or the previous stage's images)
 * the stage's tag, by digest, without moving a layer within a registry.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Promote every image of the deploy file to a release stage. The first stage takes what the"
                + " release branch built, by the digests its environment's record keeps (its last deploy must have"
                + " succeeded; --from names another environment); a later stage takes the stage before it. Each image"
                + " gets the stage's tag where the stage keeps images (release[].registry, else the file's registry):"
                + " by manifest in the same repository, by blob mount in another repository of the registry, by"
                + " streaming the blobs into another registry; digests stay. The digests are recorded in the stage's"
                + " environment record, then the stage is deployed: its stacks, then the stages with BERTH_STAGE and"
                + " BERTH_PREVIOUS_STAGE. A stage with 'approval: true' asks first (or takes --yes)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:promoted", "1:no release branch build to promote, a source is missing (nothing was"
                + " retagged), the registry refused, or the deploy file has problems", "2:wrong usage, an unknown stage, or a file that cannot be read"})
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

    @Option(names = "--from", paramLabel = "ENV", description = "The environment whose images the first release stage"
            + " gets (default: the release branch's, release_branches; its last deploy must have succeeded).")
    Optional<String> from = Optional.empty();

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
        // The release stage's registry may have a login of its own (BERTH_RELEASE_REGISTRY_*), the file's its own.
        io.jenkins.plugins.berth.images.RegistryLogins logins = io.jenkins.plugins.berth.images.RegistryLogins.of(
                BerthCommand.environment(spec));
        try {
            logins.check();
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage() + "; nothing was promoted");
            return ExitCodes.USAGE;
        }
        Path states = stateFolder.folder(valid);
        DirectoryStateStore state = new DirectoryStateStore(states);
        Optional<ReleaseBuild> build = Optional.empty();
        try {
            if (!valid.deployFile().images().isEmpty() && ReleasePromotion.promotesTheBuild(valid.deployFile(), stage)) {
                build = Optional.of(ReleaseBuild.of(valid.deployFile(), state, valid.defaultProject(), from));
            } else if (from.isPresent()) {
                err.println("berth: --from names what the first release stage promotes; " + stage + (valid.deployFile()
                        .images().isEmpty() ? " has no image to promote" : " promotes what "
                        + ReleasePromotion.previous(valid.deployFile(), releaseStage) + " was given"));
                return ExitCodes.USAGE;
            }
        } catch (BerthException e) {
            err.println("berth: cannot promote to " + stage + ": " + e.getMessage() + "; nothing was promoted");
            return ExitCodes.FAILED;
        }
        if (releaseStage.approval() && !yes && !approved(out)) {
            err.println("berth: release stage " + stage + " needs approval: answer 'yes' at the prompt in a terminal,"
                    + " or run again with --yes. Nothing was promoted.");
            return ExitCodes.FAILED;
        }
        Path config = dockerConfig.orElseGet(LocalEngine::dockerConfig);
        Optional<String> ecrEndpoint;
        try {
            ecrEndpoint = io.jenkins.plugins.berth.images.PushTargets.endpointHost(
                    BerthCommand.environment(spec).get(io.jenkins.plugins.berth.images.PushTargets.ECR_ENDPOINT));
        } catch (BerthException e) {
            err.println("berth: " + e.getMessage() + "; nothing was promoted");
            return ExitCodes.USAGE;
        }
        ReleasePromotion promotion = new ReleasePromotion(registry -> LocalEngine.retagger(registry, config,
                ecrEndpoint, logins));
        try {
            build.ifPresent(b -> out.println("==> Promoting to " + stage + " what " + b.describe() + " runs"));
            List<ReleasePromotion.Promoted> promoted = promotion.promote(valid.deployFile(), stage,
                    valid.deployFile().project().orElse(valid.defaultProject()), build);
            Map<String, String> images = new LinkedHashMap<>();
            for (ReleasePromotion.Promoted image : promoted) {
                out.println("==> " + image.image() + ": " + image.from() + " -> " + image.to() + " (" + image.digest() + ")");
                images.put(image.image(), image.pinned());
            }
            String project = valid.deployFile().project().orElse(valid.defaultProject());
            boolean deploys = !noDeploy && !(valid.deployFile().stages().isEmpty()
                    && valid.deployFile().infrastructure().isEmpty());
            ReleaseRecords.recordPromotion(state, project, stage, images, Instant.now(), deploys);
            out.println("==> Promoted " + promoted.size() + " image" + (promoted.size() == 1 ? "" : "s") + " to " + stage);
            if (!deploys) {
                return ExitCodes.OK;
            }
            // The stage's own deploy: its stacks, then the stages, with the promoted images.
            io.jenkins.plugins.berth.deploy.UpRequest request = new io.jenkins.plugins.berth.deploy.UpRequest(stage,
                    Optional.empty(), valid.defaultProject(), secrets.get(), 4,
                    Who.runBy(), String.valueOf(valid.file().getFileName()),
                    new io.jenkins.plugins.berth.deploy.UpRequest.Release(stage,
                            ReleasePromotion.previous(valid.deployFile(), releaseStage), images));
            io.jenkins.plugins.berth.deploy.RunResult result;
            try {
                result = LocalEngine.create(valid.folder(), valid.file().toAbsolutePath(), states, state,
                        new ConsoleLog(out), BerthCommand.environment(spec), BerthCommand.stops(spec), false,
                        approval.approver(spec.commandLine()))
                        .up(valid.deployFile(), io.jenkins.plugins.berth.model.RepositoryFiles.of(valid.folder()),
                                request);
            } catch (BerthException | IOException | RuntimeException e) {
                // Stopped before its run recorded anything: the record must not stay "creating" or say ready.
                ReleaseRecords.deployNotStarted(state, project, stage, Instant.now());
                throw e;
            }
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
