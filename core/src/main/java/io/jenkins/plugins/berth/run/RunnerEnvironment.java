package io.jenkins.plugins.berth.run;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment the Berth runner was started with, and what of it the processes it starts inherit.
 *
 * <p>The Terraform state credentials ({@value #STATE_URL} and every {@code TF_HTTP_*} variable, among
 * them the run's password {@value #STATE_PASSWORD}) are for Terraform's {@code http} backend alone: with
 * them, stage code could read or overwrite every state the run may touch. So every process but
 * Terraform's gets the environment without them ({@link #forProcess}), and their secret parts
 * ({@link #secrets}) are masked from the runner's first line on.
 *
 * <p>The registry credentials the Jenkins layer binds ({@value #REGISTRY_USERNAME} and {@value #REGISTRY_PASSWORD}
 * for the deploy file's registry, {@value #RELEASE_REGISTRY_USERNAME} and {@value #RELEASE_REGISTRY_PASSWORD} for a
 * release stage's) are for Berth itself: its registry client and the builder's private login file. No process it
 * starts inherits them, and the passwords are masked like the state password.
 */
public record RunnerEnvironment(Map<String, String> variables) {

    /** The hosted state server's base address; may carry {@code user:password@}. */
    public static final String STATE_URL = "BERTH_STATE_URL";
    /** The run's password for the state server: Terraform's own variable, so Terraform reads it directly. */
    public static final String STATE_PASSWORD = "TF_HTTP_PASSWORD";
    /** Every variable Terraform's http backend reads starts so (address, lock addresses, user, password, TLS). */
    private static final String HTTP_BACKEND_PREFIX = "TF_HTTP_";
    /** The backend's TLS client key: secret like the password. */
    private static final String CLIENT_KEY = "TF_HTTP_CLIENT_PRIVATE_KEY_PEM";

    /** The deploy file's registry, {@code host[:port]}, that {@value #REGISTRY_USERNAME} and the password are for. */
    public static final String REGISTRY_HOST = "BERTH_REGISTRY_HOST";
    public static final String REGISTRY_USERNAME = "BERTH_REGISTRY_USERNAME";
    public static final String REGISTRY_PASSWORD = "BERTH_REGISTRY_PASSWORD";
    /** A release stage's own registry ({@code release[].registry}), for its promotion. */
    public static final String RELEASE_REGISTRY_HOST = "BERTH_RELEASE_REGISTRY_HOST";
    public static final String RELEASE_REGISTRY_USERNAME = "BERTH_RELEASE_REGISTRY_USERNAME";
    public static final String RELEASE_REGISTRY_PASSWORD = "BERTH_RELEASE_REGISTRY_PASSWORD";
    private static final java.util.Set<String> REGISTRY_CREDENTIALS = java.util.Set.of(REGISTRY_USERNAME,
            REGISTRY_PASSWORD, RELEASE_REGISTRY_USERNAME, RELEASE_REGISTRY_PASSWORD);

    public RunnerEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment. */
    public static RunnerEnvironment current() {
        return new RunnerEnvironment(System.getenv());
    }

    /** This environment with {@code more} variables set (a test's cloud credentials, for example). */
    public RunnerEnvironment with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(variables);
        all.putAll(more);
        return new RunnerEnvironment(all);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** Whether {@code name} is a state credential variable (in any case: some platforms ignore it). */
    public static boolean isStateCredential(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals(STATE_URL) || upper.startsWith(HTTP_BACKEND_PREFIX);
    }

    /** Whether {@code name} is a registry user or password variable Berth alone reads (in any case). */
    public static boolean isRegistryCredential(String name) {
        return REGISTRY_CREDENTIALS.contains(name.toUpperCase(Locale.ROOT));
    }

    /**
     * The variables a process inherits: all but the registry credentials for Terraform ({@code stateCredentials}),
     * all but those and the state credentials for anything else.
     */
    public Map<String, String> forProcess(boolean stateCredentials) {
        Map<String, String> without = new LinkedHashMap<>(variables);
        without.keySet().removeIf(name -> isRegistryCredential(name) || !stateCredentials && isStateCredential(name));
        return without;
    }

    /**
     * The secret parts of the state credentials: the password, the TLS client key, and the password of
     * any {@code user:password@} in an address (as written and decoded; a lone {@code token@} whole); and the
     * registry passwords.
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String password : List.of(REGISTRY_PASSWORD, RELEASE_REGISTRY_PASSWORD)) {
            get(password).filter(value -> !value.isEmpty()).ifPresent(secrets::add);
        }
        variables.forEach((name, value) -> {
            if (value.isEmpty() || !isStateCredential(name)) {
                return;
            }
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.equals(STATE_PASSWORD) || upper.equals(CLIENT_KEY)) {
                secrets.add(value);
            } else {
                userInfoSecret(value).ifPresent(secret -> {
                    secrets.add(secret);
                    decoded(secret).filter(d -> !d.equals(secret) && !d.isEmpty()).ifPresent(secrets::add);
                });
            }
        });
        return List.copyOf(secrets);
    }

    /** The password of {@code scheme://user:password@host/...}, or a lone user part (a token). */
    private static Optional<String> userInfoSecret(String address) {
        int scheme = address.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        int start = scheme + 3;
        int end = address.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int at = address.indexOf(stop, start);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int at = address.lastIndexOf('@', end - 1);
        if (at < start) {
            return Optional.empty();
        }
        String userInfo = address.substring(start, at);
        int colon = userInfo.indexOf(':');
        String secret = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
    }

    private static Optional<String> decoded(String text) {
        try {
            return Optional.of(URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Only the names: values may be secret. */
    @Override
    public String toString() {
        return "RunnerEnvironment" + new java.util.TreeSet<>(variables.keySet());
    }
}
