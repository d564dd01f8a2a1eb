package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.ImageRepositories;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.model.ReleaseStage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Promotes every image of a deploy file to a release stage: the tag of the stage before it (the first
 * stage's is {@code latest}) is retagged as the stage, in each image's repository ({@link ImageRepositories}:
 * {@code <prefix>/<image>} by default, in a registry address or an ECR repository prefix). All sources are checked before anything is
 * retagged, so a missing one changes nothing.
 */
public final class ReleasePromotion {

    /** One image promoted: from which tag, to which, the digest both now name and the pinned reference. */
    public record Promoted(String image, String from, String to, String pinned, String digest) {}

    private final Function<Registry, Retagger> retaggers;

    /** @param retaggers the retagger for the deploy file's registry */
    public ReleasePromotion(Function<Registry, Retagger> retaggers) {
        this.retaggers = retaggers;
    }

    /** The release stage named {@code name}, or an error listing the stages there are. */
    public static ReleaseStage stage(DeployFile file, String name) throws BerthException {
        return file.release().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new BerthException("there is no release stage '" + name + "'" + (file.release().isEmpty()
                        ? ": the deploy file has no 'release' block"
                        : "; the stages are " + String.join(", ", file.release().stream().map(ReleaseStage::name)
                                .toList()))));
    }

    /** The tag a stage promotes from: the previous stage's name, or {@code latest} for the first. */
    public static String previous(DeployFile file, ReleaseStage stage) {
        int index = file.release().indexOf(stage);
        return index == 0 ? "latest" : file.release().get(index - 1).name();
    }

    public List<Promoted> promote(DeployFile file, String stageName) throws BerthException {
        return promote(file, stageName, file.project().orElse(""));
    }

    /**
     * @param project the project (the file's, else the default one): a {@code repository:} template may name it.
     *     Validation refuses a template with {@code ${BERTH_ENVIRONMENT}} while there are release stages, so each image
     *     has one repository for every stage.
     */
    public List<Promoted> promote(DeployFile file, String stageName, String project) throws BerthException {
        ReleaseStage stage = stage(file, stageName);
        String from = previous(file, stage);
        if (file.images().isEmpty()) {
            return List.of();
        }
        Registry registry = file.registry().orElseThrow(() -> new BerthException("the deploy file has no registry"));
        Retagger retagger = retaggers.apply(registry);
        List<String> missing = new ArrayList<>();
        for (ImageSpec image : file.images().values()) {
            String repository = ImageRepositories.of(registry, image, project,
                    EnvironmentNames.releaseEnvironment(project, stage.name()));
            if (!retagger.exists(repository, from)) {
                missing.add(retagger.describe(repository, from));
            }
        }
        if (!missing.isEmpty()) {
            throw new BerthException("cannot promote to " + stage.name() + ": " + String.join(", ", missing)
                    + " does not exist" + (from.equals("latest") ? " (build and push the images first)"
                            : " (promote to " + from + " first)") + "; nothing was retagged");
        }
        List<Promoted> promoted = new ArrayList<>();
        for (ImageSpec image : file.images().values()) {
            String repository = ImageRepositories.of(registry, image, project,
                    EnvironmentNames.releaseEnvironment(project, stage.name()));
            String digest = retagger.retag(repository, from, stage.name());
            promoted.add(new Promoted(image.name(), retagger.describe(repository, from),
                    retagger.describe(repository, stage.name()), retagger.pinned(repository, digest), digest));
        }
        return promoted;
    }
}
