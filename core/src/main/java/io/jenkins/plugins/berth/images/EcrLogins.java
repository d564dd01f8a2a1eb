package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.model.Registry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * What a push into ECR needs from ECR's own API: a registry login from {@code GetAuthorizationToken}, kept in this
 * object (so in the process, never on disk) until shortly before it expires, and the check that the repository
 * exists (ECR does not create it on push).
 *
 * <p>One login per account and region: images built at the same time share it, and a second fetch waits for the
 * first. A login that expires within {@link #RENEW_BEFORE} is fetched again, so a build never starts with a token
 * about to lapse; one that comes back already that close to its end (moto's never expire in the future) is used
 * once and not kept.
 */
public final class EcrLogins {

    /** How long before its expiry a login is renewed: longer than a push of a large image takes. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(30);

    private final Function<String, EcrClient> clients;
    private final Clock clock;
    private final Map<String, EcrLogin> logins = new HashMap<>();

    /** @param clients the ECR client of a region (credentials from the AWS SDK's chain) */
    public EcrLogins(Function<String, EcrClient> clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** The login for {@code registry}: the cached one while it has more than {@link #RENEW_BEFORE} left, else new. */
    public synchronized EcrLogin login(Registry.Ecr registry) throws BerthException {
        String key = registry.account() + "/" + registry.region();
        EcrLogin known = logins.get(key);
        if (known != null && fresh(known)) {
            return known;
        }
        EcrLogin login = fetch(registry);
        if (fresh(login)) {
            logins.put(key, login);
        } else {
            logins.remove(key);
        }
        return login;
    }

    private boolean fresh(EcrLogin login) {
        return clock.instant().plus(RENEW_BEFORE).isBefore(login.expiresAt());
    }

    /** Refuses a repository that does not exist in the registry, saying how to create it. */
    public void requireRepository(Registry.Ecr registry, String repository) throws BerthException {
        try {
            clients.apply(registry.region()).describeRepositories(d -> d.registryId(registry.account())
                    .repositoryNames(repository));
        } catch (RepositoryNotFoundException e) {
            throw new BerthException("the ECR repository " + repository + " does not exist in account "
                    + registry.account() + ", region " + registry.region() + "; ECR does not create repositories on"
                    + " push: create it first (aws ecr create-repository --repository-name " + repository
                    + " --region " + registry.region() + ", or a Terraform aws_ecr_repository in a shared stack"
                    + " applied before)");
        } catch (SdkException e) {
            throw new BerthException("cannot look up the ECR repository " + repository + " in " + registry.host()
                    + ": " + e.getMessage(), e);
        }
    }

    // registryIds is deprecated (a token opens every registry the caller may use), but it still makes the answer's
    // proxyEndpoint the file's account's registry, in the region's partition, which is where the push goes.
    @SuppressWarnings("deprecation")
    private EcrLogin fetch(Registry.Ecr registry) throws BerthException {
        List<AuthorizationData> data;
        try {
            data = clients.apply(registry.region()).getAuthorizationToken(t -> t.registryIds(registry.account()))
                    .authorizationData();
        } catch (SdkException e) {
            throw new BerthException("cannot get an ECR authorization token for " + registry.host() + ": "
                    + e.getMessage(), e);
        }
        if (data.isEmpty() || data.get(0).authorizationToken() == null) {
            throw new BerthException("ECR gave no authorization token for " + registry.host());
        }
        AuthorizationData token = data.get(0);
        Credentials credentials = decode(token.authorizationToken(), registry);
        String endpoint = token.proxyEndpoint() == null ? registry.host() : endpoint(token.proxyEndpoint(), registry);
        Instant expires = token.expiresAt() == null ? clock.instant() : token.expiresAt();
        return new EcrLogin(endpoint, credentials, expires);
    }

    /** {@code base64("AWS:<token>")}; the message of a failure never holds the token. */
    static Credentials decode(String token, Registry.Ecr registry) throws BerthException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BerthException("ECR sent an authorization token for " + registry.host() + " that is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw new BerthException("ECR sent an authorization token for " + registry.host()
                    + " that is not user:password");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** The {@code host[:port]} of a proxy endpoint, which must be HTTPS: the token goes there. */
    static String endpoint(String proxyEndpoint, Registry.Ecr registry) throws BerthException {
        URI uri;
        try {
            uri = URI.create(proxyEndpoint.contains("://") ? proxyEndpoint : "https://" + proxyEndpoint);
        } catch (IllegalArgumentException e) {
            throw new BerthException("ECR gave " + registry.host() + " a proxy endpoint that is not a URL: "
                    + proxyEndpoint);
        }
        if (uri.getRawAuthority() == null || !"https".equals(uri.getScheme())) {
            throw new BerthException("ECR gave " + registry.host() + " the proxy endpoint " + proxyEndpoint
                    + ", which is not https://host[:port]; Berth sends the registry token over HTTPS only");
        }
        return uri.getRawAuthority();
    }
}
