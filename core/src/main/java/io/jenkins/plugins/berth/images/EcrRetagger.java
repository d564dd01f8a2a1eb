package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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

    /** @param registryHost {@code <account>.dkr.ecr.<region>.amazonaws.com}, for references */
    public EcrRetagger(EcrClient ecr, String registryHost) {
        this.ecr = ecr;
        this.registryHost = registryHost;
    }

    /**
     * A retagger for ECR in {@code region}, with the AWS SDK's default credentials (environment,
     * profile, instance role) and the JDK's HTTP client.
     */
    public static EcrRetagger inRegion(String region, String registryHost) {
        return new EcrRetagger(EcrClient.builder().region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create()).build(), registryHost);
    }

    @Override
    public String describe(String repository, String tag) {
        return registryHost + "/" + repository + ":" + tag;
    }

    @Override
    public boolean exists(String repository, String tag) throws BerthException {
        return get(repository, tag).images().size() == 1;
    }

    @Override
    public String retag(String repository, String fromTag, String toTag) throws BerthException {
        BatchGetImageResponse response = get(repository, fromTag);
        if (response.images().size() != 1) {
            throw new BerthException(describe(repository, fromTag) + " does not exist in ECR");
        }
        Image image = response.images().get(0);
        String digest = image.imageId().imageDigest();
        try {
            String stored = ecr.putImage(put -> put.repositoryName(repository).imageManifest(image.imageManifest())
                    .imageManifestMediaType(image.imageManifestMediaType()).imageTag(toTag)).image().imageId().imageDigest();
            if (stored != null && !stored.equals(digest)) {
                throw new BerthException("ECR stored " + describe(repository, toTag) + " as " + stored + " instead of "
                        + digest);
            }
        } catch (ImageAlreadyExistsException e) {
            // The tag already names this very manifest: nothing to do.
        } catch (SdkException e) {
            throw new BerthException("ECR refused to tag " + describe(repository, fromTag) + " as " + toTag + ": "
                    + e.getMessage(), e);
        }
        return digest;
    }

    @Override
    public String pinned(String repository, String digest) {
        return ImageReference.pinned(registryHost, repository, digest).toString();
    }

    private BatchGetImageResponse get(String repository, String tag) throws BerthException {
        try {
            return ecr.batchGetImage(get -> get.repositoryName(repository)
                    .imageIds(ImageIdentifier.builder().imageTag(tag).build())
                    .acceptedMediaTypes(ManifestMediaTypes.ALL));
        } catch (SdkException e) {
            throw new BerthException("cannot read " + describe(repository, tag) + " from ECR: " + e.getMessage(), e);
        }
    }
}
