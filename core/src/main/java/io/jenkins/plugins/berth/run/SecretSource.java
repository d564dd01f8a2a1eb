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

    /**
     * Values from environment variables, one per credential: {@link #environmentName}. The way a Jenkins
     * build hands the credentials it bound (and masks) to the Berth runner on an agent.
     */
    static SecretSource fromEnvironment(Map<String, String> environment) {
        Map<String, String> copy = Map.copyOf(environment);
        return id -> Optional.ofNullable(copy.get(environmentName(id)));
    }

    /** {@code shop-db-password} is passed as {@code BERTH_SECRET_SHOP_DB_PASSWORD}. */
    static String environmentName(String credentialId) {
        return "BERTH_SECRET_" + credentialId.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Values by credential id. */
    static SecretSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
