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

    /**
     * The variables a process inherits: all of them for Terraform ({@code stateCredentials}), all but the
     * state credentials for anything else.
     */
    public Map<String, String> forProcess(boolean stateCredentials) {
        if (stateCredentials) {
            return variables;
        }
        Map<String, String> without = new LinkedHashMap<>(variables);
        without.keySet().removeIf(RunnerEnvironment::isStateCredential);
        return without;
    }

    /**
     * The secret parts of the state credentials: the password, the TLS client key, and the password of
     * any {@code user:password@} in an address (as written and decoded; a lone {@code token@} whole).
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
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
