package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.bluegreen.BlueGreenDeployer;
import io.jenkins.plugins.berth.builds.BuildsPhase;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.images.EcrClients;
import io.jenkins.plugins.berth.images.EcrLogins;
import io.jenkins.plugins.berth.images.EcrRetagger;
import io.jenkins.plugins.berth.images.ImageCleanup;
import io.jenkins.plugins.berth.images.ImagesPhase;
import io.jenkins.plugins.berth.images.PushTargets;
import io.jenkins.plugins.berth.images.RegistryLogins;
import io.jenkins.plugins.berth.images.kaniko.KanikoJobs;
import io.jenkins.plugins.berth.images.RegistryRetagger;
import io.jenkins.plugins.berth.images.Retagger;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.teardown.Retries;
import io.jenkins.plugins.berth.teardown.Teardown;
import io.jenkins.plugins.berth.terraform.Destroyer;
import io.jenkins.plugins.berth.terraform.HttpStates;
import io.jenkins.plugins.berth.terraform.InfrastructurePhase;
import io.jenkins.plugins.berth.terraform.TerraformBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine as the CLI runs it: its plug-ins, processes on this machine, state in a folder. Every
 * command that asks what Berth can run ({@code validate}, {@code plan}, {@code up}) asks here.
 */
final class LocalEngine {

    /**
     * Folders searched before the PATH for tofu and terraform ({@code File.pathSeparator}-separated).
     * bin/berth puts the project's .tools/bin on the PATH itself; tests set this instead.
     */
    static final String PATH_PREPEND = "berth.path.prepend";

    /** The ECR clients of this process, one per region. */
    private static final EcrClients ECR = new EcrClients();
    /**
     * ECR's registry logins, kept in this process until they near their expiry. Not across processes: a token on disk
     * would be a 12-hour registry password in a file, and one {@code GetAuthorizationToken} per command costs little.
     */
    private static final EcrLogins ECR_LOGINS = new EcrLogins(ECR::of, Clock.systemUTC());

    private LocalEngine() {}

    /** The plug-ins the CLI has; later phases are added here as they land. */
    private static Engine.Builder plugins(Path repositoryRoot, Path deployFile, Path stateFolder, StateStore state,
            HttpStates states, boolean rebuild, boolean offline, io.jenkins.plugins.berth.bluegreen.Approver approver,
            RunnerEnvironment environment) {
        return Engine.builder()
                .deployer(new BlueGreenDeployer(repositoryRoot, state, Clock.systemUTC(), approver))
                .phase(new ImagesPhase(repositoryRoot, pushTargets(environment), Map.of(), Clock.systemUTC(),
                        new ImagesPhase.Options(rebuild, offline), Optional.of(kanikoJobs(environment))))
                .phase(new BuildsPhase(repositoryRoot, stateFolder, state, searchPath(), rebuild))
                .phase(new InfrastructurePhase(repositoryRoot, deployFile, stateFolder, states, searchPath()))
                .runsElsewhere(Feature.RELEASE)
                .runsElsewhere(Feature.TEARDOWN);
    }

    /** The engine over a repository, its processes started in {@code environment}. */
    static Engine create(Path repositoryRoot, Path deployFile, Path stateFolder, StateStore state, Log log,
            RunnerEnvironment environment, io.jenkins.plugins.berth.run.StopRequest stops) {
        return create(repositoryRoot, deployFile, stateFolder, state, log, environment, stops, false,
                new ConsoleApprover());
    }

    /** As below, asking registries for base images' digests. */
    static Engine create(Path repositoryRoot, Path deployFile, Path stateFolder, StateStore state, Log log,
            RunnerEnvironment environment, io.jenkins.plugins.berth.run.StopRequest stops, boolean rebuild,
            io.jenkins.plugins.berth.bluegreen.Approver approver) {
        return create(repositoryRoot, deployFile, stateFolder, state, log, environment, stops, rebuild, false,
                approver);
    }

    /**
     * As above. {@code rebuild}: every Packer build and every image build runs, even one whose version or content
     * tag exists ({@code up --rebuild}); {@code offline}: no registry is asked for base images' digests
     * ({@code up --offline}); {@code approver} decides at the approval gate of a blue-green deploy.
     */
    static Engine create(Path repositoryRoot, Path deployFile, Path stateFolder, StateStore state, Log log,
            RunnerEnvironment environment, io.jenkins.plugins.berth.run.StopRequest stops, boolean rebuild,
            boolean offline, io.jenkins.plugins.berth.bluegreen.Approver approver) {
        return plugins(repositoryRoot, deployFile, stateFolder, state, httpStates(stateFolder, environment), rebuild,
                offline, approver, environment)
                .stopOn(stops).build(new LocalCommandRunner(repositoryRoot, environment), state, log);
    }

    /** What the local engine runs beyond plain stages (whatever the environment says about states). */
    static Set<Feature> features() {
        Path here = Path.of(".");
        return plugins(here, here, here, new DirectoryStateStore(here), HttpStates.embedded(here), false, false,
                io.jenkins.plugins.berth.bluegreen.Approver.UNATTENDED, RunnerEnvironment.current()).features();
    }

    /**
     * Where builds push: a registry address with the login the environment gives for it ({@link RegistryLogins}),
     * else the credentials docker login stored for it; ECR with a login from its token, to the token's endpoint or
     * {@value PushTargets#ECR_ENDPOINT}.
     */
    static PushTargets pushTargets(RunnerEnvironment environment) {
        // PushTargets puts the environment's logins first: the clients it falls back on have docker login's.
        return new PushTargets(host -> registryClient(host, dockerConfig()), Optional.of(ECR_LOGINS),
                environment.get(PushTargets.ECR_ENDPOINT), RegistryLogins.of(environment));
    }

    /**
     * A client for a host: an ECR registry's with a login from its token, any other with the environment's login
     * for it, else docker login's.
     */
    static RegistryClient anyRegistryClient(String host, RegistryLogins logins)
            throws io.jenkins.plugins.berth.BerthException {
        Optional<Registry.Ecr> ecr = Registry.Ecr.atHost(host);
        if (ecr.isPresent()) {
            return new RegistryClient(host, Optional.of(ECR_LOGINS.login(ecr.get()).credentials()));
        }
        logins.check();
        return registryClient(host, dockerConfig(), logins);
    }

    /**
     * The clusters of {@code builder: kaniko-job}: the kubeconfig from the deploy file, {@code KUBECONFIG} (Jenkins
     * binds the folder's kubeconfig credentials so) or {@code ~/.kube/config}; the registry credentials the Job gets
     * are docker login's, as for Berth's own registry requests.
     */
    static KanikoJobs kanikoJobs(RunnerEnvironment environment) {
        return new KanikoJobs(environment.variables(), Path.of(System.getProperty("user.home")), host -> {
            try {
                return Credentials.fromDockerConfig(dockerConfig(), host);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dockerConfig() + ": " + e.getMessage(), e);
            }
        });
    }

    /** A client for a registry host, with the credentials docker login stored for it, if any. */
    static RegistryClient registryClient(String host, Path dockerConfig) {
        return registryClient(host, dockerConfig, RegistryLogins.none());
    }

    /** With the environment's login for the host, if it gives one; else docker login's, if any. */
    static RegistryClient registryClient(String host, Path dockerConfig, RegistryLogins logins) {
        Optional<Credentials> given = logins.forHost(host);
        if (given.isPresent()) {
            return new RegistryClient(host, given);
        }
        try {
            return new RegistryClient(host, Credentials.fromDockerConfig(dockerConfig, host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerConfig + ": " + e.getMessage(), e);
        }
    }

    /**
     * How images are retagged in a registry: the OCI API with the environment's login for each host
     * ({@link RegistryLogins}: a release stage's registry has its own) else docker config's, or ECR's API
     * with the AWS SDK's default credentials (environment, profile, instance role) in the file's region
     * ({@code ecrEndpointHost}: {@link PushTargets#endpointHost}, where builds pushed instead of ECR's host).
     */
    static Retagger retagger(Registry registry, Path dockerConfig, Optional<String> ecrEndpointHost,
            RegistryLogins logins) {
        if (registry instanceof Registry.Ecr ecr) {
            return new EcrRetagger(ECR.of(ecr.region()), ecr.host(), ecrEndpointHost);
        }
        // One client per registry host (a release stage may name another registry), each with its own credentials.
        return new RegistryRetagger(host -> registryClient(host, dockerConfig, logins));
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Path dockerConfig() {
        String folder = System.getenv("DOCKER_CONFIG");
        return folder != null ? Path.of(folder, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** Where http-backend states live: hosted when the Jenkins plugin says so ({@code BERTH_STATE_URL}), else in the folder. */
    private static HttpStates httpStates(Path stateFolder, RunnerEnvironment environment) {
        return HttpStates.of(stateFolder, environment.variables());
    }

    /** What destroys stacks from a state folder (and releases their locks), reporting on {@code out}. */
    static Destroyer destroyer(Path stateFolder, java.io.PrintWriter out, RunnerEnvironment environment) {
        return new Destroyer(stateFolder, httpStates(stateFolder, environment), new DirectoryStateStore(stateFolder),
                new LocalCommandRunner(Path.of(""), environment),
                new ConsoleLog(out), searchPath(), Clock.systemUTC());
    }

    /** What tears environments down from a state folder: teardown stages, stacks, images, the record. */
    static Teardown teardown(Path stateFolder, java.io.PrintWriter out, RunnerEnvironment environment) {
        DirectoryStateStore state = new DirectoryStateStore(stateFolder);
        return new Teardown(destroyer(stateFolder, out, environment), state, state::keptFolder,
                folder -> new LocalCommandRunner(folder, environment),
                Optional.of(new ImageCleanup(host -> anyRegistryClient(host, RegistryLogins.of(environment)), state)),
                Optional.of(new io.jenkins.plugins.berth.builds.BuildCleanup(stateFolder, state)), Retries.DEFAULT,
                new ConsoleLog(out), Clock.systemUTC());
    }

    /** Where tools are looked for: {@value #PATH_PREPEND}, then the PATH. */
    static List<Path> searchPath() {
        List<Path> path = new ArrayList<>(TerraformBinary.path(System.getProperty(PATH_PREPEND)));
        path.addAll(TerraformBinary.path(System.getenv("PATH")));
        return path;
    }
}
