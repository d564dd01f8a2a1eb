package io.jenkins.plugins.berth.run;

import java.util.Map;
import java.util.Optional;

/**
 * Gives the value of a credential by the id the deploy file names. The CLI reads a secrets file; the
 * plugin asks Jenkins' credentials store.
 */
@FunctionalInterface
public interface SecretSource {

    Optional<String> value(String credentialId);

    /** A source that has no secret at all. */
    static SecretSource none() {
        return id -> Optional.empty();
    }

    /** Values by credential id. */
    static SecretSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
