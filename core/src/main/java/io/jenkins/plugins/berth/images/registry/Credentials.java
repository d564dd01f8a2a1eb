package io.jenkins.plugins.berth.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** A user name and password (or token) for a registry. {@code toString} never shows the password. */
public record Credentials(String username, String password) {

    /** The names Docker Hub goes by: {@code docker login} keeps its credentials under the first. */
    private static final java.util.Set<String> DOCKER_HUB = java.util.Set.of("docker.io", "index.docker.io",
            "registry-1.docker.io");

    /** The {@code auths.<host>.auth} entry of a docker {@code config.json}, if it has one for {@code registry}. */
    public static Optional<Credentials> fromDockerConfig(Path configJson, String registry) throws IOException {
        if (!Files.isRegularFile(configJson)) {
            return Optional.empty();
        }
        JsonNode auths = new ObjectMapper().readTree(configJson.toFile()).path("auths");
        // Docker Hub's credentials are kept under its old index address, whatever host a request goes to.
        String[] keys = DOCKER_HUB.contains(registry) ? new String[] {"https://index.docker.io/v1/", "docker.io",
            "index.docker.io", registry} : new String[] {registry, "https://" + registry, "http://" + registry};
        for (String key : keys) {
            JsonNode auth = auths.path(key).path("auth");
            if (auth.isTextual()) {
                String decoded = new String(Base64.getDecoder().decode(auth.asText()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A docker {@code config.json} of one {@code auths} entry, for {@code host} (none: an empty {@code auths}, for a
     * registry that takes anonymous pushes): the login a builder pushes with.
     */
    public static byte[] dockerConfig(String host, Optional<Credentials> credentials) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        ObjectNode auths = config.putObject("auths");
        credentials.ifPresent(c -> auths.putObject(host).put("auth", c.auth()));
        return config.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code user:password} in base64: a docker {@code config.json}'s {@code auth}, and Basic authentication's. */
    private String auth() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String basicHeader() {
        return "Basic " + auth();
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
