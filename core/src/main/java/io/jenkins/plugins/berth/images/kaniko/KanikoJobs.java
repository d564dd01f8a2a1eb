package io.jenkins.plugins.berth.images.kaniko;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.model.KanikoJobSettings;
import java.io.IOException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens the cluster {@code builder: kaniko-job} builds in: the kubeconfig the deploy file names
 * ({@code kaniko_job.kubeconfig}), else {@code $KUBECONFIG} (its first file), else {@code ~/.kube/config}; in Jenkins
 * the folder's kubeconfig credentials, bound as {@code KUBECONFIG}. Only that file is read: no in-cluster service
 * account, no other environment variable of the client's.
 */
public final class KanikoJobs {

    /** The variable a kubeconfig is found by, as kubectl reads it. */
    public static final String KUBECONFIG = "KUBECONFIG";

    private final Map<String, String> environment;
    private final Path home;
    private final Function<String, Optional<Credentials>> credentials;
    private final Duration poll;

    /**
     * @param environment the runner's variables ({@value #KUBECONFIG})
     * @param home the user's home, for {@code ~/} and {@code ~/.kube/config}
     * @param credentials the registry credentials Berth has for a registry host, which the Job's Secret carries
     */
    public KanikoJobs(Map<String, String> environment, Path home, Function<String, Optional<Credentials>> credentials) {
        this(environment, home, credentials, Duration.ofSeconds(1));
    }

    /** As above, looking at the Job every {@code poll}. */
    public KanikoJobs(Map<String, String> environment, Path home, Function<String, Optional<Credentials>> credentials,
            Duration poll) {
        this.environment = Map.copyOf(environment);
        this.home = home;
        this.credentials = credentials;
        this.poll = poll;
    }

    /** The credentials for {@code host} the Job's Secret gets. */
    public Optional<Credentials> credentials(String host) {
        return credentials.apply(host);
    }

    /**
     * A client of the cluster, for one build.
     *
     * @param repository the repository being built: a kubeconfig in it is refused (its code could have written it)
     * @throws BerthException when there is no kubeconfig or it cannot be read
     */
    public KanikoJob open(KanikoJobSettings settings, Path repository) throws BerthException {
        Path file = kubeconfig(settings);
        if (!Files.isRegularFile(file)) {
            throw new BerthException("builder kaniko-job: no kubeconfig at " + file + "; name one in"
                    + " kaniko_job.kubeconfig or KUBECONFIG (Jenkins: the folder's kubeconfig credentials)");
        }
        if (inside(file, repository)) {
            // The code being built could have written it, and pointed the build (and its registry login) anywhere.
            throw new BerthException("builder kaniko-job: the kubeconfig " + file + " is in the repository, which the"
                    + " code it builds can change; keep it outside (Jenkins: the folder's kubeconfig credentials)");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(null, Files.readString(file), file.toString());
        } catch (IOException | RuntimeException e) {
            throw new BerthException("builder kaniko-job: cannot read the kubeconfig " + file + ": " + e.getMessage());
        }
        String namespace = settings.namespace()
                .orElseGet(() -> Optional.ofNullable(config.getNamespace()).orElse("default"));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return new KanikoJob(client, namespace, settings, Clock.systemUTC(), poll);
    }

    private static boolean inside(Path file, Path repository) {
        try {
            return file.toRealPath().startsWith(repository.toRealPath());
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().startsWith(repository.toAbsolutePath().normalize());
        }
    }

    /** Which kubeconfig a build uses (see the class). */
    Path kubeconfig(KanikoJobSettings settings) {
        if (settings.kubeconfig().isPresent()) {
            String path = settings.kubeconfig().get();
            if (path.equals("~") || path.startsWith("~/")) {
                return home.resolve(path.substring(Math.min(2, path.length())));
            }
            return Path.of(path);
        }
        String variable = environment.getOrDefault(KUBECONFIG, "");
        for (String entry : variable.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                return Path.of(entry);
            }
        }
        return home.resolve(".kube").resolve("config");
    }
}
