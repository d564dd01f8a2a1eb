package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.Deployer;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Plugs blue-green deploys into the engine: a {@code deploy:} stage runs {@link BlueGreen} with the
 * script or nginx target, the colours of the environment's record, and records them after.
 */
public final class BlueGreenDeployer implements Deployer {

    private final Path repositoryRoot;
    private final StateStore state;
    private final Clock clock;

    private final Approver approver;

    public BlueGreenDeployer(Path repositoryRoot, StateStore state, Clock clock) {
        this(repositoryRoot, state, clock, Approver.UNATTENDED);
    }

    /** @param approver who decides at the gate of a deploy block with {@code approval:} */
    public BlueGreenDeployer(Path repositoryRoot, StateStore state, Clock clock, Approver approver) {
        this.repositoryRoot = repositoryRoot;
        this.state = state;
        this.clock = clock;
        this.approver = approver;
    }

    @Override
    public void deploy(Stage stage, TaskContext context) throws BerthException, IOException, InterruptedException {
        RunVariables variables = context.variables();
        String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
        Optional<BlueGreenRecord> current = state.read(environment).flatMap(r -> r.blueGreen());
        // Ports per environment (templates, auto) become numbers here; an allocated pair is kept with every record.
        EnvironmentPorts.Resolved ports = EnvironmentPorts.resolve(((Stage.DeployAction) stage.action()).deploy(),
                variables, current, current.flatMap(BlueGreenRecord::ports).isPresent() ? java.util.List.of() : state.all());
        Deploy deploy = ports.deploy();
        ports.allocated().filter(p -> current.flatMap(BlueGreenRecord::ports).isEmpty()).ifPresent(p -> context.log()
                .info("colors: auto: blue on port " + p.blue() + ", green on port " + p.green() + " for " + environment));
        Optional<BlueGreenRecord.Ports> allocated = ports.allocated();
        Target target = target(deploy, variables, context);
        BlueGreen controller = new BlueGreen(target, new HealthCheck(clock), context.log(), clock,
                new BlueGreen.Gates(context::run, approver, colors -> record(environment, colors, allocated)));
        Optional<Path> shared = SharedFolder.of(deploy, variables, SharedFolder.root(state, repositoryRoot, environment));
        if (shared.isPresent()) {
            context.log().info("shared folder of both colours (shared_dir): " + SharedFolder.create(shared.get()));
        }
        BlueGreen.Request request = request(deploy, variables, "up", images(variables), shared);
        Optional<BlueGreenRecord> colors = current;
        if (colors.isPresent()) {
            BlueGreenRecord afterRetire = controller.retireExpired(colors.get(), request.variables());
            if (!afterRetire.equals(colors.get())) {
                record(environment, afterRetire, allocated);
                colors = Optional.of(afterRetire);
            }
        }
        try {
            if (approver instanceof Approver.Resume resume) {
                // The second run of a gated deploy step: the decision taken in between (Jenkins' input).
                record(environment, controller.resume(colors.orElseThrow(() -> new BerthException("environment "
                        + environment + " has no blue-green deploy waiting for an approval")), request, resume.decision()),
                        allocated);
                return;
            }
            record(environment, controller.deploy(colors, request), allocated);
        } catch (BlueGreen.DeployFailedException e) {
            record(environment, e.colors(), allocated);
            throw new TaskFailedException(e.getMessage());
        }
    }

    /** The target of a deploy block; commands run in the repository root as the task's. */
    public static Target target(Deploy deploy, RunVariables variables, Scripts scripts, Path root) {
        String stop = deploy.stop().orElse(null);
        return switch (deploy.target()) {
            case SCRIPT -> new ScriptTarget(scripts, deploy.start().orElseThrow(), Optional.ofNullable(stop),
                    deploy.switchCommand().orElseThrow());
            case NGINX -> {
                Deploy.Nginx nginx = deploy.nginx().orElseThrow();
                Scope.Site site = Scope.Site.of(Scope.Kind.DEPLOY);
                yield new NginxTarget(scripts, deploy.start().orElseThrow(), Optional.ofNullable(stop),
                        variables.resolve(nginx.upstream(), site), root.resolve(variables.resolve(nginx.upstreamFile(), site)),
                        nginx.test(), nginx.reload(), deploy.previewUrl().flatMap(p -> deploy.colors()));
            }
            case ECS -> {
                Deploy.Ecs settings = deploy.ecs().orElseThrow();
                Region region = Region.of(settings.region());
                yield new EcsTarget(EcsClient.builder().region(region).httpClient(UrlConnectionHttpClient.create()).build(),
                        ElasticLoadBalancingV2Client.builder().region(region)
                                .httpClient(UrlConnectionHttpClient.create()).build(),
                        settings, builtImages(variables), Duration.ofMinutes(15), Clock.systemUTC());
            }
        };
    }

    /** The images built in this run, by repository (what a task definition names) to digest-pinned reference. */
    static Map<String, String> builtImages(RunVariables variables) {
        Map<String, String> images = new TreeMap<>();
        variables.published().forEach((name, pinned) -> {
            if (name.startsWith(BuiltinVariables.IMAGE_PREFIX) && pinned.contains("@")) {
                images.put(pinned.substring(0, pinned.indexOf('@')), pinned);
            }
        });
        return images;
    }

    @Override
    public java.util.Set<io.jenkins.plugins.berth.run.Feature> features() {
        return java.util.Set.of(io.jenkins.plugins.berth.run.Feature.BLUE_GREEN,
                io.jenkins.plugins.berth.run.Feature.ECS_TARGET);
    }

    private Target target(Deploy deploy, RunVariables variables, TaskContext context) {
        return target(deploy, variables, context::run, repositoryRoot);
    }

    /**
     * The variables and URLs of each colour. The live endpoint is the environment's URL when a stack gives
     * one (it goes through the proxy or load balancer); otherwise the live colour's own health URL.
     */
    public static BlueGreen.Request request(Deploy deploy, RunVariables variables, String trigger,
            Map<String, String> images) {
        return request(deploy, variables, trigger, images, Optional.empty());
    }

    /** As above; every step of each colour also told the shared folder ({@code BERTH_SHARED_DIR}), if any. */
    static BlueGreen.Request request(Deploy deploy, RunVariables variables, String trigger,
            Map<String, String> images, Optional<Path> shared) {
        Scope.Site site = Scope.Site.of(Scope.Kind.DEPLOY);
        Function<Color, Map<String, String>> perColor = color -> {
            Map<String, String> values = variables.environment(site, colorValues(deploy, color));
            if (shared.isEmpty()) {
                return values;
            }
            Map<String, String> with = new java.util.LinkedHashMap<>(values);
            with.put(BlueGreen.SHARED_DIR, shared.get().toString());
            return with;
        };
        Function<Color, String> health = color -> variables.resolve(deploy.health().url(), site, colorValues(deploy, color));
        Optional<String> environmentUrl = variables.builtin(BuiltinVariables.ENV_URL).filter(u -> !u.isEmpty());
        Function<Color, String> live = color -> environmentUrl.orElseGet(() -> health.apply(color));
        Function<Color, Optional<String>> preview = color -> deploy.previewUrl()
                .map(u -> variables.resolve(u, site, colorValues(deploy, color)));
        return new BlueGreen.Request(deploy, perColor, health, live, trigger, images, preview);
    }

    static Map<String, String> colorValues(Deploy deploy, Color color) {
        return deploy.colors().map(c -> Map.of(BuiltinVariables.COLOR, color.keyword(), BuiltinVariables.PORT,
                String.valueOf(color.port(c)))).orElse(Map.of(BuiltinVariables.COLOR, color.keyword()));
    }

    private static Map<String, String> images(RunVariables variables) {
        Map<String, String> images = new TreeMap<>();
        variables.published().forEach((name, value) -> {
            if (name.startsWith(BuiltinVariables.IMAGE_PREFIX)) {
                images.put(name, value);
            }
        });
        return images;
    }

    /** Records the colours, with the environment's allocated ports ({@code colors: auto}) kept in every version. */
    private void record(String environment, BlueGreenRecord colors, Optional<BlueGreenRecord.Ports> ports)
            throws IOException, StateException {
        BlueGreenRecord kept = ports.isPresent() ? colors.withPorts(ports) : colors;
        state.update(environment, stored -> stored.orElseThrow().withBlueGreen(kept, clock.instant()));
    }
}
