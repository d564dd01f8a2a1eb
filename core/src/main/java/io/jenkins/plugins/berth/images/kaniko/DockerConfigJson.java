package io.jenkins.plugins.berth.images.kaniko;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.berth.images.registry.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The docker {@code config.json} kaniko reads to push: only the registry the image goes to, with the credentials
 * Berth has for it (none: an empty {@code auths}, for a registry that takes anonymous pushes). It goes into the
 * Job's Secret, never into a log, an argument or a file of Berth's.
 */
final class DockerConfigJson {

    private DockerConfigJson() {}

    static byte[] of(String registryHost, Optional<Credentials> credentials) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        ObjectNode auths = config.putObject("auths");
        credentials.ifPresent(c -> auths.putObject(registryHost).put("auth", Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        return config.toString().getBytes(StandardCharsets.UTF_8);
    }
}
