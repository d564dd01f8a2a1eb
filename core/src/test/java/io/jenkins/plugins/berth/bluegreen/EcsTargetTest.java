package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.Log;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The ECS target against moto's ECS and ELBv2 (real AWS APIs over HTTP, no containers). Health checks
 * go to a local HTTP server standing in for each colour's test endpoint: moto runs no tasks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcsTargetTest {

    @TempDir
    Path folder;

    private MotoServer moto;
    private EcsClient ecs;
    private ElasticLoadBalancingV2Client elb;
    private HttpServer endpoints;
    private final Map<String, Integer> status = new ConcurrentHashMap<>(Map.of("blue", 200, "green", 200));
    private String listener;
    private String blueGroup;
    private String greenGroup;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.start(folder.resolve("moto.log"));
        URI endpoint = URI.create(moto.endpoint());
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        // A VPC and two subnets through EC2's query API (Berth itself needs no EC2 client).
        String vpc = ec2("Action=CreateVpc&CidrBlock=10.0.0.0%2F16", "vpcId");
        String subnetA = ec2("Action=CreateSubnet&VpcId=" + vpc + "&CidrBlock=10.0.1.0%2F24&AvailabilityZone=us-east-1a",
                "subnetId");
        String subnetB = ec2("Action=CreateSubnet&VpcId=" + vpc + "&CidrBlock=10.0.2.0%2F24&AvailabilityZone=us-east-1b",
                "subnetId");
        String balancer = elb.createLoadBalancer(l -> l.name("shop").subnets(subnetA, subnetB)).loadBalancers().get(0)
                .loadBalancerArn();
        blueGroup = elb.createTargetGroup(t -> t.name("shop-blue").protocol(ProtocolEnum.HTTP).port(80).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();
        greenGroup = elb.createTargetGroup(t -> t.name("shop-green").protocol(ProtocolEnum.HTTP).port(80).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();
        listener = elb.createListener(l -> l.loadBalancerArn(balancer).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blueGroup))).listeners().get(0)
                .listenerArn();
        ecs.createCluster(c -> c.clusterName("shop"));
        String definition = ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(ContainerDefinition
                .builder().name("web").image("registry.example.com/shop/web:old").memory(256).build()))
                .taskDefinition().taskDefinitionArn();
        for (String service : List.of("web-blue", "web-green")) {
            ecs.createService(s -> s.cluster("shop").serviceName(service).taskDefinition(definition).desiredCount(1));
        }
        endpoints = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoints.createContext("/", exchange -> {
            String color = exchange.getRequestURI().getPath().substring(1);
            exchange.sendResponseHeaders(status.getOrDefault(color, 404), -1);
            exchange.close();
        });
        endpoints.start();
    }

    @AfterEach
    void stop() throws Exception {
        endpoints.stop(0);
        ecs.close();
        elb.close();
        moto.close();
    }

    private String ec2(String query, String field) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(moto.endpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request")
                .POST(HttpRequest.BodyPublishers.ofString(query + "&Version=2016-11-15")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("<" + field + ">([^<]+)</" + field + ">").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private Deploy deploy() {
        return ((Stage.DeployAction) TestFiles.valid("""
                version: 1
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs: { region: us-east-1, cluster: shop, listener: "%s",
                             services: { blue: web-blue, green: web-green },
                             target_groups: { blue: "%s", green: "%s" } }
                      health: { url: "http://127.0.0.1/${BERTH_COLOR}", timeout: 3s, interval: 1s, successes: 1 }
                """.formatted(listener, blueGroup, greenGroup)).stages().get(0).action()).deploy();
    }

    private EcsTarget target(String image) {
        return new EcsTarget(ecs, elb, deploy().ecs().orElseThrow(),
                Map.of("registry.example.com/shop/web", image), Duration.ofSeconds(20), Clock.systemUTC());
    }

    private BlueGreen controller(EcsTarget target) {
        Log recording = LogLines.into(log);
        return new BlueGreen(target, new HealthCheck(Clock.systemUTC()), recording, Clock.systemUTC());
    }

    private BlueGreen.Request request() {
        String base = "http://127.0.0.1:" + endpoints.getAddress().getPort() + "/";
        return new BlueGreen.Request(deploy(), color -> Map.of("BERTH_COLOR", color.keyword()),
                color -> base + color.keyword(), color -> base + color.keyword(), "up", Map.of());
    }

    private String imageOf(String service) {
        String definition = ecs.describeServices(d -> d.cluster("shop").services(service)).services().get(0)
                .taskDefinition();
        return ecs.describeTaskDefinition(d -> d.taskDefinition(definition)).taskDefinition().containerDefinitions()
                .get(0).image();
    }

    @Test
    void deploysTheIdleServiceAndMovesTheListenerWeights() throws Exception {
        // The listener already sends traffic to blue (as the infrastructure made it): the first deploy goes to green.
        String v1 = "registry.example.com/shop/web@sha256:" + "1".repeat(64);
        EcsTarget first = target(v1);
        assertThat(first.live()).hasValue(Color.BLUE);
        BlueGreenRecord green = controller(first).deploy(Optional.empty(), request());
        assertThat(green.live()).hasValue("green");
        assertThat(log).anyMatch(line -> line.contains("no deploy is recorded, but the target sends traffic to blue:"
                + " deploying green"));
        assertThat(imageOf("web-green")).isEqualTo(v1);
        assertThat(imageOf("web-blue")).isEqualTo("registry.example.com/shop/web:old");
        assertThat(first.weights()).containsEntry(greenGroup, 100).containsEntry(blueGroup, 0);

        String v2 = "registry.example.com/shop/web@sha256:" + "2".repeat(64);
        EcsTarget second = target(v2);
        BlueGreenRecord blue = controller(second).deploy(Optional.of(green), request());
        assertThat(blue.live()).hasValue("blue");
        assertThat(imageOf("web-blue")).isEqualTo(v2);
        assertThat(second.weights()).containsEntry(blueGroup, 100).containsEntry(greenGroup, 0);

        // An unhealthy green: the listener keeps sending everything to blue, and green is scaled to 0.
        status.put("green", 503);
        EcsTarget third = target("registry.example.com/shop/web@sha256:" + "3".repeat(64));
        assertThatThrownBy(() -> controller(third).deploy(Optional.of(blue), request()))
                .hasMessageContaining("traffic is untouched (still on blue)");
        assertThat(third.weights()).containsEntry(blueGroup, 100).containsEntry(greenGroup, 0);
        assertThat(ecs.describeServices(d -> d.cluster("shop").services("web-green")).services().get(0).desiredCount())
                .isZero();
    }

    @Test
    void aNewRevisionKeepsTheWholeDefinitionTheLiveColoursSizeAndTheStickinessAndRollsBack() throws Exception {
        String rich = ecs.registerTaskDefinition(r -> r.family("rich").cpu("256").memory("512")
                .volumes(v -> v.name("data").host(h -> h.sourcePath("/srv/data")))
                .placementConstraints(c -> c.type("memberOf").expression("attribute:ecs.os-type == linux"))
                .runtimePlatform(p -> p.cpuArchitecture("ARM64").operatingSystemFamily("LINUX"))
                .containerDefinitions(ContainerDefinition.builder().name("web").image("registry.example.com/shop/web:old")
                        .memory(256).mountPoints(m -> m.sourceVolume("data").containerPath("/data")).build()))
                .taskDefinition().taskDefinitionArn();
        ecs.updateService(u -> u.cluster("shop").service("web-blue").taskDefinition(rich).desiredCount(3));
        ecs.updateService(u -> u.cluster("shop").service("web-green").taskDefinition(rich).desiredCount(0));
        elb.modifyListener(m -> m.listenerArn(listener).defaultActions(a -> a.type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(blueGroup).weight(100),
                        t -> t.targetGroupArn(greenGroup).weight(0))
                        .targetGroupStickinessConfig(st -> st.enabled(true).durationSeconds(300)))));

        String v1 = "registry.example.com/shop/web@sha256:" + "1".repeat(64);
        EcsTarget target = target(v1);
        BlueGreenRecord green = controller(target).deploy(Optional.empty(), request());
        assertThat(green.live()).hasValue("green");
        var service = ecs.describeServices(d -> d.cluster("shop").services("web-green")).services().get(0);
        assertThat(service.desiredCount()).as("sized as blue, which served everything").isEqualTo(3);
        var definition = ecs.describeTaskDefinition(d -> d.taskDefinition(service.taskDefinition())).taskDefinition();
        assertThat(definition.family()).isEqualTo("rich");
        assertThat(definition.containerDefinitions().get(0).image()).isEqualTo(v1);
        assertThat(definition.volumes()).extracting(v -> v.name()).containsExactly("data");
        assertThat(definition.containerDefinitions().get(0).mountPoints()).extracting(m -> m.sourceVolume())
                .containsExactly("data");
        assertThat(definition.placementConstraints()).extracting(c -> c.expression())
                .containsExactly("attribute:ecs.os-type == linux");
        assertThat(definition.cpu()).isEqualTo("256");
        assertThat(definition.runtimePlatform()).isNotNull();
        assertThat(definition.runtimePlatform().cpuArchitectureAsString()).isEqualTo("ARM64");
        var forward = elb.describeListeners(d -> d.listenerArns(listener)).listeners().get(0).defaultActions().get(0)
                .forwardConfig();
        assertThat(forward.targetGroupStickinessConfig().enabled()).isTrue();
        assertThat(forward.targetGroupStickinessConfig().durationSeconds()).isEqualTo(300);

        // Rollback on ECS: blue (kept, still at 3 tasks) gets the traffic back.
        BlueGreenRecord back = controller(target).rollback(green, request());
        assertThat(back.live()).hasValue("blue");
        assertThat(back.previous()).hasValue("green");
        assertThat(target.weights()).containsEntry(blueGroup, 100).containsEntry(greenGroup, 0);
    }
}
