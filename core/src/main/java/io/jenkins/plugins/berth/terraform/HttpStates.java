package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.environments.StateLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the states of the default {@code http} backend live: in a folder served by Berth's own
 * embedded server for the length of a command, or on a server someone else hosts (the Jenkins
 * plugin's state endpoint), reached with a password the run is given.
 */
public sealed interface HttpStates {

    /** The hosted server's base address ({@code https://ci.example.com/berth-state/}). */
    String URL_VARIABLE = io.jenkins.plugins.berth.run.RunnerEnvironment.STATE_URL;
    /** The run's password for the hosted server: Terraform's own variable, so Terraform reads it directly. */
    String PASSWORD_VARIABLE = io.jenkins.plugins.berth.run.RunnerEnvironment.STATE_PASSWORD;
    /**
     * {@code read} when the run's token only reads shared stacks (a pull request's deploy in Jenkins): shared
     * stacks are then not planned or applied, only their outputs read. The server enforces the scope; this only
     * spares the run a refused lock.
     */
    String SHARED_STACKS_VARIABLE = "BERTH_SHARED_STACKS";

    /** The lock holder of a state, when it can be told without Terraform. */
    Optional<LockInfo> lockHolder(String key) throws IOException;

    /** States in a folder, under {@code terraform/states}, served by {@link StateServer}. */
    record Embedded(StateStorage storage) implements HttpStates {
        @Override
        public Optional<LockInfo> lockHolder(String key) throws IOException {
            return storage.lock(key);
        }
    }

    /**
     * States on a hosted server; Terraform itself reports a state locked there.
     *
     * @param readsSharedOnly the run's token may read shared stacks but not change them
     */
    record Hosted(String url, String password, boolean readsSharedOnly) implements HttpStates {
        public Hosted {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException(URL_VARIABLE + " must be an http(s) address, not '" + url + "'");
            }
            url = url.endsWith("/") ? url : url + "/";
        }

        public String address(String key) {
            return url + key;
        }

        @Override
        public Optional<LockInfo> lockHolder(String key) {
            return Optional.empty();
        }

        /** The password stays out of logs and exception messages. */
        @Override
        public String toString() {
            return "Hosted[url=" + url + ", password=****, readsSharedOnly=" + readsSharedOnly + "]";
        }
    }

    /** The states folder of the embedded server under a state folder. */
    static Embedded embedded(Path stateFolder) {
        return new Embedded(new StateStorage(stateFolder.resolve(StateLayout.TERRAFORM_STATES), 10));
    }

    /**
     * Hosted when {@value #URL_VARIABLE} is set (the Jenkins plugin sets it with {@value #PASSWORD_VARIABLE}
     * for each build), else embedded under {@code stateFolder}.
     *
     * @throws IllegalArgumentException when the address is set without a password, or is not http(s)
     */
    static HttpStates of(Path stateFolder, Map<String, String> environment) {
        String url = environment.get(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return embedded(stateFolder);
        }
        String password = environment.get(PASSWORD_VARIABLE);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException(URL_VARIABLE + " is set but " + PASSWORD_VARIABLE
                    + " is not: a hosted state server needs the run's password");
        }
        return new Hosted(url, password, "read".equals(environment.get(SHARED_STACKS_VARIABLE)));
    }
}
