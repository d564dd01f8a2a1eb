package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.Registry;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link PushTarget} of a deploy file's registry. A registry address: its host, with the client the place that
 * runs Berth makes for it, or, when the runner was given the registry's login in its environment ({@link RegistryLogins}),
 * a client with that login, which the builder is given too (as ECR's token). ECR: the repository must exist, the login comes from {@link EcrLogins}, and the images go
 * to the login's endpoint (the token's {@code proxyEndpoint}), or to {@value #ECR_ENDPOINT} when that is set.
 */
public final class PushTargets {

    /**
     * Where the OCI requests and pushes for an ECR registry go instead of the token's proxy endpoint:
     * {@code host[:port]} or {@code https://host[:port]} ({@code http://} only on 127.0.0.1 or localhost). For a
     * registry that stands in for ECR's (an emulator's, the tests'); ECR's own API goes where the AWS SDK's endpoint
     * settings say ({@code AWS_ENDPOINT_URL_ECR}, {@code AWS_ENDPOINT_URL}).
     */
    public static final String ECR_ENDPOINT = "BERTH_ECR_REGISTRY_ENDPOINT";

    private final Function<String, RegistryClient> clients;
    private final Optional<EcrLogins> ecr;
    private final Optional<String> ecrEndpoint;
    private final RegistryLogins logins;

    /** Without logins from the environment. */
    public PushTargets(Function<String, RegistryClient> clients, Optional<EcrLogins> ecr, Optional<String> ecrEndpoint) {
        this(clients, ecr, ecrEndpoint, RegistryLogins.none());
    }

    /**
     * @param clients the client of a registry address's host
     * @param ecr the ECR logins, if this place can reach ECR
     * @param ecrEndpoint the value of {@value #ECR_ENDPOINT}, if set
     * @param logins the registry logins the environment gives, used before {@code clients}' credentials
     */
    public PushTargets(Function<String, RegistryClient> clients, Optional<EcrLogins> ecr, Optional<String> ecrEndpoint,
            RegistryLogins logins) {
        this.clients = clients;
        this.ecr = ecr;
        this.ecrEndpoint = ecrEndpoint.filter(value -> !value.isBlank());
        this.logins = logins;
    }

    /** Registry addresses only. */
    public static PushTargets addresses(Function<String, RegistryClient> clients) {
        return new PushTargets(clients, Optional.empty(), Optional.empty());
    }

    /** The client of a registry address's host, with this place's own credentials for it (base images' registries). */
    public RegistryClient addressClient(String host) {
        return client(host, logins.forHost(host));
    }

    private RegistryClient client(String host, Optional<Credentials> given) {
        return given.isPresent() ? new RegistryClient(host, given) : clients.apply(host);
    }

    /** Where the images of {@code repository} go; for ECR, after checking that the repository exists. */
    public PushTarget of(Registry registry, String repository) throws BerthException {
        if (!(registry instanceof Registry.Ecr ecrRegistry)) {
            logins.check();
            // A login from the environment goes to the builder the way ECR's token does; else it uses its own.
            Optional<Credentials> given = logins.forHost(registry.host());
            return new PushTarget(client(registry.host(), given), given);
        }
        EcrLogins logins = ecr.orElseThrow(() -> new BerthException("this Berth cannot reach ECR to push to "
                + registry));
        logins.requireRepository(ecrRegistry, repository);
        EcrLogin login = logins.login(ecrRegistry);
        String endpoint = ecrEndpoint.isPresent() ? override(ecrEndpoint.get()) : login.endpoint();
        return new PushTarget(new RegistryClient(endpoint, Optional.of(login.credentials())),
                Optional.of(login.credentials()));
    }

    /** The {@code host[:port]} {@value #ECR_ENDPOINT} names, if it is set; a bad value is refused as below. */
    public static Optional<String> endpointHost(Optional<String> value) throws BerthException {
        Optional<String> set = value.filter(text -> !text.isBlank());
        return set.isPresent() ? Optional.of(override(set.get())) : Optional.empty();
    }

    /** The {@code host[:port]} of {@value #ECR_ENDPOINT}; plain HTTP only on the loopback interface. */
    static String override(String value) throws BerthException {
        String usage = "give host[:port] or https://host[:port]";
        URI uri = RegistryHostVariable.parse(ECR_ENDPOINT, value, usage, "the registry token",
                usage + ", without credentials (Berth logs in with ECR's token)");
        String text = value.strip();
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new BerthException(ECR_ENDPOINT + " is '" + text + "': " + usage);
        }
        String authority = uri.getRawAuthority();
        if (uri.getScheme().equals("https") && text.startsWith("https://") && RegistryHostVariable.isLoopback(uri)) {
            // Berth speaks plain HTTP to a loopback registry (RegistryClient): https:// there cannot be honoured.
            throw new BerthException(ECR_ENDPOINT + " is '" + text + "': Berth speaks plain HTTP to a registry on"
                    + " 127.0.0.1 or localhost; give " + authority);
        }
        return authority;
    }
}
