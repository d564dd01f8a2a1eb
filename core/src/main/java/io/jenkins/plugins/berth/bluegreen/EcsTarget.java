package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.Deploy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * {@code target: ecs}: one ECS service and one target group per colour behind an ALB listener. Deploy
 * registers a new revision of the idle service's task definition with the new image references (each
 * container whose image is one of the built images' repositories) and waits until the service is
 * stable; a switch sets the listener's forward weights (live 100, idle 0); retiring scales the
 * colour's service to 0.
 */
public final class EcsTarget implements Target {

    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;
    private final Deploy.Ecs settings;
    private final Map<String, String> images;
    private final Duration stableTimeout;
    private final Clock clock;

    /**
     * @param images the images built in this run: repository (without tag) to digest-pinned reference
     * @param stableTimeout how long to wait for a service to be stable after an update
     */
    public EcsTarget(EcsClient ecs, ElasticLoadBalancingV2Client elb, Deploy.Ecs settings, Map<String, String> images,
            Duration stableTimeout, Clock clock) {
        this.ecs = ecs;
        this.elb = elb;
        this.settings = settings;
        this.images = Map.copyOf(images);
        this.stableTimeout = stableTimeout;
        this.clock = clock;
    }

    private String service(Color color) {
        return color == Color.BLUE ? settings.services().blue() : settings.services().green();
    }

    private String targetGroup(Color color) {
        return color == Color.BLUE ? settings.targetGroups().blue() : settings.targetGroups().green();
    }

    @Override
    public void deploy(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        String service = service(color);
        try {
            Service current = describe(service);
            var described = ecs.describeTaskDefinition(d -> d.taskDefinition(current.taskDefinition())
                    .includeWithStrings("TAGS"));
            TaskDefinition definition = described.taskDefinition();
            List<ContainerDefinition> containers = definition.containerDefinitions().stream()
                    .map(c -> c.toBuilder().image(newImage(c.image())).build()).toList();
            // The whole definition again, only the images changed: a field left out would be lost (mount points would
            // then name a missing volume, a Graviton task would be scheduled on x86).
            String revision = ecs.registerTaskDefinition(r -> r.family(definition.family())
                    .containerDefinitions(containers).cpu(definition.cpu()).memory(definition.memory())
                    .networkMode(definition.networkMode()).requiresCompatibilitiesWithStrings(
                            definition.requiresCompatibilitiesAsStrings())
                    .executionRoleArn(definition.executionRoleArn()).taskRoleArn(definition.taskRoleArn())
                    .volumes(definition.volumes()).placementConstraints(definition.placementConstraints()
                            .stream().map(c -> software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint
                                    .builder().type(c.type()).expression(c.expression()).build()).toList())
                    .runtimePlatform(definition.runtimePlatform()).pidMode(definition.pidMode())
                    .ipcMode(definition.ipcMode()).proxyConfiguration(definition.proxyConfiguration())
                    .inferenceAccelerators(definition.inferenceAccelerators())
                    .ephemeralStorage(definition.ephemeralStorage()).tags(described.hasTags() && !described.tags()
                            .isEmpty() ? described.tags() : null))
                    .taskDefinition().taskDefinitionArn();
            // As many tasks as the live colour runs: it takes all of its traffic at the switch.
            int desired = Math.max(1, Math.max(describe(service(color.other())).desiredCount(), current.desiredCount()));
            ecs.updateService(u -> u.cluster(settings.cluster()).service(service).taskDefinition(revision)
                    .desiredCount(desired).forceNewDeployment(true));
            awaitStable(service, desired);
        } catch (SdkException e) {
            throw new BerthException("ECS refused to deploy " + color.keyword() + " (service " + service + "): "
                    + e.getMessage(), e);
        }
    }

    /** A container's image with the new reference of the built image it runs, if any. */
    private String newImage(String image) {
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.replaceFirst(":[^:/]+$", "");
        return images.getOrDefault(repository, image);
    }

    @Override
    public void switchTo(Color color, Map<String, String> variables) throws BerthException {
        try {
            // The listener's target-group stickiness stays as it was: a switch changes the weights only.
            var stickiness = elb.describeListeners(d -> d.listenerArns(settings.listener())).listeners().get(0)
                    .defaultActions().stream().filter(a -> a.forwardConfig() != null)
                    .map(a -> a.forwardConfig().targetGroupStickinessConfig()).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
            Action forward = Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(ForwardActionConfig.builder()
                    .targetGroups(TargetGroupTuple.builder().targetGroupArn(targetGroup(color)).weight(100).build(),
                            TargetGroupTuple.builder().targetGroupArn(targetGroup(color.other())).weight(0).build())
                    .targetGroupStickinessConfig(stickiness).build()).build();
            elb.modifyListener(m -> m.listenerArn(settings.listener()).defaultActions(forward));
        } catch (SdkException e) {
            throw new BerthException("the load balancer refused to switch listener " + settings.listener() + " to "
                    + color.keyword() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void retire(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        String service = service(color);
        try {
            ecs.updateService(u -> u.cluster(settings.cluster()).service(service).desiredCount(0));
        } catch (SdkException e) {
            throw new BerthException("ECS refused to scale " + service + " to 0: " + e.getMessage(), e);
        }
    }

    /**
     * The colour whose target group has all the listener's weight, read from the listener: the source of truth, also
     * before a first deploy (a listener the infrastructure pointed at blue, whose service already serves).
     */
    @Override
    public java.util.Optional<Color> live() throws BerthException {
        Map<String, Integer> weights;
        try {
            weights = weights();
        } catch (SdkException e) {
            throw new BerthException("cannot read listener " + settings.listener() + ": " + e.getMessage(), e);
        }
        for (Color color : Color.values()) {
            if (weights.getOrDefault(targetGroup(color), 0) > 0 && weights.getOrDefault(targetGroup(color.other()), 0) == 0) {
                return java.util.Optional.of(color);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<Color> liveBeforeFirstDeploy() throws BerthException {
        return live();
    }

    /** The forward weight each target group of the listener has now (for tests and the record). */
    public Map<String, Integer> weights() {
        Map<String, Integer> weights = new java.util.TreeMap<>();
        elb.describeListeners(d -> d.listenerArns(settings.listener())).listeners().get(0).defaultActions()
                .forEach(action -> {
                    if (action.forwardConfig() != null) {
                        action.forwardConfig().targetGroups().forEach(t -> weights.put(t.targetGroupArn(),
                                t.weight() == null ? 0 : t.weight()));
                    } else if (action.targetGroupArn() != null) {
                        weights.put(action.targetGroupArn(), 100);
                    }
                });
        return weights;
    }

    private Service describe(String service) throws BerthException {
        List<Service> services = ecs.describeServices(d -> d.cluster(settings.cluster()).services(service)).services();
        if (services.isEmpty()) {
            throw new BerthException("there is no ECS service " + service + " in cluster " + settings.cluster());
        }
        return services.get(0);
    }

    /** Waits until the service has one deployment running the desired count. */
    private void awaitStable(String service, int desired) throws BerthException, InterruptedException {
        Instant deadline = clock.instant().plus(stableTimeout);
        while (true) {
            Service current = describe(service);
            boolean stable = current.deployments().size() <= 1 && current.runningCount() >= desired;
            if (stable) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new BerthException("ECS service " + service + " was not stable within " + stableTimeout.toSeconds()
                        + "s (" + current.runningCount() + " of " + desired + " tasks running, "
                        + current.deployments().size() + " deployments)");
            }
            Thread.sleep(2_000);
        }
    }
}
