package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.ManifestNotFoundException;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryException;
import java.util.Optional;
import java.util.function.Function;

/** Retags through the OCI distribution API with a {@link Promoter}: a manifest GET, then a PUT under the new tag. */
public final class RegistryRetagger implements Retagger {

    private final Promoter promoter;

    /** @param clients the client of each registry host, with its credentials */
    public RegistryRetagger(Function<String, RegistryClient> clients) {
        this.promoter = new Promoter(clients);
    }

    /** Within the one registry of {@code client}. */
    public RegistryRetagger(RegistryClient client) {
        this.promoter = new Promoter(client);
    }

    private record Read(Promoter.Read read) implements Source {
        @Override
        public ImageReference reference() {
            return read.source();
        }

        @Override
        public String digest() {
            return read.digest();
        }
    }

    @Override
    public Optional<Source> find(ImageReference source) throws RegistryException {
        try {
            return Optional.of(new Read(promoter.read(source)));
        } catch (ManifestNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String write(Source source, ImageReference target) throws RegistryException {
        return promoter.write(((Read) source).read(), target);
    }
}
