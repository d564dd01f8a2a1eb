package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.model.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a folder (or Jenkins as a whole) sets for the deploys below it, where the deploy file says nothing:
 * the agent label branch and teardown jobs run on, the registry Berth logs in to and its credentials, the
 * cloud credentials bound around every deploy, the ttl of environments whose deploy file sets none, and
 * where states live. Each value is either set or inherited: {@link #over} lays a nearer folder's on an
 * outer one's.
 */
public record DeployDefaults(Optional<String> agentLabel, Optional<String> registry,
        Optional<String> registryCredentialsId, List<CloudCredential> cloudCredentials, Optional<Duration> ttl,
        Optional<StateHome> stateHome, ChangePolicy changes, Optional<String> kubeconfigCredentialsId) {

    /** Nothing set: everything inherited. */
    public static final DeployDefaults NONE = new DeployDefaults(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of(), Optional.empty(), Optional.empty(), ChangePolicy.NONE, Optional.empty());

    /** The variable the kubeconfig credentials (a secret file) are bound to: where kubectl and Berth look. */
    public static final String KUBECONFIG = "KUBECONFIG";

    /** As above, without kubeconfig credentials. */
    public DeployDefaults(Optional<String> agentLabel, Optional<String> registry,
            Optional<String> registryCredentialsId, List<CloudCredential> cloudCredentials, Optional<Duration> ttl,
            Optional<StateHome> stateHome, ChangePolicy changes) {
        this(agentLabel, registry, registryCredentialsId, cloudCredentials, ttl, stateHome, changes, Optional.empty());
    }

    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");

    public DeployDefaults {
        cloudCredentials = List.copyOf(cloudCredentials);
        changes = changes == null ? ChangePolicy.NONE : changes;
        kubeconfigCredentialsId = kubeconfigCredentialsId == null ? Optional.empty() : kubeconfigCredentialsId;
        if (registryCredentialsId.isPresent() && registry.isEmpty()) {
            throw new IllegalArgumentException("registry credentials '" + registryCredentialsId.get()
                    + "': name the registry they are for, such as registry.example.com");
        }
    }

    /**
     * The defaults a form's text sets; blank fields are inherited.
     *
     * @throws IllegalArgumentException naming the field and what to write, for a registry that is not a host
     *     and optional port, a ttl that is no duration, unreadable cloud credentials or an unknown state backend
     */
    public static DeployDefaults of(String agentLabel, String registry, String registryCredentialsId,
            String cloudCredentials, String ttl, String stateBackend) {
        return new DeployDefaults(set(agentLabel), registry(registry), set(registryCredentialsId),
                CloudCredential.parseAll(cloudCredentials), ttl(ttl), StateHome.parse(stateBackend), ChangePolicy.NONE);
    }

    /** These defaults without their credentials: for an untrusted change's deploy. */
    public DeployDefaults withoutCredentials() {
        return new DeployDefaults(agentLabel, registry, Optional.empty(), List.of(), ttl, stateHome, changes,
                Optional.empty());
    }

    /** These defaults with {@code policy} for changes the folder did not write. */
    public DeployDefaults withChanges(ChangePolicy policy) {
        return new DeployDefaults(agentLabel, registry, registryCredentialsId, cloudCredentials, ttl, stateHome, policy,
                kubeconfigCredentialsId);
    }

    /**
     * These defaults with the kubeconfig credentials a form names (blank: inherited): a secret file bound as
     * {@value #KUBECONFIG} around every deploy, for {@code builder: kaniko-job}.
     *
     * @throws IllegalArgumentException for an id that is not one word
     */
    public DeployDefaults withKubeconfig(String credentialsId) {
        Optional<String> id = set(credentialsId);
        if (id.isPresent() && !id.get().matches("[^\\s=]+")) {
            throw new IllegalArgumentException("kubeconfig credentials '" + id.get() + "': write the id of a secret"
                    + " file credentials, one word");
        }
        return new DeployDefaults(agentLabel, registry, registryCredentialsId, cloudCredentials, ttl, stateHome, changes,
                id);
    }

    /**
     * The registry host a form names; blank means "not set here".
     *
     * @throws IllegalArgumentException for anything but a host and optional port
     */
    public static Optional<String> registry(String text) {
        Optional<String> host = set(text);
        if (host.isPresent() && !REGISTRY.matcher(host.get()).matches()) {
            throw new IllegalArgumentException("registry '" + host.get() + "': write the host and optional port"
                    + " Berth logs in to, such as registry.example.com or 127.0.0.1:5000 (no scheme, no path)");
        }
        return host;
    }

    /**
     * The ttl a form names; blank means "not set here".
     *
     * @throws IllegalArgumentException for anything but a deploy file duration
     */
    public static Optional<Duration> ttl(String text) {
        return set(text).map(duration -> Durations.parse(duration).orElseThrow(
                () -> new IllegalArgumentException("ttl '" + duration + "': write a whole number and a unit, such as"
                        + " 30m, 12h or 3d")));
    }

    private static Optional<String> set(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }

    /**
     * These defaults, with what they leave unset taken from {@code outer} (the folder above, or Jenkins').
     * The registry and its credentials go together: a nearer registry does not take an outer one's credentials.
     */
    public DeployDefaults over(DeployDefaults outer) {
        boolean ownRegistry = registry.isPresent();
        return new DeployDefaults(agentLabel.or(outer::agentLabel), ownRegistry ? registry : outer.registry,
                ownRegistry ? registryCredentialsId : outer.registryCredentialsId,
                cloudCredentials.isEmpty() ? outer.cloudCredentials : cloudCredentials, ttl.or(outer::ttl),
                stateHome.or(outer::stateHome), changes.over(outer.changes),
                kubeconfigCredentialsId.or(outer::kubeconfigCredentialsId));
    }

    /**
     * A short digest of every value these defaults set, written out field by field (not through
     * {@code toString}, so that a renamed Java field does not look like a changed setting). Deploys note the
     * version they ran with; a folder whose version moved on has environments to redeploy.
     */
    public String version() {
        String text = "agent_label=" + agentLabel.orElse("") + "\n"
                + "registry=" + registry.orElse("") + "\n"
                + "registry_credentials=" + registryCredentialsId.orElse("") + "\n"
                + "cloud_credentials=" + String.join(";", cloudCredentials.stream().map(CloudCredential::line).toList())
                + "\n"
                + "ttl=" + ttl.map(Durations::format).orElse("") + "\n"
                + "state_backend=" + stateHome.map(StateHome::keyword).orElse("") + "\n"
                + "pull_requests=" + changes.pullRequests().map(ChangePolicy.PullRequests::keyword).orElse("") + "\n"
                + "untrusted_changes=" + changes.untrusted().map(ChangePolicy.Untrusted::keyword).orElse("") + "\n"
                // Only when set, so that the versions of folders without it stay what they were.
                + kubeconfigCredentialsId.map(id -> "kubeconfig_credentials=" + id + "\n").orElse("");
        return io.jenkins.plugins.berth.Sha256.hex(text).substring(0, 12);
    }

    /** True unless these defaults keep states in the workspace. */
    public boolean hostStates() {
        return stateHome.orElse(StateHome.JENKINS) == StateHome.JENKINS;
    }

    /**
     * As the {@code berth} variable reads them, every value text (empty when unset):
     * {@code agentLabel}, {@code registryUrl} ({@code https://host}), {@code registryHost} ({@code host[:port]}, the
     * value of the runner's {@code BERTH_REGISTRY_HOST}), {@code registryCredentialsId},
     * {@code cloudCredentials} (maps of {@link CloudCredential#forPipeline}; the kubeconfig credentials last, as
     * {@code file KUBECONFIG=<id>}) and {@code ttl}.
     */
    public Map<String, Object> forPipeline() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("agentLabel", agentLabel.orElse(""));
        values.put("registryUrl", registry.map(host -> "https://" + host).orElse(""));
        values.put("registryHost", registry.orElse(""));
        values.put("registryCredentialsId", registryCredentialsId.orElse(""));
        List<Map<String, Object>> bindings = new java.util.ArrayList<>(cloudCredentials.stream()
                .map(CloudCredential::forPipeline).toList());
        kubeconfigCredentialsId.ifPresent(id -> bindings.add(
                new CloudCredential(CloudCredential.Kind.FILE, id, KUBECONFIG).forPipeline()));
        values.put("cloudCredentials", List.copyOf(bindings));
        values.put("ttl", ttl.map(Durations::format).orElse(""));
        return values;
    }
}
