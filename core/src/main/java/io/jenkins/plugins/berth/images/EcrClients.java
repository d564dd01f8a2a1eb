package io.jenkins.plugins.berth.images;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * One ECR client per region, made when first asked for and kept: the AWS SDK's default credentials (environment,
 * profile, instance role) and its endpoint settings ({@code AWS_ENDPOINT_URL_ECR}, then {@code AWS_ENDPOINT_URL}, or
 * the profile's {@code endpoint_url}), over the JDK's HTTP client.
 */
public final class EcrClients {

    private final Map<String, EcrClient> clients = new ConcurrentHashMap<>();

    public EcrClient of(String region) {
        return clients.computeIfAbsent(region, r -> EcrClient.builder().region(Region.of(r))
                .httpClient(UrlConnectionHttpClient.create()).build());
    }
}
