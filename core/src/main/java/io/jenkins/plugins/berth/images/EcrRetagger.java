package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/**
 * Retags in Amazon ECR with its own API: {@code BatchGetImage} reads the manifest and its media type,
 * {@code PutImage} stores the same bytes under the new tag. ECR keeps the layers where they are.
 */
public final class EcrRetagger implements Retagger {

    private final EcrClient ecr;
    private final String registryHost;
    private final Optional<String> endpointHost;

    /** @param registryHost {@code <account>.dkr.ecr.<region>.amazonaws.com}, for references */
    public EcrRetagger(EcrClient ecr, String registryHost) {
        this(ecr, registryHost, Optional.empty());
    }

    /**
     * @param endpointHost the host of {@value PushTargets#ECR_ENDPOINT} when set: builds pushed there, so the
     *     references a build recorded name it, and they are this registry's images too
     */
    public EcrRetagger(EcrClient ecr, String registryHost, Optional<String> endpointHost) {
        this.ecr = ecr;
        this.registryHost = registryHost;
        this.endpointHost = endpointHost;
    }

    private record Found(ImageReference reference, Image image) implements Source {
        @Override
        public String digest() {
            return image.imageId().imageDigest();
        }
    }

    @Override
    public Optional<Source> find(ImageReference source) throws BerthException {
        ownHost(source);
        BatchGetImageResponse response = get(source.repository(), source.tagOrDigest(), source.digest().isPresent());
        return response.images().size() == 1 ? Optional.of(new Found(source, response.images().get(0)))
                : Optional.empty();
    }

    @Override
    public String write(Source source, ImageReference target) throws BerthException {
        ownHost(target);
        Image image = ((Found) source).image();
        if (!source.reference().repository().equals(target.repository())) {
            throw new BerthException("ECR promotion stays within an image's repository: " + source.reference()
                    + " cannot become " + target);
        }
        String tag = target.tag().orElseThrow(() -> new BerthException("promote to a tag, not a digest: " + target));
        String digest = image.imageId().imageDigest();
        try {
            String stored = ecr.putImage(put -> put.repositoryName(target.repository())
                    .imageManifest(image.imageManifest()).imageManifestMediaType(image.imageManifestMediaType())
                    .imageTag(tag)).image().imageId().imageDigest();
            if (stored != null && !stored.equals(digest)) {
                throw new BerthException("ECR stored " + target + " as " + stored + " instead of " + digest);
            }
        } catch (ImageAlreadyExistsException e) {
            // The tag already names this very manifest: nothing to do.
        } catch (SdkException e) {
            throw new BerthException("ECR refused to tag " + source.reference() + " as " + tag + ": " + e.getMessage(),
                    e);
        }
        return digest;
    }

    /** Retags within the repository: {@code fromTag} (which must exist) becomes {@code toTag} too. */
    public String retag(String repository, String fromTag, String toTag) throws BerthException {
        ImageReference source = ImageReference.of(registryHost, repository, fromTag);
        Source found = find(source).orElseThrow(() -> new BerthException(source + " does not exist in ECR"));
        return write(found, ImageReference.of(registryHost, repository, toTag));
    }

    private void ownHost(ImageReference reference) throws BerthException {
        if (!reference.registry().equals(registryHost) && !endpointHost.equals(Optional.of(reference.registry()))) {
            throw new BerthException("ECR promotion stays within " + registryHost + ": " + reference
                    + " is in another registry");
        }
    }

    private BatchGetImageResponse get(String repository, String reference, boolean byDigest) throws BerthException {
        ImageIdentifier id = byDigest ? ImageIdentifier.builder().imageDigest(reference).build()
                : ImageIdentifier.builder().imageTag(reference).build();
        try {
            return ecr.batchGetImage(get -> get.repositoryName(repository).imageIds(id)
                    .acceptedMediaTypes(ManifestMediaTypes.ALL));
        } catch (SdkException e) {
            throw new BerthException("cannot read " + registryHost + "/" + repository + (byDigest ? "@" : ":")
                    + reference + " from ECR: " + e.getMessage(), e);
        }
    }
}
