package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.ImageRepositories;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.model.ReleaseStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Promotes every image of a deploy file to a release stage. The first stage takes what the release branch built,
 * by digest ({@link ReleaseBuild}); a later stage takes what the stage before it was given (its tag, which only a
 * promotion moves). The stage's tag goes to each image's repository where the stage keeps its images
 * ({@code release[].registry}, else the file's registry): the same repository, another repository of the registry
 * or another registry, as {@link Promoter} says; in a registry, the image's repository is the one
 * {@link ImageRepositories} gives for the stage's environment. Every source is read before anything is written, so a missing one
 * changes nothing.
 */
public final class ReleasePromotion {

    /** One image promoted: from where, to where, the digest both now name and the pinned reference. */
    public record Promoted(String image, String from, String to, String pinned, String digest) {}

    private final Function<Registry, Retagger> retaggers;

    /** @param retaggers the retagger for the deploy file's registry (it writes to the stages' registries too) */
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

    /** The stage a stage promotes from: the previous one, or {@code latest} for the first (BERTH_PREVIOUS_STAGE). */
    public static String previous(DeployFile file, ReleaseStage stage) {
        int index = file.release().indexOf(stage);
        return index == 0 ? "latest" : file.release().get(index - 1).name();
    }

    /** True when {@code stage} is the first: it promotes the release branch's build, which a caller finds. */
    public static boolean promotesTheBuild(DeployFile file, String stageName) throws BerthException {
        return file.release().indexOf(stage(file, stageName)) == 0;
    }

    /** {@link #promote(DeployFile, String, String, Optional)} of a file that names its project. */
    public List<Promoted> promote(DeployFile file, String stageName, Optional<ReleaseBuild> build)
            throws BerthException {
        return promote(file, stageName, file.project().orElseThrow(() -> new BerthException("the deploy file names"
                + " no project: give the project to promote")), build);
    }

    /**
     * @param project the project (the file's, else the default one): a {@code repository:} template may name it
     * @param build what the release branch built: needed for the first stage (and only read for it)
     */
    public List<Promoted> promote(DeployFile file, String stageName, String project, Optional<ReleaseBuild> build)
            throws BerthException {
        ReleaseStage stage = stage(file, stageName);
        int index = file.release().indexOf(stage);
        if (file.images().isEmpty()) {
            return List.of();
        }
        Registry registry = file.registry().orElseThrow(() -> new BerthException("the deploy file has no registry"));
        Registry target = stage.registryOr(file.registry()).orElseThrow();
        Optional<Registry> previous = index == 0 ? Optional.empty()
                : file.release().get(index - 1).registryOr(file.registry());
        if (index == 0 && build.isEmpty()) {
            throw new BerthException("cannot promote to " + stage.name() + ": it promotes what the release branch"
                    + " built, and no build was given");
        }
        Retagger retagger = retaggers.apply(registry);
        List<ImageReference> sources = new ArrayList<>();
        List<Retagger.Source> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ImageSpec image : file.images().values()) {
            ImageReference source = index == 0 ? build.get().images().get(image.name())
                    : ImageReference.of(previous.get().host(), ImageRepositories.of(previous.get(), image, project,
                            EnvironmentNames.releaseEnvironment(project, file.release().get(index - 1).name())),
                            file.release().get(index - 1).name());
            sources.add(source);
            Optional<Retagger.Source> read = retagger.find(source);
            if (read.isPresent()) {
                found.add(read.get());
            } else {
                missing.add(source.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new BerthException("cannot promote to " + stage.name() + ": " + String.join(", ", missing)
                    + " does not exist" + (index == 0 ? " any more (" + build.get().describe() + " recorded it; deploy"
                            + " " + build.get().branch() + " again)" : " (promote to " + previous(file, stage)
                            + " first)") + "; nothing was retagged");
        }
        List<Promoted> promoted = new ArrayList<>();
        int i = 0;
        for (ImageSpec image : file.images().values()) {
            String repository = ImageRepositories.of(target, image, project,
                    EnvironmentNames.releaseEnvironment(project, stage.name()));
            ImageReference to = ImageReference.of(target.host(), repository, stage.name());
            String digest = retagger.write(found.get(i), to);
            promoted.add(new Promoted(image.name(), sources.get(i).toString(), to.toString(),
                    ImageReference.pinned(target.host(), repository, digest).toString(), digest));
            i++;
        }
        return promoted;
    }
}
