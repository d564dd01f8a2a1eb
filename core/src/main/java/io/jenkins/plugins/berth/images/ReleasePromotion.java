package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.model.ReleaseStage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Promotes every image of a deploy file to a release stage: the tag of the stage before it (the first
 * stage's is {@code latest}) is retagged as the stage, in each image's repository. All sources are
 * checked before anything is retagged, so a missing one changes nothing.
 */
public final class ReleasePromotion {

    /** One image promoted: from which tag, to which, and the digest both now name. */
    public record Promoted(String image, ImageReference from, ImageReference to, String digest) {
        /** The digest-pinned reference of the promoted image. */
        public String pinned() {
            return to.registry() + "/" + to.repository() + "@" + digest;
        }
    }

    private final Function<String, RegistryClient> clients;

    /** @param clients the registry client for a registry host */
    public ReleasePromotion(Function<String, RegistryClient> clients) {
        this.clients = clients;
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
        ReleaseStage stage = stage(file, stageName);
        String from = previous(file, stage);
        Registry registry = file.registry().orElseThrow(() -> new BerthException("the deploy file has no registry"));
        if (!(registry instanceof Registry.Address address)) {
            throw new BerthException("promotion in ECR is not supported yet; use a registry address");
        }
        int slash = address.address().indexOf('/');
        String host = address.address().substring(0, slash);
        String prefix = address.address().substring(slash + 1);
        RegistryClient client = clients.apply(host);
        List<ImageReference[]> moves = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ImageSpec image : file.images().values()) {
            String repository = prefix + "/" + image.name();
            ImageReference source = ImageReference.of(host, repository, from);
            if (client.headManifest(repository, from).isEmpty()) {
                missing.add(source.toString());
            }
            moves.add(new ImageReference[] {source, ImageReference.of(host, repository, stage.name())});
        }
        if (!missing.isEmpty()) {
            throw new BerthException("cannot promote to " + stage.name() + ": " + String.join(", ", missing)
                    + " does not exist" + (from.equals("latest") ? " (build and push the images first)"
                            : " (promote to " + from + " first)") + "; nothing was retagged");
        }
        Promoter promoter = new Promoter(client);
        List<Promoted> promoted = new ArrayList<>();
        List<ImageSpec> images = List.copyOf(file.images().values());
        for (int i = 0; i < moves.size(); i++) {
            ImageReference[] move = moves.get(i);
            promoted.add(new Promoted(images.get(i).name(), move[0], move[1], promoter.promote(move[0], move[1])));
        }
        return promoted;
    }
}
