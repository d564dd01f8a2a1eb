package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry logins the runner was given in its environment, never in its arguments: the deploy file's registry
 * ({@value RunnerEnvironment#REGISTRY_HOST}, {@value RunnerEnvironment#REGISTRY_USERNAME},
 * {@value RunnerEnvironment#REGISTRY_PASSWORD}) and a release stage's own ({@value RunnerEnvironment#RELEASE_REGISTRY_HOST}
 * and its user and password). The Jenkins layer binds them with the Credentials Binding plugin. For a host so given,
 * Berth's registry client uses them before docker config's, and the builder gets them as it gets ECR's token (a
 * private file, {@link BuilderLogin}). When both name the same host, the release stage's win: they are the ones a
 * promotion was given.
 *
 * <p>Bad variables (a user without a password, a host with credentials in it) are kept as a problem that
 * {@link #check} reports where a registry is first needed, naming the variables, never a value but the host.
 */
public final class RegistryLogins {

    private static final RegistryLogins NONE = new RegistryLogins(Map.of(), Optional.empty());

    private final Map<String, Credentials> byHost;
    private final Optional<String> problem;

    private RegistryLogins(Map<String, Credentials> byHost, Optional<String> problem) {
        this.byHost = Map.copyOf(byHost);
        this.problem = problem;
    }

    /** No login given: every registry's credentials come from docker config (or ECR's token). */
    public static RegistryLogins none() {
        return NONE;
    }

    /** The logins {@code environment} gives. */
    public static RegistryLogins of(RunnerEnvironment environment) {
        Map<String, Credentials> byHost = new LinkedHashMap<>();
        StringBuilder problems = new StringBuilder();
        read(environment, RunnerEnvironment.REGISTRY_HOST, RunnerEnvironment.REGISTRY_USERNAME,
                RunnerEnvironment.REGISTRY_PASSWORD, byHost, problems);
        read(environment, RunnerEnvironment.RELEASE_REGISTRY_HOST, RunnerEnvironment.RELEASE_REGISTRY_USERNAME,
                RunnerEnvironment.RELEASE_REGISTRY_PASSWORD, byHost, problems);
        return new RegistryLogins(byHost, problems.isEmpty() ? Optional.empty() : Optional.of(problems.toString()));
    }

    private static void read(RunnerEnvironment environment, String hostVariable, String userVariable,
            String passwordVariable, Map<String, Credentials> byHost, StringBuilder problems) {
        Optional<String> host = set(environment, hostVariable);
        Optional<String> user = set(environment, userVariable);
        Optional<String> password = set(environment, passwordVariable);
        if (host.isEmpty() && user.isEmpty() && password.isEmpty()) {
            return;
        }
        String problem = null;
        if (host.isEmpty()) {
            problem = userVariable + " and " + passwordVariable + " are set but " + hostVariable + " is not: name"
                    + " the registry host[:port] they are for (in Jenkins, berth.promote's registryCredentialsId is"
                    + " for a release stage with release[].registry)";
        } else if (user.isEmpty() || password.isEmpty()) {
            problem = hostVariable + " is set but " + (user.isEmpty() ? userVariable : passwordVariable)
                    + " is empty: give the registry's user and password (in Jenkins, a Username with password"
                    + " credential)";
        } else {
            try {
                byHost.put(host(hostVariable, host.get()), new Credentials(user.get(), password.get()));
            } catch (BerthException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            problems.append(problems.isEmpty() ? "" : "; ").append(problem);
        }
    }

    private static Optional<String> set(RunnerEnvironment environment, String name) {
        return environment.get(name).filter(value -> !value.isBlank());
    }

    /**
     * The {@code host[:port]} of a host variable's value: {@code host[:port]}, {@code https://host[:port]} or a
     * registry address with a repository prefix ({@code host/team}, as a plan names a release stage's registry).
     * Plain {@code http://} only on 127.0.0.1 or localhost: the password goes there.
     */
    static String host(String variable, String value) throws BerthException {
        return RegistryHostVariable.parse(variable, value, "give the registry's host[:port], such as"
                + " registry.example.com or 127.0.0.1:5000", "the registry password", "give the registry's"
                + " host[:port] only; the user and password go in their own variables")
                .getRawAuthority().toLowerCase(Locale.ROOT);
    }

    /** Refuses variables that do not make a login, saying which and what to set. */
    public void check() throws BerthException {
        if (problem.isPresent()) {
            throw new BerthException("the registry login variables are wrong: " + problem.get());
        }
    }

    /** The login given for {@code host} ({@code host[:port]}, as references name it), if any. */
    public Optional<Credentials> forHost(String host) {
        return Optional.ofNullable(byHost.get(host.toLowerCase(Locale.ROOT)));
    }

    /** The hosts only: the passwords never. */
    @Override
    public String toString() {
        return "RegistryLogins" + byHost.keySet();
    }
}
